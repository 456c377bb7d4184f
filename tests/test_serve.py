"""`xxgk serve`: datasette on the fixture archive, started on a free port on 127.0.0.1 and asked
over HTTP for canned queries, Chinese full-text search, facets and metadata; it must not write."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from archive.store import DB_NAME, open_database
from tests.conftest import rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("serve") / "datasette.log", "w+")     # a pipe nobody reads would fill
    process = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--data", str(built["data"]),
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300              # bounds a hang only: it waits for the server to answer
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=30).read()
            break
        except OSError:                              # not listening yet (URLError), or slow to answer
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"xxgk serve did not start: {log.read()[-2000:]}")
            time.sleep(0.2)
    yield {"base": base, "db": open_database(built["data"] / DB_NAME)}
    process.terminate()
    process.wait(timeout=60)
    log.close()


def get(server, path: str, **params) -> tuple[int, dict | list]:
    url = server["base"] + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_metric_by_agency_and_year(server):
    status, data = get(server, "/xxgk/metric_by_agency_year.json", metric="requests.received", _shape="array")
    assert status == 200
    kjj = [(r["year"], r["value"], r["agency"]) for r in data if r["agency_key"] == "430600:科学技术"]
    assert kjj == [(2014, 3, "岳阳市科学技术局"), (2015, 4, "岳阳市科学技术局"), (2017, 6, "岳阳市科学技术局")]
    expected = rows(server["db"], "select count(*) n from comparison where metric = 'requests.received' "
                                  "and category is null")[0]["n"]
    assert len(data) == expected > 20


def test_agencies_whose_reports_fail_a_check(server):
    status, data = get(server, "/xxgk/failed_checks.json", _shape="array")
    assert status == 200
    expected = rows(server["db"], "select count(*) n from checks where status = 'fail'")[0]["n"]
    assert len(data) == expected
    kjj = [r for r in data if r["agency_key"] == "430600:科学技术"]
    assert [(r["year"], r["difference"]) for r in kjj] == [(2015, 11)]
    assert kjj[0]["url"].endswith("yueyang-kjj-2015.txt")


def test_request_outcomes_as_shares(server):
    status, data = get(server, "/xxgk/request_outcome_shares.json", _shape="array")
    assert status == 200
    env = {r["year"]: r for r in data if r["agency_key"] == "430600:生态环境"}
    # 2016: 14 granted, 3 partly, 2 denied, 2 unable of 21 handled
    assert env[2016]["handled"] == 21
    assert (env[2016]["granted_pct"], env[2016]["partially_granted_pct"], env[2016]["denied_pct"],
            env[2016]["unable_pct"]) == (66.7, 14.3, 9.5, 9.5)
    assert env[2016]["not_processed_pct"] is None


def test_reports_missing_an_expected_metric(server):
    status, data = get(server, "/xxgk/missing_metric.json", metric="web.visits", _shape="array")
    assert status == 200
    expected = {r["id"] for r in server["db"].query(
        "select id from reports r where is_current = 1 and not exists "
        "(select 1 from figures f where f.report_id = r.id and f.metric = 'web.visits')")}
    assert {r["report_id"] for r in data} == expected
    assert not any(r["agency_key"] == "430600:科学技术" for r in data)


@pytest.mark.parametrize("term", ["复议", "诉讼", "收费", "依申请公开", "岳阳市生态环境局"])
def test_chinese_full_text_search_finds_exactly_the_reports_that_say_it(server, term):
    status, data = get(server, "/xxgk/reports.json", _search=term, _shape="array", _col="id", _size="max")
    assert status == 200
    expected = {r["id"] for r in server["db"].query("select id, text, title, agency from report_search")
                if term in (r["text"] or "") + (r["title"] or "") + (r["agency"] or "")}
    assert expected and {r["id"] for r in data} == expected


def test_two_character_search_in_sections_and_a_term_no_report_uses(server):
    status, data = get(server, "/xxgk/section_texts.json", _search="复议", _shape="array", _size="max")
    assert status == 200
    assert data and all("复议" in r["body"] or "复议" in r["title"] for r in data)
    expected = sum(1 for r in server["db"].query("select body, title from section_texts")
                   if "复议" in r["body"] + r["title"])
    assert len(data) == expected
    status, data = get(server, "/xxgk/reports.json", _search="量子计算", _shape="array")
    assert status == 200 and data == []


def test_facets_and_descriptions(server):
    status, data = get(server, "/xxgk/reports.json", _size="1")
    assert status == 200
    assert {"province", "year", "era"} <= set(data["facet_results"])
    years = {f["value"]: f["count"] for f in data["facet_results"]["year"]["results"]}
    assert years[2014] == rows(server["db"], "select count(*) n from reports where year = 2014")[0]["n"]
    status, meta = get(server, "/-/metadata.json")
    tables = meta["databases"]["xxgk"]["tables"]
    assert tables["figures"]["columns"]["qualifier"].startswith("exact 确数")
    assert tables["reports"]["fts_table"] == "reports_fts"
    assert "年度报告" in tables["reports"]["title"]


def test_the_archive_cannot_be_written_through_datasette(server):
    before = rows(server["db"], "select count(*) n from reports")[0]["n"]
    for sql in ("delete from reports", "update reports set year = 1900", "drop table figures",
                "insert into metrics (key, name_zh, name_en) values ('x', 'x', 'x')"):
        status, data = get(server, "/xxgk.json", sql=sql)
        assert status == 400 and data.get("ok") is False, sql
    assert rows(server["db"], "select count(*) n from reports")[0]["n"] == before
    assert rows(server["db"], "select count(*) n from reports where year = 1900")[0]["n"] == 0
