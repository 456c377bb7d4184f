"""Damaged and hostile text degrades, never drops the report (issue 12, items 11, 14, 15): a
byte or two that fit no encoding, elements nested deeper than libxml2's limit, one long line
without punctuation. The probes are generated here; the subprocess runs bound a hang only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extract import ExtractError, extract_bytes
from tests.conftest import EXAMPLES

REPORT = EXAMPLES / "pingjiang-jyj-2011.txt"       # a GBK report
UTF8 = EXAMPLES / "chengdu-wuhou-2012.txt"


def _figures(record) -> list[tuple]:
    return [(f.metric, f.category, f.value) for f in record.figures]


@pytest.mark.parametrize("path", [REPORT, UTF8], ids=["gb18030", "utf-8"])
@pytest.mark.parametrize("damage", ["bad byte at the end", "bad byte inside", "last character cut"])
def test_a_few_bad_bytes_are_replaced_and_counted_not_the_report_lost(path, damage):
    data = path.read_bytes()
    whole = extract_bytes(data, name=path.name)
    middle = len(data) // 2
    while data[middle] < 0x80:                        # inside a character's bytes: never a lone ASCII
        middle += 1
    damaged = {"bad byte at the end": data + b"\xff",
               "bad byte inside": data[:middle] + b"\xff" + data[middle:],
               "last character cut": data + "报".encode(whole.document["encoding"])[:-1]}[damage]
    record = extract_bytes(damaged, name=path.name)
    assert record.document["encoding"] == whole.document["encoding"]
    assert any(w.endswith(f"not valid {whole.document['encoding']}: replaced by U+FFFD") for w in record.warnings)
    lost = set(_figures(whole)) - set(_figures(record))
    assert len(lost) <= 1                              # only a figure whose own words held the bad byte
    assert (record.agency, record.year) == (whole.agency, whole.year)


def test_bytes_that_fit_no_encoding_anywhere_are_still_an_error():
    with pytest.raises(ExtractError, match="cannot detect the text encoding|no Chinese report text"):
        extract_bytes(bytes(range(128, 256)) * 40, name="noise.txt")


def test_content_nested_deeper_than_the_parser_goes_is_read_and_said():
    body = REPORT.read_bytes().decode("gb18030").replace("\n", "</p><p>")
    page = f"<html><body>{'<font size=3>' * 300}<p>{body}</p></body></html>"
    record = extract_bytes(page.encode("utf-8"), name="deep.html")
    flat = extract_bytes(f"<html><body><p>{body}</p></body></html>".encode("utf-8"), name="flat.html")
    assert (record.year, record.agency) == (flat.year, flat.agency) and record.year == 2011
    assert _figures(record) == _figures(flat) and len(record.figures) > 5
    assert any("more than 256 deep" in w for w in record.warnings)


def test_blocks_nested_past_every_limit_fail_with_the_reason():
    page = "<html><body>" + "<div>" * 3000 + "<p>某县2014年度政府信息公开工作报告，全年主动公开政府信息62条。</p></body></html>"
    with pytest.raises(ExtractError, match="more than 2048 deep"):
        extract_bytes(page.encode("utf-8"), name="deeper.html")


def test_a_long_line_without_punctuation_costs_linear_time(tmp_path):
    """A 2.6 MB line of figures with no full stop: quadratic work took minutes for a tenth of it;
    the 600 s timeout only bounds a hang."""
    line = "2014年我局共收到政府信息公开申请3件予以公开2件" * 40000
    path = tmp_path / "one-line.txt"
    path.write_text("某县2014年度政府信息公开工作报告\n" + line + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "xxgk", "extract", str(path), "--jsonl"], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    assert {(f["metric"], f["value"]) for f in record["figures"]} == {("requests.received", 3), ("requests.granted", 2)}
