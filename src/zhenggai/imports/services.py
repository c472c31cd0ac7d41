"""Import a report or ledger file: parse it into a draft, correct the draft, commit it as a round."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhenggai.core.errors import DocumentError
from zhenggai.core.parse import read_document
from zhenggai.imports import tree_edit
from zhenggai.imports.models import DraftStatus, ImportDraft
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import InspectionRound, RoundKind
from zhenggai.ledger.reimport import ReimportPlan, round_update_from_ledger
from zhenggai.ledger.services import round_import_ledger
from zhenggai.orgs.models import Organisation

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def draft_create(
    *,
    actor,
    name: str,
    data: bytes,
    office: Organisation,
    inspected_unit: Organisation,
    inspecting_group: Organisation | None = None,
    update_round: InspectionRound | None = None,
) -> ImportDraft:
    """Parse an uploaded file into a draft. A file that cannot be read raises DocumentError; nothing is kept.

    With `update_round`, the draft updates that round (`draft_update_round`) instead of making one."""
    if len(data) > MAX_IMPORT_BYTES:
        raise DocumentError(_("The file is larger than 20 MB."))
    ledger, lines = read_document(data, name, max_bytes=MAX_IMPORT_BYTES)
    if inspecting_group is None:
        inspector = (ledger.get("round") or {}).get("inspector")
        if inspector:
            inspecting_group = Organisation.objects.filter(
                path__startswith=office.path, name=inspector
            ).first()
    return ImportDraft.objects.create(
        created_by=actor,
        source_name=name[:255],
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_lines=lines,
        ledger=ledger,
        office=office,
        inspected_unit=inspected_unit,
        inspecting_group=inspecting_group,
        update_round=update_round,
    )


# Operations a person can apply to the draft tree, by name.
_OPERATIONS = {
    "edit": lambda ledger, path, fields: tree_edit.edit(ledger, path, **fields),
    "up": lambda ledger, path, fields: tree_edit.move(ledger, path, -1),
    "down": lambda ledger, path, fields: tree_edit.move(ledger, path, +1),
    "indent": lambda ledger, path, fields: tree_edit.indent(ledger, path),
    "outdent": lambda ledger, path, fields: tree_edit.outdent(ledger, path),
    "merge": lambda ledger, path, fields: tree_edit.merge_with_next(ledger, path),
    "split": lambda ledger, path, fields: tree_edit.split(ledger, path),
    "delete": lambda ledger, path, fields: tree_edit.delete(ledger, path),
}
OPERATIONS = sorted(_OPERATIONS)


def _save_ledger(draft: ImportDraft, ledger: dict[str, Any], expected_version: int) -> ImportDraft:
    updated = ImportDraft.objects.filter(
        pk=draft.pk, version=expected_version, status=DraftStatus.DRAFT
    ).update(ledger=ledger, version=F("version") + 1)
    if updated != 1:
        raise StaleEdit(
            _("This draft was changed elsewhere (another tab?). Reload it and apply your change again."), []
        )
    draft.refresh_from_db()
    return draft


def draft_apply(
    *, draft: ImportDraft, actor, operation: str, path: str, fields: dict[str, Any], expected_version: int
) -> ImportDraft:
    """Apply one correction to the tree; a draft edited since the form was shown is refused."""
    if draft.status != DraftStatus.DRAFT:
        raise LedgerError(_("This import is finished; it can no longer be changed."))
    if operation not in _OPERATIONS:
        raise LedgerError(_("Unknown correction."))
    ledger = draft.ledger
    try:
        _OPERATIONS[operation](ledger, tree_edit.parse_path(path), fields)
    except tree_edit.TreeEditError as exc:
        raise LedgerError(exc.message) from exc
    return _save_ledger(draft, ledger, expected_version)


def draft_set_round_info(
    *, draft: ImportDraft, actor, expected_version: int, title: str, kind: str, feedback_date: str | None
) -> ImportDraft:
    if kind not in RoundKind.values:
        raise LedgerError(_("Unknown kind of inspection."))
    ledger = draft.ledger
    ledger["title"] = title.strip() or None
    ledger.setdefault("round", {})["kind"] = kind
    ledger["round"]["feedback_date"] = feedback_date or None
    return _save_ledger(draft, ledger, expected_version)


def draft_commit(*, draft: ImportDraft, actor) -> InspectionRound:
    """Create the round from the draft, all of it or nothing, and mark the draft imported."""
    with transaction.atomic():
        locked = ImportDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.status != DraftStatus.DRAFT:
            raise LedgerError(_("This draft was imported or discarded already."))
        if locked.update_round_id is not None:
            raise LedgerError(_("This document updates an existing round; it does not make a new one."))
        counts = tree_edit.counts(locked.ledger)
        if counts["nodes"] == 0:
            raise LedgerError(_("The draft holds no numbered items; there is nothing to import."))
        round_ = round_import_ledger(
            ledger=locked.ledger,
            office=locked.office,
            inspected_unit=locked.inspected_unit,
            inspecting_group=locked.inspecting_group,
            actor=actor,
        )
        locked.status = DraftStatus.COMMITTED
        locked.committed_round = round_
        locked.save(update_fields=["status", "committed_round"])
    return round_


def draft_discard(*, draft: ImportDraft, actor) -> None:
    ImportDraft.objects.filter(pk=draft.pk, status=DraftStatus.DRAFT).update(status=DraftStatus.DISCARDED)


def draft_update_round(*, draft: ImportDraft, actor, expected_versions: dict[int, int]) -> ReimportPlan:
    """Apply the draft's document to the round it updates (see `ledger.reimport`), all at once,
    and mark the draft imported."""
    with transaction.atomic():
        locked = ImportDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.status != DraftStatus.DRAFT or locked.update_round is None:
            raise LedgerError(_("This draft was imported or discarded already."))
        plan = round_update_from_ledger(
            round_=locked.update_round, ledger=locked.ledger, actor=actor, expected_versions=expected_versions
        )
        locked.status = DraftStatus.COMMITTED
        locked.committed_round = locked.update_round
        locked.save(update_fields=["status", "committed_round"])
    return plan
