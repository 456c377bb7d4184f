"""Who wrote the report and for which year.

The agency is looked for where reports name it, in this order (CUES): the title; the report's
words about itself (现公布《某局2023年政府信息公开工作年度报告》, 特编制某局2009年度…报告); the
compiler (本报告由某局编制); the signing line; the page's 来源/发布机构 field; the office to ask
(请与某局办公室联系); the subject of the first sentence (2018年，安徽省全面贯彻…); the report's own
website (我办 … 市外侨办网站). Titles often shorten the agency to its level
("市科技局2013年度…" on the agency's own site); the body names it in full ("岳阳市科技局"), and
that full name is the record's agency. A compiler that is a government's general office or
disclosure office (某县人民政府办公室, 某市政府信息公开工作领导小组办公室) compiles its government's
report.

The year is the title's, else the statistics period's, else the year the report's words about
itself give, else the first year the text names outside document numbers and other titles."""

from __future__ import annotations

import functools
import re
from collections import Counter

from . import lazy_re
from .regions import editions_for

_YEAR = lazy_re.compile(r"((?:19|20)\d\d)\s*年?\s*度?")
_YEAR_IN_TEXT = lazy_re.compile(r"(?<![\d./-])((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:发布|印发))")
# Words of the report's title after the agency ("…2013年度政府信息公开工作报告").
_REPORT_WORDS = lazy_re.compile(
    r"(?:关于)?(?:(?:19|20)\d\d\s*年?\s*度?)?\s*(?:的)?(?:(?<!人民)政府信息公开|政务公开|信息公开|政务信息公开|"
    r"(?<=人民政府)信息公开)(?:工作)?(?:的)?(?:(?:19|20)\d\d\s*年?\s*度?)?(?:年度)?(?:工作)?(?:报告|年报|情况)"
)
_TITLE_VERBS = lazy_re.compile(r"(?:发布|公布|关于|的)$")
_DISCLOSURE_WORDS = lazy_re.compile(r"(?:(?<!人民)政府)?(?:信息公开|政务公开)(?:工作)?$")
_LEVEL_PREFIX = lazy_re.compile(r"^(?:省|市|县|区|州|盟|旗|镇|乡|街道)")
ORGAN = lazy_re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|管理委员会|局|厅|委|办|院|署|会|中心|所|站|处|部|馆|队|社|镇|乡|街道|苏木|海关)$"
)
_TOWNSHIP = lazy_re.compile(r"(?:镇|乡|街道|街|苏木)$")
_PLACE = lazy_re.compile(r"[省市县区州盟旗]$")          # a place's own report: 福州市晋安区
_NAME = r"(?P<name>[\u4e00-\u9fff、（）()]{2,40}?)"
_REPORT_YEAR = r"\s*(?P<year>(?:19|20)\d\d)\s*年?\s*度?"
_OF_REPORT = r"[^。；;，,]{0,16}?(?:报告|年报)"
# The report's words about itself, each naming the agency (and the year).
SELF_REFERENCES = (
    lazy_re.compile(rf"(?:现|特|予以|向社会)(?:向社会)?(?:编制并向社会)?(?:公布|发布|公开|编制|编写)了?\s*[《<]?\s*"
                    rf"(?P<title>{_NAME}{_REPORT_YEAR}{_OF_REPORT})"),
    lazy_re.compile(rf"(?:现|特)(?:向社会)?(?:公布|发布|公开)了?\s*[《<]?(?P<title>{_REPORT_YEAR}\s*{_NAME}(?:(?<!人民)政府)?"
                    rf"信息公开{_OF_REPORT})"),
    lazy_re.compile(rf"(?:编制|编写)(?:完成)?了?\s*《?\s*(?P<title>{_NAME}{_REPORT_YEAR}{_OF_REPORT})"),
)
# The compiler the report names: 本报告由某局（根据《条例》）编制.
_NAME_ENDS = (r"(?=根据|依据|按照|组织|负责|综合(?![科办股处室])|汇总|牵头|结合|会同|统一|编制|编写|联系|[^\u4e00-\u9fff、（）()\s]"
              r"|[(（](?:地址|电话|联系|邮编|邮政编码|传真|网址))")      # 某局(地址:…): where to write, not its name
# (a name with spaces: a copy that put words before it, "由华体会主页 北城街道办事处编制": its last part)
COMPILER = lazy_re.compile(rf"由\s*(?P<name>[\u4e00-\u9fff、（）() ]{{2,40}}?){_NAME_ENDS}[^。；;]{{0,80}}?编(?:制|写)")
# Whom to ask about the report: its agency's office (请与某县人民政府办公室联系).
CONTACT = lazy_re.compile(rf"(?:请|可|直接)\s*(?:与|联系)\s*(?P<name>[\u4e00-\u9fff、（）()]{{2,40}}?){_NAME_ENDS}")
# Offices that compile their government's report, and a unit's internal offices.
COMPILING_OFFICE = lazy_re.compile(
    r"(?<=政府)(?:办公室|办公厅)$|(?<=[署部委局])办公厅$|(?:(?<!人民)政府)?信息公开(?:工作)?领导小组办公室$|"
    r"政务公开(?:暨政府信息公开)?(?:工作)?领导小组办公室$|政务公开办公室$|(?:(?<!人民)政府)?信息公开办公室$|"
    r"政务公开办$|(?:办公室)?(?:(?<!人民)政府)?信息公开(?:中心|科|处|办)$|(?:办公室)?政务公开(?:科|处)$|指挥中心办公室$|"
    r"(?<=[局委厅署])办公室$|(?:(?<=人民政府)|(?<=办事处)|(?<=街道)|(?<=[镇乡]))党政(?:综合)?(?:办公室|办|科)$"   # a bureau's own office, a township's
)
# The subject of the first sentence: "2018年，安徽省全面贯彻…", "2023年，在区委、区政府的领导下，
# 某街道办事处认真…" (after any indent a copy turned into "??").
SUBJECT = lazy_re.compile(
    r"^[\s?？\ufffd]*(?:(?:19|20)\d\d\s*年度?(?:以来)?\s*[,，]?)\s*(?:在[^,，。]{2,30}?(?:下|中)\s*[,，]\s*)?"
    r"(?P<name>[\u4e00-\u9fff]{2,25}?)"
    r"(?:认真|坚持|全面|紧紧|深入|按照|围绕|以|在|严格|进一步|继续|持续|积极|扎实|始终|不断|高度|着力|把|将|根据|依据|结合|聚焦|立足)",
    re.M,
)
# A line that is nothing but an organ's name among the page's first lines: who issues the report
# (盐边县新九镇人民政府 above its title, 浑南区民族和宗教事务局 above its first sentence).
ISSUER_LINE = lazy_re.compile(r"^\s*(?P<name>[\u4e00-\u9fff（）()]{3,30})\s*$", re.M)
_ISSUER_LINES = 6
# The compiler named before the verb: 某县人民政府办公室编制了2017年政府信息公开工作报告.
COMPILED_BY = lazy_re.compile(r"(?:^|[,，。；;、：:\s])(?P<name>[\u4e00-\u9fff（）()]{2,30}?)(?:编制|编写)(?:完成)?了?"
                              r"[^。；;]{0,40}?(?:报告|年报)")
# The report's own website, in a report that calls itself by the same kind (我办 … 通过市外侨办网站):
# the agency by the short name it gives its site.
OWN_SITE = lazy_re.compile(r"(?:在|通过|依托|利用|及|和|、)(?P<name>[省市县区州盟旗][\u4e00-\u9fff]{1,8}?(?P<kind>[办局委厅]))"
                           r"(?:门户|政务外|政务|政府)?网站?")
_NOT_A_NAME = lazy_re.compile(r"[我本该其各全]|^(?:人民)?政府$")
_NAME_PART = lazy_re.compile(r"[\u4e00-\u9fff、（）()]*$")     # a name's own words: "• 中文名:" and junk before it are none
_INTERNAL_OFFICE = lazy_re.compile(r"^(?:党政|综合|行政)?(?:综合)?(?:办公室|办|科|股)$")     # 党政办公室: whose?


def report_year(title: str | None, text: str, period_start: str | None = None) -> int | None:
    """The year reported on."""
    if title:
        match = _YEAR.search(title)
        if match:
            return int(match.group(1))
    if period_start:
        return int(period_start[:4])
    head = _without_citations(text[:3000])
    for pattern in SELF_REFERENCES:
        match = pattern.search(head)
        if match:
            return int(match["year"])
    match = _YEAR_IN_TEXT.search(head)
    return int(match.group(1)) if match else None


def title_in_text(text: str) -> str | None:
    """The report's title as its own words give it (现公布《某县2020年政府信息公开工作年度报告》),
    for a page that shows no title line."""
    head = _without_citations(text[:3000])
    for pattern in SELF_REFERENCES:
        match = pattern.search(head)
        if match and _organ(match["name"]):
            return re.sub(r"\s", "", match["title"])
    return None


@functools.lru_cache(maxsize=4)        # report_year, title_in_text and find_agency read the same head
def _without_citations(text: str) -> str:
    """Document numbers (〔2021〕30号) and titles of other documents blanked, offsets kept."""
    return re.sub(r"〔[^〕]{0,12}〕|\[[^\]]{0,12}\]|《[^》]{0,80}》",
                  lambda m: m.group(0) if _is_own_title(m.group(0)) else " " * len(m.group(0)), text)


def _is_own_title(quoted: str) -> bool:
    return quoted.startswith("《") and bool(_REPORT_WORDS.search(quoted)) and "关于" not in quoted \
        and "通知" not in quoted and "格式" not in quoted


def find_agency(title: str | None, text: str, signing_line: str | None, source: str | None,
                year: int | None) -> str | None:
    """The agency's full name, from the first cue that names one, completed from the body; a
    name shortened to its level (市外侨办) that the body never completes only when no other cue
    names the agency."""
    head = _without_citations(text[:3000])
    shortened = None
    for name in _candidates(title, head, signing_line, source):
        if not name:
            continue
        full = _completed(name, text, year)
        if full:
            return _official(full, text)
        shortened = shortened or name
    return shortened


def _official(name: str, text: str) -> str:
    """A government named the short way (上海市政府) by its official name where the text uses it
    (上海市人民政府)."""
    if name.endswith("政府") and not name.endswith("人民政府") and name[:-2] + "人民政府" in text:
        return name[:-2] + "人民政府"
    return name


def _candidates(title, head, signing_line, source):
    yield _from_title(title)
    for match in ISSUER_LINE.finditer("\n".join(head.split("\n")[:_ISSUER_LINES])):
        yield _organ(_office_of(match["name"]))
    for pattern in SELF_REFERENCES:
        for match in pattern.finditer(head):
            yield _organ(match["name"])
    for match in COMPILER.finditer(head):
        yield _organ(_office_of(match["name"].split()[-1]))
    for match in COMPILED_BY.finditer(head):
        yield _organ(_office_of(match["name"]))
    yield _organ(signing_line) if signing_line and ORGAN.search(signing_line) else None
    yield _organ(source) if source else None
    for match in CONTACT.finditer(head):
        yield _organ(_office_of(match["name"]))
    match = SUBJECT.search(head)
    if match:
        yield _organ(match["name"])
    for match in OWN_SITE.finditer(head):
        if f"我{match['kind']}" in head or f"本{match['kind']}" in head:
            yield _organ(match["name"])


def _office_of(name: str) -> str:
    """The body an office works for: 某县人民政府办公室 → 某县人民政府, and through an office
    inside one (海关总署办公厅政务公开处 → 海关总署)."""
    while True:
        shorter = COMPILING_OFFICE.sub("", name)
        if shorter == name:
            return name
        name = shorter


def _organ(name: str | None) -> str | None:
    """A name that can be an agency's (it ends as an organ's or a place's name)."""
    if not name:
        return None
    name = _DISCLOSURE_WORDS.sub("", _NAME_PART.search(re.sub(r"\s", "", name))[0].lstrip("、)）"))
    if len(name) < 2 or _NOT_A_NAME.search(name) or _INTERNAL_OFFICE.match(name):
        return None
    if ORGAN.search(name) or name in editions_for(None)[0].index or _TOWNSHIP.search(name) or _PLACE.search(name):
        return name
    return None


# What a place's own report is signed as: its government (or a street's office).
_GOVERNMENT_OF = (("街道", "办事处"), ("镇", "人民政府"), ("乡", "人民政府"), ("苏木", "人民政府"))


def _completed(name: str, text: str, year: int | None) -> str | None:
    """The body's fullest form of a name; None when a name shortened to its level (市科技局)
    is not completed by the body."""
    index = editions_for(year)[0].index
    if name in index and name + "人民政府" in text:
        return name + "人民政府"         # a title naming only the place: its government's report
    for ending, government in _GOVERNMENT_OF:
        if name.endswith(ending) and name + government in text:
            return name + government
    full = _fullest(name, text, year)
    if full:
        return full
    return None if _LEVEL_PREFIX.match(name) else name


def _from_title(title: str | None) -> str | None:
    """The agency a title names: what stands before its year, else before its report words."""
    if not title:
        return None
    title = re.sub(r"[《》“”\s]", "", title)
    year = _YEAR.search(title)
    if year and year.start() > 0:
        name = title[:year.start()]
    else:
        name = _REPORT_WORDS.sub("", title)
        name = _YEAR.sub("", name)
    name = re.sub(r"^(?:关于)", "", name)
    while _TITLE_VERBS.search(name):
        name = _TITLE_VERBS.sub("", name)
    return _organ(_DISCLOSURE_WORDS.sub("", name))   # "…研究所信息公开工作2019年度报告"


def _fullest(name: str, text: str, year: int | None) -> str | None:
    """The body's place-prefixed form of a name: '市科技局' → '岳阳市科技局' (a shortened name
    is always completed), '武陵源区人民政府' → '张家界市武陵源区人民政府' (when the body uses
    the longer form at least as often as the short one)."""
    level = name[0] if _LEVEL_PREFIX.match(name) else ""
    rest = name[len(level):]
    index = editions_for(year)[0].index
    longer: Counter[str] = Counter()
    bare = 0
    for start in _starts(rest, text):
        head = text[max(0, start - 12):start]
        place = next((head[-k:] for k in range(len(head), 0, -1)
                      if head[-k:] in index and (not level or head[-k:].endswith(level))), None)
        if place:
            longer[place + rest] += 1
        else:
            bare += 1
    if not longer:
        return None
    full, count = longer.most_common(1)[0]
    return full if level or count >= bare else None


def _starts(word: str, text: str):
    """Where `word` occurs in `text`, left to right and without overlaps (a pattern per name
    would fill the re module's cache with every agency's name)."""
    i = text.find(word) if word else -1
    while i >= 0:
        yield i
        i = text.find(word, i + len(word))
