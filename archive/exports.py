"""A comparison written as CSV, XLSX or JSON, chosen by the file's suffix.

CSV cells are text as the reports write them (~60000 about, ≥3000 at least, ≤50 at most; an
empty cell is a missing figure, 0 a stated zero). XLSX cells are numbers, the qualifier shown by
the number format (so ~60000 still sums as 60000) and each linked to its report. JSON keeps
everything: value, qualifier, unit, report id and URL, null where missing.

Text comes from the documents (an agency's name is whatever a page said), so it is never let
become a formula: in CSV a text cell beginning with = + - @, a tab or a carriage return gets a
leading apostrophe ('=HYPERLINK… shows as written, the usual neutralisation spreadsheets
honour); in XLSX every text is a string cell, never a formula."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

from .compare import MARKS, Comparison, title

FORMATS = (".csv", ".xlsx", ".json")
HEAD = ["agency_key", "agency", "region_code", "level"]
LEGEND = {"~": "约 approx", "≥": "余/多/以上 at least", "≤": "不足/以内 at most",
          "(empty)": "no figure found (not zero)"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def as_text(value):
    """A CSV cell that no spreadsheet reads as a formula: text beginning with = + - @, a tab or
    a carriage return gets a leading apostrophe; numbers (-2 included) stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_comparison(comparison: Comparison, path: str | Path) -> Path:
    """Write the comparison in the format the suffix of `path` names."""
    path = Path(path)
    writer = {".csv": _csv, ".xlsx": _xlsx, ".json": _json}.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"cannot write {path.name}: the file must end in {', '.join(FORMATS)}")
    writer(comparison, path)
    return path


def _csv(comparison: Comparison, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:   # the BOM lets Excel read it as UTF-8
        out = csv.writer(fh)
        out.writerow([as_text(label) for label in HEAD + comparison.labels()])
        for row in comparison.rows:
            cells = [row.cells.get(c) for c in comparison.columns]
            out.writerow([as_text(text) for text in (row.agency_key, row.agency, row.region_code, row.level)]
                         + [cell.text if cell else "" for cell in cells])


def _xlsx(comparison: Comparison, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "comparison"
    for column, label in enumerate(HEAD + comparison.labels(), start=1):
        _text(sheet, 1, column, label).font = Font(bold=True)
    for number, row in enumerate(comparison.rows, start=2):
        for column, text in enumerate((row.agency_key, row.agency, row.region_code, row.level), start=1):
            _text(sheet, number, column, text)
        for column, key in enumerate(comparison.columns, start=len(HEAD) + 1):
            found = row.cells.get(key)
            if found is None:
                continue
            cell = sheet.cell(row=number, column=column, value=found.value)
            mark = MARKS.get(found.qualifier)
            cell.number_format = f'"{mark}"General' if mark else "General"
            if found.url and found.url.startswith(("http://", "https://")):
                cell.hyperlink = found.url
    sheet.freeze_panes = sheet.cell(row=2, column=len(HEAD) + 1)
    sheet.column_dimensions["B"].width = 30
    about = book.create_sheet("about")
    _text(about, 1, 1, title(comparison))
    for number, (mark, meaning) in enumerate(LEGEND.items(), start=2):
        _text(about, number, 1, mark)
        _text(about, number, 2, meaning)
    book.save(path)


def _text(sheet, row: int, column: int, text: str | None):
    """A string cell: openpyxl would take text beginning with = for a formula; control characters
    (which XLSX cannot hold, and an older archive may) are left out."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if text is not None:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = sheet.cell(row=row, column=column, value=text)
    if text is not None:
        cell.data_type = "s"
    return cell


def text_table(comparison: Comparison) -> str:
    """The comparison as aligned lines for a terminal (· where no figure was found)."""
    head = ["", *comparison.labels()]
    lines = [[row.agency, *[(row.cells[c].text if c in row.cells else "·") for c in comparison.columns]]
             for row in comparison.rows]
    widths = [max(display_width(line[i]) for line in [head, *lines]) for i in range(len(head))]
    return "\n".join("  " + " ".join(pad(cell, widths[i], right=i > 0) for i, cell in enumerate(line))
                     for line in [head, *lines])


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` filled out to `width` terminal columns, on its left where `right` (numbers)."""
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def _json(comparison: Comparison, path: Path) -> None:
    data = {
        "metrics": comparison.metrics, "years": comparison.years, "columns": comparison.labels(),
        "rows": [{
            "agency_key": row.agency_key, "agency": row.agency, "region_code": row.region_code,
            "level": row.level,
            "cells": {label: (vars(row.cells[key]) if key in row.cells else None)
                      for key, label in zip(comparison.columns, comparison.labels())},
        } for row in comparison.rows],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
