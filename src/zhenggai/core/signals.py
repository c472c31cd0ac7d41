"""Signals that a rectification report may not be what it says, from texts and dates alone (no
database): the inspection office reads them as hints to look closer, never as verdicts.

* **Unrelated measure** (措施与问题不对应): :func:`key_terms` takes the words of 2–4 Chinese
  characters of a problem's statement, without the words every report of the genre uses (问题, 整改,
  工作, 加强, 进一步, 落实…); a measure that contains none of them is flagged by
  :func:`shares_key_terms`.
* **Deadline before the feedback** (时限早于反馈): a measure due before the day the findings were
  handed over was not planned against them (:func:`deadline_before_feedback`).
* **Evidence after the claim** (佐证晚于完成): evidence uploaded after the measure was reported done
  (:func:`evidence_after_claim`).
* **Bursts of progress** (临期集中填报): see :func:`progress_burst` and :func:`sittings`, and
  ``BURST_*`` / ``SITTING_*`` for the exact thresholds.

The slogans (喊口号) and copies (照抄照搬) are told in `core.quality`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# --- Key terms ----------------------------------------------------------------------------------

# The words of the genre that say nothing of what a problem is about: they are in nearly every
# finding and every measure, so sharing them is no sign that a measure answers its problem.
STOP_WORDS = (
    "进一步",
    "不到位",
    "不严格",
    "不规范",
    "不及时",
    "不健全",
    "不完善",
    "不够",
    "不力",
    "不严",
    "不足",
    "不高",
    "不强",
    "有待",
    "问题",
    "整改",
    "工作",
    "加强",
    "落实",
    "存在",
    "方面",
    "情况",
    "有关",
    "相关",
    "部分",
    "个别",
    "一些",
    "少数",
    "较多",
    "较大",
    "仍然",
    "依然",
    "目前",
    "以来",
    "其中",
    "没有",
    "未能",
    "尚未",
    "开展",
    "推进",
    "推动",
    "建立",
    "健全",
    "完善",
    "制定",
    "明确",
    "严格",
    "全面",
    "切实",
    "及时",
    "到位",
    "进行",
    "要求",
    "规定",
    "执行",
    "单位",
    "部门",
    "机制",
    "措施",
    "责任",
    "意识",
    "能力",
    "水平",
    "管理",
    "制度",
    "规范",
    "提高",
    "提升",
    "强化",
    "增强",
    "持续",
    "不断",
    "关于",
    "对于",
    "通过",
    "按照",
    "根据",
    "年度",
    "党组",
    "党委",
    "党组织",
    "领导",
    "班子",
)
# Characters that join words rather than belong to one: a run of characters is cut at them.
_PARTICLES = "的了和与及或对为把被将等是并而其之从向于在由也都还又所以即"
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STOP_PATTERN = re.compile("|".join(sorted(STOP_WORDS, key=len, reverse=True)))
_PARTICLE_SPLIT = re.compile(f"[{_PARTICLES}]")
TERM_MIN, TERM_MAX = 2, 4


def key_terms(text: str) -> frozenset[str]:
    """The words of 2–4 characters that say what ``text`` is about: its runs of Chinese characters
    cut at the genre's stop words (:data:`STOP_WORDS`) and at joining characters (的, 和, 对…);
    a piece of 2–4 characters is a term, a longer piece gives its two-character pieces (most
    Chinese words have two characters, and no dictionary is at hand)."""
    text = unicodedata.normalize("NFKC", text or "")
    terms: set[str] = set()
    for run in _CJK_RUN.findall(text):
        for part in _STOP_PATTERN.split(run):
            for piece in _PARTICLE_SPLIT.split(part):
                if len(piece) < TERM_MIN:
                    continue
                if len(piece) <= TERM_MAX:
                    terms.add(piece)
                else:
                    terms.update(piece[i : i + TERM_MIN] for i in range(len(piece) - TERM_MIN + 1))
    return frozenset(terms)


def shared_terms(problem: str, measure: str) -> list[str]:
    """The key terms of ``problem`` that ``measure`` contains, in a fixed order."""
    measure = unicodedata.normalize("NFKC", measure or "")
    return sorted(t for t in key_terms(problem) if t in measure)


def shares_key_terms(problem: str, measure: str) -> bool:
    """Whether ``measure`` contains a key term of ``problem``; True when the problem has none (a
    statement of stop words alone cannot be checked against)."""
    terms = key_terms(problem)
    if not terms:
        return True
    measure = unicodedata.normalize("NFKC", measure or "")
    return any(t in measure for t in terms)


# --- Dates --------------------------------------------------------------------------------------


def deadline_before_feedback(deadline: datetime.date | None, feedback: datetime.date | None) -> bool:
    """A measure due before the findings were handed over (反馈): not planned against them."""
    return deadline is not None and feedback is not None and deadline < feedback


def claim_moment(
    submitted_at: datetime.datetime | None, completed_on: datetime.date | None
) -> datetime.datetime | datetime.date | None:
    """When a measure was said done: the closing request's server time, else the completion day."""
    return submitted_at if submitted_at is not None else completed_on


def evidence_after_claim(
    submitted_at: datetime.datetime | None,
    completed_on: datetime.date | None,
    uploaded: Iterable[datetime.datetime],
) -> bool:
    """Some evidence was uploaded after the measure was said done: after its closing request
    (both server times), or, with no request, on a later day than its completion date."""
    for at in uploaded:
        if submitted_at is not None:
            if at > submitted_at:
                return True
        elif completed_on is not None and at.date() > completed_on:
            return True
    return False


# --- Bursts of progress -------------------------------------------------------------------------

BURST_DAYS = 7  # the days before a deadline or a review (a closing decision) that are looked at
BURST_ENTRIES = 3  # at least this many of a measure's progress entries recorded in those days…
BURST_SHARE = 0.5  # …making more than this share of all its entries
SITTING_MINUTES = 60  # one person's entries within this many minutes are one sitting
SITTING_MEASURES = 5  # a sitting that touches at least this many measures…
SITTING_DAYS = 7  # …each due within this many days after it


@dataclass(frozen=True)
class Burst:
    """Progress entered in a rush before a date: `count` entries within `BURST_DAYS` before `before`."""

    before: datetime.date
    reason: str  # "deadline" or "review"
    count: int
    total: int


def _window_count(recorded: Sequence[datetime.datetime], end: datetime.date) -> int:
    start = end - datetime.timedelta(days=BURST_DAYS)
    return sum(1 for at in recorded if start <= at.date() <= end)


def progress_burst(
    recorded: Sequence[datetime.datetime],
    deadline: datetime.date | None,
    reviews: Iterable[datetime.datetime] = (),
) -> Burst | None:
    """A measure's progress was mostly recorded just before its deadline or a review.

    `recorded`: the server times its progress entries were recorded (local time); `reviews`: the
    times of the decisions on its closing. Flagged when at least BURST_ENTRIES entries fall within
    the BURST_DAYS days up to the deadline (or up to a review's day), and they are more than
    BURST_SHARE of all the measure's entries: the work was written down at the last moment, not
    as it was done."""
    total = len(recorded)
    if total < BURST_ENTRIES:
        return None
    ends = [(deadline, "deadline")] if deadline is not None else []
    ends += [(at.date(), "review") for at in sorted(reviews)]
    for end, reason in ends:
        assert end is not None
        count = _window_count(recorded, end)
        if count >= BURST_ENTRIES and count > BURST_SHARE * total:
            return Burst(end, reason, count, total)
    return None


@dataclass(frozen=True)
class Entry:
    """One progress entry, as :func:`sittings` needs it."""

    measure: int
    author: int
    recorded_at: datetime.datetime  # local time
    deadline: datetime.date | None  # its measure's


def sittings(entries: Iterable[Entry]) -> dict[int, int]:
    """Measures whose progress one person entered in one sitting with many others, all due soon:
    measure → the number of measures of that sitting.

    A sitting is a run of one author's entries each within SITTING_MINUTES of the previous one. It
    counts when it touches at least SITTING_MEASURES measures whose deadline lies within the
    SITTING_DAYS days after the sitting's day (the day itself included); those measures are
    flagged (an entry for a measure not due then is ordinary work and is not counted)."""
    by_author: dict[int, list[Entry]] = {}
    for entry in entries:
        by_author.setdefault(entry.author, []).append(entry)
    flagged: dict[int, int] = {}
    gap = datetime.timedelta(minutes=SITTING_MINUTES)
    for own in by_author.values():
        own.sort(key=lambda e: e.recorded_at)
        runs: list[list[Entry]] = []
        for entry in own:
            if runs and entry.recorded_at - runs[-1][-1].recorded_at <= gap:
                runs[-1].append(entry)
            else:
                runs.append([entry])
        for run in runs:
            due = {
                e.measure
                for e in run
                if e.deadline is not None and 0 <= (e.deadline - e.recorded_at.date()).days <= SITTING_DAYS
            }
            if len(due) >= SITTING_MEASURES:
                for measure in due:
                    flagged[measure] = max(flagged.get(measure, 0), len(due))
    return flagged
