"""Alerts: Apprise channels routed by tags, Chinese messages from sandboxed templates, and the
outbox delivery loop (claim with a lease, send, mark delivered or failed with backoff)."""
