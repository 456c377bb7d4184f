"""The archive's dashboard in the browser (the datasette-dashboards plugin, configured here): one
metric (or one category of a breakdown, `requests.by_channel:网上`) over the years for every
agency that states it, a year it does not state left as a gap in its line; request outcomes as
shares of the requests handled; and report coverage by year. Charts are Vega-Lite, drawn as SVG
by the plugin's own bundled scripts (nothing is fetched from the internet)."""

from __future__ import annotations

from .labels import METRICS

DEFAULT_METRIC = "requests.received"
# what a request can come to, in the order the standard tables list them
OUTCOMES = ("requests.granted", "requests.partially_granted", "requests.denied", "requests.unable",
            "requests.not_processed", "requests.other")
SLUG = "overview"
SVG = {"usermeta": {"embedOptions": {"renderer": "svg", "actions": False}}}
# a :metric parameter, `requests.received` or `requests.by_channel:网上`, as its key and category (or null)
METRIC_KEY_SQL = "substr(:metric, 1, instr(:metric || ':', ':') - 1)"
CATEGORY_SQL = "nullif(substr(:metric, instr(:metric || ':', ':') + 1), '')"
# the metric's value for every year from an agency's first to its last, null where the agency
# states none: Vega-Lite breaks a line at a null, so a missing year is a gap, never a slope
METRIC_BY_YEAR = f"""with stated as (
  select agency_key, agency, year, value from comparison
  where metric = {METRIC_KEY_SQL} and category is {CATEGORY_SQL}
), years(agency_key, agency, year, last) as (
  select agency_key, agency, min(year), max(year) from stated group by agency_key
  union all select agency_key, agency, year + 1, last from years where year < last
)
select y.agency, y.year, s.value from years y
left join stated s on s.agency_key = y.agency_key and s.year = y.year order by y.agency, y.year"""


def dashboards(database: str) -> dict:
    """The datasette-dashboards configuration for an archive served as `database`."""
    outcomes = ", ".join(f"'{m}'" for m in OUTCOMES)
    return {SLUG: {
        "title": "xxgk 概览 / overview",
        "description": "一个指标的历年数字、依申请公开办理结果占比、各年度报告覆盖情况 / one metric over the years, "
                       "request outcomes as shares, coverage by year",
        "layout": [["metric-by-year", "metric-by-year"], ["request-outcomes", "coverage"]],
        "filters": {"metric": {
            "name": "指标 / metric", "type": "select", "default": DEFAULT_METRIC, "db": database,
            # the metrics the archive states, and the one asked for (a category, or a misspelt key
            # the page then names the nearest known of)
            "query": "select key from metrics m where exists (select 1 from figures f where f.metric = m.key) "
                     "[[ union select :metric ]] order by 1",
        }},
        "charts": {
            "metric-by-year": {
                "title": "指标：各机构历年 / the metric by agency and year", "db": database, "library": "vega-lite",
                "query": METRIC_BY_YEAR,
                "display": {
                    "mark": {"type": "line", "point": True, "tooltip": True},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal", "title": "年度 / year"},
                        "y": {"field": "value", "type": "quantitative", "title": "数值 / value"},
                        "color": {"field": "agency", "type": "nominal", "title": "机构 / agency",
                                  "legend": {"symbolLimit": 0}},          # every agency named, never "…N entries"
                    }, **SVG},
            },
            "request-outcomes": {
                "title": "依申请公开办理结果占比 / request outcomes as shares", "db": database,
                "library": "vega-lite",
                "query": "select c.year, m.name_zh as outcome, sum(c.value) as requests, "
                         f"instr('{' '.join(OUTCOMES)}', c.metric) as position from comparison c "
                         f"join metrics m on m.key = c.metric where c.metric in ({outcomes}) "
                         "and c.category is null group by c.year, c.metric order by c.year, position",
                "display": {
                    "mark": {"type": "bar", "tooltip": True},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal", "title": "年度 / year"},
                        "y": {"field": "requests", "type": "quantitative", "aggregate": "sum",
                              "stack": "normalize", "axis": {"format": "%"}, "title": "占比 / share"},
                        "color": {"field": "outcome", "type": "nominal", "title": "办理结果 / outcome",
                                  "scale": {"domain": [METRICS[m][0] for m in OUTCOMES]}},
                        "order": {"field": "position", "type": "quantitative"},
                    }, **SVG},
            },
            "coverage": {
                "title": "各年度报告覆盖 / coverage by year", "db": database, "library": "vega-lite",
                "query": "select year, status, count(*) as agencies from coverage group by year, status "
                         "order by year, status",
                "display": {
                    "mark": {"type": "bar", "tooltip": True},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal", "title": "年度 / year"},
                        "y": {"field": "agencies", "type": "quantitative", "title": "机构数 / agencies"},
                        "color": {"field": "status", "type": "nominal", "title": "状态 / status",
                                  "scale": {"domain": ["found", "late", "missing"],
                                            "range": ["#54a24b", "#f58518", "#e45756"]}},
                    }, **SVG},
            },
        },
    }}
