"""Flat memory: `xxgk ingest` and `xxgk reextract` at two archive sizes (4× apart), each run as
its own process so that its peak is its own. Printed for each: the peak resident memory of the
command's process and of its largest extraction worker, and how much each grew per 1,000
reports from the small archive to the large one (the archive's size grows and nothing else: the
same generated panel of plain-text reports, more of it). Crawl memory is in bench/crawl.py."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .archive import AGENCIES_PER_PLACE, YEARS, write_panel
from .crawl import PEAK_MEMORY, REPO

# The command's own code path (archive.ingest / archive.reextract, as the CLI calls them), then
# its own high-water mark and the largest of its extraction workers', read from each worker's
# /proc status after every batch. (Not getrusage(RUSAGE_CHILDREN): a spawned worker is forked
# before it execs, and its ru_maxrss is the parent's size at that moment, not the worker's own.)
_COMMAND = PEAK_MEMORY + """
import glob, json, sys
from archive.store import Archive
command, data = sys.argv[1], sys.argv[2]
workers = [0]
def sample_workers(counts):
    for listing in glob.glob("/proc/self/task/*/children"):
        for pid in open(listing).read().split():
            try:
                workers[0] = max(workers[0], peak_memory(pid))
            except OSError:
                pass        # a worker that has just ended
archive = Archive(data)
if command == "ingest":
    from archive.ingest import ingest_files
    with open(sys.argv[3], encoding="utf-8") as listing:     # streamed: the input's size is not the archive's
        counts = ingest_files(archive, (line.rstrip("\\n") for line in listing), progress=sample_workers)["extraction"]
else:
    from archive.reextract import reextract
    counts = reextract(archive, progress=sample_workers)
archive.close()
print(json.dumps({"main": peak_memory(), "workers": workers[0],
                  "extracted": counts["extracted"], "failed": counts["failed"], "seconds": counts["seconds"]}))
"""


def run(reports: int = 20_000) -> list[dict]:
    """Ingest then reextract an archive of about reports/4 and of about `reports` reports."""
    results = []
    for size in (reports // 4, reports):
        places = max(1, size // (AGENCIES_PER_PLACE * len(YEARS)))
        with tempfile.TemporaryDirectory(prefix="xxgk-bench-memory-") as folder:
            root = Path(folder)
            listing = root / "files.txt"
            listing.write_text("\n".join(map(str, write_panel(root / "files", places))), encoding="utf-8")
            ingest = _measured("ingest", root / "data", listing)
            again = _measured("reextract", root / "data")
            results.append({"reports": ingest["extracted"], "ingest": ingest, "reextract": again,
                            "db_bytes": (root / "data" / "xxgk.db").stat().st_size})
    return results


def _measured(command: str, data: Path, *args: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _COMMAND, command, str(data), *map(str, args)], cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if done.returncode:
        raise RuntimeError(f"{command} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> str:
    small, large = results
    per_1000 = 1000 / max(large["reports"] - small["reports"], 1)
    lines = ["memory: peak resident memory of xxgk ingest and xxgk reextract (own process / largest worker)"]
    for r in results:
        lines.append(f"  {r['reports']:7,d} reports ({r['db_bytes'] / 2**20:,.0f} MiB database)   " + "   ".join(
            f"{name} {r[name]['main'] / 2**20:6.1f} / {r[name]['workers'] / 2**20:6.1f} MiB "
            f"({r[name]['extracted'] / max(r[name]['seconds'], 1e-9):,.0f} reports/s)" for name in ("ingest", "reextract")))
    lines.append(f"  growth per 1,000 reports from {small['reports']:,} to {large['reports']:,}:   " + "   ".join(
        f"{name} {(large[name]['main'] - small[name]['main']) / 2**20 * per_1000:+.2f} / "
        f"{(large[name]['workers'] - small[name]['workers']) / 2**20 * per_1000:+.2f} MiB"
        for name in ("ingest", "reextract")))
    return "\n".join(lines)
