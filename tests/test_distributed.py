"""A crawl shared by worker processes through a real Redis server (Debian's redis-server,
started by the test on 127.0.0.1): one queue and one duplicate filter, a worker killed mid-crawl,
shards merged, and the result compared with a single-process crawl of the same sites."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from demo.server import SiteServer
from tests.conftest import xxgk
from tests.crawling import EXPECTED, SITES, archive, crawl, start_crawl, write_sites

REPORTS = {r["url"] for r in EXPECTED["report"] if r["fetchable"]}


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of the test's own, on a free port, nothing saved to disk."""
    server = shutil.which("redis-server")
    assert server, "redis-server is part of the test set-up (.ci/system-packages installs it)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def _worker(server, sites, shard, redis_url, name):
    settings = {"DOWNLOAD_DELAY": "0.3", "XXGK_COMMIT_EVERY_ITEMS": "3", "XXGK_REDIS_IDLE_CLOSE": "3"}
    return start_crawl(server, sites, shard, "--redis", redis_url, "--worker", name, settings=settings,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.005)


def _documents(data: Path) -> set[tuple]:
    db = archive(data)
    rows = {(r["final_url"], r["url"], r["sha256"], r["status"], r["kind"], r["site"], r["report_url"])
            for r in db.query("select * from documents")}
    db.close()
    return rows


def _records(data: Path) -> set[tuple]:
    db = archive(data)
    rows = {(r["url"], r["title"], r["agency"], r["year"], r["era"], r["figures"]) for r in db.query(
        "select r.url, r.title, r.agency, r.year, r.era, count(f.id) figures from reports r "
        "left join figures f on f.report_id = r.id group by r.id")}
    db.close()
    return rows


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["killed", "leaves"])
def test_two_workers_one_stopped_fetch_every_report_once_and_merge_to_the_single_crawl(tmp_path, redis_url, stop):
    """A worker killed mid-crawl (its requests taken over when its heartbeat stops) or leaving
    (Ctrl-C: it finishes what it fetches and gives back the rest)."""
    sites = write_sites(tmp_path)
    with SiteServer(SITES) as server:
        single = crawl(server, sites, tmp_path / "single")
        assert single.returncode == 0, single.stderr[-2000:]
        server.log.clear()

        seeded = xxgk("seed", "--redis", redis_url, "--sites", sites)
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        assert "seeded 4 start requests (0 seeded before)" in seeded.stdout
        again = xxgk("seed", "--redis", redis_url, "--sites", sites)       # seeding twice queues nothing new
        assert "seeded 0 start requests (4 seeded before)" in again.stdout

        client = redis.Redis.from_url(redis_url)
        doomed = _worker(server, sites, tmp_path / "shard-a", redis_url, "a")
        _wait_for(lambda: client.hlen("reports:inflight:a"), "worker a to take requests")
        survivor = _worker(server, sites, tmp_path / "shard-b", redis_url, "b")
        _wait_for(lambda: client.hlen("reports:inflight:b") and client.hlen("reports:inflight:a"),
                  "both workers to have requests in flight")
        in_flight = client.hlen("reports:inflight:a")
        doomed.send_signal(stop)
        assert in_flight, "the worker was stopped with nothing in flight: the test proved nothing"
        doomed.communicate(timeout=120)
        out, err = survivor.communicate(timeout=240)
        assert survivor.returncode == 0, err[-3000:]
    requeued = int(out.split("requests queued again after a worker stopped: ")[1].split()[0])
    if stop == signal.SIGKILL:
        assert requeued >= 1                    # worker a's requests were taken over, not lost
    else:
        assert requeued == 0                    # worker a gave back what it had not fetched itself
    assert "this is worker b's shard" in out

    fetched = Counter(f"http://{h.host}{h.path}" for h in server.log if h.status == 200)
    reports_fetched = {url: n for url, n in fetched.items() if url in REPORTS}
    assert set(reports_fetched) == REPORTS
    assert max(reports_fetched.values()) == 1, {u: n for u, n in reports_fetched.items() if n > 1}

    shard_a, shard_b = _documents(tmp_path / "shard-a"), _documents(tmp_path / "shard-b")
    report_rows = Counter(row[0] for row in list(shard_a) + list(shard_b) if row[4] == "report" and row[3] == 200)
    assert set(report_rows) == REPORTS and set(report_rows.values()) == {1}
    for shard in ("shard-a", "shard-b"):
        db = archive(tmp_path / shard)
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        db.close()

    merged = xxgk("merge", tmp_path / "shard-a", tmp_path / "shard-b", "--data", tmp_path / "merged", timeout=300)
    assert merged.returncode == 0, merged.stderr[-2000:]
    assert _documents(tmp_path / "merged") == _documents(tmp_path / "single")
    assert _records(tmp_path / "merged") == _records(tmp_path / "single")

    before = _documents(tmp_path / "merged"), _records(tmp_path / "merged")
    twice = xxgk("merge", tmp_path / "shard-a", tmp_path / "shard-b", "--data", tmp_path / "merged", timeout=300)
    assert twice.returncode == 0, twice.stderr[-2000:]
    assert "0 documents added" in twice.stdout
    assert (_documents(tmp_path / "merged"), _records(tmp_path / "merged")) == before
    assert client.zcard("reports:requests") == 0
    assert [k for k in client.keys("reports:inflight:*") if client.hlen(k)] == []


def test_a_response_is_archived_after_the_requests_it_led_to(tmp_path):
    """The order a shared crawl relies on: a callback's requests are scheduled before its
    capture, whose commit acknowledges the response's own request."""
    from scrapy.http import HtmlResponse

    from crawler.items import Capture
    from crawler.spiders.reports import ReportsSpider

    spider = ReportsSpider(sites=str(write_sites(tmp_path)))
    url = "http://kjj.yueyang.test/zwgk/ndbg/index.html"
    request = spider._request(url, site=spider.by_name["yueyang-kjj"], kind="listing", hops=1)
    body = (SITES / "kjj.yueyang.test" / "zwgk" / "ndbg" / "index.html").read_bytes()
    outputs = spider.parse_page(HtmlResponse(url, body=body, request=request,
                                             headers={"Content-Type": "text/html; charset=utf-8"}))
    assert isinstance(outputs[-1], Capture)
    assert sum(isinstance(o, Capture) for o in outputs) == 1
    assert len([o for o in outputs if hasattr(o, "callback")]) >= 5
