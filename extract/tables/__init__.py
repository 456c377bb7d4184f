"""The tables of a report: the national standard tables of 2019+ reports (standard.py) and the
statistics table of 2008–2018 reports (statistics.py). Each reader is imported only for a report
that may hold its table: a 2008 report that names no statistics table needs neither."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import lazy_re
from ..metrics import FIRST_TABLE_YEAR
from ..record import AppealCell, Check, Figure, RequestCell, Section
from .grid import Grid

STATISTICS_HEADING = lazy_re.compile(r"统计表|指标名称|统计指标")


@dataclass
class StandardTables:
    """What a report's standard tables gave."""

    era: str | None = None
    request_cells: list[RequestCell] = field(default_factory=list)
    appeal_cells: list[AppealCell] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    table_spans: list[tuple[int, int]] = field(default_factory=list)   # where the tables stand: not prose
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)     # table2/table3/table4 none of whose cells was read


@dataclass
class StatisticsTable:
    """What a statistics table gave."""

    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None            # where the table stands in the text


def read_standard_tables(text: str, sections: list[Section], grids: list[Grid], year: int | None) -> StandardTables:
    """The standard tables of a report, or an empty result (era None) for a free-text report.
    A table-era report none of whose 表二, 表三 or 表四 cells could be read, from its grids or its
    text, says so in its warnings, whether the table stands in the text or not (`missing`)."""
    if year is not None and year < FIRST_TABLE_YEAR:
        return StandardTables()
    from . import standard

    return standard.read(text, sections, grids, year)


def read_statistics_table(text: str, sections: list[Section], stated: list[Figure] = (),
                          year: int | None = None) -> StatisticsTable:
    """The statistics table in a free-text report's text, or an empty result. A run of digits
    the table's own sums leave open is cut where this year's number is one the prose `stated`
    for the same metric (the figures stated in prose should equal the table's)."""
    if not STATISTICS_HEADING.search(text):
        return StatisticsTable()
    from . import statistics

    return statistics.read(text, sections, stated, year)
