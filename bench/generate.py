"""Generated free-text annual reports for benchmarks: varied agencies, years, phrasings,
encodings and page chrome, each with the figures it states (to count what extraction recovers)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from extract.regions import editions_for

DEPARTMENTS = ["教育局", "财政局", "卫生局", "环境保护局", "交通运输局", "民政局", "人力资源和社会保障局",
               "住房和城乡建设局", "农业局", "林业局", "水务局", "审计局", "统计局", "科技局", "文化局"]
CATEGORIES = ["机构职能", "政策法规", "规划计划", "工作动态", "通知公告", "人事信息", "财政信息", "统计数据"]
# Page furniture as a government CMS prints it around every article: a header menu with
# drop-downs, a search form, inline style and scripts, a links select and a footer. Real pages
# carry 20-60 KB of it; this template gives about 20 KB.
MENU = ["政务公开", "政府信息公开", "新闻中心", "办事服务", "互动交流", "走进{place}", "专题专栏", "数据开放",
        "政策文件", "规划计划", "财政资金", "人事信息"]
STYLE = "<style>" + "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#3{i % 10}{i % 10};}}" for i in range(60)) + "</style>"
SCRIPT = ("<script>" + "".join(f"function f{i}(a){{var s=document.getElementById('zoom');"
                               f"if(s){{s.style.fontSize=(a+{i})+'px';}}return {i};}}" for i in range(40)) + "</script>")


def _chrome_top(place: str, rng: random.Random) -> str:
    menu = "".join(
        f'<li class="menu-item"><a href="/m{i}/">{m.format(place=place)}</a><ul class="sub">'
        + "".join(f'<li><a href="/m{i}/s{j}/">{m.format(place=place)}栏目{j}</a></li>' for j in range(6))
        + "</ul></li>" for i, m in enumerate(MENU))
    return (f'<div class="top-nav"><ul>{menu}</ul></div><div class="search"><form action="/search">'
            f'<input name="q" value="请输入关键字"><button>搜索</button></form></div>'
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
            f"政府信息公开年报</div>")


def _chrome_bottom(agency: str, place: str, code: str, related: str) -> str:
    links = "".join(f'<option value="http://www.{i}.gov.cn">{place}第{i}部门网站</option>' for i in range(40))
    return (f'<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>'
            f'<div class="print">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">'
            f"关闭窗口</a>】</div><ul class=\"related\">{related}</ul>"
            f'<div class="links"><select onchange="window.open(this.value)"><option>友情链接</option>{links}</select></div>'
            f'<div class="footer"><p>主办单位：{agency}　承办单位：{place}信息中心</p>'
            f"<p>网站标识码：{code}0001　ICP备{code}号</p><p>扫一扫在手机打开当前页</p></div>{SCRIPT}")


@dataclass
class GeneratedReport:
    name: str
    data: bytes
    figures: set = field(default_factory=set)        # (metric, value) the report states


def _places(rng: random.Random, cities: int = 60, counties: int = 120) -> list[tuple[str, str, str]]:
    names = editions_for(2015)[0].names
    city_names = [(c, n) for c, n in names.items() if c.endswith("00") and not c.endswith("0000")
                  and n not in ("市辖区", "县")]
    county_names = [(c, n) for c, n in names.items() if not c.endswith("00")
                    and n.endswith(("县", "市")) and names.get(c[:4] + "00", "").endswith("市")]
    return [(c, n, "") for c, n in rng.sample(city_names, cities)] + \
           [(c, n, names[c[:4] + "00"]) for c, n in rng.sample(county_names, counties)]


def generate(count: int, seed: int = 2013) -> list[GeneratedReport]:
    """`count` reports of random agencies and years (HTML pages with CMS chrome), the same ones
    for the same seed."""
    rng = random.Random(seed)
    places = _places(rng)
    reports = []
    for i in range(count):
        code, place, city = rng.choice(places)
        year = rng.randint(2009, 2018)
        agency = place + (rng.choice(DEPARTMENTS) if rng.random() < 0.6 else "人民政府")
        reports.append(_report(rng, i, code, place, city, agency, year))
    return reports


def generate_panel(places: int, years: range, seed: int = 2013) -> Iterator[GeneratedReport]:
    """One plain-text report per agency and year: `places` cities and counties, each with its
    government and every department in DEPARTMENTS (16 agencies a place), for every year."""
    rng = random.Random(seed)
    chosen = _places(rng, cities=places // 5, counties=places - places // 5)
    i = 0
    for code, place, city in chosen:
        for agency in [place + "人民政府", *(place + d for d in DEPARTMENTS)]:
            for year in years:
                yield _report(rng, i, code, place, city, agency, year, chrome=False)
                i += 1


def _report(rng: random.Random, i: int, code: str, place: str, city: str, agency: str, year: int,
            chrome: bool = True) -> GeneratedReport:
    figures: set = set()
    total = rng.randint(120, 9000)
    cats = rng.sample(CATEGORIES, rng.randint(3, 5))
    parts = _split(rng, total, len(cats))
    visits = rng.randint(2, 300)
    received = rng.randint(0, 300)
    channels = _split(rng, received, 3) if received else [0, 0, 0]
    granted = int(received * 0.7)
    partial = int(received * 0.1)
    unable = received - granted - partial
    consult = rng.randint(10, 5000)
    recon = rng.randint(0, 5)
    fees = rng.choice([0, 0, 0, rng.randint(20, 900)])
    figures |= {("proactive.items_total", total), ("web.visits", visits * 10000),
                ("consultations.total", consult), ("reconsideration.total", recon),
                ("fees.collected_yuan", fees), ("requests.received", received)}
    figures |= {("proactive.items_by_category", p) for p in parts}
    if received:
        figures |= {("requests.by_channel", c) for c in channels}
        figures |= {("requests.granted", granted), ("requests.partially_granted", partial),
                    ("requests.unable", unable)}
    breakdown = "、".join(f"{c}{p}条" for c, p in zip(cats, parts))
    requests = (f"全年共受理政府信息公开申请{received}件,比上年增加{rng.randint(1, 30)}件。"
                f"其中当面申请{channels[0]}件、网上申请{channels[1]}件、信函申请{channels[2]}件。"
                f"办理结果:同意公开{granted}件,部分公开{partial}件,信息不存在{unable}件。"
                if received else "全年未收到政府信息公开申请。")
    fee_text = (f"全年向申请人收取检索、复制费用共计{fees}元。" if fees else "全年未收取任何费用。")
    appeal = (f"全年因政府信息公开申请行政复议{recon}件,均维持原答复;未发生行政诉讼。" if recon
              else "全年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。")
    figures.add(("litigation.total", 0))
    body = [
        f"本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求,由{agency}编制。本报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。如对本报告有疑问,请与{agency}办公室联系(地址:{city}{place}人民路"
        f"{rng.randint(1, 300)}号;邮编:{rng.randint(100000, 860000)};电话:0{rng.randint(10, 999)}-{rng.randint(2000000, 8999999)})。",
        "一、概述",
        f"{year}年,我单位认真贯彻落实《条例》和《{year}年政务公开工作要点》(政办发〔{year}〕{rng.randint(1, 90)}号)精神,"
        f"依据《条例》第{rng.randint(9, 31)}条规定,扎实推进政府信息公开工作,网站访问量同比增长{rng.randint(2, 40)}.{rng.randint(0, 9)}%。",
        "二、主动公开政府信息情况",
        f"{year}年,共主动公开政府信息{total}条,较上年增加{rng.randint(10, 300)}条。其中{breakdown}。",
        f"门户网站全年访问量约{visits}万人次。",
        "三、依申请公开政府信息情况",
        requests,
        f"全年接受群众政府信息公开咨询{consult}人次。",
        "四、政府信息公开的收费及减免情况",
        fee_text,
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        appeal,
        "六、存在的主要问题及改进措施",
        f"一是信息公开的及时性有待提高;二是政策解读形式较为单一。{year + 1}年,力争主动公开信息{total + 500}条以上,组织培训{rng.randint(2, 5)}次。",
        agency,
        f"{year + 1}年3月{rng.randint(1, 28)}日",
    ]
    title = f"{agency}{year}年政府信息公开工作年度报告"
    published = f"{year + 1}-03-{rng.randint(10, 31):02d} 10:{rng.randint(10, 59)}"
    if not chrome:
        text = "\n\n".join([title, f"发布时间:{published} 来源:{agency}", *body])
        return GeneratedReport(f"report-{i:06d}.txt", text.encode("utf-8"), figures)
    related = "".join(f'<li><a href="/n{y}.html">{agency}{y}年政府信息公开工作年度报告</a></li>'
                      for y in range(year - 3, year))
    paragraphs = "\n".join(f'<p style="text-indent:2em">{line}</p>' for line in body)
    html = (f'<!DOCTYPE html><html><head><meta charset="{{charset}}"><title>{title}-{place}人民政府门户网站</title>'
            f"{STYLE}</head><body>{_chrome_top(place, rng)}<div class=\"article\"><h1>{title}</h1>"
            f'<div class="info">发布时间:{published}　来源:{agency}　'
            f'【字体:<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div><div id="zoom">{paragraphs}</div>'
            f"{_chrome_bottom(agency, place, code, related)}</div></body></html>")
    encoding = rng.choice(["utf-8", "utf-8", "gbk"])
    data = html.replace("{charset}", "utf-8" if encoding == "gbk" and rng.random() < 0.5 else encoding)
    return GeneratedReport(f"report-{i:05d}.html", data.encode(encoding, errors="replace"), figures)


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), n - 1)) if total > n else []
    if len(cuts) != n - 1:
        return [total] + [0] * (n - 1)
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:])]
