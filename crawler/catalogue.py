"""The national registry of report columns: real agencies' report pages and columns as published,
one CSV file per province in crawler/sites/registry/ (00-central.csv for the State Council's
departments), each entry with where it was seen. `xxgk sites` selects from it and writes a sites
file for `xxgk crawl`; `xxgk crawl --registry` crawls a selection directly.

An entry is never a guessed URL. Hosts that republish government reports without being the
agency's own (mirrors, hijacked domains) are listed in rejected-hosts.csv, and no entry may use
one. Region codes come from the exact routes first (the credit code in a Hanweb `area=`, the
网站标识码 in a page's footer, `areacode=`), then from the place in the agency's name."""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from .platforms import OTHER, PLATFORMS, column_of, platform_of

REGISTRY_DIR = Path(__file__).parent / "sites" / "registry"
REJECTED_FILE = "rejected-hosts.csv"
LEVELS = ("central", "province", "city", "county", "township")
CODE_ROUTES = ("credit_code", "sitecode", "areacode", "name", "host", "guess")
CENTRAL = "000000"


class RegistryError(ValueError):
    """A registry file that cannot be read, or a selection that names nothing it holds."""


@dataclass(frozen=True)
class Entry:
    agency: str
    region_code: str
    code_route: str          # how the code was found (CODE_ROUTES); `guess` says it is one
    level: str               # LEVELS
    kind: str                # government, or the department's function (archive/agencies.py's keys)
    url: str                 # the report page or column, as published
    column_url: str          # the report column, where the URL is one or the platform's rule gives it
    pattern: str             # the platform (crawler/platforms.py)
    report_year: str
    seen_in: str             # where it was seen: a stored page's address, or a repository and path
    seen_on: str
    note: str
    file: str = ""
    line: int = 0

    @property
    def province_code(self) -> str:
        return self.region_code[:2] + "0000"

    @property
    def start_url(self) -> str:
        """Where a crawl of the entry starts: its column (given, or by its platform's rule), else
        its report page."""
        return self.column_url or column_of(self.url) or self.url

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


COLUMNS = tuple(f.name for f in fields(Entry) if f.name not in ("file", "line"))


def load_registry(folder: Path = REGISTRY_DIR) -> list[Entry]:
    """Every entry of every province file in `folder`, in file order (RegistryError where the
    folder holds none: a wrong XXGK_REGISTRY, or a copy installed without its data)."""
    entries = []
    paths = sorted(folder.glob("[0-9][0-9]-*.csv"))
    if not paths:
        raise RegistryError(f"no registry files (NN-province.csv) in {folder}")
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise RegistryError(f"{path}: the header must be {','.join(COLUMNS)}")
            for line, row in enumerate(reader, start=2):
                entries.append(Entry(**{k: (v or "").strip() for k, v in row.items()}, file=path.name, line=line))
    return entries


def rejected_hosts(folder: Path = REGISTRY_DIR) -> dict[str, str]:
    """Hosts no entry may use, each with why it was rejected."""
    path = folder / REJECTED_FILE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["host"].lower(): row["reason"] for row in csv.DictReader(fh)}


def problems(entries: list[Entry], rejected: dict[str, str]) -> list[str]:
    """What is wrong with the registry: each problem names its file and line."""
    found = []
    urls = Counter(e.url for e in entries)
    for e in entries:
        where = f"{e.file}:{e.line} ({e.agency})"
        found += [f"{where}: {p}" for p in _entry_problems(e, rejected)]
        if urls[e.url] > 1:
            found.append(f"{where}: URL listed {urls[e.url]} times: {e.url}")
    return found


def _entry_problems(e: Entry, rejected: dict[str, str]) -> list[str]:
    found = []
    for url in filter(None, (e.url, e.column_url)):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            found.append(f"not an http(s) URL: {url!r}")
    if e.host in rejected:
        found.append(f"host {e.host} is rejected: {rejected[e.host]}")
    if not e.seen_in:
        found.append("no source (seen_in)")
    if e.level not in LEVELS:
        found.append(f"level {e.level!r} is none of {', '.join(LEVELS)}")
    if e.code_route not in CODE_ROUTES:
        found.append(f"code_route {e.code_route!r} is none of {', '.join(CODE_ROUTES)}")
    if e.pattern not in (*PLATFORMS, OTHER):
        found.append(f"pattern {e.pattern!r} is none of {', '.join((*PLATFORMS, OTHER))}")
    elif platform_of(e.url) not in (e.pattern, OTHER) and platform_of(e.url) != OTHER:
        found.append(f"pattern {e.pattern} but the URL follows {platform_of(e.url)}")
    found += _code_problems(e)
    return found


def _code_problems(e: Entry) -> list[str]:
    """The code must exist in GB/T 2260 for the report's year, fit the level (unless the entry
    says its code is a guess: a zone without a code of its own), and, where it was found from
    the agency's name, be the place that name gives."""
    from extract.regions import LATEST_GB2260_YEAR, code_prefix, editions_for, places_named

    if e.level == "central" and e.region_code == CENTRAL:
        return []
    year = int(e.report_year) if e.report_year.isdigit() else None
    own = editions_for(year)[:2] if year is None or year > LATEST_GB2260_YEAR else editions_for(year)[:1]
    if not re.fullmatch(r"\d{6}", e.region_code) or not any(e.region_code in d.names for d in own):
        return [f"code {e.region_code!r} is not in the GB/T 2260 table of {year or 'today'} "
                f"({', '.join(d.label for d in own)})"]
    # a central agency's branch has its place's code; a zone's departments and the towns of a
    # city without counties (中山市, 东莞市) have their city's
    shape = {"central": True, "province": e.region_code.endswith("0000"),
             "city": e.region_code.endswith("00") and (not e.region_code.endswith("0000") or _municipal(e)),
             "county": not e.region_code.endswith("0000"), "township": not e.region_code.endswith("0000")}
    found = [] if shape[e.level] or e.code_route == "guess" else [f"code {e.region_code} does not fit level {e.level}"]
    named = places_named(e.agency, year) if e.code_route == "name" else set()
    if named and not any(e.region_code.startswith(code_prefix(code)) for code in named):
        found.append(f"its name places it in {', '.join(sorted(named))}, not in {e.region_code}")
    return found


def _municipal(e: Entry) -> bool:
    return e.region_code[:2] in ("11", "12", "31", "50")


@functools.lru_cache(maxsize=None)
def _divisions():
    from extract.regions import editions_for

    return editions_for(None)[0]


def select(entries: list[Entry], *, province: str | None = None, city: str | None = None,
           level: str | None = None, kind: str | None = None, name: str | None = None) -> list[Entry]:
    """The entries in a province and city (a name or a 6-digit code), of a level and kind, whose
    agency name contains `name`. An unknown province, city or level is a RegistryError saying what is."""
    chosen = entries
    if province:
        code = _code_of(province, "province")
        chosen = [e for e in chosen if e.province_code == code]
    if city:
        code = _code_of(city, "city")
        chosen = [e for e in chosen if e.region_code.startswith(code[:4]) and e.level != "province"]
    if level:
        if level not in LEVELS:
            raise RegistryError(f"unknown level {level!r}: one of {', '.join(LEVELS)}")
        chosen = [e for e in chosen if e.level == level]
    if kind:
        kinds = sorted({e.kind for e in entries})
        if kind not in kinds:
            raise RegistryError(f"unknown kind {kind!r}: the registry holds {', '.join(kinds)}")
        chosen = [e for e in chosen if e.kind == kind]
    if name:
        chosen = [e for e in chosen if name in e.agency]
    return chosen


def _code_of(place: str, level: str) -> str:
    """A province's or city's code from its code or name (湖南, 湖南省, 430000)."""
    divisions = _divisions()
    if re.fullmatch(r"\d{6}", place):
        if place in divisions.names or place == CENTRAL:
            return place
        raise RegistryError(f"no {level} has the code {place}")
    fits = (lambda c: c.endswith("0000")) if level == "province" else (lambda c: c.endswith("00"))
    codes = sorted({c for c in divisions.index.get(place, ()) if fits(c)})
    if len(codes) != 1:
        known = sorted(n for c, n in divisions.names.items() if c.endswith("0000"))
        hint = f" (provinces: {'、'.join(known)})" if level == "province" else ""
        raise RegistryError(f"{'no' if not codes else 'more than one'} {level} is called {place!r}{hint}")
    return codes[0]


def place_name(place: str, level: str) -> str:
    """A province's or city's full name from its code or a name (430000, 湖南 → 湖南省)."""
    return _divisions().names.get(_code_of(place, level), place)


def sites_toml(entries: list[Entry]) -> str:
    """A sites file (crawler/registry.py's format) crawling each entry from its column or page."""
    blocks = []
    for e in entries:
        blocks.append("\n".join([
            "[[site]]",
            f'name = "{_site_name(e)}"',
            f"agency = {_toml(e.agency)}",
            *([f'region = "{e.region_code}"'] if e.region_code != CENTRAL else []),
            f"start_urls = [{_toml(e.start_url)}]",
            f"# {e.file}:{e.line}; seen in {e.seen_in}".replace("\n", " "),
        ]))
    return "\n\n".join(blocks) + "\n"


def _site_name(e: Entry) -> str:
    return f"{e.region_code}-{e.file.split('.')[0]}-{e.line}"


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def counts_markdown(entries: list[Entry]) -> str:
    """The registry's counts as the README shows them: entries by file and level, by platform,
    and how the codes were found."""
    found = counts(entries)
    exact = sum(n for route, n in found["route"].items() if route in ("credit_code", "sitecode", "areacode"))
    by_file: dict[str, Counter] = {}
    for e in entries:
        by_file.setdefault(e.file, Counter())[e.level] += 1
    lines = [f"{len(entries):,} entries in {len(by_file)} files; region codes: {exact} from an exact route "
             f"(credit code, 网站标识码, areacode=), {found['route']['name']} from the agency's name, "
             f"{found['route']['host']} from the host, {found['route']['guess']} guesses (zones without a code).", "",
             "| file | entries | " + " | ".join(LEVELS) + " |", "|---|---|" + "---|" * len(LEVELS)]
    lines += [f"| `{name}` | {sum(by_file[name].values())} | " + " | ".join(str(by_file[name][level] or "")
                                                                     for level in LEVELS) + " |"
              for name in sorted(by_file)]
    lines += ["", "| platform | entries |", "|---|---|"]
    lines += [f"| {name} | {n} |" for name, n in found["pattern"].most_common()]
    return "\n".join(lines)


def counts(entries: list[Entry]) -> dict[str, Counter]:
    """Entries by province file, by platform, and by how their region code was found."""
    return {"file": Counter(e.file for e in entries), "pattern": Counter(platform_of(e.url) for e in entries),
            "route": Counter(e.code_route for e in entries)}


# What a crawl found at an entry's start URL: the failures that say the page is gone, or that
# the site turned the crawler away (a guest does not insist).
DEAD = ("dns",)
DEAD_HTTP = (404, 410)
BLOCKED = ("blocked_challenge", "blocked_forbidden", "robots_disallow", "retry_after")
BLOCKED_HTTP = (403, 412, 418, 429)


def entry_status(db, entry: Entry) -> tuple[str, str]:
    """What the archive's crawls found at the entry's start URL: (status, detail)."""
    from archive.store import fingerprint

    url = entry.start_url
    document = next(db.query("select final_url, status, warc_file, warc_offset from documents where url = ? "
                             "order by id desc limit 1", [url]), None)
    if document and document["status"] == 200:
        final = document["final_url"] or url
        moved = (urlsplit(final).hostname or "").lower() != (urlsplit(url).hostname or "").lower()
        footer = _footer_check(db, document, entry)
        return ("moved", f"{final}; {footer}".rstrip("; ")) if moved else ("reached", footer)
    failure = next(db.query("select classification, http_status, reason from fetch_failures where fingerprint = ? "
                            "and stage = 'fetch' and resolved_at is null", [fingerprint(url)]), None)
    if failure is None:
        return ("dead", f"HTTP {document['status']}") if document else ("not tried", "")
    kind, code = failure["classification"], failure["http_status"]
    if kind == "off_site_redirect":         # the start page now redirects to another host
        return "moved", failure["reason"] or kind
    status = "dead" if kind in DEAD or code in DEAD_HTTP else \
        "blocked" if kind in BLOCKED or code in BLOCKED_HTTP else "unreachable"
    return status, failure["reason"] or kind


# The 网站标识码 every government site's footer has shown since 2017: ten digits, the first six the
# region code of the site's owner (1506000140 → 150600).
_SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*(\d{6})\d{4}")


def _footer_check(db, document: dict, entry: Entry) -> str:
    """What the 网站标识码 in the archived start page's footer says of the entry's region code: it
    names the site's owner, so the entry's place must lie within it."""
    from archive.warcs import read_record
    from extract.decode import decode
    from extract.errors import ExtractError
    from extract.regions import code_prefix

    folder = Path(db.execute("pragma database_list").fetchone()[2]).parent / "warc"
    try:
        _, body, _ = read_record(folder, (document["warc_file"], document["warc_offset"]))
        found = _SITE_CODE.search(decode(body)[0])
    except (OSError, ValueError, StopIteration, ExtractError):
        return ""
    if not found:
        return ""
    code = found.group(1)
    if entry.region_code.startswith(code_prefix(code)):
        return f"网站标识码 {found.group(0)[-10:]} agrees ({code})"
    return f"网站标识码 {found.group(0)[-10:]} names {code}, not {entry.region_code}: check the entry's code"


def record_statuses(db, entries: list[Entry], run_id: int | None) -> Counter:
    """Store each entry's status in the archive's registry_status (never in the shipped files);
    return how many entries have each status."""
    from archive.store import utcnow

    rows = []
    for e in entries:
        status, detail = entry_status(db, e)
        rows.append({"url": e.start_url, "agency": e.agency, "region_code": e.region_code, "status": status,
                     "detail": detail[:500], "run_id": run_id, "checked_at": utcnow()})
    with db.conn:
        db["registry_status"].upsert_all(rows, pk="url")
    return Counter(r["status"] for r in rows)
