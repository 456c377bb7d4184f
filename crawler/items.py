"""What spiders hand to the archive pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.http import Response


@dataclass
class Capture:
    """A response to archive, with the requests it led to: they enter the frontier in the same
    transaction that marks the response done, so a kill never loses them."""

    response: Response
    children: list[dict] = field(default_factory=list)
    unchanged: bool = False          # a 304: the archived copy is still current
    read: bool = False               # the spider decoded the body (as a page) …
    encoding: str | None = None      # … in this encoding (None: none fits), which the archive records


@dataclass
class FetchFailed:
    """A request that ended without a document, and why."""

    meta: dict
    url: str
    classification: str              # dns, timeout, connection, http_error, too_large, robots_disallow,
    reason: str                      # blocked_challenge, blocked_forbidden, shell_page, blocked_host …
    http_status: int | None = None


@dataclass
class OffSite:
    """A report or attachment linked from a site but hosted off its own hosts."""

    url: str
    found_on: str
    site: str
    link_text: str
    kind: str


@dataclass
class Skipped:
    """A URL the crawl found and chose not to request (a trap, too long, over the site's page
    budget), with the reason: recorded, so that no link disappears without a trace."""

    meta: dict                       # what its request would have carried (site, kind, report_url …)
    url: str
    classification: str              # url_too_long, trap, page_budget
    reason: str
