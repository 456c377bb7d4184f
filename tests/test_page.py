"""Page chrome and header fields, on pages written for these tests."""

from extract import extract_bytes, extract_file
from tests.conftest import EXAMPLES
from extract.page import read_page

CMS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府2015年政府信息公开工作年度报告-某某县人民政府门户网站</title>
<script>var countPage = 3; document.write("浏览量:100");</script><style>.nav{color:red}</style></head>
<body><div class="top-nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 年度报告</div>
<div class="article"><h1>平江县人民政府2015年政府信息公开工作年度报告</h1>
<div class="info"><span>来源：县政府办</span><span>发布时间：2016-03-28 10:02</span><span>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
<span>浏览次数：1234</span></div>
<div id="zoom"><p>　　本报告统计期限自2015年1月1日起至2015年12月31日止。</p>
<p>一、概述</p><p>全年主动公开政府信息1,268条。网站访问量约为12万人次。</p>
<p>二、依申请公开情况</p><p>全年未收到政府信息公开申请。</p>
<p>平江县人民政府</p><p>2016年3月25日</p></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="print">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
<ul class="related"><li><a href="/a.html">平江县人民政府2014年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：平江县人民政府办公室 湘ICP备12345678号 网站标识码：4306260001</p>
<p>扫一扫在手机打开当前页</p></div></body></html>"""


def test_cms_page_gives_the_report_only():
    record = extract_bytes(CMS_PAGE.encode("utf-8"), name="page.html")
    assert record.title == "平江县人民政府2015年政府信息公开工作年度报告"
    assert record.text.split("\n")[0] == record.title
    assert record.text.split("\n")[-1] == "2016年3月25日"
    for chrome in ("首页", "政务公开", "来源", "字体", "浏览", "分享", "打印", "主办", "ICP", "扫一扫", "2014年政府"):
        assert chrome not in record.text, chrome
    assert (record.source, record.published_at, record.signed_on) == ("县政府办", "2016-03-28 10:02", "2016-03-25")
    assert (record.agency, record.region.code) == ("平江县人民政府", "430626")
    assert sorted((f.metric, f.value, f.qualifier) for f in record.figures) == [
        ("proactive.items_total", 1268, "exact"), ("requests.received", 0, "exact"),
        ("web.visits", 120000, "approx")]


def test_header_lines_of_a_text_copy():
    page = read_page("归档时间:2020-01-01\n\n某局2013年度政府信息公开工作报告\n\n"
                     "2014-03-06 11:05 来源:某局 字体:【 浏览量:\n\n正文第一段。", html=False)
    assert (page.archived_at, page.published_at, page.source) == ("2020-01-01", "2014-03-06 11:05", "某局")
    assert page.lines == ["某局2013年度政府信息公开工作报告", "正文第一段。"]


def test_metadata_table_with_spaced_labels_is_not_the_title():
    page = read_page("索 引 号: 0087/2017-00042 分　　类: 政府信息公开年报\n发布机构: 某区政府办公室 发文日期: 2017-03-15\n"
                     "某区人民政府2016年政府信息公开工作年度报告\n发布时间:2017-03-20 09:30 来源:区政府办\n正文。",
                     html=False)
    assert page.title == "某区人民政府2016年政府信息公开工作年度报告"
    assert (page.published_at, page.source) == ("2017-03-20 09:30", "区政府办")


def test_page_without_a_report_title_warns():
    record = extract_bytes(("<html><head><title>通知公告 - 某市政府</title></head><body><p>"
                            + "关于做好防汛工作的通知。各单位要高度重视防汛工作。" * 3 + "</p></body></html>").encode(),
                           name="x.html")
    assert record.title == "通知公告"
    assert "no report title in the text: the title is the page's <title>" in record.warnings


def test_headings_inside_a_line_are_headings_when_a_page_is_run_into_one_line():
    case = EXAMPLES / "anxiang-xian-2016-outlets-as-written.txt"
    lines = case.read_text(encoding="utf-8").split("\n")
    whole, one_line = extract_file(case), extract_bytes((lines[0] + "\n" + "".join(lines[1:])).encode(), name="x.txt")
    assert [(s.number, s.kind) for s in one_line.sections] == [(s.number, s.kind) for s in whole.sections]
    assert all(w.title.startswith(o.title) for o, w in zip(one_line.sections, whole.sections))
    assert sorted((f.metric, f.category, f.value) for f in one_line.figures) == \
        sorted((f.metric, f.category, f.value) for f in whole.figures)
    assert not [w for w in one_line.warnings if "title" in w]


def test_a_numbered_list_inside_a_sentence_is_no_heading():
    text = ("某县人民政府2015年政府信息公开工作年度报告\n一、概述\n主要做法：一、加强领导。二、完善制度。三、强化培训。\n"
            "二、主动公开政府信息情况\n全年主动公开政府信息30条。\n")
    record = extract_bytes(text.encode(), name="x.txt")
    assert [s.title for s in record.sections] == ["概述", "主动公开政府信息情况"]


def test_a_line_of_sentences_is_never_furniture_whatever_words_it_holds():
    """Furniture's words (联系我们, 技术支持, 当前位置) drop a line of page furniture, not a line of the
    report's sentences that holds them, nor a whole page run into one line."""
    text = ("当前位置：首页 > 政府信息公开 > 年度报告\n某某县统计局2015年政府信息公开工作年度报告\n"
            "一、概述\n本局依托县政府门户网站开展政府信息公开工作，由县信息中心提供技术支持，全年主动公开政府信息86条。\n"
            "如对本报告有任何疑问，请联系我们：某某县统计局办公室，电话0731-1234567。\n"
            "主办单位：某某县人民政府 技术支持：某某网络公司 版权所有\n")
    page = read_page(text, html=False)
    assert any("全年主动公开政府信息86条" in line for line in page.lines)
    assert any(line.startswith("如对本报告有任何疑问") for line in page.lines)
    assert not any(line.startswith("主办单位") for line in page.lines)
    assert not any(line.startswith("当前位置") for line in page.lines)
    one_line = extract_bytes(text.replace("\n", "").encode("utf-8"), name="one-line.txt")
    assert [f.value for f in one_line.figures if f.metric == "proactive.items_total"] == [86]
    footer = text + "主办单位：某某县统计局 版权所有：某某县统计局，本站累计访问量共计35000人次，欢迎访问本网站。\n"
    assert not [f for f in extract_bytes(footer.encode("utf-8"), name="footer.txt").figures if f.value == 35000]


def test_a_report_with_no_figure_says_so():
    text = ("某某县民政局2016年政府信息公开工作年度报告\n一、概述\n本局认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "不断健全工作机制，及时公开各类政府信息，切实保障人民群众的知情权、参与权和监督权。\n")
    record = extract_bytes(text.encode("utf-8"), name="words-only.txt")
    assert record.figures == []
    assert any(w.startswith("no figure found in the text") for w in record.warnings)
    stated = extract_bytes((text + "全年主动公开政府信息86条。\n").encode("utf-8"), name="stated.txt")
    assert not any(w.startswith("no figure found") for w in stated.warnings)
