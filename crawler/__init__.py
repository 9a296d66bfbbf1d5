"""gkwatch crawler: the Scrapy project that finds, fetches and keeps every annual report.

Scrapy is imported only inside this package; ``python -m crawler.run`` runs one crawl in its
own process (the Twisted reactor cannot be restarted) and ``crawler.scrapyd`` spreads a crawl
over Scrapyd nodes.
"""

from __future__ import annotations
