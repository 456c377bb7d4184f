"""TRS WCM static columns: index.html, index_1.html … index_{N-1}.html, where N is known only
from the page's script (`var countPage = N` and `createPageHTML(N, current, "index", "html")`,
current counting from 0)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..links import Page
from .base import Dialect, Fetch


class Trs(Dialect):
    name = "trs"
    marker = re.compile(r"createPageHTML\s*\((?!\s*['\"])|var\s+countPage\s*=")   # not pagediv.py's form
    count = re.compile(r"var\s+countPage\s*=\s*(\d+)|createPageHTML\s*\(\s*(\d+)")
    names = re.compile(r"createPageHTML\s*\(\s*\w+\s*,\s*\w+\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
    max_pages = 5000

    current = re.compile(r"createPageHTML\s*\(\s*\w+\s*,\s*(\d+)")

    def pages(self, page: Page) -> list[Fetch]:
        """Every page of the column, from its first page (the others would only repeat them)."""
        count = self.count.search(page.text)
        current = self.current.search(page.text)
        if not count or (current and current.group(1) != "0"):
            return []
        total = min(int(count.group(1) or count.group(2)), self.max_pages)
        stem, ext = self.names.search(page.text).groups() if self.names.search(page.text) else ("index", "html")
        return [Fetch(urljoin(page.url, f"{stem}.{ext}" if i == 0 else f"{stem}_{i}.{ext}")) for i in range(total)]
