"""gkwatch monitor: checks over the archive, findings, alerts through Apprise, the service.

from monitor import run_checks, deliver
result = run_checks(archive, config, now)     # -> storage.SyncResult
report = deliver(archive, config, now)        # -> monitor.alerts.deliver.DeliveryReport
"""

from __future__ import annotations

from monitor.alerts.deliver import DeliveryReport, deliver
from monitor.job import run_checks

__all__ = ["DeliveryReport", "deliver", "run_checks"]
