"""The import through the API: a report or ledger file uploaded becomes a draft (its parsed
`zhenggai.ledger/1`, the preview the import page shows), and the draft is committed into a round,
all of it or nothing. The same access functions and services as the import pages (imports.views):
`units_for_import`/`offices_for_import`/`groups_for_import`, `draft_create`, `get_draft_for_user`,
`get_draft_to_change`, `draft_commit`."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form
from ninja.files import UploadedFile

from zhenggai.api import reads, schemas
from zhenggai.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError, field_error, record_of
from zhenggai.api.idempotency import idempotent
from zhenggai.api.reads import needs
from zhenggai.api.text import Id
from zhenggai.api.writes import IdempotencyKey
from zhenggai.core.errors import DocumentError
from zhenggai.imports import services, tree_edit
from zhenggai.imports.models import ImportDraft
from zhenggai.ledger.access import (
    get_draft_for_user,
    get_draft_to_change,
    get_round_for_user,
    groups_for_import,
    may_import_somewhere,
    offices_for_import,
    units_for_import,
)
from zhenggai.ledger.workflow import Action

router = reads.router


def draft_out(draft: ImportDraft) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "status": draft.status,
        "version": draft.version,
        "source_name": draft.source_name,
        "source_sha256": draft.source_sha256,
        "office": {"id": draft.office_id, "name": draft.office.name},
        "inspected_unit": {"id": draft.inspected_unit_id, "name": draft.inspected_unit.name},
        "inspecting_group": None
        if draft.inspecting_group is None
        else {"id": draft.inspecting_group_id, "name": draft.inspecting_group.name},
        "counts": tree_edit.counts(draft.ledger),
        "committed_round_id": draft.committed_round_id,
        "ledger": draft.ledger,
    }


def _unreadable(message: str) -> ApiError:
    return field_error("unreadable_file", message, ["body", "file"], message)


def _chosen(queryset, pk: int | None, field: str, *, only_one: bool = False):
    """A record of the choices the import page offers for `field`; with none sent, the only one
    offered (as the page preselects it) when `only_one`."""
    if pk is None:
        if only_one and len(choices := list(queryset[:2])) == 1:
            return choices[0]
        if only_one:
            raise field_error(
                "invalid", _("%(field)s: choose one.") % {"field": field}, ["form", field], _("Choose one.")
            )
        return None
    return record_of(
        queryset,
        pk,
        loc=["form", field],
        code="not_of_the_unit",
        detail=_("%(field)s: not one you may import for.") % {"field": field},
        msg=_("Not one you may import for."),
    )


@router.post(
    "/imports",
    response={201: schemas.DraftOut, **WRITE_ERRORS},
    openapi_extra=needs("none"),
    tags=["imports"],
)
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    inspected_unit: Id | None = Form(None, description="The unit inspected (one you may import for)"),  # noqa: B008
    office: Id | None = Form(None, description="The inspection office; left out, your only one"),  # noqa: B008
    inspecting_group: Id | None = Form(None, description="Left out, read from the document"),  # noqa: B008
    idempotency_key: IdempotencyKey = None,
):
    """Upload a report (.docx, .pdf, .txt) or a ledger workbook (.xlsx), at most 20 MB: it is read
    into a draft whose `ledger` is the parsed tree the import page previews. Nothing reaches the
    ledger before `POST /api/imports/{draft_id}/commit`. An unreadable file is a 422."""
    user = request.auth  # type: ignore[attr-defined]
    if not may_import_somewhere(user):
        raise ApiError(403, "forbidden", _("Your role does not allow this here."))
    unit = _chosen(units_for_import(user), inspected_unit, "inspected_unit", only_one=True)
    chosen_office = _chosen(offices_for_import(user), office, "office", only_one=True)
    group = _chosen(groups_for_import(user), inspecting_group, "inspecting_group")
    if (file.size or 0) > services.MAX_IMPORT_BYTES:
        raise _unreadable(_("The file is larger than 20 MB."))
    data = file.read()
    body = {
        "file": [file.name, hashlib.sha256(data).hexdigest()],
        "inspected_unit": unit.pk,
        "office": chosen_office.pk,
        "inspecting_group": group.pk if group else None,
    }

    def run():
        try:
            draft = services.draft_create(
                actor=user,
                name=file.name or "",
                data=data,
                office=chosen_office,
                inspected_unit=unit,
                inspecting_group=group,
            )
        except DocumentError as exc:
            raise _unreadable(exc.message) from None
        return 201, schemas.DraftOut.model_validate(draft_out(draft))

    return idempotent(request, user, body, run)


@router.get(
    "/imports/{int:draft_id}",
    response={200: schemas.DraftOut, **COMMON_ERRORS},
    openapi_extra=needs(Action.IMPORT),
    tags=["imports"],
)
def import_draft(request: HttpRequest, draft_id: int):
    """A draft: the parsed ledger, its counts, and the round it became once committed. A draft is
    its uploader's alone."""
    return draft_out(get_draft_for_user(request.auth, draft_id))  # type: ignore[attr-defined]


@router.post(
    "/imports/{int:draft_id}/commit",
    response={201: schemas.RoundOut, **WRITE_ERRORS},
    openapi_extra=needs(Action.IMPORT),
    tags=["imports"],
)
def import_commit(request: HttpRequest, draft_id: int, idempotency_key: IdempotencyKey = None):
    """Make the round from the draft, all of it or nothing (the import page's 确认导入). A draft
    committed or discarded already, or holding no numbered item, is refused (422)."""
    user = request.auth  # type: ignore[attr-defined]
    draft = get_draft_to_change(user, draft_id)

    def run():
        round_ = services.draft_commit(draft=draft, actor=user)
        committed, _rights = get_round_for_user(user, round_.pk)
        return 201, schemas.RoundOut.from_orm(committed)

    return idempotent(request, user, {}, run)
