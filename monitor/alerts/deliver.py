"""Outbox delivery: claim each due alert with a lease, send it, mark it delivered or failed.

Guarantee: at-least-once. An alert is marked delivered only after Apprise reported success
with no WARNING/ERROR in its log; a deliverer killed between sending and marking leaves the
alert leased, and once the lease expires the next run sends it again. So every alert
arrives; one that was in flight at a crash may arrive twice (its "#id" lets a receiver drop
the repeat). Leases keep two deliverers from sending the same alert at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import apprise

from monitor.alerts import channels as _channels
from monitor.alerts.backoff import next_attempt
from monitor.alerts.messages import (
    KIND_LABELS,
    SEVERITY_LABELS,
    Message,
    Renderer,
    notify_type,
    numbers,
)
from monitor.settings import MonitorConfig, Settings
from storage import Agency, Alert, Archive, Finding, NotFound


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another deliverer first
    unrouted: int = 0  # no channel's tags matched: marked delivered, nothing sent
    messages: tuple[Message, ...] = ()  # what was sent (or, in a dry run, would be)
    errors: tuple[str, ...] = field(default_factory=tuple)


def send(
    target: apprise.Apprise, title: str, body: str, tags: Iterable[str] | None, kind: str
) -> str | None:
    """Send through Apprise; ``None`` on success, else the error. A WARNING or ERROR that
    Apprise logs counts as failure even when it reports success (a partial fan-out)."""
    with apprise.LogCapture(level=logging.WARNING) as log:  # type: ignore[no-untyped-call]
        try:
            result = target.notify(
                body=body,
                title=title,
                notify_type=kind,
                tag=list(tags) if tags is not None else apprise.common.MATCH_ALL_TAG,
            )
        except Exception as exc:  # a plugin bug must not kill the loop
            return f"{type(exc).__name__}: {exc}"
        captured = log.getvalue().strip()
    if result.status != apprise.AppriseResultStatus.SUCCESS:
        return captured or f"Apprise reported {result.status.name}"
    return captured or None


class _Lookup:
    """Caches the finding, agency and report link behind each alert."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._agencies: dict[str, Agency | None] = {}

    def agency(self, agency_id: str | None) -> Agency | None:
        if agency_id is None:
            return None
        if agency_id not in self._agencies:
            try:
                self._agencies[agency_id] = self.archive.agency(agency_id)
            except NotFound:
                self._agencies[agency_id] = None
        return self._agencies[agency_id]

    def report_url(self, finding: Finding) -> str | None:
        url = finding.evidence.get("url")
        if isinstance(url, str):
            return url
        if finding.agency_id is None or finding.year is None:
            return None
        try:
            return self.archive.report(finding.agency_id, finding.year).url
        except NotFound:
            return None


def compose(
    alert: Alert, finding: Finding, lookup: _Lookup, renderer: Renderer, base_url: str
) -> Message:
    agency = lookup.agency(finding.agency_id)
    page = None
    if finding.agency_id and finding.year is not None:
        page = f"{base_url.rstrip('/')}/reports/{finding.agency_id}/{finding.year}"
    context = {
        "alert_id": alert.id,
        "event": alert.event,
        "key": finding.key,
        "kind": finding.kind,
        "kind_label": KIND_LABELS.get(finding.kind, finding.kind),
        "severity": finding.severity,
        "severity_label": SEVERITY_LABELS.get(finding.severity, finding.severity),
        "agency_id": finding.agency_id or "",
        "agency_name": agency.name if agency else (finding.agency_id or "全部"),
        "region": agency.region if agency else "",
        "year": finding.year,
        "summary": finding.summary,
        "evidence": finding.evidence,
        "numbers": numbers(finding.evidence),
        "report_url": lookup.report_url(finding),
        "page_url": page,
    }
    return Message(
        alert_id=alert.id,
        key=finding.key,
        event=alert.event,
        title=renderer.render("title.j2", context),
        body=renderer.render("body.j2", context),
        tags=tuple(
            _channels.tags(
                finding.severity, finding.kind, finding.agency_id, agency.region if agency else None
            )
        ),
        notify_type=notify_type(alert.event, finding.severity),
    )


def deliver(
    archive: Archive,
    config: MonitorConfig,
    now: dt.datetime | None = None,
    *,
    dry_run: bool = False,
    channels: apprise.Apprise | None = None,
) -> DeliveryReport:
    """Deliver every due alert once (see the module docstring for the guarantee)."""
    settings = config.settings
    now = now or dt.datetime.now(dt.UTC)
    if channels is None:
        channels = _channels.load(_channels.config_path(config))
    renderer = Renderer(_template_dir(config))
    lookup = _Lookup(archive)
    due = archive.due_alerts(now, limit=settings.delivery_batch)

    def message(alert: Alert) -> Message:
        return compose(alert, archive.finding(alert.finding_key), lookup, renderer, config.base_url)

    if dry_run:
        return DeliveryReport(messages=tuple(message(a) for a in due))
    claimed: list[tuple[Alert, Message]] = []
    outcomes: dict[int, str | None] = {}
    skipped = 0
    for alert in due:
        if not archive.claim_alert(alert.id, now, settings.lease_seconds):
            skipped += 1
            continue
        claimed.append((alert, message(alert)))
        if not settings.digest:
            # mark each alert as soon as it is sent: a crash repeats at most this one
            outcomes[alert.id] = _send_single(channels, claimed[-1][1])
            _finish(archive, alert, outcomes[alert.id], settings, now)
    if settings.digest:
        outcomes = _send_digests(channels, claimed, renderer)
        for alert, _ in claimed:
            _finish(archive, alert, outcomes[alert.id], settings, now)
    values = [outcomes[a.id] for a, _ in claimed]
    errors = [
        f"#{a.id} {a.finding_key}: {outcomes[a.id]}"
        for a, _ in claimed
        if outcomes[a.id] not in (None, _UNROUTED)
    ]
    return DeliveryReport(
        sent=values.count(None),
        failed=len(errors),
        skipped=skipped,
        unrouted=values.count(_UNROUTED),
        messages=tuple(m for _, m in claimed),
        errors=tuple(errors),
    )


_UNROUTED = "\0unrouted"


def _template_dir(config: MonitorConfig) -> Path | None:
    alerts = config.section.get("alerts") or {}
    value = alerts.get("templates") if isinstance(alerts, Mapping) else None
    return Path(str(value)).expanduser() if value else None


def _send_single(channels: apprise.Apprise, message: Message) -> str | None:
    if not _channels.matching(channels, message.tags):
        return _UNROUTED
    return send(channels, message.title, message.body, message.tags, message.notify_type)


def _send_digests(
    channels: apprise.Apprise, claimed: list[tuple[Alert, Message]], renderer: Renderer
) -> dict[int, str | None]:
    """One message per channel holding every alert routed to it. An alert is delivered when
    every channel it goes to took its digest."""
    groups: dict[int, tuple[apprise.NotifyBase, list[tuple[Alert, Message]]]] = {}
    outcomes: dict[int, str | None] = {}
    for alert, message in claimed:
        targets = _channels.matching(channels, message.tags)
        outcomes[alert.id] = None if targets else _UNROUTED
        for target in targets:
            groups.setdefault(id(target), (target, []))[1].append((alert, message))
    for target, items in groups.values():
        title, body = renderer.digest([m for _, m in items])
        single = apprise.Apprise()
        single.add(target)
        worst = "failure" if any(m.notify_type == "failure" for _, m in items) else "info"
        error = send(single, title, body, None, worst)
        if error is not None:
            for alert, _ in items:
                outcomes[alert.id] = error
    return outcomes


def _finish(
    archive: Archive, alert: Alert, error: str | None, settings: Settings, now: dt.datetime
) -> None:
    if error is None or error == _UNROUTED:
        archive.alert_delivered(alert.id, now)
        return
    attempts = alert.attempts + 1  # the claim counted this attempt
    retry = next_attempt(now, attempts, settings.backoff_seconds, settings.backoff_max_seconds)
    archive.alert_failed(alert.id, now, error[:2000], retry)
