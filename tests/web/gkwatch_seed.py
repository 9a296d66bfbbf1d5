"""A small archive seeded through ``storage.Archive`` from the real fixture reports.

Every record comes from ``parser.parse`` on a file of ``tests/fixtures`` — no number here is
made up. What the fixtures do not say is the test's own setting, named as such:

* the registry: the real bodies of the fixtures, with ids, regions and levels written here;
  portals point at 127.0.0.1:9 (nothing listens there; nothing is fetched);
* publication dates: the page's own 公开日期 where the fixture records one (沭阳 2024-01-17),
  else the signature date, else a test clock (``SEEN``);
* one planted re-publication: 嘉兴 2024 is stored twice, the second time with one cell of the
  real text changed (予以公开 · 自然人 13 → 15), so the report has two versions, a cell diff
  and failing identities (T3.rows and T3.results) to highlight;
* findings come from ``monitor.run_checks`` over this archive at ``NOW``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import parser
from storage import Archive, ReportObservation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
SEEN = dt.datetime(2025, 3, 20, 8, 0, tzinfo=dt.UTC)

REGISTRY = """\
agencies:
  - id: jx-gov
    name: 嘉兴市人民政府办公室
    level: city
    region: 嘉兴市
    portal: http://127.0.0.1:9/jx/
    since: 2023
  - id: dt-xr
    name: 大同市新荣区人民政府办公室
    level: county
    region: 大同市
    portal: http://127.0.0.1:9/dt-xr/
  - id: ly-lc
    name: 老城区人民政府办公室
    level: county
    region: 洛阳市
    portal: http://127.0.0.1:9/ly-lc/
  - id: xp-rh
    name: 西平县人和乡人民政府
    level: township
    region: 驻马店市
    portal: http://127.0.0.1:9/xp-rh/
    deadline: "01-31"
  - id: qy-qx
    name: 清远市清新区人民政府
    level: county
    region: 清远市
    portal: http://127.0.0.1:9/qy-qx/
  - id: sy-fgj
    name: 沭阳县发展和改革局
    level: department
    region: 宿迁市
    portal: http://127.0.0.1:9/sy-fgj/
"""

#: The planted edit of the 嘉兴 report's second version (one cell of table 3).
PLANTED_OLD = "(一)予以公开 | 13 | 4 |"
PLANTED_NEW = "(一)予以公开 | 15 | 4 |"


@dataclass(frozen=True)
class Seed:
    file: str
    agency_id: str
    content_type: str
    published_on: dt.date | None = None
    seen_at: dt.datetime = SEEN


SEEDS = (
    Seed("seeds/004_91b38fa976f5289e.txt", "jx-gov", "text/plain"),
    Seed("seeds/000_16f65f36c03f968e.txt", "dt-xr", "text/plain"),
    Seed(
        "seeds/003_e02f11226f5e83d3.txt",
        "ly-lc",
        "text/plain",
        seen_at=dt.datetime(2022, 5, 10, 8, 0, tzinfo=dt.UTC),  # after 03-31: late
    ),
    Seed("seeds/002_d63fade97a3a65e1.txt", "xp-rh", "text/plain"),
    Seed("seeds/001_0bd952d63030d8bd.txt", "qy-qx", "text/plain"),
    Seed(
        "corpus/html/shuyang-fgj-2023.html",
        "sy-fgj",
        "text/html",
        published_on=dt.date(2024, 1, 17),
    ),
)


def _store(archive: Archive, seed: Seed, data: bytes, seen_at: dt.datetime) -> tuple[int, int]:
    url = f"http://127.0.0.1:9/{seed.agency_id}/{Path(seed.file).name}"
    record = parser.parse(data, url=url, content_type=seed.content_type, name=seed.file)
    assert record.year is not None, seed.file
    sha = archive.put_document(data, seed.content_type)
    result = archive.store_report(
        ReportObservation(
            agency_id=seed.agency_id,
            year=record.year,
            url=url,
            title=record.title,
            published_on=seed.published_on or record.signed_on,
            list_date=None,
            seen_at=seen_at,
            document_sha=sha,
            record=record,
        )
    )
    return result.report_id, record.year


def seed(url: str, tmp: Path) -> dict[str, int]:
    """Create, fill and check the archive at ``url``; returns agency id → report year."""
    Archive.upgrade(url)
    registry = tmp / "registry.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    years: dict[str, int] = {}
    with Archive.open(url) as archive:
        archive.import_registry(registry)
        for s in SEEDS:
            data = (FIXTURES / s.file).read_bytes()
            _, years[s.agency_id] = _store(archive, s, data, s.seen_at)
        jx = SEEDS[0]
        original = (FIXTURES / jx.file).read_bytes()
        planted = original.replace(PLANTED_OLD.encode(), PLANTED_NEW.encode(), 1)
        assert planted != original, "the planted edit no longer applies to the fixture"
        _store(archive, jx, planted, SEEN + dt.timedelta(days=30))
        from monitor import MonitorConfig, run_checks

        run_checks(archive, MonitorConfig(database_url=url), NOW)
    return years
