"""What the monitor is configured with: ``MonitorConfig`` (built by the front end from its own
configuration) and the ``monitor:`` section of the config file, validated into ``Settings`` with
the defaults of the issue.

Every key of the section is optional; see the "Monitoring" section of the README for the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import SettingsError

ALL_KINDS = (
    "missing",
    "due",
    "late",
    "identity",
    "carryover",
    "in_force",
    "prose_mismatch",
    "jump",
    "changed",
    "removed",
    "copied",
    "crawl_failing",
)


#: daily in January–April (the reporting season), weekly on Mondays otherwise; 02:00
DEFAULT_CRAWL_CRON: tuple[Mapping[str, str], ...] = (
    {"month": "1-4", "hour": "2", "minute": "0"},
    {"month": "5-12", "day_of_week": "mon", "hour": "2", "minute": "0"},
)


@dataclass(frozen=True)
class JumpRule:
    ratio: float = 3.0  # a change of >= ratio x or <= 1/ratio x …
    min_change: float = 20.0  # … and an absolute change of at least this much


@dataclass(frozen=True)
class Settings:
    grace_days: int = 7
    due_days: int = 0  # 0: no "due" reminders
    first_year: int = 2019  # expected first report year when the registry has no `since`
    kinds: tuple[str, ...] = ALL_KINDS
    jump: JumpRule = JumpRule()
    jump_figures: Mapping[str, JumpRule] = field(default_factory=dict)
    copy_threshold: float = 0.9
    copy_shingle: int = 5
    copy_min_shingles: int = 100  # shorter narratives are too short to call a copy
    crawl_failures: int = 3
    # alerts
    digest: bool = False
    lease_seconds: int = 300
    backoff_seconds: int = 60
    backoff_max_seconds: int = 6 * 3600
    delivery_batch: int = 100
    # service
    #: cron field mappings (APScheduler CronTrigger); the crawl runs when any of them fires
    crawl_cron: tuple[Mapping[str, str], ...] = DEFAULT_CRAWL_CRON
    timezone: str = "Asia/Shanghai"
    sweep_hour: int = 6
    deliver_minutes: int = 5
    misfire_grace_seconds: int = 3600
    crawl_command: tuple[str, ...] = ()

    def jump_rule(self, figure: str) -> JumpRule:
        return self.jump_figures.get(figure, self.jump)


def _num(raw: Mapping[str, Any], key: str, default: float, *, minimum: float = 0) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise SettingsError(key, value, f"a number >= {minimum}")
    return float(value)


def _int(raw: Mapping[str, Any], key: str, default: int, *, minimum: int = 0) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingsError(key, value, f"an integer >= {minimum}")
    return value


def _mapping(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, Mapping):
        raise SettingsError(key, value, "a mapping")
    return value


def _jump(raw: Mapping[str, Any], prefix: str, base: JumpRule) -> JumpRule:
    try:
        return JumpRule(
            ratio=_num(raw, "ratio", base.ratio, minimum=1),
            min_change=_num(raw, "min_change", base.min_change),
        )
    except SettingsError as exc:
        raise SettingsError(
            f"{prefix}.{exc.key}", exc.value, str(exc).split(" is not ")[-1]
        ) from exc


def load(raw: Mapping[str, Any] | None) -> Settings:
    """Validate the ``monitor:`` mapping (``Config.section("monitor")``)."""
    raw = raw or {}
    kinds = tuple(raw.get("kinds") or ALL_KINDS)
    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        raise SettingsError("kinds", unknown, f"a list of check kinds ({', '.join(ALL_KINDS)})")
    jump_raw = _mapping(raw, "jump")
    jump = _jump(jump_raw, "jump", JumpRule())
    figures = _mapping(jump_raw, "figures")
    copied = _mapping(raw, "copied")
    alerts = _mapping(raw, "alerts")
    schedule = _mapping(raw, "schedule")
    threshold = _num(copied, "threshold", 0.9)
    if threshold > 1:
        raise SettingsError("copied.threshold", threshold, "a similarity between 0 and 1")
    command = schedule.get("crawl_command") or ()
    if isinstance(command, str) or not all(isinstance(c, str) for c in command):
        raise SettingsError("schedule.crawl_command", command, "a list of strings")
    cron_raw = schedule.get("crawl_cron") or DEFAULT_CRAWL_CRON
    cron_list = [cron_raw] if isinstance(cron_raw, Mapping) else cron_raw
    if not isinstance(cron_list, list | tuple) or not all(
        isinstance(c, Mapping) for c in cron_list
    ):
        raise SettingsError("schedule.crawl_cron", cron_raw, "a cron mapping or a list of them")
    return Settings(
        grace_days=_int(raw, "grace_days", 7),
        due_days=_int(raw, "due_days", 0),
        first_year=_int(raw, "first_year", 2019, minimum=2000),
        kinds=kinds,
        jump=jump,
        jump_figures={
            str(name): _jump(value or {}, f"jump.figures.{name}", jump)
            for name, value in figures.items()
        },
        copy_threshold=threshold,
        copy_shingle=_int(copied, "shingle", 5, minimum=1),
        copy_min_shingles=_int(copied, "min_shingles", 100, minimum=1),
        crawl_failures=_int(raw, "crawl_failures", 3, minimum=1),
        digest=bool(alerts.get("digest", False)),
        lease_seconds=_int(alerts, "lease_seconds", 300, minimum=1),
        backoff_seconds=_int(alerts, "backoff_seconds", 60, minimum=1),
        backoff_max_seconds=_int(alerts, "backoff_max_seconds", 6 * 3600, minimum=1),
        delivery_batch=_int(alerts, "batch", 100, minimum=1),
        crawl_cron=tuple({str(k): str(v) for k, v in c.items()} for c in cron_list),
        timezone=str(schedule.get("timezone", "Asia/Shanghai")),
        sweep_hour=_int(schedule, "sweep_hour", 6),
        deliver_minutes=_int(schedule, "deliver_minutes", 5, minimum=1),
        misfire_grace_seconds=_int(schedule, "misfire_grace_seconds", 3600, minimum=1),
        crawl_command=tuple(command),
    )


@dataclass(frozen=True)
class MonitorConfig:
    """Everything monitor code reads of the configuration. The front end builds it (gkwatch:
    ``gkwatch.config.monitor_config``), so monitor never sees the front end's own types.

    ``section`` is the raw ``monitor:`` mapping; it is validated on construction, so a bad
    value fails where the configuration is read, and ``settings`` holds the result.
    ``crawl_command`` is the scheduled crawl's default command line (the section's
    ``schedule.crawl_command`` overrides it); empty when the front end gives none.
    """

    database_url: str
    document_dir: Path | None = None
    apprise_config: Path | None = None
    base_url: str = "http://127.0.0.1:8000"
    section: Mapping[str, Any] = field(default_factory=dict)
    crawl_command: tuple[str, ...] = ()
    settings: Settings = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", load(self.section))

    @property
    def scheduled_crawl(self) -> tuple[str, ...]:
        """The command the scheduled crawl runs: the section's override, else the default."""
        return self.settings.crawl_command or self.crawl_command
