"""Organisations (a tree), the people in them, and who may log in with which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from zhenggai.core.writers.xlsx_ledger import column_problems


class OrgKind(models.TextChoices):
    INSPECTION_OFFICE = "inspection_office", _("Inspection office")  # 巡察办 / 巡视办
    INSPECTION_GROUP = "inspection_group", _("Inspection group")  # 巡察组
    UNIT = "unit", _("Inspected unit")  # 被巡察单位, e.g. 社区党工委
    DEPARTMENT = "department", _("Department")  # 内设部门
    SUBUNIT = "subunit", _("Subordinate body")  # 下属单位, e.g. 居委会
    OTHER = "other", _("Other")


def validate_ledger_columns(value) -> None:
    """An office's order of the ledger workbook's columns: known keys, each once, the required ones
    there (`zhenggai.core.writers.xlsx_ledger.column_problems`); empty: the default order."""
    if value in (None, []):
        return
    problems = column_problems(value)
    if problems:
        raise ValidationError("；".join(problems))


class Organisation(models.Model):
    """A node of the organisation tree.

    The tree is kept as a materialised path (`path`: the ancestors' ids, each zero-padded, then
    this node's), so "everything under X" is one indexed prefix query on SQLite and PostgreSQL.
    """

    PATH_STEP = 10

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Never deleted once it has history: a closed department or unit is deactivated instead,
    # leaves the choice lists and stays on the records that name it.
    active = models.BooleanField(_("active"), default=True)
    # An inspection office's order of the 整改台账 workbook's columns, as column keys (序号 `seq`,
    # 责任领导 `owner`, 配合部门 `partners`, 具体责任人 `doer`…); empty: the default order. The
    # ledgers of the rounds it follows are written in it (its units' exports included).
    ledger_columns = models.JSONField(
        _("ledger workbook columns"),
        default=list,
        blank=True,
        validators=[validate_ledger_columns],
        help_text=_(
            "The columns of the ledger workbook in this office's order, as keys: seq, problem, "
            "measure, owner, department, partners, doer, deadline, progress, status, evidence. "
            "Empty: the default order."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // self.PATH_STEP


def under(path: str, field: str = "path") -> models.Q:
    """The organisations at `path` and everything under it, by their `field` (a path): a prefix.

    On SQLite as a range of the path's index: Django's `startswith` is a LIKE with an ESCAPE, which
    SQLite (case-insensitive LIKE) answers by reading every organisation, some 15,000 at a
    province, each time a query scopes by it. A path is digits, all below U+FFFF, so the range holds
    exactly the paths that start with `path`. Elsewhere `startswith` (PostgreSQL reads the prefix
    from the path's pattern index)."""
    if connection.vendor == "sqlite":
        return models.Q(**{f"{field}__gte": path, f"{field}__lt": path + "\uffff"})
    return models.Q(**{f"{field}__startswith": path})


class Person(models.Model):
    """Someone named in a ledger (分管领导, 具体责任人…). Many never log in: `user` is optional."""

    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("post"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Someone who left: out of the choice lists, still on the old records (never deleted).
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["organisation__path", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Inspection office staff")  # 巡察办工作人员
    UNIT_STAFF = "unit_staff", _("Unit staff")  # 单位联络员 / 台账管理员
    UNIT_LEADER = "unit_leader", _("Unit leader")  # 单位领导
    SUPERVISOR = "supervisor", _("Discipline supervisor")  # 纪检监察, read-only
    UNIT_ADMIN = "unit_admin", _("Unit administrator")  # 单位管理员: people, departments, accounts


class Membership(models.Model):
    """A login's role in an organisation; the role reaches the whole subtree under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
