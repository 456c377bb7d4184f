"""Standard-table extraction speed: reports per second from HTML pages and from PDFs, each
against a baseline in the same run (lxml parsing the HTML; pdfplumber opening the PDF and
reading its text, nothing more), on one core; and the share of 表三/表四 cells recovered.
PDFs also against pypdfium2 opening each page and reading its text with every character's box
(the limit issue 23 measures the PDF layer against), both the PDF layer alone (read_pdf: text,
lines and ruled tables) and the whole extraction, on the bench's PDFs and on the real example
report tests/examples/yueyang-sthjj-2020.pdf.

The documents are the test suite's table reports (tests/table_reports.py) with other numbers
in every cell, half in the 2019 format and half in the 2021 format."""

from __future__ import annotations

import io
import random
import time
from dataclasses import replace
from pathlib import Path

import lxml.html
import pdfplumber
import pypdfium2

from extract import extract_bytes
from extract.formats.pdf import read_pdf
from tests.table_reports import APPLICANTS, REPORTS, TableReport, html_page, pdf_bytes


def variants(count: int, seed: int = 7) -> list[TableReport]:
    """`count` reports with random cell values (each row's 总计 the sum of its parts)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        base = REPORTS[2019 if i % 2 == 0 else 2020]
        table3 = {}
        for key in base.table3:
            parts = [rng.choice((0, 0, 0, 1, 2, 5, 13)) for _ in APPLICANTS[:-1]]
            table3[key] = [str(p) for p in parts] + [str(sum(parts))]
        table4 = [str(rng.choice((0, 0, 1, 2))) for _ in base.table4]
        out.append(replace(base, table3=table3, table4=table4))
    return out


def run(html_count: int = 200, pdf_count: int = 40, rounds: int = 3) -> dict:
    """Time both forms and their baselines, `rounds` times; keep the best of each."""
    reports = variants(max(html_count, pdf_count))
    pages = [html_page(r) for r in reports[:html_count]]
    pdfs = [pdf_bytes(r) for r in reports[:pdf_count]]
    records = {}

    def extract_all(kind, documents, name):
        records[kind] = [extract_bytes(d, name=name) for d in documents]

    result = {"html_reports": len(pages), "pdf_reports": len(pdfs),
              "html_bytes": sum(map(len, pages)) // len(pages), "pdf_bytes": sum(map(len, pdfs)) // len(pdfs)}
    result["html_s"] = _best(rounds, lambda: extract_all("html", pages, "report.html"))
    result["html_baseline_s"] = _best(rounds, lambda: [lxml.html.document_fromstring(p) for p in pages])
    result["pdf_s"] = _best(rounds, lambda: extract_all("pdf", pdfs, "report.pdf"))
    result["pdf_baseline_s"] = _best(rounds, lambda: [_pdf_text(d) for d in pdfs])
    examples = [EXAMPLE.read_bytes()] * len(pdfs)          # one file, as many times as the bench's PDFs
    for name, documents in (("pdf", pdfs), ("example", examples)):
        for _ in range(rounds):        # interleaved, CPU time: the ratios hold on a shared machine
            _least(result, f"{name}_pdfium_s", lambda: [_pdfium_text(d) for d in documents])
            _least(result, f"{name}_layer_s", lambda: [read_pdf(d) for d in documents])
            _least(result, f"{name}_whole_s", lambda: [extract_bytes(d, name="report.pdf") for d in documents])
    for kind, documents in (("html", reports[:html_count]), ("pdf", reports[:pdf_count])):
        expected = sum(len(r.expected_request_cells()) + len(r.expected_appeal_cells()) for r in documents)
        right = sum(_right_cells(r, rec) for r, rec in zip(documents, records[kind]))
        result[f"{kind}_cells"] = (right, expected)
    return result


EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "examples" / "yueyang-sthjj-2020.pdf"


def _pdfium_text(data: bytes) -> int:
    """pypdfium2 reading every page's text and every character's box: what the PDF layer is
    measured against."""
    document = pypdfium2.PdfDocument(data)
    boxes = 0
    for page in document:
        textpage = page.get_textpage()
        boxes += len([textpage.get_charbox(i) for i in range(textpage.count_chars())])
        textpage.get_text_range()
    return boxes


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _right_cells(report: TableReport, record) -> int:
    data = record.to_dict()
    got = {(c["row"], c["applicant"], c["value"]) for c in data["request_cells"]}
    got |= {(c["kind"], c["outcome"], c["value"]) for c in data["appeal_cells"]}
    want = [(c["row"], c["applicant"], c["value"]) for c in report.expected_request_cells()]
    want += [(c["kind"], c["outcome"], c["value"]) for c in report.expected_appeal_cells()]
    return sum(cell in got for cell in want)


def _least(result: dict, key: str, action) -> None:
    """Run `action` once; keep its CPU time in result[key] if it is the least so far."""
    start = time.process_time()
    action()
    result[key] = min(result.get(key, float("inf")), time.process_time() - start)


def _best(rounds: int, action) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def report(result: dict) -> str:
    lines = ["standard-table extraction (one core):"]
    for kind, baseline in (("html", "lxml parsing the page"), ("pdf", "pdfplumber reading the text")):
        count = result[f"{kind}_reports"]
        rate, base = count / result[f"{kind}_s"], count / result[f"{kind}_baseline_s"]
        right, expected = result[f"{kind}_cells"]
        lines += [
            f"  {kind.upper():4} {count} reports ({result[f'{kind}_bytes']:,} bytes each)",
            f"    xxgk extract   {rate:8.1f} reports/s",
            f"    baseline       {base:8.1f} reports/s ({baseline})",
            f"    ratio          {result[f'{kind}_s'] / result[f'{kind}_baseline_s']:8.2f} x the baseline's time",
            f"    cells right    {right}/{expected} ({100 * right / expected:.1f}%)",
        ]
    lines += ["  PDF against pypdfium2 reading the text with every character's box (CPU ms a PDF):"]
    count = result["pdf_reports"]
    for name, label in (("pdf", f"the bench's {count} PDFs"), ("example", f"{EXAMPLE.name} ({count} times)")):
        base, layer, whole = (1000 * result[f"{name}_{part}_s"] / count for part in ("pdfium", "layer", "whole"))
        lines += [f"    {label}: pypdfium2 {base:.2f}, PDF layer (read_pdf) {layer:.2f} ({layer / base:.2f}x),"
                  f" whole extraction {whole:.2f} ({whole / base:.2f}x)"]
    return "\n".join(lines)
