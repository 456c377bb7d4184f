"""Report records in the archive: a report, its agency, sections, figures, checks and table cells.

Storing a document's record replaces any earlier record of the same document, in one
transaction, so a newer extraction never leaves rows of an older one behind; storing the same
record twice leaves the archive as it was. Each agency and year has one *current* report (the
one comparisons read): of the reports found for it, the one stating the most figures, and of
those the latest capture.

A report's text is stored once (`report_texts`); a figure keeps the offsets of its sentence in it
and, as `evidence`, at most EXCERPT characters of that sentence around its number: a sentence of
thousands of numbers stored with each of them made the archive grow with the square of the
document (a 139 KB report, 697 MB). The rows are prepared in the extraction worker, under the
document's time and memory limits (archive/extraction.py), so the writing process only writes."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from sqlite_utils import Database

from extract.quantities import find_quantities
from extract.record import Figure, Report

from .agencies import Agency, identify
from .search import index_report, search_texts, unindex_report
from .store import insert_rows, utcnow

DERIVED_TABLES = ("report_texts", "sections", "figures", "checks", "request_cells", "appeal_cells")
EXCERPT = 200       # characters of a figure's sentence stored as its evidence, around its number
_TITLE_NAME = re.compile(r"^(.{2,40}?)(?:关于)?(?:\d{4}|[二〇零一二三四五六七八九]{4})\s*年")


@dataclass
class PreparedReport:
    """A report as rows ready to insert: everything that does not need the database, done
    where the extraction ran (in parallel), so the one writing process only writes."""
    report: dict
    report_texts: list[dict]
    sections: list[dict]
    figures: list[dict]
    checks: list[dict]
    request_cells: list[dict]
    appeal_cells: list[dict]
    agency: Agency | None
    aliases: list[str]
    search: dict


def prepare(report: Report) -> PreparedReport:
    """The rows `report` becomes (without its document and ids)."""
    region = report.region
    agency = identify(report.agency, region)
    return PreparedReport(
        report={
            "agency_key": agency.key if agency else None, "title": report.title, "agency": report.agency,
            "province": region.province, "city": region.city, "county": region.county, "region_code": region.code,
            "year": report.year, "published_at": report.published_at, "archived_at": report.archived_at,
            "period_start": report.period_start, "period_end": report.period_end, "signed_on": report.signed_on,
            "era": report.era, "source": report.source,
            "contacts": json.dumps(asdict(report.contacts), ensure_ascii=False),
            "warnings": json.dumps(report.warnings, ensure_ascii=False),
            "missing_tables": ",".join(report.missing_tables) or None,
            "extractor_version": report.extractor_version,
            "ocr": json.dumps(report.document["ocr"], ensure_ascii=False) if "ocr" in report.document else None,
        },
        report_texts=[{"text": report.text}],
        sections=[{"idx": i, "number": s.number, "title": s.title, "kind": s.kind, "start": s.start, "end": s.end}
                  for i, s in enumerate(report.sections)],
        figures=[{"idx": i, "metric": f.metric, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
                  "category": f.category, "channel": f.channel, "evidence": evidence, "start": f.start, "end": f.end,
                  "section": f.section, "value_max": f.value_max, "breakdown": f.breakdown, "is_first": first,
                  "confidence": f.confidence}
                 for i, (f, first, evidence) in enumerate(zip(report.figures, _first_of_their_kind(report.figures),
                                                              _excerpts(report.figures)))],
        checks=[{"idx": i, "name": c.name, "status": c.status, "parts": json.dumps(c.parts), "total": c.total,
                 "difference": c.difference, "note": c.note} for i, c in enumerate(report.checks)],
        request_cells=[{"row": c.row, "applicant": c.applicant, "raw": c.raw, "value": c.value,
                        "confidence": c.confidence}
                       for c in report.request_cells],
        appeal_cells=[{"kind": c.kind, "outcome": c.outcome, "raw": c.raw, "value": c.value,
                       "confidence": c.confidence}
                      for c in report.appeal_cells],
        agency=agency,
        aliases=_aliases(agency, report) if agency else [],
        search=search_texts(report.title, report.agency, report.text,
                            [(s.title, report.text[s.start:s.end]) for s in report.sections]),
    )


def store_report(db: Database, document_id: int, url: str, report: Report | PreparedReport, *,
                 search_later: list | None = None) -> int:
    """Write `report` (or its prepared rows) as the record of document `document_id`; return the
    report's id. With `search_later`, the report's search texts are appended to that list for
    `index_reports` to index with the rest of the batch (FTS5 then writes one index segment per
    batch instead of one per report)."""
    rows = report if isinstance(report, PreparedReport) else prepare(report)
    with db.atomic():
        groups = delete_report(db, document_id)
        record = rows.report
        if rows.agency is not None:
            _store_agency(db, rows.agency, record, rows.aliases)
        # a report's id is its document's: the same after every reextraction, in links and exports
        report_id = insert_rows(db, "reports", [{"id": document_id, "document_id": document_id, "url": url,
                                                 **record, "extracted_at": utcnow()}])
        for table in DERIVED_TABLES:
            insert_rows(db, table, [{"report_id": report_id, **row} for row in getattr(rows, table)])
        if search_later is None:
            index_report(db, report_id, rows.search)
        else:
            search_later.append((report_id, rows.search))
        for key, year in {*groups, (record["agency_key"], record["year"])}:
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


def _first_of_their_kind(figures) -> list[bool]:
    """For each figure, whether it is the first the report states for its metric and category
    (the one comparisons read)."""
    seen, flags = set(), []
    for figure in figures:
        flags.append((figure.metric, figure.category) not in seen)
        seen.add((figure.metric, figure.category))
    return flags


def _excerpts(figures: list[Figure]) -> list[str]:
    """Each figure's evidence as stored: whole when it is at most EXCERPT characters (a short
    sentence, a table cell's path), else EXCERPT characters of it around the figure's number
    (… where cut; the first number of that value in the sentence not taken by an earlier
    figure, or the sentence's start for a statement of absence)."""
    numbers: dict[tuple[int, int], dict] = {}       # a long sentence's number offsets, by value
    excerpts = []
    for figure in figures:
        evidence = figure.evidence
        if len(evidence) <= EXCERPT:
            excerpts.append(evidence)
            continue
        if (figure.start, figure.end) not in numbers:
            found: dict = {}
            for quantity in find_quantities(evidence):
                found.setdefault(quantity.value, []).append(quantity.number_start)
            numbers[figure.start, figure.end] = {value: iter(at) for value, at in found.items()}
        excerpts.append(excerpt(evidence, next(numbers[figure.start, figure.end].get(figure.value, iter(())), 0),
                                EXCERPT))
    return excerpts


def excerpt(text: str, at: int, width: int) -> str:
    """`width` characters of `text` around offset `at` (the whole text where it is no longer),
    with … where it was cut."""
    if len(text) <= width:
        return text
    begin = max(0, min(at - width // 2, len(text) - width))
    return ("…" if begin else "") + text[begin:begin + width] + ("…" if begin + width < len(text) else "")


def _store_agency(db: Database, agency: Agency, record: dict, aliases: list[str]) -> None:
    year, code = record["year"], record["region_code"]
    latest = next(db.query("select max(last_year) as y from agency_aliases where agency_key = ?", [agency.key]))["y"]
    db.execute("""insert into agencies (key, name, function, province, city, county, region_code, level, parent_key)
                  values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing""",
               [agency.key, agency.name, agency.function, record["province"], record["city"], record["county"],
                code, agency.level, agency.parent_key])
    if year is not None and (latest is None or year >= latest):
        db.execute("update agencies set name = ? where key = ?", [agency.name, agency.key])
    for alias in aliases:
        db.execute("""insert into agency_aliases (alias, region_code, agency_key, first_year, last_year)
                      values (:alias, :code, :key, :year, :year)
                      on conflict (alias, region_code, agency_key) do update set
                          first_year = min(coalesce(first_year, :year), coalesce(:year, first_year)),
                          last_year = max(coalesce(last_year, :year), coalesce(:year, last_year))""",
                   {"alias": alias, "code": code or "", "key": agency.key, "year": year})


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
