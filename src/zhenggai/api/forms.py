from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.api.models import TokenScope
from zhenggai.api.tokens import MAX_DAYS

DAYS_CHOICES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (MAX_DAYS, _("One year"))]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 报表脚本")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.TypedChoiceField(label=_("Valid for"), choices=DAYS_CHOICES, coerce=int, initial=90)
