"""The problem taxonomy (问题分类) of the installation, and the rules that classify problems.

One taxonomy for the installation (the province's), edited by the inspection office's staff. A
category's `code` is what a problem stores (`Problem.category`) and what the pages filter by
(``?category=conduct``): a sub-category's code is its parent's and one more dotted part
(``conduct.eight_rules``), so that a top-level code selects its sub-categories by prefix.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenggai.core.classify import KEYWORDS, PATTERN

# A top-level code, or a top-level code and one more part: lower-case ASCII words.
CODE_RE = r"^[a-z][a-z0-9_]{0,28}(\.[a-z][a-z0-9_]{0,28})?$"
OTHER = "other"  # the category of a problem no rule classifies


class Category(models.Model):
    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(CODE_RE, _("Lower-case letters, digits and _, a dot before a sub-category."))
        ],
    )
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_top(self) -> bool:
        return self.parent_id is None


class RuleKind(models.TextChoices):
    KEYWORDS = KEYWORDS, _("Any of these words")
    PATTERN = PATTERN, _("Regular expression")


class ClassificationRule(models.Model):
    """A rule setting `category` on the problems whose words it matches; the active rules are tried
    by `priority` (then id), the first that matches wins (core/classify.py)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="rules"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind.choices, default=RuleKind.KEYWORDS)
    terms = models.TextField(_("terms"))
    priority = models.PositiveIntegerField(_("priority"), default=0)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("classification rule")
        verbose_name_plural = _("classification rules")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return f"{self.priority} {self.category_id} {self.terms[:30]}"
