"""Scanned tables' grids: OpenCV's own (extract/formats/scan_tables.py) against img2table's
(issue 22 asks for both to be measured). The whole OCR benchmark (bench/ocr.py: every 表三/表四
cell of the suite's two table reports, clean and degraded) is run once with each grid finder,
the cells still read by the same Tesseract calls, and the seconds the grid finder itself took
a page are counted apart.

img2table is not a dependency of xxgk: install it into an environment of its own to run this,

    python -m venv /tmp/i2t && /tmp/i2t/bin/pip install img2table==2.0.0 -e .
    /tmp/i2t/bin/python -m bench grids

(it brings opencv-contrib-python and polars; finding bordered tables it downloads nothing).
Without it, only OpenCV's grid is measured."""

from __future__ import annotations

import importlib.util
import time

import cv2
import numpy as np

from bench import ocr as ocr_bench
from extract.formats import ocr
from extract.formats.scan_tables import ScannedTable, find_tables


def img2table_tables(ink: np.ndarray, dpi: int) -> list[ScannedTable]:
    """The bordered tables img2table finds on a page of ink, as scan_tables' ScannedTable: its
    cells' edges are the grid's rules (edges within a fiftieth of an inch one rule), each cell
    the slots between its edges."""
    from img2table.document import Image

    _, png = cv2.imencode(".png", 255 - ink)
    found = Image(src=png.tobytes(), detect_rotation=False).extract_tables()
    tolerance = max(3, dpi // 50)
    tables = []
    for table in found:
        boxes = list(dict.fromkeys((c.bbox.x1, c.bbox.y1, c.bbox.x2, c.bbox.y2)
                                   for row in table.content.values() for c in row))
        rows = _rules([y for box in boxes for y in (box[1], box[3])], tolerance)
        columns = _rules([x for box in boxes for x in (box[0], box[2])], tolerance)
        if len(rows) < 2 or len(columns) < 2:
            continue
        cells = [(_at(rows, y0), _at(columns, x0), _at(rows, y1) - 1, _at(columns, x1) - 1)
                 for x0, y0, x1, y1 in boxes]
        tables.append(ScannedTable(top=table.bbox.y1, bottom=table.bbox.y2, rows=rows, columns=columns,
                                   cells=[cell for cell in cells if cell[2] >= cell[0] and cell[3] >= cell[1]]))
    return sorted(tables, key=lambda t: t.top)


def _rules(edges: list[int], tolerance: int) -> list[int]:
    """Cell edges grouped into rules (each the mean of edges within `tolerance` of the last)."""
    groups: list[list[int]] = []
    for edge in sorted(edges):
        if groups and edge - groups[-1][-1] <= tolerance:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    return [round(sum(group) / len(group)) for group in groups]


def _at(rules: list[int], edge: int) -> int:
    return min(range(len(rules)), key=lambda i: abs(rules[i] - edge))


def run() -> dict:
    """bench/ocr.py's table benchmark with each grid finder, and the finder's own CPU seconds a page."""
    finders = {"OpenCV (scan_tables.py)": find_tables}
    if importlib.util.find_spec("img2table"):
        finders["img2table 2.0.0"] = img2table_tables
    results = {}
    for name, finder in finders.items():
        spent = {"seconds": 0.0, "pages": 0}

        def timed(ink, dpi, finder=finder, spent=spent):
            started = time.process_time()
            try:
                return finder(ink, dpi)
            finally:
                spent["seconds"] += time.process_time() - started
                spent["pages"] += 1

        ocr.find_tables = timed
        try:
            results[name] = {"ocr": ocr_bench.run(), "grid_s_per_page": spent["seconds"] / max(spent["pages"], 1)}
        finally:
            ocr.find_tables = find_tables
    return results


def report(results: dict) -> str:
    lines = ["Scanned tables' grids: the OCR benchmark's 表三/表四 cells with each grid finder, one core", "",
             "| grid | finding the grid, s/page | whole page, s/page | clean 300 dpi cells right | clean 150 dpi "
             "| degraded set cells right | silent wrong |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, result in results.items():
        sets = result["ocr"]["sets"]
        degraded = [sum(row["cells"][i] for key, row in sets.items() if not key.startswith("clean")) for i in (0, 1)]
        pages = sum(row["pages"] for row in sets.values())
        seconds = sum(row["s_per_page"] * row["pages"] for row in sets.values()) / pages
        clean, low = sets["clean 300 dpi"]["cells"], sets["clean 150 dpi"]["cells"]
        lines.append(f"| {name} | {result['grid_s_per_page']:.2f} | {seconds:.2f} | {clean[0]}/{clean[1]} | "
                     f"{low[0]}/{low[1]} | {degraded[0]}/{degraded[1]} ({degraded[0] / degraded[1]:.1%}) | "
                     f"{sum(row['silent_wrong'] for row in sets.values())} |")
    return "\n".join(lines)
