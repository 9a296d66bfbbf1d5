"""Write the demo portal: ``build_site`` (the state at a first crawl) and ``apply_edits``
(the state at a later crawl: one report edited, one fixed, one removed; every other file
byte-identical so that conditional requests answer 304)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from crawler.demo import cast, pages
from crawler.demo.attachments import docx_bytes, pdf_bytes
from crawler.demo.cast import AgencySpec
from crawler.demo.errors import EncodingClash, NotADemoSite
from crawler.demo.model import (
    MANIFEST_NAME,
    REGISTRY_NAME,
    SITE_DIR,
    DemoAgency,
    DemoManifest,
    DemoProblem,
    DemoReport,
)
from crawler.demo.plan import Planned, plan
from crawler.demo.portal import Portal, render_portal

CONTENT_TYPES = "content-types.json"
_CHINA = dt.timezone(dt.timedelta(hours=8))


def _figures(p: Planned) -> dict[str, int]:
    apps = p.content.figures.applications
    appeals = p.content.figures.appeals
    return {
        "new_received": int(apps["new_received"]["total"]),
        "carried_over": int(apps["carried_over"]["total"]),
        "total": int(apps["total"]["total"]),
        "carried_forward": int(apps["carried_forward"]["total"]),
        "review_total": int(appeals["review"]["total"]),
        "litigation_direct_total": int(appeals["litigation_direct"]["total"]),
        "litigation_after_review_total": int(appeals["litigation_after_review"]["total"]),
    }


def _manifest(seed: int, state: str, portal: Portal, problems: list[DemoProblem]) -> DemoManifest:
    reports = []
    for p in portal.reports:
        placed = portal.placement[(p.spec.id, p.year)]
        f = p.content.figures
        reports.append(
            DemoReport(
                agency_id=p.spec.id,
                year=p.year,
                title=p.content.title,
                path=placed.page,
                attachment=placed.attachment,
                format=p.spec.fmt(p.year)[0],
                layout=p.spec.fmt(p.year)[1],
                encoding=placed.encoding,
                declared_charset=placed.declared,
                template=f.template,
                published_on=p.published_on.isoformat(),
                list_date=p.published_on.isoformat() if p.spec.list_dates else None,
                signed_on=p.content.signed_on.isoformat(),
                deadline=p.deadline.isoformat(),
                status="removed" if p.removed else "present",
                version=p.version,
                figures=_figures(p),
                prose=dict(p.content.narrative.prose),
                tables={"active": f.active, "applications": f.applications, "appeals": f.appeals},
            )
        )
    agencies = tuple(
        DemoAgency(
            id=s.id,
            name=s.name,
            level=s.level,
            region=s.region,
            parent=s.parent,
            portal=s.slug,
            report_lists=(portal.registry_list[s.id],) if s.in_registry else (),
            list_path=pages.column_url(s),
            deadline=s.deadline,
            since=s.since,
            encoding=s.encoding,
            pagination=s.pagination,
            list_pages=portal.list_urls[s.id],
        )
        for s in cast.AGENCIES
    )
    return DemoManifest(
        seed=seed,
        state=state,
        today=cast.TODAY,
        years=tuple(cast.YEARS),
        base_url=None,
        registry=REGISTRY_NAME,
        site_dir=SITE_DIR,
        robots_disallow=portal.disallow,
        trap_paths=portal.trap_paths,
        broken_links=portal.broken_links,
        agencies=agencies,
        reports=tuple(reports),
        problems=tuple(problems),
    )


def _render(seed: int, state: str) -> tuple[Portal, DemoManifest]:
    planned, problems = plan(seed, state)
    portal = render_portal(planned, pdf=pdf_bytes, docx=docx_bytes)
    return portal, _manifest(seed, state, portal, problems)


def _write(root: Path, path: str, data: bytes, mtime: dt.datetime) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    stamp = mtime.timestamp()
    os.utime(target, (stamp, stamp))


def _check_encodings(portal: Portal) -> None:
    for path, encoding in portal.encodings.items():
        if encoding == "gbk":
            try:
                portal.files[path].decode("gbk")
            except UnicodeDecodeError as exc:  # pragma: no cover - guards the pools' text
                raise EncodingClash(path, encoding, str(exc)) from exc


def build_site(out_dir: Path, *, seed: int = 0, base_url: str | None = None) -> DemoManifest:
    """Write the portal under ``out_dir/site`` plus ``manifest.json``, ``content-types.json``
    and (when ``base_url`` is given) ``registry.yaml``. Deterministic for a seed."""
    out_dir = Path(out_dir)
    portal, manifest = _render(seed, "initial")
    _check_encodings(portal)
    site = out_dir / SITE_DIR
    for path, data in portal.files.items():
        _write(site, path, data, portal.mtimes[path])
    (out_dir / CONTENT_TYPES).write_text(
        json.dumps(portal.content_types, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    if base_url is not None:
        manifest = write_registry(out_dir, manifest, base_url)
    manifest.write(out_dir)
    return manifest


def apply_edits(out_dir: Path, manifest: DemoManifest | None = None) -> DemoManifest:
    """Move the portal to its later state, touching only the files that change."""
    out_dir = Path(out_dir)
    if manifest is None:
        manifest = load(out_dir)
    portal, edited = _render(manifest.seed, "edited")
    site = out_dir / SITE_DIR
    changed_at = dt.datetime.fromisoformat(cast.EDITED_AT)
    for path, data in portal.files.items():
        target = site / path.lstrip("/")
        if not target.exists() or target.read_bytes() != data:
            _write(site, path, data, changed_at)
    for stale in _stale(site, portal.files):
        stale.unlink()
    (out_dir / CONTENT_TYPES).write_text(
        json.dumps(portal.content_types, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    if manifest.base_url is not None:
        edited = write_registry(out_dir, edited, manifest.base_url)
    edited.write(out_dir)
    return edited


def _stale(site: Path, keep: Iterable[str]) -> list[Path]:
    wanted = {site / p.lstrip("/") for p in keep}
    return [p for p in site.rglob("*") if p.is_file() and p not in wanted]


def load(out_dir: Path) -> DemoManifest:
    out_dir = Path(out_dir)
    if not (out_dir / MANIFEST_NAME).is_file():
        raise NotADemoSite(out_dir, MANIFEST_NAME)
    return DemoManifest.load(out_dir)


def registry_entries(manifest: DemoManifest, base_url: str) -> list[dict[str, object]]:
    base = base_url.rstrip("/")
    return [
        {
            "id": a.id,
            "name": a.name,
            "level": a.level,
            "region": a.region,
            "parent": a.parent,
            "portal": base + a.portal,
            "report_lists": [base + p for p in a.report_lists],
            "deadline": a.deadline,
            "since": a.since,
        }
        for a in manifest.agencies
    ]


def write_registry(out_dir: Path, manifest: DemoManifest, base_url: str) -> DemoManifest:
    """Write ``registry.yaml`` with absolute URLs on ``base_url``; returns the manifest
    recording that base URL (also rewritten to ``manifest.json``)."""
    out_dir = Path(out_dir)
    text = yaml.safe_dump(
        {"agencies": registry_entries(manifest, base_url)},
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    header = "# Registry of the gkwatch demo portal (fictional agencies); written by crawler.demo\n"
    (out_dir / REGISTRY_NAME).write_text(header + text, encoding="utf-8")
    from dataclasses import replace

    updated = replace(manifest, base_url=base_url.rstrip("/"))
    if (out_dir / MANIFEST_NAME).exists():
        updated.write(out_dir)
    return updated


def spec_of(manifest_agency: DemoAgency) -> AgencySpec:
    return cast.agency(manifest_agency.id)
