"""The Apprise channels: loaded from the Apprise YAML config file, routed by tags.

An alert carries the tags ``severity:<high|medium|low>``, ``kind:<kind>``, ``agency:<id>`` and
``region:<r>`` for its region and every region above it (``江苏省``, ``江苏省/宿迁市`` …). A
channel receives an alert when one of its tags is among them; a channel tagged ``always``
(Apprise's own rule) receives everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import apprise

from monitor.errors import AlertConfigError
from monitor.settings import MonitorConfig


def config_path(config: MonitorConfig) -> Path:
    # the front end has already resolved its file and environment into ``apprise_config``
    if config.apprise_config is not None:
        return config.apprise_config
    raise AlertConfigError(
        "apprise_config",
        "no Apprise configuration: set apprise_config in the config file "
        "or $GKWATCH_APPRISE_CONFIG",
    )


def load(path: Path) -> apprise.Apprise:
    """Every channel of the Apprise config file; a clear error when there are none."""
    if not path.is_file():
        raise AlertConfigError(str(path), "Apprise configuration file not found")
    source = apprise.AppriseConfig()
    if not source.add(str(path)):
        raise AlertConfigError(str(path), "not a readable Apprise configuration")
    channels = apprise.Apprise()
    channels.add(source)
    if len(channels) == 0:
        raise AlertConfigError(str(path), "no notification URL could be loaded from it")
    return channels


def region_tags(region: str | None) -> list[str]:
    if not region:
        return []
    parts = [p for p in region.replace("／", "/").split("/") if p]
    return [f"region:{'/'.join(parts[: i + 1])}" for i in range(len(parts))]


def tags(severity: str, kind: str, agency_id: str | None, region: str | None) -> list[str]:
    out = [f"severity:{severity}", f"kind:{kind}"]
    if agency_id:
        out.append(f"agency:{agency_id}")
    return out + region_tags(region)


def matching(channels: apprise.Apprise, alert_tags: Iterable[str]) -> list[apprise.NotifyBase]:
    """The channels (Apprise plugin objects) an alert with these tags goes to."""
    return list(channels.find(list(alert_tags), match_always=True))
