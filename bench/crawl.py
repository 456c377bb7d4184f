"""Crawl speed: `xxgk crawl` against a bare Scrapy spider fetching the same pages of a large
generated site (served by another process on 127.0.0.1), pages per second for both (each by its
own clock, from engine start to the last page, leaving out process start-up; for xxgk before
extraction, which is timed on its own), their ratio, and each crawler's peak memory at two site
sizes (memory should not grow with pages)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bigsite import HOST, BigSite

REPO = Path(__file__).resolve().parents[1]
# The same pace for both: no delay, many requests at once (it is our own local server).
PACE = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": "32",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "32", "CONCURRENT_ITEMS": "4", "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": "False"}
# Each crawler reports its own peak resident memory (VmHWM): the rusage of a child counts the
# benchmark's own pages it was forked from.
PEAK_MEMORY = """
def peak_memory(pid="self"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
"""
_BARE = PEAK_MEMORY + """
import json, sys, time
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from bench.bare_spider import BareSpider
process = CrawlerProcess({**json.loads(sys.argv[1]), "ROBOTSTXT_OBEY": True})
crawler = process.create_crawler(BareSpider)
opened = []          # CPU from the spider's start, as xxgk's pipeline counts its own
def mark(spider):    # (a named function: Scrapy keeps only a weak reference to a signal handler)
    opened.append(time.process_time())
crawler.signals.connect(mark, signal=signals.spider_opened)
process.crawl(crawler)
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"pages": stats.get("response_received_count", 0), "seconds": stats["elapsed_time_seconds"],
                  "cpu_seconds": time.process_time() - opened[0], "memory": peak_memory()}))
"""
_XXGK = PEAK_MEMORY + """
import json, resource, sys
from crawler.run import run_crawl
stats = run_crawl(sys.argv[1], sys.argv[2], via=sys.argv[3], overrides=json.loads(sys.argv[4]))
print(json.dumps({"pages": stats.get("xxgk/new", 0) + stats.get("xxgk/revisit", 0) + stats.get("xxgk/unchanged", 0),
                  "crawl_seconds": stats.get("xxgk/crawl_seconds"), "crawl_cpu_seconds": stats.get("xxgk/crawl_cpu_seconds"),
                  "extraction": stats.get("xxgk/extraction"), "memory": peak_memory(),
                  "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


def _serve(listings: int) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, "-m", "bench.bigsite", "--listings", str(listings)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    return server, f"http://127.0.0.1:{server.stdout.readline().strip()}"


def _measured(command: list[str], env: dict, cwd: Path | str = REPO) -> dict:
    """Run a crawler; return the JSON it prints last."""
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if result.returncode:
        raise RuntimeError(f"{command[:4]} failed with {result.returncode}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_once(listings: int) -> dict:
    server, proxy = _serve(listings)
    env = {**os.environ, "http_proxy": proxy}
    try:
        with tempfile.TemporaryDirectory(prefix="xxgk-crawl-bench-") as folder:
            # outside the repository, so that the project's settings (our pipeline) do not apply
            bare = _measured([sys.executable, "-c", _BARE, json.dumps(PACE)], {**env, "PYTHONPATH": str(REPO)},
                             cwd=folder)
            sites = Path(folder) / "sites.toml"
            sites.write_text(f'[[site]]\nname = "big"\nstart_urls = ["http://{HOST}/"]\nmax_pages = 1000000\n',
                             encoding="utf-8")
            result = _measured([sys.executable, "-c", _XXGK, str(sites), str(Path(folder) / "data"), proxy,
                                json.dumps({**PACE, "XXGK_PROGRESS_INTERVAL": 3600})], env)
    finally:
        server.kill()
    pages = BigSite(listings).pages
    return {"listings": listings, "pages": pages, "bare_pages": bare["pages"], "bare_seconds": bare["seconds"],
            "bare_cpu": bare["cpu_seconds"], "xxgk_cpu": result["crawl_cpu_seconds"],
            "bare_memory": bare["memory"], "xxgk_pages": result["pages"], "xxgk_seconds": result["crawl_seconds"],
            "xxgk_memory": result["memory"], "worker_memory": result["workers"], "extraction": result["extraction"]}


def run(listings: int = 1000, rounds: int = 3) -> list[dict]:
    """A small and a large site of the same shape, each crawled `rounds` times by both crawlers;
    the round with the median ratio is kept (a shared machine's speed varies from run to run)."""
    results = []
    for size in (max(listings // 4, 1), listings):
        trials = sorted((run_once(size) for _ in range(rounds)), key=_ratio)
        results.append(trials[len(trials) // 2] | {"ratios": [round(_ratio(t), 2) for t in trials]})
    return results


def _ratio(r: dict) -> float:
    return (r["xxgk_pages"] / r["xxgk_seconds"]) / (r["bare_pages"] / r["bare_seconds"])


def report(results: list[dict]) -> str:
    lines = ["crawl: xxgk crawl vs a bare Scrapy spider, same pages, same pace, generated site on 127.0.0.1"]
    for r in results:
        bare_rate = r["bare_pages"] / r["bare_seconds"]
        xxgk_rate = r["xxgk_pages"] / r["xxgk_seconds"]
        ex = r["extraction"] or {}
        lines += [
            f"  {r['pages']:6d} pages   bare {bare_rate:7.1f} pages/s   xxgk {xxgk_rate:7.1f} pages/s "
            f"(archived {r['xxgk_pages']})   ratio {xxgk_rate / bare_rate:4.2f} (target >= 0.7; "
            f"rounds {', '.join(map(str, r['ratios']))})",
            f"               CPU per page (each crawler's own process): bare {1000 * r['bare_cpu'] / r['bare_pages']:.2f} ms   "
            f"xxgk {1000 * r['xxgk_cpu'] / r['xxgk_pages']:.2f} ms (the figure to compare across days: rates move "
            f"with the machine's load)",
            f"               peak memory: bare {r['bare_memory'] / 2**20:6.1f} MiB   xxgk {r['xxgk_memory'] / 2**20:6.1f} MiB "
            f"(largest extraction worker {r['worker_memory'] / 2**20:.1f} MiB)",
            f"               then extraction: {ex.get('extracted', 0)} records in {ex.get('seconds', 0):.1f} s "
            f"({ex.get('extracted', 0) / max(ex.get('seconds', 1e-9), 1e-9):.0f} reports/s, 2 processes)",
        ]
    small, large = results
    growth = {key: (large[key] - small[key]) / 2**20 for key in ("bare_memory", "xxgk_memory", "worker_memory")}
    reports = (large["extraction"] or {}).get("extracted", 0) - (small["extraction"] or {}).get("extracted", 0)
    per_1000 = 1000 / max(reports, 1)
    lines.append(f"  memory growth from {small['pages']} to {large['pages']} pages: bare {growth['bare_memory']:+.1f} MiB, "
                 f"xxgk {growth['xxgk_memory']:+.1f} MiB (extraction worker {growth['worker_memory']:+.1f} MiB); "
                 f"per 1,000 reports: bare {growth['bare_memory'] * per_1000:+.2f}, xxgk {growth['xxgk_memory'] * per_1000:+.2f}, "
                 f"xxgk beyond the bare spider {(growth['xxgk_memory'] - growth['bare_memory']) * per_1000:+.2f} MiB")
    return "\n".join(lines)
