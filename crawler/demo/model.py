"""The manifest: the ground truth of a demo portal (agencies, reports, planted problems).

Frozen dataclasses with a JSON form; ``build_site`` writes it to ``manifest.json`` and
end-to-end tests compare what the crawler, parser and monitor found against it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.demo.errors import ManifestError

PROBLEM_KINDS = (
    "missing",
    "late",
    "identity",
    "jump",
    "carryover",
    "changed",
    "copied",
    "removed",
    "prose_mismatch",
)
MANIFEST_NAME = "manifest.json"
REGISTRY_NAME = "registry.yaml"
SITE_DIR = "site"


@dataclass(frozen=True)
class DemoAgency:
    id: str
    name: str
    level: str
    region: str
    parent: str | None
    portal: str  # path on the demo host, e.g. "/qinghe/czj/"
    report_lists: tuple[str, ...]  # what the registry gives (empty: discover it)
    list_path: str  # the real 年报 column (ground truth for discovery)
    deadline: str | None  # "MM-DD" override written to the registry
    since: int
    encoding: str  # of its HTML pages
    pagination: str
    list_pages: tuple[str, ...]  # every page of its list, as URLs relative to the host


@dataclass(frozen=True)
class DemoReport:
    agency_id: str
    year: int
    title: str
    path: str  # the report page
    attachment: str | None  # the PDF/DOCX holding the report, when the page only links it
    format: str  # html | pdf | docx: the document that holds the tables
    layout: str  # table | pre | paragraphs
    encoding: str | None  # of the page (None for attachments' own bytes)
    declared_charset: str | None  # what the page's <meta> says (None: nothing)
    template: str
    published_on: str  # ISO date printed on the page (发布时间/发布日期)
    list_date: str | None  # ISO date next to the entry on the list (None: list shows none)
    signed_on: str  # ISO date under the signature
    deadline: str  # ISO date by which it was due
    status: str  # present | removed
    version: int  # 1, or 2 once apply_edits changed it
    figures: Mapping[str, int]  # key figures (see ``key_figures``)
    prose: Mapping[str, int]  # prose figures as stated in the text
    tables: Mapping[str, Any]  # active / applications / appeals exactly as printed

    @property
    def document(self) -> str:
        """The path of the bytes that hold the report (attachment or page)."""
        return self.attachment or self.path


@dataclass(frozen=True)
class DemoProblem:
    kind: str
    agency_id: str
    year: int
    detail: Mapping[str, Any] = field(default_factory=dict)
    #: The portal states showing it: "initial" (build_site), "edited" (apply_edits).
    present_in: tuple[str, ...] = ("initial", "edited")


@dataclass(frozen=True)
class DemoManifest:
    seed: int
    state: str  # initial | edited
    today: str
    years: tuple[int, ...]
    base_url: str | None  # what registry.yaml was written with (None: not yet)
    registry: str  # file name under out_dir
    site_dir: str
    robots_disallow: tuple[str, ...]
    trap_paths: tuple[str, ...]  # pages only a robots-ignoring crawler would fetch
    broken_links: tuple[str, ...]  # linked paths that answer 404
    agencies: tuple[DemoAgency, ...]
    reports: tuple[DemoReport, ...]
    problems: tuple[DemoProblem, ...]

    # -- queries ---------------------------------------------------------------------
    def agency(self, agency_id: str) -> DemoAgency:
        for a in self.agencies:
            if a.id == agency_id:
                return a
        raise KeyError(agency_id)

    def report(self, agency_id: str, year: int) -> DemoReport:
        for r in self.reports:
            if (r.agency_id, r.year) == (agency_id, year):
                return r
        raise KeyError((agency_id, year))

    def problems_of(self, kind: str) -> tuple[DemoProblem, ...]:
        return tuple(p for p in self.problems if p.kind == kind)

    @property
    def open_problems(self) -> tuple[DemoProblem, ...]:
        """The problems the portal shows in this manifest's state."""
        return tuple(p for p in self.problems if self.state in p.present_in)

    @property
    def clean_agencies(self) -> tuple[str, ...]:
        """Agencies no planted problem touches (not even as the source of a copy)."""
        touched = {p.agency_id for p in self.problems}
        touched |= {str(p.detail["other_agency_id"]) for p in self.problems if p.kind == "copied"}
        return tuple(a.id for a in self.agencies if a.id not in touched)

    def expected_reports(self) -> tuple[DemoReport, ...]:
        """Reports a crawl of the portal in this state should hold as present."""
        return tuple(r for r in self.reports if r.status == "present")

    # -- JSON ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DemoManifest:
        return cls(
            seed=data["seed"],
            state=data["state"],
            today=data["today"],
            years=tuple(data["years"]),
            base_url=data.get("base_url"),
            registry=data["registry"],
            site_dir=data["site_dir"],
            robots_disallow=tuple(data["robots_disallow"]),
            trap_paths=tuple(data["trap_paths"]),
            broken_links=tuple(data["broken_links"]),
            agencies=tuple(
                DemoAgency(
                    **{
                        **a,
                        "report_lists": tuple(a["report_lists"]),
                        "list_pages": tuple(a["list_pages"]),
                    }
                )
                for a in data["agencies"]
            ),
            reports=tuple(DemoReport(**r) for r in data["reports"]),
            problems=tuple(
                DemoProblem(**{**p, "present_in": tuple(p["present_in"])}) for p in data["problems"]
            ),
        )

    def write(self, out_dir: Path) -> Path:
        path = out_dir / MANIFEST_NAME
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, out_dir: Path) -> DemoManifest:
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise ManifestError(path, str(exc)) from exc


def iso(day: dt.date) -> str:
    return day.isoformat()
