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
