"""A snapshot of what the parser reads from every corpus file, to prove a speed-up changes nothing.

Run as ``PYTHONPATH=src .venv/bin/python bench/parse_snapshot.py OUT --without-heldout [--mutants DIR]``. Each file
of the dev corpus, the samples and the project's corpus (``tests/data/corpus``, never its held-out
fifth) is parsed, with the mutated copies the tests score (``tests/core/_mutations.py``: traditional
characters, hard-wrapped at 24, 28 and 36 columns, "." for 。, half-width marks, watermarks, a line
printed twice), and the JSON of each result (or of its error) is written to ``OUT/NAME.json``.
Take a snapshot before a change and one after it: ``diff -r BEFORE AFTER`` must print nothing.

The mutated copies are written once into ``--mutants`` (by default ``/tmp/zhenggai-mutants``) and
read from there on later runs: they depend on the corpus and the mutation code, not on the parser.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from zhenggai.core.errors import DocumentError  # noqa: E402
from zhenggai.core.parse import read_document  # noqa: E402

FAMILIES = ("traditional", "wrap24", "wrap28", "wrap36", "period", "half-width", "watermark", "duplicate")
KINDS = {".txt", ".docx", ".xlsx", ".pdf", ".md", ".html", ".htm", ".csv"}


def shared_dir() -> Path:
    return Path(os.environ.get("ZHENGGAI_SHARED") or REPO.parent.parent / "shared")


def corpus_folders(shared: Path) -> list[Path]:
    """The folders read, the held-out fifth left out (it is never parsed while the parser changes)."""
    return [shared / "corpus" / "dev", shared / "samples", REPO / "tests" / "data" / "corpus"]


def documents(folder: Path) -> list[Path]:
    """The documents directly in ``folder``: never one under a held-out folder (``heldout/``)."""
    return sorted(
        p for p in folder.glob("*") if p.is_file() and p.suffix.lower() in KINDS and "heldout" not in p.parts
    )


def golds(folders: list[Path]) -> list[Path]:
    return [gold for folder in folders for gold in sorted(folder.glob("*.gold.json"))]


def mutants(folders: list[Path], out: Path) -> list[Path]:
    """The mutated copies of each family, written into ``out/FAMILY`` when not there yet."""
    gold_files = [str(g) for g in golds(folders)]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    files: list[Path] = []
    for family in FAMILIES:
        folder = out / family
        if not folder.is_dir():
            script = str(REPO / "tests" / "core" / "_mutations.py")
            subprocess.run(  # noqa: S603 (the project's own script)
                [sys.executable, script, family, *gold_files, "--out", str(folder)],
                check=True,
                stdout=subprocess.DEVNULL,
                env=env,
            )
        files.extend(documents(folder))
    return files


def snapshot(path: Path) -> str:
    """The parse of ``path`` as JSON (sorted keys), with the lines the importer shows beside it;
    the error's kind and message for a document that cannot be read."""
    try:
        ledger, lines = read_document(path.read_bytes(), path.name)
        result: object = {"ledger": ledger, "lines": lines}
    except DocumentError as exc:
        result = {"error": type(exc).__name__, "message": str(exc)}
    return json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write one JSON file a document into")
    parser.add_argument("--mutants", type=Path, default=Path(tempfile.gettempdir()) / "zhenggai-mutants")
    parser.add_argument("--no-mutants", action="store_true", help="the corpus files only")
    parser.add_argument(
        "--without-heldout",
        action="store_true",
        help="say that the held-out fifth is left out (as bench/parse.py's option; it always is here)",
    )
    args = parser.parse_args()
    folders = corpus_folders(shared_dir())
    files = [(folder.name, path) for folder in folders for path in documents(folder)]
    if not args.no_mutants:
        files += [(path.parent.name, path) for path in mutants(folders, args.mutants)]
    args.out.mkdir(parents=True, exist_ok=True)
    for group, path in files:
        (args.out / f"{group}--{path.name}.json").write_text(snapshot(path) + "\n", encoding="utf-8")
    print(f"{len(files)} documents → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
