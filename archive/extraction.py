"""Extraction over the archive: the documents a crawl archived become report records, read
back from the WARC files (so it can be redone later without the network)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extract import ExtractError, __version__, extract_bytes
from .records import PreparedReport, prepare, store_report
from .search import index_reports
from .store import Archive, fingerprint
from .warcs import Location, read_record

BATCH = 1000
MIN_PER_WORKER = 200    # below this, starting worker processes costs more than it saves


def extract_documents(archive: Archive, *, run_id: int | None = None, workers: int = 2,
                      redo: bool = False, progress: Callable[[dict], None] | None = None) -> dict:
    """Extract every report and attachment document (of one run, or all) that has no record from
    this extractor version yet (every one, with `redo`); record failures with stage 'extract'.
    Calls `progress` with the counts after each batch; returns the counts."""
    where = ["d.kind in ('report', 'attachment')", "(d.status = 200 or d.source = 'file')"]
    params: list = []
    if run_id is not None:
        where.append("d.run_id = ?")
        params.append(run_id)
    if not redo:
        where.append("not exists (select 1 from reports r where r.document_id = d.id and r.extractor_version = ?)")
        params.append(__version__)
    select = (f"select d.id, d.url, d.final_url, d.warc_file, d.warc_offset, d.content_type, d.site, d.kind, "
              f"d.report_url, d.status from documents d where {' and '.join(where)} and d.id > ? order by d.id limit ?")
    counts = {"documents": 0, "extracted": 0, "failed": 0, "figures": 0,
              "pending": next(archive.db.query(f"select count(*) n from ({select})", [*params, 0, -1]))["n"]}
    started = time.monotonic()
    workers = min(workers, max(1, counts["pending"] // MIN_PER_WORKER))
    # spawned workers: forking a process that runs a crawler's threads and reactor is not safe
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) \
        if workers > 1 else _InProcess()
    with pool:
        last = 0
        while True:         # a batch at a time, so memory does not grow with the archive
            rows = list(archive.db.query(select, [*params, last, BATCH]))
            if not rows:
                break
            last = rows[-1]["id"]
            archive.begin()
            search: list = []
            for row, report, error in pool.map(_extract_one, [(r, str(archive.warc_folder)) for r in rows],
                                               chunksize=16):
                _store(archive, run_id, row, report, error, counts, search)
            index_reports(archive.db, search)       # one search-index segment per batch
            archive.commit()
            if progress:
                progress(counts)
    counts["seconds"] = round(time.monotonic() - started, 3)
    return counts


def _store(archive: Archive, run_id: int | None, row: dict, report: PreparedReport | None, error,
           counts: dict, search: list) -> None:
    counts["documents"] += 1
    fp = fingerprint(row["url"])
    if report is not None:
        store_report(archive.db, row["id"], row["url"], report, search_later=search)
        archive.resolve_failures(fp, stage="extract")
        counts["extracted"] += 1
        counts["figures"] += len(report.figures)
    else:
        archive.record_failure(fp=fp, url=row["url"], stage="extract", classification=error[0], reason=error[1],
                               run_id=run_id, site=row["site"], kind=row["kind"], report_url=row["report_url"],
                               http_status=row["status"])
        counts["failed"] += 1


class _InProcess:
    """The executor interface, without processes (one worker)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    @staticmethod
    def map(function, jobs, chunksize=1):
        return map(function, jobs)


def _extract_one(job: tuple) -> tuple[dict, PreparedReport | None, tuple[str, str] | None]:
    """Runs in a worker: a document's record, prepared for storing, or why there is none."""
    row, folder = job
    try:
        _, body, _ = read_record(Path(folder), Location(row["warc_file"], row["warc_offset"], 0))
    except (OSError, ValueError, StopIteration) as err:
        return row, None, ("unreadable_capture", f"cannot read the archived capture: {err}")
    try:
        name = row["final_url"] or row["url"]
        return row, prepare(extract_bytes(body, name=name, media_type=_media_type(row["content_type"]))), None
    except ExtractError as err:
        kind = "unsupported_format" if "unsupported" in err.reason else "extract_error"
        return row, None, (kind, err.reason)


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    kind = content_type.split(";")[0].strip().lower()
    return kind if kind.startswith("text/") or "html" in kind else None
