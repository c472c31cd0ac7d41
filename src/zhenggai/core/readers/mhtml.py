"""A web page saved as one file with its images (``.mht``/``.mhtml``, "网页，单个文件" in a browser):
a MIME message whose HTML part is the page, read as a saved page is (core.readers.html)."""

from __future__ import annotations

from zhenggai.core.errors import DocumentError, EncodingError
from zhenggai.core.limits import Budget
from zhenggai.core.readers import Extracted
from zhenggai.core.readers.text import read_text

NO_PAGE = "该网页文件（.mht/.mhtml）中没有网页正文，无法读取：请在浏览器中打开后另存为 .html 或复制正文为 .txt 后上传"


def read_mhtml(data: bytes, *, budget: Budget | None = None) -> Extracted:
    """The text of the page an MHTML file holds (its first text/html part, else its first text part)."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [part for part in message.walk() if not part.is_multipart()]
    page = next((p for p in parts if p.get_content_type() == "text/html"), None) or next(
        (p for p in parts if p.get_content_maintype() == "text"), None
    )
    if page is None:
        raise DocumentError(NO_PAGE)
    payload = page.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise DocumentError(NO_PAGE)
    charset = page.get_content_charset()
    if charset:
        try:
            payload = payload.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # a charset named wrongly: the text reader's own decoding decides
    try:
        return read_text(payload, budget=budget)
    except EncodingError as exc:  # (the only error the decoding raises)
        raise DocumentError(NO_PAGE) from exc
