"""Forms parse and check input; the services decide what happens."""

from __future__ import annotations

import html

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.bulk import BulkValues
from zhenggai.ledger.lights import LIGHT_LABELS, LIGHTS
from zhenggai.ledger.models import (
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureStatus,
    RoundKind,
)
from zhenggai.ledger.selectors import OPEN_NOT_OVERDUE, LedgerFilters, unit_departments, unit_people
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Organisation, Person
from zhenggai.orgs.pickers import UnitPickerField
from zhenggai.taxonomy.selectors import category_choices

DATE_ERRORS = {
    "invalid": _("Enter the date as year-month-day, for example 2020-07-31."),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    responsible_leader = forms.ModelChoiceField(
        label=_("Responsible leader"), queryset=Person.objects.none(), required=False
    )
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Organisation.objects.none(), required=False
    )
    cooperating_departments = forms.ModelMultipleChoiceField(
        label=_("Cooperating departments"), queryset=Organisation.objects.none(), required=False
    )
    doer = forms.ModelChoiceField(label=_("Person in charge"), queryset=Person.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices, initial=MeasureKind.TIME_BOUND)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Every measure needs a deadline.")},
    )
    # No separate "long term" box: 长期坚持 is one of the three kinds, which exclude one another.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, round_: InspectionRound, measure: Measure | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_path = round_.inspected_unit.path
        # The unit's whole staff, departments and bodies included, as long as they are active; a
        # deactivated person or closed department the measure already names stays choosable on it.
        kept = Q(pk__in=[measure.responsible_leader_id, measure.doer_id]) if measure else Q(pk__in=[])
        people = (
            Person.objects.filter(Q(active=True, organisation__active=True) | kept)
            .filter(organisation__path__startswith=unit_path)
            .select_related("organisation")
        )
        kept_departments = Q(pk__in=[])
        if measure:
            cooperating = measure.cooperating_departments.values("pk")
            kept_departments = Q(pk=measure.lead_department_id) | Q(pk__in=cooperating)
        departments = Organisation.objects.filter(
            Q(active=True) | kept_departments, path__startswith=unit_path
        )
        for name in ("responsible_leader", "doer"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        for name in ("lead_department", "cooperating_departments"):
            self.fields[name].queryset = departments  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        return {
            "text": measure.text,
            "responsible_leader": measure.responsible_leader_id,
            "lead_department": measure.lead_department_id,
            "cooperating_departments": [d.pk for d in measure.cooperating_departments.all()],
            "doer": measure.doer_id,
            "kind": measure.kind,
            "deadline": measure.deadline,
            "version": measure.version,
        }


def late_reason_field() -> forms.CharField:
    """Why a date typed now is long past (补录); the services decide when it is required."""
    return forms.CharField(
        label=_("Why is this entered only now? (needed when the date is long past)"),
        required=False,
        max_length=2000,
    )


class ProgressForm(forms.Form):
    happened_on = forms.DateField(
        label=_("Date of the work"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the date of the work.")},
    )
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    late_reason = late_reason_field()

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the work cannot be in the future."))
        return value


class TransitionForm(forms.Form):
    """One step of the closing cycle; which fields matter depends on the action."""

    action = forms.ChoiceField(choices=Action.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    completed_on = forms.DateField(
        label=_("Completed on"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    late_reason = late_reason_field()
    follow_up_days = forms.IntegerField(
        label=_("Check again after (days)"), required=False, min_value=1, max_value=3650
    )


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(
        label=_("New deadline"),
        widget=DateInput(),
        error_messages={**DATE_ERRORS, "required": _("Give the new deadline.")},
    )
    reason = forms.CharField(
        label=_("Why more time is needed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "yes", choices=[("yes", _("Approve")), ("no", _("Refuse"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"), error_messages={"required": _("Choose a file to upload.")}
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class QuickSelect(forms.Select):
    """A forms.Select whose options are joined in Python instead of one template rendering each.

    Measured when the office's ledger still listed its 500 units: through the template engine
    ~20 ms a page, this ~3 ms. Same HTML; grouped choices still go through the templates. (Units,
    thousands of them, are now searched instead: orgs.pickers.)
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # not list(choices): a ModelChoiceIterator's len() is a COUNT(*)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        chosen = set(values) if self.allow_multiple_selected else set(values[:1])
        options = []
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            # html.escape on plain strings: conditional_escape costs ~5 times more, 1,000 times a page.
            label_html = label if isinstance(label, SafeData) else html.escape(str(label))
            value_html = html.escape(text)
            options.append(f'<option value="{value_html}"{selected}>{label_html}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(
                self.build_attrs(self.attrs, {**(attrs or {}), "multiple": self.allow_multiple_selected})
            ),
            mark_safe("".join(options)),  # noqa: S308 - each value and label is escaped above
        )


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """QuickSelect for a choice of several: forms.SelectMultiple's HTML and data, options joined in Python."""


class _IdNameChoices(forms.models.ModelChoiceIterator):
    """(id, name) rows straight from the database: no Organisation instance for each of 500 options."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


def _set_choices(field, rows) -> None:
    """A model choice field's options from (id, name) rows read already, its empty option first:
    what its queryset would list, without reading it again."""
    field.choices = [("", field.empty_label), *rows] if field.empty_label is not None else list(rows)


class OrganisationChoiceField(forms.ModelChoiceField):
    """Choose an organisation by name (what Organisation.__str__ shows), listed without instances."""

    iterator = _IdNameChoices


class CategoryChoiceField(forms.ChoiceField):
    """A top-level category, or one of its dotted sub-categories ("conduct.eight_rules")."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or (
            "." in str(value) and super().valid_value(str(value).split(".", 1)[0])
        )


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            ("open", _("Not done yet")),
            ("done", _("Done (any stage)")),
            (OPEN_NOT_OVERDUE, _("Not done, not overdue")),
            *MeasureStatus.choices,
        ],
        widget=QuickSelect,
    )
    light = forms.ChoiceField(
        label=_("Light"),
        required=False,
        choices=[("", _("All lights"))] + [(k, LIGHT_LABELS[k]) for k in LIGHTS],
        widget=QuickSelect,
    )
    category = CategoryChoiceField(
        label=_("Category"),
        required=False,
        # The taxonomy's active categories, read when the form is made (the office edits them).
        choices=lambda: [("", _("All categories")), *category_choices()],
        widget=QuickSelect,
    )
    department = OrganisationChoiceField(
        label=_("Department"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All departments"),
        widget=QuickSelect,
    )
    # Thousands of units at a province: a search box, not a <select> (see orgs.pickers).
    unit = UnitPickerField(label=_("Unit"), required=False, scope="ledger", sends=True)
    # What the oversight dashboard's figures select: carried as hidden fields, so that the
    # filters above narrow a figure's rows further instead of dropping what the figure counted.
    round = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100, widget=forms.HiddenInput)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *RoundKind.choices], widget=forms.HiddenInput)
    group = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    long_term = forms.BooleanField(required=False, widget=forms.HiddenInput)
    no_evidence = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, departments, units=None, department_choices=None, **kwargs):
        """`department_choices`: the (id, name) rows of `departments`, when the caller read them."""
        super().__init__(*args, **kwargs)
        if departments is None:
            # Across rounds: no <select> of every department; a department id from a dashboard's
            # figure is still taken (the rows stay those the user may see).
            self.fields["department"] = forms.IntegerField(
                required=False, min_value=1, widget=forms.HiddenInput
            )
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]
            if department_choices is not None:
                _set_choices(self.fields["department"], department_choices)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].units = units  # type: ignore[attr-defined]

    @property
    def unit_unresolved(self) -> bool:
        """Whether a unit was asked for that names none the user may see, or several: no rows then."""
        return "unit" in self.fields and self.is_bound and "unit" in self.errors

    def filters(self) -> LedgerFilters:
        """The selectors' filters this form selects (none when it is unbound or invalid): what the
        ledger page shows and what "all that match the filter" of a bulk assignment takes."""
        if not self.is_bound or not self.is_valid():
            return LedgerFilters()
        data = self.cleaned_data
        department = data.get("department")
        return LedgerFilters(
            status=data["status"],
            light=data["light"],
            department=getattr(department, "pk", department) or None,
            category=data["category"],
            unit=data["unit"].pk if data.get("unit") else None,
            search=data["q"],
            round=data.get("round") or None,
            year=data.get("year") or None,
            kind=data.get("kind") or "",
            group=data.get("group") or None,
            long_term=bool(data.get("long_term")),
            no_evidence=bool(data.get("no_evidence")),
        )

    @property
    def narrowed_by_figure(self) -> bool:
        """Whether a hidden filter (a dashboard figure's) narrows the rows."""
        if not self.is_bound or not self.is_valid():
            return False
        return any(self.cleaned_data.get(name) for name in _FIGURE_FIELDS) or (
            "department" in self.fields
            and isinstance(self.fields["department"], forms.IntegerField)
            and bool(self.cleaned_data.get("department"))
        )


_FIGURE_FIELDS = ("round", "year", "kind", "group", "long_term", "no_evidence")


class PersonChoiceField(forms.ModelChoiceField):
    """A person, named with their organisation: two 王芳 in one unit are told apart."""

    def label_from_instance(self, obj) -> str:
        return f"{obj} · {obj.organisation.name}"


class _IdVersionList(forms.Field):
    """Selected measures as "id" or "id:version" strings, given as repeated hidden inputs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> dict[int, int | None]:
        chosen: dict[int, int | None] = {}
        for item in value or []:
            pk, _sep, version = str(item).partition(":")
            if not pk.isdigit() or (version and not version.isdigit()):
                raise forms.ValidationError(_("The selection could not be read. Select the measures again."))
            chosen[int(pk)] = int(version) if version else None
        return chosen


def _unchanged_or(field_class, label, model) -> forms.ModelChoiceField:
    """A choice whose empty option leaves the field as it is (its choices are set per round)."""
    return field_class(
        label=label,
        queryset=model.objects.none(),
        required=False,
        empty_label=_("(unchanged)"),
        widget=QuickSelect,
    )


class BulkAssignForm(forms.Form):
    """Set responsibilities, deadline and kind on many measures; an empty field is left as it is."""

    responsible_leader = _unchanged_or(PersonChoiceField, _("Responsible leader"), Person)
    lead_department = _unchanged_or(OrganisationChoiceField, _("Lead department"), Organisation)
    cooperating_departments = forms.ModelMultipleChoiceField(
        label=_("Cooperating departments"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=QuickSelectMultiple,
        help_text=_("Replaces the cooperating departments; none chosen leaves them as they are."),
    )
    doer = _unchanged_or(PersonChoiceField, _("Person in charge"), Person)
    deadline = forms.DateField(
        label=_("Deadline"), widget=DateInput(), required=False, error_messages=DATE_ERRORS
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("(unchanged)")), *MeasureKind.choices],
        widget=QuickSelect,
    )
    measure = _IdVersionList(required=False)
    all_matching = forms.BooleanField(label=_("All measures that match the filter"), required=False)
    filter = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    VALUE_FIELDS = (
        "responsible_leader",
        "lead_department",
        "cooperating_departments",
        "doer",
        "deadline",
        "kind",
    )

    def __init__(self, *args, people, departments, department_choices=None, **kwargs):
        """`department_choices`: the (id, name) rows of `departments`, when the caller read them."""
        super().__init__(*args, **kwargs)
        for name in ("responsible_leader", "doer"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        for name in ("lead_department", "cooperating_departments"):
            self.fields[name].queryset = departments  # type: ignore[attr-defined]
        if department_choices is not None:
            _set_choices(self.fields["lead_department"], department_choices)
        # Each list is read once and shown by both of its fields (one query each, not two).
        # (Iterated, not list(): list() would ask the iterator's len(), a COUNT query of its own.)
        people_choices = [choice for choice in self.fields["doer"].choices]  # type: ignore[attr-defined]
        department_choices = [choice for choice in self.fields["lead_department"].choices]  # type: ignore[attr-defined]
        for name in ("responsible_leader", "doer"):
            self.fields[name].choices = people_choices  # type: ignore[attr-defined]
        self.fields["lead_department"].choices = department_choices  # type: ignore[attr-defined]
        self.fields["cooperating_departments"].choices = [  # type: ignore[attr-defined]
            choice for choice in department_choices if choice[0] != ""
        ]

    @classmethod
    def for_round(cls, round_: InspectionRound, data=None, department_rows=None) -> BulkAssignForm:
        """The form of a round's ledger: the inspected unit's whole staff and its departments.
        `department_rows`: the (id, name) rows of the unit and its departments in tree order, when
        the caller read them already (the ledger's filter does)."""
        unit_id = round_.inspected_unit_id
        return cls(
            data,
            people=unit_people(round_),
            departments=unit_departments(round_),
            department_choices=None
            if department_rows is None
            else [row for row in department_rows if row[0] != unit_id],
        )

    def clean(self):
        data = super().clean()
        if not data.get("measure") and not data.get("all_matching"):
            raise forms.ValidationError(_("Select at least one measure, or all that match the filter."))
        if not any(data.get(name) for name in self.VALUE_FIELDS):
            raise forms.ValidationError(_("Choose at least one thing to change."))
        return data

    def values(self) -> BulkValues:
        data = self.cleaned_data
        cooperating = data.get("cooperating_departments")
        return BulkValues(
            responsible_leader=data.get("responsible_leader"),
            lead_department=data.get("lead_department"),
            cooperating_departments=tuple(cooperating) if cooperating else None,
            doer=data.get("doer"),
            deadline=data.get("deadline"),
            kind=data.get("kind") or "",
        )

    def hidden_values(self) -> list[tuple[str, str]]:
        """The chosen values as (name, value) pairs, carried by the preview's confirmation form."""
        pairs: list[tuple[str, str]] = []
        for name in self.VALUE_FIELDS:
            for value in self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]:
                if value:
                    pairs.append((name, str(value)))
        return pairs
