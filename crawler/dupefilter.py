"""Duplicate requests, filtered by the archive's frontier rather than a set in memory: a crawl
of a million pages keeps its memory, and what a run has scheduled survives a kill."""

from __future__ import annotations

from scrapy.dupefilters import BaseDupeFilter

from crawler.spiders.reports import frontier_entry


class FrontierDupeFilter(BaseDupeFilter):
    """A request is new if this run has not scheduled it yet (the frontier records that it has)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.others: set[str] = set()        # redirections, and requests not from the reports spider

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def request_seen(self, request) -> bool:
        spider = self.crawler.spider
        redirected = "redirect_urls" in request.meta     # carries the frontier entry of the first URL
        if redirected and request.url in request.meta["redirect_urls"] and "fp" in request.meta:
            self._record_loop(spider, request)
            return True
        if redirected or "fp" not in request.meta or getattr(spider, "archive", None) is None:
            seen = request.url in self.others
            self.others.add(request.url)
            return seen
        return not spider.archive.schedule(spider.run_id, frontier_entry(request.meta))

    @staticmethod
    def _record_loop(spider, request) -> None:
        """A redirect back to a URL of its own chain: recorded as the first URL's failure."""
        meta = request.meta
        chain = " → ".join([*meta["redirect_urls"], request.url])
        if getattr(spider, "archive", None) is not None:
            spider.archive.record_failure(fp=meta["fp"], url=meta["url"], stage="fetch", classification="redirect_loop",
                                          reason=f"redirect loop: {chain}", run_id=spider.run_id, site=meta["site"],
                                          kind=meta["kind"], report_url=meta.get("report_url"))
            spider.crawler.stats.inc_value("xxgk/failures")
