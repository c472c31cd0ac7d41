"""The demo: the published report of X社区党工委 as a round, a second unit, and a login per role."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from zhenggai.accounts.services import user_create
from zhenggai.comments.services import call_open, comment_answer, comment_submit
from zhenggai.core.parse import parse_document
from zhenggai.ledger.models import ClaimedStatus, MeasureKind, MeasureStatus
from zhenggai.ledger.services import (
    evidence_attach,
    measure_create,
    progress_record,
    round_import_ledger,
    round_update,
)
from zhenggai.ledger.tally import tally_deferred, tally_rebuild
from zhenggai.ledger.transitions import extension_request, measure_acknowledge, measure_transition
from zhenggai.ledger.workflow import Action
from zhenggai.orgs.models import Organisation, OrgKind, Role
from zhenggai.orgs.services import membership_grant, organisation_create, person_create, person_update
from zhenggai.public_visitors import network_hash
from zhenggai.receipts.services import Answer, Sender, batch_issue, receipt_confirm
from zhenggai.taxonomy.rules import Classifier

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "zhenggai-demo"  # noqa: S105 - a demo install on 127.0.0.1, printed to its user


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str


DEMO_LOGINS = [
    DemoLogin("admin", "系统管理员", "全部"),
    DemoLogin("xunchaban", "县委巡察办工作人员", "县委巡察办跟踪的全部轮次；审批延期、销号、退回"),
    DemoLogin("x_clerk", "X社区台账管理员", "X社区党工委的台账（可填报）"),
    DemoLogin("x_leader", "X社区党工委书记", "X社区党工委的台账；本单位审核"),
    DemoLogin("x_dangjian", "X社区党建办公室干事", "X社区党工委的台账；为党建办公室牵头的措施签收"),
    DemoLogin(
        "x_admin", "X社区单位管理员", "X社区党工委的人员与机构（部门、人员、账号、角色）；设定措施责任人"
    ),
    DemoLogin("y_clerk", "Y社区台账管理员", "Y社区党工委的台账（可填报）"),
    DemoLogin("jiwei", "县纪委监委监督员", "全县各轮次（只读）"),
]

# Who answers for which kind of problem in the demo unit, by top-level category: (分管领导, 牵头部门).
_RESPONSIBLE = {
    "finance": ("李明", "财务室"),
    "ideology": ("赵华", "党建办公室"),
    "organisation": ("赵华", "党建办公室"),
    "livelihood": ("李明", "便民服务中心"),
}
_DEFAULT_RESPONSIBLE = ("王强", "党政办公室")


def demo_exists() -> bool:
    return get_user_model().objects.filter(username="x_clerk").exists()


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> None:
    """Create the demo organisations, people, logins and rounds. Refuses to run twice."""
    if demo_exists():
        raise RuntimeError("the demo is loaded already")
    today = today or datetime.date.today()
    # Counted (and its quality signals flagged) once at the end, as an import is, not after each
    # of its hundred writes.
    with tally_deferred():
        _load(today)
    tally_rebuild()  # kept by the services already; counted once more as of today, whatever `today` was


def _load(today: datetime.date) -> None:
    admin = user_create(username="admin", password=DEMO_PASSWORD, superuser=True, first_name="系统管理员")

    county = organisation_create(name="中共某县委员会", kind=OrgKind.OTHER, short_name="县委", actor=admin)
    office = organisation_create(
        name="县委巡察办", kind=OrgKind.INSPECTION_OFFICE, parent=county, actor=admin
    )
    group = organisation_create(
        name="县委第三巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office, actor=admin
    )
    discipline = organisation_create(name="县纪委监委", kind=OrgKind.OTHER, parent=county, actor=admin)
    unit_x = organisation_create(
        name="X社区党工委", kind=OrgKind.UNIT, short_name="X社区", parent=county, actor=admin
    )
    for name in ["党政办公室", "党建办公室", "便民服务中心", "财务室"]:
        organisation_create(name=name, kind=OrgKind.DEPARTMENT, parent=unit_x, actor=admin)
    organisation_create(name="X居委会", kind=OrgKind.SUBUNIT, parent=unit_x, actor=admin)
    unit_y = organisation_create(
        name="Y社区党工委", kind=OrgKind.UNIT, short_name="Y社区", parent=county, actor=admin
    )
    organisation_create(name="综合办公室", kind=OrgKind.DEPARTMENT, parent=unit_y, actor=admin)

    people = {
        "张伟": person_create(name="张伟", title="党工委书记", organisation=unit_x, actor=admin),
        "王强": person_create(name="王强", title="党工委副书记", organisation=unit_x, actor=admin),
        "李明": person_create(name="李明", title="党工委委员", organisation=unit_x, actor=admin),
        "赵华": person_create(name="赵华", title="纪检委员", organisation=unit_x, actor=admin),
    }

    def login(username: str, full_name: str, org: Organisation, role: Role):
        user = user_create(username=username, password=DEMO_PASSWORD, actor=admin, first_name=full_name)
        membership_grant(user=user, organisation=org, role=role, actor=admin)
        return user

    officer = login("xunchaban", "巡察办 周敏", office, Role.OFFICE_STAFF)
    clerk = login("x_clerk", "X社区 陈静", unit_x, Role.UNIT_STAFF)
    leader = login("x_leader", "X社区 张伟", unit_x, Role.UNIT_LEADER)
    person_update(person=people["张伟"], actor=admin, user=leader)
    y_clerk = login("y_clerk", "Y社区 刘洋", unit_y, Role.UNIT_STAFF)
    # The clerks are staff too, and may be named 具体责任人.
    person_create(name="陈静", title="台账管理员", organisation=unit_x, user=clerk, actor=admin)
    person_create(name="刘洋", title="台账管理员", organisation=unit_y, user=y_clerk, actor=admin)
    party_office = Organisation.objects.get(parent=unit_x, name="党建办公室")
    dangjian = login("x_dangjian", "党建办公室 孙丽", party_office, Role.UNIT_STAFF)
    # The department officer who signs for its tasks can also be named 具体责任人.
    person_create(name="孙丽", title="党建办公室干事", organisation=party_office, user=dangjian, actor=admin)
    x_admin = login("x_admin", "X社区 吴磊", unit_x, Role.UNIT_ADMIN)
    person_create(name="吴磊", title="单位管理员", organisation=unit_x, user=x_admin, actor=admin)
    # The discipline inspectors' reach is the whole county: a read-only role at its root.
    supervisor = login("jiwei", "县纪委监委 马超", discipline, Role.SUPERVISOR)
    membership_grant(user=supervisor, organisation=county, role=Role.SUPERVISOR, actor=admin)

    # The demo round is made the way a user makes one: by reading the published report. Its dates
    # are moved to the day the demo is loaded, so that it is in the middle of its cycle: fed back
    # six weeks ago, two months to rectify, most measures on time and a few overdue.
    report = DATA / "x_community_2020_report.txt"
    ledger = parse_document(report.read_bytes(), report.name)
    feedback = today - datetime.timedelta(days=FEEDBACK_DAYS_AGO)
    ledger["round"]["feedback_date"] = feedback.isoformat()
    deadline = feedback + datetime.timedelta(days=61)  # 整改期限: two months after the feedback
    round_x = round_import_ledger(
        ledger=_with_responsibilities(ledger, today),
        office=office,
        inspected_unit=unit_x,
        inspecting_group=group,
        actor=admin,
    )
    round_update(round_=round_x, actor=admin, rectification_deadline=deadline)
    _review_claims(round_x, clerk, leader, officer, today)
    _in_mid_cycle(round_x, clerk, leader, officer, party_office, today)
    _load_second_unit(office, group, unit_y, admin, today, y_clerk)
    _load_comments(round_x, clerk)


# What becomes of the measures the report claims done, in order: the clerk backs the claim with
# progress and evidence and asks for closing, the unit's secretary confirms, the office closes.
# The last one is left as the report put it: in progress, "报告称已完成", waiting for its evidence.
_CLAIM_STEPS = [
    (Action.SUBMIT, Action.CONFIRM, Action.CLOSE),
    (Action.SUBMIT, Action.CONFIRM, Action.CLOSE),
    (Action.SUBMIT, Action.CONFIRM),
    (Action.SUBMIT, Action.CONFIRM),
    (Action.SUBMIT,),
]
FEEDBACK_DAYS_AGO = 42
# Days from the loading day to each measure's deadline, in turn: one in ten overdue, a few due soon.
_DEADLINE_DAYS = [25, 40, 8, 55, -4, 18, 70, 12, 33, 45]
RETURN_REASON = "佐证材料只有制度文本，缺少执行记录。请补充会议记录和签到表后重新申请销号。"


def _worked(measure, clerk, today: datetime.date, text: str = "") -> None:
    """The clerk's progress note and evidence file on a measure."""
    progress_record(measure=measure, actor=clerk, happened_on=today, text=text or measure.text[:60])
    note = f"{measure.problem.outline} 整改情况说明：{measure.text}".encode()
    evidence_attach(
        measure=measure, actor=clerk, name="整改情况说明.txt", size=len(note), stream=io.BytesIO(note)
    )


def _take_steps(measure, steps, actors: dict, today: datetime.date, reason: str = "") -> None:
    for action in steps:
        measure.refresh_from_db()
        measure_transition(
            measure=measure,
            actor=actors[action],
            action=action,
            expected_version=measure.version,
            completed_on=today if action == Action.SUBMIT else None,
            reason=reason if action == Action.RETURN else "",
            follow_up_days=180 if measure.long_term else None,
        )


def _review_claims(round_, clerk, leader, officer, today: datetime.date) -> None:
    """Take some of the measures the report claims done through the review, as people would."""
    claimed = round_.measures.filter(claimed_status=ClaimedStatus.DONE).order_by(
        "problem__position", "position"
    )
    actors = {Action.SUBMIT: clerk, Action.CONFIRM: leader, Action.CLOSE: officer}
    for measure, steps in zip(claimed, _CLAIM_STEPS, strict=False):
        _worked(measure, clerk, today)
        _take_steps(measure, steps, actors, today)


def _in_mid_cycle(round_, clerk, leader, officer, party_office, today: datetime.date) -> None:
    """What a round six weeks into its rectification holds besides the claims: a measure the office
    returned with its reason, work under way, a request for more time waiting for the office, and
    the 党建办公室's tasks, one signed for and the others waiting for its 签收."""
    open_ = round_.measures.filter(status=MeasureStatus.NOT_STARTED, long_term=False).order_by(
        "problem__position", "position"
    )
    returned, started, extended = list(open_.exclude(lead_department=party_office)[:3])
    actors = {Action.SUBMIT: clerk, Action.CONFIRM: leader, Action.RETURN: officer}
    _worked(returned, clerk, today)
    _take_steps(returned, (Action.SUBMIT, Action.CONFIRM, Action.RETURN), actors, today, RETURN_REASON)
    progress_record(measure=started, actor=clerk, happened_on=today, text="已起草工作方案，正在征求意见。")
    extended.refresh_from_db()
    extension_request(
        measure=extended,
        actor=clerk,
        new_deadline=(extended.deadline or today) + datetime.timedelta(days=30),
        reason="涉及上级部门审批，需等待批复后实施。",
        expected_version=extended.version,
    )
    signer = get_user_model().objects.get(username="x_dangjian")
    first = round_.measures.filter(lead_department=party_office).order_by("problem__position", "position")
    measure_acknowledge(measure=first[0], actor=signer)


def _with_responsibilities(ledger: dict, today: datetime.date) -> dict:
    """The published report names no leaders or deadlines; a real ledger would. Fill them in, with
    deadlines spread around the loading day."""
    counter = iter(range(1_000_000))
    classifier = Classifier.from_database()  # the rules that will classify the problems on import

    def visit(nodes, headings):
        for node in nodes:
            category = classifier.code(node.get("title") or "", node.get("problem") or "", headings)
            leader, department = _RESPONSIBLE.get(category.split(".")[0], _DEFAULT_RESPONSIBLE)
            for measure in node.get("measures") or []:
                days = _DEADLINE_DAYS[next(counter) % len(_DEADLINE_DAYS)]
                measure["owner"] = measure.get("owner") or leader
                measure["department"] = measure.get("department") or department
                measure["deadline"] = (today + datetime.timedelta(days=days)).isoformat()
            node.pop("deadline", None)
            visit(node.get("children") or [], [node.get("title") or "", *headings])

    visit(ledger.get("sections") or [], [])
    return ledger


def _finding(label: str, number: int, statement: str) -> dict:
    return {
        "label": label,
        "number": number,
        "level": 2,
        "title": statement.split("，")[0] + "。",
        "problem": statement,
        "measures": [],
        "children": [],
    }


def _y_ledger(title: str, feedback: datetime.date, heading: str, findings: list[dict]) -> dict:
    """A ledger of Y社区's rounds: one heading (一、) and its findings, by 县委第三巡察组."""
    return {
        "schema": "zhenggai.ledger/1",
        "title": title,
        "round": {
            "kind": "巡察",
            "inspector": "县委第三巡察组",
            "target": "Y社区党工委",
            "feedback_date": feedback.isoformat(),
        },
        "sections": [
            {
                "label": "一、",
                "number": 1,
                "level": 1,
                "title": heading,
                "problem": None,
                "measures": [],
                "children": findings,
            }
        ],
    }


def _load_earlier_round(office, group, unit, actor, today: datetime.date) -> None:
    """Y社区's round of two years before: two of its three findings come back in the current round
    (屡查屡犯, reworded), which the problem pages show as repeated. Its measures are kept up long
    term and still under way, the checklist a 回头看 of it would take."""
    feedback = today - datetime.timedelta(days=2 * 365 + 45)
    ledger = _y_ledger(
        "Y社区党工委关于县委第一巡察组反馈意见的整改台账",
        feedback,
        "党的建设和全面从严治党方面",
        [
            _finding(
                "1.", 1, "党风廉政建设责任落实不到位，党工委专题研究党风廉政建设工作次数少，2021年仅研究1次。"
            ),
            _finding("2.", 2, "财务报销票据审核把关不严，部分报销凭证缺少经办人、审核人签字。"),
            _finding("3.", 3, "“三会一课”制度落实不到位，部分党员未按时参加组织生活。"),
        ],
    )
    earlier = round_import_ledger(
        ledger=ledger, office=office, inspected_unit=unit, inspecting_group=group, actor=actor
    )
    department = Organisation.objects.get(parent=unit, name="综合办公室")
    plans = [
        "党工委每半年至少专题研究一次党风廉政建设工作，形成会议纪要。",
        "建立报销凭证审核登记台账，经办人、审核人签字不全的不予报销。",
        "每月第一周召开支部党员大会，缺席党员由支部书记谈话提醒。",
    ]
    for problem, text in zip(earlier.problems.exclude(statement="").order_by("position"), plans, strict=True):
        measure_create(
            problem=problem,
            actor=actor,
            text=text,
            status=MeasureStatus.IN_PROGRESS,
            lead_department=department,
            kind=MeasureKind.LONG_TERM,
        )


def _load_second_unit(office, group, unit, actor, today: datetime.date, clerk) -> None:
    """A round still under way, so that the demo shows every light; the unit was inspected once
    before (`_load_earlier_round`), and two of this round's findings repeat that round's."""
    _load_earlier_round(office, group, unit, actor, today)
    feedback = today - datetime.timedelta(days=45)
    ledger = _y_ledger(
        "Y社区党工委关于县委第三巡察组反馈意见的整改台账",
        feedback,
        "落实全面从严治党主体责任不到位",
        [
            _finding("1.", 1, "党风廉政建设专题研究不足，2023年以来仅研究1次。"),
            _finding("2.", 2, "财务票据审核不严，部分报销凭证缺少经办人签字。"),
            _finding("3.", 3, "居民诉求回应不及时，12345工单平均办结超过15天。"),
        ],
    )
    round_y = round_import_ledger(
        ledger=ledger, office=office, inspected_unit=unit, inspecting_group=group, actor=actor
    )
    department = Organisation.objects.get(parent=unit, name="综合办公室")
    plans = [
        ("每季度召开一次党风廉政建设专题会议，形成会议纪要。", -5, MeasureStatus.IN_PROGRESS),
        ("修订财务报销制度，逐张复核2023年以来的报销凭证。", 6, MeasureStatus.IN_PROGRESS),
        ("建立12345工单台账，实行“日清周结”，办结时限压缩到7天以内。", 40, MeasureStatus.NOT_STARTED),
    ]
    measures = []
    for problem, (text, days, status) in zip(
        round_y.problems.exclude(statement="").order_by("position"), plans, strict=True
    ):
        measure = measure_create(
            problem=problem,
            actor=actor,
            text=text,
            status=status,
            lead_department=department,
            kind=MeasureKind.TIME_BOUND,
            deadline=today + datetime.timedelta(days=days),
        )
        measures.append(measure)
    _load_receipts(measures[2], clerk)
    # Taken over from X社区's plan with only the name changed: what the office's copy hint (照抄照搬)
    # shows in the demo.
    measure_create(
        problem=round_y.problems.exclude(statement="").order_by("position")[0],
        actor=actor,
        text="建章立制，规范文件的传达和记录工作。制定《Y社区文件学习传达制度》，由办公室专人管理。",
        status=MeasureStatus.NOT_STARTED,
        lead_department=department,
        kind=MeasureKind.TIME_BOUND,
        deadline=today + datetime.timedelta(days=20),
    )


def _load_receipts(measure, clerk) -> None:
    """Call-back slips for the 12345 requests: two residents answered on their own phones, and three
    slips were answered from one desk, which the batch page flags for the reviewers."""
    batch = batch_issue(
        measure=measure,
        actor=clerk,
        title="12345工单办理结果回访",
        statement="我反映的问题已有人联系我，并告知了办理结果。",
        count=8,
        asks_satisfaction=True,
    )
    slips = list(batch.receipts.order_by("number"))
    answers = [
        (slips[0], "幸福里3栋", "satisfied", "10.20.0.11", "Mozilla/5.0 (Linux; Android 14; HUAWEI) Mobile"),
        (slips[1], "幸福里5栋", "mostly", "10.20.0.57", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Mobile"),
    ]
    desk = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
    answers += [(slip, "", "satisfied", "10.20.1.2", desk) for slip in slips[2:5]]
    for slip, household, satisfaction, address, agent in answers:
        receipt_confirm(
            receipt=slip,
            answer=Answer(household=household, satisfaction=satisfaction),
            sender=Sender(
                logged_in=False, device_id=f"demo-{slip.number}", network=network_hash(address, agent)
            ),
        )


def _load_comments(round_, clerk) -> None:
    """The public page the published report points to, with two comments, one answered publicly."""
    call = call_open(
        round_=round_,
        actor=clerk,
        invitation="欢迎对X社区巡察整改工作提出意见建议，我们将认真研究并及时答复。",
        closes_on=None,
    )
    lamp = comment_submit(
        call=call,
        text="X居委会3号楼楼道灯坏了很久，反映过几次，希望尽快修好。",
        name="",
        contact="",
        logged_in=False,
        network="demo-resident-1",
    )
    comment_submit(
        call=call,
        text="低保评议结果能不能在小区公告栏公示？",
        name="李女士",
        contact="139****0000",
        logged_in=False,
        network="demo-resident-2",
    )
    comment_answer(
        comment=lamp,
        actor=clerk,
        answer="感谢监督。社区已安排物业更换3号楼楼道灯，并将楼道照明纳入网格员每周巡查内容。",
        public=True,
    )
