"""The Jinja2 environment of the few hot templates (see TEMPLATES in settings).

Autoescaping is on (Django's Jinja2 backend sets it). The templates hold no text to translate:
their callers pass translated labels in, so `makemessages` needs no Jinja2 support.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.text import add_truncation_text, calculate_truncate_chars_length
from jinja2 import Environment


def truncate_chars(text: str | None, length: int) -> str:
    """Django's `truncatechars`: at most `length` characters, "…" included, without its loop in
    Python over every character. Unlike it, counts combining marks (not found in ledger text)."""
    text = unicodedata.normalize("NFC", text or "")
    if length <= 0:
        return ""
    if len(text) <= length:
        return text
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)], None)


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's backend passes autoescape=True
    env.filters["truncatechars"] = truncate_chars
    return env
