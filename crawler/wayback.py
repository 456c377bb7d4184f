"""Reports the live site no longer has, from the Internet Archive.

The CDX API lists the captures under a site's report column; the listing pages' newest
captures are fetched in their original bytes (the `id_` form of a capture URL) and read like
live listings; each report they link is looked up in the CDX index and its newest capture
fetched. Both endpoints are settings (WAYBACK_CDX_URL, WAYBACK_REPLAY_URL), so tests point
them at a local stand-in that answers in the CDX JSON format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

CDX_FIELDS = "timestamp,original,mimetype,statuscode,digest"
_LISTING_NAMES = ("", "index.html", "index.htm", "index.shtml", "index.jsp", "list.html")


@dataclass(frozen=True)
class Snapshot:
    timestamp: str          # 20140306123456
    original: str           # the URL as the site served it
    mimetype: str

    @property
    def capture_time(self) -> str:
        t = self.timestamp.ljust(14, "0")
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


class Wayback:
    def __init__(self, settings):
        self.cdx = settings.get("WAYBACK_CDX_URL")
        self.replay = settings.get("WAYBACK_REPLAY_URL").rstrip("/")
        self.hosts = sorted({urlsplit(self.cdx).hostname, urlsplit(self.replay).hostname})

    def cdx_url(self, url: str, *, prefix: bool) -> str:
        """The CDX query for the captures of `url` (and everything under it, with prefix)."""
        params = {"url": url.split("://", 1)[-1], "output": "json", "fl": CDX_FIELDS,
                  "filter": "statuscode:200", "matchType": "prefix" if prefix else "exact"}
        return f"{self.cdx}?{urlencode(params)}"

    def replay_url(self, snapshot: Snapshot) -> str:
        """The capture's original bytes, without the archive's banner and rewritten links."""
        return f"{self.replay}/{snapshot.timestamp}id_/{snapshot.original}"


def snapshots(body: bytes) -> list[Snapshot]:
    """Rows of a CDX JSON answer (the first row names the fields)."""
    try:
        rows = json.loads(body.decode("utf-8", "replace") or "[]")
    except json.JSONDecodeError:
        return []
    if not rows or not isinstance(rows, list):
        return []
    fields = rows[0]
    found = []
    for row in rows[1:]:
        record = dict(zip(fields, row))
        if record.get("timestamp") and record.get("original"):
            found.append(Snapshot(record["timestamp"], record["original"], record.get("mimetype", "")))
    return found


def listing_snapshots(found: list[Snapshot], column: str) -> list[Snapshot]:
    """The newest capture of the column page and of its other listing pages (index_1.html …)."""
    base = column.split("://", 1)[-1].rsplit("/", 1)[0] + "/"
    listings = {}
    for snap in found:
        address = snap.original.split("://", 1)[-1]
        name = address[len(base):] if address.startswith(base) else None
        if name is None or "/" in name or "html" not in (snap.mimetype or "text/html"):
            continue
        if name in _LISTING_NAMES or name.startswith(("index_", "list_")):
            if snap.original not in listings or snap.timestamp > listings[snap.original].timestamp:
                listings[snap.original] = snap
    return list(listings.values())


def newest(found: list[Snapshot]) -> Snapshot | None:
    return max(found, key=lambda s: s.timestamp) if found else None
