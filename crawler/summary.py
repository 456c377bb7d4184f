"""The summary a crawl ends with: what was fetched, found, extracted and failed, and where it is."""

from __future__ import annotations

from pathlib import Path

from archive.stats import counted, waiting_for_engines
from archive.store import DB_NAME
from extract.formats.engines import ENGINES, engine_needed, installed
from sqlite_utils import Database


def crawl_summary(data: str | Path, stats: dict, command: str = "xxgk") -> str:
    """A few lines for the terminal, from the crawl's stats and the archive itself; the commands
    it suggests start with `command` (how xxgk was run)."""
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
    status, reason = run.get("status", "unknown"), stats.get("finish_reason")
    lines = [
        f"crawl run {run_id}: {status}" + (f" ({reason})" if reason and reason != status else ""),
        f"  pages fetched      {pages} new, {stats.get('xxgk/unchanged', 0)} unchanged since the last crawl",
        f"  reports            {counted(run.get('reports_found', 0), 'report page')}, "
        f"{counted(run.get('attachments', 0), 'attachment')}",
        f"  records extracted  {reports} ({extraction.get('figures', 0)} figures); "
        f"{counted(extraction.get('failed', 0), 'document')} not extractable (yet){_kinds(unextracted)}: "
        "see fetch_failures where stage = 'extract'",
        f"  failures           {sum(f['n'] for f in failures)}{_kinds(failures)}",
        f"  skipped            {counted(sum(f['n'] for f in skipped), 'URL')} not requested{_kinds(skipped)}: "
        "see fetch_failures where stage = 'skip'",
        f"  changes            {changes} reports replaced or gone; {off_site} links off the sites recorded",
        f"  archive            {data / DB_NAME}: {_total(db, 'reports')} report records, "
        f"{_total(db, 'figures')} figures, {_total(db, 'documents')} documents in all runs",
        f"  raw captures       {data / 'warc'}",
        f"  log                {stats.get('log_file')}",
        f"browse it: {command} serve --data {data}   (failures: select * from fetch_failures)",
    ]
    for engine, n in waiting_for_engines(db).items():
        _, reads, install = ENGINES[engine]
        if installed(engine):
            how = f"{engine} is installed now: {command} reextract --data {data}"
        else:
            how = f"{engine} is not installed ({install}); the first run after that reads them"
        lines.insert(4, f"  waiting            {counted(n, 'archived document')} of {reads} not read: {how}")
    if stats.get("xxgk/extraction_error"):
        lines.insert(4, f"  extraction failed  {stats['xxgk/extraction_error']}")
    if stats.get("xxgk/redis/worker"):           # one worker's shard of a shared crawl
        lines[3] = (f"  records extracted  none here: this is worker {stats['xxgk/redis/worker']}'s shard; "
                    f"`{command} merge SHARD... --data DIR` folds the shards together and extracts them")
        lines[-1] = f"requests queued again after a worker stopped: {stats.get('xxgk/redis/requeued', 0)}"
    return "\n".join(lines)


def _by_classification(db: Database, run_id: int | None, stage: str) -> list[dict]:
    """This run's unresolved failures of one stage, counted by classification, most first."""
    if not run_id:
        return []
    return list(db.query("select classification, count(*) n from fetch_failures where run_id = ? and stage = ? "
                         "and resolved_at is null group by classification order by n desc", [run_id, stage]))


def _kinds(groups: list[dict]) -> str:
    """What a count is made of (" (2 page_budget, 1 trap)"), or nothing."""
    return " (" + ", ".join(f"{g['n']} {_kind(g['classification'])}" for g in groups) + ")" if groups else ""


def _kind(classification: str) -> str:
    """A failure's kind as the summary says it: `needs LibreOffice` rather than its key."""
    engine = engine_needed(classification)
    return f"needs {engine}" if engine else classification


def _total(db: Database, table: str) -> int:
    return next(db.query(f"select count(*) n from {table}"))["n"]
