"""The pages `xxgk serve` offers, looked at in a real browser: Debian's chromium, headless,
driven through its chromedriver (selenium), each page's screenshot saved ($XXGK_SCREENSHOTS, else
pytest's temporary folder). The dashboard must render its three charts, each with the series the
archive holds: one line per agency stating the metric (broken where a year is missing), one colour
per request outcome, found/late/missing by year; a metric it does not know is named with the
nearest it does. The report list and the search pages show their first row in a 1400×1000 window."""

import os
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from archive.labels import METRICS
from tests.conftest import rows

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
LOAD_SECONDS = 120          # bounds a hang only: every wait below ends as soon as its condition holds
WINDOW = (1400, 1800)       # tall enough for the whole dashboard
SMALL_WINDOW = (1400, 1000)  # a laptop's browser window


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
                     "--disable-default-apps", "--no-first-run", f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(LOAD_SECONDS)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def screenshot(browser, tmp_path_factory):
    """Save what the browser shows as NAME.png; the path."""
    folder = Path(os.environ.get("XXGK_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def save(name: str) -> Path:
        path = folder / f"{name}.png"
        browser.save_screenshot(str(path))
        return path
    return save


def chart(browser, name: str) -> dict:
    """What a chart drew, once it has drawn: its legend's labels, its lines and its bars."""
    from selenium.webdriver.support.ui import WebDriverWait

    script = f"""const el = document.querySelector('#chart-{name}');
        const labels = el ? Array.from(el.querySelectorAll('.role-legend-label text')).map(t => t.textContent) : [];
        const lines = el ? Array.from(el.querySelectorAll('g.mark-line path')) : [];
        return labels.length ? {{labels: labels, lines: lines.length,
                                 runs: lines.reduce((n, p) => n + (p.getAttribute('d').match(/M/g) || []).length, 0),
                                 bars: el.querySelectorAll('g.mark-rect path').length}} : null;"""
    return WebDriverWait(browser, LOAD_SECONDS, poll_frequency=0.2).until(lambda b: b.execute_script(script))


def test_the_dashboard_draws_a_metric_outcomes_and_coverage(served, browser, screenshot):
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
    screenshot("dashboard")


def test_choosing_another_metric_redraws_its_agencies(served, browser):
    browser.get(served["base"] + "/-/dashboards/overview?metric=web.visits")
    agencies = sorted(r["agency"] for r in rows(served["db"], "select distinct agency from comparison "
                                                              "where metric = 'web.visits' and category is null"))
    drawn = chart(browser, "metric-by-year")
    assert sorted(drawn["labels"]) == agencies and drawn["lines"] == len(agencies)


def test_a_missing_year_is_a_gap_in_the_line(served, browser, screenshot):
    browser.get(served["base"] + "/-/dashboards/overview?metric=requests.received")
    years = defaultdict(set)
    for r in rows(served["db"], "select agency, year from comparison where metric = 'requests.received' "
                                "and category is null"):
        years[r["agency"]].add(r["year"])
    runs = sum(1 for stated in years.values() for year in stated if year - 1 not in stated)
    drawn = chart(browser, "metric-by-year")
    screenshot("dashboard-gaps")
    assert drawn["lines"] == len(years) and drawn["runs"] == runs > len(years)      # 2014–2015, 2017: two runs


def test_a_metric_the_archive_does_not_know_is_named_with_the_nearest(served, browser, screenshot):
    from selenium.webdriver.common.by import By

    base = served["base"] + "/-/dashboards/overview?metric="
    browser.get(base + "requests.recieved")
    screenshot("dashboard-misspelt-metric")
    messages = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".message-error")]
    assert any("unknown metric 'requests.recieved': did you mean requests.received" in m for m in messages)
    labels = {o.get_attribute("value"): o.text for o in browser.find_elements(By.CSS_SELECTOR, "select#metric option")}
    assert labels["requests.received"] == "requests.received 收到申请数"
    assert labels["web.visits"] == "web.visits 网站访问量"
    browser.get(base + "requests.by_channel:网上申请")
    messages = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".message-error")]
    assert any("unknown category '网上申请' of requests.by_channel: did you mean 网上" in m for m in messages)
    browser.get(base + "requests.by_channel:网上")
    agencies = {r["agency"] for r in rows(served["db"], "select agency from comparison "
                                                        "where metric = 'requests.by_channel' and category = '网上'")}
    drawn = chart(browser, "metric-by-year")
    assert set(drawn["labels"]) == agencies and agencies
    assert not browser.find_elements(By.CSS_SELECTOR, ".message-error")


@pytest.mark.parametrize("name, path", [("report-list", "/xxgk/report_list"),
                                        ("report-search", "/xxgk/reports?_search=复议"),
                                        ("section-search", "/xxgk/section_texts?_search=复议")])
def test_the_first_result_row_is_in_a_laptops_window(served, browser, screenshot, name, path):
    browser.set_window_size(*SMALL_WINDOW)
    try:
        browser.get(served["base"] + path)
        shown = browser.execute_script(
            "const row = document.querySelector('table.rows-and-columns tbody tr');"
            "return row && {bottom: row.getBoundingClientRect().bottom, window: window.innerHeight};")
        saved = screenshot(name)
    finally:
        browser.set_window_size(*WINDOW)
    assert shown and shown["bottom"] <= shown["window"], f"the first row is below the window: {saved}"


def test_the_report_lists_titles_are_readable_and_its_links_short(served, browser, screenshot):
    browser.set_window_size(*SMALL_WINDOW)
    try:
        browser.get(served["base"] + "/xxgk/report_list")
        cells = browser.execute_script(
            "const row = document.querySelector('table.rows-and-columns tbody tr');"
            "const title = row.querySelector('td.col-title'), link = row.querySelector('td.col-url a');"
            "return {characters: title.getBoundingClientRect().width / parseFloat(getComputedStyle(title).fontSize),"
            "        text: link.textContent, href: link.href};")
        saved = screenshot("report-list-titles")
    finally:
        browser.set_window_size(*WINDOW)
    assert cells["characters"] >= 12, f"the title is squeezed to {cells['characters']:.1f} characters: {saved}"
    assert cells["href"].startswith(("http", "file:")) and len(cells["text"]) < len(cells["href"])
    assert cells["href"] in {r["url"] for r in served["db"].query("select url from reports")}
