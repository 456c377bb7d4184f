"""A PDF report → its text (tables in place, one row a line) and its ruled tables as grids.

Read by PDFium (pypdfium2: characters with their boxes, ruling lines from the page's path
objects; pdfium_pages.py lays them out as pdfplumber would), about ten times as fast, wherever
a raw scan of the file (pdf_guard.py) shows PDFium can be handed it within the bounds below;
otherwise by pdfplumber (MIT; it reads CID fonts through pdfminer.six), which counts its own work:
encrypted files, filters the scan does not follow, composite fonts without a Unicode map, page
trees that disagree with their objects, rotated pages and sideways text, and every bomb.

Damage repaired on the way: doubled characters from fake-bold printing (deduplicated by
position), lines wrapped at the page edge (joined again), Kangxi radicals (mapped back when the
text is normalised). A font without a Unicode map gives "(cid:NN)" (pdfminer) or unreadable
characters (PDFium, or pdfminer in a composite font without one): such cells stay unread, never
read as digits. A page with no text layer is a scan: it is rendered and read by OCR (ocr.py),
and so is every page of a document whose fonts have no Unicode map at all.

Bombs are refused with bounded work (PdfLimits): the page count is read from the document's
page tree root before any page is walked (and the walk stops past the limit whatever the root
says); every stream pdfminer inflates (Flate, LZW, nested or not) counts against one budget of
inflated bytes per document, decompressed a bounded piece at a time; and the drawing operators
interpreted (and their operands) are counted per document. PDFium, which inflates and parses in
C, is handed a file only when the raw scan has inflated every stream within that budget (a
piece at a time) and found its tokens within the operator budget and its page objects within
the page limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import contextvars
import io
import itertools
import zlib
from bisect import bisect_left
from dataclasses import dataclass

import pdfminer.pdftypes
import pdfplumber
import pdfplumber.page
import pypdfium2
from pdfminer.lzw import LZWDecoder
import pdfminer.pdfinterp
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral, literal_name

from ..errors import ExtractError
from . import pdf_guard, pdfium_pages
from .wrapping import continues, runs_on
from ..tables.grid import Grid, cell_text

if TYPE_CHECKING:     # OCR (OpenCV, Tesseract) is imported only when a scan is met
    from . import ocr

_MAX_PAGES = 500
UNREADABLE_CHAR = pdfium_pages.UNREADABLE_CHAR      # a character drawn in a font that has no Unicode map


@dataclass
class PdfLimits:
    """What one PDF may make pdfminer do."""
    inflated: int = 256 * 2**20         # bytes out of all its streams' filters together
    operators: int = 5_000_000          # content-stream operators and operands, over all its pages


class _Spent(ExtractError):
    """A PDF past one of its limits (pdfminer may swallow the first raise: `Budget.refusal` stays)."""


class _Budget:
    """What is left of one document's PdfLimits while it is read."""

    def __init__(self, limits: PdfLimits):
        self.limits, self.inflated, self.operators, self.refusal = limits, 0, 0, None

    def room(self) -> int:
        return self.limits.inflated - self.inflated

    def inflate(self, produced: int) -> None:
        self.inflated += produced
        if self.inflated > self.limits.inflated:
            self.refuse(f"the PDF's streams inflate past {self.limits.inflated // 2**20} MiB: refused as a "
                        "decompression bomb")

    def operator(self) -> None:
        self.operators += 1
        if self.operators > self.limits.operators:
            self.refuse(f"the PDF's pages hold more than {self.limits.operators:,} operators and operands: "
                        "refused as a bomb")

    def refuse(self, reason: str):
        self.refusal = self.refusal or reason
        raise _Spent(self.refusal)


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pdf_budget", default=None)


def read_pdf(data: bytes, limits: PdfLimits = PdfLimits()) -> tuple[str, list[Grid], ocr.ScannedText | None]:
    """The document's text and its tables, and what OCR saw where pages were scans (None where
    none was); ExtractError when it has no readable text, when a scan needs an OCR engine that
    is not installed, or when reading it would pass `limits` (or _MAX_PAGES pages)."""
    budget = _Budget(limits)
    token = _BUDGET.set(budget)
    try:
        text, grids, scanned = _read_pdf(data)
    except _Spent:
        raise ExtractError(budget.refusal) from None
    finally:
        _BUDGET.reset(token)
    if budget.refusal:                  # raised inside pdfminer, and caught there
        raise ExtractError(budget.refusal)
    return text, grids, scanned


def _read_pdf(data: bytes) -> tuple[str, list[Grid], ocr.ScannedText | None]:
    found = pdf_guard.scan(data, _BUDGET.get().limits, _MAX_PAGES)
    read = _read_with_pdfium(data, found.pages) if found.refused is None else None
    return _whole(data, *(read or _read_with_pdfminer(data)))


def _whole(data: bytes, pages: list, chars: int, unmapped: int) -> tuple[str, list[Grid], ocr.ScannedText | None]:
    """The document from its pages (None: a scan), or by OCR where its fonts could not be read."""
    if unmapped * 2 >= chars > 0:
        return _read_scans(data, [None] * len(pages), "the PDF's fonts have no Unicode map (Identity-H without "
                           "ToUnicode): its text is unreadable")
    text = "\n".join(line for page in pages if page for line in page[0])
    if not text.strip() and None not in pages:
        raise ExtractError("a PDF with no text")
    if text.count("(cid:") > 20 and text.count("(cid:") * 6 > len(text) / 2:
        return _read_scans(data, [None] * len(pages), "the PDF's fonts have no Unicode map: its text is "
                           "unreadable (cid codes)")
    if None in pages:
        return _read_scans(data, pages, "a scanned PDF (images, no text layer)")
    return text, [grid for page in pages for grid in page[1]], None


def _read_with_pdfium(data: bytes, page_objects: int) -> tuple[list, int, int] | None:
    """The pages read by PDFium (None for a scan), with how many characters they hold and how
    many of those had no Unicode map; None where PDFium cannot read the file, counts other pages
    than the file holds or meets a page it does not lay out (the pdfminer path then reads it)."""
    try:
        document = pdfium_pages.open_document(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        count = len(document)             # the page tree's declared count
        if count > _MAX_PAGES:
            raise ExtractError(f"the PDF has {count} pages, over the {_MAX_PAGES}-page limit")
        if count != page_objects:
            return None
        pages, totals = [], [0, 0]

        def layout(page: pdfium_pages.Page):
            totals[0] += page.chars
            totals[1] += page.unmapped
            if not page.chars and page.images:
                return None
            return _layout(page.lines, page.tables, page.width, page.font_size, len(pages) + 1)

        for index in range(count):
            pages.append(pdfium_pages.read_page(document, index, layout))
        return pages, totals[0], totals[1]
    except (pypdfium2.PdfiumError, pdfium_pages.Unsupported):
        return None
    finally:
        document.close()


def _read_with_pdfminer(data: bytes) -> tuple[list, int, int]:
    """The pages read by pdfplumber (None for a scan), with how many characters they hold and
    how many of those are drawn in a font without a Unicode map."""
    pages: list[tuple[list[str], list[Grid]] | None] = []
    try:
        # not `with`: pdfplumber's close() walks every page of the tree, however many it has
        pdf = pdfplumber.open(io.BytesIO(data))
        chars = unmapped = 0
        for number, page in enumerate(_pages(pdf), 1):
            fonts = _fonts_without_unicode(page)
            chars += len(page.chars)
            for char in page.chars:
                if char.get("fontname") in fonts:      # its code says nothing: never read as a digit
                    char["text"] = UNREADABLE_CHAR
                    unmapped += 1
            pages.append(None if not page.chars and page.images else _read_page(page.dedupe_chars(tolerance=1), number))
            page.close()                               # its layout and objects are not needed again
    except ExtractError:
        raise
    except Exception as err:  # pdfminer raises many types for broken files  # noqa: BLE001
        budget = _BUDGET.get()
        if budget is not None and budget.refusal:
            raise ExtractError(budget.refusal) from None
        raise ExtractError(f"unreadable PDF: {type(err).__name__}: {err}".rstrip(": ")) from None
    return pages, chars, unmapped


def _read_scans(data: bytes, pages: list, why: str) -> tuple[str, list[Grid], ocr.ScannedText]:
    """The document with its pages marked None read by OCR, in their places."""
    from . import ocr

    scanned = ocr.ScannedText()
    try:
        read = ocr.read_pdf_pages(data, [number for number, page in enumerate(pages, 1) if page is None], scanned)
    except ExtractError as err:
        raise ExtractError(f"{why}: {err.reason}", needs=err.needs) from None
    pages = [page or read[number] for number, page in enumerate(pages, 1)]
    return "\n".join(line for lines, _ in pages for line in lines), [grid for _, grids in pages for grid in grids], scanned


def _pages(pdf):
    """The document's pages one at a time (pdfplumber's own list walks them all first), after its
    page tree's declared count, and never more than _MAX_PAGES of them whatever it declares."""
    declared = resolve1((resolve1(pdf.doc.catalog.get("Pages")) or {}).get("Count")) \
        if isinstance(resolve1(pdf.doc.catalog.get("Pages")), dict) else None
    if isinstance(declared, int) and declared > _MAX_PAGES:
        raise ExtractError(f"the PDF has {declared} pages, over the {_MAX_PAGES}-page limit")
    doctop = 0
    for number, page_object in enumerate(itertools.islice(PDFPage.create_pages(pdf.doc), _MAX_PAGES + 1), 1):
        if number > _MAX_PAGES:
            raise ExtractError(f"the PDF has more than {_MAX_PAGES} pages, over the limit")
        page = pdfplumber.page.Page(pdf, page_object, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


def _read_page(page, number: int) -> tuple[list[str], list[Grid]]:
    """A pdfplumber page's lines and tables."""
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, box) for box in boxes))
    lines = [pdfium_pages.Line(line["text"], line["top"], line["x1"], line["chars"])
             for line in outside.extract_text_lines(layout=False, strip=True)]
    tables = []
    for table in found:
        rows = [row.cells for row in table.rows]
        texts = {box: text for row, row_texts in zip(rows, table.extract()) for box, text in zip(row, row_texts) if box}
        tables.append(pdfium_pages.Table(table.bbox, rows, texts))
    return _layout(lines, tables, page.width, lambda char: char["size"], number)


def _layout(lines: list, tables: list, width: float, font_size, number: int) -> tuple[list[str], list[Grid]]:
    """A page's text, tables in place (one row a line), lines wrapped at the page edge joined
    again; and its tables as grids. `font_size` gives a character's size."""
    items = [(line.top, "line", line) for line in lines]
    items += [(table.bbox[1], "table", table) for table in tables]
    items.sort(key=lambda item: (item[0], item[1]))
    right = max((line.x1 for line in lines), default=width)
    out, grids = [], []
    wrapped = False
    for _, kind, item in items:
        if kind == "table":
            grid, table_lines = _table_grid(item, f"page {number} table {len(grids) + 1}")
            grids.append(grid)
            out += table_lines
            wrapped = False
            continue
        text = item.text
        if wrapped and out and continues(text):
            out[-1] += text
        else:
            out.append(text)
        wrapped = runs_on(text, item.x1, right, max((font_size(c) for c in item.chars), default=10))
    return out, grids


def _table_grid(table: pdfium_pages.Table, source: str) -> tuple[Grid, list[str]]:
    """A ruled table as a grid: every cell's text in every row and column slot its box covers
    (a merged cell is given once, with None in the slots it spans); and its rows as lines of
    text, each cell once, in the row where it starts."""
    boxes = {box: cell_text(table.texts.get(box) or "") for row in table.rows for box in row if box is not None}
    tops = sorted({round(box[1], 1) for box in boxes})
    lefts = sorted({round(box[0], 1) for box in boxes})
    rows = [[""] * len(lefts) for _ in tops]
    for (x0, top, x1, bottom), text in boxes.items():
        for i in range(bisect_left(tops, top - 0.5), bisect_left(tops, bottom - 0.5)):
            for j in range(bisect_left(lefts, x0 - 0.5), bisect_left(lefts, x1 - 0.5)):
                rows[i][j] = text
    starting: dict[float, list] = {top: [] for top in tops}
    for box, text in sorted(boxes.items(), key=lambda item: item[0][0]):
        if text:
            starting[round(box[1], 1)].append(text)
    lines = [" ".join(starting[top]) for top in tops]
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


# --- pdfminer's inflating and interpreting, counted against the document's budget -------------

def _inflate(inflater, data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is None:
        return inflater.decompress(data)
    produced = inflater.decompress(data, budget.room() + 1)
    budget.inflate(len(produced))
    return produced


class _BoundedZlib:
    """What pdfminer.pdftypes sees as `zlib`: the same, with the output counted and bounded."""
    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *_) -> bytes:
        inflater = zlib.decompressobj()
        produced = _inflate(inflater, data)
        if not inflater.eof:                # as zlib.decompress says of a cut stream (pdfminer then salvages it)
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return produced


def _salvaged(data: bytes) -> bytes:
    """pdfminer's decompress_corrupted (what inflates before a damaged end), linear and bounded."""
    try:
        return _inflate(zlib.decompressobj(), data)
    except zlib.error:
        return b""


def _lzw(data: bytes) -> bytes:
    out, budget = [], _BUDGET.get()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        if budget is not None:
            budget.inflate(len(piece))
        out.append(piece)
    return b"".join(out)


class _CountingParser(PDFContentParser):
    """pdfminer's content-stream parser, each operator and operand counted (what the page
    interpreter, and the interpreters of form XObjects, run on)."""

    def nextobject(self):
        found = super().nextobject()
        budget = _BUDGET.get()
        if budget is not None:
            budget.operator()
        return found


pdfminer.pdftypes.zlib = _BoundedZlib
pdfminer.pdftypes.decompress_corrupted = _salvaged
pdfminer.pdftypes.lzwdecode = _lzw
pdfminer.pdfinterp.PDFContentParser = _CountingParser
