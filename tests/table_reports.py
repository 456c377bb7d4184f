"""Standard-table reports written for the tests (modelled on real 2019 and 2020 reports of a city
department), and every form they come in: an HTML page with merged cells, the same page with its
tables flattened into runs of numbers, a DOCX with merged cells, a PDF with ruled tables that run
over a page break, and variants with damage. The cell values here are the truth the tests
compare every extracted cell against.

    python -m tests.table_reports OUT_DIR     writes every form of both reports, to look at
"""

from __future__ import annotations

import html
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

AGENCY = "岳阳市生态环境局"
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")   # Debian fonts-wqy-microhei
DIGIT_FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"    # matplotlib's own

# 表三 rows: (key, group label, own label); a group label spans its rows.
_RESULTS = "三、本年度办理结果"
ROWS_2019 = [
    ("new_received", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
    ("granted", _RESULTS, "（一）予以公开"),
    ("partially_granted", _RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied.law_forbidden", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied.three_safety", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied.query_item", "（三）不予公开", "8.属于行政查询事项"),
    ("unable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeat", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.mass_repeat", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other", _RESULTS, "（六）其他处理"),
    ("handled_total", _RESULTS, "（七）总计"),
    ("carried_forward", None, "四、结转下年度继续办理"),
]
ROWS_2021 = ROWS_2019[:20] + [
    ("other.overdue_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.unpaid_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "（六）其他处理", "3.其他"),
] + ROWS_2019[21:]
KINDS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
OUTCOME_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass
class TableReport:
    year: int
    era: str
    table2: list[tuple[str, list[tuple[str, ...]]]]   # (第二十条 clause, [its header line, its rows …])
    table3: dict[str, list[str]]        # row key → the 7 cells as written
    table4: list[str]                   # the 15 cells as written
    overview: list[str]
    closing: list[str]
    signed: str
    rows: list = field(default_factory=list)
    agency: str = AGENCY

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def expected_request_cells(self) -> list[dict]:
        return [{"row": key, "applicant": applicant, "raw": raw, "value": _value(raw)}
                for key, _, _ in self.rows for applicant, raw in zip(APPLICANTS, self.table3[key])]

    def expected_appeal_cells(self) -> list[dict]:
        return [{"kind": kind, "outcome": outcome, "raw": raw, "value": _value(raw)}
                for i, (kind, outcome) in enumerate((k, o) for k in KINDS for o in OUTCOMES)
                for raw in [self.table4[i]]]


def _value(raw: str):
    raw = raw.strip()
    if raw in ("", "/", "—", "-", "无"):
        return None
    return float(raw) if "." in raw else int(raw)


def _row(*cells) -> list[str]:
    return [str(c) for c in cells]


REPORT_2019 = TableReport(
    year=2019, era="tables_2019", rows=ROWS_2019,
    table2=[
        ("第二十条第（一）项", [("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
                          ("规章", "0", "0", "0"), ("规范性文件", "3", "3", "15")]),
        ("第二十条第（五）项", [("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
                          ("行政许可", "42", "-2", "356"), ("其他对外管理服务事项", "10", "0", "25")]),
        ("第二十条第（六）项", [("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
                          ("行政处罚", "30", "0", "128"), ("行政强制", "5", "0", "7")]),
        ("第二十条第（八）项", [("信息内容", "上一年项目数量", "本年增/减"), ("行政事业性收费", "4", "-1")]),
        ("第二十条第（九）项", [("信息内容", "采购项目数量", "采购总金额（万元）"), ("政府集中采购", "6", "235.6")]),
    ],
    table3={
        "new_received": _row(10, 2, 0, 0, 1, 0, 13), "carried_over": _row(1, 0, 0, 0, 0, 0, 1),
        "granted": _row(5, 1, 0, 0, 0, 0, 6), "partially_granted": _row(1, 0, 0, 0, 1, 0, 2),
        **{key: _row(0, 0, 0, 0, 0, 0, 0) for key, _, _ in ROWS_2019 if key.startswith(("denied.", "unable.", "not_processed."))},
        "denied.third_party": _row(1, 0, 0, 0, 0, 0, 1), "unable.not_held": _row(2, 1, 0, 0, 0, 0, 3),
        "not_processed.petition": _row(1, 0, 0, 0, 0, 0, 1), "other": _row(0, 0, 0, 0, 0, 0, 0),
        "handled_total": _row(10, 2, 0, 0, 1, 0, 13), "carried_forward": _row(1, 0, 0, 0, 0, 0, 1),
    },
    table4=_row(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0),
    overview=[
        "2019年，我局认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "全年通过门户网站主动公开政府信息1268条。",
        "全年共收到政府信息公开申请13件，均在法定期限内予以答复。",
    ],
    closing=["五、存在的主要问题及改进情况",
             "一是公开内容不够全面，二是解读形式较为单一。下一步，我局将进一步规范依申请公开办理流程。",
             "六、其他需要报告的事项", "本年度未收取信息处理费。"],
    signed="2020年1月20日",
)

REPORT_2020 = TableReport(
    year=2020, era="tables_2021", rows=ROWS_2021,
    table2=[
        ("第二十条第（一）项", [("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
                          ("规章", "0", "0", "0"), ("行政规范性文件", "2", "1", "16")]),
        ("第二十条第（五）项", [("信息内容", "本年处理决定数量"), ("行政许可", "401")]),
        ("第二十条第（六）项", [("信息内容", "本年处理决定数量"), ("行政处罚", "156"), ("行政强制", "9")]),
        ("第二十条第（八）项", [("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费", "12.5")]),
    ],
    table3={
        "new_received": _row(15, 3, 1, "/", "/", 1, 20), "carried_over": _row(1, 0, 0, "/", "/", 0, 1),
        "granted": _row(8, 2, 1, "/", "/", 0, 11), "partially_granted": _row(2, 0, 0, "/", "/", 0, 2),
        **{key: _row(0, 0, 0, "/", "/", 0, 0) for key, _, _ in ROWS_2021 if key.startswith(("denied.", "unable.", "not_processed.", "other."))},
        "denied.process_info": _row(1, 0, 0, "/", "/", 0, 1), "unable.not_held": _row(2, 0, 0, "/", "/", 1, 3),
        "unable.unclear": _row(1, 0, 0, "/", "/", 0, 1), "not_processed.repeat": _row(1, 0, 0, "/", "/", 0, 1),
        "other.overdue_correction": _row(0, 1, 0, "/", "/", 0, 1),
        "handled_total": _row(15, 3, 1, "/", "/", 1, 20), "carried_forward": _row(1, 0, 0, "/", "/", 0, 1),
    },
    table4=_row(1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1),
    overview=[
        "2020年，我局主动公开政府信息1376条，其中机构职能、环境质量、行政执法等信息均在门户网站及时发布。",
        "全年共收到政府信息公开申请20件，上年结转1件。",
    ],
    closing=["五、存在的主要问题及改进情况",
             "政策解读的针对性还不强。下一步，我局将加强培训，提升答复质量。",
             "六、其他需要报告的事项", "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费380元。"],
    signed="2021年1月25日",
)
REPORTS = {2019: REPORT_2019, 2020: REPORT_2020}


# ---- the tables as cell layouts: rows of (text, rowspan, colspan), shared by every form ----

def table3_layout(report: TableReport, order: tuple[str, ...] = APPLICANTS) -> list[list[tuple[str, int, int]]]:
    """表三 with its three header lines and merged label cells; `order` puts the applicant
    columns in another order (the values follow their columns)."""
    names = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
             "social_welfare": "社会公益组织", "legal_services": "法律服务机构", "other_org": "其他", "total": "总计"}
    if order == APPLICANTS:
        header = [[(NOTE, 3, 3), ("申请人情况", 1, 7)],
                  [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
                  [(names[k], 1, 1) for k in APPLICANTS[1:6]]]
    else:
        header = [[(NOTE, 2, 3), ("申请人情况", 1, 7)], [(names[k], 1, 1) for k in order]]
    rows = []
    spans = {}
    for key, group, label in report.rows:
        spans[group] = spans.get(group, 0) + 1
    group_seen = set()
    results_rows = sum(n for g, n in spans.items() if g is not None)
    for key, group, label in report.rows:
        values = [(report.table3[key][APPLICANTS.index(k)], 1, 1) for k in order]
        cells = []
        if group is None:
            cells.append((label, 1, 3))
        else:
            if _RESULTS not in group_seen:
                cells.append((_RESULTS, results_rows, 1))
                group_seen.add(_RESULTS)
            if group == _RESULTS:
                cells.append((label, 1, 2))
            else:
                if group not in group_seen:
                    cells.append((group, spans[group], 1))
                    group_seen.add(group)
                cells.append((label, 1, 1))
        rows.append(cells + values)
    return header + rows


def table4_layout(report: TableReport) -> list[list[tuple[str, int, int]]]:
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(word, 2, 1) for word in OUTCOME_WORDS], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(word, 1, 1) for word in OUTCOME_WORDS * 2],
        [(value, 1, 1) for value in report.table4],
    ]


def table2_layout(report: TableReport) -> list[list[tuple[str, int, int]]]:
    rows = []
    for clause, lines in report.table2:
        rows.append([(clause, 1, 4)])
        for line in lines:
            cells = [(line[0], 1, 1)] + [(text, 1, 1) for text in line[1:]]
            if len(line) < 4:             # the last cell spans the columns the clause lacks
                text, r, c = cells[-1]
                cells[-1] = (text, r, c + 4 - len(line))
            rows.append(cells)
    return rows


def layouts(report: TableReport) -> list[tuple[str, list]]:
    return [("二、主动公开政府信息情况", table2_layout(report)),
            ("三、收到和处理政府信息公开申请情况", table3_layout(report)),
            ("四、政府信息公开行政复议、行政诉讼情况", table4_layout(report))]


# ---- HTML ----

def html_page(report: TableReport, *, order=APPLICANTS, split=False, blanks: dict | None = None) -> bytes:
    """The report as a CMS page: chrome, header lines, prose, three tables with merged cells.
    `split` cuts 表三 into two <table> elements; `blanks` overrides cells' text ((row, applicant) → raw)."""
    parts = ['<html><head><meta charset="utf-8"><title>', report.title, " - 岳阳市人民政府</title></head><body>",
             '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 年度报告</div>',
             f'<div class="article"><h1>{report.title}</h1>',
             f'<div class="info">发布时间：{report.year + 1}-01-25 09:30 来源：{report.agency} 字体：【大 中 小】</div>',
             "<p>本报告根据《中华人民共和国政府信息公开条例》要求编制。</p>",
             "<p>一、总体情况</p>", *[f"<p>{p}</p>" for p in report.overview]]
    for heading, layout in layouts(report):
        parts.append(f"<p>{heading}</p>")
        if heading.startswith("三") and blanks:
            layout = _with_blanks(report, layout, blanks, order)
        if heading.startswith("三") and order != APPLICANTS:
            layout = table3_layout(report, order)
        if heading.startswith("三") and split:
            cut = len(layout) - 1
            parts += [_html_table(layout[:cut]), "<p></p>", _html_table(layout[cut:])]
        else:
            parts.append(_html_table(layout))
    parts += [f"<p>{p}</p>" for p in report.closing]
    parts += [f'<p style="text-align:right">{report.agency}</p>', f'<p style="text-align:right">{report.signed}</p>',
              '</div><div class="footer">主办单位：岳阳市人民政府办公室 版权所有</div></body></html>']
    return "".join(parts).encode("utf-8")


def _with_blanks(report, layout, blanks, order):
    changed = TableReport(**{**report.__dict__, "table3": {k: list(v) for k, v in report.table3.items()}})
    for (row, applicant), raw in blanks.items():
        changed.table3[row][APPLICANTS.index(applicant)] = raw
    return table3_layout(changed, order)


def _html_table(rows) -> str:
    out = ['<table border="1" cellspacing="0"><tbody>']
    for row in rows:
        out.append("<tr>" + "".join(
            f'<td rowspan="{r}" colspan="{c}">{html.escape(text) if text.strip() else "&nbsp;"}</td>'
            for text, r, c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def flattened_page(report: TableReport, *, labels: bool = True) -> bytes:
    """The page after a CMS lost the table markup: each row's label and its numbers as one
    paragraph (or only the numbers, `labels=False`, for 表三), 表四 as one run of 15 numbers."""
    parts = ['<html><head><meta charset="utf-8"></head><body>', f"<h1>{report.title}</h1>",
             "<p>一、总体情况</p>", *[f"<p>{p}</p>" for p in report.overview]]
    parts.append("<p>二、主动公开政府信息情况</p>")
    for clause, lines in report.table2:
        parts.append(f"<p>{clause}</p>")
        parts += [f"<p>{'　'.join(line)}</p>" for line in lines]
    parts.append("<p>三、收到和处理政府信息公开申请情况</p>")
    parts.append(f"<p>{NOTE} 申请人情况 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计</p>")
    group = None
    for key, row_group, label in report.rows:
        numbers = " ".join(report.table3[key])
        if not labels:
            parts.append(f"<p>{numbers}</p>")
            continue
        if row_group not in (None, _RESULTS) and row_group != group:
            parts.append(f"<p>{row_group}</p>")
        group = row_group
        parts.append(f"<p>{label} {numbers}</p>")
    parts.append("<p>四、政府信息公开行政复议、行政诉讼情况</p>")
    parts.append("<p>行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉</p>")
    parts.append(f"<p>{' '.join(report.table4)}</p>")
    parts += [f"<p>{p}</p>" for p in report.closing]
    parts += [f"<p>{report.agency}</p>", f"<p>{report.signed}</p></body></html>"]
    return "".join(parts).encode("utf-8")


TEXT_STYLES = ("pipes", "markdown", "tabs", "cell-per-line", "run-together")


def text_copy(report: TableReport, style: str) -> bytes:
    """The report as a plain-text copy of its page (what researchers get from those who scraped
    it): the tables' rows as lines of cells separated by " | " (`pipes`), as Markdown tables
    (`markdown`), by tabs (`tabs`), one cell per line between blank lines (`cell-per-line`),
    or with each row's numbers run together after its label, no separator at all
    (`run-together`, 表三 and 表四 only)."""
    lines = [report.title, f"发布时间：{report.year + 1}-01-25 09:30", "本报告根据《中华人民共和国政府信息公开条例》要求编制。",
             "一、总体情况", *report.overview]
    for heading, layout in layouts(report):
        lines.append(heading)
        for number, row in enumerate(layout):
            cells = [text for text, _, _ in row]
            lines += _text_row(cells, style, heading, first=number == 0)
    lines += [*report.closing, AGENCY, report.signed]
    return "\n".join(lines).encode("utf-8")


def _text_row(cells: list[str], style: str, heading: str, first: bool) -> list[str]:
    if style == "pipes":
        return [" | ".join(cells) + " |"]
    if style == "markdown":
        row = "| " + " | ".join(cells) + " |"
        return [row, "|" + "---|" * len(cells)] if first else [row]
    if style == "tabs":
        return ["\t".join(cells)]
    if style == "cell-per-line":
        return [line for cell in cells for line in (cell, "")]
    values = [i for i, c in enumerate(cells) if re.fullmatch(r"-?[\d.]+|/|—|", c)]
    if style == "run-together" and values and not heading.startswith("二"):
        return ["".join(cells[:values[0]]) + "".join(cells[values[0]:])]
    return [" ".join(cells)]


# ---- DOCX ----

def docx_bytes(report: TableReport) -> bytes:
    """The report as a Word document, tables with merged cells."""
    import docx

    document = docx.Document()
    document.add_paragraph(report.title)
    document.add_paragraph("一、总体情况")
    for p in report.overview:
        document.add_paragraph(p)
    for heading, layout in layouts(report):
        document.add_paragraph(heading)
        _docx_table(document, layout)
    for p in report.closing:
        document.add_paragraph(p)
    document.add_paragraph(report.agency)
    document.add_paragraph(report.signed)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, layout) -> None:
    slots = _slots(layout)
    height, width = len(slots), max(len(r) for r in slots)
    table = document.add_table(rows=height, cols=width)
    table.style = "Table Grid"
    for (r, c), (text, rowspan, colspan) in _origins(layout).items():
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cell.text = text


def _origins(layout) -> dict[tuple[int, int], tuple[str, int, int]]:
    """Each cell's top-left slot (row, column), merged cells placed as a browser places them."""
    taken, origins = set(), {}
    for r, row in enumerate(layout):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            origins[(r, c)] = (text, rowspan, colspan)
            taken |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            c += colspan
    return origins


def _slots(layout) -> list[list[str]]:
    origins = _origins(layout)
    height = len(layout)
    width = max(c + colspan for (r, c), (_, _, colspan) in origins.items())
    grid = [[""] * width for _ in range(height)]
    for (r, c), (text, rowspan, colspan) in origins.items():
        for dr in range(rowspan):
            for dc in range(colspan):
                grid[r + dr][c + dc] = text
    return grid


# ---- PDF ----

def pdf_bytes(report: TableReport, *, ruled: bool = True, damage: str | None = None) -> bytes:
    """The report as a PDF in a CJK TrueType font: ruled tables (表三 runs over a page break,
    its header not repeated), or tables without ruling lines (`ruled=False`). `damage`:
    "radicals" (Kangxi radicals ⼀ ⼆ ⼈ in the text layer for 一 二 人), "bold" (fake bold: every character drawn twice),
    "cid" (the font's Unicode map removed), "cid-digits" (the table's numbers drawn in a second
    font, and only that font's map removed), "split" (a number drawn as two text objects),
    "lost-characters" (every 表三 row label lost two characters after its number), "wrapped"
    (表三 rows whose label wraps have their numbers on a line above the label, or below it)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_compression(damage not in ("cid", "radicals"))
    pdf.set_margins(12, 12)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(CJK_FONT), collection_font_number=0)
    pdf.add_font("digits", fname=str(DIGIT_FONT))
    pdf.set_font("cjk", size=10)
    bold = damage == "bold"

    def para(text: str) -> None:
        number = re.search(r"\d{2,}", text)
        if damage == "split" and number and pdf.get_string_width(text) < pdf.epw:
            cut = number.start() + 1          # "13" drawn as "1" and "3", two text objects
            for piece in (text[:cut], text[cut:]):
                pdf.cell(pdf.get_string_width(piece), 6, piece)
            pdf.ln(6)
            return
        x, y = pdf.get_x(), pdf.get_y()
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        if bold:
            after = pdf.get_y()
            pdf.set_xy(x + 0.2, y)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(after)

    para(report.title)
    para("一、总体情况")
    for p in report.overview:
        para(p)
    for heading, layout in layouts(report):
        if heading.startswith("三"):
            pdf.set_y(max(pdf.get_y(), 150))     # low on the page: 表三 runs over onto the next one
        para(heading)
        slots = _slots(layout)
        width = len(slots[0])
        widths = {4: (60, 40, 40, 46), 10: (20, 16, 38) + (16,) * 7, 15: (12.4,) * 15}[width]
        pdf.set_font("cjk", size=7 if width != 4 else 9)
        table3 = heading.startswith("三")
        with pdf.table(col_widths=widths, headings_style=FontFace(), first_row_as_headings=False,
                       borders_layout="ALL" if ruled else "NONE", repeat_headings=0,
                       line_height=4.2, text_align="LEFT", v_align="TOP" if damage == "wrapped" else "MIDDLE") as table:
            wrapped = 0
            for row in layout:
                out = table.row()
                long_label = table3 and damage == "wrapped" and any(len(text) > 14 for text, _, _ in row
                                                                    if not _is_cell_value(text))
                wrapped += long_label
                for text, rowspan, colspan in row:
                    digits = damage == "cid-digits" and text.replace(".", "").isdigit()
                    if table3 and damage == "lost-characters" and not _is_cell_value(text):
                        text = _lost_characters(text)
                    padding = None
                    if long_label:       # the label pushed below its numbers, or the numbers below it
                        above = wrapped % 2 == 1
                        padding = (9, 1, 1, 1) if above != _is_cell_value(text) else None
                    out.cell(text, rowspan=rowspan, colspan=colspan, padding=padding,
                             style=FontFace(family="digits") if digits else None)
        pdf.set_font("cjk", size=10)
        pdf.ln(3)
    for p in report.closing:
        para(p)
    para(report.agency)
    para(report.signed)
    data = bytes(pdf.output())
    # edits of the same length, so that the cross-reference table stays valid
    if damage == "cid":
        data = data.replace(b"/ToUnicode", b"/NoUnicode")
    if damage == "cid-digits":             # only the font the table's numbers are drawn in loses its map
        font = re.search(rb"/BaseFont /\w+\+DejaVuSansMono[^>]*?/ToUnicode", data, re.S)
        data = data[:font.end() - 10] + b"/NoUnicode" + data[font.end():]
    if damage == "radicals":               # 一 二 人 mapped to Kangxi radicals ⼀ ⼆ ⼈ in the text layer
        for plain, radical in ((b"4E00", b"2F00"), (b"4E8C", b"2F06"), (b"4EBA", b"2F08")):
            data = data.replace(b"> <" + plain + b">", b"> <" + radical + b">")
    return data


def _is_cell_value(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d.]+|/|—|", text))


def _lost_characters(label: str) -> str:
    """A row label with the two characters after its number lost ("1.属于国家秘密" → "1.属家秘密")."""
    number = re.match(r"^(?:[一二三四]、|[（(][一二三四五六七][)）]|\d\.)", label)
    if number is None:
        return label                     # a header cell: not damaged here
    rest = label[number.end():]
    return number.group(0) + rest[:1] + rest[3:] if len(rest) > 4 else label


def write_all(folder: Path) -> list[Path]:
    """Every form of both reports into a folder (for looking at them)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for year, report in REPORTS.items():
        for name, data in ((f"{year}.html", html_page(report)), (f"{year}-flat.html", flattened_page(report)),
                           (f"{year}.docx", docx_bytes(report)), (f"{year}.pdf", pdf_bytes(report))):
            (folder / name).write_bytes(data)
            written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "table-reports")):
        print(path)
