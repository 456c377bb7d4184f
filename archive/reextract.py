"""Rerun the current extractors over every archived document, from the WARC captures alone (no
network), and say what changed: reports added, removed or changed, figures added, removed or
changed. A figure is the same figure when its document, metric, category and evidence offsets
(and its place among figures sharing those) are the same; it changed when its value, unit or
qualifier did."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .extraction import extract_documents
from .store import CACHE_KIB, Archive

_REPORT_FIELDS = ("agency_key", "title", "agency", "region_code", "year", "published_at", "period_start",
                  "period_end", "signed_on", "era", "source")
_FIGURES = """
select r.document_id, f.metric, coalesce(f.category, '') category, f.start, f."end",
       row_number() over (partition by r.document_id, f.metric, f.category, f.start, f."end" order by f.idx) nth,
       f.value, f.unit, f.qualifier
from figures f join reports r on r.id = f.report_id"""
_KEY_COLUMNS = 'document_id, metric, category, start, "end", nth'
# SQLite's sorter holds up to the main database's cache size in memory before it spills to a
# temporary file: the comparison's sorts (its window function, the temporary indexes) run with a
# small cache, so what they hold does not grow with the archive (bench/RESULTS.md, issue 14).
SORT_CACHE_KIB = 4 * 1024
_KEY = "o.document_id = n.document_id and o.metric = n.metric and o.category = n.category " \
       "and o.start = n.start and o.\"end\" = n.\"end\" and o.nth = n.nth"


def reextract(archive: Archive, *, workers: int = 2, progress: Callable[[dict], None] | None = None) -> dict:
    """Re-extract every document; return the extraction counts and what changed."""
    db = archive.db
    fields = ", ".join(_REPORT_FIELDS)
    db.execute("drop table if exists temp.old_reports")
    db.execute("drop table if exists temp.old_figures")
    with _small_sorts(db):
        db.execute(f"create temp table old_reports as select document_id, {fields} from reports")
        db.execute(f"create temp table old_figures as {_FIGURES}")
        db.execute("create index temp.old_reports_document on old_reports (document_id)")
        db.execute(f"create index temp.old_figures_key on old_figures ({_KEY_COLUMNS})")
    counts = extract_documents(archive, redo=True, workers=workers, progress=progress)
    with _small_sorts(db):
        db.execute(f"create temp table new_figures as {_FIGURES}")
        db.execute(f"create index temp.new_figures_key on new_figures ({_KEY_COLUMNS})")
    one = lambda sql: next(db.query(sql))["n"]  # noqa: E731
    differs = " or ".join(f"o.{f} is not n.{f}" for f in _REPORT_FIELDS)
    changed = {
        "reports_added": one("select count(*) n from reports n where not exists "
                             "(select 1 from old_reports o where o.document_id = n.document_id)"),
        "reports_removed": one("select count(*) n from old_reports o where not exists "
                               "(select 1 from reports n where o.document_id = n.document_id)"),
        "reports_changed": one(f"select count(*) n from old_reports o join reports n "
                               f"on o.document_id = n.document_id where {differs}"),
        "figures_added": one(f"select count(*) n from new_figures n where not exists "
                             f"(select 1 from old_figures o where {_KEY})"),
        "figures_removed": one(f"select count(*) n from old_figures o where not exists "
                               f"(select 1 from new_figures n where {_KEY})"),
        "figures_changed": one(f"select count(*) n from old_figures o join new_figures n on {_KEY} "
                               f"where o.value is not n.value or o.unit is not n.unit "
                               f"or o.qualifier is not n.qualifier"),
    }
    for table in ("old_reports", "old_figures", "new_figures"):
        db.execute(f"drop table temp.{table}")
    return {**counts, **changed}


@contextmanager
def _small_sorts(db) -> Iterator[None]:
    db.execute(f"PRAGMA cache_size=-{SORT_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
