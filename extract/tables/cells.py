"""What the table readers find: the cells of 表二, 表三 and 表四, each with what was written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import lazy_re
from .vocabulary import BLANK_CELL

_NUMBER = lazy_re.compile(r"^[+＋]?\s*(-?\d{1,3}(?:,\d{3})+|-?\d+)(\.\d+)?\s*(?:件|条|个|项|次|人次|万元|元)?$")
# What a PDF's table may run into a cell after its number: the next block's heading
# ("5321 第二十条第（六）项") or the next section's ("3 三、收到和处理…").
_RUN_IN = lazy_re.compile(r"(?<=\d)\s*(?:第[一二三四五六七八九十]+条.*|[一二三四五六]、.*)$", re.S)
UNREADABLE = "(cid:"           # pdfminer's output for a glyph it cannot name ("\ufffd": our PDF reader's)


@dataclass
class Cell:
    """One cell of a standard table, as read."""

    table: str                    # table2, table3, table4
    row: str                      # 表三 row key, 表四 kind, 表二 metric key
    column: str                   # 表三 applicant, 表四 outcome, 表二 column part
    raw: str
    value: int | float | None
    where: str                    # the row's label as written, or the position in a run of numbers
    start: int | None = None      # offsets in the report text, where they could be found
    end: int | None = None
    unit: str | None = None
    anchor: str | None = None     # the row's own label cell, to find the row in the text by
    confidence: float | None = None   # read from a scan: OCR's confidence (0-100) in this cell


@dataclass
class Found:
    """Cells by table, the era the tables' headers give, and what could not be read."""
    cells: list[Cell] = field(default_factory=list)
    era: str | None = None
    warnings: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)     # where tables read from text stand
    located: set[str] = field(default_factory=set)   # tables found in text whose cells may all be unread

    def has(self, table: str) -> bool:
        return any(c.table == table for c in self.cells)

    def add(self, other: Found) -> None:
        self.cells += other.cells
        self.era = self.era or other.era
        self.warnings += other.warnings
        self.spans += other.spans
        self.located |= other.located


def cell_value(raw: str) -> tuple[int | float | None, str | None]:
    """A cell's number, or None for a blank cell ("", "/", "—", "-", "无"), with a warning when
    the cell holds something that is neither."""
    text = raw.strip()
    if text.isascii() and text.isdigit():
        return int(text), None                       # most cells
    if BLANK_CELL.match(text):
        return None, None
    if UNREADABLE in text or "\ufffd" in text:
        return None, f"cell {text[:30]!r} is unreadable (a PDF font without a Unicode map)"
    match = _NUMBER.match(text) or _NUMBER.match(_RUN_IN.sub("", text))
    if not match:
        return None, f"cell {text[:30]!r} is not a number"
    digits, fraction = match.groups()
    number = float(digits.replace(",", "") + fraction) if fraction else int(digits.replace(",", ""))
    return number, None
