"""The /c<col>/ and /<column>/YYYYMM/<32-hex>.shtml CMS: a column's first page is list.shtml
(or index.shtml, common_list.shtml …), the others <stem>_2.shtml … <stem>_N.shtml, known only
from the page's script `createPageHTML('page_div', N, current, 'list', 'shtml', records)`
(current counting from 1; TRS's four-argument form is trs.py's)."""

from __future__ import annotations

import re

from ..links import Page
from .base import Dialect, Fetch, numbered_pages


class PageDiv(Dialect):
    name = "pagediv"
    marker = re.compile(r"createPageHTML\s*\(\s*['\"][\w-]+['\"]\s*,")
    call = re.compile(r"createPageHTML\s*\(\s*['\"][\w-]+['\"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,"
                      r"\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")

    def pages(self, page: Page) -> list[Fetch]:
        """Every page of the column, from its first page (the others would only repeat them)."""
        call = self.call.search(page.text)
        if not call or call.group(2) != "1":
            return []
        count, _, stem, ext = call.groups()
        return numbered_pages(page.url, int(count), stem, ext)
