"""TRS WCM static columns: index.html, index_1.html … index_{N-1}.html, where N is known only
from the page's script (`var countPage = N` and `createPageHTML(N, current, "index", "html")`,
current counting from 0)."""

from __future__ import annotations

import re

from ..links import Page
from .base import Dialect, Fetch, numbered_pages


class Trs(Dialect):
    name = "trs"
    marker = re.compile(r"createPageHTML\s*\((?!\s*['\"])|var\s+countPage\s*=")   # not pagediv.py's form
    count = re.compile(r"var\s+countPage\s*=\s*(\d+)|createPageHTML\s*\(\s*(\d+)")
    names = re.compile(r"createPageHTML\s*\(\s*\w+\s*,\s*\w+\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
    current = re.compile(r"createPageHTML\s*\(\s*\w+\s*,\s*(\d+)")

    def pages(self, page: Page) -> list[Fetch]:
        """Every page of the column, from its first page (the others would only repeat them)."""
        count = self.count.search(page.text)
        current = self.current.search(page.text)
        if not count or (current and current.group(1) != "0"):
            return []
        names = self.names.search(page.text)
        stem, ext = names.groups() if names else ("index", "html")
        return numbered_pages(page.url, int(count.group(1) or count.group(2)), stem, ext, second=1)
