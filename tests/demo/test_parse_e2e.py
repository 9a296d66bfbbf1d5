"""Every report document of the demo portal parses to exactly what the manifest says it holds.

Every cell of 表二, 表三 and 表四 (not only the key figures), the agency, the year, the
template, the title, the signature date and every prose figure, for every report of every
format the portal publishes (HTML tables, ``<pre>`` and paragraph text, PDF, DOCX, GBK
pages), in both states of the portal (``build_site`` and ``apply_edits``) and for more than
one seed (the figures, and so the PDFs' page breaks, change with the seed). The manifest is
the generator's ground truth; ``demo_tables.read_tables`` checks separately that the HTML
files print it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crawler.demo import DemoManifest, DemoReport, apply_edits, build_site
from parser import Report, parse, spec

#: (seed, state) of the portals checked; seed 0 is the demo's own.
PORTALS = ((0, "initial"), (0, "edited"), (1, "initial"), (2, "initial"))
_BASE = "http://127.0.0.1:8765"


@cache
def _portal(seed: int, state: str, root: Path) -> tuple[Path, DemoManifest]:
    out = root / f"seed{seed}-{state}"
    manifest = build_site(out, seed=seed, base_url=_BASE)
    if state == "edited":
        manifest = apply_edits(out, manifest)
    return out, manifest


@pytest.fixture(scope="session")
def portals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-portals")


def _cases() -> Iterator[Any]:
    from crawler.demo.build import _render

    for seed, state in PORTALS:
        _, manifest = _render(seed, state)
        for r in manifest.expected_reports():
            name = f"s{seed}-{state}-{r.agency_id}-{r.year}-{r.format}-{r.layout}-{r.encoding}"
            yield pytest.param(seed, state, r.agency_id, r.year, id=name)


def _parsed(out: Path, report: DemoReport) -> Report:
    types = json.loads((out / "content-types.json").read_text(encoding="utf-8"))
    data = (out / "site" / report.document.lstrip("/")).read_bytes()
    return parse(data, url=_BASE + report.document, content_type=str(types[report.document]),
                 name=report.document)  # fmt: skip


def _differences(
    got: Mapping[str, Mapping[str, Any]] | None, want: Mapping[str, Mapping[str, Any]], table: str
) -> list[str]:
    """Every cell that differs, named ``table.row.column: got != want`` (rows both ways)."""
    got = got or {}
    out = []
    for row in sorted(set(got) | set(want)):
        have, expect = got.get(row, {}), want.get(row, {})
        for column in sorted(set(have) | set(expect)):
            g = have.get(column, "<absent>")
            w = expect.get(column, "<absent>")
            if g != w or type(g) is not type(w):
                out.append(f"{table}.{row}.{column}: parsed {g!r}, manifest {w!r}")
    return out


@pytest.mark.parametrize(("seed", "state", "agency_id", "year"), list(_cases()))
def test_report_parses_to_manifest(
    request: pytest.FixtureRequest, portals: Path, seed: int, state: str, agency_id: str, year: int
) -> None:
    if (seed, state) == (0, "initial"):  # the portal the other demo tests share
        built: tuple[Path, DemoManifest] = request.getfixturevalue("built")
        out, manifest = built
    else:
        out, manifest = _portal(seed, state, portals)
    report = manifest.report(agency_id, year)
    parsed = _parsed(out, report)

    differences = []
    for table in spec.TABLES:
        differences += _differences(parsed.to_dict()[table], report.tables[table], table)
    assert not differences, "\n".join(differences)

    assert parsed.agency == manifest.agency(agency_id).name
    assert (parsed.year, parsed.template, parsed.title) == (year, report.template, report.title)
    assert parsed.signed_on is not None and parsed.signed_on.isoformat() == report.signed_on
    assert dict(parsed.prose) == dict(report.prose)
    for key in report.prose:
        assert str(report.prose[key]) in parsed.prose_sources[key]
    key_figures = {
        "new_received": ("applications", "new_received", "total"),
        "carried_over": ("applications", "carried_over", "total"),
        "total": ("applications", "total", "total"),
        "carried_forward": ("applications", "carried_forward", "total"),
        "review_total": ("appeals", "review", "total"),
        "litigation_direct_total": ("appeals", "litigation_direct", "total"),
        "litigation_after_review_total": ("appeals", "litigation_after_review", "total"),
    }
    assert {k: parsed.cell(*where) for k, where in key_figures.items()} == dict(report.figures)

    # A generated report is clean: nothing to warn about, nothing resolved or guessed; the
    # only flags are the zeros some agencies print as empty 法人 cells.
    assert [w.to_dict() for w in parsed.warnings] == []
    for flag in parsed.cell_flags:
        assert flag.flag == "blank", flag
        assert flag.table == "applications" and flag.column in spec.APPLICANT_COLUMNS[1:], flag
        assert report.tables[flag.table][flag.row][flag.column] == 0, flag

    # The identities fail exactly where the portal plants an identity problem (its detail
    # gives the figures of the ``total`` scope).
    planted = [
        p.detail
        for p in manifest.open_problems
        if p.kind == "identity" and (p.agency_id, p.year) == (agency_id, year)
    ]
    failing = parsed.failing_identities
    want = {(d["rule"], scope) for d in planted for scope in d["scopes"]}
    assert {(i.rule, i.scope) for i in failing} == want
    totals = {(d["rule"], d["left"], d["right"]) for d in planted}
    assert {(i.rule, i.left, i.right) for i in failing if i.scope == "total"} == totals
