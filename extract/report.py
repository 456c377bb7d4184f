"""One document's bytes → one report record: decode, strip the page, find the parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

from . import __version__, lazy_re
from .agency import find_agency, report_year, title_in_text
from .checks import prose_against_tables, run_checks
from .contacts import find_contacts
from .dates import find_dates, find_period
from .decode import decode_with_damage
from .errors import ExtractError
from .figures import find_figures
from .formats.sniff import sniff
from .page import Page, read_page
from .record import Report
from .regions import find_region
from .sections import find_sections
from .tables import read_standard_tables, read_statistics_table

if TYPE_CHECKING:     # a format's reader (pdfplumber; OCR: OpenCV, Tesseract) is imported only when met
    from .formats.ocr import ScannedText

MAX_BYTES = 50 * 1024 * 1024
OWN_TEXT = 300        # Chinese characters: a page holding this many is a report of its own, not pictures of one
_HAN = lazy_re.compile(r"[\u4e00-\u9fff]")


def extract_bytes(data: bytes, *, name: str = "<bytes>", media_type: str | None = None,
                  scans: list[tuple[str, bytes]] = ()) -> Report:
    """Extract the report record from a document's raw bytes.

    `name` (a file name or URL) gives the format by its suffix when `media_type` does not;
    `scans` are the pictures of the report's pages an HTML page shows in its body ((URL, bytes),
    in order), read by OCR after the page's text; raises ExtractError when the document cannot
    be read as a report."""
    if len(data) > MAX_BYTES:
        raise ExtractError(f"document is {len(data)} bytes, over the {MAX_BYTES}-byte limit", source=name)
    if not data.strip():
        raise ExtractError("document is empty", source=name)
    try:
        kind = sniff(data, name, media_type)
        page, encoding, scanned = _read(kind, data)
        if scans and kind == "html":
            scanned = _with_scans(page, scans)
    except ExtractError as err:
        raise ExtractError(err.reason, source=name, needs=err.needs) from None
    body = "\n".join(page.lines)
    if len(_HAN.findall(body)) < 20:
        cut = next((w for w in page.warnings if "deep" in w), None)
        raise ExtractError("no Chinese report text found" + (f" ({cut})" if cut else ""), source=name)
    report = _assemble(page, body)
    report.document = {
        "name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
        "format": kind, "encoding": encoding, "traditional": page.traditional,
    }
    if scanned:
        report.document["ocr"] = scanned.document()
        _confidences(report, scanned)
    return report


def extract_file(path: str | Path) -> Report:
    """Extract the report record from a file (text, HTML, PDF, DOCX, DOC, WPS, RTF)."""
    return extract_bytes(read_document(path), name=str(path))


def read_document(path: str | Path) -> bytes:
    """A document file's bytes; ExtractError for what is not a regular file (a FIFO or pipe,
    a device such as /dev/zero, a directory: their size says nothing and reading them may never
    end) and for a file over MAX_BYTES (never more than that is read, even from a file that is
    growing)."""
    path = Path(path)
    try:      # non-blocking, so that opening a FIFO nobody writes to does not wait forever
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as err:
        raise ExtractError(err.strerror or str(err), source=str(path)) from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ExtractError(f"not a regular file ({_kind(info.st_mode)}): only files are read", source=str(path))
        if info.st_size > MAX_BYTES:
            raise ExtractError(f"file is {info.st_size} bytes, over the {MAX_BYTES}-byte limit", source=str(path))
        try:
            data = file.read(MAX_BYTES + 1)
        except OSError as err:
            raise ExtractError(err.strerror or str(err), source=str(path)) from None
    if len(data) > MAX_BYTES:
        raise ExtractError(f"file is over the {MAX_BYTES}-byte limit", source=str(path))
    return data


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO or pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]
    return next((name for test, name in kinds if test(mode)), "not a file")


def _read(kind: str, data: bytes) -> tuple[Page, str | None, ScannedText | None]:
    """The document as a page of lines (and grids), with the text encoding where it had one and
    what OCR saw where it was scanned."""
    if kind in ("text", "html"):
        raw, encoding, bad = decode_with_damage(data)
        page = read_page(raw, html=kind == "html", copy=kind == "text")
        if "+" in encoding:
            page.warnings.append(f"the text is in two encodings ({encoding.replace('+', ' and ')}): read by parts")
        if bad:
            page.warnings.append(f"{bad} byte{'s' if bad > 1 else ''} not valid {encoding.split('+')[-1]}: "
                                 "replaced by U+FFFD")
        return page, encoding, None
    scanned = None
    if kind == "word":
        from .formats.libreoffice import convert_to_docx

        data = convert_to_docx(data)
    if kind == "pdf":
        from .formats.pdf import read_pdf

        text, grids, scanned = read_pdf(data)
    elif kind == "image":
        from .formats.ocr import read_images

        text, grids, scanned = read_images(data)
    else:
        from .formats.docx import read_docx

        text, grids = read_docx(data)
    page = read_page(text, html=False, grids=grids)
    if scanned:
        page.warnings += scanned.warnings
    return page, None, scanned


def _with_scans(page: Page, scans: list[tuple[str, bytes]]) -> ScannedText | None:
    """The page's pictures of the report's pages read by OCR: their lines and grids after the
    page's own; what OCR saw, where it read any. A page whose own text is a report (OWN_TEXT
    characters or more) keeps it: its pictures (a 图解, photographs) are not read."""
    from .formats.ocr import read_scans

    if len(_HAN.findall("\n".join(page.lines))) >= OWN_TEXT:
        page.warnings.append(f"{len(scans)} picture{'s' if len(scans) > 1 else ''} in the page's body not read "
                             "by OCR: the page's own text is the report")
        return None
    text, grids, scanned = read_scans(scans)
    read = read_page(text, html=False, grids=grids)
    page.lines += read.lines
    page.grids += read.grids
    page.warnings += scanned.warnings
    return scanned if scanned.pages else None


def _confidences(report: Report, scanned: ScannedText) -> None:
    """Each figure of a scanned report gets the lowest OCR confidence of the numbers on the lines
    its evidence spans (a table figure: its rows', so a total has its cells' lowest), or where
    those hold none (a figure in words, 未收取) its line's words' lowest; a figure below
    LOW_CONFIDENCE is named in the warnings."""
    from .formats.ocr import LOW_CONFIDENCE, line_key

    for figure in report.figures:
        line_start = report.text.rfind("\n", 0, figure.start) + 1
        keys = [line_key(line) for line in report.text[line_start:max(figure.end, figure.start + 1)].split("\n")]
        numbers = [scanned.confidence[key] for key in keys if key in scanned.confidence]
        figure.confidence = min(numbers) if numbers else scanned.wording.get(keys[0])
        if figure.confidence is not None and figure.confidence < LOW_CONFIDENCE:
            report.warnings.append(f"{figure.metric} = {figure.value}: read by OCR with confidence "
                                   f"{figure.confidence:.0f}% (check it against the scan)")


def _assemble(page, text: str) -> Report:
    title = page.title or title_in_text(text)
    sections = find_sections(text)
    period = find_period(text)
    year = report_year(title, text, period[0].isoformat() if period else None)
    signing_line, signed_on = _signature(text, sections, year, page.published_at)
    agency = find_agency(title, text, signing_line, page.source, year)
    tables = read_standard_tables(text, sections, page.grids, year)
    if tables.era:
        prose = find_figures(_without(text, tables.table_spans), sections, year)
        figures = tables.figures + prose
        checks = tables.checks + run_checks(prose) + prose_against_tables(prose, tables.figures)
    else:
        statistics = read_statistics_table(text, sections, year=year)
        prose = find_figures(_without(text, [statistics.span] if statistics.span else []), sections, year)
        if statistics.warnings:
            statistics = read_statistics_table(text, sections, prose, year)   # the prose settles what the sums leave open
        figures = prose + [f for f in statistics.figures
                           if not any((p.metric, p.category, p.value) == (f.metric, f.category, f.value) for p in prose)]
        checks = run_checks(figures)
        tables.warnings.extend(statistics.warnings)
    region = find_region(agency, text, year, page.index_number, page.masthead)
    return Report(
        title=title, agency=agency, region=region, year=year,
        published_at=page.published_at, archived_at=page.archived_at,
        period_start=period[0].isoformat() if period else None,
        period_end=period[1].isoformat() if period else None,
        signed_on=signed_on, era=tables.era or "free_text", contacts=find_contacts(text),
        sections=sections, figures=figures, checks=checks, source=page.source,
        text=text, warnings=([] if title else ["no report title found on the page"]) + _unplaced(agency, region)
        + ([] if figures else [_NO_FIGURES]) + page.warnings + tables.warnings,
        extractor_version=__version__,
        request_cells=tables.request_cells, appeal_cells=tables.appeal_cells, missing_tables=tables.missing,
    )


_NO_FIGURES = ("no figure found in the text: it states no number the extractor reads (a page opening cut "
               "before them, a report in words only, or a table in a form not read: see the other warnings)")


def _unplaced(agency: str | None, region) -> list[str]:
    """Warnings for an agency or a region not found: an empty field is said, never silent."""
    if not agency:
        return ["no agency found (title, the report's words about itself, signature, contacts): agency and region "
                "are empty"]
    if not region.code:
        return [f"no region found for {agency}: the address tables of its year place its name nowhere, or in "
                "more than one place the text does not choose between (right for a national body; otherwise a gap)"]
    return []


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked (offsets kept): the tables, whose numbers are cells,
    not prose."""
    for start, end in spans:
        text = text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]
    return text


def _signature(text: str, sections, year: int | None, published_at: str | None):
    """The signing agency line and date under the report's text (the last lines)."""
    tail_start = sections[-1].start if sections else max(0, len(text) - 400)
    lines = text[tail_start:].split("\n")[-6:]
    published = dt.date.fromisoformat(published_at[:10]) if published_at else None
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        if not line or len(line) > 40:
            continue
        dates = find_dates(line)
        if not dates:
            continue
        match, readings = dates[-1]
        if line[:match.start()].strip() and len(line[:match.start()].strip()) > 30:
            continue
        readings = [d for d in readings if (year is None or d.year >= year)
                    and (published is None or d <= published)]
        if not readings:
            continue
        day = max(readings)
        before = line[:match.start()].strip() or (lines[i - 1].strip() if i > 0 else "")
        return (before or None), day.isoformat()
    return None, None
