"""The national standard tables of 2019+ reports (SCHEMA.md: tables_2019, tables_2021): every
cell of 表三 and 表四, the 表二 figures, the summary metrics and the format's own checks, read
from grids where the document kept its tables and from flattened text where it did not."""

from __future__ import annotations

from .. import lazy_re
from ..record import AppealCell, RequestCell, Section
from . import StandardTables
from .cells import Cell, Found
from .format_checks import table_checks
from .from_grids import read_grids
from .from_text import read_table2, read_table3, read_table4
from .grid import Grid
from .summary import summary_figures
from .vocabulary import APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, REQUEST_ORDER, TABLE_SECTIONS

_ERA_WORDS = (("tables_2021", lazy_re.compile(r"本年制发件数|本年废止件数|现行有效件数|逾期不补正")),
              ("tables_2019", lazy_re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量")))
# The format notices a report cites (国办公开办函〔2021〕30号, 〔2019〕60号), damaged copies included.
FORMAT_NOTICES = (("tables_2021", "〔2021〕30号", lazy_re.compile(r"2021\s*[〕\]］)）]?\s*30\s*[号)）]")),
                  ("tables_2019", "〔2019〕60号", lazy_re.compile(r"2019\s*[〕\]］)）]?\s*60\s*[号)）]")))


def read(text: str, sections: list[Section], grids: list[Grid], year: int | None) -> StandardTables:
    """The standard tables of a report of the tables' years (read_standard_tables)."""
    found = read_grids(grids)
    era = found.era or _era_from_words(text)
    if era is None:
        era, why = _era_without_tables(text, year)
        if era is None:
            return StandardTables()
        found.warnings.append(f"no table headers in the text: the era is {era}, {why}")
    _read_text(text, sections, era, found)
    cells = sorted(_once(found), key=_standard_order)
    where = _table_sections(sections)
    _locate(cells, text, sections, where)
    table3 = {(c.row, c.column): c.value for c in cells if c.table == "table3"}
    table4 = {(c.row, c.column): c.value for c in cells if c.table == "table4"}
    missing = [table for table in ("table2", "table3", "table4")    # no cell read (a blank one is read)
               if not any(c.table == table and (c.value is not None or not _DIGIT.search(c.raw)) for c in cells)]
    found.warnings += [f"{_TITLES[table]} stands in the text, but none of its cells could be read (see above): "
                       "they are missing from this record" if table in found.located else
                       f"{_TITLES[table]} not found in the text: its cells are missing from this record"
                       for table in missing]
    return StandardTables(
        era=era,
        request_cells=[RequestCell(row=c.row, applicant=c.column, raw=c.raw, value=c.value, confidence=c.confidence)
                       for c in cells if c.table == "table3"],
        appeal_cells=[AppealCell(kind=c.row, outcome=c.column, raw=c.raw, value=c.value, confidence=c.confidence)
                      for c in cells if c.table == "table4"],
        figures=summary_figures(cells, sections),
        checks=table_checks(table3, table4),
        table_spans=_merged(found.spans + [span for index in where.values()
                                           if (span := _grid_table_span(sections[index], cells)) is not None]),
        warnings=found.warnings,
        missing=missing,
    )


_DIGIT = lazy_re.compile(r"\d")
_TITLES = {"table2": "表二 (主动公开政府信息情况)", "table3": "表三 (收到和处理政府信息公开申请情况)",
           "table4": "表四 (政府信息公开行政复议、行政诉讼情况)"}
# Words that follow a table's heading when the table is there (not a mention in the prose).
_OPENINGS = {"table2": lazy_re.compile(r"信息内容|第二十条|规章|规范性文件|本年制发|本年新制作"),
             "table3": lazy_re.compile(r"申请人情况|自然人|本年新收"),
             "table4": lazy_re.compile(r"行政复议|结果维持|结果纠正")}
_CELLS_NEXT = lazy_re.compile(r"\s*\d")       # a heading whose table lost its header: its cells follow


def _read_text(text: str, sections: list[Section], era: str, found: Found) -> None:
    """The tables the grids did not give, read from the text: 表三 between its heading (or the
    start) and 表四's; 表二 before 表三; 表四 after it."""
    heading = _headings(text, sections)
    end = len(text)
    table3_end = heading.get("table4", end)
    if not found.has("table3"):
        start = heading.get("table3", heading.get("table2", 0))
        found.add(read_table3(text, start, table3_end if table3_end > start else end, era))
    spans = [s for s in found.spans]
    table3_at = min((s[0] for s in spans), default=heading.get("table3", end))
    table3_until = max((s[1] for s in spans), default=heading.get("table3", 0))
    if not found.has("table2"):
        start = heading.get("table2", 0)
        found.add(read_table2(text, start, table3_at if table3_at > start else end, era))
    if not found.has("table4"):
        start = max(heading.get("table4", 0), table3_until)
        found.add(read_table4(text, start, end, headed=start == heading.get("table4")))


def _headings(text: str, sections: list[Section]) -> dict[str, int]:
    """Where each table's heading stands: its section's start, else (a copy with no line breaks
    to tell headings by) the last place its words stand followed by the table's own words."""
    where = {table: sections[index].start for table, index in _table_sections(sections).items()}
    for table, pattern in TABLE_SECTIONS:
        if table in where:
            continue
        places = [m.start() for m in pattern.finditer(text) if _OPENINGS[table].search(text, m.end(), m.end() + 400)
                  or _CELLS_NEXT.match(text, m.end())]
        if places:
            where[table] = places[-1]
    return where


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _grid_table_span(section: Section, cells: list) -> tuple[int, int] | None:
    """Where a table stands in its own section: from the first of its cells located there (read
    from grids or from text) to the section's end (prose before the table is prose)."""
    located = [c.start for c in cells if c.start is not None and section.start <= c.start < section.end
               and c.end - c.start < section.end - section.start]
    return (min(located), section.end) if located else None


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
    "table3": ({key: i for i, key in enumerate(REQUEST_ORDER)}, {key: i for i, key in enumerate(APPLICANTS)}),
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
