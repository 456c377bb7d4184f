"""The lines around a report's title: which line (or two wrapped lines) is the title, and the
page's metadata about itself — label：value lines and the CMS boxes that text copies flatten
into rows of `|` cells (索引号 | … | 发布机构 | … | 发布日期 | …), including a row of labels over a
row of values — read into fields (归档时间 → archived_at, the publication time → published_at,
来源 or 发布机构 → source, 索引号 → index_number)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lazy_re
from .agency import ORGAN
from .dates import parse_datetime

# Labels of the page's metadata about itself, as CMS pages write them.
LABELS = (
    "归档时间|发布时间|发布日期|公开日期|更新时间|发文日期|成文日期|生成日期|时间|日期|信息来源|来源|发布机构|"
    "发布单位|发文机关|发布者|作者|责任编辑|编辑|字体|字号|浏览次数|浏览量|浏览|点击数|点击量|访问次数|访问量|"
    "索引号|主题分类|信息分类|分类|文号|公开方式|公开范围|公开时限|有效性|时效性|时效|名称|标题|主题词|体裁|"
    "生效日期|废止日期|内容概述|栏目|原文链接|本地目录"
)
_LABEL = lazy_re.compile(rf"(?:{LABELS})\s*[:：]")
_BARE_LABEL = lazy_re.compile(rf"^(?:{LABELS})\s*[:：]?$")
# Which label wins when a page gives several for one field.
PRIORITY = {
    "source": ("来源", "信息来源", "发布机构", "发布单位", "发文机关", "发布者"),
    "published_at": ("发布时间", "发布日期", "公开日期", "", "更新时间", "日期", "时间", "生成日期", "成文日期",
                     "发文日期"),
    "archived_at": ("归档时间",),
    "index_number": ("索引号",),
}
_TITLE_LABEL = lazy_re.compile(r"^(?:标题|名称)\s*[:：|]\s*")
_DATETIME_FIRST = lazy_re.compile(r"^[\s•·]*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
# A byline that ends with the date ("银川市人民政府门户网站 www.yinchuan.gov.cn 2023-01-28").
_DATETIME_LAST = lazy_re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d\d(?::\d\d)?)?\s*$")
_FONT_SWITCH = lazy_re.compile(r"(?:字体|字号)\s*[:：]?\s*【|【\s*(?:字体|字号)")
# A report's title ends with words like these ("…政府信息公开工作年度报告", "…信息公开年报").
_REPORT_WORDS = lazy_re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开)[^。，,；;:：]{0,12}?(?:年度报告|年报|工作报告|报告)"
)
_TITLE_END = lazy_re.compile(
    r"(?:(?:政府|政务)?信息公开|政务公开)[^。，,；;:：]{0,12}?(?:年度报告|年报|工作报告|报告|年度工作情况)\s*$"
)
_TITLE_TAIL = lazy_re.compile(r"\s*(?:[(（]\s*(?:全文|正文|全\s*文)\s*[)）]|\.(?:docx?|pdf|wps|txt))\s*$", re.I)
_YEAR = lazy_re.compile(r"(?<![\d/-])(?:19|20)\d\d(?![\d/-])")
_SENTENCE_MARKS = lazy_re.compile(r"[。；;！!？]|^\s*(?:根据|按照|依据|本|现|为|我)")
_WRAP_PIECE = 32            # a title wrapped over two lines has short pieces
_TITLE_LINES = 60           # the title is among the page's first lines
_HEADER_AFTER_TITLE = 8     # metadata lines may follow the title this far, among bylines
_META_LINE = 160            # a metadata line is short (a CMS box's row of cells included)


@dataclass
class Header:
    """A page's lines split into the report and what stands above it (title, dates, source, 索引号)."""

    lines: list[str]                   # the report: title first (when found), then the body
    title: str | None = None
    published_at: str | None = None
    archived_at: str | None = None
    source: str | None = None
    index_number: str | None = None    # 索引号, which often opens with the agency's credit code
    masthead: str = ""                 # the page's lines above the title: site name, breadcrumbs
    warnings: list[str] = field(default_factory=list)


def compact(line: str) -> str:
    """Spaces between Han characters removed ("索 引 号" → "索引号")."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", line)


def is_meta(line: str) -> bool:
    """A line of the page's metadata rather than report text."""
    squeezed = compact(line)
    if "|" in squeezed and _pipe_labels(squeezed):
        return True
    return bool(_LABEL.match(squeezed) or _DATETIME_FIRST.match(squeezed) and len(squeezed) < 60
                and not re.search(r"[。，,；;至到]", squeezed)
                or len(_LABEL.findall(squeezed)) >= 2 or _FONT_SWITCH.search(squeezed))


def split_header(lines: list[str], html_title: str | None) -> Header:
    """The title, the metadata fields and the report's lines of a page's plain lines."""
    lines = [line for line in lines if line.strip("|-: ")]     # empty cells, Markdown rulers
    meta = _meta_lines(lines)
    found = _find_title(lines)
    if found is None:
        from_meta = _title_from_meta(lines)
        header = Header(lines=[], title=from_meta or (_first_piece(html_title) if html_title else None))
        if not from_meta and header.title:
            header.warnings.append("no report title in the text: the title is the page's <title>")
        opening = next((i for i, line in enumerate(lines) if i not in meta and (
            len(line) > _WRAP_PIECE or re.search(r"[。，,；;]", line))), len(lines))
        # the metadata of the page's top, above its first sentence (a date at the end is its signing)
        taken = {i for i in meta if i < min(_TITLE_LINES, opening) and len(lines[i]) < _META_LINE}
        body = [line for i, line in enumerate(lines) if i not in taken]
    else:
        start, end, title = found
        header = Header(lines=[], title=title)
        taken = {i for i in meta if i < start} | set(_after_title(lines, end, meta))
        header.masthead = "\n".join(line for i, line in enumerate(lines[:start]) if i not in taken)
        body = [line for i, line in enumerate(lines) if i >= end and i not in taken]
    fields = _fields([lines[i] for i in sorted(taken)])
    for name, labels in PRIORITY.items():
        for label in labels:
            for key, value in fields:
                if key != label or not value:
                    continue
                parsed = value if name in ("source", "index_number") else parse_datetime(value)
                if parsed:
                    setattr(header, name, parsed)
                    break
            if getattr(header, name):
                break
    header.lines = ([header.title] if found is not None else []) + body
    return header


def _after_title(lines: list[str], end: int, meta: set[int]) -> list[int]:
    """The metadata lines just under the title, among bylines, before the report's first
    sentence or heading."""
    taken = []
    for i in range(end, min(len(lines), end + _HEADER_AFTER_TITLE)):
        if i in meta and len(lines[i]) < _META_LINE or _byline_date(lines[i]):
            taken.append(i)
        elif len(lines[i]) > _WRAP_PIECE or re.search(r"[。，,；;]|^[一二三四五六七八九十]+[、.]", lines[i]):
            break
    return taken


def _byline_date(line: str) -> bool:
    return len(line) < 60 and bool(_DATETIME_LAST.search(line)) and not re.search(r"[。，,；;至到]", line)


def _meta_lines(lines: list[str]) -> set[int]:
    """Indexes of the metadata lines among the first lines (a row of values under a row of
    labels included)."""
    meta = set()
    for i, line in enumerate(lines[:_TITLE_LINES + _HEADER_AFTER_TITLE]):
        if is_meta(line):
            meta.add(i)
        elif "|" in line and i - 1 in meta and _labels_only(compact(lines[i - 1])):
            meta.add(i)
    return meta


def _labels_only(squeezed: str) -> bool:
    cells = [c.strip() for c in squeezed.strip().strip("|").split("|")]
    return "|" in squeezed and all(_BARE_LABEL.match(c) or not c for c in cells) and any(cells)


def _first_piece(html_title: str) -> str | None:
    return re.split(r"\s*[-_|｜—]\s*", html_title.strip())[0] or None


# --- the title ---------------------------------------------------------------------------------

def _find_title(lines: list[str]) -> tuple[int, int, str] | None:
    """(first line, line after it, title) of the report's title among the first lines: one line
    that ends with the report words, or two short pieces of one wrapped over two lines; the
    first that names a year and what comes before it (the agency) wins."""
    best = None
    for i in range(min(len(lines), _TITLE_LINES)):
        for start, end in ((i, i + 1), (i, i + 2)):
            if end > len(lines):
                continue
            title = _as_title(lines[start:end])
            if title is None:
                continue
            score = (bool(_YEAR.search(title)), not _REPORT_WORDS.match(_YEAR.sub("", title).lstrip("年度 ")))
            if best is None or score > best[0]:
                best = (score, start, end, title)
            if score == (True, True):
                return start, end, title
    return best[1:] if best else None


def _as_title(pieces: list[str]) -> str | None:
    """The title these lines make, or None when they are not one."""
    if len(pieces) > 1 and not _wrapped(*pieces):
        return None
    parts = []
    for piece in pieces:
        if is_meta(piece):
            return None                  # a 标题：… field: the title only when no line is one
        piece = compact(piece).strip(" |")
        if not piece or _SENTENCE_MARKS.search(piece) or re.search(r"[|>]", piece) \
                or len(pieces) > 1 and re.search(r"[:：]", piece):      # "今天是：" is no part of a title
            return None
        parts.append(piece)
    title = _TITLE_TAIL.sub("", "".join(parts))
    title = re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])", "", title).strip()
    if len(title) > 80 or not _TITLE_END.search(title) or "首页" in title:
        return None
    return title


def looks_like_title(line: str) -> bool:
    """Whether a line is a report's title by itself."""
    return _as_title([line]) is not None


def _wrapped(first: str, second: str) -> bool:
    """Whether two lines are one title wrapped: short pieces, the first naming the year or ending
    with an organ's name ("故城县教育局" / "2020年…报告"), the second not a whole title already."""
    first, second = compact(first).strip(), compact(second).strip()
    if max(len(first), len(second)) > _WRAP_PIECE or _TITLE_END.search(first):
        return False
    if not (_YEAR.search(first) or ORGAN.search(first)):
        return False
    alone = _as_title([second])
    return alone is None or bool(_REPORT_WORDS.match(_YEAR.sub("", alone).lstrip("年度 ")))


def _title_from_meta(lines: list[str]) -> str | None:
    """A title given only as the value of a 标题/名称 field."""
    for line in lines[:_TITLE_LINES]:
        squeezed = compact(line)
        if _TITLE_LABEL.match(squeezed):
            value = re.split(r"\s*\|", _TITLE_LABEL.sub("", squeezed).strip(" |"))[0].strip()
            title = _as_title([value]) if value else None
            if title:
                return title
    return None


# --- the metadata fields -----------------------------------------------------------------------

def _fields(meta: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the metadata lines; a row of labels over a row of values is
    read column by column."""
    pairs = []
    previous_labels: list[str] | None = None
    for line in meta:
        squeezed = compact(line)
        if "|" in squeezed:
            cells = [c.strip() for c in squeezed.strip().strip("|").split("|")]
            if _labels_only(squeezed):
                previous_labels = [c.rstrip(":： ") for c in cells if c]
                continue
            if previous_labels and not _pipe_labels(squeezed):
                pairs += list(zip(previous_labels, cells))
                previous_labels = None
                continue
            pairs += _cell_pairs(cells)
        else:
            pairs += _label_values(line)
        previous_labels = None
    return pairs


def _pipe_labels(squeezed: str) -> list[str]:
    return [c for c in (c.strip() for c in squeezed.split("|")) if _BARE_LABEL.match(c)]


def _cell_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """'发布机构 | 宿城街道 | 发文日期 | 2022-01-04' → [('发布机构', '宿城街道'), ('发文日期', '2022-01-04')]."""
    pairs = []
    for i, cell in enumerate(cells):
        if _BARE_LABEL.match(cell):
            value = cells[i + 1] if i + 1 < len(cells) and not _BARE_LABEL.match(cells[i + 1]) else ""
            pairs.append((cell.rstrip(":： "), value))
        elif _LABEL.match(cell) or _DATETIME_FIRST.match(cell):
            pairs += _label_values(cell)
    return pairs


def _label_values(line: str) -> list[tuple[str, str]]:
    """'发布时间：2014-03-06 来源：市科技局' → [('发布时间', '2014-03-06'), ('来源', '市科技局')];
    a line opening with a bare date gives it the label ''."""
    squeezed = compact(line)
    marks = list(_LABEL.finditer(squeezed))
    pairs = []
    if marks and marks[0].start() > 0 or not marks:
        pairs.append(("", squeezed[:marks[0].start() if marks else len(squeezed)]))
    for mark, following in zip(marks, marks[1:] + [None]):
        value = squeezed[mark.end():following.start() if following else len(squeezed)]
        value = re.split(r"[【|｜]|\s{2,}", value.strip())[0].strip()
        pairs.append((mark.group(0).rstrip(":： "), value))
    return [(label, value.strip()) for label, value in pairs]
