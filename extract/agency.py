"""Who wrote the report and for which year, from its title, body and signing line.

Titles often shorten the agency to its level ("市科技局2013年度…" on the agency's own site);
the body names it in full ("岳阳市科技局"), and that full name is the record's agency."""

from __future__ import annotations

import re
from collections import Counter

from .regions import editions_for

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?\s*度?")
_REPORT_WORDS = re.compile(
    r"(?:关于)?(?:(?:19|20)\d\d\s*年?\s*度?)?\s*(?:的)?(?:政府信息公开|政务公开|信息公开|政务信息公开)"
    r"(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报|情况)"
)
_LEVEL_PREFIX = re.compile(r"^(?:省|市|县|区|州|盟|旗|镇|乡|街道)")
_ORGAN = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|管理委员会|局|厅|委|办|院|署|会|中心|所|站|处|部|馆|队|社|镇|乡|街道)$"
)
_SIGN_ORGAN = re.compile(r"^[\u4e00-\u9fff（）()]{3,30}$")


def report_year(title: str | None, text: str) -> int | None:
    """The year reported on: the year the title names, else the first year the text names."""
    for source in (title or "", text[:2000]):
        match = _YEAR.search(source)
        if match:
            return int(match.group(1))
    return None


def find_agency(title: str | None, text: str, signing_line: str | None, source: str | None,
                year: int | None) -> str | None:
    """The agency's full name: the title's, in the fullest form the body uses for it."""
    signed = signing_line if signing_line and _ORGAN.search(signing_line) else None
    for name in (_from_title(title), signed, source):
        if not name:
            continue
        if name in editions_for(year)[0].index and name + "人民政府" in text:
            return name + "人民政府"     # a title naming only the place: its government's report
        full = _fullest(name, text, year)
        if full:
            return full
        if not _LEVEL_PREFIX.match(name):
            return name
    return None


def _from_title(title: str | None) -> str | None:
    if not title:
        return None
    name = _REPORT_WORDS.sub("", title)
    name = _YEAR.sub("", name)
    name = re.sub(r"^(?:关于)|(?:的)$|[《》“”\s]", "", name)
    return name if len(name) >= 2 else None


def _fullest(name: str, text: str, year: int | None) -> str | None:
    """The body's place-prefixed form of a name: '市科技局' → '岳阳市科技局' (a shortened name
    is always completed), '武陵源区人民政府' → '张家界市武陵源区人民政府' (when the body uses
    the longer form at least as often as the short one)."""
    level = name[0] if _LEVEL_PREFIX.match(name) else ""
    rest = name[len(level):]
    index = editions_for(year)[0].index
    longer: Counter[str] = Counter()
    bare = 0
    for match in re.finditer(re.escape(rest), text):
        head = text[max(0, match.start() - 12):match.start()]
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
