"""`xxgk compare` on the fixture archive: exact CSV, the same numbers in XLSX and JSON, a chart
whose Chinese labels the font can draw."""

import json
import warnings

import pytest
from openpyxl import load_workbook
from PIL import Image

from archive.chart import draw_chart
from archive.compare import CompareError, compare, parse_years
from archive.store import DB_NAME, open_database
from tests.conftest import xxgk

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
    with pytest.raises(CompareError, match="run backwards"):
        parse_years("2018-2013")
    assert parse_years("2013-2015,2019") == [2013, 2014, 2015, 2019]
