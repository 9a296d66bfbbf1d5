"""gkwatch monitor: checks over the archive, findings, alerts through Apprise, the service.

from monitor import MonitorConfig, run_checks, deliver
config = MonitorConfig(database_url=url, apprise_config=path, section={...})
result = run_checks(archive, config, now)     # -> storage.SyncResult
report = deliver(archive, config, now)        # -> monitor.alerts.deliver.DeliveryReport

The monitor imports ``parser`` and ``storage`` only; the front end builds its ``MonitorConfig``.
"""

from __future__ import annotations

from monitor.alerts.deliver import DeliveryReport, deliver
from monitor.job import run_checks
from monitor.settings import MonitorConfig

__all__ = ["DeliveryReport", "MonitorConfig", "deliver", "run_checks"]
