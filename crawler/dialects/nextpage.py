"""Any CMS with plain pagination links: 下一页 / 尾页, or ?page=N."""

from __future__ import annotations

import re

from ..links import Page, is_pagination
from .base import Dialect, Fetch


class NextPage(Dialect):
    name = "nextpage"
    marker = re.compile(r"下一页|下页|尾页|末页|[?&](?:page|pageNum|pageNo|pageIndex|curPage)=\d", re.I)

    def pages(self, page: Page) -> list[Fetch]:
        return [Fetch(link.url) for link in page.links() if is_pagination(link, page.url)]
