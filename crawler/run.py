"""Running the `reports` spider from Python (what `xxgk crawl` and `xxgk demo` do)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.registry import load_sites
from crawler.spiders.reports import ReportsSpider


def crawl_settings(sites_file: str | Path, data: str | Path, *, contact: str | None = None,
                   overrides: dict | None = None) -> Settings:
    """The project's settings, with a log file in the data folder and each site's own delay."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_FILE", str(private_log(Path(data) / "logs", f"crawl-{dt.datetime.now():%Y%m%d-%H%M%S}.log")),
                 priority="cmdline")
    settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
    slots = {}
    for site in load_sites(sites_file):
        if site.delay is not None:
            for url in site.start_urls:
                slots[urlsplit(url).hostname] = {"delay": site.delay}
    if slots:
        settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    if contact:
        settings.set("USER_AGENT", f"xxgk/0.1 (+{contact}; archival crawler of 政府信息公开年度报告)", priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def private_log(folder: Path, name: str) -> Path:
    """A log file only its owner (and group) can read: 0640 in a 0750 folder. A crawl's log
    says what it fetched and from where; Scrapy would create it world-readable."""
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    folder.chmod(0o750)
    path = folder / name
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640))
    path.chmod(0o640)
    return path


def run_crawl(sites_file: str | Path, data: str | Path, *, years: str | None = None, resume: bool = False,
              retry_failed: bool = False, wayback: str | None = None, via: str | None = None,
              contact: str | None = None, overrides: dict | None = None, redis: str | None = None,
              worker: str | None = None) -> dict:
    """Crawl the sites in `sites_file` into the archive in `data`; return the crawl's stats.

    `via` sends every request through an HTTP proxy (the demo and the tests use it to reach
    their local sites under their own host names). `redis` makes this process one worker of a
    shared crawl (crawler/distributed.py), `data` its shard."""
    if redis:
        from crawler.distributed import redis_settings, worker_name

        shared = redis_settings(redis, worker=worker)
        shared["XXGK_WORKER"] = worker_name(shared)
        overrides = {**shared, **(overrides or {})}
    if via:
        os.environ["http_proxy"] = os.environ["HTTP_PROXY"] = via
        os.environ.pop("no_proxy", None)
        os.environ.pop("NO_PROXY", None)
    settings = crawl_settings(sites_file, data, contact=contact, overrides=overrides)
    process = CrawlerProcess(settings)
    # Scrapy makes its DEBUG records of every page ("Crawled", "Scraped from") whatever the log's
    # level, for its handler to drop: its loggers are told the level, and make none below it.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(ReportsSpider)
    process.crawl(crawler, sites=str(sites_file), data=str(data), years=years, resume="1" if resume else "",
                  retry_failed="1" if retry_failed else "", wayback=wayback or "")
    process.start()
    stats = crawler.stats.get_stats()
    stats["log_file"] = settings.get("LOG_FILE")
    return stats
