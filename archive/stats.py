"""What an archive holds, counted from the archive itself."""

from __future__ import annotations

from sqlite_utils import Database

from .labels import METRICS


def archive_stats(db: Database) -> dict:
    """Counts of agencies, reports (by year and era), figures, checks and failures."""
    one = lambda sql: next(db.query(sql))["n"]  # noqa: E731
    return {
        "agencies": one("select count(*) n from agencies"),
        "agency_names": one("select count(*) n from agency_aliases"),
        "documents": one("select count(*) n from documents"),
        "reports": one("select count(*) n from reports"),
        "current_reports": one("select count(*) n from reports where is_current = 1"),
        "reports_by_year": {r["year"]: r["n"] for r in db.query(
            "select year, count(*) n from reports group by year order by year")},
        "reports_by_era": {r["era"]: r["n"] for r in db.query(
            "select era, count(*) n from reports group by era order by era")},
        "figures": one("select count(*) n from figures"),
        "table_cells": one("select (select count(*) from request_cells) + (select count(*) from appeal_cells) n"),
        "tables_not_read": one("select count(*) n from reports where era != 'free_text' and missing_tables is not null"),
        "checks": {r["status"]: r["n"] for r in db.query(
            "select status, count(*) n from checks group by status order by status")},
        "reports_failing_a_check": one("select count(distinct report_id) n from checks where status = 'fail'"),
        "fetch_failures": {f"{r['stage']}/{r['classification']}": r["n"] for r in db.query(
            "select stage, classification, count(*) n from fetch_failures where resolved_at is null "
            "group by stage, classification order by n desc")},
        "crawl_runs": one("select count(*) n from crawl_runs"),
    }


def counted(n: int, noun: str) -> str:
    """`1 document`, `2 documents`: a count as a summary says it."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def waiting_for_engines(db: Database) -> dict[str, int]:
    """Archived documents not read for want of an optional program (LibreOffice):
    {engine: how many}, for the engines some document waits for."""
    from extract.formats.engines import ENGINES

    from .extraction import waiting_for

    counts = {}
    for engine in ENGINES:
        sql, params = waiting_for([engine])
        n = next(db.query(f"select count(distinct url) n from ({sql})", params))["n"]
        if n:
            counts[engine] = n
    return counts


def format_stats(stats: dict, where: str) -> str:
    """The counts as lines for the terminal."""
    join = lambda counts: ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"  # noqa: E731
    return "\n".join([
        f"archive {where}",
        f"  agencies          {stats['agencies']} ({stats['agency_names']} names seen)",
        f"  documents         {stats['documents']} archived ({stats['crawl_runs']} crawl runs)",
        f"  reports           {stats['reports']} ({stats['current_reports']} current: one per agency and year)",
        f"    by year         {join(stats['reports_by_year'])}",
        f"    by era          {join(stats['reports_by_era'])}",
        f"  figures           {stats['figures']}; table cells {stats['table_cells']}",
        f"  table-era reports whose standard tables were not all read: {stats['tables_not_read']} "
        "(datasette: table_era_without_tables)",
        f"  checks            {join(stats['checks'])}; {stats['reports_failing_a_check']} reports fail one",
        f"  failures          {join(stats['fetch_failures'])}",
    ])


def metric_counts(db: Database) -> dict[str, dict]:
    """For each metric the archive holds: its figures, the reports stating it, and its categories
    with their figures (most first)."""
    counts = {r["metric"]: {"figures": r["figures"], "reports": r["reports"], "categories": {}} for r in db.query(
        "select metric, count(*) figures, count(distinct report_id) reports from figures group by metric")}
    for r in db.query("select metric, category, count(*) n from figures where category is not null "
                      "group by metric, category order by metric, n desc, category"):
        counts[r["metric"]]["categories"][r["category"]] = r["n"]
    return counts


def format_metrics(counts: dict[str, dict]) -> str:
    """Every metric key with its names and (with `counts`) what the archive holds of it: the
    lines `xxgk metrics` prints."""
    width = max(map(len, METRICS))
    lines = [f"{'metric':{width}}  {'figures':>7}  {'reports':>7}  名称 / name"] if counts else []
    for key, (zh, en) in METRICS.items():
        held = counts.get(key, {"figures": 0, "reports": 0, "categories": {}})
        line = f"{key:{width}}  {held['figures']:>7,}  {held['reports']:>7,}  {zh} / {en}" if counts \
            else f"{key:{width}}  {zh} / {en}"
        categories = held["categories"]
        if categories:
            shown = ", ".join(f"{name} {n:,}" for name, n in list(categories.items())[:6])
            more = f" … {len(categories) - 6} more" if len(categories) > 6 else ""
            line += f"\n{'':{width}}    categories ({key}:CATEGORY): {shown}{more}"
        lines.append(line)
    unknown = sorted(set(counts) - set(METRICS))
    if unknown:
        lines.append(f"also in the archive, not in SCHEMA.md: {', '.join(unknown)}")
    return "\n".join(lines)
