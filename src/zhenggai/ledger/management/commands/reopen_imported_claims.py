"""`reopen_imported_claims`: once, after upgrading, put back to 整改中 the measures that an earlier
importer placed in 申请销号 because a document said "已整改完毕", with no submission, progress or
evidence behind them. Each change enters the history. Measures already closed that way are listed,
not changed: the office decided on them and reviews them itself."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhenggai.ledger.transitions import reopen_unbacked_claims


class Command(BaseCommand):
    help = "把导入时“报告称已完成”而未经申请销号的措施恢复为整改中 / Reopen imported claims of done."

    def handle(self, *args, **options):
        reopened, closed = reopen_unbacked_claims(actor=None)
        self.stdout.write(
            f"恢复为整改中 reopened: {len(reopened)}"
            + (f" ({', '.join(map(str, reopened))})" if reopened else "")
        )
        if closed:
            self.stdout.write(
                f"未经申请销号即已销号，请巡察机构复核 closed without a submission, for the office to review: "
                f"{', '.join(map(str, closed))}"
            )
