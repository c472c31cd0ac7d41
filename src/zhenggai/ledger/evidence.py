"""Checks on an uploaded evidence file (佐证材料) before anything is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from zhenggai.ledger.errors import LedgerError

# What the first bytes of each accepted type must be: a renamed .exe is not a PDF.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "ofd": _ZIP,
    "zip": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    size: int
    sha256: str


def check_evidence_upload(name: str, size: int, stream: IO[bytes]) -> CheckedUpload:
    """Refuse a file of the wrong type or size; return its name, size and SHA-256."""
    limit = int(settings.ZHENGGAI["EVIDENCE_MAX_BYTES"])
    allowed = [ext.lower() for ext in settings.ZHENGGAI["EVIDENCE_EXTENSIONS"]]
    clean_name = PurePath(name.replace("\\", "/")).name.strip() or "file"
    extension = clean_name.rsplit(".", 1)[-1].lower() if "." in clean_name else ""
    if extension not in allowed:
        raise LedgerError(
            _("File type “%(ext)s” is not accepted. Accepted types: %(allowed)s.")
            % {"ext": extension or _("none"), "allowed": "、".join(allowed)}
        )
    if size > limit:
        raise LedgerError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise LedgerError(_("The file is empty."))
    stream.seek(0)
    head = stream.read(16)
    signatures = SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise LedgerError(
            _("The file's content is not a “%(ext)s” file. It may be damaged or renamed.")
            % {"ext": extension}
        )
    if extension == "txt" and b"\x00" in head:
        raise LedgerError(
            _("The file's content is not a “%(ext)s” file. It may be damaged or renamed.")
            % {"ext": extension}
        )
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedUpload(name=clean_name[:255], extension=extension, size=size, sha256=digest.hexdigest())
