"""The archive in datasette, read-only: descriptions of every table and column in Chinese and
English, facets, full-text search over reports and sections, canned queries for the questions
researchers ask most, and a dashboard of charts (archive/dashboards.py).

Datasette opens the archive immutable (`-i`): nothing it does can write to it or leave -wal/-shm
files beside it. Immutable, because datasette's documentation gives it for a file no other process
changes, as the fast way (no locking or change detection, row counts counted once): xxgk keeps
that promise by refusing every writer while the archive is served (`store.serving`), rather than
serving it mutable under a writer. The plugin xxgk installs (archive/datasette_plugin.py)
refuses every request that is not a GET, bounds what one SQL call may build, and links and
highlights search hits. The home page (templates/index.html) lists the researcher's views
before the tables; the stylesheet (static/xxgk.css) puts a table's rows before its facets."""

from __future__ import annotations

import html
import json
import socket
import tempfile
from pathlib import Path

from .dashboards import CATEGORY_SQL, METRIC_KEY_SQL, SLUG, dashboards
from extract.formats.tesseract import LOW_CONFIDENCE

from .labels import METRICS
from .store import DB_NAME, open_database, serving

DATABASE = Path(DB_NAME).stem
HERE = Path(__file__).parent
# what a researcher opens first: the home page lists these before the archive's tables
RESEARCHER_VIEWS = (
    ("年度报告一览 / reports", f"/{DATABASE}/report_list"),
    ("报告表 / the reports table", f"/{DATABASE}/reports"),     # the home page's table list is the five largest
    ("比较 / comparisons", f"/{DATABASE}/comparison"),
    ("图表 / dashboard", f"/-/dashboards/{SLUG}"),
    ("勾稽关系不符 / failed checks", f"/{DATABASE}/failed_checks"),
    ("章节检索 / sections", f"/{DATABASE}/section_texts"),
    ("指标 / metric keys", f"/{DATABASE}/metrics"),
)
# pages that take a metric (`?metric=`); a metric the archive does not know is named there
METRIC_PAGES = (f"/{DATABASE}/metric_by_agency_year", f"/{DATABASE}/missing_metric", f"/-/dashboards/{SLUG}")
# the reports table's columns as a researcher reads them; its internal keys are left out
REPORT_COLUMNS = ("agency", "year", "title", "era", "url", "province", "city", "county", "region_code",
                  "published_at", "period_start", "period_end", "signed_on", "source")

# table: (中文, English, facets, {column: description})
_CELL_CONFIDENCE = ("识别置信度 / read from a scan: OCR's confidence (0–100) in this cell; below "
                    f"{LOW_CONFIDENCE} it is also named in the report's warnings (the low_confidence query lists them)")
TABLES = {
    "reports": ("年度报告", "One extracted annual report per archived document.", ["province", "year", "era"], {
        "agency_key": "机构键 / the agency, across its names (agencies.key)",
        "is_current": "1 = 该机构该年度用于比较的版本 / the version comparisons read for this agency and year",
        "url": "来源网址 / where the report was fetched from (file:// for ingested files)",
        "year": "报告年度 / the year reported on (not the year published)",
        "era": "free_text (2008–2018), tables_2019, tables_2021",
        "published_at": "发布时间 / when the site says it was published",
        "extractor_version": "提取程序版本 / the xxgk version that extracted it",
        "missing_tables": "未读出的表格 / a 2019+ report's standard tables not read from it (table2, table3, table4: "
                          "not in the text, or unreadable; its warnings say which and why); empty when all were read",
        "ocr": "光学识别 / a scanned report: the OCR engine, the pages it read and each page's mean word confidence "
               "(0–100), as JSON; empty for a report read from its text",
    }),
    "report_list": ("报告一览", "Every report with how many figures it states and how its checks came out.",
                    ["year", "era", "province"], {
                        "id": "报告 / the report (its row in reports)",
                        "figures": "数字数 / figures the report states",
                        "checks": "勾稽关系 / the report's checks: passed, failed, not assessable",
                        "url": "来源网址 / where the report was fetched from"}),
    "report_search": ("报告检索", "What the search box of reports searches: each report's title, agency and text.",
                      [], {}),
    "report_texts": ("报告全文", "Each report's text; figure and section offsets point into it.", [], {}),
    "figures": ("数字", "Every figure stated in a report (SCHEMA.md).", ["metric", "qualifier", "unit"], {
        "metric": "指标键 / metric key (see the metrics table)",
        "value": "数值 / the number, in `unit`; money in yuan unless the metric says 10k yuan",
        "unit": "单位 / the unit as written: 条, 件, 人次, 次, 元, 万元",
        "qualifier": "exact 确数; approx 约; at_least 余/多/以上; at_most 不足/以内; derived 由分项计算",
        "category": "分类 / for breakdowns, the category as written (a channel SCHEMA.md lists: its short name)",
        "channel": "渠道 / by-channel figures: the channel's short name (网站, 电话, 其他) where the category keeps an "
                   "outlet as written (政务新媒体, 12345热线, 县政府门户网站)",
        "evidence": "出处 / the sentence or table cell the number came from: at most 200 characters of the sentence "
                    "around the number (… where cut); start and end hold the whole sentence's offsets in report_texts",
        "value_max": "上限 / the upper bound of a range (30至50人次)",
        "breakdown": "第几种分解 / where a report breaks one total down more than once (by publisher, then by kind), "
                     "which breakdown (1, 2 …) this part belongs to; each is checked against the total on its own",
        "is_first": "1 = 报告中该指标（及分类）的第一个数字，比较时采用 / the first of its metric and category in the "
                    "report: the one comparisons read",
        "confidence": f"识别置信度 / read from a scan: the OCR confidence (0–100) of the numbers on the lines it "
                      f"spans (a table figure: its row's; a total: its cells' rows'; a figure in words: its line's "
                      f"words'); below {LOW_CONFIDENCE} it is named in the warnings; empty for text",
    }),
    "report_figures": ("数字（含报告信息）", "Figures with their report's agency, region, year and URL.",
                       ["metric", "province", "year", "era", "qualifier"], {}),
    "comparison": ("比较", "Agency × year × metric → value, from each agency-year's current report.",
                   ["metric", "year", "level"], {
                       "value": "数值 / the first figure the current report states for the metric",
                       "report_id": "报告 / the report it came from"}),
    "coverage": ("报告覆盖情况", "Agency × year: found, missing (other years found) or late "
                 "(departments by 31 Jan, governments by 31 Mar of the next year; before 2019 all by 31 Mar).",
                 ["status", "year", "level"], {
                     "versions": "版本数 / how many documents were extracted for this agency and year",
                     "deadline": "截止日期 / when the report was due"}),
    "carryover_checks": ("上年结转与上年度结转下年度", "表三: this year's 上年结转 (总计) against the same agency's "
                         "结转下年度继续办理 of the year before; pass, fail (with the difference) or not_assessable.",
                         ["status", "year"], {
                             "carried_over": "本年报告的上年结转 / carried over, as this year's report states it",
                             "previous_carried_forward": "上年报告的结转下年度 / carried forward, as last year's "
                                                         "report states it"}),
    "checks": ("勾稽关系检查", "Arithmetic a report's figures must satisfy, and whether they do.", ["status"], {
        "status": "pass 通过, fail 不符, not_assessable 无法判断",
        "difference": "差额 / sum of the parts minus the total"}),
    "request_cells": ("表三 申请情况", "Every cell of table 3 (2019+ reports).", ["row", "applicant"], {
        "raw": "原文 / the cell as written", "value": "数值 / null where blank, / — - or 无 (blank is not zero)",
        "confidence": _CELL_CONFIDENCE}),
    "appeal_cells": ("表四 复议诉讼", "Every cell of table 4 (2019+ reports).", ["kind", "outcome"], {
        "raw": "原文 / the cell as written", "value": "数值 / null where blank", "confidence": _CELL_CONFIDENCE}),
    "agencies": ("机构", "One row per agency: region code and function, across its renamings.",
                 ["level", "province"], {
                     "key": "机构键 / region code and function, e.g. 430600:科学技术",
                     "function": "职能 / what the agency is, across renamings (科学技术, 生态环境 …)",
                     "level": "central, province, city, county, township"}),
    "agency_aliases": ("机构别名", "Every name an agency has used, with the years it was seen.", [], {}),
    "metrics": ("指标", "What each metric key means.", [], {}),
    "sections": ("章节", "Numbered headings of each report.", ["kind"], {}),
    "section_texts": ("章节正文", "Each section with its text (searchable): a hit shows its report's agency and "
                      "year, the heading, the report and its source, the words found marked.", ["kind", "year"], {
                          "title": "标题 / the section's heading", "report_id": "报告 / the report it is in"}),
    "documents": ("原始文档", "One row per distinct capture; the bytes are in the WARC files.",
                  ["site", "kind", "source"], {
                      "warc_file": "WARC 文件 / the file holding the capture", "sha256": "内容哈希 / of the body"}),
    "fetch_failures": ("抓取失败", "Requests, files and extractions that failed, with the reason; "
                       "a rerun with --retry-failed tries again.", ["stage", "classification"], {}),
    "crawl_runs": ("抓取批次", "Each crawl: when, options and counts.", ["status"], {}),
    "changes": ("变更", "Reports replaced or gone between crawls.", ["kind"], {}),
}
SQL_TIME_LIMIT_MS = 5000         # a query running longer is stopped, with a message saying so
STATIC = "xxgk-static"           # where the archive's stylesheet is served (static/)
SEARCH = {"reports": "reports_fts", "report_list": "reports_fts", "report_search": "reports_fts",
          "section_texts": "sections_fts"}
# by agency, and within an agency by year: the (agency, year) index gives that order
SORT = {"report_list": "agency"}
LABELS = {"reports": "title", "agencies": "name", "documents": "url", "metrics": "name_zh"}

QUERIES = {
    "metric_by_agency_year": {
        "title": "一个指标：机构 × 年度 / one metric by agency and year",
        "description": "e.g. metric = requests.received, or a category of a breakdown: requests.by_channel:网上; "
                       "see the metrics table for keys",
        "sql": "select agency, agency_key, region_code, level, year, value, qualifier, unit, report_id, url\n"
               f"from comparison where metric = {METRIC_KEY_SQL}\n"
               f"  and category is {CATEGORY_SQL}\n"
               "order by region_code, agency_key, year",
    },
    "failed_checks": {
        "title": "勾稽关系不符的机构 / agencies whose reports fail a check",
        "sql": "select a.name as agency, r.agency_key, r.year, c.name as check_name, c.parts, c.total,\n"
               "       c.difference, c.note, r.id as report_id, r.url\n"
               "from checks c join reports r on r.id = c.report_id left join agencies a on a.key = r.agency_key\n"
               "where c.status = 'fail' order by agency, r.year",
    },
    "request_outcome_shares": {
        "title": "依申请公开办理结果占比 / request outcomes as shares of requests handled",
        "description": "handled = 办理总计 where stated, otherwise the sum of the outcomes stated",
        "sql": """with v as (
  select agency_key, agency, year, report_id, url,
         max(case when metric = 'requests.handled_total' then value end) as handled_total,
         max(case when metric = 'requests.granted' then value end) as granted,
         max(case when metric = 'requests.partially_granted' then value end) as partially_granted,
         max(case when metric = 'requests.denied' then value end) as denied,
         max(case when metric = 'requests.unable' then value end) as unable,
         max(case when metric = 'requests.not_processed' then value end) as not_processed,
         max(case when metric = 'requests.other' then value end) as other
  from comparison where metric like 'requests.%' and category is null
  group by agency_key, year
), h as (
  select *, coalesce(handled_total, coalesce(granted, 0) + coalesce(partially_granted, 0) + coalesce(denied, 0)
         + coalesce(unable, 0) + coalesce(not_processed, 0) + coalesce(other, 0)) as handled from v
)
select agency, agency_key, year, handled,
       round(100.0 * granted / handled, 1) as granted_pct,
       round(100.0 * partially_granted / handled, 1) as partially_granted_pct,
       round(100.0 * denied / handled, 1) as denied_pct,
       round(100.0 * unable / handled, 1) as unable_pct,
       round(100.0 * not_processed / handled, 1) as not_processed_pct,
       round(100.0 * other / handled, 1) as other_pct, report_id, url
from h where handled > 0 order by agency_key, year""",
    },
    "missing_metric": {
        "title": "缺少某指标的报告 / reports missing an expected metric",
        "description": "current reports that state no figure for :metric (or, for requests.by_channel:网上, "
                       "none for that category)",
        "sql": "select a.name as agency, r.agency_key, r.year, r.era, r.id as report_id, r.url\n"
               "from reports r left join agencies a on a.key = r.agency_key\n"
               "where r.is_current = 1 and not exists\n"
               f"  (select 1 from figures f where f.report_id = r.id and f.metric = {METRIC_KEY_SQL}\n"
               f"   and ({CATEGORY_SQL} is null or f.category = {CATEGORY_SQL}))\n"
               "order by r.year, agency",
    },
    "table_era_without_tables": {
        "title": "未读出标准表格的2019年后报告 / table-era reports whose standard tables were not read",
        "description": "2019+ reports in which 表二, 表三 or 表四 was not found in the text or could not be read: "
                       "their cells are gaps, not zeros; the warnings say why",
        "sql": "select a.name as agency, r.agency_key, r.year, r.era, r.missing_tables, r.warnings,\n"
               "       r.id as report_id, r.url\n"
               "from reports r left join agencies a on a.key = r.agency_key\n"
               "where r.era != 'free_text' and r.missing_tables is not null order by r.year, agency",
    },
    "unplaced_reports": {
        "title": "缺少机构或地区的报告 / reports with no agency or no region",
        "description": "current reports whose agency or region was not found in their text: they fall out of "
                       "comparisons by region; the warnings say why (a national body has no region by right)",
        "sql": "select r.agency, r.region_code, r.year, r.title, r.warnings, r.id as report_id, r.url\n"
               "from reports r where r.is_current = 1 and (r.agency is null or r.region_code is null)\n"
               "order by r.agency is not null, r.year",
    },
    "scanned_reports": {
        "title": "扫描件（光学识别）报告 / scanned reports read by OCR",
        "description": "every report read by OCR: the engine, the pages it read, their mean word confidence "
                       f"(0–100) and how many of its figures were read below {LOW_CONFIDENCE}",
        "sql": "select coalesce(a.name, r.agency) as agency, r.agency_key, r.year, r.era, r.title,\n"
               "       json_extract(r.ocr, '$.engine') as engine, json_extract(r.ocr, '$.pages') as pages,\n"
               "       (select round(avg(value), 1) from json_each(r.ocr, '$.mean_confidence')) as mean_confidence,\n"
               "       (select count(*) from figures f where f.report_id = r.id\n"
               f"        and f.confidence < {LOW_CONFIDENCE}) as low_confidence_figures,\n"
               "       r.id as report_id, r.url\n"
               "from reports r left join agencies a on a.key = r.agency_key\n"
               "where r.ocr is not null order by r.year, agency",
    },
    "low_confidence": {
        "title": "识别置信度低的数字和单元格 / figures and table cells read by OCR with low confidence",
        "description": f"figures and 表三/表四 cells of scanned reports read below confidence {LOW_CONFIDENCE}: "
                       "check them against the scan",
        "sql": f"""select coalesce(a.name, r.agency) as agency, r.year, 'figure' as kind,
       f.metric || coalesce(':' || f.category, '') as item, f.value as read, f.confidence, f.evidence as "where",
       r.id as report_id, r.url
from figures f join reports r on r.id = f.report_id left join agencies a on a.key = r.agency_key
where f.confidence < {LOW_CONFIDENCE}
union all
select coalesce(a.name, r.agency), r.year, '表三', c."row" || ' / ' || c.applicant, c.raw, c.confidence, null, r.id, r.url
from request_cells c join reports r on r.id = c.report_id left join agencies a on a.key = r.agency_key
where c.confidence < {LOW_CONFIDENCE}
union all
select coalesce(a.name, r.agency), r.year, '表四', c.kind || ' / ' || c.outcome, c.raw, c.confidence, null, r.id, r.url
from appeal_cells c join reports r on r.id = c.report_id left join agencies a on a.key = r.agency_key
where c.confidence < {LOW_CONFIDENCE}
order by confidence, agency, year""",
    },
    "coverage_by_year": {
        "title": "各年度报告覆盖 / reports found, late and missing by year",
        "sql": "select year, sum(status = 'found') as found, sum(status = 'late') as late,\n"
               "       sum(status = 'missing') as missing from coverage group by year order by year",
    },
}


def metadata() -> dict:
    """Datasette metadata for an archive."""
    tables = {}
    for name, (zh, en, facets, columns) in TABLES.items():
        table = {"title": f"{zh} / {name}", "description": en, "columns": columns}
        if facets:
            table["facets"] = facets
        if name in SEARCH:
            table.update(fts_table=SEARCH[name], fts_pk="id", searchmode="escaped")
        if name in LABELS:
            table["label_column"] = LABELS[name]
        if name in SORT:
            table["sort"] = SORT[name]
        tables[name] = table
    queries = "".join(f'<li><a href="/{DATABASE}/{name}">{html.escape(q["title"])}</a></li>'
                      for name, q in QUERIES.items())
    return {
        "title": "xxgk 政府信息公开工作年度报告档案",
        "description_html": (
            "<p>China's government information-disclosure annual reports, as records: agencies, years, "
            f"{len(METRICS)} metrics with their evidence, the 2019+ standard tables and their checks. "
            "Reports and sections are searchable in Chinese (两个字以上即可); the dashboard draws a metric over "
            "the years, request outcomes and coverage. Questions asked often:</p>"
            f"<ul>{queries}</ul>"),
        "extra_css_urls": [f"/{STATIC}/xxgk.css"],
        "databases": {DATABASE: {"tables": tables, "queries": QUERIES}},
        "plugins": {"datasette-dashboards": dashboards(DATABASE)},
    }


def serve_arguments(data_dir: str | Path, *, host: str, port: int, metadata_file: Path) -> list[str]:
    """The `datasette serve` arguments for an archive (immutable: opened read-only, no locks)."""
    return [
        "serve", "-i", str(Path(data_dir) / DB_NAME), "--host", host, "--port", str(port),
        "--metadata", str(metadata_file), "--template-dir", str(HERE / "templates"),
        "--static", f"{STATIC}:{HERE / 'static'}",
        "--setting", "default_page_size", "100", "--setting", "sql_time_limit_ms", str(SQL_TIME_LIMIT_MS),
        "--setting", "facet_time_limit_ms", "500",
        # facet suggestions ran some 30 queries for every page of a table (2.9 of a search's 3.3 s
        # at 100,000 reports); the facets researchers use are configured (TABLES)
        "--setting", "suggest_facets", "off",
    ]


def free_port(host: str) -> int:
    """A port nothing listens on now, for `--port 0`."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class PortInUse(RuntimeError):
    """The port asked for is taken: say so before anything is announced."""


def check_port(host: str, port: int) -> None:
    """Raise PortInUse when something already listens on `host`:`port`."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # as the server itself binds
        try:
            sock.bind((host, port))
        except OSError as err:
            raise PortInUse(f"port {port} on {host} is in use ({err.strerror}): serve on another with --port N, "
                            "or --port 0 for a free one") from None


def serve(data_dir: str | Path, *, host: str = "127.0.0.1", port: int = 8001, announce=print) -> None:
    """Run datasette on the archive until interrupted, refusing writers meanwhile (ArchiveBusy if
    one is writing now); `announce` is told the archive's address first. Datasette opens the file
    immutable and runs only SELECT statements."""
    from datasette.cli import cli

    if port:
        check_port(host, port)
    port = port or free_port(host)
    address = f"http://{host}:{port}/"
    with serving(data_dir, address), tempfile.TemporaryDirectory() as folder:
        open_database(Path(data_dir) / DB_NAME).close()     # folds a write-ahead log left by a killed writer in
        announce(f"the archive: {address}   dashboard: http://{host}:{port}/-/dashboards/{SLUG}   (Ctrl-C stops)")
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata(), ensure_ascii=False), encoding="utf-8")
        cli.main(serve_arguments(data_dir, host=host, port=port, metadata_file=metadata_file),
                 prog_name="xxgk serve", standalone_mode=False)
