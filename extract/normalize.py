"""Character-level clean-up before anything is parsed: full-width ASCII to half-width,
odd spaces, combining marks and control characters, pinyin that mirror sites insert after characters (公(gōng)开), and traditional
characters to simplified (a site's 繁體 page must give the same record as its simplified page)."""

from __future__ import annotations

import operator
import unicodedata

import opencc

from . import lazy_re

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " "}
_INVISIBLE = {cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)}
# Kangxi radicals (U+2F00–U+2FD5) and CJK radical supplements appear in PDF text in place of
# ordinary characters (⼀ for 一); NFKC maps the former back.
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
_TABLE = {**_FULLWIDTH, **_SPACES, **_INVISIBLE, **_RADICALS,
          ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", 0x0B: "\n", 0x0C: "\n"}
# Combining marks and control characters (NUL, ESC, C1) are no part of a Chinese report: one
# inside a number (3\u0301 62, 1\x002) would split it, one in a name would reach a terminal or a
# spreadsheet. They are removed after composing what composes (a pinyin ō written o + U+0304).
_MARKS = lazy_re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                         r"\x00-\x08\x0e-\x1f\x7f-\x9f]")

_T2S = opencc.OpenCC("t2s")
_HAN = lazy_re.compile(r"[\u4e00-\u9fff]")
# A page is treated as traditional when this share of its Han characters changes under t2s;
# simplified text changes far less (a few characters are shared between the scripts).
_TRADITIONAL_SHARE = 0.03


# "公(gōng)开": a syllable in brackets right after a character, written with a tone mark (or one of
# the toneless particles); brackets holding English (APP, PV) or anything else stay.
_PINYIN = lazy_re.compile(
    r"(?<=[\u4e00-\u9fff])\((?:[a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|de|le|me|men|zi|ne|ma|ba|zhe)\)"
)


def remove_marks(text: str) -> tuple[str, int]:
    """The text without combining marks and control characters (tab and line breaks stay), and
    how many were removed."""
    if not _MARKS.search(text):
        return text, 0
    composed = unicodedata.normalize("NFC", text)
    cleaned = _MARKS.sub("", composed)
    return cleaned, len(composed) - len(cleaned)


def normalize_chars(text: str) -> str:
    """Full-width ASCII, ideographic spaces, radicals and corner quotes to their plain forms;
    combining marks, control characters and inserted pinyin removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = remove_marks(text)[0].translate(_TABLE)
    return _PINYIN.sub("", text) if "(" in text else text


def traditional_to_simplified(text: str) -> str:
    """Every traditional character converted (for pieces of a page already known to be 繁體)."""
    return _T2S.convert(text)


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert a traditional-character text to simplified; return (text, was_traditional)."""
    simplified = _T2S.convert(text)
    if simplified == text:
        return text, False
    han = len(_HAN.findall(text)) or 1
    changed = sum(map(operator.ne, text, simplified))
    if changed / han >= _TRADITIONAL_SHARE:
        return simplified, True
    return text, False
