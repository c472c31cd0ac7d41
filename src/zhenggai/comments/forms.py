"""Forms parse and check input; the services decide what happens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.forms import DATE_ERRORS, DateInput


class CallForm(forms.Form):
    invitation = forms.CharField(
        label=_("What the public is asked"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("Comments and suggestions on our rectification are welcome."),
    )
    closes_on = forms.DateField(
        label=_("Open until (optional)"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment or suggestion"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5})
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=40, required=False)
    contact = forms.CharField(
        label=_("How to reach you (optional)"),
        max_length=60,
        required=False,
        help_text=_(
            "Telephone or e-mail, if you want an answer. Only the unit and the inspection office see it."
        ),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(
        label=_("Publish the comment and this answer on the public page"), required=False
    )
