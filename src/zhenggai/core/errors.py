"""Errors raised for bad input documents. Each carries a message a user can read, in Chinese."""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot be read. ``message`` is the Chinese text shown to the user."""

    default_message = "无法读取该文件"

    def __init__(self, message: str | None = None, *, detail: str | None = None) -> None:
        self.message = message or self.default_message
        self.detail = detail  # technical detail for logs, never shown as the user message
        super().__init__(self.message)


class UnsupportedFormatError(DocumentError):
    default_message = "不支持的文件格式：请上传 .txt、.docx、.pdf、.xlsx 或网页（.html、.mht）文件"


class TooLargeError(DocumentError):
    default_message = "文件过大，无法读取"


class CorruptFileError(DocumentError):
    default_message = "文件已损坏，无法读取"


class UnsafeFileError(DocumentError):
    default_message = "文件含有不安全的内容，已拒绝读取"


class EncodingError(DocumentError):
    default_message = "无法识别文件的文字编码：请另存为 UTF-8 或 GB18030 编码的文本文件"
