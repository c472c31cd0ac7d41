from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.forms import DATE_ERRORS, DateInput
from zhenggai.ledger.models import InspectionRound, RoundKind
from zhenggai.orgs.models import Organisation
from zhenggai.orgs.pickers import UnitPickerField


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Report or ledger file"),
        help_text=_("Word (.docx), PDF, Excel (.xlsx) or text (.txt), at most 20 MB."),
        error_messages={"required": _("Choose a file to upload.")},
    )
    update_round = forms.ModelChoiceField(
        label=_("Update an existing round"),
        queryset=InspectionRound.objects.none(),
        required=False,
        empty_label=_("No: import as a new round"),
        help_text=_(
            "For the workbook exported from a round and edited: its rows are matched by numbering and "
            "the differences shown before anything changes."
        ),
    )
    # Required for a new round only; a round that is updated keeps its own. An office imports for
    # any of thousands of units: searched by name, not listed (orgs.pickers).
    inspected_unit = UnitPickerField(label=_("Inspected unit"), required=False, scope="import")
    office = forms.ModelChoiceField(
        label=_("Inspection office"), queryset=Organisation.objects.none(), required=False
    )
    inspecting_group = forms.ModelChoiceField(
        label=_("Inspecting group"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Left empty, it is taken from the document where it names the group."),
    )

    def __init__(self, *args, units, offices, groups, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update_round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["inspected_unit"].units = units  # type: ignore[attr-defined]
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["inspecting_group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if not data.get("update_round"):
            for name in ("inspected_unit", "office"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data


class NodeEditForm(forms.Form):
    path = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    operation = forms.CharField()
    label = forms.CharField(label=_("Label"), required=False, max_length=20)
    title = forms.CharField(label=_("Heading"), required=False, max_length=2000)
    problem = forms.CharField(
        label=_("Problem found"), required=False, widget=forms.Textarea, max_length=20000
    )
    measures = forms.CharField(
        label=_("Measures, one per line"), required=False, widget=forms.Textarea, max_length=50000
    )

    def edit_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "label": data["label"],
            "title": data["title"],
            "problem": data["problem"],
            "measures": [line for line in data["measures"].splitlines() if line.strip()],
        }


class RoundInfoForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    feedback_date = forms.DateField(
        label=_("Feedback date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
