"""Evidence in an S3-compatible bucket (EVIDENCE_S3_BUCKET, docs/deploy.md): stored under its hash,
downloaded through the scoped view, and checked by `verify` through the storage itself.

The bucket is moto's S3 inside the test process: django-storages and boto3 run unchanged, only the
HTTP calls are answered in memory."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from urllib.parse import quote

import boto3
import pytest
from _history_support import PDF, build_chain
from django.core.files.storage import storages
from django.urls import reverse
from moto import mock_aws

from zhenggai.history.report import Kind
from zhenggai.history.verify import verify
from zhenggai.ledger.services import evidence_attach

BUCKET = "zhenggai-evidence"
PREFIX = "county"


@pytest.fixture
def bucket(settings, monkeypatch):
    """The default storage is an S3 bucket, as settings.py builds it from EVIDENCE_S3_BUCKET."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "location": PREFIX,
                    "default_acl": None,
                    "file_overwrite": True,
                },
            },
        }
        yield client


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_evidence_is_stored_in_the_bucket_under_its_hash_and_downloaded_through_the_view(
    bucket, cast, client
):
    data = PDF + b"meeting minutes signed on the spot"
    evidence = evidence_attach(
        measure=cast.a.measure,
        actor=cast.clerk_a,
        name="会议记录.pdf",
        size=len(data),
        stream=io.BytesIO(data),
    )
    assert _keys(bucket) == [f"{PREFIX}/evidence/{evidence.sha256[:2]}/{evidence.sha256}"]
    assert not os.path.exists(os.path.join(str(storages["default"].location), evidence.file.name))

    client.force_login(cast.clerk_a)
    response = client.get(reverse("ledger:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert f"filename*=utf-8''{quote('会议记录.pdf')}" in response["Content-Disposition"]

    # The same bytes attached again are the same object, not a renamed second copy.
    again = evidence_attach(
        measure=cast.a.measure, actor=cast.clerk_a, name="副本.pdf", size=len(data), stream=io.BytesIO(data)
    )
    assert again.file.name == evidence.file.name and len(_keys(bucket)) == 1

    client.force_login(cast.clerk_b)  # another unit's clerk: the bucket is no way around the scope
    assert client.get(reverse("ledger:evidence_download", args=[evidence.pk])).status_code == 404


@pytest.fixture
def s3_chain(bucket, cast, settings, django_capture_on_commit_callbacks):
    settings.ZHENGGAI_HISTORY = {**settings.ZHENGGAI_HISTORY, "CHECKPOINT_EVERY_ENTRIES": 10}
    with django_capture_on_commit_callbacks(execute=True):
        files = build_chain(cast, 12)
    return files


def test_verify_reads_the_evidence_from_the_bucket(s3_chain):
    report = verify()
    assert report.ok, report.text()
    assert report.files == 2


def test_verify_finds_an_object_replaced_or_deleted_in_the_bucket(s3_chain, bucket):
    swapped, deleted = s3_chain
    bucket.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{swapped.file.name}", Body=PDF + b"rewritten afterwards")
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{deleted.file.name}")

    report = verify()
    assert not report.ok
    found = {(finding.kind, finding.evidence_id) for finding in report.file_findings}
    assert found == {(Kind.FILE_SWAPPED, swapped.pk), (Kind.FILE_MISSING, deleted.pk)}
    missing = next(f for f in report.file_findings if f.kind == Kind.FILE_MISSING)
    assert "S3Storage" in missing.detail


SETTINGS_STORAGE = """
import json, sys
{block}
from django.conf import settings
import django
django.setup()
print(json.dumps(settings.STORAGES["default"]))
"""


def _read_storage(env: dict[str, str], block: str = "", cwd=None) -> subprocess.CompletedProcess[str]:
    given = {key: os.environ[key] for key in ("PATH", "LANG", "HOME", "PYTHONPATH") if key in os.environ}
    given.update(env, DJANGO_SETTINGS_MODULE="zhenggai.config.settings")
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_STORAGE.format(block=block)],
        env=given,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_bucket_is_chosen_by_environment(tmp_path):
    env = {
        "ZHENGGAI_DATA_DIR": str(tmp_path),
        "EVIDENCE_S3_BUCKET": "office-evidence",
        "EVIDENCE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "EVIDENCE_S3_PREFIX": "zhenggai",
    }
    read = _read_storage(env, cwd=tmp_path)
    assert read.returncode == 0, read.stderr
    assert '"storages.backends.s3.S3Storage"' in read.stdout
    for value in ('"office-evidence"', '"http://127.0.0.1:9000"', '"zhenggai"'):
        assert value in read.stdout

    plain = _read_storage({"ZHENGGAI_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert '"django.core.files.storage.FileSystemStorage"' in plain.stdout


def test_a_bucket_without_the_s3_extra_installed_is_refused_with_a_clear_message(tmp_path):
    env = {"ZHENGGAI_DATA_DIR": str(tmp_path), "EVIDENCE_S3_BUCKET": "office-evidence"}
    read = _read_storage(env, block="sys.modules['storages'] = None", cwd=tmp_path)
    assert read.returncode != 0
    assert "未安装 S3 存储组件" in read.stderr and "zhenggai[s3]" in read.stderr
