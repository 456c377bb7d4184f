"""What each metric key means, in Chinese and English (keys from SCHEMA.md), for tables, charts
and the `metrics` table datasette shows."""

from __future__ import annotations

METRICS = {
    "proactive.items_total": ("主动公开信息总数", "items published proactively"),
    "proactive.items_by_category": ("分类公开数", "items published, by category"),
    "proactive.items_adopted": ("被上级采用信息数", "items adopted by higher authorities"),
    "proactive.items_cumulative": ("累计公开信息数", "items published, cumulative over the years"),
    "proactive.items_by_channel": ("各渠道公开数", "items published, by channel"),
    "proactive.normative_documents": ("公开规范性文件数", "normative documents published"),
    "web.visits": ("网站访问量", "website visits"),
    "web.page_views": ("页面浏览量", "website page views"),
    "onsite.visitors": ("现场查阅人次", "on-site visitors"),
    "consultations.total": ("咨询数", "consultations"),
    "consultations.by_channel": ("各渠道咨询数", "consultations, by channel"),
    "staff.full_time": ("专职工作人员", "full-time disclosure staff"),
    "staff.part_time": ("兼职工作人员", "part-time disclosure staff"),
    "complaints.total": ("投诉举报数", "complaints about disclosure"),
    "requests.received": ("收到申请数", "requests received"),
    "requests.carried_over": ("上年结转申请数", "requests carried over from last year"),
    "requests.granted": ("予以公开", "requests granted"),
    "requests.partially_granted": ("部分公开", "requests partially granted"),
    "requests.denied": ("不予公开", "requests denied"),
    "requests.unable": ("无法提供", "requests unable to answer"),
    "requests.not_processed": ("不予处理", "requests not processed"),
    "requests.other": ("其他处理", "requests handled otherwise"),
    "requests.handled_total": ("办理总计", "requests handled in all"),
    "requests.carried_forward": ("结转下年度继续办理", "requests carried forward to next year"),
    "requests.by_channel": ("各渠道申请数", "requests, by channel"),
    "fees.collected_yuan": ("收取费用（元）", "fees collected (yuan)"),
    "reconsideration.total": ("行政复议件数", "administrative reconsiderations"),
    "litigation.total": ("行政诉讼件数", "administrative lawsuits"),
    "regulations.issued": ("规章本年制发件数", "regulations issued"),
    "regulations.repealed": ("规章本年废止件数", "regulations repealed"),
    "regulations.in_force": ("规章现行有效件数", "regulations in force"),
    "regulations.published": ("规章本年新公开数量", "regulations newly published"),
    "regulations.public_total": ("规章对外公开总数量", "regulations public in all"),
    "normative_docs.issued": ("规范性文件本年制发件数", "normative documents issued"),
    "normative_docs.repealed": ("规范性文件本年废止件数", "normative documents repealed"),
    "normative_docs.in_force": ("规范性文件现行有效件数", "normative documents in force"),
    "normative_docs.published": ("规范性文件本年新公开数量", "normative documents newly published"),
    "normative_docs.public_total": ("规范性文件对外公开总数量", "normative documents public in all"),
    "procurement.projects": ("政府集中采购项目数量", "central procurement projects"),
    "procurement.amount_yuan": ("政府集中采购总金额（元）", "central procurement amount (yuan)"),
    "licensing.decisions": ("行政许可处理决定数量", "licensing decisions"),
    "penalties.decisions": ("行政处罚处理决定数量", "penalty decisions"),
    "enforcement.decisions": ("行政强制处理决定数量", "enforcement decisions"),
    "fees.admin_charges_10k_yuan": ("行政事业性收费金额（万元）", "administrative charges (10k yuan)"),
}


def metric_label(metric: str, category: str | None = None) -> str:
    """The Chinese name of a metric (and category), or the key where it has none."""
    name = METRICS.get(metric, (metric,))[0]
    return f"{name}·{category}" if category else name
