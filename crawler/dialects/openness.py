"""Anhui's 政务公开 platform: every body of a county has its own disclosure pages on the county's
host, /openness/OpennessContent/showList/<body>/0/page_1.html (or /XxgkContent/… on older
portals), reached from the body directory by links that carry only the body's name; each body's
page links its 政府信息公开年报 list, whose reports are /OpennessAnnualReport/show/<N>.html."""

from __future__ import annotations

import re

from ..links import Page
from .base import Dialect, Fetch


class Openness(Dialect):
    name = "openness"
    marker = re.compile(r"/(?:Openness|Xxgk)(?:Content|AnnualReport)/")
    body_home = re.compile(r"/(?:Openness|Xxgk)Content/showList/\d+/0/page_1\.html$")

    def pages(self, page: Page) -> list[Fetch]:
        """The disclosure page of every body the page links to."""
        return [Fetch(url) for url in sorted({link.url for link in page.links() if self.body_home.search(link.url)})]
