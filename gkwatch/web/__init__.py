"""The read-only web dashboard and JSON API (FastAPI, server-rendered Jinja2, no CDN)."""
