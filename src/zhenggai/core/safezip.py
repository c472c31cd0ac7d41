"""Opening .docx/.xlsx packages safely: zip bombs and XML entity tricks are refused before parsing.

A package is checked from its central directory before anything is decompressed: member count,
each member's declared size, the total, and the compression ratio of large members. Python's
zipfile never yields more bytes than a member declares, so the declared sizes bound the work.
Every XML part's prolog is checked for a DTD (``<!DOCTYPE``/``<!ENTITY``): Office files never
carry one, and a DTD is how entity expansion ("billion laughs") and external entities get in.
The prolog is read in the encoding an XML parser would use (the byte order mark or the first
bytes, as appendix F of the XML specification says, and the encoding the declaration names), so
a DTD written in UTF-16, UTF-32 or UTF-7 is found too; the UTF-16/32 spellings of the two
keywords are looked for in the raw bytes as well, and a part in EBCDIC or in an encoding Python
does not know is refused.

The work of reading is bounded too (:mod:`zhenggai.core.limits`): parts a library reads whole can
be measured (:func:`measure_member`) or streamed (:func:`scan_member`, :func:`text_chunks`) first.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lxml import etree

from zhenggai.core.errors import CorruptFileError, TooLargeError, UnsafeFileError
from zhenggai.core.limits import SPLIT, Budget, ZipLimits

__all__ = [
    "ZipLimits",
    "check_all_xml",
    "check_xml",
    "measure_member",
    "open_package",
    "read_member",
    "scan_member",
    "text_chunks",
]

DEFAULT_LIMITS = ZipLimits()
_TICK = 4096  # elements between two looks at the clock
_PROLOG_BYTES = 64 * 1024
_DTD = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(r"<(?![?!])")
_DECLARED = re.compile(r"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
# The first bytes of a document and the encoding they mean (XML 1.0, appendix F). The UTF-32
# byte order marks come first: FF FE 00 00 starts with the UTF-16 LE mark.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_UNMARKED = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_ODD_UCS4 = (b"\x00\x00<\x00", b"\x00<\x00\x00")  # byte orders 2143 and 3412: no codec reads them
_EBCDIC = b"Lo\xa7\x94"  # <?xm in EBCDIC
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _spelled(word: str, codec: str) -> bytes:
    """A regular expression for ``word`` encoded in ``codec``, letters in either case."""
    parts = []
    for ch in word:
        forms = {ch.upper().encode(codec), ch.lower().encode(codec)}
        parts.append(b"(?:" + b"|".join(re.escape(f) for f in sorted(forms)) + b")")
    return b"".join(parts)


_WIDE_DTD = re.compile(
    b"|".join(_spelled(word, codec) for word in ("<!DOCTYPE", "<!ENTITY") for codec in _WIDE)
)


def open_package(data: bytes, *, kind: str, limits: ZipLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """A checked ``ZipFile`` over ``data``; ``kind`` names the format in messages (``Word 文档``)."""
    broken = f"文件已损坏，无法读取（不是有效的 {kind}）"
    if not data.startswith(b"PK"):
        raise CorruptFileError(broken, detail="no zip signature")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise CorruptFileError(broken, detail=repr(exc)) from exc
    if len(infos) > limits.max_members:
        raise UnsafeFileError(f"{kind}内部文件过多（{len(infos)} 个），已拒绝读取")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeFileError(f"{kind}已加密，请先解除密码保护再上传")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorruptFileError(broken, detail=f"compression {info.compress_type}")
        size = info.file_size
        total += size
        if size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise TooLargeError(f"{kind}解压后过大，疑似压缩炸弹，已拒绝读取")
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeFileError(f"{kind}的压缩比异常，疑似压缩炸弹，已拒绝读取")
    return package


@contextmanager
def reading(name: str, *, kind: str) -> Iterator[None]:
    """Turn what reading a member of the package can raise into a Chinese message."""
    try:
        yield
    except KeyError as exc:
        raise CorruptFileError(
            f"文件已损坏，无法读取（不是有效的 {kind}）", detail=f"missing {name}"
        ) from exc
    except etree.XMLSyntaxError as exc:
        if "huge" in str(exc).lower():
            raise TooLargeError(f"{kind}中的单段文字过长，已拒绝读取，{SPLIT}", detail=repr(exc)) from exc
        raise CorruptFileError(
            f"文件已损坏，无法读取（{kind}的 {name} 不是有效的 XML）", detail=repr(exc)
        ) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（{kind}内部数据不完整）", detail=repr(exc)) from exc


def read_member(package: zipfile.ZipFile, name: str, *, kind: str, budget: Budget | None = None) -> bytes:
    """The bytes of one member, with its XML prolog checked when it is XML. With a ``budget``, a
    member larger than its ``part_bytes`` is refused before it is decompressed."""
    if budget is not None:
        check_part_size(package, name, kind=kind, budget=budget)
    with reading(name, kind=kind):
        data = package.read(name)
    if name.endswith((".xml", ".rels")):
        check_xml(data, kind=kind)
    return data


def check_part_size(package: zipfile.ZipFile, name: str, *, kind: str, budget: Budget) -> None:
    """Refuse a part that would be read whole and is larger than the budget allows."""
    try:
        size = package.getinfo(name).file_size
    except KeyError:
        return  # reading it says it is missing
    if size > budget.limits.part_bytes:
        raise TooLargeError(
            f"{kind}内部文件 {name} 过大（{size / 1048576:.1f} MB，上限 "
            f"{budget.limits.part_bytes / 1048576:.0f} MB），已拒绝读取，{SPLIT}"
        )


Visit = Callable[[str, etree._Element], None]
Measure = Callable[[int, int, int], None]  # (elements, characters of text, elements named) so far

_CHUNK = 1 << 20
_TAG = re.compile(r"<[^>]*>")
# What is not text where CDATA sections are: tags, and the brackets around the CDATA's text.
_MARKUP = re.compile(r"<!\[CDATA\[|\]\]>|<[^>]*>")


def text_chunks(package: zipfile.ZipFile, name: str, *, kind: str, budget: Budget) -> Iterator[str]:
    """The text of one XML part, a megabyte at a time, decoded as its first bytes say (XML 1.0,
    appendix F); the clock is looked at between chunks."""
    with reading(name, kind=kind), package.open(name) as stream:
        head = stream.read(_CHUNK)
        codec, mark = xml_encoding(head)
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        chunk = head[mark:]
        while chunk:
            yield decoder.decode(chunk)
            budget.check_time()
            chunk = stream.read(_CHUNK)
        yield decoder.decode(b"", final=True)


def measure_member(
    package: zipfile.ZipFile, name: str, *, kind: str, budget: Budget, element: str, check: Measure
) -> None:
    """Count, at the speed of ``str.count`` and one substitution per megabyte, the elements of one
    XML part, the characters of its text and its elements named ``element``, and hand the running
    totals to ``check``, which raises to stop. No tree is built and nothing is kept.

    For parts whose size is the danger (a table of shared strings a library reads whole). The
    counts are upper bounds: comments and processing instructions count as elements, ``<si`` and
    ``:si`` as elements named ``si`` (a prefixed name is counted at its end tag too), attribute
    values that hold ``>`` as text.
    """
    opening, prefixed = f"<{element}", f":{element}"
    elements = chars = count = 0
    carry = ""
    for chunk in text_chunks(package, name, kind=kind, budget=budget):
        text = carry + chunk
        cut = text.rfind(">") + 1
        if len(text) - cut > _CHUNK:  # a megabyte with no tag end: all of it is text
            cut = len(text)
        part, carry = text[:cut], text[cut:]
        elements += part.count("<") - part.count("</")
        count += part.count(opening) + part.count(prefixed)
        chars += len((_MARKUP if "<![CDATA[" in part else _TAG).sub("", part))
        check(elements, chars, count)
    check(elements, chars + len(carry), count)
    budget.spend_elements(elements, kind=kind)


def scan_member(package: zipfile.ZipFile, name: str, *, kind: str, budget: Budget, visit: Visit) -> None:
    """Stream one XML part through ``visit(local_name, element)`` at each element's end, keeping
    no tree: each element is emptied once visited, so memory stays flat however large the part.

    Every element is counted against the budget and the clock is looked at as the parse goes; a
    part with a DTD never gets here (the prolog checks), and entities are not resolved anyway.
    """
    with reading(name, kind=kind), package.open(name) as stream:
        parse = etree.iterparse(
            stream,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        seen = 0
        for _, element in parse:
            tag = element.tag
            visit(tag.rpartition("}")[2] if isinstance(tag, str) else "", element)
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
            seen += 1
            if seen % _TICK == 0:
                budget.spend_elements(_TICK, kind=kind)
                budget.check_time()
        budget.spend_elements(seen % _TICK, kind=kind)
        budget.check_time()


def check_xml(data: bytes, *, kind: str) -> None:
    """Refuse an XML part whose prolog declares a DTD (entity expansion, external entities)."""
    _check_head(data[:_PROLOG_BYTES], len(data), kind=kind)


def check_all_xml(package: zipfile.ZipFile, *, kind: str) -> None:
    """Check the prolog of every XML part without decompressing more than its first bytes."""
    for info in package.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with reading(info.filename, kind=kind), package.open(info) as stream:
            head = stream.read(_PROLOG_BYTES)
        _check_head(head, info.file_size, kind=kind)


def _check_head(head: bytes, size: int, *, kind: str) -> None:
    """The first bytes of a part of ``size`` bytes: refused when they hold a DTD, or when no root
    element starts within them (the prolog would go on past what was read)."""
    refusal = f"{kind}含有 XML 实体声明（DTD），已拒绝读取"
    if _WIDE_DTD.search(head):
        raise UnsafeFileError(refusal)
    for text in _readings(head, kind=kind):
        root = _ROOT.search(text)
        prolog = text if root is None else text[: root.start()]
        if _DTD.search(prolog) or (root is None and size > len(head)):
            raise UnsafeFileError(refusal)


def xml_encoding(head: bytes) -> tuple[str, int]:
    """The encoding an XML parser reads a document in, from its first bytes, and the length of its
    byte order mark. Documents that start otherwise are UTF-8 or another encoding that writes
    ``<?xml`` as ASCII does, which the declaration names."""
    for mark, codec in _BOMS:
        if head.startswith(mark):
            return codec, len(mark)
    for start, codec in _UNMARKED:
        if head.startswith(start):
            return codec, 0
    return "utf-8", 0


def _readings(head: bytes, *, kind: str) -> list[str]:
    """The text of ``head`` as a parser may read it: in the encoding its first bytes say, and,
    when it starts as ASCII, in the encoding its declaration names too (UTF-7 writes ``<`` as
    ``+ADw-``). An encoding no codec here knows, or EBCDIC, is refused: Office never uses them."""
    unreadable = f"{kind}的 XML 使用了不支持的字符编码，已拒绝读取"
    if head.startswith(_ODD_UCS4) or head.startswith(_EBCDIC):
        raise UnsafeFileError(unreadable)
    codec, mark = xml_encoding(head)
    text = head[mark:].decode(codec, errors="replace")
    declared = _DECLARED.match(text)
    if not declared or mark or codec != "utf-8":
        return [text]
    try:
        name = codecs.lookup(declared.group(1)).name
    except LookupError as exc:
        raise UnsafeFileError(unreadable, detail=declared.group(1)) from exc
    return [text] if name == "utf-8" else [text, head.decode(name, errors="replace")]
