"""Opening .docx/.xlsx packages safely: zip bombs and XML entity tricks are refused before parsing.

A package is checked from its central directory before anything is decompressed: member count,
each member's declared size, the total, and the compression ratio of large members. Python's
zipfile never yields more bytes than a member declares, so the declared sizes bound the work.
Every XML part's prolog is checked for a DTD (``<!DOCTYPE``/``<!ENTITY``): Office files never
carry one, and a DTD is how entity expansion ("billion laughs") and external entities get in.
"""

from __future__ import annotations

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
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(rb"<(?![?!])")


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
    head = data[:_PROLOG_BYTES]
    root = _ROOT.search(head)
    prolog = head if root is None else head[: root.start()]
    if _DTD.search(prolog) or (root is None and len(data) > _PROLOG_BYTES):
        raise UnsafeFileError(f"{kind}含有 XML 实体声明（DTD），已拒绝读取")
    if root is None and _DTD.search(head):
        raise UnsafeFileError(f"{kind}含有 XML 实体声明（DTD），已拒绝读取")


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
        root = _ROOT.search(head)
        prolog = head if root is None else head[: root.start()]
        if _DTD.search(prolog) or (root is None and info.file_size > _PROLOG_BYTES):
            raise UnsafeFileError(f"{kind}含有 XML 实体声明（DTD），已拒绝读取")
