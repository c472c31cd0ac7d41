"""Finding a document's title among its first lines, and what lies above it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhenggai.core.numbering import parse_label

_TITLE_WORD = re.compile(
    r"关于|报告|通报|公告|公示|说明|情况|清单|台账|方案|决定|意见|结果|曝光|整改|通知|汇报"
)
_TITLE_END = re.compile(r"(?:报告|通报|公告|公示|说明|情况|清单|台账|结果|通知|汇报|方案)[）)】]?$")
_NOT_TITLE_END = tuple("。：:；;，,、！!？?")
# Where the preamble starts inside a line that lost its line breaks (text copied from a PDF viewer).
_PROSE_START = re.compile(r"(?<=[\s\u3000）)])(?:根据|按照|依据|为深入|为认真|为切实|近日|今年)")
_SERIES = re.compile(r"^.*?第[\s\u3000]*\d+[\s\u3000]*号[\s\u3000]*")
_COLUMN_TAG = re.compile(r"^([^|｜丨]{1,12})[|｜丨](.+)$")
_SCAN = 20


@dataclass
class TitleFound:
    title: str | None
    lines: list[str]  # the lines after the title (the document proper)
    above: list[str] = field(default_factory=list)  # lines above the title: a site's header block
    preamble_head: str | None = None  # text split off a flattened title line that opens the preamble


def title_like(line: str) -> bool:
    stripped = line.strip()
    if not 4 <= len(stripped) <= 100 or stripped.endswith(_NOT_TITLE_END):
        return False
    if parse_label(stripped) is not None or stripped.startswith(("——", "--", "—")):
        return False
    return bool(_TITLE_WORD.search(stripped))


def clean_title(title: str) -> str:
    title = title.strip(" \u3000")
    tagged = _COLUMN_TAG.match(title)
    if tagged and _TITLE_WORD.search(tagged.group(2)):
        title = tagged.group(2).strip(" \u3000")
    return title


def find_title(lines: list[str]) -> TitleFound:
    """The title among the first lines; lines above it are a header block (dropped by the caller)."""
    for i, line in enumerate(lines[:_SCAN]):
        stripped = line.strip()
        if parse_label(stripped) is not None:
            break
        if len(stripped) > 100 or stripped.endswith(("。", "：", ":")):
            split = _split_flattened(stripped)
            if split is not None:
                title, head = split
                return TitleFound(title=title, lines=lines[i + 1 :], above=lines[:i], preamble_head=head)
            break
        if title_like(stripped):
            title, used = stripped, 1
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if (
                not _TITLE_END.search(title)
                and nxt
                and len(nxt) <= 40
                and _TITLE_END.search(nxt)
                and parse_label(nxt) is None
                and not nxt.endswith(_NOT_TITLE_END)
            ):
                title, used = title + nxt, 2
            return TitleFound(title=clean_title(title), lines=lines[i + used :], above=lines[:i])
    return TitleFound(title=None, lines=lines)


def _split_flattened(line: str) -> tuple[str, str] | None:
    """Title and preamble of a line that holds a whole page: ``…公告 2022年第8号 <title> 根据…``."""
    match = _PROSE_START.search(line, 0, 240)
    if not match:
        return None
    head = line[: match.start()].strip()
    title = _SERIES.sub("", head).strip()
    if not title_like(title):
        return None
    series = head[: len(head) - len(title)].strip()
    rest = line[match.start() :].strip()
    return clean_title(title), (series + " " + rest).strip()
