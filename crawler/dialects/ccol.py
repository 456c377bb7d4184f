"""Site groups whose columns are /<site>/c<column>/ (Heilongjiang's 集约化 portals and the
/c<col>/YYYYMM/c0N_<id>.shtml family): a report column is split into one sub-column per year,
linked by the year alone (政府信息公开年报 > 2021), each a plain list (index.shtml, paged
index_N.shtml by 下一页/尾页 links, which NextPage follows)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..links import Page
from .base import Dialect, Fetch


class CColumn(Dialect):
    name = "ccol"
    marker = re.compile(r"/c\d{5,}/")
    column = re.compile(r"/c\d{5,}/(?:[\w-]+\.shtml)?$")      # a column's own folder, not a dated document
    year = re.compile(r"^\s*(?:19|20)\d\d\s*年?度?\s*$")

    def recognises(self, page: Page) -> bool:
        return bool(self.marker.search(urlsplit(page.url).path))

    def pages(self, page: Page) -> list[Fetch]:
        """The column's year sub-columns, on the page's own host."""
        host = urlsplit(page.url).netloc
        return [Fetch(link.url) for link in page.links()
                if self.year.match(link.text) and urlsplit(link.url).netloc == host
                and self.column.search(urlsplit(link.url).path)]
