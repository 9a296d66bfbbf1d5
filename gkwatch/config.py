"""gkwatch configuration: one YAML file plus environment overrides.

Resolution order for every setting: command-line option > environment variable > config file
> default. The config file is ``$GKWATCH_CONFIG`` or ``<user config dir>/gkwatch/config.yaml``;
it is optional.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import yaml

from gkwatch.errors import ConfigError

if TYPE_CHECKING:
    from monitor.settings import MonitorConfig

APP = "gkwatch"

#: What the scheduled jobs call to reload the configuration on every run (see
#: ``monitor.service.jobs``): a "module:function" string, so the job store keeps no object.
MONITOR_LOADER = "gkwatch.config:load_monitor_config"


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP))
    return f"sqlite:///{data_dir / 'gkwatch.db'}"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.yaml"


@dataclass(frozen=True)
class Config:
    database_url: str
    config_path: Path | None = None
    registry: Path | None = None
    apprise_config: Path | None = None
    base_url: str = "http://127.0.0.1:8000"
    document_dir: Path | None = None
    #: per-section free-form settings (``monitor``, ``crawl``, ``alerts``, ``web``)
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "the top level must be a mapping")
    return data


def _path(value: Any, base: Path | None) -> Path | None:
    if value in (None, ""):
        return None
    p = Path(str(value)).expanduser()
    if base is not None and not p.is_absolute():
        p = base / p
    return p


def load(config_path: str | Path | None = None, database: str | None = None) -> Config:
    """Load the configuration; a missing default config file is not an error."""
    env = os.environ
    explicit = config_path or env.get("GKWATCH_CONFIG")
    path = Path(explicit).expanduser() if explicit else default_config_path()
    if explicit and not path.exists():
        raise ConfigError(str(path), "config file not found")
    data = _read_file(path) if path.exists() else {}
    base = path.parent if path.exists() else None
    sections = {k: v for k, v in data.items() if isinstance(v, dict)}
    return Config(
        database_url=database
        or env.get("GKWATCH_DATABASE_URL")
        or data.get("database_url")
        or default_database_url(),
        config_path=path if path.exists() else None,
        registry=_path(env.get("GKWATCH_REGISTRY") or data.get("registry"), base),
        apprise_config=_path(env.get("GKWATCH_APPRISE_CONFIG") or data.get("apprise_config"), base),
        base_url=str(env.get("GKWATCH_BASE_URL") or data.get("base_url") or Config.base_url),
        document_dir=_path(env.get("GKWATCH_DOCUMENT_DIR") or data.get("document_dir"), base),
        sections=sections,
    )


def crawl_command(
    config: Config,
    *,
    agencies: Sequence[str] = (),
    settings: Mapping[str, str] | None = None,
    with_registry: bool = True,
) -> list[str]:
    """The command line of one local crawl into the archive: the whole registry, or
    ``agencies``; the config's registry imported first unless ``with_registry`` is False
    (a caller that imported it already); ``settings`` override Scrapy's."""
    command = [sys.executable, "-m", "crawler.run", "--database", config.database_url]
    if with_registry and config.registry is not None:
        command += ["--registry", str(config.registry)]
    if config.document_dir is not None:
        command += ["--document-dir", str(config.document_dir)]
    for agency in agencies:
        command += ["--agency", agency]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    return command


def monitor_config(config: Config) -> MonitorConfig:
    """What the monitor needs of ``config``; raises ``monitor.errors.SettingsError`` when the
    ``monitor:`` section has a value it cannot use."""
    # imported here: ``monitor`` pulls in Apprise, which ``gkwatch --help`` need not load
    from monitor.settings import MonitorConfig

    return MonitorConfig(
        database_url=config.database_url,
        document_dir=config.document_dir,
        apprise_config=config.apprise_config,
        base_url=config.base_url,
        section=config.section("monitor"),
        crawl_command=tuple(crawl_command(config)),
    )


def load_monitor_config(config_path: str | None, database_url: str | None) -> MonitorConfig:
    """``MONITOR_LOADER``: the configuration as ``load`` reads it, for the monitor."""
    return monitor_config(load(config_path, database_url))
