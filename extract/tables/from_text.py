"""The standard tables read from flattened text: a page whose tables lost their markup, leaving
row labels each followed by a run of numbers, or only the numbers.

A run is mapped by the format's known order only when its count fits exactly; otherwise the
numbers stay unmapped and a warning says so (a guess would put numbers in the wrong cells)."""

from __future__ import annotations

import re

from .cells import Cell, Found, cell_value
from .vocabulary import (
    APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, REQUEST_ROW_LABELS, REQUEST_ROWS_2019, REQUEST_ROWS_2021,
    TABLE2_FLAT, TABLE2_HEADER, TABLE2_METRICS, TABLE2_ROWS,
)

# A cell in a run: a number, or a mark that stands for a blank cell.
_TOKEN = re.compile(r"(?<![\d.])[+-]?\d[\d,]*(?:\.\d+)?(?![\d.])|[/／]|[—–－]+|(?<![\u4e00-\u9fff])无(?![\u4e00-\u9fff])")
_PATTERNS = dict(REQUEST_ROW_LABELS)
_HEADER_WORDS = re.compile(TABLE2_HEADER.pattern + r"|（单位：万元）|（万元）")
_TABLE2_PATTERNS = dict(TABLE2_ROWS)


def tokens(text: str, offset: int) -> list[tuple[str, int, int]]:
    """The cells of a run of numbers: (raw, start, end) with offsets in the report text."""
    return [(m.group(0), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def read_table3(region: str, offset: int, era: str) -> Found:
    """表三 from a flattened region: rows by their labels in the format's order, 7 cells each;
    or, with no labels, exactly as many numbers as the format has cells."""
    rows = REQUEST_ROWS_2021 if era == "tables_2021" else REQUEST_ROWS_2019
    labelled = _labelled(region, offset, rows, _PATTERNS)
    found = Found()
    # rows by their labels, when any labelled row has its 7 cells (a page opening may hold only
    # the first rows); a word such as 总计 in the header alone is no row
    if any(len(run) == len(APPLICANTS) for _, _, run in labelled):
        for key, label, run in labelled:
            if len(run) != len(APPLICANTS):
                found.warnings.append(f"表三 row {label!r}: {len(run)} numbers where the format has "
                                      f"{len(APPLICANTS)}; kept unmapped: {' '.join(t[0] for t in run)}")
                continue
            for applicant, token in zip(APPLICANTS, run):
                _add(found, "table3", key, applicant, token, label)
        return found
    return _in_order(found, tokens(region, offset), "table3", rows, APPLICANTS, f"the {era} format")


def read_table4(region: str, offset: int) -> Found:
    """表四 from a flattened region: its 15 numbers in the format's order, or nothing mapped."""
    return _in_order(Found(), tokens(region, offset), "table4", APPEAL_KINDS, APPEAL_OUTCOMES, "the format")


def _in_order(found: Found, run: list, table: str, rows, columns, layout: str) -> Found:
    """A run of bare numbers mapped row by row in the format's order, only when its count is
    exactly the format's number of cells."""
    name = {"table3": "表三", "table4": "表四"}[table]
    expected = len(rows) * len(columns)
    if len(run) == expected:
        for i, token in enumerate(run):
            _add(found, table, rows[i // len(columns)], columns[i % len(columns)], token,
                 f"{name} number {i + 1} of {expected}")
    elif run:
        found.warnings.append(f"{name}: {len(run)} numbers where {layout} has {expected} cells; "
                              f"kept unmapped: {' '.join(t[0] for t in run)}")
    return found


def read_table2(region: str, offset: int, era: str) -> Found:
    """表二 from a flattened region: each row label followed by as many numbers as its row has
    columns in this era's format."""
    found = Found()
    in_10k = bool(re.search(r"采购总金额\W{0,2}万元", region))
    region = _HEADER_WORDS.sub(lambda m: " " * len(m.group(0)), region)   # "本年增/减" is no cell
    layout = TABLE2_FLAT.get(era, {})
    order = [key for key, _ in TABLE2_ROWS if key in layout]
    order.sort(key=lambda key: _first_position(region, _TABLE2_PATTERNS[key]))
    for subject, label, run in _labelled(region, offset, order, _TABLE2_PATTERNS):
        parts = layout[subject]
        if len(run) != len(parts):
            found.warnings.append(f"表二 row {label!r}: {len(run)} numbers where the {era} format has "
                                  f"{len(parts)}; kept unmapped: {' '.join(t[0] for t in run)}")
            continue
        for part, token in zip(parts, run):
            metric = TABLE2_METRICS.get((subject, part))
            if metric:
                cell = _add(found, "table2", metric, part, token, label)
                cell.unit = "万元" if part == "amount" or part == "procurement_amount" and in_10k else None
    return found


def _first_position(region: str, pattern: str) -> int:
    match = re.search(pattern, region)
    return match.start() if match else len(region)


def _labelled(region: str, offset: int, keys, patterns) -> list[tuple[str, str, list]]:
    """(key, label, run of cells) for each row label found, in order, each after the last."""
    marks = []
    position = 0
    for key in keys:
        match = re.compile(patterns[key]).search(region, position)
        if match is None:
            continue
        marks.append((key, match))
        position = match.end()
    rows = []
    for (key, match), following in zip(marks, marks[1:] + [None]):
        end = following[1].start() if following else len(region)
        body = region[match.end():end]
        label_end = re.search(r"[\d/／—–－]|(?<![\u4e00-\u9fff])无", body)
        run_start = match.end() + (label_end.start() if label_end else len(body))
        label = region[match.start():run_start].strip()
        rows.append((key, label, tokens(region[run_start:end], offset + run_start)))
    return rows


def _add(found: Found, table: str, row: str, column: str, token: tuple[str, int, int], where: str) -> Cell:
    raw, start, end = token
    value, problem = cell_value(raw)
    if problem:
        found.warnings.append(f"{where} / {column}: {problem}")
    cell = Cell(table=table, row=row, column=column, raw=raw, value=value, where=where, start=start, end=end)
    found.cells.append(cell)
    return cell
