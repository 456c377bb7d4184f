"""`xxgk serve`: datasette on the fixture archive, started on a free port on 127.0.0.1 and asked
over HTTP for canned queries, Chinese full-text search, facets and metadata; it must not write."""

import html
import json
import os
import re
import shutil
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive.store import DB_NAME, open_database
from extract.formats.tesseract import LOW_CONFIDENCE, tessdata
from tests.conftest import EXAMPLES, rows, start_serving, xxgk
from tests.scans import long_jpg, scanned
from tests.table_reports import REPORT_2020


def get(served, path: str, **params) -> tuple[int, dict | list]:
    url = served["base"] + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_metric_by_agency_and_year(served):
    status, data = get(served, "/xxgk/metric_by_agency_year.json", metric="requests.received", _shape="array")
    assert status == 200
    kjj = [(r["year"], r["value"], r["agency"]) for r in data if r["agency_key"] == "430600:科学技术"]
    assert kjj == [(2014, 3, "岳阳市科学技术局"), (2015, 4, "岳阳市科学技术局"), (2017, 6, "岳阳市科学技术局")]
    expected = rows(served["db"], "select count(*) n from comparison where metric = 'requests.received' "
                                  "and category is null")[0]["n"]
    assert len(data) == expected > 20


def test_agencies_whose_reports_fail_a_check(served):
    status, data = get(served, "/xxgk/failed_checks.json", _shape="array")
    assert status == 200
    expected = rows(served["db"], "select count(*) n from checks where status = 'fail'")[0]["n"]
    assert len(data) == expected
    kjj = [r for r in data if r["agency_key"] == "430600:科学技术"]
    assert [(r["year"], r["difference"]) for r in kjj] == [(2015, 11)]
    assert kjj[0]["url"].endswith("yueyang-kjj-2015.txt")


def test_request_outcomes_as_shares(served):
    status, data = get(served, "/xxgk/request_outcome_shares.json", _shape="array")
    assert status == 200
    env = {r["year"]: r for r in data if r["agency_key"] == "430600:生态环境"}
    # 2016: 14 granted, 3 partly, 2 denied, 2 unable of 21 handled
    assert env[2016]["handled"] == 21
    assert (env[2016]["granted_pct"], env[2016]["partially_granted_pct"], env[2016]["denied_pct"],
            env[2016]["unable_pct"]) == (66.7, 14.3, 9.5, 9.5)
    assert env[2016]["not_processed_pct"] is None


def test_reports_missing_an_expected_metric(served):
    status, data = get(served, "/xxgk/missing_metric.json", metric="web.visits", _shape="array")
    assert status == 200
    expected = {r["id"] for r in served["db"].query(
        "select id from reports r where is_current = 1 and not exists "
        "(select 1 from figures f where f.report_id = r.id and f.metric = 'web.visits')")}
    assert {r["report_id"] for r in data} == expected
    assert not any(r["agency_key"] == "430600:科学技术" for r in data)


@pytest.mark.parametrize("term", ["复议", "诉讼", "收费", "依申请公开", "岳阳市生态环境局"])
def test_chinese_full_text_search_finds_exactly_the_reports_that_say_it(served, term):
    status, data = get(served, "/xxgk/reports.json", _search=term, _shape="array", _col="id", _size="max")
    assert status == 200
    expected = {r["id"] for r in served["db"].query("select id, text, title, agency from report_search")
                if term in (r["text"] or "") + (r["title"] or "") + (r["agency"] or "")}
    assert expected and {r["id"] for r in data} == expected


def test_two_character_search_in_sections_and_a_term_no_report_uses(served):
    status, data = get(served, "/xxgk/section_texts.json", _search="复议", _shape="array", _size="max")
    assert status == 200
    assert data and all("复议" in r["body"] or "复议" in r["title"] for r in data)
    expected = sum(1 for r in served["db"].query("select body, title from section_texts")
                   if "复议" in r["body"] + r["title"])
    assert len(data) == expected
    status, data = get(served, "/xxgk/reports.json", _search="量子计算", _shape="array")
    assert status == 200 and data == []


def test_facets_and_descriptions(served):
    status, data = get(served, "/xxgk/reports.json", _size="1")
    assert status == 200
    assert {"province", "year", "era"} <= set(data["facet_results"])
    years = {f["value"]: f["count"] for f in data["facet_results"]["year"]["results"]}
    assert years[2014] == rows(served["db"], "select count(*) n from reports where year = 2014")[0]["n"]
    status, meta = get(served, "/-/metadata.json")
    tables = meta["databases"]["xxgk"]["tables"]
    assert tables["figures"]["columns"]["qualifier"].startswith("exact 确数")
    assert tables["reports"]["fts_table"] == "reports_fts"
    assert "年度报告" in tables["reports"]["title"]


def test_the_archive_cannot_be_written_through_datasette(served):
    before = rows(served["db"], "select count(*) n from reports")[0]["n"]
    for sql in ("delete from reports", "update reports set year = 1900", "drop table figures",
                "insert into metrics (key, name_zh, name_en) values ('x', 'x', 'x')"):
        status, data = get(served, "/xxgk.json", sql=sql)
        assert status == 400 and data.get("ok") is False, sql
    assert rows(served["db"], "select count(*) n from reports")[0]["n"] == before
    assert rows(served["db"], "select count(*) n from reports where year = 1900")[0]["n"] == 0


def request(served, path: str, *, method: str = "GET", **params) -> tuple[int, dict, str]:
    """An HTTP request that follows no redirect: status, headers and body."""
    url = served["base"] + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, method=method, data=b"" if method == "POST" else None),
                         timeout=120) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_archive_is_served_immutable(served, built):
    status, databases = get(served, "/-/databases.json")
    assert status == 200 and [d["is_mutable"] for d in databases] == [False]
    get(served, "/xxgk/reports.json", _search="复议")
    pid = served["process"].pid
    opened = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")
              if os.path.exists(f"/proc/{pid}/fd/{fd}")]
    archive = str(built["data"] / DB_NAME)
    assert archive in opened
    assert not [f for f in opened if f in (archive + "-wal", archive + "-shm")]   # no write-ahead log, no locks


@pytest.mark.parametrize("path", ["/xxgk/metric_by_agency_year?metric=requests.received", "/xxgk.json?sql=select+1",
                                  "/xxgk/reports", "/-/dashboards/overview"])
def test_a_request_that_would_write_gets_a_clean_405(served, path):
    status, headers, body = request(served, path, method="POST")
    assert status == 405 and json.loads(body)["ok"] is False
    assert headers["allow"] == "GET, HEAD"


def test_report_search_honours_search(served):
    status, data = get(served, "/xxgk/report_search.json", _search="量子计算", _shape="array")
    assert status == 200 and data == []
    status, data = get(served, "/xxgk/report_search.json", _search="复议", _shape="array", _col="id", _size="max")
    expected = {r["id"] for r in served["db"].query("select id, text from report_search") if "复议" in r["text"]}
    assert status == 200 and expected and {r["id"] for r in data} == expected


def test_section_search_hits_show_agency_year_heading_links_and_the_words_marked(served):
    status, data = get(served, "/xxgk/section_texts.json", _search="复议", _shape="array", _size="max")
    assert status == 200 and data
    truth = {r["id"]: r for r in served["db"].query(
        "select s.id, r.agency, r.year, s.title, r.url, s.report_id from sections s "
        "join reports r on r.id = s.report_id")}
    for hit in data:
        assert {k: hit[k] for k in ("agency", "year", "title", "url", "report_id")} == \
            {k: truth[hit["id"]][k] for k in ("agency", "year", "title", "url", "report_id")}
    status, _, page = request(served, "/xxgk/section_texts", _search="复议")
    assert status == 200
    assert page.count("<mark>复议</mark>") >= len(data)
    for hit in data:
        assert f'href="/xxgk/reports/{hit["report_id"]}"' in page
    assert "<mark>复议</mark>" not in request(served, "/xxgk/section_texts")[2]      # marked only when searched


def test_metric_by_agency_year_takes_a_metric_with_its_category(served):
    category = next(served["db"].query("select category from figures where metric = 'requests.by_channel' "
                                       "and category is not null group by category order by count(*) desc"))["category"]
    status, data = get(served, "/xxgk/metric_by_agency_year.json", metric=f"requests.by_channel:{category}",
                       _shape="array")
    expected = rows(served["db"], "select count(*) n from comparison where metric = 'requests.by_channel' "
                                  "and category = ?", [category])[0]["n"]
    assert status == 200 and len(data) == expected > 0
    status, data = get(served, "/xxgk/metric_by_agency_year.json", metric="requests.by_channel", _shape="array")
    plain = rows(served["db"], "select count(*) n from comparison where metric = 'requests.by_channel' "
                               "and category is null")[0]["n"]
    assert status == 200 and len(data) == plain


def test_the_reports_table_opens_with_a_researchers_columns(served):
    from archive.serve import REPORT_COLUMNS

    status, headers, _ = request(served, "/xxgk/reports", _facet="year")
    assert status == 302
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(headers["location"]).query)
    assert tuple(query["_col"]) == REPORT_COLUMNS and query["_facet"] == ["year"]
    assert REPORT_COLUMNS[:4] == ("agency", "year", "title", "era")
    status, data = get(served, "/xxgk/reports.json", _col=list(REPORT_COLUMNS), _size="1")
    assert status == 200 and data["columns"] == ["id", *REPORT_COLUMNS]
    assert not {"document_id", "agency_key", "is_current", "extractor_version"} & set(data["columns"])


def test_the_report_list_counts_each_reports_figures_and_checks(served):
    status, data = get(served, "/xxgk/report_list.json", _shape="array", _size="max")
    assert status == 200 and [k for k in data[0]][:8] == ["id", "agency", "year", "title", "era", "figures",
                                                          "checks", "url"]
    figures = {r["report_id"]: r["n"] for r in served["db"].query(
        "select report_id, count(*) n from figures group by report_id")}
    failing = {r["report_id"] for r in served["db"].query("select report_id from checks where status = 'fail'")}
    assert len(data) == rows(served["db"], "select count(*) n from reports")[0]["n"]
    for report in data:
        assert report["figures"] == figures.get(report["id"], 0)
        assert ("fail" in (report["checks"] or "")) == (report["id"] in failing)
    status, _, page = request(served, "/xxgk/report_list")
    assert f'href="/xxgk/reports/{data[0]["id"]}"' in page


def test_the_home_page_links_the_reports_and_the_dashboard(served):
    status, _, page = request(served, "/")
    assert status == 200
    for link in ('href="/xxgk/report_list"', 'href="/xxgk/reports"', 'href="/-/dashboards/overview"',
                 'href="/xxgk/metric_by_agency_year"'):
        assert link in page


def test_serve_says_where_the_archive_is(served):
    served["log"].seek(0)
    assert f"the archive: {served['base']}/ " in served["log"].read()       # the home page, not the raw database


def peak_memory(pid: int) -> int:
    """The process's peak resident memory, in bytes."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))


def test_one_sql_call_cannot_build_a_gigabyte(served):
    pid = served["process"].pid
    before = peak_memory(pid)
    status, data = get(served, "/xxgk.json", sql="select length(printf('%.*c', 1000000000, 'x')) as n",
                       _shape="objects")
    assert status == 200 and data["rows"] == [{"n": None}]      # refused at once, as SQLite refuses at its cap
    status, data = get(served, "/xxgk.json", sql="select printf('%d 件 %.1f%%', 13, 66.66) as a, "
                                                 "format('%*d|', 4, 7) as b, printf('%.*c', 3, 'x') as c",
                       _shape="objects")
    assert status == 200 and data["rows"] == [{"a": "13 件 66.7%", "b": "   7|", "c": "xxx"}]   # printf still works
    status, data = get(served, "/xxgk.json", sql="select length(replace(hex(zeroblob(100000000)), '0', 'xx')) as n")
    assert status == 400 and "too big" in data["error"]
    assert peak_memory(pid) - before < 400 * 2**20          # a gigabyte before the cap


def test_fts3_tokenizer_is_refused(served):
    status, data = get(served, "/xxgk.json", sql="select fts3_tokenizer('simple') as pointer")
    assert status == 400 and "not authorized to use function: fts3_tokenizer" in data["error"]
    status, data = get(served, "/xxgk.json", sql="select count(*) as n from reports_fts where reports_fts match '复议'")
    assert status == 200 and data["rows"][0][0] > 0          # the search tables still work


@pytest.mark.parametrize("path", ["/xxgk/metric_by_agency_year?metric=requests.received", "/xxgk/failed_checks",
                                  "/xxgk/comparison?metric=web.visits"])
def test_report_ids_in_queries_and_views_link_to_their_reports(served, path):
    status, _, page = request(served, path)
    linked = set(re.findall(r'href="/xxgk/reports/(\d+)"', page))
    assert status == 200 and linked
    ids = {r["id"] for r in served["db"].query("select id from reports")}
    assert {int(i) for i in linked} <= ids


def test_serve_on_a_port_in_use_says_so_before_announcing_anything(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = xxgk("serve", "--data", built["data"], "--port", port, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: port {port} on 127.0.0.1 is in use (Address already in use): serve on another with --port N, "
        "or --port 0 for a free one"]


def test_serve_refuses_an_archive_being_written(built, tmp_path):
    from archive.store import Archive

    shutil.copytree(built["data"], tmp_path / "data")
    holder = Archive(tmp_path / "data")              # a crawl or ingest writing to it
    try:
        result = xxgk("serve", "--data", tmp_path / "data", "--port", "0", timeout=120)
    finally:
        holder.close()
    assert result.returncode == 1 and "another xxgk process is writing to" in result.stderr
    assert "Traceback" not in result.stderr


def test_reports_with_no_agency_or_no_region_are_listed_with_why(served):
    status, data = get(served, "/xxgk/unplaced_reports.json", _shape="array", _size="max")
    assert status == 200
    expected = {r["id"] for r in served["db"].query(
        "select id from reports where is_current = 1 and (agency is null or region_code is null)")}
    assert {r["report_id"] for r in data} == expected and expected
    for row in data:
        said = json.loads(row["warnings"])
        assert any(w.startswith(("no agency found", "no region found")) for w in said), row


def test_table_era_reports_whose_tables_were_not_read_are_listed(served):
    status, data = get(served, "/xxgk/table_era_without_tables.json", _shape="array")
    assert status == 200
    expected = {r["id"]: r["missing_tables"] for r in served["db"].query(
        "select id, missing_tables from reports where era != 'free_text' and missing_tables is not null")}
    assert {r["report_id"]: r["missing_tables"] for r in data} == expected
    assert len(expected) >= 5                   # golden cases whose tables were images or left out
    for row in data:
        for table in row["missing_tables"].split(","):
            assert table in ("table2", "table3", "table4")
            assert {"table2": "表二", "table3": "表三", "table4": "表四"}[table] in row["warnings"]
    full = rows(served["db"], "select count(*) n from reports where era != 'free_text' and missing_tables is null "
                              "and exists (select 1 from request_cells c where c.report_id = reports.id)")[0]["n"]
    assert full > 0                             # reports whose tables were read are not listed


def test_nothing_writes_to_a_served_archive_and_a_server_killed_blocks_nobody(built, tmp_path):
    """Datasette serves the archive immutable (no locks, counts cached): a writer while it is
    served would show stale counts and then `database disk image is malformed`. Writers are
    refused, naming the server; once the server is gone, even killed, they go ahead."""
    shutil.copytree(built["data"], tmp_path / "data")
    data, report = tmp_path / "data", EXAMPLES / "changde-wsj-2011.txt"    # archived already, from another path
    reports = rows(open_database(data / DB_NAME), "select count(*) n from reports")[0]["n"]
    with open(tmp_path / "serve.log", "w+") as log:
        process, base = start_serving(data, log)
        try:
            for command in (("ingest", report), ("reextract",)):
                result = xxgk(*command, "--data", data, timeout=300)
                assert result.returncode == 1, result.stdout
                assert f"is being served by pid {process.pid} at {base}/; stop it first" in result.stderr
                assert "Traceback" not in result.stderr
            status, page = get({"base": base}, "/xxgk/reports.json", _size="1")
            assert status == 200 and page["filtered_table_rows_count"] == reports
        finally:
            process.kill()              # no clean exit: the lock goes with the process all the same
            process.wait(timeout=60)
    result = xxgk("ingest", report, "--data", data, timeout=300)
    assert result.returncode == 0 and "1 new" in result.stdout, result.stderr
    assert rows(open_database(data / DB_NAME), "select count(*) n from reports")[0]["n"] == reports + 1


def test_the_home_page_lists_the_researchers_views_before_the_tables(served):
    status, _, page = request(served, "/")
    assert status == 200
    card = page[page.index("<h2"):]                   # the archive's card, after the instance's description
    links = re.findall(r'href="([^"]+)"', card)
    views = ["/xxgk/report_list", "/xxgk/comparison", "/-/dashboards/overview", "/xxgk/failed_checks"]
    assert [links.index(v) for v in views] == sorted(links.index(v) for v in views)
    internal = [links.index(f"/xxgk/{t}") for t in ("documents", "figures", "fetch_failures") if f"/xxgk/{t}" in links]
    assert internal and max(links.index(v) for v in views) < min(internal)


@pytest.mark.parametrize("path, metric, says", [
    ("/xxgk/metric_by_agency_year", "requests.recieved",
     "unknown metric 'requests.recieved': did you mean requests.received"),
    ("/xxgk/missing_metric", "web.vists", "unknown metric 'web.vists': did you mean web.visits"),
    ("/xxgk/metric_by_agency_year", "requests.by_channel:网上申请",
     "unknown category '网上申请' of requests.by_channel: did you mean 网上"),
])
def test_a_misspelt_metric_or_category_is_named_with_the_nearest_known(served, path, metric, says):
    status, _, page = request(served, path, metric=metric)
    assert status == 200
    errors = re.findall(r'<p class="message-error">(.*?)</p>', page, re.S)
    assert [html.unescape(e).strip() for e in errors if says in html.unescape(e)], errors
    status, _, page = request(served, path, metric="requests.by_channel:网上")
    assert status == 200 and "message-error" not in page
    status, data = get(served, path + ".json", metric=metric)
    assert status == 400 and data["ok"] is False and says in data["error"]
    status, data = get(served, path + ".json", metric="requests.by_channel:网上", _shape="array")
    assert status == 200 and isinstance(data, list)


def test_missing_metric_takes_a_category(served):
    status, data = get(served, "/xxgk/missing_metric.json", metric="requests.by_channel:网上", _shape="array",
                       _size="max")
    expected = {r["id"] for r in served["db"].query(
        "select id from reports r where is_current = 1 and not exists (select 1 from figures f "
        "where f.report_id = r.id and f.metric = 'requests.by_channel' and f.category = '网上')")}
    assert status == 200 and {r["report_id"] for r in data} == expected
    assert len(expected) < rows(served["db"], "select count(*) n from reports where is_current = 1")[0]["n"]


def test_the_report_list_is_sorted_by_agency_and_year(served):
    status, data = get(served, "/xxgk/report_list.json", _shape="array", _size="max")
    assert status == 200 and len(data) > 20
    assert [(r["agency"], r["year"]) for r in data] == sorted((r["agency"], r["year"]) for r in data)


@pytest.mark.parametrize("path", ["/xxgk.json", "/xxgk"])
def test_a_query_past_the_time_limit_says_so_in_words(served, path):
    from archive.datasette_plugin import time_limit_message
    from archive.serve import SQL_TIME_LIMIT_MS

    endless = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    status, _, body = request(served, path, sql=endless)
    said = json.loads(body)["error"] if path.endswith(".json") else html.unescape(body)
    assert status == 400 and time_limit_message(SQL_TIME_LIMIT_MS / 1000) in said


SECTION_SEARCH = "select rowid from sections_fts where sections_fts match '\"复议\"'"


@pytest.mark.parametrize("sql, params, table, index", [
    # the report list's facets
    ("select era, count(*) from report_list group by era", {}, "r", "idx_reports_era"),
    ("select province, count(*) from report_list group by province", {}, "r", "idx_reports_province"),
    # a section search's count and facets: each hit's text is known to exist from a small index
    (f"select kind, count(*) from section_texts where id in ({SECTION_SEARCH}) group by kind", {}, "t",
     "idx_report_texts_report_id"),
    # one metric by agency and year: its figures from the metric's index entries, not every figure
    (None, {"metric": "requests.received"}, "f", "idx_figures_metric_category_is_first_report_id_value_qualifier_unit"),
])
def test_the_researchers_views_read_indexes(served, sql, params, table, index):
    from archive.serve import QUERIES

    sql = sql or QUERIES["metric_by_agency_year"]["sql"]
    status, data = get(served, "/xxgk.json", sql="explain query plan " + sql, _shape="array", **params)
    assert status == 200
    plan = [step["detail"] for step in data]
    assert any(step.startswith(f"SEARCH {table} USING COVERING INDEX {index}") or
               step.startswith(f"SCAN {table} USING COVERING INDEX {index}") for step in plan), plan
    assert f"SCAN {table}" not in plan                       # never every row of the table


@pytest.fixture(scope="module")
def scans_served(built, tmp_path_factory):
    """A copy of the built archive with two scans of the 2020 report's first page ingested (a
    clean 150 dpi JPG, and one at 100 dpi blurred, salted and saved at JPEG quality 40, which
    OCR reads with many numbers in doubt), served like `served`."""
    if tessdata() is None:
        pytest.skip("Tesseract with chi_sim is not installed (.ci/system-packages installs it)")
    root = tmp_path_factory.mktemp("scans")
    shutil.copytree(built["data"], root / "data")
    clean, poor = root / "clean.jpg", root / "poor.jpg"
    clean.write_bytes(long_jpg(scanned(REPORT_2020, 150)[:1], 150))
    poor.write_bytes(long_jpg(scanned(REPORT_2020, 100, {0: ("blur", "salt")})[:1], 100, quality=40))
    result = xxgk("ingest", clean, poor, "--data", root / "data")
    assert result.returncode == 0 and "2 new" in result.stdout, result.stderr[-2000:]
    log = open(root / "datasette.log", "w+")
    process, base = start_serving(root / "data", log)
    db = open_database(root / "data" / DB_NAME)
    ids = {Path(r["url"]).name: r["id"] for r in db.query("select id, url from reports where url like '%.jpg'")}
    yield {"base": base, "db": db, "clean": ids["clean.jpg"], "poor": ids["poor.jpg"]}
    process.terminate()
    process.wait(timeout=60)
    log.close()


def test_scanned_reports_are_listed_with_their_engine_pages_and_confidence(scans_served):
    status, data = get(scans_served, "/xxgk/scanned_reports.json", _shape="array")
    assert status == 200
    listed = {r["report_id"]: r for r in data}
    assert set(listed) == {scans_served["clean"], scans_served["poor"]}        # no report read from its text
    db = scans_served["db"]
    for report_id, row in listed.items():
        ocr = json.loads(rows(db, "select ocr from reports where id = ?", [report_id])[0]["ocr"])
        assert row["engine"] == ocr["engine"] and row["engine"].startswith("Tesseract 5")
        assert json.loads(row["pages"]) == [1] and row["mean_confidence"] == round(ocr["mean_confidence"][0], 1)
        low = rows(db, "select count(*) n from figures where report_id = ? and confidence < ?",
                   [report_id, LOW_CONFIDENCE])[0]["n"]
        assert row["low_confidence_figures"] == low
    clean, poor = listed[scans_served["clean"]], listed[scans_served["poor"]]
    assert clean["mean_confidence"] > 85 > poor["mean_confidence"]
    assert clean["low_confidence_figures"] == 0 < poor["low_confidence_figures"]
    assert clean["agency"] == "岳阳市生态环境局" and clean["year"] == 2020
    # every figure of the clean scan keeps its OCR confidence; no figure read from text has one
    kept = rows(db, "select count(*) n, count(confidence) c from figures where report_id = ?", [scans_served["clean"]])[0]
    assert kept["c"] == kept["n"] > 10
    assert rows(db, "select count(*) n from figures where confidence is not null and report_id not in (?, ?)",
                [scans_served["clean"], scans_served["poor"]])[0]["n"] == 0


def test_figures_and_cells_read_with_low_confidence_are_listed(scans_served):
    """Every figure and every 表三/表四 cell stored with an OCR confidence below LOW_CONFIDENCE is a
    row of the query (and each such cell is named in its report's warnings too)."""
    status, data = get(scans_served, "/xxgk/low_confidence.json", _shape="array", _size="max")
    assert status == 200
    db = scans_served["db"]
    figures = {(r["report_id"], r["metric"] + (":" + r["category"] if r["category"] else ""), r["value"],
                r["confidence"]) for r in db.query("select * from figures where confidence < ?", [LOW_CONFIDENCE])}
    cells = {(r["report_id"], f"{r['row']} / {r['applicant']}", r["raw"], r["confidence"])
             for r in db.query('select * from request_cells where confidence < ?', [LOW_CONFIDENCE])}
    cells |= {(r["report_id"], f"{r['kind']} / {r['outcome']}", r["raw"], r["confidence"])
              for r in db.query('select * from appeal_cells where confidence < ?', [LOW_CONFIDENCE])}
    assert {(r["report_id"], r["item"], r["read"], r["confidence"]) for r in data if r["kind"] == "figure"} == figures
    assert {(r["report_id"], r["item"], r["read"], r["confidence"]) for r in data if r["kind"] != "figure"} == cells
    assert figures and cells and len(data) == len(figures) + len(cells)
    warned = set()
    for report in db.query("select id, warnings from reports where ocr is not null"):
        for warning in json.loads(report["warnings"]):
            said = re.fullmatch(r"page \d+ table \d+: .+?: '(.*)' read by OCR with confidence (\d+)% \(.*", warning)
            if said:
                warned.add((report["id"], said[1], int(said[2])))
    assert {(report_id, raw, round(confidence)) for report_id, _, raw, confidence in cells} <= warned
    assert {r["report_id"] for r in data} == {scans_served["poor"]}              # the clean scan has none
    assert all(r["confidence"] < LOW_CONFIDENCE for r in data)
    assert [r["confidence"] for r in data] == sorted(r["confidence"] for r in data)   # the most doubtful first
