"""An HTML page read with lxml: its text as lines, scripts and chrome blocks dropped, and its
tables as grids. Only a page of HTML needs lxml: page.py imports this module when it meets one."""

from __future__ import annotations

import re

from lxml import etree

from . import lazy_re
from .errors import ExtractError
from .tables.grid import Grid, cell_text, spread

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
# libxml2 stops building the tree 256 elements deep (what lies deeper is lost): a page that goes
# deeper (300 unclosed <font> tags) is read again without its inline formatting tags, by a
# parser that goes to 2048, and the record says so.
_DEEP_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
_INLINE_TAGS = lazy_re.compile(r"</?(?:font|span|b|i|u|strong|em|small|big|strike|s|sub|sup|tt|o:p)(?:\s[^>]*)?/?>", re.I)
_XML_DECLARATION = lazy_re.compile(r"^\s*<\?xml[^>]*\?>")
_NEWLINES = lazy_re.compile(r"[\r\n]+")
# Blocks whose class or id names page furniture ("top-nav", "footer2", "bdsharebuttonbox").
_CHROME_ATTR = lazy_re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|breadcrumbs?|crumbs?|share|bdshare\w*|copyright|"
    r"sidebar|position|location|weizhi|dqwz|related|xgxx|xglj|print|toolbar)(?:$|[\s_-]|\d)",
    re.I,
)
_WITH_CLASS_OR_ID = etree.XPath("//*[@class or @id]")


def html_lines(text: str, warnings: list[str]) -> tuple[list[tuple[str, bool]], str | None, list[Grid]]:
    """Render HTML to (line, mostly-link-text) pairs, dropping scripts and chrome blocks; and
    the tables left, as grids."""
    text = _XML_DECLARATION.sub("", text)
    root = _parse(text, _PARSER)
    if _too_deep(_PARSER):
        root = _parse(_INLINE_TAGS.sub("", text), _DEEP_PARSER)
        warnings.append("the page nests elements more than 256 deep: read again without its inline formatting tags"
                        + ("; what lies more than 2048 deep is still cut" if _too_deep(_DEEP_PARSER) else ""))
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


def _parse(text: str, parser):
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError) as err:
        raise ExtractError(f"unparseable HTML: {err}") from err
    if root is None:
        raise ExtractError("unparseable HTML: no document element")
    return root


def _too_deep(parser) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


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


def html_grids(root) -> list[Grid]:
    """Every innermost <table> under an lxml element (layout tables that hold other tables are
    page structure, not data)."""
    grids = []
    for number, table in enumerate(root.iter("table"), 1):
        if table.find(".//table") is not None:
            continue
        rows = [[(cell_text(_text(td)), _span(td.get("rowspan")), _span(td.get("colspan")))
                 for td in tr if td.tag in ("td", "th")]
                for tr in _ROWS(table)]
        grid = spread(rows, source=f"table {number}")
        if grid.rows:
            grids.append(grid)
    return grids


_ROWS = etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _text(el) -> str:
    """All of an element's text, in one call into libxml2 (a quarter of joining its itertext)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _span(value: str | None) -> int:
    if not value:
        return 1
    if value.isdigit():
        return int(value)
    digits = re.sub(r"\D", "", value)
    return int(digits) if digits else 1
