"""www.linwu.test, the mock site whose reports are scans (issue 22): a county portal's report
column listing a 2021-format report published as an image-only PDF and a 2013 report with its
统计表 published as one JPG picture, each attached to a short report page, and a 2019 report whose
page's body is only its pages as pictures (<img>, one a page, their file names not in page order),
among the site's logo, a QR code, an icon and a small picture in the body. The scans are made from
the suite's own reports (tests/table_reports.py, tests/table_forms.py) at 150 dpi in grey, as
counties scan them; the truth is those reports' cells and figures. The site is crawled on its
own (tests/test_ocr.py): OCR costs seconds a page, too much for every crawl of the other sites.

    .venv/bin/python -m tests.scan_site      rewrites the site's files
"""

from __future__ import annotations

import dataclasses
import html
import io
from pathlib import Path

from PIL import Image, ImageDraw

from tests.scans import grey_scan, image_pdf, long_jpg
from tests.table_forms import StatisticsTable, statistics_pdf
from tests.table_reports import REPORT_2019, REPORT_2020, pdf_bytes

HOST = "www.linwu.test"
SITE = Path(__file__).resolve().parent / "sites" / HOST
DPI = 150
# the 2021-format report (REPORT_2020's cells), as a county health commission's
TABLES = dataclasses.replace(REPORT_2020, agency="临武县卫生健康局")
# a 2013 report's statistics table, made-up figures whose parts add up (the year and the cumulative total)
STATISTICS = StatisticsTable(year=2013, columns=("{year}年度", "历年累计"), values=[
    [412, 1568], [398, 1490], [14, 78], [9, 31], [2, 8], [6, 19], [1, 4], [9, 31], [7, 25], [1, 4], [1, 2],
    [0, 1], [0, 0], [1, 3]])
STATISTICS_AGENCY = "临武县教育局"
# the 2019 report whose page shows its two pages as pictures in its body, in this order
PICTURES_REPORT = dataclasses.replace(REPORT_2019, agency="临武县自然资源局")
PICTURES_PAGE = "xxgk/ndbg/202003/t20200312_6120.html"
PICTURES = ["xxgk/ndbg/202003/W020200312616253845000.jpg", "xxgk/ndbg/202003/W020200312383810742531.jpg"]
SMALL_PICTURE = "xxgk/ndbg/202003/W020200312000000000001.png"     # in the body, 200 px square: not a page
CHROME = ["images/logo.png", "images/qrcode.png", "images/print.png"]      # never fetched
# (report page, its attachment, title, date): the column's items, newest first
ITEMS = [(PICTURES_PAGE, None, PICTURES_REPORT.title, "2020-03-12"),
         ("xxgk/ndbg/202101/t20210126_5231.html", "xxgk/ndbg/202101/P020210126.pdf",
          TABLES.title, "2021-01-26"),
         ("xxgk/ndbg/201403/t20140320_1187.html", "xxgk/ndbg/201403/P020140320.jpg",
          f"{STATISTICS_AGENCY}2013年政府信息公开工作年度报告", "2014-03-20")]


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}-临武县人民政府</title>\n'
            f'</head>\n<body>\n<div class="header"><img src="/{CHROME[0]}" alt="临武县人民政府"></div>\n'
            f'<div class="nav"><a href="/">首页</a> <a href="/xxgk/ndbg/index.html">政府信息公开年报</a></div>\n'
            f'{body}\n<div class="footer">主办：临武县人民政府办公室 <img src="/{CHROME[1]}" width="120" height="120"></div>\n'
            f'</body>\n</html>\n').encode("utf-8")


def _body(attachment: str | None, title: str, date: str) -> str:
    """A report page's body: its title and date, then its attachment link or its pages as pictures."""
    head = f"<h1>{html.escape(title)}</h1>\n<p>发布日期：{date} <img src=\"/{CHROME[2]}\" width=\"16\"> 打印</p>\n"
    if attachment:
        return head + f'<p>附件：<a href="/{attachment}">{html.escape(title)}.{attachment.rsplit(".", 1)[1]}</a></p>'
    pictures = "\n".join(f'<p style="text-align:center"><img src="/{name}" style="width: 100%"></p>'
                         for name in PICTURES)
    return head + f'<div class="TRS_Editor">\n{pictures}\n<p><img src="/{SMALL_PICTURE}"></p>\n</div>'


def scans() -> dict[str, bytes]:
    """The scans: the 2021-format report as an image-only PDF of grey JPEG pages, the 2013 report
    as one grey JPG picture, the 2019 report's pages as grey JPG pictures; the small picture and
    the chrome's pictures."""
    statistics = grey_scan(statistics_pdf(STATISTICS, STATISTICS_AGENCY), DPI)
    pages = grey_scan(pdf_bytes(PICTURES_REPORT), DPI)
    return {ITEMS[1][1]: image_pdf(grey_scan(pdf_bytes(TABLES), DPI), DPI, jpeg=True),
            ITEMS[2][1]: long_jpg(statistics, DPI, quality=75),
            **{name: long_jpg([page], DPI, quality=75) for name, page in zip(PICTURES, pages)},
            **{name: _picture(size) for name, size in zip([SMALL_PICTURE, *CHROME], (200, 240, 120, 16))}}


def _picture(size: int) -> bytes:
    """A square PNG picture with a pattern on it (what a QR code or a logo is to the crawler)."""
    picture = Image.new("L", (size, size), 255)
    ImageDraw.Draw(picture).rectangle((size // 4, size // 4, size * 3 // 4, size * 3 // 4), fill=0)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def write(site: Path = SITE) -> list[Path]:
    files = {"index.html": _page("首页", '<ul><li><a href="/xxgk/ndbg/index.html">政府信息公开年报</a></li></ul>'),
             "xxgk/ndbg/index.html": _page("政府信息公开年报", "<ul>\n" + "\n".join(
                 f'<li><a href="/{page}">{html.escape(title)}</a><span>{date}</span></li>'
                 for page, _, title, date in ITEMS) + "\n</ul>")}
    for page, attachment, title, date in ITEMS:
        files[page] = _page(title, _body(attachment, title, date))
    files |= scans()
    written = []
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
        written.append(site / name)
    return written


if __name__ == "__main__":
    for path in write():
        print(path, path.stat().st_size)
