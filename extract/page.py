"""From a page (HTML or the text copied off one) to the report's own lines.

CMS chrome goes (navigation, breadcrumbs, 字体【大 中 小】, 浏览量, share buttons, 扫一扫, footers,
links to other reports); the header lines around the title become fields (归档时间 → archived_at,
the publication time → published_at, 来源 → source)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .dates import parse_datetime
from .errors import ExtractError
from .normalize import normalize_chars, to_simplified, traditional_to_simplified
from .tables.grid import Grid, html_grids

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "select", "option", "button", "iframe",
    "object", "embed", "svg", "input", "textarea", "nav", "footer", "aside",
}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "section", "article", "header", "dl", "dt", "dd", "blockquote", "pre", "form", "hr",
    "center", "tbody", "thead", "caption", "body", "html", "main",
}
_CELL_TAGS = {"td", "th"}
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NEWLINES = re.compile(r"[\r\n]+")
_SPACES = re.compile(r"[ \t]+")
# Blocks whose class or id names page furniture ("top-nav", "footer2", "bdsharebuttonbox").
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|breadcrumbs?|crumbs?|share|bdshare\w*|copyright|"
    r"sidebar|position|location|weizhi|dqwz|related|xgxx|xglj|print|toolbar)(?:$|[\s_-]|\d)",
    re.I,
)
_WITH_CLASS_OR_ID = etree.XPath("//*[@class or @id]")
# Whole lines that are page furniture, never report text.
_CHROME_LINE = re.compile(
    r"扫一扫在手机|手机扫一扫|分享到|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|返回顶部|版权所有|"
    r"ICP\s*备|ICP\s*证|网站标识码|公网安备|主办单位|承办单位|技术支持|网站地图|联系我们|当前位置|"
    r"您现在的位置|所在位置|^\s*首页\s*[>›»|]|建议使用.{0,20}浏览器|分辨率|上一篇|下一篇|相关链接|"
    r"相关文章|相关附件|(?:[>›»][^>›»]*){2,}|^\s*(?:打印|关闭|收藏|【?\s*[大中小]\s*】?|\s)+\s*$"
)
# Header lines: metadata about the page rather than report text, as label：value pairs.
_LABELS = (
    "归档时间|发布时间|发布日期|更新时间|发文日期|成文日期|生成日期|时间|日期|信息来源|来源|发布机构|"
    "发布者|作者|责任编辑|编辑|字体|字号|浏览次数|浏览量|浏览|点击数|点击量|访问次数|访问量|索引号|主题分类|"
    "信息分类|分类|文号|公开方式|公开范围|有效性|名称|主题词"
)
_LABEL = re.compile(rf"(?:{_LABELS})\s*[:：]")
_DATETIME_FIRST = re.compile(r"^\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_FONT_SWITCH = re.compile(r"(?:字体|字号)\s*[:：]?\s*【|【\s*(?:字体|字号)")
_TITLE = re.compile(r"(?:年度报告|年报|工作报告|年度工作情况)")
# Which label wins when a page gives several for one field.
_PRIORITY = {
    "source": ("来源", "信息来源", "发布机构", "发布者"),
    "published_at": ("发布时间", "发布日期", "", "更新时间", "日期", "时间", "生成日期", "成文日期", "发文日期"),
    "archived_at": ("归档时间",),
}


@dataclass
class Page:
    lines: list[str]                   # the report, title first
    title: str | None = None
    published_at: str | None = None
    archived_at: str | None = None
    source: str | None = None
    traditional: bool = False          # the page was in traditional characters
    warnings: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)   # the page's tables, cell by cell


def read_page(text: str, *, html: bool, grids: list[Grid] | None = None) -> Page:
    """Split a page into the report's lines and its header fields; the lines come out with
    plain characters, in simplified script. An HTML page's tables come out as grids too (a
    document of another format passes the grids it found)."""
    html_title = None
    if html:
        raw_lines, html_title, grids = _html_lines(text)
    else:
        raw_lines = [(line, False) for line in text.split("\n")]
    text, traditional = to_simplified(normalize_chars("\n".join(line for line, linky in raw_lines if not linky)))
    lines = [_clean(line) for line in text.split("\n")]
    lines = [line for line in lines if line and (not _CHROME_LINE.search(line) or _is_meta(line))]
    page = _split_header(lines, html_title)
    page.traditional = traditional
    for grid in grids or []:
        grid.rows = [[_plain_cell(cell, traditional) for cell in row] for row in grid.rows]
        page.grids.append(grid)
    return page


def _plain_cell(cell: str, traditional: bool) -> str:
    if cell.isascii():
        return cell
    cell = normalize_chars(cell)
    return traditional_to_simplified(cell) if traditional else cell


def _clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _compact(line: str) -> str:
    """Spaces between Han characters removed ("索 引 号" → "索引号")."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", line)


def _is_meta(line: str) -> bool:
    compact = _compact(line)
    return bool(_LABEL.match(compact) or _DATETIME_FIRST.match(compact) and len(compact) < 60
                or len(_LABEL.findall(compact)) >= 2 or _FONT_SWITCH.search(compact))


def _split_header(lines: list[str], html_title: str | None) -> Page:
    title_at = next((i for i, line in enumerate(lines)
                     if _TITLE.search(line) and len(line) <= 80 and not _is_meta(line)
                     and not line.endswith(("。", "；", ";"))), None)
    page = Page(lines=[])
    if title_at is None:
        page.warnings.append("no report title found on the page")
        if html_title:
            page.title = re.split(r"\s*[-_|｜—]\s*", html_title.strip())[0] or None
        head, body = [], lines
    else:
        page.title = lines[title_at]
        head, body = lines[:title_at], lines[title_at + 1:]
    meta = [line for line in head if _is_meta(line)]
    while body and _is_meta(body[0]):
        meta.append(body.pop(0))
    fields = [pair for line in meta for pair in _label_values(line)]
    for name, labels in _PRIORITY.items():
        for label in labels:
            value = next((v for k, v in fields if k == label and v), None)
            if value is not None:
                setattr(page, name, value if name == "source" else parse_datetime(value))
                if getattr(page, name):
                    break
    page.lines = ([page.title] if title_at is not None else []) + body
    return page


def _label_values(line: str) -> list[tuple[str, str]]:
    """'发布时间：2014-03-06 来源：市科技局' → [('发布时间', '2014-03-06'), ('来源', '市科技局')];
    a line opening with a bare date gives it the label ''."""
    compact = _compact(line)
    marks = list(_LABEL.finditer(compact))
    pairs = []
    if marks and marks[0].start() > 0 or not marks:
        pairs.append(("", compact[:marks[0].start() if marks else len(compact)]))
    for mark, following in zip(marks, marks[1:] + [None]):
        value = compact[mark.end():following.start() if following else len(compact)]
        value = re.split(r"[【|｜]|\s{2,}", value.strip())[0].strip()
        pairs.append((mark.group(0).rstrip(":： "), value))
    return [(label, value.strip()) for label, value in pairs]


def _html_lines(text: str) -> tuple[list[tuple[str, bool]], str | None, list[Grid]]:
    """Render HTML to (line, mostly-link-text) pairs, dropping scripts and chrome blocks; and
    the tables left, as grids."""
    text = _XML_DECLARATION.sub("", text)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError) as err:
        raise ExtractError(f"unparseable HTML: {err}") from err
    if root is None:
        raise ExtractError("unparseable HTML: no document element")
    title_el = root.find(".//title")
    html_title = "".join(title_el.itertext()) if title_el is not None else None
    etree.strip_elements(root, *_SKIP_TAGS, with_tail=False)
    for el in _WITH_CLASS_OR_ID(root):
        if _CHROME_ATTR.search(f"{el.get('class', '')} {el.get('id', '')}"):
            _drop(el)
    body = root.find("body")
    grids = html_grids(body if body is not None else root)
    lines: list[tuple[str, bool]] = []
    buf: list[str] = []
    chars = links = 0
    in_link = 0
    for event, el in etree.iterwalk(body if body is not None else root, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in _BLOCK_TAGS or tag in _CELL_TAGS:
                if tag in _BLOCK_TAGS and buf:
                    line = "".join(buf)
                    if line.strip():
                        lines.append((line, links > chars / 2))
                    buf, chars, links = [], 0, 0
                buf.append(" ")
            if tag == "a":
                in_link += 1
            piece = el.text
        else:
            if tag == "a":
                in_link -= 1
            if tag in _BLOCK_TAGS and buf:
                line = "".join(buf)
                if line.strip():
                    lines.append((line, links > chars / 2))
                buf, chars, links = [], 0, 0
            piece = el.tail
        if piece:
            size = len(piece) - piece.count(" ") - piece.count("\n")
            buf.append(piece)
            chars += size
            if in_link:
                links += size
    if buf and "".join(buf).strip():
        lines.append(("".join(buf), links > chars / 2))
    return [(_NEWLINES.sub(" ", line), linky) for line, linky in lines], html_title, grids


def _drop(el) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
