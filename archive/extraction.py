"""Extraction over the archive: the documents a crawl archived become report records, read
back from the WARC files (so it can be redone later without the network).

Documents are extracted in worker processes (pebble's process pool), one task a document, each
with a wall-clock limit and a memory budget (an address-space limit on its worker, over what the
worker holds when it starts): a document past either, or one whose extraction crashes (even
the worker process itself), becomes that document's `fetch_failures` row (stage `extract`:
too_slow, too_large, extract_crash) and the rest goes on. A worker exits when the process that
started it dies (kill -9 of ingest leaves no orphans behind).

Memory stays flat as the archive grows: documents are read a batch at a time, and nothing is
kept from one batch to the next (the archive's SQLite page cache is bounded, archive/store.py)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import TimeoutError as TaskTimeout
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from extract import ExtractError, __version__, extract_bytes
from extract.formats.engines import ENGINES, SAID_BEFORE, installed, needs
from extract.formats.page_pictures import in_page_order
from .records import PreparedReport, prepare, store_report
from .search import index_reports
from .store import Archive, fingerprint
from .warcs import Location, read_record

BATCH = 1000
MIN_PER_WORKER = 200    # below this, starting a second worker process costs more than it saves
AHEAD = 32              # documents handed to the workers ahead of the one being stored


@dataclass(frozen=True)
class Limits:
    """What one document may cost: wall-clock seconds (and more for each picture of its pages
    read by OCR with it), and bytes of memory (address space) over what its worker process holds
    before it starts."""
    seconds: float = 60.0
    memory: int = 1536 * 2**20
    seconds_a_picture: float = 30.0


def extract_documents(archive: Archive, *, run_id: int | None = None, workers: int = 2,
                      redo: bool = False, progress: Callable[[dict], None] | None = None,
                      limits: Limits = Limits()) -> dict:
    """Extract every report and attachment document (of one run, or all) that has no record from
    this extractor version yet (every one, with `redo`); record failures with stage 'extract'.
    A run's extraction also reads archived documents that were waiting for an optional program
    (LibreOffice) that is installed now.
    Calls `progress` with the counts after each batch; returns the counts."""
    where = ["d.kind in ('report', 'attachment')", "(d.status = 200 or d.source = 'file')"]
    params: list = []
    if run_id is not None:      # this run's documents, and any older ones waiting for a program installed now
        waiting, waiting_params = waiting_for([engine for engine in ENGINES if installed(engine)])
        where.append(f"(d.run_id = ? or d.url in ({waiting}))")
        params += [run_id, *waiting_params]
    if not redo:
        where.append("not exists (select 1 from reports r where r.document_id = d.id and r.extractor_version = ?)")
        params.append(__version__)
    select = (f"select d.id, d.url, d.final_url, d.warc_file, d.warc_offset, d.content_type, d.site, d.kind, "
              f"d.report_url, d.status from documents d where {' and '.join(where)} and d.id > ? order by d.id limit ?")
    counts = {"documents": 0, "extracted": 0, "failed": 0, "figures": 0,
              "pending": next(archive.db.query(f"select count(*) n from ({select})", [*params, 0, -1]))["n"]}
    started = time.monotonic()
    if counts["pending"]:
        # spawned workers: forking a process that runs a crawler's threads and reactor is not safe
        pool = ProcessPool(max_workers=min(workers, max(1, counts["pending"] // MIN_PER_WORKER)),
                           initializer=_start_worker, initargs=(os.getpid(), limits.memory),
                           context=multiprocessing.get_context("spawn"))
        try:
            _extract_all(archive, pool, select, params, run_id, limits, counts, progress)
        finally:
            pool.stop()         # every task has been answered, or the work is stopping anyway
            pool.join()
    counts["seconds"] = round(time.monotonic() - started, 3)
    return counts


def waiting_for(engines: list[str]) -> tuple[str, list]:
    """SQL (and its parameters) selecting the URLs of archived documents whose extraction failed
    for want of one of `engines` (an archive written before failures were classified by the
    program they need says so in the reason)."""
    if not engines:
        return "select null where 0", []
    cases = " or ".join(["classification = ? or reason like ?"] * len(engines))
    params = [p for engine in engines for p in (needs(engine), SAID_BEFORE[engine])]
    return f"select url from fetch_failures where stage = 'extract' and resolved_at is null and ({cases})", params


def _extract_all(archive: Archive, pool: ProcessPool, select: str, params: list, run_id: int | None,
                 limits: Limits, counts: dict, progress) -> None:
    folder = str(archive.warc_folder)
    last = 0
    while True:         # a batch at a time, so memory does not grow with the archive
        rows = list(archive.db.query(select, [*params, last, BATCH]))
        if not rows:
            return
        last = rows[-1]["id"]
        archive.begin()
        search: list = []
        waiting: deque = deque()        # a few documents ahead of the one being stored, not the batch
        for row in [*rows, None]:
            if row is not None:
                scans = archive.page_scans(row) if row["kind"] == "report" else []
                waiting.append((row, pool.schedule(_extract_one, ((row, folder, scans),),
                                                   timeout=limits.seconds + limits.seconds_a_picture * len(scans))))
            while waiting and (row is None or len(waiting) > AHEAD):
                done, task = waiting.popleft()
                _store(archive, run_id, done, *_outcome(task, limits), counts, search)
        index_reports(archive.db, search)       # one search-index segment per batch
        archive.commit()
        if progress:
            progress(counts)


def _outcome(task, limits: Limits) -> tuple[PreparedReport | None, tuple[str, str] | None]:
    """A worker's answer for one document, or why there is none (past its limits, or the worker
    ended under it)."""
    try:
        return task.result()
    except TaskTimeout:
        return None, ("too_slow", f"extraction took more than {limits.seconds:g} s and was stopped")
    except ProcessExpired as err:
        code = err.exitcode
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        return None, ("extract_crash", f"the extraction worker died on this document ({how})")
    except Exception as err:  # noqa: BLE001  (the pool's own failure: this document is not lost, it stays pending)
        return None, ("extract_crash", f"{type(err).__name__}: {err}")


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


def _start_worker(parent: int, memory: int) -> None:
    """In each worker as it starts: exit when `parent` does; cap the address space at what the
    worker holds now plus one document's budget (past it, allocations fail with MemoryError)."""
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="xxgk-parent-watch").start()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)          # the parent is gone (killed): nobody is left to take the results


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))


def _extract_one(job: tuple) -> tuple[PreparedReport | None, tuple[str, str] | None]:
    """Runs in a worker: a document's record, prepared for storing, or why there is none. A
    report page's pictures of its pages (`scans`) are read with it, in the page's order."""
    row, folder, scans = job
    try:
        _, body, _ = read_record(Path(folder), Location(row["warc_file"], row["warc_offset"], 0))
        pictures = {scan["url"]: read_record(Path(folder), Location(scan["warc_file"], scan["warc_offset"], 0))[1]
                    for scan in scans}
    except MemoryError:
        return None, ("too_large", "the archived capture does not fit in one document's memory budget")
    except (OSError, ValueError, StopIteration) as err:
        return None, ("unreadable_capture", f"cannot read the archived capture: {err}")
    try:
        name = row["final_url"] or row["url"]
        order = in_page_order(body, name, list(pictures)) if pictures else []
        return prepare(extract_bytes(body, name=name, media_type=_media_type(row["content_type"]),
                                     scans=[(url, pictures[url]) for url in order])), None
    except ExtractError as err:
        kind = needs(err.needs) if err.needs else "unsupported_format" if "unsupported" in err.reason \
            else "extract_error"
        return None, (kind, err.reason)
    except MemoryError:
        return None, ("too_large", "extraction needed more memory than one document may use, and was stopped")
    except Exception as err:  # noqa: BLE001  (a fault in extraction costs this document only)
        return None, ("extract_crash", f"extraction failed: {type(err).__name__}: {err}")


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    kind = content_type.split(";")[0].strip().lower()
    return kind if kind.startswith("text/") or "html" in kind else None
