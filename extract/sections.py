"""The report's top-level numbered headings (一、概述 … 六、改进措施) and what each is about."""

from __future__ import annotations

import re

from . import lazy_re
from .record import Section

_NUMERALS = "一二三四五六七八九十"
_HEADING = lazy_re.compile(
    rf"^(?:第(?P<part>[{_NUMERALS}]{{1,3}})部分[ \t、.．:：]*|(?P<num>[{_NUMERALS}]{{1,3}})[ \t]*[、.．][ \t]*)"
    r"(?P<title>[^\n]*)", re.M
)
# Checked in order: the first kind whose words appear in the heading wins.
KIND_WORDS = (
    ("appeals", "复议|诉讼|申诉"),
    ("fees", "收费|减免|费用"),
    ("on_request", "依申请|申请公开|申请的|申请办理|申请情况|申请处理|答复"),
    ("consultation", "咨询|投诉|举报"),
    ("problems", "问题|不足|困难"),
    ("improvements", "改进|措施|打算|下一步|努力方向|计划|工作重点|思路"),
    ("overview", "概述|概况|总体情况|基本情况|总体|综述|工作情况概述"),
    ("proactive", "主动公开|公开的内容|公开内容|公开工作情况|信息公开情况|公开情况|公开方式|公开形式"),
    ("other", "其他|其它"),
)
# A line of a standard table ("四、结转下年度继续办理 1 0 0 0 0 0 1"), not a heading: the rows
# the format numbers 一 to 四 themselves, or a label followed by a run of cells.
_TABLE_ROW = lazy_re.compile(r"^\s*(?:本年新收|上年结转|本年度办理结果|结转下年度)|(?:\s+(?:[\d.]+|[/—-])){3,}\s*$")
_KIND_RES = [(kind, lazy_re.compile(words)) for kind, words in KIND_WORDS]


def kind_of(title: str) -> str:
    """The SCHEMA.md section kind a heading names."""
    for kind, pattern in _KIND_RES:
        if pattern.search(title):
            return kind
    return "other"


# A heading inside a line (a page copied as one line): 一、 after the end of a sentence, its title
# up to the words that end a heading (…情况, 概述, …措施) or the first punctuation or number.
_INLINE_HEADING = lazy_re.compile(rf"(?<=[。；;！!？?”\s])(?P<num>[{_NUMERALS}]{{1,3}})、(?P<part>)(?=(?P<title>[^\n]{{0,40}}))")
_INLINE_TITLE = lazy_re.compile(r"^[^。：:；;，,\d（(]{1,30}?(?:情况|概述|概况|措施|问题|不足|事项|说明|打算)"
                                r"|^[^。：:；;，,\d（(]{1,20}")
_INLINE_AT_LEAST = 3     # headings in sequence inside lines before any is taken for one


def find_sections(text: str) -> list[Section]:
    """Top-level headings in sequence (一, 二, 三 …); a 一、 that breaks the sequence is a list item.
    Where lines hold fewer than two, headings inside lines (a page run into one line) count when
    at least three follow in sequence."""
    sections = _in_sequence(text, _HEADING.finditer(text), _title)
    if len(sections) < 2:
        inline = _in_sequence(text, _INLINE_HEADING.finditer(text), _inline_title)
        if len(inline) >= _INLINE_AT_LEAST:
            sections = inline
    return sections


def _in_sequence(text: str, matches, title_of) -> list[Section]:
    sections: list[Section] = []
    expected = 1
    for match in matches:
        number = match["num"] or match["part"]
        if _value(number) != expected:
            continue
        title = title_of(match["title"])
        if not title or _TABLE_ROW.search(match["title"]):
            continue
        sections.append(Section(number=number, title=title, kind=kind_of(title),
                                start=match.start(), end=len(text)))
        expected += 1
    for current, following in zip(sections, sections[1:]):
        current.end = following.start
    for section in sections:
        section.end = len(text[:section.end].rstrip())
    return sections


def _inline_title(rest: str) -> str:
    match = _INLINE_TITLE.match(rest)
    return match.group(0).strip() if match else ""


def _title(rest: str) -> str:
    """A heading's title: up to the first full stop or colon (text may run on after it)."""
    title = re.split(r"[。：:；;]", rest, maxsplit=1)[0].strip()
    return title if 0 < len(title) <= 40 else ""


def _value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _NUMERALS.index(numeral[1]) + 1
    if len(numeral) == 1:
        return _NUMERALS.index(numeral) + 1
    if numeral.endswith("十"):
        return (_NUMERALS.index(numeral[0]) + 1) * 10
    return (_NUMERALS.index(numeral[0]) + 1) * 10 + _NUMERALS.index(numeral[-1]) + 1
