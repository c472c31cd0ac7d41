"""Choosing one unit out of thousands: a text box that searches, and the same text resolved on the server.

An inspection office follows thousands of units, too many for a <select>. A picker is a text field
(`UnitPickerField`) whose box asks `orgs:unit_picker` for at most `PICKER_LIMIT` matching units as
the person types (HTMX), and whose typed text — a name, part of one, or an id — the server resolves
when the form is sent, so that it works without JavaScript too.

Every picker is scoped: `SCOPES` names, for each page that has one, the units the user may choose
there, and the search and the resolution only ever look within them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.access import round_scope, units_for_import
from zhenggai.ledger.models import InspectionRound
from zhenggai.orgs.access import get_org_to_manage, move_targets
from zhenggai.orgs.models import Organisation

PICKER_LIMIT = 20  # matches shown as one types; more means "type more of the name"
_ID = re.compile(r"[0-9]{1,18}")  # an id as older links carry it (unit=12)
_ID_AT_END = re.compile(r"^(?:.*?\s)?#([0-9]{1,18})$")  # "第一社区 #123": the id told apart a shared name


def ledger_units(user) -> QuerySet[Organisation, Any]:
    """The units whose rounds the user may see: what the ledger across rounds filters by."""
    return Organisation.objects.filter(
        pk__in=InspectionRound.objects.filter(round_scope(user)).values("inspected_unit")
    )


def _move_targets(user, params) -> QuerySet[Organisation, Any]:
    """Where the unit `params["org"]` may be moved to (a 404 for a unit the user does not manage)."""
    pk = params.get("org", "")
    if not pk.isdigit():
        return Organisation.objects.none()
    return move_targets(user, get_org_to_manage(user, int(pk)))


# The units each picker chooses from, by scope name (the picker endpoint's `scope`), given the
# user and the endpoint's query (the widget's `params`, e.g. the unit being moved).
SCOPES: dict[str, Callable[[Any, Any], QuerySet[Organisation, Any]]] = {
    "ledger": lambda user, _params: ledger_units(user),
    "import": lambda user, _params: units_for_import(user),
    "move": _move_targets,
}


def _matching(units: QuerySet[Organisation, Any], term: str) -> QuerySet[Organisation, Any]:
    """Units whose name or short name contains `term`: the exact name first, then those that start
    with it, then the rest, open units before closed ones, in tree order."""
    rank = Case(
        When(name=term, then=Value(0)),
        When(Q(name__startswith=term) | Q(short_name__startswith=term), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        units.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        .annotate(rank=rank)
        .order_by("rank", "-active", "path")
    )


@dataclass(frozen=True)
class Pick:
    """One unit offered by a picker: its name, where it lies, and the text that chooses it."""

    pk: int
    name: str
    parent: str
    value: str


def _values(units: QuerySet[Organisation, Any], found: list[Organisation]) -> dict[int, str]:
    """The text that names each unit of `found` unambiguously within `units`: its name, or, when
    another unit there has the same name, the name followed by "#id"."""
    shared = set(
        units.filter(name__in={u.name for u in found})
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name", flat=True)
    )
    return {u.pk: f"{u.name} #{u.pk}" if u.name in shared else u.name for u in found}


def unit_picks(units: QuerySet[Organisation, Any], term: str) -> tuple[list[Pick], bool]:
    """At most PICKER_LIMIT units of `units` matching `term`, and whether more match."""
    term = term.strip()
    if not term:
        return [], False
    found = list(_matching(units, term).select_related("parent")[: PICKER_LIMIT + 1])
    more = len(found) > PICKER_LIMIT
    found = found[:PICKER_LIMIT]
    values = _values(units, found)
    picks = [Pick(u.pk, u.name, u.parent.name if u.parent else "", values[u.pk]) for u in found]
    return picks, more


@dataclass(frozen=True)
class Resolution:
    """What a typed text names: one unit, or none (with the candidates when several match)."""

    unit: Organisation | None
    candidates: list[Pick]
    more: bool = False


def resolve_unit(units: QuerySet[Organisation, Any], text: str) -> Resolution:
    """The unit of `units` that `text` names: by id ("123", "name #123"), by its exact name, or
    by the one name (or short name) that contains it. No unit, or several: `unit` is None."""
    text = text.strip()
    by_id = text if _ID.fullmatch(text) else (m.group(1) if (m := _ID_AT_END.match(text)) else "")
    if by_id:
        return Resolution(units.filter(pk=int(by_id)).first(), [])
    exact = list(units.filter(name=text)[:2])
    if len(exact) == 1:
        return Resolution(exact[0], [])
    picks, more = unit_picks(units, text)
    if len(picks) == 1 and not more:
        return Resolution(units.get(pk=picks[0].pk), [])
    return Resolution(None, picks, more)


class UnitPickerInput(forms.TextInput):
    """A search box that lists the matching units below it as one types (app.js). A match chosen
    fills the box; in a filter form (`sends`) it also sends the form, and so does typing that
    leaves one match. Without JavaScript it is a plain text field."""

    input_type = "search"

    def __init__(self, *, scope: str, sends: bool = False, attrs=None):
        super().__init__(attrs)
        self.scope, self.sends = scope, sends
        self.params: dict[str, Any] = {}  # what the scope needs besides the user (SCOPES)

    def render(self, name, value, attrs=None, renderer=None):
        url = reverse("orgs:unit_picker", args=[self.scope]) + "?" + urlencode({**self.params, "field": name})
        final = self.build_attrs(self.attrs, attrs)
        options_id = f"{final.get('id') or name}-options"
        final.update(
            {
                "type": self.input_type,
                "name": name,
                "value": "" if value is None else str(value),
                "autocomplete": "off",
                "placeholder": str(_("Type part of the name")),
                "data-picker": "send" if self.sends else "",
                "aria-controls": options_id,
                "hx-get": url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "hx-push-url": "false",
            }
        )
        return format_html(
            '<span class="picker"><input{}><span class="picker-options" id="{}" aria-live="polite"></span></span>',
            flatatt(final),
            options_id,
        )


class _PickerBoundField(BoundField):
    def value(self):
        """The resolved unit's unambiguous text (its name, where an id was sent), else what was typed."""
        shown = getattr(self.field, "shown", None)
        return shown if shown is not None else super().value()


class UnitPickerField(forms.CharField):
    """One unit, typed by name or id and resolved within `units` (set per form: what the user may
    choose). Cleans to the Organisation or None; a text that names no unit, or several, is an
    error, and `candidates` then holds the units it may have meant."""

    bound_field_class = _PickerBoundField

    def __init__(self, *, scope: str, sends: bool = False, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(widget=UnitPickerInput(scope=scope, sends=sends), **kwargs)
        self.units: QuerySet[Organisation, Any] = Organisation.objects.none()
        self.candidates: list[Pick] = []
        self.more = False
        self.shown: str | None = None

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = resolve_unit(self.units, text)
        self.candidates, self.more = found.candidates, found.more
        if found.unit is None:
            if found.candidates:
                raise forms.ValidationError(
                    _("Several units match “%(text)s”: choose one."), code="ambiguous", params={"text": text}
                )
            raise forms.ValidationError(
                _("No unit you may choose matches “%(text)s”."), code="not_found", params={"text": text}
            )
        self.shown = _values(self.units, [found.unit])[found.unit.pk]
        return found.unit
