"""The statistics table of a 2008–2018 report (政府信息公开情况统计表, often 附件1): rows of 指标名称,
计量单位 and numbers, read into figures of SCHEMA.md's metrics, in any text form (stream.py).

Its columns are told by their headings (STATISTICS_COLUMNS): the year reported on (本年, 数量,
2014年度), last year (上年, 2013年), the cumulative total (历年累计) or the change (增减). Only the
year's column gives figures (and the cumulative one `proactive.items_cumulative` for the items
row); where the headings do not say which column is the year's, the table gives no figure and the
record says so. Text copies run the cells together ("主动公开信息数条4251516其中：1.网站公开条…"):
a run is cut into the columns' numbers where the table's own arithmetic leaves one cut (the 其中
parts add to the row above them, column by column; the cumulative is never below the year's; the
change is the year's less the last) (run_together.resolve); otherwise the row gives no figure
and the record says so. Which label means which metric: STATISTICS_ROWS."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lazy_re
from ..record import Figure, Section
from . import STATISTICS_HEADING, StatisticsTable
from .cells import cell_value
from .placing import comma_split, non_empty, without_a_page_number
from .run_together import resolve, splits
from .stream import Piece, Stream, shown
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
# Column headings: what each column holds ({year} and {last}: the year reported on and the one before).
STATISTICS_COLUMNS = (
    ("cumulative", r"历年累计|累计"),
    ("change", r"增减|比上年|同比"),
    ("last", r"上年度?|去年|上一年|{last}\s*年度?"),
    ("year", r"本年度?|今年|本期|数量|数值|统计数|{year}\s*年度?"),
)
_ROWS = [(lazy_re.compile(r"(?:(?<![\d.])[1-9]\d?\s*[.、．]\s*)?(?:其中\s*[:：]?\s*)?" + pattern), metric, category)
         for pattern, metric, category in STATISTICS_ROWS]
_UNIT = lazy_re.compile(r"条|件|次|个|人次|人|万元|元|份|篇")
_UNIT_AFTER = lazy_re.compile(r"\s*[|｜]?\s*(" + _UNIT.pattern + r")")     # a row's unit, right after its label
_LABEL_NUMBER = lazy_re.compile(r"^\s*([1-9]\d?)\s*[.、．]")
# 其中 parts: which rows a total's following sub-rows may be (they add up to it).
_PARTS = {"proactive.items_total": ("proactive.items_by_channel",), "requests.received": ("requests.by_channel",),
          "requests.handled_total": ("requests.granted", "requests.partially_granted", "requests.denied",
                                     "requests.unable", "requests.other")}


@dataclass
class _Row:
    """A row of the statistics table: its label, unit and cells."""

    metric: str | None
    category: str | None
    label: str
    unit: str
    start: int
    end: int
    pieces: list[Piece]


def read(text: str, sections: list[Section], stated: list[Figure], year: int | None) -> StatisticsTable:
    """The statistics table in a text that names one (read_statistics_table)."""
    heading = STATISTICS_HEADING.search(text, text.rfind("统计表") if text.rfind("统计表") > len(text) // 3 else 0)
    found = StatisticsTable()
    if heading is None:
        return found
    stream = Stream(text, heading.start())
    marks = _marks(text, heading.start())
    if len([m for m in marks if m[2]]) < 3:
        return found            # a mention of the table, not the table
    columns = _columns(text[heading.start():marks[0][0]], year)
    rows = _rows(stream, marks)
    width = len(columns) if columns else max(1, _usual_count(rows))
    pre = _pieces_before(stream, heading.start(), marks[0][0])
    if len(pre) == width:                   # cells above their labels (a PDF's)
        for row, pieces in zip(rows, [pre] + [r.pieces for r in rows[:-1]]):
            row.pieces = pieces
    found.span = (heading.start(), max(r.end for r in rows))
    if columns is None:
        if width > 1:
            found.warnings.append(f"统计表: {width} columns of numbers and no heading that says which is the year's: "
                                  "its figures are left out")
            return found
        columns = ["year"]
    values = _values(rows, columns, found, stated, text)
    this_year = columns.index("year")
    cumulative = columns.index("cumulative") if "cumulative" in columns else None
    for index, row in enumerate(rows):
        value = values.get(index)
        if row.metric is None or value is None:
            continue
        if value[this_year] is not None:
            found.figures.append(_figure(text, row, value[this_year], sections))
        if cumulative is not None and row.metric == "proactive.items_total" and value[cumulative] is not None:
            found.figures.append(_figure(text, row, value[cumulative], sections, metric="proactive.items_cumulative"))
    return found


def _marks(text: str, start: int) -> list[tuple[int, int, str | None, str | None]]:
    """The table's row labels in order: the metrics' labels first, the longest first; then rows
    of no metric; none overlapping another."""
    kept: list[tuple] = []
    for named in (True, False):
        marks = sorted(((m.start(), m.end(), metric, category) for pattern, metric, category in _ROWS
                        if (metric is not None) == named for m in pattern.finditer(text, start)),
                       key=lambda mark: (mark[0] - mark[1], mark[0]))
        for mark in marks:
            if not any(mark[0] < end and begin < mark[1] for begin, end, *_ in kept):
                kept.append(mark)
    return sorted(kept)


def _columns(header: str, year: int | None) -> list[str] | None:
    """What each number column holds, from the headings after 计量单位 (or 单位); None where a
    heading names nothing known or no column is the year's."""
    after = re.split(r"计量单位|单位", header)
    if len(after) < 2:
        return None
    found = []
    for kind, pattern in STATISTICS_COLUMNS:
        pattern = pattern.format(year=year if year else r"(?!)", last=year - 1 if year else r"(?!)")
        found += [(m.start(), m.end(), kind) for m in re.finditer(pattern, after[-1])]
    found.sort()
    kinds = []
    position = 0
    for begin, end, kind in found:
        if begin >= position:
            kinds.append(kind)
            position = end
    return kinds if kinds.count("year") == 1 else None


def _rows(stream: Stream, marks: list[tuple]) -> list[_Row]:
    """Each row with its unit and the cells that stand together after it, up to the next label;
    digits run into the next label's own number (…5.2.政府公报) go with that label."""
    rows = []
    for (begin, end, metric, category), following in zip(marks, marks[1:] + [None]):
        stop = following[0] if following else min(stream.end, end + 60)
        unit = _UNIT_AFTER.match(stream.text, end, stop)
        pieces = _together(stream, stream.pieces_between(end, stop))
        number = _LABEL_NUMBER.match(stream.text, following[0]) if following else None
        if number is None and following:        # "…数条41815092.政府公报": the next label's number ran in
            run_in = re.search(r"(\d)\s*[.、．]\s*$", stream.text[max(begin, following[0] - 3):following[0]])
            if run_in and pieces and pieces[-1].numbered and pieces[-1].raw.endswith(run_in.group(1)):
                last = pieces[-1]
                pieces[-1] = Piece(last.raw[:-1], last.start, last.end - 1, "number")
        unit_text = unit.group(1) if unit else ""
        rows.append(_Row(metric, category, stream.text[begin:end], unit_text, begin,
                         pieces[-1].end if pieces else end, pieces))
    return rows


def _together(stream: Stream, pieces: list[Piece]) -> list[Piece]:
    """The first pieces that stand together (nothing but a unit between them)."""
    kept: list[Piece] = []
    for piece in pieces:
        if kept and _UNIT.sub("", stream.words_between(kept[-1].end, piece.start)):
            break
        kept.append(piece)
    return non_empty(kept)


def _pieces_before(stream: Stream, start: int, first_label: int) -> list[Piece]:
    """The cells between the table's headings and its first label (numbers above their labels)."""
    return _together(stream, stream.pieces_between(start, first_label))


def _usual_count(rows: list[_Row]) -> int:
    """How many numbers most rows hold (each apart)."""
    counts = [len(r.pieces) for r in rows if r.pieces and not any(p.run and len(p.raw) > 3 for p in r.pieces)]
    return max(set(counts), key=counts.count) if counts else 1


def _values(rows: list[_Row], columns: list[str], found: StatisticsTable, stated, text: str) -> dict[int, tuple]:
    """Each row's numbers, one per column: as written where they stand apart, or the one cut of a
    run of digits that keeps the table's arithmetic (the 其中 parts add up to the row above them,
    the cumulative never below the year's, the change the year's less the last)."""
    width = len(columns)
    fixed, together = {}, {}
    for index, row in enumerate(rows):
        pieces = _signed(row.pieces)
        pieces = without_a_page_number(pieces, text, width) or pieces       # where a PDF's page broke the table
        pieces = pieces if len(pieces) == width else comma_split(pieces)
        if len(pieces) == width and not ("change" in columns and any(p.kind == "blank" for p in pieces)):
            fixed[str(index)] = tuple(cell_value(p.raw)[0] for p in pieces)
        elif pieces and len(pieces) <= width and any(p.run for p in pieces) \
                and all(p.run or p.raw[:1] == "-" for p in pieces):
            options = tuple(o for o in splits(tuple(p.raw for p in pieces), 1, width, summed=False)
                            if _keeps(o, columns))
            together[str(index)] = options
        elif pieces and row.metric:
            found.warnings.append(f"统计表 row {row.label!r}: {len(pieces)} numbers where the table has {width} "
                                  f"columns: left out ({shown(pieces)})")
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
    values = {int(k): v for k, v in fixed.items()}
    resolved = resolve(together, fixed, checks) if together else {}
    this_year = columns.index("year")
    for key, cut in resolved.items():
        row = rows[int(key)]
        if cut is None and together[key]:
            said = {f.value for f in stated if (f.metric, f.category) == (row.metric, row.category)
                    or row.metric == "proactive.items_by_channel" and f.metric == "proactive.items_total"}
            matching = [c for c in together[key] if c[this_year] in said]
            cut = matching[0] if len(matching) == 1 else None
        if cut is None:
            found.warnings.append(f"统计表 row {row.label!r}: its numbers ran together ({shown(row.pieces)}) and "
                                  "could be cut more ways than one: left out")
        else:
            values[int(key)] = cut
    return values


def _signed(pieces: list[Piece]) -> list[Piece]:
    """A "-" right before a number, with no space between, as its minus sign (the change column:
    "515521-6" is 515, 521 and -6)."""
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].raw == "-" and out[-1].end == piece.start and piece.raw.isdigit():
            sign = out.pop()
            piece = Piece("-" + piece.raw, sign.start, piece.end, "number")
        out.append(piece)
    return out


def _keeps(cut: tuple, columns: list[str]) -> bool:
    """Whether one row's numbers keep the table's own rules: the cumulative never below the
    year's, the change the year's less the last."""
    by_kind = dict(zip(columns, cut))
    if "cumulative" in by_kind and "year" in by_kind and by_kind["cumulative"] < by_kind["year"]:
        return False
    if "change" in by_kind and "last" in by_kind and by_kind["change"] != by_kind["year"] - by_kind["last"]:
        return False
    return True


def _figure(text: str, row: _Row, value, sections: list[Section], metric: str | None = None) -> Figure:
    unit = row.unit or None
    if (metric or row.metric) == "fees.collected_yuan" and unit == "万元":
        value = value * 10_000
    return figure(metric or row.metric, value, unit, "exact", text[row.start:row.end], row.start, row.end,
                  sections, category=row.category)
