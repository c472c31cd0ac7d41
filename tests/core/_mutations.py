"""Mutated copies of a corpus document, each with its gold transformed as a correct parser reads it.

A family turns a document (_corpus.Document) into a ``Mutant`` — new bytes, a file name, and the
gold annotation a correct parser would score against — or a list of them, or None where it does
not apply. Every mutation is deterministic: its random choices are seeded by the family and the
document's name.

What each family does to each format (txt also covers .md/.csv and web copies; html is text
kept as a web page saved it):

- ``traditional``: OpenCC's ``s2t`` over the text (txt, html), every paragraph of a .docx (body and
  table cells), every string cell and sheet name of an .xlsx. The gold's statements, title and
  round texts (not its kind, an enumeration, nor its dates) become the very characters the
  converted document prints there (the parser keeps the printed text). PDF: not applied.
- ``wrap24``, ``wrap28``, ``wrap36``: txt only. Every line is cut into lines of that many
  full-width characters (a half-width character counts half), as text copied out of a PDF is,
  and the blank lines between paragraphs are dropped. As a typesetter does, a line never starts
  with closing punctuation (it stays on the line before) and a number or Latin word (2.15, 50%,
  10:30) is not cut. ``wrap28-blank`` keeps the blank lines. The gold is unchanged.
- ``docx``: a txt document written as a Word file with python-docx, one paragraph a line (a blank
  line an empty paragraph). Other formats: not applied (a .docx is itself already).
- ``pdf``: that Word file, or a .docx document itself, printed to PDF by LibreOffice (one soffice
  call for the whole corpus, see the ``pdfs`` fixture). Not applied to .xlsx (a printed workbook
  cuts its columns across pages), PDF or html.
- ``period``: every "。" typed as "." (txt, html, .docx paragraphs, .xlsx cells); gold alike.
- ``half-width``: ，；：（） typed as , ; : ( ) (same formats); gold alike.
- ``swapped``: full-width and half-width ，；：（） swapped both ways at once (same formats); gold alike.
- ``watermark``: a few watermark lines of document sites inserted between lines at random (txt,
  html), as body paragraphs of a .docx, as rows of an .xlsx between its row groups (never inside
  merged cells). The gold is unchanged.
- ``duplicate``: three copies of each document, each with another line printed twice in a row: a
  non-empty line that is not the title (txt, html); a .docx paragraph, in the body or a table
  cell, not numbered automatically (a copied numbered paragraph would be a new item); an .xlsx
  row holding text (not a title or note merged across the columns), the merged cells that hold
  it (its item's number, its problem) growing by the copy. The gold is unchanged.
PDF documents of the corpus get no family: their text cannot be rewritten in place.

``COMPOSED``: faults as real copies combine them, each family of ``CHAINS`` applied after the
other (``period+wrap28``: 。 typed as "." in a text then hard-wrapped; ``wrap28+watermark``: a
watermark stamped between the wrapped lines). A family that yields several copies (duplicate)
passes each on. The CLI writes them as it writes the others.
"""

from __future__ import annotations

import copy
import io
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from _corpus import Document

TEXT_KINDS = ("txt", "html")
CLOSING = set("，。、；：？！）》」』”’〉】,.;:?!)]%")
OPENING = set("（《「『“‘〈【([")
WATERMARKS = (
    "仅供学习 禁止外传 用后删除",
    "文稿汇编网整理，咨询QQ2061570618",
    "【会员资料仅供内部交流使用，严禁外传及用于商业用途，违者后果自负】",
    "免费QQ群：718253690",
    "本资料来自网络，仅供学习交流，禁止外传",
    "更多范文请加QQ群 56283417 会员资料每日更新",
    "公文材料库 仅供学习参考",
    "现在订阅立享前3年的所有权益和资料",
    "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
)


@dataclass(frozen=True)
class Mutant:
    """A mutated copy: its bytes, its file name, and the gold a correct parser scores against."""

    data: bytes
    filename: str
    gold: dict[str, Any]


def rng(family: str, doc: Document) -> random.Random:
    return random.Random(f"{family}:{doc.name}")  # a str seed is hashed with SHA-512: stable


def filename(doc: Document, suffix: str | None = None) -> str:
    name = Path(doc.gold["source"]).name
    return str(Path(name).with_suffix(suffix)) if suffix else name


# ---------------------------------------------------------------- text and gold


def decode(data: bytes) -> str:
    """The text of a text document: UTF-8 (with or without BOM) or GB18030, with "\\n" line ends."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def map_gold(gold: dict[str, Any], convert: Callable[[str], str]) -> dict[str, Any]:
    """The gold with its statements, title and round texts converted (round kind and dates not)."""
    out = copy.deepcopy(gold)
    for finding in out["findings"]:
        finding["statement"] = convert(finding["statement"])
    if isinstance(out.get("title"), str):
        out["title"] = convert(out["title"])
    for key, value in (out.get("round") or {}).items():
        if isinstance(value, str) and key not in ("kind", "feedback_date"):
            out["round"][key] = convert(value)
    return out


class Aligned:
    """Converts a gold text to what the converted document prints at the same place.

    A text found in the original is taken from the converted document at the same offsets (when
    the conversion kept the length, as OpenCC's does phrase by phrase); a text not found (joined
    over lines, say) is looked up with the line breaks removed, and else converted alone."""

    def __init__(self, before: str, after: str, convert: Callable[[str], str]) -> None:
        self.pairs = [
            (b, a)
            for b, a in ((before, after), (before.replace("\n", ""), after.replace("\n", "")))
            if len(b) == len(a)
        ]
        self.convert = convert

    def __call__(self, text: str) -> str:
        for before, after in self.pairs:
            at = before.find(text)
            if text and at >= 0:
                return after[at : at + len(text)]
        return self.convert(text)


@cache
def s2t() -> Callable[[str], str]:
    """OpenCC's simplified-to-traditional conversion (its config is "s2t" in OpenCC 1.1 and later,
    "s2t.json" before)."""
    import opencc

    try:
        return opencc.OpenCC("s2t").convert
    except Exception:
        return opencc.OpenCC("s2t.json").convert


# ---------------------------------------------------------------- .docx and .xlsx rewriting


def _paragraphs(document) -> list:
    """Every paragraph of a Word document's body and tables (nested ones too), each once, in order."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    return [Paragraph(p, document._body) for p in body.iter(qn("w:p"))]


def _texts(p) -> list:
    from docx.oxml.ns import qn

    return list(p._p.iter(qn("w:t")))


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in _texts(p))


def _set_paragraph_text(p, text: str) -> None:
    """Writes ``text`` over the paragraph's runs, each keeping its share when the length is kept."""
    nodes = _texts(p)
    if not nodes:
        return
    lengths = [len(t.text or "") for t in nodes]
    if sum(lengths) == len(text):
        at = 0
        for node, n in zip(nodes, lengths, strict=True):
            node.text, at = text[at : at + n], at + n
    else:
        nodes[0].text = text
        for node in nodes[1:]:
            node.text = ""
    for node in nodes:
        if node.text and (node.text[0].isspace() or node.text[-1].isspace()):
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _save(document_or_book) -> bytes:
    buffer = io.BytesIO()
    document_or_book.save(buffer)
    return buffer.getvalue()


def _docx_convert(doc: Document, convert: Callable[[str], str]) -> Mutant:
    import docx

    document = docx.Document(io.BytesIO(doc.data()))
    paragraphs = _paragraphs(document)
    before = [_paragraph_text(p) for p in paragraphs]
    after = [convert(text) for text in before]
    for p, old, new in zip(paragraphs, before, after, strict=True):
        if new != old:
            _set_paragraph_text(p, new)
    aligned = Aligned("\n".join(before), "\n".join(after), convert)
    return Mutant(_save(document), filename(doc), map_gold(doc.gold, aligned))


def _xlsx_convert(doc: Document, convert: Callable[[str], str], *, sheet_names: bool) -> Mutant:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(doc.data()))
    before, after = [], []
    for sheet in book.worksheets:
        if sheet_names:
            sheet.title = convert(sheet.title)[:31]
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    before.append(cell.value)
                    cell.value = convert(cell.value)
                    after.append(cell.value)
    aligned = Aligned("\n".join(before), "\n".join(after), convert)
    return Mutant(_save(book), filename(doc), map_gold(doc.gold, aligned))


def character_family(convert: Callable[[str], str], *, sheet_names: bool = False):
    """A family that converts every text of a txt, html, .docx or .xlsx document, gold alike."""

    def apply(doc: Document) -> Mutant | None:
        if doc.kind in TEXT_KINDS:
            text = decode(doc.data())
            converted = "\n".join(convert(line) for line in text.split("\n"))
            aligned = Aligned(text, converted, convert)
            return Mutant(converted.encode("utf-8"), filename(doc), map_gold(doc.gold, aligned))
        if doc.kind == "docx":
            return _docx_convert(doc, convert)
        if doc.kind == "xlsx":
            return _xlsx_convert(doc, convert, sheet_names=sheet_names)
        return None

    return apply


def traditional(doc: Document) -> Mutant | None:
    return character_family(lambda text: s2t()(text), sheet_names=True)(doc)


period = character_family(lambda text: text.replace("。", "."))
half_width = character_family(lambda text: text.translate(str.maketrans("，；：（）", ",;:()")))
swapped = character_family(lambda text: text.translate(str.maketrans("，；：（）,;:()", ",;:()，；：（）")))


# ---------------------------------------------------------------- hard wrap


def _width(ch: str) -> int:
    # Ambiguous characters (“”‘’…—·) are set full-width in a Chinese font.
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def _latin(ch: str) -> bool:
    """A character of a Latin word or a number (2.15, 1,000, 10:30, 50%), which is never cut."""
    return ch.isascii() and not ch.isspace()


def wrap_line(line: str, width: int) -> list[str]:
    """A line cut at ``width`` full-width characters, as a PDF's text is (see the module)."""
    line = line.rstrip()
    columns, out, current, used, i = 2 * width, [], "", 0, 0
    while i < len(line):
        j = i + 1
        if _latin(line[i]):  # a run of Latin letters, digits and their marks goes as one piece
            while j < len(line) and _latin(line[j]) and j - i < 16:
                j += 1
        piece = line[i:j]
        need = sum(_width(ch) for ch in piece)
        if current and used + need > columns and piece[0] not in CLOSING:
            if current[-1] in OPENING and len(current) > 1:  # an opening mark goes to the next line
                out.append(current[:-1])
                current, used = current[-1], _width(current[-1])
            else:
                out.append(current)
                current, used = "", 0
        current, used, i = current + piece, used + need, j
    if current:
        out.append(current)
    return out or [""]


def wrap_family(width: int, *, blank_lines: bool = False):
    def apply(doc: Document) -> Mutant | None:
        if doc.kind != "txt":
            return None
        lines = []
        for line in decode(doc.data()).split("\n"):
            if line.strip():
                lines += wrap_line(line, width)
            elif blank_lines:
                lines.append("")
        return Mutant("\n".join(lines).encode("utf-8"), filename(doc), doc.gold)

    return apply


# ---------------------------------------------------------------- Word and PDF


def as_docx(text: str) -> bytes:
    """A text written as a Word document, one paragraph a line."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line.rstrip())
    return _save(document)


def docx_of(doc: Document) -> bytes | None:
    """The Word document a txt document is written as (for docx and pdf), a .docx's own bytes."""
    if doc.kind == "txt":
        return as_docx(decode(doc.data()))
    if doc.kind == "docx":
        return doc.data()
    return None


def word(doc: Document) -> Mutant | None:
    if doc.kind != "txt":
        return None
    data = docx_of(doc)
    assert data is not None
    return Mutant(data, filename(doc, ".docx"), doc.gold)


def printed(pdfs: dict[str, Path]):
    """The pdf family, given the PDFs LibreOffice printed (document name → PDF path)."""

    def apply(doc: Document) -> Mutant | None:
        path = pdfs.get(doc.name)
        if path is None:
            return None
        return Mutant(path.read_bytes(), filename(doc, ".pdf"), doc.gold)

    return apply


# ---------------------------------------------------------------- watermark and duplicate


def _is_title(text: str, gold: dict[str, Any]) -> bool:
    title = "".join((gold.get("title") or "").split())
    line = "".join(text.split())
    return bool(title and line) and (line in title or title in line)


def _positions(r: random.Random, candidates: list[int], n: int) -> list[int]:
    return sorted(r.sample(candidates, min(n, len(candidates))))


def watermark(doc: Document) -> Mutant | None:
    r = rng("watermark", doc)
    if doc.kind in TEXT_KINDS:
        lines = decode(doc.data()).split("\n")
        n = min(6, 2 + sum(bool(line.strip()) for line in lines) // 30)
        for at in reversed(_positions(r, list(range(len(lines) + 1)), n)):
            lines.insert(at, r.choice(WATERMARKS))
        return Mutant("\n".join(lines).encode("utf-8"), filename(doc), doc.gold)
    if doc.kind == "docx":
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(doc.data()))
        body = [Paragraph(p, document._body) for p in document.element.body.iterchildren(qn("w:p"))]
        n = min(6, 2 + len(body) // 30)
        for at in _positions(r, list(range(len(body))), n):
            body[at].insert_paragraph_before(r.choice(WATERMARKS))
        return Mutant(_save(document), filename(doc), doc.gold)
    if doc.kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(doc.data()))
        for sheet in book.worksheets:
            free = _free_boundaries(sheet)
            n = min(3, 1 + sheet.max_row // 15)
            for at in reversed(_positions(r, free, n)):
                _insert_row(sheet, at, [r.choice(WATERMARKS)])
        return Mutant(_save(book), filename(doc), doc.gold)
    return None


def _free_boundaries(sheet) -> list[int]:
    """Rows before which a row can be inserted without cutting a merged range (max_row + 1 too)."""
    inside = {row for m in sheet.merged_cells.ranges for row in range(m.min_row + 1, m.max_row + 1)}
    return [row for row in range(1, sheet.max_row + 2) if row not in inside]


def _insert_row(sheet, at: int, values: list[Any], *, within: int | None = None) -> None:
    """Inserts a row before row ``at``: the merged ranges below move down, and those holding row
    ``within`` (the row it copies) grow by the new row."""
    from openpyxl.worksheet.cell_range import CellRange

    ranges = [CellRange(str(m)) for m in sheet.merged_cells.ranges]
    for cells in ranges:
        sheet.unmerge_cells(cells.coord)
    sheet.insert_rows(at)
    for column, value in enumerate(values, start=1):
        sheet.cell(at, column).value = value
    for cells in ranges:
        if within is not None and cells.min_row <= within <= cells.max_row:
            cells.expand(down=1)
        elif cells.min_row >= at:
            cells.shift(row_shift=1)
        sheet.merge_cells(cells.coord)


def _numbered(p) -> bool:
    """Whether a Word paragraph is numbered automatically (by its own properties or its style's)."""
    from docx.oxml.ns import qn

    if p._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
        return True
    style = p.style
    while style is not None:
        if style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
            return True
        style = style.base_style
    return False


DUPLICATES = 3  # copies of each document, each with another line printed twice


def duplicate(doc: Document) -> list[Mutant]:
    return [m for k in range(DUPLICATES) if (m := _duplicate(doc, k)) is not None]


def _pick(doc: Document, candidates: list, k: int):
    """The k-th of the lines a document's copies duplicate (distinct while there are enough)."""
    picks = rng("duplicate", doc).sample(range(len(candidates)), min(DUPLICATES, len(candidates)))
    return candidates[picks[k]] if k < len(picks) else None


def _duplicate(doc: Document, k: int) -> Mutant | None:
    if doc.kind in TEXT_KINDS:
        lines = decode(doc.data()).split("\n")
        candidates = [i for i, line in enumerate(lines) if line.strip() and not _is_title(line, doc.gold)]
        at = _pick(doc, candidates, k)
        if at is None:
            return None
        lines.insert(at + 1, lines[at])
        return Mutant("\n".join(lines).encode("utf-8"), filename(doc), doc.gold)
    if doc.kind == "docx":
        import docx

        document = docx.Document(io.BytesIO(doc.data()))
        candidates = [
            p
            for p in _paragraphs(document)
            if _paragraph_text(p).strip() and not _is_title(_paragraph_text(p), doc.gold) and not _numbered(p)
        ]
        p = _pick(doc, candidates, k)
        if p is None:
            return None
        p._p.addnext(copy.deepcopy(p._p))
        return Mutant(_save(document), filename(doc), doc.gold)
    if doc.kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(doc.data()))
        rows = []
        for sheet in book.worksheets:
            # a row merged across columns (a title, a note) is not a line of the table: not copied
            across = {m.min_row for m in sheet.merged_cells.ranges if m.min_row == m.max_row}
            for row in sheet.iter_rows():
                texts = [c.value for c in row if isinstance(c.value, str)]
                if (
                    row[0].row not in across
                    and any(len(t) >= 8 for t in texts)
                    and not any(_is_title(t, doc.gold) for t in texts)
                ):
                    rows.append((sheet, row[0].row))
        picked = _pick(doc, rows, k)
        if picked is None:
            return None
        sheet, at = picked
        _insert_row(sheet, at + 1, [c.value for c in sheet[at]], within=at)
        return Mutant(_save(book), filename(doc), doc.gold)
    return None


# ---------------------------------------------------------------- composed faults


@dataclass(frozen=True)
class Copy:
    """A mutated copy standing in for its document, for a second family to mutate again."""

    name: str
    kind: str
    gold: dict[str, Any]
    content: bytes

    def data(self) -> bytes:
        return self.content


def composed(first: Callable[..., Any], then: Callable[..., Any]):
    """A family applying ``first`` and then ``then`` to each of its copies (faults that come
    together: a page copied out of a PDF that also types "." for 。): applies where both do."""

    def apply(doc: Any) -> Mutant | list[Mutant] | None:
        mutants = first(doc)
        copies = [mutants] if isinstance(mutants, Mutant) else mutants or []
        out = []
        for k, m in enumerate(copies):
            stand_in = Copy(f"{doc.name}#{k}" if k else doc.name, doc.kind, m.gold, m.data)
            second = then(stand_in)
            out += [second] if isinstance(second, Mutant) else second or []
        if not out:
            return None
        return out if isinstance(mutants, list) or len(out) > 1 else out[0]

    return apply


# ---------------------------------------------------------------- the families

FAMILIES: dict[str, Callable[[Document], Mutant | list[Mutant] | None]] = {
    "traditional": traditional,
    "wrap24": wrap_family(24),
    "wrap28": wrap_family(28),
    "wrap36": wrap_family(36),
    "wrap28-blank": wrap_family(28, blank_lines=True),
    "docx": word,
    "pdf": lambda doc: None,  # replaced by printed(pdfs) in the tests: it needs LibreOffice
    "period": period,
    "half-width": half_width,
    "swapped": swapped,
    "watermark": watermark,
    "duplicate": duplicate,
}
# Faults that come together in real copies: a fault, then a hard wrap (a page copied out of a PDF
# that types "." for 。), or a hard wrap, then a fault in the wrapped lines (a watermark between
# two lines of a paragraph, a physical line printed twice). Each family chains those named.
CHAINS = (
    ("period", "wrap24"),
    ("period", "wrap28"),
    ("period", "wrap36"),
    ("period", "wrap28-blank"),
    ("half-width", "wrap24"),
    ("half-width", "wrap28"),
    ("half-width", "wrap36"),
    ("half-width", "wrap28-blank"),
    ("swapped", "wrap24"),
    ("swapped", "wrap28"),
    ("swapped", "wrap36"),
    ("traditional", "wrap24"),
    ("traditional", "wrap28"),
    ("traditional", "wrap36"),
    ("traditional", "wrap28-blank"),
    ("watermark", "wrap28"),
    ("watermark", "wrap28-blank"),
    ("duplicate", "wrap28"),
    ("duplicate", "wrap28-blank"),
    ("wrap24", "watermark"),
    ("wrap28", "watermark"),
    ("wrap36", "watermark"),
    ("wrap28-blank", "watermark"),
    ("wrap24", "duplicate"),
    ("wrap28", "duplicate"),
    ("wrap36", "duplicate"),
    ("wrap28-blank", "duplicate"),
    ("traditional", "period", "wrap28"),
    ("half-width", "period", "wrap28"),
    ("period", "wrap28", "watermark"),
    ("traditional", "wrap28", "duplicate"),
    ("wrap28", "docx"),
    ("period", "wrap28", "docx"),
    ("wrap28", "watermark", "docx"),
)


def _chain(names: tuple[str, ...]) -> Callable[[Document], Mutant | list[Mutant] | None]:
    apply = FAMILIES[names[0]]
    for name in names[1:]:
        apply = composed(apply, FAMILIES[name])
    return apply


COMPOSED: dict[str, Callable[[Document], Mutant | list[Mutant] | None]] = {
    "+".join(chain): _chain(chain) for chain in CHAINS
}


def _group(gold_file: Path) -> str:
    """The corpus group a gold file belongs to: it seeds the mutations as in the tests."""
    from _core_support import DEV

    if DEV.is_dir() and gold_file.resolve().parent == DEV.resolve():
        return "dev"
    return "heldout" if gold_file.resolve().parent.name == "heldout" else "corpus"


def main(argv: list[str] | None = None) -> int:
    """Writes mutated copies and their golds into a folder, for the project's scorer to score:

    PYTHONPATH=src python tests/core/_mutations.py wrap28 DIR/NAME.gold.json… --out OUT
    python /work/shared/tools/score_parse.py OUT -v --cmd "…"

    The copies are those the tests score (the same seeds). The pdf family writes the Word copy
    to print (soffice --headless --convert-to pdf)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("family", choices=sorted(FAMILIES | COMPOSED))
    parser.add_argument("golds", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    apply = word if args.family == "pdf" else (FAMILIES | COMPOSED)[args.family]
    for gold_file in args.golds:
        source = json.loads(gold_file.read_text(encoding="utf-8"))["source"]
        path = next(
            p for p in (gold_file.parent / source, gold_file.parents[2] / "samples" / source) if p.exists()
        )
        doc = Document(_group(gold_file), gold_file.resolve(), path.resolve())
        if args.family == "pdf" and doc.kind == "docx":
            mutants: Any = Mutant(doc.data(), filename(doc), doc.gold)
        else:
            mutants = apply(doc)
        for k, mutant in enumerate([mutants] if isinstance(mutants, Mutant) else mutants or [], start=1):
            stem, suffix = Path(mutant.filename).stem, Path(mutant.filename).suffix
            name = f"{stem}.{args.family}{k if isinstance(mutants, list) else ''}{suffix}"
            (args.out / name).write_bytes(mutant.data)
            gold = {**mutant.gold, "source": name}
            (args.out / f"{Path(name).stem}.gold.json").write_text(
                json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            print(args.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
