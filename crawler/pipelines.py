"""The archive pipeline: every capture into the WARC files and the `documents` table, every
failure into `fetch_failures`, the frontier kept current so a run can resume; when the
spider closes, the new documents are extracted into report records."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import hashlib
import logging
import sqlite3
import time
from http import HTTPStatus

from scrapy import signals

from archive.extraction import extract_documents
from archive.store import Archive, fingerprint, utcnow
from extract.decode import decode
from extract.errors import ExtractError
from crawler.items import Capture, FetchFailed, OffSite, Skipped
from crawler.spiders.reports import frontier_entry

logger = logging.getLogger(__name__)
_TEXT_TYPES = ("text/", "html", "xml", "json")
REPORT_KINDS = ("report", "attachment", "page_scan")     # what a report is read from: its changes are recorded
_UNREAD = object()          # a capture the spider did not decode: the pipeline finds its encoding


class ArchivePipeline:
    """Writes items to the spider's archive in batches (a commit every N items or seconds)."""

    def __init__(self, crawler, every_items: int, every_seconds: float, workers: int):
        self.crawler = crawler
        self.every_items, self.every_seconds, self.workers = every_items, every_seconds, workers
        self.pending = 0
        self.last_commit = time.monotonic()
        self.done: list[dict] = []      # what the items since the last commit came from (to acknowledge)
        self.coordinator = getattr(crawler, "coordinator", None)     # a worker of a shared crawl
        self.stopped: str | None = None     # why the crawl stopped writing (a full disk)
        if self.coordinator:
            self.coordinator.flushers.append(self.commit)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipeline = cls(crawler, s.getint("XXGK_COMMIT_EVERY_ITEMS", 200), s.getfloat("XXGK_COMMIT_EVERY_SECONDS", 2.0),
                       s.getint("XXGK_EXTRACT_WORKERS", 2))
        crawler.signals.connect(pipeline.finish, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        self.started, self.started_cpu = time.monotonic(), time.process_time()
        self.archive().begin()

    def archive(self) -> Archive:
        return self.crawler.spider.archive

    def process_item(self, item, spider=None):
        if self.stopped:                 # out of space: the crawl is closing, nothing more is written
            return item
        try:
            self._store(item)
        except (OSError, sqlite3.Error) as err:
            if not out_of_space(err):
                raise
            self._stop_for_space(err)
        return item

    def _store(self, item) -> None:
        spider = self.crawler.spider
        archive, run = spider.archive, spider.run_id
        stats = self.crawler.stats
        if isinstance(item, Capture):
            outcome = save_capture(archive, run, item)
            stats.inc_value(f"xxgk/{outcome}")
            stats.inc_value(f"xxgk/kind/{item.response.meta.get('kind')}")
        elif isinstance(item, FetchFailed):
            save_failure(archive, run, item)
            stats.inc_value("xxgk/failures")
        if isinstance(item, (Capture, FetchFailed)) and self.coordinator:
            self.done.append(item.response.meta if isinstance(item, Capture) else item.meta)
        elif isinstance(item, Skipped):
            meta = item.meta
            archive.record_failure(fp=fingerprint(item.url), url=item.url, stage="skip",
                                   classification=item.classification, reason=item.reason, run_id=run,
                                   site=meta.get("site"), kind=meta.get("kind"), report_url=meta.get("report_url"))
            stats.inc_value("xxgk/skipped")
        if isinstance(item, OffSite):
            archive.record_off_site(url=item.url, found_on=item.found_on, site=item.site, link_text=item.link_text,
                                    kind=item.kind, run_id=run)
            stats.inc_value("xxgk/off_site")
        self.pending += 1
        if self.pending >= self.every_items or time.monotonic() - self.last_commit >= self.every_seconds:
            self.commit()

    def _stop_for_space(self, err: Exception) -> None:
        """The disk is full: drop the batch being written (the archive keeps what was committed,
        the WARC files are cut back to it when next opened) and close the crawl, to be resumed."""
        self.stopped = (f"disk full while writing the archive ({err}): what was committed before is kept; "
                        f"free some space, then run the same command with --resume")
        logger.error(self.stopped)
        self.crawler.stats.set_value("xxgk/stopped", self.stopped)
        with contextlib.suppress(sqlite3.Error):
            self.archive().db.conn.rollback()
        asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="disk_full"))

    def commit(self) -> None:
        """Commit the batch; then (never before) tell the shared crawl its requests are done."""
        archive = self.archive()
        archive.commit()
        archive.begin()
        self.pending, self.last_commit = 0, time.monotonic()
        if self.done:
            self.coordinator.ack(self.done)
            self.done = []

    def close_spider(self, spider=None):
        if not self.stopped:
            try:
                self.commit()
            except (OSError, sqlite3.Error) as err:
                if not out_of_space(err):
                    raise
                self._stop_for_space(err)

    def finish(self, spider, reason):
        """When the crawl ends: extract what it archived (if it ran to the end) and close the run."""
        archive, stats = spider.archive, self.crawler.stats
        stats.set_value("xxgk/run_id", spider.run_id)
        stats.set_value("xxgk/crawl_seconds", time.monotonic() - self.started)
        stats.set_value("xxgk/crawl_cpu_seconds", time.process_time() - self.started_cpu)    # this process's
        failed = None
        if reason == "finished" and self.crawler.settings.getbool("XXGK_EXTRACT_AFTER_CRAWL", True):
            try:        # one document cannot stop it (see extract_documents); this is the archive itself failing
                stats.set_value("xxgk/extraction", extract_documents(archive, run_id=spider.run_id,
                                                                     workers=self.workers))
            except (OSError, sqlite3.Error, RuntimeError) as err:
                failed = f"{type(err).__name__}: {err}; the captures are archived: run `xxgk reextract`"
                logger.error("extraction after the crawl failed: %s", failed)
                stats.set_value("xxgk/extraction_error", failed)
                with contextlib.suppress(sqlite3.Error):
                    archive.db.conn.rollback()
        status = "finished" if reason == "finished" and not self.stopped and not failed else "interrupted"
        try:
            counts = archive.finish_run(spider.run_id, status)
            archive.close()
        except (OSError, sqlite3.Error) as err:
            if not out_of_space(err):
                raise
            counts = {}
            with contextlib.suppress(sqlite3.Error):
                archive.abandon()      # the WARC writer and the archive's lock let go too
        self.crawler.stats.set_value("xxgk/run", {"id": spider.run_id, "status": status, **counts})


def out_of_space(err: Exception) -> bool:
    """Whether an error means the disk (or the file-size quota) is full."""
    if isinstance(err, OSError):
        return err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    return isinstance(err, sqlite3.Error) and any(words in str(err) for words in ("is full", "disk I/O error"))


def save_capture(archive: Archive, run_id: int, capture: Capture) -> str:
    """Archive one response (once per distinct bytes); return new, revisit or unchanged."""
    response = capture.response
    meta = response.meta
    fp = meta["fp"]
    archive.add_frontier(run_id, capture.children)
    archive.set_frontier_state(run_id, "done", frontier_entry(meta))
    archive.resolve_failures(fp, stage=("fetch", "skip"))  # fetched now; whether it can be read is extraction's to say
    if capture.unchanged:
        return "unchanged"
    body = response.body
    sha256 = hashlib.sha256(body).hexdigest()
    request = response.request
    url = meta.get("original_url") or (meta.get("redirect_urls") or [request.url])[0]
    previous = archive.latest_document(url)
    if previous is not None and previous["sha256"] == sha256:
        return "unchanged"
    headers = _pairs(response.headers)
    fetched_at = utcnow()
    same = archive.document_with_bytes(sha256)
    if same is not None:
        archive.write_warc("revisit", url=response.url, status=response.status, reason=_reason(response.status),
                           response_headers=headers, fetched_at=_datetime(fetched_at),
                           refers_to=same["final_url"] or same["url"], refers_to_date=same["fetched_at"],
                           digest=f"sha256:{sha256}")
        location = (same["warc_file"], same["warc_offset"], same["warc_length"])
        outcome = "revisit"
    else:
        extra = {"WARC-Source-URI": meta["original_url"]} if meta.get("original_url") else {}
        loc = archive.write_warc("capture", url=response.url, method=request.method,
                                 request_headers=_pairs(request.headers), request_body=request.body or b"",
                                 status=response.status, reason=_reason(response.status),
                                 response_headers=headers, body=body, fetched_at=_datetime(fetched_at), extra=extra)
        location = (loc.file, loc.offset, loc.length)
        outcome = "new"
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
    encoding = _encoding(body, content_type, capture.encoding if capture.read else _UNREAD)
    document_id = archive.add_document({
        "url": url, "final_url": response.url, "method": request.method, "status": response.status,
        "fetched_at": fetched_at, "content_type": content_type, "encoding": encoding,
        "sha256": sha256, "size": len(body), "warc_file": location[0], "warc_offset": location[1],
        "warc_length": location[2], "site": meta["site"], "kind": meta["kind"],
        "report_url": meta.get("report_url") or (url if meta["kind"] == "report" else None),
        "link_text": meta.get("link_text") or None, "year": meta.get("year"), "run_id": run_id,
        "etag": _header(response, b"ETag"), "last_modified": _header(response, b"Last-Modified"),
        "source": meta.get("source", "live"), "capture_time": meta.get("capture_time"),
        "original_url": meta.get("original_url"),
    })
    if previous is not None and meta["kind"] in REPORT_KINDS:
        archive.record_change(url=url, kind="replaced", run_id=run_id, old=previous, new_id=document_id,
                              new_sha256=sha256)
    return outcome


def save_failure(archive: Archive, run_id: int, item: FetchFailed) -> None:
    """Record why a request ended without a document; a report that is now gone is a change."""
    meta = item.meta
    fp = meta.get("fp") or fingerprint(item.url)
    archive.record_failure(fp=fp, url=item.url, stage="fetch",
                           classification=item.classification, reason=item.reason, run_id=run_id,
                           method=meta.get("method", "GET"), body=meta.get("body", ""), site=meta.get("site"),
                           kind=meta.get("kind"), report_url=meta.get("report_url"), http_status=item.http_status,
                           attempts=meta.get("retry_times", 0) + 1)
    if "fp" in meta:
        archive.set_frontier_state(run_id, "failed", frontier_entry(meta))
    if meta.get("kind") in REPORT_KINDS and item.http_status in (404, 410):
        previous = archive.latest_document(item.url)
        if previous is not None:
            archive.record_change(url=item.url, kind="gone", run_id=run_id, old=previous, new_id=None,
                                  new_sha256=None)


def _pairs(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _encoding(body: bytes, content_type: str | None, read: str | None | object) -> str | None:
    """The encoding of a text document (`read`: what the spider found reading it, or _UNREAD)."""
    if not body or not content_type or not any(t in content_type.lower() for t in _TEXT_TYPES):
        return None
    if read is not _UNREAD:
        return read
    try:
        return decode(body)[1]
    except (ValueError, ExtractError):      # a DOCX's type names xml: not text after all
        return None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _datetime(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)
