"""The standard tables read from grids (HTML, DOCX or PDF tables): columns matched by their
headers, rows by their labels, never by position; a table split over several grids (a page
break, a CMS that cut it up) goes on with the header it had."""

from __future__ import annotations

from dataclasses import dataclass

from .. import lazy_re
from .cells import Cell, Found, cell_value
from .grid import Grid
from .stream import words_of
from .vocabulary import (
    APPEAL_KIND_WORDS, APPEAL_OUTCOME_WORDS, APPLICANT_WORDS, APPLICANTS, REQUEST_ROW_RES, TABLE2_COLUMN_RES, TABLE2_HEADER,
    TABLE2_METRICS, TABLE2_ROWS, request_row_by_number,
)

_APPLICANT_RES = tuple((key, lazy_re.compile(words)) for key, words in APPLICANT_WORDS)
_KIND_RES = tuple((key, lazy_re.compile(words)) for key, words in APPEAL_KIND_WORDS)
_OUTCOME_RES = tuple((key, lazy_re.compile(words)) for key, words in APPEAL_OUTCOME_WORDS)
_TABLE2_ROW_RES = tuple((key, lazy_re.compile(words)) for key, words in TABLE2_ROWS)
_TABLE3_HEADER = lazy_re.compile(r"自然人|商业企业|科研机构|社会公益组织|法律服务机构|申请人情况")
_TABLE4_HEADER = lazy_re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|尚未审结")
_BY_PLACE_ONLY = ("other.other",)      # 3.其他: found by its number, never by the word 其他 alone
_HEADER_CELL = 40            # header cells are short; a longer cell is text (a layout table)


@dataclass
class _Header:
    """What a grid's header row says its columns are."""

    table: str
    columns: dict[int, tuple]        # column index → key(s)
    width: int
    first_value_column: int


def read_grids(grids: list[Grid]) -> Found:
    """Every standard-table cell in the grids, in the order met."""
    found = Found()
    header: _Header | None = None
    pending: list[list[str]] = []              # header rows read so far
    for grid in grids:
        if header and grid.width != header.width:
            header = _shifted(header, grid.width)
        for index, row in enumerate(grid.rows):
            kind = _header_kind(row)
            if kind:
                if not pending or _header_kind(pending[0]) != kind:
                    pending = []
                pending.append(row)
                header = None
                continue
            if pending:
                header = _make_header(pending, len(row))
                pending = []
                if header is None:
                    found.warnings.append(f"{grid.source}: a table header that names no known column")
                elif header.table == "table3" and len(header.columns) < len(APPLICANTS):
                    lost = [key for key in APPLICANTS if (key,) not in header.columns.values()]
                    found.warnings.append(f"{grid.source}: 表三's header names no column for {', '.join(lost)}: "
                                          "those cells are not read")
            if header is None:
                continue
            _read_row(row, header, grid, found, index)
    return found


def _shifted(header: _Header, width: int) -> _Header | None:
    """The header of a table that goes on in a grid of another width (the next page's table
    lost or gained label columns): its value columns are the rightmost ones, as before."""
    shift = width - header.width
    if header.first_value_column + shift < 1:
        return None
    return _Header(table=header.table, columns={j + shift: key for j, key in header.columns.items()},
                   width=width, first_value_column=header.first_value_column + shift)


def _header_kind(row: list[str]) -> str | None:
    text = " ".join(dict.fromkeys(cell for cell in row if len(cell) <= _HEADER_CELL))
    if len(set(_TABLE3_HEADER.findall(text))) >= 2:
        return "table3"
    if len(set(_TABLE4_HEADER.findall(text))) >= 2:
        return "table4"
    if TABLE2_HEADER.search(text) and not _values_in(row):
        return "table2"
    return None


def _values_in(row: list[str]) -> bool:
    return any(cell_value(cell)[0] is not None for cell in row)


def _make_header(rows: list[list[str]], width: int) -> _Header | None:
    kind = _header_kind(rows[0])
    columns: dict[int, tuple] = {}
    for j in range(width):
        stack = [row[j] if j < len(row) else "" for row in rows]
        if kind == "table3":
            key = _last_match(stack, _APPLICANT_RES)
            if key:
                columns[j] = (key,)
        elif kind == "table4":
            appeal_kind = next((key for key, pattern in _KIND_RES for text in stack if pattern.search(text)), None)
            outcome = _last_match(stack, _OUTCOME_RES)
            if appeal_kind and outcome:
                columns[j] = (appeal_kind, outcome)
        else:
            hit = next(((era, part, text) for text in reversed(stack)
                        for era, part, pattern in TABLE2_COLUMN_RES if pattern.search(text)), None)
            if hit:
                columns[j] = hit
    if not columns:
        return None
    if kind == "table3":
        _by_order(columns, rows, width)
    return _Header(table=kind, columns=columns, width=width, first_value_column=min(columns))


def _by_order(columns: dict[int, tuple], rows: list[list[str]], width: int) -> None:
    """表三's applicant columns the header rows at hand do not name (自然人 and 总计 spanning header
    rows that stayed on the page before), placed by the format's fixed order next to the named
    ones: only in a column whose header cells are blank, beside a run the header names in order."""
    named = {key: j for j, (key,) in columns.items()}
    order = [key for key in APPLICANTS if key in named]
    if [named[key] for key in order] != list(range(named[order[0]], named[order[0]] + len(order))) or \
            [APPLICANTS.index(key) for key in order] != list(range(APPLICANTS.index(order[0]),
                                                                   APPLICANTS.index(order[0]) + len(order))):
        return                           # what is named is not one run in the format's order
    for index, key in enumerate(APPLICANTS):
        j = named[order[0]] + index - APPLICANTS.index(order[0])
        if key not in named and 0 < j < width and j not in columns and not any(
                j < len(row) and row[j].strip() for row in rows):
            columns[j] = (key,)


def _last_match(stack: list[str], patterns) -> str | None:
    """The key named lowest in a column's header cells (the most specific header)."""
    for text in reversed(stack):
        for key, pattern in patterns:
            if pattern.search(text.strip()):
                return key
    return None


def _label(row: list[str], header: _Header) -> str:
    """The row's label: its cells left of the first value column, merged copies once."""
    return " ".join(dict.fromkeys(cell for cell in row[:header.first_value_column] if cell))


def _read_row(row: list[str], header: _Header, grid: Grid, found: Found, index: int) -> None:
    label = _label(row, header)
    anchor = next((cell for cell in reversed(row[:header.first_value_column]) if cell), None)
    if header.table == "table3":
        words = words_of(label)
        key = next((key for key, pattern in REQUEST_ROW_RES if key not in _BY_PLACE_ONLY and pattern.search(words)), None)
        numbered = request_row_by_number(label)
        if key is None or numbered and numbered.startswith(key + "."):
            key = numbered           # a label that lost characters, or a sub-row whose own words did
        if key is None:
            if label and _values_in(row):
                found.warnings.append(f"{grid.source}: 表三 row {label[:40]!r} is not a row of the format")
            return
        for j, (applicant,) in header.columns.items():
            _add(found, "table3", key, applicant, row[j] if j < len(row) else "", label, grid, anchor,
                 grid.confidence.get((index, j)))
    elif header.table == "table4":
        if not any(row[j].strip() for j in header.columns if j < len(row)):
            return
        for j, (kind, outcome) in header.columns.items():
            _add(found, "table4", kind, outcome, row[j] if j < len(row) else "", label or "表四", grid,
                 confidence=grid.confidence.get((index, j)))
    else:
        subject = next((key for key, pattern in _TABLE2_ROW_RES if pattern.search(label)), None)
        if subject is None:
            return
        for j, (era, part, heading) in header.columns.items():
            if era and found.era is None:
                found.era = era
            metric = TABLE2_METRICS.get((subject, part))
            if metric:
                cell = _add(found, "table2", metric, part, row[j] if j < len(row) else "", label, grid, anchor,
                            grid.confidence.get((index, j)))
                cell.unit = "万元" if "万元" in heading or part == "amount" else None


def _add(found: Found, table: str, row: str, column: str, raw: str, label: str, grid: Grid,
         anchor: str | None = None, confidence: float | None = None) -> Cell:
    value, problem = cell_value(raw)
    if problem:
        found.warnings.append(f"{grid.source}: {label[:30]} / {column}: {problem}")
    cell = Cell(table=table, row=row, column=column, raw=raw, value=value, where=label, anchor=anchor,
                confidence=confidence)
    found.cells.append(cell)
    return cell
