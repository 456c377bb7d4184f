"""A PDF report → its text (tables in place, one row a line) and its ruled tables as grids,
with pdfplumber (MIT; it reads CID fonts through pdfminer.six).

Damage repaired on the way: doubled characters from fake-bold printing (deduplicated by
position), lines wrapped at the page edge (joined again), Kangxi radicals (mapped back when the
text is normalised). A font without a Unicode map gives "(cid:NN)": such cells stay unread, and
a document that is nothing but such codes is an error. A page with no text layer is a scan."""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral, literal_name

from ..errors import ExtractError
from ..tables.grid import Grid, cell_text

_SENTENCE_END = tuple("。：:；;！!？?）)")
_MAX_PAGES = 500
UNREADABLE_CHAR = "\ufffd"       # a character drawn in a font that has no Unicode map
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*、")       # a new section, never a wrapped line's end
_CELLS = re.compile(r"(?:\s(?:\d+|[/—-])){3,}\s*$")                 # a table row's run of cells


def read_pdf(data: bytes) -> tuple[str, list[Grid]]:
    """The document's text and its tables; ExtractError when it has no readable text."""
    lines, grids, images = [], [], 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > _MAX_PAGES:
                raise ExtractError(f"the PDF has {len(pdf.pages)} pages, over the {_MAX_PAGES}-page limit")
            chars = unmapped = 0
            for number, page in enumerate(pdf.pages, 1):
                fonts = _fonts_without_unicode(page)
                chars += len(page.chars)
                for char in page.chars:
                    if char.get("fontname") in fonts:      # its code says nothing: never read as a digit
                        char["text"] = UNREADABLE_CHAR
                        unmapped += 1
                page_lines, page_grids = _read_page(page.dedupe_chars(tolerance=1), number)
                lines += page_lines
                grids += page_grids
                images += len(page.images)
    except ExtractError:
        raise
    except Exception as err:  # pdfminer raises many types for broken files  # noqa: BLE001
        raise ExtractError(f"unreadable PDF: {type(err).__name__}: {err}".rstrip(": ")) from None
    if unmapped * 2 >= chars > 0:
        raise ExtractError("the PDF's fonts have no Unicode map (Identity-H without ToUnicode): "
                           "its text is unreadable")
    text = "\n".join(lines)
    if not text.strip():
        reason = "a scanned PDF (images, no text layer): needs OCR" if images else "a PDF with no text"
        raise ExtractError(reason)
    if text.count("(cid:") > 20 and text.count("(cid:") * 6 > len(text) / 2:
        raise ExtractError("the PDF's fonts have no Unicode map: its text is unreadable (cid codes)")
    return text, grids


def _read_page(page, number: int) -> tuple[list[str], list[Grid]]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, box) for box in boxes))
    items = [(line["top"], "line", line) for line in outside.extract_text_lines(layout=False, strip=True)]
    items += [(table.bbox[1], "table", table) for table in tables]
    items.sort(key=lambda item: (item[0], item[1]))
    right = max((line["x1"] for _, kind, line in items if kind == "line"), default=page.width)
    lines, grids = [], []
    wrapped = False
    for index, (_, kind, item) in enumerate(items):
        if kind == "table":
            grid, table_lines = _table_grid(item, f"page {number} table {len(grids) + 1}")
            grids.append(grid)
            lines += table_lines
            wrapped = False
            continue
        text = item["text"]
        if wrapped and lines and not _HEADING.match(text):
            lines[-1] += text
        else:
            lines.append(text)
        size = max((c["size"] for c in item["chars"]), default=10)
        wrapped = (item["x1"] >= right - 1.5 * size and not text.endswith(_SENTENCE_END)
                   and not _CELLS.search(text))
    return lines, grids


def _table_grid(table, source: str) -> tuple[Grid, list[str]]:
    """A ruled table as a grid: every cell's text in every row and column slot its box covers
    (pdfplumber gives a merged cell once, with None in the slots it spans); and its rows as
    lines of text, each cell once, in the row where it starts."""
    texts = table.extract()
    boxes: dict[tuple, str] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                boxes[box] = cell_text(texts[r][c] if c < len(texts[r]) else "")
    tops = sorted({round(box[1], 1) for box in boxes})
    lefts = sorted({round(box[0], 1) for box in boxes})
    rows = [[""] * len(lefts) for _ in tops]
    for (x0, top, x1, bottom), text in boxes.items():
        for i, row_top in enumerate(tops):
            if top - 0.5 <= row_top < bottom - 0.5:
                for j, left in enumerate(lefts):
                    if x0 - 0.5 <= left < x1 - 0.5:
                        rows[i][j] = text
    lines = [" ".join(text for box, text in sorted(boxes.items(), key=lambda item: item[0][0])
                      if round(box[1], 1) == top and text) for top in tops]
    return Grid(rows=rows, source=source), [line for line in lines if line]


def _fonts_without_unicode(page) -> set[str]:
    """Composite (Identity-encoded) fonts on the page that have no ToUnicode map: their
    glyph codes say nothing about the characters, whatever pdfminer makes of them."""
    fonts = set()
    resources = resolve1(page.page_obj.resources.get("Font")) or {}
    for reference in resources.values():
        font = resolve1(reference)
        if not isinstance(font, dict) or "ToUnicode" in font:
            continue
        encoding = resolve1(font.get("Encoding"))
        if isinstance(encoding, PSLiteral) and encoding.name.startswith("Identity"):
            fonts.add(literal_name(resolve1(font.get("BaseFont"))))
    return fonts


def _inside(obj, box) -> bool:
    x0, top, x1, bottom = box
    return obj["x0"] >= x0 - 1 and obj["x1"] <= x1 + 1 and obj["top"] >= top - 1 and obj["bottom"] <= bottom + 1
