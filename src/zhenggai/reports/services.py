"""Writing reports for a round, and large ledger exports in the background."""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from zhenggai.history.anchors import anchor_now
from zhenggai.ledger.access import visible_rounds
from zhenggai.ledger.models import InspectionRound
from zhenggai.reports.exporters import EXPORTERS, ExportOptions, Rendered
from zhenggai.reports.ledger_data import ROUND_BATCH, round_ledgers, round_to_ledger
from zhenggai.reports.models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)


def report_render(
    *, round_: InspectionRound, kind: str, options: ExportOptions, problem_ids=None
) -> Rendered:
    """Render a document of the round as it stands now, for a download: nothing is recorded.

    Issuing is an act of its own (`reports.issuing.issue`); a download is not one, and changes no
    baseline. A progress report compares with the last issued one to the same addressee
    (`options.addressee`, by default the round's inspection office). The history's head is signed first and printed in the document as its
    anchor (`zhenggai verify --against` checks it later), outside any transaction: signing holds
    the chain head's lock until the commit.
    """
    from zhenggai.reports.selectors import last_issued_progress

    options.anchor = anchor_now()
    ledger = round_to_ledger(round_, problem_ids=problem_ids)
    if kind == "progress":
        if not options.addressee and round_.office is not None:
            options.addressee = round_.office.name  # as a draft is addressed (issuing.draft_create)
        last = last_issued_progress(round_, options.addressee or "")
        options.previous = last.ledger if last else None
    return EXPORTERS[kind].render(ledger, options)


def export_request(*, actor, filters: dict[str, Any]) -> ExportJob:
    """Queue an export of every round the user may see; the worker writes it (see tasks.py)."""
    from zhenggai.reports.tasks import export_ledgers

    job = ExportJob.objects.create(requested_by=actor, filters=filters)
    transaction.on_commit(lambda: export_ledgers.enqueue(job.pk))
    return job


PROGRESS_EVERY = 50  # rounds between two updates of the job's `done`


def _ledgers(job: ExportJob, rounds) -> Iterator[dict[str, Any]]:
    # The next rounds are read while these are written, unless in a transaction (a test's).
    ledgers = round_ledgers(rounds, read_ahead=not transaction.get_connection().in_atomic_block)
    for index, ledger in enumerate(ledgers, start=1):
        yield ledger
        if index % PROGRESS_EVERY == 0 or index == job.total:
            ExportJob.objects.filter(pk=job.pk).update(done=index)


def export_run(job_id: int) -> ExportJob:
    """Write the workbook of an export job, reading rounds in batches (`ledger_data.round_ledgers`)
    and writing them a sheet at a time into a temporary file, noting progress as it goes."""
    from zhenggai.core.writers.xlsx_ledger import write_rounds_xlsx

    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status not in (ExportStatus.QUEUED, ExportStatus.FAILED):
        return job
    rounds = visible_rounds(job.requested_by).select_related("inspected_unit", "inspecting_group")
    unit = job.filters.get("unit")
    if unit:
        rounds = rounds.filter(inspected_unit_id=unit)
    rounds = rounds.order_by("inspected_unit__path", "pk")
    anchor = anchor_now()
    job.total = rounds.count()
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["total", "status"])
    try:
        with tempfile.TemporaryFile() as spool:  # the workbook on disk, not in memory
            write_rounds_xlsx(_ledgers(job, rounds.iterator(chunk_size=ROUND_BATCH)), spool, anchor=anchor)
            spool.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job.filename = f"整改台账汇总-{stamp}.xlsx"
            job.file.save(f"export-{job.pk}.xlsx", File(spool), save=False)
        job.status = ExportStatus.DONE
        job.done = job.total
    except Exception as exc:
        # Whatever went wrong, the requester sees that it failed (not an endless "being written").
        logger.exception("ledger export %s failed", job.pk)
        job.status = ExportStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"
    job.finished_at = timezone.now()
    job.save()
    return job


def today() -> datetime.date:
    return timezone.localdate()
