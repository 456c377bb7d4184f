"""A shared crawl's scaling: the large generated site crawled by 1, 2 and 4 worker processes
through one Redis server (a real redis-server on 127.0.0.1), pages per second and the ratio to
one worker, and from the site's own count of requests per page: requests lost (pages never
fetched) and duplicates (pages fetched more than once).

The rate is timed from the first request taken off the queue to the moment the queue is empty
and no worker has a request in flight (process start-up and the workers' idle wait before they
stop are left out)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.bigsite import HOST, BigSite
from bench.crawl import PACE, REPO


def run(listings: int = 250, workers: tuple[int, ...] = (1, 2, 4)) -> list[dict]:
    """One crawl of the site per worker count; their numbers."""
    return [run_once(listings, n) for n in workers]


def run_once(listings: int, count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="xxgk-dist-bench-") as folder:
        root = Path(folder)
        port = _free_port()
        server = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no", "--dir", folder],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        site = subprocess.Popen([sys.executable, "-m", "bench.bigsite", "--listings", str(listings),
                                 "--hits", str(root / "hits.json")], cwd=REPO, stdout=subprocess.PIPE, text=True)
        proxy = f"http://127.0.0.1:{site.stdout.readline().strip()}"
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis(port=port)
        _wait(client)
        try:
            sites = root / "sites.toml"
            sites.write_text(f'[[site]]\nname = "big"\nstart_urls = ["http://{HOST}/"]\nmax_pages = 1000000\n',
                             encoding="utf-8")
            subprocess.run([sys.executable, "-m", "xxgk", "seed", "--redis", url, "--sites", str(sites)], cwd=REPO,
                           check=True, capture_output=True)
            options = [a for k, v in {**PACE, "XXGK_REDIS_IDLE_CLOSE": "2", "XXGK_PROGRESS_INTERVAL": "3600"}.items()
                       for a in ("-s", f"{k}={v}")]
            procs = [subprocess.Popen([sys.executable, "-m", "xxgk", "crawl", "--sites", str(sites), "--data",
                                       str(root / f"shard-{i}"), "--via", proxy, "--redis", url, "--worker", f"w{i}",
                                       *options], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for i in range(count)]
            started = _until(lambda: client.zcard("reports:requests") == 0 or client.keys("reports:inflight:*"))
            finished = _until(lambda: client.zcard("reports:requests") == 0 and not any(
                client.hlen(k) for k in client.keys("reports:inflight:*")) and _stable(client)) - _STABLE
            for proc in procs:
                proc.wait(timeout=600)
        finally:
            site.terminate()
            site.wait(timeout=30)
            server.terminate()
            server.wait(timeout=30)
        hits = json.loads((root / "hits.json").read_text(encoding="utf-8"))
    hits.pop("/robots.txt", None)                     # each worker asks for it once, as it should
    expected = BigSite(listings).pages                # every page (robots.txt is not one)
    fetched = len(hits)
    return {"workers": count, "pages": fetched, "seconds": finished - started,
            "lost": expected - fetched, "duplicates": sum(n - 1 for n in hits.values())}


_STABLE = 0.5


def _stable(client) -> bool:
    """Nothing queued or in flight for half a second (a page being parsed may still add more)."""
    time.sleep(_STABLE)
    return client.zcard("reports:requests") == 0 and not any(client.hlen(k) for k in client.keys("reports:inflight:*"))


def _until(condition, timeout: float = 1800) -> float:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the shared crawl did not get there in time")
        time.sleep(0.02)
    return time.monotonic()


def _wait(client) -> None:
    for _ in range(200):
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(results: list[dict]) -> str:
    base = results[0]["pages"] / results[0]["seconds"]
    lines = ["shared crawl through Redis (large generated site):"]
    for r in results:
        rate = r["pages"] / r["seconds"]
        lines.append(f"  {r['workers']} worker{'s' if r['workers'] > 1 else ' '}  {r['pages']:,} pages in "
                     f"{r['seconds']:.1f} s = {rate:6.1f} pages/s ({rate / base:.2f}x one worker); "
                     f"lost {r['lost']}, duplicates {r['duplicates']}")
    return "\n".join(lines)
