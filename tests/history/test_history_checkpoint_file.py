"""`verify` holds the checkpoint file to what the database lists: a file lost, cut or re-signed fails."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
import time_machine
from _history_support import build_chain, rehash_from, set_column, verify_args
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from zhenggai.history import cli_verify
from zhenggai.history.conf import history_conf
from zhenggai.history.models import Checkpoint
from zhenggai.history.report import Kind
from zhenggai.history.services import checkpoint_now, record
from zhenggai.history.signing import SignedCheckpoint, read_checkpoints, sign_checkpoint
from zhenggai.history.verify import verify

LATER = datetime.timedelta(minutes=2)  # past the 60 s a fresh checkpoint's line may take


@pytest.fixture
def chain(cast, settings, django_capture_on_commit_callbacks):
    """About 30 entries, a checkpoint every 10 of them and one at the end, all exported."""
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    with django_capture_on_commit_callbacks(execute=True):
        build_chain(cast, 30)
    return history_conf().checkpoint_file


def _lines(path) -> list[str]:
    return path.read_text().splitlines()


def _missing(report):
    return [f for f in report.findings if f.kind == Kind.CHECKPOINTS_MISSING]


def _cli(**given) -> int:
    return cli_verify.run(verify_args(**given))


def test_an_untouched_file_verifies_clean_long_after(chain):
    with time_machine.travel(LATER):
        report = verify()
    assert report.ok, report.text()
    assert not _missing(report)


def test_a_fresh_install_without_checkpoints_or_file_stays_clean(db):
    with time_machine.travel(LATER):
        report = verify()
    assert report.ok and not Checkpoint.objects.exists()
    assert "no checkpoint file" in report.notes[0]


def test_a_deleted_file_fails_once_its_lines_cannot_be_on_their_way(chain, capsys):
    listed = Checkpoint.objects.count()
    chain.unlink()
    report = verify()
    assert report.ok and "not in the file yet" in report.text()  # just signed: the append may follow
    with time_machine.travel(LATER):
        report = verify()
        assert _cli() == cli_verify.EXIT_TAMPERED
    [finding] = report.findings
    assert finding.kind == Kind.CHECKPOINTS_MISSING
    assert f"the database lists {listed} signed checkpoints;" in finding.detail
    assert "the file is missing" in finding.detail
    out = capsys.readouterr().out
    assert "检查点文件缺失或不完整" in out and "checkpoint file missing or incomplete" in out


def test_a_deleted_file_and_a_rehashed_chain_no_longer_pass(chain, django_capture_on_commit_callbacks):
    """The case that passed before: the file gone, the chain re-hashed from an early entry and the
    table's later checkpoints dropped. The table still lists the early ones the file should hold."""
    chain.unlink()
    set_column(4, "action", "measure.delete")
    rehash_from(4)
    assert Checkpoint.objects.filter(seq__lt=4).exists()
    with time_machine.travel(LATER):
        report = verify()
        assert not report.ok
        assert [f.kind for f in report.findings] == [Kind.CHECKPOINTS_MISSING]
        with django_capture_on_commit_callbacks(execute=True):
            report = verify(sign_head=True)  # exporting the lines again does not hide that they were gone
        assert [f.kind for f in report.findings] == [Kind.CHECKPOINTS_MISSING]


def test_a_truncated_file_names_the_checkpoints_it_lost(chain):
    lines = _lines(chain)
    kept = [json.loads(line)["seq"] for line in lines[:2]]
    chain.write_text("\n".join(lines[:2]) + "\n")
    lost = list(Checkpoint.objects.exclude(seq__in=kept).order_by("seq").values_list("seq", flat=True))
    with time_machine.travel(LATER):
        report = verify()
        assert _cli() == 1
    [finding] = _missing(report)
    assert (finding.seq, finding.seq_end) == (lost[0], lost[-1])
    assert "the file held 2" in finding.detail and f"#{lost[0]}" in finding.detail


def test_a_file_with_fewer_lines_than_the_table_fails(chain):
    lines = _lines(chain)
    gone = json.loads(lines[2])["seq"]
    chain.write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    with time_machine.travel(LATER):
        [finding] = _missing(verify())
    assert (finding.seq, finding.seq_end) == (gone, gone)
    assert f"the file held {len(lines) - 1}" in finding.detail


def test_a_line_re_signed_with_another_key_fails(chain, capsys):
    lines = _lines(chain)
    original = json.loads(lines[1])
    forged = sign_checkpoint(
        Ed25519PrivateKey.generate(), original["seq"], original["head_hash"], original["created_at"]
    )
    chain.write_text("\n".join([lines[0], forged.as_line().strip(), *lines[2:]]) + "\n")
    report = verify()
    assert (report.first.kind, report.first.line) == (Kind.BAD_SIGNATURE, 2)
    assert f"unknown key {forged.key_id}" in report.first.detail
    assert _cli() == 1
    assert "检查点签名无效" in capsys.readouterr().out
    with time_machine.travel(LATER):
        assert [f.seq for f in _missing(verify())] == [original["seq"]]


def test_a_table_row_that_disagrees_with_its_line_fails(chain):
    row = Checkpoint.objects.order_by("seq")[1]
    Checkpoint.objects.filter(pk=row.pk).update(head_hash="0" * 64)
    [finding] = _missing(verify())
    assert finding.detail.endswith(f"row differ: #{row.seq}")


def test_a_line_lost_after_its_commit_is_noted_then_failed_and_exported_by_verify_checkpoint(
    chain, cast, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        entry = record(actor=None, action="round.note", obj=cast.a.round, payload={})
    checkpoint_now()  # its line's append never runs: as if the process died after the commit
    assert verify().ok and "not in the file yet" in verify().text()
    with time_machine.travel(LATER):
        with django_capture_on_commit_callbacks(execute=True):
            report = verify(sign_head=True)
        [finding] = report.findings
        assert finding.kind == Kind.CHECKPOINTS_MISSING and finding.seq == entry.seq
        assert "exported from the database now" in finding.detail
        assert verify().ok  # the line is in the file again: a second run is clean
    assert entry.seq in [c.seq for c in read_checkpoints(chain)]


def test_verify_checkpoint_signs_the_head_first(chain, cast, django_capture_on_commit_callbacks):
    with transaction.atomic():
        head = record(actor=None, action="round.note", obj=cast.a.round, payload={})
    assert not Checkpoint.objects.filter(seq=head.seq).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("verify_history", "--checkpoint", stdout=StringIO())
    assert Checkpoint.objects.filter(seq=head.seq).exists()
    assert read_checkpoints(chain)[-1].seq == head.seq
    report = verify()
    assert report.ok and report.checkpoints == len(_lines(chain))


def test_an_office_copy_older_than_the_database_is_not_a_failure(chain, cast, tmp_path):
    copy = tmp_path / "office.jsonl"
    copy.write_bytes(chain.read_bytes())
    last_copied = max(c.seq for c in read_checkpoints(copy) if isinstance(c, SignedCheckpoint))
    with transaction.atomic():
        record(actor=None, action="round.note", obj=cast.a.round, payload={})
    checkpoint_now()
    with time_machine.travel(LATER):
        report = verify(checkpoint_file=copy, public_key_file=history_conf().public_key_file)
    assert report.ok, report.text()
    assert f"after this copy's last line (#{last_copied})" in report.text()


def test_the_command_fails_with_exit_code_1(chain):
    chain.unlink()
    with time_machine.travel(LATER), pytest.raises(CommandError) as caught:
        call_command("verify_history", "--json", stdout=StringIO())
    assert caught.value.returncode == 1
