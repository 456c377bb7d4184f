"""The standard tables' words: which label or header means which SCHEMA.md key.

Row and column keys are SCHEMA.md's; the label patterns follow the wording of the 2019 format
(国办公开办函〔2019〕60号) and the 2021 format (国办公开办函〔2021〕30号), with and without their
numbering ("（三）不予公开", "1.属于国家秘密") and their long notes in brackets."""

from __future__ import annotations

import re

# 表三 applicant columns, in the format's order.
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
APPLICANT_WORDS = (
    ("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("social_welfare", "社会公益组织"), ("legal_services", "法律服务机构"),
    ("total", "总计|合计"), ("other_org", "^其他$|^其它$"),
)

# 表三 rows: key, label pattern. Checked in this order on a row's label (most specific first);
# in flattened text they are looked for in the format's order, each after the one before.
_N = r"(?:\d{1,2}\s*[.．、]\s*)?"           # the numbering of a sub-row ("1." "2、")
REQUEST_ROW_LABELS = (
    ("new_received", r"本年新收"),
    ("carried_over", r"上年结转"),
    ("granted", r"予以公开"),
    ("partially_granted", r"部分公开"),
    ("denied.state_secret", _N + r"属于国家秘密"),
    ("denied.law_forbidden", _N + r"其他法律行政法规禁止公开"),
    ("denied.three_safety", _N + r"危及\W{0,2}三安全一稳定"),
    ("denied.third_party", _N + r"保护第三方合法权益"),
    ("denied.internal_affairs", _N + r"属于三类内部事务信息"),
    ("denied.process_info", _N + r"属于四类过程性信息"),
    ("denied.enforcement_file", _N + r"属于行政执法案卷"),
    ("denied.query_item", _N + r"属于行政查询事项"),
    ("unable.not_held", _N + r"本机关不掌握"),
    ("unable.needs_creation", _N + r"没有现成信息"),
    ("unable.unclear", _N + r"补正后申请内容仍不明确"),
    ("not_processed.petition", _N + r"信访举报投诉"),
    ("not_processed.repeat", _N + r"重复申请"),
    ("not_processed.publication", _N + r"要求提供公开出版物"),
    ("not_processed.mass_repeat", _N + r"无正当理由大量反复申请"),
    ("not_processed.confirmation", _N + r"要求行政机关确认或重新出具"),
    ("other.overdue_correction", _N + r"申请人无正当理由逾期不补正"),
    ("other.unpaid_fee", _N + r"申请人逾期未按收费通知"),
    ("other.other", r"\d{1,2}\s*[.．、]\s*其[他它]"),
    ("other", r"其[他它]处理"),
    ("handled_total", r"(?:[（(]七[)）]\s*)?总计"),
    ("carried_forward", r"结转下年度"),
)
REQUEST_ROW_RES = tuple((key, re.compile(pattern)) for key, pattern in REQUEST_ROW_LABELS)
# The rows of each format, in order (flattened text is mapped by this order).
REQUEST_ROWS_2019 = tuple(key for key, _ in REQUEST_ROW_LABELS if not key.startswith("other."))
REQUEST_ROWS_2021 = tuple(key for key, _ in REQUEST_ROW_LABELS if key != "other")
# The result rows that sum to handled_total (2019 has the one `other` row; 2021 its three parts).
RESULT_GROUPS = ("granted", "partially_granted", "denied", "unable", "not_processed", "other")


# 表三's numbering: 一、二、 and 四、 for the top rows, （一）…（七） for the result rows, 1. 2. … for
# the sub-rows of a group. A label that lost characters is still its row by its number.
_TOP_ROWS = {"一": "new_received", "二": "carried_over", "四": "carried_forward"}
_GROUP_ROWS = {"一": "granted", "二": "partially_granted", "三": "denied", "四": "unable", "五": "not_processed",
               "六": "other", "七": "handled_total"}
_TOP = re.compile(r"^\s*([一二三四])\s*、")
_GROUP = re.compile(r"[（(]\s*([一二三四五六七])\s*[)）]")
_SUB = re.compile(r"(?<![\d.])([1-9])\s*[.．、](?!\d)")


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


def request_row_numbering(era: str) -> dict[str, str]:
    """For each 表三 row, the pattern of its own number where its label is read in order: the
    sub-row's 1. 2. …, the result row's （一）…, the top row's 一、."""
    rows = REQUEST_ROWS_2021 if era == "tables_2021" else REQUEST_ROWS_2019
    numbering = {key: rf"(?:^|\s){numeral}\s*、" for numeral, key in _TOP_ROWS.items()}
    for numeral, group in _GROUP_ROWS.items():
        subs = [key for key in rows if key.startswith(group + ".")]
        if group in rows:
            numbering[group] = rf"[（(]\s*{numeral}\s*[)）]"
        for number, key in enumerate(subs, 1):
            numbering[key] = rf"(?<![\d.]){number}\s*[.．、](?!\d)"
    return numbering


def request_checks(era: str) -> list[tuple[list[str], list[str]]]:
    """The format's balances over 表三's rows, column by column: 本年新收 + 上年结转 = （七）总计 +
    结转下年度, and the result rows add to （七）总计."""
    rows = REQUEST_ROWS_2021 if era == "tables_2021" else REQUEST_ROWS_2019
    results = [key for key in rows if key.split(".")[0] in RESULT_GROUPS]
    return [(["new_received", "carried_over"], ["handled_total", "carried_forward"]), (["handled_total"], results)]

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

# 表二: row labels → the subject of the metric key; column headers → (era, the key's last part).
TABLE2_ROWS = (
    ("normative_docs", r"规范性文件"),
    ("regulations", r"规章"),
    ("licensing", r"行政许可"),
    ("other_services", r"其他对外管理服务事项"),
    ("penalties", r"行政处罚"),
    ("enforcement", r"行政强制"),
    ("fees", r"行政事业性收费"),
    ("procurement", r"政府集中采购"),
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
TABLE2_COLUMN_RES = tuple((era, part, re.compile(pattern)) for era, part, pattern in TABLE2_COLUMNS)
TABLE2_HEADER = re.compile("|".join(pattern for _, _, pattern in TABLE2_COLUMNS))   # any 表二 column header
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
    ("table2", re.compile(r"主动公开政府信息情况")),
    ("table3", re.compile(r"收到和处理政府信息公开申请情况")),
    ("table4", re.compile(r"政府信息公开行政复议.{0,3}行政诉讼情况")),
)
# Cells that say "nothing written here" (SCHEMA.md: value null, raw kept).
BLANK_CELL = re.compile(r"^\s*(?:[/／\\]|[—–－-]+|无|空|—\s*—)?\s*$")
