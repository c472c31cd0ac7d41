"""Fixtures of the document core's tests: no database and no Django settings needed."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

# `make test` spreads the tests over the cores (pytest-xdist, --dist loadgroup): one by one, except
# that the tests sharing an expensive fixture go to one worker, which builds it once.
# Module-scoped fixtures: the report printed by LibreOffice, the sample report read, the openings scored.
ONE_WORKER_MODULES = {"test_report_pdf.py", "test_report_docx.py", "test_real_preambles.py"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the xdist_group marks
def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.parent != HERE:
            continue
        if item.path.name in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        elif item.path.name == "test_corpus_mutations.py":
            # The `pdf` family's tests share the `pdfs` session fixture: the whole corpus printed
            # by LibreOffice (minutes of soffice on a fresh machine), wanted once per run, not per worker.
            callspec = getattr(item, "callspec", None)
            if callspec is not None and callspec.params.get("family") == "pdf":
                item.add_marker(pytest.mark.xdist_group("corpus-pdf"))


@pytest.fixture(autouse=True)
def _test_settings():
    """Shadows the web tests' autouse settings fixture: the document core needs no Django settings."""
    return None
