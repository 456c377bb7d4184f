"""CMS dialects and link rules, on the mock sites' pages (modelled on each CMS's real structure)."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.dialects import (DIALECTS, CColumn, Gkmlpt, Hanweb, HanwebXxgk, NextPage, Openness, PageDiv, Trs,
                              Whj)
from crawler.links import Link, Page, clean_url, file_name, is_column, is_pagination, is_report_title, year_of
from tests.crawling import SITES


def page(url: str) -> Page:
    path = SITES / url.split("://", 1)[1]
    if path.is_dir() or url.endswith("/"):
        path = path / "index.html"
    return Page.parse(url, path.read_bytes())


def recognised_by(p: Page) -> set[str]:
    return {d.name for d in DIALECTS if d.recognises(p)}


def test_trs_pages_from_the_create_page_script():
    p = page("http://kjj.yueyang.test/zwgk/ndbg/index.html")
    assert "trs" in recognised_by(p)
    assert [f.url for f in Trs().pages(p)] == [
        "http://kjj.yueyang.test/zwgk/ndbg/index.html", "http://kjj.yueyang.test/zwgk/ndbg/index_1.html",
        "http://kjj.yueyang.test/zwgk/ndbg/index_2.html"]
    assert b"index_1.html" not in (SITES / "kjj.yueyang.test/zwgk/ndbg/index.html").read_bytes()


def test_hanweb_inline_records_and_data_proxy_calls():
    p = page("http://www.pingjiang.test/col/col4582/index.html")
    assert "hanweb" in recognised_by(p)
    inline = Hanweb().items(p)
    assert len(inline) == 3 and all(link.url.startswith("http://www.pingjiang.test/art/") for link in inline)
    assert any(is_report_title(link.text) for link in inline)
    [call] = Hanweb().pages(p)                                 # 22 records: one call of 45
    assert call.method == "POST" and call.api == "hanweb"
    assert parse_qs(urlsplit(call.url).query) == {"startrecord": ["1"], "endrecord": ["45"], "perpage": ["15"]}
    assert call.form["columnid"] == "4582" and call.form["unitid"] == "18921" and call.form["webid"] == "12"
    assert call.form["webname"] == "平江县人民政府"


def test_hanweb_data_proxy_answer():
    records = (SITES / "www.pingjiang.test/_hanweb/4582.txt").read_text(encoding="utf-8").splitlines()
    xml = ("<datastore><recordset>" + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:3])
           + "</recordset><totalrecord>100</totalrecord></datastore>").encode()
    url = "http://www.pingjiang.test/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"
    links, more = Hanweb().parse_api(url, xml, {"columnid": "4582"})
    assert len(links) == 3
    assert [parse_qs(urlsplit(m.url).query)["startrecord"][0] for m in more] == ["46", "91"]
    assert all(m.form == {"columnid": "4582"} for m in more)


def test_gkmlpt_report_catalog_and_api_pages():
    p = page("http://www.shaoguan.test/gkmlpt/index")
    assert recognised_by(p) == {"gkmlpt"}
    [call] = Gkmlpt().pages(p)
    assert call.url == "http://www.shaoguan.test/gkmlpt/api/all/2466?page=1&sid=751001"
    data = json.loads((SITES / "www.shaoguan.test/_gkmlpt/2466.json").read_text(encoding="utf-8"))
    answer = json.dumps({"articles": data["articles"][:5], "total": len(data["articles"])}).encode()
    links, more = Gkmlpt().parse_api(call.url, answer, {})
    assert [link.text for link in links] == [a["title"] for a in data["articles"][:5]]
    assert [m.url.split("?")[1] for m in more] == ["page=2&sid=751001", "page=3&sid=751001"]


def test_next_page_links():
    p = page("http://www.hanshou.test/xxgk/ndbg/index.html")
    assert "nextpage" in recognised_by(p)
    assert {f.url for f in NextPage().pages(p)} >= {"http://www.hanshou.test/xxgk/ndbg/index_2.html",
                                                     "http://www.hanshou.test/xxgk/ndbg/index_3.html"}
    assert is_pagination(Link("http://a.test/list.jsp?page=3&col=2", "3"), "http://a.test/list.jsp?page=2&col=2")
    assert not is_pagination(Link("http://a.test/list.jsp?page=3&col=9", "3"), "http://a.test/list.jsp?page=2&col=2")


WEISHAN = "http://www.weishan.test/module/xxgk/xxgkAnnualReport.jsp?area="


def test_hanweb_xxgk_module_reaches_each_body_and_names_its_years_as_reports():
    p = page("http://www.weishan.test/xxgk/index.html")
    assert recognised_by(p) == {"hanweb_xxgk"}
    assert [f.url for f in HanwebXxgk().pages(p)] == [WEISHAN + a for a in
                                                      ("113708260043291A2B", "113708260043292C7D", "113708260043295E4F")]
    bodies = [link for link in p.links() if "/module/xxgk/" in link.url]
    assert len(bodies) == 3 and not any(is_report_title(b.text) or is_column(b.text, b.url) for b in bodies)
    area = "113708260043292C7D"
    report = Page.parse(WEISHAN + area, (SITES / f"www.weishan.test/_xxgk/{area}/2022.html").read_bytes())
    assert not any(is_report_title(link.text) for link in report.links())         # the years say only 2022年
    years = HanwebXxgk().items(report)
    assert [link.url for link in years] == [f"{WEISHAN}{area}&fbtime=2022", f"{WEISHAN}{area}&fbtime=2021"]
    assert [year_of(link.text) for link in years if is_report_title(link.text)] == [2022, 2021]


def test_openness_opens_every_body_of_the_directory():
    p = page("http://www.zongyang.test/openness/index.html")
    assert recognised_by(p) == {"openness"}
    homes = [f.url for f in Openness().pages(p)]
    assert homes == [f"http://www.zongyang.test/openness/OpennessContent/showList/{b}/0/page_1.html" for b in (1, 35, 80)]
    assert not any(is_column(link.text, link.url) for link in p.links() if link.url in homes)   # only body names
    home = page(homes[1])
    [annual] = [link for link in home.links() if is_column(link.text, link.url) and "AnnualReport" in link.url]
    assert annual.url.endswith("/OpennessAnnualReport/showList/35/page_1.html")
    assert {f.url for f in NextPage().pages(page(annual.url))} == {annual.url.replace("page_1", "page_2")}


def test_c_column_year_subcolumns():
    p = page("http://www.huachuan.test/hcx/c100090/index.shtml")
    assert recognised_by(p) == {"ccol"}
    assert [f.url for f in CColumn().pages(p)] == ["http://www.huachuan.test/hcx/c100097/index.shtml",
                                                   "http://www.huachuan.test/hcx/c100096/index.shtml"]
    assert not any(is_column(link.text, link.url) for link in p.links() if link.text in ("2021", "2022"))
    year = page("http://www.huachuan.test/hcx/c100096/index.shtml")
    assert {f.url for f in NextPage().pages(year)} == {"http://www.huachuan.test/hcx/c100096/index_1.shtml"}
    dated = Page("http://www.huachuan.test/hcx/c100096/index.shtml", "", None)
    dated.links = lambda: [Link("http://www.huachuan.test/hcx/c100096/202201/c04_248646.shtml", "2021")]
    assert CColumn().pages(dated) == []                         # a dated document is no column
    assert not CColumn().recognises(page("http://www.hanshou.test/xxgk/ndbg/index.html"))


def test_vsb_pages_count_down_and_next_links_reach_them_all():
    """VSB/博达 needs no dialect of its own: its 下页/尾页 links are plain, page 2 of 3 is
    <column>/2.htm and the last is <column>/1.htm."""
    first = page("http://www.ynyx.test/xxgk/zfxxgknb.htm")
    assert recognised_by(first) == {"nextpage"}
    assert {f.url for f in NextPage().pages(first)} == {"http://www.ynyx.test/xxgk/zfxxgknb/2.htm",
                                                         "http://www.ynyx.test/xxgk/zfxxgknb/1.htm"}
    assert {f.url for f in NextPage().pages(page("http://www.ynyx.test/xxgk/zfxxgknb/2.htm"))} == {
        "http://www.ynyx.test/xxgk/zfxxgknb/1.htm"}
    assert NextPage().pages(page("http://www.ynyx.test/xxgk/zfxxgknb/1.htm")) == []


def test_page_div_pages_from_the_container_script():
    """The named-column …/YYYYMM/<32-hex>.shtml CMS: list.shtml, then list_2.shtml …, known
    only from createPageHTML('page_div', pages, current, 'list', 'shtml', records)."""
    first = page("http://ht.sanya.test/htqsite/xxgknb/list.shtml")
    assert recognised_by(first) == {"pagediv"}                  # not TRS's four-argument form
    assert [f.url for f in PageDiv().pages(first)] == ["http://ht.sanya.test/htqsite/xxgknb/list.shtml",
                                                       "http://ht.sanya.test/htqsite/xxgknb/list_2.shtml"]
    assert b"list_2" not in (SITES / "ht.sanya.test/htqsite/xxgknb/list.shtml").read_bytes()
    assert Trs().pages(first) == [] and NextPage().pages(first) == []
    assert PageDiv().pages(page("http://ht.sanya.test/htqsite/xxgknb/list_2.shtml")) == []
    assert not PageDiv().recognises(page("http://kjj.yueyang.test/zwgk/ndbg/index.html"))


def test_whj_pager_pages_from_its_total():
    """shanghai.gov.cn's columns: the whj plugin draws the pager as buttons without links."""
    first = page("http://www.shanghai.test/nw39220/index.html")
    assert recognised_by(first) == {"whj"}
    assert [f.url for f in Whj().pages(first)] == ["http://www.shanghai.test/nw39220/index.html",
                                                   "http://www.shanghai.test/nw39220/index_2.html"]
    assert not any("index_2" in link.url for link in first.links()) and NextPage().pages(first) == []
    assert Whj().pages(page("http://www.shanghai.test/nw39220/index_2.html")) == []


@pytest.mark.parametrize("url, further", [
    ("http://www.langao.test/Node-5123.html", {"http://www.langao.test/Node-5123_2.html"}),
    ("http://www.baishui.test/zfxxgk/zfxxgknb/bmxxgknb/1.html", {"http://www.baishui.test/zfxxgk/zfxxgknb/bmxxgknb/2.html"}),
    ("http://www.baishui.test/zfxxgk/zfxxgknb/bmxxgknb/2.html",          # the last: 尾页 is itself
     {"http://www.baishui.test/zfxxgk/zfxxgknb/bmxxgknb/2.html"}),
])
def test_shaanxi_site_groups_page_by_plain_links(url, further):
    """The Shaanxi platforms need no dialect: 安康's Node-<col>_N.html and 渭南's <col>/N.html
    pages are linked by 下一页/尾页 (渭南's page count also sits in a jump box's script)."""
    p = page(url)
    assert recognised_by(p) == {"nextpage"}
    assert {f.url for f in NextPage().pages(p)} == further


@pytest.mark.parametrize("title, report, year", [
    ("岳阳市科技局2013年度政府信息公开工作报告", True, 2013),
    ("市科技局2012年政府信息公开年度报告", True, 2012),
    ("2011年政府信息公开工作年报", True, 2011),
    ("二〇一四年政务公开工作年度报告", True, 2014),
    ("平江县卫生和计划生育局2014年政府信息公开年报", True, 2014),
    ("政府信息公开年报", False, None),
    ("关于报送2013年政府信息公开年度报告的通知", False, 2013),
    ("2013年度工作总结", False, 2013),
    ("2014年政务公开工作要点", False, 2014),
    ("平江县依申请公开政府信息工作规程", False, None),
])
def test_report_titles(title, report, year):
    assert is_report_title(title) is report
    assert year_of(title) == year


def test_columns_are_short_undated_names_or_listing_paths():
    assert is_column("政府信息公开年报", "http://a.test/xxgk/ndbg/")
    assert is_column("更多", "http://a.test/xxgk/ndbg/index.html")
    assert not is_column("2012年度部门预算公开", "http://a.test/zwgk/ndbg/201204/t20120420_1433.html")
    assert not is_column("平江县依申请公开政府信息工作规程", "http://a.test/art/2011/10/11/art_1.html")


@pytest.mark.parametrize("url, reason", [
    ("javascript:void(0)", "not http(s)"), ("mailto:a@b.test", "not http(s)"), ("file:///etc/passwd", "not http(s)"),
    ("http://a.test/zwgk/zwgk/zwgk/index.html", "repeating"), ("http://a.test/a/b/a/b/a/b/c.html", "repeating"),
    ("http://a.test/hd/calendar.html?date=2014-03-06", "calendar"), ("http://a.test/" + "x" * 500, "too long"),
])
def test_traps_and_unfetchable_links(url, reason):
    clean, why = clean_url(url)
    assert clean is None and reason in why


def test_session_ids_and_fragments_dropped_escapes_kept():
    assert clean_url("http://A.test/a;jsessionid=ABC?x=1&JSESSIONID=2&page=3#top")[0] == "http://a.test/a?x=1&page=3"
    gbk = "http://a.test/f/%C4%EA%B1%A8.pdf?name=%C4%EA"
    assert clean_url(gbk)[0] == gbk
    assert file_name(gbk) == "年报.pdf"


def test_real_site_registry_loads_and_names_only_documented_urls():
    from crawler.registry import REGISTRY, load_sites
    from tests.conftest import corpus_file

    sites = [site for path in sorted(REGISTRY.glob("*.toml")) for site in load_sites(path)]
    assert sites
    seed = corpus_file("yueyang-kjj-2013.txt").read_text(encoding="utf-8")
    for site in sites:
        for url in site.start_urls:
            assert url.split("://", 1)[1].strip("/") in seed, url


@pytest.mark.parametrize("count, second, expected", [
    (3, 1, ["index.html", "index_1.html", "index_2.html"]),       # TRS: the second page is _1
    (3, 2, ["index.html", "index_2.html", "index_3.html"]),       # the others: _2
    (1, 2, ["index.html"]),
    (0, 2, []),
])
def test_numbered_pages_count_from_the_cms_own_second_page(count, second, expected):
    from crawler.dialects.base import MAX_PAGES, numbered_pages

    got = [f.url for f in numbered_pages("http://a.test/col/", count, second=second)]
    assert got == [f"http://a.test/col/{name}" for name in expected]
    assert len(numbered_pages("http://a.test/col/", 10 ** 9)) == MAX_PAGES
