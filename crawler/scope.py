"""The crawl's scope, checked on every request and every redirect hop: a request goes only to
its own site's hosts (or, for a web-archive lookup, the web archive's), and never to a loopback,
private, link-local or cloud-metadata address unless the site itself is at one.

It replaces Scrapy's OffsiteMiddleware, which lets any request with `dont_filter` through (and
Scrapy copies `dont_filter` onto a redirect): requests rebuilt from the frontier, to resume a run
or retry a failure, are bound by the same rules as fresh ones. A request refused here is
recorded in `fetch_failures` against the URL the crawl asked for (`off_site_redirect`,
`off_site` or `forbidden_address`), never dropped silently."""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.items import FetchFailed
from crawler.pipelines import save_failure

# Names that stand for this machine or a cloud's metadata service whatever DNS says.
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
                "metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal"}
_METADATA = {ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200",
                                               "fd00:ec2::254")}


@functools.lru_cache(maxsize=4096)
def address_class(host: str) -> str | None:
    """'loopback', 'private', 'link-local' or 'metadata' for a host that is (or names) such an
    address, else None (a public address, or a host name DNS would have to say more about).
    Remembered for the last hosts asked about: every request asks twice (when it is scheduled
    and when it is sent), and a host name's failed reading as an address is what costs."""
    host = host.strip("[]").lower().rstrip(".")
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return "metadata" if host.startswith(("metadata", "instance-data")) else "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in _METADATA:
        return "metadata"
    if address.is_loopback or address.is_unspecified:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private or address.is_reserved or address.is_multicast or \
            address in ipaddress.ip_network("100.64.0.0/10"):
        return "private"
    return None


def refusal(url: str, site, extra_hosts: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """Why a request for `url` made for `site` must not be sent ((classification, reason)), or
    None when it may."""
    host = (urlsplit(url).hostname or "").lower()
    kind = address_class(host)
    if kind is not None and not any(address_class(urlsplit(u).hostname or "") == kind for u in site.start_urls):
        return "forbidden_address", f"{host} is a {kind} address, never fetched from a site that is not itself there"
    if site.in_scope(url) or host in extra_hosts:
        return None
    return "off_site", f"{host} is not one of the site's hosts ({', '.join(site.allowed_domains)})"


class ScopeMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, made per site, applied to every request (dont_filter or not) and
    to every redirect hop, and recording what it refuses."""

    def process_request(self, request, spider=None) -> None:
        spider = self.crawler.spider
        sites = getattr(spider, "by_name", None)
        meta = request.meta
        if not sites or meta.get("site") not in sites:      # robots.txt, and requests of other spiders
            return super().process_request(request)
        extra = tuple(spider.wayback.hosts) if getattr(spider, "wayback", None) and meta.get("api") else ()
        refused = refusal(request.url, sites[meta["site"]], extra)
        if refused is None:
            return None
        classification, reason = refused
        chain = meta.get("redirect_urls")
        if chain:
            classification = "off_site_redirect" if classification == "off_site" else classification
            reason = f"redirected from {chain[0]} to {request.url}: {reason}"
        if not meta.get("failure_recorded") and getattr(spider, "archive", None) is not None:
            meta["failure_recorded"] = True
            save_failure(spider.archive, spider.run_id, FetchFailed(meta, meta.get("url", request.url),
                                                                    classification, reason, None))
            self.stats.inc_value("xxgk/failures")
        self.stats.inc_value(f"xxgk/refused/{classification}")
        raise IgnoreRequest(reason)
