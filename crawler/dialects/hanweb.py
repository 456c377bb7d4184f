"""Hanweb (大汉) columns, /col/colNNN/index.html: the first records sit inline in a
`<script type="text/xml"><datastore>` block, the rest come from
/module/web/jpage/dataproxy.jsp, asked by POST for records startrecord…endrecord and answering
XML with one `<record><![CDATA[<li>…</li>]]></record>` per item."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from ..links import Link, Page, anchors
from .base import Dialect, Fetch

PROXY_PATH = "/module/web/jpage/dataproxy.jsp"


class Hanweb(Dialect):
    name = "hanweb"
    marker = re.compile(r"/module/web/jpage/dataproxy\.jsp|\.jpage\s*\(")
    records = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
    proxy_params = re.compile(r"dataproxy\.jsp\?([^\"'<>\]]+)")
    total = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)|<totalrecord>(\d+)</totalrecord>", re.I)
    per_page = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
    batch_pages = 3                     # jpage asks for three pages of records at a time
    max_records = 20000

    def items(self, page: Page) -> list[Link]:
        return _record_links(page.url, self.records.findall(page.text))

    def pages(self, page: Page) -> list[Fetch]:
        params = self.proxy_params.search(page.text)
        if not params:
            return []
        query = dict(parse_qsl(params.group(1).replace("&amp;", "&")))
        if "columnid" not in query:
            return []
        per_page = int(self.per_page.search(page.text).group(1)) if self.per_page.search(page.text) else 15
        total = self.total.search(page.text)
        total = int(total.group(1) or total.group(2)) if total else per_page * self.batch_pages
        form = {"col": "1", "appid": "1", "webid": query.get("webid", "1"), "path": query.get("path", "/"),
                "columnid": query["columnid"], "sourceContentType": "1", "unitid": query.get("unitid", ""),
                "webname": query.get("webname", ""), "permissiontype": "0"}
        return self._calls(page.url, form, per_page, total)

    def _calls(self, url: str, form: dict, per_page: int, total: int) -> list[Fetch]:
        step = per_page * self.batch_pages
        base = urljoin(url, PROXY_PATH)
        return [Fetch(f"{base}?startrecord={start}&endrecord={start + step - 1}&perpage={per_page}", "POST",
                      form, api=self.name)
                for start in range(1, min(total, self.max_records) + 1, step)]

    def parse_api(self, url: str, body: bytes, form: dict) -> tuple[list[Link], list[Fetch]]:
        text = body.decode("utf-8", "replace")
        links = _record_links(url, self.records.findall(text))
        total = self.total.search(text)
        query = dict(parse_qsl(urlsplit(url).query))
        if not (total and query.get("startrecord") == "1"):
            return links, []
        calls = self._calls(url, form, int(query.get("perpage", 15)), int(total.group(1) or total.group(2)))
        return links, calls[1:]


def _record_links(base: str, records: list[str]) -> list[Link]:
    links = []
    for record in records:
        try:
            links += anchors(etree.HTML(record), base)
        except (etree.ParserError, ValueError):
            continue
    return links
