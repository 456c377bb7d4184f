"""The summary metrics (SCHEMA.md) from the tables' cells: 表三's 总计 column, 表四's totals and
the 表二 figures. A blank 总计 cell with filled parts gives a `derived` figure; a sum over
sub-rows (不予公开's eight reasons, 2021's three 其他处理 rows) is `exact` when every sub-row's
total was written and `derived` when a blank had to count as 0."""

from __future__ import annotations

from ..metrics import channel_of
from ..record import Figure, Section
from .cells import Cell
from .vocabulary import REQUEST_ORDER

# metric → the 表三 rows (or row prefixes ending in ".") whose 总计 cells it sums
REQUEST_METRICS = (
    ("requests.received", ("new_received",)),
    ("requests.carried_over", ("carried_over",)),
    ("requests.granted", ("granted",)),
    ("requests.partially_granted", ("partially_granted",)),
    ("requests.denied", ("denied.",)),
    ("requests.unable", ("unable.",)),
    ("requests.not_processed", ("not_processed.",)),
    ("requests.other", ("other", "other.")),
    ("requests.handled_total", ("handled_total",)),
    ("requests.carried_forward", ("carried_forward",)),
)


_METRIC_OF_ROW = {row: metric for metric, rows in REQUEST_METRICS for row in rows}


def summary_figures(cells: list[Cell], sections: list[Section]) -> list[Figure]:
    """Figures for the summary metrics, in SCHEMA.md's order: 表二, then 表三, then 表四."""
    figures = [_table2_figure(cell, sections) for cell in cells if cell.table == "table2" and cell.value is not None]
    by_metric: dict[str, list[Cell]] = {}
    for cell in cells:
        if cell.table == "table3":
            by_metric.setdefault(_METRIC_OF_ROW.get(cell.row.split(".")[0] + ("." if "." in cell.row else "")), []).append(cell)
    present = {c.row for c in cells if c.table == "table3"}
    for metric, rows in REQUEST_METRICS:
        if not _whole_group(rows, present):
            continue                     # a page that stops among a group's rows: its sum is no total
        figure = _sum_rows(metric, by_metric.get(metric, []), sections)
        if figure:
            figures.append(figure)
    table4 = [c for c in cells if c.table == "table4"]
    for metric, kinds in (("reconsideration.total", ("reconsideration",)),
                          ("litigation.total", ("litigation_direct", "litigation_after_reconsideration"))):
        figure = _appeal_total(metric, [c for c in table4 if c.row in kinds], sections)
        if figure:
            figures.append(figure)
    return figures


def _whole_group(rows: tuple[str, ...], present: set[str]) -> bool:
    """Whether every row a summed metric needs is at hand: all of a group's sub-rows (不予公开's
    eight reasons), or the one 其他处理 row that a table wrote instead of its three."""
    if rows == ("other", "other."):
        return "other" in present or all(key in present for key in REQUEST_ORDER if key.startswith("other."))
    groups = [row for row in rows if row.endswith(".")]
    return all(key in present for group in groups for key in REQUEST_ORDER if key.startswith(group))


def _table2_figure(cell: Cell, sections: list[Section]) -> Figure:
    value, unit = cell.value, cell.unit or ("件" if cell.column in ("issued", "repealed", "in_force", "published",
                                                                     "public_total", "decisions") else None)
    if cell.row == "procurement.amount_yuan" and cell.unit == "万元":
        value = value * 10_000
    return figure(cell.row, value, unit, "exact", f"表二 {cell.where} / {cell.column}: {cell.raw}",
                   cell.start, cell.end, sections)


def _sum_rows(metric: str, cells: list[Cell], sections: list[Section]) -> Figure | None:
    """One metric from the 总计 cells of its 表三 rows."""
    figure = _total(metric, cells, sections)
    if figure:
        figure.evidence = f"表三 {' + '.join(dict.fromkeys(c.where for c in cells))} / 总计"
    return figure


def _appeal_total(metric: str, cells: list[Cell], sections: list[Section]) -> Figure | None:
    """One metric from the 总计 cells of its 表四 kinds."""
    figure = _total(metric, cells, sections)
    if figure:
        figure.evidence = f"表四 {' + '.join(dict.fromkeys(c.row for c in cells))} / total"
    return figure


def _total(metric: str, cells: list[Cell], sections: list[Section]) -> Figure | None:
    """The sum of each row's total cell; a row whose total is blank counts its parts instead,
    which makes the figure `derived`. None when nothing is filled."""
    total, derived, used = 0, False, []
    for row in dict.fromkeys(c.row for c in cells):
        row_cells = [c for c in cells if c.row == row]
        stated = next((c for c in row_cells if c.column == "total" and c.value is not None), None)
        parts = [stated] if stated else [c for c in row_cells if c.column != "total" and c.value is not None]
        derived = derived or stated is None
        total += sum(c.value for c in parts)
        used += parts
    if not used:
        return None
    return figure(metric, total, "件", "derived" if derived else "exact", "",
                   min(c.start for c in used), max(c.end for c in used), sections)


def figure(metric, value, unit, qualifier, evidence, start, end, sections, category=None) -> Figure:
    """A figure read from a table, placed in the section its evidence starts in."""
    section = next((i for i, s in enumerate(sections) if s.start <= start < s.end), None)
    return Figure(metric=metric, value=value, unit=unit, qualifier=qualifier, category=category,
                  evidence=evidence, start=start, end=end, section=section, channel=channel_of(metric, category))
