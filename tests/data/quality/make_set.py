"""How the labelled set of this folder was made (see README.md): run once, by hand, from the
repository root with the corpus of real reports at hand. The slogan labels are a person's reading,
kept in `SLOGAN_LABELS` below; the copy and relatedness pairs are drawn from the same measures by
the realistic edits described in the README, with a fixed seed.

    PYTHONPATH=src DJANGO_SETTINGS_MODULE=zhenggai.config.settings python tests/data/quality/make_set.py
"""

from __future__ import annotations

import glob
import json
import os
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("ZHENGGAI_SHARED", "/work/shared"))
SOURCES = [
    *sorted(glob.glob("tests/data/corpus/*.txt")),
    *sorted(glob.glob(str(SHARED / "corpus/dev/*.txt"))),
    *sorted(glob.glob(str(SHARED / "samples/*.txt"))),
]

# The measures read as slogans (喊口号): they only declare an attitude or promise to obey a rule that
# exists already ("严格落实…制度"), with nothing that could be checked afterwards. Every other
# measure written in `slogans.jsonl` was read and judged not a slogan.
SLOGAN_LABELS = {
    "加强采购需求论证和履约验收管理。",
    "加强年轻干部培养。",
    "加强与地方政府沟通，协调解决项目用地问题。",
    "倒排工期，确保项目按期开工。",
    "加强监管。督促委属单位基层党组织增强政治意识,严格落实“第一议题”制度。",
    "加强干部队伍建设，教育引导社区干部强化担当意识，推进机关作风整顿工作的开展。",
    "充分发挥社区监督检查职能作用，强化对上级决策部署的监督检查，做到事前有部署，事中有督促，事后有考评。",
    "充分发挥了网格及网格长作用，把扫黑除恶专项斗争与网格建设有机集合起来。",
    "针对整改问题分类施策，逐步化解，推进整改。",
    "规范“三重一大”议事决策程序，提高议事决策质量。",
    "班子成员对照检查，深刻检讨了“好人主义”思想的根源，进一步提高了政治站位，不断增强了担当意识。",
    "进一步加强了对窗口工作的巡查监督力度。",
    "班子成员之间经常开展谈心，主动亮明自身存在的问题，诚恳指出对方的问题，相互交换对所在领导班子存在问题的看法。",
    "落实常委班子成员定点联系乡镇制度",
    "将意识形态工作纳入工作重点。",
    "精简审批材料，压缩办理时限",
    "合并会议，倡导开短会。",
    "落实县、乡、村三级网格化禁烧责任",
    "严格控制会议数量和时长，推行短会、短文。",
    "注重从返乡青年、致富能手中发展党员。",
    "严格执行村级财务报销制度。",
    "全面规范补贴公示程序和内容",
    "严格落实发展党员全程纪实制度。",
    "落实文物安全直接责任人公告公示制度。",
    "严格执行村级小型工程项目管理办法",
    "落实“三审三校”制度",
    "落实河长巡河制度。",
    "落实乡镇、村网格化巡查责任",
    "把年初上级各部门工作任务和要点细化，把责任落实到人。",
    "规范各项制度，用制度来约束人，管理事物，使各项工作和服务都逐步规范化、制度化，并形成长效机制，以促进各项工作顺利完成。",
}
SLOGAN_PREFIXES = (  # labelled from their opening words (the texts are long)
    "目前,安阳市生态环境局龙安分局积极配合",
    "规范落实“三会一课”、谈心谈话",
    "按时传达学习文件，及时记录。",
    "严格落实“三会一课”、民主生活会和组织生活会",
    "超预算支出，超限额使用现金",
    "持續(xù)推進工業(yè)污染源",
)


def read_items() -> list[dict]:
    from zhenggai.core.parse import parse_path

    items: list[dict] = []

    def walk(nodes, source):
        for node in nodes:
            measures = [m.get("text") or "" for m in node.get("measures") or []]
            if node.get("problem") and measures:
                statement = (node.get("title") or "") + (node.get("problem") or "")
                items.append({"source": source, "statement": statement, "measures": measures})
            walk(node.get("children") or [], source)

    for path in SOURCES:
        if "heldout" in path:
            continue
        walk(parse_path(path).get("sections") or [], Path(path).name)
    return items


# Edits an office makes when it copies another unit's measure: the unit's name put in, a word or a
# period changed, a stock clause added.
SWAPS = [
    ("每季度", "每月"),
    ("每月", "每季度"),
    ("每半年", "每季度"),
    ("党组", "党委"),
    ("党委", "党组"),
    ("局机关", "机关"),
    ("制定", "研究制定"),
    ("建立", "建立健全"),
    ("开展", "组织开展"),
    ("修订", "修订完善"),
    ("全面", "全覆盖"),
    ("相关", "有关"),
    ("所属企业", "下属单位"),
    ("股室", "科室"),
    ("县", "区"),
    ("市", "县"),
]
UNITS = [("区财政局", "财政局"), ("县水利局", "水利局"), ("市卫健委", "卫健委"), ("镇人民政府", "镇政府")]


def copy_of(text: str, rng: random.Random) -> tuple[str, str, list[str]]:
    """A copy as offices make them, what was done, and the names of the copying unit."""
    name, short = rng.choice(UNITS)
    how = []
    if rng.random() < 0.5:
        text = f"{name}{text}"
        how.append("name")
    swaps = [(a, b) for a, b in SWAPS if a in text]
    for a, b in rng.sample(swaps, min(len(swaps), rng.choice([0, 1, 1, 2]))):
        text = text.replace(a, b, 1)
        how.append(f"{a}→{b}")
    figures = re.findall(r"\d+", text)
    if figures and rng.random() < 0.4:
        old = rng.choice(figures)
        text = text.replace(old, str(int(old) + rng.randint(1, 9)), 1)
        how.append("figure")
    if not how or rng.random() < 0.15:
        text = text.rstrip("。") + "，确保取得实效。"
        how.append("clause")
    return text, "+".join(how), [name, short]


def main() -> None:
    import django

    django.setup()
    from zhenggai.core.quality import normalise_for_copies, shingles, similarity
    from zhenggai.taxonomy.rules import Classifier

    guess_category = Classifier.from_database().code

    rng = random.Random(15)
    items = read_items()
    measures: list[tuple[str, str, str]] = []  # source, text, category of its problem
    seen: set[str] = set()
    for item in items:
        category = guess_category("", item["statement"])
        for text in item["measures"]:
            if text not in seen and len(text) >= 6:
                seen.add(text)
                measures.append((item["source"], text, category))

    # Slogans: every measure with a stock declaration, and a random 150 of the others.
    from zhenggai.core.quality import stock_phrases

    stocky = re.compile("加强|进一步|严格|切实|规范|完善|强化|提高|提升|深化|健全|落实|增强|注重|坚持")
    chosen = [m for m in measures if stocky.search(m[1]) or len(stock_phrases(m[1])) >= 2]
    rest = [m for m in measures if m not in chosen]
    chosen += rng.sample(rest, 150)
    with open(HERE / "slogans.jsonl", "w", encoding="utf-8") as out:
        for source, text, _cat in chosen:
            slogan = text in SLOGAN_LABELS or text.startswith(SLOGAN_PREFIXES)
            out.write(
                json.dumps({"source": source, "text": text, "slogan": slogan}, ensure_ascii=False) + "\n"
            )

    # Copies: long enough to be told from a common phrase (core.quality.FINGERPRINT_MIN_CHARS).
    long = [m for m in measures if len(normalise_for_copies(m[1])) >= 20]
    pairs = []
    for _source, text, _cat in rng.sample(long, 120):
        copy, how, names = copy_of(text, rng)
        pairs.append({"a": text, "b": copy, "names_a": [], "names_b": names, "copy": True, "how": how})
    # The hardest non-copies: the most alike measures of different reports, each read (the first,
    # 制定年度理论学习计划…, is the same measure with a few words changed: a copy).
    pieces = [shingles(t) for _s, t, _c in long]
    alike = sorted(
        (
            (similarity(pieces[i], pieces[j]), i, j)
            for i in range(len(long))
            for j in range(i + 1, len(long))
            if long[i][0] != long[j][0]
        ),
        reverse=True,
    )[:20]
    for rank, (_s, i, j) in enumerate(alike):
        pairs.append(
            {
                "a": long[i][1],
                "b": long[j][1],
                "names_a": [],
                "names_b": [],
                "copy": rank == 0,
                "how": "alike",
            }
        )
    # Ordinary non-copies: measures of the same category from different reports.
    by_category: dict[str, list[tuple[str, str, str]]] = {}
    for m in long:
        by_category.setdefault(m[2], []).append(m)
    drawn = 0
    while drawn < 100:
        group = rng.choice([g for g in by_category.values() if len(g) > 1])
        a, b = rng.sample(group, 2)
        if a[0] != b[0]:
            pairs.append(
                {"a": a[1], "b": b[1], "names_a": [], "names_b": [], "copy": False, "how": "same-category"}
            )
            drawn += 1
    with open(HERE / "copies.jsonl", "w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")

    # Relatedness: a problem with one of its own measures (related), and with a measure of another
    # report's problem of another category (unrelated).
    findings = [(i, item) for i, item in enumerate(items)]
    with open(HERE / "related.jsonl", "w", encoding="utf-8") as out:
        for _i, item in rng.sample(findings, min(150, len(findings))):
            category = guess_category("", item["statement"])
            own = rng.choice(item["measures"])
            out.write(
                json.dumps(
                    {"problem": item["statement"], "measure": own, "related": True}, ensure_ascii=False
                )
                + "\n"
            )
            others = [m for m in measures if m[0] != item["source"] and m[2] != category]
            other = rng.choice(others)
            out.write(
                json.dumps(
                    {"problem": item["statement"], "measure": other[1], "related": False}, ensure_ascii=False
                )
                + "\n"
            )
    print(len(chosen), len(pairs), file=sys.stderr)


if __name__ == "__main__":
    main()
