"""The crawler against mock agency sites served on 127.0.0.1 (tests/sites; truth in _expected.toml)."""

from __future__ import annotations

import collections
import hashlib
import os
import shlex
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from demo.server import Answer, SiteServer
from tests.crawling import EXPECTED, FAST, SITES, archive, copy_sites, crawl, start_crawl, write_sites
from tests.wayback_standin import WaybackStandIn

REPO = Path(__file__).resolve().parents[1]
REPORTS = [r for r in EXPECTED["report"] if r["fetchable"]]
UNFETCHABLE = {r["url"]: r["why"] for r in EXPECTED["report"] if not r["fetchable"]}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One full crawl of the four mock sites, shared by the tests that only read its results."""
    folder = tmp_path_factory.mktemp("crawl")
    with SiteServer(SITES) as server:
        result = crawl(server, write_sites(folder), folder / "data")
        log = list(server.log)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"db": archive(folder / "data"), "log": log, "result": result, "data": folder / "data"}


def _hits(log, url):
    host, path = url.split("://", 1)[1].split("/", 1)
    return [h for h in log if h.host == host and h.path == "/" + path]


def test_every_report_found_and_no_non_report(crawled):
    db = crawled["db"]
    reports = {r["final_url"] for r in db.query("select final_url from documents where kind = 'report'")}
    assert reports == {r["url"] for r in REPORTS}
    fetched = {r["url"] for r in db.query("select url from documents")} | \
              {r["final_url"] for r in db.query("select final_url from documents")}
    wrongly = [n["url"] for n in EXPECTED["non_report"] if n["url"] in fetched]
    assert wrongly == []
    for non_report in EXPECTED["non_report"]:
        assert not _hits(crawled["log"], non_report["url"]), non_report["title"]


def test_reports_are_extracted_into_records(crawled):
    db = crawled["db"]
    records = list(db.query("select r.year, r.agency, d.final_url from reports r join documents d "
                            "on d.id = r.document_id where d.kind = 'report'"))
    by_url = {r["final_url"]: r for r in records}
    html_reports = [r for r in REPORTS if r["host"] != "www.shaoguan.test" or r["year"] < 2018]
    for report in html_reports:
        assert by_url[report["url"]]["year"] == report["year"], report["url"]
    figures = next(db.query("select count(*) n from figures"))["n"]
    assert figures > 20 * len(html_reports) / 2


def test_cms_pagination_followed(crawled):
    log = crawled["log"]
    paths = {(h.host, h.path) for h in log}
    # TRS: pages 2 and 3 exist only in the createPageHTML script
    assert ("kjj.yueyang.test", "/zwgk/ndbg/index_1.html") in paths
    assert ("kjj.yueyang.test", "/zwgk/ndbg/index_2.html") in paths
    # Hanweb: the data proxy, by POST with the column's form fields
    proxy = [h for h in log if h.host == "www.pingjiang.test" and "dataproxy.jsp" in h.path]
    assert proxy and all(h.method == "POST" for h in proxy)
    assert b"columnid=4582" in proxy[0].body and b"unitid=18921" in proxy[0].body
    # gkmlpt: three API pages of five
    api = sorted(h.path for h in log if h.host == "www.shaoguan.test" and "/gkmlpt/api/all/2466" in h.path)
    assert [p.split("page=")[1].split("&")[0] for p in api] == ["1", "2", "3"]
    # generic 下一页/尾页
    assert ("www.hanshou.test", "/xxgk/ndbg/index_3.html") in paths
    # the dialects of the registry's platforms: each listing's pages (VSB/博达's by 下页 links alone)
    for listing in EXPECTED["listing"][4:]:
        for url in listing["pages"]:
            assert _hits(log, url), (listing["kind"], url)


def test_shared_platforms_keep_every_body_with_its_own_agency(crawled):
    """A county portal's platform lists its bodies' reports: each is kept as its body's."""
    rows = crawled["db"].query("select r.agency, d.final_url from reports r join documents d on d.id = r.document_id")
    agency = {r["final_url"]: r["agency"] for r in rows}
    shared = [r for r in REPORTS if r["host"] in ("www.weishan.test", "www.zongyang.test", "www.ynyx.test",
                                                  "www.huachuan.test", "www.langao.test", "www.baishui.test",
                                                  "ht.sanya.test", "www.shanghai.test")]
    assert len({agency[r["url"]] for r in shared}) == 25
    for report in shared:
        assert report["title"].startswith(agency[report["url"]]), report["url"]


def test_attachments_tied_to_their_report(crawled):
    db = crawled["db"]
    expected = {(a, r["url"]) for r in REPORTS for a in r.get("attachments", [])}
    assert expected, "the mock sites have attachments"
    got = {(d["url"], d["report_url"]) for d in db.query("select url, report_url from documents "
                                                         "where kind = 'attachment'")}
    assert expected <= got
    gbk = next(a for a, _ in expected if "%D4%C0" in a)       # a GBK %-encoded Chinese file name
    row = next(db.query("select size, content_type from documents where url = ?", [gbk]))
    assert row["size"] > 0 and row["content_type"] == "application/pdf"


def test_gbk_pages_decoded_despite_their_label(crawled):
    db = crawled["db"]
    rows = list(db.query("select d.encoding, r.agency, r.title from documents d join reports r "
                         "on r.document_id = d.id where d.site = 'pingjiang'"))
    assert len(rows) == len([r for r in REPORTS if r["host"] == "www.pingjiang.test"])
    assert {r["encoding"] for r in rows} == {"gb18030"}
    assert all("平江县" in r["agency"] and "报" in r["title"] for r in rows)


def test_each_document_records_the_encoding_its_bytes_are_read_in(crawled):
    """Pages the spider read give the archive their encoding (not decoded twice): what reading the
    archived bytes finds, and None for what is not text."""
    from archive.warcs import read_record
    from extract.decode import decode

    rows = list(crawled["db"].query("select content_type, encoding, warc_file, warc_offset, kind from documents"))
    assert {r["kind"] for r in rows} >= {"start", "listing", "report", "attachment"}
    for row in rows:
        _, body, _ = read_record(crawled["data"] / "warc", (row["warc_file"], row["warc_offset"]))
        textual = body and any(t in (row["content_type"] or "").lower() for t in ("text/", "html", "xml", "json"))
        assert row["encoding"] == (decode(body)[1] if textual else None), row


def test_robots_disallow_respected_and_recorded(crawled):
    url = next(u for u, why in UNFETCHABLE.items() if why == "robots")
    assert not _hits(crawled["log"], url)
    row = next(crawled["db"].query("select classification from fetch_failures where url = ?", [url]))
    assert row["classification"] == "robots_disallow"


def test_server_error_retried_then_archived(crawled):
    url = next(f["url"] for f in EXPECTED["failing"] if f["behaviour"] == "500_once")
    assert [h.status for h in _hits(crawled["log"], url)] == [500, 200]
    db = crawled["db"]
    assert next(db.query("select count(*) n from documents where url = ? and status = 200", [url]))["n"] == 1
    assert not list(db.query("select * from fetch_failures where url = ? and resolved_at is null", [url]))


def test_permanent_failure_recorded_with_attempts(crawled):
    url = next(f["url"] for f in EXPECTED["failing"] if f["behaviour"] == "500_always")
    row = next(crawled["db"].query("select * from fetch_failures where url = ?", [url]))
    assert (row["stage"], row["classification"], row["http_status"]) == ("fetch", "http_error", 500)
    assert row["attempts"] == 4 == len(_hits(crawled["log"], url))      # first try and three retries
    dead = next(u for u, why in UNFETCHABLE.items() if why == "dead")
    assert next(crawled["db"].query("select http_status from fetch_failures where url = ?", [dead]))["http_status"] == 404


def test_blocks_recorded_never_passed(crawled):
    db = crawled["db"]
    for url, why in UNFETCHABLE.items():
        if why in ("challenge", "forbidden", "shell"):
            row = next(db.query("select classification from fetch_failures where url = ?", [url]))
            assert row["classification"] == {"challenge": "blocked_challenge", "forbidden": "blocked_forbidden",
                                             "shell": "shell_page"}[why]
            assert len(_hits(crawled["log"], url)) == 1          # asked once, not retried or worked around
            assert not list(db.query("select * from documents where url = ?", [url]))


def test_traps_not_followed_past_their_bound(crawled):
    log = crawled["log"]
    assert not [h for h in log if "calendar" in h.path]
    assert not [h for h in log if h.path.startswith("/zwgk/zwgk/zwgk/")]
    assert all(h.host.endswith(".test") and not h.host.startswith("kjj.yueyang-gov") for h in log)


def test_look_alike_domain_recorded_not_fetched(crawled):
    url = EXPECTED["off_site"][0]["url"]
    assert not _hits(crawled["log"], url)
    row = next(crawled["db"].query("select site, found_on from off_site_links where url = ?", [url]))
    assert row["site"] == "yueyang-kjj" and row["found_on"].startswith("http://kjj.yueyang.test/")


def test_warc_files_readable_and_match_documents(crawled):
    data = crawled["data"]
    records = {}
    for path in (data / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                body = record.content_stream().read()
                records[(path.name, iterator.get_record_offset())] = (
                    record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), hashlib.sha256(body).hexdigest(),
                    record.rec_headers.get_header("WARC-Date"), record.rec_headers.get_header("WARC-Payload-Digest"))
    documents = list(crawled["db"].query("select * from documents"))
    assert len(documents) > 50
    targets = {(kind, uri) for kind, uri, *_ in records.values()}
    for doc in documents:
        kind, uri, digest, date, payload = records[(doc["warc_file"], doc["warc_offset"])]
        assert kind == "response" and digest == doc["sha256"] and date and payload
        # the same bytes are stored once: a second URL with them gets a revisit record
        assert uri == doc["final_url"] or ("revisit", doc["final_url"]) in targets
    assert any(kind == "revisit" for kind, *_ in records.values())
    sizes = {r["name"]: r["committed_size"] for r in crawled["db"].query("select * from warc_files")}
    assert all((data / "warc" / name).stat().st_size == size for name, size in sizes.items())
    check = crawled["db"].execute("pragma integrity_check").fetchone()[0]
    assert check == "ok"


def test_summary_says_what_happened_and_where(crawled):
    out = crawled["result"].stdout
    assert "crawl run 1: finished" in out
    assert f"{len(REPORTS)} report pages" in out
    assert "xxgk.db" in out and "warc" in out and "xxgk serve" in out
    assert "robots_disallow" in out and "blocked_challenge" in out
    assert "pages fetched" in crawled["result"].stderr          # the progress line


def test_interrupted_crawl_resumes_without_fetching_twice(tmp_path):
    sites = write_sites(tmp_path)
    with SiteServer(SITES) as server:
        first = crawl(server, sites, tmp_path / "data", settings={"CLOSESPIDER_PAGECOUNT": "12"})
        assert first.returncode == 1 and "interrupted" in first.stdout
        before = len(server.log)
        second = crawl(server, sites, tmp_path / "data", "--resume")
        assert second.returncode == 0, second.stderr[-2000:]
        log = server.log
    assert len(log) > before
    counts = collections.Counter((h.host, h.path, h.method, h.body) for h in log if h.path != "/robots.txt")
    failing = {f["url"].split("://")[1] for f in EXPECTED["failing"]}
    twice = {k: n for k, n in counts.items() if n > 1 and f"{k[0]}{k[1]}" not in failing}
    assert twice == {}
    db = archive(tmp_path / "data")
    assert {r["final_url"] for r in db.query("select final_url from documents where kind = 'report'")} == \
        {r["url"] for r in REPORTS}
    runs = list(db.query("select id, status from crawl_runs"))
    assert runs == [{"id": 1, "status": "finished"}]


def test_second_crawl_fetches_only_what_changed(tmp_path):
    sites_dir = copy_sites(tmp_path / "sites")
    sites = write_sites(tmp_path)
    changed = next(r for r in REPORTS if r["host"] == "kjj.yueyang.test" and not r.get("attachments"))
    gone = next(r for r in REPORTS if r["host"] == "www.hanshou.test")
    with SiteServer(sites_dir) as server:
        assert crawl(server, sites, tmp_path / "data").returncode == 0
        first = len(server.log)
    page = sites_dir / changed["url"].split("://", 1)[1]
    page.write_bytes(page.read_bytes().replace("政府信息公开".encode(), "政府信息公开（更正版）".encode(), 1))
    (sites_dir / gone["url"].split("://", 1)[1]).unlink()
    with SiteServer(sites_dir) as server:
        second = crawl(server, sites, tmp_path / "data")
        log = server.log
    assert second.returncode == 0, second.stderr[-2000:]
    # every page was asked again, conditionally: only the changed one came back with a body; the
    # CMS list APIs carry no validators, and a blocked page is blocked again
    bodies = {f"http://{h.host}{h.path}" for h in log if h.status == 200 and h.path != "/robots.txt"}
    blocked = {u for u, why in UNFETCHABLE.items() if why in ("challenge", "forbidden", "shell")}
    assert changed["url"] in bodies
    assert {u for u in bodies - {changed["url"]} - blocked if "/gkmlpt/api/" not in u and "dataproxy" not in u} == set()
    assert len([h for h in log if h.status == 304]) > 0.6 * first
    db = archive(tmp_path / "data")
    new_documents = {r["url"] for r in db.query("select url from documents where run_id = 2")}
    assert new_documents == {changed["url"]}
    versions = list(db.query("select sha256, run_id from documents where url = ? order by id", [changed["url"]]))
    assert len(versions) == 2 and versions[0]["sha256"] != versions[1]["sha256"]
    kinds = {(c["url"], c["kind"]) for c in db.query("select url, kind from changes")}
    assert kinds == {(changed["url"], "replaced"), (gone["url"], "gone")}


def test_a_page_that_changes_back_is_archived_each_time(tmp_path):
    """A report page edited and then restored (A, B, A again): the third crawl archives A again
    as a revisit of its first capture, and A is the page's current version."""
    sites_dir = copy_sites(tmp_path / "sites")
    sites = write_sites(tmp_path)
    report = next(r for r in REPORTS if r["host"] == "kjj.yueyang.test" and not r.get("attachments"))
    page = sites_dir / report["url"].split("://", 1)[1]
    original = page.read_bytes()
    for body in (original, original.replace("政府信息公开".encode(), "政府信息公开（更正版）".encode(), 1), original):
        page.write_bytes(body)
        with SiteServer(sites_dir) as server:
            result = crawl(server, sites, tmp_path / "data")
        assert result.returncode == 0, result.stderr[-2000:]
    db = archive(tmp_path / "data")
    versions = [r["sha256"] for r in db.query("select sha256 from documents where url = ? order by id", [report["url"]])]
    assert len(versions) == 3 and versions[0] == versions[2] != versions[1]
    assert [c["kind"] for c in db.query("select kind from changes where url = ?", [report["url"]])] == ["replaced"] * 2
    assert not list(db.query("select url from fetch_failures where url = ?", [report["url"]]))


def test_retry_failed_fetches_what_failed(tmp_path):
    sites_dir = copy_sites(tmp_path / "sites")
    sites = write_sites(tmp_path)
    broken = next(f["url"] for f in EXPECTED["failing"] if f["behaviour"] == "500_always")
    with SiteServer(sites_dir) as server:
        assert crawl(server, sites, tmp_path / "data").returncode == 0
    config = sites_dir / "kjj.yueyang.test" / "_site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"/zwgk/ndbg/broken.html"', '"/nothing.html"'),
                      encoding="utf-8")
    path = sites_dir / broken.split("://", 1)[1]
    path.write_bytes((sites_dir / REPORTS[0]["url"].split("://", 1)[1]).read_bytes())
    with SiteServer(sites_dir) as server:
        result = crawl(server, sites, tmp_path / "data", "--retry-failed")
    assert result.returncode == 0, result.stderr[-2000:]
    db = archive(tmp_path / "data")
    assert next(db.query("select resolved_at from fetch_failures where url = ?", [broken]))["resolved_at"]
    assert list(db.query("select id from documents where url = ? and status = 200", [broken]))


def test_wayback_fetches_reports_the_site_lost(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "linxiang-sw"\nstart_urls = ["http://www.lost.test/xxgk/ndbg/"]\n')
    with SiteServer(SITES, generated={"web.archive.test": WaybackStandIn()}) as server:
        result = crawl(server, sites, tmp_path / "data", "--wayback",
                       settings={"WAYBACK_CDX_URL": "http://web.archive.test/cdx/search/cdx",
                                 "WAYBACK_REPLAY_URL": "http://web.archive.test/web"})
    assert result.returncode == 0, result.stderr[-2000:]
    db = archive(tmp_path / "data")
    rows = list(db.query("select d.url, d.final_url, d.source, d.capture_time, d.original_url, r.year "
                         "from documents d join reports r on r.document_id = d.id order by r.year"))
    assert [(r["year"], r["source"]) for r in rows] == [(2013, "wayback"), (2014, "wayback")]
    assert rows[0]["url"] == rows[0]["original_url"] == "http://www.lost.test/xxgk/ndbg/201403/t20140312_52.html"
    assert rows[0]["final_url"] == f"http://web.archive.test/web/20140312080000id_/{rows[0]['url']}"
    assert rows[0]["capture_time"] == "2014-03-12T08:00:00Z"
    missing = next(db.query("select classification from fetch_failures where url like '%t20120320_31.html'"))
    assert missing["classification"] == "not_archived"
    gone = next(db.query("select http_status from fetch_failures where url = 'http://www.lost.test/xxgk/ndbg/'"))
    assert gone["http_status"] == 404


def test_too_large_response_recorded(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "shaoguan-rsj"\nstart_urls = ["http://www.shaoguan.test/gkmlpt/index"]\n')
    with SiteServer(SITES) as server:
        result = crawl(server, sites, tmp_path / "data", settings={"DOWNLOAD_MAXSIZE": "4500"})
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(archive(tmp_path / "data").query("select classification, reason from fetch_failures "
                                                 "where classification = 'too_large'"))
    assert rows and "DOWNLOAD_MAXSIZE" in rows[0]["reason"]


def test_bad_sites_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[site]]\nname = "x"\nstart_urls = ["ftp://example.test/"]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "xxgk", "crawl", "--sites", str(bad), "--data", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 2 and "not an http(s) URL" in result.stderr


def test_scrapy_crawl_works_from_the_repository_root(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n')
    with SiteServer(SITES) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={sites}",
                                 "-a", f"data={tmp_path / 'data'}", *[f"-s{k}={v}" for k, v in FAST.items()]],
                                cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    db = archive(tmp_path / "data")
    hanshou = [r for r in REPORTS if r["host"] == "www.hanshou.test"]
    assert next(db.query("select count(*) n from documents where kind = 'report'"))["n"] == len(hanshou)
    assert next(db.query("select status from crawl_runs"))["status"] == "finished"


def test_a_host_that_keeps_blocking_is_left_alone(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n')
    with SiteServer(SITES) as server:
        # one request at a time, so that nothing is already on its way when the host is given up
        result = crawl(server, sites, tmp_path / "data", settings={"XXGK_BLOCKS_BEFORE_GIVING_UP": "1",
                                                                   "CONCURRENT_REQUESTS": "1"})
        log = list(server.log)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(archive(tmp_path / "data").query("select classification, url from fetch_failures"))
    refused = [r["url"] for r in rows if r["classification"] == "blocked_host"]
    assert refused, rows
    # refused without being asked: the host never saw these requests
    assert all(not _hits(log, url) for url in refused)


def test_years_limit_the_reports_fetched(crawled, tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "shaoguan-rsj"\nstart_urls = ["http://www.shaoguan.test/gkmlpt/index"]\n')
    with SiteServer(SITES) as server:
        result = crawl(server, sites, tmp_path / "data", "--years", "2013-2015")
    assert result.returncode == 0, result.stderr[-2000:]
    years = sorted(r["year"] for r in archive(tmp_path / "data").query(
        "select year from documents where kind = 'report'"))
    assert years == [2013, 2014, 2015]


def test_user_agent_names_xxgk_and_the_contact(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n')
    with SiteServer(SITES) as server:
        crawl(server, sites, tmp_path / "data", "--contact", "mailto:research@example.test")
        agents = {h.headers.get("User-Agent") for h in server.log}
    assert agents and all("xxgk" in a and "mailto:research@example.test" in a for a in agents)


def test_timeout_recorded(tmp_path):
    sites_dir = copy_sites(tmp_path / "sites")
    config = sites_dir / "www.hanshou.test" / "_site.toml"
    slow = next(r["url"] for r in REPORTS if r["host"] == "www.hanshou.test")
    config.write_text(config.read_text(encoding="utf-8") + f'\n[[faults]]\npath = "{slow.split(".test", 1)[1]}"\n'
                      "delay = 3\n", encoding="utf-8")
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n')
    with SiteServer(sites_dir) as server:
        result = crawl(server, sites, tmp_path / "data", settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    row = next(archive(tmp_path / "data").query("select classification, attempts from fetch_failures where url = ?",
                                                [slow]))
    assert row["classification"] == "timeout" and row["attempts"] == 2


def test_killed_crawl_leaves_a_readable_archive_and_resumes(tmp_path):
    sites = write_sites(tmp_path)
    data = tmp_path / "data"
    with SiteServer(SITES) as server:
        server.hold(after=25)                            # 25 answers, then the site keeps it waiting
        child = start_crawl(server, sites, data, settings={"DOWNLOAD_DELAY": "0.05", "XXGK_COMMIT_EVERY_ITEMS": "5"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not server.held():
            assert child.poll() is None, "the crawl ended before the site held it"
            time.sleep(0.02)
        child.kill()                                     # SIGKILL: no chance to clean up
        child.wait()
        server.drop()
        server.release()
        assert len(server.log) == 25
        db = archive(data)
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        kept = next(db.query("select count(*) n from documents"))["n"]
        db.close()
        result = crawl(server, sites, data, "--resume")
    assert result.returncode == 0, result.stderr[-2000:]
    db = archive(data)
    assert {r["final_url"] for r in db.query("select final_url from documents where kind = 'report'")} == \
        {r["url"] for r in REPORTS}
    assert next(db.query("select count(*) n from documents"))["n"] >= kept
    for path in (data / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            assert sum(1 for _ in ArchiveIterator(fh)) > 0


def test_a_crawl_that_reaches_no_site_says_which_and_why_and_fails(tmp_path):
    """Every request refused (the proxy every request goes through is a port that listens to
    nothing): the run ends, names the site and the refusal, suggests no archive to browse, and
    exits 3."""
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n')
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = types.SimpleNamespace(proxy=f"http://127.0.0.1:{closed.getsockname()[1]}")
        result = crawl(nowhere, sites, tmp_path / "data")
    assert result.returncode == 3, result.stderr[-2000:]
    out = result.stdout
    assert "crawl run 1: finished, but nothing could be fetched" in out
    assert "unreachable        1 site, nothing fetched from them:" in out
    assert "    hanshou: http://www.hanshou.test/: connection: " in out and "Connection was refused" in out
    assert "browse it" not in out and "serve" not in out


def test_a_crawl_that_reaches_some_sites_names_the_others_and_succeeds(tmp_path):
    """One site served, one the server does not know (502, so its robots.txt cannot be read):
    exit 0, the unreachable site named with its reason, and the browse command, for a data
    folder with a space in its name, runs as printed."""
    sites = write_sites(tmp_path, '[[site]]\nname = "hanshou"\nstart_urls = ["http://www.hanshou.test/"]\n'
                                  '[[site]]\nname = "gone"\nstart_urls = ["http://www.gone.test/xxgk/"]\n')
    data = tmp_path / "my data"
    with SiteServer(SITES) as server:
        result = crawl(server, sites, data)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "crawl run 1: finished\n" in out
    assert "unreachable        1 site, nothing fetched from them:" in out
    assert "    gone: http://www.gone.test/xxgk/: robots_unavailable: robots.txt unavailable (HTTP 502)" in out
    assert "hanshou:" not in out
    browse = next(line for line in out.splitlines() if line.startswith("browse it: ")).removeprefix("browse it: ")
    command = browse.split("   (")[0]
    assert shlex.split(command)[-2:] == ["--data", str(data)]
    printed = subprocess.run(command + " --help", shell=True, capture_output=True, text=True, timeout=300)
    assert printed.returncode == 0 and "Usage:" in printed.stdout


class AskingToWait:
    """www.slow.test answers 429 with Retry-After: 3600 until `ready`; www.fine.test is a page
    linking a report that is gone (404), until `relinked`."""

    def __init__(self):
        self.ready = self.relinked = False

    def slow(self, path: str) -> Answer:
        if not self.ready:
            return Answer(429, b"slow down", {"Retry-After": "3600", "Content-Type": "text/plain"})
        return _page(f"<h1>某县{path[3]}局2019年政府信息公开工作年度报告</h1>")

    def fine(self, path: str) -> Answer:
        if path == "/r/gone.html":
            return Answer(404, b"gone", {"Content-Type": "text/plain"})
        link = "" if self.relinked else '<a href="/r/gone.html">某县2019年政府信息公开工作年度报告</a>'
        return _page(f"<p>首页</p>{link}")


def _page(body: str) -> Answer:
    return Answer(200, f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode(),
                  {"Content-Type": "text/html; charset=utf-8"})


def test_a_host_asking_for_an_hour_is_left_for_retry_failed_which_skips_permanent_failures(tmp_path):
    """The first answer of www.slow.test asks for an hour: none of its other requests is sent in
    this run (its site's delay of 30 s keeps them queued meanwhile, whatever the machine's speed),
    each is recorded with the wait asked for, and the other site is crawled. --retry-failed then
    asks for them, but not for the 404."""
    slow = ", ".join(f'"http://www.slow.test/r/{n}.html"' for n in (1, 2, 3))
    fine = '[[site]]\nname = "fine"\nstart_urls = ["http://www.fine.test/"]\n'
    site = AskingToWait()
    with SiteServer(generated={"www.slow.test": site.slow, "www.fine.test": site.fine}) as server:
        sites = write_sites(tmp_path, f'[[site]]\nname = "slow"\nstart_urls = [{slow}]\ndelay = 30\n' + fine)
        first = crawl(server, sites, tmp_path / "data", settings={"ROBOTSTXT_OBEY": "False", "RETRY_TIMES": "1"})
        assert first.returncode == 0, first.stderr[-2000:]
        assert len(server.hits("www.slow.test")) == 1
        assert {h.path for h in server.hits("www.fine.test")} == {"/", "/r/gone.html"}
        db = archive(tmp_path / "data")
        waiting = list(db.query("select classification, reason from fetch_failures where site = 'slow'"))
        assert len(waiting) == 3 and {w["classification"] for w in waiting} == {"retry_after"}
        assert all("Retry-After 3600 s" in w["reason"] for w in waiting)
        assert "3 retry_after" in first.stdout

        site.ready = site.relinked = True
        sites = write_sites(tmp_path, f'[[site]]\nname = "slow"\nstart_urls = [{slow}]\n' + fine)
        server.log.clear()
        second = crawl(server, sites, tmp_path / "data", "--retry-failed", settings={"ROBOTSTXT_OBEY": "False"})
        assert second.returncode == 0, second.stderr[-2000:]
        assert {h.path for h in server.hits("www.slow.test")} == {"/r/1.html", "/r/2.html", "/r/3.html"}
        assert not server.hits("www.fine.test", "/r/gone.html")
    assert "retried            3 earlier failures asked again; 1 skipped as permanent (1 HTTP 404)" in second.stdout
    db = archive(tmp_path / "data")
    assert not list(db.query("select * from fetch_failures where site = 'slow' and resolved_at is null"))
