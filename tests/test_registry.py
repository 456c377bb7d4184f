"""The national registry of report columns (crawler/sites/registry/): every entry valid, the
selections `xxgk sites` makes, and a crawl of a selection."""

import re
import shlex
import subprocess

import pytest

from crawler.catalogue import (REGISTRY_DIR, Entry, RegistryError, counts, load_registry, problems,
                               rejected_hosts, select, sites_toml)
from crawler.platforms import column_of, platform_of
from crawler.registry import load_sites
from tests.conftest import REPO, xxgk

DEMO_REGISTRY = REPO / "demo" / "registry"


@pytest.fixture(scope="module")
def registry() -> list[Entry]:
    return load_registry()


def test_every_registry_entry_is_valid(registry):
    """Codes exist in GB/T 2260 for the year and fit the level and the agency's name, every
    entry has a source, no URL twice, no rejected host, the platform its URL follows."""
    assert not problems(registry, rejected_hosts())


def test_the_registry_covers_every_province_and_level(registry):
    provinces = {e.province_code for e in registry if e.level != "central"}
    assert len(provinces) == 31
    assert {e.level for e in registry} == {"central", "province", "city", "county", "township"}


def test_the_readme_counts_are_the_registry_s(registry):
    """The README's registry table says what the files hold (update both together)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"^\| `(\d\d-[a-z]+\.csv)` \| (\d+) \|", readme, re.M))
    assert stated == {name: str(n) for name, n in counts(registry)["file"].items()}
    assert f"{len(registry):,} entries" in readme


def test_rejected_hosts_are_refused():
    entry = load_registry(DEMO_REGISTRY)[0]
    assert problems([entry], {entry.host: "a mirror"}) == [
        f"{entry.file}:{entry.line} ({entry.agency}): host {entry.host} is rejected: a mirror"]


@pytest.mark.parametrize("change, says", [
    ({"region_code": "439999"}, "code '439999' is not in the GB/T 2260 table of today"),
    ({"agency": "衡阳县人民政府", "region_code": "310151", "report_year": "2013", "level": "county"},
     "code '310151' is not in the GB/T 2260 table of 2013"),          # 崇明区 since 2016: its old code then
    ({"region_code": "440600"}, "its name places it in"),
    ({"agency": "扬州市人民政府", "region_code": "321100", "level": "city"}, "its name places it in 321000"),
    ({"level": "township", "region_code": "430000"}, "does not fit level township"),
    ({"seen_in": ""}, "no source"),
    ({"url": "ftp://x.gov.cn/a"}, "not an http(s) URL"),
    ({"url": "http://x.gov.cn/zfxxgknb/202301/t20230101_1.html", "pattern": "boda"}, "the URL follows trs_tdate"),  # offline
])
def test_a_wrong_entry_is_named_with_its_file_and_line(change, says):
    from dataclasses import replace

    entry = replace(load_registry(DEMO_REGISTRY)[0], **change)
    found = problems([entry, entry], {})
    assert found and all(p.startswith(f"43-hunan.csv:2 ({entry.agency}): ") for p in found)
    assert any(says in p for p in found), found
    assert any("URL listed 2 times" in p for p in found)


# Real report URLs as published (crawler/sites/registry/): strings the URL rules read, never fetched.
@pytest.mark.parametrize("url, platform", [
    ("http://www.gztongzi.gov.cn/zwgk/zfxxgk/zfxxgknb/2022n/202302/t20230218_78246924.html", "trs_tdate"),  # offline
    ("http://www.yw.gov.cn/art/2024/1/15/art_1229133945_4129271.html", "hanweb_jcms"),  # offline
    ("http://www.zoucheng.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=11370883004326403Q&fbtime=2024",  # offline
     "hanweb_xxgk_module"),
    ("http://heping.gov.cn/hyhphsz/gkmlpt/content/0/638/post_638777.html", "gkmlpt"),  # offline
    ("https://www.langao.gov.cn/Content-2786531.html", "shaanxi"),  # offline
    ("https://www.huachuan.gov.cn/hcx/c100096/202201/c04_248646.shtml", "c_col_shtml"),  # offline
    ("https://www.nhc.gov.cn/zwgkzt/pgkbg/201503/d5442cbf714442fa80065947dfb7cfe9.shtml", "hex_shtml"),  # offline
    ("https://www.shanghai.gov.cn/nw42847/20200823/0001-42847_55429.html", "shanghai_portal"),  # offline
    ("https://sheitc.sh.gov.cn/zfxxgknb/20220127/a38d73a2bda1442fa7f1a36a7f3402d2.html", "shanghai_portal"),  # offline
    ("https://www.scanju.gov.cn/gongkai/show/3307ea6fed8f4ddbb88636a527a2d3a2.html", "other"),  # offline
    ("https://www.ynyx.gov.cn/info/1025/61695.htm", "boda"),  # offline
    ("https://zongyang.gov.cn/openness/OpennessAnnualReport/show/2805.html", "anhui_openness"),  # offline
    ("http://gk.ziyang.gov.cn/year_details.aspx?dept=8&year=2023", "aspnet_params"),  # offline
    ("https://www.tongbai.gov.cn/2025/01-16/861386.html", "other"),  # offline
])
def test_platforms_are_told_by_their_urls(url, platform):
    assert platform_of(url) == platform


def test_a_trs_report_gives_its_column_and_nothing_else_is_derived():
    report = "http://www.gztongzi.gov.cn/zwgk/zfxxgk/zfxxgknb/2022n/202302/t20230218_78246924.html"  # offline
    assert column_of(report) == "http://www.gztongzi.gov.cn/zwgk/zfxxgk/zfxxgknb/2022n/"  # offline
    assert column_of("https://www.ynyx.gov.cn/info/1025/61695.htm") is None  # offline


def test_selections_by_province_city_level_kind_and_name():
    demo = load_registry(DEMO_REGISTRY)
    assert [e.agency for e in select(demo, province="湖南")] == ["衡阳市人民政府", "祁东县人民政府", "常宁市教育局"]
    assert select(demo, province="430000") == select(demo, province="湖南省")
    assert [e.agency for e in select(demo, city="衡阳市", level="county")] == ["祁东县人民政府", "常宁市教育局"]
    assert [e.agency for e in select(demo, kind="教育")] == ["常宁市教育局"]
    assert [e.agency for e in select(demo, name="人力资源")] == ["佛山市人力资源和社会保障局"]
    with pytest.raises(RegistryError, match="unknown level 'town': one of central, province"):
        select(demo, level="town")
    with pytest.raises(RegistryError, match="no province is called '湖兰'"):
        select(demo, province="湖兰")


def test_a_selection_becomes_a_sites_file_the_crawler_reads(tmp_path):
    chosen = select(load_registry(DEMO_REGISTRY), province="湖南")
    path = tmp_path / "hunan.toml"
    path.write_text(sites_toml(chosen), encoding="utf-8")
    sites = load_sites(path)
    assert [(s.agency, s.region, s.start_urls) for s in sites] == [
        (e.agency, e.region_code, [e.start_url]) for e in chosen]


def test_xxgk_sites_prints_the_count_and_a_table_and_writes_a_sites_file(tmp_path):
    env = {"XXGK_REGISTRY": str(DEMO_REGISTRY)}
    result = xxgk("sites", "--province", "湖南", "--level", "county", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 registry entries (湖南省 · county)"
    assert any(line.split()[:3] == ["祁东县人民政府", "430426", "county"] for line in lines)
    out = tmp_path / "hunan.toml"
    result = xxgk("sites", "--province", "430000", "--level", "county", "--out", out, env=env)
    assert result.returncode == 0 and [s.agency for s in load_sites(out)] == ["祁东县人民政府", "常宁市教育局"]
    command = result.stdout.strip().splitlines()[-1].split("crawl them: ")[1]
    assert " crawl --sites " in command and str(out) in shlex.split(command)
    printed = subprocess.run(command + " --help", shell=True, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert printed.returncode == 0, printed.stderr                                 # runs as printed
    bad = xxgk("sites", "--province", "湖兰", env=env)
    assert bad.returncode == 2 and "no province is called '湖兰'" in bad.stderr
    none = xxgk("sites", "--province", "湖南", "--kind", "人力资源和社会保障", env=env)
    assert none.returncode == 1 and "no registry entry" in none.stderr


def test_the_shipped_registry_is_what_xxgk_sites_reads_by_default():
    result = xxgk("sites", "--level", "central")
    assert result.returncode == 0, result.stderr
    n = len(select(load_registry(REGISTRY_DIR), level="central"))
    assert result.stdout.splitlines()[0] == f"{n} registry entries (central)"


def test_a_crawl_of_a_registry_selection_records_each_entry_s_status(tmp_path):
    """The demo's sites through a registry selection: only the selected province is crawled, each
    entry's status is kept in the archive (not in the registry's files), and the 网站标识码 in a
    start page's footer is read against the entry's code."""
    from dataclasses import replace

    from demo import SITES
    from demo.server import SiteServer
    from xxgk.cli import DEMO_PACE

    env = {"XXGK_REGISTRY": str(DEMO_REGISTRY)}
    before = {p.name: p.read_bytes() for p in DEMO_REGISTRY.iterdir()}
    pace = [a for k, v in DEMO_PACE.items() for a in ("-s", f"{k}={v}")]
    with SiteServer(SITES) as server:
        result = xxgk("crawl", "--registry", "--province", "湖南", "--data", tmp_path / "data",
                      "--via", server.proxy, *pace, env=env)
        hosts = {hit.host for hit in server.hits()}
    assert result.returncode == 0, result.stderr[-2000:]
    assert "registry entries: 3 reached" in result.stdout
    assert hosts == {"www.hengyang.demo.test", "www.qidong.demo.test", "jyj.changning.demo.test"}
    assert {p.name: p.read_bytes() for p in DEMO_REGISTRY.iterdir()} == before
    shown = xxgk("sites", "--status", "--data", tmp_path / "data", env=env)
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines()[1:]}
    assert lines["衡阳市人民政府"].endswith(" reached 网站标识码 4304000001 agrees (430400)")
    assert lines["祁东县人民政府"].endswith(" reached 网站标识码 4304260001 agrees (430426)")
    assert " reached" in lines["常宁市教育局"]
    assert lines["佛山市人力资源和社会保障局"].endswith(" not tried")        # another province: not selected
    wrong = tmp_path / "registry"
    wrong.mkdir()
    hengyang = replace(load_registry(DEMO_REGISTRY)[0], region_code="440600")
    (wrong / "43-hunan.csv").write_text(sites_csv([hengyang]), encoding="utf-8")
    shown = xxgk("sites", "--status", "--data", tmp_path / "data", env={"XXGK_REGISTRY": str(wrong)})
    assert shown.stdout.splitlines()[1].endswith("网站标识码 4304000001 names 430400, not 440600: check the entry's code")
    both = xxgk("crawl", "--registry", "--sites", tmp_path / "data" / "registry-selection.toml", env=env)
    assert both.returncode == 2 and "one of them" in both.stderr


def sites_csv(entries: list[Entry]) -> str:
    """Entries as a registry file."""
    import csv
    import io

    from crawler.catalogue import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[getattr(e, c) for c in COLUMNS] for e in entries])
    return out.getvalue()


def test_a_start_page_that_redirects_to_another_host_is_moved(tmp_path):
    """The crawl refuses a redirect off the site (recorded as off_site_redirect): the entry moved."""
    from archive.store import Archive, fingerprint
    from crawler.catalogue import entry_status

    entry = load_registry(DEMO_REGISTRY)[0]
    archive = Archive(tmp_path / "data")
    archive.record_failure(fp=fingerprint(entry.start_url), url=entry.start_url, stage="fetch",
                           classification="off_site_redirect", reason="redirected to http://new.example.gov.cn/",  # offline
                           run_id=None, http_status=301)
    archive.commit()
    assert entry_status(archive.db, entry) == ("moved", "redirected to http://new.example.gov.cn/")  # offline
    assert entry_status(archive.db, load_registry(DEMO_REGISTRY)[1]) == ("not tried", "")
    archive.close()
