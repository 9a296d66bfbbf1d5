"""Scrapy settings of the gkwatch crawler (``scrapy.cfg``: ``default = crawler.settings``).

Polite by default: robots.txt, AutoThrottle, at most two requests per host at a time, retries
with exponential backoff, size caps. Override any of them with ``-s NAME=VALUE``.
"""

from __future__ import annotations

BOT_NAME = "gkwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "gkwatch/0.1 (+https://github.com/gkwatch/gkwatch; annual-report archive)"
ROBOTSTXT_OBEY = True

# Politeness: government portals are often small servers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Robustness: slow servers, huge scans, flaky gateways.
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
#: Backoff before retry n: RETRY_BACKOFF_BASE * 2 ** (n - 1), at most RETRY_BACKOFF_MAX seconds.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 5
DNS_TIMEOUT = 20
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Breadth-first, so one deep portal does not starve the others.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 580,
    "crawler.middlewares.encoding.EncodingMiddleware": 570,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}

EXTENSIONS = {
    "crawler.extensions.progress.ProgressReporter": 500,
}

# gkwatch settings.
#: SQLAlchemy URL of the archive (``python -m crawler.run --database``).
GKWATCH_DATABASE_URL = None
#: Store document bytes as files here instead of in the database.
GKWATCH_DOCUMENT_DIR = None
#: Name of this node in the crawl-run log (default: the host name).
GKWATCH_NODE = None
#: Conditional requests (If-None-Match / If-Modified-Since) from the fetch log.
GKWATCH_CONDITIONAL = True
#: How deep discovery walks from a portal's home page to find the 年报 column.
GKWATCH_DISCOVERY_DEPTH = 2
#: Cap on the pages of one report list (guards against calendar-style pagination traps).
GKWATCH_MAX_LIST_PAGES = 200
#: File descriptor for progress lines (set by ``gkwatch crawl``; -1: off) and their interval.
GKWATCH_PROGRESS_FD = -1
GKWATCH_PROGRESS_INTERVAL = 0.5

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
#: Processes that parse reports beside the crawl (0: parse on the storage thread).
GKWATCH_PARSE_PROCESSES = 2
#: Items stored per transaction batch at most, and how long the first item of a batch waits
#: for others (seconds) when the storage thread is free.
GKWATCH_STORE_BATCH = 100
GKWATCH_STORE_INTERVAL = 0.2
#: Outputs of one callback handled at once. Scrapy starts that many tasks per response; a page
#: here yields one item and a few requests, and 100 (the default) tasks per page cost more
#: than the page itself at crawl speed.
CONCURRENT_ITEMS = 16
