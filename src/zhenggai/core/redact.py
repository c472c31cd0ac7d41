"""Citizens' personal data in report text, found and masked for the public version.

Found: resident ID numbers (18 digits with a valid birth date, or the old 15), mobile numbers
(``1[3-9]`` and nine digits, ``+86`` allowed), landlines (area code ``0xx``/``0xxx`` with a
separator), bank card numbers (16–19 digits passing the Luhn check, grouped or not, or any 16–19
digits after 卡号/账号/开户…), house addresses (the
number parts after a road or estate name: ``幸福路12号3单元402室``), and the names the user marks.
Masks keep the shape, so a reader sees what kind of data stood there: ``110101********1234``,
``138****5678``, ``0451-***4567``, ``6222 **** **** 1234``, ``幸福路**号*单元***室``, ``张某某``.

Ordinary numbers of a report are left alone: dates (``2020年7月``, ``2020-07-13``), amounts
(``12345.67元``, a number followed by 元/万/亿/%), document numbers (``〔2020〕12号``), counts.
So are the public body's own contact numbers that the caller lists in ``keep`` (the telephone a
report gives for comments): wherever they appear, however they are written.

:func:`redact_ledger` masks every text of a ``zhenggai.ledger/1`` dict and lists what it masked,
with the place and context, for the preview shown before publishing.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KINDS = {
    "id": "身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
    "bank": "银行卡号",
    "address": "住址门牌",
    "name": "姓名",
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Not a personal number when an amount or a percentage follows, or a decimal part.
_NOT_AMOUNT = r"(?![\d.．,，]\d)(?!\s*(?:元|万|亿|%|％|美元|千元))"

_ID18 = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
    + _NOT_AMOUNT
)
_ID15 = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dA-Za-z])" + _NOT_AMOUNT
)
_BANK = re.compile(
    r"(?<![\dA-Za-z.．])\d{4}(?:[ \-]?\d{4}){2,3}(?:[ \-]?\d{1,3})?(?![\dA-Za-z])" + _NOT_AMOUNT
)
_MOBILE = re.compile(
    r"(?<![\dA-Za-z.．])((?:\+|＋)?86[\s\-]?)?(1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4})(?![\dA-Za-z])" + _NOT_AMOUNT
)
_LANDLINE = re.compile(
    r"(?<![\dA-Za-z\-－.．])(?:[（(]0\d{2,3}[）)]\s?|0\d{2,3}[\-－—\s])\d{7,8}(?:[\-－转]\d{1,5})?(?![\dA-Za-z])"
    + _NOT_AMOUNT
)
_PLACE = r"[\u4e00-\u9fffA-Za-z]{1,8}?(?:大街|大道|胡同|小区|花园|家园|公寓|大厦|广场|新村|社区|路|街|巷|弄|里|村|屯|苑|园|庄)"
_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|层|楼|室)"
_ADDRESS = re.compile(
    rf"(?P<place>{_PLACE})(?P<number>(?:\d+{_UNIT})+(?:(?<=单元)\d+|(?<=[层楼])\d+)?|\d{{1,3}}[\-－]\d{{1,2}}[\-－]\d{{1,4}}(?:{_UNIT})?)"
    r"(?![\d年月日%％元文令])"
)
# Without a road: 3栋2单元401室, 12号楼3单元
_ADDRESS_BARE = re.compile(
    r"(?<![\d〕\]）)])\d+(?:号楼|号院|栋|幢|座)\d+(?:单元|层|楼)(?:\d+(?:室|号|户))?(?![\d年月日])"
)
_ACCOUNT_WORDS = re.compile(r"卡号|账号|帐号|账户|帐户|银行卡|存折|开户")
_HOUSE_UNITS = re.compile(r"号|室|单元|栋|幢")
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "呼延",
    "轩辕",
)


@dataclass(frozen=True)
class Span:
    """One piece of personal data in a text: ``text`` is ``source[start:end]``."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        return mask(self.kind, self.text)

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)


# ---- masks ----------------------------------------------------------------------------------------
def mask(kind: str, text: str) -> str:
    """The masked form of ``text`` found as ``kind``."""
    if kind == "id":
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if kind == "bank":
        digits = re.sub(r"\D", "", text)
        return f"{digits[:4]} **** **** {digits[-4:]}"
    if kind == "mobile":
        found = _MOBILE.fullmatch(text)
        prefix, core = (found.group(1) or "", found.group(2)) if found else ("", text)
        return prefix + _mask_digits(core, keep_first=3, keep_last=4)
    if kind == "landline":
        head = re.match(r"[（(]?0\d{2,3}[）)]?[\-－—\s]?", text)
        cut = head.end() if head else 0
        rest = text[cut:]
        ext = re.search(r"[\-－转]", rest)
        local, tail = (rest[: ext.start()], rest[ext.start() :]) if ext else (rest, "")
        return text[:cut] + _mask_digits(local, keep_first=0, keep_last=4) + tail
    if kind == "address":
        return re.sub(r"\d", "*", text)
    if kind == "name":
        surname = next((s for s in _COMPOUND_SURNAMES if text.startswith(s) and len(text) > len(s)), text[:1])
        return surname + "某" * max(1, len(text) - len(surname))
    return "*" * len(text)


def _mask_digits(text: str, *, keep_first: int, keep_last: int) -> str:
    """Digits replaced by ``*`` except the first and last ones asked for; separators kept."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    hidden = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def id_check_digit(first17: str) -> str:
    """The check character of a resident ID number (GB 11643) from its first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _valid_birth(text: str, at: int, century: bool) -> bool:
    try:
        if century:
            datetime.date(int(text[at : at + 4]), int(text[at + 4 : at + 6]), int(text[at + 6 : at + 8]))
        else:
            datetime.date(
                1900 + int(text[at : at + 2]), int(text[at + 2 : at + 4]), int(text[at + 4 : at + 6])
            )
    except ValueError:
        return False
    return True


# ---- finding ------------------------------------------------------------------------------------
def public_numbers(lines: Iterable[str]) -> frozenset[str]:
    """The digits of each telephone, mobile or account number in ``lines``: numbers to keep."""
    found = (span for line in lines for span in find_personal_data(line) if span.kind in _NUMBER_KINDS)
    return frozenset(_digits(span.text) for span in found)


_NUMBER_KINDS = frozenset({"mobile", "landline", "bank", "id"})


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_kept(number: str, kept: frozenset[str]) -> bool:
    """One of the kept numbers, written with or without its area code or +86."""
    digits = _digits(number)
    return any(digits.endswith(k) or k.endswith(digits) for k in kept if min(len(k), len(digits)) >= 7)


def find_personal_data(
    text: str, extra_names: Iterable[str] = (), keep: frozenset[str] = frozenset()
) -> list[Span]:
    """The personal data in ``text``, in order, not overlapping; numbers in ``keep`` (see
    :func:`public_numbers`) are not personal data."""
    if not text:
        return []
    taken: list[Span] = []

    def take(kind: str, start: int, end: int) -> None:
        if any(start < s.end and s.start < end for s in taken):
            return
        if keep and kind in _NUMBER_KINDS and _is_kept(text[start:end], keep):
            # Still taken up, so that no shorter pattern finds a piece of it.
            taken.append(Span("kept", start, end, text[start:end]))
            return
        taken.append(Span(kind, start, end, text[start:end]))

    has_digit = any(ch.isdigit() for ch in text)
    if has_digit:
        for found in _ID18.finditer(text):
            value = found.group(0)
            if not _valid_birth(value, 6, True):
                continue
            # A Luhn-valid card number that merely looks like an ID (wrong check digit) is a card.
            checked = id_check_digit(value[:17]) == value[17].upper()
            take("id" if checked or not luhn_valid(value) else "bank", found.start(), found.end())
        for found in _ID15.finditer(text):
            if _valid_birth(found.group(0), 6, False):
                take("id", found.start(), found.end())
        for found in _BANK.finditer(text):
            digits = re.sub(r"\D", "", found.group(0))
            # Card numbers pass the Luhn check; an account number that does not is taken only where
            # the text says it is one, so that index numbers and codes of 18 digits stay.
            if 16 <= len(digits) <= 19 and (
                luhn_valid(digits) or _ACCOUNT_WORDS.search(text, max(0, found.start() - 12), found.start())
            ):
                take("bank", found.start(), found.end())
        for found in _MOBILE.finditer(text):
            take("mobile", found.start(), found.end())
        for found in _LANDLINE.finditer(text):
            take("landline", found.start(), found.end())
        for found in _ADDRESS.finditer(text):
            number = found.group("number")
            if _HOUSE_UNITS.search(number) or "-" in number or "－" in number:
                # The road or estate name stays readable; the house numbers after it are masked.
                take("address", found.start("number"), found.end())
        for found in _ADDRESS_BARE.finditer(text):
            take("address", found.start(), found.end())
    for name in sorted({n.strip() for n in extra_names if n and n.strip()}, key=len, reverse=True):
        start = text.find(name)
        while start >= 0:
            take("name", start, start + len(name))
            start = text.find(name, start + len(name))
    return sorted((s for s in taken if s.kind != "kept"), key=lambda s: s.start)


def redact_text(text: str, extra_names: Iterable[str] = (), keep: frozenset[str] = frozenset()) -> str:
    """``text`` with its personal data masked."""
    return _redact(text, find_personal_data(text, extra_names, keep))[0]


def _redact(text: str, spans: list[Span]) -> tuple[str, list[tuple[int, int]]]:
    """The masked text, and where each span's mask stands in it."""
    out, places, pos, length = [], [], 0, 0
    for span in spans:
        out.append(text[pos : span.start])
        length += span.start - pos
        masked = span.masked
        places.append((length, length + len(masked)))
        out.append(masked)
        length += len(masked)
        pos = span.end
    out.append(text[pos:])
    return "".join(out), places


# ---- ledgers ------------------------------------------------------------------------------------
# Keys whose values are codes, dates or numbering, never free text.
_SKIP_KEYS = frozenset(
    {"schema", "label", "status", "deadline", "feedback_date", "on_site_start", "on_site_end", "kind"}
)


def redact_ledger(
    ledger: dict[str, Any], extra_names: Iterable[str] = (), keep: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A copy of ``ledger`` with every text masked (but the numbers in ``keep``), and the findings
    for the preview.

    Each finding: ``where`` (the key path, e.g. ``sections[0].children[2].problem``), ``cite``
    (the item's numbering, e.g. ``一、1.（3）``, empty outside the items), ``field``, ``kind`` and its
    Chinese ``kind_label``, ``text`` (as found), ``masked`` and ``context`` (the found text with up
    to 15 characters either side, masked).
    """
    names = [n for n in extra_names if n and n.strip()]
    result = copy.deepcopy(ledger)
    findings: list[dict[str, Any]] = []
    _walk(result, "", "", (names, keep), findings)
    return result, findings


def _walk(
    value: Any,
    where: str,
    cite: str,
    wanted: tuple[list[str], frozenset[str]],
    findings: list[dict[str, Any]],
) -> Any:
    if isinstance(value, dict):
        if "label" in value and isinstance(value.get("label"), str) and where.startswith("sections"):
            cite = cite + value["label"] if "measures" in value or "children" in value else cite
        for key in list(value):
            if key in _SKIP_KEYS:
                continue
            value[key] = _walk(value[key], f"{where}.{key}" if where else key, cite, wanted, findings)
        return value
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _walk(item, f"{where}[{i}]", cite, wanted, findings)
        return value
    if isinstance(value, str):
        spans = find_personal_data(value, *wanted)
        if not spans:
            return value
        redacted, places = _redact(value, spans)
        for span, (start, end) in zip(spans, places, strict=True):
            findings.append(
                {
                    "where": where,
                    "cite": cite,
                    "field": where.rsplit(".", 1)[-1].split("[")[0],
                    "kind": span.kind,
                    "kind_label": span.label,
                    "text": span.text,
                    "masked": span.masked,
                    # Cut from the masked text, so that no other finding shows through.
                    "context": redacted[max(0, start - 15) : end + 15],
                }
            )
        return redacted
    return value
