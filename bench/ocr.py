"""OCR of scanned reports: pages per second on one core, and the share of 表三/表四 cells and
summary figures read right, on clean 300 dpi scans and on the degraded set (each degradation of
tests/scans.py on both pages), against the same reports' born-digital extraction; and the
silent wrong cells (a wrong number with no failed check or warning to say so: the target is 0);
cells missing (a row or column not read: a gap in the record, never a wrong number) apart.

The reports are the test suite's two table reports (tests/table_reports.py), wrapped as
image-only PDFs (PNG pages). Free-text figures: generated free-text reports (bench/generate.py)
printed to PDF, scanned clean and degraded, their figures scored against the same reports'
text (precision, recall, F1 of metric, category and value)."""

from __future__ import annotations

import os
import random
import time

from bench.generate import generate
from extract import extract_bytes
from tests.scans import DEGRADATIONS, cells_wrong, degrade, flagged, image_pdf, page_images, scanned
from tests.table_reports import CJK_FONT, REPORTS, pdf_bytes

FREE_TEXT_SETS = {"clean 300 dpi": (), "skew+3, JPEG 40, salt": ("skew+3", "jpeg40", "salt")}


def run(dpi: int = 300) -> dict:
    """Every scan set extracted once, timed by the process's CPU clock."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    born = {year: pdf_bytes(report) for year, report in REPORTS.items()}
    started = time.process_time()
    truth = {year: extract_bytes(data, name="report.pdf") for year, data in born.items()}
    result = {"born_digital_s_per_report": (time.process_time() - started) / len(born), "sets": {}}
    sets = {"clean 300 dpi": None, "clean 150 dpi": None, **{kind: kind for kind in DEGRADATIONS}}
    for name, kind in sets.items():
        resolution = 150 if "150" in name else dpi
        cells = right = missing = silent = figures = figures_right = pages = 0
        seconds = 0.0
        for year, report in REPORTS.items():
            scans = scanned(report, resolution, {0: (kind,), 1: (kind,)} if kind else None)
            document = image_pdf(scans, resolution)
            started = time.process_time()
            record = extract_bytes(document, name="scan.pdf")
            seconds += time.process_time() - started
            pages += len(scans)
            wrong = cells_wrong(record, report)
            total = len(report.expected_request_cells()) + len(report.expected_appeal_cells())
            cells += total
            right += total - len(wrong)
            missing += sum(cell[4] == "missing" for cell in wrong)
            silent += sum(cell[4] != "missing" and not flagged(record, cell) for cell in wrong)
            expected = {(f.metric, f.category, f.value) for f in truth[year].figures}
            figures += len(expected)
            figures_right += len(expected & {(f.metric, f.category, f.value) for f in record.figures})
        result["sets"][name] = {"pages": pages, "s_per_page": seconds / pages, "cells": (right, cells),
                                "missing": missing, "silent_wrong": silent, "figures": (figures_right, figures)}
    return result


def free_text(count: int = 12, dpi: int = 300) -> dict:
    """Free-text figures from scans against the same reports' text: each generated report's text
    printed to PDF, scanned (clean, and degraded), extracted; true positives, extra and missed."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    rng = random.Random(22)
    result = {name: {"found": 0, "extra": 0, "missed": 0, "pages": 0} for name in FREE_TEXT_SETS}
    for generated in generate(count):
        text = extract_bytes(generated.data, name=generated.name)
        truth = {(f.metric, f.category, f.value) for f in text.figures}
        pages = page_images(_printed(text.text), dpi)
        for name, kinds in FREE_TEXT_SETS.items():
            scans = pages
            for kind in kinds:
                scans = [degrade(page, kind, rng, dpi) for page in scans]
            read = {(f.metric, f.category, f.value) for f in extract_bytes(image_pdf(scans, dpi), name="scan.pdf").figures}
            counts = result[name]
            counts["found"] += len(truth & read)
            counts["extra"] += len(read - truth)
            counts["missed"] += len(truth - read)
            counts["pages"] += len(scans)
    return {"reports": count, "sets": result}


def _printed(text: str) -> bytes:
    """A report's text as a plain PDF, a line a paragraph (what its scan is made of)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(CJK_FONT), collection_font_number=0)
    pdf.set_font("cjk", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def free_text_report(result: dict) -> str:
    lines = [f"Free-text figures from scans against the same reports' text ({result['reports']} generated reports)", "",
             "| scans | pages | figures found | extra | missed | precision | recall | F1 |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in result["sets"].items():
        precision = row["found"] / max(row["found"] + row["extra"], 1)
        recall = row["found"] / max(row["found"] + row["missed"], 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        lines.append(f"| {name} | {row['pages']} | {row['found']} | {row['extra']} | {row['missed']} | "
                     f"{precision:.3f} | {recall:.3f} | {f1:.3f} |")
    return "\n".join(lines)


def report(result: dict) -> str:
    lines = ["OCR of scanned table reports (2 reports, 2 pages each), one core",
             f"born-digital PDF extraction: {result['born_digital_s_per_report']:.2f} s a report", "",
             "| scans | pages/s | s/page | × born-digital | cells right | cells missing | silent wrong | summary figures right |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    degraded = [0, 0, 0, 0]
    for name, row in result["sets"].items():
        right, cells = row["cells"]
        figures_right, figures = row["figures"]
        per_report = row["s_per_page"] * 2
        lines.append(f"| {name} | {1 / row['s_per_page']:.2f} | {row['s_per_page']:.2f} | "
                     f"{per_report / result['born_digital_s_per_report']:.0f}× | {right}/{cells} ({right / cells:.1%}) | "
                     f"{row['missing']} | {row['silent_wrong']} | {figures_right}/{figures} |")
        if not name.startswith("clean"):
            degraded = [a + b for a, b in zip(degraded, (right, cells, row["missing"], row["silent_wrong"]))]
    lines.append(f"| degraded set, all | | | | {degraded[0]}/{degraded[1]} ({degraded[0] / degraded[1]:.1%}) | "
                 f"{degraded[2]} | {degraded[3]} | |")
    return "\n".join(lines)
