"""The tamper-evident history (变更记录): an append-only log chained by SHA-256.

Rows are written only by `zhenggai.history.services.record`; on PostgreSQL a trigger refuses
UPDATE, DELETE and TRUNCATE of the log (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenggai.history.canonical import GENESIS_HASH, HASHED_FIELDS, canonical_json


class ChainPayloadField(models.JSONField):
    """The payload column: the payload's JSON text in the chain's canonical form (keys sorted, no
    spaces, UTF-8: `canonical.canonical_json`), on SQLite and PostgreSQL alike, so that `verify`
    hashes the stored text as it is, without parsing and re-writing it. Python sees a dict.

    The column is plain text on PostgreSQL too (jsonb would keep its own form of the payload), so
    the database offers no JSON lookups into it: `payload__key` is refused on both databases, and
    code that searches payloads reads the text (see `state_check._locate_fields`)."""

    def db_type(self, connection):
        return "text" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if hasattr(value, "as_sql"):
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        return canonical_json(value)

    def get_transform(self, name):
        return None  # no key transforms: see the class's docstring


class HistoryEntry(models.Model):
    """One change. Every stored column is covered by `hash`; `seq` is the key, 1, 2, 3… without gaps."""

    seq = models.BigIntegerField(_("number"), primary_key=True)
    recorded_at = models.DateTimeField(_("recorded at"))  # the server's clock, never the user's
    # PROTECT: the actor's id is hashed, so a deleted user would leave an entry that no longer verifies.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.TextField(_("by (name then)"), blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    # A plain number, not a foreign key: the history outlives a deleted round.
    round_id = models.BigIntegerField(null=True, blank=True)
    payload = ChainPayloadField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="history_object_seq"),
            models.Index(fields=["round_id", "seq"], name="history_round_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def hashed_fields(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in HASHED_FIELDS if name != "actor_id"}
        return {**values, "actor_id": self.actor_id}


class ChainHead(models.Model):
    """The single row (pk 1) every append locks: the last seq and hash, and the last checkpoint."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    checkpoint_seq = models.BigIntegerField(default=0)
    checkpoint_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="history_chainhead_single_row")]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class Checkpoint(models.Model):
    """A signed head hash. The copy that counts is the exported file; this row is for the UI."""

    seq = models.BigIntegerField(unique=True)
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"


class RecordState(models.Model):
    """The state the history last recorded of a ledger, organisation or account record.

    A cache, so that each entry keeps only the columns that changed (history/state.py); `verify`
    never trusts it and replays the chain itself. Written only by `history.services.record`.
    """

    key = models.CharField(max_length=120, primary_key=True)  # "ledger.measure:12"
    seq = models.BigIntegerField()
    values = models.JSONField()

    def __str__(self) -> str:
        return f"{self.key} @{self.seq}"
