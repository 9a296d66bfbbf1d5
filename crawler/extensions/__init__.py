"""Scrapy extensions of gkwatch (one per module)."""
