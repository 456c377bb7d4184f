"""The `reports` spider: from each site's start URLs to its annual reports and their attachments.

    scrapy crawl reports -a sites=SITES.toml [-a data=DIR] [-a years=2013-2024]
                         [-a resume=1] [-a retry_failed=1] [-a wayback=1]

It follows a site's own structure: column and listing pages (paged the way the site's CMS
pages them, see crawler/dialects/), links whose text names one year's report, and each
report page's attachments. Everything fetched is archived by the pipeline; every failure is
recorded with its reason."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import parse_qsl, urlencode

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError, DownloadFailedError,
    DownloadTimeoutError, IgnoreRequest, ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from archive.store import Archive, fingerprint
from crawler import links, wayback
from crawler.dialects import DIALECTS, Fetch
from crawler.items import Capture, FetchFailed, OffSite, Skipped
from crawler.registry import Site, load_sites
from crawler.robots import RobotsUnavailable
from extract.years import parse_years

_DIALECTS = {d.name: d for d in DIALECTS}
_PAGE_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml")


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, sites: str, data: str = "xxgk-data", years: str | None = None, resume: str = "",
                 retry_failed: str = "", wayback: str = "", **kwargs):
        super().__init__(**kwargs)
        self.sites_file = sites
        self.sites: list[Site] = load_sites(sites)
        self.by_name = {s.name: s for s in self.sites}
        self.years = frozenset(parse_years(years)) if years else None
        self.resume, self.retry_failed = _flag(resume), _flag(retry_failed)
        self.wayback_sites = _wayback_sites(wayback, self.sites)
        self.data = data
        self.allowed_domains = sorted({d for s in self.sites for d in s.allowed_domains})
        self.requested: dict[str, int] = {}       # requests made per site (max_pages)
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.wayback: wayback.Wayback | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        worker = crawler.settings.get("XXGK_WORKER")     # a worker of a shared crawl names its WARC files
        prefix = f"xxgk-{re.sub(r'[^A-Za-z0-9._-]', '_', worker)}-{os.getpid()}" if worker else None
        spider.archive = Archive(spider.data, warc_prefix=prefix)      # a worker's name is not a path
        options = {"years": kwargs.get("years"), "wayback": sorted(spider.wayback_sites),
                   "retry_failed": spider.retry_failed}
        run = spider.archive.interrupted_run() if spider.resume else None
        spider.run_id = run or spider.archive.start_run(str(spider.sites_file), options)
        if spider.wayback_sites:
            spider.wayback = wayback.Wayback(crawler.settings)
            spider.allowed_domains += spider.wayback.hosts
        return spider

    # --- where a crawl starts -----------------------------------------------------------------
    async def start(self):
        if self.retry_failed:
            for request in self._retries():
                yield request
        if self.resume:     # what the run had found but not fetched (the rest it will not ask again)
            for entry in self.archive.frontier(self.run_id, ("pending",)):
                request = self._rebuild(entry, again=True)
                if request:
                    yield request
        if self.settings.get("REDIS_URL"):      # a worker of a shared crawl: `xxgk seed` started it
            return
        for request in self.site_requests():
            yield request

    def _retries(self) -> list[scrapy.Request]:
        """The recorded failures asking again can mend, as requests; the permanent ones are left
        alone and counted by kind in the stats (xxgk/retry/permanent) for the summary."""
        retry_codes = {int(code) for code in self.settings.getlist("RETRY_HTTP_CODES")}
        permanent: dict[str, int] = {}
        requests = []
        for row in self.archive.unresolved_failures("fetch"):
            if not can_succeed(row, retry_codes):
                kind = f"HTTP {row['http_status']}" if row["classification"] == "http_error" else row["classification"]
                permanent[kind] = permanent.get(kind, 0) + 1
                continue
            entry = self.archive.frontier_entry(row["fingerprint"])
            request = self._rebuild(entry, again=True) if entry else None
            if request:
                requests.append(request)
        self.crawler.stats.set_value("xxgk/retry/asked", len(requests))
        self.crawler.stats.set_value("xxgk/retry/permanent", permanent)
        return requests

    def site_requests(self) -> list[scrapy.Request]:
        """The requests a crawl of the sites starts from (their start URLs; the web archive's
        index of them where asked)."""
        requests = []
        for site in self.sites:
            if site.name in self.wayback_sites:
                requests += [self._cdx_request(url, site, target_kind="listing", prefix=True) for url in site.start_urls]
            requests += [self._request(url, site=site, kind="start", hops=0) for url in site.start_urls]
        return [request for request in requests if request]

    # --- callbacks ------------------------------------------------------------------------------
    def parse_page(self, response: Response):
        """A start, column or listing page: its reports, its further pages, columns to open."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        outputs: list = []
        if _is_page(response):
            page = links.Page.parse(response.url, response.body)
            found = list(page.links())
            for dialect in DIALECTS:
                if dialect.recognises(page):
                    found += dialect.items(page)
                    for fetch in dialect.pages(page):
                        outputs.append(self._fetch(fetch, site, meta, page.url))
            outputs += [self._follow(link, site, meta, page.url) for link in found]
            return self._settle(response, outputs, page)
        return self._settle(response, outputs)

    def parse_api(self, response: Response):
        """An answer from a CMS list API (Hanweb's dataproxy, gkmlpt's JSON)."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        dialect = _DIALECTS[meta["api"]]
        found, more = dialect.parse_api(response.url, response.body, meta.get("form") or {})
        outputs = [self._fetch(fetch, site, meta, response.url) for fetch in more]
        outputs += [self._follow(link, site, meta, response.url) for link in found]
        return self._settle(response, outputs)

    def parse_report(self, response: Response):
        """A report: archive it, fetch its attachments, the pictures of its pages in its body
        (page scans, read by OCR as the report's pages) and reports it links."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        outputs: list = []
        if _is_page(response):
            page = links.Page.parse(response.url, response.body)
            report_url = meta.get("report_url") or response.url
            pictures = page.page_pictures()      # a body of page scans: they are the report
            found = page.links()
            attachments = [(link, "attachment") for link in found
                           if links.is_attachment(link.url, link.text) and link.url not in pictures]
            attachments += [(links.Link(url, links.file_name(url)), "attachment") for url in page.embedded()
                            if links.is_attachment(url)]
            attachments += [(links.Link(url, links.file_name(url)), "page_scan") for url in pictures]
            for link, kind in attachments:
                if site.in_scope(link.url):
                    outputs.append(self._request(link.url, site=site, kind=kind, hops=meta["hops"],
                                                 parent=response.url, report_url=report_url, text=link.text))
                else:
                    outputs.append(OffSite(link.url, response.url, site.name, link.text, kind))
            outputs += [self._follow(link, site, meta, response.url) for link in found
                        if links.is_report_title(link.text, site.report_words)
                        and not links.is_attachment(link.url, link.text)]
            return self._settle(response, outputs, page)
        return self._settle(response, outputs)

    def parse_attachment(self, response: Response):
        return self._settle(response, [])

    def parse_cdx(self, response: Response):
        """A web archive's captures under a report column: fetch the listings' newest captures."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        outputs = [self._snapshot_request(snap, site, "listing", meta.get("link_text", ""))
                   for snap in wayback.listing_snapshots(wayback.snapshots(response.body), meta["original_url"])]
        return self._settle(response, outputs)

    def parse_cdx_item(self, response: Response):
        """The captures of one report URL: fetch the newest, or record that there is none."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        snap = wayback.newest(wayback.snapshots(response.body))
        outputs = [self._snapshot_request(snap, site, meta["target_kind"], meta["link_text"])] if snap else [
            FetchFailed(meta, meta["original_url"], "not_archived", "no capture in the web archive")]
        return self._settle(response, outputs)

    def parse_archived(self, response: Response):
        """A capture from a web archive: a listing's report links are looked up in turn."""
        site, meta = self.by_name[response.meta["site"]], response.meta
        outputs: list = []
        if _is_page(response) and meta["kind"] == "listing":
            page = links.Page.parse(meta["original_url"], response.body)
            outputs = [self._cdx_request(link.url, site, target_kind="report", text=link.text, prefix=False)
                       for link in page.links()
                       if site.in_scope(link.url) and links.is_report_title(link.text, site.report_words)]
            return self._settle(response, outputs, page)
        return self._settle(response, outputs)

    def _cdx_request(self, url: str, site: Site, *, target_kind: str, text: str = "", prefix: bool):
        """Ask the web archive's index for the captures of `url` (and, with prefix, below it)."""
        return self._request(self.wayback.cdx_url(url, prefix=prefix), site=site, kind="listing", hops=0,
                             text=text, api="cdx", extra={"original_url": url, "target_kind": target_kind,
                                                          "callback": "parse_cdx" if prefix else "parse_cdx_item"})

    def _snapshot_request(self, snap: wayback.Snapshot, site: Site, kind: str, text: str):
        return self._request(self.wayback.replay_url(snap), site=site, kind=kind, hops=1, text=text, api="replay",
                             extra={"original_url": snap.original, "capture_time": snap.capture_time,
                                    "source": "wayback", "callback": "parse_archived"})

    # --- errors ---------------------------------------------------------------------------------
    def on_error(self, failure):
        request = failure.request
        if request.meta.get("failure_recorded"):
            return []
        classification, reason, status = _classify(failure)
        return [FetchFailed(request.meta, request.url, classification, reason, status)]

    # --- building requests ----------------------------------------------------------------------
    def _settle(self, response: Response, outputs: list, page: links.Page | None = None) -> list:
        """Send on the requests and records a response led to, then archive the response (with
        the encoding its `page` was read in, if it was read: not decoded twice). The
        capture comes last: Scrapy schedules a callback's outputs in order, so its requests are in
        the queue before the capture is committed, and in a shared crawl the response's request is
        acknowledged only then (a worker killed in between would otherwise lose them). (Callbacks
        return lists, not generators: Scrapy re-reads a generator callback's source on every call.)"""
        outputs = [o for o in outputs if o is not None]
        children = [frontier_entry(o.meta) for o in outputs if isinstance(o, scrapy.Request)]
        return [*outputs, Capture(response, children, unchanged=bool(response.meta.get("unchanged")),
                                  read=page is not None, encoding=page.encoding if page else None)]

    def _follow(self, link: links.Link, site: Site, meta: dict, page_url: str) -> scrapy.Request | OffSite | None:
        """What a link on a listing page leads to: a report, a column to open, or nothing."""
        if links.is_report_title(link.text, site.report_words):
            if not site.in_scope(link.url):
                return OffSite(link.url, page_url, site.name, link.text, "report")
            return self._request(link.url, site=site, kind="report", hops=meta["hops"], parent=page_url,
                                 text=link.text, year=links.year_of(link.text))
        if not site.in_scope(link.url) or links.is_attachment(link.url, link.text):
            return None
        if meta["hops"] < site.max_hops and (links.is_column(link.text, link.url)
                                             or any(p.search(link.url) for p in site.follow)):
            return self._request(link.url, site=site, kind="listing", hops=meta["hops"] + 1, parent=page_url,
                                 text=link.text)
        return None

    def _fetch(self, fetch: Fetch, site: Site, meta: dict, page_url: str) -> scrapy.Request | None:
        """A dialect's further listing page or API call, at the same distance from the start."""
        return self._request(fetch.url, site=site, kind="listing", hops=meta["hops"], parent=page_url,
                             method=fetch.method, form=fetch.form, api=fetch.api)

    def _rebuild(self, entry: dict, again: bool = False) -> scrapy.Request | None:
        """A request again, from its frontier entry (to resume a run, or retry a failure)."""
        site = self.by_name.get(entry["site"])
        if site is None:
            return None
        extra = json.loads(entry["extra"] or "{}") | {"callback": entry["callback"]}
        return self._request(entry["url"], site=site, kind=entry["kind"], hops=entry["hops"] or 0,
                             parent=entry["parent_url"], report_url=entry["report_url"], text=entry["link_text"] or "",
                             year=entry["year"], method=entry["method"] or "GET",
                             form=dict(parse_qsl(entry["body"] or "")), api=entry["api"], again=again, extra=extra)

    def _request(self, url: str, *, site: Site, kind: str, hops: int, parent: str | None = None,
                 report_url: str | None = None, text: str = "", year: int | None = None, method: str = "GET",
                 form: dict | None = None, api: str | None = None, again: bool = False,
                 extra: dict | None = None) -> scrapy.Request | Skipped | None:
        """A request with everything the archive needs to know about it; a Skipped record when the
        crawl will not make it (a trap, a URL too long, the site's page budget spent); None when
        it was not asked for (not http(s), a denied URL, a year outside --years).
        `again`: a request the frontier already holds (resumed or retried)."""
        skipped = {"site": site.name, "kind": kind, "report_url": report_url, "parent_url": parent}
        if api is None:
            cleaned, why = links.clean_url(url)
            if cleaned is None:
                if why.startswith("not http"):
                    return None
                return Skipped(skipped, url, "url_too_long" if "too long" in why else "trap", why)
            url = cleaned
        if any(p.search(url) for p in site.deny):
            return None
        if kind == "report" and self.years and year is not None and year not in self.years:
            return None
        body = urlencode(form) if form else ""
        fp = fingerprint(url, method, body)
        if self.requested.get(site.name, 0) >= site.max_pages:
            if self.archive.is_scheduled(self.run_id, fp):
                return None             # a link to what the run has already asked for
            return Skipped(skipped, url, "page_budget",
                           f"the site's page budget (max_pages = {site.max_pages}) was spent before this {kind}")
        self.requested[site.name] = self.requested.get(site.name, 0) + 1
        extra = dict(extra or {})
        if "callback" in extra:
            callback = getattr(self, extra.pop("callback"))
        else:
            callback = {"report": self.parse_report, "attachment": self.parse_attachment,
                        "page_scan": self.parse_attachment}.get(
                kind, self.parse_api if api else self.parse_page)
        meta = {"site": site.name, "kind": kind, "hops": hops, "parent_url": parent, "report_url": report_url,
                "link_text": text, "year": year, "fp": fp, "url": url, "method": method, "body": body, "api": api,
                "form": form or {}, "callback": callback.__name__, "extra": extra, **extra}
        if method == "POST":
            return scrapy.FormRequest(url, formdata=form or {}, callback=callback, errback=self.on_error, meta=meta,
                                      dont_filter=again)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=again)


def frontier_entry(meta: dict) -> dict:
    """A request's row in the archive's frontier (what resuming or retrying it needs)."""
    return {"fingerprint": meta["fp"], "url": meta["url"], "method": meta["method"], "body": meta["body"],
            "site": meta["site"], "kind": meta["kind"], "parent_url": meta["parent_url"],
            "report_url": meta["report_url"], "link_text": (meta["link_text"] or "")[:500], "year": meta["year"],
            "hops": meta["hops"], "api": meta["api"], "callback": meta["callback"],
            "extra": json.dumps(meta["extra"], ensure_ascii=False)}


def _is_page(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if any(t in content_type for t in _PAGE_TYPES):
        return True
    head = response.body[:512].lstrip().lower()
    return not content_type and (head.startswith(b"<!doctype html") or head.startswith(b"<html"))


# What asking again would meet again: the site's own refusals and the crawl's bounds.
PERMANENT = {"robots_disallow", "blocked_challenge", "blocked_forbidden", "shell_page", "redirect_loop",
             "off_site_redirect", "forbidden_address", "too_large", "robots_too_large"}


def can_succeed(failure: dict, retry_codes: set[int]) -> bool:
    """Whether asking again can mend a recorded fetch failure: a timeout, a broken connection, a
    DNS failure, a 5xx answer or one Scrapy retries (408, 429), a host that asked to wait or was
    given up on, a robots.txt that could not be read; not a 404, a 410, a 403, a block page, a
    robots.txt disallow or one over 500 KiB (read again, it is as long), or a request outside the
    crawl's bounds (PERMANENT)."""
    if failure["classification"] == "http_error":
        status = failure["http_status"] or 0
        return status >= 500 or status in retry_codes
    return failure["classification"] not in PERMANENT


def _classify(failure) -> tuple[str, str, int | None]:
    error = failure.value
    if failure.check(HttpError):
        status = error.response.status
        return "http_error", f"HTTP {status}", status
    if failure.check(RobotsUnavailable):        # classified by what kept robots.txt from being read
        cause = "robots_unavailable" if error.cause is None else _classify(Failure(error.cause))[0]
        return cause, str(error), None
    if failure.check(IgnoreRequest):
        message = str(error)
        if "DOWNLOAD_MAXSIZE" in message or "download max size" in message:   # a decompression bomb
            return "too_large", message, None
        return ("robots_disallow" if "robots.txt" in message else "ignored"), message or "ignored", None
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "dns", str(error) or "cannot resolve the host", None
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout", str(error) or "timed out", None
    if failure.check(CancelledError, DownloadCancelledError):
        return "too_large", f"larger than DOWNLOAD_MAXSIZE, download cancelled: {error}", None
    if failure.check(ConnectionRefusedError, ResponseFailed, ResponseNeverReceived, DownloadConnectionRefusedError,
                     DownloadFailedError, ResponseDataLossError):
        return "connection", str(error) or failure.type.__name__, None
    return "error", f"{failure.type.__name__}: {error}", None


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def _wayback_sites(value, sites: list[Site]) -> set[str]:
    if not value or str(value).lower() in ("0", "false", "no", "off"):
        return set()
    if str(value).lower() in ("1", "true", "yes", "on", "all"):
        return {s.name for s in sites}
    return {name.strip() for name in str(value).split(",")}

