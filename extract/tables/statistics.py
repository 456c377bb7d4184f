"""The statistics table of a 2008–2018 report (政府信息公开情况统计表, often 附件1): rows of 指标名称,
计量单位 and this year's number (some add 历年累计), read into figures of SCHEMA.md's metrics.

Text copies run its cells together ("主动公开信息数条4251516其中：1.网站公开条41815092.政府公报
公开条77"): a row's run is cut into this year's number and the cumulative one (never smaller),
and the parts under a 其中 add to the row above them, column by column; a cut is taken only where
it is the single one left (run_together.resolve), otherwise the row gives no figure and the
record says so. Which label means which metric is the table STATISTICS_ROWS."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..record import Figure, Section
from .run_together import resolve
from .summary import figure

# (label pattern, metric, category); a row's number may open its label ("1.网站公开").
STATISTICS_ROWS = (
    (r"主动公开(?:政府)?(?:信息|文件)(?:总)?数", "proactive.items_total", None),
    (r"主动公开规范性文件数", "proactive.normative_documents", None),
    (r"(?:政府)?公报公开(?:政府信息)?数?", "proactive.items_by_channel", "公报"),
    (r"(?:政府)?网站公开(?:政府信息)?数?", "proactive.items_by_channel", "网站"),
    (r"(?:政务)?微博公开(?:政府信息)?数?", "proactive.items_by_channel", "微博"),
    (r"(?:政务)?微信公开(?:政府信息)?数?", "proactive.items_by_channel", "微信"),
    (r"其[他它]方式公开(?:政府信息)?数?", "proactive.items_by_channel", "其他"),
    (r"(?:参加或)?举办新闻发布会(?:总)?次数", "proactive.items_by_channel", "新闻发布会"),
    (r"(?:受理|收到)(?:依申请公开信息|政府信息公开申请|申请)(?:总)?数", "requests.received", None),
    (r"当面申请数", "requests.by_channel", "当面"),
    (r"信函[、和]传真申请数", "requests.by_channel", "信函、传真"),
    (r"传真申请数", "requests.by_channel", "传真"),
    (r"(?:电子邮件|电邮)申请数", "requests.by_channel", "电子邮件"),
    (r"(?:网上|网络)申请数", "requests.by_channel", "网上"),
    (r"信函申请数", "requests.by_channel", "信函"),
    (r"其[它他]形式申请数", "requests.by_channel", "其它形式"),
    (r"(?:对申请的)?答复(?:总)?数|申请答复数", "requests.handled_total", None),
    (r"属于已主动公开范围数", "requests.other", "属于已主动公开范围"),
    (r"同意部分公开(?:答复)?数", "requests.partially_granted", None),
    (r"同意公开(?:答复)?数", "requests.granted", None),
    (r"(?:不同意|不予|否决)公开(?:答复)?数", "requests.denied", None),
    (r"不属于本(?:行政)?机关公开数", "requests.unable", "不属于本行政机关公开"),
    (r"申请信息不存在数", "requests.unable", "申请信息不存在"),
    (r"告知作出更改补充数", "requests.other", "告知作出更改补充"),
    (r"告知通过其他途径办理数", "requests.other", "告知通过其他途径办理"),
    (r"其[他它]类型答复数", "requests.other", None),
    (r"行政复议(?:数量|件数|数)", "reconsideration.total", None),
    (r"行政诉讼(?:数量|件数|数)", "litigation.total", None),
    (r"(?:举报投诉|投诉举报)(?:数量|数)", "complaints.total", None),
    (r"依申请公开信息收取的费用", "fees.collected_yuan", None),
    (r"专职人员数", "staff.full_time", None),
    (r"兼职人员数", "staff.part_time", None),
    (r"[\u4e00-\u9fff]{2,8}数(?=\s*(?:条|件|次|个|人))", None, None),      # a row of no metric (行政申诉数)
)
_ROWS = [(re.compile(r"(?:(?<![\d.])\d{1,2}\s*[.、．]\s*)?(?:其中\s*[:：]?\s*)?" + pattern), metric, category)
         for pattern, metric, category in STATISTICS_ROWS]
_HEADING = re.compile(r"统计表|指标名称|统计指标")
_UNIT = re.compile(r"\s*(?:条|件|次|个|人次|人|万元|元|份|篇)")
_NUMBERING = re.compile(r"\s*(?:其中\s*[:：]?\s*)?(?:\d[.、．])?\s*$")    # the next sub-row's 2. glued on
# 其中 parts: which rows a total's following sub-rows may be (they add up to it).
_PARTS = {"proactive.items_total": ("proactive.items_by_channel",), "requests.received": ("requests.by_channel",),
          "requests.handled_total": ("requests.granted", "requests.partially_granted", "requests.denied",
                                     "requests.unable", "requests.other")}


@dataclass
class StatisticsTable:
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None            # where the table stands in the text


@dataclass
class _Row:
    metric: str | None
    category: str | None
    label: str
    unit: str
    start: int
    end: int
    cells: list[str]


def read_statistics_table(text: str, sections: list[Section], stated: list[Figure] = ()) -> StatisticsTable:
    """The statistics table in a free-text report's text, or an empty result. A run of digits
    the table's own sums leave open is cut where this year's number is one the prose `stated`
    for the same metric (the figures stated in prose should equal the table's)."""
    heading = _HEADING.search(text, text.rfind("统计表") if text.rfind("统计表") > len(text) // 3 else 0)
    found = StatisticsTable()
    if heading is None:
        return found
    region_start = heading.start()
    header = text[region_start:region_start + 80]
    columns = 2 if "累计" in header else 1
    rows = _rows(text, region_start)
    if len([r for r in rows if r.metric]) < 3:
        return found            # a mention of the table, not the table
    found.span = (region_start, max(r.end for r in rows))
    values = _values(rows, columns, found, stated)
    for index, row in enumerate(rows):
        value = values.get(index)
        if row.metric is None or value is None:
            continue
        found.figures.append(_figure(text, row, value[0], sections))
        if columns == 2 and row.metric == "proactive.items_total" and value[1] is not None:
            found.figures.append(_figure(text, row, value[1], sections, metric="proactive.items_cumulative"))
    return found


def _rows(text: str, start: int) -> list[_Row]:
    """The table's rows in order: each label matched, then its unit and its cells up to the next
    label (or the numbering that opens the next one)."""
    kept: list[tuple] = []
    for named in (True, False):                     # the metrics' labels first, the longest first; then rows of none
        marks = sorted(((m.start(), m.end(), metric, category) for pattern, metric, category in _ROWS
                        if (metric is not None) == named for m in pattern.finditer(text, start)),
                       key=lambda mark: (mark[0] - mark[1], mark[0]))
        for mark in marks:
            if not any(mark[0] < end and begin < mark[1] for begin, end, *_ in kept):
                kept.append(mark)
    kept.sort()
    rows = []
    for (begin, end, metric, category), following in zip(kept, kept[1:] + [None]):
        stop = following[0] if following else min(len(text), end + 40)
        body = text[end:stop]
        unit = _UNIT.match(body)
        after_unit = unit.end() if unit else 0
        cells_text = _NUMBERING.sub("", re.split(r"[\u4e00-\u9fff]{2,}", body[after_unit:])[0])   # not what follows
        cells = re.findall(r"\d[\d,]*(?:\.\d+)?", cells_text)
        rows.append(_Row(metric, category, text[begin:end], unit.group(0).strip() if unit else "", begin,
                         end + after_unit + len(cells_text.rstrip()), cells))
    return rows


def _values(rows: list[_Row], columns: int, found: StatisticsTable, stated) -> dict[int, tuple]:
    """Each row's (this year, cumulative) numbers: as written where its cells stand apart, or
    the one cut of a run of digits that keeps the cumulative number not smaller than this
    year's and every 其中 part list adding up to the row above it."""
    fixed, together = {}, {}
    for index, row in enumerate(rows):
        if len(row.cells) == columns:
            fixed[str(index)] = tuple(_number(c) for c in row.cells) + ((None,) if columns == 1 else ())
        elif columns == 2 and len(row.cells) == 1 and row.cells[0].isdigit():
            together[str(index)] = _cuts(row.cells[0])
    checks = []
    for index, row in enumerate(rows):
        parts = []
        for later in range(index + 1, len(rows)):
            if rows[later].metric in _PARTS.get(row.metric, ()):
                parts.append(str(later))
            else:
                break
        if parts:
            checks.append(([str(index)], parts))
    resolved = resolve(together, fixed, checks) if together else {}
    values = {int(k): v for k, v in fixed.items()}
    for key, cut in resolved.items():
        row = rows[int(key)]
        if cut is None:
            said = {f.value for f in stated if (f.metric, f.category) == (row.metric, row.category)
                    or row.metric == "proactive.items_by_channel" and f.metric == "proactive.items_total"}
            matching = [c for c in together[key] if c[0] in said]
            cut = matching[0] if len(matching) == 1 else None
        if cut is None:
            found.warnings.append(f"统计表 row {rows[int(key)].label!r}: its numbers ran together "
                                  f"({rows[int(key)].cells[0]}) and could be cut more ways than one: left out")
        else:
            values[int(key)] = cut
    return values


def _cuts(digits: str) -> tuple[tuple[int, int], ...]:
    """This year's number and the cumulative one a run of digits can be: no leading zeros,
    the cumulative never smaller."""
    cuts = []
    for i in range(1, len(digits)):
        first, second = digits[:i], digits[i:]
        if (len(first) > 1 and first[0] == "0") or (len(second) > 1 and second[0] == "0"):
            continue
        if int(second) >= int(first):
            cuts.append((int(first), int(second)))
    return tuple(cuts)


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def _figure(text: str, row: _Row, value, sections: list[Section], metric: str | None = None) -> Figure:
    unit = row.unit or None
    if (metric or row.metric) == "fees.collected_yuan" and unit == "万元":
        value = value * 10_000
    return figure(metric or row.metric, value, unit, "exact", text[row.start:row.end], row.start, row.end,
                  sections, category=row.category)
