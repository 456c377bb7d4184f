"""The demo's standard-table reports: 常宁市教育局's reports for 2019 to 2024, written by the project
(the figures are made up; no real report is copied) in the forms such reports come in: HTML pages
with the three tables (2019, 2020, 2022, 2024), a PDF (2021) and a DOCX (2023) attached to short
report pages, and the 2013 report with its 统计表 published as a scan (one grey JPG picture, read
by OCR). Together with the site's free-text reports (2014-2018) they give `make run` a
comparison across the 2019 change of format, 表三 cells, checks (the 2023 report's 总计 is
off by one, as real ones sometimes are) and a scan. The forms are tests/table_reports.py's,
tests/table_forms.py's and tests/scans.py's.

    .venv/bin/python -m tests.demo_reports      rewrites the files and the column's listing pages
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from tests.scans import grey_scan, long_jpg
from tests.table_forms import StatisticsTable, statistics_pdf
from tests.table_reports import ROWS_2019, ROWS_2021, TableReport, _html_table, docx_bytes, layouts, pdf_bytes

AGENCY = "常宁市教育局"
COLUMN = Path(__file__).resolve().parents[1] / "demo" / "sites" / "jyj.changning.demo.test" / "zwgk" / "ndbg"
PER_PAGE = 5


@dataclass
class Entry:
    """One item of the column's listing: its page, date and title."""
    page: str
    date: str
    title: str


# the column's free-text items, as the listing has them (content_4417.html is the demo's dead link)
EARLIER = [
    Entry("content_5831.html", "2019-03-22", "常宁市教育局2018年政府信息公开工作年度报告"),
    Entry("content_5102.html", "2018-03-26", "常宁市教育局2017年政府信息公开工作年度报告"),
    Entry("content_5068.html", "2018-01-10", "常宁市教育局2017年度工作总结"),
    Entry("content_4417.html", "2017-03-24", "常宁市教育局2016年政府信息公开工作年度报告"),
    Entry("content_3925.html", "2016-03-21", "常宁市教育局2015年政府信息公开工作年度报告"),
    Entry("content_3902.html", "2016-02-29", "常宁市教育局2016年政务公开工作要点"),
    Entry("content_3871.html", "2015-03-19", "常宁市教育局2014年政府信息公开工作年度报告"),
]

# the 2013 report, published as a scan of its page: its 统计表 (made-up figures whose parts add up)
SCANNED = Entry("content_3380.html", "2014-03-18", f"{AGENCY}2013年政府信息公开工作年度报告")
STATISTICS_2013 = StatisticsTable(year=2013, columns=("{year}年度",), values=[
    [286], [271], [15], [1], [1], [0], [0], [1], [1], [0], [0], [0], [0], [0]])

# 表三 by year: row → (natural persons, commercial enterprises); the other applicants are 0
TABLE3 = {
    2019: {"new_received": (6, 1), "granted": (3, 1), "partially_granted": (1, 0), "unable.not_held": (1, 0),
           "not_processed.repeat": (1, 0), "handled_total": (6, 1)},
    2020: {"new_received": (8, 2), "granted": (4, 1), "partially_granted": (1, 1), "denied.third_party": (1, 0),
           "unable.not_held": (1, 0), "handled_total": (7, 2), "carried_forward": (1, 0)},
    2021: {"new_received": (9, 1), "carried_over": (1, 0), "granted": (5, 1), "partially_granted": (2, 0),
           "unable.needs_creation": (1, 0), "other.overdue_correction": (1, 0), "handled_total": (9, 1),
           "carried_forward": (1, 0)},
    2022: {"new_received": (12, 3), "carried_over": (1, 0), "granted": (6, 2), "partially_granted": (2, 1),
           "denied.process_info": (1, 0), "unable.not_held": (2, 0), "not_processed.petition": (1, 0),
           "handled_total": (12, 3), "carried_forward": (1, 0)},
    2023: {"new_received": (10, 2), "carried_over": (1, 0), "granted": (5, 1), "partially_granted": (2, 0),
           "unable.not_held": (2, 1), "other.other": (1, 0), "handled_total": (11, 2),    # the parts make 10 + 2
           "carried_forward": (1, 0)},
    2024: {"new_received": (14, 2), "carried_over": (1, 0), "granted": (8, 2), "partially_granted": (3, 0),
           "denied.internal_affairs": (1, 0), "unable.unclear": (1, 0), "not_processed.repeat": (1, 0),
           "handled_total": (14, 2), "carried_forward": (1, 0)},
}
# 表四 (15 cells: 行政复议, 未经复议直接起诉, 复议后起诉; each 维持 纠正 其他 尚未审结 总计)
TABLE4 = {2022: (1, 0, 0, 0, 1) + (0,) * 10, 2024: (1, 0, 0, 1, 2, 0, 0, 0, 1, 1) + (0,) * 5}
# the page number, publication date and form of each year's report
FORMS = {2019: (6214, "2020-01-16", "html"), 2020: (6587, "2021-01-19", "html"), 2021: (7023, "2022-01-20", "pdf"),
         2022: (7490, "2023-03-15", "html"), 2023: (7912, "2024-01-22", "docx"), 2024: (8376, "2025-01-17", "html")}
ITEMS = {2019: 523, 2020: 561, 2021: 604, 2022: 588, 2023: 631, 2024: 657}


def report(year: int) -> TableReport:
    """The year's report, its cells as written."""
    rows = ROWS_2019 if year == 2019 else ROWS_2021
    cells = {key: ("0",) * 7 for key, _, _ in rows}
    for key, (people, companies) in TABLE3[year].items():
        cells[key] = (str(people), str(companies), "0", "0", "0", "0", str(people + companies))
    received = sum(TABLE3[year]["new_received"])
    if year == 2019:
        table2 = [("第二十条第（一）项", [("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
                                     ("规章", "0", "0", "0"), ("规范性文件", "2", "2", "9")]),
                  ("第二十条第（五）项", [("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
                                     ("行政许可", "12", "0", "86")]),
                  ("第二十条第（八）项", [("信息内容", "上一年项目数量", "本年增/减"), ("行政事业性收费", "3", "0")])]
    else:
        table2 = [("第二十条第（一）项", [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
                                     ("规章", "0", "0", "0"), ("行政规范性文件", str(year % 4 + 1), "1", str(year - 2010))]),
                  ("第二十条第（五）项", [("信息内容", "本年处理决定数量"), ("行政许可", str(70 + year % 2019 * 6))]),
                  ("第二十条第（八）项", [("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费", "0")])]
    return TableReport(
        year=year, era="tables_2019" if year == 2019 else "tables_2021", rows=rows, agency=AGENCY, table2=table2,
        table3={key: list(value) for key, value in cells.items()},
        table4=[str(n) for n in TABLE4.get(year, (0,) * 15)],
        overview=[f"{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年通过局网站和“常宁教育”微信公众号"
                  f"主动公开政府信息{ITEMS[year]}条，重点公开招生入学、学生资助和教育经费信息。",
                  f"全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。"],
        closing=["五、存在的主要问题及改进情况",
                 "一是学校信息公开栏目建设不够均衡；二是政策解读形式较为单一。下一步，我局将完善公开目录，规范答复流程。",
                 "六、其他需要报告的事项", "本年度未收取信息处理费。"],
        signed=f"{FORMS[year][1][:4]}年{int(FORMS[year][1][5:7])}月{int(FORMS[year][1][8:])}日",
    )


def page(title: str, body: str) -> bytes:
    """A page of the site's CMS (its chrome, header lines and footer) around `body`."""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}-常宁市教育局</title>
<meta name="keywords" content="常宁市教育局,常宁教育">
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body>
<div class="top"><div class="container"><span class="site-name">常宁市教育局</span><span class="welcome">欢迎访问常宁市教育局网站</span></div></div>
<div class="nav"><div class="container">
  <a href="/">首页</a><a href="/jyxw/index.html">教育新闻</a><a href="/zwgk/index.html">政务公开</a><a href="/zwgk/ndbg/index.html">年度报告</a><a href="/bsfw/index.html">办事服务</a><a href="/hdjl/index.html">互动交流</a>
</div></div>
<div class="container main">
<div class="crumbs">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt; <a href="/zwgk/ndbg/index.html">年度报告</a></div>
{body}
</div>
<div class="footer"><div class="container">
  <p>版权所有：常宁市教育局　地址：常宁市宜阳街道青阳北路35号　电话：0734-7221645</p>
  <p>湘ICP备12003456号</p>
</div></div>
</body>
</html>
""".encode("utf-8")


def article(title: str, date: str, paragraphs: str) -> str:
    """A report's title, header line and body, as the CMS sets them."""
    return (f'<div class="article">\n  <h2 class="art-title">{title}</h2>\n'
            f'  <div class="art-info">发布时间：{date} 09:30:00　来源：常宁市教育局　作者：局办公室　点击数：'
            f'<span id="hits">0</span></div>\n  <div class="art-body" id="zoom">\n{paragraphs}\n  </div>\n</div>')


def table_page(report: TableReport, date: str) -> bytes:
    """The report as an HTML page: its prose and its three tables."""
    p = lambda text: f'<p style="text-indent:2em;">{html.escape(text)}</p>'  # noqa: E731
    parts = [p("根据《中华人民共和国政府信息公开条例》要求，现公布本报告。"), p("一、总体情况"), *map(p, report.overview)]
    for heading, layout in layouts(report):
        parts += [p(heading), _html_table(layout)]
    parts += [*map(p, report.closing), f'<p style="text-align:right;">{report.agency}</p>',
              f'<p style="text-align:right;">{report.signed}</p>']
    return page(report.title, article(report.title, date, "\n".join(parts)))


def attachment_page(title: str, date: str, name: str, suffix: str) -> bytes:
    """A short report page whose report is its attachment."""
    body = (f'<p style="text-indent:2em;">现将{html.escape(title)}全文公布如下（见附件）。</p>\n'
            f'<div class="fj"><p>附件：<a href="/zwgk/ndbg/{name}" target="_blank">'
            f'{html.escape(title)}.{suffix}</a></p></div>')
    return page(title, article(title, date, body))


def listing(entries: list[Entry], number: int, pages: int) -> bytes:
    """Listing page `number` (1-based) of the column."""
    name = lambda n: "/zwgk/ndbg/index.html" if n == 1 else f"/zwgk/ndbg/index_{n}.html"  # noqa: E731
    items = "\n".join(f'    <li><span class="date">{e.date}</span><a href="/zwgk/ndbg/{e.page}" target="_blank" '
                      f'title="{e.title}">{e.title}</a></li>' for e in entries)
    link = lambda n, text, active: f'<a href="{name(n)}">{text}</a>' if active else text  # noqa: E731
    total = len(EARLIER) + len(FORMS) + 1
    pager = "&nbsp;".join([f"共{total}条记录", f"每页{PER_PAGE}条", f"第{number}/{pages}页",
                           link(1, "首页", number > 1), link(number - 1, "上一页", number > 1),
                           link(number + 1, "下一页", number < pages), link(pages, "尾页", number < pages)])
    body = (f'<div class="list-box">\n  <div class="list-title">年度报告</div>\n  <ul class="news-list">\n{items}\n'
            f'  </ul>\n  <div class="pagination">{pager}</div>\n</div>')
    return page("年度报告", body)


def write(column: Path = COLUMN) -> list[Path]:
    """Every table-era report, its attachment, the 2013 scan and the column's listing pages, into `column`."""
    files, entries = {}, []
    for year in sorted(FORMS, reverse=True):
        number, date, form = FORMS[year]
        record = report(year)
        name = f"content_{number}.html"
        if form == "html":
            files[name] = table_page(record, date)
        else:
            attachment = f"P{date.replace('-', '')}{number}.{form}"
            files[name] = attachment_page(record.title, date, attachment, form)
            files[attachment] = pdf_bytes(record) if form == "pdf" else docx_bytes(record)
        entries.append(Entry(name, date, record.title))
    scan = f"P{SCANNED.date.replace('-', '')}{SCANNED.page[8:-5]}.jpg"
    files[SCANNED.page] = attachment_page(SCANNED.title, SCANNED.date, scan, "jpg")
    files[scan] = long_jpg(grey_scan(statistics_pdf(STATISTICS_2013, AGENCY)), 150, quality=75)
    entries += EARLIER + [SCANNED]
    pages = -(-len(entries) // PER_PAGE)
    for number in range(1, pages + 1):
        files["index.html" if number == 1 else f"index_{number}.html"] = \
            listing(entries[(number - 1) * PER_PAGE:number * PER_PAGE], number, pages)
    for name, data in files.items():
        (column / name).write_bytes(data)
    return [column / name for name in files]


if __name__ == "__main__":
    for path in write():
        print(path)
