"""CMS dialects: how a kind of government CMS spreads a column's list over pages.

Each dialect is a small class whose attributes say how it is recognised and paged; the spider
asks every dialect whether it recognises a page, and takes the further pages and items of
those that do. Detected from the page itself, never configured by hand."""

from .base import Dialect, Fetch
from .gkmlpt import Gkmlpt
from .hanweb import Hanweb
from .nextpage import NextPage
from .trs import Trs

DIALECTS: list[Dialect] = [Trs(), Hanweb(), Gkmlpt(), NextPage()]

__all__ = ["DIALECTS", "Dialect", "Fetch", "Gkmlpt", "Hanweb", "NextPage", "Trs"]
