"""The corpora of issue #12 scored in-process with the project's scorer.

- ``dev``: the shared dev corpus (/work/shared/corpus/dev, documents there or in ../samples);
- ``corpus``: the new corpus, ``tests/data/corpus/NAME.gold.json`` with its documents beside;
- ``heldout``: its held-out fifth, ``tests/data/corpus/heldout/``.

The environment variable ``ZHENGGAI_CORPUS`` adds corpus folders laid out as ``tests/data/corpus``
(``os.pathsep``-separated; each one's ``heldout/`` joins the held-out set), to score a corpus
that is being written elsewhere before it is merged.

Scoring uses ``score_doc`` and ``ratio`` of ``tests/data/score_parse.py`` (the project's scorer,
vendored verbatim) on what ``parse_document`` returns, and totals the documents as the scorer's
``main()`` does: no subprocess per document.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from _core_support import DEV, SAMPLES

from zhenggai.core.parse import parse_document

DATA = Path(__file__).resolve().parents[1] / "data"
SCORER_COPY = DATA / "score_parse.py"
CORPUS = DATA / "corpus"
GROUPS = ("dev", "corpus", "heldout")
MEASURES = ("finding F1", "measures", "status", "deadline", "fields")
# Counters of score_doc that the totals add up (as the scorer's main() does with every int).
COUNTS = (
    "gold_findings",
    "pred_findings",
    "matched",
    "measures_ok",
    "status_ok",
    "status_n",
    "deadline_ok",
    "deadline_n",
    "long_term_ok",
    "fields_ok",
    "fields_n",
    "noise_leaks",
)


@cache
def scorer() -> ModuleType:
    """tests/data/score_parse.py, imported by path."""
    spec = importlib.util.spec_from_file_location("score_parse", SCORER_COPY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Document:
    """A gold annotation and the document it annotates."""

    group: str
    gold_file: Path
    path: Path | None  # None: the document is missing (a failure, as for the scorer)

    @property
    def gold(self) -> dict[str, Any]:
        return _load(self.gold_file)

    @property
    def name(self) -> str:
        """Unique over the groups: the group and the gold's source."""
        return f"{self.group}/{self.gold['source']}"

    @property
    def kind(self) -> str:
        """txt, html, docx, xlsx or pdf, by the document's name."""
        suffix = Path(self.gold["source"]).suffix.lower()
        return {".docx": "docx", ".xlsx": "xlsx", ".pdf": "pdf", ".htm": "html", ".html": "html"}.get(
            suffix, "txt"
        )

    def data(self) -> bytes:
        assert self.path is not None
        return _read(self.path)


@cache
def _load(gold_file: Path) -> dict[str, Any]:
    return json.loads(gold_file.read_text(encoding="utf-8"))


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def corpus_folders() -> list[Path]:
    """The new corpus's folders: the repository's and those named in ZHENGGAI_CORPUS."""
    extra = [Path(part) for part in os.environ.get("ZHENGGAI_CORPUS", "").split(os.pathsep) if part]
    return [CORPUS, *extra]


def _documents(group: str, gold_dir: Path, search: Iterable[Path]) -> list[Document]:
    out = []
    for gold_file in sorted(gold_dir.glob("*.gold.json")):
        source = _load(gold_file)["source"]
        path = next((d / source for d in search if (d / source).is_file()), None)
        out.append(Document(group, gold_file, path))
    return out


@cache
def documents(group: str) -> tuple[Document, ...]:
    """Every annotated document of a group (see the module's docstring)."""
    if group == "dev":
        return tuple(_documents("dev", DEV, (DEV, SAMPLES))) if DEV.is_dir() else ()
    out: list[Document] = []
    for folder in corpus_folders():
        gold_dir = folder / "heldout" if group == "heldout" else folder
        if gold_dir.is_dir():
            out += _documents(group, gold_dir, (gold_dir,))
    seen: set[str] = set()
    unique = []
    for doc in out:  # a document merged into the repository and still in a worktree counts once
        if doc.name not in seen:
            seen.add(doc.name)
            unique.append(doc)
    return tuple(unique)


@dataclass
class DocScore:
    """score_doc's counters for one document, and whether the parser failed on it."""

    name: str
    counts: dict[str, int]
    misses: list[str]
    failed: str | None = None


def score(gold: dict[str, Any], data: bytes | None, filename: str, name: str) -> DocScore:
    """Parse ``data`` in-process and score it against ``gold`` (a crash scores an empty ledger)."""
    failed = None
    pred: dict[str, Any] = {"sections": []}
    if data is None:
        failed = "document not found"
    else:
        try:
            pred = parse_document(data, filename)
        except Exception as exc:  # the scorer counts any crash as a failure scoring zero
            failed = f"parser failed: {exc!r}"[:200]
    s = scorer().score_doc(gold, pred)
    return DocScore(name, {key: int(s[key]) for key in COUNTS}, list(s["misses"]), failed)


def score_document(doc: Document) -> DocScore:
    return score(doc.gold, doc.data() if doc.path else None, doc.gold["source"], doc.name)


@dataclass
class Figures:
    """The scorer's overall line for a set of documents."""

    counts: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    documents: int = 0

    @classmethod
    def of(cls, scores: Iterable[DocScore]) -> Figures:
        figures = cls(counts=dict.fromkeys(COUNTS, 0))
        for s in scores:
            figures.documents += 1
            figures.failures += s.failed is not None
            for key in COUNTS:
                figures.counts[key] += s.counts[key]
        return figures

    def ratios(self) -> dict[str, float]:
        ratio, c = scorer().ratio, self.counts
        p, r = ratio(c["matched"], c["pred_findings"]), ratio(c["matched"], c["gold_findings"])
        return {
            "finding F1": 2 * p * r / (p + r) if p + r else 0.0,
            "precision": p,
            "recall": r,
            "measures": ratio(c["measures_ok"], c["matched"]),
            "status": ratio(c["status_ok"], c["status_n"]),
            "deadline": ratio(c["deadline_ok"], c["deadline_n"]),
            "fields": ratio(c["fields_ok"], c["fields_n"]),
        }

    @property
    def noise_leaks(self) -> int:
        return self.counts["noise_leaks"]

    def line(self) -> str:
        """The scorer's overall line."""
        r = self.ratios()
        return (
            f"finding F1 {r['finding F1']:.3f} (P {r['precision']:.3f} R {r['recall']:.3f}); "
            f"measures {r['measures']:.3f}; status {r['status']:.3f}; deadline {r['deadline']:.3f}; "
            f"fields {r['fields']:.3f}; noise leaks {self.noise_leaks}; parser failures {self.failures}; "
            f"{self.documents} documents, {self.counts['gold_findings']} findings"
        )


def doc_line(s: DocScore) -> str:
    """One document's figures, as the scorer prints them."""
    c, ratio = s.counts, scorer().ratio
    p, r = ratio(c["matched"], c["pred_findings"]), ratio(c["matched"], c["gold_findings"])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    text = (
        f"F1 {f1:.3f} (P {p:.2f} R {r:.2f}) measures {c['measures_ok']}/{c['matched']} "
        f"status {c['status_ok']}/{c['status_n']} deadline {c['deadline_ok']}/{c['deadline_n']} "
        f"fields {c['fields_ok']}/{c['fields_n']} noise {c['noise_leaks']}"
    )
    return text + (f" [{s.failed}]" if s.failed else "")
