"""Find the quantities in a sentence: a number, its unit and its qualifier ("约为6万人次",
"50余人次", "30至50人次", "三百六十二条"), leaving out what only looks like one: ordinals
(第9条), numbers inside 《titles》 and “quotes”, percentages, durations (15个工作日)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lazy_re
from .numbers import QUALIFIERS_AFTER, QUALIFIERS_BEFORE, NumberError, parse_number

COUNT_UNITS = (
    "人次", "万元", "亿元", "元", "条次", "条", "件", "次", "个", "份", "人", "名", "部", "篇", "期",
    "项", "场", "家", "户", "批", "起", "宗", "例", "封", "本", "册", "位", "套", "张", "卷",
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[百千万亿]*|[零〇一二两三四五六七八九十百千万亿]+"
_BEFORE = lazy_re.compile("(?:%s)了?$" % "|".join(sorted(QUALIFIERS_BEFORE, key=len, reverse=True)))
_AFTER = "|".join(sorted(QUALIFIERS_AFTER, key=len, reverse=True))
_QUANTITY = lazy_re.compile(
    rf"(?P<num>{_NUM})"
    rf"(?:(?:至|到|~|～|-|—|－)(?P<num2>{_NUM}))?"
    r"[ \u3000]?"                                                   # "32 件": a space a PDF's text put in
    r"(?P<mid>余|多)?(?P<mult>[万亿](?=余|多|[条件个次人]))?"        # "20余万条"
    rf"(?P<unit>{'|'.join(COUNT_UNITS)})"
    rf"(?P<post>{_AFTER})?"
)
# A number glued to a preceding digit, or a Chinese numeral that is part of a word
# (统一, 唯一, 之一, 同一 …), is not the start of a quantity.
_GLUED = lazy_re.compile(r"[\d.]|[统同唯单之逐归合初周万零〇一二两三四五六七八九十百千亿]")
# Spans whose numbers are never quantities.
_EXCLUDED = lazy_re.compile(
    r"第\s*[\d零〇一二两三四五六七八九十百千]+(?:\s*[、,，和及至到-]\s*[\d零〇一二两三四五六七八九十百千]+)*"
    r"|《[^》]*》|“[^”]*”|〔[^〕]*〕|\[[^\]]*\]"
    r"|(?:\d+(?:\.\d+)?)\s*(?:%|个百分点)|百分之[零〇一二两三四五六七八九十百点]+"
)
# What a unit must not be followed by: then it measures time or share, not a count.
_NOT_A_COUNT_AFTER = lazy_re.compile(r"工作日|月|小时|百分点|季度|年|天|工作|方面|环节|层次|维度|部分|阶段|步骤")
# "12333人力资源…热线": 人 that begins a word (人力, 人民, 人员 …) is not a unit.
_WORD_AFTER_REN = lazy_re.compile(r"[力民员大口社事工]")


_SMALL_CHINESE = lazy_re.compile(r"[一二两三四五六七八九十]")
_COUNTED_NOUN = lazy_re.compile(r"(?:申请|信息|咨询|复议|诉讼|投诉|举报|文件|人次|案件|材料|报告)$")
_STAFF = lazy_re.compile(r"(?:专职|兼职|全职)")      # "一名专职工作人员": people a report counts
_OUTLETS_BEFORE = lazy_re.compile(r"(?:微博|微信|公众号|账号|网站|平台|新媒体|客户端|抖音号|头条号|专栏|栏目|专题|板块)\s*$")
_BODIES = lazy_re.compile(r"(?:[\u4e00-\u9fff]{0,4}?)(?:单位|部门|乡镇|街道|社区|机构|机关|科室|股室|处室|网站|平台|账号|公众号|"
                          r"新媒体|栏目|专栏|板块|版块|模块|窗口|查阅点|站点)")


@dataclass(frozen=True)
class Quantity:
    """A number in the text with its unit and qualifier (约, 以上 …)."""

    value: int | float
    unit: str
    qualifier: str
    start: int            # offsets in the searched text; include the qualifier words
    end: int
    number_start: int
    value_max: int | float | None = None


def find_quantities(text: str) -> list[Quantity]:
    """All quantities stated in `text`, in order."""
    excluded = None
    found = []
    for match in _QUANTITY.finditer(text):
        number_start = match.start("num")
        if number_start and _GLUED.match(text, number_start - 1):
            continue
        if excluded is None:
            excluded = [m.span() for m in _EXCLUDED.finditer(text)]
        if any(a <= number_start < b for a, b in excluded):
            continue
        if _NOT_A_COUNT_AFTER.match(text, match.end("unit")) and not match.group("post"):
            continue
        if match.group("unit") == "人" and _WORD_AFTER_REN.match(text, match.end("unit")):
            continue
        if _rhetorical(match, text):
            continue
        quantity = _quantity(match, _BEFORE.search(text, max(0, number_start - 3), number_start))
        if quantity is not None:
            found.append(quantity)
    return found


def _rhetorical(match: re.Match, text: str) -> bool:
    """"两个关键", "四个载体", "三项制度": a small Chinese numeral counting what follows it,
    unless what follows is something a report counts (申请, 信息, 咨询, 复议 …, 专职人员); and any number
    of 个/家 counting bodies or outlets ("9个单位的网站", "70个新媒体"), never a report's figure."""
    if match.group("unit") in ("个", "家") and (_BODIES.match(text, match.end("unit"))
                                               or _OUTLETS_BEFORE.search(text, 0, match.start("num"))):
        return True                      # "9个单位的网站", "微博29个" (accounts, not posts)
    if not _SMALL_CHINESE.fullmatch(match.group("num")) or match.group("num2") or match.group("post"):
        return False
    following = text[match.end("unit"):match.end("unit") + 12]
    if not following[:1] or not "\u4e00" <= following[0] <= "\u9fff":
        return False
    noun = re.split(r"[,，。;；、:：()（）]|和|与|及|等|均|予以|已|进行", following)[0]
    return not (_COUNTED_NOUN.search(noun) or _STAFF.match(noun))


def _quantity(match: re.Match, before: re.Match | None) -> Quantity | None:
    num, num2, unit = match.group("num"), match.group("num2"), match.group("unit")
    try:
        value = parse_number(num)
        value_max = parse_number(num2) if num2 else None
    except NumberError:
        return None
    if match.group("mult"):
        factor = 10_000 if match.group("mult") == "万" else 100_000_000
        value, value_max = value * factor, value_max * factor if value_max is not None else None
    if unit == "元" and num.endswith("万"):
        unit = "万元"
    elif unit in ("万元", "亿元"):
        value = value * (10_000 if unit == "万元" else 100_000_000)
        value = int(value) if value == int(value) else value
    qualifier = "exact"
    for word, kind in ((before and before.group(0).rstrip("了"), QUALIFIERS_BEFORE),
                       (match.group("mid"), QUALIFIERS_AFTER),
                       (match.group("post"), QUALIFIERS_AFTER)):
        if word:
            qualifier = kind[word]
            break
    if value_max is not None:
        if value_max <= value:
            return None           # "2013-2012"-like runs are not ranges of counts
        qualifier = "at_least"
    start = before.start() if before else match.start()
    return Quantity(value, unit, qualifier, start, match.end(), match.start("num"), value_max)
