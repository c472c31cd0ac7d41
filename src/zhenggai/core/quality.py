"""Two failures of rectification plans that inspection offices name again and again, told apart
from the text of a measure (整改措施) alone:

* **喊口号** (slogans): a measure that only declares an attitude, "进一步加强…，切实提高…", with
  nothing that could be checked afterwards: no document to be written, no meeting or inspection
  held, no count, no date, nobody named to do it. :func:`slogan_reasons` says why a measure reads
  so, or nothing when it names something concrete.
* **照抄照搬** (copied plans): the same measure, word for word, in the plan of another body or in
  an earlier plan. :func:`fingerprint` reduces a measure to what copying keeps: the unit's own
  name, figures, punctuation and spacing do not count, so a copy whose only change is the name or
  the year has the fingerprint of its source. A copy with a few words changed as well (办公室 for
  党政办, 每月 for 每季度) is a *near copy*: :func:`sketch` gives a measure's MinHash bands, which
  two texts sharing most of their two-character pieces very likely share, and
  :func:`similarity` then measures how much of the two texts is the same.

Both are hints for the people who write and review a plan, not verdicts: a short measure may be
concrete in context, and two bodies may honestly adopt the same wording from a superior's notice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

# Declarations that say how hard one will try, not what one will do.
STOCK_PHRASES = (
    "进一步",
    "切实",
    "不断",
    "持续",
    "加强",
    "加大",
    "提高",
    "提升",
    "增强",
    "强化",
    "深化",
    "深入",
    "认真",
    "扎实",
    "牢固树立",
    "高度重视",
    "充分发挥",
    "确保",
    "推动",
    "推进",
    "全面",
    "坚决",
    "着力",
    "努力",
    "积极",
    "大力",
    "狠抓",
    "营造",
    "筑牢",
    "压实",
    # Promises to keep a rule that exists already, or to do things well, with nothing new in them:
    # 严格落实…制度, 规范…程序, 注重…, 倡导…
    "严格",
    "落实",
    "规范",
    "注重",
    "倡导",
    "及时",
    "按时",
)
_NUMERAL = r"[\d一二三四五六七八九十两百千万]"
_CONCRETE = re.compile(
    "|".join(
        [
            # a count or an amount: 3次, 两名, 12万元, 每季度
            rf"{_NUMERAL}+\s*(?:次|份|项|名|人|个|条|件|场|期|批|元|万元|户|天|日|个月|月|年|周|小时|篇|本|套|处|轮|笔|%|辆|台|家|亩|宗|起|所|座|公里|吨)",
            # a date or a period: 2020年, 7月底, 年底前, 每月, 每季度
            r"\d{4}\s*年|\d{1,2}\s*月|年底|年内|月底|上半年|下半年|季度|每月|每周|每年|每半年|之前|以前|前完成",
            # a named document: 《…》
            r"《[^》]{2,}》",
            # an act with its object: 召开专题会议, 建立台账, 开展专项检查, 约谈相关人员
            r"(?:制定|修订|出台|印发|形成|建立|设立|编制|签订|召开|组织|开展|举办|约谈|谈话|追缴|退还|退回|清退"
            r"|收回|处分|问责|通报|公示|公开|移交|立案|核查|清查|盘点|补录|补签|归档|更换|调整|撤销|关停|拆除|纳入)"
            r"[^，。；,;]{0,20}?"
            r"(?:制度|办法|方案|细则|规定|规则|台账|清单|记录|会议|会|培训|检查|督查|巡查|专项|整治|账目|资金|款项"
            r"|费用|人员|干部|党员|责任人|线索|档案|合同|资产|公开栏|公示栏|专栏|程序|流程|岗位|职责|考核|清查|排查"
            r"|评估|审计|自查|走访|回访|暗访|调查|示范岗|窗口|登记|库|平台|工作组|小组|计划|规划|目录)",
            # a check or a clean-up of things named: 全面排查廉政风险点, 对发包合同进行全面清理
            r"(?:排查|梳理|清理|复核|核查|核实)[^，。；,;]{0,12}?(?:风险点|隐患|合同|项目|款项|资金|资产|档案|材料|事项|问题|账户|APP|app|应用|工作群)"
            r"|对[^，。；,;]{2,20}?(?:进行|开展)[^，。；,;]{0,4}?(?:复核|核查|核实|清查|清理|排查|检查|批评教育|诫勉|约谈|问责|评估|审计|修订|调整)",
            # a named programme started: 实施“强基计划”, 推行“一窗受理”
            r"(?:实施|启动|推行|开展)[^，。；,;]{0,6}?“[^”]{2,16}”",
            # going to the people concerned: 入户走访, 上门回访
            r"入户|上门|走访|回访",
            # somebody named to do it: 由办公室专人负责
            r"(?:由|指定|安排|明确)[^，。；,;]{0,12}?(?:负责|专人|管理|牵头|督促|督办)|专人(?:负责|管理|跟进)",
        ]
    )
)
_SLOGAN_MIN_CHARS = 8  # shorter than this (立行立改) there is nothing to judge
_NOT_TEXT = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
FINGERPRINT_MIN_CHARS = 20  # a shorter measure is too common to call a copy


def stock_phrases(text: str) -> list[str]:
    """The declarations of :data:`STOCK_PHRASES` in ``text``, in order of appearance."""
    text = text.replace("规范化", "")  # 标准化规范化建设 names a standard, not a promise
    found = [(text.find(p), p) for p in STOCK_PHRASES if p in text]
    return [p for _at, p in sorted(found)]


def is_concrete(text: str) -> bool:
    """Whether ``text`` names something that could be checked afterwards."""
    return _CONCRETE.search(unicodedata.normalize("NFKC", text or "")) is not None


def slogan_reasons(text: str) -> tuple[str, ...]:
    """Why ``text`` reads as a slogan (喊口号), in Chinese; empty when it names something concrete,
    is too short to judge, or declares nothing."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if len(_NOT_TEXT.sub("", text)) < _SLOGAN_MIN_CHARS or is_concrete(text):
        return ()
    phrases = stock_phrases(text)
    if not phrases:
        return ()
    shown = "、".join(f"“{p}”" for p in phrases[:3])
    return (
        f"措施多为{shown}一类的表态",
        "没有可检验的内容：要制定的制度或方案、要召开的会议、要开展的检查、数量、完成日期或具体责任人",
    )


def normalise_for_copies(text: str, names: Iterable[str] = ()) -> str:
    """``text`` as copying leaves it: the unit's own ``names`` taken out, figures made alike,
    punctuation, spaces and letter case dropped."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for name in sorted(
        {unicodedata.normalize("NFKC", n).lower() for n in names if n and n.strip()}, key=len, reverse=True
    ):
        text = text.replace(name, "")
    text = _DIGITS.sub("0", text)
    return _NOT_TEXT.sub("", text)


def fingerprint(text: str, names: Iterable[str] = ()) -> str:
    """A key that a copy of ``text`` shares (see :func:`normalise_for_copies`); "" for a measure
    too short to tell a copy from a common phrase."""
    core = normalise_for_copies(text, names)
    if len(core) < FINGERPRINT_MIN_CHARS:
        return ""
    return hashlib.sha256(core.encode("utf-8")).hexdigest()[:32]


# --- Near copies: MinHash over two-character pieces, banded for lookup (LSH) ----------------------

SHINGLE_CHARS = 2  # pairs of characters: the usual unit for Chinese text without word breaks
SKETCH_BANDS, SKETCH_ROWS = 10, 3
NEAR_COPY_SIMILARITY = 0.5  # share of pieces two measures have in common (Jaccard) to call one a copy
_PRIME = (1 << 61) - 1


def _permutations() -> list[tuple[int, int]]:
    """The (a, b) of the hash functions x ↦ (a·x + b) mod p, fixed: stored sketches must stay valid."""
    perms = []
    for i in range(SKETCH_BANDS * SKETCH_ROWS):
        seed = hashlib.blake2b(f"zhenggai-sketch-{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(seed[:8], "big") % (_PRIME - 1) + 1
        b = int.from_bytes(seed[8:], "big") % _PRIME
        perms.append((a, b))
    return perms


_PERMUTATIONS = _permutations()


def shingles(text: str, names: Iterable[str] = ()) -> frozenset[str]:
    """The two-character pieces of ``text`` as copying leaves it (see :func:`normalise_for_copies`);
    empty for a measure too short to tell a copy from a common phrase."""
    core = normalise_for_copies(text, names)
    if len(core) < FINGERPRINT_MIN_CHARS:
        return frozenset()
    return frozenset(core[i : i + SHINGLE_CHARS] for i in range(len(core) - SHINGLE_CHARS + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of two sets of pieces is shared (Jaccard): 1.0 the same, 0.0 nothing in common."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _piece_values(piece: str) -> tuple[int, ...]:
    """The value of one piece under each of the sketch's hash functions."""
    x = int.from_bytes(hashlib.blake2b(piece.encode("utf-8"), digest_size=8).digest(), "big")
    return tuple([(a * x + b) % _PRIME for a, b in _PERMUTATIONS])


def sketch(pieces: frozenset[str], memo: dict[str, tuple[int, ...]] | None = None) -> list[str]:
    """The ``SKETCH_BANDS`` band keys of a text's MinHash (``"3:9f…"``), from its :func:`shingles`.

    Two texts whose similarity is s share at least one band with probability 1 − (1 − s³)¹⁰:
    0.74 at s = 0.5, 0.97 at s = 0.7, 0.01 at s = 0.1 (unrelated measures of one field share
    about 0.05–0.1 of their pairs). A shared band only makes a candidate; :func:`similarity` decides.

    ``memo`` (piece → its hashed values), when given, is filled and reused: the texts of one
    field share most of their two-character pieces, so sketching many at once (an import, a
    migration, the benchmark's fill) hashes each piece once. The bands are the same either way.
    """
    if not pieces:
        return []
    if memo is None:
        memo = {}  # (a text's pieces are distinct: a memo of its own only holds them)
    rows = []
    for p in pieces:
        values = memo.get(p)
        if values is None:
            values = memo[p] = _piece_values(p)
        rows.append(values)
    minima = list(map(min, zip(*rows, strict=True)))
    bands = []
    for band in range(SKETCH_BANDS):
        band_rows = minima[band * SKETCH_ROWS : (band + 1) * SKETCH_ROWS]
        digest = hashlib.blake2b(repr(band_rows).encode(), digest_size=6).hexdigest()
        bands.append(f"{band}:{digest}")
    return bands
