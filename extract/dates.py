"""Dates as reports write them, including damaged ones.

Intact: 2014-03-06, 2014/3/6, 2014年3月6日, 二〇一四年三月六日. Damaged: text that lost its 年 and
月 characters ("201436" for 2014年3月6日, "201311日" for 2013年1月1日); such digit runs are
ambiguous in general, so they give every valid reading and the caller picks by context."""

from __future__ import annotations

import datetime as dt
import re

from . import lazy_re


class DateError(ValueError):
    """Text that is not a date this module understands."""


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_CN_YEAR = "[〇○零Ｏ一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]"

# Patterns for finding dates in running text (named groups y, m, d; or cy, cm, cd; or digits).
DATE_PATTERN = (
    r"(?:(?P<y>(?:19|20)\d\d)\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    rf"|(?P<cy>{_CN_YEAR}{{4}})\s*年\s*(?P<cm>{_CN_SMALL}{{1,2}})\s*月\s*(?P<cd>{_CN_SMALL}{{1,3}})\s*日"
    r"|(?P<ly>(?:19|20)\d\d)(?P<lm>\d{1,2})\s*月\s*(?P<ld>\d{1,2})\s*日"        # 年 lost: "20251月1日"
    r"|(?P<digits>(?:19|20)\d{3,6})(?!\d)\s*日?)"
)
_DATE = lazy_re.compile(DATE_PATTERN)
# The end of a period may leave out its year ("二○一五年一月一日至十二月三十一日").
_MONTH_DAY = rf"(?P<md_m>\d{{1,2}}|{_CN_SMALL}{{1,2}})\s*月\s*(?P<md_d>\d{{1,2}}|{_CN_SMALL}{{1,3}})\s*日"
# "自A起至B止", "自A起，至B止", "自A《条例》实施之日起至B", and damaged "自A起B止" (至 lost).
_PERIOD = lazy_re.compile(
    r"(?:自|从|由)?\s*(?P<a>" + DATE_PATTERN.replace("?P<", "?P<a_") + r")"
    r"(?:(?:[^至到止。\n\d]{0,15}?(?:起|开始))?\s*[,，]?\s*(?:至|到|—|－|-|~|～)|\s*起)"
    r"\s*(?P<b>" + DATE_PATTERN.replace("?P<", "?P<b_") + "|" + _MONTH_DAY + r")\s*止?"
)
# A whole year's period that lost every 年, 月, 日 and 至 but its last 日: "2025111231日".
_WHOLE_YEAR = lazy_re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)11(?:(?P=y))?1231\s*日")
_DATETIME = lazy_re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})(?:(?!\d)|(?=\d{1,2}:\d\d))\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{2}))?"
)   # "2021-03-2918:26": a copy that lost the space between the date and the time


def parse_date(text: str) -> dt.date:
    """Return the one date `text` states. Damaged digit runs must have exactly one reading."""
    if not isinstance(text, str):
        raise DateError(f"not text: {text!r}")
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise DateError(f"not a date: {text!r}")
    readings = _readings(match.groupdict())
    if len(readings) != 1:
        raise DateError(f"{len(readings)} readings of {text!r}: {readings}")
    return readings[0]


def date_readings(match: re.Match, prefix: str = "") -> list[dt.date]:
    """Every valid date a DATE_PATTERN match can mean (several for a damaged digit run)."""
    groups = {k[len(prefix):]: v for k, v in match.groupdict().items() if k.startswith(prefix)}
    return _readings(groups)


def find_dates(text: str) -> list[tuple[re.Match, list[dt.date]]]:
    """Each date-like run in `text` with its possible readings (runs with none are left out)."""
    found = []
    for match in _DATE.finditer(text):
        readings = date_readings(match)
        if readings:
            found.append((match, readings))
    return found


def find_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The statistics period stated in `text` (自…起至…止), choosing among damaged readings the
    start nearest to 1 January and the end nearest to 31 December of the year it names."""
    for match in _PERIOD.finditer(text):
        starts = date_readings(match, "a_")
        ends = date_readings(match, "b_") if match["md_m"] is None else _same_year_ends(match, starts)
        pairs = [(a, b) for a in starts for b in ends if a < b]
        if pairs:
            return min(pairs, key=lambda p: (abs((p[0] - dt.date(p[0].year, 1, 1)).days)
                                             + abs((dt.date(p[1].year, 12, 31) - p[1]).days)))
    whole = _WHOLE_YEAR.search(text)
    if whole:
        year = int(whole["y"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def _same_year_ends(match: re.Match, starts: list[dt.date]) -> list[dt.date]:
    month, day = _small_number(match["md_m"]), _small_number(match["md_d"])
    if month is None or day is None:
        return []
    return _valid([(start.year, month, day) for start in starts])


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    import cn2an     # 80 ms to import: only for a date in Chinese numerals

    try:
        return int(cn2an.cn2an(text, "normal"))
    except ValueError:
        return None


def parse_datetime(text: str) -> str | None:
    """The first date (and time, when shown) in `text` as 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD';
    a date in Chinese numerals (二〇一七年一月二十日) as 'YYYY-MM-DD'; other forms by dateparser."""
    for match in _DATETIME.finditer(text):
        try:
            day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if match["H"] is not None and int(match["H"]) < 24 and int(match["M"]) < 60:
            return f"{day.isoformat()} {int(match['H']):02d}:{match['M']}"
        return day.isoformat()
    for match in _DATE.finditer(text):
        if match["cy"]:
            readings = date_readings(match)
            if readings:
                return readings[0].isoformat()
    return _other_forms(text)


def _other_forms(text: str) -> str | None:
    """Forms this module does not read itself (a page's English date, "Jan 10, 2023 11:14"), by
    dateparser, in year-month-day order where the order is open; only a whole date counts."""
    if len(text) > 60 or not re.search(r"[A-Za-z]{3}", text) or not re.search(r"(?:19|20)\d\d", text):
        return None
    import dateparser        # loaded only for such a page: its languages take a tenth of a second

    value = re.sub(r"^[^\d:：]{0,20}[:：]\s*", "", text.strip())     # its label ("Date:") off
    found = dateparser.parse(value, languages=["en", "zh"], settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "YMD", "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "past"})
    if found is None:
        return None
    return found.strftime("%Y-%m-%d %H:%M") if (found.hour, found.minute) != (0, 0) else found.date().isoformat()


def _readings(g: dict) -> list[dt.date]:
    if g.get("y"):
        return _valid([(int(g["y"]), int(g["m"]), int(g["d"]))])
    if g.get("ly"):
        return _valid([(int(g["ly"]), int(g["lm"]), int(g["ld"]))])
    if g.get("cy"):
        year = int("".join(_CN_DIGITS[c] for c in g["cy"]))
        month, day = _small_number(g["cm"]), _small_number(g["cd"])
        return _valid([(year, month, day)]) if month and day else []
    digits = g.get("digits")
    if not digits:
        return []
    year, rest = int(digits[:4]), digits[4:]
    splits = [(rest[:i], rest[i:]) for i in range(1, len(rest))]
    return _valid([(year, int(m), int(d)) for m, d in splits if len(m) <= 2 and len(d) <= 2])


def _valid(parts: list[tuple[int, int, int]]) -> list[dt.date]:
    dates = []
    for y, m, d in parts:
        try:
            dates.append(dt.date(y, m, d))
        except ValueError:
            continue
    return sorted(set(dates))
