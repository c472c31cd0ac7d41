from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.forms import DATE_ERRORS, DateInput
from zhenggai.ledger.models import RoundKind
from zhenggai.reports.exporters import EXPORTERS
from zhenggai.reports.models import ReportKind

KINDS = [
    ("report", _("Rectification report for publication (整改情况的报告)")),
    ("progress", _("Progress report for the inspection office (整改进展情况报告)")),
    ("ledger", _("Ledger (整改台账)")),
]
FORMATS = [
    ("", _("As usual for the document (Word; Excel for the ledger)")),
    ("docx", "Word (.docx)"),
    ("pdf", "PDF"),
    ("txt", _("Plain text (.txt)")),
    ("xlsx", "Excel (.xlsx)"),
]
FORMAT_NAMES = {"docx": "Word", "pdf": "PDF", "txt": _("plain text"), "xlsx": "Excel"}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=KINDS, initial="report")
    format = forms.ChoiceField(
        label=_("Format"),
        choices=FORMATS,
        required=False,
        help_text=_(
            "Every document in every format. Excel: the public report's data masked as the report "
            "is, the ledger as the progress report counts it on its date. Word and PDF of the ledger: "
            "its table on landscape pages."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the usual title, such as 关于巡察整改进展情况的报告"),
    )
    addressee = forms.CharField(
        label=_("Addressed to (主送机关)"),
        max_length=200,
        required=False,
        help_text=_(
            "A progress report (empty: to the round's inspection office) lists the changes since "
            "the last report issued to the same recipient."
        ),
    )
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
    copy_to = forms.CharField(
        label=_("Copies to (抄送), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    printer = forms.CharField(label=_("Printed by (印发机关)"), max_length=100, required=False)
    printed = forms.DateField(
        label=_("Printing date (印发日期)"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    problems = forms.MultipleChoiceField(
        label=_("Items"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].choices = [(str(p.pk), f"{p.outline or p.label}{p.title}") for p in problems]

    def clean(self):
        """The format is one the chosen document is written in: empty takes its usual one. Every
        document is written in every format today; a format one could not write would be refused
        here with the formats it has (never a file of another format than asked)."""
        data = super().clean()
        kind = data.get("kind")
        if kind not in EXPORTERS:
            return data
        formats = EXPORTERS[kind].formats
        if not data.get("format"):
            data["format"] = formats[0]
        elif data["format"] not in formats:
            names = "、".join(str(FORMAT_NAMES[f]) for f in formats)
            self.add_error(
                "format",
                _("%(document)s is written as %(formats)s only.")
                % {"document": dict(KINDS)[kind], "formats": names},
            )
        return data


class DraftCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    recipient = forms.CharField(
        label=_("Addressed to (主送机关)"),
        max_length=100,
        required=False,
        help_text=_("A progress report: empty is the round's inspection office."),
    )


class DraftForm(forms.Form):
    """The wording of a draft; `version` is the one the user saw (a stale form is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    recipient = forms.CharField(label=_("Addressed to (主送机关)"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by (署名)"), max_length=100, required=False)
    opening = forms.CharField(
        label=_("Opening"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: the round's preamble, or one written from the round."),
    )
    closing = forms.CharField(
        label=_("Closing"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: the standard closing."),
    )
    redact_names = forms.CharField(
        label=_("Names to mask, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    contact_lines = forms.CharField(
        label=_("Where to send comments, one line each (not masked)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class VersionForm(forms.Form):
    """A step (sign-off, issue) on the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicListForm(forms.Form):
    """The public list's filters, from the query string. A field that does not parse is ignored,
    the others still apply."""

    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    office = forms.CharField(label=_("Inspection office"), required=False, max_length=200)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of inspection"), required=False, choices=[("", "—"), *RoundKind.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2999)
