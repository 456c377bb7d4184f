"""A crawl shared by worker processes through a real Redis server (Debian's redis-server,
started by the test on 127.0.0.1): one queue and one duplicate filter, a worker killed mid-crawl,
shards merged, and the result compared with a single-process crawl of the same sites."""

from __future__ import annotations

import pickle
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from crawler.registry import load_sites
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
    deadline = time.monotonic() + 120
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=60)


def _worker(server, sites, shard, redis_url, name):
    """A worker whose requests the site server can tell apart (its User-Agent names it)."""
    settings = {"DOWNLOAD_DELAY": "0.3", "XXGK_COMMIT_EVERY_ITEMS": "3", "XXGK_REDIS_IDLE_CLOSE": "3",
                "CONCURRENT_REQUESTS": "2"}
    return start_crawl(server, sites, shard, "--redis", redis_url, "--worker", name, "--contact", f"worker-{name}.test",
                       settings=settings, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _from_worker(name):
    return lambda headers: f"worker-{name}.test" in headers.get("User-Agent", "")


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    """Wait until `condition` holds; `seconds` only bounds a hang."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.005)


def _frozen_in_flight(process, client, name) -> set[str]:
    """Freeze a worker (SIGSTOP) with requests in flight and read their URLs from Redis: once it
    is frozen it fetches nothing more, so whatever it fetched and did not acknowledge is here."""
    while True:
        process.send_signal(signal.SIGSTOP)
        _wait_for(lambda: _stopped(process.pid), "the worker to stop")
        entries = client.hvals(f"reports:inflight:{name}")
        if entries:
            return {pickle.loads(entry.split(b"\n", 1)[1])["url"] for entry in entries}
        process.send_signal(signal.SIGCONT)
        time.sleep(0.01)


def _stopped(pid: int) -> bool:
    """Every thread of the process is stopped (Linux: state T in /proc)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return all((task / "stat").read_text().rsplit(")", 1)[1].split()[0] in "tT" for task in tasks)


def _requeued(shard: Path, name: str) -> set[str]:
    """The URLs a worker's log says it queued again after worker `name` stopped answering."""
    mark = f"queued again from worker {name}: "
    return {line.split(mark, 1)[1].strip() for log in (shard / "logs").glob("*.log")
            for line in log.read_text(encoding="utf-8").splitlines() if mark in line}


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
def test_two_workers_one_stopped_fetch_every_report_and_merge_to_the_single_crawl(tmp_path, redis_url, stop):
    """A worker killed mid-crawl (its requests taken over when its heartbeat stops) or leaving
    (Ctrl-C: it finishes what it fetches and gives back the rest). The promise is at-least-once:
    every report fetched, nothing lost, the merged archive the single crawl's; a report fetched
    twice only if it was in flight at the stopped worker (or taken over from it). Worker a's
    requests are held unanswered by the site server while b works, so a is stopped with requests
    in flight whatever the machine's speed."""
    sites = write_sites(tmp_path)
    with SiteServer(SITES) as server:
        single = crawl(server, sites, tmp_path / "single")
        assert single.returncode == 0, single.stderr[-2000:]
        server.log.clear()

        seeded = xxgk("seed", "--redis", redis_url, "--sites", sites)
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        starts = sum(len(site.start_urls) for site in load_sites(sites))
        assert f"seeded {starts} start requests (0 seeded before)" in seeded.stdout
        again = xxgk("seed", "--redis", redis_url, "--sites", sites)       # seeding twice queues nothing new
        assert f"seeded 0 start requests ({starts} seeded before)" in again.stdout

        client = redis.Redis.from_url(redis_url)
        server.hold(after=3, whose=_from_worker("a"))          # a fetches a little, then waits on the site
        doomed = _worker(server, sites, tmp_path / "shard-a", redis_url, "a")
        _wait_for(lambda: server.held() and client.hlen("reports:inflight:a"), "worker a to wait on the site")
        survivor = _worker(server, sites, tmp_path / "shard-b", redis_url, "b")
        _wait_for(lambda: client.hlen("reports:inflight:b"), "worker b to take requests")
        in_flight = _frozen_in_flight(doomed, client, "a")
        doomed.send_signal(stop)
        doomed.send_signal(signal.SIGCONT)                      # a stopped process sees its Ctrl-C now
        server.release()
        doomed.communicate(timeout=600)
        out, err = survivor.communicate(timeout=600)
        assert survivor.returncode == 0, err[-3000:]
    assert "this is worker b's shard" in out
    taken_over = _requeued(tmp_path / "shard-b", "a")
    assert f"requests queued again after a worker stopped: {len(taken_over)}" in out
    may_repeat = in_flight | taken_over     # what a had fetched without acknowledging, or lost to b

    fetched = Counter(f"http://{h.host}{h.path}" for h in server.log if h.status == 200)
    reports_fetched = {url: n for url, n in fetched.items() if url in REPORTS}
    assert set(reports_fetched) == REPORTS                                  # every report, at least once
    assert {u for u, n in reports_fetched.items() if n > 1} <= may_repeat   # twice only if in flight at a

    shard_a, shard_b = _documents(tmp_path / "shard-a"), _documents(tmp_path / "shard-b")
    report_rows = Counter(row[0] for row in list(shard_a) + list(shard_b) if row[4] == "report" and row[3] == 200)
    assert set(report_rows) == REPORTS
    assert {u for u, n in report_rows.items() if n > 1} <= may_repeat
    for shard in ("shard-a", "shard-b"):
        db = archive(tmp_path / shard)
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        db.close()

    merged = xxgk("merge", tmp_path / "shard-a", tmp_path / "shard-b", "--data", tmp_path / "merged", timeout=600)
    assert merged.returncode == 0, merged.stderr[-2000:]
    assert _documents(tmp_path / "merged") == _documents(tmp_path / "single")
    assert _records(tmp_path / "merged") == _records(tmp_path / "single")

    before = _documents(tmp_path / "merged"), _records(tmp_path / "merged")
    twice = xxgk("merge", tmp_path / "shard-a", tmp_path / "shard-b", "--data", tmp_path / "merged", timeout=600)
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


@pytest.mark.parametrize("command", ["seed", "crawl"])
def test_a_redis_that_does_not_answer_is_one_clear_line_before_anything_starts(tmp_path, command):
    """A port bound but not listening refuses every connection: the command says so in one line,
    exits non-zero, and neither queues, crawls nor creates an archive."""
    sites = write_sites(tmp_path)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        args = ["--data", tmp_path / "shard"] if command == "crawl" else []
        result = xxgk(command, "--redis", url, "--sites", sites, *args)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot reach Redis at {url} (")
    assert "Connection refused" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and "crawl run" not in result.stdout
    assert not (tmp_path / "shard").exists()
