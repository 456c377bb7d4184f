"""Columns paged by the whj jQuery pager (shanghai.gov.cn's /nw<N>/ columns): the pager is
drawn by script as <div name="whj_nextPage"> buttons without links; the page count is the
plugin's `totalPage`, and the pages are index.html, index_2.html … index_N.html."""

from __future__ import annotations

import re

from ..links import Page
from .base import Dialect, Fetch, numbered_pages


class Whj(Dialect):
    name = "whj"
    marker = re.compile(r"\.whjPaging\s*\(")
    total = re.compile(r"\.whjPaging\s*\(\s*\{[^}]*?\btotalPage\s*:\s*['\"]?(\d+)", re.S)
    current = re.compile(r"\.whjPaging\s*\(\s*\{[^}]*?\bcurrPage\s*:\s*['\"]?(\d+)", re.S)

    def pages(self, page: Page) -> list[Fetch]:
        """Every page of the column, from its first page."""
        total, current = self.total.search(page.text), self.current.search(page.text)
        if not total or (current and current.group(1) != "1"):
            return []
        return numbered_pages(page.url, int(total.group(1)))
