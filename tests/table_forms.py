"""Any standard table written into every text form real copies of report pages come in, inside
page chrome and prose: the whole page on one line with no separator at all, one cell per line,
cells between blank lines, `|` rows, Markdown tables (with the format's headers, with a
meaningless header row, one small table per row under ### headings), tab rows, label-and-numbers
lines, and PDF text whose long labels wrap with their numbers above, beside or below them.

The tables are made up (random, with the format's arithmetic) or given; every cell the page
holds is known, so the reader can be checked cell by cell in every form. The 2008–2018
statistics table (统计表) is written the same ways, in every column layout copies have (the
year alone, beside the cumulative total, beside last year, with the change). Label variants that
real copies have: sub-rows numbered 1. 1、 (1) ① or not at all, group headings present or left
out, the 2021 （六） sub-rows collapsed into one 其他处理 row, a label shortened or misspelt.

    python -m tests.table_forms OUT_DIR     writes one page of every form, to look at
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.table_reports import APPLICANTS, KINDS, OUTCOME_WORDS, OUTCOMES, ROWS_2019, ROWS_2021

FORMS = ("one-line", "cell-per-line", "blank-lines", "pipes", "markdown", "markdown-meaningless",
         "markdown-per-row", "tabs", "spaced", "commas", "pdf-wrapped", "pdf-numbers-above")
_APPLICANT_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_CIRCLED = "①②③④⑤⑥⑦⑧"
# 表二's blocks by era: (clause, header, [(row label, metric keys of its cells, in order)])
_TABLE2 = {
    "tables_2021": [
        ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
         [("规章", ("regulations.issued", "regulations.repealed", "regulations.in_force")),
          ("行政规范性文件", ("normative_docs.issued", "normative_docs.repealed", "normative_docs.in_force"))]),
        ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), [("行政许可", ("licensing.decisions",))]),
        ("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
         [("行政处罚", ("penalties.decisions",)), ("行政强制", ("enforcement.decisions",))]),
        ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"),
         [("行政事业性收费", ("fees.admin_charges_10k_yuan",))]),
    ],
    "tables_2019": [
        ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
         [("规章", ("regulations.issued", "regulations.published", "regulations.public_total")),
          ("规范性文件", ("normative_docs.issued", "normative_docs.published", "normative_docs.public_total"))]),
        ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         [("行政许可", (None, None, "licensing.decisions")), ("其他对外管理服务事项", (None, None, None))]),
        ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         [("行政处罚", (None, None, "penalties.decisions")), ("行政强制", (None, None, "enforcement.decisions"))]),
        ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), [("行政事业性收费", (None, None))]),
    ],
}


@dataclass
class Table:
    """The truth: every cell of 表三 and 表四 as written, and 表二's figures."""
    era: str
    table3: dict[str, list[str]]                   # row key → its 7 cells as written
    table4: list[str]                              # 15 cells as written
    table2: dict[str, list[str]] = field(default_factory=dict)   # row label → its cells as written
    collapsed: bool = False                        # 2021's three 其他处理 rows written as one

    @property
    def rows(self) -> list[tuple[str, str | None, str]]:
        """(key, group heading, own label) of each 表三 row, in order."""
        rows = list(ROWS_2021 if self.era == "tables_2021" else ROWS_2019)
        if self.collapsed:
            first = next(i for i, r in enumerate(rows) if r[0].startswith("other."))
            rows = rows[:first] + [("other", "三、本年度办理结果", "（六）其他处理")] + rows[first + 3:]
        return rows

    def request_cells(self) -> dict[tuple[str, str], int | float | None]:
        return {(key, applicant): _value(raw) for key, _, _ in self.rows
                for applicant, raw in zip(APPLICANTS, self.table3[key])}

    def appeal_cells(self) -> dict[tuple[str, str], int | float | None]:
        return {(kind, outcome): _value(self.table4[i * 5 + j])
                for i, kind in enumerate(KINDS) for j, outcome in enumerate(OUTCOMES)}

    def table2_figures(self) -> dict[str, int | float]:
        figures = {}
        for _, _, rows in _TABLE2[self.era]:
            for label, metrics in rows:
                for metric, raw in zip(metrics, self.table2[label]):
                    if metric and _value(raw) is not None:
                        figures[metric] = _value(raw)
        return figures


def _value(raw: str):
    raw = raw.strip()
    if raw in ("", "/", "—", "-", "无"):
        return None
    return float(raw) if "." in raw else int(raw)


def random_table(rng: random.Random, era: str, *, large: bool = False, blanks: bool = False,
                 collapsed: bool = False) -> Table:
    """A table that keeps the format's arithmetic: each column's 新收 + 结转 = 总计 + 结转下年度,
    the result rows add to 总计, the 总计 column adds the others, 表四's outcomes add to each
    kind's total. `large` gives numbers in the hundreds; `blanks` writes two columns as "/"."""
    top = 400 if large else 9
    blank = {3, 4} if blanks else set()
    table = Table(era=era, table3={}, table4=[], collapsed=collapsed)
    keys = [key for key, _, _ in table.rows]
    results = [k for k in keys if k.split(".")[0] in ("granted", "partially_granted", "denied", "unable",
                                                        "not_processed", "other")]
    columns = []
    for c in range(6):
        received = 0 if c in blank else rng.choice([0, 0, rng.randint(0, top)])
        carried = 0 if c in blank or rng.random() < 0.6 else rng.randint(0, max(1, top // 5))
        forward = rng.randint(0, carried + received) if rng.random() < 0.3 else 0
        handled = received + carried - forward
        parts = dict.fromkeys(results, 0)
        for _ in range(handled):
            parts[rng.choice(results[:4] if rng.random() < 0.7 else results)] += 1
        columns.append({"new_received": received, "carried_over": carried, "handled_total": handled,
                        "carried_forward": forward, **parts})
    for key in keys:
        values = [columns[c][key] for c in range(6)]
        cells = ["/" if c in blank else str(v) for c, v in enumerate(values)]
        table.table3[key] = cells + [str(sum(values))]
    for _ in KINDS:
        outcomes = [rng.choice([0, 0, 0, rng.randint(0, 3 if not large else 60)]) for _ in range(4)]
        table.table4 += [str(v) for v in outcomes] + [str(sum(outcomes))]
    for _, _, rows in _TABLE2[era]:
        for label, metrics in rows:
            cells = [str(rng.randint(0, top if metric else 50)) for metric in metrics]
            if metrics == ("fees.admin_charges_10k_yuan",):
                cells = [f"{rng.randint(0, 900) / 10:g}"]
            table.table2[label] = cells
    return table


@dataclass
class Variant:
    """How one copy writes its labels."""
    numbering: str = "1."                 # "1." "1、" "(1)" "①" or "" (sub-rows without numbers)
    groups: bool = True                   # group headings （三）不予公开 … written
    misspelt: str | None = None           # a row whose label lost a character
    header_run_in: bool = False           # 表三's header words run straight into the first row
    appeal_header: bool = True            # 表四's header words written (else only its heading and cells)


def variant(rng: random.Random) -> Variant:
    return Variant(numbering=rng.choice(["1.", "1.", "1、", "(1)", "①", ""]), groups=rng.random() < 0.7,
                   misspelt=rng.choice([None, "denied.third_party", "unable.not_held", "not_processed.repeat"]),
                   header_run_in=rng.random() < 0.3, appeal_header=rng.random() < 0.8)


_MISSPELT = {"denied.third_party": ("第三方", "第三放"), "unable.not_held": ("相关政府信息", "相关政府信"),
             "not_processed.repeat": ("重复申请", "重复申情")}


def row_label(key: str, label: str, v: Variant) -> str:
    """A 表三 row's own label as this copy writes it."""
    if label[:1].isdigit() and label[1:2] == ".":
        number, words = int(label[0]), label[2:]
        mark = {"1.": f"{number}.", "1、": f"{number}、", "(1)": f"（{number}）",
                "①": _CIRCLED[number - 1], "": ""}[v.numbering]
        label = mark + words
    if v.misspelt == key:
        old, new = _MISSPELT[key]
        label = label.replace(old, new)
    return label


def table_blocks(table: Table, v: Variant) -> list[tuple[str, list[list[str]]]]:
    """The three tables as (heading, rows of cells), labels and headers included; a row's cells
    are its label cells then its values."""
    table2 = []
    for clause, header, rows in _TABLE2[table.era]:
        table2.append([clause])
        table2.append(list(header))
        table2 += [[label, *table.table2[label]] for label, _ in rows]
    table3 = [["申请人情况", "自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    group_seen = set()
    for key, group, label in table.rows:
        cells = []
        if v.groups and group and group != "三、本年度办理结果" and group not in group_seen:
            cells.append(group)
        if v.groups and group and "三、本年度办理结果" not in group_seen:
            cells.insert(0, "三、本年度办理结果")
        group_seen |= {group, "三、本年度办理结果" if group else None}
        table3.append(cells + [row_label(key, label, v), *table.table3[key]])
    table4 = [["行政复议", "行政诉讼"], ["未经复议直接起诉", "复议后起诉"], list(OUTCOME_WORDS * 3)] if v.appeal_header else []
    table4.append(list(table.table4))
    return [("二、主动公开政府信息情况", table2), ("三、收到和处理政府信息公开申请情况", table3),
            ("四、政府信息公开行政复议、行政诉讼情况", table4)]


_AGENCIES = ("长沙县黄兴镇人民政府", "株洲市芦淞区审计局", "衡阳市生态环境局", "岳阳县荣家湾镇人民政府", "湘潭市雨湖区城正街街道办事处")


def page(table: Table, form: str, v: Variant, *, agency: str = _AGENCIES[0], year: int = 2022) -> str:
    """The whole page of a report holding `table`, as a text copy in `form`."""
    head = [f"{agency}{year}年政府信息公开工作年度报告", f"发布时间：{year + 1}-01-18 来源：{agency} 字体：【大 中 小】",
            "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室印发的年度报告格式编制。",
            "一、总体情况",
            f"{year}年，我单位主动公开政府信息{137 + year % 7}条，其中政策文件12条、工作动态85条。"
            f"全年共收到政府信息公开申请，均在法定期限内答复，未发生因政府信息公开引起的行政复议和诉讼。"]
    tail = ["五、存在的主要问题及改进情况", "一是公开内容不够全面，二是政策解读形式较为单一。下一步，将进一步规范依申请公开办理流程。",
            "六、其他需要报告的事项", "本年度未收取信息处理费。", agency, f"{year + 1}年1月18日",
            "主办单位：某某人民政府办公室 版权所有"]
    lines = list(head)
    for heading, rows in table_blocks(table, v):
        lines.append(heading)
        lines += _rows(rows, form, heading, v)
    lines += tail
    if form == "one-line":
        return "".join(lines)
    separator = "\n\n" if form == "blank-lines" else "\n"
    return separator.join(lines) + "\n"


def cells_of(record) -> dict[tuple[str, str], int | float | None]:
    """A record's 表三 and 表四 cells as the tables here key them: (row, applicant), (kind, outcome)."""
    cells = {(c.row, c.applicant): c.value for c in record.request_cells}
    return cells | {(c.kind, c.outcome): c.value for c in record.appeal_cells}


def cut_page(rng: random.Random, text: str) -> str:
    """The page stopped at a random character between 表三's heading and the page's tail, as a
    page opening stops wherever its bytes ran out."""
    return text[:rng.randint(text.index("三、收到和处理"), text.index("五、存在的主要问题"))]


def _values(row: list[str]) -> int:
    """How many of a row's cells (from the right) are values."""
    count = 0
    for cell in reversed(row):
        if not re.fullmatch(r"-?\d+(?:\.\d+)?|/|—|", cell.strip()):
            break
        count += 1
    return count


def _rows(rows: list[list[str]], form: str, heading: str, v: Variant) -> list[str]:
    table3 = heading.startswith("三")
    if form == "one-line":
        joined = ["".join(row) for row in rows]
        if table3 and not v.header_run_in:
            joined[1] += " "
        return joined
    if form in ("cell-per-line", "blank-lines"):
        return [cell for row in rows for cell in row]
    if form == "pipes":
        return [" | ".join(row) + " |" for row in rows]
    if form == "tabs":
        return ["\t".join(row) for row in rows]
    if form == "spaced":
        return [" ".join(row) for row in rows]
    if form == "commas":
        return ["".join(row[:len(row) - _values(row)]) + ("：" + "，".join(row[len(row) - _values(row):]) + "；"
                                                          if _values(row) else "") for row in rows]
    if form == "markdown":
        width = max(len(r) for r in rows)
        out = []
        for i, row in enumerate(rows):
            n, padding = _values(row), [""] * (width - len(row))
            cells = [*row, *padding] if n == 0 else [*row[:-n], *padding, *row[-n:]]    # values to the right
            out.append("| " + " | ".join(cells) + " |")
            if i == 0:
                out.append("|" + "---|" * width)
        return out
    if form == "markdown-meaningless":
        width = max(_values(r) for r in rows) + 1
        out = ["| 项目 | " + " | ".join(f"列{i}" for i in range(1, width - 1)) + " | 合计 |", "|" + "---|" * width]
        for row in rows:
            n = _values(row)
            label = "".join(row[:len(row) - n]) if n else "".join(row)
            out.append("| " + " | ".join([label, *[""] * (width - 1 - n), *row[len(row) - n:]]) + " |")
        return out
    if form == "markdown-per-row":
        out = []
        for row in rows:
            n = _values(row)
            if not n or not table3:
                out.append(" ".join(row) if not n else "| " + " | ".join(row) + " |")
                continue
            out += [f"### {''.join(row[:len(row) - n])}", "",
                    "| " + " | ".join(_APPLICANT_NAMES) + " |", "|" + "---|" * 7,
                    "| " + " | ".join(row[len(row) - n:]) + " |", ""]
        return out
    if form == "pdf-wrapped":
        return _pdf_lines(rows)
    if form == "pdf-numbers-above":      # each row's numbers on the line above its label
        return [line for row in rows for line in (" ".join(row[len(row) - _values(row):]),
                                                   "".join(row[:len(row) - _values(row)])) if line]
    raise ValueError(f"unknown form {form!r}")


def _pdf_lines(rows: list[list[str]]) -> list[str]:
    """Rows as a PDF's text layer gives them: a long label wraps at 12 characters, and its
    numbers stand on the first, the middle or the last of its lines, in turn."""
    out = []
    for i, row in enumerate(rows):
        n = _values(row)
        label, numbers = "".join(row[:len(row) - n]), " ".join(row[len(row) - n:])
        pieces = [label[j:j + 12] for j in range(0, len(label), 12)] or [""]
        if len(pieces) == 1 or not numbers:
            out.append(f"{label} {numbers}".strip())
            continue
        at = (0, len(pieces) // 2, len(pieces) - 1)[i % 3]
        for j, piece in enumerate(pieces):
            out.append(piece)
            if j == at:
                out.append(numbers)
    return out


def write_all(folder: Path) -> list[Path]:
    rng = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for era in ("tables_2019", "tables_2021"):
        table = random_table(rng, era)
        for form in FORMS:
            path = folder / f"{era}-{form}.txt"
            path.write_text(page(table, form, Variant()), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "table-forms")):
        print(path)


# ---- the 2008–2018 statistics table (政府信息公开情况统计表) ----------------------------------------

# (label, unit, metric, category): the rows most copies of the 2008 template have, in order
STATISTICS_ROWS = (
    ("主动公开政府信息数", "条", "proactive.items_total", None),
    ("其中：1.政府网站公开数", "条", "proactive.items_by_channel", "网站"),
    ("2.政府公报公开数", "条", "proactive.items_by_channel", "公报"),
    ("受理依申请公开信息总数", "条", "requests.received", None),
    ("其中：1.当面申请数", "条", "requests.by_channel", "当面"),
    ("2.网上申请数", "条", "requests.by_channel", "网上"),
    ("3.信函申请数", "条", "requests.by_channel", "信函"),
    ("对申请的答复总数", "条", "requests.handled_total", None),
    ("其中：1.同意公开答复数", "条", "requests.granted", None),
    ("2.同意部分公开答复数", "条", "requests.partially_granted", None),
    ("3.不予公开答复数", "条", "requests.denied", None),
    ("行政复议数", "件", "reconsideration.total", None),
    ("行政诉讼数", "件", "litigation.total", None),
    ("举报投诉数", "件", "complaints.total", None),
)
# The column layouts copies have: this year alone, beside the cumulative total, beside last year.
STATISTICS_COLUMNS = (("{year}年度",), ("{year}年度", "历年累计"), ("{last}年", "{year}年"), ("本年", "上年"),
                      ("数量",), ("本年度", "上年度", "增减"))


@dataclass
class StatisticsTable:
    year: int
    columns: tuple[str, ...]
    values: list[list[int]]            # per row, one value per column

    @property
    def this_year(self) -> int:
        """The column of the year reported on."""
        names = [c.format(year=self.year, last=self.year - 1) for c in self.columns]
        return next(i for i, n in enumerate(names) if n in (f"{self.year}年度", f"{self.year}年", "本年", "数量", "本年度"))

    def figures(self) -> dict[tuple[str, str | None], int]:
        """(metric, category) → the year's value; the cumulative column gives items_cumulative."""
        out = {}
        for (_, _, metric, category), row in zip(STATISTICS_ROWS, self.values):
            out[(metric, category)] = row[self.this_year]
            if "历年累计" in self.columns and metric == "proactive.items_total":
                out[("proactive.items_cumulative", None)] = row[self.columns.index("历年累计")]
        return out


def random_statistics(rng: random.Random, year: int, columns: tuple[str, ...]) -> StatisticsTable:
    """A statistics table whose 其中 parts add up to their totals in every column."""
    per_column = []
    for column in columns:
        if column == "增减":
            per_column.append(None)
            continue
        web, gazette = rng.randint(0, 900), rng.randint(0, 40)
        face, online, letter = (rng.choice([0, rng.randint(0, 9)]) for _ in range(3))
        received = face + online + letter
        granted = rng.randint(0, received)
        partly = rng.randint(0, received - granted)
        denied = received - granted - partly
        per_column.append([web + gazette, web, gazette, received, face, online, letter, received, granted, partly,
                           denied, rng.choice([0, 0, 1]), rng.choice([0, 0, 1]), rng.choice([0, 0, 2])])
    if "历年累计" in columns:                      # the cumulative never below the year's
        year_col, total_col = per_column[0], per_column[1]
        per_column[1] = [max(a, b) + (b % 7) for a, b in zip(year_col, total_col)]
    values = []
    for i in range(len(STATISTICS_ROWS)):
        row = [col[i] if col else None for col in per_column]
        if None in row:                            # 增减 = this year − last year
            row = [v if v is not None else row[0] - row[1] for v in row]
        values.append(row)
    return StatisticsTable(year=year, columns=columns, values=values)


def statistics_page(table: StatisticsTable, form: str, agency: str = _AGENCIES[2]) -> str:
    """A 2008–2018 report ending in its statistics table, as a text copy in `form`."""
    head, rows = _statistics_report(table, agency)
    lines = head + _rows(rows, form, "统计表", Variant())
    if form == "one-line":
        return "".join(lines)
    return ("\n\n" if form == "blank-lines" else "\n").join(lines) + "\n"


def statistics_pdf(table: StatisticsTable, agency: str = _AGENCIES[2]) -> bytes:
    """The same report as a one-page PDF, its statistics table ruled (what a scan is made of)."""
    from fpdf import FPDF

    from tests.table_reports import CJK_FONT

    head, rows = _statistics_report(table, agency)
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(CJK_FONT), collection_font_number=0)
    pdf.set_font("cjk", size=11)
    for line in head:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    with pdf.table(col_widths=(90, 30, *(40,) * len(table.columns)), first_row_as_headings=False, line_height=7,
                   text_align="LEFT") as grid:
        for row in rows:
            grid.row(row)
    return bytes(pdf.output())


def _statistics_report(table: StatisticsTable, agency: str) -> tuple[list[str], list[list[str]]]:
    """A 2008–2018 report's lines before its statistics table, and the table's rows."""
    head = [f"{agency}{table.year}年政府信息公开工作年度报告",
            f"本报告所列数据的统计期限自{table.year}年1月1日起至{table.year}年12月31日止。",
            "一、概述", f"{table.year}年，我局认真贯彻《条例》，政府信息公开工作有序推进。",
            "二、存在的主要问题及改进措施", "公开的及时性还需提高。",
            f"附件：{agency}{table.year}年政府信息公开情况统计表"]
    header = ["指标名称", "计量单位", *(c.format(year=table.year, last=table.year - 1) for c in table.columns)]
    return head, [header] + [[label, unit, *map(str, values)] for (label, unit, _, _), values in
                             zip(STATISTICS_ROWS, table.values)]
