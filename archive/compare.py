"""Comparisons across agencies and years: a wide table built from the `comparison` view.

Agencies are rows. One metric over years gives a column per year; several metrics in one year,
a column per metric; several over several years, a column per metric and year. A cell keeps
its value, qualifier, unit and the report it came from; a missing figure is an empty cell,
never a zero. A metric may name a category: `requests.by_channel:网上`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.regions import code_prefix
from extract.years import YearsError, parse_years

from .labels import METRICS, metric_label

if TYPE_CHECKING:     # sqlite-utils takes 0.15 s to import: not for `xxgk extract`'s summary
    from sqlite_utils import Database

MARKS = {"approx": "~", "at_least": "≥", "at_most": "≤"}
LEVELS = ("central", "province", "city", "county", "township", "unknown")
MAX_METRICS = 1000


class CompareError(ValueError):
    """A comparison asked for something the archive cannot answer (an unknown metric, category,
    agency or region, bad years)."""


@dataclass(frozen=True)
class Cell:
    value: int | float
    qualifier: str
    unit: str | None
    report_id: int
    url: str | None

    @property
    def text(self) -> str:
        """The value as a table shows it: ~60000 for about, ≥3000 for at least."""
        return MARKS.get(self.qualifier, "") + format_number(self.value)


@dataclass
class Row:
    agency_key: str
    agency: str
    region_code: str | None
    level: str
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)


@dataclass
class Comparison:
    metrics: list[str]
    years: list[int]
    rows: list[Row]

    @property
    def columns(self) -> list[tuple[str, int]]:
        return [(m, y) for m in self.metrics for y in self.years]

    def column_label(self, column: tuple[str, int]) -> str:
        metric, year = column
        if len(self.metrics) == 1:
            return str(year)
        return metric if len(self.years) == 1 else f"{metric} {year}"

    def labels(self) -> list[str]:
        return [self.column_label(c) for c in self.columns]


def compare(db: Database, metrics: list[str], *, agencies: list[str] | None = None, region: str | None = None,
            level: str | None = None, years: str | None = None) -> Comparison:
    """The comparison of `metrics` over the agencies and years asked for (it may have no rows:
    the selection is valid but the archive states no figure for it)."""
    if not metrics:
        raise CompareError("name at least one metric")
    if len(metrics) > MAX_METRICS:
        raise CompareError(f"{len(metrics)} metrics: one comparison takes at most {MAX_METRICS}")
    if level is not None and level not in LEVELS:
        raise CompareError(f"unknown level {level!r}: one of {', '.join(LEVELS)}")
    wanted = [split_metric(m) for m in metrics]
    check_metrics(db, wanted)
    plain = sorted({name for name, category in wanted if category is None})
    named = sorted({f"{name}:{category}" for name, category in wanted if category is not None})
    where = ["((category is null and metric in ({})) or (category is not null and metric || ':' || category in ({})))"
             .format(",".join("?" * len(plain)), ",".join("?" * len(named)))]
    params: list = [*plain, *named]
    if agencies:
        keys = resolve_agencies(db, agencies)
        where.append(f"agency_key in ({','.join('?' * len(keys))})")
        params += keys
    if region:
        where.append("region_code like ?")
        params.append(region_prefix(db, region) + "%")
    if level:
        where.append("level = ?")
        params.append(level)
    try:
        year_list = parse_years(years) if years else None
    except YearsError as err:
        raise CompareError(str(err)) from None
    if year_list:
        where.append(f"year in ({','.join('?' * len(year_list))})")
        params += year_list
    rows: dict[str, Row] = {}
    seen_years: set[int] = set()
    for r in db.query(f"select * from comparison where {' and '.join(where)} order by region_code, agency_key",
                      params):
        row = rows.setdefault(r["agency_key"], Row(r["agency_key"], r["agency"], r["region_code"], r["level"]))
        metric = f"{r['metric']}:{r['category']}" if r["category"] else r["metric"]
        row.cells[(metric, r["year"])] = Cell(r["value"], r["qualifier"], r["unit"], r["report_id"], r["url"])
        seen_years.add(r["year"])
    return Comparison(metrics=list(metrics), years=year_list or sorted(seen_years), rows=list(rows.values()))


def check_metrics(db: Database, wanted: list[tuple[str, str | None]]) -> None:
    """Every metric must be a key of SCHEMA.md and every category one the archive holds for its
    metric; otherwise the error names the nearest known ones."""
    for name, category in wanted:
        if name not in METRICS:
            raise CompareError(f"unknown metric {name!r}{_nearest(name, METRICS)} (`xxgk metrics` lists every key)")
        if category is None:
            continue
        known = [r["category"] for r in db.query(
            "select distinct category from figures where metric = ? and category is not null order by category",
            [name])]
        if category not in known:
            held = f"; the archive holds: {', '.join(known[:20])}" if known else "; the archive holds none for it"
            raise CompareError(f"unknown category {category!r} of {name}{_nearest(category, known)}{held}")


def region_prefix(db: Database, region: str) -> str:
    """The code prefix of a region and everything in it (430600 → 4306); the region must be a
    6-digit code some agency in the archive is in, otherwise the error names the nearest codes."""
    if not re.fullmatch(r"\d{6}", region):
        raise CompareError(f"region {region!r} is not a 6-digit administrative code")
    prefix = code_prefix(region)
    if next(db.query("select 1 from agencies where region_code like ? limit 1", [prefix + "%"]), None):
        return prefix
    codes = {r["region_code"]: " ".join(filter(None, [r["province"], r["city"], r["county"]])) for r in db.query(
        "select distinct region_code, province, city, county from agencies "
        "where region_code glob '[0-9][0-9][0-9][0-9][0-9][0-9]'")}
    shared = lambda code: next((i for i, (a, b) in enumerate(zip(code, region)) if a != b), 6)  # noqa: E731
    nearest = sorted(codes, key=lambda code: (-shared(code), abs(int(code) - int(region))))[:5]
    hint = "; nearest: " + ", ".join(f"{c} {codes[c]}".strip() for c in nearest) if nearest else \
        "; the archive has no agency with a region code"
    raise CompareError(f"no agency in the archive is in region {region}{hint}")


def _nearest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    return f": did you mean {' or '.join(close)}?" if close else ""


def resolve_agencies(db: Database, names: list[str]) -> list[str]:
    """Agency keys for names or keys (any name an agency has used counts)."""
    keys = []
    for name in names:
        found = [r["key"] for r in db.query(
            "select key from agencies where key = :n or name = :n "
            "union select agency_key from agency_aliases where alias = :n", {"n": name})]
        if not found:
            raise CompareError(f"no agency in the archive is called {name!r}")
        keys += found
    return keys


def format_number(value: int | float) -> str:
    """A number as the reports write it: no trailing .0, no exponent."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def title(comparison: Comparison) -> str:
    """What a comparison shows, in Chinese, for charts and sheets."""
    metrics = "、".join(metric_label(*split_metric(m)) for m in comparison.metrics)
    years = comparison.years
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else f"{years[0]}年" if years else ""
    return f"{metrics}（{span}）"


def split_metric(metric: str) -> tuple[str, str | None]:
    name, _, category = metric.partition(":")
    return name, category or None
