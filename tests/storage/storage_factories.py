"""Synthetic records for storage tests (clearly made up: agency 测试县人民政府, made-up numbers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from parser import spec
from parser.record import CellFlag, Report, Section, Source

REGISTRY = """\
agencies:
  - id: fj
    name: 福建省人民政府
    level: province
    region: 福建省
    portal: http://127.0.0.1:9/fj/
  - id: fj-pt
    name: 平潭综合实验区管委会
    level: city
    region: 福建省/平潭综合实验区
    parent: fj
    portal: http://127.0.0.1:9/pt/
    report_lists:
      - http://127.0.0.1:9/pt/ndbg/
    deadline: "03-31"
    since: 2019
  - id: fj-pt-edu
    name: 平潭综合实验区教育局
    level: department
    region: 福建省/平潭综合实验区
    parent: fj-pt
    portal: http://127.0.0.1:9/pt/edu/
    deadline: "01-31"
"""


def write_registry(tmp: Path, text: str = REGISTRY, name: str = "registry.yaml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def report(
    agency: str = "测试县人民政府",
    year: int = 2023,
    *,
    received: int = 10,
    narrative: str = "2023年，本县认真贯彻落实《条例》。",
    parser_version: str = "test-1",
) -> Report:
    """A 2021-template record whose table 3 balances: received = granted + carried_forward."""
    granted = received - 2
    applications: dict[str, dict[str, int | float | None]] = {}
    for row in spec.APPLICATION_ROWS_2021:
        applications[row] = {c: 0 for c in spec.APPLICATION_COLUMNS}
    applications["new_received"].update(natural_person=received, total=received)
    applications["granted"].update(natural_person=granted, total=granted)
    applications["total"].update(natural_person=granted, total=granted)
    applications["carried_forward"].update(natural_person=2, total=2)
    active: dict[str, dict[str, int | float | None]] = {
        r: {c: 1 for c in cols} for r, cols in spec.ACTIVE_2021.items()
    }
    active["fees"]["amount"] = 0.5
    active["coercion"]["decisions"] = None
    return Report(
        agency=agency,
        year=year,
        signed_on=dt.date(year + 1, 1, 20),
        template="2021",
        active=active,
        applications=applications,
        appeals={g: {c: 0 for c in spec.APPEAL_COLUMNS} for g in spec.APPEAL_GROUPS},
        prose={"applications_received": received},
        cell_flags=(CellFlag("applications", "carried_over", "research", "blank"),),
        title=f"{agency}{year}年政府信息公开工作年度报告",
        sections=(Section("一、总体情况", (narrative,)),),
        source=Source(format="html"),
        parser_version=parser_version,
    )


def ingest_worker(url: str, worker: int, shared: int, own: int, start: object) -> None:
    """One writer process: stores ``shared`` reports every worker also stores (same bytes,
    same content) and ``own`` reports only it stores, logging a fetch for each."""
    from storage import Archive, FetchRecord, ReportObservation

    start.wait()  # type: ignore[attr-defined]
    now = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    jobs = [(f"shared-{i}", 2000 + i) for i in range(shared)]
    jobs += [(f"own-{worker}-{i}", 2000 + i) for i in range(own)]
    with Archive.open(url) as archive:
        for n, (label, year) in enumerate(jobs):
            data = f"<html>{label}</html>".encode()
            sha = archive.put_document(data, "text/html")
            archive.record_fetch(
                FetchRecord(f"http://127.0.0.1:9/{label}", "fj-pt", now, 200, document_sha=sha)
            )
            agency = "fj-pt" if label.startswith("shared") else "fj-pt-edu"
            if label.startswith("own"):
                year = 3000 + worker * 100 + n
            archive.store_report(
                ReportObservation(
                    agency_id=agency,
                    year=year,
                    url=f"http://127.0.0.1:9/{label}",
                    title=label,
                    published_on=None,
                    list_date=None,
                    seen_at=now + dt.timedelta(seconds=worker),
                    document_sha=sha,
                    record=report(year=year, received=year % 50 + 3),
                )
            )
