"""One reader of --years for every command: what it takes, and what it refuses with what is allowed."""

import datetime

import pytest

from extract.years import FIRST_REPORT_YEAR, YearsError, parse_years
from tests.conftest import REPO, xxgk

TODAY = datetime.date(2026, 12, 6)
SITES = REPO / "demo" / "sites" / "sites.toml"


@pytest.mark.parametrize("text, years", [
    ("2019", [2019]), ("2013-2015", [2013, 2014, 2015]), ("2013,2015", [2013, 2015]),
    (" 2017 – 2018 , 2013 ", [2013, 2017, 2018]), (f"{FIRST_REPORT_YEAR}-2026", list(range(2008, 2027))),
])
def test_years_it_reads(text, years):
    assert parse_years(text, today=TODAY) == years


@pytest.mark.parametrize("text, says", [
    ("abc", "cannot read years 'abc'"), ("2024-2013", "run backwards: write 2013-2024"),
    ("1999", "no reports exist for 1999"), ("1990-2100", "no reports exist for 1990-2100"),
    ("2027", "no reports exist for 2027"), ("2013,", "cannot read years"),
])
def test_years_it_refuses_say_what_is_allowed(text, says):
    with pytest.raises(YearsError, match=says) as caught:
        parse_years(text, today=TODAY)
    assert "2008" in str(caught.value)


@pytest.mark.parametrize("command", [
    ["crawl", "--sites", SITES, "--data", "{tmp}/data"],
    ["seed", "--redis", "redis://127.0.0.1:1/0", "--sites", SITES],
    ["compare", "requests.received", "--out", "{tmp}/x.csv", "--data", "{tmp}/data"],
])
@pytest.mark.parametrize("years", ["abc", "2024-2013", "1999"])
def test_every_command_refuses_bad_years_before_starting(command, years, tmp_path):
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in command]
    result = xxgk(*args, "--years", years)
    assert result.returncode == 2, result.stderr
    assert "Invalid value for '--years'" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []      # nothing was started or created
