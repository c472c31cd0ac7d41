"""The inspection round a report answers: kind, inspector, target and feedback date.

Read from the title and the preamble's two standard sentences — ``X巡察组对Y进行了巡察`` (on site)
and ``Z年M月D日，X巡察组向Y反馈了巡察意见`` (feedback) — and, for audit reports, from the
audit office that signs or is named. What is not stated stays None: the reader never guesses.

Also read: an on-site sentence with a long target list (``对A、B、C等12个单位党组织开展了巡察``)
or a qualifier with digits (``开展了2024年第二轮巡察``); an inspector named outside those
sentences (``县委第二巡察组反馈了…``, ``审计署驻某地特派员办事处``, ``中央生态环境保护督察组``) or as
a count of groups (``省委派出3个巡视组`` → ``省委巡视组``); a feedback date printed with the
feedback meeting (``反馈会于2024年8月27日召开``). A document that is not about an inspection at
all (a work report, a meeting notice, a news item with no round in it) gets no round, and a
warning that says so (:func:`round_and_warning`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache

from zhenggai.core.lazy_re import LazyPattern, lazy, max_width
from zhenggai.core.ledger import Round, new_round
from zhenggai.core.phrases import KIND_OF, KIND_RE, arabic_dates
from zhenggai.core.titles import BYLINE_ROLE, strip_readings

# Whether a preamble's sentence is its feedback sentence is asked of the same sentences by several
# readings of the round: the answers are kept, each the sentence's alone.
_KEPT = 1024

# No group's name and no count of groups holds a comma, a full stop, a colon or a space: each lies
# in one clause, and no match starts before the clause of the first place that holds what every
# match holds (a kind and then 组, 个 and then 组, 督察).
_CLAUSE_MARKS = r"，。,；;：:\s"
_CLAUSE_MARK = lazy(f"[{_CLAUSE_MARKS}]")


def _clause_start(text: str, pos: int, at: int, *, colons: bool = True) -> int:
    """Where the clause that holds ``at`` starts, past ``pos``: after the last comma, full stop,
    semicolon or (with ``colons``) colon before ``at`` (the marks of _CLAUSE_MARKS printed, each
    searched for in turn: a generator over them cost more than the seven searches)."""
    last = max(
        text.rfind("，", pos, at),
        text.rfind("。", pos, at),
        text.rfind(",", pos, at),
        text.rfind("；", pos, at),
        text.rfind(";", pos, at),
    )
    if colons:
        last = max(last, text.rfind("：", pos, at), text.rfind(":", pos, at))
    return last + 1


class _FromClause:
    """``pattern``, whose matches never hold a comma, a full stop, a colon or a space, searched from
    the start of the clause where ``kernel`` (what every match holds, in one clause) is first found,
    in a text that holds each of ``needs``: no match can start earlier. What it finds is what
    ``pattern`` finds in the whole text, the leftmost match and the same matches in the same order (a
    look-behind still sees what stands before). CPython's engine tries a pattern that opens with an
    optional run of characters at every position of a text; ``kernel`` opens with a word the engine
    skips to. The clause's start is that of the marks printed (a space is left out: the search then
    starts a little earlier, which finds the same). Every match of ``pattern`` ends where the kernel
    does or later (it ends with 组, after the kind: the kernel's first), so none starts further back
    than the pattern's widest match (:func:`max_width`, where it is bounded): a clause that lists
    thirty units before its group's name is not tried at each of their characters."""

    def __init__(
        self,
        pattern: LazyPattern,
        kernel: LazyPattern,
        needs: tuple[str, ...],
        holds: LazyPattern | None = None,
    ) -> None:
        self.pattern = pattern
        self._kernel = kernel
        self._needs = needs
        # what the clause of every match holds besides the kernel, when there is such a word: a
        # clause without one is passed over without trying the pattern at each of its positions
        self._holds = holds
        self._last: tuple[str, re.Match[str] | None] = ("", None)  # the last text searched, found

    @cached_property
    def _width(self) -> int | None:
        """The pattern's widest match (read on the first search: the pattern is parsed for it)."""
        return max_width(self.pattern)

    def _search(self, text: str, pos: int) -> re.Match[str] | None:
        width = self._width
        while core := self._kernel.search(text, pos):
            at = core.start()
            start = max(_clause_start(text, pos, at), pos)
            if width is not None and core.end() - width > start:
                start = core.end() - width
            mark = _CLAUSE_MARK.search(text, core.end())
            end = mark.start() if mark else len(text)
            if (self._holds is None or self._holds.search(text, start, end)) and (
                found := self.pattern.search(text, start, end)
            ):
                return found
            pos = end
        return None

    def search(self, text: str) -> re.Match[str] | None:
        # called for every sentence of a preamble, often twice or more for the same one (the last
        # text's match is kept)
        for word in self._needs:
            if word not in text:
                return None
        last = self._last
        if last[0] == text:
            return last[1]
        match = self._search(text, 0)
        self._last = (text, match)
        return match

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for word in self._needs:
            if word not in text:
                return
        # The first match is what search finds: taken from what is kept, and kept for search (a
        # preamble's sentence is asked for its roster, then for its first group).
        last = self._last
        found = last[1] if last[0] == text else self._search(text, 0)
        self._last = (text, found)
        while found:
            yield found
            found = self._search(text, found.end())


class _NearWord:
    """``pattern``, every match of which holds ``word`` at most ``reach`` characters after its start
    and is at most ``length`` characters long, searched around each place the word stands: from
    ``reach`` characters before it (no match starts earlier) to ``length`` characters after (a match
    that starts before the word ends there). The same matches, in the same order, as
    ``pattern.finditer`` over the whole text, without trying the pattern's optional opening at every
    position of a preamble, and without a search running on to the text's end from a word that opens
    no match (审计整改, 审计发现)."""

    def __init__(
        self,
        pattern: LazyPattern,
        word: str | LazyPattern,
        reach: int,
        length: int,
        needs: tuple[str, ...] = (),
    ) -> None:
        self.pattern = pattern
        self._word = word  # a word, or a pattern for one of several (a class of characters)
        self._reach = reach
        self._length = length
        # words one of which every match holds (审计局…): a place whose neighbourhood holds none is
        # passed over without a search (a report names 审计 far more often than its office)
        self._needs = needs

    def _next(self, text: str, pos: int) -> int:
        if isinstance(self._word, str):
            return text.find(self._word, pos)
        found = self._word.search(text, pos)
        return found.start() if found else -1

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        needs = self._needs
        if needs and not any(need in text for need in needs):
            return
        pos = 0
        while (at := self._next(text, pos)) >= 0:
            start = max(pos, at - self._reach)
            if needs:
                around = text[start : at + self._length]
                if not any(need in around for need in needs):
                    pos = at + 1  # no match lies here (each holds one of needs)
                    continue
            found = self.pattern.search(text, start, at + self._length)
            if found is not None and found.start() <= at:
                yield found
                pos = found.end()
            else:
                pos = at + 1  # no match starts at or before the word


# 第三, 第12, and a template's placeholder 第X / 第x (documents shared with their names blanked out)
_ORDINAL = r"第(?:[一二三四五六七八九十\d]{1,3}|[xX×Ｘ]{1,2})(?:轮)?"
_GROUP = r"(?:巡视|巡察|督察|督查|检查|审计|督导(?:检查)?)组"
# Words inside a group's name (医疗卫生领域, 上下联动, 机动, 专项): never a count (三个) or a verb
# that sends groups (派出, 组建).
# (``[^\W\d_]`` is a letter: as good as the Han range here, and far cheaper to compile.)
# nor 整改 (a team following up a rectification, 督察整改督查组, is no inspector) nor a verb with
# its particle (党委会专题听取了巡察组).
_NAME_FILLER = (
    r"(?:(?![个各位名委了]|派出|组建|成立|组织(?!部)|部署|安排|统一|整改|听取|召开)[^\W\d_]){{0,{0}}}?"
)
# 县委第三巡察组, 省委第五巡视组, 中央第二生态环境保护督察组, 区委巡察组, 集团党委第一巡察组;
# ordinals listed (县委第二、第三、第四巡察组); a council's committee (国务院安委会…第六督导组);
# a group numbered after its kind (市委机动巡察一组, 县委巡察第一组); a round's numbered group
# (市委第三轮…提级巡察“回头看”第一组); an organisation's own group (集团巡察组, 学校巡察组).
_ORDINALS = _ORDINAL + r"(?:、" + _ORDINAL + r"){0,11}"  # (a dozen groups at most listed)
# (a committee's department sends groups of its own: 市委组织部第三检查组; a level alone stands
# before a numbered group: 省第四生态环境保护督察组, 市第二巡察组; so does a ministry: 教育部第一巡视组)
_COMMITTEE = (
    r"(?:(?:(?<![\u4e00-\u9fff])(?:中共)?[\u4e00-\u9fff]{2,8}?[省市州县区旗]委|[省市州县区旗]委|中央|"
    r"(?:国务院|[省市州县区旗](?:人民)?政府)[^\W\d_]{1,3}?委员?会|"
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,10}?(?:党委|党组)|国务院|[省市州县区旗](?:人民)?政府)"
    r"(?:(?:组织|宣传|统战)部)?|(?<![\u4e00-\u9fff])[省市州县区旗](?=第)"
    # a ministry's group named without its party group: 教育部第一巡视组 (after 根据 / 按照 too); so
    # is a province's or a city's department's: 省自然资源厅第三督察组, 市应急管理局第二督查组
    r"|(?:(?<![\u4e00-\u9fff])|(?<=根据|按照|对照|接受|配合|迎接|落实|传达))[\u4e00-\u9fff]{1,10}?[部厅局](?=第))"
)
_NUMERAL = r"[一二三四五六七八九十\d]{1,3}"
_INSPECTOR = lazy(
    r"(?:"
    + _COMMITTEE
    + _NAME_FILLER.format(8)
    + r")?"
    + _ORDINALS
    + _NAME_FILLER.format(8)
    + _GROUP
    + r"|(?:(?:中共)?[\u4e00-\u9fff]{0,8}?[省市州县区旗]委|中央|党委)第"
    + _NUMERAL
    + r"轮[^，。,；;：:\s]{0,24}?(?:巡视|巡察)[^，。,；;：:\s]{0,6}?第"
    + _NUMERAL
    + r"组"
    + r"|(?:"
    + _COMMITTEE
    + r")?"
    + _NAME_FILLER.format(4)
    + r"(?:巡视|巡察)(?:[一二三四五六七八九十]{1,2}|第[一二三四五六七八九十\d]{1,3})组"
    # (a university's or a hospital's committee: 校党委第三巡视组, 院党委第一巡察组; a commission's,
    # a ministry's or a bureau's party group, as its own units call it: 委党组巡察组, 部党组巡视组)
    + r"|(?:中央|[省市州县区旗]委|[省市州县区旗]纪委(?:监委)?|(?:学校|[校院委部局])?(?:党委|党组)"
    # (an audit group sent by the level's audit office: 县审计组到某镇开展审计工作)
    # (an enterprise's committee: 集团公司党委巡察组, 集团党委巡察组)
    + r"|(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{0,10}?(?:集团|公司)(?:党委|党组)?|学校|校|(?<![\u4e00-\u9fff])[省市州县区旗](?=审计组))"
    + _NAME_FILLER.format(6)
    + _GROUP
)
# Every inspector's name holds a kind followed by 组 (县委第二巡察组, 第三轮巡察第一组, 巡察一组).
# … and one of the words its alternatives need: an ordinal's 第 (县委第二巡察组, 第三轮…第一组, 巡察第一组),
# a committee's 委 or 党 (市委巡察组, 集团党委巡察组), 中央, 集团, 公司, 校, a level's 审计组, or a numeral
# after the kind (巡察一组). A clause without any (…回答好巡察组提出的每一个问题) names no inspector.
_INSPECTOR_WORD = lazy(
    r"第|委|党|中央|集团|公司|校|审计组|巡视[一二三四五六七八九十]|巡察[一二三四五六七八九十]"
)
# (the 组 of a group's name follows its kind, or a numeral after the kind: 巡察组, 巡察第一组, 巡察一组,
# 巡视“回头看”第二组 — not the 组 of 巡察工作领导小组)
INSPECTOR = _FromClause(
    _INSPECTOR,
    lazy(f"(?:巡视|巡察|督察|督查|检查|审计|督导)(?:[^{_CLAUSE_MARKS}]*?[一二三四五六七八九十\\d])?组"),
    ("组",),
    holds=_INSPECTOR_WORD,
)
_BARE_GROUP = lazy(r"(?:巡视|巡察)组")
# 督察组进驻安徽省期间 / 巡视组进驻某局开展巡视: the target of a group that is stationed there.
# 督导组来我省督导 / 督察局到某县督察: a group or a standing inspection office that comes to the target.
_STATIONED = lazy(
    # (于 and a period: 于2024年3月13日至2024年5月12日 is 21 characters)
    r"(?:组|督察局)(?:于[^，。,；;]{1,24}?|[^，。,；;]{1,14}?(?:带队|一行)|人员)?(?:正式|分别|先后|陆续)?(?:进驻|进入|下沉|到|赴|来)"
    # (组进驻期间: the time of the stay, not where the group went)
    # (中央巡视组进驻29所中管高校的消息: the place's name ends at 的)
    r"(?!期间)([^，。,；;：:“”\"《》\s]{2,40}?)(?:期间|开展|进行|以来|后|督查|检查|督导|督察|调研|的|，|,)"
)
# The place or body a title opens with: 江岚省贯彻落实…, 中共某某局党组关于…, 景东县…
_TITLE_PLACE = lazy(r"^(?:中共)?((?:[\u4e00-\u9fff]{2,12}?)(?:自治区|省|市|州|县|区|旗|镇|乡|街道))")
# An environmental inspection group without an ordinal: 中央生态环境保护督察组, 省生态环境保护督察组.
_ENV_GROUP_ANYWHERE = lazy(
    r"(?:中央|(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{0,6}?[省市区]委?(?:省政府|市政府)?)"
    r"(?:第[一二三四五六七八九十\d]{1,3})?(?:生态环境保护|环境保护|生态环保|环保)督察组"
    # a standing inspection office: 国家自然资源督察成都局, 国家土地督察上海局
    r"|国家(?:自然资源|土地)督察[\u4e00-\u9fff]{2,4}?局|(?:生态环境保护|生态环境|生态环保|环境保护)部[^\W\d_]{2,4}?督察局"
)
# … each of them holds 督察.
_ENV_GROUP = _FromClause(_ENV_GROUP_ANYWHERE, lazy("督察"), ("督察",))
# A count of groups: 省委派出3个巡视组, 区委组建4个巡察组, 市委6个巡察组 (see _named_elsewhere).
_GROUP_COUNT_ANYWHERE = lazy(
    # a committee's department sends groups too: 省委组织部派出4个检查组
    r"((?:中央|(?:中共)?[\u4e00-\u9fff]{0,8}?[省市州县区旗]委(?:组织部)?|[\u4e00-\u9fff]{1,10}?(?:党委|党组)"
    r"|[省市州县区旗](?:人民)?政府|党委|党组)?)"
    # 十三届县委第三轮巡察派出4个巡察组, 集团党委第七轮政治巡察三个巡察组, 市委第三轮巡察的3个巡察组
    r"(?:第[一二三四五六七八九十\d]{1,3}轮[^\W\d_]{0,4}?(?:巡视|巡察)的?)?"
    r"(?:先后|共|分别)?(?:派出|组建|组织|成立)?了?((?:\d{1,3}|[一二三四五六七八九十两]{1,3})个"
    r"(?:[\u4e00-\u9fff]{0,4}?)(?:巡视|巡察|督察|督查|检查|督导)组)"
)
# Every count of groups holds 个 and then 组.
_GROUP_COUNT = _FromClause(_GROUP_COUNT_ANYWHERE, lazy(f"个[^{_CLAUSE_MARKS}]*?组"), ("个", "组"))
# What was examined rather than whom: …情况, …工作, …问题.
_MATTER = lazy(r"(?:情况|工作|问题|整改)$")
# 我局, 我单位, 本公司 … (not 本科生院, a name)
_PRONOUN = lazy(
    r"^(?:我|本)(?:单位|公司|集团|中心|部门|系统|党组|党委|班子|[省市州县区旗镇乡局委办院校司厅所站行社部村]|社区)"
    r"(?:党组|党委|党工委|党总支|党支部|领导班子)?$"  # 我局党组, 我院党委, 我校党支部
)
# Between the verb and the kind: 常规 / 为期一个月的 / 2024年第二轮 / 十四届县委第3轮 / “机动式”.
_QUALIFIER = r"[\u4e00-\u9fff\dXx×“”\"、]{0,16}?"
# The target may be a long list (对A、B、C等12个单位党组织开展了巡察), its groups parted by commas
# (对甲镇党委及所辖村，乙镇所辖村开展巡察); it holds no verb of the clause and no second 对.
_ON_SITE = lazy(
    r"对((?:(?!进行|开展|展开|对)[^。；;：:“”\"《》\s]){2,400}?)(?:进行了|开展了|开展|进行|展开)"
    + _QUALIFIER
    + r"(?:巡视|巡察|督察|督查|检查|审计|回头看)"  # (…开展脱贫攻坚反馈问题整改“回头看”)
)


@lru_cache(maxsize=_KEPT)
def _on_site(sentence: str) -> re.Match[str] | None:
    """``_ON_SITE.search(sentence)``, for a sentence that holds one of its verbs (进行, 开展, 展开):
    most sentences of a preamble hold 对 and none of them, and the pattern reads on from each 对 to
    the sentence's end."""
    if "进行" not in sentence and "开展" not in sentence and "展开" not in sentence:
        return None
    return _ON_SITE.search(sentence)


# 完成对X的巡察进驻工作 / 反馈了对X的巡察“回头看”情况 / 完成对X的进驻和动员工作.
_ON_SITE_OF = lazy(r"对([^，。,；;：:“”\"《》\s的]{2,120}?)的(?:巡视|巡察|督察|进驻)(?!组|办)")


def _on_site_of(sentence: str) -> re.Match[str] | None:
    """``对X的巡察``, unless X is a group itself: 对第七轮三个巡察组进驻期间的巡察工作进行了测评 rates
    the groups' work after the round, it names no inspected body."""
    found = _ON_SITE_OF.search(sentence)
    return None if found is None or _names_group(found.group(1)) else found


# A meeting named for the round: 市委第二巡察组巡察市中心医院党委情况反馈会议, 巡察某村党组织工作动员会,
# 省委第三巡视组巡视某局党组反馈会议.
# 省第一生态环境保护督察组督察宝鸡市工作动员会; 召开市属公立医院专项巡察反馈会 (the target before the kind).
# (召开巡察工作动员会 names no one: 工作 is the meeting's matter; a group that holds it at a unit,
# 区委第八巡察组在某社区召开巡察工作动员会, names the unit.)
_MEETING_OF = lazy(
    r"(?:组|召开)(?:巡视|巡察|督察|审计|检查)(?!(?:情况|工作)(?:反馈|动员|进驻))"
    r"([^，。,；;：:“”\"《》\s]{2,60}?)(?:情况|工作)?(?:反馈|动员|进驻)(?:大会|会议|会)"
    r"|召开([^，。,；;：:“”\"《》\s]{2,40}?)(?:专项|常规)?(?:巡视|巡察)(?:情况)?(?:反馈|动员|进驻)(?:大会|会议|会)"
    r"|组在([^，。,；;：:“”\"《》\s]{2,30}?(?:社区|村|镇|乡|街道|公司|医院|学校|学院))"
    r"召开(?:巡视|巡察)(?:情况|工作)?(?:反馈|动员|进驻)(?:大会|会议|会)"
)
# A group's feedback named by whom it inspected: 市委第六巡察组巡察市教育局党组反馈意见 / 省委第三巡视组
# 巡视某局党组的反馈意见 (not 巡察组巡察反馈意见的整改方案, where no one is named).
_GROUP_FEEDBACK_OF = lazy(
    r"组(?:巡视|巡察)((?:(?!反馈|巡视|巡察)[^，。,；;：:“”\"《》\s]){2,40}?)(?:的)?(?:情况)?(?:的)?反馈意见"
)
# A round named as the subject of the on-site sentence: 十九届中央第一轮巡视对30个…开展了常规巡视.
_ROUND_NAMED = lazy(r"第[一二三四五六七八九十\d]{1,3}轮[^\W\d_]{0,8}?(?:巡视|巡察|督察)")
# 对X(以下简称Y)具体组织的2022年度…预算执行…情况进行了审计: the audited body is X.
_AUDIT_TARGET = lazy(
    r"对([\u4e00-\u9fff]{2,20}?)(?:[（(]以下简称[^（）()]{1,12}[）)])?(?:具体组织的|组织的|的)?"
    r"(?:\d{4}年度?[^。；;]{0,80}?|(?<=的)[^。；;，,]{2,40}?)?(?:进行了|开展了)[\u4e00-\u9fff]{0,6}?审计"
)
# (向县人大常委会报告…督察反馈问题整改情况: a 向 whose own verb is 报告 or 汇报 names no feedback)
# The recipient ends before the people it is delivered to and the manner of the delivery:
# 向某局党组领导班子反馈 / 向某局党组主要负责人和领导班子反馈 / 向某局党组书记张某进行了反馈 /
# 向某局党组正式反馈 / 向某局党组进行了集中反馈 / 向41个被巡视党组织进行了现场反馈 /
# 分别向28所省属高校进行了“一对一”反馈.
_FEEDBACK = lazy(
    # (a round's kind quoted in the units' description: 向本轮常规巡察、巡察“回头看”…涉及的31家党组织)
    r"向((?:(?!报告|汇报)[^，。,；;：:“”\"《》\s]|[，,](?=、)|“[^“”，。,；;\s]{1,8}”){2,80}?)"
    r"(?:(?:的)?(?:主要负责(?:人|同志)|主要领导|领导班子|班子成员|书记)"
    r"[^，。,；;：:“”\"《》\s]{0,24}?)?"
    r"(?:正式|集中|全面|当面|现场|书面|分别)?(?:进行了?)?(?:正式|集中|全面|当面|现场|书面)?"
    r"(?:“[^“”，。,；;\s]{1,6}”)?"  # 进行了“一对一”反馈
    r"(?:(?:巡视|巡察|督察)?(?:情况|意见)?)?反馈了?"
)
_DATE_MD = lazy(
    r"(?:(\d{4})[\s\u3000]*年[\s\u3000]*)?(\d{1,2})[\s\u3000]*月[\s\u3000]*(\d{1,2})[\s\u3000]*日"
)
# (four digits written out: the engine then skips to a digit, as phrases._DATE)
# (not a fiscal year: 对县水务局2022年度预算执行情况进行了审计 names the year audited, not the date's)
_YEAR = lazy(r"(\d\d\d\d)[\s\u3000]*年(?!度)")
# A month without its day: 并于2021年9月反馈了巡视情况 / 2020年8月公布了反馈情况.
_DATE_YM = lazy(
    r"(?:(\d{4})[\s\u3000]*年[\s\u3000]*)?(\d{1,2})[\s\u3000]*月(?![\s\u3000]*\d{1,2}[\s\u3000]*日)"
)
# An office that signs or is named: 宁波市审计局, 青岚市审计局局长, 审计署
_AUDIT_OFFICE_ANYWHERE = lazy(
    r"(?:(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|州|自治区|盟|旗))?审计(?:厅|局)"
    r"|审计署(?:驻[\u4e00-\u9fff]{1,8}?特派员办事处|[\u4e00-\u9fff]{1,8}?特派办)?"
)
# … 审计 stands at most 13 characters after its start (ten characters and 自治区 before it); a
# match is at most 18 characters long (审计署驻 and eight characters before 特派员办事处).
_AUDIT_OFFICE = _NearWord(_AUDIT_OFFICE_ANYWHERE, "审计", 13, 18, ("审计厅", "审计局", "审计署"))
# 反馈会于2024年8月27日召开 / 反馈会议在2024年8月27日举行: the date after the meeting's name.
_FEEDBACK_MEETING = lazy(
    r"反馈(?:会议?|大会)[^。，,；;]{0,8}?(?:于|在)?[\s\u3000]*(?=(?:\d{4}[\s\u3000]*年[\s\u3000]*)?\d{1,2}[\s\u3000]*月)"
)
_PUBLISHER = lazy(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,12}?(?:办公室|领导小组|委员会|办|委|局|厅|部|中心))(?:发布|通报|印发|公布)"
)
_TITLE_TARGET = lazy(
    r"^(?:中共)?([\u4e00-\u9fff]{2,30}?(?:党组|党委|党工委|委员会|党总支|党支部))(?:关于)?落实"
)
# Words before a group's name that are no part of it: a verb (听取了), with the meeting that
# is its subject (会议听取了市委第一、第二巡察组…的汇报), a date's tail, a round's number
# (and the verb of a clause that reports the feedback: 传达学习十二届市委第三巡察组巡察反馈意见)
_LEAD_JUNK = lazy(
    r"^(?:(?:会议|会上|会后|大会)?(?:传达|学习|贯彻|落实|听取|研究|部署|通报|根据|按照|对照|配合|接受)了?|其中[，,]?|[年月日至和及由经对向于在]+|[一二三四五六七八九十\d]{1,3}届|第[一二三四五六七八九十\d]{1,3}[轮批](?=\S*?[省市区县])"
    # (what a body asked for, joined to the group: 根据区委要求和区委第一巡察组反馈的问题)
    r"|[\u4e00-\u9fff]{1,8}?(?:要求|部署|精神|安排)(?:和|及|与))+"
)


# A line that does not end a sentence continues on the next one (text wrapped at a fixed width):
# its line break goes (the break first and the mark behind it). A speaker's byline (市审计局局长
# 俞金华) keeps its own (group 1): joined with the line under it, the name would open what follows
# (俞金华市审计局, a person's name where a place stands).
_BYLINE_LINE = BYLINE_ROLE + r"[^\S\n]+\S{2,4}\n"
_SOFT_BREAK = r"\n(?<![。！!？?：:；;）)】]\n)"
_WRAP = lazy("(" + _BYLINE_LINE + ")|" + _SOFT_BREAK)
# … a preamble with no byline (most) has only its line breaks to take out: a pattern that opens with
# the break, which the engine skips to, not one that tries the role words at every position first.
_BYLINE = lazy(_BYLINE_LINE)
_BREAK = lazy(_SOFT_BREAK)


def _unwrapped(preamble: str) -> str:
    """``preamble`` with the line breaks of text wrapped at a fixed width taken out (_WRAP)."""
    # (a byline names its speaker's post, 局长, 主任, 书记…: a preamble with none of them holds none)
    if ("长" not in preamble and "主任" not in preamble and "书记" not in preamble) or _BYLINE.search(
        preamble
    ) is None:
        return _BREAK.sub("", preamble)
    return _WRAP.sub(r"\1", preamble)


_SENTENCE_BREAK = lazy(r"[。！!？?\n]")
_split: tuple[str, list[str]] = ("", [""])  # the last text split into sentences, and its sentences


def _sentences(text: str) -> list[str]:
    """``text`` split into sentences (at 。！？ and line ends); the round's readers ask it of the same
    preamble four or five times (kept for the last text: the list is read, never changed)."""
    global _split
    if _split[0] != text:
        _split = (text, _SENTENCE_BREAK.split(text))
    return _split[1]


def read_round(title: str | None, preamble: str | None, dated: tuple[int, int, int] | None = None) -> Round:
    """Round fields from the title and the preamble text; ``dated`` is the date the page's or
    file's metadata gives the document (its 发布时间), for a feedback dated without its year."""
    title, preamble = strip_readings(title), strip_readings(preamble)
    if preamble:
        # (a date in Chinese numerals, 二〇二四年六月十四日, is read as one in figures)
        preamble = arabic_dates(_unwrapped(preamble))
    rnd = new_round()
    rnd["kind"] = _kind(title, preamble)
    sentences = _sentences(preamble or "")
    # (the sentence that says whom a group inspected, 对X开展了巡察, before one that says where a group
    # went, 巡察组到某村…进行“回头看”: a follow-up visit goes where a problem lay, not to the inspected)
    on_site = next(
        (s for s in sentences if (_on_site(s) or _on_site_of(s)) and _names_inspector(s)),
        None,
    ) or next((s for s in sentences if _STATIONED.search(s) and _names_inspector(s)), None)
    feedback = next((s for s in sentences if _is_feedback(s)), None)
    inspector = None
    for source in (on_site, feedback, title):
        if source and (found := INSPECTOR.search(source) or _ENV_GROUP.search(source)):
            inspector = _LEAD_JUNK.sub("", found.group(0))
            break
    if inspector and "第" not in inspector and not _ENV_GROUP.search(inspector):
        # 县委巡察组组长反馈了… where the preamble counts the committee's groups (县委派出3个巡察组)
        inspector = _committee_count(sentences, rnd["kind"]) or inspector
    if inspector and "第" not in inspector and not _GROUP_COUNT.search(inspector):
        # 第三轮省生态环境保护督察组进驻我市… 省第一生态环境保护督察组督察宝鸡市…: the group numbered
        inspector = _numbered_elsewhere(sentences, rnd["kind"]) or inspector
    if inspector and "轮" in inspector:
        # 五届市委第七轮巡察第二巡察组 where the title and the feedback name it 市委第二巡察组: the group's
        # own name, not the round's
        inspector = _group_without_round(inspector, (title or "") + "\n" + (preamble or "")) or inspector
    if inspector is None and rnd["kind"] == "审计":
        inspector = _audit_office(title or "", preamble or "")
    if inspector is None and rnd["kind"] == "审计":
        # 集团审计部对物流公司开展了内部审计: an enterprise's or a university's own audit office
        found = next((m for s in sentences if "审计" in s and (m := _INTERNAL_AUDIT.search(s))), None)
        inspector = _AUDIT_LEAD.sub("", found.group(1)) if found else None
    if inspector is None and rnd["kind"] not in ("审计", None):
        inspector = _named_elsewhere(on_site, feedback, sentences, rnd["kind"])
    if inspector is None and rnd["kind"] in ("检查", "督察"):
        first = sentences[0] if sentences else ""
        found = _PUBLISHER.search(first)
        inspector = found.group(1) if found else None
    rnd["inspector"] = inspector
    target = _in_full(_target(title, preamble, on_site, feedback, rnd["kind"]), preamble or "")
    if target and _BACK_REFERENCE.match(target):
        target = _covered(preamble or "", preamble.find(target) if preamble else -1)
    rnd["target"] = None if target and _BLANKED.search(target) else target
    rnd["feedback_date"] = _feedback_date(feedback, preamble or "", on_site, dated)
    if rnd["feedback_date"] is None and rnd["kind"] == "审计" and preamble and "审计报告" in preamble:
        # 审计报告：岚审经责报〔2025〕6号，2025年3月14日出具 (a ledger's title rows): the report's number,
        # then the day it was issued
        issued = _REPORT_THEN_DATE.search(preamble)
        if issued and issued.group(1):
            rnd["feedback_date"] = _ymd(int(issued.group(1)), int(issued.group(2)), int(issued.group(3)))
    return rnd


_REPORT_THEN_DATE = lazy(
    r"审计报告[^。；;]{0,30}?(\d{4})[\s\u3000]*年[\s\u3000]*(\d{1,2})[\s\u3000]*月[\s\u3000]*(\d{1,2})[\s\u3000]*日"
    r"[\s\u3000]*(?:出具|印发|送达|下达)"
)


# 向上述地区、单位反馈 / 向以上单位反馈: the recipients named earlier, not a name.
_BACK_REFERENCE = lazy(r"^(?:上述|以上|前述)")
# What a round covered, as a news item lists it: 本轮巡视涉及甲、乙等10个省区市和丙、丁3个单位.
_COVERS = lazy(
    r"(?:涉及|包括)((?:(?![，。,；;：:]).){2,200}[\d一二三四五六七八九十两]{1,3}(?:个|家|所)[\u4e00-\u9fff]{1,10})"
    r"(?=[。，,；;]|$)"
)


def _covered(preamble: str, before: int) -> str | None:
    """The units a round covered, listed before ``before`` (涉及…10个省区市和…3个单位), for a
    recipient that only refers back to them (上述地区、单位): the fullest list where the text prints
    it more than once (共包括甲、乙等10个省区市 repeats it cut short); None when none is listed."""
    lists = [m.group(1) for m in _COVERS.finditer(preamble, 0, before if before >= 0 else len(preamble))]
    return max(lists, key=len) if lists else None


# A target blanked out in a shared template: the name itself (向xx反馈) or the count of the units
# (巡察的xxx个单位) is a placeholder, so no one is named. (A placeholder before a unit's word still
# names its kind of unit as printed: x镇党委, XX街道党工委.)
_BLANKED = lazy(r"^[xX×Ｘ]+$|[xX×Ｘ]+[个家所名]")


# A group named with its round: the committee, the round (第七轮巡察), the group (第二巡察组).
_ROUND_IN_NAME = lazy(
    r"^(.*?)第[一二三四五六七八九十\d]{1,3}轮[^\W\d_]{0,8}?(第[一二三四五六七八九十\d]{1,3}(?:巡视|巡察)组)$"
)


def _group_without_round(inspector: str, text: str) -> str | None:
    """The group's name without its round (市委第七轮巡察第二巡察组 → 市委第二巡察组), when the text
    prints it so too."""
    found = _ROUND_IN_NAME.match(inspector)
    if found is None:
        return None
    short = found.group(1) + found.group(2)
    return short if short != inspector and short in text else None


# The internal audit office of an enterprise, a university or a hospital, at the start of a clause
# and before 对 in the same clause: 集团审计部 / 学校审计处 / 公司审计与风险管理部.
_INTERNAL_AUDIT = lazy(
    r"(?:^|(?<=[，,；;：:\s]))((?:[\u4e00-\u9fff]{1,10}?)?审计(?:与[\u4e00-\u9fff]{2,6})?(?:部|处|室|中心|科))"
    r"(?:[\u4e00-\u9fff]{0,4}?)对"
)
_AUDIT_LEAD = lazy(r"^(?:根据|按照|依据|经|由|在|据)")
_LEVELS = "自治区|省|市|州|县|区|盟|旗"
_OFFICE = _NearWord(lazy(rf"({_LEVELS})?审计(厅|局)"), "审计", 3, 6, ("审计厅", "审计局"))
# A place name where a name can start: at a line's start, after punctuation or a function word.
_PLACE_ANYWHERE = lazy(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=关于|中共)|(?<=[在对向由经受据和与及是]))"
    rf"((?!关于|中共|[本全我该各此市县区省])[^\W\d_市县区省州旗盟年月日的在对向和与及、]{{2,8}}?(?:{_LEVELS}))",
    re.MULTILINE,
)
# … a place's level ends it, and its name (two to eight characters, 自治 at most before 区) holds
# none of 省市州县区盟旗: the first of them stands at most ten characters after its start.
_PLACE = _NearWord(_PLACE_ANYWHERE, lazy("[省市州县区盟旗]"), 10, 11)


# An office printed with its place in full, a city before the district or county: 汕头市潮阳区审计局
# (the place of an _AUDIT_OFFICE match).
_FULL_PLACE = lazy(r"^(?![我本该全各]).{2,8}?(?:省|市|自治区|州|盟).{1,6}?(?:区|县|市|旗)$")
# (nor a part of a place that is no level of government: 港务校区, 某社区, 某景区, 厂区, 片区)
_NOT_PLACE = lazy(
    r"审计|人大|政府|会|委|了|局|厅|院|部|级|度|届|第|告|报|听|取|(?:校|社|景|小|片|厂|矿|营|院|库|辖)区$"
)


# The place of an office printed with it (石川市 in 石川市审计局), not a clause's opening words.
_OFFICE_PLACE = lazy(
    rf"^(?!根据|按照|依据|经|由|在|据|对|向|我|本|该|全|各|其|并|于)[^\W\d_]{{2,10}}?(?:{_LEVELS})$"
)


def _placed_office(place: str) -> bool:
    return bool(_OFFICE_PLACE.match(place)) and not _NOT_PLACE.search(place)


_NATIONAL = lazy(r"审计署(?:驻[\u4e00-\u9fff]{1,8}?特派员办事处|[\u4e00-\u9fff]{1,8}?特派办)?")
_DEPLOYED_BY_NATIONAL = lazy(r"(?:根据|按照|依据)审计署(?:的)?(?:统一)?(?:部署|安排|工作安排|要求)")


def _audit_office(title: str, preamble: str) -> str | None:
    """The audit office, with its place: ``市审计局局长`` in 慈溪市's report is 慈溪市审计局.

    The national office (审计署, its 特派办) is taken as printed. Otherwise the first office named
    with a level (市审计局, 自治区审计厅) — failing that the first bare 审计局 — is completed with
    the first place of that level the title or preamble names (``在慈溪市…会议上``, ``关于瑞金市…``);
    a 厅 is a province's, a 局 a city's or county's.
    """
    text = title + "\n" + preamble
    named = next((m for m in _AUDIT_OFFICE.finditer(text) if _FULL_PLACE.match(m.group(0)[:-3])), None)
    if named:
        return named.group(0)  # 汕头市潮阳区审计局局长: the office printed with its full place
    printed = next((m for m in _AUDIT_OFFICE.finditer(preamble) if _placed_office(m.group(0)[:-3])), None)
    if printed:
        return printed.group(0)  # 石川市审计局于…对…进行了审计: the office printed with its place
    # (按照审计署统一部署，省审计厅对…进行了审计: the office that deployed the audit did not make it)
    deployed = [m.span() for m in _DEPLOYED_BY_NATIONAL.finditer(text)] if "审计署" in text else []
    national = next(
        (m for m in _NATIONAL.finditer(text) if not any(a <= m.start() < b for a, b in deployed)), None
    )
    offices = list(_OFFICE.finditer(text))
    if not offices:
        return national.group(0) if national else None
    office = next((m for m in offices if m.group(1)), offices[0])
    if national and national.start() < office.start():
        return national.group(0)
    level, kind = office.group(1), office.group(2)
    levels = (
        (level,) if level else (("自治区", "省") if kind == "厅" else ("市", "州", "县", "区", "盟", "旗"))
    )
    for place in _PLACE.finditer(text):
        name = place.group(1)
        if _NOT_PLACE.search(name):
            continue
        if name.endswith(levels) and not (level is None and name.endswith("自治区") and kind == "局"):
            return name + "审计" + kind
    return office.group(0)


def _names_inspector(sentence: str) -> bool:
    """Whether the sentence names who inspected: a group, groups counted, the committee itself
    (``校党委对本科生院开展了巡视``) or its numbered round (``中央第一轮巡视对30个…开展了巡视``)."""
    return bool(
        INSPECTOR.search(sentence)
        or _ENV_GROUP.search(sentence)
        or _GROUP_COUNT.search(sentence)
        or _ROUND_NAMED.search(sentence)
        or _COMMITTEE_ON.search(sentence)
    )


# 县委对…, 党组统一对…: a committee that had a body inspected.
_COMMITTEE_ON = lazy(r"(?:[省市州县区旗]委|党委|党组|党工委)(?:统一)?对")
# Ordinals listed in a group's name (第二、第三巡察组); a group's own number (第三巡察组, 巡察三组: not
# a round's 第三轮 or a batch's 第二批).
_ORDINALS_LISTED = lazy(r"第[^、]{1,3}、第")
_GROUP_NUMBERED = lazy(r"第[一二三四五六七八九十\d]{1,3}(?!轮|批)|[一二三四五六七八九十]组$")
# The marks that part a list of units, a list's clauses, a text's sentences; a count or 等 after
# a clause's first; the genre word a heading ends with.
_COMMA = lazy(r"[，,]")
_LIST_MARK = lazy(r"[、，,及和]")
_SENTENCE_MARK = lazy(r"[。！!？?\n]")
_COUNTED_OR_MORE = lazy(r"\d+个|等")
_REPORT_HEAD = lazy(r"(?:报告|通报|公告|说明|方案|清单|台账)$")


# An audit's feedback is its report: 于2025年7月18日出具了《…审计报告》 / 下达审计决定书 /
# 出具《…专项审计调查报告》.
# (an inspection office's written findings are delivered so too: 送达了《督察意见书》)
_AUDIT_ISSUED = lazy(
    r"(?:出具|印发|下达|送达)了?[^。；;]{0,6}?《?[^《》。]{0,60}?(?:审计(?:调查)?(?:报告|决定)|督察意见书|督察整改意见)"
)


def _audit_issued(sentence: str) -> re.Match[str] | None:
    """``_AUDIT_ISSUED.search(sentence)``, for a sentence that holds its 审计 or 督察 (most do not, and
    the pattern reads on from each 印发 or 下达 they hold)."""
    return _AUDIT_ISSUED.search(sentence) if "审计" in sentence or "督察意见" in sentence else None


# Between the date and that verb, at most the clause's subject and whom it went to:
# 2024年7月15日，市审计局向本公司送达了《…审计报告》 (no date, no digit, no other clause).
# (or the recipient alone: 于2024年7月15日向某公司送达了审计报告)
_ISSUE_GAP = lazy(r"[，,]?[^\W\d_]{0,12}?(?:向[^\W\d_]{1,16})?")
_NOT_ISSUE_GAP = lazy(r"对|进行|开展|实施")


def _feedback_cut(sentence: str) -> int:
    """Where the feedback verb stands: the feedback date is printed before it. The feedback told
    (向X反馈) is the verb where a 反馈 before it names a thing (根据…关于巡察反馈工作的安排，6月18日，
    巡察组向某学院党委反馈巡察情况)."""
    if "反馈" not in sentence and (issued := _audit_issued(sentence)):
        return issued.start()
    first = sentence.find("反馈")
    if first >= 0 and sentence.find("反馈", first + 2) >= 0 and (told := _FEEDBACK.search(sentence)):
        return told.end() - (3 if told.group(0).endswith("反馈了") else 2)
    return first


# 反馈 as a noun's modifier: 巡察反馈问题整改落实情况, 巡视反馈意见整改工作 (what was fed back, not the act).
_NOMINAL_FEEDBACK = lazy(r"反馈(?:的)?(?:问题|意见(?:的)?(?:整改|落实))")


# 根据巡察反馈意见 / 对照巡视反馈的问题: the feedback as what a body acts on, not the act of giving it.
_FOLLOWING = lazy(r"(?:根据|按照|对照|针对)(?:巡视|巡察|督察)?$")
# 巡视反馈情况集中向社会公布 / 反馈意见在网站上公开: the feedback published (in the news of it).
_PUBLISHED = lazy(r"反馈(?:情况|意见)[^，。,；;]{0,30}?(?:公布|公开|发布)")


def _positions(text: str, word: str) -> list[int]:
    """Where ``word`` (a plain word) stands in ``text``, each place it starts, in order."""
    out = []
    at = text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + len(word))
    return out


@lru_cache(maxsize=_KEPT)
def _is_feedback(sentence: str) -> bool:
    """The feedback sentence: 向Y反馈, a date before 反馈, 反馈会于<date>召开, or an audit report
    issued on a date (于<date>出具了《…审计报告》)."""
    if "反馈" not in sentence:
        issued = _audit_issued(sentence)
        if not issued:
            return False
        # the date stands right before the verb (于2025年7月18日出具), not an audit period's end
        dates = list(_DATE_MD.finditer(sentence, 0, issued.start()))
        gap = sentence[dates[-1].end() : issued.start()] if dates else ""
        return bool(
            dates
            and (
                issued.start() - dates[-1].end() <= 4
                or (_ISSUE_GAP.fullmatch(gap) is not None and not _NOT_ISSUE_GAP.search(gap))
            )
            and sentence[max(0, dates[-1].start() - 1) : dates[-1].start()] not in ("至", "-", "—", "到")
        )
    told = _FEEDBACK.search(sentence) is not None  # (asked once: each test below needs it)
    if not told and _studied(sentence):
        return False  # 某局党组召开会议，传达…巡察反馈意见: the meeting's date is not the feedback's
    if not told and all(
        _NOMINAL_FEEDBACK.match(sentence, at) or _FOLLOWING.search(sentence, max(0, at - 4), at)
        for at in _positions(sentence, "反馈")
    ):
        # 3月20日，巡察组到某公司督查回访巡察反馈问题整改落实情况: the feedback's problems;
        # 2020年11月下旬对某学院开展了巡察，某学院根据巡察反馈意见制定了方案: what it acts on
        return False
    if not told and _PUBLISHED.search(sentence):
        return False  # 1月10日，第四轮巡视反馈情况集中向社会公布: the day it was published, not given
    return bool(
        told
        or _DATE_MD.search(sentence, 0, sentence.find("反馈"))
        or _FEEDBACK_MEETING.search(sentence)
        or _feedback_month(sentence, sentence.find("反馈"))
        or _glued_before(sentence, sentence.find("反馈"))
    )


def _glued_before(sentence: str, cut: int) -> bool:
    """A date whose 年 and 月 a web copy lost stands before the verb, with its year
    (2022324日上午，巡察组召开…情况反馈会): the sentence is dated as one printed whole is."""
    return any(
        found.group(1) and _split_glued(found.group(2))
        for found in _GLUED_DATE.finditer(sentence, 0, max(cut, 0))
    )


def _named_elsewhere(
    on_site: str | None, feedback: str | None, sentences: list[str], kind: str | None = None
) -> str | None:
    """The inspector when the standard sentences do not name one group.

    Several groups counted (``省委派出3个巡视组``, ``区委4个巡察组``) make the inspector the
    committee's groups as printed, less the verb: ``省委3个巡视组``, ``区委4个巡察组``. No single
    group inspected, so no group's name can stand for them, and the count is what the report says
    of who came. Otherwise the first group named anywhere in the preamble (``县委第二巡察组反馈了…``,
    ``中央生态环境保护督察组进驻…``), unless it is one of a list (``中央、省委生态环境保护督察组``):
    several inspectors lumped together are not one round's.
    """
    for source in [s for s in (on_site, feedback) if s] + sentences:
        counted = _GROUP_COUNT.search(source)
        if counted and _same_kind(counted.group(2), kind):
            issuer = _LEAD_JUNK.sub("", counted.group(1))
            # 党委五个巡察组 on site, 学校党委五个巡察组 in the feedback: the committee's full name
            for other in (on_site, feedback):
                again = _GROUP_COUNT.search(other) if other else None
                if again and again.group(2) == counted.group(2):
                    fuller = _LEAD_JUNK.sub("", again.group(1))
                    issuer = fuller if len(fuller) > len(issuer) and fuller.endswith(issuer) else issuer
            if not issuer:
                # 13个巡视组将对…开展巡视 where the lead says 13个省委巡视组已全部进驻: the fuller count
                return _counted_with_committee(counted.group(2), sentences) or counted.group(2)
            return issuer + counted.group(2)
    named = []
    for source in sentences:
        if _roster(source):
            continue
        for pattern in (INSPECTOR, _ENV_GROUP):
            found = pattern.search(source)
            if found and not _listed(source, found.start(), found.end()):
                named.append(_LEAD_JUNK.sub("", found.group(0)))
    # 第一巡察组组长…代表第一、第二巡察组: the groups named together are the round's inspectors
    together = [name for name in named if _ORDINALS_LISTED.search(name)]
    if together:
        return max(together, key=len)
    if named:
        return named[0]
    # 区委各巡察组向被巡察党组织反馈: the committee's groups, none named
    for source in sentences:
        if found := _EACH_GROUP.search(source):
            return _LEAD_JUNK.sub("", found.group(0))
    return None


def _counted_with_committee(groups: str, sentences: list[str]) -> str | None:
    """``13个巡视组`` as another sentence prints it with its committee after the count
    (``13个省委巡视组``), if one does."""
    count, _, rest = groups.partition("个")
    pattern = re.compile(re.escape(count + "个") + r"((?:中央|[省市州县区旗]委|党委|党组))" + re.escape(rest))
    found = next((m for s in sentences if (m := pattern.search(s))), None)
    return found.group(0) if found else None


@lru_cache(maxsize=_KEPT)
def _roster(source: str) -> bool:
    """Whether ``source`` lists several groups each before its units and a colon (省委第一巡视组：
    兰州市… / 省委第二巡视组：白银市…): a round's roster, where no one group is the inspector."""
    heads = {
        found.group(0)
        for found in INSPECTOR.finditer(source)
        if source[found.end() : found.end() + 1] in "：:"
    }
    return len(heads) >= 2


_EACH_GROUP = lazy(
    r"(?:中央|(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{0,8}?[省市州县区旗]委|党委|党组)各(?:巡视|巡察|督察)组"
)


def _numbered_elsewhere(sentences: list[str], kind: str | None) -> str | None:
    """The first group named with its number (第一, 一组) in the preamble, of the round's kind and
    not one of a list."""
    for source in sentences:
        if "第" not in source and "组" not in source:
            continue
        for pattern in (_ENV_GROUP, INSPECTOR):  # 省第一生态环境保护督察组 with its level
            for found in pattern.finditer(source):
                name = _LEAD_JUNK.sub("", found.group(0))
                numbered = _GROUP_NUMBERED.search(name)
                if numbered and _same_kind(name, kind) and not _listed(source, found.start(), found.end()):
                    return name
    return None


def _same_kind(groups: str, kind: str | None) -> bool:
    """Whether counted groups are of the round's kind: 4个督查组 sent to follow up a 督察's
    rectification are not the 督察's inspectors."""
    found = KIND_RE.search(groups)
    return kind is None or found is None or KIND_OF[found.group(0)] == kind


def _committee_count(sentences: list[str], kind: str | None = None) -> str | None:
    """The committee's groups as counted (``县委3个巡察组``), when a sentence counts them; the count
    may stand before the committee too (``15个省委巡视组``)."""
    for source in sentences:
        counted = _GROUP_COUNT.search(source)
        named = counted and (counted.group(1) or _COUNTED_COMMITTEE.match(counted.group(2)))
        if counted and named and _same_kind(counted.group(2), kind):
            return _LEAD_JUNK.sub("", counted.group(1)) + counted.group(2)
    return None


# A count before the committee's name: 15个省委巡视组, 3个市委巡察组, 两个中央督察组.
_COUNTED_COMMITTEE = lazy(r"^[^个]{1,3}个(?:中央|[省市州县区旗]委|党委|党组)")


def _listed(text: str, start: int, end: int) -> bool:
    """Whether a name stands in a list of names (``中央、省委…督察组``, ``…督察组和…督察组``). The
    inspection office beside its group is no second inspector (``市委巡视办和市委巡视组``,
    ``省委第三巡视组和省委巡视办``): the office guides the rectification, the group inspected."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if before in ("、", "和", "及", "与") and not _OFFICE_END.search(text, 0, start - 1):
        return True
    return after in ("、", "和", "及", "与") and not _OFFICE_START.match(text, end + 1)


# The office of the inspections (巡视办, 市委巡察办, 巡察工作领导小组办公室), before or after its group.
_OFFICE_END = lazy(r"(?:巡视|巡察)(?:工作领导小组)?(?:办|办公室)$")
_OFFICE_START = lazy(
    r"[^，。,；;、和及与]{0,8}?(?:巡视|巡察)(?:工作领导小组)?(?:办|办公室)(?![^，。,；;]{0,4}组)"
)


# A team that follows up a rectification (督察整改督查组, 巡察整改督导组): its words name no round.
_FOLLOW_UP = lazy(r"(?:巡视|巡察|督察|审计)?整改[^\W\d_]{0,4}?(?:督查|督导|检查|验收)组")


# (every match ends in one of these)
_FOLLOW_UP_GROUPS = ("督查组", "督导组", "检查组", "验收组")


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


# The work in general, named in a slogan: 习近平总书记关于巡视工作的重要论述, 巡视工作方针, 巡视巡察工作.
_SLOGAN = lazy(
    r"关于(?:巡视|巡察)(?:巡察)?工作(?:的)?重要(?:论述|讲话|指示|思想)|(?:巡视|巡察)(?:巡察)?工作(?:方针|条例)"
    r"|巡视巡察工作"
)


def _kind(title: str | None, preamble: str | None) -> str | None:
    """The first kind word of the title, else of the preamble; 检查 in an organ's name
    (纪律检查委员会, 纪律检查组), a word inside a document's name (《…巡视工作条例》) and one in a
    slogan on the work in general (关于巡视工作的重要论述, read by every 巡察 too) are no kind."""
    for source in (title or "", preamble or ""):
        follow_up = (
            [m.span() for m in _FOLLOW_UP.finditer(source)]
            if "整改" in source and _holds_any(source, _FOLLOW_UP_GROUPS)
            else []
        )
        if "工作" in source:
            follow_up += [m.span() for m in _SLOGAN.finditer(source)]
        first = None
        for found in KIND_RE.finditer(source):
            if found.group(0) == "检查" and source[max(0, found.start() - 2) : found.start()] == "纪律":
                continue
            if any(start <= found.start() < end for start, end in follow_up):
                continue  # 市委第二督察整改督查组: a team following up a rectification, not the round; a slogan
            if source.count("《", 0, found.start()) > source.count("》", 0, found.start()):
                continue  # a document's name: 《中国共产党巡视工作条例》
            if found.group(0) in _FOLLOW_UP_KINDS and not _CHECK_ROUND.search(source):
                continue  # 组织开展专项检查3次: a check the body ran itself, no round it answers
            if first is None:
                first = found
                if found.group(0) not in _FOLLOW_UP_KINDS:
                    break
            elif source.startswith("反馈", found.end()) and found.group(0) not in _FOLLOW_UP_KINDS:
                # …进行了现场督查，…落实中央环境保护督察反馈意见整改…: the check follows up the round
                # whose feedback is rectified
                return KIND_OF[found.group(0)]
        if first is not None:
            return KIND_OF[first.group(0)]
    return None


# The kinds of a check that follows up a rectification as often as they name a round.
_FOLLOW_UP_KINDS = frozenset({"督查", "检查"})
# … which name one where a group came or findings were fed back: 检查组, 督查反馈, 检查发现的问题.
_CHECK_ROUND = lazy(r"(?:检查|督查)(?:[^，。,；;]{0,8}?组|反馈|发现|指出|意见)")


# A list of units ending in their count (北京、上海、…等7省市 / 甲镇、乙镇等5个乡镇), its count and first name.
_COUNTED_LIST = lazy(r"((?:[\u4e00-\u9fff]{2,8}、){1,40}[\u4e00-\u9fff]{2,8})等")
# A place's name before a unit's: 官塘桥街道秀山村 for 秀山村.
_PLACE_BEFORE = r"[\u4e00-\u9fff]{2,10}?(?:省|市|县|区|镇|乡|街道)"
# A target that is a count, or a list cut to its first name and its count: 7省市, 天津等7省市.
_COUNT_TARGET = lazy(
    r"(?:([\u4e00-\u9fff]{2,8})等)?([\d一二三四五六七八九十两]{1,3}(?:个|家|所)?[\u4e00-\u9fff]{1,6})"
)


# A place that ends where the search ends (the target printed after it): 官塘桥街道 before 秀山村.
_PLACED_BEFORE = lazy(f"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[到在驻对向赴]))({_PLACE_BEFORE})$")


def _in_full(target: str | None, preamble: str) -> str | None:
    """The target as the text prints it in full elsewhere: a count or a list cut short (7省市,
    天津等7省市) as the list that names them all (天津、山西、…等7省市), a unit with the place it
    lies in (秀山村 → 官塘桥街道秀山村)."""
    if not target or target not in preamble:
        return target
    counted = _COUNT_TARGET.fullmatch(target)
    if counted:
        first, count = counted.groups()
        for found in _COUNTED_LIST.finditer(preamble):
            if preamble.startswith(count, found.end()) and (
                first is None or found.group(1).startswith(first + "、")
            ):
                return f"{found.group(1)}等{count}"
        return target
    if "、" not in target and len(target) <= 12:
        # (where the target is printed, the place right before it: one pattern compiled once, searched
        # over the dozen characters before each printing, not one compiled for each target)
        at = preamble.find(target)
        while at >= 0:
            placed = _PLACED_BEFORE.search(preamble, max(0, at - 12), at)
            if placed:
                place = placed.group(1)
                return (
                    target if place.startswith(("我", "本", "该", "全")) else place + target
                )  # (我市: no name)
            at = preamble.find(target, at + 1)
    return target


def _target(title, preamble, on_site, feedback, kind) -> str | None:
    pronoun = None
    if on_site:
        found = _on_site(on_site) or _on_site_of(on_site) or _STATIONED.search(on_site)
        clauses = _ON_SITE.findall(on_site)
        target = _after_last_dui(found.group(1)) if found else None
        target = _list_only(target) if target else None
        if target and (place := _ANAPHOR.match(target)):
            target = _resolve_anaphor(on_site, place.group(1), target)
        if target and _MATTER.search(target) and (own := _PRONOUN_THEN_MATTER.match(target)):
            pronoun, target = own.group(1), None  # 对我院2021年以来干部选拔任用工作开展了专项检查
        if target and _MATTER.search(target):
            # 对贯彻落实…决策部署情况开展督查: what was examined, not whom; but 对部分市和省直单位选人
            # 用人工作开展检查 names the units before the matter.
            target = _unit_before_matter(target)
        if target and _SEVERAL.search(target) and (own_unit := _stationed_pronoun(preamble or "", on_site)):
            # 县委4个巡察组…对甲局、乙局等6个部门开展巡察。其中，县委第二巡察组…进驻我局: the round's
            # units are listed, the report is the one unit's where a group was stationed
            pronoun, target = own_unit, None
        if target and _SEVERAL.search(target) and (one := _one_of_the_group(feedback, target)):
            # 对甲镇乙村等23个村党组织进行了巡察 … 向乙村党总支反馈了巡察意见: the round covered a
            # group, the feedback (and the report) is the one unit's
            target = one
        if target and _COUNT_ONLY.match(target) and (stationed := _STATIONED.search(on_site)):
            if "、" in stationed.group(1):
                target = stationed.group(1)  # 分别进入甲、乙、丙，对3家单位开展巡察: the names
        if target and _COUNT_ONLY.match(target) and feedback and (told := _FEEDBACK.search(feedback)):
            if "、" in told.group(1) and not _PRONOUN.match(told.group(1)):
                target = told.group(
                    1
                )  # 对五个学院党组织开展巡察 … 分别向甲学院党委、乙学院党委…反馈: the names
        if target and (own := _OWN_PLACE.match(target)):
            target = target[own.end() :]  # 对我市沙溪镇半泾村…: the reader's own place before the name
        if target and _PRONOUN.match(target):
            pronoun, target = target, None
        elif target and (generic := _GENERIC_SELF.match(target)):
            # 对学校党委开展了巡视 in 青石大学关于…: the unit's own word for itself, as 我校党委 is
            pronoun, target = "我" + _GENERIC_NOUN[generic.group(1)] + generic.group(2), None
        told = _FEEDBACK.search(feedback) if feedback else None
        if target and len(clauses) > 1 and told and not _UNNAMED.match(told.group(1)):
            target = None  # several clauses, several targets: the feedback names them all
        if target:
            return target
    if pronoun and title and (place := _TITLE_PLACE.match(title.strip())):
        # 对我省开展了督察 in 江岚省贯彻落实…的报告: the pronoun's place is the title's.
        if pronoun[-1] in "省市州县区旗镇乡" and place.group(1).endswith(pronoun[-1]):
            return place.group(1)
    if pronoun and (issuer := _issuer_unit(title, pronoun)):
        return issuer
    if pronoun and (named := _named_unit(preamble or "", pronoun[-1])):
        return named
    # (十三届省委第十二轮巡视向28所省属高校党委反馈工作近日全部完成: the round named for its group)
    if feedback and (on_site or _names_group(feedback) or _ROUND_NAMED.search(feedback)):
        found = _FEEDBACK.search(feedback)
        if found and _AUDIENCE.match(found.group(1)):
            # 巡视组对两家被巡视单位进行了“一对一”反馈，…并向领导班子和干部职工代表反馈了巡视情况:
            # those told are the audience; the units are those the feedback was given to (对…反馈)
            given = _GIVEN_TO.search(feedback)
            found = given if given and not _AUDIENCE.match(given.group(1)) else None
        if found and not _PRONOUN.match(found.group(1)):
            # 本轮常规巡察、巡察“回头看”、专项巡察涉及的31家党组织: the units the round covered
            covered = _COVERED.search(found.group(1))
            return found.group(1)[covered.end() :] if covered else found.group(1)
    for source in _sentences(preamble or ""):
        found = _studied(source)
        if found and _names_group(source[found.end(1) :]) and not _PRONOUN.match(found.group(1)):
            return _CPC.sub("", found.group(1))  # 市政府机关党组召开会议，传达学习市委第三巡察组巡察反馈意见
    for source in [title or "", *_sentences(preamble or "")]:
        found = _MEETING_OF.search(source)
        if found and _names_group(source[: found.start() + 1]):
            met = found.group(1) or found.group(2) or found.group(3)
            if not _PRONOUN.match(met):
                return met
            if named := _named_unit(preamble or "", met[-1]):
                return named  # 市委第三巡察组巡察我院情况反馈会 … 市中医院院长: the unit named
    for source in [title or "", *_sentences(preamble or "")]:
        found = _GROUP_FEEDBACK_OF.search(source) if "反馈" in source else None
        if found and not _PRONOUN.match(found.group(1)):
            return found.group(1)  # 对市委第六巡察组巡察市教育局党组反馈意见整改工作进行再调度

    if kind == "审计" and preamble:
        leader = _LEADER_OF.search(preamble)
        if leader and not re.match(r"[我本该]", leader.group(1)):
            return leader.group(1)  # 对某局原党委书记张某某任期经济责任履行情况进行了审计: the unit
        titled = _TITLE_LEADER_OF.match(title.strip()) if title else None
        if titled:
            return titled.group(1)  # 某县水利局原局长某某同志任期经济责任审计…整改台账: the unit
        found = _AUDIT_TARGET.search(preamble)
        if (found and _LEADER.match(found.group(1))) or _OWN_LEADER.search(preamble):
            return _leader_unit(title, preamble)
        audited = _AUDITED_VERB.sub("", found.group(1)) if found else None
        if audited and _PRONOUN.match(audited):
            # 对我公司实施的…工程进行了专项审计 in 某某有限公司关于…: the pronoun's unit, the title's issuer
            return _issuer_unit(title, audited)
        if found and audited and not _PRONOUN.match(found.group(1)):
            return audited
    if title and INSPECTOR.search(title):
        found = _TITLE_TARGET.match(title.strip())
        if found:
            return title.strip()[: found.end(1)]
    if preamble and kind in ("督察", "巡视", "巡察") and (plan := _PLACE_PLAN.search(preamble)):
        return plan.group(1)  # 研究讨论《黑龙江省贯彻落实中央环境保护督察反馈意见整改方案》
    if kind == "督察":
        for source in (title or "", preamble or ""):
            handed = _HANDED.search(source)
            if handed and not _PRONOUN.match(handed.group(1)):
                return handed.group(1)  # 省第一生态环境保护督察组向铜陵市转办第十批信访件
    for source in _sentences(preamble or ""):
        # 该区共对6个区直单位、1个乡开展了巡察“回头看”: an on-site sentence that names no group
        # still names the units the round covered
        found = _ON_SITE.search(source)
        target = _list_only(_after_last_dui(found.group(1))) if found else None
        if target and _MATTER.search(target):
            target = _unit_before_matter(target)  # 对县水利局巡察整改情况开展了监督检查
        if target and _UNITS.search(target) and not (_MATTER.search(target) or _PRONOUN.match(target)):
            if not (_ANAPHOR.match(target) or _names_group(target) or "，" in target or "," in target):
                if target[-1] not in _NOT_NAME_END and not _ADVERB_END.search(target):
                    return target  # (对整改重点单位将开展… / 对被巡察单位整改情况及时进行…: clauses)
    return (
        _reporting_units(preamble)
        or _self_named_place(title, preamble)
        or _title_rectifying_place(title, kind)
        or _headline_province(title, kind)
        or _rectifier(preamble, kind)
        or _headline_unit(title, kind)
        or _title_issuer(title, kind)
    )


# The units a hearing or a meeting lists as those inspected: 听取区农委、区商务局等3个被审计单位的整改
# 情况报告 / 甲事业部、乙公司3家被巡察单位班子成员参加会议 (the list with its count), and units that
# report on their own rectification: 市农委、市民政局主要负责同志汇报了有关审计整改情况.
_UNIT_NAME = r"[\u4e00-\u9fff（）()]{2,16}?"
_REPORTING_UNITS = lazy(
    rf"(?<![\u4e00-\u9fff])((?:{_UNIT_NAME}、){{1,30}}{_UNIT_NAME})(?:等)?"
    r"([\d一二三四五六七八九十两]{1,3}(?:个|家|所)被(?:审计|巡察|巡视|督察)(?:单位|党组织))"
    rf"|(?:^|(?<=[，,：:\s]))((?:{_UNIT_NAME}、){{1,30}}{_UNIT_NAME})(?:的)?(?:主要)?负责(?:同志|人)"
    r"(?:分别)?(?:汇报|报告)了?[^，。,；;]{0,8}?(?:审计|巡察|巡视|督察)?[^，。,；;]{0,4}?整改"
)
# … each of its matches holds no comma, full stop or semicolon, and holds one of these:
_UNITS_REPORTED = lazy(r"被(?:审计|巡察|巡视|督察)(?:单位|党组织)|负责(?:同志|人)")
# (a clause's opening words before the list: 听取和审议, 会上)
_LIST_LEAD = lazy(r"^(?:听取(?:和审议)?|审议|会上|其中|并)")


# 第一轮被巡察的两个学院党委认真落实… / 被巡视的3家单位均已…: the inspected counted (not the bare
# 被巡察单位党委要…, said of any round's units in general).
_INSPECTED_NAMED = lazy(
    r"被(?:巡视|巡察)的?([\d一二三四五六七八九十两]{1,3}(?:个|家|所)"
    r"[\u4e00-\u9fff（）()]{0,8}?(?:党组织|单位|党委|党组|党工委|党总支|党支部|部门))"
    r"(?=认真|积极|均|都|已|在|要|对|按照|根据|高度|结合|坚持|把|将|，|,)"
)


def _reporting_units(preamble: str | None) -> str | None:
    """Units listed as the inspected ones where no sentence of the round names them (_REPORTING_UNITS):
    the list with its count as printed."""
    if not preamble:
        return None
    # (every match holds 、 and either 被 of the inspected units or 负责 of those who reported, in a part
    # of a sentence between commas: see _in_parts)
    listed = "、" in preamble and ("被" in preamble or "负责" in preamble)
    found = _in_parts(_REPORTING_UNITS, _UNITS_REPORTED, preamble) if listed else None
    if found is None:
        named = _INSPECTED_NAMED.search(preamble) if "被巡" in preamble else None
        return named.group(1) if named else None
    if found.group(1):
        return _LIST_LEAD.sub("", found.group(1)) + found.group(0)[len(found.group(1)) :]
    return _LIST_LEAD.sub("", found.group(3))


# A report on the rectification of an inspection or an audit, in the title: what the issuer reports
# on is its own (关于省委巡视整改进展情况的通报, 关于审计发现问题整改情况的报告).
_OWN_RECTIFICATION = lazy(r"关于.{0,40}?(?:巡视|巡察|审计|督察).{0,30}?整改")
_GOVERNMENT = lazy(r"(?:人民政府|政府)$")
_PLACE_END = lazy(r"(?:自治区|省|市|州|县|区|旗)$")


def _title_issuer(title: str | None, kind: str | None) -> str | None:
    """The body that issues a report on its own rectification, where no sentence names the inspected:
    ``中共临河县农业农村局党组关于县委巡察整改进展情况的通报`` → 临河县农业农村局党组. Its committee is
    named as people name it (中共某县委员会 → 某县委, 中共某大学委员会 → 某大学党委), a place's
    government by the place. Not an office that inspects (某市审计局关于…), not a place's report on
    the audit of its own-level budget (which covers its many departments), not a 主题教育 检视 list
    (no inspection, no inspected body)."""
    if not title or kind not in ("巡视", "巡察", "审计", "督察"):
        return None
    title = title.strip()
    issuer = _ISSUER_PREFIX.match(title)
    if issuer is None or not _OWN_RECTIFICATION.search(title, issuer.end(1)):
        return None
    if _OWN_LEVEL_BUDGET.search(title) or "主题教育" in title or "检视" in title:
        return None
    unit = _CPC.sub("", issuer.group(1))
    if _inspects(unit) or unit.startswith(("我", "本", "关于")):
        return None
    if unit.endswith("委员会"):
        base = unit[: -len("委员会")]
        return base + ("委" if _PLACE_END.search(base) else "党委")
    return _GOVERNMENT.sub("", unit) if _PLACE_END.search(_GOVERNMENT.sub("", unit)) else unit


# The provinces, autonomous regions and municipalities by the short names headlines use.
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西"
    "|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆"
)
# A province by its name, before its committee or government: 陕西省委 (某某省 in the tests' texts).
_PROVINCE_NAMED = lazy(rf"(?:{_PROVINCES}|某+)省(?=委|政府|人民政府)")
# 四川召开国家自然资源督察反馈问题整改工作调度会议 / 河北：… : a headline opening with a province's short
# name and what it does (not 四川省委…, 河北大学…: a name goes on).
_HEADLINE_PROVINCE = lazy(
    rf"^({_PROVINCES})(?:[：:]|召开|推进|部署|开展|扎实|全力|持续|深入|加快|强化|狠抓|压实)"
)


# 中央生态环境保护督察反馈意见长渠市整改进展清单 / …督察“回头看”反馈意见湖北省整改进展清单: the place
# whose rectification of the feedback the title names, right before 整改 (or 贯彻落实…).
_RECTIFYING_PLACE = lazy(
    r"(?:反馈意见|反馈问题|交办问题)(?:的)?([\u4e00-\u9fff]{2,8}?(?:自治区|省|市|县|区|旗|州))(?:贯彻落实|落实|整改)"
)


def _title_rectifying_place(title: str | None, kind: str | None) -> str | None:
    """The place a title names after the feedback it rectifies (_RECTIFYING_PLACE)."""
    if not title or kind is None or ("反馈" not in title and "交办" not in title):
        return None
    found = _RECTIFYING_PLACE.search(title)
    return found.group(1) if found and not found.group(1).startswith(("我", "本", "全", "各")) else None


def _headline_province(title: str | None, kind: str | None) -> str | None:
    """The province a news headline opens with, for its own rectification of an inspection, where
    nothing else names the inspected (``四川召开国家自然资源督察反馈问题整改工作第2次视频调度会议``)."""
    if not title or kind is None:
        return None
    found = _HEADLINE_PROVINCE.match(title.strip())
    return found.group(1) if found and "整改" in title else None


# 中核集团党组对专项巡视整改工作高度重视 / 某局党委高度重视巡察整改: the body that rectifies.
_RECTIFIER = lazy(
    r"(?:^|(?<=[，,。；;\s]))((?![我本该各全])[\u4e00-\u9fff]{2,20}?(?:党组|党委))"
    r"(?:对[^，。,；;]{0,20}?(?:巡视|巡察|督察|审计)[^，。,；;]{0,10}?整改工作)?(?:始终)?高度重视"
    r"(?:[^，。,；;]{0,10}?(?:巡视|巡察|督察|审计)[^，。,；;]{0,10}?整改)?"
)


# What a unit's name ends with: 青石县教育局, 某某公司, 青石镇党委, 县人民医院.
_UNIT_END = (
    r"(?:局|委员会|院|中心|公司|集团|学校|大学|学院|医院|镇|乡|村|街道|社区|办公室|厅|所|站|馆)"
    r"(?:党组|党委|党工委|党总支|党支部)?"
)
# 青石县教育局召开巡察反馈问题整改工作推进会 / 青石镇党委书记主持召开巡察整改工作会议: the unit that
# meets on its own rectification.
# (a named body's party organisation meets too: 区政协机关党组, 市人大常委会党组 — not one named only by
# its kind, 学校党委, 公司党委; so does one in a room it names: …在朝阳楼0317会议室召开了巡察整改专题
# 民主生活会. A meeting that evaluates or checks the rectification, 巡视集中整改情况评价会, is held by
# the body that inspected.)
_MEETS_ON_IT = lazy(
    r"(?:^|(?<=[，,。；;\s])|(?<=\d日)|(?<=上午|下午))((?![我本该各全])"
    r"(?:[\u4e00-\u9fff（）()]{2,24}?"
    + _UNIT_END
    + r"|(?!(?:学校|公司|学院|集团|医院|单位|机关|本院|本校)(?:党组|党委))[\u4e00-\u9fff（）()]{2,24}?"
    r"(?:党组|党委|党工委|党总支|党支部)))"
    r"(?:书记[\u4e00-\u9fff]{0,4}?)?(?:在[^。；;，,]{1,20}?)?(?:主持)?(?:召开|举行)[^。；;，,]{0,20}?(?:巡视|巡察|督察|审计)"
    r"[^。；;，,]{0,16}?整改(?:(?!评价|评估|验收|督查|督导)[^。；;，,]){0,16}?(?:会议|会)"
)
# 青石公司扎实推进巡视整改工作 / 青石县人民医院：巡察整改见实效: a headline opening with the unit.
_HEADLINE_UNIT = lazy(
    r"^((?:中共)?[\u4e00-\u9fff]{2,20}?" + _UNIT_END + r")"
    r"(?:[：:]|扎实|全力|持续|深入|推进|召开|开展|狠抓|抓实|强化|压实|做好|以)"
)


# 宜城市委副书记、市长某某专题调度十二届省委第三轮巡视反馈问题整改工作 / 某管理区召开落实市委第七巡察组
# 交办边巡边改问题调度会: a place, or its leader, that acts on the rectification (the place is the
# inspected body; its committee or government is how it acts).
_PLACE_ACTS_ON_IT = lazy(
    r"(?:^|(?<=[，,。；;\s:：])|(?<=\d日)|(?<=上午|下午))((?![我本该各全])[\u4e00-\u9fff]{2,10}?(?:自治区|省|市|县|区|旗|州))"
    r"(?:委|政府|人民政府)?"
    r"(?:[\u4e00-\u9fff、]{0,16}?(?:书记|省长|市长|县长|区长|旗长|州长|主任)[\u4e00-\u9fff]{2,3})?"
    r"(?:专题|专门)?(?:主持)?(?:召开|调度|部署|研究|推进|督办)[^。；;，,]{0,24}?(?:巡视|巡察|督察|审计)"
    r"[^。；;，,]{0,16}?(?:整改|边巡边改|立行立改)"
)
# 某大学意识形态巡视整改专题工作会在某校区召开: a meeting on the rectification named for its unit.
_UNITS_MEETING = lazy(
    r"(?:^|(?<=[，,。；;\s:：])|(?<=\d日)|(?<=上午|下午))((?![我本该各全])[\u4e00-\u9fff（）()]{2,24}?"
    + _UNIT_END
    + ")"
    r"[^。；;，,]{0,10}?(?:巡视|巡察|督察|审计)[^。；;，,]{0,4}?整改[^。；;，,]{0,10}?(?:会议|会)"
    r"(?:在|于)[^。；;，,]{0,40}?(?:召开|举行)"
)


# No match of the four patterns above holds a comma, a full stop or a semicolon; each but the first
# holds a kind and then 整改 (巡察整改, 巡视反馈问题整改, 督察边巡边改) in its part of the sentence, the
# first 高度重视. A part that holds neither is not searched (CPython's engine tries their openings, a
# look-behind or an anchor, at every position of a preamble).
_PART_MARK = lazy(r"[，,。；;]")
_KIND_THEN_RECTIFIED = lazy(r"(?:巡视|巡察|督察|审计)[^。；;，,]{0,16}?(?:整改|边巡边改|立行立改)")
_HIGHLY_VALUED = lazy("高度重视")


def _in_parts(pattern: LazyPattern, kernel: LazyPattern, text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, for a pattern whose every match holds no comma, full stop or semicolon
    and holds what ``kernel`` finds: searched only in the parts of ``text`` between those marks where
    ``kernel`` finds something (the same leftmost match; a look-behind still sees the mark)."""
    for start, end in _parts(kernel, text):
        found = pattern.search(text, start, end)
        if found is not None:
            return found
    return None


_last_parts: tuple[LazyPattern | None, str, list[tuple[int, int]]] = (None, "", [])


def _parts(kernel: LazyPattern, text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` that :func:`_in_parts` searches for what ``kernel`` finds, in order (the
    last text's are kept: a preamble's rectifier is searched for with three patterns in the same parts)."""
    global _last_parts
    if _last_parts[0] is kernel and _last_parts[1] == text:
        return _last_parts[2]
    parts: list[tuple[int, int]] = []
    pos = 0
    while core := kernel.search(text, pos):
        start = _clause_start(text, pos, core.start(), colons=False)
        mark = _PART_MARK.search(text, core.end())
        end = mark.start() if mark else len(text)
        parts.append((max(start, pos), end))
        pos = end
    _last_parts = (kernel, text, parts)
    return parts


def _rectifier(preamble: str | None, kind: str | None) -> str | None:
    """The body that says it takes the rectification to heart, or that meets on it, where nothing
    else names the inspected: in a news item on its own rectification, it is the inspected body."""
    if not preamble or kind is None:
        return None
    found = _in_parts(_RECTIFIER, _HIGHLY_VALUED, preamble)
    if found and "整改" in found.group(0):
        return found.group(1)
    for pattern in (_MEETS_ON_IT, _UNITS_MEETING, _PLACE_ACTS_ON_IT):
        met = _in_parts(pattern, _KIND_THEN_RECTIFIED, preamble)
        if met and not _inspects(met.group(1)):
            return met.group(1)
    return None


def _headline_unit(title: str | None, kind: str | None) -> str | None:
    """The unit a news headline on its rectification opens with (``青石公司扎实推进巡视整改工作``)."""
    if not title or kind is None or "整改" not in title:
        return None
    found = _HEADLINE_UNIT.match(title.strip())
    return found.group(1) if found and not _inspects(found.group(1)) else None


# The offices that inspect rather than rectify: 中牟县审计局, 县委巡察办, 市纪委监委, 省委组织部.
_INSPECTING_OFFICE = lazy(r"审计|巡察|巡视|督察|纪委|监委|组织部")


def _inspects(name: str) -> bool:
    """Whether ``name`` is a group or an office that inspects, not a unit that rectifies."""
    return _names_group(name) or _INSPECTING_OFFICE.search(name) is not None


# … nor an adverb of two characters: 及时, 认真, 全面 …
_ADVERB_END = lazy(r"(?:及时|认真|全面|逐一|再次|集中|深入|严格|切实|扎实|统一|分别|同步|持续)$")
# What no name ends with: an adverb or an auxiliary of the clause (…单位将开展, …单位均已).
_NOT_NAME_END = frozenset("将要已均都也还拟正会须应再")
# What names inspected units: a count of them, or a kind of body (not 已完成整改的…).
_UNITS = lazy(
    r"(?:\d{1,4}|[一二三四五六七八九十两]{1,3})(?:个|家|所)|单位|党组织|党委|党组|支部|部门|街道|社区|"
    r"[乡镇村局委厅办院]$|公司|集团|学校|高校|医院|中心"
)
# The round's description before the units it covered: …专项巡察涉及的 (31家党组织).
_COVERED = lazy(r"^.{2,60}?(?:巡视|巡察|督察)”?(?:所)?涉及的?(?=[\d一二三四五六七八九十]+[个家所])")
# Those a feedback is told to, no unit: 领导班子和干部职工代表, 班子成员, 全体党员干部.
_AUDIENCE = lazy(
    r"^(?:其|该单位|单位)?(?:领导班子|班子成员|主要负责(?:人|同志)|主要领导|干部职工|全体|党员干部|中层干部)"
)
# The units a feedback is given to: 对两家被巡视单位进行了“一对一”反馈 / 对甲公司开展集中反馈.
_GIVEN_TO = lazy(r"对([^，。,；;：:“”\"《》\s]{2,30}?)(?:进行了?|开展了?)[“”\"‘’\u4e00-\u9fff]{0,8}?反馈")


# The inspected named by their role only (向被巡察单位党组织反馈意见建议26条): no one in particular.
_UNNAMED = lazy(r"^(?:各)?被(?:巡视|巡察|督察|审计|检查)(?:单位|地方|地区|党组织|企业)")


# The place an inspection group hands the public's complaints to (督察组向铜陵市转办第十批信访件,
# 督察组向重庆市交办第二十二批群众信访举报件): the place under inspection.
_HANDED = lazy(
    r"(?:督察组|督察[^\W\d_]{0,4}?局)[^，。,；;]{0,6}?向([^，。,；;：:“”\"《》\s]{2,16}?)(?:转办|交办|移交)"
)


# A place's own plan or report on the feedback, named in the text: 《黑龙江省贯彻落实中央环境保护督察
# 反馈意见整改方案》, 《某市落实省委巡视反馈意见整改工作方案》: the place is the inspected one.
_PLACE_PLAN = lazy(
    r"《((?:[\u4e00-\u9fff]{2,12}?)(?:自治区|省|市|州|县|区|旗))(?:贯彻落实|落实)"
    r"[^《》]{0,40}?(?:督察|巡视|巡察)[^《》]{0,24}?反馈意见[^《》]{0,12}?整改"
    r"(?:方案|工作方案|情况|落实情况|情况报告|进展情况)"
)


# The party organ that holds a meeting on the feedback it received: 某局党组召开(扩大)会议，…传达学习
# 市委第三巡察组巡察反馈意见 / 院党委召开专题会议研究部署巡察反馈意见整改.
_STUDIED = lazy(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=\d日))((?:(?![召对向由])[\u4e00-\u9fff（）()]){2,24}?(?:党组|党委|党工委|党总支|党支部))"
    r"(?:召开|举行)[^。；;]{0,60}?(?:传达|学习|研究|通报)[^。；;]{0,40}?(?:巡视|巡察|督察)[^。；;]{0,12}?反馈意见"
)


def _studied(sentence: str) -> re.Match[str] | None:
    """``_STUDIED.search(sentence)``. Every match holds 党 (党组, 党委…) and ends in 反馈意见, which
    most sentences do not hold: tested first, as the pattern tries its run of characters before
    the party organ at every position of a sentence."""
    if "反馈意见" not in sentence or "党" not in sentence:
        return None
    return _STUDIED.search(sentence)


# A place that speaks of itself: 我市高度重视 / 我县立即组织….
_OWN_PLACE_WORD = lazy(r"(?:我|本)([省市州县区旗])")
# A title issued by a place's government or committee: 南宁市人民政府关于… / 中共某县委员会关于….
_PLACE_ISSUER = lazy(
    r"^(?:中共)?([\u4e00-\u9fff]{2,12}?(?:自治区|省|市|州|县|区|旗))"
    r"(?:人民政府(?:办公厅|办公室)?|委员会|委(?:办公室)?|政府)关于"
)


# The audit of a level's own budget: 省级预算执行, 市本级预算执行, 区级预算执行, 本级预算执行.
_OWN_LEVEL_BUDGET = lazy(r"(?:本级|[省市州县区旗]级|[省市州县区旗]本级)(?:财政)?预算执行")


def _self_named_place(title: str | None, preamble: str | None) -> str | None:
    """The place whose government or committee issued the report (``南宁市人民政府关于…的函``),
    where the preamble speaks of it as 我市 / 我县 (``我市高度重视``) and no sentence names the
    inspected body: the place reports on its own rectification. (A report an audit office makes
    of a place's budget, ``某市审计局关于…``, is no such report.)"""
    if not title or not preamble:
        return None
    place = _PLACE_ISSUER.match(title.strip())
    if place is None or _OWN_LEVEL_BUDGET.search(title):
        # 广东省人民政府关于我省2020年度省级预算执行…审计查出问题的整改情况报告: the audit of the
        # level's own budget covers its many departments, no one place is the audited
        return None
    levels = {found.group(1) for found in _OWN_PLACE_WORD.finditer(preamble)}
    return place.group(1) if place.group(1)[-1] in levels else None


# An economic-responsibility audit of a unit's leader, printed from the unit's side:
# 对我镇原党委书记某某同志任期经济责任履行情况进行了审计.
_LEADER = lazy(
    r"^(?:我|本)[\u4e00-\u9fff]{0,3}?(?:原|前任|时任)?[\u4e00-\u9fff]{0,4}?"
    r"(?:书记|董事长|总经理|经理|局长|院长|主任|镇长|乡长|县长|区长|市长|厂长|校长|所长|站长)"
)
_ROLE = r"(?:原|前任|时任)?(?:党委|党组|党支部)?(?:书记|董事长|总经理|经理|局长|院长|主任|镇长|乡长|县长|区长|市长|厂长|校长|所长|站长)"
# 对我局原局长…, 对本公司董事长…: the audited leader of the reporting unit itself.
_OWN_LEADER = lazy(r"对(?:我|本)[^，。,；;]{0,12}?" + _ROLE)
# The unit named before its leader in the audit report's name: 《某某有限公司董事长某某任期经济责任审计报告》
# (the issuing office before 关于: 《某市审计局关于某某有限公司原董事长…》)
# An economic-responsibility audit of a leader named with the unit: 对县交通运输局原党委书记张某某任期
# 经济责任履行情况进行了审计 / 对某公司原党委书记、董事长张某某任职期间….
_LEADER_OF = lazy(
    r"对([\u4e00-\u9fff（）()]{2,30}?)" + _ROLE + r"[^，。,；;对]{1,12}?(?:同志)?的?(?:任期|任职期间|离任)"
)
# … and in a title: 岚溪县水利局原局长周建平同志任期经济责任审计发现问题整改台账.
# (or the issuer's, before 关于: 中共某镇委员会关于原镇党委书记某某同志任期经济责任审计…)
_TITLE_LEADER_OF = lazy(
    r"^(?:关于)?((?:中共)?(?:(?!关于)[\u4e00-\u9fff（）()]){2,30}?)(?:关于(?:原|前任|时任)?[\u4e00-\u9fff]{0,2}?)?"
    + _ROLE
    + r"[^，。,；;]{1,12}?(?:同志)?的?(?:任期|任职期间|离任)[^，。,；;]{0,8}?经济责任审计"
)
_UNIT_IN_REPORT = lazy(r"《(?:[^《》关]{2,16}?关于|关于)?([^《》]{2,30}?)" + _ROLE)
_ISSUER_PREFIX = lazy(
    r"^((?:中共)?[^\s关]{2,30}?(?:党组|党委|党工委|委员会|党总支|党支部|公司|集团|人民政府|政府|局|院|中心|大学|学校|中学|小学))关于"
)


def _leader_unit(title: str | None, preamble: str) -> str | None:
    """The unit whose leader was audited: the report's issuer (``中共某某镇委员会关于…``), or the
    unit the audit report's name puts before the leader (``《某某有限公司董事长…审计报告》``)."""
    if title and (issuer := _ISSUER_PREFIX.match(title.strip())):
        return issuer.group(1)
    found = _UNIT_IN_REPORT.search(preamble)
    if found and not found.group(1).startswith(("我", "本")):
        return found.group(1)
    return None


# What follows a comma in a list of targets never says when or why (…党组织，于3月开展巡察).
_NOT_LIST = lazy(r"\d|[年月日于自从起]|期间|根据|按照|^(?:就|围绕|聚焦|针对)")
# 对该镇甲村、乙村…: the place of the clause, named before it (进驻某镇，对该镇…).
_ANAPHOR = lazy(r"^该(镇|乡|县|区|市|街道|村|社区)")


def _list_only(target: str) -> str:
    """The target, cut at its first comma unless what follows continues the list."""
    parts = _COMMA.split(target)
    if len(parts) > 1 and any(
        _NOT_LIST.search(part) and not _COUNTED_OR_MORE.search(part) for part in parts[1:]
    ):
        return parts[0]
    return target


# A target that is only a count (4家单位, 5个单位党组织).
_COUNT_ONLY = lazy(
    r"^(?:第[一二三四五六七八九十\d]{1,3}批)?[\d一二三四五六七八九十两]{1,3}[个家所户][^\W\d_]{0,6}$"
)
# 我市 / 本县 before a place's name.
_OWN_PLACE = lazy(r"^(?:我|本)[省市州县区旗镇乡](?=[^\W\d_]{1,8}?(?:省|市|州|县|区|旗|镇|乡|街道))")
# The units before the matter examined: 对部分市和省直单位选人用人工作…, 对甲市、乙局党委(党组)的干部选拔任用工作情况….
_UNIT_THEN_MATTER = lazy(
    r"^(.{2,80}?(?:单位|部门|党委|党组|党组织|党工委|党支部|党总支|机关"
    r"|(?:局|院|中心|公司|集团|学校|医院)(?:党组|党委|党工委|党总支|党支部)?)"
    r"(?:[（(][^（）()]{1,6}[）)])?)"
    r"的?[^、，,的]{2,16}$"
)


def _unit_before_matter(target: str) -> str | None:
    """The units named before what was examined, or None when the target is only a matter."""
    found = _UNIT_THEN_MATTER.match(target)
    return found.group(1) if found else None


def _named_unit(preamble: str, level: str) -> str | None:
    """The unit a pronoun (我院, 我省) stands for, where the preamble names it with its committee or
    its head (``市中医院院长``, ``安徽省委、省政府``, ``中共某医院委员会``, never after a word that
    opens a phrase: ``督察组向县委``), or, for a place, with its people's congress: a report made in
    ``某县第十八届人民代表大会常务委员会…会议上`` is that county's."""
    if level == "省":  # a province is named by its name: 陕西省委, 安徽省委、省政府 (not 深化省委…)
        province = _PROVINCE_NAMED.search(preamble)
        return province.group(0) if province else None
    found = re.search(
        # (成立了以省委书记…为组长的…: a clause's words, no name)
        r"(?:^|(?<=[^\u4e00-\u9fff]))((?![我本全该各此和与及经])(?:(?![向在对由受了以为把将])[\u4e00-\u9fff]){1,12}?"
        + re.escape(level)
        + r")(?:党委|党组|委|政府|院长|局长|校长|书记|主任|领导班子)",
        preamble,
        re.MULTILINE,
    )
    if found is None and level in "省市州县区旗":
        found = re.search(
            r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=在))((?![我本全该各此])(?:(?!在)[\u4e00-\u9fff]){1,12}?"
            + re.escape(level)
            + r")(?:第[一二三四五六七八九十\d]{1,3}届)?(?:人民代表大会|人大常委会)",
            preamble,
            re.MULTILINE,
        )
    return _CPC.sub("", found.group(1)) if found else None


_CPC = lazy(r"^中共")
# A target that names several units: a list (甲局、乙局) or a count (等6个县级部门).
_SEVERAL = lazy(r"、|等[\d一二三四五六七八九十两]{1,3}[个家所]")
# 我院 / 本公司 before the matter examined (对我院2021年以来干部选拔任用工作开展检查).
_PRONOUN_THEN_MATTER = lazy(
    r"^((?:我|本)(?:单位|公司|集团|中心|[省市州县区旗镇乡局委办院校司厅所站行社村]|社区))(?=\d|[^\W\d_])"
)
# The issuer before 关于 in a title, and the party organ its name may end with.
_ORGAN = lazy(r"(?:党组|党委|党工委|委员会|党总支|党支部)$")
_PRONOUN_ORGAN = lazy(r"(?:党组|党委|党工委|党总支|党支部|领导班子)$")


def _one_of_the_group(feedback: str | None, group: str) -> str | None:
    """The one unit the feedback sentence addresses, where the on-site sentence's group names it
    (``向大桥村党总支反馈`` after ``对平川镇大桥村等23个村（社区）党组织进行了巡察``), else None."""
    found = _FEEDBACK.search(feedback) if feedback else None
    if found is None:
        return None
    unit = found.group(1)
    if _PRONOUN.match(unit) or _SEVERAL.search(unit) or INSPECTOR.search(unit):
        return None
    base = _ORGAN.sub("", _CPC.sub("", unit))
    # one of the listed units, whose name may open with its town's (平川镇大桥村): not the town
    # itself (向徐庄镇党委主要负责人…反馈 after 对徐庄镇徐庄村、葫芦套村等5个村级党组织进行了巡察)
    listed = _LIST_MARK.split(group.split("等")[0])
    return unit if len(base) >= 2 and any(item.endswith(base) for item in listed) else None


def _stationed_pronoun(preamble: str, on_site: str | None) -> str | None:
    """The pronoun of the unit a group was stationed at, or inspected, in a sentence after the one
    that lists the round's units (``其中，县委第二巡察组于…进驻我局开展巡察``)."""
    after = preamble[preamble.find(on_site) + len(on_site) :] if on_site and on_site in preamble else ""
    for sentence in _SENTENCE_MARK.split(after):
        if "我" not in sentence and "本" not in sentence:
            continue
        found = _STATIONED.search(sentence) or _on_site(sentence)
        if found and _PRONOUN.match(found.group(1)):
            return found.group(1)
    return None


# A unit's own word for itself, without 我 or 本: 学校党委, 集团公司党委, 医院党委 (its noun, for
# _issuer_unit, as the pronoun's: 校, 集团, 院 …).
_GENERIC_SELF = lazy(r"^(学校|集团公司|集团|公司|医院|学院)((?:党委|党组|党总支)?)$")
_GENERIC_NOUN = {"学校": "校", "集团公司": "集团", "集团": "集团", "公司": "公司", "医院": "院", "学院": "院"}


# What the audited body did to the thing audited, after its name: 我公司实施的… / 某局组织的….
_AUDITED_VERB = lazy(r"(?:实施|组织|承建|负责|建设|开展|管理)$")


def _issuer_unit(title: str | None, pronoun: str) -> str | None:
    """The unit a pronoun stands for where the title's issuer is that unit: 我局 in
    ``中共某县医疗保障局党组关于…`` is 某县医疗保障局党组; 本公司 in ``某某有限公司关于…`` is the company."""
    issuer = _ISSUER_PREFIX.match(title.strip()) if title else None
    if issuer is None:
        return None
    unit = _CPC.sub("", issuer.group(1))
    base = _ORGAN.sub("", unit)
    noun = _PRONOUN_ORGAN.sub("", pronoun[1:]) or pronoun[1:]  # 我局党组: 局
    # (我校 is a school's: 青石中学, 澜江大学, 某某学校)
    ends = ("校", "学") if noun == "校" else (noun,)
    if not base or base.startswith(("我", "本")) or not base.endswith(ends):
        return None
    organ = noun != pronoun[1:]  # the pronoun names the organ too (我校党支部): the unit's is meant
    return unit if organ or unit.endswith(("党组", "党委", "党工委")) else base


def _resolve_anaphor(sentence: str, level: str, target: str) -> str:
    """``该镇…`` with the last place of that level named before it in the sentence."""
    before = sentence[: sentence.find(target)] if target in sentence else ""
    places = re.findall(
        r"(?:进驻|到|赴|在|^|(?<=[^\u4e00-\u9fff]))([\u4e00-\u9fff]{2,8}?" + level + ")", before
    )
    places = [p for p in places if not p.startswith(("该", "我", "本", "全", "各"))]
    return places[-1] + target[1 + len(level) :] if places else target


def _names_group(text: str) -> bool:
    """Whether the text names an inspection group, by name, as a count, or bare (``巡察组``)."""
    return bool(
        INSPECTOR.search(text)
        or _ENV_GROUP.search(text)
        or _GROUP_COUNT.search(text)
        or _BARE_GROUP.search(text)
    )


def _after_last_dui(target: str) -> str:
    """The target after the last 对 when the match began at an earlier one (按照县委对…的部署，X组对Y)."""
    if "对" in target and (INSPECTOR.search(target) or _GROUP_COUNT.search(target) or "部署" in target):
        return target[target.rfind("对") + 1 :]
    return target


def _after_visit(year: int, month: int, day: int, visit_end: tuple[int, int, int] | None) -> int:
    """The feedback's year, moved past the on-site visit it follows (``2022年12月5日至12月13日``
    on site, ``3月23日`` feedback: 2023)."""
    if visit_end and (year, month, day) < visit_end:
        year = visit_end[0] if (visit_end[0], month, day) >= visit_end else visit_end[0] + 1
    return year


@lru_cache(maxsize=_KEPT)
def _visit_end(on_site: str | None) -> tuple[int, int, int] | None:
    """The last date of the on-site sentence, its year carried from the first printed one."""
    if not on_site:
        return None
    year = None
    last = None
    for found in _DATE_MD.finditer(on_site):
        year = int(found.group(1)) if found.group(1) else year
        if year:
            last = (year, int(found.group(2)), int(found.group(3)))
    if last is None:
        # a period of months (2020年9月至11月): its last month, to its end
        for found in _DATE_YM.finditer(on_site):
            year = int(found.group(1)) if found.group(1) else year
            if year and 1 <= int(found.group(2)) <= 12:
                last = (year, int(found.group(2)), 31)
    return last


# A date whose 年 and 月 a web copy lost (2024717日至830日 … 914日，巡察组向…反馈): digits glued before 日.
_GLUED_DATE = lazy(r"(?<![\d年月.\-/])(\d{4}(?=\d{3,4}日))?(\d{3,4})日")


def _split_glued(digits: str) -> tuple[int, int] | None:
    """Month and day of glued digits, when only one split is a date (914 → 9-14; 111 is ambiguous)."""
    splits = [(int(digits[:i]), int(digits[i:])) for i in (1, 2) if i < len(digits) and len(digits) - i <= 2]
    valid = [(m, d) for m, d in splits if 1 <= m <= 12 and 1 <= d <= 31]
    return valid[0] if len(valid) == 1 else None


def _glued_feedback_date(feedback: str, cut: int, preamble: str) -> str | None:
    """The feedback date printed with its 年 and 月 lost; its year is its own or the last one
    printed (glued or not) before it."""
    glued = list(_GLUED_DATE.finditer(feedback, 0, cut if cut >= 0 else len(feedback)))
    if not glued:
        return None
    last = glued[-1]
    split = _split_glued(last.group(2))
    if split is None:
        return None
    year = last.group(1)
    if not year:
        at = preamble.find(feedback) if feedback in preamble else 0
        before = preamble[:at] + feedback[: last.start()]
        years = [m.group(1) for m in _GLUED_DATE.finditer(before) if m.group(1)] or _YEAR.findall(before)
        if not years:
            return None
        year = years[-1]
    return f"{int(year):04d}-{split[0]:02d}-{split[1]:02d}"


def _feedback_month(feedback: str, cut: int) -> str | None:
    """``YYYY-MM`` when the feedback is dated by its month only (``并于2021年9月反馈了巡视情况``):
    the last month printed before the verb, with its year, and not one end of a period
    (``2021年5月至7月``)."""
    months = list(_DATE_YM.finditer(feedback, 0, cut if cut >= 0 else len(feedback)))
    if not months:
        return None
    last = months[-1]
    year = last.group(1)
    if (
        not year
        and len(months) > 1
        and feedback[max(0, last.start() - 2) : last.start()].endswith(("于", "，", ","))
    ):
        # 2021年4月，…开展了常规巡视，并于7月反馈了巡视意见 / …，7月反馈了巡视意见: the year of the
        # visit's month before it
        year = next((m.group(1) for m in reversed(months[:-1]) if m.group(1)), None)
        if year is not None and int(last.group(2)) < int(months[-2].group(2)):
            year = None  # (并于次年2月: no year to read)
    if not year:
        return None
    period = _DAY_PERIOD.match(feedback, last.end())
    if period and 1 <= int(last.group(2)) <= 12 and 1 <= int(period.group(1)) <= 31:
        # 2018年1月4至5日…反馈: a period of days, dated by its first (as 2月1日至3日 is)
        return f"{int(year):04d}-{int(last.group(2)):02d}-{int(period.group(1)):02d}"
    before = feedback[max(0, last.start() - 1) : last.start()]
    after = feedback[last.end() : last.end() + 1]
    if before in ("至", "到", "-", "—", "~") or after in ("至", "到", "-", "—", "~"):
        return None
    month = int(last.group(2))
    return f"{int(year):04d}-{month:02d}" if 1 <= month <= 12 else None


# The days of a period printed after its month: 1月4至5日.
_DAY_PERIOD = lazy(r"[\s\u3000]*(\d{1,2})[\s\u3000]*(?:至|到|—|－|-|~)[\s\u3000]*\d{1,2}[\s\u3000]*日")


def _feedback_date(
    feedback: str | None,
    preamble: str,
    on_site: str | None = None,
    dated: tuple[int, int, int] | None = None,
) -> str | None:
    on_site_end = _visit_end(on_site)
    if not feedback:
        return None
    cut = _feedback_cut(feedback)
    dates = list(_DATE_MD.finditer(feedback, 0, cut if cut >= 0 else len(feedback)))
    meeting = _FEEDBACK_MEETING.search(feedback)
    if not dates and meeting:
        dates = [m for m in [_DATE_MD.match(feedback, meeting.end())] if m]
    if dates and _visit_period_end(feedback, dates[-1], cut):
        return None  # 2024年9月12日至11月15日，…开展了巡察，…并反馈了巡察意见: the feedback is undated
    if not dates:
        return _feedback_month(feedback, cut) or _glued_feedback_date(feedback, cut, preamble)
    year, month, day = dates[-1].group(1, 2, 3)
    if not year:
        # 10月24日，巡察组向…反馈: the year is the last one printed before it (the on-site period's).
        # Failing one, the first printed after it (3月23日，…反馈… 2023年3月14日，…会议审议…).
        at = preamble.find(feedback) if feedback in preamble else -1
        before = preamble[:at] if at >= 0 else ""
        years = _YEAR.findall(before + feedback[: dates[-1].start()])
        after = _YEAR.findall(preamble[at:] if at >= 0 else feedback)
        if not years and (dated is not None or not after):
            # 1月17日，…巡察情况反馈会议召开 on a page dated 2024/1/19: the page's year, or the one
            # before when the day falls after the page's (12月26日 on a page of 2024/1/5); a year
            # printed later in the text (2016年…以来) names another matter than the page's date does
            if dated is None:
                return None
            late = (int(month), int(day)) > dated[1:]
            return _ymd(dated[0] - 1 if late else dated[0], int(month), int(day))
        year = years[-1] if years else after[0]
        year = _after_visit(int(year), int(month), int(day), on_site_end)
    return _ymd(int(year), int(month), int(day))


# The on-site verb between a period and the feedback: the period is the visit's.
_VISIT_VERB = lazy(r"开展|进行|进驻|巡视了|巡察了")


def _visit_period_end(sentence: str, date: re.Match[str], cut: int) -> bool:
    """Whether ``date`` ends a period (…至11月15日) followed by the on-site verb before the feedback
    verb at ``cut``: the visit's end, not the day of the feedback."""
    before = sentence[max(0, date.start() - 2) : date.start()]
    if "至" not in before and "到" not in before and "—" not in before and "-" not in before:
        return False
    return cut > date.end() and _VISIT_VERB.search(sentence, date.end(), cut) is not None


def _ymd(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# What shows a document is about an inspection and its rectification.
_INSPECTION_WORD = lazy(r"整改|巡视|巡察|审计|督察|督查|检视|回头看|反馈意见|问题清单|专项检查|检查组")
# Genres that are not a rectification report (a work report, a meeting notice, a news item).
_WORK_REPORT = lazy(
    r"工作总结|工作要点|工作计划|工作安排|述职(?:述廉)?报告|政府工作报告|会议纪要|(?<!审计)工作报告"
)
_MEETING_NOTICE = lazy(r"(?:召开|举办|举行|参加|开展)[^，。]{0,30}?(?:的)?通知$|会议的通知$|培训班的通知$")
_NEWS_LEAD = lazy(
    r"^[\s\u3000]*(?:本报讯|本网讯|[\u4e00-\u9fff]{0,8}讯[（(]|[（(]?记者|近日[，,]|日前[，,]|"
    r"(?:\d{1,2}月\d{1,2}日|今年\d{1,2}月)(?:上午|下午|晚)?[，,])"
)


# A review of one's own (主题教育检视, 民主生活会查摆, 自查自纠): no one inspected from outside.
_SELF_REVIEW = lazy(r"主题教育|检视问题|查摆问题|自查自纠|对照检查|民主生活会|组织生活会")
_INSPECTION_TITLE = lazy(r"巡视|巡察|审计|督察|督查|回头看")
_OWN_REVIEW_WARNING = (
    "这份文件是自身检视查摆问题的整改（主题教育、民主生活会等），没有外部检查：未填写轮次信息"
)


# An audit office's page: the office that publishes an audit's results is the auditor, when the
# text names none (来源：某区审计局 over 某区…审计查出问题整改情况).
_AUDIT_OFFICE_NAME = lazy(r"^[\u4e00-\u9fff]{1,20}审计(?:局|厅|署|处|办公室)$")
_SOURCE_KEYS = ("来源", "信息来源", "文章来源", "发布机构", "发布单位")


def auditor_of_page(rnd: Round, metadata: dict[str, str]) -> str | None:
    """The audit office a page's metadata names as its source, for an audit whose text names no
    auditor; None otherwise."""
    if rnd["kind"] != "审计" or rnd["inspector"] is not None:
        return None
    for key in _SOURCE_KEYS:
        value = (metadata.get(key) or "").strip()
        if _AUDIT_OFFICE_NAME.match(value):
            return value
    return None


def round_and_warning(
    title: str | None, preamble: str | None, dated: tuple[int, int, int] | None = None
) -> tuple[Round, str | None]:
    """The round, and a warning when the document is not about an inspection at all.

    Such a document (a work report, a meeting notice, a news item with no inspection in it) has no
    round: every field stays None rather than one read from a word in passing. A work report, a
    meeting notice or a news item that does print the standard sentences keeps what they state.
    """
    rnd = read_round(title, preamble, dated)
    text = (title or "") + "\n" + (preamble or "")
    if not text.strip():
        return rnd, None
    own_review = _SELF_REVIEW.search(title or "") and not _INSPECTION_TITLE.search(title or "")
    # (a 主题教育's own checks, 整治督查组 / 巡回指导组 开展督查, are no inspection either: a check is the
    # only kind such a text names)
    if own_review or (rnd["kind"] == "检查" and "主题教育" in text):
        stated = rnd["feedback_date"] is not None and rnd["inspector"] is not None
        if not stated:
            return new_round(), _OWN_REVIEW_WARNING
    genre = _other_genre(title, preamble)
    # what the standard sentences state: whom was inspected, or when the findings were delivered
    stated = rnd["feedback_date"] is not None or rnd["target"] is not None
    if genre is None and _INSPECTION_WORD.search(text):
        return rnd, None
    if genre is not None and (stated or (genre == "新闻报道" and _INSPECTION_TITLE.search(title or ""))):
        # a news item about a round (巡察组进驻…, …巡察反馈工作) keeps what it states of the round
        return rnd, f"这份文件像是{genre}，不是整改报告；轮次信息按文中所写填写"
    what = genre or "与巡视、巡察、审计或督察整改无关的文件"
    return new_round(), f"这份文件像是{what}，不是巡视、巡察、审计或督察的整改报告：未填写轮次信息"


def _other_genre(title: str | None, preamble: str | None) -> str | None:
    """``工作报告``, ``会议通知`` or ``新闻报道`` when the title and opening say so and the title
    does not speak of 整改; None otherwise."""
    head = (title or "").strip()
    if "整改" in head:
        return None
    if _WORK_REPORT.search(head):
        return "工作报告"
    if _MEETING_NOTICE.search(head):
        return "会议通知"
    if head and _NEWS_LEAD.match(preamble or "") and not _REPORT_HEAD.search(head):
        return "新闻报道"
    return None
