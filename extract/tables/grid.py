"""A table as rows of cell texts, whatever it came from (HTML, DOCX, PDF), with merged cells
spread over every row and column they cover, so that a cell's row label and column header can
be read off its row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import lazy_re

_SPACE = lazy_re.compile(r"\s+")
_ANY_SPACE = lazy_re.compile(r"[\s\xa0]")
# a cell's text wrapped inside a Chinese phrase ("本年新收政府信息公开申\n请数量") joins again
_CJK_BREAK = lazy_re.compile(r"(?<=[\u4e00-\u9fff（）“”、])\s+(?=[\u4e00-\u9fff（）“”、])")
_MAX_SPAN = 50            # a rowspan/colspan past this is a broken page, not a table
MAX_SLOTS = 100_000       # slots in one grid (rows × columns): the largest real tables have a few thousand


@dataclass
class Grid:
    """A table as rows of cell texts, merged cells spread."""

    rows: list[list[str]]
    source: str = ""                      # where it was: "table 3", "page 2 table 1"
    warnings: list[str] = field(default_factory=list)
    confidence: dict[tuple[int, int], float] = field(default_factory=dict)   # a scan's: (row, column) → OCR's

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def cell_text(text: str | None) -> str:
    """A cell's text on one line, spaces collapsed (non-breaking spaces count as spaces), no
    space left inside a Chinese phrase."""
    if not text:
        return ""
    if not _ANY_SPACE.search(text):
        return text
    return _CJK_BREAK.sub("", _SPACE.sub(" ", (text or "").replace("\xa0", " ")).strip())


def spread(cells: list[list[tuple[str, int, int]]], source: str = "") -> Grid:
    """A grid from rows of (text, rowspan, colspan) cells, merged cells copied into every slot
    they cover (the way a reader sees them). A span ends at the table's last row (as in a
    browser); a grid that would pass MAX_SLOTS slots is cut there, with a warning."""
    if all(rowspan == colspan == 1 for row in cells for _, rowspan, colspan in row):
        width = max(map(len, cells), default=0)
        if len(cells) * width <= MAX_SLOTS:      # nothing merged: the rows as they are, made even
            rows = [[text for text, _, _ in row] + [""] * (width - len(row)) for row in cells]
            return Grid(rows=[row for row in rows if any(row)], source=source)
    rows: list[list[str | None]] = []
    width, cut = 0, False
    for r, row in enumerate(cells):
        while len(rows) <= r:
            rows.append([])
        c = 0
        for text, rowspan, colspan in row:
            while c < len(rows[r]) and rows[r][c] is not None:
                c += 1
            rowspan = min(max(rowspan, 1), _MAX_SPAN, len(cells) - r)
            colspan = min(max(colspan, 1), _MAX_SPAN)
            if max(len(rows), r + rowspan) * max(width, c + colspan) > MAX_SLOTS:
                cut = True
                break
            width = max(width, c + colspan)
            for dr in range(rowspan):
                while len(rows) <= r + dr:
                    rows.append([])
                target = rows[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = text
            c += colspan
        if cut:
            break
    grid = [[text or "" for text in row] + [""] * (width - len(row)) for row in rows]
    warnings = [f"{source or 'a table'}: cut at {MAX_SLOTS:,} cells (its spans make more)"] if cut else []
    return Grid(rows=[row for row in grid if any(row)], source=source, warnings=warnings)
