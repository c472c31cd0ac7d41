"""`zhenggai render ROUND_OR_JSON --as report|progress|ledger --to FILE`.

A `zhenggai.ledger/1` JSON file renders without a database; a round's number reads the round
from the configured database (for operators on the server).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
from pathlib import Path

from zhenggai.core.errors import DocumentError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", help="zhenggai.ledger/1 JSON 文件，或巡察轮次编号（读数据库）")
    parser.add_argument("--as", dest="kind", choices=["report", "progress", "ledger"], required=True)
    parser.add_argument("--to", dest="target", required=True, help="输出文件（.docx、.pdf、.txt 或 .xlsx）")
    parser.add_argument("--issuer", default="", help="发文机关署名")
    parser.add_argument("--date", type=datetime.date.fromisoformat, help="成文日期 YYYY-MM-DD")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="进展报告的截止日期 YYYY-MM-DD")
    parser.add_argument("--previous", help="上次进展报告时的 ledger JSON，用于列出变化")
    parser.add_argument("--no-redact", action="store_true", help="公开报告不遮盖个人信息（仅供内部使用）")
    parser.add_argument(
        "--contact",
        action="append",
        default=[],
        metavar="行",
        help="公开报告末尾征求意见的联系方式，可重复，如 --contact 联系电话：0451-12345678（其中号码不遮盖）",
    )
    parser.add_argument("--title", help="标题（默认按轮次生成，如 关于巡察整改进展情况的报告）")
    parser.add_argument("--addressee", help="主送机关，如 县委巡察办（进展报告）")
    parser.add_argument(
        "--copy-to", action="append", default=[], metavar="机关", help="版记的抄送机关，可重复"
    )
    parser.add_argument("--printer", default="", help="版记的印发机关")
    parser.add_argument("--printed", type=datetime.date.fromisoformat, help="版记的印发日期 YYYY-MM-DD")
    parser.add_argument("--free-fonts", action="store_true", help="使用免费替代字体")


def _load_json(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(f"无法读取 ledger JSON 文件：{path}") from exc


def _load_round(number: str) -> tuple[dict, dict | None]:
    """The round's ledger, and the history's head signed now as the document's anchor."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.config.settings")
    import django

    django.setup()
    from zhenggai.history.anchors import anchor_now
    from zhenggai.ledger.models import InspectionRound
    from zhenggai.reports.ledger_data import round_to_ledger

    round_ = InspectionRound.objects.filter(pk=int(number)).first()
    if round_ is None:
        raise DocumentError(f"找不到编号为 {number} 的巡察轮次")
    return round_to_ledger(round_), anchor_now()


def run(args: argparse.Namespace) -> int:
    from zhenggai.reports.exporters import EXPORTERS, ExportOptions

    formats = EXPORTERS[args.kind].formats
    extension = Path(args.target).suffix.lower().lstrip(".")
    if extension not in formats:  # never a file of another format than its name says
        raise DocumentError(f"{args.kind} 只能写出 {'、'.join('.' + f for f in formats)} 文件：{args.target}")
    # A JSON file is rendered without the database, so without an anchor of the history.
    ledger, anchor = _load_round(args.source) if args.source.isdigit() else (_load_json(args.source), None)
    options = ExportOptions(
        issuer=args.issuer,
        date=args.date,
        as_of=args.as_of,
        previous=_load_json(args.previous) if args.previous else None,
        redact=not args.no_redact,
        contact_lines=tuple(args.contact),
        format=extension,
        free_fonts=args.free_fonts,
        title=args.title,
        addressee=args.addressee,
        copy_to=tuple(args.copy_to),
        printer=args.printer,
        printed=args.printed,
        anchor=anchor,
    )
    rendered = EXPORTERS[args.kind].render(ledger, options)
    Path(args.target).write_bytes(rendered.data)
    print(f"已写出 {args.target}（{len(rendered.data)} 字节）")
    return 0
