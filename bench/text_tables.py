"""Standard tables in text copies: every cell of generated tables (tests/table_forms.py) in each
text form real copies come in, whole and cut at a random character inside the tables (a page
opening); cells right, wrong, and null or absent (each said in a warning), and reports per
second against a baseline in the same run (decoding the page and finding its numbers)."""

from __future__ import annotations

import random
import re
import time
import zlib
from collections import Counter

from extract import extract_bytes
from tests.table_forms import FORMS, cells_of, cut_page, page, random_table, variant

_NUMBERS = re.compile(r"\d+")


def pages(per_form: int, cut: bool) -> list[tuple[str, bytes, dict]]:
    """(form, page, the cells it holds) for `per_form` tables of each form, half of each era."""
    out = []
    for form in FORMS:
        rng = random.Random(zlib.crc32(f"{form} {cut}".encode()))
        for i in range(per_form):
            table = random_table(rng, ("tables_2019", "tables_2021")[i % 2], large=rng.random() < 0.3)
            text = page(table, form, variant(rng))
            if cut:
                text = cut_page(rng, text)
            out.append((form, text.encode("utf-8"), table.request_cells() | table.appeal_cells()))
    return out


def score(documents: list[tuple[str, bytes, dict]]) -> dict[str, Counter]:
    """Per form: cells right, wrong, and left out (null or absent)."""
    counts: dict[str, Counter] = {}
    for form, data, truth in documents:
        record = extract_bytes(data, name="report.txt")
        cells = cells_of(record)
        c = counts.setdefault(form, Counter())
        for key, value in truth.items():
            got = cells.get(key)
            c["right" if got == value else "left out" if got is None else "wrong"] += 1
    return counts


def run(per_form: int = 20, rounds: int = 3) -> dict:
    """Score whole and cut pages; time the whole ones and the baseline, best of `rounds`."""
    whole, cut = pages(per_form, cut=False), pages(per_form, cut=True)
    data = [d for _, d, _ in whole]
    extract_s = min(_timed(lambda: [extract_bytes(d, name="report.txt") for d in data]) for _ in range(rounds))
    baseline_s = min(_timed(lambda: [_NUMBERS.findall(d.decode("utf-8")) for d in data]) for _ in range(rounds))
    return {"pages": len(data), "whole": score(whole), "cut": score(cut),
            "extract_per_s": len(data) / extract_s, "baseline_per_s": len(data) / baseline_s}


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def report(result: dict) -> str:
    lines = [f"standard tables in text copies: {result['pages']} pages, {len(FORMS)} forms",
             f"  {'form':22} {'whole: right / wrong / left out':>34} {'cut: right / wrong / left out':>32}"]
    for form in FORMS:
        w, c = result["whole"][form], result["cut"][form]
        lines.append(f"  {form:22} {w['right']:>14} / {w['wrong']:>5} / {w['left out']:>8} "
                     f"{c['right']:>12} / {c['wrong']:>5} / {c['left out']:>8}")
    total = {part: sum(result[part].values(), Counter()) for part in ("whole", "cut")}
    lines += [f"  {'all':22} {total['whole']['right']:>14} / {total['whole']['wrong']:>5} / "
              f"{total['whole']['left out']:>8} {total['cut']['right']:>12} / {total['cut']['wrong']:>5} / "
              f"{total['cut']['left out']:>8}",
              f"  xxgk extract      {result['extract_per_s']:8.1f} reports/s",
              f"  baseline          {result['baseline_per_s']:8.1f} reports/s (decoding and finding the numbers)",
              f"  ratio             {result['baseline_per_s'] / result['extract_per_s']:8.2f} x the baseline's time"]
    return "\n".join(lines)
