"""Standard-table reports (2019 and 2021 formats) in every form they come in: every cell of 表三
and 表四 compared with what the report says, and every form giving the same record."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from extract import ExtractError, extract_bytes
from extract.formats.libreoffice import NEEDS_LIBREOFFICE, soffice
from extract.formats.pdf import read_pdf

from .table_reports import (
    APPLICANTS, REPORT_2019, REPORT_2020, REPORTS, TEXT_STYLES, docx_bytes, flattened_page, html_page, pdf_bytes,
    text_copy,
)

FORMS = {
    "html": lambda r: (html_page(r), "report.html"),
    "html-split-tables": lambda r: (html_page(r, split=True), "report.html"),
    "html-saved-as-txt": lambda r: (html_page(r), "report.txt"),          # the content decides, not the name
    "flattened": lambda r: (flattened_page(r), "report.html"),
    "flattened-numbers-only": lambda r: (flattened_page(r, labels=False), "report.html"),
    "docx": lambda r: (docx_bytes(r), "report.docx"),
    "pdf": lambda r: (pdf_bytes(r), "report.pdf"),
    "pdf-without-ruling-lines": lambda r: (pdf_bytes(r, ruled=False), "report.pdf"),
    "pdf-kangxi-radicals": lambda r: (pdf_bytes(r, damage="radicals"), "report.pdf"),
    "pdf-fake-bold": lambda r: (pdf_bytes(r, damage="bold"), "report.pdf"),
    "pdf-split-number": lambda r: (pdf_bytes(r, damage="split"), "report.pdf"),
    "pdf-lost-characters": lambda r: (pdf_bytes(r, damage="lost-characters"), "report.pdf"),
    "pdf-lost-characters-unruled": lambda r: (pdf_bytes(r, ruled=False, damage="lost-characters"), "report.pdf"),
    "pdf-wrapped-labels-unruled": lambda r: (pdf_bytes(r, ruled=False, damage="wrapped"), "report.pdf"),
    **{f"text-{style}": (lambda style: lambda r: (text_copy(r, style), "report.txt"))(style) for style in TEXT_STYLES},
}
_cache: dict = {}


def extracted(year: int, form: str):
    if (year, form) not in _cache:
        data, name = FORMS[form](REPORTS[year])
        _cache[(year, form)] = extract_bytes(data, name=name)
    return _cache[(year, form)]


def cells(record) -> tuple[list[dict], list[dict]]:
    """The record's 表三 and 表四 cells as dicts; a document not read by OCR gives none a confidence."""
    data = record.to_dict()
    assert all(c.pop("confidence") is None for c in data["request_cells"] + data["appeal_cells"])
    return data["request_cells"], data["appeal_cells"]


def comparable(record) -> dict:
    """What every form of one report must agree on: all but the text, offsets, evidence and the
    page's own header lines (a PDF has no 发布时间)."""
    data = record.to_dict()
    return {
        **{k: data[k] for k in ("title", "agency", "region", "year", "period_start", "period_end",
                                "signed_on", "era", "request_cells", "appeal_cells")},
        "sections": [(s["number"], s["title"], s["kind"]) for s in data["sections"]],
        "figures": [(f["metric"], f["value"], f["unit"], f["qualifier"], f["category"]) for f in data["figures"]],
        "checks": [(c["name"], c["status"], c["parts"], c["total"], c["difference"]) for c in data["checks"]],
    }


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("year", REPORTS)
def test_every_cell_of_every_form(year, form):
    report = REPORTS[year]
    record = extracted(year, form)
    request_cells, appeal_cells = cells(record)
    assert record.era == report.era
    assert request_cells == report.expected_request_cells()
    assert appeal_cells == report.expected_appeal_cells()
    assert record.warnings == []


@pytest.mark.parametrize("form", [f for f in FORMS if f != "html"])
@pytest.mark.parametrize("year", REPORTS)
def test_every_form_gives_the_record_of_the_html_page(year, form):
    assert comparable(extracted(year, form)) == comparable(extracted(year, "html"))


def test_summary_metrics_and_table2_of_the_2019_format():
    figures = {(f.metric, f.category): f for f in reversed(extracted(2019, "html").figures)}
    value = lambda metric: figures[(metric, None)].value  # noqa: E731
    assert [value(m) for m in ("requests.received", "requests.carried_over", "requests.granted",
                               "requests.partially_granted", "requests.denied", "requests.unable",
                               "requests.not_processed", "requests.other", "requests.handled_total",
                               "requests.carried_forward")] == [13, 1, 6, 2, 1, 3, 1, 0, 13, 1]
    assert (value("reconsideration.total"), value("litigation.total")) == (1, 1)
    assert [value(m) for m in ("normative_docs.issued", "normative_docs.published", "normative_docs.public_total",
                               "licensing.decisions", "penalties.decisions", "enforcement.decisions",
                               "procurement.projects")] == [3, 3, 15, 356, 128, 7, 6]
    assert value("procurement.amount_yuan") == 2_356_000          # 235.6 万元, in yuan
    assert figures[("procurement.amount_yuan", None)].unit == "万元"
    metrics = {f.metric for f in extracted(2019, "html").figures}
    # the 2021 format's columns have no place in a 2019 report, and back
    assert not metrics & {"regulations.repealed", "regulations.in_force", "normative_docs.in_force",
                          "fees.admin_charges_10k_yuan"}
    assert not {f.metric for f in extracted(2020, "html").figures} & {
        "normative_docs.published", "normative_docs.public_total", "procurement.projects"}


def test_summary_metrics_of_the_2021_format_and_its_other_rows():
    record = extracted(2020, "html")
    first = {}
    for f in record.figures:
        first.setdefault(f.metric, f)
    assert first["requests.other"].value == 1                       # 1 + 0 + 0, the three 其他处理 rows
    assert first["requests.other"].qualifier == "exact"
    assert first["requests.unable"].value == 4
    assert [first[m].value for m in ("normative_docs.issued", "normative_docs.repealed", "normative_docs.in_force",
                                     "licensing.decisions", "penalties.decisions", "enforcement.decisions",
                                     "fees.admin_charges_10k_yuan")] == [2, 1, 16, 401, 156, 9, 12.5]
    assert first["fees.admin_charges_10k_yuan"].unit == "万元"
    assert (first["reconsideration.total"].value, first["litigation.total"].value) == (2, 2)
    # the prose sections still give their figures: 收取信息处理费380元
    assert [(f.value, f.unit) for f in record.figures if f.metric == "fees.collected_yuan"] == [(380, "元")]
    assert [s.kind for s in record.sections] == ["overview", "proactive", "on_request", "appeals", "problems", "other"]


def test_checks_of_the_format_pass_or_are_not_assessable_with_a_reason():
    checks = {c.name: c for c in extracted(2020, "html").checks}
    balance = checks["表三 natural_person: new_received + carried_over = handled_total + carried_forward"]
    assert (balance.status, balance.parts, balance.total, balance.difference) == ("pass", [15, 1], 16, 0)
    assert checks["表三 total: results = handled_total"].status == "pass"
    assert checks["表三 granted: applicants = total"].note == "blank cells counted as 0: social_welfare, legal_services"
    blank_column = checks["表三 social_welfare: results = handled_total"]
    assert (blank_column.status, blank_column.note) == ("not_assessable", "the left side is blank")
    assert checks["表四 reconsideration: outcomes = total"].status == "pass"
    prose = checks["requests.received: prose = table"]
    assert (prose.status, prose.parts, prose.total) == ("pass", [20], 20)


def test_a_table_that_does_not_balance_keeps_its_numbers_and_fails_its_check():
    page = html_page(REPORT_2019, blanks={("granted", "natural_person"): "7"})
    record = extract_bytes(page, name="unbalanced.html")
    cell = next(c for c in record.request_cells if (c.row, c.applicant) == ("granted", "natural_person"))
    assert (cell.raw, cell.value) == ("7", 7)
    checks = {c.name: c for c in record.checks}
    results = checks["表三 natural_person: results = handled_total"]
    assert (results.status, results.difference) == ("fail", 2)
    row = checks["表三 granted: applicants = total"]
    assert (row.status, row.parts, row.total, row.difference) == ("fail", [7, 1, 0, 0, 0, 0], 6, 2)
    assert checks["表三 natural_person: new_received + carried_over = handled_total + carried_forward"].status == "pass"
    assert next(f for f in record.figures if f.metric == "requests.granted").value == 6   # the 总计 as written


def test_blank_cells_are_not_zero_and_a_blank_total_is_derived_from_its_parts():
    page = html_page(REPORT_2019, blanks={("new_received", "total"): "", ("carried_over", "commercial"): "—",
                                          ("carried_over", "research"): "无", ("other", "total"): "/"})
    record = extract_bytes(page, name="blanks.html")
    by_key = {(c.row, c.applicant): c for c in record.request_cells}
    assert [(by_key[k].raw, by_key[k].value) for k in (("new_received", "total"), ("carried_over", "commercial"),
                                                        ("carried_over", "research"), ("other", "total"))] == \
        [("", None), ("—", None), ("无", None), ("/", None)]
    received = next(f for f in record.figures if f.metric == "requests.received")
    assert (received.value, received.qualifier) == (13, "derived")
    checks = {c.name: c for c in record.checks}
    assert checks["表三 new_received: applicants = total"].status == "not_assessable"
    assert checks["表三 carried_over: applicants = total"].note == "blank cells counted as 0: commercial, research"


def test_columns_in_another_order_are_matched_by_their_headers():
    order = ("total", "other_org", "natural_person", "legal_services", "commercial", "social_welfare", "research")
    record = extract_bytes(html_page(REPORT_2020, order=order), name="reordered.html")
    assert cells(record)[0] == REPORT_2020.expected_request_cells()


def test_missing_rows_are_missing_not_invented():
    dropped = {"denied.query_item", "not_processed.mass_repeat"}
    report = REPORT_2019.__class__(**{**REPORT_2019.__dict__,
                                      "rows": [r for r in REPORT_2019.rows if r[0] not in dropped]})
    record = extract_bytes(html_page(report), name="missing.html")
    request_cells = cells(record)[0]
    assert request_cells == report.expected_request_cells()
    assert {c["row"] for c in request_cells} & dropped == set()
    assert len(request_cells) == (len(REPORT_2019.rows) - 2) * len(APPLICANTS)


def test_a_flattened_run_that_does_not_fit_stays_unmapped_with_a_warning():
    page = flattened_page(REPORT_2019).replace(" ".join(REPORT_2019.table4).encode(),
                                                " ".join(REPORT_2019.table4[:14]).encode())
    record = extract_bytes(page, name="short.html")
    assert record.appeal_cells == []
    assert any(w.startswith("表四: 14 numbers where the format has 15 cells; kept unmapped: 1 0 0 0 1")
               for w in record.warnings)
    assert not any(f.metric in ("reconsideration.total", "litigation.total") for f in record.figures)
    assert cells(record)[0] == REPORT_2019.expected_request_cells()     # the rest is still read


def test_cells_run_together_are_split_only_where_the_sums_leave_one_way():
    """A page opening holding only 表三's first row, its cells run together: two splits add up
    (1 0 2 0 0 10 13 and 10 2 0 0 1 0 13), so the row's cells stay null, the run kept as written."""
    opening = text_copy(REPORT_2019, "run-together").decode().split("二、上年结转")[0]
    record = extract_bytes(opening.encode(), name="opening.txt")
    assert [(c.row, c.value, c.raw) for c in record.request_cells] == [("new_received", None, "102001013")] * 7
    assert any(w.startswith("表三 row '一、本年新收政府信息公开申请数量': its cells ran together (102001013) and 2 splits fit")
               for w in record.warnings)
    assert not any(f.metric == "requests.received" and f.evidence.startswith("表") for f in record.figures)
    # with the whole table at hand, the columns' balances leave one split: every cell as the page has it
    whole = extract_bytes(text_copy(REPORT_2019, "run-together"), name="whole.txt")
    assert cells(whole) == (REPORT_2019.expected_request_cells(), REPORT_2019.expected_appeal_cells())


def test_table2_cells_run_together_or_run_into_the_next_heading():
    from extract.tables.cells import cell_value

    page = text_copy(REPORT_2020, "pipes").decode().replace("规章 | 0 | 0 | 0 |", "规章 | 000 |")
    figures = {f.metric: f.value for f in extract_bytes(page.encode(), name="r.txt").figures}
    assert (figures["regulations.issued"], figures["regulations.repealed"], figures["regulations.in_force"]) == (0, 0, 0)
    assert cell_value("5321 第二十条第（六）项") == (5321, None)       # a PDF cell that ran into the next block
    assert cell_value("5321 第二十条")[0] == 5321 and cell_value("53 本年")[0] is None


def test_pdf_table_runs_over_a_page_break_and_damage_is_repaired():
    text, grids, scanned = read_pdf(pdf_bytes(REPORT_2019))
    assert scanned is None                     # a text layer: no OCR
    pages = {g.source.split(" table")[0] for g in grids if any("予以公开" in c or "结转下年度" in c for r in g.rows for c in r)}
    assert pages == {"page 1", "page 2"}
    raw_bold = pdfplumber.open(io.BytesIO(pdf_bytes(REPORT_2019, damage="bold"))).pages[0].extract_text()
    assert "岳岳阳阳" in raw_bold                                      # the damage is really there
    raw_radicals = pdfplumber.open(io.BytesIO(pdf_bytes(REPORT_2019, damage="radicals"))).pages[0].extract_text()
    assert "\u2f00、总体情况" in raw_radicals
    assert "一、总体情况" in extracted(2019, "pdf-kangxi-radicals").text
    lost, _, _ = read_pdf(pdf_bytes(REPORT_2019, ruled=False, damage="lost-characters"))
    assert "1.属家秘密" in lost and "属于国家秘密" not in lost        # read by their numbers instead
    wrapped, _, _ = read_pdf(pdf_bytes(REPORT_2019, ruled=False, damage="wrapped"))
    assert "1 0 0 0 0 0 1\n二、上年结转" in wrapped                  # the numbers stand above their label


def test_a_pdf_font_without_unicode_map_is_unreadable_not_misread(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_TESSDATA", str(tmp_path))          # no OCR engine here
    with pytest.raises(ExtractError, match="no Unicode map.*needs OCR") as raised:
        extract_bytes(pdf_bytes(REPORT_2019, damage="cid"), name="cid.pdf")
    assert raised.value.needs == "Tesseract"


def test_numbers_in_a_font_without_unicode_map_are_unreadable_never_wrong():
    record = extract_bytes(pdf_bytes(REPORT_2019, damage="cid-digits"), name="digits.pdf")
    assert record.era == "tables_2019" and len(record.request_cells) == 161
    assert all(cell.value is None and cell.raw == "\ufffd" * len(cell.raw) for cell in record.request_cells)
    assert all(cell.value is None for cell in record.appeal_cells)
    assert any("unreadable (a PDF font without a Unicode map)" in w for w in record.warnings)
    assert not any(f.metric.startswith(("requests.", "litigation", "reconsideration")) and f.evidence.startswith("表")
                   for f in record.figures)
    # the prose, in a font that has its map, is still read
    assert [(f.metric, f.value) for f in record.figures if f.metric == "requests.received"] == [("requests.received", 13)]


def test_a_scanned_pdf_needs_ocr(tmp_path, monkeypatch):
    from fpdf import FPDF
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (400, 560), 235).save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=190)
    monkeypatch.setenv("XXGK_TESSDATA", str(tmp_path))          # no OCR engine here
    with pytest.raises(ExtractError, match=r"a scanned PDF .*needs OCR \(install tesseract-ocr tesseract-ocr-chi-sim\)") \
            as raised:
        extract_bytes(bytes(pdf.output()), name="scan.pdf")
    assert raised.value.needs == "Tesseract"


@pytest.mark.parametrize("data, name, reason", [
    (pdf_bytes(REPORT_2019)[:4000], "truncated.pdf", "unreadable PDF"),
    (b"PK\x03\x04" + b"\x00" * 200, "broken.docx", "broken ZIP"),
    (b"%PDF-1.4\n" + b"\x00" * 100, "empty.pdf", "PDF"),
    (b"not a word file at all", "report.doc", "not a DOC document"),
])
def test_broken_documents_give_a_clear_error(data, name, reason):
    with pytest.raises(ExtractError, match=reason):
        extract_bytes(data, name=name)


def test_format_is_told_by_the_bytes_not_the_suffix():
    record = extract_bytes(docx_bytes(REPORT_2020), name="附件1.doc")          # a DOCX named .doc
    assert record.document["format"] == "docx"
    assert cells(record) == cells(extracted(2020, "docx"))


def _libreoffice(source: Path, target: str) -> Path:
    subprocess.run([soffice(), f"-env:UserInstallation={(source.parent / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(source.parent / "out"), str(source)],
                   check=True, capture_output=True, timeout=600)
    return source.parent / "out" / f"{source.stem}.{target.split(':')[0]}"


def test_doc_and_wps_are_converted_by_libreoffice(tmp_path):
    assert soffice(), "LibreOffice is part of the test set-up (.ci/run installs it)"
    source = tmp_path / "report2020.docx"
    source.write_bytes(docx_bytes(REPORT_2020))
    doc = _libreoffice(source, "doc:MS Word 97").read_bytes()
    assert doc.startswith(b"\xd0\xcf\x11\xe0")                          # a real Word 97 file
    for name in ("report.doc", "report.wps"):                         # Kingsoft WPS files are Word files
        record = extract_bytes(doc, name=name)
        assert record.document["format"] == "word"
        assert comparable(record) == comparable(extracted(2020, "docx"))


def test_without_libreoffice_a_doc_fails_with_a_clear_reason(tmp_path, monkeypatch):
    source = tmp_path / "r.docx"
    source.write_bytes(docx_bytes(REPORT_2019))
    doc = _libreoffice(source, "doc:MS Word 97").read_bytes()
    monkeypatch.setenv("XXGK_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ExtractError) as raised:
        extract_bytes(doc, name="report.doc")
    assert raised.value.reason == NEEDS_LIBREOFFICE


def _ingest(folder: Path, documents: dict[str, bytes]):
    from archive.store import DB_NAME, open_database
    from tests.conftest import xxgk

    for name, data in documents.items():
        (folder / name).write_bytes(data)
    result = xxgk("ingest", *[folder / name for name in documents], "--data", folder / "data", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return open_database(folder / "data" / DB_NAME)


def test_the_archive_holds_every_cell_and_checks_one_year_against_the_last(tmp_path):
    db = _ingest(tmp_path, {"2019.html": html_page(REPORT_2019), "2020.pdf": pdf_bytes(REPORT_2020)})
    counts = {r["era"]: r["n"] for r in db.query(
        "select r.era, count(*) n from request_cells c join reports r on r.id = c.report_id group by r.era")}
    assert counts == {"tables_2019": 161, "tables_2021": 175}
    stored = [dict(r) for r in db.query(
        "select c.\"row\", c.applicant, c.raw, c.value from request_cells c join reports r on r.id = c.report_id "
        "where r.year = 2020 order by c.id")]
    assert stored == [{"row": c["row"], "applicant": c["applicant"], "raw": c["raw"], "value": c["value"]}
                      for c in REPORT_2020.expected_request_cells()]
    assert db.execute("select count(*) from appeal_cells").fetchone()[0] == 30
    carryover = [dict(r) for r in db.query("select year, carried_over, previous_carried_forward, status from carryover_checks")]
    assert carryover == [{"year": 2020, "carried_over": 1, "previous_carried_forward": 1, "status": "pass"}]
    # 其他处理 lines up across the formats: 2019's one row, 2020's three sub-rows summed
    other = [tuple(r) for r in db.execute(
        "select year, value from comparison where metric = 'requests.other' and category is null order by year")]
    assert other == [(2019, 0), (2020, 1)]
    assert db.execute("select count(distinct agency_key) from reports").fetchone()[0] == 1


def test_a_carryover_that_does_not_match_last_year_fails(tmp_path):
    changed = html_page(REPORT_2020, blanks={("carried_over", "total"): "3"})
    db = _ingest(tmp_path, {"2019.docx": docx_bytes(REPORT_2019), "2020.html": changed})
    carryover = [dict(r) for r in db.query("select carried_over, previous_carried_forward, status, difference "
                                           "from carryover_checks")]
    assert carryover == [{"carried_over": 3, "previous_carried_forward": 1, "status": "fail", "difference": 2}]


def test_table3_columns_whose_header_stayed_on_the_page_before_are_placed_by_the_formats_order():
    """A 表三 broken over pages: the header rows naming 自然人 and 总计 (spanning two rows) stayed
    on the page before; the rows under 商业企业 … 其他 on this page are read with the two columns
    beside them placed by the format's order. A header that names too little to place them says
    which columns are not read."""
    from extract.tables.from_grids import read_grids
    from extract.tables.grid import Grid

    header = ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    row = ["一、本年新收政府信息公开申请数量"] * 3 + ["15", "3", "1", "/", "/", "1", "20"]
    found = read_grids([Grid(rows=[header, row], source="page 3 table 1")])
    cells = {c.column: c.value for c in found.cells if c.row == "new_received"}
    assert cells == {"natural_person": 15, "commercial": 3, "research": 1, "social_welfare": None,
                     "legal_services": None, "other_org": 1, "total": 20}
    assert found.warnings == []
    gapped = ["", "", "", "", "商业企业", "", "社会公益组织", "法律服务机构", "其他", ""]    # not one run
    found = read_grids([Grid(rows=[gapped, row], source="page 3 table 1")])
    assert "natural_person" not in {c.column for c in found.cells}
    assert any("表三's header names no column for natural_person, research, total" in w for w in found.warnings)
