"""Guangdong's government-information platform (gkmlpt): /gkmlpt/index is a script page that
carries the site id (`SID: '755031'`) and a catalog menu (`/gkmlpt/index#2466`); a catalog's
documents come from /gkmlpt/api/all/{catalog}?page=N&sid={sid} as JSON
({"articles": [{"title", "url", …}], "total": N})."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlsplit

from ..links import Link, Page
from .base import Dialect, Fetch


class Gkmlpt(Dialect):
    name = "gkmlpt"
    marker = re.compile(r"/gkmlpt/")
    sid = re.compile(r"\bSID\s*[:=]\s*['\"]?(\d+)")
    catalog = re.compile(r"/gkmlpt/[\w/]*#(\d+)$")
    report_catalog = re.compile(r"年报|年度报告")
    max_pages = 200

    def recognises(self, page: Page) -> bool:
        return "/gkmlpt/" in page.url and bool(self.sid.search(page.text))

    def pages(self, page: Page) -> list[Fetch]:
        sid = self.sid.search(page.text).group(1)
        base = page.url.split("/gkmlpt/")[0]
        catalogs = {self.catalog.search(link.url).group(1) for link in page.links()
                    if self.catalog.search(link.url) and self.report_catalog.search(link.text)}
        return [Fetch(f"{base}/gkmlpt/api/all/{c}?page=1&sid={sid}", api=self.name) for c in sorted(catalogs)]

    def parse_api(self, url: str, body: bytes, form: dict) -> tuple[list[Link], list[Fetch]]:
        try:
            data = json.loads(body.decode("utf-8", "replace"))
        except json.JSONDecodeError:
            return [], []
        articles = data.get("articles") or []
        links = [Link(a.get("url") or a.get("post_url") or "", a.get("title") or "")
                 for a in articles if isinstance(a, dict) and (a.get("url") or a.get("post_url"))]
        query = dict(parse_qsl(urlsplit(url).query))
        more = []
        if query.get("page") == "1" and articles and data.get("total"):
            pages = min(math.ceil(int(data["total"]) / len(articles)), self.max_pages)
            stem = url.split("?")[0]
            more = [Fetch(f"{stem}?page={n}&sid={query.get('sid', '')}", api=self.name) for n in range(2, pages + 1)]
        return links, more

