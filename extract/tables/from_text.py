"""The standard tables read from text, whatever form a copy gave them: one cell per line, blank
lines between cells, `|` or tab separated rows, Markdown tables (with meaningful headers or not,
or one small table per row under ### headings), PDF text with numbers above or below their
label, rows whose cells ran together with no separator, or the whole page on one line.

One reader for all of them, anchored on the template: the format's row labels are found in
their order in the text's words (stream.py: Chinese characters only, so line breaks, pipes and
numbers inside a label do not matter), and each row takes the cells that stand between its
label and the next one's. Where the count does not fit row by row, the table's cells in order
are dealt out by the format's layout (numbers printed above their labels, a label misspelt past
recognition); cells a copy ran together are split by the format's arithmetic over the whole
table at once (run_together.py). What cannot be placed for certain stays unmapped or null, with
a warning that names the row. Which words name which row: vocabulary.py."""

from __future__ import annotations

import re

from .. import lazy_re
from .cells import Cell, Found, cell_value
from .placing import (
    as_cells, at_commas_if_fitting, cut_at_the_end, is_run, may_be_cut, non_empty, page_numbers_alone, place,
    stops_in_the_next_row, strip_numbering, unfound_rows, without_a_page_number,
)
from .rows import Row, align, header_before, pieces_after_header, rows_of, until_prose
from .run_together import resolve, splits
from .stream import Piece, Stream, shown, words_of
from .vocabulary import (
    APPEAL_HEADER, APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, REQUEST_LABELS, REQUEST_ORDER, REQUEST_ROW_WORDS,
    REQUEST_ROWS_2019, REQUEST_ROWS_2021, RESULT_GROUPS, TABLE2_FLAT, TABLE2_HEADER, TABLE2_LABELS, TABLE2_METRICS,
    TABLE2_ORDER, TABLE2_ROWS, request_row_numbering,
)

_REQUEST_PATTERNS = {key: lazy_re.compile(pattern) for key, pattern in REQUEST_ROW_WORDS}
_NUMBERING = {key: lazy_re.compile(pattern) for key, pattern in request_row_numbering().items()}
_LABEL_WORDS = {key: words_of(label) for key, label in REQUEST_LABELS.items()}
_TABLE2_PATTERNS = {key: lazy_re.compile(pattern) for key, pattern in TABLE2_ROWS}
_TABLE2_OPENING = lazy_re.compile(TABLE2_HEADER.pattern + r"|信息内容|第二十条|项目列")
_TABLE3_HEADER = lazy_re.compile(r"申请人情况|自然人|法人或其[他它]组织|商业企业|科研机构|社会公益组织|法律服务机构|其[他它](?!处理|法律|情形)"
                                 r"|总计|合计")
_HEADER_WORDS_TOO = ("other.other", "handled_total")      # 其他, 总计: columns of the header too
_NAMES = {"table3": "表三", "table4": "表四"}
_A_TABLE_OF_LABELS = 4      # rows of 表三 found by their labels' words: the table, not prose about requests


def read_table3(text: str, start: int, end: int, era: str) -> Found:
    """表三 in text[start:end]: its rows by their labels in the format's order, 7 cells each."""
    found = Found()
    stream = Stream(text, start, end)
    marks = align(stream, REQUEST_ORDER, _REQUEST_PATTERNS, _NUMBERING, _TABLE3_HEADER, _LABEL_WORDS)
    if not any(by_words and key not in _HEADER_WORDS_TOO for key, _, _, by_words in marks):
        return _numbers_only(stream, era)
    rows = rows_of(stream, marks, _TABLE3_HEADER)
    rows = [row for i, row in enumerate(rows)          # 2021's （六）其他处理 heading over its three rows
            if not (row.key == "other" and not row.pieces and any(r.key.startswith("other.") for r in rows[i:]))]
    width = len(APPLICANTS)
    era_rows = REQUEST_ROWS_2021 if era == "tables_2021" or any(r.key.startswith("other.") for r in rows) \
        else REQUEST_ROWS_2019
    strip_numbering(rows, era_rows)
    pre = pieces_after_header(stream, rows[0].start, _TABLE3_HEADER)
    page_numbers_alone(rows, text, width, found, "表三")
    stops_in_the_next_row(rows, text, width, found, "表三")
    placed = place(rows, pre, width, era_rows, found, "表三")
    if not placed:
        labelled = {key for key, _, _, by_words in marks if by_words}
        if len(labelled) < _A_TABLE_OF_LABELS:
            return Found()               # prose about requests, not the table
        found = Found(located={"table3"})
        found.warnings.append(f"表三: {len(labelled)} of its rows are labelled here, but no row holds its {width} "
                              "cells in order (blank cells lost in this copy, or the cells stand apart from "
                              "their labels): not read")
        return found
    cut_at_the_end(placed, text, width, found)
    found.warnings += unfound_rows(placed, era_rows, "表三")
    found.located.add("table3")
    fixed, runs = {}, {}
    for key, (label, pieces) in placed.items():
        cells = as_cells(pieces, width)
        if cells is not None:
            fixed[key] = tuple(cell_value(p.raw)[0] for p in cells)
            for applicant, piece in zip(APPLICANTS, cells):
                _add(found, "table3", key, applicant, piece, label)
        else:
            runs[key] = (label, non_empty(pieces))
    if runs:
        candidates = {key: splits(tuple(p.raw for p in run), 1, width) for key, (_, run) in runs.items()}
        resolved = resolve(candidates, fixed, _request_checks(set(fixed) | set(runs), era_rows))
        for key, (label, run) in runs.items():
            _add_split(found, "table3", [(key, APPLICANTS)], run, resolved[key], label, len(candidates[key]))
    _span(found, stream, rows, _TABLE3_HEADER)
    return found


def _numbers_only(stream: Stream, era: str) -> Found:
    """表三 whose labels were lost, numbers only, after its header: read in the format's order,
    and only when their count is exactly the format's number of cells."""
    found = Found()
    header = stream.find(_TABLE3_HEADER)
    if len({stream.words[ws:we] for ws, we, _ in header}) < 3:
        return found
    rows = REQUEST_ROWS_2021 if era == "tables_2021" else REQUEST_ROWS_2019
    pieces = until_prose(stream, stream.pieces_between(header[0][2], stream.end), _TABLE3_HEADER)
    width = len(APPLICANTS)
    if len(pieces) != width * len(rows):
        if pieces:
            found.warnings.append(f"表三: {len(pieces)} numbers and no row labels, where the {era} format has "
                                  f"{width * len(rows)} cells; kept unmapped")
        return found
    for i, piece in enumerate(pieces):
        _add(found, "table3", rows[i // width], APPLICANTS[i % width], piece, f"表三 number {i + 1} of {len(pieces)}")
    found.spans.append((header[0][2], pieces[-1].end))
    return found


def read_table4(text: str, start: int, end: int, headed: bool = False) -> Found:
    """表四 in text[start:end]: after its header, 15 cells in the format's order (three kinds of
    five outcomes), or one run of digits split by each kind's sum. Where the header's words are
    not there, only right after the table's own heading (`headed`: text[start:] begins with it)
    and only a table's worth of cells."""
    found = Found()
    stream = Stream(text, start, end)
    header = stream.find(APPEAL_HEADER)
    width = len(APPEAL_KINDS) * len(APPEAL_OUTCOMES)
    if len({stream.words[ws:we] for ws, we, _ in header}) >= 4:
        opened = header[0][2]
    elif headed:
        opened = start
    else:
        return found                     # prose about appeals, not the table
    pieces = until_prose(stream, stream.pieces_between(opened, end), APPEAL_HEADER)
    if all(p.kind == "empty" for p in pieces):
        pieces = []                      # the empty cells of its header's lines: no row of cells
    pieces = at_commas_if_fitting(pieces, width)
    kept = without_a_page_number(pieces, text, width, len(APPEAL_OUTCOMES))
    if kept is not None:
        found.warnings.append(f"表四: a number alone on its line, {shown([p for p in pieces if p not in kept])} "
                              "(a page's number?): not a cell")
        pieces = kept
    if opened == start and not (as_cells(pieces, width) or is_run(pieces, width)):
        return found                     # a heading over prose
    if pieces or opened != start:        # its header's words, or cells under its heading
        found.located.add("table4")
    kinds = [(kind, APPEAL_OUTCOMES) for kind in APPEAL_KINDS]
    cells = as_cells(pieces, width)
    if cells is not None and may_be_cut(cells, text, summed=len(APPEAL_OUTCOMES)):
        found.warnings.append(f"表四: the text stops at its last cell, which may be cut ({shown(cells)}): not read")
        return found
    if cells is not None:
        for i, piece in enumerate(cells):
            _add(found, "table4", APPEAL_KINDS[i // 5], APPEAL_OUTCOMES[i % 5], piece, f"表四 cell {i + 1} of {width}")
    elif is_run(pieces, width):
        run = non_empty(pieces)
        options = splits(tuple(p.raw for p in run), len(APPEAL_KINDS), len(APPEAL_OUTCOMES))
        _add_split(found, "table4", kinds, run, options[0] if len(options) == 1 else None, "表四", len(options))
    elif pieces:
        found.warnings.append(f"表四: {len(pieces)} numbers where the format has {width} cells; kept unmapped: "
                              f"{shown(pieces)}")
        return found
    else:
        return found
    found.spans.append((opened, max(p.end for p in pieces)))
    return found


def read_table2(text: str, start: int, end: int, era: str) -> Found:
    """表二 in text[start:end]: each row label followed by as many cells as its row has columns
    in this era's format; a run of digits only where one split is possible (no sum constrains
    表二's cells)."""
    found = Found()
    layout = TABLE2_FLAT.get(era, {})
    stream = Stream(text, start, end)
    opened = stream.find(_TABLE2_OPENING)
    marks = [m for m in align(stream, [key for key in TABLE2_ORDER if key in layout], _TABLE2_PATTERNS,
                               labels=TABLE2_LABELS) if opened and m[1] > opened[0][2]]        # the rows come after the table's header or clause
    if not marks:
        return found
    rows = rows_of(stream, marks)
    _table2_cells_before_the_first_label(rows, pieces_after_header(stream, rows[0].start, _TABLE2_OPENING),
                                        layout, found)
    in_10k = bool(re.search(r"采购总金额\W{0,2}万元", text[start:end]))
    tabular = False                      # a row with its cells, or a run of them
    for row in rows:
        if not row.tabular:
            continue
        parts = layout[row.key]
        pieces = non_empty(row.pieces) if len(parts) == 1 else row.pieces
        pieces = at_commas_if_fitting(pieces, len(parts))
        cells = as_cells(pieces, len(parts))
        tabular = tabular or cells is not None or is_run(pieces, len(parts))
        if cells is None and is_run(pieces, len(parts)):
            options = splits(tuple(p.raw for p in pieces), 1, len(parts), summed=False)
            if len(options) == 1:
                cells = [Piece(text, begin, finish, "number") for _, text, (begin, finish)
                         in _cell_spans(pieces, options[0])]
            else:
                found.warnings.append(f"表二 row {row.label!r}: its cells ran together ({shown(pieces)}) and "
                                      f"{'no split fits' if not options else f'{len(options)} splits fit'}: kept null")
                continue
        if cells is None:
            if pieces:
                found.warnings.append(f"表二 row {row.label!r}: {len(pieces)} numbers where the {era} format has "
                                      f"{len(parts)}; kept unmapped: {shown(pieces)}")
            continue
        for part, piece in zip(parts, cells):
            metric = TABLE2_METRICS.get((row.key, part))
            if metric:
                cell = _add(found, "table2", metric, part, piece, row.label)
                cell.unit = "万元" if part == "amount" or part == "procurement_amount" and in_10k else None
    if not tabular:
        return Found()                   # prose about documents and decisions, not the table
    found.located.add("table2")
    _span(found, stream, rows, None)
    return found


def _table2_cells_before_the_first_label(rows: list[Row], pre: list[Piece], layout: dict, found: Found) -> None:
    """Cells between 表二's header and its first label found: the row the format has before
    that label, whose own label is blank or lost (its cells stand where it would); or, where the
    last row has no cells after its label, every row's cells stand above its label (a PDF's)."""
    pre = non_empty(pre)
    if not pre:
        return
    order = [key for key in TABLE2_ORDER if key in layout]
    before = order[order.index(rows[0].key) - 1] if order.index(rows[0].key) > 0 else None
    if before and len(pre) == len(layout[before]):
        rows.insert(0, Row(key=before, start=pre[0].start, pieces=pre, label=f"{before} (its label not found)"))
        found.warnings.append(f"表二: no label found for {before}: its cells taken in the format's order")
    elif len(pre) == len(layout[rows[0].key]) and not rows[-1].pieces:
        for row, pieces in zip(rows, [pre] + [(r.more or [r.pieces])[-1] for r in rows[:-1]]):
            row.pieces = pieces
        found.warnings.append("表二: its cells stand above their labels: each row read from the line above it")


def _request_checks(present: set[str], era_rows: tuple[str, ...]) -> list[tuple[list[str], list[str]]]:
    """The format's balances over the 表三 rows at hand, column by column: 本年新收 + 上年结转 =
    （七）总计 + 结转下年度, and the result rows (every one of the format's) add to （七）总计."""
    results = [key for key in era_rows if key.split(".")[0] in RESULT_GROUPS]
    if "other" in present and not any(key.startswith("other.") for key in present):
        results = [key for key in results if not key.startswith("other.")] + ["other"]
    return [(["new_received", "carried_over"], ["handled_total", "carried_forward"]), (["handled_total"], results)]


# ---- the cells --------------------------------------------------------------------------------

def _add(found: Found, table: str, row: str, column: str, piece: Piece, where: str) -> Cell:
    value, problem = cell_value(piece.raw)
    if problem:
        found.warnings.append(f"{where} / {column}: {problem}")
    cell = Cell(table=table, row=row, column=column, raw=piece.raw, value=value, where=where,
                start=piece.start, end=piece.end)
    found.cells.append(cell)
    return cell


def _add_split(found: Found, table: str, rows: list, run: list[Piece], values, label: str, options: int) -> None:
    """The cells of a row that ran together: each part of its one fitting split, or null with a
    warning."""
    raw, start, end = shown(run), run[0].start, run[-1].end
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


def _cell_spans(run: list[Piece], values) -> list[tuple]:
    """(value, text as written, offsets) of each cell of a split run."""
    spans, cells = [], iter(values)
    for piece in run:
        if not piece.run:
            spans.append((next(cells), piece.raw, (piece.start, piece.end)))
            continue
        position = piece.start
        while position < piece.end:
            value = next(cells)
            text = str(value)
            spans.append((value, text, (position, position + len(text))))
            position += len(text)
    return spans


def _span(found: Found, stream: Stream, rows: list[Row], header: lazy_re.Pattern | None) -> None:
    """Where the table stands: from its header (just before the first label) to its last cell,
    read or not (a row left unread is the table's all the same, no prose: 行政事业性收费00)."""
    cells = [c for c in found.cells if c.start is not None]
    if not cells:
        return
    start = rows[0].start
    if header is not None:
        before = header_before(stream, start, header)
        start = before[0] if before else start
    ends = [c.end for c in cells] + [p.end for row in rows for part in [row.pieces, *row.more] for p in part]
    found.spans.append((start, max(ends)))
