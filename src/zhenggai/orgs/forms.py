"""Forms of the organisation pages: they parse and check; orgs.services decides."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from zhenggai.core.writers.xlsx_ledger import COLUMN_KEYS, COLUMN_NAMES, DEFAULT_ORDER, column_problems
from zhenggai.orgs.models import Organisation, OrgKind, Person
from zhenggai.orgs.pickers import UnitPickerField

# What a unit or office may add under an organisation of its own.
CHILD_KINDS = {
    "unit": [OrgKind.DEPARTMENT, OrgKind.SUBUNIT],
    "office": [OrgKind.INSPECTION_GROUP],
}


class ChildOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))

    def __init__(self, *args, side: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in CHILD_KINDS[side]]  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)


RenameForm = UnitForm  # the same two fields

_KEY_OF_NAME = {name: key for key, name in COLUMN_NAMES.items()}


class LedgerColumnsForm(forms.Form):
    """An inspection office's order of the ledger workbook's columns, typed as their names
    (序号、问题、整改措施…) or keys; empty: the default order."""

    columns = forms.CharField(
        label=_("Columns of the ledger workbook, in order"),
        required=False,
        max_length=400,
        widget=forms.TextInput(attrs={"size": 80}),
    )

    @staticmethod
    def initial_text(order: list[str]) -> str:
        return "、".join(COLUMN_NAMES[key] for key in (order or DEFAULT_ORDER) if key in COLUMN_NAMES)

    def clean_columns(self) -> list[str]:
        words = [w for w in re.split(r"[、，,；;\s|｜]+", self.cleaned_data.get("columns") or "") if w]
        keys = [_KEY_OF_NAME.get(word, word) for word in words]
        unknown = [word for word, key in zip(words, keys, strict=True) if key not in COLUMN_KEYS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown columns: %(unknown)s. The columns are: %(names)s.")
                % {"unknown": "、".join(unknown), "names": "、".join(COLUMN_NAMES.values())}
            )
        if keys and (problems := column_problems(keys)):
            raise forms.ValidationError("；".join(problems))
        return [] if keys == list(DEFAULT_ORDER) else keys


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=60)
    title = forms.CharField(label=_("Post"), max_length=100, required=False)


class PersonEditForm(PersonForm):
    """`places`: the organisations the person may be put in, read once for all the people of a page
    (a ModelChoiceField would query them again for each person's form)."""

    organisation = forms.TypedChoiceField(label=_("Department"), coerce=int)

    def __init__(self, *args, places: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {org.pk: org for org in places}
        self.fields["organisation"].choices = [(org.pk, org.name) for org in places]  # type: ignore[attr-defined]

    def clean_organisation(self) -> Organisation:
        return self.places[self.cleaned_data["organisation"]]


class AccountForm(forms.Form):
    """A login for a person: by invitation link, or with an initial password to change at once."""

    INVITE, PASSWORD = "invite", "password"
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_.@+-]+$", _("Use letters, digits and . @ + - _ only (no spaces or Chinese).")
            )
        ],
    )
    method = forms.ChoiceField(
        label=_("How the person gets in"),
        choices=[
            (INVITE, _("An invitation link (valid 7 days, once)")),
            (PASSWORD, _("An initial password, changed at the first log-in")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )
    initial_password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("method") == self.PASSWORD:
            password = data.get("initial_password") or ""
            if not password:
                self.add_error("initial_password", _("Give the initial password."))
            else:
                try:
                    password_validation.validate_password(password)
                except forms.ValidationError as exc:
                    self.add_error("initial_password", exc)
        return data


class LoginResetForm(AccountForm):
    """A new invitation link, or a new initial password, for a login that exists (a forgotten password)."""

    username = None  # type: ignore[assignment]


class GrantForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, candidates, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    """Where a unit goes: under the region's root or another unit, of thousands (searched by name)."""

    parent = UnitPickerField(label=_("New place"), scope="move")

    def __init__(self, *args, targets, org: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].units = targets  # type: ignore[attr-defined]
        self.fields["parent"].widget.params = {"org": org.pk}  # type: ignore[attr-defined]


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")])
