"""What README's table says each demo account can do, checked against the rights the code gives."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from zhenggai.ledger.access import actions_anywhere, may_acknowledge, rights_for, units_for_import
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.models import InspectionRound, Measure
from zhenggai.ledger.workflow import Action as A
from zhenggai.orgs.access import may_manage_anything

CLERK = {
    A.VIEW, A.EDIT_MEASURE, A.RECORD_PROGRESS, A.ATTACH_EVIDENCE, A.ACKNOWLEDGE, A.REQUEST_EXTENSION,
    A.START, A.SUBMIT, A.ISSUE_REPORT, A.ISSUE_RECEIPTS, A.OPEN_COMMENTS, A.ANSWER_COMMENTS, A.IMPORT,
    A.EXPORT,
}  # fmt: skip
# Rights over X社区's round, as README's table tells them (None: the round is not theirs to see).
RIGHTS_ON_X = {
    "admin": {A.VIEW},
    "xunchaban": {
        A.VIEW, A.DECIDE_EXTENSION, A.CLOSE, A.RETURN, A.RECHECK, A.IMPORT, A.EXPORT,
        A.CONFIGURE_REMINDERS, A.MANAGE_PEOPLE,
    },
    "x_clerk": CLERK,
    "x_leader": {A.VIEW, A.REQUEST_EXTENSION, A.CONFIRM, A.SEND_BACK, A.SIGN_OFF_REPORT, A.EXPORT},
    "x_dangjian": CLERK,
    "x_admin": {A.VIEW, A.EDIT_MEASURE, A.EXPORT, A.MANAGE_PEOPLE},
    "y_clerk": None,
    "jiwei": {A.VIEW},
}  # fmt: skip
MANAGERS = {"xunchaban", "x_admin"}
IMPORTERS = {"xunchaban", "x_clerk", "y_clerk"}


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    return InspectionRound.objects.get(inspected_unit__name="X社区党工委")


@pytest.mark.parametrize("username", sorted(RIGHTS_ON_X))
def test_each_demo_account_can_do_what_readme_says(demo, client, username):
    user = get_user_model().objects.get(username=username)
    expected = RIGHTS_ON_X[username]
    assert set(rights_for(user, demo).actions) == (expected or set())
    assert may_manage_anything(user) is (username in MANAGERS)
    assert units_for_import(user).exists() is (username in IMPORTERS)
    assert (A.IMPORT in actions_anywhere(user)) is (username in IMPORTERS | {"x_dangjian"})
    client.force_login(user)
    assert client.get(reverse("orgs:index")).status_code == (200 if username in MANAGERS else 403)


def test_the_department_officer_signs_and_can_be_named_the_person_in_charge(demo):
    officer = get_user_model().objects.get(username="x_dangjian")
    led = Measure.objects.filter(round=demo, lead_department__name="党建办公室").first()
    assert led is not None and may_acknowledge(officer, led)
    doers = set(MeasureForm(round_=demo).fields["doer"].queryset)
    assert officer.person in doers
    assert get_user_model().objects.get(username="x_clerk").person in doers
