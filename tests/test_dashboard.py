"""The dashboard `xxgk serve` offers, looked at in a real browser: Debian's chromium, headless,
driven through its chromedriver (selenium). The page must render its three charts, each with
the series the archive holds: one line per agency stating the metric, one colour per request
outcome, found/late/missing by year."""

import shutil

import pytest

from archive.labels import METRICS
from tests.conftest import rows

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
LOAD_SECONDS = 120          # bounds a hang only: every wait below ends as soon as its condition holds


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): "
                    ".ci/system-packages installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--no-first-run", "--window-size=1400,1800"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(LOAD_SECONDS)
    yield driver
    driver.quit()


def chart(browser, name: str) -> dict:
    """What a chart drew, once it has drawn: its legend's labels, its lines and its bars."""
    from selenium.webdriver.support.ui import WebDriverWait

    script = f"""const el = document.querySelector('#chart-{name}');
        const labels = el ? Array.from(el.querySelectorAll('.role-legend-label text')).map(t => t.textContent) : [];
        return labels.length ? {{labels: labels, lines: el.querySelectorAll('g.mark-line path').length,
                                 bars: el.querySelectorAll('g.mark-rect path').length}} : null;"""
    return WebDriverWait(browser, LOAD_SECONDS, poll_frequency=0.2).until(lambda b: b.execute_script(script))


def test_the_dashboard_draws_a_metric_outcomes_and_coverage(served, browser):
    db = served["db"]
    browser.get(served["base"] + "/-/dashboards/overview")
    assert browser.current_url.endswith("/-/dashboards/overview?metric=requests.received")
    assert "xxgk 概览" in browser.title or "xxgk 概览" in browser.page_source
    agencies = sorted(r["agency"] for r in rows(db, "select distinct agency from comparison "
                                                    "where metric = 'requests.received' and category is null"))
    drawn = chart(browser, "metric-by-year")
    assert sorted(drawn["labels"]) == agencies and drawn["lines"] == len(agencies) > 5
    outcomes = [METRICS[r["metric"]][0] for r in rows(db, "select distinct metric from comparison where metric in "
                "('requests.granted', 'requests.partially_granted', 'requests.denied', 'requests.unable', "
                "'requests.not_processed', 'requests.other') and category is null")]
    drawn = chart(browser, "request-outcomes")
    assert set(drawn["labels"]) == set(outcomes) and len(outcomes) >= 4
    assert drawn["bars"] == rows(db, "select count(*) n from (select distinct year, metric from comparison where "
                                     "metric in ('requests.granted', 'requests.partially_granted', 'requests.denied', "
                                     "'requests.unable', 'requests.not_processed', 'requests.other') "
                                     "and category is null)")[0]["n"]
    drawn = chart(browser, "coverage")
    assert drawn["labels"] == ["found", "late", "missing"]
    assert drawn["bars"] == rows(db, "select count(*) n from (select distinct year, status from coverage)")[0]["n"]


def test_choosing_another_metric_redraws_its_agencies(served, browser):
    browser.get(served["base"] + "/-/dashboards/overview?metric=web.visits")
    agencies = sorted(r["agency"] for r in rows(served["db"], "select distinct agency from comparison "
                                                              "where metric = 'web.visits' and category is null"))
    drawn = chart(browser, "metric-by-year")
    assert sorted(drawn["labels"]) == agencies and drawn["lines"] == len(agencies)
