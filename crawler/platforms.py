"""The platforms agencies publish their reports on, told by their URLs, and the report column a
report URL belongs to where the platform's rule gives it. Rules as data: the first pattern that
matches a URL names its platform (../shared/research/report-columns.md says where each is seen)."""

from __future__ import annotations

import re

# platform: (what it is, the pattern of its report and column URLs)
PLATFORMS: dict[str, tuple[str, re.Pattern]] = {
    name: (about, re.compile(pattern)) for name, about, pattern in (
        ("hanweb_xxgk_module", "Hanweb 信息公开 module: one generated page per body (credit code) and year",
         r"/module/xxgk/xxgkAnnualReport\.jsp"),
        ("gkmlpt", "Guangdong 政府信息公开目录平台 (JSON API)", r"/gkmlpt/|/content/(?:\d+/\d+/)?post_\d+\.html$"),
        ("anhui_openness", "Anhui 政务公开 platform", r"/(?:openness/)?(?:Openness|Xxgk)AnnualReport/"),
        ("hanweb_jcms", "Hanweb (大汉) jcms: /art/ pages, /col/ columns",
         r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$|/col/col\d+/|/art/\d{4}/art_[0-9a-f]{16,}\.html$"),
        ("trs_tdate", "TRS WCM: /YYYYMM/tYYYYMMDD_N.html under the column", r"/\d{6}/t\d{8}_\d+\.s?html?$"),
        ("shaanxi", "Shaanxi 集约化 site groups: Content-N.html, 19-digit ids", r"/Content-\d+\.html$|/\d{19}\.html$"),
        ("c_col_shtml", "the /c<column>/YYYYMM/…shtml family (Heilongjiang, Sichuan …)",
         r"/c\d+/\d{6}/[^/]+\.shtml$"),
        ("hex_shtml", "the same CMS with named columns: /<site>/<column>/YYYYMM/<32-hex>.shtml",
         r"/\d{6}/[0-9a-f]{32}\.shtml$"),
        ("shanghai_portal", "Shanghai's portal and its sh.gov.cn site group: /nw<N>/YYYYMMDD/ columns",
         r"/nw\d+/\d{8}/0001-\d+_\d+\.html$|(?:shanghai|\.sh)\.gov\.cn/[\w-]+/\d{8}/[0-9a-f]{32}\.html$"),
        ("boda", "VSB/博达 site groups: /info/<column>/<id>.htm", r"/info/\d+/\d+\.htm$"),
        ("aspnet_params", "ASP.NET platforms addressed by body and year", r"\.aspx\?"),
    )
}
OTHER = "other"

# The column a report page lies in, where the platform's rule gives it: TRS keeps a report in a
# month folder under its column (…/zfxxgknb/202302/t20230218_1.html → …/zfxxgknb/). Other
# platforms' columns are not derived from a report's URL (a guessed URL is no entry).
_TRS_MONTH = re.compile(r"^(?P<column>.*/)\d{6}/t\d{8}_\d+\.s?html?$")


def platform_of(url: str) -> str:
    """The platform a report or column URL follows, or `other`."""
    return next((name for name, (_, pattern) in PLATFORMS.items() if pattern.search(url)), OTHER)


def column_of(url: str) -> str | None:
    """The report column `url` belongs to by its platform's rule, or None where no rule gives it."""
    return _TRS_MONTH.match(url)["column"] if platform_of(url) == "trs_tdate" else None
