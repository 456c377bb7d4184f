"""Links on a page and what they lead to: an annual report, a column worth looking through,
an attachment, or nothing to follow; and the URL hygiene that keeps a crawl out of traps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, unquote_to_bytes, urljoin, urlsplit, urlunsplit

from lxml import etree

from extract.decode import read_html
from extract.formats.page_pictures import page_pictures
from extract.normalize import normalize_chars, to_simplified

# documents, and pictures of scanned pages (read by OCR)
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".et", ".ofd",
                       ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
# A report's title: the disclosure words and 报告/年报, and a year (a column has no year).
_REPORT = re.compile(
    r"(?:政府信息公开|政务公开|政务信息公开|信息公开)[^，。,]{0,12}?(?:工作)?(?:年度)?(?:报告|年报)"
    r"|(?:年度|年)(?:政府)?信息公开(?:工作)?(?:报告|年报)"
)
# Titles that name reports but are not one: notices about them, plans, summaries, budgets …
_NOT_REPORT = re.compile(r"通知|要点|工作计划|年度计划|总结|意见|方案|预算|决算|征求|指南|目录|规定|办法|规程|编制|报送|"
                         r"发布工作|统计表|解读|通报")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*(?:年|年度)|^\s*((?:19|20)\d\d)(?!\d)")
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
# A column (listing) worth opening: where reports are listed, or the disclosure area holding it.
_COLUMN = re.compile(r"年报|年度报告|信息公开|政务公开|公开目录|政府信息|法定主动公开")
_COLUMN_URL = re.compile(r"ndbg|xxgkndbg|gknb|zfxxgk|xxgk|zwgk|gkml|gknr|annualreport", re.I)
_LISTING_PATH = re.compile(r"/$|/(?:index|list|default|col\w*)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$", re.I)
_PAGINATION = re.compile(r"^\s*(?:下一页|下页|后页|尾页|末页|最后一页|>|>>|»|›)\s*$")
_PAGE_PARAM = re.compile(r"^(?:page|pagenum|pageno|pageindex|curpage|currentpage|p|pn)$", re.I)
_SESSION_PARAMS = {"jsessionid", "phpsessid", "sessionid", "aspsessionid", "sessid", "cfid", "cftoken"}
_CALENDAR = re.compile(r"(?:^|[?&])(?:date|day|riqi|rq)=\d{4}-?\d{1,2}-?\d{1,2}|(?:^|[?&])year=\d{4}&month=", re.I)
MAX_URL_LENGTH = 400           # characters, each %-escape counted as one (a %-encoded CJK name is 9 a character)
MAX_RAW_URL_LENGTH = 2000      # characters as written: what servers and browsers take at most
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
MAX_COLUMN_NAME = 12           # column names are short (政府信息公开年报); longer texts are documents


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass
class Page:
    """An HTML page, decoded by its bytes (not its label), as an lxml tree."""

    url: str
    text: str
    root: etree._Element | None
    encoding: str | None = None      # what the bytes were read in (None: no encoding fits them)

    @classmethod
    def parse(cls, url: str, body: bytes) -> "Page":
        return cls(url, *read_html(body))

    def links(self) -> list[Link]:
        """Every <a href> with its text (or title attribute, which holds untruncated titles)."""
        return anchors(self.root, self.url)

    def page_pictures(self) -> list[str]:
        """The pictures in the page's body that can be scans of a report's pages, in order."""
        return page_pictures(self.root, self.url)

    def embedded(self) -> list[str]:
        """Documents shown inside the page: iframe/embed/object sources and pdf.js viewers."""
        if self.root is None:
            return []
        urls = []
        for el in self.root.iter("iframe", "embed", "object", "frame"):
            src = el.get("src") or el.get("data")
            if not src:
                continue
            src = urljoin(self.url, src.strip())
            query = dict(parse_qsl(urlsplit(src).query))
            if "file" in query and "viewer" in urlsplit(src).path.lower():
                src = urljoin(self.url, query["file"])
            urls.append(src)
        return urls


def anchors(root: etree._Element | None, base: str) -> list[Link]:
    """The links under `root`, with plain simplified text (a 繁體 page's titles read the same)."""
    if root is None:
        return []
    found = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        text = " ".join("".join(a.itertext()).split())
        title = a.get("title") or ""
        text = title if len(title) > len(text) else text
        found.append(Link(urljoin(base, href.strip()), to_simplified(normalize_chars(text))[0] if text else ""))
    return found


def is_report_title(text: str, extra: re.Pattern | None = None) -> bool:
    """Link text naming one year's annual report (not the column, not a notice about reports)."""
    text = text.strip()
    if not text or len(text) > 80 or _NOT_REPORT.search(text):
        return False
    named = _REPORT.search(text) or (extra is not None and extra.search(text))
    return bool(named) and year_of(text) is not None


def is_column(text: str, url: str) -> bool:
    """A link to a listing or area that may hold reports: named so (政府信息公开, 年报 …), or a
    listing page under a disclosure path (…/xxgk/, …/ndbg/index.html), never a dated document."""
    if year_of(text) is not None or is_attachment(url):
        return False
    if _COLUMN.search(text) and not _NOT_REPORT.search(text) and len(text) <= MAX_COLUMN_NAME:
        return True
    path = urlsplit(url).path
    return bool(_COLUMN_URL.search(path) and _LISTING_PATH.search(path) and len(text) <= 12)


def is_pagination(link: Link, page_url: str) -> bool:
    """下一页/尾页 links, and links that differ from this page only by a page-number parameter."""
    if _PAGINATION.match(link.text):
        return True
    here, there = urlsplit(page_url), urlsplit(link.url)
    if here.path != there.path or here.netloc != there.netloc:
        return False
    a, b = dict(parse_qsl(here.query)), dict(parse_qsl(there.query))
    changed = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    return bool(changed) and all(_PAGE_PARAM.match(k) for k in changed)


def is_attachment(url: str, text: str = "") -> bool:
    path = unquote(urlsplit(url).path).lower()
    query = unquote(urlsplit(url).query).lower()
    return path.endswith(ATTACHMENT_SUFFIXES) or any(query.endswith(s) for s in ATTACHMENT_SUFFIXES) or \
        text.strip().lower().endswith(ATTACHMENT_SUFFIXES)


def year_of(text: str) -> int | None:
    """The year a title names (2013年度, 2013年, 二〇一三年)."""
    match = _YEAR.search(text)
    if match:
        return int(match.group(1) or match.group(2))
    match = _CN_YEAR.search(text)
    if match:
        return int("".join(_CN_DIGITS[c] for c in match.group(1)))
    return None


def clean_url(url: str) -> tuple[str | None, str]:
    """The URL to request (fragment and session ids dropped), or None with the reason it is a
    trap or not fetchable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None, f"not http(s): {parts.scheme or 'relative'}"
    if len(url) > MAX_RAW_URL_LENGTH or len(_ESCAPE.sub("%", url)) > MAX_URL_LENGTH:
        return None, f"URL too long ({len(url)} characters; at most {MAX_URL_LENGTH} counting each %-escape as one)"
    path = re.sub(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", "", parts.path, flags=re.I)
    segments = [s for s in path.split("/") if s]
    if any(segments.count(s) >= 3 for s in set(segments)) or _has_repeating_run(segments):
        return None, "repeating path segments"
    if _CALENDAR.search(parts.query):
        return None, "calendar"
    # drop session ids from the query as written (re-encoding would break GBK %-escapes)
    query = "&".join(piece for piece in parts.query.split("&")
                     if piece and piece.split("=", 1)[0].lower() not in _SESSION_PARAMS)
    return urlunsplit((parts.scheme, parts.netloc.lower(), path or "/", query, "")), ""


def _has_repeating_run(segments: list[str]) -> bool:
    """/a/b/a/b/a/b: a run of segments repeated three times."""
    for size in range(2, len(segments) // 3 + 1):
        for i in range(len(segments) - 3 * size + 1):
            run = segments[i:i + size]
            if segments[i + size:i + 2 * size] == run == segments[i + 2 * size:i + 3 * size]:
                return True
    return False


def file_name(url: str) -> str:
    """An attachment's file name as written, whether its %-encoding is UTF-8 or GBK."""
    raw = unquote_to_bytes(urlsplit(url).path.rsplit("/", 1)[-1])
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")
