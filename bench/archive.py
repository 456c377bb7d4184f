"""The archive benchmark: ingest a panel of generated reports (one per agency and year), then
time the comparison query for one metric over every agency and year, through sqlite and
through datasette, against the same archive with its indexes dropped (the baseline).

Ingest is timed end to end, as `xxgk ingest` runs it: WARC records written, text extracted in
two processes, records stored and indexed for search. Loading alone (storing already extracted
records) is timed on a sample, to show what the archive itself costs."""

from __future__ import annotations

import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from archive.extraction import BATCH
from archive.ingest import ingest_files
from archive.records import store_report
from archive.search import index_reports, register
from archive.store import DB_NAME, Archive
from extract import extract_bytes

from .generate import generate_panel

YEARS = range(2009, 2019)
AGENCIES_PER_PLACE = 16
METRIC = "requests.received"
QUERY = ("select agency_key, agency, region_code, year, value, qualifier, report_id from comparison "
         "where metric = ? and category is null")
LOAD_SAMPLE = 5000


def run(reports: int, rounds: int = 3) -> dict:
    """Build an archive of about `reports` reports and time it; return the numbers."""
    places = max(1, reports // (AGENCIES_PER_PLACE * len(YEARS)))
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-archive-") as folder:
        root = Path(folder)
        files = write_panel(root / "files", places)
        archive = Archive(root / "data")
        started = time.monotonic()
        counts = ingest_files(archive, files, workers=2)
        ingest_seconds = time.monotonic() - started
        archive.close()
        result = {
            "reports": counts["extraction"]["extracted"], "files": len(files),
            "figures": counts["extraction"]["figures"], "ingest_seconds": ingest_seconds,
            "extract_store_seconds": counts["extraction"]["seconds"],
            "db_bytes": (root / "data" / DB_NAME).stat().st_size,
            "warc_bytes": sum(p.stat().st_size for p in (root / "data" / "warc").iterdir()),
            "load_per_second": _load_rate(root, files[:LOAD_SAMPLE]),
        }
        baseline = root / "baseline.db"
        without_indexes(root / "data" / DB_NAME, baseline)
        for name, path in (("sqlite", root / "data" / DB_NAME), ("sqlite_baseline", baseline)):
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)   # one session, as a notebook keeps
            result["rows"] = len(_query(connection))
            result[name] = _timed(lambda: _query(connection), rounds)
            result[name + "_engine"] = _timed(lambda: _count(connection), rounds)
            connection.close()
        result.update(_datasette_times(root / "data" / DB_NAME, baseline, rounds))
    return result


def write_panel(folder: Path, places: int) -> list[Path]:
    """The panel of `places` × 16 agencies × YEARS reports, as files in `folder`."""
    folder.mkdir(parents=True)
    files = []
    for report in generate_panel(places, YEARS):
        path = folder / report.name
        path.write_bytes(report.data)
        files.append(path)
    return files


def _load_rate(root: Path, sample: list[Path]) -> float:
    """Records per second stored into a fresh archive, extraction excluded."""
    archive = Archive(root / "load")
    archive.db["warc_files"].insert({"name": "none", "committed_size": 0})
    extracted = [(p.as_uri(), extract_bytes(p.read_bytes(), name=p.name)) for p in sample]
    archive.begin()
    started = time.monotonic()
    search: list = []
    for url, report in extracted:           # as ingest stores them: search indexed per batch
        document = archive.add_document({"url": url, "fetched_at": "2024-01-01", "sha256": url, "size": 0,
                                         "warc_file": "none", "warc_offset": 0, "kind": "report", "source": "file"})
        store_report(archive.db, document, url, report, search_later=search)
        if len(search) >= BATCH:
            index_reports(archive.db, search)
    index_reports(archive.db, search)
    archive.commit()
    seconds = time.monotonic() - started
    archive.close()
    return len(extracted) / seconds


def without_indexes(source: Path, target: Path, names: list[str] | None = None) -> None:
    """A copy of the archive with the indexes `names` dropped (all but primary keys if None)."""
    connection = sqlite3.connect(source)
    register(connection)
    connection.execute("vacuum into ?", [str(target)])
    connection.close()
    connection = sqlite3.connect(target)
    if names is None:
        names = [name for (name,) in connection.execute(
            "select name from sqlite_master where type = 'index' and sql is not null").fetchall()]
    for name in names:
        connection.execute(f"drop index [{name}]")
    connection.commit()
    connection.close()


def _query(connection: sqlite3.Connection) -> list:
    return connection.execute(QUERY, [METRIC]).fetchall()


def _count(connection: sqlite3.Connection) -> int:
    """The query run to its last row inside SQLite (joins and filters), without building
    Python objects for the rows."""
    return connection.execute(f"select count(*) from ({QUERY})", [METRIC]).fetchone()[0]


def _timed(function, rounds: int) -> float:
    """The median time of `rounds` calls, in milliseconds (after one warm-up call)."""
    function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _datasette_times(database: Path, baseline: Path, rounds: int) -> dict:
    """The comparison through datasette's JSON API (the first page, as a browser or script gets
    it) and as a full CSV stream of every row of the `comparison` view (custom SQL is capped at
    datasette's max_returned_rows, so the stream goes through the view's own page), for the
    archive and the baseline."""
    times = {}
    for name, path in (("datasette", database), ("datasette_baseline", baseline)):
        port = _free_port()
        process = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(path), "--port", str(port),
                                    "--setting", "sql_time_limit_ms", "60000"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/{path.stem}"
            _wait_for(f"http://127.0.0.1:{port}/-/versions.json")
            sql = QUERY.replace("?", f"'{METRIC}'")
            page = f"{base}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
            stream = f"{base}/comparison.csv?" + urllib.parse.urlencode(
                {"metric": METRIC, "category__isnull": "1", "_stream": "on", "_size": "max"})
            times[name] = _timed(lambda: _fetch(page), rounds)
            times[name + "_csv_rows"] = _fetch(stream).count(b"\n") - 1
            times[name + "_all_rows_csv"] = _timed(lambda: _fetch(stream), max(1, rounds // 2))
        finally:
            process.terminate()
            process.wait(timeout=30)
    return times


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=600) as response:
        return response.read()


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _fetch(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(result: dict) -> str:
    """The numbers as lines for the terminal (and RESULTS.md)."""
    rate = result["reports"] / result["ingest_seconds"]
    ratio = lambda a, b: result[b] / result[a] if result[a] else float("inf")  # noqa: E731
    return "\n".join([
        f"archive: {result['reports']:,} reports ingested from {result['files']:,} files "
        f"({result['figures']:,} figures) in {result['ingest_seconds']:.1f} s",
        f"  ingest            {rate:,.0f} reports/s end to end (WARC, extraction in 2 processes, store, search index): "
        f"{result['ingest_seconds'] - result['extract_store_seconds']:.1f} s archiving files, "
        f"{result['extract_store_seconds']:.1f} s extracting and storing",
        f"  load alone        {result['load_per_second']:,.0f} reports/s (storing extracted records, "
        f"sample of {LOAD_SAMPLE:,})",
        f"  archive size      {result['db_bytes'] / 2**20:,.0f} MiB database, {result['warc_bytes'] / 2**20:,.0f} MiB WARC",
        f"  comparison query  {METRIC} over all agencies and years: {result['rows']:,} rows",
        f"    sqlite          {result['sqlite_engine']:.1f} ms run to the last row   baseline without indexes "
        f"{result['sqlite_baseline_engine']:.1f} ms   ({ratio('sqlite_engine', 'sqlite_baseline_engine'):.1f}× faster)",
        f"    sqlite+Python   {result['sqlite']:.1f} ms every row fetched as Python tuples   baseline "
        f"{result['sqlite_baseline']:.1f} ms   ({ratio('sqlite', 'sqlite_baseline'):.1f}× faster)",
        f"    datasette JSON  {result['datasette']:.1f} ms (first page)   baseline {result['datasette_baseline']:.1f} ms"
        f"   ({ratio('datasette', 'datasette_baseline'):.1f}× faster)",
        f"    datasette CSV   {result['datasette_all_rows_csv']:.1f} ms ({result['datasette_csv_rows']:,} rows streamed)   "
        f"baseline "
        f"{result['datasette_baseline_all_rows_csv']:.1f} ms   "
        f"({ratio('datasette_all_rows_csv', 'datasette_baseline_all_rows_csv'):.1f}× faster)",
    ])
