"""A local stand-in for the Internet Archive: the CDX API (JSON) and `id_` replay, over the
captures in tests/wayback/<timestamp>/<host>/<path>."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from demo.server import Answer

CAPTURES = Path(__file__).parent / "wayback"


class WaybackStandIn:
    """Callable for SiteServer(generated={host: WaybackStandIn()})."""

    def __init__(self, folder: Path = CAPTURES):
        self.captures = []          # (timestamp, original URL, file)
        for path in sorted(folder.glob("*/*/**/*")):
            if path.is_file():
                timestamp, host, *rest = path.relative_to(folder).parts
                self.captures.append((timestamp, f"http://{host}/{'/'.join(rest)}", path))

    def __call__(self, path: str) -> Answer:
        parts = urlsplit(path)
        if parts.path == "/cdx/search/cdx":
            return self._cdx(parse_qs(parts.query))
        if parts.path.startswith("/web/"):
            return self._replay(path[len("/web/"):])
        return Answer(404)

    def _cdx(self, query: dict) -> Answer:
        wanted = query.get("url", [""])[0]
        prefix = query.get("matchType", ["exact"])[0] == "prefix"
        rows = [["timestamp", "original", "mimetype", "statuscode", "digest"]]
        for timestamp, original, path in self.captures:
            address = original.split("://", 1)[1]
            if address == wanted or (prefix and address.startswith(wanted)):
                rows.append([timestamp, original, "text/html", "200", path.name])
        return Answer(200, json.dumps(rows).encode(), {"Content-Type": "application/json"})

    def _replay(self, rest: str) -> Answer:
        timestamp, _, original = rest.partition("id_/")
        for stamp, url, path in self.captures:
            if stamp == timestamp and url == original:
                return Answer(200, path.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})
        return Answer(404)
