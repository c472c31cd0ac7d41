"""What `verify` found, printable in Chinese and English. No Django import."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    CHANGED = "changed"  # stored hash ≠ hash re-computed from the stored fields
    BROKEN_LINK = "broken_link"  # prev_hash ≠ the previous entry's hash
    MISSING = "missing"  # a gap in the numbering
    REORDERED = "reordered"  # an entry sits under another entry's number
    REHASHED = "rehashed"  # self-consistent chain that a signed checkpoint contradicts
    TRUNCATED = "truncated"  # a checkpoint (or the head record) lies beyond the last entry
    BAD_SIGNATURE = "bad_signature"  # a checkpoint line (or a document's anchor) that does not verify
    CHECKPOINTS_MISSING = "checkpoints_missing"  # the file lacks checkpoints the database lists
    ANCHOR_MISMATCH = "anchor_mismatch"  # an issued document's anchor names a hash the chain no longer has
    FILE_SWAPPED = "file_swapped"  # evidence bytes ≠ their recorded SHA-256
    FILE_MISSING = "file_missing"  # evidence recorded but not found
    RECORD_CHANGED = "record_changed"  # a stored record ≠ the state the history last recorded of it
    RECORD_UNRECORDED = "record_unrecorded"  # a stored record no history entry names: written in the database
    RECORD_MISSING = "record_missing"  # a record the history holds that the table lacks: deleted


KIND_TEXT: dict[Kind, tuple[str, str]] = {
    Kind.CHANGED: ("记录内容被修改", "entry was changed"),
    Kind.BROKEN_LINK: ("记录链断开", "chain link broken"),
    Kind.MISSING: ("记录缺失", "entries missing"),
    Kind.REORDERED: ("记录顺序被调换", "entries re-ordered"),
    Kind.REHASHED: ("记录链被重新计算，与签名检查点不符", "chain re-hashed: a signed checkpoint disagrees"),
    Kind.TRUNCATED: ("链尾记录被截断", "tail of the chain removed"),
    Kind.BAD_SIGNATURE: ("检查点签名无效", "checkpoint signature invalid"),
    Kind.CHECKPOINTS_MISSING: ("检查点文件缺失或不完整", "checkpoint file missing or incomplete"),
    Kind.ANCHOR_MISMATCH: (
        "变更记录在文件发布后被改写，与文件中的锚点不符",
        "the history was rewritten after the document was issued: its anchor no longer matches",
    ),
    Kind.FILE_SWAPPED: ("佐证材料文件被替换", "evidence file replaced"),
    Kind.FILE_MISSING: ("佐证材料文件缺失", "evidence file missing"),
    Kind.RECORD_CHANGED: (
        "数据与变更记录不符（疑似绕过系统直接修改）",
        "a stored record differs from what the history recorded (changed behind the application's back)",
    ),
    Kind.RECORD_UNRECORDED: (
        "数据没有对应的变更记录（疑似直接写入数据库）",
        "a stored record has no history entry (written into the database directly)",
    ),
    Kind.RECORD_MISSING: (
        "变更记录中存在的数据已被删除",
        "a record the history holds is no longer in the database (deleted)",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem and where it is: an entry (`seq`), a range of entries, a checkpoint line or a file.

    For `rehashed` and `truncated` the place is a range: the change lies somewhere in
    `seq`…`seq_end`, after the last checkpoint that still agreed.
    """

    kind: Kind
    seq: int | None = None
    seq_end: int | None = None
    line: int | None = None  # line of the checkpoint file
    evidence_id: int | None = None
    path: str = ""
    detail: str = ""
    record: str = ""  # a stored record: "receipt #12", "整改措施 ledger.measure #3"
    fields: tuple[str, ...] = ()  # the record's columns that differ from the history
    # Only columns the history never recorded, or that the table no longer has, differ: a migration
    # changed the table (`python -m django rebase_history_states` records the new columns).
    schema_only: bool = False
    file: str = ""  # the checkpoint file, or an issued document whose anchor was checked

    def where(self) -> str:
        if self.record:
            return self.record
        if self.file and self.kind == Kind.CHECKPOINTS_MISSING:
            return f"检查点文件 checkpoint file {self.file}"
        if self.file:
            return f"发布文件 document {self.file}（锚点 anchor #{self.seq}）"
        if self.evidence_id is not None or self.path:
            return f"佐证材料 evidence #{self.evidence_id if self.evidence_id is not None else '?'}（{self.path}）"
        if self.line is not None:
            return f"检查点文件第 {self.line} 行 checkpoint file line {self.line}"
        if self.seq_end is not None and self.seq_end != self.seq:
            return f"第 {self.seq}–{self.seq_end} 条之间 between entries #{self.seq} and #{self.seq_end}"
        return f"第 {self.seq} 条 entry #{self.seq}"

    def describe(self) -> str:
        chinese, english = KIND_TEXT[self.kind]
        text = f"[{self.kind}] {chinese} / {english} — {self.where()}"
        if self.fields:
            text += f"（字段 fields: {', '.join(self.fields)}）"
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class VerifyReport:
    entries: int = 0  # entries that verified: all of them, or those before the first problem
    verified_to: int = 0  # seq of the last entry that verified
    checkpoints: int = 0  # well-signed checkpoints read from the export file
    files: int = 0
    chain: Finding | None = None  # the first problem in the chain; nothing after it is trusted
    checkpoint_findings: list[Finding] = field(default_factory=list)
    file_findings: list[Finding] = field(default_factory=list)
    public_records: int = 0  # residents' receipts, comments and answers checked against the history
    records: int = 0  # ledger, organisation and account records checked against the history
    record_findings: list[Finding] = field(default_factory=list)
    anchor_findings: list[Finding] = field(default_factory=list)  # `verify --against` an issued document
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds each part took (bench/verify.py)

    @property
    def findings(self) -> list[Finding]:
        first = [self.chain] if self.chain else []
        return (
            first
            + self.checkpoint_findings
            + self.file_findings
            + self.record_findings
            + self.anchor_findings
        )

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        findings = self.findings
        return findings[0] if findings else None

    def text(self) -> str:
        lines = [
            "历史记录校验 / History verification",
            f"  已核对记录 entries verified: {self.entries}（至 up to #{self.verified_to}）",
            f"  已签名检查点 signed checkpoints: {self.checkpoints}",
            f"  佐证材料文件 evidence files: {self.files}",
            f"  群众回执与意见建议 public records: {self.public_records}",
            f"  台账、机构与账号数据 ledger, organisation and account records: {self.records}",
        ]
        lines += [f"  注意 note: {note}" for note in self.notes]
        if self.ok:
            lines.append("结果 result: 未发现篡改 / no tampering found")
        else:
            lines.append("结果 result: 发现篡改 / TAMPERING FOUND")
            lines += [f"  ✗ {finding.describe()}" for finding in self.findings]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data
