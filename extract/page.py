"""From a page (HTML or the text copied off one) to the report's own lines.

CMS chrome goes (navigation, breadcrumbs, 字体【大 中 小】, 浏览量, share buttons, 扫一扫, footers,
links to other reports); the header lines around the title become fields (header.py)."""

from __future__ import annotations

import bisect
import functools
import itertools
from dataclasses import dataclass, field

from . import lazy_re
from .header import is_meta, looks_like_title, split_header
from .formats.wrapping import AT_THE_MARGIN, ends_open, runs_on
from .normalize import normalize_chars, remove_marks, to_simplified, traditional_to_simplified
from .tables.grid import Grid

_SPACES = lazy_re.compile(r"[ \t]+")
# Lines of page furniture, never report text. Some words mark furniture wherever they stand (a
# footer's 版权所有, 主办单位, ICP备); others also stand in a report's sentences (如有疑问请联系我们。,
# 由县信息中心提供技术支持): they mark only a line that is no line of sentences.
_FURNITURE = lazy_re.compile(r"版权所有|ICP\s*备|ICP\s*证|网站标识码|公网安备|主办单位|承办单位|建议使用.{0,20}浏览器|分辨率")
_FURNITURE_OUTSIDE_SENTENCES = lazy_re.compile(
    r"扫一扫在手机|手机扫一扫|分享到|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|返回顶部|技术支持|网站地图|联系我们|"
    r"当前位置|您现在的位置|所在位置|^\s*首页\s*[>›»|]|上一篇|下一篇|相关链接|相关文章|相关附件|(?:[>›»][^>›»]*){2,}|"
    r"^\s*(?:打印|关闭|收藏|【?\s*[大中小]\s*】?|\s)+\s*$"
)
_SENTENCES = lazy_re.compile(r"[\u4e00-\u9fff][^。]{20,}。")
_A_PAGE = lazy_re.compile(r"(?:[^。]{10,}。){3}")      # a whole page run into one line, its chrome in it


def _without_furniture(line: str) -> str:
    """A line less its page furniture: nothing where it is furniture; a whole page run into one
    line whole; report sentences before a footer's words, those sentences."""
    footer = _FURNITURE.search(line)
    if footer:
        if _A_PAGE.search(line):
            return line
        head = line[:footer.start()]
        return head.rstrip() if _SENTENCES.search(head) else ""
    return "" if _FURNITURE_OUTSIDE_SENTENCES.search(line) and not _SENTENCES.search(line) else line


def _chrome(line: str) -> bool:
    """Whether a line is page furniture through and through."""
    return not _without_furniture(line)


@dataclass
class Page:
    """A document read into lines of text, its header read off and its tables kept as grids."""

    lines: list[str]                   # the report, title first
    title: str | None = None
    published_at: str | None = None
    archived_at: str | None = None
    source: str | None = None
    index_number: str | None = None    # the page's 索引号
    masthead: str = ""                 # the lines above the title (site name, breadcrumbs)
    traditional: bool = False          # the page was in traditional characters
    warnings: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)   # the page's tables, cell by cell


def read_page(text: str, *, html: bool, grids: list[Grid] | None = None, copy: bool = False) -> Page:
    """Split a page into the report's lines and its header fields; the lines come out with
    plain characters, in simplified script. An HTML page's tables come out as grids too (a
    document of another format passes the grids it found). A text copy (`copy`) has the
    line breaks a fixed width put inside its sentences taken out."""
    html_title, warnings = None, []
    if html:
        from .html_page import html_lines      # lxml, imported only for a page of HTML

        raw_lines, html_title, grids = html_lines(text, warnings)
    else:
        lines = text.split("\n")
        raw_lines = [(line, False) for line in (_unwrapped(lines) if copy else lines)]
    text, marks = remove_marks("\n".join(line for line, linky in raw_lines if not linky))
    if marks:
        warnings.append(f"{marks} combining mark{'s' if marks > 1 else ''} or control character"
                        f"{'s' if marks > 1 else ''} removed from the text (a number they stood in is read whole)")
    text, traditional = to_simplified(normalize_chars(text))
    lines = [_clean(line) for line in text.split("\n")]
    lines = [line if is_meta(line) else _without_furniture(line) for line in lines if line]
    lines = [line for line in lines if line]
    header = split_header(lines, html_title)
    page = Page(lines=header.lines, title=header.title, published_at=header.published_at,
                archived_at=header.archived_at, source=header.source, index_number=header.index_number,
                masthead=header.masthead,
                traditional=traditional,
                warnings=warnings + header.warnings)
    for grid in grids or []:
        grid.rows = [[_plain_cell(cell, traditional) for cell in row] for row in grid.rows]
        page.grids.append(grid)
    return page


# A text copy of a page that broke its lines at a fixed width breaks words ("由石景山区司法" /
# "局编制的…") and numbers ("主动公开政府信息" / "125条"): a line that stops on a character, not
# on punctuation, goes on in the next line if it is long (30 characters) and the next starts no
# heading, list item or table row. Where most long lines end at one width (the copy's, in
# characters or as a page shows them: a Chinese character two, a digit one), a line that reaches
# it and ends neither a sentence nor a row of cells goes on, into a number too: the rule the
# PDF reader applies to its lines (formats/wrapping.py). A line that begins with a comma or a
# full stop is always the rest of the one before.
_WRAP_MIN = 30
_ENDS_MID_SENTENCE = lazy_re.compile(r"[\u4e00-\u9fff\d]$")
_STARTS_ANEW = lazy_re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[.．、]|第[一二三四五六七八九十]+"
                               r"|附件|[^\u4e00-\u9fff])")
_STARTS_ANEW_AT_THE_WIDTH = lazy_re.compile(_STARTS_ANEW.pattern.replace(r"|[^\u4e00-\u9fff])", r"|[^\s\u4e00-\u9fff\d])")
                                            + r"|^\s*\d+(?:\s+(?:\d+|[/—-])){2,}\s*$")      # a row of cells
_PUNCTUATION_FIRST = lazy_re.compile(r"^\s*(?:[，。、；：,;:）)”’》]|[.．](?=\d))")      # a line no sentence begins: the rest of one
_LONG = 20              # characters: a line this long may have been broken at the width
_WIDTH_SHARE = 0.3      # the width most long lines end at, if this share of them do
_AT_LEAST = 5           # … and at least this many


def _shown_width(line: str) -> int:
    """A line's width in half characters, as a page shows it (a Chinese character is two)."""
    return len(line) + len(_WIDE.findall(line))


_WIDE = lazy_re.compile("[\u2e80-\ufffd]")


_MEASURES = ((len, 1), (_shown_width, 2))    # each measure, and its units in a character


def _wrap_widths(lines: list[str]) -> list[tuple]:
    """(measure, units, width) for each measure by which a copy broke its lines at one width:
    the widest that at least _WIDTH_SHARE of its long lines (and _AT_LEAST of them) reach, most
    of those inside a sentence (a paragraph that ends there ends with a full stop). Sorted once,
    each width counted by bisection: a long text costs n log n."""
    found = []
    long_lines = [line.rstrip() for line in lines if len(line.strip()) >= _LONG]
    enough = max(_AT_LEAST, _WIDTH_SHARE * len(long_lines))
    for measure, units in _MEASURES:
        measured = sorted((measure(line), ends_open(line)) for line in long_lines)
        widths = [width for width, _ in measured]
        open_before = list(itertools.accumulate((is_open for _, is_open in measured), initial=0))
        for width in sorted(set(widths), reverse=True):
            low = bisect.bisect_left(widths, width - AT_THE_MARGIN * units)
            high = bisect.bisect_right(widths, width)
            if high - low >= enough and (open_before[high] - open_before[low]) * 2 > high - low:
                found.append((measure, units, width))
                break
    return found


def _unwrapped(lines: list[str]) -> list[str]:
    """A text's lines with the breaks a fixed width put inside sentences taken out. Each line
    made is kept as its parts and joined once, and what is asked of the text so far is kept as
    it grows: a copy of many short lines costs linear time, not quadratic."""
    margins = _wrap_widths(lines)
    out: list[_Joined] = []
    last = ""               # the last line as the copy broke it (what reached the width)
    for line in lines:
        if out and line.strip() and _goes_on(out[-1], last, line, margins):
            out[-1].add(line.strip())
        else:
            out.append(_Joined(line))
        last = line.rstrip()
    return [joined.text() for joined in out]


_CHECKED = 300          # characters: text this long is no title, header field or furniture line


class _Joined:
    """A line being joined from a copy's lines: its parts, and what _goes_on asks of it."""

    def __init__(self, first: str):
        self.parts = [first]
        self.length = len(first.strip())
        self.piped = "|" in first

    def add(self, part: str) -> None:
        self.parts[-1] = self.parts[-1].rstrip()
        self.parts.append(part)
        self.length += len(part)        # the parts before end where they were stripped, this one is
        self.piped = self.piped or "|" in part

    def text(self) -> str:
        return "".join(self.parts)


def _goes_on(joined: _Joined, last: str, line: str, margins: list[tuple]) -> bool:
    """Whether `line` is the rest of the line made so far (`last`: the copy's line before it)."""
    end = joined.parts[-1].rstrip()
    long_enough = joined.length >= _WRAP_MIN and _ENDS_MID_SENTENCE.search(end) and not _STARTS_ANEW.match(line)
    at_the_width = any(runs_on(last, measure(last), width, units) for measure, units, width in margins) \
        and not _STARTS_ANEW_AT_THE_WIDTH.match(line)
    if not (long_enough or at_the_width or joined.length and _PUNCTUATION_FIRST.match(line)) \
            or joined.piped or "|" in line:
        return False
    so_far = [joined.text().rstrip()] if joined.length <= _CHECKED else []
    return not any(is_meta(x) or _chrome(x) or looks_like_title(x) for x in (*so_far, line))


def _plain_cell(cell: str, traditional: bool) -> str:
    if cell.isascii():
        return cell
    return _plain_label(cell, traditional) if len(cell) <= _LABEL_LENGTH else _plain(cell, traditional)


_LABEL_LENGTH = 40      # a table's labels and headers, the same on every report: each normalised once


@functools.lru_cache(maxsize=4096)
def _plain_label(cell: str, traditional: bool) -> str:
    return _plain(cell, traditional)


def _plain(cell: str, traditional: bool) -> str:
    cell = normalize_chars(cell)
    return traditional_to_simplified(cell) if traditional else cell


def _clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()
