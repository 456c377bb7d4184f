"""The archive's tables (sqlite-utils), created if missing.

Captures: `crawl_runs`, `frontier` (what a run has found and fetched, so an interrupted run can
resume), `documents` (one row per distinct capture of a URL, pointing into the WARC files),
`warc_files` (how much of each WARC file the database vouches for), `fetch_failures`,
`changes` (a report replaced or gone between crawls), `off_site_links`.
Records: `metrics` (what each metric key means), `agencies` and `agency_aliases` (one agency
across the names it used), `reports` (one per extracted document; its text in `report_texts`),
`sections`, `figures`, `checks`, and the full standard tables of 2019+ reports, `request_cells`
(表三) and `appeal_cells` (表四). A scanned report's `ocr` says what OCR read (engine, pages, each
page's mean confidence, as JSON) and each of its figures keeps its OCR `confidence`. A report's
id is its document's id, so it stays the same when the document is extracted again (an archive
made before is renumbered once). Numbers are declared ANY (numeric affinity): a count stays an
integer, a sum in yuan may be a decimal.
Views: `section_texts` (each section with its text, agency, year and link), `report_list` (each
report with its figure count and check results), `report_search` (what search indexes of a
report), `report_figures` (each figure with its report's agency, region, year and link),
`comparison` (agency × year × metric → value, from each agency-year's current report),
`coverage` (agency × year: found, missing or late) and `carryover_checks` (this year's 上年结转
against the same agency's 结转下年度 of the year before)."""

from __future__ import annotations

from sqlite_utils import Database

from .labels import METRICS

TABLES = {
    "crawl_runs": dict(
        columns={"id": int, "started_at": str, "finished_at": str, "status": str, "sites_file": str,
                 "options": str, "pages_fetched": int, "reports_found": int, "attachments": int,
                 "failures": int},
        pk="id", not_null={"started_at", "status"},
        defaults={"pages_fetched": 0, "reports_found": 0, "attachments": 0, "failures": 0},
    ),
    "frontier": dict(
        columns={"id": int, "run_id": int, "fingerprint": str, "url": str, "method": str, "body": str,
                 "site": str, "kind": str, "parent_url": str, "report_url": str, "link_text": str,
                 "year": int, "hops": int, "api": str, "callback": str, "extra": str, "state": str,
                 "scheduled": int, "discovered_at": str},
        pk="id", not_null={"run_id", "fingerprint", "url", "kind", "state"}, defaults={"scheduled": 0},
        foreign_keys=[("run_id", "crawl_runs", "id")],
        indexes=[(["run_id", "fingerprint"], True), (["run_id", "state"], False)],
    ),
    # what the last crawl of a registry entry (crawler/catalogue.py) found at its start URL
    "registry_status": dict(
        columns={"url": str, "agency": str, "region_code": str, "status": str, "detail": str, "run_id": int,
                 "checked_at": str},
        pk="url", not_null={"status", "checked_at"},
    ),
    "warc_files": dict(
        columns={"name": str, "committed_size": int, "created_at": str},
        pk="name", not_null={"committed_size"},
    ),
    "documents": dict(
        columns={"id": int, "url": str, "final_url": str, "method": str, "status": int, "fetched_at": str,
                 "content_type": str, "encoding": str, "sha256": str, "size": int, "warc_file": str,
                 "warc_offset": int, "warc_length": int, "site": str, "kind": str, "report_url": str,
                 "link_text": str, "year": int, "run_id": int, "etag": str, "last_modified": str,
                 "source": str, "capture_time": str, "original_url": str},
        pk="id", not_null={"url", "fetched_at", "sha256", "size", "warc_file", "warc_offset", "kind",
                           "source"},
        foreign_keys=[("run_id", "crawl_runs", "id"), ("warc_file", "warc_files", "name")],
        # one row per capture: the same bytes again after others (A, B, A) are a capture too
        indexes=[(["url", "sha256", "fetched_at"], True), (["sha256"], False), (["site", "kind"], False),
                 (["report_url"], False), (["run_id"], False)],
    ),
    "fetch_failures": dict(
        columns={"id": int, "fingerprint": str, "url": str, "method": str, "body": str, "site": str,
                 "kind": str, "report_url": str, "stage": str, "classification": str, "reason": str,
                 "http_status": int, "attempts": int, "first_failed_at": str, "last_failed_at": str,
                 "run_id": int, "resolved_at": str},
        pk="id", not_null={"fingerprint", "url", "stage", "classification", "reason", "attempts",
                           "first_failed_at", "last_failed_at"},
        foreign_keys=[("run_id", "crawl_runs", "id")],
        indexes=[(["fingerprint", "stage"], True), (["classification"], False), (["resolved_at"], False)],
    ),
    "changes": dict(
        columns={"id": int, "url": str, "kind": str, "old_document_id": int, "new_document_id": int,
                 "old_sha256": str, "new_sha256": str, "detected_at": str, "run_id": int},
        pk="id", not_null={"url", "kind", "detected_at"},
        foreign_keys=[("old_document_id", "documents", "id"), ("new_document_id", "documents", "id"),
                      ("run_id", "crawl_runs", "id")],
        indexes=[(["url"], False)],
    ),
    "off_site_links": dict(
        columns={"id": int, "url": str, "found_on": str, "site": str, "link_text": str, "kind": str,
                 "run_id": int},
        pk="id", not_null={"url", "found_on", "site"},
        indexes=[(["url", "site"], True)],
    ),
    "metrics": dict(
        columns={"key": str, "name_zh": str, "name_en": str},
        pk="key", not_null={"name_zh", "name_en"},
    ),
    "agencies": dict(
        columns={"key": str, "name": str, "function": str, "province": str, "city": str, "county": str,
                 "region_code": str, "level": str, "parent_key": str},
        pk="key", not_null={"name", "function", "level"},
        indexes=[(["region_code"], False), (["level"], False), (["name"], False)],
    ),
    "agency_aliases": dict(
        columns={"id": int, "alias": str, "region_code": str, "agency_key": str, "first_year": int,
                 "last_year": int},
        pk="id", not_null={"alias", "agency_key"},
        foreign_keys=[("agency_key", "agencies", "key")],
        indexes=[(["alias", "region_code", "agency_key"], True), (["agency_key"], False)],
    ),
    "reports": dict(
        columns={"id": int, "document_id": int, "agency_key": str, "is_current": int, "url": str, "title": str,
                 "agency": str, "province": str,
                 "city": str, "county": str, "region_code": str, "year": int, "published_at": str,
                 "archived_at": str, "period_start": str, "period_end": str, "signed_on": str, "era": str,
                 "source": str, "contacts": str, "warnings": str, "missing_tables": str, "extractor_version": str,
                 "extracted_at": str, "ocr": str},
        pk="id", not_null={"document_id", "era", "is_current", "extractor_version", "extracted_at"},
        defaults={"is_current": 0},
        foreign_keys=[("document_id", "documents", "id"), ("agency_key", "agencies", "key")],
        # (era), (province): the report list's facets read an index, not every report (issue 20)
        indexes=[(["document_id"], True), (["agency_key", "year"], False), (["is_current", "year"], False),
                 (["agency", "year"], False), (["region_code"], False), (["year"], False), (["era"], False),
                 (["province"], False), (["ocr"], False)],      # (ocr): the scanned reports, not every report
    ),
    # the text apart from the report's other columns, so that reading many reports' dates and
    # agencies (comparisons, coverage) does not read their text
    "report_texts": dict(
        columns={"report_id": int, "text": str},
        pk="report_id", not_null={"text"},
        foreign_keys=[("report_id", "reports", "id")],
        # a section search's count and facets check a section's text exists in this small index
        # instead of reading each report's text pages (issue 20)
        indexes=[(["report_id"], False)],
    ),
    "sections": dict(
        columns={"id": int, "report_id": int, "idx": int, "number": str, "title": str, "kind": str,
                 "start": int, "end": int},
        pk="id", not_null={"report_id", "idx", "kind"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "idx"], True)],
    ),
    "figures": dict(
        columns={"id": int, "report_id": int, "idx": int, "metric": str, "value": "ANY", "unit": str,
                 "qualifier": str, "category": str, "channel": str, "evidence": str, "start": int, "end": int,
                 "section": int, "value_max": "ANY", "breakdown": int, "is_first": int, "confidence": float},
        pk="id", not_null={"report_id", "idx", "metric", "value", "qualifier", "is_first"},
        defaults={"is_first": 1},
        foreign_keys=[("report_id", "reports", "id")],
        # "one metric over every report": the first figure of each report, found from the index
        # (confidence): the figures read by OCR with low confidence, not every figure
        indexes=[(["report_id", "idx"], True),
                 (["metric", "category", "is_first", "report_id", "value", "qualifier", "unit"], False),
                 (["confidence"], False)],
    ),
    "checks": dict(
        columns={"id": int, "report_id": int, "idx": int, "name": str, "status": str, "parts": str,
                 "total": "ANY", "difference": "ANY", "note": str},
        pk="id", not_null={"report_id", "idx", "name", "status"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "idx"], True), (["status"], False)],
    ),
    "request_cells": dict(
        columns={"id": int, "report_id": int, "row": str, "applicant": str, "raw": str, "value": "ANY",
                 "confidence": float},
        pk="id", not_null={"report_id", "row", "applicant"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "row", "applicant"], True), (["row", "applicant"], False)],
    ),
    "appeal_cells": dict(
        columns={"id": int, "report_id": int, "kind": str, "outcome": str, "raw": str, "value": "ANY",
                 "confidence": float},
        pk="id", not_null={"report_id", "kind", "outcome"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "kind", "outcome"], True), (["kind", "outcome"], False)],
    ),
}

# Publication deadlines (条例 2008 第三十一条: every report by 31 March; 条例 2019 第五十条, from the
# 2019 report on: departments by 31 January, governments by 31 March of the following year).
_DEADLINE = """case when r.year >= 2019 and a.function not like '%人民政府' then (r.year + 1) || '-01-31'
                    else (r.year + 1) || '-03-31' end"""

VIEWS = {
    "report_figures": """
select f.id, f.report_id, r.agency_key, r.agency, r.province, r.city, r.county, r.region_code, r.year, r.era,
       f.metric, f.category, f.value, f.value_max, f.unit, f.qualifier, f.evidence, r.is_current, r.url
from figures f join reports r on r.id = f.report_id""",
    # a section as a search hit shows it: whose, which year, the heading, the text, where from
    "section_texts": """
select s.id, r.agency, r.year, s.number, s.title, substr(t.text, s.start + 1, s."end" - s.start) as body,
       s.report_id, r.url, s.kind, s.idx
from sections s join report_texts t on t.report_id = s.report_id join reports r on r.id = s.report_id""",
    # every report as a researcher reads the list: whose, which year, what, and how much it states
    "report_list": """
select r.id, r.agency, r.year, r.title, r.era,
       (select count(*) from figures f where f.report_id = r.id) as figures,
       (select group_concat(n || ' ' || status, ', ') from
           (select status, count(*) as n from checks c where c.report_id = r.id group by status order by status))
           as checks,
       r.url, r.province, r.region_code, r.published_at, r.is_current, r.agency_key
from reports r""",
    "report_search": """
select r.id, r.title, r.agency, t.text from reports r join report_texts t on t.report_id = r.id""",
    # this year's 上年结转 against the same agency's 结转下年度 of the year before (表三 总计)
    "carryover_checks": """
select r.agency_key, a.name as agency, r.year, r.id as report_id, p.id as previous_report_id,
       now.value as carried_over, before.value as previous_carried_forward,
       case when now.value is null or before.value is null then 'not_assessable'
            when now.value = before.value then 'pass' else 'fail' end as status,
       now.value - before.value as difference, r.url
from reports r
join reports p on p.agency_key = r.agency_key and p.year = r.year - 1 and p.is_current = 1 and p.era != 'free_text'
join agencies a on a.key = r.agency_key
left join request_cells now on now.report_id = r.id and now."row" = 'carried_over' and now.applicant = 'total'
left join request_cells before on before.report_id = p.id and before."row" = 'carried_forward'
     and before.applicant = 'total'
where r.is_current = 1 and r.era != 'free_text'""",
    # one value per agency, year, metric and category: the first the current report states
    "comparison": """
select r.agency_key, a.name as agency, a.region_code, a.level, r.year, f.metric, f.category,
       f.value, f.qualifier, f.unit, r.id as report_id, r.url, f.id as figure_id
from figures f join reports r on r.id = f.report_id and r.is_current = 1
join agencies a on a.key = r.agency_key
where f.is_first = 1""",
    "coverage": f"""
with recursive bounds as (
    select agency_key, min(year) as first_year, (select max(year) from reports) as last_year
    from reports where agency_key is not null and year is not null group by agency_key
), years(agency_key, year, last_year) as (
    select agency_key, first_year, last_year from bounds
    union all select agency_key, year + 1, last_year from years where year < last_year
), seen as (
    select agency_key, year, count(*) as versions, max(case when is_current = 1 then id end) as report_id
    from reports where agency_key is not null and year is not null group by agency_key, year
)
select y.agency_key, a.name as agency, a.region_code, a.level, y.year,
       case when s.report_id is null then 'missing'
            when date(r.published_at) > {_DEADLINE} then 'late' else 'found' end as status,
       date(r.published_at) as published_on,
       case when s.report_id is null then null else {_DEADLINE} end as deadline,
       coalesce(s.versions, 0) as versions, s.report_id, r.url
from years y join agencies a on a.key = y.agency_key
left join seen s on s.agency_key = y.agency_key and s.year = y.year
left join reports r on r.id = s.report_id""",
}


def ensure_schema(db: Database) -> None:
    """Create every table, column, index and view that does not exist yet (an archive made by
    an earlier version gains the new columns, empty)."""
    existing = set(db.table_names())
    for name, spec in TABLES.items():
        table = db[name]
        if name not in existing:
            table.create(spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                         defaults=spec.get("defaults"), foreign_keys=spec.get("foreign_keys"))
        else:
            for column, kind in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, kind, not_null_default=spec.get("defaults", {}).get(column))
        for index in table.indexes if name == "documents" else ():
            if index.unique and index.columns == ["url", "sha256"]:     # an earlier version's: one row per bytes
                db.execute(f"drop index [{index.name}]")
        for columns, unique in spec.get("indexes", []):
            table.create_index(columns, unique=unique, if_not_exists=True)
    if db["documents"].columns_dict and any(c.name == "status" and c.notnull for c in db["documents"].columns):
        db["documents"].transform(not_null={"status": False})   # files ingested from disk have no HTTP status
    if {r["key"] for r in db.query("select key from metrics")} != set(METRICS):
        db["metrics"].upsert_all([{"key": k, "name_zh": zh, "name_en": en} for k, (zh, en) in METRICS.items()],
                                 pk="key")
    _report_ids_from_documents(db)
    views = {r["name"]: r["sql"] for r in db.query("select name, sql from sqlite_master where type = 'view'")}
    for name, sql in VIEWS.items():
        if views.get(name) != f'CREATE VIEW "{name}" AS {sql.strip()}':
            db.create_view(name, sql.strip(), replace=True)


def _report_ids_from_documents(db: Database) -> None:
    """Renumber the reports of an archive made before report ids were their documents' ids (and
    every row that points at them), in one transaction; the search index is rebuilt to match."""
    if not next(db.query("select 1 from reports where id != document_id limit 1"), None):
        return
    children = [name for name, spec in TABLES.items()
                if ("report_id", "reports", "id") in spec.get("foreign_keys", [])]
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")      # parents and children move in the same transaction
        for table in children:                          # via negative ids, so no two rows ever share one
            db.execute(f"update {table} set report_id = -(select document_id from reports r where r.id = report_id) "
                       "where report_id in (select id from reports where id != document_id)")
        db.execute("update reports set id = -document_id where id != document_id")
        for table in ["reports", *children]:
            column = "id" if table == "reports" else "report_id"
            db.execute(f"update {table} set {column} = -{column} where {column} < 0")
        if "reports_fts" in db.table_names():
            db.execute("insert into reports_fts (reports_fts) values ('rebuild')")
