"""Report records in the archive: a report, its agency, sections, figures, checks and table cells.

Storing a document's record replaces any earlier record of the same document, in one
transaction, so a newer extraction never leaves rows of an older one behind; storing the same
record twice leaves the archive as it was. Each agency and year has one *current* report (the
one comparisons read): of the reports found for it, the one stating the most figures, and of
those the latest capture."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from sqlite_utils import Database

from extract.record import Report

from .agencies import Agency, identify
from .search import index_report, unindex_report
from .store import insert_rows, utcnow

DERIVED_TABLES = ("sections", "figures", "checks", "request_cells", "appeal_cells")
_TITLE_NAME = re.compile(r"^(.{2,40}?)(?:关于)?(?:\d{4}|[二〇零一二三四五六七八九]{4})\s*年")


def store_report(db: Database, document_id: int, url: str, report: Report) -> int:
    """Write `report` as the record of document `document_id`; return the report's id."""
    with db.atomic():
        groups = delete_report(db, document_id)
        region = report.region
        agency = identify(report.agency, region)
        if agency is not None:
            _store_agency(db, agency, report)
        report_id = insert_rows(db, "reports", [{
            "document_id": document_id, "agency_key": agency.key if agency else None, "url": url,
            "title": report.title, "agency": report.agency, "province": region.province, "city": region.city,
            "county": region.county, "region_code": region.code, "year": report.year,
            "published_at": report.published_at, "archived_at": report.archived_at,
            "period_start": report.period_start, "period_end": report.period_end, "signed_on": report.signed_on,
            "era": report.era, "source": report.source,
            "contacts": json.dumps(asdict(report.contacts), ensure_ascii=False), "text": report.text,
            "warnings": json.dumps(report.warnings, ensure_ascii=False),
            "extractor_version": report.extractor_version, "extracted_at": utcnow(),
        }])
        insert_rows(db, "sections", [
            {"report_id": report_id, "idx": i, "number": s.number, "title": s.title, "kind": s.kind,
             "start": s.start, "end": s.end} for i, s in enumerate(report.sections)])
        insert_rows(db, "figures", [
            {"report_id": report_id, "idx": i, "metric": f.metric, "value": f.value, "unit": f.unit,
             "qualifier": f.qualifier, "category": f.category, "evidence": f.evidence, "start": f.start,
             "end": f.end, "section": f.section, "value_max": f.value_max} for i, f in enumerate(report.figures)])
        insert_rows(db, "checks", [
            {"report_id": report_id, "idx": i, "name": c.name, "status": c.status, "parts": json.dumps(c.parts),
             "total": c.total, "difference": c.difference, "note": c.note} for i, c in enumerate(report.checks)])
        insert_rows(db, "request_cells", [
            {"report_id": report_id, "row": c.row, "applicant": c.applicant, "raw": c.raw, "value": c.value}
            for c in report.request_cells])
        insert_rows(db, "appeal_cells", [
            {"report_id": report_id, "kind": c.kind, "outcome": c.outcome, "raw": c.raw, "value": c.value}
            for c in report.appeal_cells])
        index_report(db, report_id)
        for key, year in {*groups, (agency.key if agency else None, report.year)}:
            choose_current(db, key, year)
    return report_id


def delete_report(db: Database, document_id: int) -> set[tuple[str | None, int | None]]:
    """Remove a document's record and everything derived from it; return the (agency, year)
    groups it belonged to."""
    groups = set()
    for row in list(db.query("select id, agency_key, year from reports where document_id = ?", [document_id])):
        unindex_report(db, row["id"])
        for table in DERIVED_TABLES:
            db.execute(f"delete from {table} where report_id = ?", [row["id"]])
        db.execute("delete from reports where id = ?", [row["id"]])
        groups.add((row["agency_key"], row["year"]))
    return groups


def choose_current(db: Database, agency_key: str | None, year: int | None) -> None:
    """Mark the current report of an agency and year (a report without either stands alone)."""
    if agency_key is None or year is None:
        db.execute("update reports set is_current = 1 where (agency_key is null or year is null) "
                   "and is_current = 0")
        return
    db.execute("""
        update reports set is_current = (id = (
            select r.id from reports r join documents d on d.id = r.document_id
            where r.agency_key = :key and r.year = :year
            order by (select count(*) from figures f where f.report_id = r.id) desc, d.fetched_at desc, r.id desc
            limit 1))
        where agency_key = :key and year = :year""", {"key": agency_key, "year": year})


def _store_agency(db: Database, agency: Agency, report: Report) -> None:
    region = report.region
    year = report.year
    latest = next(db.query("select max(last_year) as y from agency_aliases where agency_key = ?", [agency.key]))["y"]
    db.execute("""insert into agencies (key, name, function, province, city, county, region_code, level, parent_key)
                  values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing""",
               [agency.key, agency.name, agency.function, region.province, region.city, region.county,
                region.code, agency.level, agency.parent_key])
    if year is not None and (latest is None or year >= latest):
        db.execute("update agencies set name = ? where key = ?", [agency.name, agency.key])
    for alias in _aliases(agency, report):
        db.execute("""insert into agency_aliases (alias, region_code, agency_key, first_year, last_year)
                      values (:alias, :code, :key, :year, :year)
                      on conflict (alias, region_code, agency_key) do update set
                          first_year = min(coalesce(first_year, :year), coalesce(:year, first_year)),
                          last_year = max(coalesce(last_year, :year), coalesce(:year, last_year))""",
                   {"alias": alias, "code": region.code or "", "key": agency.key, "year": year})


def _aliases(agency: Agency, report: Report) -> list[str]:
    """The names a report uses for its agency: its own, the title's (市科技局2013年度…) and the
    page's 来源, where they stand for the same agency."""
    names = [agency.name]
    title = _TITLE_NAME.match(report.title or "")
    for other in (title.group(1) if title else None, report.source):
        found = identify(other, report.region)
        if found is not None and found.key == agency.key and other not in names:
            names.append(other)
    return names
