"""xxgk: crawl, extract and archive China's government information-disclosure annual reports."""

from __future__ import annotations

import json
import sys

import click

from extract import ExtractError, extract_file

# The demo's sites are on this machine: no need to wait between requests.
DEMO_PACE = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk")
def main() -> None:
    """Crawl, extract and archive government information-disclosure annual reports."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--jsonl", is_flag=True, help="One JSON record per line instead of a JSON array.")
def extract(files: tuple[str, ...], jsonl: bool) -> None:
    """Extract the report record (SCHEMA.md) from each FILE (.txt, .html, .htm).

    A file that cannot be read is reported on stderr with the reason; the others are still
    extracted, and the exit status is 1."""
    failed = 0
    records = []
    for path in files:
        try:
            record = extract_file(path).to_dict()
        except ExtractError as err:
            click.echo(f"xxgk extract: {err}", err=True)
            failed += 1
            continue
        if jsonl:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            records.append(record)
    if not jsonl:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--sites", "sites_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="TOML file of sites to crawl ([[site]] tables with start_urls).")
@click.option("--data", default="xxgk-data", show_default=True, type=click.Path(file_okay=False),
              help="Folder holding the archive (xxgk.db) and the raw captures (warc/).")
@click.option("--years", help="Only reports for these years, e.g. 2013-2024 or 2019.")
@click.option("--resume", is_flag=True, help="Continue the last interrupted crawl without refetching what it archived.")
@click.option("--retry-failed", is_flag=True, help="Try again every request recorded in fetch_failures.")
@click.option("--wayback", "wayback", default=None, is_flag=False, flag_value="all",
              help="Also fetch reports from the Internet Archive (all sites, or --wayback=SITE,SITE).")
@click.option("--contact", help="A URL or email for the User-Agent, so sites can reach you.")
@click.option("--via", help="Send every request through this HTTP proxy.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting (crawler/settings.py), e.g. -s DOWNLOAD_DELAY=2.")
def crawl(sites_file, data, years, resume, retry_failed, wayback, contact, via, overrides) -> None:
    """Find, fetch and archive the annual reports on the sites in SITES, then extract them."""
    from crawler.registry import SitesError, load_sites
    from crawler.run import run_crawl
    from crawler.summary import crawl_summary

    try:
        load_sites(sites_file)
    except SitesError as err:
        raise click.UsageError(str(err)) from None
    settings = dict(o.split("=", 1) for o in overrides if "=" in o)
    if len(settings) != len(overrides):
        raise click.UsageError("--set takes NAME=VALUE")
    stats = run_crawl(sites_file, data, years=years, resume=resume, retry_failed=retry_failed, wayback=wayback,
                      via=via, contact=contact, overrides=settings)
    click.echo(crawl_summary(data, stats))
    if (stats.get("xxgk/run") or {}).get("status") != "finished":
        sys.exit(1)


@main.command()
@click.option("--data", default="xxgk-data", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the demo's archive.")
def demo(data) -> None:
    """Crawl the bundled sample agency sites (served on 127.0.0.1), extract and archive them."""
    from crawler.run import run_crawl
    from crawler.summary import crawl_summary
    from demo import SITES
    from demo.server import SiteServer

    with SiteServer(SITES) as server:
        click.echo(f"serving {len(server.sites)} sample sites on 127.0.0.1:{server.port} "
                   f"({', '.join(sorted(server.sites))})", err=True)
        stats = run_crawl(SITES / "sites.toml", data, via=server.proxy, overrides=DEMO_PACE)
    click.echo(crawl_summary(data, stats))
    if (stats.get("xxgk/run") or {}).get("status") != "finished":
        sys.exit(1)
