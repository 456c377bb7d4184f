"""Date normalisation, intact and damaged: examples, round trips, malformed input."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from extract.dates import DateError, find_dates, find_period, parse_date, parse_datetime

CN = "〇一二三四五六七八九"
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


def cn_small(n: int) -> str:
    return {10: "十"}.get(n) or (("" if n < 20 else CN[n // 10]) + "十" + (CN[n % 10] if n % 10 else "")
                                 if n > 10 else CN[n])


def cn_date(d: dt.date) -> str:
    return "".join(CN[int(c)] for c in str(d.year)) + f"年{cn_small(d.month)}月{cn_small(d.day)}日"


@given(dates)
def test_intact_forms_round_trip(d):
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month:02d}.{d.day:02d}",
                 f"{d.year}年{d.month}月{d.day}日", f"{d.year}年{d.month:02d}月{d.day:02d}日", cn_date(d)):
        assert parse_date(text) == d, text


@given(dates)
def test_damaged_digit_runs_include_the_date(d):
    damaged = f"{d.year}{d.month}{d.day}"          # 年 and 月 lost: 2014年3月6日 → 201436
    [(match, readings)] = find_dates(damaged + "日")
    assert d in readings
    if len(readings) == 1:
        assert parse_date(damaged) == d
    else:
        with pytest.raises(DateError):
            parse_date(damaged)


def test_seed_dates():
    assert parse_date("201436") == dt.date(2014, 3, 6)
    assert find_period("本年报中所列数据的统计期限自201311日起至20131231日止。") == \
        (dt.date(2013, 1, 1), dt.date(2013, 12, 31))
    assert find_period("统计期限为2008年5月1日至2008年12月31日") == (dt.date(2008, 5, 1), dt.date(2008, 12, 31))
    assert find_period("二○一五年一月一日至十二月三十一日") == (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert parse_datetime("2014-03-06 11:05 来源:市科技局") == "2014-03-06 11:05"
    assert parse_datetime("发布日期:2012年03月15日") == "2012-03-15"


@given(st.text(max_size=30))
def test_malformed_input_raises_only_date_error(text):
    try:
        assert isinstance(parse_date(text), dt.date)
    except DateError:
        pass
    assert parse_datetime(text) is None or len(parse_datetime(text)) in (10, 16)
    period = find_period(text)
    assert period is None or period[0] < period[1]


@given(st.one_of(st.none(), st.integers(), st.binary()))
def test_non_text_raises_date_error(thing):
    with pytest.raises(DateError):
        parse_date(thing)


@pytest.mark.parametrize("text", ["2013年", "2014-13-01", "2014年2月30日", "二〇一四年十三月一日", "hello"])
def test_not_dates(text):
    with pytest.raises(DateError):
        parse_date(text)


@pytest.mark.parametrize("text, expected", [
    ("2021-03-2918:26", "2021-03-29 18:26"),              # the space between date and time lost
    ("2022年01月18日来源:本网", "2022-01-18"),
    ("发布日期：二〇一七年一月二十日", "2017-01-20"),        # Chinese numerals
    ("2023-01-10 11:14:05", "2023-01-10 11:14"),           # seconds dropped
    ("Jan 10, 2023 11:14", "2023-01-10 11:14"),             # what this module leaves to dateparser
    ("Date: January 10, 2023", "2023-01-10"),
    ("About us 2023", None),
])
def test_page_dates_in_their_many_forms(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("自201011日起20101231止", ("2010-01-01", "2010-12-31")),       # 年, 月 and 至 lost
    ("统计期限为20251月1日至202512月31日。", ("2025-01-01", "2025-12-31")),
    ("自2012年1月1日起,至2012年12月31日止", ("2012-01-01", "2012-12-31")),
    ("自2009年1月1日《条例》实施之日起,至2009年12月31日止", ("2009-01-01", "2009-12-31")),
    ("统计期限为2025111231日。", ("2025-01-01", "2025-12-31")),      # every mark lost but the last 日
])
def test_damaged_periods(text, expected):
    start, end = find_period(text)
    assert (start.isoformat(), end.isoformat()) == expected
