"""`verify` and the `verify_history` command: each kind of tampering is caught and located."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
import time_machine
from _history_support import (
    TABLE,
    build_chain,
    delete_entries,
    fix_head,
    owner_rights,
    raw,
    rehash_from,
    set_column,
    swap_seq,
    verify_args,
)
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from zhenggai.history import cli_verify
from zhenggai.history.canonical import canonical_json
from zhenggai.history.conf import history_conf
from zhenggai.history.models import Checkpoint, HistoryEntry
from zhenggai.history.report import Kind
from zhenggai.history.services import record
from zhenggai.history.signing import read_checkpoints
from zhenggai.history.verify import verify


@pytest.fixture
def chain(db, settings, django_capture_on_commit_callbacks, request):
    """The cast's entries and 30 more with two evidence files, a checkpoint every 10 entries and
    one at the end, all exported."""
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    with django_capture_on_commit_callbacks(execute=True):
        files = build_chain(request.getfixturevalue("cast"), 30)
    return files


def _last() -> int:
    return HistoryEntry.objects.order_by("-seq").values_list("seq", flat=True).first()


def test_an_untouched_history_verifies_clean(chain):
    report = verify()
    assert report.ok, report.text()
    assert report.entries == _last() == report.verified_to
    assert report.checkpoints >= 4 and report.files == 2
    assert "未发现篡改" in report.text() and "no tampering found" in report.text()


def test_an_empty_history_verifies_clean(db):
    report = verify()
    assert report.ok and report.entries == 0
    assert "no checkpoint file" in report.notes[0]


def test_an_edited_field_is_located(chain):
    set_column(7, "actor_name", "别人")
    report = verify()
    assert (report.first.kind, report.first.seq) == (Kind.CHANGED, 7)
    assert "第 7 条" in report.text() and "entry #7" in report.text()


def test_an_edited_payload_is_located(chain):
    payload = HistoryEntry.objects.get(seq=12).payload
    payload["edited"] = "改过的措施"
    set_column(12, "payload", json.dumps(payload, ensure_ascii=False))
    assert (verify().first.kind, verify().first.seq) == (Kind.CHANGED, 12)


def test_payloads_are_stored_as_their_canonical_text(chain):
    # What `verify` hashes as stored, on SQLite and PostgreSQL alike (history migration 0005).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT payload FROM {HistoryEntry._meta.db_table}")  # noqa: S608 - a constant
        stored = [text for (text,) in cursor.fetchall()]
    assert stored and all(text == canonical_json(json.loads(text)) for text in stored)


def test_a_payload_stored_in_another_json_form_still_verifies(chain):
    # Entries written on PostgreSQL before migration 0005 hold jsonb's form of their payload:
    # same meaning, other bytes. They are re-written canonically, not reported.
    payload = HistoryEntry.objects.get(seq=12).payload
    set_column(12, "payload", json.dumps(dict(reversed(payload.items())), ensure_ascii=False, indent=1))
    report = verify()
    assert report.ok, report.text()
    assert report.entries == _last()


def test_payloads_offer_no_json_lookups(db):
    # The column is text on both databases: a lookup into it must fail alike, not differ by database.
    with pytest.raises(FieldError):
        list(HistoryEntry.objects.filter(payload__transition="submit"))


def test_a_deleted_entry_is_located(chain):
    delete_entries("seq = %s", [9])
    first = verify().first
    assert (first.kind, first.seq) == (Kind.MISSING, 9)


def test_swapped_entries_are_located(chain):
    swap_seq(5, 11)
    first = verify().first
    assert (first.kind, first.seq) == (Kind.REORDERED, 5)
    swap_seq(5, 11)
    swap_seq(14, 15)
    first = verify().first
    assert (first.kind, first.seq) == (Kind.REORDERED, 14)


def test_a_broken_link_is_located(chain):
    # Re-hash one entry over a wrong prev_hash: the entry is self-consistent, the link is not.
    entry = HistoryEntry.objects.get(seq=6)
    set_column(6, "prev_hash", "f" * 64)
    from zhenggai.history.canonical import entry_hash

    set_column(6, "hash", entry_hash({**entry.hashed_fields(), "prev_hash": "f" * 64}))
    first = verify().first
    assert (first.kind, first.seq) == (Kind.BROKEN_LINK, 6)


def test_a_rehashed_chain_is_caught_by_the_signed_checkpoints(chain):
    set_column(13, "action", "measure.delete")
    rehash_from(13)
    first = verify().first
    assert first.kind == Kind.REHASHED
    assert first.seq <= 13 <= first.seq_end
    assert first.seq_end - first.seq < 10  # located within one checkpoint interval


def test_a_truncated_tail_is_caught(chain):
    last = _last()
    delete_entries("seq > %s", [last - 4])
    fix_head()
    first = verify().first
    assert (first.kind, first.seq, first.seq_end) == (Kind.TRUNCATED, last - 3, last)


def test_a_forged_checkpoint_line_is_reported(chain):
    conf = history_conf()
    lines = conf.checkpoint_file.read_text().splitlines()
    forged = json.loads(lines[1])
    forged["head_hash"] = "0" * 64
    conf.checkpoint_file.write_text("\n".join([lines[0], json.dumps(forged), *lines[2:], "not json"]) + "\n")
    report = verify()
    kinds = [(f.kind, f.line) for f in report.findings]
    assert kinds == [(Kind.BAD_SIGNATURE, 2), (Kind.BAD_SIGNATURE, len(lines) + 1)]


def test_checking_against_the_offices_copy(chain, tmp_path):
    conf = history_conf()
    office = tmp_path / "office"
    office.mkdir()
    (office / "checkpoints.jsonl").write_bytes(conf.checkpoint_file.read_bytes())
    (office / "key.pub.pem").write_bytes(conf.public_key_file.read_bytes())
    conf.checkpoint_file.unlink()  # the server's copy is gone, and with it the checkpoints' hashes…
    last = _last()
    delete_entries("seq > %s", [last - 2])
    fix_head()
    Checkpoint.objects.all().delete()  # …and the careful attacker empties the table that listed them
    assert verify().ok  # so the server alone cannot tell (beyond the head record, also fixed)
    first = verify(checkpoint_file=office / "checkpoints.jsonl", public_key_file=office / "key.pub.pem").first
    assert (first.kind, first.seq) == (Kind.TRUNCATED, last - 1)


def test_a_replaced_or_lost_evidence_file_is_reported(chain, settings):
    first, second = chain
    path = settings.MEDIA_ROOT / first.file.name
    path.write_bytes(b"%PDF-1.4 another document")
    (settings.MEDIA_ROOT / second.file.name).unlink()
    report = verify()
    assert report.chain is None
    found = [(f.kind, f.evidence_id) for f in report.file_findings]
    assert found == [(Kind.FILE_SWAPPED, first.pk), (Kind.FILE_MISSING, second.pk)]


def test_evidence_whose_recorded_hash_was_rewritten_in_the_database_is_reported(chain, settings):
    evidence = chain[0]
    other = b"%PDF-1.4 forged"
    import hashlib

    sha = hashlib.sha256(other).hexdigest()
    name = f"evidence/{sha[:2]}/{sha}"
    (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / name).write_bytes(other)
    type(evidence).objects.filter(pk=evidence.pk).update(sha256=sha, file=name)
    [finding] = verify().file_findings
    assert (finding.kind, finding.evidence_id) == (Kind.FILE_SWAPPED, evidence.pk)
    assert "recorded SHA-256" in finding.detail


def test_a_tampered_row_that_django_cannot_read_is_located(chain):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite lets a column hold a value of the wrong type")
    set_column(8, "payload", "{not json")
    assert (verify().first.kind, verify().first.seq) == (Kind.CHANGED, 8)
    set_column(4, "recorded_at", "not a date")
    assert (verify().first.kind, verify().first.seq) == (Kind.CHANGED, 4)
    set_column(2, "seq", "two")
    assert (verify().first.kind, verify().first.seq) == (Kind.MISSING, 2)


def test_text_that_is_not_utf8_is_located_not_fatal(chain):
    # SQLite's driver refuses to decode such text; verify must report the entry, not crash.
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores text that is not UTF-8")
    with owner_rights():
        raw(f"UPDATE {TABLE} SET actor_name = CAST(X'FFFE41' AS TEXT) WHERE seq = 6")  # noqa: S608
    report = verify()
    assert (report.first.kind, report.first.seq) == (Kind.CHANGED, 6)


def test_the_command_exits_0_when_clean_and_1_when_tampered(chain):
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "未发现篡改" in out.getvalue()
    delete_entries("seq = %s", [3])
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_history", stdout=out)
    assert caught.value.returncode == 1
    assert "发现篡改" in out.getvalue() and "entry #3" in out.getvalue()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_history", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["ok"] is False and data["chain"]["kind"] == "missing" and data["chain"]["seq"] == 3


def test_the_checkpoint_command_signs_the_head(db, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("checkpoint_history", stdout=out)
    assert "未生成检查点" in out.getvalue()
    assert (
        not history_conf().checkpoint_file.exists() or read_checkpoints(history_conf().checkpoint_file) == []
    )


def test_a_lost_signing_key_is_replaced_and_old_checkpoints_still_verify(
    chain, cast, caplog, django_capture_on_commit_callbacks
):
    conf = history_conf()
    old_public = conf.public_key_file.read_bytes()
    conf.key_file.unlink()
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(datetime.timedelta(hours=2)):
        with transaction.atomic():
            record(actor=None, action="round.note", obj=cast.a.round, payload={})
    assert "signing key" in caplog.text
    assert conf.public_key_file.read_bytes() != old_public
    [retired] = conf.checkpoint_dir.glob("history-ed25519.*.pub.pem")
    assert retired.read_bytes() == old_public
    report = verify()
    assert report.ok, report.text()
    assert len(report.notes[0].split(":")[1].split(",")) == 2  # both key ids are named


def test_the_command_line_entry_returns_the_exit_code(chain, capsys):
    args = verify_args()
    assert cli_verify.run(args) == 0
    delete_entries("seq = %s", [5])
    assert cli_verify.run(args) == 1
    captured = capsys.readouterr()
    assert "entry #5" in captured.out and "history verification failed" in captured.err
