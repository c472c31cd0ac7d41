from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.forms import DATE_ERRORS, DateInput

KINDS = [
    ("report", _("Rectification report for publication (整改情况的报告)")),
    ("progress", _("Progress report for the inspection office (整改进展情况报告)")),
    ("ledger", _("Ledger workbook (整改台账 .xlsx)")),
]
FORMATS = [("docx", "Word (.docx)"), ("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=KINDS, initial="report")
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="docx")
    issuer = forms.CharField(label=_("Issued by (署名)"), max_length=100, required=False)
    date = forms.DateField(
        label=_("Date of writing (成文日期)"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    as_of = forms.DateField(
        label=_("Progress as of"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    status_phrases = forms.BooleanField(label=_("Status after each problem"), required=False, initial=True)
    measures = forms.BooleanField(label=_("Measures (整改情况)"), required=False, initial=True)
    responsibility = forms.BooleanField(label=_("Responsible leaders and departments"), required=False)
    redact = forms.BooleanField(label=_("Mask personal data"), required=False, initial=True)
    redact_names = forms.CharField(
        label=_("Names to mask, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    contact_lines = forms.CharField(
        label=_("Where to send comments, one line each (not masked)"),
        help_text=_("For example 联系电话：0451-12345678 or 电子邮箱：xunchaban@example.gov.cn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    problems = forms.MultipleChoiceField(
        label=_("Items"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].choices = [(str(p.pk), f"{p.outline or p.label}{p.title}") for p in problems]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "ledger":
            data["format"] = "xlsx"
        elif data.get("format") == "xlsx":
            data["format"] = "docx"
        return data
