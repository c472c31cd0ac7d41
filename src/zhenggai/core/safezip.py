"""Opening .docx/.xlsx packages safely: zip bombs and XML entity tricks are refused before parsing.

A package is checked from its central directory before anything is decompressed: member count,
each member's declared size, the total, and the compression ratio of large members. Python's
zipfile never yields more bytes than a member declares, so the declared sizes bound the work.
Every XML part's prolog is checked for a DTD (``<!DOCTYPE``/``<!ENTITY``): Office files never
carry one, and a DTD is how entity expansion ("billion laughs") and external entities get in.
The prolog is read in the encoding an XML parser would use (the byte order mark or the first
bytes, as appendix F of the XML specification says), so a DTD written in UTF-16 or UTF-32 is
found too; a part in an encoding that does not write ``<!DOCTYPE`` as ASCII does (UTF-7, EBCDIC)
is refused, and the UTF-16/32 spellings of the two keywords are looked for in the raw bytes as well.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from zhenggai.core.errors import CorruptFileError, TooLargeError, UnsafeFileError


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 120.0  # uncompressed / compressed, checked for members above ratio_floor
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()
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


def read_member(package: zipfile.ZipFile, name: str, *, kind: str) -> bytes:
    """The bytes of one member, with its XML prolog checked when it is XML."""
    try:
        data = package.read(name)
    except KeyError as exc:
        raise CorruptFileError(
            f"文件已损坏，无法读取（不是有效的 {kind}）", detail=f"missing {name}"
        ) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptFileError(f"文件已损坏，无法读取（{kind}内部数据不完整）", detail=repr(exc)) from exc
    if name.endswith((".xml", ".rels")):
        check_xml(data, kind=kind)
    return data


def check_xml(data: bytes, *, kind: str) -> None:
    """Refuse an XML part whose prolog declares a DTD (entity expansion, external entities)."""
    _check_head(data[:_PROLOG_BYTES], len(data), kind=kind)


def check_all_xml(package: zipfile.ZipFile, *, kind: str) -> None:
    """Check the prolog of every XML part without decompressing more than its first bytes."""
    for info in package.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with package.open(info) as stream:
                head = stream.read(_PROLOG_BYTES)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise CorruptFileError(f"文件已损坏，无法读取（{kind}内部数据不完整）", detail=repr(exc)) from exc
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
