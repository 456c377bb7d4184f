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
        if redirected or "fp" not in request.meta or getattr(spider, "archive", None) is None:
            seen = request.url in self.others
            self.others.add(request.url)
            return seen
        return not spider.archive.schedule(spider.run_id, frontier_entry(request.meta))
