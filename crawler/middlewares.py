"""Downloader middlewares: how xxgk fetches as a guest.

- `BlockDetector` recognises anti-bot answers (a 412 JavaScript cookie challenge, a 418/403
  "访问被拦截" page, a tiny page that is only a script or a meta refresh), records them, slows
  down for that host and, after repeated blocks, stops asking it. It never tries to pass them.
- `ConditionalRequests` asks for a page already archived with If-None-Match/If-Modified-Since
  and, on 304, hands the spider the archived copy, so a second crawl fetches only what changed.
- `BackoffRetry` retries timeouts and 5xx answers after a growing pause, and honours a 429's
  (or 503's) Retry-After; a host that asks for longer than XXGK_RETRY_BACKOFF_MAX is left alone
  for the rest of the run, its requests recorded for `--retry-failed`.
- `LeftAlone` keeps the hosts given up on (blocking, or asking to wait too long) from being
  asked again in this run, recording each request it holds back with the reason.
"""

from __future__ import annotations

import asyncio
import re
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from archive.warcs import Location, read_record
from crawler.items import FetchFailed
from crawler.pipelines import save_failure

_CHALLENGE = re.compile(rb"document\.cookie|__jsl|_0x|challenge|jsl_clearance", re.I)
_BLOCK_WORDS = re.compile("访问被拦截|拦截|禁止访问|访问受限|非法访问|安全防护".encode("utf-8")
                          + rb"|WAF|blocked|access denied", re.I)
_TAGS = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)
_REFRESH = re.compile(rb"http-equiv\s*=\s*[\"']?refresh", re.I)


def _host(request) -> str:
    return (urlsplit(request.url).hostname or "").lower()


def _record(crawler, request, classification: str, reason: str, status: int | None) -> None:
    """Record why a request ends here (and that it was recorded, for the spider's errback)."""
    request.meta["failure_recorded"] = True
    spider = crawler.spider
    save_failure(spider.archive, spider.run_id, FetchFailed(request.meta, request.url, classification, reason, status))


class LeftAlone:
    """The hosts this run asks nothing more: each request to one, queued or still to come, is
    recorded with the classification and reason it was left alone for, and not sent."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.hosts: dict[str, tuple[str, str]] = {}      # host: (classification, reason)
        crawler.left_alone = self

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def leave(self, request, classification: str, reason: str) -> None:
        """Ask the host of `request` nothing more in this run; its requests waiting in its
        download slot are recorded and dropped now."""
        host = _host(request)
        self.hosts[host] = (classification, reason)
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        while slot is not None and slot.queue:
            queued, deferred = slot.queue.popleft()
            _record(self.crawler, queued, classification, reason, None)
            deferred.errback(IgnoreRequest(f"host {host} left alone: {reason}"))

    def process_request(self, request):
        host = _host(request)
        if host in self.hosts:
            classification, reason = self.hosts[host]
            _record(self.crawler, request, classification, reason, None)
            raise IgnoreRequest(f"host {host} left alone: {reason}")
        return None


class BlockDetector:
    """Recognise blocks, record them, back off the host, never defeat them."""

    def __init__(self, crawler, give_up_after: int, backoff_delay: float):
        self.crawler = crawler
        self.give_up_after = give_up_after
        self.backoff_delay = backoff_delay
        self.blocks: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("XXGK_BLOCKS_BEFORE_GIVING_UP", 3),
                   crawler.settings.getfloat("XXGK_BLOCK_BACKOFF_DELAY", 30.0))

    def process_response(self, request, response):
        kind = classify_block(response)
        if kind is None:
            return response
        host = _host(request)
        self.blocks[host] = self.blocks.get(host, 0) + 1
        _record(self.crawler, request, kind, f"{kind.replace('_', ' ')} (HTTP {response.status})", response.status)
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay * 2, self.backoff_delay)
        if self.blocks[host] >= self.give_up_after:
            self.crawler.left_alone.leave(request, "blocked_host", f"{host} blocked this crawler "
                                                                   f"{self.blocks[host]} times; not asking it again in this run")
        raise IgnoreRequest(f"{kind} at {request.url}")


def classify_block(response: Response) -> str | None:
    """blocked_challenge, blocked_forbidden, shell_page, or None for an ordinary answer."""
    body = response.body[:20000]
    if response.status == 412 and b"<script" in body.lower() and _CHALLENGE.search(body):
        return "blocked_challenge"
    if response.status == 418 or response.status == 403 and _BLOCK_WORDS.search(body):
        return "blocked_forbidden"
    if response.status == 200 and len(body) < 2048 and (b"<script" in body.lower() or _REFRESH.search(body)):
        visible = _TAGS.sub(b"", body).strip()
        if len(visible) < 20 and b"<iframe" not in body.lower() and b"<embed" not in body.lower():
            return "shell_page"
    return None


class ConditionalRequests:
    """Ask only whether an archived page changed; on 304, give back the archived copy."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        spider = self.crawler.spider
        if request.method != "GET" or request.meta.get("source") == "wayback":
            return None
        previous = spider.archive.latest_document(request.url)
        if previous is None or previous["status"] != 200:
            return None
        request.meta["previous"] = previous
        if previous["etag"]:
            request.headers.setdefault(b"If-None-Match", previous["etag"].encode("latin-1"))
        if previous["last_modified"]:
            request.headers.setdefault(b"If-Modified-Since", previous["last_modified"].encode("latin-1"))
        return None

    def process_response(self, request, response):
        previous = request.meta.get("previous")
        if response.status != 304 or previous is None:
            return response
        headers, body, _ = read_record(self.crawler.spider.archive.warc_folder,
                                       Location(previous["warc_file"], previous["warc_offset"], 0))
        request.meta["unchanged"] = True
        content_type = {"Content-Type": previous["content_type"] or "application/octet-stream"}
        kind = responsetypes.from_args(headers=content_type, url=request.url, body=body)
        return kind(url=previous["final_url"] or request.url, status=200, body=body, request=request,
                    headers=content_type)


class BackoffRetry(RetryMiddleware):
    """Scrapy's retries, after a pause that doubles each time (and a 429's or 503's Retry-After).
    A host whose Retry-After is longer than the longest pause is left alone for this run, the
    request and every one after it to that host recorded with the wait it asked for."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("XXGK_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("XXGK_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request, response):
        wait = retry_after(response)
        if wait is not None and wait > self.cap:
            reason = (f"Retry-After {wait:.0f} s (HTTP {response.status}) from {_host(request)}, longer than this "
                      f"run waits ({self.cap:.0f} s): --retry-failed asks again")
            _record(self.crawler, request, "retry_after", reason, response.status)
            self.crawler.left_alone.leave(request, "retry_after", reason)
            raise IgnoreRequest(reason)
        result = super().process_response(request, response)
        if result is not response:
            await asyncio.sleep(self._pause(request, response))
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        if result is not None:
            await asyncio.sleep(self._pause(request, None))
        return result

    def _pause(self, request, response) -> float:
        wait = retry_after(response) if response is not None else None
        if wait is not None:
            return min(wait, self.cap)
        return min(self.base * 2 ** request.meta.get("retry_times", 0), self.cap)


def retry_after(response) -> float | None:
    """The seconds a 429 or 503 answer's Retry-After asks for (a number or an HTTP date), or None."""
    if response.status not in (429, 503):
        return None
    value = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
