"""The usual headings of 巡视巡察 feedback and their sub-categories, and rules that classify
real feedback text into them (written from the genre, checked on the problems of the reports of
tests/data/corpus). The data is written out here, not imported: a migration keeps what it seeded.
"""

from django.db import migrations

# (code, name, [(sub-code, name)]) in the order the pages show them.

CATEGORIES = [
    (
        "politics",
        "政治建设",
        [
            ("political_awareness", "政治意识和政治能力"),
            ("discipline", "政治纪律和政治规矩"),
            ("theory_study", "理论学习"),
        ],
    ),
    (
        "decisions",
        "落实上级决策部署",
        [
            ("major_policies", "贯彻落实重大决策部署"),
            ("core_business", "履行职能职责/主责主业"),
            ("risk", "防范化解重大风险"),
        ],
    ),
    (
        "responsibility",
        "全面从严治党主体责任",
        [
            ("main", "主体责任落实"),
            ("supervision", "监督责任落实"),
            ("integrity", "党风廉政建设和廉洁风险"),
            ("power", "权力运行监督"),
        ],
    ),
    (
        "conduct",
        "作风建设",
        [
            ("eight_rules", "中央八项规定精神"),
            ("formalism", "形式主义官僚主义"),
            ("work_discipline", "工作纪律"),
        ],
    ),
    (
        "organisation",
        "组织建设与党员教育管理",
        [
            ("branches", "基层党组织建设"),
            ("party_life", "组织生活制度"),
            ("members", "党员教育管理"),
            ("dues", "党费收缴使用管理"),
        ],
    ),
    (
        "ideology",
        "意识形态",
        [
            ("responsibility", "意识形态工作责任制"),
            ("positions", "阵地建设和管理"),
        ],
    ),
    (
        "finance",
        "财务管理",
        [
            ("funds", "资金使用管理"),
            ("assets", "国有资产管理"),
            ("procurement", "招标采购和工程项目"),
            ("reimbursement", "财务报销和票据"),
        ],
    ),
    (
        "livelihood",
        "民生与群众利益",
        [
            ("services", "服务群众"),
            ("benefits", "惠民惠农资金"),
            ("petitions", "信访和群众诉求"),
        ],
    ),
    (
        "personnel",
        "选人用人",
        [
            ("selection", "干部选拔任用"),
            ("supervision", "干部管理监督"),
            ("talent", "干部队伍和人才建设"),
        ],
    ),
    (
        "rectification",
        "整改落实",
        [
            ("previous", "以往巡视巡察整改"),
            ("audit", "审计等监督发现问题整改"),
        ],
    ),
    ("other", "其他", []),
]

# (code, kind, terms) in priority order: the first that matches wins (a problem's own words are
# tried before the headings above it). Specific words before general ones; the top-level rules
# at the end catch what no sub-category's words name.
SEED_RULES = [
    (
        "rectification.previous",
        "pattern",
        r"(上轮|上一轮|上次|上届|前次|前轮|以往|历次|原)(巡视|巡察|督察|检查|专项检查)",
    ),
    (
        "rectification.previous",
        "keywords",
        "屡查屡犯、屡改屡犯、回头看、整改不彻底、整改打折扣、虚假整改、敷衍整改、表面整改、整改走过场、整改不到位",
    ),
    (
        "rectification.audit",
        "pattern",
        r"(上轮|上一轮|上次|以往|历次|上年度?|原|往年)审计|审计(发现|查出|指出)的?.{0,12}(未整改|整改不)",
    ),
    (
        "conduct.eight_rules",
        "keywords",
        "八项规定、四风、公务接待、接待费、公务用车、公车、私车公养、违规发放、津贴补贴、福利、吃喝、宴请、礼品、礼金、红包、购物卡、公款旅游、超标准、办公用房、培训费、会议费、差旅费、烟酒、高档",
    ),
    (
        "conduct.formalism",
        "keywords",
        "形式主义、官僚主义、文山会海、文风会风、会风文风、会议时间偏长、篇幅冗长、留痕、督查检查考核、层层加码、走过场、照抄照搬、应付了事、敷衍、脱离实际、调查研究、调研不深、不作为、慢作为、乱作为、担当作为、担当意识、庸政懒政、推诿扯皮、基层减负、作风整顿、作风不实、作风漂浮、门难进、脸难看、事难办",
    ),
    (
        "conduct.work_discipline",
        "keywords",
        "工作纪律、迟到、早退、脱岗、空岗、上班时间、考勤、请销假、值班、工作日饮酒、在岗、劳动纪律",
    ),
    (
        "politics.discipline",
        "keywords",
        "政治纪律、政治规矩、请示报告、重大事项报告、两面人、七个有之、妄议、对党不忠诚",
    ),
    (
        "politics.theory_study",
        "keywords",
        "理论学习、中心组、第一议题、学习制度、学懂弄通、学习研讨、专题学习、学习教育、主题教育、学思想、学习贯彻党的、学习不深、学习不够、学习流于形式、读书班、集中学习、学习计划、虚假学习",
    ),
    (
        "politics.political_awareness",
        "keywords",
        "政治意识、政治站位、政治能力、政治判断力、政治领悟力、政治执行力、政治建设、四个意识、两个维护、两个确立、领导核心作用、把方向、管大局、政治生态、政治责任、政治属性、党委领导作用、党组领导作用、党的领导",
    ),
    (
        "ideology.positions",
        "keywords",
        "意识形态阵地、宣传阵地、阵地建设、阵地管理、公众号、网站、舆情、舆论、新媒体、宣传栏、网络安全、讲座论坛、报告会、思政、课程思政、宣传思想、网络意识形态",
    ),
    ("ideology.responsibility", "keywords", "意识形态"),
    (
        "livelihood.benefits",
        "keywords",
        "惠民、惠农、低保、救助、养老金、医保、社保、扶贫、帮扶、困难群众、残疾、特困、优抚、救济、补贴资金、惠企、衔接资金、民生资金、补贴发放、发放补贴、高龄津贴、养老补贴、服务补贴",
    ),
    ("organisation.dues", "keywords", "党费"),
    (
        "organisation.party_life",
        "keywords",
        "三会一课、组织生活、民主生活会、主题党日、谈心谈话、民主评议、批评与自我批评、批评和自我批评、党内政治生活、支委会、党员大会、党小组会、党课",
    ),
    (
        "organisation.members",
        "keywords",
        "党员教育、党员管理、发展党员、党员发展、入党、流动党员、党员档案、党员队伍、入党积极分子、党员作用、先锋模范",
    ),
    (
        "personnel.selection",
        "keywords",
        "选拔任用、干部选拔、选人用人、提拔、试用期、动议、破格、超职数、超配、职数、任免、干部任用、民主推荐、考察、用人导向、组织路线",
    ),
    (
        "personnel.supervision",
        "keywords",
        "个人有关事项、有关事项报告、干部档案、兼职、因私出国、出入境证件、干部监督、干部管理、经商办企业、任职回避、提醒谈话、诫勉、轮岗、交流轮岗、干部日常管理",
    ),
    (
        "personnel.talent",
        "keywords",
        "干部队伍、人才、年龄结构、梯队、后备干部、专业技术、年轻干部、干部培养、队伍建设、激励、干部结构、班子建设、领导班子、专业化能力、35岁",
    ),
    (
        "organisation.branches",
        "keywords",
        "基层党组织、党支部、支部、软弱涣散、战斗堡垒、换届、党组织设置、党建工作、党建引领、两新组织、标准化规范化",
    ),
    (
        "responsibility.power",
        "keywords",
        "权力运行、三重一大、集体决策、集体研究、议事规则、议事决策、决策程序、一把手、权力监督、民主集中制、个人说了算、会议纪要、议题、末位表态",
    ),
    (
        "responsibility.integrity",
        "keywords",
        "廉政、廉洁、以案促改、以案为鉴、警示教育、利益输送、腐败、违纪违法、吃拿卡要、优亲厚友、雁过拔毛、权钱交易、靠企吃企、插手、谋取私利、关联交易",
    ),
    (
        "responsibility.supervision",
        "keywords",
        "监督责任、纪检、纪委、派驻、监督执纪、问责、执纪、第一种形态、四种形态、日常监督、监督检查、监督作用、监督不力、监督缺位、监督乏力、内部监督",
    ),
    (
        "responsibility.main",
        "keywords",
        "主体责任、全面从严治党、管党治党、一岗双责、第一责任人、两个责任、宽松软、从严治党、党风廉政建设责任",
    ),
    (
        "finance.procurement",
        "keywords",
        "招标、投标、采购、工程项目、工程建设、政府投资项目、合同管理、项目建设、工程款、结算、造价、竣工、未批先建、围标、串标、化整为零、规避、监理、合同、开工建设、可行性研究、施工、项目管理、决算、验收",
    ),
    (
        "finance.assets",
        "keywords",
        "国有资产、固定资产、资产管理、资产、闲置、出租、出借、房产、三资、集体资产、账外、资产清查、承包、村集体、盘点、国资",
    ),
    (
        "finance.reimbursement",
        "keywords",
        "报销、票据、发票、白条、凭证、会计、记账、账目、账务、现金、出纳、原始单据、收据、公函、审批手续、支出依据",
    ),
    (
        "finance.funds",
        "keywords",
        "资金、经费、预算、财政、收入、支出、挪用、截留、滞留、结余、往来款、应收账款、债务、欠款、非税、政府性基金、国库、借款、核算、小金库、财务、账户、费用、税费、收费",
    ),
    # Weaker words, after the finance rules: a problem about money that names a party body or an
    # internal control is a finance problem first.
    ("responsibility.power", "keywords", "内控、内部控制、内部管控、制度执行、制度建设、制度不健全"),
    ("organisation.members", "keywords", "党员"),
    ("organisation.branches", "keywords", "党组织、党建、组织建设"),
    (
        "livelihood.petitions",
        "keywords",
        "信访、群众诉求、投诉、12345、诉求、来信来访、矛盾纠纷、群众反映、热线、举报",
    ),
    (
        "livelihood.services",
        "keywords",
        "服务群众、便民、办事、一网通办、窗口、营商环境、物业、老旧小区、群众利益、民生、为民办实事、公共服务、服务质量、教育、医疗、养老、就业、住房、供水、满意度、跑腿、企业开办、群众、村民、居民、服务",
    ),
    (
        "decisions.risk",
        "keywords",
        "安全生产、安全隐患、隐患、事故、风险、防范化解、应急、消防、维稳、食品安全、防汛、地质灾害",
    ),
    (
        "decisions.major_policies",
        "keywords",
        "决策部署、重大决策、重要指示、指示批示、党中央、上级部署、乡村振兴、高质量发展、生态环境、环境保护、生态环保、污染、耕地、粮食安全、环保、河长制、林长制、减排、扬尘、污水、垃圾、秸秆、黑臭水体、国家战略、重大战略、中央、省委、市委、县委、区委、贯彻落实、土地、生态、矿山、基本农田、非粮化、自然保护区、空气质量、水质、化工、畜禽、水电站、约束性指标、新发展理念、产业",
    ),
    (
        "decisions.core_business",
        "keywords",
        "主责主业、职能职责、职责、履职、监管、执法、业务、考核、科技创新、研发、规划、学科、经营、发展、职能作用、立德树人、师德师风、管理不到位、管理不规范、工作不到位、落实不到位",
    ),
    ("conduct", "keywords", "作风、纪律"),
    ("responsibility", "keywords", "责任落实、监督、责任"),
    ("politics", "keywords", "政治"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("taxonomy", "Category")
    Rule = apps.get_model("taxonomy", "ClassificationRule")
    by_code = {}
    for position, (code, name, subs) in enumerate(CATEGORIES, start=1):
        top = Category.objects.create(code=code, name=name, position=position * 10)
        by_code[code] = top
        for sub_position, (sub, sub_name) in enumerate(subs, start=1):
            child = Category.objects.create(
                code=f"{code}.{sub}", name=sub_name, parent=top, position=position * 10 + sub_position
            )
            by_code[child.code] = child
    for priority, (code, kind, terms) in enumerate(SEED_RULES, start=1):
        Rule.objects.create(category=by_code[code], kind=kind, terms=terms, priority=priority * 10)


def unseed(apps, schema_editor):
    apps.get_model("taxonomy", "ClassificationRule").objects.all().delete()
    Category = apps.get_model("taxonomy", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_categories_and_rules")]

    operations = [migrations.RunPython(seed, unseed)]
