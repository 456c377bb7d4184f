"""Hanweb's 信息公开 module: one generated report page per body and year,
/module/xxgk/xxgkAnnualReport.jsp?area=<body's code>&fbtime=<year>. A body's years are links
named only by the year (2020年), listed on its report page (the page without fbtime shows the
newest year); any module page naming a body by its `area=` leads to that body's reports."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from ..links import Link, Page
from .base import Dialect, Fetch

REPORT_PATH = "/module/xxgk/xxgkAnnualReport.jsp"


class HanwebXxgk(Dialect):
    name = "hanweb_xxgk"
    marker = re.compile(r"/module/xxgk/\w+\.jsp\?[^\"'<>]*\barea=")

    def pages(self, page: Page) -> list[Fetch]:
        """Each body's report page (its newest year, with the list of its years)."""
        areas = {_query(link.url, "area") for link in page.links() if "/module/xxgk/" in link.url}
        return [Fetch(urljoin(page.url, f"{REPORT_PATH}?area={area}")) for area in sorted(areas - {None})]

    def items(self, page: Page) -> list[Link]:
        """The body's years, named as the reports they are (the link says only 2020年)."""
        return [Link(link.url, f"{year}年政府信息公开工作年度报告") for link in page.links()
                if urlsplit(link.url).path.endswith(REPORT_PATH) and (year := _query(link.url, "fbtime"))]


def _query(url: str, key: str) -> str | None:
    return (parse_qs(urlsplit(url).query).get(key) or [None])[0]
