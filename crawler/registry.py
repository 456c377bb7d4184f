"""Sites to crawl, from a TOML file: one `[[site]]` table per agency site.

    [[site]]
    name = "yueyang-kjj"                      # a short key; defaults to the first host
    start_urls = ["http://www.yyst.gov.cn/"]  # the report column, or the site's home page
    agency = "岳阳市科技局"                     # optional
    region = "430600"                         # optional, 6-digit GB/T 2260 code
    allowed_domains = ["www.yyst.gov.cn"]     # optional; default: the start URLs' hosts
    follow = ["/xxgk/"]                       # optional: URL patterns of pages to look through
    deny = ["/english/"]                      # optional: URL patterns never to fetch
    report_words = "年度报告|公开年报"           # optional: more words naming a report in a link
    delay = 2.0                               # optional: seconds between requests to this site
    max_hops = 4                              # optional: links followed away from a start URL
    max_pages = 2000                          # optional: requests for this site at most
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

KEYS = {"name", "start_urls", "agency", "region", "allowed_domains", "follow", "deny", "report_words",
        "delay", "max_hops", "max_pages"}
REGISTRY = Path(__file__).parent / "sites"


class SitesError(ValueError):
    """A sites file that cannot be used, with the reason."""


@dataclass
class Site:
    name: str
    start_urls: list[str]
    agency: str | None = None
    region: str | None = None
    allowed_domains: list[str] = field(default_factory=list)
    follow: list[re.Pattern] = field(default_factory=list)
    deny: list[re.Pattern] = field(default_factory=list)
    report_words: re.Pattern | None = None
    delay: float | None = None
    max_hops: int = 4
    max_pages: int = 2000

    def in_scope(self, url: str) -> bool:
        """Whether `url` is on one of the site's own hosts (or a subdomain of one)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def load_sites(path: str | Path) -> list[Site]:
    """Read and check a sites file; raise SitesError naming the problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SitesError(f"{path}: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise SitesError(f"{path}: not valid TOML: {err}") from None
    tables = data.get("site")
    if not isinstance(tables, list) or not tables:
        raise SitesError(f"{path}: no [[site]] tables")
    sites = [_site(t, f"{path}: site {i + 1}") for i, t in enumerate(tables)]
    names = [s.name for s in sites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SitesError(f"{path}: site names used twice: {', '.join(duplicates)}")
    return sites


def _site(table: dict, where: str) -> Site:
    unknown = set(table) - KEYS
    if unknown:
        raise SitesError(f"{where}: unknown keys {', '.join(sorted(unknown))} (known: {', '.join(sorted(KEYS))})")
    urls = table.get("start_urls")
    if not urls or not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise SitesError(f"{where}: start_urls must be a non-empty list of URLs")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesError(f"{where}: not an http(s) URL: {url!r}")
    region = table.get("region")
    if region is not None and not re.fullmatch(r"\d{6}", str(region)):
        raise SitesError(f"{where}: region must be a 6-digit code, not {region!r}")
    hosts = [urlsplit(u).hostname.lower() for u in urls]
    try:
        return Site(
            name=table.get("name") or hosts[0], start_urls=urls, agency=table.get("agency"),
            region=str(region) if region else None,
            allowed_domains=[d.lower() for d in table.get("allowed_domains", [])] or sorted(set(hosts)),
            follow=[re.compile(p) for p in table.get("follow", [])],
            deny=[re.compile(p) for p in table.get("deny", [])],
            report_words=re.compile(table["report_words"]) if table.get("report_words") else None,
            delay=float(table["delay"]) if "delay" in table else None,
            max_hops=int(table.get("max_hops", 4)), max_pages=int(table.get("max_pages", 2000)),
        )
    except re.error as err:
        raise SitesError(f"{where}: bad pattern: {err}") from None
    except (TypeError, ValueError) as err:
        raise SitesError(f"{where}: {err}") from None
