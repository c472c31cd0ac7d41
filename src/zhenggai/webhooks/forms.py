"""Forms of the webhooks pages: they parse; the services decide (address checks included)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.reminders.models import RobotKind
from zhenggai.webhooks.models import SUBSCRIBABLE


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where Zhenggai posts the events, e.g. https://oa.example.gov.cn/zhenggai/hook"),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(k.value, k.label) for k in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        initial=[k.value for k in SUBSCRIBABLE],
    )


class RobotForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RobotKind.choices)
    webhook_url = forms.URLField(label=_("Webhook address"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        help_text=_("DingTalk's 加签 secret; WeCom has none. Left empty, a secret saved before is kept."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
