"""The seed report (../shared/corpus/yueyang-kjj-2013.txt) must come out exactly so (issue 2)."""

import pytest

from extract import extract_file
from tests.conftest import corpus_file


@pytest.fixture(scope="module")
def seed():
    return extract_file(corpus_file("yueyang-kjj-2013.txt"))


def test_identity_and_dates(seed):
    assert seed.title == "市科技局2013年度政府信息公开工作报告"
    assert seed.agency == "岳阳市科技局"
    assert (seed.region.province, seed.region.city, seed.region.county, seed.region.code) == \
        ("湖南省", "岳阳市", None, "430600")
    assert seed.year == 2013
    assert seed.published_at == "2014-03-06 11:05"
    assert seed.archived_at == "2020-01-01"
    assert (seed.period_start, seed.period_end) == ("2013-01-01", "2013-12-31")
    assert seed.signed_on == "2014-03-06"
    assert seed.era == "free_text"
    assert seed.source == "市科技局"


def test_contacts(seed):
    c = seed.contacts
    assert (c.address, c.postcode, c.phone, c.fax, c.email, c.website) == (
        "岳阳市南湖大道653号", "414000", "0730-8737963", "0730-8843429", "oket@163.com", "www.yyst.gov.cn")


def test_sections(seed):
    assert [(s.number, s.title, s.kind) for s in seed.sections] == [
        ("一", "概述", "overview"),
        ("二", "政务信息公开工作情况", "proactive"),
        ("三", "咨询和投诉情况", "consultation"),
        ("四", "申请行政复议和提起行政诉讼情况", "appeals"),
        ("五", "存在的主要问题", "problems"),
        ("六", "改进措施", "improvements"),
    ]
    for s in seed.sections:
        assert seed.text[s.start:].startswith(f"{s.number}、{s.title}")


def test_figures_no_more_and_no_fewer(seed):
    got = sorted((f.metric, f.value, f.qualifier, f.category) for f in seed.figures)
    assert got == sorted([
        ("proactive.items_total", 362, "exact", None),
        ("proactive.items_by_category", 43, "exact", "通知公告"),
        ("proactive.items_by_category", 136, "exact", "政务要闻"),
        ("proactive.items_by_category", 168, "exact", "科技新闻"),
        ("proactive.items_by_category", 15, "exact", "其它"),
        ("proactive.normative_documents", 1, "exact", None),
        ("web.visits", 60000, "approx", None),
        ("web.page_views", 220000, "approx", None),
        ("proactive.items_adopted", 377, "exact", None),
        ("onsite.visitors", 50, "at_least", None),
        ("requests.received", 0, "exact", None),
        ("consultations.total", 0, "exact", None),
        ("complaints.total", 0, "exact", None),
        ("reconsideration.total", 0, "exact", None),
        ("litigation.total", 0, "exact", None),
    ])


def test_figure_units_and_evidence(seed):
    by_metric = {(f.metric, f.category): f for f in seed.figures}
    assert by_metric[("proactive.items_total", None)].unit == "条"
    assert by_metric[("web.visits", None)].unit == "人次"
    assert by_metric[("proactive.normative_documents", None)].unit == "部"
    assert "约为6万人次" in by_metric[("web.visits", None)].evidence
    assert "发布信息共362条" in by_metric[("proactive.items_total", None)].evidence
    assert by_metric[("requests.received", None)].evidence == "我局今年未收到申请公开要求"
    assert "未发生申请行政复议" in by_metric[("litigation.total", None)].evidence
    for f in seed.figures:
        assert seed.text[f.start:f.end] == f.evidence
        assert seed.sections[f.section].kind not in ("problems", "improvements")


def test_category_check_passes(seed):
    [check] = seed.checks
    assert check.name == "proactive.items_by_category = proactive.items_total"
    assert (check.status, check.parts, check.total, check.difference) == ("pass", [43, 136, 168, 15], 362, 0)


def test_page_chrome_is_gone(seed):
    for chrome in ("扫一扫在手机打开当前页", "字体", "浏览量:", "归档时间"):
        assert chrome not in seed.text
    assert seed.text.startswith("市科技局2013年度政府信息公开工作报告\n本年报根据")
