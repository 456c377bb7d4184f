"""One data directory: the SQLite archive (`xxgk.db`) and its WARC files (`warc/`).

`Archive` is what the crawler and the commands write through: crawl runs, the frontier,
documents, failures, changes, off-site links, and report records. Writes go in batches
(`begin`/`commit`); a commit first flushes the WARC file and records its size, so the
database never vouches for bytes that are not on disk."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from . import search
from .schema import ensure_schema
from .warcs import WarcWriter, repair

DB_NAME = "xxgk.db"
LOCK_NAME = "xxgk.lock"
SERVING_NAME = "xxgk.serving"      # who serves the archive, and where (see `serving`)
CACHE_KIB = 32 * 1024


def utcnow() -> str:
    """Now, as the archive writes times: ISO 8601 in UTC, seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def insert_rows(db: Database, table: str, rows: list[dict], *, ignore: bool = False) -> int | None:
    """Insert rows (all with the first row's columns) with plain SQL, which is several times
    faster than sqlite-utils' insert on hot paths; return the last row id."""
    if not rows:
        return None
    columns = tuple(rows[0])
    sql = (f"insert {'or ignore ' if ignore else ''}into {table} ({', '.join(f'[{c}]' for c in columns)}) "
           f"values ({', '.join('?' * len(columns))})")
    if len(rows) == 1:
        return db.conn.execute(sql, tuple(rows[0][c] for c in columns)).lastrowid
    return db.conn.executemany(sql, [tuple(row.get(c) for c in columns) for row in rows]).lastrowid


def open_database(path: str | Path) -> Database:
    """The archive's database with its schema and search tables, ready to read and write."""
    db = Database(path)
    search.register(db.conn)
    with db.ensure_autocommit_on():
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    # A bounded page cache (32 MiB): a cache as large as the archive holds every page a long
    # extraction writes and grows with the archive (256 MiB did: 13.5 KB a report until full);
    # the operating system keeps the file's pages cached anyway (bench/RESULTS.md, issue 14).
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    ensure_schema(db)
    search.ensure_search_tables(db)
    return db


def fingerprint(url: str, method: str = "GET", body: str | bytes = "") -> str:
    """A request's identity in the archive: method, URL and body."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return hashlib.sha1(f"{method} {url} {body}".encode("utf-8")).hexdigest()


class ArchiveBusy(RuntimeError):
    """Another process is writing to the archive, or serving it."""


@contextmanager
def serving(data_dir: str | Path, address: str) -> Iterator[None]:
    """Hold the archive in `data_dir` while it is served at `address`: a shared lock on its lock
    file, which writers (`Archive`) are refused while any process holds it, naming this process
    and address. The lock is the kernel's (flock): it ends with the process, however it ends, so
    a server that died blocks nobody. ArchiveBusy if a writer holds the archive now."""
    data_dir = Path(data_dir)
    with open(data_dir / LOCK_NAME, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ArchiveBusy(f"another xxgk process is writing to {data_dir}: serve it once that has finished "
                              "(datasette reads the archive as an unchanging file)") from None
        (data_dir / SERVING_NAME).write_text(json.dumps({"pid": os.getpid(), "address": address}), encoding="utf-8")
        yield


def _busy(lock, data_dir: Path) -> str:
    """Why the archive's lock (open as `lock`) cannot be taken for writing: a writer holds it
    (exclusively), or servers do (shared), the latest of which `serving` named in xxgk.serving."""
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return f"another xxgk process is writing to {data_dir}; wait for it to finish"
    fcntl.flock(lock, fcntl.LOCK_UN)
    try:
        server = json.loads((data_dir / SERVING_NAME).read_text(encoding="utf-8"))
        who = f"pid {server['pid']} at {server['address']}"
    except (OSError, ValueError, KeyError, TypeError):
        who = "another process"
    return f"the archive in {data_dir} is being served by {who}; stop it first (datasette reads it as an " \
           "unchanging file, so nothing may write to it while it is served)"


class Archive:
    """The archive in `data_dir`, opened for reading and writing by one process at a time, and
    not while it is served (it holds an exclusive lock on `xxgk.lock`: opening repairs the WARC
    files, which must not happen under a writer, and datasette serves the database immutable,
    see `serving`). Readers open the database alone (`open_database`)."""

    def __init__(self, data_dir: str | Path, *, warc_prefix: str | None = None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.data_dir / LOCK_NAME, "a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            reason = _busy(self._lock, self.data_dir)
            self._lock.close()
            raise ArchiveBusy(reason) from None
        self.warc_folder = self.data_dir / "warc"
        self.db = open_database(self.data_dir / DB_NAME)
        self.repairs = repair(self.warc_folder, self.committed_sizes())
        self._warc_prefix = warc_prefix or f"xxgk-{dt.datetime.now():%Y%m%d%H%M%S}-{os.getpid()}"
        self._writer: WarcWriter | None = None

    # --- WARC writing and batches -------------------------------------------------------
    @property
    def warcs(self) -> WarcWriter:
        if self._writer is None:
            self._writer = WarcWriter(self.warc_folder, self._warc_prefix)
        return self._writer

    def committed_sizes(self) -> dict[str, int]:
        return {r["name"]: r["committed_size"] for r in self.db.query("select name, committed_size from warc_files")}

    def begin(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.begin()

    def write_warc(self, kind: str, **fields):
        """Write a `capture` (request and response), `revisit` or `resource` record to the WARC
        files (see WarcWriter.write_<kind>); return where it is."""
        location = getattr(self.warcs, f"write_{kind}")(**fields)
        for name in self.warcs.new_files:
            self.db["warc_files"].insert({"name": name, "committed_size": 0, "created_at": utcnow()}, ignore=True)
        self.warcs.new_files.clear()
        return location

    def commit(self) -> None:
        """Flush the WARC file, record how much of it is vouched for, and commit."""
        if self._writer is not None:
            for name, size in self._writer.flush().items():
                self.db.execute("update warc_files set committed_size = ? where name = ?", [size, name])
        self.db.commit()

    def close(self) -> None:
        """Commit and close (nothing more once closed, or abandoned)."""
        if self._lock.closed:
            return
        self.commit()
        if self._writer is not None:
            self._writer.close()
        self.db.close()
        self._lock.close()

    def abandon(self) -> None:
        """Close without committing, after a write failed (a full disk): the batch being written
        is lost, and the WARC bytes past what the database vouches for are cut off when the
        archive is next opened."""
        if self._writer is not None:
            with contextlib.suppress(OSError):
                self._writer.close()
        self.db.close()
        self._lock.close()

    # --- runs -----------------------------------------------------------------------------
    def start_run(self, sites_file: str, options: dict) -> int:
        with self.db.atomic():
            return self.db["crawl_runs"].insert({"started_at": utcnow(), "status": "running",
                                                 "sites_file": sites_file,
                                                 "options": json.dumps(options, ensure_ascii=False)}).last_pk

    def interrupted_run(self) -> int | None:
        """The most recent run that did not finish, if any."""
        row = next(self.db.query("select id from crawl_runs where status in ('running', 'interrupted') "
                                 "order by id desc limit 1"), None)
        return row["id"] if row else None

    def finish_run(self, run_id: int, status: str) -> dict:
        """Close a run with its counts (from the archive itself) and return them."""
        counts = self.run_counts(run_id)
        with self.db.atomic():
            self.db["crawl_runs"].update(run_id, {"finished_at": utcnow(), "status": status, **counts})
        return counts

    def run_counts(self, run_id: int) -> dict:
        one = lambda sql: next(self.db.query(sql, [run_id]))["n"]  # noqa: E731
        return {
            "pages_fetched": one("select count(*) n from frontier where run_id = ? and state = 'done'"),
            "reports_found": one("select count(*) n from frontier where run_id = ? and state = 'done' "
                                 "and kind = 'report'"),
            "attachments": one("select count(*) n from frontier where run_id = ? and state = 'done' "
                               "and kind in ('attachment', 'page_scan')"),
            "failures": one("select count(*) n from fetch_failures where run_id = ? and resolved_at is null"),
        }

    # --- frontier -------------------------------------------------------------------------
    def insert(self, table: str, rows: list[dict], *, ignore: bool = False) -> int | None:
        return insert_rows(self.db, table, rows, ignore=ignore)

    def add_frontier(self, run_id: int, entries: list[dict]) -> int:
        """Add requests to a run's frontier; return how many were new to it."""
        before = self.db.conn.total_changes
        now = utcnow()
        self.insert("frontier", [{"run_id": run_id, "state": "pending", "discovered_at": now, **e} for e in entries],
                    ignore=True)
        return self.db.conn.total_changes - before

    def schedule(self, run_id: int, entry: dict) -> bool:
        """Whether a request is new to this run (and so to be fetched); marks it scheduled. Most
        requests are new to the frontier: adding it is asked first, one statement for them."""
        if self.add_frontier(run_id, [{**entry, "scheduled": 1}]):
            return True
        cursor = self.db.conn.execute("update frontier set scheduled = 1 where run_id = ? and fingerprint = ? "
                                      "and scheduled = 0", [run_id, entry["fingerprint"]])
        return bool(cursor.rowcount)

    def is_scheduled(self, run_id: int, fp: str) -> bool:
        """Whether this run's frontier holds the request already."""
        return self._first("select 1 as found from frontier where run_id = ? and fingerprint = ?", (run_id, fp)) \
            is not None

    def set_frontier_state(self, run_id: int, state: str, entry: dict) -> None:
        """Mark a request done or failed, adding it to the frontier if it was not there (almost
        every request is: it was scheduled, so the update alone does, at half an upsert's cost)."""
        cursor = self.db.conn.execute("update frontier set state = ? where run_id = ? and fingerprint = ?",
                                      (state, run_id, entry["fingerprint"]))
        if not cursor.rowcount:
            self.insert("frontier", [{"run_id": run_id, "state": state, "discovered_at": utcnow(), **entry}])

    def frontier(self, run_id: int, states: tuple[str, ...]) -> list[dict]:
        marks = ",".join("?" * len(states))
        return list(self.db.query(f"select * from frontier where run_id = ? and state in ({marks}) order by id",
                                  [run_id, *states]))

    def frontier_entry(self, fp: str) -> dict | None:
        """The latest frontier entry of a request, in any run."""
        return next(self.db.query("select * from frontier where fingerprint = ? order by id desc limit 1", [fp]), None)

    # --- documents ------------------------------------------------------------------------
    def latest_document(self, url: str) -> dict | None:
        return self._first("select * from documents where url = ? order by id desc limit 1", (url,))

    def page_scans(self, report: dict) -> list[dict]:
        """The latest capture of each picture of a report page's pages (kind page_scan) fetched
        with it (`report`: its documents row), in no particular order."""
        return list(self.db.query(
            "select url, final_url, warc_file, warc_offset from documents d where kind = 'page_scan' "
            "and status = 200 and report_url in (?, ?) and id = (select max(id) from documents e where e.url = d.url)",
            [report["url"], report["final_url"] or report["url"]]))

    def document_with_bytes(self, sha256: str) -> dict | None:
        return self._first("select * from documents where sha256 = ? order by id limit 1", (sha256,))

    def _first(self, sql: str, params: tuple) -> dict | None:
        """The first row a read gives, as a dict, or None. Straight from the connection, for the
        reads of every page: sqlite-utils' query wraps each read in a savepoint, three
        statements for one."""
        cursor = self.db.conn.execute(sql, params)
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row))

    def add_document(self, row: dict) -> int:
        return self.insert("documents", [row])

    # --- failures, changes, off-site links ------------------------------------------------
    def record_failure(self, *, fp: str, url: str, stage: str, classification: str, reason: str,
                       run_id: int | None, method: str = "GET", body: str = "", site: str | None = None,
                       kind: str | None = None, report_url: str | None = None,
                       http_status: int | None = None, attempts: int = 1) -> None:
        now = utcnow()
        existing = next(self.db.query("select id, attempts from fetch_failures where fingerprint = ? and stage = ?",
                                      [fp, stage]), None)
        values = {"url": url, "method": method, "body": body, "site": site, "kind": kind, "report_url": report_url,
                  "classification": classification, "reason": reason[:2000], "http_status": http_status,
                  "last_failed_at": now, "run_id": run_id, "resolved_at": None}
        if existing:
            self.db["fetch_failures"].update(existing["id"], {**values, "attempts": existing["attempts"] + attempts})
        else:
            self.insert("fetch_failures", [{"fingerprint": fp, "stage": stage, "attempts": attempts,
                                            "first_failed_at": now, **values}])

    def resolve_failures(self, fp: str, stage: str | tuple[str, ...] | None = None) -> None:
        """Mark a request's failures resolved: at one stage, at several (one statement), or all."""
        sql = "update fetch_failures set resolved_at = ? where fingerprint = ? and resolved_at is null"
        params = [utcnow(), fp]
        if isinstance(stage, tuple):
            sql += f" and stage in ({', '.join('?' * len(stage))})"
            params += stage
        elif stage:
            sql += " and stage = ?"
            params.append(stage)
        self.db.execute(sql, params)

    def unresolved_failures(self, stage: str = "fetch") -> list[dict]:
        return list(self.db.query("select * from fetch_failures where stage = ? and resolved_at is null "
                                  "order by id", [stage]))

    def record_change(self, *, url: str, kind: str, run_id: int | None, old: dict | None, new_id: int | None,
                      new_sha256: str | None) -> None:
        self.insert("changes", [{"url": url, "kind": kind, "old_document_id": old["id"] if old else None,
                                   "new_document_id": new_id, "old_sha256": old["sha256"] if old else None,
                                   "new_sha256": new_sha256, "detected_at": utcnow(), "run_id": run_id}])

    def record_off_site(self, *, url: str, found_on: str, site: str, link_text: str, kind: str, run_id: int) -> None:
        self.insert("off_site_links", [{"url": url, "found_on": found_on, "site": site, "link_text": link_text,
                                        "kind": kind, "run_id": run_id}], ignore=True)
