"""Numbers as reports write them: Arabic (1,234 / 6万 / 1.2亿) and Chinese (三百六十二, 两千, 百),
and the qualifier words around them (约, 余, 以上, 不足 …)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from . import lazy_re


class NumberError(ValueError):
    """Text that is not a number this module understands."""


CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
_MULTIPLIERS = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ARABIC = lazy_re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([百千万亿]*)")
_CHINESE = lazy_re.compile(f"[{CN_NUMERAL_CHARS}]+")

# Qualifier words (SCHEMA.md): where they stand relative to the number.
QUALIFIERS_BEFORE = {
    "大约": "approx", "约为": "approx", "约有": "approx", "约": "approx",
    "将近": "approx", "接近": "approx", "近": "approx",
    "超过": "at_least", "逾": "at_least",
    "不足": "at_most", "不到": "at_most",
}
QUALIFIERS_AFTER = {
    "左右": "approx", "上下": "approx",
    "余": "at_least", "多": "at_least", "以上": "at_least",
    "以内": "at_most", "以下": "at_most",
}


def parse_number(text: str) -> int | float:
    """Return the value of a numeral: '362', '1,234', '6万', '1.2亿', '三百六十二', '两千', '百'.

    Raises NumberError for anything else (empty text, mixed scripts, malformed numerals).
    """
    if not isinstance(text, str):
        raise NumberError(f"not text: {text!r}")
    s = text.strip()
    match = _ARABIC.fullmatch(s)
    if match:
        digits, fraction, multipliers = match.groups()
        try:
            value = Decimal(digits.replace(",", "") + (fraction or ""))
        except InvalidOperation as err:  # pragma: no cover - the pattern admits only digits
            raise NumberError(f"not a number: {text!r}") from err
        for unit in multipliers:
            value *= _MULTIPLIERS[unit]
        return _plain(value)
    if _CHINESE.fullmatch(s) and s.strip("万亿"):
        return _plain(Decimal(_chinese(s)))
    raise NumberError(f"not a number: {text!r}")


def _chinese(s: str) -> int:
    if s[0] in "百千万亿":
        s = "一" + s
    if set(s) <= set("零〇一二三四五六七八九") and len(s) > 1:
        raise NumberError(f"digit-by-digit Chinese numerals are not a quantity: {s!r}")
    import cn2an     # 80 ms to import: only once a Chinese numeral is met

    try:
        value = cn2an.cn2an(s, "normal")
    except (ValueError, KeyError, IndexError, TypeError) as err:
        raise NumberError(f"not a Chinese numeral: {s!r}") from err
    if value != int(value):
        raise NumberError(f"not a whole Chinese numeral: {s!r}")
    return int(value)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
