"""Every golden case: the whole record must equal its expected file (every figure)."""

import pytest

from tests.golden import actual_record, cases, differences, expected_path, expected_record

CASES = cases()


def test_every_case_has_an_expected_file():
    missing = [c for c in CASES if not expected_path(c).exists()]
    assert not missing, f"cases without an expected file (run `make golden CASE=…`): {missing}"
    assert len(CASES) >= 16


@pytest.mark.parametrize("case", CASES)
def test_record_matches_expected(case):
    expected, actual = expected_record(case), actual_record(case)
    problems = differences(expected, actual)
    assert not problems, "\n".join(problems)
    assert actual == expected


@pytest.mark.parametrize("case", CASES)
def test_evidence_is_the_text_at_its_offsets(case):
    record = actual_record(case)
    for figure in record["figures"]:
        if figure["evidence"].startswith(("表二 ", "表三 ", "表四 ")):   # a table cell's path: the offsets
            assert record["text"][figure["start"]:figure["end"]].strip()  # hold its row or its number
        else:
            assert record["text"][figure["start"]:figure["end"]] == figure["evidence"]
        if figure["section"] is not None:
            section = record["sections"][figure["section"]]
            assert section["start"] <= figure["start"] < section["end"] + 1
    for section in record["sections"]:
        heading = record["text"][section["start"]:section["end"]]
        assert heading.startswith(section["number"]) or heading.startswith("第")
        assert section["title"] in heading.split("\n")[0]


@pytest.mark.parametrize("case", CASES)
def test_no_page_chrome_in_text(case):
    text = actual_record(case)["text"]
    for chrome in ("扫一扫", "字体", "浏览量:", "浏览次数:", "版权所有", "ICP", "网站标识码", "分享到",
                   "打印本页", "关闭窗口", "当前位置", "上一篇", "【"):
        assert chrome not in text, f"{chrome!r} left in the text of {case}"
