"""Forms parse and check input; the services decide what happens."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from zhenggai.receipts.models import Satisfaction


class BatchForm(forms.Form):
    """What the unit prints on its slips."""

    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        help_text=_("For example: receipt for the leaflet on the campaign against organised crime"),
    )
    statement = forms.CharField(
        label=_("What the resident confirms"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In the resident's words, for example: I have received the leaflet."),
    )
    count = forms.IntegerField(label=_("Number of slips"), min_value=1)
    asks_satisfaction = forms.BooleanField(label=_("Ask how satisfied the resident is"), required=False)

    def __init__(self, *args, max_slips: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["count"].widget.attrs["max"] = max_slips
        self.fields["count"].validators.append(MaxValueValidator(max_slips))


class ConfirmForm(forms.Form):
    """The resident's answer on the slip's page."""

    confirm = forms.BooleanField(
        label=_("I confirm this myself"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    household = forms.CharField(label=_("Household or address (optional)"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("Telephone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only the inspection office sees it, to ring a few residents back."),
        validators=[
            RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a telephone number: digits, spaces, + and - only."))
        ],
    )
    comment = forms.CharField(
        label=_("Your opinion or suggestion (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, asks_satisfaction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if asks_satisfaction:
            self.fields["satisfaction"].required = True
            self.fields["satisfaction"].error_messages["required"] = _("Say how satisfied you are.")
        else:
            del self.fields["satisfaction"]
