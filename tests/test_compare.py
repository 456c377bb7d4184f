"""`xxgk compare` on the fixture archive: exact CSV, the same numbers in XLSX and JSON, a chart
whose Chinese labels the font can draw."""

import csv
import io
import json
import warnings
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from PIL import Image

from archive.chart import draw_chart
from archive.compare import compare
from archive.labels import METRICS
from archive.records import store_report
from archive.store import DB_NAME, Archive, open_database
from extract import extract_file
from tests.conftest import REPO, xxgk

YUEYANG_REQUESTS = """\
agency_key,agency,region_code,level,2014,2015,2016,2017,2018
430600:生态环境,岳阳市生态环境局,430600,city,,,21,,34
430600:科学技术,岳阳市科学技术局,430600,city,3,4,,6,
"""


def test_one_metric_over_years_as_csv(built, tmp_path):
    out = tmp_path / "requests.csv"
    result = xxgk("compare", "requests.received", "--region", "430600", "--years", "2014-2018", "--out", out,
                  "--data", built["data"])
    assert result.returncode == 0, result.stderr
    assert "2 agencies × 5 columns, 5 figures" in result.stdout
    assert out.read_bytes().decode("utf-8-sig") == YUEYANG_REQUESTS.replace("\n", "\r\n")


def test_metrics_for_one_year_mark_approximations_and_keep_zero_apart_from_missing(built, tmp_path):
    out = tmp_path / "2015.csv"
    result = xxgk("compare", "web.visits", "fees.collected_yuan", "litigation.total", "onsite.visitors",
                  "--agencies", "市科技局", "--years", "2015", "--out", out, "--data", built["data"])
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["agency_key,agency,region_code,level,web.visits,fees.collected_yuan,litigation.total,"
                     "onsite.visitors",
                     "430600:科学技术,岳阳市科学技术局,430600,city,≥90000,0,0,"]


def test_xlsx_holds_the_same_numbers_with_qualifiers_in_the_format(built, tmp_path):
    csv_out, xlsx_out = tmp_path / "visits.csv", tmp_path / "visits.xlsx"
    for out in (csv_out, xlsx_out):
        result = xxgk("compare", "web.visits", "--region", "430600", "--out", out, "--data", built["data"])
        assert result.returncode == 0, result.stderr
    sheet = load_workbook(xlsx_out)["comparison"]
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    text = [line.split(",") for line in csv_out.read_text(encoding="utf-8-sig").splitlines()]
    assert [str(v) for v in table[0]] == text[0]
    assert len(table) == len(text) == 3
    for sheet_row, csv_row, cells in zip(table[1:], text[1:], list(sheet.iter_rows())[1:]):
        assert sheet_row[:2] == csv_row[:2]
        for value, written, cell in zip(sheet_row[4:], csv_row[4:], cells[4:]):
            if written == "":
                assert value is None                    # missing stays empty, not 0
            else:
                assert isinstance(value, (int, float)) and str(value) == written.lstrip("~≥≤")
                assert cell.number_format.startswith(f'"{written[0]}"') if not written[0].isdigit() \
                    else cell.number_format == "General"
    assert any(written.startswith("~") for row in text[1:] for written in row[4:])


def test_json_keeps_qualifier_unit_and_report_link(built, tmp_path):
    out = tmp_path / "visits.json"
    assert xxgk("compare", "web.visits", "--agencies", "岳阳市科学技术局", "--years", "2014-2016", "--out", out,
                "--data", built["data"]).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["columns"] == ["2014", "2015", "2016"]
    cells = data["rows"][0]["cells"]
    assert cells["2014"]["value"] == 80000 and cells["2014"]["qualifier"] == "approx"
    assert cells["2014"]["unit"] == "人次" and cells["2014"]["url"].endswith("yueyang-kjj-2014.txt")
    assert cells["2016"] is None


def test_chart_is_a_png_with_every_chinese_glyph(built, tmp_path):
    db = open_database(built["data"] / DB_NAME)
    for metrics, years, name in ((["requests.received", "web.visits"], None, "lines.png"),
                                 (["requests.received"], "2016", "bars.png")):
        table = compare(db, metrics, years=years)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            path = draw_chart(table, tmp_path / name)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        assert missing == []
        with Image.open(path) as image:
            assert image.format == "PNG"
            width, height = image.size
            assert width >= 800 and height >= 400
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 20    # drawn, not blank


def test_cli_draws_the_chart_it_is_asked_for(built, tmp_path):
    result = xxgk("compare", "requests.received", "--level", "city", "--out", tmp_path / "c.csv",
                  "--chart", tmp_path / "c.png", "--data", built["data"])
    assert result.returncode == 0, result.stderr
    assert f"chart → {tmp_path / 'c.png'}" in result.stdout
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    agencies = [line.split(",")[3] for line in (tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert agencies and set(agencies) == {"city"}


def test_bad_requests_get_clear_errors(built, tmp_path):
    result = xxgk("compare", "requests.received", "--agencies", "不存在局", "--out", tmp_path / "x.csv",
                  "--data", built["data"])
    assert result.returncode == 2 and "no agency in the archive is called '不存在局'" in result.stderr
    result = xxgk("compare", "requests.received", "--out", tmp_path / "x.txt", "--data", built["data"])
    assert result.returncode == 2 and "--out must end in .csv, .xlsx, .json" in result.stderr
    result = xxgk("compare", "requests.received", "--years", "2018-2013", "--out", tmp_path / "x.csv",
                  "--data", built["data"])
    assert result.returncode == 2 and "run backwards: write 2013-2018" in result.stderr


def one_line_error(result, code: int) -> str:
    """The error of a command that failed as it should: its exit status, one line, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("args, expected", [
    (["requests.recieved"], "unknown metric 'requests.recieved': did you mean requests.received"),
    (["requests.by_channel:网下"], "unknown category '网下' of requests.by_channel"),
    (["requests.received", "--region", "430601"], "no agency in the archive is in region 430601; nearest: 430600"),
])
def test_unknown_metric_category_or_region_is_an_error_naming_the_nearest(built, tmp_path, args, expected):
    out = tmp_path / "x.csv"
    error = one_line_error(xxgk("compare", *args, "--out", out, "--data", built["data"]), 2)
    assert expected in error
    assert not out.exists()


def test_a_category_error_lists_the_categories_the_archive_holds(built, tmp_path):
    db = open_database(built["data"] / DB_NAME)
    held = [r["category"] for r in db.query("select distinct category from figures "
                                            "where metric = 'requests.by_channel' order by category")]
    error = one_line_error(xxgk("compare", "requests.by_channel:网下", "--out", tmp_path / "x.csv",
                                "--data", built["data"]), 2)
    assert held and f"the archive holds: {', '.join(held)}" in error


@pytest.mark.parametrize("chart", [False, True])
def test_a_selection_without_figures_says_so_exits_non_zero_and_writes_nothing(built, tmp_path, chart):
    out, png = tmp_path / "x.csv", tmp_path / "x.png"
    args = ["--chart", png] if chart else []
    error = one_line_error(xxgk("compare", "requests.received", "--years", "2026", "--out", out, *args,
                                "--data", built["data"]), 1)
    assert "holds no figure for requests.received" in error
    assert not out.exists() and not png.exists()


@pytest.mark.parametrize("option", ["--out", "--chart"])
@pytest.mark.parametrize("where, says", [
    ("a-file/x", "no folder {tmp}/a-file"), ("no/such/folder/x", "no folder {tmp}/no/such/folder"),
    ("/proc/x", "cannot write in /proc"),
])
def test_an_unwritable_out_or_chart_is_refused_before_any_work_and_creates_nothing(built, tmp_path, option,
                                                                                    where, says):
    (tmp_path / "a-file").write_text("")
    bad = where if where.startswith("/") else f"{tmp_path}/{where}"
    bad += ".csv" if option == "--out" else ".png"
    args = ["--out", bad] if option == "--out" else ["--out", tmp_path / "ok.csv", "--chart", bad]
    before = sorted(tmp_path.rglob("*"))
    error = one_line_error(xxgk("compare", "requests.received", *args, "--data", built["data"]), 2)
    assert f"{option} {bad}" in error and says.format(tmp=tmp_path) in error
    assert sorted(tmp_path.rglob("*")) == before        # not the good --out either: no work was done


def test_too_many_metrics_is_a_one_line_error(built, tmp_path):
    many = [f"requests.by_channel:c{i}" for i in range(1001)]
    error = one_line_error(xxgk("compare", *many, "--out", tmp_path / "m.csv", "--data", built["data"]), 2)
    assert "1001 metrics: one comparison takes at most 1000" in error


def test_a_thousand_metrics_are_compared(built):
    db = open_database(built["data"] / DB_NAME)
    table = compare(db, ["requests.received"] * 999 + ["web.visits"], years="2014")
    assert table.rows and len(table.columns) == 1000


FORMULA = '=HYPERLINK("http://evil.test","x")'


def archive_holding(data, record) -> None:
    """An archive in `data` holding `record` as it is (whatever its text), without extracting it."""
    archive = Archive(data)
    archive.db["warc_files"].insert({"name": "none.warc.gz", "committed_size": 0}, ignore=True)
    document = archive.add_document({"url": "file:///evil.txt", "fetched_at": "2015-03-01T00:00:00+00:00",
                                     "sha256": "evil", "size": 0, "warc_file": "none.warc.gz", "warc_offset": 0,
                                     "kind": "report", "source": "file"})
    store_report(archive.db, document, "file:///evil.txt", record)
    archive.commit()
    archive.close()


ESCAPE = "\x1b[2J\x1b]0;owned\x07"      # clear the screen, set the window title


def test_control_characters_from_a_document_reach_neither_a_spreadsheet_nor_the_terminal(tmp_path):
    """Extraction leaves them out of names; an archive that holds them anyway (an older one)
    exports to XLSX without them, and `xxgk metrics` shows them escaped, never raw."""
    report = tmp_path / "esc.txt"
    report.write_text(f"县教{ESCAPE}育局2014年政府信息公开工作年度报告\n一、概述\n2014年我局共收到政府信息公开申请3件。"
                      f"全年主动公开信息20条，其中政务动态{ESCAPE}类信息12条。\n县教育局\n2015年3月1日\n", encoding="utf-8")
    record = extract_file(report)
    assert "\x1b" not in record.agency and all("\x1b" not in (f.category or "") for f in record.figures)
    held = replace(record, agency=f"县教{ESCAPE}育局",
                   figures=[replace(f, category=f"政务{ESCAPE}动态") if f.category else f for f in record.figures])
    archive_holding(tmp_path / "data", held)
    result = xxgk("compare", "requests.received", "--out", tmp_path / "o.xlsx", "--data", tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert load_workbook(tmp_path / "o.xlsx")["comparison"]["B2"].value == "县教[2J]0;owned育局"
    shown = xxgk("metrics", "--data", tmp_path / "data")
    assert shown.returncode == 0 and "政务\\x1b[2J\\x1b]0;owned\\x07动态" in shown.stdout
    assert not any(c in shown.stdout for c in "\x1b\x07")


def test_text_from_a_document_never_becomes_a_formula(tmp_path):
    """An agency's name is text a page gave: the extractor keeps a name to its own words, and
    an export writes whatever text an archive holds as text, never as a formula."""
    report = tmp_path / "evil.txt"
    report.write_text(f"{FORMULA}县教育局2014年政府信息公开工作年度报告\n一、概述\n"
                      f"2014年我局共收到政府信息公开申请3件，予以公开2件。\n{FORMULA}县教育局\n2015年3月1日\n",
                      encoding="utf-8")
    assert extract_file(report).agency == "县教育局"
    # a name a page gave, as if it had reached the archive whole
    archive_holding(tmp_path / "data", replace(extract_file(report), agency=FORMULA + "县教育局"))
    for name in ("o.xlsx", "o.csv"):
        result = xxgk("compare", "requests.received", "--out", tmp_path / name, "--data", tmp_path / "data")
        assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "o.xlsx") as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet for sheet in sheets)
    sheet = load_workbook(tmp_path / "o.xlsx")["comparison"]
    assert sheet["B2"].value.startswith(FORMULA) and sheet["B2"].data_type == "s"
    rows = list(csv.reader(io.StringIO((tmp_path / "o.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][1] == "'" + FORMULA + "县教育局" and rows[1][4] == "3"


def test_csv_neutralises_every_formula_start_but_keeps_negative_numbers():
    from archive.exports import as_text

    for text in ("=1+1", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"):
        assert as_text(text) == "'" + text
    assert [as_text(t) for t in ("-2", "+3", "-2.5", "岳阳市", "", None)] == ["-2", "+3", "-2.5", "岳阳市", "", None]


def test_metrics_lists_every_key_with_its_names_and_what_the_archive_holds(built):
    result = xxgk("metrics", "--data", built["data"])
    assert result.returncode == 0, result.stderr
    db = open_database(built["data"] / DB_NAME)
    held = {r["metric"]: r["n"] for r in db.query("select metric, count(*) n from figures group by metric")}
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if not line.startswith(" ")}
    assert set(METRICS) <= set(lines)
    for key, (zh, en) in METRICS.items():
        figures = int(lines[key].split()[1].replace(",", ""))
        assert figures == held.get(key, 0), key
        assert f"{zh} / {en}" in lines[key]
    assert "requests.by_channel:CATEGORY" in result.stdout


def test_the_readme_lists_every_metric_key():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [key for key in METRICS if f"`{key}`" not in readme]
    assert missing == []


def _one_year(values: dict[str, tuple[float, str]], metric="requests.received", year=2016):
    from archive.compare import Cell, Comparison, Row

    rows = [Row(f"k{i}", name, "430600", "city", {(metric, year): Cell(value, qualifier, "件", i, None)})
            for i, (name, (value, qualifier)) in enumerate(values.items())]
    return Comparison(metrics=[metric], years=[year], rows=rows)


def test_bars_explain_their_hatching_and_write_thousands():
    import matplotlib.pyplot as plt

    from archive.chart import ROUGH, chart_figure

    figure = chart_figure(_one_year({"甲局": (123456, "exact"), "乙局": (60000, "approx")}))
    try:
        axis = figure.axes[0]
        figure.canvas.draw()
        assert [t.get_text() for t in axis.get_legend().get_texts()] == ["确数 / exact", ROUGH]
        assert [p.get_hatch() for p in axis.get_legend().get_patches()] == [None, "//"]
        assert {t.get_text() for t in axis.texts} == {"123,456", "~60,000"}
        ticks = [t.get_text() for t in axis.get_yticklabels()]
        assert "100,000" in ticks and all("e" not in t for t in ticks)
    finally:
        plt.close(figure)


def test_a_metric_that_is_zero_everywhere_gets_a_zero_to_one_axis():
    import matplotlib.pyplot as plt

    from archive.chart import chart_figure

    over_years = _one_year({"甲局": (0, "exact")})
    over_years.years = [2015, 2016]
    over_years.rows[0].cells[("requests.received", 2015)] = over_years.rows[0].cells[("requests.received", 2016)]
    for comparison in (_one_year({"甲局": (0, "exact"), "乙局": (0, "exact")}), over_years):
        figure = chart_figure(comparison)
        try:
            assert figure.axes[0].get_ylim() == (0, 1)
            legend = figure.axes[0].get_legend()            # bars: nothing hatched, nothing to explain
            assert legend is None or [t.get_text() for t in legend.get_texts()] == ["甲局"]
        finally:
            plt.close(figure)
