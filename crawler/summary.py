"""The summary a crawl ends with: what was fetched, found, extracted and failed, and where it is;
and the exit status it ends with."""

from __future__ import annotations

import shlex
from pathlib import Path

from archive.stats import counted, waiting_for_engines
from archive.store import DB_NAME
from extract.formats.engines import ENGINES, engine_needed, installed
from sqlite_utils import Database

NOTHING_FETCHED = 3          # the exit status of a crawl that ran to its end and could fetch nothing
SHOWN_UNREACHABLE = 10       # sites named in the summary; the rest are counted


def exit_status(stats: dict) -> int:
    """0: the crawl ran to its end (sites that could not be reached are named in its summary);
    1: it stopped before the end; NOTHING_FETCHED: it ran to its end and fetched nothing, every
    request it made having failed."""
    run = stats.get("xxgk/run") or {}
    if run.get("status") != "finished":
        return 1
    return NOTHING_FETCHED if _nothing_fetched(run) else 0


def _nothing_fetched(run: dict) -> bool:
    return not run.get("pages_fetched") and bool(run.get("failures"))


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
    nothing = status == "finished" and _nothing_fetched(run)
    quoted = shlex.quote(str(data))
    lines = [
        f"crawl run {run_id}: {status}" + (f" ({reason})" if reason and reason != status else "")
        + (", but nothing could be fetched" if nothing else ""),
        f"  pages fetched      {pages} new, {stats.get('xxgk/unchanged', 0)} unchanged since the last crawl",
        f"  reports            {counted(run.get('reports_found', 0), 'report page')}, "
        f"{counted(run.get('attachments', 0), 'attachment')}",
        f"  records extracted  {reports} ({extraction.get('figures', 0)} figures); "
        f"{counted(extraction.get('failed', 0), 'document')} not extractable (yet){_kinds(unextracted)}: "
        "see fetch_failures where stage = 'extract'",
        f"  failures           {sum(f['n'] for f in failures)}{_kinds(failures)}",
        *_unreachable_lines(_unreachable_sites(db, run_id), run_id),
        *_retried_lines(stats),
        f"  skipped            {counted(sum(f['n'] for f in skipped), 'URL')} not requested{_kinds(skipped)}: "
        "see fetch_failures where stage = 'skip'",
        f"  changes            {changes} reports replaced or gone; {off_site} links off the sites recorded",
        f"  archive            {data / DB_NAME}: {_total(db, 'reports')} report records, "
        f"{_total(db, 'figures')} figures, {_total(db, 'documents')} documents in all runs",
        f"  raw captures       {data / 'warc'}",
        f"  log                {stats.get('log_file')}",
        f"browse it: {command} serve --data {quoted}   (failures: select * from fetch_failures)",
    ]
    if nothing:
        lines[-1] = (f"nothing was fetched: when the sites can be reached, run the same command again "
                     f"(each failure: select * from fetch_failures where run_id = {run_id})")
    for engine, n in waiting_for_engines(db).items():
        _, reads, install = ENGINES[engine]
        if installed(engine):
            how = f"{engine} is installed now: {command} reextract --data {quoted}"
        else:
            how = f"{engine} is not installed ({install}); the first run after that reads them"
        lines.insert(4, f"  waiting            {counted(n, 'archived document')} of {reads} not read: {how}")
    if stats.get("xxgk/extraction_error"):
        lines.insert(4, f"  extraction failed  {stats['xxgk/extraction_error']}")
    if stats.get("xxgk/redis/worker"):           # one worker's shard of a shared crawl
        lines[3] = (f"  records extracted  none here: this is worker {stats['xxgk/redis/worker']}'s shard; "
                    f"xxgk merge folds the shards together and extracts them: {command} merge --help")
        lines[-1] = f"requests queued again after a worker stopped: {stats.get('xxgk/redis/requeued', 0)}"
    return "\n".join(lines)


def _unreachable_sites(db: Database, run_id: int | None) -> list[dict]:
    """The sites this run tried and fetched nothing from, each with its first failure (a start
    URL's, where one failed): site, url, classification, reason."""
    if not run_id:
        return []
    first: dict[str, dict] = {}
    for row in db.query("select site, url, classification, reason from fetch_failures f where run_id = ? "
                        "and stage = 'fetch' and resolved_at is null and site is not null and not exists "
                        "(select 1 from frontier d where d.run_id = f.run_id and d.site = f.site and d.state = 'done') "
                        "order by site, kind = 'start' desc, id", [run_id]):
        first.setdefault(row["site"], row)
    return list(first.values())


def _unreachable_lines(sites: list[dict], run_id: int | None) -> list[str]:
    """The summary's lines on the sites nothing was fetched from, and why."""
    if not sites:
        return []
    lines = [f"  unreachable        {counted(len(sites), 'site')}, nothing fetched from them:"]
    for row in sites[:SHOWN_UNREACHABLE]:
        reason = row["reason"] if len(row["reason"]) <= 160 else row["reason"][:159] + "…"
        lines.append(f"    {row['site']}: {row['url']}: {row['classification']}: {reason}")
    if len(sites) > SHOWN_UNREACHABLE:
        lines.append(f"    and {len(sites) - SHOWN_UNREACHABLE} more: select site, url, reason from fetch_failures "
                     f"where run_id = {run_id}")
    return lines


def _retried_lines(stats: dict) -> list[str]:
    """With --retry-failed: how many earlier failures were asked again, and how many were not, being
    permanent (a 404, a robots.txt disallow …)."""
    if "xxgk/retry/asked" not in stats:
        return []
    permanent = stats.get("xxgk/retry/permanent") or {}
    kinds = [{"classification": kind, "n": n} for kind, n in sorted(permanent.items(), key=lambda item: -item[1])]
    return [f"  retried            {counted(stats['xxgk/retry/asked'], 'earlier failure')} asked again; "
            f"{sum(permanent.values())} skipped as permanent{_kinds(kinds)}"]


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
