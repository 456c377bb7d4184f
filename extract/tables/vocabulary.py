"""The standard tables' words: which label or header means which SCHEMA.md key.

Row and column keys are SCHEMA.md's; the label patterns follow the wording of the 2019 format
(国办公开办函〔2019〕60号) and the 2021 format (国办公开办函〔2021〕30号), with and without their
numbering ("（三）不予公开", "1.属于国家秘密") and their long notes in brackets."""

from __future__ import annotations


from .. import lazy_re

# 表三 applicant columns, in the format's order.
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
APPLICANT_WORDS = (
    ("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("social_welfare", "社会公益组织|公益组织"), ("legal_services", "法律服务机构"),
    ("total", "总计|合计"), ("other_org", "^其他$|^其它$"),
)

# 表三 rows in the format's order: key, the format's own label, and the words that name the row
# (any one of them), matched in the label's Chinese characters alone (numbering, punctuation,
# spaces and line breaks left out), so that a label a document shortened, misspelt or broke
# over lines is still its row. `other` is 2019's （六）其他处理 row, and the heading over 2021's
# three sub-rows (a row where a 2021 table collapsed them into one); `other.other` (3.其他) is
# only ever found in its place.
REQUEST_ROWS = (
    ("new_received", "本年新收政府信息公开申请数量", r"本年新收|新收.{0,8}申请"),
    ("carried_over", "上年结转政府信息公开申请数量", r"上年结转|上年度结转"),
    ("granted", "予以公开", r"予以公开"),
    ("partially_granted", "部分公开（区分处理的，只计这一情形，不计其他情形）", r"部分公开"),
    ("denied.state_secret", "属于国家秘密", r"国家秘密"),
    ("denied.law_forbidden", "其他法律行政法规禁止公开", r"禁止公开|法律行政法规"),
    ("denied.three_safety", "危及“三安全一稳定”", r"三安全|一稳定|危及"),
    ("denied.third_party", "保护第三方合法权益", r"第三方|合法权益"),
    ("denied.internal_affairs", "属于三类内部事务信息", r"内部事务"),
    ("denied.process_info", "属于四类过程性信息", r"过程性"),
    ("denied.enforcement_file", "属于行政执法案卷", r"执法案卷"),
    ("denied.query_item", "属于行政查询事项", r"查询事项"),
    ("unable.not_held", "本机关不掌握相关政府信息", r"不掌握"),
    ("unable.needs_creation", "没有现成信息需要另行制作", r"现成信息|另行制作"),
    ("unable.unclear", "补正后申请内容仍不明确", r"不明确|补正后申请"),
    ("not_processed.petition", "信访举报投诉类申请", r"信访|举报投诉"),
    ("not_processed.repeat", "重复申请", r"重复申请"),
    ("not_processed.publication", "要求提供公开出版物", r"出版物"),
    ("not_processed.mass_repeat", "无正当理由大量反复申请", r"大量反复|反复申请"),
    ("not_processed.confirmation", "要求行政机关确认或重新出具已获取信息", r"重新出具|确认或"),
    ("other", "其他处理", r"其[他它]处理"),
    ("other.overdue_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", r"不补正"),
    ("other.unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", r"收费通知|缴纳费用"),
    ("other.other", "其他", r"其[他它](?!处理)"),
    ("handled_total", "总计", r"总计|合计"),
    ("carried_forward", "结转下年度继续办理", r"结转下年|下年度继续"),
)
REQUEST_ROW_WORDS = tuple((key, words) for key, _, words in REQUEST_ROWS)
REQUEST_LABELS = {key: label for key, label, _ in REQUEST_ROWS}
REQUEST_ROW_RES = tuple((key, lazy_re.compile(pattern)) for key, pattern in REQUEST_ROW_WORDS)
REQUEST_ORDER = tuple(key for key, _ in REQUEST_ROW_WORDS)
# The rows of each format, in order (flattened text is mapped by this order).
REQUEST_ROWS_2019 = tuple(key for key in REQUEST_ORDER if not key.startswith("other."))
REQUEST_ROWS_2021 = tuple(key for key in REQUEST_ORDER if key != "other")
# The result rows that sum to handled_total (2019 has the one `other` row; 2021 its three parts).
RESULT_GROUPS = ("granted", "partially_granted", "denied", "unable", "not_processed", "other")


# 表三's numbering: 一、二、 and 四、 for the top rows, （一）…（七） for the result rows, 1. 2. … for
# the sub-rows of a group. A label that lost characters is still its row by its number.
_TOP_ROWS = {"一": "new_received", "二": "carried_over", "四": "carried_forward"}
_GROUP_ROWS = {"一": "granted", "二": "partially_granted", "三": "denied", "四": "unable", "五": "not_processed",
               "六": "other", "七": "handled_total"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_TOP = lazy_re.compile(r"^\s*([一二三四])\s*、")
_GROUP = lazy_re.compile(r"[（(]\s*([一二三四五六七])\s*[)）]")
_SUB = lazy_re.compile(r"(?<![\d.])([1-9])\s*[.．、](?!\d)")


def request_row_by_number(label: str) -> str | None:
    """The 表三 row a label names by its numbering alone ("（三）不予公开 1.属…" → denied.state_secret;
    （六） with a sub-row number is one of the 2021 format's three 其他处理 rows)."""
    groups = list(_GROUP.finditer(label))
    if groups:
        group = _GROUP_ROWS[groups[-1].group(1)]
        subs = [key for key in REQUEST_ROWS_2021 if key.startswith(group + ".")]
        sub = _SUB.search(label, groups[-1].end())
        if sub is None:
            return group if group in REQUEST_ROWS_2019 else None
        return subs[int(sub.group(1)) - 1] if int(sub.group(1)) <= len(subs) else None
    top = _TOP.match(label)
    return _TOP_ROWS.get(top.group(1)) if top else None


def request_row_numbering() -> dict[str, str]:
    """For each 表三 row, the pattern of its own number (一、 for the top rows, （一）… for the
    result rows, 1. 2. … for the sub-rows of a group), by which a row whose label lost its words
    is still found in its place. (Each pattern looks behind after its first character, not
    before it: re then skips ahead to that character, several times faster.)"""
    numbering = {key: rf"{numeral}\s*、" for numeral, key in _TOP_ROWS.items()}
    for numeral, group in _GROUP_ROWS.items():
        numbering[group] = rf"[（(](?<!第[（(])\s*{numeral}\s*[)）]"
        subs = [key for key in REQUEST_ORDER if key.startswith(group + ".")]
        for number, key in enumerate(subs, 1):
            numbering[key] = rf"{number}(?<![\d.]{number})\s*[.．、](?!\d)|[（(]\s*{number}\s*[)）]|{_CIRCLED[number - 1]}"
    return numbering


# 表四
APPEAL_KINDS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
APPEAL_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
APPEAL_KIND_WORDS = (
    ("litigation_after_reconsideration", "复议后起诉"),
    ("litigation_direct", "未经复议|直接起诉"),
    ("reconsideration", "行政复议"),
)
APPEAL_OUTCOME_WORDS = (
    ("upheld", "维持"), ("corrected", "纠正"), ("pending", "尚未审结|未审结|未结"),
    ("other", "其他结果|其它结果|^其他$"), ("total", "总计|合计"),
)

# 表二: row labels → the subject of the metric key (the words that name the row, any one of
# them, as for 表三: a label a document shortened or misspelt, 行政事业型收费, is still its row);
# column headers → (era, the key's last part).
TABLE2_ROWS = (
    ("normative_docs", r"规范性文件"),
    ("regulations", r"规章"),
    ("licensing", r"行政许可"),
    ("other_services", r"其他对外管理服务事项|对外管理服务"),
    ("penalties", r"行政处罚"),
    ("enforcement", r"行政强制"),
    ("fees", r"行政事业.?收费|事业性收费"),
    ("procurement", r"政府集中采购|集中采购"),
)
TABLE2_COLUMNS = (
    ("tables_2019", "issued", r"本年新制作数量"),
    ("tables_2019", "published", r"本年新公开数量"),
    ("tables_2019", "public_total", r"对外公开总数量"),
    ("tables_2021", "issued", r"本年制发件数"),
    ("tables_2021", "repealed", r"本年废止件数"),
    ("tables_2021", "in_force", r"现行有效件数"),
    (None, "decisions", r"处理决定数量"),
    ("tables_2021", "amount", r"本年收费金额"),
    ("tables_2019", "projects", r"采购项目数量"),
    ("tables_2019", "procurement_amount", r"采购总金额"),
    ("tables_2019", "previous_items", r"上一年项目数量"),
    ("tables_2019", "change", r"本年增\s*[/／]?\s*减"),
)
TABLE2_COLUMN_RES = tuple((era, part, lazy_re.compile(pattern)) for era, part, pattern in TABLE2_COLUMNS)
TABLE2_HEADER = lazy_re.compile("|".join(pattern for _, _, pattern in TABLE2_COLUMNS))   # any 表二 column header
# (row subject, column part) → metric key. Only what SCHEMA.md defines: 2019's 上一年项目数量 and
# 本年增/减 have no key and are not kept.
TABLE2_METRICS = {
    **{(subject, part): f"{subject}.{part}"
       for subject in ("regulations", "normative_docs")
       for part in ("issued", "published", "public_total", "repealed", "in_force")},
    ("licensing", "decisions"): "licensing.decisions",
    ("penalties", "decisions"): "penalties.decisions",
    ("enforcement", "decisions"): "enforcement.decisions",
    ("fees", "amount"): "fees.admin_charges_10k_yuan",
    ("procurement", "projects"): "procurement.projects",
    ("procurement", "procurement_amount"): "procurement.amount_yuan",
}
# Flattened 表二: the columns each row has, by era, in the format's order.
TABLE2_FLAT = {
    "tables_2019": {"regulations": ("issued", "published", "public_total"),
                    "normative_docs": ("issued", "published", "public_total"),
                    "licensing": ("previous_items", "change", "decisions"),
                    "other_services": ("previous_items", "change", "decisions"),
                    "penalties": ("previous_items", "change", "decisions"),
                    "enforcement": ("previous_items", "change", "decisions"),
                    "fees": ("previous_items", "change"),
                    "procurement": ("projects", "procurement_amount")},
    "tables_2021": {"regulations": ("issued", "repealed", "in_force"),
                    "normative_docs": ("issued", "repealed", "in_force"),
                    "licensing": ("decisions",), "penalties": ("decisions",),
                    "enforcement": ("decisions",), "fees": ("amount",)},
}

# Where each table stands in the report: its section heading.
TABLE_SECTIONS = (
    ("table2", lazy_re.compile(r"主动公开政府信息情况")),
    ("table3", lazy_re.compile(r"收到和处理政府信息公开申请情况")),
    ("table4", lazy_re.compile(r"政府信息公开行政复议.{0,3}行政诉讼情况")),
)
# Cells that say "nothing written here" (SCHEMA.md: value null, raw kept).
BLANK_CELL = lazy_re.compile(r"^\s*(?:[/／\\]|[—–－-]+|无|空|—\s*—)?\s*$")

# 表四's header words (any of them opens the table; they hold no cells).
APPEAL_HEADER = lazy_re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|其[他它]结果|尚未审结|总计|合计|未经复议直接起诉|复议后起诉|维持|纠正")
# 表二's rows in the format's order (the text reader meets them in this order), with the
# format's labels (2021's; 2019 wrote 规范性文件).
TABLE2_LABELS = {"regulations": "规章", "normative_docs": "行政规范性文件", "licensing": "行政许可",
                 "other_services": "其他对外管理服务事项", "penalties": "行政处罚", "enforcement": "行政强制",
                 "fees": "行政事业性收费", "procurement": "政府集中采购"}
TABLE2_ORDER = tuple(TABLE2_LABELS)

# A line that a page of a PDF or a printout adds wherever it broke a table, no row of it: the
# page's own number (- 3 -, — 3 —, 第3页, 第3页 共12页, 共12页 第3页, 3/12, Page 3 of 12) and the
# report's title as a running head. Neither its words nor its digits are the table's (a bare
# number alone on a line may be a cell: it is not one of these).
PAGE_FURNITURE_LINES = (
    r"[-—–]+\s*\d+\s*[-—–]+",
    r"(?:共\s*\d+\s*页\s*[,，/／]?\s*)?第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?",
    r"\d+\s*[/／]\s*\d+",
    r"(?i:page\s*\d+(?:\s*(?:of|/)\s*\d+)?)",
    r"[^\n|\d]{0,40}(?:19|20)\d\d\s*年度?[^\n|\d]{0,30}年度?报告",
)

# Digits in a table's text that are never cells, blanked before cells are looked for: the
# numbering of a label (1. 2、 (3)), a column's own name (列1), clauses, pages, years and dates,
# document numbers, percentages, time limits, a phone number, a web address and a time of day
# (a browser's print header, run into a row), and the notes some copies keep in their headers ((指2018年事项数), 本年增/减, 减用负值表示, 如-8).
NOT_CELLS = (
    r"[1-9](?<![\d.][1-9])\d?\s*[.．、](?!\d)(?=\s*[\u4e00-\u9fff“\"])",  # 1.属于国家秘密 (02. is a cell and 2.)
    r"[(（]\s*\d{1,2}\s*[)）]",                                        # (1)
    r"列\s*\d+",
    r"第\s*\d+\s*[条项列行款章节页部号]",
    r"共\s*\d+\s*页",
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?",
    r"\d{4}\s*年度?|\d{1,2}\s*月份?|\d{1,2}\s*日",
    r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号?|\d+\s*号",
    r"\d+(?:\.\d+)?\s*[%％]",
    r"(?:https?://|www\.)[^\s|]+|\d{1,2}:\d{2}(?::\d{2})?",      # a browser's print header: the page's address, the time
    r"\d+\s*(?:个工作日|个月|天|小时)",
    r"\d{3,4}\s*-\s*\d{7,8}",
    r"附件\s*\d+|表\s*[1-9]",
    r"[(（]\s*(?:指|注|如)[^)）\n]{0,80}[)）]|增\s*[/／]\s*减|减用负值表示[^\n)）]{0,20}",
)
