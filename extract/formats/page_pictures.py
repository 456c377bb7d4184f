"""Pictures of a report's pages in the body of its HTML page: many county sites publish a scanned
report as a page whose body is only page images (<img src="…/W020….jpg">, one a page). Which of a
page's pictures can be page scans, in their order down the page: the crawler fetches them with
the page (documents of kind `page_scan`), and extraction reads them by OCR in that order, after
the page's own text (archive/extraction.py, extract/report.py).

Logos, icons, QR codes, banners and the page's chrome are left out before anything is fetched: by
where a picture stands (a header, a navigation bar, a footer, a link to a page), its file name
and the size the page shows it at. A picture fetched that is still too small to be a page (by its
own pixels) is not read (`is_page_sized`)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from .. import lazy_re
from ..decode import html_tree

PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
SOURCE_ATTRIBUTES = ("data-original", "data-src", "src")     # lazy loading keeps the picture in data-*
CHROME_TAGS = {"header", "nav", "footer", "aside"}
# A class, id or file name naming page furniture, not the report (word parts: "top_logo", "qr-code1";
# not "bg", which is also 报告's pinyin initials).
CHROME_WORDS = lazy_re.compile(
    r"(?:^|[\s_\-.\d])(?:logo|icon|ico|banner|header|head|top|nav|navbar|menu|footer|foot|bottom|share|"
    r"bdshare\w*|qr|qrcode|ewm|erweima|weixin|wechat|wx|weibo|btn|button|arrow|sidebar|yqlj|jiucuo|"
    r"dzjg|wza|beian|gongan|police|copyright)(?:$|[\s_\-.\d])", re.I)
MIN_SHOWN = 200          # px: a picture shown narrower or lower than this is an icon or a QR code
MIN_PIXELS = 500         # px: a page scan's shorter side has at least this many (a 60-dpi A4 page)
MAX_PICTURES = 100       # a report page's page scans, at most
_PIXELS = lazy_re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*", re.I)
_SHOWN = lazy_re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?)\s*px", re.I)


def page_pictures(root: etree._Element | None, base: str) -> list[str]:
    """The absolute URLs of the pictures in the page's body that can be page scans, in their
    order down the page, each once."""
    found: list[str] = []
    for img in root.iter("img") if root is not None else ():
        url = _source(img, base)
        if url and _can_be_page(img, url):
            url = _original(img, base) or url
            if url not in found:
                found.append(url)
    return found[:MAX_PICTURES]


def in_page_order(page: bytes, base: str, urls: list[str]) -> list[str]:
    """`urls` (a page's archived page scans) in the order the page (its bytes) shows them; any it
    no longer shows come last."""
    order = page_pictures(html_tree(page)[1], base)
    return sorted(urls, key=lambda url: (order.index(url) if url in order else len(order), url))


def is_page_sized(width: int, height: int) -> bool:
    """Whether a picture has the pixels of a page scan (or of pages one under another)."""
    return min(width, height) >= MIN_PIXELS


def _source(img: etree._Element, base: str) -> str | None:
    for attribute in SOURCE_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base, value)
    return None


def _original(img: etree._Element, base: str) -> str | None:
    """The picture a shown one links to (a thumbnail linked to its full-size scan), if any."""
    link = next((parent for parent in img.iterancestors("a") if parent.get("href")), None)
    href = urljoin(base, link.get("href").strip()) if link is not None else None
    return href if href and unquote(urlsplit(href).path).lower().endswith(PICTURE_SUFFIXES) else None


def _can_be_page(img: etree._Element, url: str) -> bool:
    """A picture file, not named as furniture, shown large enough, standing outside the page's
    chrome and not inside a link to another page."""
    path = unquote(urlsplit(url).path).lower()
    if not path.endswith(PICTURE_SUFFIXES) or CHROME_WORDS.search(path.rsplit("/", 1)[-1]):
        return False
    if any(size < MIN_SHOWN for size in _shown(img)):
        return False
    for parent in img.iterancestors():
        if parent.tag in CHROME_TAGS or CHROME_WORDS.search(f"{parent.get('class', '')} {parent.get('id', '')}"):
            return False
        href = parent.get("href") if parent.tag == "a" else None
        if href and not unquote(urlsplit(href).path).lower().endswith(PICTURE_SUFFIXES):
            return False        # a banner or button linking elsewhere (a picture linked to itself enlarges it)
    return True


def _shown(img: etree._Element) -> list[float]:
    """The width and height in pixels the page shows a picture at, where it says (attributes or
    style); percentages and em say nothing of the picture."""
    sizes = [float(match.group(1)) for value in (img.get("width"), img.get("height"))
             if (match := _PIXELS.fullmatch(value or ""))]
    return sizes + [float(match.group(2)) for match in _SHOWN.finditer(img.get("style") or "")]
