"""Free-text extraction speed: generated reports per second, against lxml parsing the same
files and taking their text (nothing more), on one core; and the share of the generated
figures that extraction recovers."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import lxml.html

from bench.generate import generate
from extract import extract_file


def run(count: int = 1000, rounds: int = 3) -> dict:
    """Generate `count` reports, time both passes `rounds` times, keep the best of each."""
    reports = generate(count)
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as folder:
        paths = []
        for report in reports:
            path = Path(folder) / report.name
            path.write_bytes(report.data)
            paths.append(path)
        baseline = min(_timed(lambda: [lxml.html.document_fromstring(p.read_bytes()).text_content()
                                       for p in paths]) for _ in range(rounds))
        records = []
        extraction = min(_timed(lambda: records.append([extract_file(p) for p in paths]))
                         for _ in range(rounds))
    stated = sum(len(r.figures) for r in reports)
    found = [{(f.metric, f.value) for f in rec.figures} for rec in records[-1]]
    recovered = sum(len(r.figures & got) for r, got in zip(reports, found))
    extra = sum(len(got - r.figures) for r, got in zip(reports, found))
    size = sum(len(r.data) for r in reports) / count
    return {
        "reports": count, "mean_bytes": round(size),
        "extract_per_s": count / extraction, "baseline_per_s": count / baseline,
        "ratio": extraction / baseline, "figures_stated": stated, "figures_recovered": recovered,
        "figures_extra": extra,
    }


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def report(result: dict) -> str:
    return (f"free-text extraction: {result['reports']} generated reports ({result['mean_bytes']} bytes each)\n"
            f"  xxgk extract        {result['extract_per_s']:8.1f} reports/s\n"
            f"  baseline (lxml text){result['baseline_per_s']:8.1f} reports/s\n"
            f"  ratio               {result['ratio']:8.2f} x the baseline's time (target <= 4)\n"
            f"  figures recovered   {result['figures_recovered']}/{result['figures_stated']} "
            f"({100 * result['figures_recovered'] / result['figures_stated']:.1f}%), "
            f"{result['figures_extra']} extracted that the reports do not state")
