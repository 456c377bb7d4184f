"""The summary a crawl ends with: what was fetched, found, extracted and failed, and where it is."""

from __future__ import annotations

from pathlib import Path

from archive.store import DB_NAME
from sqlite_utils import Database


def crawl_summary(data: str | Path, stats: dict) -> str:
    """A few lines for the terminal, from the crawl's stats and the archive itself."""
    data = Path(data)
    run = stats.get("xxgk/run") or {}
    extraction = stats.get("xxgk/extraction") or {}
    db = Database(data / DB_NAME)
    run_id = run.get("id") or stats.get("xxgk/run_id")
    failures, skipped, unextracted = (_by_classification(db, run_id, stage) for stage in ("fetch", "skip", "extract"))
    reports = next(db.query("select count(*) n from reports r join documents d on d.id = r.document_id "
                            "where d.run_id = ?", [run_id]))["n"] if run_id else 0
    changes = next(db.query("select count(*) n from changes where run_id = ?", [run_id]))["n"] if run_id else 0
    off_site = next(db.query("select count(*) n from off_site_links where run_id = ?", [run_id]))["n"] if run_id else 0
    pages = stats.get("xxgk/new", 0) + stats.get("xxgk/revisit", 0)
    lines = [
        f"crawl run {run_id}: {run.get('status', 'unknown')} ({stats.get('finish_reason', '?')})",
        f"  pages fetched      {pages} new, {stats.get('xxgk/unchanged', 0)} unchanged since the last crawl",
        f"  reports            {run.get('reports_found', 0)} report pages, {run.get('attachments', 0)} attachments",
        f"  records extracted  {reports} ({extraction.get('figures', 0)} figures); "
        f"{extraction.get('failed', 0)} documents not extractable (yet){_counted(unextracted)}: "
        f"see fetch_failures where stage = 'extract'",
        f"  failures           {sum(f['n'] for f in failures)}{_counted(failures)}",
        f"  skipped            {sum(f['n'] for f in skipped)} URLs not requested{_counted(skipped)}: "
        f"see fetch_failures where stage = 'skip'",
        f"  changes            {changes} reports replaced or gone; {off_site} links off the sites recorded",
        f"  archive            {data / DB_NAME}: {_total(db, 'reports')} report records, "
        f"{_total(db, 'figures')} figures, {_total(db, 'documents')} documents in all runs",
        f"  raw captures       {data / 'warc'}",
        f"  log                {stats.get('log_file')}",
        f"browse it: xxgk serve --data {data}   (failures: select * from fetch_failures)",
    ]
    if stats.get("xxgk/extraction_error"):
        lines.insert(4, f"  extraction failed  {stats['xxgk/extraction_error']}")
    if stats.get("xxgk/redis/worker"):           # one worker's shard of a shared crawl
        lines[3] = (f"  records extracted  none here: this is worker {stats['xxgk/redis/worker']}'s shard; "
                    f"`xxgk merge SHARD... --data DIR` folds the shards together and extracts them")
        lines[-1] = f"requests queued again after a worker stopped: {stats.get('xxgk/redis/requeued', 0)}"
    return "\n".join(lines)


def _by_classification(db: Database, run_id: int | None, stage: str) -> list[dict]:
    """This run's unresolved failures of one stage, counted by classification, most first."""
    if not run_id:
        return []
    return list(db.query("select classification, count(*) n from fetch_failures where run_id = ? and stage = ? "
                         "and resolved_at is null group by classification order by n desc", [run_id, stage]))


def _counted(groups: list[dict]) -> str:
    return " (" + ", ".join(f"{g['n']} {g['classification']}" for g in groups) + ")" if groups else ""


def _total(db: Database, table: str) -> int:
    return next(db.query(f"select count(*) n from {table}"))["n"]
