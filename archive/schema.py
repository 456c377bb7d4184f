"""The archive's tables (sqlite-utils), created if missing.

Captures: `crawl_runs`, `frontier` (what a run has found and fetched, so an interrupted run can
resume), `documents` (one row per distinct capture of a URL, pointing into the WARC files),
`warc_files` (how much of each WARC file the database vouches for), `fetch_failures`,
`changes` (a report replaced or gone between crawls), `off_site_links`.
Records: `reports` (one per extracted document), `sections`, `figures`, `checks`. Numbers are
declared ANY (numeric affinity): a count stays an integer, a sum in yuan may be a decimal."""

from __future__ import annotations

from sqlite_utils import Database

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
        pk="id", not_null={"url", "status", "fetched_at", "sha256", "size", "warc_file", "warc_offset",
                           "kind", "source"},
        foreign_keys=[("run_id", "crawl_runs", "id"), ("warc_file", "warc_files", "name")],
        indexes=[(["url", "sha256"], True), (["sha256"], False), (["site", "kind"], False),
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
    "reports": dict(
        columns={"id": int, "document_id": int, "url": str, "title": str, "agency": str, "province": str,
                 "city": str, "county": str, "region_code": str, "year": int, "published_at": str,
                 "archived_at": str, "period_start": str, "period_end": str, "signed_on": str, "era": str,
                 "source": str, "contacts": str, "text": str, "warnings": str, "extractor_version": str,
                 "extracted_at": str},
        pk="id", not_null={"document_id", "era", "extractor_version", "extracted_at"},
        foreign_keys=[("document_id", "documents", "id")],
        indexes=[(["document_id"], True), (["agency", "year"], False), (["region_code"], False),
                 (["year"], False)],
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
                 "qualifier": str, "category": str, "evidence": str, "start": int, "end": int,
                 "section": int, "value_max": "ANY"},
        pk="id", not_null={"report_id", "idx", "metric", "value", "qualifier"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "idx"], True), (["metric"], False)],
    ),
    "checks": dict(
        columns={"id": int, "report_id": int, "idx": int, "name": str, "status": str, "parts": str,
                 "total": "ANY", "difference": "ANY", "note": str},
        pk="id", not_null={"report_id", "idx", "name", "status"},
        foreign_keys=[("report_id", "reports", "id")],
        indexes=[(["report_id", "idx"], True), (["status"], False)],
    ),
}


def ensure_schema(db: Database) -> None:
    """Create every table and index that does not exist yet."""
    for name, spec in TABLES.items():
        if name in db.table_names():
            continue
        db[name].create(spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                        defaults=spec.get("defaults"), foreign_keys=spec.get("foreign_keys"))
        for columns, unique in spec.get("indexes", []):
            db[name].create_index(columns, unique=unique, if_not_exists=True)
