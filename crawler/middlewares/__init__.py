"""Downloader middlewares of the gkwatch crawler, one per module."""
