"""The national standard tables of 2019+ reports (SCHEMA.md: tables_2019, tables_2021): every
cell of 表三 and 表四, the 表二 figures, the summary metrics and the format's own checks, read
from grids where the document kept its tables and from flattened text where it did not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..metrics import FIRST_TABLE_YEAR
from ..record import AppealCell, Check, Figure, RequestCell, Section
from .cells import Cell, Found
from .format_checks import table_checks
from .from_grids import read_grids
from .from_text import read_table2, read_table3, read_table4
from .grid import Grid
from .summary import summary_figures
from .vocabulary import APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, REQUEST_ROW_LABELS, TABLE_SECTIONS

__all__ = ["Grid", "StandardTables", "read_standard_tables"]

_ERA_WORDS = (("tables_2021", re.compile(r"本年制发件数|本年废止件数|现行有效件数|逾期不补正")),
              ("tables_2019", re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量")))
# The format notices a report cites (国办公开办函〔2021〕30号, 〔2019〕60号), damaged copies included.
FORMAT_NOTICES = (("tables_2021", "〔2021〕30号", re.compile(r"2021\s*[〕\]］)）]?\s*30\s*[号)）]")),
                  ("tables_2019", "〔2019〕60号", re.compile(r"2019\s*[〕\]］)）]?\s*60\s*[号)）]")))


@dataclass
class StandardTables:
    era: str | None = None
    request_cells: list[RequestCell] = field(default_factory=list)
    appeal_cells: list[AppealCell] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    table_spans: list[tuple[int, int]] = field(default_factory=list)   # where the tables stand: not prose
    warnings: list[str] = field(default_factory=list)


def read_standard_tables(text: str, sections: list[Section], grids: list[Grid], year: int | None) -> StandardTables:
    """The standard tables of a report, or an empty result (era None) for a free-text report."""
    if year is not None and year < FIRST_TABLE_YEAR:
        return StandardTables()
    where = _table_sections(sections)
    found = read_grids(grids)
    era = found.era or _era_from_words(text)
    if era is None:
        era, why = _era_without_tables(text, year)
        if era is None:
            return StandardTables()
        found.warnings.append(f"no table headers in the text: the era is {era}, {why}")
    for table, index in where.items():
        if found.has(table):
            continue
        section = sections[index]
        body_start = text.find("\n", section.start, section.end)
        body_start = section.end if body_start < 0 else body_start
        region = text[body_start:section.end]
        if not _tabular(region):
            continue                     # prose about the table (it was an image, or left out)
        if table == "table3":
            found.add(read_table3(region, body_start, era))
        elif table == "table4":
            found.add(read_table4(region, body_start))
        else:
            found.add(read_table2(region, body_start, era))
    cells = sorted(_once(found), key=_standard_order)
    _locate(cells, text, sections, where)
    table3 = {(c.row, c.column): c.value for c in cells if c.table == "table3"}
    table4 = {(c.row, c.column): c.value for c in cells if c.table == "table4"}
    return StandardTables(
        era=era,
        request_cells=[RequestCell(row=c.row, applicant=c.column, raw=c.raw, value=c.value)
                       for c in cells if c.table == "table3"],
        appeal_cells=[AppealCell(kind=c.row, outcome=c.column, raw=c.raw, value=c.value)
                      for c in cells if c.table == "table4"],
        figures=summary_figures(cells, sections),
        checks=table_checks(table3, table4),
        table_spans=sorted(span for index in where.values()
                           if (span := _table_span(text, sections[index], cells)) is not None),
        warnings=found.warnings,
    )


# A line of a table that lost its markup: cells separated by "|", a label and a run of 2+
# numbers, a number alone on its line (one cell per line), or a label and its cells run together.
_CELL = r"(?:\d[\d,.]*|[/—–-])"
_TABLE_LINE = re.compile(rf"\||(?:^|\s){_CELL}(?:\s+{_CELL})+\s*$|^\s*{_CELL}\s*$|[\u4e00-\u9fff）)][\d/—–-]{{5,}}\s*$")
_NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?![\d.])")
_RUN_TOGETHER = re.compile(r"^\s*\d{10,}\s*$|[\u4e00-\u9fff）)]\d{7,}\s*$")   # a row's cells with no separator


def _tabular(region: str) -> bool:
    """Whether text holds a table that lost its markup (two table lines, or one line holding a
    whole run of cells), not only sentences."""
    lines = region.split("\n")
    table_lines = sum(1 for line in lines if _TABLE_LINE.search(line))
    return table_lines >= 2 or any((len(_NUMBER.findall(line)) >= 5 or _RUN_TOGETHER.search(line))
                                   and "。" not in line for line in lines)


# Words that open a standard table's block: its clause, header or first cells.
_TABLE_OPENING = re.compile(r"第二十条|信息内容|申请人情况|本列数据|结果维持|结果纠正|行政复议\s*[|｜\t]|本年新收")


def _table_span(text: str, section: Section, cells: list) -> tuple[int, int] | None:
    """Where a table's section holds the table: from its first table line (or the first cell
    read there) to the section's end; None when the section holds only prose about the table
    (a report whose tables were images or were left out). Prose before the table is prose."""
    located = [c.start for c in cells if c.start is not None and section.start <= c.start < section.end]
    if not located and not _tabular(text[section.start:section.end]):
        return None
    body = text.find("\n", section.start, section.end)
    position = body + 1 if body >= 0 else section.end
    while position < section.end:
        end = text.find("\n", position, section.end)
        end = section.end if end < 0 else end
        line = text[position:end]
        if _TABLE_LINE.search(line) or _TABLE_OPENING.search(line) or (located and min(located) < end):
            return position, section.end
        position = end + 1
    return None


def _table_sections(sections: list[Section]) -> dict[str, int]:
    where = {}
    for index, section in enumerate(sections):
        for table, pattern in TABLE_SECTIONS:
            if table not in where and pattern.search(section.title):
                where[table] = index
    return where


def _era_from_words(text: str) -> str | None:
    return next((era for era, pattern in _ERA_WORDS if pattern.search(text)), None)


def _era_without_tables(text: str, year: int | None) -> tuple[str | None, str]:
    """The era of a 2019+ report whose tables are not in the text: from the format notice it
    cites (the later one where it cites both), else from its year (SCHEMA.md: the 2019 format
    serves the 2019 and 2020 reports)."""
    cited = [(era, name) for era, name, pattern in FORMAT_NOTICES if pattern.search(text)]
    if cited:
        return cited[0][0], f"from the format notice it cites ({cited[0][1]})"
    if year is None:
        return None, ""
    return ("tables_2019" if year <= 2020 else "tables_2021"), f"from its year ({year})"


def _once(found: Found) -> list[Cell]:
    """Each cell once (a header repeated on the next page, a row printed twice: the first wins);
    a bare 2019-style 其他处理 row is dropped where the 2021 sub-rows are present and it is blank."""
    seen, cells = set(), []
    sub_rows = any(c.row.startswith("other.") for c in found.cells)
    for cell in found.cells:
        key = (cell.table, cell.row, cell.column)
        if key in seen:
            continue
        if sub_rows and cell.table == "table3" and cell.row == "other":
            if cell.value is not None:
                found.warnings.append(f"表三: a 其他处理 row with numbers besides its sub-rows: {cell.raw!r} "
                                      f"({cell.column}) not kept")
            continue
        seen.add(key)
        cells.append(cell)
    return cells


_ORDER = {
    "table3": ({key: i for i, (key, _) in enumerate(REQUEST_ROW_LABELS)}, {key: i for i, key in enumerate(APPLICANTS)}),
    "table4": ({key: i for i, key in enumerate(APPEAL_KINDS)}, {key: i for i, key in enumerate(APPEAL_OUTCOMES)}),
}


def _standard_order(cell: Cell) -> tuple:
    """表三 and 表四 cells in the format's row and column order, whatever order the document had;
    表二 figures as met."""
    if cell.table not in _ORDER:
        return ("", 0, 0)
    rows, columns = _ORDER[cell.table]
    return (cell.table, rows.get(cell.row, 99), columns.get(cell.column, 99))


def _locate(cells: list[Cell], text: str, sections: list[Section], where: dict[str, int]) -> None:
    """Offsets for cells read from grids: the row's label in the report text, searched from the
    table's section on; the section itself where the label cannot be found."""
    for cell in cells:
        if cell.start is not None:
            continue
        index = where.get(cell.table)
        lo, hi = (sections[index].start, sections[index].end) if index is not None else (0, len(text))
        at = text.find(cell.where, lo, hi) if cell.where else -1
        if at < 0 and cell.anchor:
            at = text.find(cell.anchor, lo, hi)
        if at >= 0:
            line_end = text.find("\n", at)
            cell.start, cell.end = at, line_end if line_end >= 0 else len(text)
        else:
            cell.start, cell.end = lo, hi
