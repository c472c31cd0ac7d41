from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.signals.models import SignalKey


class DismissForm(forms.Form):
    key = forms.ChoiceField(choices=SignalKey.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this signal needs no action (kept in the history)."),
    )
