"""Text and ids the API accepts: what the databases can store (no NUL, no lone surrogate, no id\nbeyond a bigint)."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text cannot contain a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text contains an invalid character.")) from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
# A record's id, as the databases' bigint columns hold it (a larger number would fail in the SQL).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
