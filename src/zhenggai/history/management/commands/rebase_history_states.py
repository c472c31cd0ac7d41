"""`rebase_history_states`: after a migration added or removed a column of a tracked table, record
every affected record's new state, once, so that `verify` compares rows with it from then on.

It refuses when anything else is wrong: the chain, the checkpoints, the evidence, or a record that
differs in a column the history had recorded. A migration cannot be used to launder a tampering.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhenggai.history import services as history
from zhenggai.history.report import Kind
from zhenggai.history.state import specs
from zhenggai.history.verify import verify

_WHERE = re.compile(r"(?P<label>[a-z_]+\.[a-z_]+) #(?P<pk>\d+)$")
BATCH = 500


class Command(BaseCommand):
    help = "迁移增删了台账表的字段后，记录受影响数据的新状态 / Record the new state of rows after a migration changed a tracked table."

    def handle(self, *args, **options):
        report = verify(locate_all=True)
        schema = [f for f in report.findings if f.kind == Kind.RECORD_CHANGED and f.schema_only]
        others = [f for f in report.findings if f not in schema]
        if others:
            self.stdout.write(report.text())
            raise CommandError(
                "除字段增删外还有其他问题，未做任何记录 / other findings than changed columns: nothing was recorded",
                returncode=1,
            )
        targets = []
        for finding in schema:
            match = _WHERE.search(finding.record)
            if not match or match["label"] not in specs():
                raise CommandError(f"cannot read the record of {finding.record!r}", returncode=2)
            targets.append((specs()[match["label"]].model, int(match["pk"]), finding.fields))
        for start in range(0, len(targets), BATCH):
            with transaction.atomic():
                for model, pk, columns in targets[start : start + BATCH]:
                    history.record(
                        actor=None,
                        action="state.rebase",
                        obj=model._base_manager.get(pk=pk),
                        payload={"columns": list(columns)},
                    )
        self.stdout.write(
            f"已记录 {len(targets)} 条数据的新状态 / recorded the new state of {len(targets)} records"
        )
