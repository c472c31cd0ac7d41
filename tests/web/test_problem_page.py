"""The problem page around the next step: each card offers what this person may do now, the primary
step first and the others on demand, and stays where it was after an action."""

from __future__ import annotations

import datetime
import re

import pytest
from _ledger_support import measure_in_state
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.forms import MeasureForm
from zhenggai.ledger.models import Measure, MeasureKind, MeasureStatus
from zhenggai.ledger.services import (
    evidence_attach,
    measure_create,
    measure_kinds_mend,
    measure_update,
    problem_create,
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


def test_the_page_reads_a_relation_only_for_the_measures_that_have_rows_in_it(client, cast):
    """One query says which relations of the cards hold rows (progress, evidence, requests for more
    time…); a relation is read only for the measures that have some, and the others show none."""
    other = measure_create(problem=cast.a.problem, actor=None, text="另一项措施", deadline=TODAY())
    client.force_login(cast.officer)
    url = reverse("ledger:problem_detail", args=[cast.a.problem.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    extension_request(
        measure=cast.a.measure, actor=cast.clerk_a, new_deadline=datetime.date(2099, 1, 1), reason="等批复"
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before) + 1  # the requests for more time, of the one measure that has one
    read = " ".join(q["sql"] for q in after.captured_queries)
    assert f'"ledger_deadlineextension"."measure_id" IN ({cast.a.measure.pk})' in read
    assert "等批复" in _card(page, cast.a.measure) and "data-extension" not in _card(page, other)


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


def _links(card: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="(/[^"]*)"', card)


def test_every_link_of_every_card_names_its_own_measure_and_problem(client, cast):
    """The cards' links are formatted from URLs reversed once a page (ledger.links.IdUrl): each
    still names its own measure, its own problem, its files and its request for more time, for the
    measures of two problems; and the copy hint loaded after the page links to another unit's plan."""
    from django.urls import resolve

    from zhenggai.ledger.models import EvidenceFile

    second = problem_create(
        round_=cast.a.round, actor=None, parent=cast.a.section, label="2.", number=2, level=2, position=3,
        title="台账资料不完整。", statement="台账资料不完整，缺少佐证。",
    )  # fmt: skip
    in_second = [
        measure_create(problem=second, actor=None, text=text, deadline=TODAY() + datetime.timedelta(days=30))
        for text in ("补齐二〇二三年度台账资料。", "建立台账资料定期检查制度。")
    ]
    evidence_attach(measure=in_second[0], actor=cast.clerk_a, name="台账.pdf", size=9, stream=_pdf())
    extension_request(
        measure=in_second[1],
        actor=cast.clerk_a,
        new_deadline=TODAY() + datetime.timedelta(days=90),
        reason="等待审计结果",
    )
    # Unit B's plan says word for word what `mine` says: the office sees a copy hint.
    copied = "{unit}党委召开专题会议，对{year}年以来的会议记录逐本核查，建立会议记录当场签字制度。"
    mine = measure_create(problem=cast.a.problem, actor=None, text=copied.format(unit="甲社区", year=2020))
    theirs = measure_create(problem=cast.b.problem, actor=None, text=copied.format(unit="乙社区", year=2021))
    seen = set()
    for user in (cast.clerk_a, cast.officer):
        client.force_login(user)
        for measure in [cast.a.measure, *in_second]:
            url = reverse("ledger:problem_detail", args=[measure.problem_id])
            page = client.get(f"{url}?measure={measure.pk}&open=progress").content.decode()
            card = _card(page, measure)
            for link in _links(card):
                path, _sep, fragment = link.partition("#")
                found = resolve(path.split("?")[0])
                pk = found.kwargs.get("pk")
                if found.view_name == "ledger:problem_detail":
                    named = int(fragment.removeprefix("measure-"))  # every problem link names a card
                    assert pk == Measure.objects.get(pk=named).problem_id, link
                    assert named in (measure.pk, theirs.pk), link
                elif found.view_name == "ledger:measure_add":  # after the last card: the page's own
                    assert pk == measure.problem_id, link
                elif found.view_name == "ledger:evidence_download":
                    assert EvidenceFile.objects.get(pk=pk).measure_id == measure.pk, link
                elif found.view_name == "ledger:extension_decide":
                    assert measure.extensions.get(pk=pk).status == "pending", link
                else:
                    assert pk == measure.pk, (found.view_name, link)
                seen.add(found.view_name)
    # The copy hint, loaded into the card after the page, links to the copy in unit B's plan.
    client.force_login(cast.officer)
    hints = client.get(reverse("ledger:problem_copies", args=[mine.problem_id]), **HTMX).content.decode()
    copy_link = f"{reverse('ledger:problem_detail', args=[cast.b.problem.pk])}#measure-{theirs.pk}"
    assert [link for link in _links(hints) if link.startswith(copy_link.split("#")[0])] == [copy_link]
    assert {
        "ledger:problem_detail",
        "ledger:measure_card",
        "ledger:progress_add",
        "ledger:evidence_download",
        "ledger:measure_edit",
        "history:measure",
        "receipts:measure_receipts",
    } <= seen, seen


def test_the_card_answered_alone_is_the_card_of_the_page(client, cast):
    """The page renders every card in its own pass ({% with_values %}); HTMX asks for one card
    alone (the partial with the same context): both give the same HTML."""
    measure = cast.a.measure
    evidence_attach(measure=measure, actor=cast.clerk_a, name="记录.pdf", size=9, stream=_pdf())
    client.force_login(cast.clerk_a)
    for step in ("", "progress", "extension"):
        query = f"?measure={measure.pk}&open={step}" if step else ""
        page = client.get(
            reverse("ledger:problem_detail", args=[measure.problem_id]) + query
        ).content.decode()
        alone = client.get(
            reverse("ledger:measure_card", args=[measure.pk]) + (f"?open={step}" if step else ""), **HTMX
        ).content.decode()
        tokens = r'name="csrfmiddlewaretoken" value="[^"]*"'
        card = re.sub(tokens, "", alone[alone.index('<div class="card measure') :]).strip()
        assert card.startswith('<div class="card measure light-border-') and card.endswith("</div>")
        assert card in re.sub(tokens, "", page), step


def test_a_section_page_lists_its_problems_in_document_order(client, cast):
    section = cast.a.problem.parent
    # Added out of their order: the third item first.
    later, between = (
        problem_create(round_=cast.a.round, actor=None, parent=section, level=2, **fields)
        for fields in (
            {"label": "3.", "number": 3, "position": 4, "title": "末项"},
            {"label": "2.", "number": 2, "position": 3, "title": "中项"},
        )
    )
    client.force_login(cast.clerk_a)
    html = client.get(reverse("ledger:problem_detail", args=[section.pk])).content.decode()
    listed = re.search(r'<ul class="children">(.*?)</ul>', html).group(1)
    hrefs = re.findall(r'href="([^"]+)"', listed)
    assert hrefs == [p.get_absolute_url() for p in (cast.a.problem, between, later)]
    assert "1.会议记录不规范。" in listed and "3.末项" in listed
    # A problem without sub-problems lists none.
    html = client.get(reverse("ledger:problem_detail", args=[later.pk])).content.decode()
    assert 'class="children"' not in html
