"""robots.txt as RFC 9309 reads it: a robots.txt the server cannot give (a 5xx answer, or no
answer at all: a timeout, a refused or broken connection, a host DNS does not know; after the
retries every request gets) means "disallow everything" until it can be read, not "allow
everything" as Scrapy assumes. Each request it holds back is recorded in `fetch_failures`, as
`robots_unavailable` after a 5xx answer and as the network error itself (`timeout`, `connection`,
`dns`) otherwise, so `--retry-failed` asks again later; within the same run the host's robots.txt
is asked for again after `XXGK_ROBOTS_RETRY_AFTER` seconds.

It also gives every request that waits for a host's robots.txt the parser. Scrapy 2.19 awaits the
shared Deferred directly, and turning a Deferred into a Future consumes its result, so only the
first waiter got the parser and every other got None, which Scrapy reads as "allow everything": a
resumed crawl, starting from many requests to one host at once, fetched disallowed URLs.

A robots.txt is read up to 500 KiB, as sent and decompressed (`RobotsSize`), the limit RFC 9309
allows a crawler: what those 500 KiB say is obeyed, and the oversize is recorded in
`fetch_failures` as `robots_too_large`. Without it a gzip bomb was refused by Scrapy's
decompression limit, which its robots.txt middleware reads as "allow everything"."""

from __future__ import annotations

import time
import zlib

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from archive.store import fingerprint

UNAVAILABLE = "robots.txt unavailable"
MAX_SIZE = 500 * 1024           # RFC 9309 2.5: a crawler may ignore what follows the first 500 KiB


class RobotsUnavailable(IgnoreRequest):
    """A request held back because its host's robots.txt could not be read; `cause` is the
    network error that kept it from being fetched (None after a 5xx answer)."""

    def __init__(self, message: str, cause: Exception | None):
        super().__init__(message)
        self.cause = cause


class Unavailable:
    """The parser of a robots.txt that could not be read: nothing is allowed."""

    def __init__(self, why: str, until: float, cause: Exception | None = None):
        self.why, self.until, self.cause = why, until, cause

    def allowed(self, url, user_agent) -> bool:
        return False


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's answer to a server or network error."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.retry_after = crawler.settings.getfloat("XXGK_ROBOTS_RETRY_AFTER", 600.0)

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        parser = self._parsers.get(netloc)
        if isinstance(parser, Unavailable) and time.monotonic() >= parser.until:
            del self._parsers[netloc]           # ask for it again
        elif isinstance(parser, Deferred):      # being fetched for another request: wait for it
            return await maybe_deferred_to_future(_copy(parser))
        return await super().robot_parser(request)

    async def _parse_robots(self, response, netloc, request):
        if response.status < 500:
            self._record_size(response, request)
            return await super()._parse_robots(response, netloc, request)
        self._unavailable(netloc, f"HTTP {response.status}")

    def _record_size(self, response, request) -> None:
        """Record a robots.txt cut to MAX_SIZE; one read whole resolves an earlier record."""
        spider = self.crawler.spider
        fp = fingerprint(response.url)
        cut = response.meta.get("xxgk_robots_cut")
        if not cut:
            spider.archive.resolve_failures(fp)
            return
        spider.archive.record_failure(fp=fp, url=response.url, stage="fetch", classification="robots_too_large",
                                      reason=cut, run_id=spider.run_id, site=request.meta.get("site"), kind="robots",
                                      http_status=response.status)
        self._stats.inc_value("xxgk/failures")

    def _robots_error(self, exc, netloc):
        if isinstance(exc, IgnoreRequest):     # refused on this side (a block page): Scrapy's answer
            return super()._robots_error(exc, netloc)
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unavailable(netloc, f"{type(exc).__name__}: {exc}"[:300], exc)

    def _unavailable(self, netloc: str, why: str, cause: Exception | None = None) -> None:
        self._stats.inc_value("robotstxt/unavailable")
        waiting = self._parsers[netloc]
        self._parsers[netloc] = Unavailable(why, time.monotonic() + self.retry_after, cause)
        waiting.callback(self._parsers[netloc])

    def process_request_2(self, rp, request) -> None:
        if isinstance(rp, Unavailable):
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsUnavailable(f"{UNAVAILABLE} ({rp.why}): RFC 9309 disallows every URL of the host "
                                    f"until it can be read; --retry-failed asks again", rp.cause)
        super().process_request_2(rp, request)


class RobotsSize:
    """Reads a robots.txt up to MAX_SIZE, as sent and decompressed, and notes in its request's meta
    (`xxgk_robots_cut`) when there was more. Placed before HttpCompressionMiddleware, so that a
    gzip bomb is inflated only as far as its first 500 KiB."""

    def __init__(self, crawler):
        crawler.signals.connect(self.received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        robots = request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt"
        if robots or "xxgk_robots" in request.meta:          # a robots.txt, or a redirect from one
            request.meta["xxgk_robots"] = 0                    # bytes received
            request.headers["Accept-Encoding"] = b"gzip, deflate"  # what can be inflated a part at a time

    def received(self, data, request, spider):
        """Stop the download of a robots.txt past MAX_SIZE; what came is kept."""
        if "xxgk_robots" in request.meta:
            request.meta["xxgk_robots"] += len(data)
            if request.meta["xxgk_robots"] > MAX_SIZE:
                raise StopDownload(fail=False)

    def process_response(self, request, response):
        if "xxgk_robots" not in request.meta:
            return response
        encoding = response.headers.get(b"Content-Encoding", b"").strip().lower()
        if encoding not in (b"", b"gzip", b"x-gzip", b"deflate"):     # not asked for: Scrapy's decompression
            return response
        cut = "sent" if "download_stopped" in response.flags else None
        body = response.body
        if encoding:
            body = _inflated_head(body, MAX_SIZE + 1)
            if body is None:                    # not what it claims: HttpCompressionMiddleware decides
                return response
            cut = cut or ("decompressed" if len(body) > MAX_SIZE else None)
        if cut or len(body) > MAX_SIZE:
            request.meta["xxgk_robots_cut"] = (f"robots.txt larger than {MAX_SIZE // 1024} KiB ({cut or 'sent'}): "
                                               f"its first {MAX_SIZE // 1024} KiB are obeyed, the rest is ignored "
                                               "(RFC 9309)")
        headers = response.headers.copy()
        headers.pop(b"Content-Encoding", None)
        return response.replace(body=body[:MAX_SIZE], headers=headers)


def _inflated_head(body: bytes, limit: int) -> bytes | None:
    """The first `limit` bytes a gzip, zlib or raw deflate body inflates to, inflating no more;
    None if it is none of those."""
    for wbits in (47, -15):                 # 32 + 15: a gzip or zlib header; -15: raw deflate
        try:
            return zlib.decompressobj(wbits=wbits).decompress(body, limit)
        except zlib.error:
            continue
    return None


def _copy(shared: Deferred) -> Deferred:
    """A Deferred firing with `shared`'s result, which stays there for the next waiter."""
    copy = Deferred()

    def pass_on(result):
        copy.callback(result)
        return result

    shared.addBoth(pass_on)
    return copy
