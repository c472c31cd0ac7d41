from django.core.management.base import BaseCommand

from zhenggai.taxonomy.legacy import record_category_codes


class Command(BaseCommand):
    help = (
        "迁移把问题类别改为分类代码后，将改动记入历史记录 / "
        "Record in the history the problem categories migration ledger.0014 rewrote as taxonomy codes."
    )

    def handle(self, *args, **options):
        done = record_category_codes()
        self.stdout.write(f"已记录 {done} 个问题的类别 / recorded {done} problems' categories")
