"""One agency across the names it goes by, so its reports line up across years.

An agency's key is its region code and its function: 市科技局, 岳阳市科技局 and 岳阳市科学技术局
are all `430600:科学技术`; 岳阳市环境保护局 (before the 2018 reorganisation) and 岳阳市生态环境局
(after) are both `430600:生态环境`. Renamings are followed; mergers are not (工商局 and 质监局
stay two agencies before they became one 市场监督管理局). Every name seen is kept in
`agency_aliases`; an agency's own name is the latest one it used."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.record import Region

# Functions whose names changed, each with every name (short and long, before and after) it went by.
FUNCTIONS = {
    "人民政府": r"人民政府|政府",
    "人民政府办公室": r"人民政府办公(?:室|厅)|政府办公(?:室|厅)|政府办",
    "科学技术": r"科技(?:局|厅|委)|科学技术(?:局|厅|委员会)",
    "生态环境": r"环保(?:局|厅)|环境保护(?:局|厅)|生态环境(?:局|厅)",
    "自然资源": r"国土(?:资源)?(?:局|厅)|自然资源(?:和规划)?(?:局|厅)",
    "卫生健康": r"卫生(?:局|厅)|卫计(?:委|局)|卫生和计划生育(?:委员会|局)|卫健(?:委|局)|卫生健康(?:委员会|局)",
    "人力资源和社会保障": r"人社(?:局|厅)|人力资源(?:和)?社会保障(?:局|厅)",
    "发展和改革": r"发改(?:委|局)|发展(?:和)?改革(?:委员会|委|局)",
    "住房和城乡建设": r"住建(?:局|厅|委)|住房(?:和)?城乡建设(?:局|厅|委员会)",
    "交通运输": r"交通(?:运输)?(?:局|厅|委员会)",
    "工业和信息化": r"工信(?:局|厅|委)|工业(?:和)?信息化(?:局|厅|委员会)|经信委|经济(?:和)?信息化委员会",
    "应急管理": r"安监局|安全生产监督管理局|应急管理(?:局|厅)",
    "农业农村": r"农业局|农委|农业委员会|农业(?:厅)|农业农村(?:局|厅|委员会)",
}
_FUNCTION_RES = [(concept, re.compile(f"^(?:{names})$")) for concept, names in FUNCTIONS.items()]
_CENTRAL = re.compile(r"^(?:国务院|中华人民共和国|国家|中央|全国)")
_TOWNSHIP = re.compile(r"^(.{1,10}?(?:镇|乡|街道))(?:人民政府|政府|办事处)$")
_MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Agency:
    key: str
    name: str                 # the name as the report gives it
    function: str             # what it is, across renamings (科学技术, 人民政府, 华塘镇人民政府 …)
    level: str                # central, province, city, county, township
    parent_key: str | None


def identify(name: str | None, region: Region) -> Agency | None:
    """The agency a report's author name and region stand for (None without a name)."""
    if not name:
        return None
    code = region.code
    local = _without_region(name, region)
    township = _TOWNSHIP.match(local)
    if code is None:     # a central agency, or one whose region the report does not say
        level = "central" if _CENTRAL.match(name) else "unknown"
        return Agency(f"{level}:{_function(local)}", name, _function(local), level, None)
    if township:
        function = township.group(1) + "人民政府"
        return Agency(f"{code}:{function}", name, function, "township", f"{code}:人民政府")
    function = _function(local)
    level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
    parent = _parent_government(code) if function == "人民政府" else f"{code}:人民政府"
    return Agency(f"{code}:{function}", name, function, level, parent)


def _without_region(name: str, region: Region) -> str:
    """The name without the places it starts with (岳阳市科技局 → 科技局; 市科技局 → 科技局)."""
    local = name
    for place in (region.province, region.city, region.county):
        if place and local.startswith(place):
            local = local[len(place):]
    return re.sub(r"^(?:省|市|县|区|州|盟|旗)(?=.)", "", local) or name


def _function(local: str) -> str:
    return next((concept for concept, pattern in _FUNCTION_RES if pattern.match(local)), local)


def _parent_government(code: str) -> str | None:
    if code.endswith("0000"):
        return None
    if code.endswith("00") or code[:2] in _MUNICIPALITIES:
        return f"{code[:2]}0000:人民政府"
    return f"{code[:4]}00:人民政府"
