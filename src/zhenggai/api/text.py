"""Text the API accepts: what the databases can store (no NUL, no lone surrogate)."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text cannot contain a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text contains an invalid character.")) from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
