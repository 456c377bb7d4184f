"""Number and quantity normalisation: examples, round trips and malformed input (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from extract.numbers import QUALIFIERS_AFTER, QUALIFIERS_BEFORE, NumberError, parse_number
from extract.quantities import find_quantities

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An independent reading of n in Chinese numerals (一亿零二万三千零五十)."""
    if n == 0:
        return "零"

    def group(g: int) -> str:
        out, gap = "", False
        for d, unit in zip(f"{g:04d}", ("千", "百", "十", "")):
            if d == "0":
                gap = bool(out)
                continue
            out += ("零" if gap else "") + DIGITS[int(d)] + unit
            gap = False
        return out

    parts, first = "", True
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            continue
        if not first and value < 1000:
            parts += "零"
        parts += group(value) + unit
        first = False
    return parts.replace("零零", "零")


@pytest.mark.parametrize("text, value", [
    ("362", 362), ("1,234", 1234), ("6万", 60000), ("22万", 220000), ("1.2亿", 120000000),
    ("1.5万", 15000), ("三百六十二", 362), ("两千", 2000), ("十五", 15), ("百", 100),
    ("一千零五", 1005), ("两万三千", 23000), ("零", 0), ("86.5", 86.5),
])
def test_examples(text, value):
    assert parse_number(text) == value
    assert type(parse_number(text)) is type(value)


@pytest.mark.parametrize("text", ["", "万", "abc", "1,23", "12万3", "五六", "二〇一四", "1.2.3"])
def test_not_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=0, max_value=10**11))
def test_chinese_round_trip(n):
    assert parse_number(chinese(n)) == n


@given(st.integers(min_value=0, max_value=999), st.sampled_from(["千", "万", "亿"]))
def test_liang_reads_as_two(rest, unit):
    assert parse_number(f"两{unit}") == 2 * {"千": 1000, "万": 10**4, "亿": 10**8}[unit]
    assert parse_number(chinese(2000 + rest).replace("二千", "两千", 1)) == 2000 + rest


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_multipliers(x, multiplier):
    word, factor = multiplier
    value = parse_number(f"{x}{word}")
    assert Decimal(str(value)) == x * factor


@given(st.text(max_size=20))
def test_malformed_input_raises_only_number_error(text):
    try:
        value = parse_number(text)
    except NumberError:
        return
    assert isinstance(value, (int, float))


@given(st.one_of(st.none(), st.integers(), st.binary()))
def test_non_text_raises_number_error(thing):
    with pytest.raises(NumberError):
        parse_number(thing)


# SCHEMA.md's qualifier words, as the oracle.
SCHEMA_QUALIFIERS = {
    "约": "approx", "大约": "approx", "近": "approx", "左右": "approx",
    "余": "at_least", "多": "at_least", "以上": "at_least", "超过": "at_least",
    "不足": "at_most", "以内": "at_most",
}


@pytest.mark.parametrize("word, qualifier", sorted(SCHEMA_QUALIFIERS.items()))
def test_every_schema_qualifier_word(word, qualifier):
    if word in QUALIFIERS_BEFORE:
        text = f"全年{word}360条"
    elif word in ("余", "多"):
        text = f"全年360{word}条"
    else:
        text = f"全年360条{word}"
    [q] = find_quantities(text)
    assert (q.value, q.unit, q.qualifier) == (360, "条", qualifier)


@given(st.sampled_from(sorted({**QUALIFIERS_BEFORE, **QUALIFIERS_AFTER}.items())),
       st.integers(min_value=1, max_value=10**6))
def test_every_qualifier_word_any_number(pair, n):
    word, qualifier = pair
    text = f"共{word}{n}件" if word in QUALIFIERS_BEFORE else (
        f"共{n}{word}件" if word in ("余", "多") else f"共{n}件{word}")
    [q] = find_quantities(text)
    assert (q.value, q.qualifier) == (n, qualifier)


def test_ranges_and_non_counts():
    [q] = find_quantities("接待30至50人次")
    assert (q.value, q.value_max, q.qualifier) == (30, 50, "at_least")
    assert find_quantities("按照《条例》第91011条规定") == []
    assert find_quantities("比上年增长15%,约占8.2个百分点") == []
    assert find_quantities("在15个工作日内答复") == []
    assert [q.value for q in find_quantities("《2013年工作要点》明确5项任务")] == [5]


@given(st.text(max_size=60))
def test_find_quantities_never_raises(text):
    for q in find_quantities(text):
        assert q.qualifier in ("exact", "approx", "at_least", "at_most")
        assert 0 <= q.start < q.end <= len(text)
