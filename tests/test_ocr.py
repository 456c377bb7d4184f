"""Scanned reports read by OCR (issue 22): the suite's table reports rendered to page images,
degraded, wrapped as image-only PDFs and JPG/TIFF pictures (tests/scans.py), and every 表三/表四
cell and summary figure compared with the born-digital record. Needs Tesseract with chi_sim
(.ci/system-packages installs it); each test OCRs at most two pages."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from demo.server import SiteServer
from extract import ExtractError, extract_bytes
from extract.formats import ocr
from extract.formats.tesseract import tessdata
from tests import scan_site
from tests.crawling import EXPECTED, SITES, archive, crawl, write_sites
from tests.scans import cells_wrong, flagged, image_pdf, long_jpg, scanned, tiff
from tests.table_reports import REPORT_2019, REPORT_2020, html_page, pdf_bytes

needs_ocr = pytest.mark.skipif(tessdata() is None, reason="Tesseract with chi_sim is not installed")


def _summary(record) -> set:
    return {(f.metric, f.category, f.value, f.qualifier) for f in record.figures}


@pytest.fixture(scope="module")
def clean_2019():
    """The 2019 report as a clean 300 dpi image-only PDF, its pages as OCR read them and what
    OCR saw (read once, replayed by `_replay`)."""
    document = image_pdf(scanned(REPORT_2019, 300), 300)
    seen = ocr.ScannedText()
    return document, ocr.read_pdf_pages(document, [1, 2], seen), seen


def _replay(read, seen, confidence: dict | None = None):
    """A stand-in for ocr.read_pdf_pages that gives what it read before (`confidence` changed)."""
    def reading(data, numbers, scanned):
        scanned.__dict__.update(copy.deepcopy(seen.__dict__))
        scanned.confidence.update(confidence or {})
        return copy.deepcopy(read)
    return reading


@needs_ocr
def test_a_clean_scan_gives_the_born_digital_record(clean_2019, monkeypatch):
    document, read, seen = clean_2019
    monkeypatch.setattr(ocr, "read_pdf_pages", _replay(read, seen))
    record = extract_bytes(document, name="scan.pdf")
    born = extract_bytes(pdf_bytes(REPORT_2019), name="report.pdf")
    assert cells_wrong(record, REPORT_2019) == []
    assert _summary(record) == _summary(born)
    assert not [c.name for c in record.checks if c.status == "fail"]
    assert record.document["ocr"]["pages"] == [1, 2] and record.document["ocr"]["engine"].startswith("Tesseract 5")
    received = next(f for f in record.figures if f.metric == "requests.received" and f.evidence.startswith("表三"))
    assert received.confidence is not None and received.confidence > ocr.LOW_CONFIDENCE
    assert all(f.confidence is None for f in born.figures)
    filled = [c for c in record.request_cells + record.appeal_cells if c.raw.strip()]
    assert filled and all(c.confidence is not None and 0 <= c.confidence <= 100 for c in filled)   # each cell its own
    assert all(c.confidence is None for c in born.request_cells + born.appeal_cells)


@needs_ocr
def test_a_misread_digit_is_caught_by_the_tables_arithmetic(clean_2019, monkeypatch):
    """OCR that reads the 总计 of 表三's 办理结果 row as 18 (the scan says 13): the format's
    checks fail on that row and column, and a low confidence puts the cell in the warnings."""
    document, read, seen = clean_2019
    misread = copy.deepcopy(read)
    lines, grids = next(page for page in misread.values() if any("总计" in line and line.endswith(" 13") for line in page[0]))
    row = next(row for grid in grids for row in grid.rows if any("总计" in cell for cell in row[:3]) and row[-1] == "13")
    row[-1] = "18"
    at = next(i for i, line in enumerate(lines) if "总计" in line and line.endswith(" 13"))
    lines[at] = lines[at][:-2] + "18"
    monkeypatch.setattr(ocr, "read_pdf_pages", _replay(misread, seen, {ocr.line_key(lines[at]): 41.0}))
    record = extract_bytes(document, name="scan.pdf")
    assert [(c[1], c[2], c[4]) for c in cells_wrong(record, REPORT_2019)] == [("handled_total", "total", 18)]
    failed = [c.name for c in record.checks if c.status == "fail"]
    assert "表三 handled_total: applicants = total" in failed and any(name.startswith("表三 total:") for name in failed)
    assert any("requests.handled_total = 18: read by OCR with confidence 41%" in w for w in record.warnings)


@needs_ocr
def test_a_total_is_as_sure_as_its_least_sure_cell(clean_2019, monkeypatch):
    """表四's totals and 表三's sums over rows carry the lowest confidence of the rows holding
    their cells; a figure written in words (未收取) carries its line's words'."""
    document, read, seen = clean_2019
    lines = [line for page, _ in read.values() for line in page]
    values = next(line for line in lines if len(line.split()) == 15 and all(w.isdigit() for w in line.split()))
    denied = next(line for line in lines if line.startswith("3.危及"))
    monkeypatch.setattr(ocr, "read_pdf_pages", _replay(read, seen, {ocr.line_key(values): 52.0,
                                                                    ocr.line_key(denied): 61.0}))
    record = extract_bytes(document, name="scan.pdf")
    confidence = {f.metric: f.confidence for f in record.figures}
    assert confidence["reconsideration.total"] == confidence["litigation.total"] == 52.0
    assert confidence["requests.denied"] == 61.0 and confidence["requests.received"] > 61.0
    assert [f.evidence for f in record.figures if f.confidence is None] == []
    assert any("reconsideration.total = 1: read by OCR with confidence 52%" in w for w in record.warnings)


@needs_ocr
def test_a_jpg_long_picture_skewed_on_grey_paper_with_a_seal_and_noise():
    """Both pages one under the other in one poor JPG (quality 40), turned 3°."""
    pages = scanned(REPORT_2020, 300, {0: ("grey", "skew-3"), 1: ("seal", "salt", "skew-3")})
    record = extract_bytes(long_jpg(pages, 300, quality=40), name="附件1.jpg")
    wrong = cells_wrong(record, REPORT_2020)
    cells = len(REPORT_2020.expected_request_cells()) + len(REPORT_2020.expected_appeal_cells())
    assert len(wrong) <= 0.02 * cells, wrong
    assert [cell for cell in wrong if cell[4] != "missing" and not flagged(record, cell)] == []   # none silent
    assert record.document["format"] == "image" and record.document["ocr"]["pages"] == [1]
    assert "专用章" not in record.text                     # the seal is not text
    assert record.agency == REPORT_2020.agency and record.year == 2020


@needs_ocr
def test_pages_scanned_sideways_and_upside_down_at_150_dpi():
    pages = scanned(REPORT_2019, 150, {0: ("turn90", "blur"), 1: ("turn180",)})
    record = extract_bytes(tiff(pages, 150), name="scan.tif")
    assert cells_wrong(record, REPORT_2019) == []
    assert record.document["ocr"]["pages"] == [1, 2]


@needs_ocr
def test_a_pdf_whose_fonts_have_no_unicode_map_is_read_by_ocr():
    record = extract_bytes(pdf_bytes(REPORT_2019, damage="cid"), name="cid.pdf")
    assert record.document["ocr"]["pages"] == [1, 2]
    assert cells_wrong(record, REPORT_2019) == []


def _typeset(paragraphs: list[tuple[str, int]], dpi: int = 300) -> bytes:
    """A PNG page of (text, size in points) paragraphs, each broken into lines at the right
    margin wherever it falls (inside a word, as a printer does)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from tests.table_reports import CJK_FONT

    width, margin = int(8.27 * dpi), dpi
    page = Image.new("L", (width, int(11.69 * dpi)), 255)
    draw, top = ImageDraw.Draw(page), margin
    for text, points in paragraphs:
        font = ImageFont.truetype(str(CJK_FONT), points * dpi // 72)
        while text:
            end = next((i for i in range(1, len(text) + 1) if font.getlength(text[:i]) > width - 2 * margin),
                       len(text) + 1) - 1
            draw.text((margin, top), text[:end], font=font, fill=0)
            text, top = text[end:], top + int(font.size * 1.8)
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


@needs_ocr
def test_headings_in_a_large_font_and_sentences_wrapped_at_the_margin():
    """A 三号 heading's 一 and 二 are read, not taken for ruling lines or noise; a sentence that
    runs on over the margin is one line again, as a born-digital PDF's reader makes it, so the
    figure the break cut in two (机 / 构职能) is found."""
    sentence = ("2012年，共主动公开政府信息4362条，较上年增加145条。其中工作动态304条、规划计划201条、"
                "机构职能1072条、政策法规1333条。")
    record = extract_bytes(_typeset([("临武县人民政府2012年政府信息公开工作年度报告", 16), ("一、概述", 16),
                                     ("本年度我县认真贯彻落实《条例》，扎实推进政府信息公开工作。", 11),
                                     ("二、主动公开政府信息情况", 16), (sentence, 11)]), name="page.png")
    lines = record.text.split("\n")
    assert "一、概述" in lines and "二、主动公开政府信息情况" in lines
    assert sentence.replace("，", ",") in [line.replace("，", ",") for line in lines]
    figures = {(f.metric, f.category): f.value for f in record.figures}
    assert figures[("proactive.items_by_category", "机构职能")] == 1072


def test_without_the_engine_a_scan_waits_for_it(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_TESSDATA", str(tmp_path))
    from extract.formats.engines import installed

    assert not installed("Tesseract")
    picture = long_jpg(scanned(REPORT_2020, 100)[:1], 100)
    for data, name in ((picture, "page.jpg"), (image_pdf(scanned(REPORT_2020, 100)[:1], 100), "scan.pdf")):
        with pytest.raises(ExtractError, match=r"needs OCR \(install tesseract-ocr tesseract-ocr-chi-sim\)") as raised:
            extract_bytes(data, name=name)
        assert raised.value.needs == "Tesseract"
    report = extract_bytes(html_page(REPORT_2020), name="http://x.test/t.html", scans=[("http://x.test/p1.jpg", picture)])
    assert "ocr" not in report.document and "1 picture in the page's body not read by OCR: the page's own text " \
        "is the report" in report.warnings                                # a report in HTML with a picture (a 图解)
    page = "<html><body><h1>临武县2020年政府信息公开工作年度报告</h1><img src='p1.jpg'></body></html>".encode()
    with pytest.raises(ExtractError, match=r"needs OCR") as raised:      # a page whose body is its pages' pictures
        extract_bytes(page, name="http://x.test/t.html", scans=[("http://x.test/p1.jpg", picture)])
    assert raised.value.needs == "Tesseract"


@needs_ocr
def test_the_engine_runs_with_the_network_cut(tmp_path):
    """No model is fetched at run time: a page is read in a process with no network at all."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare here to cut the network")
    page = tmp_path / "page.png"
    scanned(REPORT_2020, 150)[0].save(page)
    code = ("import socket, sys; from extract import extract_file\n"
            "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=2); print('network')\n"
            "except OSError:\n    pass\n"
            "r = extract_file(sys.argv[1]); print(r.document['ocr']['engine'], len(r.request_cells))")
    for cut in (["unshare", "-n"], ["unshare", "-rn"]):
        done = subprocess.run([*cut, sys.executable, "-c", code, str(page)], capture_output=True, text=True, timeout=300)
        if "unshare failed" not in done.stderr and "Operation not permitted" not in done.stderr:
            break
    else:
        pytest.skip(f"cannot cut the network here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "network" not in done.stdout
    engine, cells = done.stdout.split("chi_sim")
    assert engine.startswith("Tesseract 5") and int(cells) == 14        # 表三's first two rows stand on page 1


def test_a_skew_is_measured_and_a_spread_is_cut_at_its_gutter():
    import cv2
    import numpy as np

    from extract.formats.scan_pages import halves, skew

    page = np.zeros((1200, 900), np.uint8)
    for top in range(100, 1100, 40):                   # lines of "text"
        page[top:top + 12, 80:820] = 255
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((450, 600), 2.0, 1.0), (900, 1200))
    assert abs(skew(turned) + 2.0) <= 0.1 and abs(skew(page)) <= 0.15     # turned back by -2°
    spread = np.hstack([page, np.zeros((1200, 60), np.uint8), page])
    parts = halves(spread)
    assert len(parts) == 2 and 900 <= parts[0].stop <= 960 and parts[1] == slice(parts[0].stop, 1860)
    assert halves(page) == [slice(0, 900)]


def _cells(db, report_id: int) -> SimpleNamespace:
    """A stored report's 表三 and 表四 cells, as cells_wrong reads them off a record."""
    return SimpleNamespace(**{table: [SimpleNamespace(**row) for row in db.query(
        f"select * from {table} where report_id = ?", [report_id])] for table in ("request_cells", "appeal_cells")})


@needs_ocr
def test_a_crawl_reads_scanned_pdfs_pictures_and_page_pictures_end_to_end(tmp_path):
    """www.linwu.test: report page → image-only PDF (a 2021-format report), JPG picture (a 2013
    report and its 统计表) or the pictures of its pages in its body (a 2019 report, read in the
    page's order) → a record with its cells and figures, each figure with its confidence. The
    site's logo, QR code and icon are not fetched; a small picture in the body is, and is not read."""
    sites = write_sites(tmp_path, f'[[site]]\nname = "linwu"\nstart_urls = ["http://{scan_site.HOST}/"]\n')
    with SiteServer(SITES) as server:
        result = crawl(server, sites, tmp_path / "data")
    assert result.returncode == 0, result.stderr[-3000:]
    db = archive(tmp_path / "data")
    records = {r["url"]: r for r in db.query("select r.*, d.kind, d.report_url from reports r join documents d "
                                             "on d.id = r.document_id")}
    assert {(url, r["report_url"]) for url, r in records.items() if r["kind"] == "attachment"} == {
        (s["attachment"], s["url"]) for s in EXPECTED["scanned"] if "attachment" in s}
    for expected in EXPECTED["scanned"]:
        record = records[expected.get("attachment", expected["url"])]
        assert (record["year"], record["era"], record["agency"]) == (expected["year"], expected["era"],
                                                                     expected["agency"])
        ocr_read = json.loads(record["ocr"])
        assert ocr_read["pages"] == ([1, 2] if expected["era"] != "free_text" else [1])
        assert ocr_read.get("pictures", []) == expected.get("pictures", [])
        figures = list(db.query("select confidence, evidence from figures where report_id = ?", [record["id"]]))
        assert figures and all(0 <= f["confidence"] <= 100 for f in figures if f["confidence"] is not None)
        assert [f["evidence"] for f in figures if f["confidence"] is None] == []
    pictures, tables, statistics = (records[s.get("attachment", s["url"])] for s in EXPECTED["scanned"])
    assert cells_wrong(_cells(db, pictures["id"]), scan_site.PICTURES_REPORT) == []
    assert cells_wrong(_cells(db, tables["id"]), scan_site.TABLES) == []
    figures = {(f["metric"], f["category"]): f["value"] for f in db.query(
        "select metric, category, value from figures where report_id = ? and is_first = 1", [statistics["id"]])}
    truth = scan_site.STATISTICS.figures()
    assert [key for key in truth if key in figures and figures[key] != truth[key]] == []     # none wrong
    assert len([key for key in truth if key not in figures]) <= 1      # 3.信函申请数 may be read as 信上函申请数
    # the page's pictures are the report's, archived with it; the chrome's are never fetched
    small = f"http://{scan_site.HOST}/{scan_site.SMALL_PICTURE}"
    fetched = {d["url"]: d for d in db.query("select d.url, d.kind, d.report_url, f.parent_url from documents d "
                                             "join frontier f on f.url = d.url")}
    assert {url: (d["report_url"], d["parent_url"]) for url, d in fetched.items() if d["kind"] == "page_scan"} == {
        url: (pictures["url"], pictures["url"]) for url in [*EXPECTED["scanned"][0]["pictures"], small]}
    assert [url for url in fetched if url.endswith(tuple(scan_site.CHROME))] == []
    assert any(small in w and "too few for a page" in w for w in json.loads(pictures["warnings"]))


def test_the_pictures_of_a_page_that_can_be_page_scans():
    """Pictures in a report page's body, in order, each once (a lazy-loaded one by its data-src, a
    thumbnail by the full-size picture it links to); not the chrome's, not icons or QR codes by
    name or shown size, not a banner linking elsewhere, not a GIF."""
    from crawler.links import Page

    body = """<html><body><div id="top"><img src="/img/a.jpg"></div><nav><img src="/img/b.jpg"></nav>
    <div class="TRS_Editor"><p><img src="W0200.jpg"></p><p><a href="W0201.jpg"><img src="W0201_s.jpg"></a></p>
    <p><img data-src="W0202.png" src="data:image/gif;base64,R0lGOD"></p><p><img src="W0200.jpg"></p>
    <img src="erweima.png"><img src="W0203.jpg" width="150"><img src="W0204.jpg" style="height:90px">
    <a href="/zt/index.html"><img src="zt.jpg"></a><img src="anim.gif"></div>
    <div class="bottom"><img src="/img/c.png"></div></body></html>"""
    page = Page.parse("http://x.test/ndbg/t1.html", body.encode("utf-8"))
    assert page.page_pictures() == [f"http://x.test/ndbg/W020{n}.{ext}" for n, ext in ((0, "jpg"), (1, "jpg"), (2, "png"))]


def test_a_tiff_is_read_a_frame_at_a_time_within_its_limits(monkeypatch):
    """Every frame of a TIFF is checked as it is reached: one too large, or one past the frame
    limit, is refused with the reason, never decoded."""
    from PIL import Image

    def frames_of(*sizes) -> bytes:
        frames = [Image.new("1", size, 1) for size in sizes]
        out = io.BytesIO()
        frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
        return out.getvalue()

    image, frames = ocr._frames(frames_of((100, 100), (9000, 9000)))
    assert next(frames).shape == (100, 100, 3)
    with pytest.raises(ExtractError, match="9000×9000 pixels, over the limit"):
        next(frames)
    monkeypatch.setattr(ocr, "_MAX_FRAMES", 3)
    image, frames = ocr._frames(frames_of(*[(50, 50)] * 4))
    with pytest.raises(ExtractError, match="more than 3 frames"):
        list(frames)
