from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.core import classify
from zhenggai.taxonomy.models import CODE_RE, Category, RuleKind
from zhenggai.taxonomy.selectors import category_choices
from zhenggai.taxonomy.services import RuleDraft

# What the page says for each reason a pattern is refused (core/classify.py).
PATTERN_ERRORS = {
    classify.EMPTY: _("Write a pattern."),
    classify.TOO_LONG: _("The pattern is too long (at most %(n)s characters)."),
    classify.SYNTAX: _("This is not a valid regular expression: %(detail)s"),
    classify.UNBOUNDED: _(
        "Unbounded repeats (*, + or {n,}) are not allowed: give a bound, e.g. .{0,20} instead of .*"
    ),
    classify.NESTED_REPEAT: _(
        "A repeated group may hold only characters, not another repeat or alternatives (| inside)."
    ),
    classify.BACKREFERENCE: _("Back-references (\\1, (?P=name)) are not allowed."),
    classify.TOO_MANY_REPEATS: _(
        "The repeats' counts multiplied together exceed %(n)s: use fewer or smaller repeats."
    ),
    classify.MATCHES_EMPTY: _("The pattern matches empty text, so it would match every problem."),
}


def pattern_message(error: classify.PatternError) -> str:
    """The page's words for a refused pattern, in the request's language."""
    return str(PATTERN_ERRORS[error.reason]) % {
        "n": classify.MAX_PATTERN if error.reason == classify.TOO_LONG else classify.MAX_REPEAT_PRODUCT,
        "detail": error.detail,
    }


class CategoryCreateForm(forms.Form):
    parent = forms.ChoiceField(label=_("Under"), required=False)
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[a-z][a-z0-9_]{0,28}$",
        max_length=29,
        help_text=_(
            "Lower-case letters, digits and _; a sub-category's code is its parent's, a dot, and this."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tops = Category.objects.filter(parent__isnull=True).order_by("position", "code")
        self.fields["parent"].choices = [("", _("(top level)")), *((c.code, c.name) for c in tops)]

    def clean_parent(self) -> Category | None:
        code = self.cleaned_data.get("parent") or ""
        return Category.objects.filter(code=code, parent__isnull=True).first() if code else None


class CategoryEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0)
    active = forms.BooleanField(label=_("Active"), required=False)


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    terms = forms.CharField(
        label=_("Terms"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Words: one a line, or separated by 、 or commas. Pattern: one regular expression."),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("Smaller first: the first rule that matches wins."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    apply = forms.BooleanField(label=_("Apply to existing problems"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean(self):
        data = super().clean()
        if data.get("kind") == RuleKind.PATTERN and data.get("terms"):
            error = classify.pattern_error(data["terms"])
            if error is not None:
                self.add_error("terms", pattern_message(error))
        elif data.get("kind") == RuleKind.KEYWORDS and "terms" in data:
            words = classify.keywords(data["terms"])
            if not words:
                self.add_error("terms", _("Give at least one word."))
            elif len(words) > classify.MAX_TERMS:
                self.add_error("terms", _("At most %(n)s words a rule.") % {"n": classify.MAX_TERMS})
        return data

    def draft(self) -> RuleDraft:
        data = self.cleaned_data
        return RuleDraft(
            category=Category.objects.get(code=data["category"]),
            kind=data["kind"],
            terms=data["terms"].strip(),
            priority=data["priority"],
            active=data["active"],
            note=data["note"],
        )


class ProblemCategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    expected = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


__all__ = ["CODE_RE", "CategoryCreateForm", "CategoryEditForm", "ProblemCategoryForm", "RuleForm"]
