"""A progress line while a crawl runs: pages fetched, reports, attachments, failures, rate."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task


class Progress:
    """Prints the crawl's counts to stderr every `XXGK_PROGRESS_INTERVAL` seconds."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.tty = sys.stderr.isatty()

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler, crawler.settings.getfloat("XXGK_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval if self.tty else max(self.interval, 10.0), now=False)

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.show()
        if self.tty:
            sys.stderr.write("\n")

    def line(self) -> str:
        stats = self.crawler.stats
        get = lambda key: stats.get_value(key, 0)  # noqa: E731
        pages = get("xxgk/new") + get("xxgk/revisit") + get("xxgk/unchanged")
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (f"{pages} pages fetched ({get('xxgk/unchanged')} unchanged) · {get('xxgk/kind/report')} reports · "
                f"{get('xxgk/kind/attachment') + get('xxgk/kind/page_scan')} attachments · {get('xxgk/failures')} failures · "
                f"{pages / elapsed:.1f} pages/s")

    def show(self) -> None:
        sys.stderr.write(("\r\x1b[K" if self.tty else "") + self.line() + ("" if self.tty else "\n"))
        sys.stderr.flush()
