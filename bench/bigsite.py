"""A large generated agency site for the crawl benchmark: a TRS-style report column of
`listings` pages (known only from the createPageHTML script), each listing 20 report pages."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from demo.server import Answer, SiteServer

HOST = "www.big.bench.test"
PER_LISTING = 20
_FILLER = "".join(f"<p>　　第{i}段。本机关按照《条例》要求，认真做好政府信息公开工作，主动公开政府信息，"
                  f"畅通依申请公开渠道，全年共主动公开政府信息{100 + i}条。</p>" for i in range(25))


class BigSite:
    def __init__(self, listings: int):
        self.listings = listings
        self.hits: Counter = Counter()          # requests per path (duplicates show here)
        self._lock = threading.Lock()

    @property
    def pages(self) -> int:
        return 2 + self.listings * (1 + PER_LISTING)

    def __call__(self, path: str) -> Answer:
        with self._lock:
            self.hits[path] += 1
        if path == "/robots.txt":
            return Answer(200, b"User-agent: *\nDisallow: /admin/\n", {"Content-Type": "text/plain"})
        if path == "/":
            return self._html('<a href="/xxgk/ndbg/">政府信息公开年报</a>')
        if path in ("/xxgk/ndbg/", "/xxgk/ndbg/index.html") or path.startswith("/xxgk/ndbg/index_"):
            number = 0 if not path.startswith("/xxgk/ndbg/index_") else int(path.split("_")[1].split(".")[0])
            if number >= self.listings:
                return Answer(404)
            items = "".join(
                f'<li><a href="./{number}/t{number}_{i}.html" title="某某县第{number}_{i}局{2009 + i % 10}年度'
                f'政府信息公开工作报告">某某县第{number}_{i}局{2009 + i % 10}年度政府信息公开工作报告</a></li>'
                for i in range(PER_LISTING))
            script = (f'<script>var countPage = {self.listings};\ncreatePageHTML(countPage, {number}, "index", '
                      f'"html");</script>')
            return self._html(f"<ul>{items}</ul>{script}")
        if path.startswith("/xxgk/ndbg/") and path.endswith(".html"):
            name = path.rsplit("/", 1)[1][1:-5]
            return self._html(f"<h1>某某县第{name}局政府信息公开工作年度报告</h1><div id='zoom'>{_FILLER}</div>")
        return Answer(404)

    @staticmethod
    def _html(body: str) -> Answer:
        page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县</title></head><body>{body}</body></html>'
        return Answer(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the benchmark's generated site until killed.")
    parser.add_argument("--listings", type=int, default=1000)
    parser.add_argument("--hits", help="On SIGTERM, write the requests per path here (JSON).")
    args = parser.parse_args()
    site = BigSite(args.listings)
    server = SiteServer(generated={HOST: site}, log=False).start()
    if args.hits:
        def dump(*_):
            Path(args.hits).write_text(json.dumps(site.hits), encoding="utf-8")
            sys.exit(0)
        signal.signal(signal.SIGTERM, dump)
    print(server.port, flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
