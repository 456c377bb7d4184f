"""The browsing benchmark (issue 20): `xxgk serve` on archives of generated reports (the archive
benchmark's panel, ingested as `xxgk ingest` does), asked by 10 and then 50 clients at once for
what researchers ask (Chinese searches, one metric by agency and year, the report list, a facet,
the dashboard and the query its chart runs), each client every request of MIX in its own order.
Measured: requests answered per second, the 99th percentile of their times, and how many failed
or took longer than CLIENT_TIMEOUT; against the baseline, the same archive served as before
issue 20 (the indexes it added to archive/schema.py, BROWSING_INDEXES, dropped; datasette's
facet suggestions on), in the same run."""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from archive.dashboards import METRIC_BY_YEAR
from archive.ingest import ingest_files
from archive.serve import metadata, serve_arguments
from archive.store import DB_NAME, Archive

from .archive import AGENCIES_PER_PLACE, YEARS, _free_port, without_indexes, write_panel

BROWSING_INDEXES = ["idx_reports_era", "idx_reports_province", "idx_report_texts_report_id"]
CLIENTS = (10, 50)
CLIENT_TIMEOUT = 60          # seconds a client waits for an answer, as the clients did
METRIC = "requests.received"
MIX = [f"{path}?{urllib.parse.urlencode(params)}" if params else path for path, params in [
    ("/xxgk/reports", {"_search": "复议"}),
    ("/xxgk/section_texts", {"_search": "依申请公开"}),
    ("/xxgk/report_list", {"_search": "教育局"}),
    ("/xxgk/metric_by_agency_year", {"metric": METRIC}),
    ("/xxgk/report_list", {}),
    ("/xxgk/report_list", {"year": 2015}),
    ("/xxgk/comparison", {"metric": "web.visits", "_facet": "level"}),
    ("/-/dashboards/overview", {"metric": METRIC}),
    ("/xxgk.json", {"sql": METRIC_BY_YEAR, "metric": METRIC}),         # what the dashboard's line chart asks
]]


def run(sizes: list[int]) -> list[dict]:
    """For each archive size: build it, serve it and its baseline, load both; the numbers."""
    results = []
    for reports in sizes:
        with tempfile.TemporaryDirectory(prefix="xxgk-bench-browse-") as folder:
            root = Path(folder)
            data = build(root, reports)
            baseline = root / "baseline"
            baseline.mkdir()
            without_indexes(data / DB_NAME, baseline / DB_NAME, BROWSING_INDEXES)
            result = {"reports": _count(data / DB_NAME)}
            for name, served, settings in (("baseline", baseline, ["--setting", "suggest_facets", "on"]),
                                           ("archive", data, [])):
                with Served(served, settings) as base:
                    result[name] = {clients: load(base, clients) for clients in CLIENTS}
            results.append(result)
    return results


def build(root: Path, reports: int) -> Path:
    """An archive of about `reports` generated reports (one per agency and year), ingested."""
    places = max(1, reports // (AGENCIES_PER_PLACE * len(YEARS)))
    files = write_panel(root / "files", places)
    archive = Archive(root / "data")
    try:
        ingest_files(archive, files, workers=2)
    finally:
        archive.close()
    return root / "data"


def _count(database: Path) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("select count(*) from reports").fetchone()[0]
    finally:
        connection.close()


class Served:
    """`xxgk serve`'s datasette on an archive folder, as a context: its base URL."""

    def __init__(self, data: Path, settings: list[str]):
        self.data, self.settings = data, settings

    def __enter__(self) -> str:
        port = _free_port()
        described = self.data / "metadata.json"
        described.write_text(json.dumps(metadata(), ensure_ascii=False), encoding="utf-8")
        arguments = serve_arguments(self.data, host="127.0.0.1", port=port, metadata_file=described)
        self.process = subprocess.Popen([sys.executable, "-m", "datasette", *arguments, *self.settings],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=30).read()
                return base
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("datasette did not start") from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def load(base: str, clients: int) -> dict:
    """`clients` threads at once, each asking every request of MIX once in its own order."""
    times: list[float] = []
    failed: list[str] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        paths = MIX[:]
        random.Random(seed).shuffle(paths)
        for path in paths:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=CLIENT_TIMEOUT) as response:
                    response.read()
                outcome = None
            except (urllib.error.URLError, OSError) as error:
                outcome = f"{path}: {error}"
            seconds = time.perf_counter() - started
            with lock:
                if outcome:
                    failed.append(outcome)
                else:
                    times.append(seconds)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {"requests": clients * len(MIX), "answered": len(times), "failed": len(failed), "seconds": seconds,
            "per_second": len(times) / seconds,
            "p99": statistics.quantiles(times, n=100)[98] if len(times) > 1 else float("nan"),
            "median": statistics.median(times) if times else float("nan")}


def report(results: list[dict]) -> str:
    """The numbers as lines for the terminal (and RESULTS.md)."""
    lines = [f"browse: {len(MIX)} requests a client ({', '.join(p.split('?')[0] for p in MIX)}), "
             f"timeout {CLIENT_TIMEOUT} s"]
    for result in results:
        for name in ("baseline", "archive"):
            for clients, numbers in result[name].items():
                lines.append(
                    f"  {result['reports']:>7,} reports  {name:8}  {clients:>2} clients  "
                    f"{numbers['per_second']:6.1f} requests/s  p99 {numbers['p99']:6.2f} s  "
                    f"median {numbers['median']:5.2f} s  {numbers['answered']}/{numbers['requests']} answered, "
                    f"{numbers['failed']} failed or timed out")
    return "\n".join(lines)
