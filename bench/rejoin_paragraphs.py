"""Hard-wrap re-joining measured paragraph by paragraph (core.layout), on the training part of the
project corpus and the dev corpus: never on the held-out fifth.

Run as ``.venv/bin/python bench/rejoin_paragraphs.py [SHARED_DIR] [--widths 20,24,28] [-v] [NAME.txt …]``.
Each text whose own lines are not wrapped is cut at each width as a PDF copy is (the mutation tests'
``wrap_line``: blank lines dropped), read back with ``split_lines(rejoin_wrapped=True)`` and compared
with its own lines. Printed: how many original lines were run together (``merges``; ``true merges``:
a re-joined paragraph that holds two whole original lines), split apart, or changed, and the lines
that open the paragraphs run into the one before them, most frequent first.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests" / "core"))

from _mutations import wrap_line  # noqa: E402

from zhenggai.core.layout import wrap_width  # noqa: E402
from zhenggai.core.readers.text import split_lines  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?", type=Path, help="the shared folder (default: $ZHENGGAI_SHARED)")
    parser.add_argument("--widths", default="20,22,24,26,28,30,32,36,40")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each difference")
    parser.add_argument("names", nargs="*", help="only these files (by name)")
    return parser.parse_args()


def texts(shared: Path, names: list[str]) -> list[Path]:
    paths = sorted((REPO / "tests" / "data" / "corpus").glob("*.txt")) + sorted(
        (shared / "corpus" / "dev").glob("*.txt")
    )
    return [path for path in paths if not names or path.name in names]


def main() -> int:
    args = arguments()
    shared = args.shared or Path(os.environ.get("ZHENGGAI_SHARED") or REPO.parent / "shared")
    widths = [int(w) for w in args.widths.split(",")]
    counts: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    documents = 0
    for path in texts(shared, args.names):
        text = path.read_bytes().decode("utf-8", "replace")
        if wrap_width(text.replace("\r\n", "\n").split("\n")) is not None:
            continue  # a copy wrapped already: its own lines are no paragraphs
        own = split_lines(text)
        documents += 1
        for width in widths:
            lines = [piece for line in text.split("\n") if line.strip() for piece in wrap_line(line, width)]
            dropped: list[str] = []
            read = [line.strip() for line in split_lines("\n".join(lines), dropped, rejoin_wrapped=True)]
            matcher = difflib.SequenceMatcher(a=own, b=read, autojunk=False)
            for op, a0, a1, b0, b1 in matcher.get_opcodes():
                if op == "equal" or (
                    op == "delete" and all(any(x in d for d in dropped) for x in own[a0:a1])
                ):
                    continue
                kind = "merges" if a1 - a0 > b1 - b0 else "splits" if b1 - b0 > a1 - a0 else "changes"
                counts[kind] += 1
                for paragraph in read[b0:b1]:
                    inside = [x for x in own[a0:a1] if x and x in paragraph]
                    if len(inside) >= 2:
                        counts["true merges"] += 1
                        heads.update(x[:2] for x in inside[1:])
                if args.verbose:
                    print(f"== {path.name} w{width} {kind}")
                    print("\n".join(f"   own | {x[:120]}" for x in own[a0:a1]))
                    print("\n".join(f"  read | {x[:120]}" for x in read[b0:b1]))
    print(
        f"{documents} texts × {len(widths)} widths: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    print(
        "paragraphs run into the one before, by their opening: "
        + ", ".join(f"{h} {n}" for h, n in heads.most_common(30))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
