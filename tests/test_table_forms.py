"""The standard tables read from every text form real copies come in (tests/table_forms.py writes
them: the whole page on one line, one cell per line, blank lines between cells, `|` rows,
Markdown with real, meaningless or per-row headers, tabs, label-and-numbers lines, PDF text
with wrapped labels), with the label variants real copies have. Every cell is compared with the
table that was written: none may be wrong; a cell a copy ran together may stay null only with a
warning naming its row."""

import random
import re
import zlib

import pytest

from extract import extract_bytes
from tests.table_forms import (
    FORMS, STATISTICS_COLUMNS, Table, Variant, cells_of, cut_page, page, random_statistics, random_table, row_label,
    statistics_page, variant,
)
from tests.table_reports import APPLICANTS

ERAS = ("tables_2019", "tables_2021")


def _tables(form: str, era: str):
    """Four tables and copies of them for one form: small and large numbers, blank columns,
    and (2021) the three 其他处理 rows collapsed into one."""
    rng = random.Random(zlib.crc32(f"{form} {era}".encode()))
    for trial in range(4):
        table = random_table(rng, era, large=trial % 2 == 1, blanks=trial == 2,
                             collapsed=era == "tables_2021" and trial == 3)
        yield table, variant(rng)


def _read(table: Table, form: str, v: Variant):
    record = extract_bytes(page(table, form, v).encode("utf-8"), name="report.txt")
    return record, cells_of(record)


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize("form", FORMS)
def test_every_cell_in_every_text_form(form, era):
    for table, v in _tables(form, era):
        record, cells = _read(table, form, v)
        truth = table.request_cells() | table.appeal_cells()
        assert record.era == era
        wrong = {key: (cells[key], value) for key, value in truth.items()
                 if key in cells and cells[key] is not None and cells[key] != value}
        assert wrong == {}, f"{form} {v}: cells read wrong"
        assert [key for key, value in cells.items() if key not in truth and value is not None] == []
        assert [key for key in truth if key not in cells] == [], f"{form} {v}: cells not read"
        table2 = {f.metric: f.value for f in record.figures if f.evidence.startswith("表二")}
        assert {m: v for m, v in table2.items() if v != table.table2_figures().get(m)} == {}
        if form != "one-line":           # every cell stands apart: each is read
            assert [key for key, value in truth.items() if cells[key] != value] == [], f"{form} {v}"
            assert table2 == table.table2_figures()
            assert not any("ran together" in w for w in record.warnings)
            continue
        for (row, column), value in truth.items():   # a run no single split reads: null, and said
            if cells[(row, column)] is None and value is not None:
                assert any("ran together" in w for w in record.warnings), (row, column)


def test_a_page_on_one_line_whose_runs_have_one_reading_is_read_whole():
    """Every 表三 cell one digit (the 总计 too): each row is a run of seven digits, which has one
    reading whatever the columns' sums say."""
    rng = random.Random(7)
    for era in ERAS:
        table = random_table(rng, era)
        for key in table.table3:
            parts = [rng.choice("0001") for _ in range(6)]
            table.table3[key] = parts + [str(sum(map(int, parts)))]
        record, cells = _read(table, "one-line", Variant())
        assert {k: cells.get(k) for k in table.request_cells()} == table.request_cells()


PAGE_FURNITURE = ("- {n} -", "— {n} —", "第{n}页", "第{n}页 共12页", "{n}/12", "{n}",
                  "长沙县黄兴镇人民政府2022年政府信息公开工作年度报告",                    # a running title
                  "https://www.example.gov.cn/art/2023/1/18/art_{n}23.html 2023/1/18 10:22")   # a print footer


@pytest.mark.parametrize("form", ("pipes", "tabs", "spaced", "markdown", "pdf-wrapped", "cell-per-line", "blank-lines"))
def test_what_a_page_break_adds_inside_a_table_is_no_cell(form):
    """A PDF's (or a printout's) page broke 表三 or 表四, and its copy kept what the page adds on a
    line of its own: its number (- 7 -, 第7页 共12页, 7/12, 7), the report's title as a running
    head, a browser's print footer. None of it is read as a cell, and no row is lost to it. A
    bare number alone on its line is known for the page's where the rows' cells stand together
    on their lines, or where leaving it out is the one way the row adds up; else its row stays
    unread, said."""
    rng = random.Random(zlib.crc32(form.encode()))
    for pattern in PAGE_FURNITURE:
        for trial in range(6):
            table = random_table(rng, ERAS[trial % 2], large=trial % 3 == 1)
            lines = page(table, form, variant(rng)).split("\n")
            first = next(i for i, line in enumerate(lines) if line.startswith("三、收到和处理")) + 4
            last = next(i for i, line in enumerate(lines) if line.startswith("五、")) - 2
            lines.insert(rng.randint(first, last), pattern.format(n=rng.randint(2, 11)))
            record = extract_bytes("\n".join(lines).encode("utf-8"), name="report.txt")
            cells, truth = cells_of(record), table.request_cells() | table.appeal_cells()
            assert {k: (cells[k], v) for k, v in truth.items() if cells.get(k) not in (None, v)} == {}, pattern
            unread = [k for k, v in truth.items() if cells.get(k) != v]
            if pattern != "{n}" or form in ("pipes", "tabs", "spaced", "markdown"):
                assert unread == [], (pattern, trial)
            elif unread:
                assert any("numbers where the format has" in w for w in record.warnings), (pattern, trial)


def test_a_run_whose_sums_fail_stays_unread():
    """Seven digits for seven cells whose sums fail: the document's own sums are broken, or the
    copy dropped blank cells (10 1 _ _ 0 0 11 run together is 1010011): which, nothing says.
    The row stays null, said; the other rows are read."""
    table = random_table(random.Random(11), "tables_2021")
    table.table3["granted"] = ["10", "1", "", "", "0", "0", "11"]
    record, cells = _read(table, "one-line", Variant())
    assert [cells[("granted", applicant)] for applicant in APPLICANTS] == [None] * 7
    assert any("'(一)予以公开'" in w and "no split fits" in w for w in record.warnings)
    assert cells[("new_received", "total")] == table.request_cells()[("new_received", "total")]


def test_a_sign_between_two_runs_of_digits_is_no_blank_cell():
    """表二 2019 run together: 行政许可1215-351180 is 1215, -35, 1180 or another cut of the same
    digits: unread and said, never 1215, a blank, 351180."""
    table = random_table(random.Random(5), "tables_2019")
    table.table2["行政许可"] = ["1215", "-35", "1180"]
    record = extract_bytes(page(table, "one-line", Variant()).encode("utf-8"), name="report.txt")
    assert not [f for f in record.figures if f.metric == "licensing.decisions"]
    assert any(w.startswith("表二 row '行政许可'") for w in record.warnings)
    stated = extract_bytes(page(table, "cell-per-line", Variant()).encode("utf-8"), name="report.txt")
    assert [f.value for f in stated.figures if f.metric == "licensing.decisions"] == [1180]


def test_a_table2_label_the_document_misspelt_is_still_its_row():
    table = random_table(random.Random(8), "tables_2021")
    text = page(table, "cell-per-line", Variant()).replace("行政事业性收费", "行政事业型收费")
    record = extract_bytes(text.encode("utf-8"), name="report.txt")
    fees = [f.value for f in record.figures if f.metric == "fees.admin_charges_10k_yuan"]
    assert fees == [table.table2_figures()["fees.admin_charges_10k_yuan"]]


def test_rows_of_a_table_left_unread_are_no_prose():
    """表二 of 2019 run together: rows whose runs have several readings stay unread, and their words
    (行政事业性收费00) are the table's, not a sentence saying no fee was collected."""
    table = random_table(random.Random(4), "tables_2019")
    table.table2["行政事业性收费"] = ["0", "0"]
    record = extract_bytes(page(table, "one-line", Variant()).encode("utf-8"), name="report.txt")
    assert [f.evidence for f in record.figures if f.metric == "fees.collected_yuan" and "第二十条" in f.evidence] == []


def test_labels_of_a_table_whose_blank_cells_were_lost_say_the_table_is_there_unread():
    """A copy that dropped 表三's empty cells (1 or 2 numbers in a row of 7): no row can be placed;
    the warning says the table's labels are here and why its cells are not read."""
    table = random_table(random.Random(2), "tables_2021")
    for key in table.table3:
        table.table3[key] = ["0", "", "", "", "", "", "0"]
    text = page(table, "pipes", Variant()).replace("|", " ")
    record = extract_bytes(text.encode("utf-8"), name="report.txt")
    assert record.request_cells == []
    assert any(w.startswith("表三: ") and "labelled here, but no row holds its 7 cells" in w for w in record.warnings)
    assert any(w.startswith("表三 (收到和处理政府信息公开申请情况) stands in the text, but none of its cells")
               for w in record.warnings)


@pytest.mark.parametrize("form", FORMS)
def test_a_page_cut_anywhere_in_its_tables_gives_no_wrong_cell(form):
    """A page opening stops wherever its bytes ran out: inside a label, a row's numbers or the
    header of 表四. What is read must be right, and a table that stops says so."""
    rng = random.Random(zlib.crc32(f"cut {form}".encode()))
    read = 0
    for _ in range(12):
        era = rng.choice(ERAS)
        table = random_table(rng, era, large=rng.random() < 0.3)
        text = page(table, form, variant(rng))
        opening = cut_page(rng, text)
        record = extract_bytes(opening.encode("utf-8"), name="opening.txt")
        cells = cells_of(record)
        truth = table.request_cells() | table.appeal_cells()
        assert {k: (v, truth.get(k)) for k, v in cells.items() if v is not None and v != truth.get(k)} == {}, \
            f"{form}: cut at {len(opening)} of {len(text)}"
        read += sum(1 for k, v in cells.items() if v is not None)
        if any(cells.get(k) is None for k, v in truth.items() if v is not None):    # a gap: said
            assert record.missing_tables or any("stops" in w or "not found" in w or "no row" in w
                                                or "numbers where" in w for w in record.warnings)
    assert read > 0


@pytest.mark.parametrize("form", ("cell-per-line", "spaced", "pipes"))
def test_a_page_cut_just_inside_a_label_keeps_the_row_above(form):
    """A page opening that stops one character into a row's label (its number 2, or its first
    word) still has the whole row above it: that row is read; the cut one is not."""
    table = random_table(random.Random(11), "tables_2021")
    v = Variant(numbering="1、")
    text = page(table, form, v)
    at, above = text.index("三、收到和处理"), None
    for key, _, label in table.rows:
        at = text.index(row_label(key, label, v), at + 1)
        if above is not None:
            record = extract_bytes(text[:at + 1].encode("utf-8"), name="opening.txt")
            cells = cells_of(record)
            assert [cells.get((above, a)) for a in APPLICANTS] == \
                [table.request_cells()[(above, a)] for a in APPLICANTS], f"{form}: cut at {key}"
            assert all(cells.get((key, a)) is None for a in APPLICANTS)
        above = key


def test_a_table_era_page_says_which_tables_it_lacks():
    table = random_table(random.Random(3), "tables_2021")
    text = page(table, "pipes", Variant())
    opening = text[:text.index("（一）予以公开")]            # a page opening that stops inside 表三
    record = extract_bytes(opening.encode("utf-8"), name="opening.txt")
    assert {c.row for c in record.request_cells} == {"new_received", "carried_over"}
    assert any(w.startswith("表三 stops after carried_over: 23 of its rows") for w in record.warnings)
    assert any(w.startswith("表四 (政府信息公开行政复议、行政诉讼情况) not found in the text") for w in record.warnings)
    prose = re.sub(r"二、主动公开政府信息情况.*", "二、主动公开政府信息情况\n全年公开规章148部、行政规范性文件463件。"
                   "\n三、收到和处理政府信息公开申请情况\n本年度共收到申请12件，予以公开8件。", text, flags=re.S)
    record = extract_bytes(prose.encode("utf-8"), name="prose.txt")
    assert record.request_cells == [] and record.appeal_cells == []
    assert not any(f.evidence.startswith("表") for f in record.figures)       # prose is not a table
    for table_name in ("表二", "表三", "表四"):
        assert any(w.startswith(table_name) and "not found in the text" in w for w in record.warnings)


@pytest.mark.parametrize("columns", STATISTICS_COLUMNS)
def test_the_statistics_table_in_every_form_and_column_layout(columns):
    """The 2008–2018 statistics table: only the year's column gives figures (and the cumulative
    one, the items total to date); whatever the form, no figure is wrong; where the cells stand
    apart, every figure is read."""
    rng = random.Random(zlib.crc32("/".join(columns).encode()))
    for form in FORMS:
        for _ in range(2):
            table = random_statistics(rng, 2014, columns)
            record = extract_bytes(statistics_page(table, form).encode("utf-8"), name="report.txt")
            read = {}
            for f in record.figures:
                read.setdefault((f.metric, f.category), f.value)
            truth = table.figures()
            assert {k: read[k] for k in truth if k in read and read[k] != truth[k]} == {}, f"{form} {columns}"
            if form != "one-line":
                assert {k: read.get(k) for k in truth} == truth, f"{form} {columns}"


@pytest.mark.parametrize("form", ("pipes", "tabs", "spaced", "markdown", "pdf-wrapped"))
def test_a_page_number_inside_the_statistics_table_is_no_value(form):
    """A page's number on a line of its own between the statistics table's rows (- 3 -, 第3页
    共5页, a bare 3) takes no row's place: every figure is read as on the unbroken page. In a
    PDF's text, where a wrapped label's numbers stand alone on their lines too, a bare number
    may leave its row unread, never wrong, and said."""
    rng = random.Random(zlib.crc32(form.encode()))
    for pattern in ("- 3 -", "第3页 共5页", "3"):
        for columns in STATISTICS_COLUMNS:
            table = random_statistics(rng, 2014, columns)
            lines = statistics_page(table, form).split("\n")
            first = next(i for i, line in enumerate(lines) if "统计指标" in line or "指标名称" in line) + 3
            lines.insert(rng.randint(first, len(lines) - 3), pattern)
            record = extract_bytes("\n".join(lines).encode("utf-8"), name="report.txt")
            read = {}
            for f in record.figures:
                read.setdefault((f.metric, f.category), f.value)
            truth = table.figures()
            assert {k: read[k] for k in truth if k in read and read[k] != truth[k]} == {}, f"{pattern} {columns}"
            if form != "pdf-wrapped" or pattern != "3":     # a wrapped label's lines may stand alone too
                assert {k: read.get(k) for k in truth} == truth, f"{pattern} {columns}"
            elif {k: read.get(k) for k in truth} != truth:
                assert any(w.startswith("统计表 row") for w in record.warnings)


def test_statistics_columns_no_heading_names_are_left_out():
    table = random_statistics(random.Random(2), 2014, ("上年", "本年"))
    page_text = statistics_page(table, "pipes").replace("上年", "甲").replace("本年", "乙")
    record = extract_bytes(page_text.encode("utf-8"), name="report.txt")
    assert not [f for f in record.figures if f.evidence.startswith(("主动公开政府信息数", "受理依申请"))]
    assert any("no heading that says which is the year's" in w for w in record.warnings)
