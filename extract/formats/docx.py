"""A DOCX report → its text (paragraphs and table rows in document order) and its tables as
grids, with python-docx (MIT). Merged cells: python-docx gives a horizontally or vertically
merged cell in every slot it covers, which is the grid's own convention.

A DOCX is a ZIP: its declared sizes are checked before anything is inflated (zip bombs), and
python-docx parses its XML with entity resolution off (no external entities)."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import ExtractError
from ..tables.grid import Grid, cell_text

MAX_UNPACKED = 200 * 1024 * 1024
_MAX_RATIO = 200


def read_docx(data: bytes) -> tuple[str, list[Grid]]:
    """The document's text and its tables; ExtractError for a broken or hostile file."""
    _check_container(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx and lxml raise many types for broken files  # noqa: BLE001
        raise ExtractError(f"unreadable DOCX: {type(err).__name__}: {err}") from None
    lines, grids = [], []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            grid, table_lines = _table(Table(child, document), f"table {len(grids) + 1}")
            grids.append(grid)
            lines += table_lines
    return "\n".join(lines), grids


def _table(table: Table, source: str) -> tuple[Grid, list[str]]:
    rows, lines = [], []
    for row in table.rows:
        cells = list(row.cells)
        rows.append([cell_text(cell.text) for cell in cells])
        line, previous = [], None
        for cell in cells:                       # a merged cell is the same object in each slot
            if cell._tc is not previous and cell.text.strip():
                line.append(cell_text(cell.text))
            previous = cell._tc
        if line:
            lines.append(" ".join(line))
    return Grid(rows=rows, source=source), lines


def _check_container(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ExtractError(f"unreadable DOCX: {err}") from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > _MAX_RATIO and unpacked > 10 * 1024 * 1024:
        raise ExtractError(f"the DOCX would unpack to {unpacked} bytes from {packed}: refused as a zip bomb")
