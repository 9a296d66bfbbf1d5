"""Was a report published on time? Its deadline and its timeliness status, for display.

The monitor owns the "late"/"missing" findings; the deadline comes from the monitor's own
function (``monitor.deadlines.deadline``) so that the grid and the alerts always agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

Status = Literal["on_time", "late", "missing", "not_due"]
STATUSES: Final = ("on_time", "late", "missing", "not_due")


def deadline(level: str, custom: str | None, year: int) -> dt.date:
    """The last day to publish the report on ``year`` (it falls in ``year + 1``)."""
    # imported here: ``monitor`` pulls in Apprise, which ``gkwatch --help`` need not load
    from monitor.deadlines import deadline as monitor_deadline

    return monitor_deadline(level, year, custom)


def status(published: dt.date | None, present: bool, due: dt.date, today: dt.date) -> Status:
    """Timeliness of one agency × year.

    ``published`` is the best known publication date (the page's date, else the list's, else
    the day gkwatch first saw it); ``present`` says whether the archive has the report at all.
    """
    if present:
        if published is None or published <= due:
            return "on_time"
        return "late"
    return "missing" if today > due else "not_due"
