"""Exponential backoff of failed deliveries."""

from __future__ import annotations

import datetime as dt


def next_attempt(
    now: dt.datetime, attempts: int, base_seconds: int, max_seconds: int
) -> dt.datetime:
    """After the ``attempts``-th failed attempt: base, 2×base, 4×base … capped at max."""
    delay = min(max_seconds, base_seconds * 2 ** max(0, attempts - 1))
    return now + dt.timedelta(seconds=delay)
