"""The `xxgk` command, run as a user runs it."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES
from xxgk.cli import main as cli


def xxgk(*args, cwd=None):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "xxgk", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120, env=env)


def test_extract_prints_a_json_array_and_reports_bad_files(tmp_path):
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(b"\x00\xff\xfe\x81" * 50)
    missing = tmp_path / "missing.txt"
    good = [EXAMPLES / "hubei-czt-2016.txt", EXAMPLES / "changsha-gov-2012.html"]
    result = xxgk("extract", good[0], garbage, missing, good[1])
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [r["agency"] for r in records] == ["湖北省财政厅", "长沙市人民政府"]
    assert {"title", "agency", "region", "year", "published_at", "archived_at", "period_start", "period_end",
            "signed_on", "era", "contacts", "sections", "figures", "checks"} <= set(records[0])
    assert set(records[0]["figures"][0]) >= {"metric", "value", "unit", "qualifier", "category", "evidence",
                                              "start", "end"}
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert str(garbage) in errors[0] and "encoding" in errors[0]
    assert str(missing) in errors[1] and "No such file" in errors[1]


def test_extract_jsonl_one_record_per_line():
    result = xxgk("extract", "--jsonl", EXAMPLES / "hubei-czt-2016.txt", EXAMPLES / "pingjiang-jyj-2011.txt")
    assert result.returncode == 0
    lines = result.stdout.strip().split("\n")
    assert [json.loads(line)["year"] for line in lines] == [2016, 2011]


def test_extract_all_good_exits_zero():
    result = xxgk("extract", EXAMPLES / "jilin-sjt-2016.html")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout)[0]["region"]["code"] == "220000"


@pytest.mark.parametrize("command", [[]] + [[name] for name in cli.commands])
def test_help_on_every_command(command):
    result = xxgk(*command, "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout and len(result.stdout) > 100


def test_demo_extracts_every_bundled_sample():
    result = xxgk("demo")
    assert result.returncode == 0, result.stderr
    samples = [p for p in (EXAMPLES.parents[1] / "xxgk" / "samples").iterdir() if p.suffix in (".txt", ".html")]
    assert len(samples) >= 8
    assert f"{len(samples)} reports extracted, 0 failed" in result.stdout
    for sample in samples:
        row = next(line for line in result.stdout.splitlines() if sample.stem in line)
        assert re.search(r"\d{6} +(?:19|20)\d\d +\d+ ", row) and "failed" not in row, row
