"""Which metric a number in a free-text report is: the words that announce each metric.

This table is the place to look when a figure is missed or misread. Each rule names a metric
(SCHEMA.md), the words that must come before the number in its clause (the cue), the units
the metric is counted in, and, for breakdowns, the category it sets. Rules are tried in order;
the first that matches wins, so narrower rules stand before broader ones."""

from __future__ import annotations

from dataclasses import dataclass

from . import lazy_re

ITEMS = ("条", "件", "个", "篇", "项", "份", "条次")
CASES = ("件", "起", "宗", "个", "次", "例", "份", "条", "人次")
PEOPLE = ("人次", "人", "次", "位", "批", "名", "户", "件")
STAFF = ("人", "名", "位")
MONEY = ("元", "万元")
VIEWS = ("次", "人次", "人")

# Channels: SCHEMA.md's short names, each with the words that name it. A figure's `category` is
# the short name where SCHEMA.md's list has the channel; an outlet the list does not name keeps
# its own words (PUBLICATION_OUTLETS, CONSULTATION_OUTLETS: 政务新媒体, 12345热线, 其他渠道), and
# `channel` (channel_of) says which short name it falls under.
REQUEST_CHANNELS = {
    "当面": "当面|现场|窗口|来访", "网上": "网上|网络|在线|网站|互联网|平台",
    "信函": "信函|邮寄|来信|书信|信件|邮政", "传真": "传真", "电子邮件": "电子邮件|电子邮箱|邮件|E-?mail",
}
CONSULTATION_CHANNELS = {
    "电话": "电话|来电|热线", "现场": "现场|当面|来访|窗口|上门",
    "网上": "网上|网络|在线|网站|邮件|留言|信箱",
}
CONSULTATION_OUTLETS = r"12345[\u4e00-\u9fff]{0,10}?热线|(?:便民|市民|政务服务|政府服务)[\u4e00-\u9fff]{0,4}热线"
PUBLICATION_CHANNELS = {
    "网站": "网站|门户|网页|政府网|信息网|政务网|外网", "公报": "(?<!统计)公报|政报", "新闻发布会": "新闻发布会|发布会",
    "微博": "微博", "微信": "微信|公众号", "报刊": "(?<!公)报刊|报纸|杂志|报社|日报", "广播电视": "广播|电视",
    "公开栏": "公开栏(?!目)|宣传栏|公示栏|公告栏|橱窗|显示屏|触摸屏|公开查阅点",
}
PUBLICATION_OUTLETS = (r"政务新媒体|新媒体(?:平台|账号|渠道|方式)?|抖音(?:号|账号)?|今日头条|头条号|快手|视频号|(?:移动)?客户端|"
                       r"APP|App|app|其[他它][^,，;；]{0,6}?(?:方式|渠道|媒体|途径)|其[他它]形式(?!的?解读)")
REQUEST_OUTCOMES = (
    "requests.granted", "requests.partially_granted", "requests.denied", "requests.unable",
    "requests.not_processed", "requests.other",
)


@dataclass(frozen=True)
class Rule:
    """Which metric a number is, told by the words before it (the module's docstring)."""

    metric: str
    cue: lazy_re.Pattern
    units: tuple
    category: str | None = None     # a fixed category (the channel or kind a cue names)
    reason: bool = False            # the cue names a reason: the label as written is the category
    as_written: bool = False        # the words the cue matched are the category (an outlet SCHEMA.md does not name)
    channel: str | None = None      # the channel (SCHEMA.md's short name) a by-channel rule counts
    generic: lazy_re.Pattern | None = None   # … unless it is the outcome's own generic word
    context: lazy_re.Pattern | None = None   # words the sentence must contain …
    kinds: tuple = ()               # … unless it stands in a section of one of these kinds
    not_in: tuple = ()              # section kinds where the rule never applies
    clause_context: bool = False    # the context words must be in the number's own clause
    after: bool = False             # the cue may follow the number: "1部规范性文件"
    unless: lazy_re.Pattern | None = None    # words in the number's clause that rule it out


def _rule(metric, cue, units, **kw) -> Rule:
    for key in ("generic", "context", "unless"):
        if isinstance(kw.get(key), str):
            kw[key] = lazy_re.compile(kw[key])
    return Rule(metric, lazy_re.compile(cue), units, **kw)


_ABOUT_REQUESTS = "申请|答复"
_RECEIVED = "收到|受理|接收|接到|办结|留言|来信|信箱"      # what people sent in, not what was published
_RESPONDED = "回应"                                 # answers to public concerns (回应社会关切), no SCHEMA metric
_REQUEST_KINDS = ("on_request",)
_ABOUT_DISCLOSURE_FEES = "信息公开|依申请|申请人|检索|复制|复印|邮寄|工本|收费及减免|收费和减免|信息处理费"


_PUBLISHED = r"主动|公布|发布|刊登|推送|更新|编发"    # what an agency published itself: never a request's channel


def _channels(metric: str, channels: dict, units: tuple, **kw) -> list[Rule]:
    return [_rule(metric, words, units, category=name, channel=name, **kw) for name, words in channels.items()]


def _request(metric: str, cue: str, **kw) -> Rule:
    """A rule for how requests were answered: only where the text speaks of requests, never
    inside the appeals section (复议 cases are "withdrawn" and "upheld" too)."""
    kw.setdefault("context", _ABOUT_REQUESTS)
    return _rule(metric, cue, CASES, kinds=_REQUEST_KINDS, not_in=("appeals",), **kw)


RULES: list[Rule] = [
    _rule("reconsideration.total", r"复议", CASES),
    _rule("litigation.total", r"诉讼|起诉", CASES),
    _rule("complaints.total", r"投诉(?!类)|举报(?!投诉)", CASES + PEOPLE,       # about disclosure, not any complaint
          context=r"信息公开|政务公开|公开工作|依申请|政府信息", clause_context=True, kinds=("consultation", "appeals")),
    _rule("consultations.by_channel", CONSULTATION_OUTLETS, CASES + PEOPLE, as_written=True, channel="电话",
          context="咨询", clause_context=True),
    *_channels("consultations.by_channel", CONSULTATION_CHANNELS, CASES + PEOPLE, context="咨询",
               clause_context=True),
    _rule("consultations.total", r"咨询", CASES + PEOPLE),
    _rule("fees.collected_yuan", r"收取|收费|费用|费", MONEY, context=_ABOUT_DISCLOSURE_FEES, kinds=("fees",),
          unless=r"支出|经费|投入|花费|用于|预算"),    # money the agency spent is no fee collected
    _request("requests.carried_forward", r"(?:结转|转结)(?:至|到)?(?:下一?年|下年度|(?:19|20)\d\d年)|转入下一?年|"
             r"尚在(?:法定)?(?:答复)?期限内|尚未(?:办结|答复)|正在办理", after=True),
    _request("requests.carried_over", r"上一?年度?(?:结转|转结)|从上一?年度?结转|结转上一?年"),
    _request("requests.partially_granted", r"部分公开|部分同意|同意部分"),
    _request("requests.denied", r"不予公开|不公开|不同意公开|拒绝公开|国家秘密|商业秘密|个人隐私|三安全一稳定|"
             r"危及|内部事务|内部管理|过程性|执法案卷|行政查询", reason=True,
             generic=r"^(?:不予公开|不公开|不同意公开|拒绝公开)$",
             unless=r"不予公开(?:的)?(?:政府)?信息"),   # information classed not for disclosure, no request
    _request("requests.unable", r"不存在|非本|不属于本|不掌握|未掌握|不明确|无法提供", reason=True,
             generic=r"^无法提供$"),
    _request("requests.not_processed", r"重复申请|信访(?!局|办|室|部门|工作)|投诉类|不予处理|公开出版物|反复申请", reason=True,
             generic=r"^不予处理$"),
    _request("requests.other", r"不属于政府信息|不是政府信息|非政府信息|不属于信息公开|告知|转办|转交|撤回|"
             r"其他处理|其[他它](?!组织|文件|各类|部门|单位|机关|方式|渠道|信息|形式[^,，;；]{0,4}?申请)|已主动公开", reason=True,
             generic=r"^(?:其他处理|其他|其它)$"),
    _request("requests.granted", r"同意公开|予以公开|全部公开|准予公开|同意提供|公开答复|答复公开|已公开"),
    _request("requests.handled_total", r"已答复|已办结|办结|已处理|答复完毕|答复[^,，;；]{0,10}申请|^\s*(?:共|均|全部)?答复$"),
    *_channels("requests.by_channel", REQUEST_CHANNELS, CASES, context="申请", clause_context=True,
               kinds=_REQUEST_KINDS, not_in=("appeals",), unless=_PUBLISHED),
    _rule("requests.by_channel", r"其[他它](?:形式|方式|渠道|途径)(?=[^,，;；]{0,4}?(?:申请|提出|提交|递交))", CASES,
          as_written=True, channel="其他",
          context="申请", clause_context=True, kinds=_REQUEST_KINDS, not_in=("appeals",), unless=_PUBLISHED),
    _rule("requests.received", r"(?:受理|收到|接到|接收|办理|提出|提交|递交|处理|共有).{0,14}申请|申请.{0,8}(?:共|总数|总计|合计|数量|件数|数为|数)"
          r"|依申请公开(?!(?:的)?(?:政府)?信息)", CASES),    # 依申请公开信息: a class of information
    _rule("proactive.items_adopted", r"采用|采纳|录用|刊用|被[^,，;；]{0,12}?转载", ITEMS),
    # counted since records began, not this year: 累计 alone often means "in all, this year"
    _rule("proactive.items_cumulative", r"历年|以来|至今|截[至止]目前|截[至止]发文|截[至止][^,，;；]{0,10}?(?:年底|年末|月底)",
          ITEMS, unless=_RECEIVED + r"|全年|本年|当年|今年|年内"),
    _rule("proactive.items_cumulative", r"累计", ITEMS, context=r"历年|以来|至今|截[至止]", unless=_RECEIVED),
    # what the standard tables count, stated in the prose: "本年度制发的省政府规章2件",
    # "行政许可、行政处罚、行政强制决定数量分别为289745宗、466061宗和5919宗"
    _rule("licensing.decisions", r"行政许可(?=[^,，;；。]{0,16}?决定)", CASES),
    _rule("penalties.decisions", r"行政处罚(?=[^,，;；。]{0,12}?决定)", CASES),
    _rule("enforcement.decisions", r"行政强制(?=[^,，;；。]{0,8}?决定)", CASES),
    _rule("regulations.issued", r"(?:制发|制定|出台)[^,，;；]{0,10}?规章", ITEMS + ("部",)),
    _rule("normative_docs.issued", r"(?:制发|制定|出台)[^,，;；]{0,16}?规范性文件", ITEMS + ("部",)),
    _rule("regulations.repealed", r"废止[^,，;；]{0,10}?规章", ITEMS + ("部",)),       # the table's 本年废止
    _rule("normative_docs.repealed", r"废止[^,，;；]{0,16}?规范性文件", ITEMS + ("部",)),
    _rule("regulations.in_force", r"现行有效[^,，;；]{0,10}?规章", ITEMS + ("部",)),
    _rule("normative_docs.in_force", r"现行有效[^,，;；]{0,16}?规范性文件", ITEMS + ("部",)),
    _rule("proactive.normative_documents", r"规范性文件", ITEMS + ("部",), after=True),
    *_channels("proactive.items_by_channel", PUBLICATION_CHANNELS, ITEMS,
               context="公开|发布|刊登|刊发|推送|公布|播出|登载|更新|编发", unless=_RESPONDED),
    _rule("proactive.items_by_channel", PUBLICATION_OUTLETS, ITEMS, as_written=True, channel="其他",
          context="公开|发布|刊登|刊发|推送|公布|播出|登载|更新|编发", unless=_RESPONDED),
    # issues of a gazette (编印公报12期) or a notice board, press conferences held (召开新闻发布会29场)
    _rule("proactive.items_by_channel", PUBLICATION_CHANNELS["公报"], ("期",), category="公报", channel="公报",
          context="编印|编辑|编发|印发|刊发|出版|发布|公开"),
    _rule("proactive.items_by_channel", PUBLICATION_CHANNELS["公开栏"], ("期",), category="公开栏", channel="公开栏",
          context="刊出|刊发|出版|更新|编发|制作|出"),                # 刊出政务公开栏12期
    _rule("proactive.items_by_channel", r"新闻发布会|发布会", ("场", "次"), category="新闻发布会",
          channel="新闻发布会", after=True),
    _rule("proactive.items_total", r"主动公开|(?:公开|发布|公布|上传|编发|推送|刊发|更新|报送)"
          r"(?:[(（][^)）]{0,40}[)）]|“[^”]{0,40}”|[^,，;；]){0,12}?(?:信息|文件|政务|通知|公告)"   # a bracket of examples is one word
          r"|信息.{0,4}(?:总数|总量|共计|合计|共)", ITEMS,
          unless=r"制作|获取|形成|产生|" + _RESPONDED),   # information an agency made or answers, not what it published
    _rule("web.page_views", r"页面访问|页面浏览|浏览量|浏览次数|点击量|点击次数|点击数|被点击|页面点击|PV", VIEWS),
    _rule("web.visits", r"访问量|访问人次|访问次数|访问人数|访问总量|访客|访问", VIEWS),
    _rule("onsite.visitors", r"现场查阅|查阅|接待|来访|到场|现场", PEOPLE, unless=r"参观"),   # 展馆参观接待: an exhibition's
    _rule("staff.full_time", r"专职|全职", STAFF, after=True),     # "配备了2名全职工作人员、31名兼职工作人员"
    _rule("staff.part_time", r"兼职", STAFF, after=True),
]

# Each breakdown by channel: SCHEMA.md's short names and the words of each.
CHANNELS = {"proactive.items_by_channel": PUBLICATION_CHANNELS, "requests.by_channel": REQUEST_CHANNELS,
            "consultations.by_channel": CONSULTATION_CHANNELS}
_CHANNEL_RES = {metric: [(name, lazy_re.compile(words)) for name, words in channels.items()]
                for metric, channels in CHANNELS.items()}


def channel_of(metric: str, category: str | None) -> str | None:
    """The short name (SCHEMA.md) of the channel a by-channel figure's category names: the
    category itself where it is one, the short name whose words it holds (12345热线 → 电话,
    县政府门户网站 → 网站), else 其他 (政务新媒体); None for other metrics."""
    if metric not in CHANNELS or not category:
        return None
    if category in CHANNELS[metric]:
        return category
    named = [name for name, pattern in _CHANNEL_RES[metric] if pattern.search(category)]
    return named[0] if len(named) == 1 else "其他"


# Metrics of the standard tables that a rule may find in prose, and what they are in a report
# from before the tables (2008–2018): 制发规范性文件 is the free-text era's normative documents,
# 制发规章, documents repealed or in force and decision counts no figure of their own.
FIRST_TABLE_YEAR = 2019
TABLE_ERA_ONLY = {"normative_docs.issued": "proactive.normative_documents", "regulations.issued": None,
                  "regulations.repealed": None, "normative_docs.repealed": None, "regulations.in_force": None,
                  "normative_docs.in_force": None,
                  "licensing.decisions": None, "penalties.decisions": None, "enforcement.decisions": None}

# Words for information in general: a count of them is the total, not a kind of information
# ("主动公开政府信息62条" against "发布政策解读信息23条").
GENERIC_INFORMATION = lazy_re.compile(
    r"^(?:各类|各种|各项|有关|相关|本单位|本部门|部门|机关|本局|我局)?(?:政府|政务)?(?:工作)?"
    r"(?:信息|资讯|消息|内容)?(?:类)?(?:总数|总量|数量|数|条数)?(?:的有|有)?$"
)
# The verbs a publication count follows: what stands between the last of them and the number
# is the kind of information published.
PUBLISHING_VERBS = lazy_re.compile(r"公开|发布(?!会)|公布|更新|编发|推送|刊发|上传|报送|转载|录入|登载")
PUBLISHING_FILLER = lazy_re.compile(r"^.*[)）”」》]等|^[^,，;；]*?等(?=[\u4e00-\u9fff])|^[了的各类共计合总\s]+|"
                               r"(?:共计|合计|总计|共|计|达到|达|为|了|\s)+$")     # examples before 等 are no kind

# Metrics whose figure a following 其中… list breaks down, and the rules that may name a part.
# A part no rule names becomes a category of the first metric listed; a total with no listed
# parts (复议 cases by outcome) still keeps other metrics' rules out of its list.
BREAKDOWNS = {
    "proactive.items_total": ("proactive.items_by_category", "proactive.items_by_channel"),
    "requests.received": ("requests.by_channel", *REQUEST_OUTCOMES),
    "requests.handled_total": (*REQUEST_OUTCOMES, "requests.carried_over", "requests.carried_forward"),
    "consultations.total": ("consultations.by_channel",),
    "reconsideration.total": (),
    "litigation.total": (),
}

# Statements of absence: which words name which metric. "申请" is a request only when it is not
# the verb of 申请行政复议, 申请人, or a word before the appeal it qualifies (依申请公开行政复议,
# 公开申请的行政诉讼).
ABSENCE_WORDS = (
    ("reconsideration.total", lazy_re.compile(r"复议")),
    ("litigation.total", lazy_re.compile(r"诉讼|起诉")),
    ("complaints.total", lazy_re.compile(r"投诉|举报")),
    ("consultations.total", lazy_re.compile(r"咨询")),
    ("requests.received", lazy_re.compile(r"(?<!复议)(?<!诉讼)申请(?!人|[^,，、;；。和及与或]{0,6}?(?:复议|诉讼))"
                                          r"|(?:信息)?公开(?:的)?(?:要求|请求)")),   # 没有接到任何公开要求
    ("staff.full_time", lazy_re.compile(r"(?:专职|全职)(?:工作)?人员")),
)
RECEIVED = lazy_re.compile(_RECEIVED)
# Messages people sent to a mailbox or a message board: neither information published nor
# requests for disclosure, nor what a sentence counting them goes on to break down (其中局长信箱…,
# 答复…, 含投诉…) unless it names a request or a consultation.
MESSAGES = lazy_re.compile(r"留言|来信|信箱")
NOT_MESSAGES = lazy_re.compile(r"申请|咨询")
FEES_ABSENT = lazy_re.compile(r"(?:不|均不)(?:收取|收费)|(?:未|没有|无|免于|(?<!减)免|不再|不存在)[^,，;；。]{0,20}?(?:收取|收费|收过|收缴)|免费(?!自助|复印|打印|上网|无线|WiFi|wifi|停车|饮水|发放|赠送|领取)|收费(?:情况)?(?:为|是)?[:：]?\s*(?:零|无|0)")
ABOUT_DISCLOSURE_FEES = lazy_re.compile(_ABOUT_DISCLOSURE_FEES)
