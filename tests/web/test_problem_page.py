"""The problem page around the next step: each card offers what this person may do now, the primary
step first and the others on demand, and stays where it was after an action."""

from __future__ import annotations

import datetime
import re

import pytest
from _ledger_support import measure_in_state
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.models import Measure, MeasureKind, MeasureStatus
from zhenggai.ledger.services import (
    evidence_attach,
    measure_create,
    measure_kinds_mend,
    measure_update,
    progress_record,
)
from zhenggai.ledger.transitions import extension_request

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date.today


def _card(page: str, measure: Measure) -> str:
    """The HTML of one measure's card on a page (cards are not nested, so up to the next card)."""
    start = page.index(f'id="measure-{measure.pk}"')
    following = page.find('class="card measure', start)
    return page[start : following if following != -1 else len(page)]


def _page(client, user, measure: Measure) -> str:
    client.force_login(user)
    response = client.get(reverse("ledger:problem_detail", args=[measure.problem_id]))
    assert response.status_code == 200
    return response.content.decode()


def _steps(card: str) -> list[str]:
    """The steps a card offers, in order: its one-click buttons and its links that open a form."""
    return re.findall(r'data-(?:step|action)="([a-z_]+)"', card)


def test_a_clerk_is_offered_start_first_on_a_measure_not_started(client, cast):
    measure = measure_in_state(cast.a.problem, MeasureStatus.NOT_STARTED, text="新措施", deadline=TODAY())
    card = _card(_page(client, cast.clerk_a, measure), measure)
    steps = _steps(card)
    assert steps[0] == "start" and card.count("<form") == 1
    assert 'class="primary" data-action="start"' in card
    assert {"progress", "evidence", "extension"} <= set(steps)
    assert not {"confirm", "close", "return", "send_back", "submit"} & set(steps)


def test_recording_progress_comes_before_asking_for_closing(client, cast):
    measure = cast.a.measure  # in progress, nothing recorded yet
    assert _steps(_card(_page(client, cast.clerk_a, measure), measure))[0] == "progress"
    progress_record(measure=measure, actor=cast.clerk_a, happened_on=TODAY(), text="已建立制度")
    assert _steps(_card(_page(client, cast.clerk_a, measure), measure))[0] == "evidence"
    evidence_attach(measure=measure, actor=cast.clerk_a, name="制度.pdf", size=9, stream=_pdf())
    steps = _steps(_card(_page(client, cast.clerk_a, measure), measure))
    assert steps[0] == "submit" and "submit" in steps


def _pdf():
    import io

    return io.BytesIO(b"%PDF-1.4\n")


@pytest.mark.parametrize(
    ("status", "who", "offered", "not_offered"),
    [
        (MeasureStatus.SUBMITTED, "leader_a", ["confirm", "send_back"], ["close", "progress", "extension"]),
        (MeasureStatus.SUBMITTED, "officer", [], ["confirm", "close", "return", "progress"]),
        (MeasureStatus.CONFIRMED, "officer", ["close", "return"], ["confirm", "progress", "extension"]),
        (MeasureStatus.CONFIRMED, "clerk_a", [], ["close", "return", "confirm", "progress", "evidence"]),
        (MeasureStatus.IN_PROGRESS, "outsider", None, None),
    ],
)
def test_each_person_is_offered_only_what_they_may_do_now(client, cast, status, who, offered, not_offered):
    measure = measure_in_state(cast.a.problem, status, text="规范会议记录", deadline=TODAY())
    client.force_login(getattr(cast, who))
    response = client.get(reverse("ledger:problem_detail", args=[measure.problem_id]))
    if offered is None:
        assert response.status_code == 404
        return
    steps = _steps(_card(response.content.decode(), measure))
    assert steps[: len(offered)] == offered
    assert not set(not_offered) & set(steps)


def test_a_card_renders_at_most_one_form_until_one_is_asked_for(client, cast):
    measures = [
        measure_in_state(cast.a.problem, state, text=f"措施{n}", deadline=TODAY())
        for n, state in enumerate(
            [
                MeasureStatus.NOT_STARTED,
                MeasureStatus.IN_PROGRESS,
                MeasureStatus.SUBMITTED,
                MeasureStatus.CONFIRMED,
            ]
        )
    ]
    for user in (cast.clerk_a, cast.leader_a, cast.officer):
        page = _page(client, user, measures[0])
        for measure in measures:
            card = _card(page, measure)
            assert card.count("<form") <= 1, (user, measure.status)
            assert card.count("<textarea") == 0 and 'type="file"' not in card


def test_a_step_the_person_may_not_take_does_not_open(client, cast):
    client.force_login(cast.clerk_a)
    url = reverse("ledger:measure_card", args=[cast.a.measure.pk])
    opened = client.get(url, {"open": "progress"}, **HTMX).content.decode()
    assert 'data-form="progress"' in opened and "<textarea" in opened and "<html" not in opened
    refused = client.get(url, {"open": "close"}, **HTMX).content.decode()
    assert 'data-panel="close"' not in refused and 'data-action="close"' not in refused


def test_without_javascript_the_button_opens_the_form_in_the_full_page(client, cast):
    measure = cast.a.measure
    client.force_login(cast.clerk_a)
    response = client.get(reverse("ledger:measure_card", args=[measure.pk]), {"open": "evidence"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?measure={measure.pk}&open=evidence#measure-{measure.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert 'data-form="evidence"' in _card(page, measure)


def test_a_forbidden_action_is_still_refused_with_403(client, cast):
    measure = cast.a.measure
    client.force_login(cast.leader_a)
    response = client.post(
        reverse("ledger:progress_add", args=[measure.pk]),
        {f"p{measure.pk}-happened_on": TODAY().isoformat(), f"p{measure.pk}-text": "越权"},
    )
    assert response.status_code == 403
    client.force_login(cast.officer)
    response = client.post(
        reverse("ledger:extension_request", args=[measure.pk]),
        {
            f"x{measure.pk}-new_deadline": "2099-01-01",
            f"x{measure.pk}-reason": "越权",
            f"x{measure.pk}-version": 1,
        },
    )
    assert response.status_code == 403
    assert not measure.progress_entries.exists() and not measure.extensions.exists()


def test_after_an_action_the_page_stays_on_the_card(client, cast):
    measure = cast.a.measure
    client.force_login(cast.clerk_a)
    url = reverse("ledger:progress_add", args=[measure.pk])
    data = {f"p{measure.pk}-happened_on": TODAY().isoformat(), f"p{measure.pk}-text": "召开专题会"}
    swapped = client.post(url, data, **HTMX)
    body = swapped.content.decode()
    assert swapped.status_code == 200 and swapped["HX-Trigger"] == "ledger-changed"
    assert body.lstrip().startswith('<div class="card measure') and f'id="measure-{measure.pk}"' in body
    assert "<html" not in body and "召开专题会" in body and 'role="status"' in body
    plain = client.post(url, {**data, f"p{measure.pk}-text": "再次召开"})
    assert plain.status_code == 302
    assert plain["Location"] == f"{measure.problem.get_absolute_url()}#measure-{measure.pk}"


def test_a_refused_form_comes_back_open_with_its_errors(client, cast):
    measure = cast.a.measure
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("ledger:progress_add", args=[measure.pk]), {f"p{measure.pk}-text": "无日期"}
    )
    assert response.status_code == 400
    card = _card(response.content.decode(), measure)
    assert 'data-form="progress"' in card and "field-error" in card and "无日期" in card


def test_more_time_is_offered_only_for_a_measure_with_a_deadline(client, cast):
    with_deadline = cast.a.measure
    without = measure_create(
        problem=cast.a.problem, actor=None, text="无期限措施", status=MeasureStatus.IN_PROGRESS
    )
    page = _page(client, cast.clerk_a, with_deadline)
    assert "extension" in _steps(_card(page, with_deadline))
    assert "extension" not in _steps(_card(page, without))
    opened = client.get(reverse("ledger:measure_card", args=[without.pk]), {"open": "extension"}, **HTMX)
    assert 'data-form="extension"' not in opened.content.decode()
    with pytest.raises(LedgerError, match=r"时限|deadline"):
        extension_request(
            measure=without, actor=cast.clerk_a, new_deadline=datetime.date(2099, 1, 1), reason="等"
        )
    response = client.post(
        reverse("ledger:extension_request", args=[without.pk]),
        {
            f"x{without.pk}-new_deadline": "2099-01-01",
            f"x{without.pk}-reason": "等",
            f"x{without.pk}-version": 1,
        },
    )
    assert response.status_code == 400 and not without.extensions.exists()


def test_the_office_decides_a_pending_request_from_the_card(client, cast):
    measure = cast.a.measure
    extension_request(
        measure=measure, actor=cast.clerk_a, new_deadline=datetime.date(2099, 1, 1), reason="等批复"
    )
    page = _page(client, cast.officer, measure)
    card = _card(page, measure)
    assert _steps(card)[0] == "decide" and "等批复" in card
    assert "extension" not in _steps(_card(_page(client, cast.clerk_a, measure), measure))


# --- Kinds exclude one another (立行立改 / 限期整改 / 长期坚持) -------------------------------------------


def test_the_measure_form_asks_for_one_kind_only(cast):
    form = MeasureForm(round_=cast.a.round)
    assert "long_term" not in form.fields
    assert [value for value, _label in form.fields["kind"].choices] == list(MeasureKind.values)


def test_long_term_follows_the_kind(cast):
    measure = measure_create(
        problem=cast.a.problem, actor=None, text="长期坚持", long_term=True, deadline=TODAY()
    )
    assert measure.kind == MeasureKind.LONG_TERM and measure.long_term
    measure = measure_update(
        measure=measure, actor=None, expected_version=measure.version, kind=MeasureKind.IMMEDIATE
    )
    assert measure.kind == MeasureKind.IMMEDIATE and not measure.long_term


def test_two_kinds_at_once_are_refused(cast):
    with pytest.raises(LedgerError):
        measure_create(
            problem=cast.a.problem, actor=None, text="两者", kind=MeasureKind.IMMEDIATE, long_term=True
        )
    measure = cast.a.measure
    with pytest.raises(LedgerError):
        measure_update(
            measure=measure,
            actor=None,
            expected_version=measure.version,
            kind=MeasureKind.TIME_BOUND,
            long_term=True,
        )
    assert Measure.objects.get(pk=measure.pk).version == measure.version


def test_the_database_refuses_a_measure_of_two_kinds(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=cast.a.measure.pk).update(kind=MeasureKind.IMMEDIATE, long_term=True)
    assert measure_kinds_mend(actor=None) == []


def test_the_edit_page_saves_the_kind_chosen(client, cast):
    measure = cast.a.measure
    client.force_login(cast.clerk_a)
    response = client.post(
        reverse("ledger:measure_edit", args=[measure.pk]),
        {"text": measure.text, "kind": MeasureKind.LONG_TERM, "deadline": TODAY().isoformat(), "version": 1},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.kind == MeasureKind.LONG_TERM and measure.long_term
