"""Scrapy settings for xxgk's crawler: a polite guest on government sites."""

BOT_NAME = "xxgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Say who we are and how to reach us; sites see this in their logs (`xxgk crawl --contact URL`).
USER_AGENT = "xxgk/0.1 (+https://github.com/xxgk/xxgk; archival crawler of 政府信息公开年度报告)"
ROBOTSTXT_OBEY = True
# A robots.txt answering 5xx, or not at all, disallows the host (RFC 9309), asked for again after this long.
XXGK_ROBOTS_RETRY_AFTER = 600.0

# No telnet console: nothing here needs it, and it would listen with its password in the log.
TELNETCONSOLE_ENABLED = False

# At most two requests at a time to one host, and slower when the host is slow.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Timeouts and transient server errors are retried, after a pause that doubles each time.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
XXGK_RETRY_BACKOFF_BASE = 1.0          # seconds before the first retry
XXGK_RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024    # reports are rarely larger; bigger answers are recorded as too_large
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024

# Hosts that block us (412 challenge, 418, shell pages) are slowed down, then left alone.
XXGK_BLOCKS_BEFORE_GIVING_UP = 3
XXGK_BLOCK_BACKOFF_DELAY = 30.0

# The archive pipeline is synchronous: Scrapy's default of 100 parallel item workers per response
# would only cost (each worker is an asyncio task created for every page).
CONCURRENT_ITEMS = 4

# The archive: commit a batch every N items or seconds; extraction workers after the crawl.
XXGK_COMMIT_EVERY_ITEMS = 200
XXGK_COMMIT_EVERY_SECONDS = 2.0
XXGK_EXTRACT_WORKERS = 2
XXGK_PROGRESS_INTERVAL = 1.0

# Reports the live site lost: the Internet Archive (tests point these at a local stand-in).
WAYBACK_CDX_URL = "https://web.archive.org/cdx/search/cdx"
WAYBACK_REPLAY_URL = "https://web.archive.org/web"

# Depth is bounded per site (max_hops in the sites file), not by Scrapy's DEPTH_LIMIT, so that
# a long paginated list does not count as depth.
DEPTH_LIMIT = 0

# Duplicates are filtered by the archive's frontier (constant memory; survives a kill).
DUPEFILTER_CLASS = "crawler.dupefilter.FrontierDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    # every request and redirect hop kept to its site (crawler/scope.py), before robots.txt is asked
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.scope.ScopeMiddleware": 50,
    "crawler.middlewares.LeftAlone": 75,               # hosts given up on in this run: asked nothing more
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetry": 550,
    "crawler.middlewares.BlockDetector": 585,          # after decompression, before meta refresh
    "crawler.robots.RobotsSize": 595,                  # a robots.txt read to 500 KiB, before decompression
    "crawler.middlewares.ConditionalRequests": 610,    # sees a 304 before the redirect middleware
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawler.progress.Progress": 500,
              "crawler.distributed.Coordinator": 510}      # only with REDIS_URL (xxgk crawl --redis)

# A worker of a shared crawl (xxgk crawl --redis) stops after this long with nothing to do anywhere.
XXGK_REDIS_IDLE_CLOSE = 10.0

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
