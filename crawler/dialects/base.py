"""What every CMS dialect provides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urljoin

from ..links import Link, Page


@dataclass(frozen=True)
class Fetch:
    """A further request a dialect wants: a listing page, or a call to the CMS's list API."""

    url: str
    method: str = "GET"
    form: dict = field(default_factory=dict, hash=False, compare=False)
    api: str | None = None          # which dialect parses the answer (None: an ordinary page)


MAX_PAGES = 5000        # pages of one column a dialect asks for, whatever its script says


def numbered_pages(url: str, count: int, stem: str = "index", ext: str = "html", second: int = 2) -> list[Fetch]:
    """A static column's pages: <stem>.<ext>, then <stem>_<k>.<ext> from k = `second` on (TRS
    numbers its second page 1, other CMSs 2), `count` pages in all, never more than MAX_PAGES."""
    count = min(count, MAX_PAGES)
    if count < 1:
        return []
    return [Fetch(urljoin(url, f"{stem}.{ext}"))] + [Fetch(urljoin(url, f"{stem}_{k}.{ext}"))
                                                    for k in range(second, second + count - 1)]


class Dialect:
    """A CMS's way of listing a column across pages."""

    name: ClassVar[str]
    marker: ClassVar[re.Pattern]          # what in a page's HTML (or URL) identifies the CMS

    def recognises(self, page: Page) -> bool:
        return bool(self.marker.search(page.text) or self.marker.search(page.url))

    def pages(self, page: Page) -> list[Fetch]:
        """The column's other pages (or API calls), from one page of it."""
        return []

    def items(self, page: Page) -> list[Link]:
        """Items the page lists outside plain links (inline data the CMS renders with script)."""
        return []

    def parse_api(self, url: str, body: bytes, form: dict) -> tuple[list[Link], list[Fetch]]:
        """Items in an API answer (to a call made with `form`), and the further calls it implies."""
        raise NotImplementedError(f"{self.name} has no list API")
