"""Report records in the archive: a report and its sections, figures and checks.

Storing a document's record replaces any earlier record of the same document, in one
transaction, so a newer extraction never leaves rows of an older one behind."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlite_utils import Database

from extract.record import Report

from .store import utcnow


def store_report(db: Database, document_id: int, url: str, report: Report) -> int:
    """Write `report` as the record of document `document_id`; return the report's id."""
    with db.atomic():
        delete_report(db, document_id)
        region = report.region
        report_id = db["reports"].insert({
            "document_id": document_id, "url": url, "title": report.title, "agency": report.agency,
            "province": region.province, "city": region.city, "county": region.county,
            "region_code": region.code, "year": report.year, "published_at": report.published_at,
            "archived_at": report.archived_at, "period_start": report.period_start,
            "period_end": report.period_end, "signed_on": report.signed_on, "era": report.era,
            "source": report.source, "contacts": json.dumps(asdict(report.contacts), ensure_ascii=False),
            "text": report.text, "warnings": json.dumps(report.warnings, ensure_ascii=False),
            "extractor_version": report.extractor_version, "extracted_at": utcnow(),
        }).last_pk
        db["sections"].insert_all(
            [{"report_id": report_id, "idx": i, "number": s.number, "title": s.title, "kind": s.kind,
              "start": s.start, "end": s.end} for i, s in enumerate(report.sections)])
        db["figures"].insert_all(
            [{"report_id": report_id, "idx": i, "metric": f.metric, "value": f.value, "unit": f.unit,
              "qualifier": f.qualifier, "category": f.category, "evidence": f.evidence, "start": f.start,
              "end": f.end, "section": f.section, "value_max": f.value_max} for i, f in enumerate(report.figures)])
        db["checks"].insert_all(
            [{"report_id": report_id, "idx": i, "name": c.name, "status": c.status,
              "parts": json.dumps(c.parts), "total": c.total, "difference": c.difference, "note": c.note}
             for i, c in enumerate(report.checks)])
    return report_id


def delete_report(db: Database, document_id: int) -> None:
    """Remove a document's record and everything derived from it."""
    for row in db.query("select id from reports where document_id = ?", [document_id]):
        for table in ("sections", "figures", "checks"):
            db.execute(f"delete from {table} where report_id = ?", [row["id"]])
        db.execute("delete from reports where id = ?", [row["id"]])
