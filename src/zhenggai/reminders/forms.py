"""The office's reminder settings form: it parses and checks; settings_service decides."""

from __future__ import annotations

from django import forms

from zhenggai.reminders.models import EscalationPolicy
from zhenggai.reminders.settings_service import POLICY_FIELDS


class PolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = EscalationPolicy
        fields = POLICY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("green_days", "yellow_days", "red_repeat_days"):
            self.fields[name].max_value = 365  # type: ignore[attr-defined]
            self.fields[name].widget.attrs.update(min=0, max=365)

    def validate_constraints(self, exclude=None):
        """The yellow-after-green rule is checked by the service, with the other refusals."""

    def validate_unique(self):
        """One policy per office: the service reads the office's own, there is nothing to clash."""
