"""Figures from a free-text report: each number the report states for its year, with the
metric the words before it name (metrics.RULES), its unit, qualifier and sentence.

Numbers that are not this year's figures are left out: those compared with or stated for
another year (比上年增长, 2012年为…), and everything in the problems and improvements sections
(plans are not figures). Statements of absence (未收到申请, 行政复议：无) are zero figures."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from . import lazy_re
from .metrics import (
    ABOUT_DISCLOSURE_FEES, ABSENCE_WORDS, BREAKDOWNS, FEES_ABSENT, FIRST_TABLE_YEAR, GENERIC_INFORMATION, ITEMS,
    MESSAGES, NOT_MESSAGES, PUBLISHING_FILLER, PUBLISHING_VERBS, RECEIVED, REQUEST_OUTCOMES, RULES, TABLE_ERA_ONLY,
    Rule, channel_of,
)
from .quantities import Quantity, find_quantities
from .record import Figure, Section

SKIPPED_KINDS = ("problems", "improvements")
_SENTENCE = lazy_re.compile(r"[^。！？!?\n]+")
_CLAUSE_END = lazy_re.compile(r"[,，;；]")
_PART_SEPARATOR = lazy_re.compile(r"[,，;；、]")
_BREAKDOWN_WORDS = r"其中|包括|分别为|分别是|含|从内容(?:分类|上)?看|按(?:内容|类别)(?:分|划分)|主要类别(?:有|为|是)|具体(?:为|是|如下)"
_BREAKDOWN_START = lazy_re.compile(_BREAKDOWN_WORDS + r"|^\s*[(（]")
_BROKEN_DOWN = lazy_re.compile(r"\s*[,，:：]?\s*(?:" + _BREAKDOWN_WORDS + r"|[(（])")   # what follows a total
# "已答复的申请中:", "行政诉讼案件中,": what the numbers after it break down
_PART_OF = lazy_re.compile(r"[\s,，]*(?:其中|包括)")                  # a sentence of parts ("其中，微信发布…"): no total
_AMONG = lazy_re.compile(r"([^,，;；:：]{2,20})中[,，:：]")
# "各确定1名": a number for each of several units, not a total
_EACH_WORD = lazy_re.compile(r"各(?!类|级|项|种|地|部门|单位|乡镇|街道|处室|方面)")
_EACH = lazy_re.compile(_EACH_WORD.pattern + r"[\u4e00-\u9fff]{0,3}$")
_RATE = lazy_re.compile(r"(?:日均|月均|周均|平均每[日天月周]|每[日天月周]平均|每[日天月周])[^,，;；]{0,20}$")   # a rate, not a count
_COMPARISON = lazy_re.compile(
    r"上年(?!度?(?:结转|转结))|去年|上一年(?!度?(?:结转|转结))|前一年|同比|环比|同期|(?:比|较)[^,，;；]{0,10}?(?:增|减|多|少|提高|下降|上升)"
    r"|增长|增加|减少|下降|增幅|降幅|持平|翻番"
)
# "2012年" before a number, unless inside a title, part of a date (2014年5月) or of a comparison
_YEAR_MENTION = lazy_re.compile(r"(?<![比较与同])((?:19|20)\d\d)\s*(?:年度|年)(?!\s*\d{1,2}\s*月)")
_YEAR_OK = lazy_re.compile(r"累计|以来|截至|截止")
_TITLED = lazy_re.compile(r"《[^》]*》|〔[^〕]*〕")
_FILLER = lazy_re.compile(
    r"(?:全年|本年度|本年|今年|年内|共计|合计|总计|共|计|达到|达|为|是|另有|有|另|约|其中|分别|各|均|:|：|\s)*"
)
_LIST_MARKER = r"(?:[①-⑳]|\d{1,2}\s*[.、．]|[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）])"
_LIST_LINE = lazy_re.compile(rf"^{_LIST_MARKER}?\s*[^,，。;；:：]{{1,24}}[:：]\s*[^。;；]{{1,30}}$")
_SUB_HEADING = lazy_re.compile(r"^[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")
_LABEL_LEAD = lazy_re.compile(
    rf"^[\s,，、;；:：(（]*{_LIST_MARKER}?[\s,，、:：(（]*(?:其中|包括|含|另有)?[\s,，:：]*(?:属于|因|对)?[“”‘’\"'\s]*"
)
_LABEL_TAIL = lazy_re.compile(
    r"[“”‘’\"'\s]*(?:的|共计|共有|共|为|达到|达)?[\s:：]*(?:无法提供|不予公开|不予处理)?(?:的)?[\s:：]*$"
)
# A sentence that only says "none": it speaks of what the sentence before it names.
_BARE_ABSENCE = lazy_re.compile(r"^(?:无|暂无|没有|均无|无此类?情况|无相关情况|本年度无|全年无|为零|零)$")
_NEGATION = lazy_re.compile(
    r"(?:未|没有|并未|尚未|均未|从未|无)(?:因[^,，;；]{0,15}?)?被?(?:发现|再)?"
    r"(?:收到|接到|受理|接收|发生|出现|产生|有过|有|提起|提出|涉及)"
    r"|(?:无|不存在)(?=(?:行政)?(?:复议|诉讼|投诉|举报|咨询|申请))|(?:未|没有|无)(?=依申请)"
    r"|(?:无|没有|未发生|不存在)(?:因|由于|涉及)[^,，;；。]{0,20}?(?:引起|引发|导致|提起)的?(?=(?:行政)?(?:复议|诉讼|投诉|举报))"
    r"|(?:无|没有)(?=[^,，;；。]{0,20}?(?:行政复议|行政诉讼))"     # 没有政府信息公开行政复议、行政诉讼
    r"|(?:没有|无|未配备|未设)(?=[^,，;；。]{0,16}?(?:专职|全职)(?:工作)?人员)"     # 没有…全职人员
)
_ZERO_AFTER = lazy_re.compile(r"(?:(?:为|是|[:：])\s*(?:无|零|0)|(?<=情况)无)\s*$")
_ALL_ZERO = lazy_re.compile(r"均(?:为|是)?\s*(?:无|零|0)(?![\d.])")
_AFTER_RULES = [r for r in RULES if r.after]
_RULES_OF: dict[str, list[Rule]] = {}
for _rule in RULES:
    _RULES_OF.setdefault(_rule.metric, []).append(_rule)


@functools.cache
def _rules_by_unit(unit: str) -> list[Rule]:
    return [r for r in RULES if unit in r.units]


_CHANNELS: dict[str, list[Rule]] = {}
for _rule in RULES:
    if _rule.channel:
        _CHANNELS.setdefault(_rule.metric, []).append(_rule)
_PUBLICATION_CHANNELS = _CHANNELS["proactive.items_by_channel"]
_COLON = lazy_re.compile(r"[:：]")
_ASIDE = lazy_re.compile(r"[(（]")
_PROACTIVE_PART = lazy_re.compile(r"^主动公开(?:的)?(?:政府)?(?:信息)?$")
# A group of new-media channels named as one ("官方微博、微信等新媒体渠道"); not 其他方式, and not a
# list that names the website (most of everything goes through it: that is the total).
_OUTLET_GROUP = lazy_re.compile(r"等\s*((?:政务)?新媒体(?:平台|账号|渠道|方式|矩阵)?)")
_PARTS_END = lazy_re.compile(r"[;；]")
_LIST_WORD = lazy_re.compile(r"分别|" + _EACH_WORD.pattern)
_FEES_WORD = lazy_re.compile(r"收费|费用")
_ABSENCE_METRICS = {metric for metric, _ in ABSENCE_WORDS}
_MAY_BE_ABSENCE = lazy_re.compile(r"[未没无零0]|不存在")
_SPENDING = lazy_re.compile(r"支出|经费")
_ADOPTED = lazy_re.compile(r"采用|采纳|录用|刊用")
_LISTED = ("proactive.items_by_category", "regulations.issued", "normative_docs.issued")  # kinds may follow bare
_ACCOUNTS = lazy_re.compile(r"(?:微博|微信|公众号|账号|新媒体|抖音号|头条号)\s*\d+\s*[个家]")   # "微博29个": outlets, not posts
_AS_OF_NOW = lazy_re.compile(r"截[至止](?:目前|发文|今|现在)")
_COLUMNS = lazy_re.compile(r"[^,，;；。]{0,8}?(?:栏目|板块|版块|专栏|专题|频道)")
_CLASSED = lazy_re.compile(r"(?:不予公开|依申请公开|免予公开)(?:的)?(?:政府)?信息(?:数|总数)?(?:有|共|为)?[\s:：]*$")
_MATTERS = lazy_re.compile(r"事项[\s:：]*$")
_NOT_A_KIND = lazy_re.compile(r"收到|受理|接收|办结|办理|答复|回复|开展|举办|召开|接待")   # an action, not a kind of information
_NAME_LEAD = lazy_re.compile(r"^(?:分别)?(?:包括|发布(?!会))")      # "发布通知通告12条": the kind is 通知通告
_NOT_A_NAME = lazy_re.compile(r"^(?:通过|经由|在|共|其中)|依法|包括|发布(?!会)|计为?$")   # words of a sentence, not a name
_KIND_OF_INFORMATION = lazy_re.compile(r"(?:类|类信息|类的信息|方面的?信息)[\s:：]*$")
_COUNT_BEFORE = lazy_re.compile(r"\d")
_WORDS_OR_DIGITS = lazy_re.compile(r"[\u4e00-\u9fff\d]")
_OUTLET_FROM = ("在", "通过", "于", "经", "利用", "依托", "借助", "依靠")
_NOT_HAN = lazy_re.compile(r"[^\u4e00-\u9fff]")
_OUTLET_LENGTH = 14
_OUTLET_TAIL = lazy_re.compile(r"[\u4e00-\u9fff]{0,3}?(?=(?:依法|主动|及时|集中|共|累计)*(?:公开|发布|刊登|刊发|推送|公布|更新|编发)|上|中|等|和|及|[^\u4e00-\u9fff]|$)")
_WINDOW = 200          # how far back a number's words are looked for: a long line costs linear time


@dataclass
class _State:
    """What a sentence inherits from those before it in the same section."""

    section: int | None = None
    parent: str | None = None           # the last total a 其中 list may break down
    previous: str = ""                  # the previous sentence (for bare "无。")
    following: str = ""                 # the next sentence (a 其中 list may open it)
    found: list[Figure] = field(default_factory=list)
    channel_counts: list[int] = field(default_factory=list)   # counts through one channel that may be the total
    outlets: dict[int, str] = field(default_factory=dict)    # a by-channel figure's outlet as written (县政府门户网站)


def find_figures(text: str, sections: list[Section], year: int | None) -> list[Figure]:
    """Every figure stated in the report's text, in the order stated."""
    state = _State()
    starts = [s.start for s in sections]
    matches = list(_SENTENCE.finditer(text))
    for index, match in enumerate(matches):
        sentence = match.group(0)
        state.following = matches[index + 1].group(0) if index + 1 < len(matches) else ""
        start = match.start() + len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()
        if not sentence:
            continue
        section = bisect.bisect_right(starts, start) - 1
        section = section if section >= 0 else None
        if section != state.section or _SUB_HEADING.match(sentence):
            state.section, state.parent = section, None
        kind = sections[section].kind if section is not None else None
        if kind not in SKIPPED_KINDS:
            _numbers(sentence, start, kind, year, state)
            _absences(sentence, start, kind, state)
        state.previous = sentence
    _outlets_apart(state)
    _channel_total(state)
    return _tidy(state.found)


def _add(state: _State, sentence: str, start: int, metric: str, q: Quantity | None,
         category: str | None = None, clause: str = "") -> None:
    category = _NAME_LEAD.sub("", category) if category else category
    if category and _NOT_A_NAME.search(category):
        return          # a clause read as a name ("通过…网公开", "不同渠道发布的同一信息计"): no figure rather than a wrong one
    value, unit, qualifier, value_max = (q.value, q.unit, q.qualifier, q.value_max) if q else (0, None, "exact", None)
    figure = Figure(metric=metric, value=value, unit=unit, qualifier=qualifier, category=category, evidence=sentence,
                         start=start, end=start + len(sentence), section=state.section, value_max=value_max,
                         channel=channel_of(metric, category))
    state.found.append(figure)
    if figure.channel and clause:
        outlet = _outlet(metric, figure.channel, clause)
        if outlet:
            state.outlets[id(figure)] = outlet


def _numbers(sentence: str, start: int, kind: str | None, year: int | None, state: _State) -> None:
    quantities = find_quantities(sentence)
    if not quantities:
        return
    other_year = _OtherYear(sentence, year)
    counts = sum(1 for other in quantities if other.unit in ITEMS)
    opening = sentence.lstrip(" ,，:：(（")
    in_breakdown = bool(state.parent) and bool(_BREAKDOWN_START.match(opening) or _LIST_LINE.match(sentence))
    previous_end = 0
    pending: list[tuple[str, str | None]] = []     # metrics a 分别 list still has to fill
    listing = False                                # the last part was a kind of information published
    rate_words = ""                                # the words of a rate just stated (日均…)
    messages = False                               # the sentence counts messages sent in (留言, 信箱)
    for i, q in enumerate(quantities):
        since_previous = sentence[previous_end:q.start]
        clause = since_previous[_last_boundary(since_previous):]
        following = quantities[i + 1].start if i + 1 < len(quantities) else len(sentence)
        rest = sentence[q.end:following]
        after = rest[:_first_boundary(rest)]
        previous_end = q.end
        if state.parent and _BREAKDOWN_START.search(since_previous) and (
                state.parent == "proactive.items_total" or not re.match(r"\s*[(（]", since_previous)):
            in_breakdown = True          # brackets break down a count of information, not of requests
        among = _AMONG.search(since_previous)
        if among:
            last = state.found[-1] if state.found and state.found[-1].start == start else None
            # "…425条政府信息中，…": the count just stated is what the list breaks down
            named = _total_named(among.group(1)) or (last.metric if last and last.metric in BREAKDOWNS
                                                      and not _COUNT_BEFORE.search(among.group(1)) else None)
            if named:
                state.parent, in_breakdown = named, True
        messages = messages or bool(MESSAGES.search(clause) and not NOT_MESSAGES.search(clause))
        if rate_words and _FILLER.fullmatch(clause):
            since_previous = rate_words + since_previous    # "日均接待咨询7人次,全年1700余人次": the rate's words count the year too
        rate_words = since_previous if _RATE.search(clause) else ""
        if _COMPARISON.search(clause) or other_year(q.start) or _EACH.search(clause) or rate_words \
                or q.unit == "个" and _COLUMNS.match(after) or q.unit == "项" and _MATTERS.search(clause):
            continue          # "…等13个政府信息公开板块", "依申请事项1209项": a website's columns, services listed
        if _LIST_WORD.search(clause):
            pending = _listed_metrics(clause, sentence, q)
        if pending:
            each = bool(_EACH_WORD.search(clause))
            for metric, category in (pending if each else pending[:1]):
                _add(state, sentence, start, metric, q, category)
            pending = [] if each else pending[1:]
            continue
        parent = state.parent if in_breakdown else None
        bare = _bare_kind(clause) if listing and q.unit in ITEMS and not PUBLISHING_VERBS.search(clause) else None
        if bare and _KIND_OF_INFORMATION.search(clause):
            matched = ("proactive.items_by_category", bare)       # "…类信息211条，政策、规范性文件类信息82条"
        else:
            matched = _match(clause, since_previous, after, rest, sentence, kind, q, parent)
        if matched is None and bare:
            matched = ("proactive.items_by_category", bare)       # "…概况性信息3条,人事信息7条"
        if matched is None:
            continue
        metric, category = matched
        if messages and metric.split(".")[0] in ("proactive", "requests", "complaints") \
                and not NOT_MESSAGES.search(clause):
            continue
        following_q = quantities[i + 1] if i + 1 < len(quantities) else None
        metric, category = _publication(metric, category, clause, since_previous, sentence, q, state, counts,
                                        following_q)
        if metric is None:
            continue
        if _AS_OF_NOW.search(since_previous):
            if not metric.startswith("proactive."):
                continue         # "截至目前共收到15564件": counted since a service began, not this year
            if metric.startswith("proactive.items") and PUBLISHING_VERBS.search(clause):
                metric, category = "proactive.items_cumulative", None     # "截至发文之日，共公开…90份"
        last = state.found[-1] if state.found and state.found[-1].start == start else None
        if metric == "proactive.normative_documents" and last and last.metric in TABLE_ERA_ONLY:
            metric = "normative_docs.issued"     # "制发…规章0件、…行政规范性文件7件": the list's own verb
        elif metric == "proactive.normative_documents" and year is not None and year >= FIRST_TABLE_YEAR:
            # the tables count normative documents as made (本年制发); the prose counts them published
            metric, category = "proactive.items_by_category", _published_kind(clause) or _bare_kind(clause) or "规范性文件"
        if metric in TABLE_ERA_ONLY and (year is None or year < FIRST_TABLE_YEAR):
            metric = TABLE_ERA_ONLY[metric]          # before the standard tables, no such metric
            if metric is None:
                continue
        if _CLASSED.search(clause) and not RECEIVED.search(clause) and (
                metric.startswith("proactive.") or metric == "requests.received"):
            continue        # "作为依申请公开信息数46条", "不予公开信息有10条": how information was classed
        if metric in REQUEST_OUTCOMES and sum(1 for m in REQUEST_OUTCOMES
                                              if any(r.cue.search(clause) for r in _RULES_OF[m])) > 1:
            continue        # "予以公开及部分公开的42件": two outcomes in one number, neither alone
        if metric == "proactive.items_adopted":
            category = category or _adopter(clause, sentence)
        listing = not in_breakdown and metric in _LISTED
        _add(state, sentence, start, metric, q, category, clause)
        for joint in _zero_together(metric, clause, q):
            _add(state, sentence, start, joint, q)
        if metric in BREAKDOWNS:
            state.parent, in_breakdown = metric, False
        elif metric == "proactive.items_by_channel" and _broken_down_next(sentence, q, state.following):
            state.parent, in_breakdown = "proactive.items_total", False    # what went through it, by kind
        elif in_breakdown and metric not in BREAKDOWNS.get(state.parent, ()):
            in_breakdown = False


def _zero_together(metric: str, clause: str, q: Quantity) -> list[str]:
    """A zero said of several things at once ("行政复议、行政诉讼和申诉案件0件") is a zero for
    each of them the clause names beside `metric` (a number above zero is no one's alone)."""
    if q.value != 0 or metric not in _ABSENCE_METRICS:
        return []
    return [other for other, words in ABSENCE_WORDS if other != metric and words.search(clause)]


def _last_boundary(text: str) -> int:
    ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    return ends[-1] if ends else 0


def _first_boundary(text: str) -> int:
    m = _PART_SEPARATOR.search(text)
    return m.start() if m else len(text)


class _OtherYear:
    """Whether a number in a sentence is stated for a year other than the report's: the last
    year the sentence names before it (outside titles, dates and comparisons) is another year,
    with no 累计/截至 between. Built once a sentence, each question answered by bisection, so a
    long line costs linear time."""

    def __init__(self, sentence: str, year: int | None):
        self.year = year
        if year is None:
            return
        blanked = _TITLED.sub(lambda m: " " * len(m.group(0)), sentence)
        self.mentions = [(m.start(), m.end(), int(m.group(1))) for m in _YEAR_MENTION.finditer(blanked)]
        self.starts = [start for start, _, _ in self.mentions]
        self.oks = [m.start() for m in _YEAR_OK.finditer(blanked)]

    def __call__(self, position: int) -> bool:
        if self.year is None:
            return False
        index = bisect.bisect_right(self.starts, position) - 1
        while index >= 0 and self.mentions[index][1] > position:
            index -= 1                   # a mention the number is part of is no mention before it
        if index < 0:
            return False
        start, _, named = self.mentions[index]
        ok = bisect.bisect_left(self.oks, start)
        return named != self.year and not (ok < len(self.oks) and self.oks[ok] < position)


def _publication(metric: str, category: str | None, clause: str, since_previous: str, sentence: str,
                 q: Quantity, state: _State, counts: int, following: Quantity | None) -> tuple[str | None, str | None]:
    """A count of information published, placed (None: it is no figure):

    - the first count the report states is the total when a 其中 list breaks it down, or when it
      names several channels at once (网站、微信公众号发布各类信息2.96万条);
    - a count naming one kind of information (发布政策解读信息23条) is a category where a total is
      stated or the sentence lists several; a count through one channel is that channel's part
      (and, in the end, the total if the report counts nothing else: _channel_total);
    - a part that is what was published proactively (公开信息687条，其中主动公开668条) is the total,
      and the count it is part of (everything disclosed) no figure;
    - another "total" once the total is stated is a part: a category named by who published it
      (各乡镇主动公开政府信息122条), or of the one channel it names; with neither, no figure."""
    if metric not in ("proactive.items_total", "proactive.items_by_channel", "proactive.items_by_category"):
        return metric, category
    total = next((f for f in state.found if f.metric == "proactive.items_total"), None)
    if metric == "proactive.items_by_category" and _PROACTIVE_PART.match(category or "") \
            and total is not None and total.evidence == sentence:
        state.found.remove(total)       # "公开信息687条，其中主动公开668条，依申请公开19条": 668 is the year's total
        return "proactive.items_total", None
    kind = _published_kind(clause)
    channels = _channels_named(clause)
    if metric in ("proactive.items_total", "proactive.items_by_category") and not channels \
            and _ACCOUNTS.search(since_previous):
        named = _channels_named(since_previous)
        if len(named) == 1:
            # "其中微博29个，共发布信息1992条": the channel named since the last number
            metric, category = "proactive.items_by_channel", named.pop()
    if metric == "proactive.items_by_category" and not channels:
        return metric, category
    if metric != "proactive.items_by_channel" and len(channels) == 1 and not kind:
        metric, category = "proactive.items_by_channel", next(iter(channels))   # only a quoted name vetoed it
    if total is None and _broken_down(sentence, q):
        return "proactive.items_total", None
    if len(channels) > 1:       # several channels at once: the total (perhaps said again), or a count of them together
        group = _OUTLET_GROUP.search(clause)
        if group and "网站" not in channels:
            return "proactive.items_by_channel", group.group(1)   # "官方微博、微信等新媒体渠道": the group as written
        if total is None and not state.channel_counts or total is not None and (
                q.value, q.qualifier) == (total.value, total.qualifier):
            return "proactive.items_total", None
        return "proactive.items_by_channel", "其他"
    if kind and (total is not None or counts > 1 or state.channel_counts) and (
            metric in ("proactive.items_total", "proactive.items_by_category") or _kinds_follow(sentence, q, following)
            or total is not None and counts == 1 and category == "网站"):
        # "通过网站公开各类统计信息314条": most of everything goes through the website, so once the
        # total is known the kind is what such a count says; through another outlet, it is that outlet's part
        return "proactive.items_by_category", kind
    if metric == "proactive.items_by_category":
        return "proactive.items_by_channel", next(iter(channels))   # a part named by the channel it went through
    if metric == "proactive.items_by_channel":
        if total is None and not kind:
            state.channel_counts.append(len(state.found))
        elif total is not None and (q.value, q.qualifier) == (total.value, total.qualifier):
            return "proactive.items_total", None     # the total said again, naming where it went
        return metric, category
    if total is not None and q.value != total.value:
        channel = _single_channel(sentence[max(0, q.start - _WINDOW):q.start])
        if channel:
            return "proactive.items_by_channel", channel
        who = _publisher(clause)
        return ("proactive.items_by_category", who) if who else (None, None)
    return metric, category


def _broken_down(sentence: str, q: Quantity) -> bool:
    """A 其中/包括 list of counts follows the number: it is their total. A list of kinds with no
    counts ("856条,包括科学研究进展、人事人才等") breaks nothing down."""
    if not _BROKEN_DOWN.match(sentence, q.end):
        return False
    end = _PARTS_END.search(sentence, q.end)
    return bool(_COUNT_BEFORE.search(sentence, q.end, end.start() if end else len(sentence)))


def _broken_down_next(sentence: str, q: Quantity, following: str) -> bool:
    """The number ends its sentence and the next one opens with a 其中 list of counts
    ("…网站主动公开政府信息267条。其中：概况类信息11条，…"): the list breaks it down."""
    if _WORDS_OR_DIGITS.search(sentence, q.end) or not _BREAKDOWN_START.match(following.lstrip(" ,，:：")):
        return False
    end = _PARTS_END.search(following)
    return bool(_COUNT_BEFORE.search(following, 0, end.start() if end else len(following)))


def _channels_named(text: str) -> set[str]:
    """The publication channels a text names, outside the names in quotes (微信公众号“靖安县政府网”)
    unless only a quoted name says it (在“广州金盾网”…)."""
    unquoted = re.sub(r"“[^”]*”|《[^》]*》", "", text)
    named = {rule.channel for rule in _PUBLICATION_CHANNELS if rule.cue.search(unquoted)}
    return named or {rule.channel for rule in _PUBLICATION_CHANNELS if rule.cue.search(text)}


def _kinds_follow(sentence: str, q: Quantity, following: Quantity | None) -> bool:
    """The sentence goes on to count other kinds through no channel of their own: the channel
    named before this count scopes a list of kinds ("…网站主动公开行政处罚信息47条，行政许可信息
    1143条")."""
    if following is None or following.unit not in ITEMS:
        return False
    return not _channels_named(sentence[q.end:following.start])


def _adopter(clause: str, sentence: str) -> str | None:
    """Who adopted the items, where a sentence counts several adopters ("被中央级媒体采用41条，
    省级媒体采用379条"): a category each."""
    if len(_ADOPTED.findall(sentence)) < 2:
        return None
    found = re.findall(r"(?:^|被|[,，:：、])(?:其中[,，]?)?被?([\u4e00-\u9fff]{2,10}?)(?:采用|采纳|录用|刊用)", clause)
    adopter = found[-1] if found else None
    return adopter if adopter and not re.search(r"[我本该]", adopter) else None


def _publisher(clause: str) -> str | None:
    """Who published a part of the total: the words before the verb ("各乡镇主动公开…" → 各乡镇);
    none for the whole (全区) or where the words are no one's name."""
    verbs = list(PUBLISHING_VERBS.finditer(clause))
    before = clause[:verbs[-1].start()] if verbs else ""
    before = re.split(r"[()（）。]|(?:19|20)\d\d年度?", before)[-1]
    who = re.sub(r"^[\s,，、;；:：]*(?:全年|本年度?|今年)?[\s,，]*|(?:主动|共|累计|已|均)+$", "", before)
    if not re.fullmatch(r"[\u4e00-\u9fff、]{2,16}", who) or re.search(r"^全|[我本该]", who):
        return None
    return who


def _channel_total(state: _State) -> None:
    """The first count through one channel is the report's total when the report states no
    other total and its section counts no other channel, unless its sentence opens with 其中
    (a part of a total stated in words), or when it is the total stated again."""
    total = next((f for f in state.found if f.metric == "proactive.items_total"), None)
    if total is not None:
        for index in state.channel_counts:
            figure = state.found[index]
            if figure.value == total.value and figure.qualifier == total.qualifier:
                figure.metric, figure.category = "proactive.items_total", None    # a repeat: _tidy drops it
        return
    for index in state.channel_counts:
        figure = state.found[index]
        others = {f.category for f in state.found if f.metric == "proactive.items_by_channel"
                  and f.section == figure.section and f.category != figure.category}
        if not others and not _PART_OF.match(figure.evidence):
            figure.metric, figure.category = "proactive.items_total", None
        return


def _outlet(metric: str, channel: str, clause: str) -> str | None:
    """The outlet a by-channel count names, as written: the channel's last words in the clause
    with the words of whose it is before them, back to 在/通过 or the clause's start
    ("在县政府门户网站公开…" → 县政府门户网站)."""
    rule = next((r for r in _CHANNELS[metric] if r.channel == channel and not r.as_written), None)
    found = list(rule.cue.finditer(clause)) if rule else []
    if not found:
        return None
    tail = _OUTLET_TAIL.match(clause, found[-1].end())
    end = found[-1].end() + (len(tail.group(0)) if tail else 0)
    head = clause[:found[-1].start()]
    cut = max([head.rfind(word) + len(word) for word in _OUTLET_FROM if word in head]
              + [m.end() for m in _NOT_HAN.finditer(head)] + [0])
    return clause[cut:end] if end - cut <= _OUTLET_LENGTH else clause[found[-1].start():end]


def _outlets_apart(state: _State) -> None:
    """Counts through different outlets of one channel (the county's website, the city's, the
    bureau's own) stay apart: each takes its outlet's name as its category."""
    by_channel: dict[tuple, list[Figure]] = {}
    for f in state.found:
        if f.channel and f.category == f.channel:
            by_channel.setdefault((f.metric, f.channel), []).append(f)
    for same in by_channel.values():
        names = [state.outlets.get(id(f)) for f in same]
        if len({(f.value, f.qualifier) for f in same}) > 1 and all(names) and len(set(names)) == len(same):
            for f, name in zip(same, names):
                f.category = name


def _published_kind(clause: str) -> str | None:
    """The kind of information a publication count names between its verb and its number
    ("发布政策解读信息" → 政策解读信息), or None for information in general."""
    verbs = list(PUBLISHING_VERBS.finditer(clause))
    if not verbs:
        return None
    label = PUBLISHING_FILLER.sub("", re.split(r"[:：]", clause[verbs[-1].end():])[-1]).strip()   # "…类别有：X"
    if not label or len(label) > 24 or GENERIC_INFORMATION.match(label) or re.search(r"\d", label):
        return None
    return label


def _bare_kind(clause: str) -> str | None:
    """A kind of information named alone in a list ("人事信息" in "…3条,人事信息7条")."""
    label = PUBLISHING_FILLER.sub("", _LABEL_LEAD.sub("", clause, count=1)).strip()
    if not label or len(label.replace("、", "")) > 24 or GENERIC_INFORMATION.match(label) or re.search(r"[\d:：]", label) \
            or _NOT_A_KIND.search(label):
        return None
    return label


def _single_channel(text: str) -> str | None:
    named = {rule.channel for rule in _PUBLICATION_CHANNELS if rule.cue.search(text)}
    return named.pop() if len(named) == 1 else None


def _match(clause: str, since_previous: str, after: str, rest: str, sentence: str, kind: str | None,
           q: Quantity, parent: str | None) -> tuple[str, str | None] | None:
    """The metric (and category) of quantity `q`, or None when no rule names it."""
    for rule in _AFTER_RULES:
        if rule.cue.match(after) and _fits(rule, after, sentence, kind, q, parent):
            return rule.metric, rule.category
    children = BREAKDOWNS.get(parent, ())
    if parent:
        for rule in _hits(clause, q):
            if rule.metric in children and _allowed(rule, clause, sentence, kind, parent):
                return rule.metric, _category(rule, clause)
    if children and children[0].endswith("_by_category") and q.unit in ITEMS and _KIND_OF_INFORMATION.search(clause):
        label = _label(clause)       # "政策、规范性文件类信息21条": a kind in the list, whatever words it holds
        if label:
            return children[0], label
    for rule in _hits(clause, q):
        # inside a 其中 list, rules that depend on context would misread a part's label
        if (not parent or rule.context is None) and _allowed(rule, clause, sentence, kind, parent):
            return rule.metric, _category(rule, clause)
    if children and children[0].endswith("_by_category") and q.unit in ITEMS:
        label = _label(clause)
        if label:
            return children[0], label
    # a bare clause ("另有1件…", "总计…") takes its words from around the number; a bare
    # "其中" is a part of something no rule names
    after = _ASIDE.split(after, 1)[0]     # "35件(包含上年度结转的3件)": the bracket speaks of a part
    if _BREAKDOWN_START.search(clause):
        windows = (clause + after,)
    elif _FILLER.fullmatch(clause):
        windows = (since_previous, rest)
    else:
        windows = (clause + after,)
    for window in windows:
        for rule in _hits(window, q):
            if _allowed(rule, window, sentence, kind, parent):
                return rule.metric, _category(rule, window)
    return None


def _total_named(text: str) -> str | None:
    """The total a phrase like "已答复的申请" or "行政复议案件" names, if any."""
    for metric in BREAKDOWNS:
        for rule in _RULES_OF[metric]:
            if rule.cue.search(text):
                return metric
    return None


def _hits(window: str, q: Quantity):
    """The rules, in order, whose unit fits `q` and whose cue is in `window`."""
    return (rule for rule in _rules_by_unit(q.unit) if rule.cue.search(window))


def _fits(rule: Rule, window: str, sentence: str, kind: str | None, q: Quantity,
          parent: str | None) -> bool:
    return q.unit in rule.units and bool(rule.cue.search(window)) and _allowed(rule, window, sentence, kind, parent)


def _allowed(rule: Rule, window: str, sentence: str, kind: str | None, parent: str | None) -> bool:
    """Whether a rule whose cue matched applies here (its context, its channel alone)."""
    if rule.channel and any(other.channel != rule.channel and other.cue.search(window)
                            for other in _CHANNELS[rule.metric]):
        return False        # "通过电话、现场和网上等方式" names the channels of a total
    if kind in rule.not_in or rule.metric == parent:
        return False        # a part of a total is not that total again
    if rule.unless and rule.unless.search(window):
        return False
    if rule.context is None or rule.metric in BREAKDOWNS.get(parent, ()):
        return True
    if kind in rule.kinds:
        return True
    return bool(rule.context.search(window if rule.clause_context else sentence))


def _category(rule: Rule, clause: str) -> str | None:
    if rule.as_written:
        named = [m.group(0) for m in rule.cue.finditer(clause)]
        return named[-1] if named else None
    if rule.category or not rule.reason:
        return rule.category
    label = _label(clause)
    if not label or (rule.generic and rule.generic.search(label)):
        return None
    return label


def _label(clause: str) -> str:
    label = _COLON.split(clause)[-1] or clause      # "属于无法提供的:信息不存在" → the reason
    label = _LABEL_LEAD.sub("", label, count=1)
    return _LABEL_TAIL.sub("", label, count=1)


def _listed_metrics(clause: str, sentence: str, q: Quantity) -> list[tuple[str, str | None]]:
    """Metrics named in order before 分别/各 ("行政复议和行政诉讼分别为2件、1件")."""
    head = _LIST_WORD.split(clause)[0]
    spans = []
    for rule in RULES:
        if q.unit not in rule.units:
            continue
        for m in rule.cue.finditer(head):
            if not any(a < m.end() and m.start() < b for a, b, *_ in spans):
                if rule.context is None or rule.context.search(sentence):
                         spans.append((m.start(), m.end(), rule.metric, rule.category))
    return [(metric, category) for _, _, metric, category in sorted(spans)] if len(spans) > 1 else []


def _absences(sentence: str, start: int, kind: str | None, state: _State) -> None:
    """Zero figures from statements that something did not happen or was not received."""
    if not _MAY_BE_ABSENCE.search(sentence) and not FEES_ABSENT.search(sentence):
        return
    scopes = []
    if _BARE_ABSENCE.match(sentence.rstrip("。.;；")):
        scopes.append(state.previous)
    for m in _NEGATION.finditer(sentence):
        end = _CLAUSE_END.search(sentence, m.start())
        scopes.append(sentence[m.start():end.start() if end else len(sentence)])
    for clause in _clauses(sentence):
        if _ZERO_AFTER.search(clause) or _ALL_ZERO.search(clause):
            scopes.append(clause)
    scopes = [scope for scope in scopes if not _SPENDING.search(scope)]   # "…有关的费用支出：无"
    metrics = []
    for scope in scopes:
        for metric, words in ABSENCE_WORDS:
            if words.search(scope) and metric not in metrics:
                metrics.append(metric)
    about_fees = kind == "fees" or ABOUT_DISCLOSURE_FEES.search(sentence)
    if about_fees and (FEES_ABSENT.search(sentence) or (scopes and _FEES_WORD.search(" ".join(scopes)))):
        metrics.append("fees.collected_yuan")
    for metric in metrics:
        _add(state, sentence, start, metric, None)


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c]


def _tidy(figures: list[Figure]) -> list[Figure]:
    """Drop repeats of a figure already stated, and statements of absence where the report also
    states a number for the metric; a reason is a category only beside others."""
    stated = {(f.metric, f.category) for f in figures if f.unit is not None}
    seen, kept = set(), []
    for f in figures:
        key = (f.metric, f.category, f.value, f.qualifier, f.value_max)
        if key in seen or (f.unit is None and (f.metric, f.category) in stated):
            continue        # a repeat, or a statement of absence beside a stated number
        seen.add(key)
        kept.append(f)
    for metric in REQUEST_OUTCOMES:
        same = [f for f in kept if f.metric == metric]
        if len(same) == 1:
            same[0].category = None
    return kept
