"""Scanned pages (image-only PDF pages, JPG/PNG/TIFF/BMP attachments) → lines of text and table
grids, with Tesseract 5's chi_sim model through tesserocr (one engine loaded per process, each
table cell read on its own). Each page is cleaned first (scan_pages.py); its ruled tables are
found on the image (scan_tables.py) and read cell by cell, a cell that holds a number read again
in digits mode; the rest of the page is read as text, its lines rebuilt from the word boxes.

Every number keeps the confidence Tesseract gave its word (0-100): a line's lowest is kept
against the line (`ScannedText.confidence`), and a table cell read below LOW_CONFIDENCE is
named in the warnings. Nothing is ever downloaded: the model is Debian's
(`tesseract-ocr-chi-sim`); without it a scan fails with NEEDS_OCR and stays archived."""

from __future__ import annotations

import difflib
import io
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .. import lazy_re
from ..errors import ExtractError
from ..normalize import normalize_chars, to_simplified
from ..tables.grid import Grid, cell_text
from . import scan_pages
from .page_pictures import is_page_sized
from .wrapping import continues, runs_on
from .scan_tables import ScannedTable, find_tables, ruling_lines
from .tesseract import LOW_CONFIDENCE, tessdata

ENGINE = "Tesseract"
NEEDS_OCR = "needs OCR (install tesseract-ocr tesseract-ocr-chi-sim)"
DPI = 300                       # PDF pages are rendered at this resolution
LONG_RULE = 0.6                 # inches: a rule outside a table is longer than a heading's 一 (a 二号 one is 0.3)
WORD_GAP = 2.0                  # characters: a wider gap between two words on a line is a space
REREAD_BELOW = 30               # a word read below this confidence is read again with its line (_mended)
_MAX_PIXELS = 60_000_000        # an image past this (a 7,700-pixel square) is refused, not read
_MAX_FRAMES = 500               # pages of one image file (a TIFF), as of one PDF
_NUMBER_LIKE = lazy_re.compile(r"^[\s\d/.\-—|lIoO]+$")      # what a number cell reads as in chi_sim
_DIGITS = "0123456789./-"
_NUMBER = lazy_re.compile(r"^-?\d[\d.,]*$")
_NUMBER_OR_BLANK = lazy_re.compile(r"^(?:-?\d[\d.,]*|/|-)$")     # what a digits-mode read may give a cell
_HAN = lazy_re.compile(r"[\u4e00-\u9fff]")


@dataclass
class ScannedText:
    """What OCR found beside the text: the confidences of the numbers, the cells read with low
    confidence, which pages it read and how sure it was of each."""
    confidence: dict[str, float] = field(default_factory=dict)   # line key → its numbers' lowest confidence
    wording: dict[str, float] = field(default_factory=dict)      # a line without numbers → its words' lowest
    warnings: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)              # the document's pages read by OCR
    mean: list[float] = field(default_factory=list)             # each page's mean word confidence
    pictures: list[str] = field(default_factory=list)           # the page scans read, in order (read_scans)

    def keep(self, line: str, numbers: list[float], words: list[float]) -> None:
        """A line's confidence: its numbers' lowest, or where it has none its words' lowest."""
        if numbers:
            self.confidence[line_key(line)] = min(numbers)
        elif words:
            self.wording[line_key(line)] = min(words)

    def document(self) -> dict:
        """What the record's `document` says of the OCR."""
        return {"engine": engine_name(), "pages": self.pages, "mean_confidence": self.mean} | (
            {"pictures": self.pictures} if self.pictures else {})


def line_key(line: str) -> str:
    """A line's letters and digits after the page's own normalisation: how a line of the report
    text finds its confidence again."""
    return "".join(ch for ch in to_simplified(normalize_chars(line))[0] if ch.isalnum())


def engine_name() -> str:
    import tesserocr
    return f"Tesseract {tesserocr.tesseract_version().split()[1]} chi_sim"


def read_images(data: bytes) -> tuple[str, list[Grid], ScannedText]:
    """An image file (every frame of a TIFF) read as scanned pages: text, grids, what OCR saw."""
    image, frames = _frames(data)
    _engine()
    scanned = ScannedText()
    lines, grids = _read_frames(image, frames, scanned)
    return "\n".join(lines), grids, scanned


def read_scans(pictures: list[tuple[str, bytes]]) -> tuple[str, list[Grid], ScannedText]:
    """The pictures of a report's pages shown in its HTML page's body ((URL, bytes), in the
    page's order) read as its pages: text, grids, what OCR saw. A picture that cannot be read,
    or has too few pixels to be a page (an icon, a QR code), is named in the warnings and left
    out; the engine is needed only where one is a page."""
    scanned, lines, grids = ScannedText(), [], []
    for number, (name, data) in enumerate(pictures, 1):
        try:
            image, frames = _frames(data)
        except ExtractError as err:
            scanned.warnings.append(f"picture {number} of the page ({name}): {err.reason}; not read")
            continue
        if not is_page_sized(image.width, image.height):
            scanned.warnings.append(f"picture {number} of the page ({name}) is {image.width}×{image.height} "
                                    "pixels, too few for a page: not read")
            continue
        _engine()
        try:
            page_lines, page_grids = _read_frames(image, frames, scanned)
        except ExtractError as err:
            scanned.warnings.append(f"picture {number} of the page ({name}): {err.reason}; not read")
            continue
        lines += page_lines
        grids += page_grids
        scanned.pictures.append(name)
    return "\n".join(lines), grids, scanned


def _frames(data: bytes):
    """An image file opened, and its frames (every frame of a TIFF) in RGB, decoded one at a
    time as they are read; ExtractError where it cannot be read, or a frame is too large, or
    there are more than _MAX_FRAMES (said when that frame is reached)."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
    except Image.UnidentifiedImageError:
        raise ExtractError("unreadable image: its bytes begin like a picture but no picture can be read from "
                           "them (damaged or cut short)") from None
    except Exception as err:   # Pillow raises many types for broken files  # noqa: BLE001
        raise ExtractError(f"unreadable image: {type(err).__name__}: {err}") from None
    _check_size(image)
    frames = _decoded(image)
    return image, itertools.chain([next(frames)], frames)      # the first decoded now: a broken file says so at once


def _decoded(image):
    from PIL import ImageSequence

    try:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index >= _MAX_FRAMES:
                raise ExtractError(f"the image has more than {_MAX_FRAMES} frames, over the limit")
            _check_size(frame)
            yield np.array(frame.convert("RGB"))
    except ExtractError:
        raise
    except Exception as err:   # Pillow raises many types for broken files  # noqa: BLE001
        raise ExtractError(f"unreadable image: {type(err).__name__}: {err}") from None


def _check_size(frame) -> None:
    if frame.width * frame.height > _MAX_PIXELS:
        raise ExtractError(f"the image is {frame.width}×{frame.height} pixels, over the limit")


def _read_frames(image, frames, scanned: ScannedText) -> tuple[list[str], list[Grid]]:
    """An image file's frames read as the next pages of `scanned`: their lines and grids."""
    lines, grids = [], []
    for rgb in frames:
        page_lines, page_grids = read_page(rgb, len(scanned.pages) + 1, scanned, dpi=_dpi(image, rgb))
        lines += page_lines
        grids += page_grids
    return lines, grids


def read_pdf_pages(data: bytes, numbers: list[int], scanned: ScannedText) -> dict[int, tuple[list[str], list[Grid]]]:
    """PDF pages (numbered from 1) read as scans: each page's lines and grids."""
    import pypdfium2

    _engine()
    document = pypdfium2.PdfDocument(data)
    read = {}
    for number in numbers:
        rgb, dpi = _page_image(document[number - 1])
        read[number] = read_page(rgb, number, scanned, dpi=dpi)
    return read


def _page_image(page) -> tuple[np.ndarray, int]:
    """A PDF page as an image and its resolution: the scan itself where the page is one image
    (as scanned, not resampled), else the page rendered at DPI."""
    import pypdfium2.raw

    width, height = page.get_size()
    images = list(page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) == 1:
        left, bottom, right, top = images[0].get_bounds()
        pixels = images[0].get_px_size()
        if (right - left) * (top - bottom) >= 0.9 * width * height and pixels[0] * pixels[1] <= _MAX_PIXELS:
            try:
                bitmap = images[0].get_bitmap(render=False)
            except pypdfium2.PdfiumError:
                bitmap = None
            if bitmap is not None:
                return np.array(bitmap.to_pil().convert("RGB")), round(pixels[0] * 72 / (right - left))
    scale = min(DPI / 72, (_MAX_PIXELS / max(width * height, 1)) ** 0.5)
    return np.array(page.render(scale=scale).to_pil().convert("RGB")), round(scale * 72)


def read_page(rgb: np.ndarray, number: int, scanned: ScannedText, dpi: int = DPI) -> tuple[list[str], list[Grid]]:
    """One scanned page's lines and grids; its confidences and warnings go to `scanned`."""
    engine = _engine()
    if dpi < DPI * 0.8:          # small print at a low resolution: Tesseract reads it better enlarged
        rgb = cv2.resize(rgb, None, fx=DPI / dpi, fy=DPI / dpi, interpolation=cv2.INTER_CUBIC)
        dpi = DPI
    grey, ink = scan_pages.prepared(rgb, engine.orientation)
    pages = scan_pages.halves(ink)
    lines, grids = [], []
    for part, columns in enumerate(pages):
        where = f"page {number}" + (f" {('left', 'right')[part]} half" if len(pages) > 1 else "")
        page_lines, page_grids = _read_ink(grey[:, columns], ink[:, columns], where, dpi, engine, scanned)
        lines += page_lines
        grids += page_grids
    scanned.pages.append(number)
    return lines, grids


def _read_ink(grey: np.ndarray, ink: np.ndarray, where: str, dpi: int, engine,
              into: ScannedText) -> tuple[list[str], list[Grid]]:
    """A page's text lines and tables, in their order down the page."""
    horizontal, vertical = ruling_lines(ink, dpi)
    rules = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    text_only = ink & ~rules
    paper = np.where(rules > 0, 255, grey).astype(np.uint8)      # the page without its ruling lines
    tables = find_tables(ink, dpi)
    blanked = np.where(_long_rules(ink, dpi) > 0, 255, grey).astype(np.uint8)
    for table in tables:
        blanked[table.top:table.bottom + 1, :] = 255
    words = engine.words(blanked)
    text_lines = [_mended(line, blanked, engine) for line in _lines(words)]
    right = max((line[-1][2] for line in text_lines), default=0)       # the text's right margin
    items = [(line[0][1], "line", line) for line in text_lines]
    items += [(table.top, "table", table) for table in tables]
    confidences = [conf for *_, conf in words]
    lines, grids, wrapped, line_words = [], [], False, []
    for _, kind, item in sorted(items, key=lambda item: (item[0], item[1])):
        if kind == "line":
            text = _joined(item)
            if wrapped and lines and continues(text):     # the line before ran on into this one
                lines[-1] += text
                line_words += item
            else:
                lines.append(text)
                line_words = list(item)
            into.keep(lines[-1], [conf for *_, word, conf in line_words if re.search(r"\d", word)],
                      [conf for *_, conf in line_words])
            wrapped = _wraps(item, text, right)
            continue
        grid, table_lines, read = _table(item, paper, text_only, engine, f"{where} table {len(grids) + 1}", into)
        grids.append(grid)
        lines += table_lines
        confidences += read
        wrapped = False
    into.mean.append(round(float(np.mean(confidences)), 1) if confidences else 0.0)
    return lines, grids


def _long_rules(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The rules outside the tables that the text is read without: longer than any character
    (a table's rules are shorter, and so is the 一 of a heading)."""
    horizontal, vertical = ruling_lines(ink, dpi, inches=LONG_RULE)
    return cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))


def _table(table: ScannedTable, paper, ink, engine, source: str, into: ScannedText):
    """The table's grid (merged cells spread over their slots), its rows as lines of text, and
    the confidence of each cell read."""
    texts: dict[tuple, tuple[str, float | None]] = {}
    pad = 4
    for cell in table.cells:
        r0, c0, r1, c1 = cell
        y0, y1 = table.rows[r0] + pad, table.rows[r1 + 1] - pad
        x0, x1 = table.columns[c0] + pad, table.columns[c1 + 1] - pad
        texts[cell] = engine.cell(paper, ink, x0, y0, x1, y1)
    height, width = len(table.rows) - 1, len(table.columns) - 1
    rows = [[""] * width for _ in range(height)]
    for (r0, c0, r1, c1), (text, _) in texts.items():
        for i in range(r0, r1 + 1):
            for j in range(c0, c1 + 1):
                rows[i][j] = text
    lines = []
    for i in range(height):
        starting = sorted((c0, text) for (r0, c0, _, _), (text, _) in texts.items() if r0 == i and text)
        if starting:
            lines.append(" ".join(text for _, text in starting))
            read = [(text, conf) for (r0, _, _, _), (text, conf) in texts.items() if r0 == i and conf is not None]
            into.keep(lines[-1], [conf for text, conf in read if _NUMBER.match(text)], [conf for _, conf in read])
    for (r0, c0, _, _), (text, conf) in sorted(texts.items()):
        if conf is not None and conf < LOW_CONFIDENCE and _NUMBER.match(text):
            label = next((cell for cell in rows[r0][:c0] if cell and _HAN.search(cell)), f"row {r0 + 1}")
            into.warnings.append(f"{source}: {label[:30]} / column {c0 + 1}: {text!r} read by OCR with "
                                 f"confidence {conf:.0f}% (check it against the scan)")
    kept = [i for i, row in enumerate(rows) if any(row)]
    confidence = {(kept.index(i), j): conf for (r0, c0, r1, c1), (_, conf) in texts.items() if conf is not None
                  for i in range(r0, r1 + 1) if i in kept for j in range(c0, c1 + 1)}
    return Grid(rows=[rows[i] for i in kept], source=source, confidence=confidence), lines, \
        [conf for _, conf in texts.values() if conf is not None]


def _lines(words: list[tuple]) -> list[list[tuple]]:
    """Words grouped into lines by their boxes (a word joins a line its middle lies within),
    each line's words left to right, the lines top to bottom."""
    lines: list[list[tuple]] = []
    for word in sorted(words, key=lambda w: (w[1] + w[3]) / 2):
        middle = (word[1] + word[3]) / 2
        line = lines[-1] if lines else None
        if line and min(w[1] for w in line) <= middle <= max(w[3] for w in line):
            line.append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w[0]) for line in lines]


def _mended(line: list[tuple], paper: np.ndarray, engine) -> list[tuple]:
    """A line's words, each that Tesseract could not read (confidence below REREAD_BELOW; never
    one with a digit, whose doubt must stay said) taken from the line read again as one raw
    line (chi_sim's block mode reads 信函 as 信范, 减免 as 城免; its raw-line mode reads them
    right), where the two readings agree on what stands either side of it."""
    doubtful = [i for i, word in enumerate(line) if word[5] < REREAD_BELOW and not re.search(r"\d", word[4])]
    if not doubtful:
        return line
    again = re.sub(r"\s+", "", engine.raw_line(paper, min(w[0] for w in line), min(w[1] for w in line),
                                               max(w[2] for w in line), max(w[3] for w in line)))
    text = "".join(word[4] for word in line)
    starts = np.cumsum([0] + [len(word[4]) for word in line])
    mended = list(line)
    for i in doubtful:
        read = _aligned(text, again, int(starts[i]), int(starts[i + 1]))
        if read and not re.search(r"\d", read) and len(read) <= len(line[i][4]) + 1:
            mended[i] = (*line[i][:4], read, line[i][5])
    return mended


def _aligned(text: str, again: str, start: int, end: int) -> str | None:
    """What `again` reads where `text` holds [start, end), where the two agree on the characters
    just before and just after it (or it starts or ends the line); None where they do not."""
    matcher = difflib.SequenceMatcher(None, text, again, autojunk=False)
    blocks = matcher.get_matching_blocks()
    left = 0 if start == 0 else next((b + size for a, b, size in blocks if size and a + size == start), None)
    right = len(again) if end == len(text) else next((b for a, b, size in blocks if size and a == end), None)
    if left is None or right is None or right <= left:
        return None
    return again[left:right]


def _wraps(line: list[tuple], text: str, right: int) -> bool:
    """Whether a line goes on in the next: it runs to the right margin (within a character and
    a half) and does not end a sentence or a row of cells, the born-digital reader's rule (pdf.py)."""
    height = float(np.median([w[3] - w[1] for w in line]))
    return runs_on(text, line[-1][2], right, height)


def _joined(line: list[tuple]) -> str:
    """A line's words as text: run together (Chinese has no spaces) unless a gap of two
    characters or more stands between them (a label and its number). Tesseract's word boxes
    leave gaps of up to 1.6 characters inside running text (财政 | 信息 on a noisy scan)."""
    height = float(np.median([w[3] - w[1] for w in line]))
    out = line[0][4]
    for before, word in zip(line, line[1:]):
        out += (" " if word[0] - before[2] > WORD_GAP * height else "") + word[4]
    return out


def _dpi(image, rgb: np.ndarray) -> int:
    """An image's resolution: as recorded where plausible, else from its width as an A4 page's
    (a long picture of several pages is as wide as one)."""
    recorded = image.info.get("dpi", (0, 0))[0]
    if 100 <= recorded <= 600:
        return int(recorded)
    return max(100, min(600, int(rgb.shape[1] / 8.27)))


class _Engine:
    """Tesseract, loaded once per process: chi_sim for text (a page, a cell, a cell's one line),
    eng with a digits whitelist for number cells, and orientation detection."""

    def __init__(self, folder: str):
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")        # one core a worker
        import tesserocr

        self._tesserocr, self.folder = tesserocr, folder
        # the page's text as one block (tables blanked, pages cut apart and turned upright already):
        # page layout analysis dropped short headings ("二、" of "二、主动公开…", "一、概述" whole),
        # and so did its rejection of rows of small blobs as noise
        self.text = tesserocr.PyTessBaseAPI(path=folder, lang="chi_sim", psm=tesserocr.PSM.SINGLE_BLOCK)
        self.text.SetVariable("textord_noise_rejrows", "0")
        self.cells = tesserocr.PyTessBaseAPI(path=folder, lang="chi_sim", psm=tesserocr.PSM.SINGLE_BLOCK)
        self.line = tesserocr.PyTessBaseAPI(path=folder, lang="chi_sim", psm=tesserocr.PSM.RAW_LINE)
        self.digits = tesserocr.PyTessBaseAPI(path=folder, lang="eng", psm=tesserocr.PSM.SINGLE_LINE)
        self.digits.SetVariable("tessedit_char_whitelist", _DIGITS)
        self.osd = tesserocr.PyTessBaseAPI(path=folder, lang="osd", psm=tesserocr.PSM.OSD_ONLY) \
            if Path(folder, "osd.traineddata").is_file() else None

    def words(self, paper: np.ndarray) -> list[tuple]:
        """The page's words as (x0, y0, x1, y1, text, confidence)."""
        from PIL import Image

        tesserocr = self._tesserocr
        self.text.SetImage(Image.fromarray(paper))
        self.text.Recognize()
        found = []
        for word in tesserocr.iterate_level(self.text.GetIterator(), tesserocr.RIL.WORD):
            try:
                text = (word.GetUTF8Text(tesserocr.RIL.WORD) or "").strip()
            except RuntimeError:        # a blob read as no text at all (a speck, a rule's end)
                continue
            box = word.BoundingBox(tesserocr.RIL.WORD)
            if text and box:
                found.append((*box, text, word.Confidence(tesserocr.RIL.WORD)))
        return found

    def cell(self, paper: np.ndarray, ink: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> tuple[str, float | None]:
        """A table cell's text and its lowest word confidence ("" and None for an empty cell).
        A short cell is read both in digits mode and as Chinese; the digits are taken where they
        make a number or a blank mark and the Chinese holds no character read with more
        confidence (chi_sim alone reads a lone 2 as 色)."""
        from PIL import Image

        box = ink[y0:y1, x0:x1]
        if box.size == 0 or (box > 0).sum() < 12:
            return "", None
        ys, xs = np.nonzero(box)
        margin = 8
        crop = paper[max(y0 + ys.min() - margin, 0):y0 + ys.max() + margin + 1,
                     max(x0 + xs.min() - margin, 0):x0 + xs.max() + margin + 1]
        image = Image.fromarray(np.pad(crop, 10, constant_values=255))
        text, conf = self._read(self.cells, image)
        if not text:               # a short word the block reader at times finds nothing in (总计)
            text, conf = self._read(self.line, image)
        if len(_HAN.findall(text)) < 3 and (xs.max() - xs.min() <= 4 * (ys.max() - ys.min() + 1)
                                            or _NUMBER_LIKE.match(text)):
            digits, digits_conf = self._read(self.digits, image)
            if _NUMBER_OR_BLANK.match(digits) and not (_HAN.search(text) and conf > digits_conf):
                return digits, digits_conf
        return cell_text(text), conf

    def raw_line(self, paper: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> str:
        """The text of a line's box on the page, read as one raw line."""
        from PIL import Image

        margin = max((y1 - y0) // 4, 4)
        crop = paper[max(y0 - margin, 0):y1 + margin, max(x0 - margin, 0):x1 + margin]
        return self._read(self.line, Image.fromarray(np.pad(crop, 10, constant_values=255)))[0]

    def _read(self, api, image) -> tuple[str, float]:
        api.SetImage(image)
        text = (api.GetUTF8Text() or "").strip()
        confidences = [c for c in api.AllWordConfidences() if c >= 0]
        return text, float(min(confidences)) if confidences else 0.0

    def orientation(self, ink: np.ndarray) -> int | None:
        """How far the page must turn counter-clockwise to stand upright (0, 90, 180, 270), by
        Tesseract's orientation detection on a half-size copy; None where it cannot tell."""
        if self.osd is None:
            return None
        from PIL import Image

        small = cv2.resize(255 - ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        self.osd.SetImage(Image.fromarray(small))
        try:
            found = self.osd.DetectOrientationScript()
        except RuntimeError:
            return None
        if not found or found.get("orient_conf", 0) < 1.5:
            return None
        return found["orient_deg"]


_ENGINE: _Engine | None = None


def _engine() -> _Engine:
    """The process's engine, for the model folder found now (ExtractError NEEDS_OCR without one)."""
    global _ENGINE
    folder = tessdata()
    if folder is None:
        raise ExtractError(NEEDS_OCR, needs=ENGINE)
    if _ENGINE is None or _ENGINE.folder != folder:
        _ENGINE = _Engine(folder)
    return _ENGINE
