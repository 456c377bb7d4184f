"""xxgk: crawl, extract and archive China's government information-disclosure annual reports."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import click

# The demo's sites are on this machine: no need to wait between requests.
DEMO_PACE = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def echo(text: str, err: bool = False) -> None:
    """click.echo, with every control character shown as its escape (\\x1b): text from a document
    (an agency name, a category) never reaches the terminal as a command to it."""
    click.echo(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text), err=err)


class BadRequest(click.ClickException):
    """A request the archive cannot answer as asked: one line on stderr, exit status 2 (as for a
    usage error)."""
    exit_code = 2


def invocation() -> str:
    """How to run xxgk again from here, the way this process was started: `xxgk` when the PATH
    finds this same program, else its path (`.venv/bin/xxgk`), or `python -m xxgk` with this
    Python; so every command a summary prints runs as printed."""
    program = Path(sys.argv[0])
    if program.name == "xxgk":
        found = shutil.which("xxgk")
        if found and Path(found).resolve() == program.resolve():
            return "xxgk"
        return shlex.quote(_from_here(program))
    return f"{shlex.quote(_from_here(Path(sys.executable)))} -m xxgk"


def _from_here(path: Path) -> str:
    """`path` relative to the working folder when it is inside it (.venv/bin/xxgk), else absolute."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def data_option(function):
    return click.option("--data", default="xxgk-data", show_default=True, type=click.Path(file_okay=False),
                        help="Folder holding the archive (xxgk.db) and the raw captures (warc/).")(function)


def _checked_years(ctx, param, value: str | None) -> str | None:
    """--years, refused here with what is allowed when it cannot be read or names no report year."""
    from extract.years import YearsError, parse_years

    if value is not None:
        try:
            parse_years(value)
        except YearsError as err:
            raise click.BadParameter(str(err)) from None
    return value


def years_option(help_text: str):
    return click.option("--years", callback=_checked_years, help=help_text)


def _show_progress(counts: dict) -> None:
    echo(f"  extracted {counts['documents']}/{counts['pending']} documents "
               f"({counts['failed']} failed, {counts['figures']} figures)", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, extract and archive government information-disclosure annual reports."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="The records as one JSON array (the default when not on a terminal).")
@click.option("--jsonl", is_flag=True, help="One JSON record per line.")
def extract(files: tuple[str, ...], as_json: bool, jsonl: bool) -> None:
    """Extract the report record (SCHEMA.md) from each FILE (text, HTML, PDF, DOCX, DOC, WPS, RTF,
    and scans: JPG, PNG, TIFF, BMP).

    On a terminal each record is shown as a summary (agency, year, era, figures, checks,
    warnings); piped, or with --json / --jsonl, as JSON. A file that cannot be read is
    reported on stderr with the reason; the others are still extracted, and the exit status is 1."""
    from extract import ExtractError, extract_file

    if as_json and jsonl:
        raise click.UsageError("--json and --jsonl: choose one")
    readable = not (as_json or jsonl) and sys.stdout.isatty()
    failed = 0
    records = []
    for path in files:
        try:
            record = extract_file(path)
        except ExtractError as err:
            echo(f"xxgk extract: {err}", err=True)
            failed += 1
            continue
        if readable:
            from xxgk.record_summary import record_summary

            echo(record_summary(path, record) + "\n")
        elif jsonl:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        else:
            records.append(record.to_dict())
    if not (readable or jsonl):
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


def registry_options(function):
    """--province, --city, --level, --kind and --name: a selection from the national registry."""
    for option in reversed((
            click.option("--province", help="A province by name or code: 湖南, 湖南省, 430000."),
            click.option("--city", help="A city by name or code: 衡阳市, 430400."),
            click.option("--level", help="central, province, city, county or township."),
            click.option("--kind", help="government, or a department's function (教育, 卫生健康 …)."),
            click.option("--name", help="Entries whose agency name contains this."))):
        function = option(function)
    return function


def _registry_selection(**chosen):
    """The registry entries a selection names (XXGK_REGISTRY overrides the shipped folder);
    a selection that names no place, level or kind the registry knows is a usage error."""
    from crawler.catalogue import REGISTRY_DIR, RegistryError, load_registry, select

    try:
        entries = select(load_registry(Path(os.environ.get("XXGK_REGISTRY") or REGISTRY_DIR)), **chosen)
    except RegistryError as err:
        raise BadRequest(str(err)) from None
    if not entries:
        said = ", ".join(f"--{k} {v}" for k, v in chosen.items() if v)
        raise click.ClickException(f"no registry entry matches {said or 'the selection'}: `xxgk sites` lists them")
    return entries


@main.command()
@registry_options
@click.option("--out", type=click.Path(dir_okay=False), help="Write the selection as a sites file (FILE.toml).")
@click.option("--status", "with_status", is_flag=True,
              help="Show what the crawls into --data found at each entry: reached, moved, dead, blocked, unreachable.")
@click.option("--counts", "as_counts", is_flag=True, help="Print the selection's counts by file, level and platform "
                                                           "(Markdown, as the README shows them).")
@data_option
def sites(province, city, level, kind, name, out, with_status, as_counts, data) -> None:
    """Select agencies' report columns from the national registry (crawler/sites/registry/): print
    how many and a table, or write them as a sites file for `xxgk crawl --sites`."""
    from crawler.catalogue import counts_markdown, entry_status, place_name, sites_toml

    entries = _registry_selection(province=province, city=city, level=level, kind=kind, name=name)
    if as_counts:
        echo(counts_markdown(entries))
        return
    said = " · ".join(v for v in (province and place_name(province, "province"), city and place_name(city, "city"),
                                  level, kind,
                                  name and f"name contains {name}") if v)
    echo(f"{len(entries)} registry entries" + (f" ({said})" if said else ""))
    db = _existing_database(data) if with_status else None
    try:
        for e in entries:
            status = "  " + " ".join(entry_status(db, e)).strip() if db else ""
            echo(f"  {e.agency}  {e.region_code}  {e.level}  {e.kind}  {e.pattern}  {e.start_url}{status}")
    finally:
        if db:
            db.close()
    if out:
        _check_writable("--out", out)
        Path(out).write_text(sites_toml(entries), encoding="utf-8")
        echo(f"wrote {out}; crawl them: {invocation()} crawl --sites {shlex.quote(out)} --data {shlex.quote(str(data))}")


@main.command()
@click.option("--sites", "sites_file", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of sites to crawl ([[site]] tables with start_urls).")
@click.option("--registry", "from_registry", is_flag=True,
              help="Crawl a selection from the national registry instead (--province, --city, --level, --kind, --name).")
@registry_options
@data_option
@years_option("Only reports for these years, e.g. 2013-2024, 2019 or 2013,2015.")
@click.option("--resume", is_flag=True, help="Continue the last interrupted crawl without refetching what it archived.")
@click.option("--retry-failed", is_flag=True, help="Try again the requests recorded in fetch_failures that can succeed (timeouts, "
                   "connection and DNS errors, 5xx, 429), not permanent ones (404, 410, 403, blocks, robots.txt).")
@click.option("--wayback", "wayback", default=None, is_flag=False, flag_value="all",
              help="Also fetch reports from the Internet Archive (all sites, or --wayback=SITE,SITE).")
@click.option("--contact", help="A URL or email for the User-Agent, so sites can reach you.")
@click.option("--via", help="Send every request through this HTTP proxy.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting (crawler/settings.py), e.g. -s DOWNLOAD_DELAY=2.")
@click.option("--redis", metavar="redis://HOST:PORT/DB",
              help="Be one worker of a shared crawl: requests from this Redis (xxgk seed), the archive "
                   "in --data is this worker's shard (xxgk merge folds the shards together).")
@click.option("--worker", help="This worker's name in a shared crawl (default: host and process id).")
def crawl(sites_file, from_registry, province, city, level, kind, name, data, years, resume, retry_failed, wayback,
          contact, via, overrides, redis, worker) -> None:
    """Find, fetch and archive the annual reports on the sites in SITES, then extract them.

    \b
    Exit status:
      0  the crawl ran to its end; sites nothing could be fetched from are named in its summary
      1  it stopped before the end (interrupted, disk full, extraction failed: --resume goes on),
         or could not start (the archive busy or unwritable, Redis not answering)
      2  a usage error (a bad sites file or option)
      3  it ran to its end and fetched nothing: no site could be reached (the summary says why)"""
    from crawler.registry import SitesError, load_sites
    from crawler.run import run_crawl
    from crawler.summary import crawl_summary, exit_status

    chosen = {"province": province, "city": city, "level": level, "kind": kind, "name": name}
    if bool(sites_file) == bool(from_registry):
        raise click.UsageError("crawl takes --sites FILE or --registry (with --province, --level …): one of them")
    if any(chosen.values()) and not from_registry:
        raise click.UsageError("--province, --city, --level, --kind and --name select from the registry: add --registry")
    entries = _registry_selection(**chosen) if from_registry else None
    if entries:
        sites_file = _selection_file(entries, data)
    try:
        load_sites(sites_file)
    except SitesError as err:
        raise click.UsageError(str(err)) from None
    settings = dict(o.split("=", 1) for o in overrides if "=" in o)
    if len(settings) != len(overrides):
        raise click.UsageError("--set takes NAME=VALUE")
    if redis:
        _check_redis(redis)
    _check_archive(data)
    stats = run_crawl(sites_file, data, years=years, resume=resume, retry_failed=retry_failed, wayback=wayback,
                      via=via, contact=contact, overrides=settings, redis=redis, worker=worker)
    echo(crawl_summary(data, stats, invocation()))
    if entries:
        echo(_record_statuses(data, entries, stats, chosen))
    if stats.get("xxgk/stopped"):
        echo(f"xxgk: the crawl stopped: {stats['xxgk/stopped']}", err=True)
    sys.exit(exit_status(stats))


def _check_redis(redis_url: str) -> None:
    """Make sure the shared crawl's Redis answers before anything starts."""
    from crawler.distributed import RedisUnreachable, check_redis

    try:
        check_redis(redis_url)
    except RedisUnreachable as err:
        raise click.ClickException(str(err)) from None


def _selection_file(entries, data) -> str:
    """The registry selection as a sites file in the archive's folder (the crawl's record of it)."""
    from crawler.catalogue import sites_toml

    path = Path(data) / "registry-selection.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sites_toml(entries), encoding="utf-8")
    return str(path)


def _record_statuses(data, entries, stats, selection: dict) -> str:
    """Each crawled entry's status, kept in the archive's registry_status (written under the
    archive's lock, as every write is); the line saying how many, and how to see each."""
    from archive.store import Archive, ArchiveBusy
    from crawler.catalogue import record_statuses

    try:
        archive = Archive(data)
    except ArchiveBusy as err:
        return f"registry entries' statuses not recorded: {err}"
    try:
        found = record_statuses(archive.db, entries, (stats.get("xxgk/run") or {}).get("id"))
    finally:
        archive.close()
    chosen = "".join(f" --{k} {shlex.quote(v)}" for k, v in selection.items() if v)
    return (f"registry entries: {', '.join(f'{n} {status}' for status, n in found.most_common())} "
            f"(each: {invocation()} sites{chosen} --status --data {shlex.quote(str(data))})")


def _check_archive(data) -> None:
    """Open the archive once before a crawl, so that a busy or unwritable one is a clear error
    here rather than a failure inside Scrapy."""
    import sqlite3

    from archive.store import Archive, ArchiveBusy

    try:
        Archive(data).close()
    except ArchiveBusy as err:
        raise click.ClickException(str(err)) from None
    except (OSError, sqlite3.Error) as err:
        raise click.ClickException(f"cannot write the archive in {data}: {err}") from None


@main.command()
@click.option("--redis", required=True, metavar="redis://HOST:PORT/DB", help="The shared crawl's Redis.")
@click.option("--sites", "sites_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="TOML file of sites to crawl (the workers need the same file).")
@years_option("Only reports for these years, e.g. 2013-2024, 2019 or 2013,2015.")
def seed(redis, sites_file, years) -> None:
    """Push the sites' start URLs into a shared crawl's queue; workers (xxgk crawl --redis) fetch them."""
    from crawler.distributed import seed as seed_queue
    from crawler.registry import SitesError

    _check_redis(redis)
    try:
        counts = seed_queue(redis, sites_file, years=years)
    except SitesError as err:
        raise click.UsageError(str(err)) from None
    echo(f"seeded {counts['queued']} start requests ({counts['already_seen']} seeded before); "
               f"{counts['in_queue']} requests in the queue at {redis}")


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@data_option
@click.option("--workers", default=2, show_default=True, help="Extraction processes.")
def merge(shards, data, workers) -> None:
    """Fold the archives of a shared crawl's workers (SHARDS) into one archive, and extract it."""
    from archive.merge import MergeError, merge_shards
    from archive.store import Archive, ArchiveBusy

    try:
        archive = Archive(data)
    except ArchiveBusy as err:
        raise click.ClickException(str(err)) from None
    try:
        counts = merge_shards(archive, [Path(s) for s in shards], workers=workers, progress=_show_progress)
    except (MergeError, ArchiveBusy) as err:
        raise click.ClickException(str(err)) from None
    finally:
        archive.close()
    extraction = counts["extraction"]
    echo(f"merged {counts['shards']} shards into {data}: {counts['documents']} documents added, "
               f"{counts['duplicates']} already there, {counts['warc_files']} WARC files copied, "
               f"{counts['failures']} failures; extracted {extraction['extracted']} reports "
               f"({extraction['failed']} failed)")


@main.command()
@click.option("--data", default="xxgk-data", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the demo's archive.")
def demo(data) -> None:
    """Crawl the bundled sample agency sites (served on 127.0.0.1), extract and archive them."""
    from crawler.run import run_crawl
    from crawler.summary import crawl_summary
    from demo import SITES
    from demo.server import SiteServer

    echo(_optional_programs(), err=True)
    with SiteServer(SITES) as server:
        echo(f"serving {len(server.sites)} sample sites on 127.0.0.1:{server.port} "
                   f"({', '.join(sorted(server.sites))})", err=True)
        stats = run_crawl(SITES / "sites.toml", data, via=server.proxy, overrides=DEMO_PACE)
    echo(crawl_summary(data, stats, invocation()))
    if (stats.get("xxgk/run") or {}).get("status") != "finished":
        sys.exit(1)
    db = _existing_database(data)
    try:
        echo(_demo_highlights(db, data))
    finally:
        db.close()


def _optional_programs() -> str:
    """Which optional programs extraction found, and what each reads (or how to install it)."""
    from extract.formats.engines import ENGINES, installed

    said = [f"{engine} found (reads {reads})" if installed(engine) else
            f"{engine} not found: {reads} stay archived unread until it is installed ({install})"
            for engine, (_, reads, install) in ENGINES.items()]
    return "optional programs: " + "; ".join(said)


DEMO_METRIC, DEMO_YEARS = "requests.received", "2013-2024"


def _demo_highlights(db, data) -> str:
    """What the demo's archive shows a first-time user: a metric across the 2019 change of
    format, the standard tables' cells and the checks, the scans read by OCR, and the commands to go on
    with."""
    from archive.compare import compare as build
    from archive.exports import text_table
    from archive.labels import metric_label

    table = build(db, [DEMO_METRIC], years=DEMO_YEARS)
    cells = next(db.query("select count(*) n, count(distinct report_id) reports from request_cells"))
    checks = {r["status"]: r["n"] for r in db.query("select status, count(*) n from checks group by status")}
    failed = [f"{r['agency']} {r['year']}: {r['name']}" for r in db.query(
        "select r.agency, r.year, c.name from checks c join reports r on r.id = c.report_id "
        "where c.status = 'fail' order by r.year desc, c.idx limit 1")]
    scans = [(r["agency"], r["year"], json.loads(r["ocr"])) for r in db.query(
        "select agency, year, ocr from reports where ocr is not null order by year, agency")]
    command, quoted = invocation(), shlex.quote(str(data))
    return "\n".join([
        f"{metric_label(DEMO_METRIC)} ({DEMO_METRIC}), {DEMO_YEARS.replace('-', '–')}: free text until 2018, "
        "the standard tables (表三) from 2019",
        text_table(table),
        f"standard tables: {cells['n']:,} cells of 表三 from {cells['reports']} reports (request_cells); checks: "
        + ", ".join(f"{checks.get(s, 0):,} {s}" for s in ("pass", "fail", "not_assessable"))
        + (f" (e.g. {failed[0]})" if failed else ""),
        *(["scans read by OCR: " + "; ".join(
            f"{agency} {year} ({_count(len(ocr['pages']), 'page')}, {ocr['engine']}, mean confidence "
            f"{sum(ocr['mean_confidence']) / len(ocr['mean_confidence']):.0f}%)" for agency, year, ocr in scans)
           + "; serve lists them: scanned_reports, low_confidence"] if scans else []),
        "go on with:",
        f"  {command} compare {DEMO_METRIC} --years {DEMO_YEARS} --out requests.xlsx --chart requests.png "
        f"--data {quoted}",
        f"  {command} metrics --data {quoted}",
        f"  {command} serve --data {quoted}        (then the dashboard: /-/dashboards/overview)",
    ])


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@data_option
@click.option("--workers", default=2, show_default=True, help="Extraction processes.")
def ingest(files, data, workers) -> None:
    """Archive and extract local FILES (reports already downloaded), as a crawl would.

    Ingesting a file again changes nothing; a file whose bytes changed is a new version. Each
    file that cannot be read or extracted is named on stderr with the reason and recorded in
    fetch_failures; the exit status is then 1. A folder is refused: name its files (DIR/*.pdf)."""
    import sqlite3

    from archive.ingest import ingest_files
    from archive.store import utcnow

    archive = _open_archive(data)
    started = utcnow()
    try:
        counts = ingest_files(archive, files, workers=workers, progress=_show_progress)
        failures = _failures_since(archive.db, started, files)
    except (OSError, sqlite3.Error) as err:
        from crawler.pipelines import out_of_space

        if out_of_space(err):
            raise click.ClickException(_disk_full(archive, err, f"ingest {shlex.join(files)} "
                                                                f"--data {shlex.quote(str(data))}")) from None
        raise
    finally:
        archive.close()         # nothing more to do once a full disk abandoned it
    for path, stage, reason in failures:
        echo(f"xxgk ingest: {path}: {reason} ({stage})", err=True)
    extraction = counts["extraction"]
    echo(f"ingested {_count(counts['files'], 'file')}: {counts['added']} new, "
               f"{counts['unchanged']} already archived, {counts['unreadable']} unreadable\n"
               f"extracted {_count(extraction['extracted'], 'report')} ({extraction['figures']} figures), "
               f"{extraction['failed']} not extractable (see fetch_failures)\n"
               f"archive {archive.data_dir / 'xxgk.db'}")
    if counts["unreadable"] or extraction["failed"]:
        sys.exit(1)


def _disk_full(archive, err: Exception, resume: str) -> str:
    """Close the archive without the batch being written, after `err` said the disk is full; one
    line saying so, what the archive keeps, and the command (`xxgk` and `resume`) that goes on."""
    import sqlite3

    with contextlib.suppress(sqlite3.Error):
        archive.db.conn.rollback()          # what is counted is what was committed
    reports = next(archive.db.query("select count(*) n from reports"))["n"]
    archive.abandon()
    return (f"the disk is full ({err}): the archive keeps what was written before it, {_count(reports, 'report')}; "
            f"free some space, then run {invocation()} {resume}")


def _failures_since(db, started: str, files) -> list[tuple[str, str, str]]:
    """(file as given, stage, reason) of each failure recorded since `started` for one of `files`."""
    given = {Path(f).resolve().as_uri(): f for f in files}
    found = []
    for row in db.query("select url, stage, reason from fetch_failures where resolved_at is null "
                        "and stage in ('ingest', 'extract') and last_failed_at >= ? order by id", [started]):
        if row["url"] in given:
            path = given[row["url"]]
            found.append((path, row["stage"], row["reason"].removeprefix(f"cannot ingest {Path(path)}: ")))
    return found


def _count(n: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@main.command()
@data_option
@click.option("--workers", default=2, show_default=True, help="Extraction processes.")
def reextract(data, workers) -> None:
    """Rerun the current extractors over every archived document, from the WARC files alone,
    and report what changed."""
    from archive.reextract import reextract as run

    _require_archive(data)
    archive = _open_archive(data)
    try:
        counts = run(archive, workers=workers, progress=_show_progress)
    finally:
        archive.close()
    rate = counts["documents"] / counts["seconds"] if counts["seconds"] else 0
    echo(f"re-extracted {counts['extracted']} of {counts['documents']} documents "
               f"({counts['failed']} failed) in {counts['seconds']} s ({rate:.0f} reports/s)\n"
               f"  reports  {counts['reports_added']} added, {counts['reports_removed']} removed, "
               f"{counts['reports_changed']} changed\n"
               f"  figures  {counts['figures_added']} added, {counts['figures_removed']} removed, "
               f"{counts['figures_changed']} changed")


@main.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, help="0 picks a free port.")
def serve(data, host, port) -> None:
    """Browse, search and query the archive in datasette (read-only), with a dashboard of charts.
    Nothing may write to the archive meanwhile: ingest, crawl, merge and reextract are refused."""
    from archive.serve import PortInUse, serve as run
    from archive.store import ArchiveBusy

    _require_archive(data)
    try:
        run(data, host=host, port=port, announce=lambda line: echo(line, err=True))
    except (ArchiveBusy, PortInUse) as err:
        raise click.ClickException(str(err)) from None


@main.command()
@click.argument("metrics", nargs=-1, required=True)
@data_option
@click.option("--agencies", help="Comma-separated agency names (any name they used) or keys.")
@click.option("--region", help="6-digit administrative code: the region and everything in it.")
@click.option("--level", help="central, province, city, county or township.")
@years_option("e.g. 2013-2024, 2019 or 2013,2015.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.csv, FILE.xlsx or FILE.json.")
@click.option("--chart", type=click.Path(dir_okay=False), help="Also draw it to FILE.png.")
def compare(metrics, data, agencies, region, level, years, out, chart) -> None:
    """Compare METRICS (e.g. requests.received) across agencies and years: a wide table with
    agencies as rows and years (or, for one year, metrics) as columns."""
    from archive.chart import draw_chart
    from archive.compare import CompareError, compare as build
    from archive.exports import FORMATS, write_comparison

    if not out.lower().endswith(FORMATS):
        raise click.UsageError(f"--out must end in {', '.join(FORMATS)}")
    if chart and not chart.lower().endswith(".png"):
        raise click.UsageError("--chart must end in .png")
    for option, path in (("--out", out), ("--chart", chart)):
        if path:
            _check_writable(option, path)
    db = _existing_database(data)
    try:
        table = build(db, list(metrics), agencies=agencies.split(",") if agencies else None,
                      region=region, level=level, years=years)
    except CompareError as err:
        raise BadRequest(str(err)) from None
    finally:
        db.close()
    if not table.rows:
        raise click.ClickException(f"the archive holds no figure for {', '.join(metrics)} in this selection: "
                                   "nothing written (`xxgk metrics` says how many figures each metric has)")
    filled = sum(len(row.cells) for row in table.rows)
    written = _writing(out, write_comparison, table)
    echo(f"{len(table.rows)} agencies × {len(table.columns)} columns, {filled} figures → {written}")
    if chart:
        echo(f"chart → {_writing(chart, draw_chart, table)}")


def _check_writable(option: str, path: str) -> None:
    """Refuse an output path that cannot be written before any work is done, creating nothing:
    its folder must exist and take a new file (probed with a temporary file, removed at once)."""
    import tempfile

    folder = Path(path).parent
    if not folder.is_dir():
        raise BadRequest(f"{option} {path}: no folder {folder} (create it first, or write elsewhere)")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".xxgk-probe-"):
            pass
    except OSError as err:
        raise BadRequest(f"{option} {path}: cannot write in {folder}: {err.strerror or err}") from None


def _writing(path: str, write, table):
    """`write(table, path)`, a file that cannot be written being a one-line error."""
    try:
        return write(table, path)
    except OSError as err:
        raise click.ClickException(f"cannot write {path}: {err.strerror or err}") from None


@main.command()
@data_option
def metrics(data) -> None:
    """Every metric key (SCHEMA.md) with its Chinese and English name, and how many figures and
    reports the archive in --data holds for it (categories, for the metrics that have them)."""
    from archive.stats import format_metrics, metric_counts
    from archive.store import DB_NAME

    if not (Path(data) / DB_NAME).exists():
        echo(f"(no archive in {data}: the keys without counts)", err=True)
        echo(format_metrics({}))
        return
    db = _existing_database(data)
    try:
        echo(format_metrics(metric_counts(db)))
    finally:
        db.close()


@main.command()
@data_option
def stats(data) -> None:
    """What the archive holds: agencies, reports by year and era, figures, checks, failures."""
    from archive.stats import archive_stats, format_stats

    db = _existing_database(data)
    try:
        echo(format_stats(archive_stats(db), str(Path(data) / "xxgk.db")))
    finally:
        db.close()


def _existing_database(data):
    """The archive's database in `data` (brought up to this version's schema), for reading."""
    from archive.store import DB_NAME, open_database

    _require_archive(data)
    return open_database(Path(data) / DB_NAME)


def _require_archive(data) -> None:
    """A usage error unless `data` holds an archive."""
    from archive.store import DB_NAME

    if not (Path(data) / DB_NAME).exists():
        raise click.UsageError(f"no archive in {data}: crawl, ingest or run the demo first")


def _open_archive(data):
    """The archive in `data`, for writing (one writer at a time)."""
    from archive.store import Archive, ArchiveBusy

    try:
        return Archive(data)
    except ArchiveBusy as err:
        raise click.ClickException(str(err)) from None
