"""Downloader middlewares: how xxgk fetches as a guest.

- `BlockDetector` recognises anti-bot answers (a 412 JavaScript cookie challenge, a 418/403
  "访问被拦截" page, a tiny page that is only a script or a meta refresh), records them, slows
  down for that host and, after repeated blocks, stops asking it. It never tries to pass them.
- `ConditionalRequests` asks for a page already archived with If-None-Match/If-Modified-Since
  and, on 304, hands the spider the archived copy, so a second crawl fetches only what changed.
- `BackoffRetry` retries timeouts and 5xx answers after a growing pause, and honours a 429's
  Retry-After.
"""

from __future__ import annotations

import asyncio
import re
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

    def process_request(self, request):
        host = _host(request)
        if self.blocks.get(host, 0) >= self.give_up_after:
            self._record(request, "blocked_host", f"{host} blocked this crawler {self.blocks[host]} times; "
                                                  "not asking it again in this run", None)
            raise IgnoreRequest(f"host {host} is blocking the crawler")
        return None

    def process_response(self, request, response):
        kind = classify_block(response)
        if kind is None:
            return response
        host = _host(request)
        self.blocks[host] = self.blocks.get(host, 0) + 1
        self._record(request, kind, f"{kind.replace('_', ' ')} (HTTP {response.status})", response.status)
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay * 2, self.backoff_delay)
            if self.blocks[host] >= self.give_up_after:
                self._drop_queued(slot, host)
        raise IgnoreRequest(f"{kind} at {request.url}")

    def _drop_queued(self, slot, host: str) -> None:
        """Requests to the host already waiting in its download slot are not sent either."""
        while slot.queue:
            queued, deferred = slot.queue.popleft()
            self._record(queued, "blocked_host", f"{host} blocked this crawler; not asking it again in this run",
                         None)
            deferred.errback(IgnoreRequest(f"host {host} is blocking the crawler"))

    def _record(self, request, classification: str, reason: str, status: int | None) -> None:
        request.meta["failure_recorded"] = True
        spider = self.crawler.spider
        save_failure(spider.archive, spider.run_id, FetchFailed(request.meta, request.url, classification,
                                                                reason, status))


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
    """Scrapy's retries, after a pause that doubles each time (and a 429's Retry-After)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("XXGK_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("XXGK_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request, response):
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
        if response is not None and response.status == 429:
            after = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
            if after.isdigit():
                return min(float(after), self.cap)
        return min(self.base * 2 ** request.meta.get("retry_times", 0), self.cap)
