"""``zhenggai parse``: json to stdout, a workbook with -o, a Markdown outline; errors exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

from _core_support import make_docx

from zhenggai.cli import COMMANDS, main
from zhenggai.core.parse import parse_path

REPORT = "关于整改情况的报告\n一、学习方面\n（1）学习不深入。\n整改情况：一是制定计划；二是开展研讨。\n"


def test_parse_prints_ledger_json(tmp_path, capsysbinary):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="gbk")
    assert main(["parse", str(path)]) == 0
    ledger = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert ledger["schema"] == "zhenggai.ledger/1"
    assert len(ledger["sections"][0]["children"][0]["measures"]) == 2


def test_parse_writes_a_workbook_that_reads_back(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx(REPORT.splitlines()))
    out = tmp_path / "ledger.xlsx"
    assert main(["parse", str(path), "--format", "xlsx", "-o", str(out)]) == 0
    assert parse_path(out)["sections"][0]["children"][0]["title"] == "学习不深入。"


def test_parse_prints_a_markdown_outline(tmp_path, capsysbinary):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["parse", str(path), "--format", "md"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("# 关于整改情况的报告") and "措施2：开展研讨。" in out


def test_errors_are_printed_in_chinese_with_exit_code_2(tmp_path, capsys):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a word file")
    assert main(["parse", str(path)]) == 2
    assert "不是有效的 Word 文档" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "report.txt"), "--format", "xlsx"]) == 2


def test_the_registry_lists_parse_and_the_module_runs_as_a_script(tmp_path):
    assert "parse" in COMMANDS
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "zhenggai.cli", "parse", str(path)], capture_output=True, check=False
    )
    assert run.returncode == 0
    assert json.loads(run.stdout.decode("utf-8"))["title"] == "关于整改情况的报告"
    assert (
        b"django"
        not in subprocess.run(
            [sys.executable, "-c", "import sys, zhenggai.cli, zhenggai.core; print(sorted(sys.modules))"],
            capture_output=True,
            check=False,
        ).stdout.lower()
    )


# What only other formats or other commands need (and OpenCC, for traditional characters only):
# parsing a simplified text file must not pay for importing it.
HEAVY = (
    "django",
    "docx",
    "openpyxl",
    "pdfplumber",
    "pdfminer",
    "lxml",
    "charset_normalizer",
    "PIL",
    "opencc",
)


def test_parsing_a_text_file_loads_no_word_excel_pdf_or_django_library(tmp_path):
    """`zhenggai parse report.txt` starts fast because the readers of other formats load lazily."""
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    probe = (
        "import sys; from zhenggai.cli import main; main(['parse', sys.argv[1], '--format', 'json']);"
        f"print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    run = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, check=True)
    assert run.stdout.decode("utf-8").rsplit("LOADED", 1)[1].strip() == "[]"


def test_a_word_file_still_loads_its_reader_when_needed(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx(REPORT.splitlines()))
    assert parse_path(path)["title"] == "关于整改情况的报告"
