"""The Jinja2 environment of the few hot templates (see TEMPLATES in settings).

Autoescaping is on (Django's Jinja2 backend sets it). The templates hold no text to translate:
their callers pass translated labels in, so `makemessages` needs no Jinja2 support. The filters
below are Django's, where Jinja2's own would print something else.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from typing import Any

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils.text import add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language, pgettext
from jinja2 import Environment


@functools.cache
def _truncation(language: str | None) -> str:
    """What Django's `truncatechars` puts for the text it cuts, in `language` (the active one), as
    `add_truncation_text` asks for it: looked up once a process and language, not twice a text."""
    return pgettext("String to return when truncating text", "%(truncated_text)s…")


def truncate_chars(text: str | None, length: int) -> str:
    """Django's `truncatechars`: at most `length` characters, "…" included, without its loop in
    Python over every character. Unlike it, counts combining marks (not found in ledger text)."""
    text = unicodedata.normalize("NFC", text or "")
    if length <= 0:
        return ""
    if len(text) <= length:
        return text
    suffix = _truncation(get_language())
    return add_truncation_text(text[: calculate_truncate_chars_length(length, suffix)], suffix)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A moment in the current time zone, as Django's templates show it (a naive one as it is)."""
    return localtime(moment) if is_aware(moment) else moment


def ymd(value: datetime.date | None) -> str:
    """Django's `|date:"Y-m-d"`: a date, or a moment in the current time zone; "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return value.isoformat()


def ymd_hm(value: datetime.datetime | None) -> str:
    """Django's `|date:"Y-m-d H:i"` of a moment, in the current time zone; "" for none."""
    return "" if value is None else _local(value).strftime("%Y-%m-%d %H:%M")


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's backend passes autoescape=True
    env.filters["truncatechars"] = truncate_chars
    env.filters["ymd"] = ymd
    env.filters["ymd_hm"] = ymd_hm
    env.filters["linebreaksbr"] = linebreaksbr  # escapes, then <br> (Django's SafeString is Markup to Jinja2)
    env.filters["filesizeformat"] = filesizeformat  # "9 字节", as the Django templates print it
    return env
