"""Regions from the official GB/T 2260 tables, as of each report's year."""

import pytest

from extract.agency import find_agency
from extract.regions import editions_for, find_region


@pytest.mark.parametrize("year", [2008, 2013, 2018, 2023])
def test_tables_are_complete(year):
    names = editions_for(year)[0].names
    provinces = [c for c in names if c.endswith("0000")]
    counties = [c for c in names if not c.endswith("00")]
    assert len(provinces) >= 31 and len(counties) >= 2800
    assert names["430600"] == "岳阳市" and names["110000"] == "北京市"


@pytest.mark.parametrize("agency, text, year, expected", [
    ("岳阳市科技局", "", 2013, ("湖南省", "岳阳市", None, "430600")),
    ("湖北省财政厅", "", 2016, ("湖北省", None, None, "420000")),
    ("平江县教育局", "", 2011, ("湖南省", "岳阳市", "平江县", "430626")),
    ("北京市朝阳区人民政府", "", 2008, ("北京市", "北京市", "朝阳区", "110105")),
    ("朝阳区人民政府", "长春市朝阳区地处长春市中心", 2014, ("吉林省", "长春市", "朝阳区", "220104")),
    ("朝阳区人民政府", "北京市朝阳区地处北京市东部", 2014, ("北京市", "北京市", "朝阳区", "110105")),
    ("郴州市北湖区华塘镇人民政府", "", 2018, ("湖南省", "郴州市", "北湖区", "431002")),
    # a county-level city in 2013, a district since 2014: each year its own name and code
    ("富阳市人民政府", "", 2013, ("浙江省", "杭州市", "富阳市", "330183")),
    ("杭州市富阳区人民政府", "", 2016, ("浙江省", "杭州市", "富阳区", "330111")),
    # a county that became a city after the last GB/T 2260 revision (2019): today's table
    ("会理市人民政府", "", 2022, ("四川省", "凉山彝族自治州", "会理市", "513402")),
    ("湘西州人民政府", "", 2016, ("湖南省", "湘西土家族苗族自治州", None, "433100")),
    ("仙桃市人民政府", "", 2015, ("湖北省", None, "仙桃市", "429004")),
    ("国家统计局", "", 2015, (None, None, None, None)),
])
def test_find_region(agency, text, year, expected):
    r = find_region(agency, text, year)
    assert (r.province, r.city, r.county, r.code) == expected


@pytest.mark.parametrize("agency, text, masthead, year, expected", [
    # the one street of that name in the address table
    ("佳荣里街", "本街全年…", "", 2021, "120113"),
    # two townships of this name (北京市房山区, 湖南省浏阳市): the province or city named decides
    ("张坊镇人民政府", "全镇全年…", "", 2020, None),
    ("张坊镇人民政府", "全镇全年…", "湖南政务服务网", 2020, "430181"),
    ("张坊镇人民政府", "根据北京市的要求…", "", 2020, "110111"),
    ("张坊镇人民政府", "根据广东省的要求…", "", 2020, None),       # named province has none
    ("下管镇人民政府", "根据广东省广州市的要求…", "", 2016, None),   # one in the table, but not where the text says
    # the table's county (上虞区, 2013) was 上虞市 in the report's year: that year's code, by its stem
    ("下管镇", "全镇全年…", "", 2009, "330682"),
    ("下管镇", "全镇全年…", "", 2016, "330604"),
    ("鸭南乡", "", "", 2021, "230883"),             # 抚远县 in the table, 抚远市 since 2016
    ("鸭南乡", "", "", 2012, "230833"),
    # two townships of this name (山西省浑源县, 安徽省泾县): the county named beside it decides
    ("蔡村镇", "全镇全年…", "", 2013, None),
    ("蔡村镇", "泾县蔡村镇政府信息公开年报", "", 2013, "341823"),
    ("无此名镇", "", "", 2016, None),
    # the table names a few townships bare (周矶 for 周矶街道) or with a note in brackets
    ("周矶街道办事处", "本处全年…", "", 2020, "429005"),
    ("劝农山镇人民政府", "全镇全年…", "", 2020, "220105"),
    # a zone named by the place it covers; one whose name is no place's stays unplaced
    ("平潭综合实验区", "", "", 2018, "350128"),
    ("南沙新区管理委员会", "", "", 2016, "440115"),
    ("长沙经济技术开发区", "", "", 2016, None),
])
def test_find_region_of_townships_and_zones(agency, text, masthead, year, expected):
    assert find_region(agency, text, year, masthead=masthead).code == expected


@pytest.mark.parametrize("title, text, signing, source, expected", [
    ("市科技局2013年度政府信息公开工作报告", "请与岳阳市科技局联系。岳阳市科技局", None, "市科技局", "岳阳市科技局"),
    ("武陵源区人民政府2016年政府信息公开工作年度报告", "现将张家界市武陵源区人民政府报告如下。\n张家界市武陵源区人民政府",
     "张家界市武陵源区人民政府", None, "张家界市武陵源区人民政府"),
    ("浏阳市2015年政府信息公开工作年度报告", "现公布浏阳市人民政府报告。", "浏阳市人民政府", None, "浏阳市人民政府"),
    ("2013年政府信息公开工作年度报告", "本局全年……", "平江县教育局", None, "平江县教育局"),
    ("湖南省人民政府2010年政府信息公开工作年度报告", "湖南省人民政府", None, None, "湖南省人民政府"),
    # named only by its own website, in a report that calls itself by the same kind
    (None, "我办通过市外侨办网站发布信息", None, None, "市外侨办"),
    (None, "我局通过市外侨办网站发布信息", None, None, None),
    # named only as whom to ask: its address in brackets is no part of its name, nor is a
    # street's own office (党政综合科)
    (None, "编制我单位年度报告。如有疑问请与某县政务服务和大数据管理局(地址:某县某路1号)联系。", None, None,
     "某县政务服务和大数据管理局"),
    (None, "如有疑问，请联系昌邑区文庙街道党政综合科，地址：天胜胡同9号。", None, None, "昌邑区文庙街道"),
])
def test_find_agency(title, text, signing, source, expected):
    assert find_agency(title, (title or "") + "\n" + text, signing, source, 2015) == expected
