"""The archive as a real SQLite file: built with `xxgk ingest` from fixture reports, then checked
for its schema and constraints, idempotent loading, re-extraction from the WARC files alone,
agencies across their names, coverage, and what `stats` says."""

import json
import random
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest
from click.testing import CliRunner

from archive.records import store_report
from archive.store import DB_NAME, Archive, ArchiveBusy, open_database
from extract import extract_file
from extract.record import AppealCell, Contacts, Figure, Region, Report, RequestCell
from tests.conftest import EXAMPLES, REPORTS, fixture_files, rows, xxgk
from xxgk.cli import main

DERIVED = ("reports", "report_texts", "sections", "figures", "checks", "request_cells", "appeal_cells")


@pytest.fixture
def archive_copy(built, tmp_path):
    """A private copy of the built archive, for tests that change it."""
    shutil.copytree(built["data"], tmp_path / "data")
    return tmp_path / "data"


def snapshot(db) -> dict:
    """Every derived row, keyed by content rather than row ids (which a re-extraction renumbers)."""
    ids = {r["id"]: r["document_id"] for r in db.query("select id, document_id from reports")}
    out = {}
    for table in DERIVED:
        found = []
        for row in db.query(f"select * from {table}"):
            row = dict(row)
            row.pop("id", None)
            row.pop("extracted_at", None)
            if "report_id" in row:
                row["document_id"] = ids[row.pop("report_id")]
            found.append(tuple(sorted(row.items(), key=lambda kv: kv[0])))
        out[table] = sorted(found, key=repr)
    return out


def test_ingest_archives_and_extracts_every_fixture(built):
    result = built["result"]
    assert result.returncode == 0, result.stderr[-2000:]
    count = len(fixture_files())
    assert f"ingested {count} files: {count} new, 0 already archived, 0 unreadable" in result.stdout
    assert f"extracted {count} reports" in result.stdout
    db = open_database(built["data"] / DB_NAME)
    assert rows(db, "select count(*) n from reports")[0]["n"] == count
    sources = {r["source"] for r in db.query("select source from documents")}
    assert sources == {"file"}
    kjj = rows(db, "select d.url, d.warc_file, r.agency from documents d join reports r on r.document_id = d.id "
                   "where d.url like '%yueyang-kjj-2014.txt'")
    assert kjj[0]["url"].startswith("file:///") and kjj[0]["agency"] == "岳阳市科技局"
    assert (built["data"] / "warc" / kjj[0]["warc_file"]).exists()


def test_schema_keys_and_constraints(built):
    db = open_database(built["data"] / DB_NAME)
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert db.execute("pragma foreign_key_check").fetchall() == []
    db.execute("insert into reports_fts (reports_fts) values ('integrity-check')")   # raises if the index is off
    assert {fk.other_table for fk in db["figures"].foreign_keys} == {"reports"}
    assert {(fk.column, fk.other_table) for fk in db["reports"].foreign_keys} == {
        ("document_id", "documents"), ("agency_key", "agencies")}
    assert db["agencies"].pks == ["key"]
    figure = rows(db, "select * from figures limit 1")[0]
    with pytest.raises(sqlite3.IntegrityError):           # (report, idx) is unique
        db.execute("insert into figures (report_id, idx, metric, value, qualifier) values (?, ?, 'x', 1, 'exact')",
                   [figure["report_id"], figure["idx"]])
    with pytest.raises(sqlite3.IntegrityError):           # a figure has a value
        db.execute("insert into figures (report_id, idx, metric, value, qualifier) values (?, 999, 'x', null, "
                   "'exact')", [figure["report_id"]])
    with pytest.raises(sqlite3.IntegrityError):           # and belongs to a report that exists
        db.execute("insert into figures (report_id, idx, metric, value, qualifier) values (-1, 0, 'x', 1, 'exact')")
    with pytest.raises(sqlite3.IntegrityError):           # one record per document
        db.execute("insert into reports (document_id, era, is_current, extractor_version, extracted_at) "
                   "select document_id, era, 0, extractor_version, extracted_at from reports limit 1")
    db.conn.rollback()


def test_ingesting_again_changes_nothing(built, archive_copy, tmp_path):
    db = open_database(archive_copy / DB_NAME)
    tables = [t for t in db.table_names() if "_fts" not in t]
    before = {t: rows(db, f"select * from {t} order by 1") for t in tables}
    db.close()
    downloads = built["data"].parent / "downloads"       # the same files at the same paths again
    downloads.mkdir()
    try:
        files = [shutil.copy(p, downloads / p.name) for p in fixture_files()]
        result = xxgk("ingest", *files, "--data", archive_copy)
    finally:
        shutil.rmtree(downloads)
    assert result.returncode == 0, result.stderr
    assert f"0 new, {len(files)} already archived" in result.stdout
    assert "extracted 0 reports" in result.stdout
    db = open_database(archive_copy / DB_NAME)
    for table in tables:
        assert rows(db, f"select * from {table} order by 1") == before[table], table
    # the same bytes at another path are another document, of the same agencies and years
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copies = [shutil.copy(p, elsewhere / p.name) for p in fixture_files()]
    assert f"{len(copies)} new, 0 already archived" in xxgk("ingest", *copies, "--data", archive_copy).stdout
    assert rows(db, "select count(*) n from reports")[0]["n"] == 2 * len(files)
    current = sum(r["is_current"] for r in before["reports"])      # still one current report per agency-year
    assert rows(db, "select count(*) n from reports where is_current = 1")[0]["n"] == current


def test_a_file_that_changes_back_is_archived_each_time(tmp_path):
    """A report file replaced and then restored at the same path (A, B, A): each version is a
    document, and A is current again; an archive made when a URL could hold given bytes once
    loses that index and takes the third version too."""
    data, path = tmp_path / "data", tmp_path / "files" / "report.txt"
    path.parent.mkdir()
    original = (REPORTS / "yueyang-hbj-2016.txt").read_bytes()
    edited = original.replace("政府信息公开".encode(), "政府信息公开（更正版）".encode(), 1)
    for body in (original, edited):
        path.write_bytes(body)
        assert xxgk("ingest", path, "--data", data).returncode == 0
    db = open_database(data / DB_NAME)
    db.execute("drop index idx_documents_url_sha256_fetched_at")        # as an earlier version made it
    db.execute("create unique index idx_documents_url_sha256 on documents (url, sha256)")
    db.conn.commit()
    db.close()
    path.write_bytes(original)
    result = xxgk("ingest", path, "--data", data)
    assert result.returncode == 0 and "1 new, 0 already archived" in result.stdout, result.stdout + result.stderr
    db = open_database(data / DB_NAME)
    versions = [r["sha256"] for r in rows(db, "select sha256 from documents order by id")]
    assert len(versions) == 3 and versions[0] == versions[2] != versions[1]
    assert [r["kind"] for r in rows(db, "select kind from changes order by id")] == ["replaced", "replaced"]
    assert "0 new, 1 already archived" in xxgk("ingest", path, "--data", data).stdout      # A again: unchanged


def test_a_newer_extraction_replaces_the_old_rows_in_one_transaction(archive_copy):
    archive = Archive(archive_copy)
    db = archive.db
    doc = rows(db, "select d.id, d.url from documents d where d.url like '%yueyang-hbj-2016.txt'")[0]
    report = extract_file(REPORTS / "yueyang-hbj-2016.txt")
    fewer = replace(report, figures=report.figures[:3])
    store_report(db, doc["id"], doc["url"], fewer)
    stored = rows(db, "select f.metric from figures f join reports r on r.id = f.report_id where r.document_id = ?",
                  [doc["id"]])
    assert [r["metric"] for r in stored] == [f.metric for f in report.figures[:3]]
    # a record that cannot be stored (a figure without a value) leaves the previous one whole
    broken = replace(report, figures=[*report.figures, replace(report.figures[0], value=None)])
    with pytest.raises(sqlite3.IntegrityError):
        store_report(db, doc["id"], doc["url"], broken)
    after = rows(db, "select f.metric from figures f join reports r on r.id = f.report_id where r.document_id = ?",
                 [doc["id"]])
    assert after == stored
    assert rows(db, "select count(*) n from reports where document_id = ?", [doc["id"]])[0]["n"] == 1
    archive.close()


def test_reextract_from_the_warc_files_alone_gives_the_same_rows(archive_copy):
    db = open_database(archive_copy / DB_NAME)
    before = snapshot(db)
    db.close()
    result = xxgk("reextract", "--data", archive_copy)
    assert result.returncode == 0, result.stderr
    count = len(fixture_files())
    assert f"re-extracted {count} of {count} documents (0 failed)" in result.stdout
    assert "reports  0 added, 0 removed, 0 changed" in result.stdout
    assert "figures  0 added, 0 removed, 0 changed" in result.stdout
    db = open_database(archive_copy / DB_NAME)
    assert snapshot(db) == before
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]


def test_reextract_says_what_changed(archive_copy):
    db = open_database(archive_copy / DB_NAME)
    report_id = rows(db, "select r.id from reports r join documents d on d.id = r.document_id "
                         "where d.url like '%yueyang-sthjj-2018.txt'")[0]["id"]
    with db.conn:      # as an older extractor might have left it: one figure misread, one missing
        db.execute("update figures set value = 35 where report_id = ? and metric = 'requests.received'", [report_id])
        db.execute("delete from figures where report_id = ? and metric = 'litigation.total'", [report_id])
        db.execute("update reports set year = 2017 where id = ?", [report_id])
    db.close()
    result = xxgk("reextract", "--data", archive_copy)
    assert "reports  0 added, 0 removed, 1 changed" in result.stdout
    assert "figures  1 added, 0 removed, 1 changed" in result.stdout
    db = open_database(archive_copy / DB_NAME)
    value = rows(db, "select value from comparison where agency_key = '430600:生态环境' and year = 2018 "
                     "and metric = 'requests.received'")
    assert value == [{"value": 34}]


def test_name_variants_of_one_agency_line_up(built):
    db = open_database(built["data"] / DB_NAME)
    aliases = rows(db, "select alias, first_year, last_year from agency_aliases where agency_key = '430600:科学技术' "
                       "order by alias")
    assert aliases == [
        {"alias": "岳阳市科学技术局", "first_year": 2017, "last_year": 2017},
        {"alias": "岳阳市科技局", "first_year": 2014, "last_year": 2015},
        {"alias": "市科技局", "first_year": 2014, "last_year": 2014},
    ]
    agency = rows(db, "select name, function, level, parent_key from agencies where key = '430600:科学技术'")
    assert agency == [{"name": "岳阳市科学技术局", "function": "科学技术", "level": "city",
                       "parent_key": "430600:人民政府"}]
    # before and after the 2018 reorganisation: 环境保护局 became 生态环境局
    years = rows(db, "select year, agency from comparison where agency_key = '430600:生态环境' "
                     "and metric = 'requests.received' order by year")
    # and on across the change of format: the 2019 and 2020 reports are standard-table reports
    assert years == [{"year": 2016, "agency": "岳阳市生态环境局"}, {"year": 2018, "agency": "岳阳市生态环境局"},
                     {"year": 2019, "agency": "岳阳市生态环境局"}, {"year": 2020, "agency": "岳阳市生态环境局"}]


def test_coverage_finds_missing_and_late_reports(built):
    db = open_database(built["data"] / DB_NAME)
    kjj = rows(db, "select year, status, versions from coverage where agency_key = '430600:科学技术' order by year")
    latest = rows(db, "select max(year) year from reports")[0]["year"]
    assert latest >= 2022
    assert kjj == [{"year": 2014, "status": "found", "versions": 1}, {"year": 2015, "status": "found", "versions": 1},
                   {"year": 2016, "status": "missing", "versions": 0}, {"year": 2017, "status": "found", "versions": 1},
                   *({"year": year, "status": "missing", "versions": 0} for year in range(2018, latest + 1))]
    # missing every year after, up to the archive's latest year
    env = rows(db, "select year, status, published_on, deadline from coverage where agency_key = '430600:生态环境' "
                   "order by year")
    assert env == [{"year": 2016, "status": "found", "published_on": "2017-03-20", "deadline": "2017-03-31"},
                   {"year": 2017, "status": "missing", "published_on": None, "deadline": None},
                   {"year": 2018, "status": "late", "published_on": "2019-04-16", "deadline": "2019-03-31"},
                   # a department's 2019 report is due by 31 January; the 2020 PDF shows no date
                   {"year": 2019, "status": "found", "published_on": "2020-01-25", "deadline": "2020-01-31"},
                   {"year": 2020, "status": "found", "published_on": None, "deadline": "2021-01-31"},
                   *({"year": year, "status": "missing", "published_on": None, "deadline": None}
                     for year in range(2021, latest + 1))]


def _report(agency: str, year: int, published_at: str, received: int) -> Report:
    text = f"{agency}{year}年政府信息公开工作年度报告 收到申请{received}件"
    figure = Figure("requests.received", received, "件", "exact", None, text, 0, len(text))
    return Report(title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency,
                  region=Region("湖南省", "岳阳市", None, "430600"), year=year, published_at=published_at,
                  archived_at=None, period_start=None, period_end=None, signed_on=None, era="tables_2021",
                  contacts=Contacts(), sections=[], figures=[figure], checks=[], text=text,
                  extractor_version="test")


def _document(archive: Archive, url: str) -> int:
    archive.db["warc_files"].insert({"name": "none.warc.gz", "committed_size": 0}, ignore=True)
    return archive.add_document({"url": url, "fetched_at": "2021-01-01T00:00:00+00:00", "sha256": url, "size": 0,
                                 "warc_file": "none.warc.gz", "warc_offset": 0, "kind": "report", "source": "file"})


def test_deadlines_since_2019_differ_for_departments_and_governments(tmp_path):
    archive = Archive(tmp_path / "data")
    for agency in ("岳阳市科学技术局", "岳阳市人民政府"):
        for year, published in ((2019, "2020-02-15 09:00"), (2020, "2021-01-20 09:00")):
            url = f"http://example.test/{agency}/{year}"
            store_report(archive.db, _document(archive, url), url, _report(agency, year, published, 5))
    archive.commit()
    coverage = rows(archive.db, "select agency_key, year, status, deadline from coverage order by 1, 2")
    assert coverage == [
        {"agency_key": "430600:人民政府", "year": 2019, "status": "found", "deadline": "2020-03-31"},
        {"agency_key": "430600:人民政府", "year": 2020, "status": "found", "deadline": "2021-03-31"},
        {"agency_key": "430600:科学技术", "year": 2019, "status": "late", "deadline": "2020-01-31"},
        {"agency_key": "430600:科学技术", "year": 2020, "status": "found", "deadline": "2021-01-31"},
    ]
    archive.close()


def test_the_current_version_is_the_fullest_then_the_latest(tmp_path):
    archive = Archive(tmp_path / "data")
    first = _report("岳阳市科学技术局", 2020, "2021-01-20 09:00", 5)
    fuller = replace(first, figures=[*first.figures, replace(first.figures[0], metric="requests.granted", value=3)])
    for url, report in (("http://a.test/1", first), ("http://a.test/2", fuller), ("http://a.test/3", first)):
        store_report(archive.db, _document(archive, url), url, report)
    current = rows(archive.db, "select url from reports where is_current = 1")
    assert current == [{"url": "http://a.test/2"}]
    assert rows(archive.db, "select versions from coverage") == [{"versions": 3}]
    archive.close()


@pytest.mark.parametrize("engine, classification, reason", [
    ("Tesseract", "needs_tesseract", "a scanned PDF (images, no text layer): needs OCR (install tesseract-ocr …)"),
    ("Tesseract", "unreadable", "a scanned PDF (images, no text layer): needs OCR"),     # an archive of before
    ("LibreOffice", "unreadable", "needs LibreOffice to read DOC/WPS/RTF documents (not found: install …)"),
])
def test_documents_waiting_for_an_engine_are_found_by_class_or_by_the_words_of_before(
        tmp_path, engine, classification, reason):
    from archive.extraction import waiting_for

    archive = Archive(tmp_path / "data")
    for url, why, kind in (("http://a.test/scan.pdf", reason, classification),
                           ("http://a.test/broken.pdf", "unreadable PDF: PSEOF", "unreadable")):
        archive.record_failure(fp=url, url=url, stage="extract", classification=kind, reason=why, run_id=None)
    archive.commit()
    sql, params = waiting_for([engine])
    assert rows(archive.db, sql, params) == [{"url": "http://a.test/scan.pdf"}]
    other = next(e for e in ("Tesseract", "LibreOffice") if e != engine)
    assert rows(archive.db, *waiting_for([other])) == []
    archive.close()


def test_table_cells_are_stored_with_blanks_kept_apart_from_zeros(tmp_path):
    archive = Archive(tmp_path / "data")
    report = replace(_report("岳阳市科学技术局", 2020, "2021-01-20 09:00", 5),
                     request_cells=[RequestCell("new_received", "natural_person", "5", 5),
                                    RequestCell("new_received", "commercial", "0", 0),
                                    RequestCell("new_received", "research", "/", None)],
                     appeal_cells=[AppealCell("reconsideration", "upheld", "—", None),
                                   AppealCell("reconsideration", "total", "1", 1)])
    document = _document(archive, "http://a.test/cells")
    store_report(archive.db, document, "http://a.test/cells", report)
    store_report(archive.db, document, "http://a.test/cells", report)      # again: replaced, not doubled
    cells = rows(archive.db, "select applicant, raw, value from request_cells order by id")
    assert cells == [{"applicant": "natural_person", "raw": "5", "value": 5},
                     {"applicant": "commercial", "raw": "0", "value": 0},
                     {"applicant": "research", "raw": "/", "value": None}]
    assert rows(archive.db, "select outcome, value from appeal_cells order by id") == [
        {"outcome": "upheld", "value": None}, {"outcome": "total", "value": 1}]
    archive.close()


def test_one_writer_at_a_time(tmp_path):
    first = Archive(tmp_path / "data")
    with pytest.raises(ArchiveBusy, match="another xxgk process"):
        Archive(tmp_path / "data")
    first.close()
    Archive(tmp_path / "data").close()       # free again once the first has closed


def test_files_that_cannot_be_ingested_are_recorded_and_the_rest_go_in(tmp_path):
    missing = tmp_path / "missing.html"
    truncated = tmp_path / "report.pdf"
    truncated.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    good = EXAMPLES / "haidian-2016.txt"
    result = xxgk("ingest", missing, truncated, good, "--data", tmp_path / "data")
    assert result.returncode == 1
    assert "ingested 3 files: 2 new, 0 already archived, 1 unreadable" in result.stdout
    db = open_database(tmp_path / "data" / DB_NAME)
    failures = rows(db, "select url, stage, classification, reason from fetch_failures order by url")
    assert [(f["url"].rsplit("/", 1)[1], f["stage"]) for f in failures] == [("missing.html", "ingest"),
                                                                          ("report.pdf", "extract")]
    assert "No such file" in failures[0]["reason"]
    assert failures[1]["reason"]
    assert rows(db, "select agency from reports") == [{"agency": "北京市海淀区人民政府"}]


def test_stats_says_what_the_archive_holds(built):
    result = xxgk("stats", "--data", built["data"])
    assert result.returncode == 0, result.stderr
    db = open_database(built["data"] / DB_NAME)
    agencies = rows(db, "select count(*) n from agencies")[0]["n"]
    figures = rows(db, "select count(*) n from figures")[0]["n"]
    assert f"agencies          {agencies} " in result.stdout
    assert f"reports           {len(fixture_files())} " in result.stdout
    assert "2014 " in result.stdout and "free_text " in result.stdout
    assert f"figures           {figures};" in result.stdout
    failing = rows(db, "select count(distinct report_id) n from checks where status = 'fail'")[0]["n"]
    assert f"{failing} reports fail one" in result.stdout and failing >= 1
    unread = rows(db, "select count(*) n from reports where era != 'free_text' and missing_tables is not null")[0]["n"]
    assert f"standard tables were not all read: {unread} " in result.stdout and unread >= 1


def test_report_ids_stay_the_same_across_reextraction_in_exports_and_links(archive_copy, tmp_path):
    db = open_database(archive_copy / DB_NAME)
    before = {r["id"]: r["document_id"] for r in db.query("select id, document_id from reports")}
    db.close()
    assert before and all(report == document for report, document in before.items())
    exports = []
    for run in ("before", "after"):
        out = tmp_path / f"{run}.json"
        assert xxgk("compare", "requests.received", "--out", out, "--data", archive_copy).returncode == 0
        exports.append(json.loads(out.read_text(encoding="utf-8")))
        if run == "before":
            assert xxgk("reextract", "--data", archive_copy).returncode == 0
    db = open_database(archive_copy / DB_NAME)
    assert {r["id"]: r["document_id"] for r in db.query("select id, document_id from reports")} == before
    assert exports[0] == exports[1]
    ids = {cell["report_id"] for row in exports[1]["rows"] for cell in row["cells"].values() if cell}
    assert ids and ids <= set(before)


def test_an_archive_numbered_the_old_way_is_renumbered_once(archive_copy):
    db = open_database(archive_copy / DB_NAME)
    before = snapshot(db)
    hits = {r["rowid"] for r in db.query("select rowid from reports_fts where reports_fts match '复议'")}
    with db.atomic():              # as an archive made before: ids counted on past the documents'
        db.execute("PRAGMA defer_foreign_keys = ON")
        for table in DERIVED[1:]:
            db.execute(f"update {table} set report_id = report_id + 1000")
        db.execute("update reports set id = id + 1000")
        db.execute("insert into reports_fts (reports_fts) values ('rebuild')")
    db.close()
    db = open_database(archive_copy / DB_NAME)
    assert rows(db, "select count(*) n from reports where id != document_id") == [{"n": 0}]
    assert snapshot(db) == before
    assert {r["rowid"] for r in db.query("select rowid from reports_fts where reports_fts match '复议'")} == hits
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]


def test_a_full_disk_stops_ingest_with_one_line_and_the_archive_intact(tmp_path, monkeypatch):
    import archive.store

    data = tmp_path / "data"
    assert xxgk("ingest", REPORTS / "yueyang-kjj-2014.txt", REPORTS / "yueyang-kjj-2015.txt", "--data", data,
                timeout=300).returncode == 0
    more = [str(EXAMPLES / "haidian-2016.txt"), str(EXAMPLES / "changde-wsj-2011.txt")]
    opened = archive.store.open_database

    def full(path):
        """The database as on a full disk: it may grow no further (SQLite's own SQLITE_FULL)."""
        db = opened(path)
        db.execute(f"pragma max_page_count = {db.execute('pragma page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr(archive.store, "open_database", full)
    result = CliRunner().invoke(main, ["ingest", *more, "--data", str(data)])
    monkeypatch.undo()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)      # no traceback: a clean exit
    said = [line for line in result.stderr.splitlines() if not line.startswith("  extracted ")]     # not progress
    assert len(said) == 1 and "the disk is full (database or disk is full)" in said[0], result.output
    assert "the archive keeps what was written before it, 2 reports; free some space, then run " in said[0]
    command = said[0].split("then run ", 1)[1]
    assert command.endswith(f" ingest {shlex.join(more)} --data {shlex.quote(str(data))}")
    db = open_database(data / DB_NAME)
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert rows(db, "select count(*) n from reports")[0]["n"] == 2
    db.close()
    resumed = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=300)     # as printed
    assert resumed.returncode == 0, resumed.stderr
    db = open_database(data / DB_NAME)
    assert rows(db, "select count(*) n from reports")[0]["n"] == 4


def test_a_full_disk_while_a_file_is_archived_stops_with_one_line_too(tmp_path):
    from tests.test_faults import _limit_file_size

    data = tmp_path / "data"
    assert xxgk("ingest", REPORTS / "yueyang-kjj-2014.txt", "--data", data, timeout=300).returncode == 0
    limit = max(p.stat().st_size for p in data.rglob("*") if p.is_file()) + 2**20
    big = tmp_path / "big.txt"
    big.write_bytes(random.Random(1).randbytes(limit + 2**20))       # its WARC record will not fit
    result = subprocess.run([sys.executable, "-m", "xxgk", "ingest", str(big), "--data", str(data)],
                            capture_output=True, text=True, timeout=300, preexec_fn=_limit_file_size(limit))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if not line.startswith("  extracted ")]
    assert len(said) == 1 and "the disk is full" in said[0] and "keeps what was written before it, 1 report;" \
        in said[0], result.stderr
    assert said[0].endswith(f" ingest {big} --data {data}")
    db = open_database(data / DB_NAME)
    assert db.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert rows(db, "select count(*) n from reports")[0]["n"] == 1
    assert rows(db, "select count(*) n from documents")[0]["n"] == 1      # the big file is not half in


def _warcio_capture(url, method, request_headers, request_body, status, reason, response_headers, body, date,
                    response_id, extra):
    """A capture's two records as warcio's own writer makes them (what archive/warcs.py wrote
    with before it built them directly), uncompressed."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
    headers = [(k, v) for k, v in response_headers
               if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
    headers.append(("Content-Length", str(len(body))))
    records = [
        ("request", StatusAndHeaders(f"{method} /{path} HTTP/1.1", list(request_headers), is_http_request=True),
         request_body, {"WARC-Date": date, "WARC-Concurrent-To": response_id}),
        ("response", StatusAndHeaders(f"{status} {reason or 'OK'}", headers, protocol="HTTP/1.1"), body,
         {"WARC-Date": date, "WARC-Record-ID": response_id, **extra}),
    ]
    out = []
    for kind, http_headers, payload, warc_headers in records:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(payload), length=len(payload),
                                                      http_headers=http_headers, warc_headers_dict=warc_headers))
        out.append(buffer.getvalue())
    return out


@pytest.mark.parametrize("case", ["plain", "post", "non_ascii_headers", "empty", "source_uri", "headers_given"])
def test_a_capture_is_written_byte_for_byte_as_warcio_writes_it(tmp_path, monkeypatch, case):
    """The crawler builds its request and response records itself (for speed): the same bytes as
    warcio's writer, the same digests, each record one gzip member, readable by warcio."""
    import datetime as dt
    import itertools
    import uuid
    import zlib

    from warcio.archiveiterator import ArchiveIterator

    from archive import warcs

    ids = itertools.count(1)
    monkeypatch.setattr(warcs.uuid, "uuid4", lambda: uuid.UUID(int=next(ids)))
    url = "http://www.example.gov.cn/xxgk/ndbg/2024/t2024_1.html?id=3&x=%E5%B9%B4"
    request_headers = [("Accept", "text/html"), ("User-Agent", "xxgk/0.1 (+https://example.org)")]
    response_headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "999"),
                        ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip"), ("Server", "nginx")]
    body = "<html><body>政府信息公开工作年度报告</body></html>".encode("utf-8") * 40
    method, request_body, extra, status, reason = "GET", b"", {}, 200, "OK"
    if case in ("post", "non_ascii_headers"):      # the crawler's own User-Agent, as Scrapy's bytes read as Latin-1
        request_headers[1] = ("User-Agent", "xxgk/0.1 (+https://example.org; 政府信息公开年度报告)".encode().decode("latin-1"))
    if case == "post":
        method, request_body = "POST", b"col=1&webid=2&page=3"
        request_headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if case == "non_ascii_headers":      # latin-1 readings of bytes a server sent: warcio %-encodes them
        response_headers += [("Content-Disposition", "attachment; filename=\"å¹´æ\u008a¥.pdf\""),
                             ("X-Title", "æ\u0094¿å\u008a¡")]
        status, reason = 404, "Not Found"
    if case == "empty":
        body, status, reason = b"", 304, ""
    if case == "source_uri":
        extra = {"WARC-Source-URI": "http://www.example.gov.cn/old.html"}
    if case == "headers_given":         # headers the writer sets, given: set in their place, as warcio does
        extra = {"content-type": "application/http;msgtype=response", "WARC-Source-URI": "http://a.test/",
                 "WARC-Target-URI": "http://b.test/", "WARC-Block-Digest": "sha1:AAAA"}
    fetched = dt.datetime(2026, 12, 6, 19, 30, 5, tzinfo=dt.timezone.utc)
    writer = warcs.WarcWriter(tmp_path, "t")
    location = writer.write_capture(url=url, method=method, request_headers=request_headers,
                                    request_body=request_body, status=status, reason=reason,
                                    response_headers=response_headers, body=body, fetched_at=fetched, extra=extra)
    writer.close()
    data = (tmp_path / location.file).read_bytes()
    members = []
    while data:
        inflater = zlib.decompressobj(31)
        members.append(inflater.decompress(data))
        data = inflater.unused_data
    # the response's id was the first drawn, the request's the second
    expected = _warcio_capture(url, method, request_headers, request_body, status, reason, response_headers, body,
                               "2026-12-06T19:30:05Z", f"<urn:uuid:{uuid.UUID(int=1)}>", extra)
    expected[0] = expected[0].replace(_record_id(expected[0]), f"<urn:uuid:{uuid.UUID(int=2)}>".encode())
    assert members == expected
    with open(tmp_path / location.file, "rb") as fh:
        records = list(ArchiveIterator(fh, check_digests=False if case == "headers_given" else "raise"))
    assert [r.rec_type for r in records] == ["request", "response"]
    _, read_body, _ = warcs.read_record(tmp_path, location)
    assert read_body == body


def _record_id(record: bytes) -> bytes:
    return record.split(b"WARC-Record-ID: ", 1)[1].split(b"\r\n", 1)[0]
