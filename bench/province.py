"""Province-scale data for bench/ledger.py: realistic texts, bulk writes, and a history that verifies.

* :class:`TextMaker` writes measures (整改措施), problem statements and progress notes from a
  vocabulary of the genre (一是…二是…, 建立…制度, 开展…专项检查, 完善…台账, 对…进行约谈, dates,
  departments, amounts), deterministic from a seed. Most texts are distinct; a share are copies of
  another unit's measure (照抄照搬): word for word (the unit's own name put in) or with a few
  characters changed, which is what the copy and near-copy hints exist to catch.
* :func:`text_keys` gives each measure's ``text_fingerprint`` and MinHash bands with the functions
  the services call (``zhenggai.core.quality.fingerprint``, ``shingles``, ``sketch``), in a few
  processes, kept in a cache file between runs (the bands of a text depend on its fingerprint only,
  and computing them costs ~1 ms a measure: 400,000 measures are minutes of CPU).
* :class:`RowWriter` appends rows to a table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.
* :class:`ChainBuilder` appends history entries hashed as ``history.services.record`` hashes them
  (``canonical.entry_hash``), with each record's ``#state``/``~set`` as ``history.state`` writes
  them and signed checkpoints where ``record`` would write them, so that ``verify`` finds it clean.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import orjson

from zhenggai.history.canonical import HASHED_FIELDS

# --- Stages: where the time of a fill goes -------------------------------------------------------------


class Stages:
    """The wall time and this process's CPU time of each stage of a fill, in order, each printed as
    it ends. Wall time well above CPU time is time spent waiting: for the database, for another
    process, or for a core (the machine is shared)."""

    def __init__(self, echo: bool = True) -> None:
        self.echo = echo
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.rows: dict[str, int | None] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str, rows: int | None = None) -> None:
        """The stage `name` ends now (it began when the previous one ended)."""
        wall, cpu = time.perf_counter(), time.process_time()
        self.add(name, wall - self._wall, cpu - self._cpu, rows)
        self._wall, self._cpu = wall, cpu

    def add(self, name: str, wall: float, cpu: float, rows: int | None = None) -> None:
        self.wall[name], self.cpu[name], self.rows[name] = wall, cpu, rows
        if self.echo:
            count = f"{rows:>10,} rows" if rows is not None else " " * 15
            print(f"    {name:<46} {count} {wall:7.1f} s (CPU {cpu:6.1f} s)", file=sys.stderr, flush=True)

    def merge(self, other: Stages, suffix: str) -> None:
        """The stages another process timed, each name followed by `suffix`."""
        for name, wall in other.wall.items():
            self.add(name + suffix, wall, other.cpu[name], other.rows[name])


# --- Texts --------------------------------------------------------------------------------------------

OPENERS = ["一是", "二是", "三是", "四是"]
TOPICS = [
    "“三重一大”集体决策",
    "公务接待",
    "公务用车",
    "财务报销审批",
    "专项资金使用",
    "固定资产管理",
    "集体“三资”管理",
    "合同管理",
    "党员发展",
    "“三会一课”",
    "意识形态工作",
    "宣传阵地管理",
    "惠民资金发放",
    "群众诉求办理",
    "干部考勤",
    "政府采购",
    "工程项目招投标",
    "低保评审",
    "档案管理",
    "廉政风险防控",
    "村务公开",
    "党费收缴",
    "扶贫项目资金",
    "食堂管理",
    "办公用房",
    "临时用工",
    "网格化管理",
    "安全生产",
    "信访办理",
    "公章使用",
    "物资采购",
    "文明创建",
]
SYSTEMS = ["制度", "管理办法", "实施细则", "工作规程", "操作流程", "责任清单", "考核办法", "审批流程"]
LEDGERS = ["工作台账", "问题清单", "整改台账", "资产登记簿", "会议记录", "督办台账", "收支明细账"]
CHECKS = ["专项检查", "自查自纠", "交叉检查", "专项整治", "全面清查", "专项审计", "“回头看”"]
PEOPLE = ["相关责任人", "经办人员", "分管领导", "相关科室负责人", "财务人员", "村（社区）干部", "相关党员"]
MEETINGS = ["专题会议", "民主生活会", "组织生活会", "警示教育大会", "党工委会议", "专题学习会"]
DEPTS = [
    "党政办",
    "党政办公室",
    "党建办",
    "财务室",
    "纪工委",
    "便民服务中心",
    "综治办",
    "社会事务办",
    "经济发展办",
    "城建办",
]
PERIODS = ["每月", "每季度", "每半年", "每年", "每周"]
# How a clause may begin and end: more wording, so that texts differing only in figures and dates
# (which a fingerprint leaves out: such texts are copies) stay rare.
LEAD_INS = ["", "", "", "针对巡察反馈问题，", "举一反三，", "立行立改，", "坚持问题导向，", "结合主题教育，"]
TAILS = [
    "",
    "",
    "，确保整改到位",
    "，形成长效机制",
    "，杜绝类似问题再次发生",
    "，整改情况向巡察办报告",
    "，相关资料归档备查",
    "，接受党员群众监督",
    "，做到件件有着落",
    "，切实堵塞管理漏洞",
]
CLAUSES = [
    "{opener}修订完善《{topic}{system}》，明确审批权限和工作流程，于{date}前印发执行",
    "{opener}由{unit}{dept}牵头，对{year}年以来{topic}情况开展{check}，建立{ledger}，逐项销号",
    "{opener}召开{meeting}，通报{topic}方面存在的问题，对{people}{n}人进行约谈提醒",
    "{opener}完善{topic}{ledger}，{period}由{dept}专人负责更新，{period}报党工委审核",
    "{opener}对{year}年以来{n}笔合计{amount}元的{topic}支出逐笔核查，不合规的{date}前全部清退",
    "{opener}组织{people}开展{topic}专题培训{n}次，确保{system}执行到位",
    "{opener}将{topic}整改情况纳入年度考核，{period}开展一次{check}，对整改不力的严肃问责",
    "{opener}建立{topic}{system}，由{dept}{period}公示一次，接受群众监督",
    "{opener}对{topic}中发现的{n}个问题线索，{date}前移交纪工委依规依纪处理",
    "{opener}针对{topic}存在的薄弱环节，制定整改方案，明确责任人和完成时限，{date}前完成",
]
STATEMENT_CLAUSES = [
    "经查，{year}年以来共有{n}笔合计{amount}元的{topic}支出未经集体研究，相关凭证附件不全",
    "抽查{year}年{topic}相关记录{n}份，其中{k}份存在会后补记、记录过于简单等问题",
    "{year}年以来，{topic}方面{n}项重点工作推进缓慢，未按时间节点完成，督办机制流于形式",
    "巡察期间发现，{dept}对{topic}监管缺位，{n}处问题长期未整改",
    "{year}年{topic}盘点中，有{n}项账实不符，涉及金额{amount}元",
    "群众反映的{n}件{topic}诉求中，有{k}件超过办理时限，{k}件未向群众反馈办理结果",
]
PROGRESS_CLAUSES = [
    "{date}，{dept}召开{meeting}，研究部署{topic}整改工作，形成会议纪要",
    "已完成{topic}{check}，共排查问题{n}个，已整改{k}个",
    "{date}印发《{topic}{system}》，组织{people}学习{k}次",
    "已建立{topic}{ledger}，登记{n}条，{dept}专人负责动态更新",
    "对{people}{k}人进行了约谈提醒，谈话记录已归档",
    "已清退不合规支出{amount}元，相关凭证已补齐",
    "整改推进中：{topic}方面还有{k}项未完成，预计{date}前完成",
]
# What a near copy changes: a few characters each.
NEAR_SWAPS = [
    ("每季度", "每月"),
    ("每月", "每季度"),
    ("党政办公室", "综合办公室"),
    ("党政办", "党建办"),
    ("建立", "健全"),
    ("专项检查", "专项督查"),
    ("约谈提醒", "谈话提醒"),
    ("严肃问责", "严肃追责"),
    ("逐项销号", "逐条销号"),
    ("明确", "厘清"),
    ("印发执行", "印发实施"),
    ("相关责任人", "有关责任人"),
]


class TextMaker:
    """Texts of the genre from one random generator (so deterministic from the seed)."""

    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today

    def _slots(self, unit: str) -> dict[str, str]:
        rng = self.rng
        day = self.today + datetime.timedelta(days=rng.randint(-200, 200))
        return {
            "topic": rng.choice(TOPICS),
            "system": rng.choice(SYSTEMS),
            "ledger": rng.choice(LEDGERS),
            "check": rng.choice(CHECKS),
            "people": rng.choice(PEOPLE),
            "meeting": rng.choice(MEETINGS),
            "dept": rng.choice(DEPTS),
            "period": rng.choice(PERIODS),
            "unit": unit,
            "year": str(rng.choice([2021, 2022, 2023, 2024])),
            "date": f"{day.year}年{day.month}月{rng.choice(['', f'{day.day}日', '底'])}",
            "n": str(rng.randint(2, 60)),
            "k": str(rng.randint(1, 9)),
            "amount": f"{rng.randint(1, 500) * 100 + rng.randint(0, 99):,}",
        }

    def measure(self, unit: str) -> str:
        """One measure: one to three clauses (一是…；二是…。)."""
        rng = self.rng
        n = rng.choices([1, 2, 3], weights=[12, 53, 35])[0]
        clauses = []
        for i, template in enumerate(rng.sample(CLAUSES, n)):
            opener = (OPENERS[i] if n > 1 else "") + rng.choice(LEAD_INS)
            clauses.append(template.format(opener=opener, **self._slots(unit)) + rng.choice(TAILS))
        return "；".join(clauses) + "。"

    def statement(self) -> str:
        return STATEMENT_CLAUSES[self.rng.randrange(len(STATEMENT_CLAUSES))].format(**self._slots("")) + "。"

    def progress(self) -> str:
        n = self.rng.choice([1, 1, 2])
        return "；".join(t.format(**self._slots("")) for t in self.rng.sample(PROGRESS_CLAUSES, n)) + "。"

    def near_copy(self, text: str) -> str:
        """`text` with a few characters changed (or a short clause added when nothing matches)."""
        swaps = [(a, b) for a, b in NEAR_SWAPS if a in text]
        if swaps:
            for a, b in self.rng.sample(swaps, min(len(swaps), self.rng.choice([1, 2]))):
                text = text.replace(a, b, 1)
            return text
        return text[:-1] + "，确保取得实效。"


def measure_texts(
    rng: random.Random,
    today: datetime.date,
    units: Sequence[tuple[str, str]],
    per_unit: int,
    copy_share: float = 0.03,
    near_share: float = 0.03,
) -> tuple[list[str], list[str]]:
    """`per_unit` measure texts for each unit (name, short name), in unit order, and what each is:
    "own", "copy" (another unit's measure word for word, that unit's name replaced by its own) or
    "near" (another unit's measure with a few characters changed)."""
    maker = TextMaker(rng, today)
    texts: list[str] = []
    kinds: list[str] = []
    for u, (_name, short) in enumerate(units):
        for _ in range(per_unit):
            draw = rng.random()
            if u and draw < copy_share + near_share:
                source = rng.randrange(u * per_unit)  # a measure of an earlier unit
                other = units[source // per_unit][1]
                text = texts[source].replace(other, short) if other else texts[source]
                if draw < copy_share:
                    texts.append(text)
                    kinds.append("copy")
                else:
                    texts.append(maker.near_copy(text))
                    kinds.append("near")
                continue
            texts.append(maker.measure(short))
            kinds.append("own")
    return texts, kinds


# --- Fingerprints and MinHash bands, as the services compute them ------------------------------------


def _bands_of(items: list[tuple[str, list[str]]]) -> list[list[str]]:
    from zhenggai.core.quality import shingles, sketch

    memo: dict[str, tuple[int, ...]] = {}  # the texts share most pieces: each is hashed once
    return [sketch(shingles(text, names), memo) for text, names in items]


def _cache_file() -> Path:
    """One cache per version of core.quality: stored bands must come from the code that runs."""
    import zhenggai.core.quality as quality

    code = hashlib.sha256(Path(quality.__file__).read_bytes()).hexdigest()[:16]
    root = Path(os.environ.get("ZHENGGAI_BENCH_CACHE") or Path.home() / ".cache" / "zhenggai-bench")
    return root / f"sketch-bands-{code}.json"


def text_keys(
    items: Sequence[tuple[str, list[str]]], processes: int = 2
) -> tuple[list[str], list[list[str]], dict]:
    """(fingerprints, bands, stats) of measure texts with their unit's names: what
    `ledger.services._check_measure` stores as `text_fingerprint` and `_store_sketch` as the
    MeasureSketch rows. Bands are a function of the fingerprint (both come from the text as copying
    leaves it), so texts with one fingerprint are sketched once, and bands are cached across runs."""
    from zhenggai.core.quality import fingerprint

    prints = [fingerprint(text, names) for text, names in items]
    path = _cache_file()
    try:
        cache: dict[str, list[str]] = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        cache = {}
    todo: dict[str, int] = {}
    for index, key in enumerate(prints):
        if key and key not in cache and key not in todo:
            todo[key] = index
    keys = list(todo)
    work = [items[todo[key]] for key in keys]
    if work:
        step = max(1, len(work) // (processes * 8) + 1)
        chunks = [work[i : i + step] for i in range(0, len(work), step)]
        if processes > 1 and len(chunks) > 1:
            with ProcessPoolExecutor(processes) as pool:
                done = [bands for part in pool.map(_bands_of, chunks) for bands in part]
        else:
            done = [bands for part in map(_bands_of, chunks) for bands in part]
        cache.update(zip(keys, done, strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(orjson.dumps(cache))
        temporary.replace(path)
    bands = [cache[key] if key else [] for key in prints]
    return prints, bands, {"computed": len(work), "cached": len({k for k in prints if k}) - len(work)}


# --- What a second process prepares while the first one fills -------------------------------------


def measure_text_keys(
    seed: int, today: datetime.date, units: Sequence[tuple[str, str]], per_unit: int, processes: int = 2
) -> dict[str, Any]:
    """The measure texts of a fill (their own generator, seeded from `seed`), what each is, their
    fingerprints and MinHash bands (see :func:`measure_texts` and :func:`text_keys`), and the
    stages' times. All follows from the seed and the units, so another process makes them while
    the filling one writes the organisation tree and plans the measures' lives."""
    stages = Stages(echo=False)
    texts, kinds = measure_texts(random.Random(f"{seed}-measure-texts"), today, units, per_unit)
    stages.lap("measure texts", len(texts))
    names = [[name, short] for name, short in units]
    prints, bands, stats = text_keys(
        [(text, names[m // per_unit]) for m, text in enumerate(texts)], processes
    )
    stages.lap(f"fingerprints, bands ({stats['computed']:,} sketched)", len(texts))
    return {
        "texts": texts,
        "kinds": kinds,
        "prints": prints,
        "bands": bands,
        "stats": stats,
        "stages": stages,
    }


def progress_texts(seed: int, today: datetime.date, count: int) -> tuple[list[str], Stages]:
    """`count` progress notes from a generator of their own, seeded from `seed` (made by another
    process while the filling one writes the measures)."""
    stages = Stages(echo=False)
    maker = TextMaker(random.Random(f"{seed}-progress-texts"), today)
    texts = [maker.progress() for _ in range(count)]
    stages.lap("progress texts", count)
    return texts, stages


# --- Bulk rows ----------------------------------------------------------------------------------------


class RowWriter:
    """Rows into one table, `columns` in order: executemany on SQLite, COPY on PostgreSQL.

    Values are Python values; dates and aware datetimes are written as Django writes them.
    `plain`: every value is a number or a text without tab, line break or backslash (never None),
    so that on PostgreSQL a row is its values joined by tabs (checked on the first batch), which
    is several times quicker than psycopg's `write_row`.
    `stream` (PostgreSQL): one COPY from the first batch to `close()`, its data sent by psycopg's
    writer thread, so that the server stores a batch while this process makes the next one (a
    COPY per batch waits for the server at each end). Meanwhile the connection runs nothing else:
    no other writer may flush until `close()`."""

    def __init__(
        self, model, columns: Sequence[str], batch: int = 20_000, plain: bool = False, stream: bool = False
    ) -> None:
        from django.db import connection, models

        self.connection = connection
        self.table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        self.columns = list(columns)
        self.batch = batch
        self.plain = plain
        self.checked = False
        self.rows: list[tuple] = []
        self.lines: list[str] = []
        self.count = 0
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        self.sqlite = connection.vendor == "sqlite"
        self.stream: ExitStack | None = ExitStack() if stream and not self.sqlite else None
        self.copy: Any = None  # the COPY under way (stream)
        if self.sqlite:
            marks = ", ".join("?" for _ in self.columns)
            self.sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"  # noqa: S608
            adapt = []
            for column in self.columns:
                field = fields[column]
                if isinstance(field, models.DateTimeField):
                    adapt.append(connection.ops.adapt_datetimefield_value)
                elif isinstance(field, models.DateField):
                    adapt.append(_iso_or_none)
                else:
                    adapt.append(None)
            self.adapt = adapt if any(adapt) else None
        else:
            self.sql = f"COPY {quote(self.table)} ({names}) FROM STDIN"
            self.adapt = None

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def extend(self, rows: list[tuple]) -> None:
        self.rows += rows
        if len(self.rows) >= self.batch:
            self.flush()

    def add_line(self, line: str) -> None:
        """PostgreSQL only: a row as a line of COPY's text format (escaped, ending in a line break)."""
        self.lines.append(line)
        if len(self.lines) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write what is pending (a stream stays open: see close())."""
        if self.lines:
            lines, self.lines = self.lines, []
            self.count += len(lines)
            self._copy("".join(lines))
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        if self.sqlite:
            if self.adapt:
                adapt = self.adapt
                rows = [
                    tuple(v if f is None or v is None else f(v) for f, v in zip(adapt, row, strict=True))
                    for row in rows
                ]
            self.connection.ensure_connection()
            self.connection.connection.executemany(self.sql, rows)
        elif self.plain:
            if not self.checked:
                for row in rows:
                    for value in row:
                        if type(value) is not int and (type(value) is not str or _UNSAFE.search(value)):
                            raise ValueError(f"not a plain value for COPY: {value!r} in {self.table}")
                self.checked = True
            self._copy("".join(["\t".join(map(str, row)) + "\n" for row in rows]))
        else:
            with self._copying() as copy:
                write = copy.write_row
                for row in rows:
                    write(row)

    def close(self) -> None:
        """Write what is pending and end the stream, if any (waiting for the server to store it)."""
        self.flush()
        if self.stream is not None:
            self.stream.close()
            self.copy = None

    def _copy(self, text: str) -> None:
        with self._copying() as copy:
            copy.write(text)

    @contextmanager
    def _copying(self) -> Iterator[Any]:
        """The COPY to write to: the stream's (opened the first time), or one of its own."""
        self.connection.ensure_connection()
        if self.stream is None:
            with self.connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
                yield copy
            return
        if self.copy is None:
            from psycopg.copy import QueuedLibpqWriter

            cursor = self.stream.enter_context(self.connection.cursor()).cursor
            self.copy = self.stream.enter_context(cursor.copy(self.sql, writer=QueuedLibpqWriter(cursor)))
        yield self.copy


# What COPY's text format escapes: a value holding one of these is not written as it is.
_UNSAFE = re.compile(r"[\t\n\r\\]")


NULL, BACKSLASH, BACKSLASHES = "\\N", "\\", "\\\\"


def copy_text(value: str) -> str:
    """A text as a field of COPY's text format."""
    if _UNSAFE.search(value):
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _iso_or_none(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def model_columns(model, exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(column, attname) of a model's stored fields, in order."""
    skip = set(exclude)
    return [(f.column, f.attname) for f in model._meta.concrete_fields if f.attname not in skip]


def write_objects(model, objects: Iterable[Any], batch: int = 20_000) -> int:
    """Model instances, their ids set, written as rows (no `save()`: fields are taken as they are;
    a JSON field's value as its JSON text, as both databases take it)."""
    columns = model_columns(model)
    writer = RowWriter(model, [c for c, _a in columns], batch)
    as_json = {f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"}
    for obj in objects:
        writer.add(
            tuple(
                json.dumps(value, ensure_ascii=False) if attname in as_json and value is not None else value
                for _c, attname in columns
                for value in (getattr(obj, attname),)
            )
        )
    writer.flush()
    return writer.count


def reset_sequences(models: Iterable[Any]) -> None:
    """After rows written with their ids: the next id the database gives follows them."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


# --- Indexes and constraints made after the load ------------------------------------------------------


class DeferredIndexes:
    """The secondary indexes, unique constraints and foreign keys of some tables, dropped before a
    bulk load and made again after it with the same names and definitions (as `pg_get_indexdef`
    and `pg_get_constraintdef`, or SQLite's schema, give them), so that the schema ends as the
    migrations left it. An index built once from the loaded rows is many times cheaper than one
    updated row by row (random keys: hashes, bands), and a foreign key added checks every row in one
    join instead of one deferred trigger per row at the commit. Primary keys stay.

    On PostgreSQL drop() must come before any row is written in the transaction (a table with
    pending deferred checks cannot be altered). On SQLite only the indexes are dropped (a unique
    or foreign key constraint there is part of the table), and foreign keys are not checked row by
    row meanwhile (`PRAGMA foreign_keys`, when drop() runs outside a transaction): each restore()
    checks its tables at once (`PRAGMA foreign_key_check`), the last one turns the checks on again
    (outside a transaction too). A child row written before its parent would otherwise make SQLite
    search the child table, without its index, for every parent written after it."""

    def __init__(self, models: Iterable[Any]) -> None:
        from django.db import connection

        self.connection = connection
        self.models = list(models)
        self.tables = [model._meta.db_table for model in self.models]
        self.dropped: dict[str, list[tuple[str, str]]] = {}  # table → [(what, the SQL that makes it)]
        self.unchecked = False  # SQLite: foreign keys not checked until restore()

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def drop(self) -> int:
        """Drop them; return how many."""
        if self.connection.vendor == "sqlite":
            self.unchecked = self.connection.disable_constraint_checking()
        drops: list[str] = []
        with self.connection.cursor() as cursor:
            for table in self.tables:
                made = self.dropped.setdefault(table, [])
                if self.connection.vendor == "sqlite":
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                        " AND sql IS NOT NULL ORDER BY name",
                        [table],
                    )
                    for name, sql in cursor.fetchall():
                        made.append(("index", sql))
                        drops.append(f"DROP INDEX {self._quote(name)}")
                    continue
                cursor.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                    " JOIN pg_class i ON i.oid = x.indexrelid"
                    " WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                    " WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) ORDER BY i.relname",
                    [table],
                )
                indexes = cursor.fetchall()
                for name, sql in indexes:
                    made.append(("index", sql))
                    drops.append(f"DROP INDEX {self._quote(name)}")
                # In the order read: unique constraints ('u') before foreign keys ('f').
                for name, _kind, definition in constraints:
                    head = f"ALTER TABLE {self._quote(table)}"
                    made.append(("constraint", f"{head} ADD CONSTRAINT {self._quote(name)} {definition}"))
                    drops.append(f"{head} DROP CONSTRAINT {self._quote(name)}")
            for sql in drops:
                cursor.execute(sql)
        return len(drops)

    def restore(self, models: Iterable[Any] | None = None) -> int:
        """Make again what drop() dropped (of `models` only, if given): indexes first, then unique
        constraints, then foreign keys. Return how many.

        Each in a transaction of its own when called outside one (as `Beside` does: a table is then
        locked only while its own index is built), else in the caller's."""
        tables = self.tables if models is None else [model._meta.db_table for model in models]
        tables = [table for table in tables if table in self.dropped]
        todo = [item for table in tables for item in self.dropped.pop(table)]
        if self.unchecked:
            self.connection.check_constraints(table_names=tables)  # raises IntegrityError, naming the row
            if not self.dropped:
                self.connection.enable_constraint_checking()
                self.unchecked = False
        if not todo:
            return 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # Sorts in memory (the default, 64 MB, spills the larger ones to disk): this transaction,
                # or this connection when each statement is a transaction.
                local = "LOCAL " if self.connection.in_atomic_block else ""
                cursor.execute(f"SET {local}maintenance_work_mem = '512MB'")
            for kind in ("index", "constraint"):
                for what, sql in todo:
                    if what == kind:
                        cursor.execute(sql)
        return len(todo)


class Beside(threading.Thread):
    """Database work on a connection of its own (Django's connections are per thread), beside the
    filling thread: the server's work (building indexes, vacuuming) while this process computes.
    `result()` waits for it and raises what it raised."""

    def __init__(self, name: str, work: Any) -> None:
        super().__init__(name=name, daemon=True)
        self.work = work
        self.error: BaseException | None = None
        self.value: Any = None
        self.seconds = 0.0

    def run(self) -> None:
        from django.db import connection

        start = time.perf_counter()
        try:
            self.value = self.work()
        except BaseException as exc:  # handed to the waiting thread
            self.error = exc
        finally:
            connection.close()
            self.seconds = time.perf_counter() - start

    def result(self) -> Any:
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def vacuum_analyze(models: Iterable[Any]) -> None:
    """PostgreSQL: VACUUM ANALYZE these tables (outside a transaction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- The history chain ---------------------------------------------------------------------------------


# What stands for the previous hash in a prepared document: 64 characters JSON writes as they are.
_PREV = "~" * 64
_PREV_FIELD = b'"prev_hash":"' + _PREV.encode() + b'"'
_ESCAPED: dict[str, str] = {}


def prepare_entry(
    seq: int,
    at: datetime.datetime,
    actor: tuple[int | None, str],
    action: str,
    object_type: str,
    object_id: Any,
    round_id: int | None,
    payload: dict[str, Any],
    lines: bool,
) -> tuple[bytes, bytes, str | tuple]:
    """All an entry's hash and row need but the previous entry's hash, which only the chain knows:
    the bytes of its hashed document before and after the previous hash (the canonical document
    of `history.canonical`, the payload's stored text in place, as verify's fast path reads it),
    and its row up to that hash (a line of COPY's text format on PostgreSQL, else the values).
    `at`: an aware datetime in UTC; the payload is stored as `orjson.dumps` writes it, keys sorted.
    Checked against `canonical_json` and `entry_hash` on the first entries and every 997th, and by
    `verify` on all of them."""
    text = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    actor_id, actor_name, object_id = actor[0], actor[1], str(object_id)
    recorded = at.isoformat(timespec="microseconds")[:26] + "Z"  # utc_iso's form, quicker
    document = {
        "action": action,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "object_id": object_id,
        "object_type": object_type,
        "payload": orjson.Fragment(text),
        "prev_hash": _PREV,
        "recorded_at": recorded,
        "round_id": round_id,
        "seq": seq,
    }
    data = orjson.dumps(document)
    cut = data.rindex(_PREV_FIELD) + len(_PREV_FIELD) - 65  # the fields after the payload hold no "~"
    head, tail = data[:cut], data[cut + 64 :]
    if seq <= 2000 or seq % 997 == 0:
        from zhenggai.history.canonical import canonical_json, entry_hash, utc_iso

        fields = {**document, "payload": payload, "recorded_at": at}
        if (
            entry_hash(fields) != hashlib.sha256(head + _PREV.encode() + tail).hexdigest()
            or canonical_json(payload) != text
            or utc_iso(at) != recorded
        ):
            raise AssertionError(f"entry #{seq}: not hashed as history.services.record hashes")
    if not lines:
        return head, tail, (seq, at, actor_id, actor_name, action, object_type, object_id, round_id, text)
    # COPY's text format: the payload (JSON from orjson, with no tab or line break) only has its
    # backslashes doubled; the names of actors, actions and types are few, their escapes kept.
    for name in (actor_name, action, object_type):
        if name not in _ESCAPED:
            _ESCAPED[name] = copy_text(name)
    return (
        head,
        tail,
        f"{seq}\t{recorded}\t{NULL if actor_id is None else actor_id}\t{_ESCAPED[actor_name]}"
        f"\t{_ESCAPED[action]}\t{_ESCAPED[object_type]}\t{copy_text(object_id)}"
        f"\t{NULL if round_id is None else round_id}"
        f"\t{text.replace(BACKSLASH, BACKSLASHES) if BACKSLASH in text else text}\t",
    )


class ChainBuilder:
    """History entries appended in order (`link` what `prepare_entry` made), hashed as
    `history.services.record` does, written in bulk; a signed checkpoint wherever `record` would
    sign one (`services._checkpoint_due`)."""

    # The history's columns in the order of its model, as prepare_entry and link build each row.
    COLUMNS = (*HASHED_FIELDS, "hash")

    def __init__(self) -> None:
        from zhenggai.history.conf import history_conf
        from zhenggai.history.models import HistoryEntry
        from zhenggai.history.services import _checkpoint_due
        from zhenggai.history.signing import load_or_create_private_key, write_public_key

        self.conf = history_conf()
        self.key = load_or_create_private_key(self.conf.key_file)
        write_public_key(self.key, self.conf.public_key_file)
        self.seq = 0
        self.hash = "0" * 64
        self.checkpoint_seq = 0
        self.checkpoint_at: datetime.datetime | None = None
        self.checkpoints: list[Any] = []
        fields = HistoryEntry._meta.concrete_fields
        if tuple(f.attname for f in fields) != self.COLUMNS:
            raise AssertionError("the history's columns changed: update ChainBuilder.COLUMNS")
        self.writer = RowWriter(HistoryEntry, [f.column for f in fields], batch=10_000, stream=True)
        self._due = _checkpoint_due
        self.every, self.max_age = self.conf.every_entries, self.conf.max_age.total_seconds()
        self.checkpoint_clock = 0.0
        # PostgreSQL: each row written as COPY's line (see prepare_entry).
        self.lines = not self.writer.sqlite

    def link(
        self,
        seq: int,
        clock: float,
        head: bytes,
        tail: bytes,
        row: str | tuple,
        at: datetime.datetime | None = None,
    ) -> None:
        """Append the entry `prepare_entry` made (numbered `seq`, at `clock`, seconds since the epoch):
        its hash, over the document with this chain's last hash put in, and its row."""
        self.seq += 1
        if seq != self.seq:
            raise AssertionError(f"entry #{seq} prepared, #{self.seq} expected")
        prev = self.hash
        digest = hashlib.sha256(head + prev.encode() + tail).hexdigest()
        if self.lines:
            self.writer.add_line(f"{row}{prev}\t{digest}\n")
        else:
            self.writer.add((*row, prev, digest))
        self.hash = digest
        # record's rule (services._checkpoint_due) on the entry's time, asked only when it may hold.
        if (
            self.checkpoint_at is None
            or seq - self.checkpoint_seq >= self.every
            or clock - self.checkpoint_clock >= self.max_age - 0.01
        ):
            at = at or datetime.datetime.fromtimestamp(clock, datetime.UTC)
            if self._due(self, at, self.conf):  # type: ignore[arg-type]
                self._sign(at)
                self.checkpoint_clock = clock

    def _sign(self, at: datetime.datetime) -> None:
        from zhenggai.history.canonical import utc_iso
        from zhenggai.history.signing import sign_checkpoint

        self.checkpoints.append(sign_checkpoint(self.key, self.seq, self.hash, utc_iso(at)))
        self.checkpoint_seq, self.checkpoint_at = self.seq, at

    def finish(self) -> int:
        """Write what is pending, the checkpoints (table and exported file) and the chain head."""
        from zhenggai.history.models import ChainHead, Checkpoint

        self.writer.close()
        # The table's rows as bulk rows (their ids given by the database, in this order).
        writer = RowWriter(
            Checkpoint, ["seq", "head_hash", "created_at", "key_id", "signature"], batch=50_000
        )
        for c in self.checkpoints:
            created = datetime.datetime.fromisoformat(c.created_at)
            writer.add((c.seq, c.head_hash, created, c.key_id, c.signature))
        writer.flush()
        # The file as append_checkpoint writes it, one line a checkpoint, in one write.
        path = self.conf.checkpoint_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as stream:
            stream.write("".join(c.as_line() for c in self.checkpoints).encode("utf-8"))
        ChainHead.objects.update_or_create(
            pk=1,
            defaults={
                "seq": self.seq,
                "hash": self.hash,
                "checkpoint_seq": self.checkpoint_seq,
                "checkpoint_at": self.checkpoint_at,
            },
        )
        return self.seq
