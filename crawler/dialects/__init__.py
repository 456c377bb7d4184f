"""CMS dialects: how a kind of government CMS spreads a column's list over pages.

Each dialect is a small class whose attributes say how it is recognised and paged; the spider
asks every dialect whether it recognises a page, and takes the further pages and items of
those that do. Detected from the page itself, never configured by hand."""

from .base import Dialect, Fetch
from .ccol import CColumn
from .gkmlpt import Gkmlpt
from .hanweb import Hanweb
from .hanweb_xxgk import HanwebXxgk
from .nextpage import NextPage
from .openness import Openness
from .pagediv import PageDiv
from .trs import Trs
from .whj import Whj

DIALECTS: list[Dialect] = [Trs(), PageDiv(), Whj(), Hanweb(), Gkmlpt(), HanwebXxgk(), Openness(), CColumn(),
                           NextPage()]

__all__ = ["DIALECTS", "CColumn", "Dialect", "Fetch", "Gkmlpt", "Hanweb", "HanwebXxgk", "NextPage", "Openness",
           "PageDiv", "Trs", "Whj"]
