"""The `xxgk` command, run as a user runs it."""

import json
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, REPO, xxgk
from xxgk.cli import DEMO_PACE, main as cli


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


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """`xxgk demo` run from a folder of its own, as a user would: the folder and the result."""
    folder = tmp_path_factory.mktemp("demo")
    return folder, xxgk("demo", "--data", "data", cwd=folder)


def test_demo_crawls_the_bundled_sites_offline(demo_run):
    folder, result = demo_run
    assert result.returncode == 0, result.stderr[-2000:]
    assert "crawl run 1: finished\n" in result.stdout        # not "finished (finished)"
    # 27 report pages (6 of them of the standard-table years), the Word copy of one (converted by
    # LibreOffice), a PDF and a DOCX report, and a scan (a JPG, read by OCR)
    assert "27 report pages, 4 attachments" in result.stdout and "records extracted  31" in result.stdout
    assert "0 documents not extractable" in result.stdout
    assert "1 http_error" in result.stdout                     # the demo's dead link, recorded
    browse = next(line for line in result.stdout.splitlines() if line.startswith("browse it: "))
    command = browse.removeprefix("browse it: ").split("   (")[0]
    assert command.endswith(" -m xxgk serve --data data")
    printed = subprocess.run(command + " --help", shell=True, capture_output=True, text=True, cwd=folder,
                             timeout=300)
    assert printed.returncode == 0 and "Usage: python -m xxgk serve" in printed.stdout   # runs as printed
    assert "serving 4 sample sites on 127.0.0.1" in result.stderr
    assert "optional programs: LibreOffice found (reads DOC/WPS/RTF documents)" in result.stderr
    assert "; Tesseract found (reads scans" in result.stderr


def test_the_demo_shows_both_eras_the_standard_tables_and_checks(demo_run):
    folder, result = demo_run
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    years = next(line for line in lines if line.strip().startswith("2013 2014")).split()
    assert years == [str(y) for y in range(2013, 2025)]
    changning = next(line for line in lines if line.strip().startswith("常宁市教育局")).split()[1:]
    # 2013 a scan (its 统计表 read by OCR), 2014-18 text, 2019- tables
    assert changning == ["1", "0", "2", "·", "3", "0", "7", "10", "10", "15", "12", "16"]
    from archive.store import DB_NAME, open_database

    db = open_database(folder / "data" / DB_NAME)
    eras = {r["year"]: r["era"] for r in db.query("select year, era from reports where is_current = 1 "
                                                  "and agency = '常宁市教育局'")}
    assert eras == {2013: "free_text", 2014: "free_text", 2015: "free_text", 2017: "free_text", 2018: "free_text",
                    2019: "tables_2019", 2020: "tables_2021", 2021: "tables_2021", 2022: "tables_2021",
                    2023: "tables_2021", 2024: "tables_2021"}
    formats = {r["year"]: r["url"].rsplit(".", 1)[1] for r in db.query(
        "select year, url from reports where is_current = 1 and agency = '常宁市教育局' and year >= 2019")}
    assert formats == {2019: "html", 2020: "html", 2021: "pdf", 2022: "html", 2023: "docx", 2024: "html"}
    cells = db.execute("select count(*), count(distinct report_id) from request_cells").fetchone()
    assert f"standard tables: {cells[0]:,} cells of 表三 from {cells[1]} reports" in result.stdout and cells[1] == 6
    failed = db.execute("select r.agency, r.year, count(*) from checks c join reports r on r.id = c.report_id "
                        "where c.status = 'fail' group by r.id order by r.year").fetchall()
    assert failed == [("祁东县人民政府", 2012, 1), ("常宁市教育局", 2023, 4)]     # as the README says
    assert "(e.g. 常宁市教育局 2023: 表三" in result.stdout      # its 总计 is one off, on purpose
    scan = db.execute("select url, ocr from reports where ocr is not null").fetchall()
    assert [(url.rsplit("/", 1)[1], json.loads(ocr)["pages"]) for url, ocr in scan] == [("P201403183380.jpg", [1])]
    assert "scans read by OCR: 常宁市教育局 2013 (1 page, Tesseract 5" in result.stdout
    statistics = dict(db.execute("select f.metric || coalesce(':' || f.category, ''), f.value from figures f "
                                 "join reports r on r.id = f.report_id where r.ocr is not null").fetchall())
    assert {key: statistics.get(key) for key in ("proactive.items_total", "proactive.items_by_channel:网站",
                                                 "requests.received", "requests.granted")} == \
        {"proactive.items_total": 286, "proactive.items_by_channel:网站": 271, "requests.received": 1,
         "requests.granted": 1}                                  # tests/demo_reports.py's STATISTICS_2013
    go_on = lines[lines.index("go on with:") + 1:]
    assert len(go_on) == 3
    for line in go_on[:2]:                                      # each runs as printed
        printed = subprocess.run(line.strip(), shell=True, capture_output=True, text=True, cwd=folder, timeout=600)
        assert printed.returncode == 0, (line, printed.stderr)
    assert (folder / "requests.xlsx").exists() and (folder / "requests.png").exists()
    serve = go_on[2].strip().split("  ")[0]
    assert subprocess.run(serve + " --help", shell=True, capture_output=True, timeout=300).returncode == 0


def readme_examples(command: str) -> list[str]:
    """The README's example lines of one subcommand that a user can run as written (no
    placeholders such as FILE... or [--data DIR])."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip().startswith(f"xxgk {command} ")
            and not any(mark in line for mark in ("[", "...", "DIR", "~/"))]


def test_the_readme_compare_examples_run_on_the_archive_make_run_builds(demo_run):
    folder, result = demo_run
    assert result.returncode == 0, result.stderr[-2000:]
    examples = readme_examples("compare")
    assert len(examples) >= 2
    for line in examples:
        args = shlex.split(line)[1:]
        ran = xxgk(*args, "--data", "data", cwd=folder)
        assert ran.returncode == 0, (line, ran.stderr)
        assert " figures → " in ran.stdout and not ran.stdout.startswith("0 agencies")


def test_crawl_into_an_archive_another_process_writes_is_a_clear_error(tmp_path):
    from archive.store import Archive

    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\n', encoding="utf-8")
    holder = Archive(tmp_path / "data")
    try:
        result = xxgk("crawl", "--sites", sites, "--data", tmp_path / "data")
    finally:
        holder.close()
    assert result.returncode != 0
    assert "another xxgk process is writing" in result.stderr and "Traceback" not in result.stderr


def test_ingest_names_each_failing_file_and_its_reason_on_stderr(tmp_path):
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(b"\x00\xff\xfe\x81" * 50)
    missing = tmp_path / "missing.txt"
    result = xxgk("ingest", EXAMPLES / "hubei-czt-2016.txt", garbage, missing, "--data", tmp_path / "data")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("xxgk ingest:")]
    assert len(errors) == 2
    assert any(line.startswith(f"xxgk ingest: {garbage}: ") and "encoding" in line for line in errors)
    assert any(line.startswith(f"xxgk ingest: {missing}: ") and "No such file" in line for line in errors)
    assert "ingested 3 files: 2 new" in result.stdout and "extracted 1 report (" in result.stdout


def test_ingest_refuses_a_folder_up_front_like_extract(tmp_path):
    for command in ("ingest", "extract"):
        result = xxgk(command, EXAMPLES, *(["--data", tmp_path / "data"] if command == "ingest" else []))
        assert result.returncode == 2 and "is a directory" in result.stderr, command
    assert not (tmp_path / "data").exists()          # refused before anything was archived


def test_printed_commands_name_xxgk_as_it_was_run(tmp_path, monkeypatch):
    from xxgk.cli import invocation

    program = tmp_path / ".venv" / "bin" / "xxgk"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(program)])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert invocation() == ".venv/bin/xxgk"                  # not on the PATH: its path, from here
    monkeypatch.setenv("PATH", f"{program.parent}:/usr/bin:/bin")
    assert invocation() == "xxgk"                            # on the PATH: the name alone
    monkeypatch.setattr(sys, "argv", [str(REPO / "xxgk" / "__main__.py")])
    assert invocation() == f"{sys.executable} -m xxgk"       # python -m xxgk


LIBREOFFICE_DOC = REPO / "demo" / "sites" / "www.hengyang.demo.test" / "xxgk" / "ndbg" / "201303" / \
    "P020130327395817246318.doc"


def test_the_summary_says_when_an_engine_now_installed_can_read_archived_documents(tmp_path, monkeypatch):
    from crawler.summary import crawl_summary

    data = tmp_path / "data"
    monkeypatch.setenv("XXGK_SOFFICE", str(tmp_path / "no-soffice"))
    result = xxgk("ingest", LIBREOFFICE_DOC, "--data", data)
    assert result.returncode == 1 and "needs LibreOffice" in result.stderr
    waiting = [line for line in crawl_summary(data, {}).splitlines() if line.startswith("  waiting")]
    assert waiting == ["  waiting            1 archived document of DOC/WPS/RTF documents not read: LibreOffice "
                       "is not installed (apt-get install libreoffice-writer-nogui, or set XXGK_SOFFICE to the "
                       "soffice program); the first run after that reads them"]
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (.ci/system-packages installs it)")
    monkeypatch.delenv("XXGK_SOFFICE")
    lines = [line for line in crawl_summary(data, {}, "xxgk").splitlines() if line.startswith("  waiting")]
    assert lines == [f"  waiting            1 archived document of DOC/WPS/RTF documents not read: LibreOffice "
                     f"is installed now: xxgk reextract --data {data}"]
    command = crawl_summary(data, {}, invocation_here()).split("installed now: ")[1].splitlines()[0]
    result = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "re-extracted 1 of 1 documents (0 failed)" in result.stdout


def test_a_document_waiting_for_libreoffice_stays_listed_until_a_run_finds_it_installed(tmp_path):
    """Crawl twice without LibreOffice, then once with it: the .doc is "needs LibreOffice" in the
    first summary, still waiting (not silently resolved) in the second, and read by the third."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (.ci/system-packages installs it)")
    from demo import SITES
    from demo.server import SiteServer

    sites = tmp_path / "sites.toml"
    sites.write_text(SITES.joinpath("sites.toml").read_text(encoding="utf-8").split("\n\n[[site]]\nname = \"qidong")[0],
                     encoding="utf-8")
    doc = "SELECT count(*) FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.url LIKE '%.doc'"
    missing = {"XXGK_SOFFICE": str(tmp_path / "no-soffice")}
    with SiteServer(SITES) as server:
        def crawl(env):
            return xxgk("crawl", "--sites", sites, "--data", tmp_path / "data", "--via", server.proxy,
                        *[a for k, v in DEMO_PACE.items() for a in ("-s", f"{k}={v}")], env=env)
        first, second, third = crawl(missing), crawl(missing), crawl({})
    for result in (first, second, third):
        assert result.returncode == 0, result.stderr[-2000:]
    assert "1 document not extractable (yet) (1 needs LibreOffice)" in first.stdout
    for result in (first, second):
        assert "waiting            1 archived document of DOC/WPS/RTF documents not read: LibreOffice is not " \
               "installed" in result.stdout
    assert "\n  waiting " not in third.stdout and "0 documents not extractable" in third.stdout
    from archive.store import DB_NAME, open_database

    db = open_database(tmp_path / "data" / DB_NAME)
    assert db.execute(doc).fetchone()[0] == 1

def invocation_here() -> str:
    """How the tests run xxgk (python -m xxgk with this Python), as a summary would print it."""
    return f"{shlex.quote(sys.executable)} -m xxgk"


def on_a_terminal(*args) -> tuple[int, str]:
    """Run `xxgk` with its stdout on a pseudo-terminal, as a person at a terminal does: the exit
    status and what it showed."""
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "xxgk", *map(str, args)], stdout=follower,
                               stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:         # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=300), shown.decode("utf-8").replace("\r\n", "\n")


def test_extract_on_a_terminal_shows_a_summary_and_json_when_asked_or_piped():
    case = EXAMPLES / "anxiang-xian-2016-outlets-as-written.txt"
    status, shown = on_a_terminal("extract", case)
    assert status == 0
    lines = shown.splitlines()
    assert lines[1].strip() == "安乡县人民政府 (430721) · 2016 · free_text · published 2017-03-28"
    assert "11 figures" in lines[2] and "0 fail" in lines[2]
    assert any(line.split()[:3] == ["requests.received", "收到申请数", "12件"] for line in lines)
    assert any(line.split()[:3] == ["consultations.by_channel", "各渠道咨询数·现场", "~25000人次"] for line in lines)
    assert len(shown) < 3000 and '"figures"' not in shown          # not the JSON with the whole text in it
    status, shown = on_a_terminal("extract", "--json", case)
    assert status == 0 and json.loads(shown)[0]["agency"] == "安乡县人民政府"
    piped = xxgk("extract", case)
    assert json.loads(piped.stdout)[0]["agency"] == "安乡县人民政府"
    both = xxgk("extract", "--json", "--jsonl", case)
    assert both.returncode == 2 and "choose one" in both.stderr
