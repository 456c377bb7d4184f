"""The standard tables read from flattened text: a page whose tables lost their markup, leaving
row labels each followed by a run of numbers, or only the numbers.

A run is mapped by the format's known order only when its count fits exactly; otherwise the
numbers stay unmapped and a warning says so (a guess would put numbers in the wrong cells)."""

from __future__ import annotations

import re

from .cells import Cell, Found, cell_value
from .run_together import resolve, splits
from .vocabulary import (
    APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, REQUEST_ROW_LABELS, REQUEST_ROWS_2019, REQUEST_ROWS_2021,
    TABLE2_FLAT, TABLE2_HEADER, TABLE2_METRICS, TABLE2_ROWS, request_checks, request_row_numbering,
)

# A cell in a run: a number, or a mark that stands for a blank cell.
_TOKEN = re.compile(r"(?<![\d.])[+-]?\d[\d,]*(?:\.\d+)?(?![\d.])|[/／]|[—–－]+|(?<![\u4e00-\u9fff])无(?![\u4e00-\u9fff])")
_PATTERNS = dict(REQUEST_ROW_LABELS)
# Words of 表二's headers, and the notes some copies keep in them ("(指2018年事项数)", "减用负值
# 表示,如-8") and the block headings (第二十条第(五)项): none of their numbers is a cell.
_HEADER_WORDS = re.compile(TABLE2_HEADER.pattern + r"|（单位：万元）|（万元）|[(（]指[^)）]{0,60}[)）]"
                           r"|第二十条第\s*[(（]\s*[一二三四五六七八]\s*[)）]\s*项")
_TABLE2_PATTERNS = dict(TABLE2_ROWS)
_NAMES = {"table3": "表三", "table4": "表四"}


def tokens(text: str, offset: int) -> list[tuple[str, int, int]]:
    """The cells of a run of numbers: (raw, start, end) with offsets in the report text."""
    return [(m.group(0), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def read_table3(region: str, offset: int, era: str) -> Found:
    """表三 from a flattened region: rows by their labels in the format's order, 7 cells each
    (a row's cells run together split by the format's sums; a row whose numbers stand above its
    label, after the row before, given back); or, with no labels, exactly as many numbers as
    the format has cells."""
    rows = REQUEST_ROWS_2021 if era == "tables_2021" else REQUEST_ROWS_2019
    labelled = _numbers_above_labels(_labelled(region, offset, rows, _PATTERNS, request_row_numbering(era)))
    found = Found()
    width = len(APPLICANTS)
    # rows by their labels, when any labelled row has its cells (a page opening may hold only
    # the first rows); a word such as 总计 in the header alone is no row
    if not any(len(run) == width or _run_together(run, width) for _, _, run in labelled):
        return _in_order(found, tokens(region, offset), "table3", rows, APPLICANTS, f"the {era} format")
    fixed, together = {}, {}
    for key, label, run in labelled:
        if len(run) == width:
            fixed[key] = tuple(cell_value(t[0])[0] for t in run)
            for applicant, token in zip(APPLICANTS, run):
                _add(found, "table3", key, applicant, token, label)
        elif _run_together(run, width):
            together[key] = (label, run)
        else:
            found.warnings.append(f"表三 row {label!r}: {len(run)} numbers where the format has "
                                  f"{width}; kept unmapped: {' '.join(t[0] for t in run)}")
    if together:
        candidates = {key: splits(tuple(t[0] for t in run), 1, width) for key, (_, run) in together.items()}
        resolved = resolve(candidates, fixed, request_checks(era))
        for key, (label, run) in together.items():
            _add_split(found, "table3", [(key, APPLICANTS)], run, resolved[key], label, len(candidates[key]))
    return found


def read_table4(region: str, offset: int) -> Found:
    """表四 from a flattened region: its 15 numbers in the format's order (or one run of digits,
    split by each kind's sum), or nothing mapped."""
    run = tokens(region, offset)
    width = len(APPEAL_OUTCOMES)
    if _run_together(run, width * len(APPEAL_KINDS)):
        found = Found()
        options = splits(tuple(t[0] for t in run), len(APPEAL_KINDS), width)
        _add_split(found, "table4", [(kind, APPEAL_OUTCOMES) for kind in APPEAL_KINDS], run,
                   options[0] if len(options) == 1 else None, "表四", len(options))
        return found
    return _in_order(Found(), run, "table4", APPEAL_KINDS, APPEAL_OUTCOMES, "the format")


def _run_together(run: list, width: int) -> bool:
    """Fewer pieces than cells, digits enough for them: a row's cells run together (marks of
    blank cells, "/", may stand between the runs of digits)."""
    digits = [t[0] for t in run if t[0].isdigit()]
    cells = len(run) - len(digits) + sum(len(d) for d in digits)
    return 0 < len(run) < width and bool(digits) and cells >= width and all(
        t[0].isdigit() or cell_value(t[0])[0] is None for t in run)


def _numbers_above_labels(labelled: list) -> list:
    """A row with no numbers after a row with two rows' worth: its numbers stood on the line
    above its label (a label wrapped in a PDF cell), so the second half is its own."""
    width = len(APPLICANTS)
    fixed = list(labelled)
    for i in range(1, len(fixed)):
        key, label, run = fixed[i]
        before_key, before_label, before = fixed[i - 1]
        if not run and len(before) == 2 * width:
            fixed[i - 1] = (before_key, before_label, before[:width])
            fixed[i] = (key, label, before[width:])
    return fixed


def _add_split(found: Found, table: str, rows: list, run: list, values, label: str, options: int) -> None:
    """The cells of a row that ran together: each part of its one fitting split, or null with a
    warning."""
    raw, start, end = " ".join(t[0] for t in run), run[0][1], run[-1][2]
    if values is None:
        fit = "no split fits" if not options else f"{options} splits fit"
        found.warnings.append(f"{_NAMES[table]} row {label!r}: its cells ran together ({raw}) and {fit} the "
                              "format's sums with the rows at hand: kept null")
        for key, columns in rows:
            for column in columns:
                found.cells.append(Cell(table=table, row=key, column=column, raw=raw, value=None, where=label,
                                        start=start, end=end))
        return
    pieces = iter(_cell_spans(run, values))
    for key, columns in rows:
        for column in columns:
            value, text, (cell_start, cell_end) = next(pieces)
            found.cells.append(Cell(table=table, row=key, column=column, raw=text, value=value, where=label,
                                    start=cell_start, end=cell_end))


def _cell_spans(run: list, values) -> list[tuple]:
    """(value, text as written, offsets) of each cell of a split run."""
    spans, cells = [], iter(values)
    for raw, start, _ in run:
        if not raw.isdigit():
            spans.append((next(cells), raw, (start, start + len(raw))))
            continue
        position = start
        while position < start + len(raw):
            value = next(cells)
            text = str(value)
            spans.append((value, text, (position, position + len(text))))
            position += len(text)
    return spans


def _in_order(found: Found, run: list, table: str, rows, columns, layout: str) -> Found:
    """A run of bare numbers mapped row by row in the format's order, only when its count is
    exactly the format's number of cells."""
    name = _NAMES[table]
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
        if len(run) == 1 and run[0][0].isdigit() and len(run[0][0]) == len(parts) > 1:
            raw, start, _ = run[0]      # "规章000": cells run together, one digit each (the only reading)
            run = [(digit, start + i, start + i + 1) for i, digit in enumerate(raw)]
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


def _labelled(region: str, offset: int, keys, patterns, numbering: dict | None = None) -> list[tuple[str, str, list]]:
    """(key, label, run of cells) for each row label found, in order, each after the last; a
    label that lost characters is found by its number (`numbering`) before the next label."""
    marks = []
    position = 0
    keys = list(keys)
    for index, key in enumerate(keys):
        match = re.compile(patterns[key]).search(region, position)
        if match is None and numbering and key in numbering:
            match = re.compile(numbering[key]).search(region, position)
            following = next((m for m in (re.compile(patterns[k]).search(region, position) for k in keys[index + 1:])
                              if m), None)
            if match and following and following.start() < match.start():
                match = None
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
        label = re.sub(r"\s{2,}", " ", region[match.start():run_start]).strip()
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
