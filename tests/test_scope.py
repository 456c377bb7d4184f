"""The crawl's scope and its traces (issue 12, items 1-4): every request and every redirect hop
stays on its site, even a request rebuilt to retry a failure; a redirect off the site, a URL
skipped, and a robots.txt that cannot be read each leave a row in fetch_failures; no telnet
console, and logs only their owner can read. Generated sites on 127.0.0.1, through the local
server acting as the crawler's proxy, and a second server on 127.0.0.2 that must hear nothing."""

from __future__ import annotations

import contextlib
import gzip
import stat
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from crawler.spiders.reports import can_succeed
from demo.server import HANG_UP, Answer, SiteServer
from tests.crawling import archive, crawl, start_crawl, write_sites

HOST = "www.scope.test"
DOWN = "www.robots-down.test"
GUARDED = "www.guarded.test"
FILLER = "".join(f"<p>本机关按照《条例》要求，认真做好政府信息公开工作，主动公开政府信息{100 + i}条。</p>" for i in range(12))
LONG_CJK = "某某县人民政府办公室关于印发二〇一九年度政府信息公开工作年度报告及其附件统计表的通知全文内容"[:48]


@contextlib.contextmanager
def listener(address: str = "127.0.0.2"):
    """A server on another loopback address, standing in for any other host; yields its URL and
    the paths it heard (none, if the crawl stays in scope)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(("<html><body>" + FILLER + "</body></html>").encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((address, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{address}:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


class ScopeSite:
    """A report column whose reports fail, redirect or carry awkward attachment names."""

    def __init__(self, elsewhere: str):
        self.elsewhere = elsewhere
        self.retrying = False        # second crawl: the failed report now redirects

    def __call__(self, path: str) -> Answer:
        if path == "/robots.txt":
            return Answer(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        if path == "/":
            items = "".join(f'<li><a href="/r/{name}.html">某某县{name}局2019年度政府信息公开工作年度报告</a></li>'
                            for name in ("retried", "moved", "files"))
            return self._page(f"<ul>{items}</ul>")
        if path == "/r/retried.html":
            if not self.retrying:
                return Answer(500, b"<html><body>error</body></html>", {"Content-Type": "text/html"})
            return Answer(302, b"", {"Location": f"{self.elsewhere}/latest.html"})
        if path == "/r/moved.html":
            return Answer(302, b"", {"Location": "http://www.elsewhere.test/moved.html"})
        if path == "/r/files.html":
            links = (f'<a href="/f/{quote(LONG_CJK + ".pdf")}">附件1</a> '
                     f'<a href="/f/{"x" * 500}.pdf">附件2</a>')
            return self._page(f"<h1>某某县files局2019年度政府信息公开工作年度报告</h1>{FILLER}{links}")
        if path.startswith("/f/"):
            return Answer(200, b"%PDF-1.4 not really", {"Content-Type": "application/pdf"})
        return Answer(404)

    @staticmethod
    def _page(body: str) -> Answer:
        page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县</title></head><body>{body}</body></html>'
        return Answer(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


class RobotsDown:
    """A site whose robots.txt fails (answers 503, or hangs up) until `up` is set."""

    def __init__(self, failure: Answer = Answer(503, b"busy")):
        self.up, self.failure = False, failure

    def __call__(self, path: str) -> Answer:
        if path == "/robots.txt":
            return Answer(200, b"User-agent: *\nAllow: /\n") if self.up else self.failure
        page = '<html><head><meta charset="utf-8"></head><body><p>首页</p></body></html>'
        return Answer(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


def guarded(path: str) -> Answer:
    """A site whose robots.txt keeps crawlers out of /private/."""
    if path == "/robots.txt":
        return Answer(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    page = f'<html><head><meta charset="utf-8"></head><body><p>{path}</p></body></html>'
    return Answer(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


class OversizeRobots:
    """A site whose robots.txt keeps crawlers out of /ndbg/ in its first line, then goes on for
    64 MiB (sent gzipped, a bomb: 64 KiB on the wire) or 2 MiB (sent as it is)."""

    def __init__(self, bomb: bool):
        self.bomb = bomb

    def __call__(self, path: str) -> Answer:
        if path == "/robots.txt":
            if self.bomb:
                text = gzip.compress(b"User-agent: *\nDisallow: /ndbg/\n#" + b"x" * (64 << 20), compresslevel=9)
                return Answer(200, text, {"Content-Type": "text/plain", "Content-Encoding": "gzip"})
            return Answer(200, b"User-agent: *\nDisallow: /ndbg/\n#" + b"x" * (2 << 20), {"Content-Type": "text/plain"})
        if path == "/":
            return ScopeSite._page('<a href="/ndbg/2019.html">某某县2019年度政府信息公开工作年度报告</a>')
        return ScopeSite._page(f"<h1>某某县2019年度政府信息公开工作年度报告</h1>{FILLER}")


@pytest.mark.parametrize("bomb", [True, False], ids=["gzip-bomb", "plain"])
def test_an_oversize_robots_txt_is_obeyed_in_its_first_500_kib_and_recorded(tmp_path, bomb):
    """RFC 9309 lets a crawler stop reading robots.txt after 500 KiB; it does not let it ignore
    them. The report under /ndbg/ is never asked for, and the oversize is in fetch_failures."""
    sites = write_sites(tmp_path, f'[[site]]\nname = "big"\nstart_urls = ["http://{GUARDED}/"]\n')
    with SiteServer(generated={GUARDED: OversizeRobots(bomb)}) as server:
        result = crawl(server, sites, tmp_path / "data", settings={"DOWNLOAD_MAXSIZE": str(8 << 20)})
        asked = {h.path for h in server.log}
    assert result.returncode == 0, result.stderr[-2000:]
    assert asked == {"/robots.txt", "/"}
    db = archive(tmp_path / "data")
    assert _failure(db, f"http://{GUARDED}/ndbg/2019.html")["classification"] == "robots_disallow"
    oversize = _failure(db, f"http://{GUARDED}/robots.txt")
    assert (oversize["classification"], oversize["site"]) == ("robots_too_large", "big")
    assert oversize["reason"].startswith(f"robots.txt larger than 500 KiB ({'decompressed' if bomb else 'sent'})")
    assert not can_succeed(oversize, set()), "asking for the same robots.txt again meets the same size"


def _failure(db, url: str) -> dict:
    return next(db.query("select * from fetch_failures where url = ?", [url]))


def test_redirects_and_retried_requests_stay_on_the_site_and_are_recorded(tmp_path):
    sites = write_sites(tmp_path, f'[[site]]\nname = "scope"\nstart_urls = ["http://{HOST}/"]\n')
    data = tmp_path / "data"
    with listener() as (elsewhere, heard):
        site = ScopeSite(elsewhere)
        with SiteServer(generated={HOST: site}) as server:
            first = crawl(server, sites, data)
            assert first.returncode == 0, first.stderr[-2000:]
            site.retrying = True
            second = crawl(server, sites, data, "--retry-failed")
            assert second.returncode == 0, second.stderr[-2000:]
            log = list(server.log)
        assert heard == []
    assert {h.host for h in log} == {HOST}          # neither 127.0.0.2 nor www.elsewhere.test asked
    db = archive(data)
    retried = _failure(db, f"http://{HOST}/r/retried.html")
    assert retried["classification"] == "forbidden_address" and "127.0.0.2" in retried["reason"]
    assert retried["resolved_at"] is None and retried["attempts"] >= 2
    moved = _failure(db, f"http://{HOST}/r/moved.html")
    assert moved["classification"] == "off_site_redirect" and "www.elsewhere.test" in moved["reason"]
    state = next(db.query("select state from frontier where url = ?", [f"http://{HOST}/r/moved.html"]))["state"]
    assert state == "failed"                          # not left pending
    assert not list(db.query("select * from documents where url like '%latest%' or final_url like '%elsewhere%'"))


def _crawl_scope_site(folder, settings: str = ""):
    sites = write_sites(folder, f'[[site]]\nname = "scope"\nstart_urls = ["http://{HOST}/"]\n{settings}')
    with SiteServer(generated={HOST: ScopeSite("http://127.0.0.2:9")}) as server:
        result = crawl(server, sites, folder / "data")
    assert result.returncode == 0, result.stderr[-2000:]
    return result, archive(folder / "data")


def test_every_skipped_url_leaves_a_row_and_cjk_file_names_are_not_too_long(tmp_path):
    result, db = _crawl_scope_site(tmp_path)
    assert result.stdout.startswith("crawl run 1: finished")
    assert "1 document not extractable (yet) (1 extract_error)" in result.stdout    # the fake PDF attachment
    cjk = f"http://{HOST}/f/{quote(LONG_CJK + '.pdf')}"
    assert len(cjk) > 400                             # the old limit counted it as too long
    assert list(db.query("select id from documents where url = ? and kind = 'attachment'", [cjk]))
    skipped = _failure(db, f"http://{HOST}/f/{'x' * 500}.pdf")
    assert (skipped["stage"], skipped["classification"]) == ("skip", "url_too_long")
    assert skipped["report_url"] == f"http://{HOST}/r/files.html"


def test_a_site_over_its_page_budget_records_what_it_left(tmp_path):
    result, db = _crawl_scope_site(tmp_path, "max_pages = 2\n")
    rows = list(db.query("select url from fetch_failures where stage = 'skip' "
                                    "and classification = 'page_budget'"))
    assert len(rows) == 2                              # 1 start page + 1 report fetched, 2 reports left
    assert "skipped            2 URLs not requested (2 page_budget)" in result.stdout


@pytest.mark.parametrize("failure, classification, reason", [
    (Answer(503, b"busy"), "robots_unavailable", "robots.txt unavailable (HTTP 503)"),
    (HANG_UP, "connection", "robots.txt unavailable (")], ids=["5xx", "hang-up"])
def test_robots_txt_that_cannot_be_read_disallows_the_site_until_it_can_be(tmp_path, failure, classification, reason):
    """Until it can be read, nothing of the host is fetched; the requests held back are recorded
    as robots_unavailable after a 5xx answer, and as the network error when there was none."""
    sites = write_sites(tmp_path, f'[[site]]\nname = "down"\nstart_urls = ["http://{DOWN}/"]\n')
    data = tmp_path / "data"
    site = RobotsDown(failure)
    with SiteServer(generated={DOWN: site}) as server:
        first = crawl(server, sites, data)
        assert first.returncode == 3, first.stderr[-2000:]              # nothing could be fetched
        assert {h.path for h in server.log} == {"/robots.txt"}         # nothing else asked
        assert len(server.log) == 4                                    # asked again by each of the 3 retries
        row = _failure(archive(data), f"http://{DOWN}/")
        assert row["classification"] == classification and row["reason"].startswith(reason)
        assert f"1 {classification}" in first.stdout
        site.up = True
        again = crawl(server, sites, data, "--retry-failed")
        assert again.returncode == 0
        assert "/" in {h.path for h in server.log}
    assert _failure(archive(data), f"http://{DOWN}/")["resolved_at"] is not None


def test_requests_waiting_together_for_robots_txt_all_obey_it(tmp_path):
    """Every request that waits while the host's robots.txt is fetched gets its verdict, not only
    the first (Scrapy 2.19's middleware hands the parser to one waiter and None, "allow", to the
    rest). A resumed crawl starts from many such requests at once."""
    private = [f"http://{GUARDED}/private/{n}.html" for n in range(1, 6)]
    urls = ", ".join(f'"{u}"' for u in [f"http://{GUARDED}/", *private])
    sites = write_sites(tmp_path, f'[[site]]\nname = "guarded"\nstart_urls = [{urls}]\n')
    data = tmp_path / "data"
    with SiteServer(generated={GUARDED: guarded}) as server:
        server.hold()                          # robots.txt, the only request let through, waits
        running = start_crawl(server, sites, data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while server.held() == 0 and running.poll() is None:
            time.sleep(0.01)
        server.release()
        out, err = running.communicate(timeout=600)
        assert running.returncode == 0, err[-2000:]
        asked = {h.path for h in server.log}
    assert asked == {"/robots.txt", "/"}
    db = archive(data)
    assert {_failure(db, url)["classification"] for url in private} == {"robots_disallow"}


def test_no_telnet_console_and_the_log_is_not_world_readable(tmp_path):
    sites = write_sites(tmp_path, f'[[site]]\nname = "down"\nstart_urls = ["http://{DOWN}/"]\n')
    with SiteServer(generated={DOWN: RobotsDown()}) as server:
        result = crawl(server, sites, tmp_path / "data")
    assert result.returncode == 3                      # its robots.txt cannot be read: nothing fetched
    logs = tmp_path / "data" / "logs"
    (log,) = logs.iterdir()
    assert stat.S_IMODE(log.stat().st_mode) == 0o640 and stat.S_IMODE(logs.stat().st_mode) == 0o750
    text = log.read_text(encoding="utf-8")
    assert "Spider opened" in text                     # it is the crawl's log
    assert "Telnet Password" not in text and "TelnetConsole" not in text
