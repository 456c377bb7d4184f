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
resumed crawl, starting from many requests to one host at once, fetched disallowed URLs."""

from __future__ import annotations

import time

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

UNAVAILABLE = "robots.txt unavailable"


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
            return await super()._parse_robots(response, netloc, request)
        self._unavailable(netloc, f"HTTP {response.status}")

    def _robots_error(self, exc, netloc):
        if isinstance(exc, IgnoreRequest):     # refused on this side (a block page, a gzip bomb): Scrapy's answer
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


def _copy(shared: Deferred) -> Deferred:
    """A Deferred firing with `shared`'s result, which stays there for the next waiter."""
    copy = Deferred()

    def pass_on(result):
        copy.callback(result)
        return result

    shared.addBoth(pass_on)
    return copy
