"""Every report document of the demo portal parses to what the manifest says it holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.demo import DemoManifest, DemoReport

pytest.importorskip("parser.assemble", reason="parser.parse is not written yet")

from parser import parse


def _content_type(out: Path, report: DemoReport) -> str:
    types = json.loads((out / "content-types.json").read_text(encoding="utf-8"))
    return str(types[report.document])


def _ids(manifest: DemoManifest) -> list[str]:
    return [f"{r.agency_id}-{r.year}-{r.format}-{r.layout}" for r in manifest.reports]


@pytest.fixture(scope="module")
def reports(built: tuple[Path, DemoManifest]) -> list[DemoReport]:
    return list(built[1].reports)


def _cases(built_manifest: DemoManifest) -> list[DemoReport]:
    return list(built_manifest.reports)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "report" in metafunc.fixturenames:
        from crawler.demo.build import _render

        _, manifest = _render(0, "initial")
        metafunc.parametrize("report", manifest.reports, ids=_ids(manifest))


def test_report_parses_to_manifest(built: tuple[Path, DemoManifest], report: DemoReport) -> None:
    out, _ = built
    data = (out / "site" / report.document.lstrip("/")).read_bytes()
    parsed = parse(data, url="http://127.0.0.1:8765" + report.document,
                   content_type=_content_type(out, report), name=report.document)  # fmt: skip
    got = {
        "year": parsed.year,
        "template": parsed.template,
        "signed_on": parsed.signed_on.isoformat() if parsed.signed_on else None,
        "new_received": parsed.cell("applications", "new_received", "total"),
        "carried_over": parsed.cell("applications", "carried_over", "total"),
        "total": parsed.cell("applications", "total", "total"),
        "carried_forward": parsed.cell("applications", "carried_forward", "total"),
        "review_total": parsed.cell("appeals", "review", "total"),
        "litigation_direct_total": parsed.cell("appeals", "litigation_direct", "total"),
        "litigation_after_review_total": parsed.cell("appeals", "litigation_after_review", "total"),
        "applications_received": parsed.prose.get("applications_received"),
    }
    want = {
        "year": report.year,
        "template": report.template,
        "signed_on": report.signed_on,
        **report.figures,
        "applications_received": report.prose["applications_received"],
    }
    assert got == want
    assert parsed.applications == report.tables["applications"]
    assert parsed.appeals == report.tables["appeals"]
    assert parsed.agency == report.title.split("关于")[0].split(str(report.year))[0]
