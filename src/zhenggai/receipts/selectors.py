"""What the ledger shows of receipts: how many slips each batch has back, and which look suspect."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from zhenggai.ledger.models import InspectionRound, Measure
from zhenggai.orgs.models import Organisation
from zhenggai.public_pages import fetch_rows, sql_column, sql_table
from zhenggai.receipts.models import Receipt, ReceiptBatch, Satisfaction


def same_network_limit() -> int:
    return int(settings.ZHENGGAI["RECEIPT_SAME_NETWORK"])


def batches_with_counts() -> QuerySet[ReceiptBatch]:
    """Batches with `issued` and `confirmed` slip counts, oldest first."""
    return ReceiptBatch.objects.annotate(
        issued=Count("receipts"), confirmed=Count("receipts", filter=Q(receipts__confirmed_at__isnull=False))
    ).order_by("created_at", "pk")


def batches_of(measure: Measure) -> QuerySet[ReceiptBatch]:
    return batches_with_counts().filter(measure=measure)


@dataclass
class BatchReport:
    """One batch as a reviewer reads it."""

    batch: ReceiptBatch
    receipts: list[Receipt]
    suspect: set[int] = field(default_factory=set)  # slip numbers answered from a shared network

    @property
    def issued(self) -> int:
        return len(self.receipts)

    @property
    def confirmed(self) -> list[Receipt]:
        return [r for r in self.receipts if r.confirmed_at is not None]

    @property
    def satisfaction(self) -> list[tuple[str, int]]:
        counts = Counter(r.satisfaction for r in self.confirmed if r.satisfaction)
        return [(str(label), counts[value]) for value, label in Satisfaction.choices]


def batch_report(batch: ReceiptBatch) -> BatchReport:
    """Every slip of the batch, with the ones flagged as answered from one network and browser kind.

    A resident may well answer from the community's Wi-Fi; several answers from one network and
    one kind of browser are how slips filled in at one desk look. They are flagged, not refused:
    reviewers ring a few back (回访) before they close the measure.
    """
    receipts = list(batch.receipts.order_by("number"))
    by_network = Counter(r.network for r in receipts if r.confirmed_at is not None and r.network)
    crowded = {net for net, n in by_network.items() if n >= same_network_limit()}
    suspect = {r.number for r in receipts if r.network in crowded}
    return BatchReport(batch=batch, receipts=receipts, suspect=suspect)


def suspect_counts(batches: list[ReceiptBatch]) -> dict[int, int]:
    """Per batch id, how many confirmed slips share a network with too many others."""
    limit = same_network_limit()
    rows = (
        Receipt.objects.filter(batch__in=batches, confirmed_at__isnull=False)
        .exclude(network="")
        .values("batch_id", "network")
        .annotate(n=Count("pk"))
        .filter(n__gte=limit)
    )
    counts: Counter[int] = Counter()
    for row in rows:
        counts[row["batch_id"]] += row["n"]
    return dict(counts)


def slip_page_shows(token: str) -> tuple | None:
    """Everything a resident's slip page prints, for its cache key (None: no such slip); in plain
    SQL, asked for on every scan: the same ORM query cost more to build than the rest of the visit."""
    rows = fetch_rows(_slip_page_sql(), [token])
    return rows[0] if rows else None


@functools.cache
def _slip_page_sql() -> str:
    return (
        f"SELECT s.{sql_column(Receipt, 'id')}, s.{sql_column(Receipt, 'number')}, s.{sql_column(Receipt, 'confirmed_at')},"  # noqa: S608 - names from _meta, quoted; the token is a parameter
        f" b.{sql_column(ReceiptBatch, 'id')}, b.{sql_column(ReceiptBatch, 'title')}, b.{sql_column(ReceiptBatch, 'statement')},"
        f" b.{sql_column(ReceiptBatch, 'asks_satisfaction')}, u.{sql_column(Organisation, 'name')}"
        f" FROM {sql_table(Receipt)} s"
        f" JOIN {sql_table(ReceiptBatch)} b ON b.{sql_column(ReceiptBatch, 'id')} = s.{sql_column(Receipt, 'batch')}"
        f" JOIN {sql_table(Measure)} m ON m.{sql_column(Measure, 'id')} = b.{sql_column(ReceiptBatch, 'measure')}"
        f" JOIN {sql_table(InspectionRound)} r ON r.{sql_column(InspectionRound, 'id')} = m.{sql_column(Measure, 'round')}"
        f" JOIN {sql_table(Organisation)} u"
        f" ON u.{sql_column(Organisation, 'id')} = r.{sql_column(InspectionRound, 'inspected_unit')}"
        f" WHERE s.{sql_column(Receipt, 'token')} = %s"
    )
