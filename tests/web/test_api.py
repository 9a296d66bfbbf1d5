"""Every endpoint of the JSON API against the archive seeded from the real fixtures; the shapes
are those of the CLI's ``--json``."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from gkwatch_seed import seed

from gkwatch.web.app import create_app
from storage import Archive
from storage.testing import isolated_postgres_schema


def get(client: TestClient, url: str, status: int = 200) -> object:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def test_overview(client: TestClient) -> None:
    data = get(client, "/api/overview")
    assert isinstance(data, dict)
    assert data["agencies"] == 6 and data["reports"] == 6 and data["versions"] == 7
    assert data["open_findings_by_kind"]["identity"] == {"high": 2}
    assert set(data["timeliness_by_year"]["2021"]) == {"on_time", "late", "missing", "not_due"}
    assert {r["region"] for r in data["regions"]} >= {"嘉兴市", "宿迁市"}


def test_agencies_are_paged_and_searched(client: TestClient) -> None:
    first = client.get("/api/agencies?limit=4")
    assert first.headers["X-Total-Count"] == "6" and len(first.json()) == 4
    link = first.headers["Link"]
    rest = client.get(link[1 : link.index(">")])
    assert [a["id"] for a in first.json() + rest.json()] == sorted(
        ["jx-gov", "dt-xr", "ly-lc", "xp-rh", "qy-qx", "sy-fgj"]
    )
    assert "Link" not in rest.headers
    found = get(client, "/api/agencies?q=清新")
    assert [a["id"] for a in found] == ["qy-qx"]  # type: ignore[union-attr,index]
    get(client, "/api/agencies?limit=1001", 422)


def test_agencies(client: TestClient) -> None:
    agencies = get(client, "/api/agencies?level=township")
    assert [a["id"] for a in agencies] == ["xp-rh"]  # type: ignore[index]
    one = get(client, "/api/agencies/sy-fgj")
    assert one["name"] == "沭阳县发展和改革局"  # type: ignore[index]
    get(client, "/api/agencies/nope", 404)
    get(client, "/api/agencies?level=planet", 422)


def test_reports(client: TestClient) -> None:
    rows = get(client, "/api/reports?status=late")
    assert ("ly-lc", 2021) in {(r["agency_id"], r["year"]) for r in rows}  # type: ignore[union-attr,index]
    one = get(client, "/api/reports?agency=sy-fgj&year=2023")
    assert [r["status"] for r in one] == ["on_time"]  # type: ignore[union-attr,index]


def test_report_mirrors_show(client: TestClient) -> None:
    data = get(client, "/api/reports/jx-gov/2024")
    assert data["version"]["number"] == 2  # type: ignore[index]
    assert {i["rule"] for i in data["failing_identities"]} == {"T3.rows", "T3.results"}  # type: ignore[index]
    old = get(client, "/api/reports/jx-gov/2024?version=1")
    assert old["failing_identities"] == []  # type: ignore[index]
    get(client, "/api/reports/jx-gov/2024?version=5", 400)
    get(client, "/api/reports/jx-gov/1999", 404)


def test_diff(client: TestClient) -> None:
    data = get(client, "/api/reports/jx-gov/2024/diff")
    cells = data["diffs"][0]["cells"]  # type: ignore[index]
    assert [(c["row"], c["old"], c["new"]) for c in cells] == [("granted", 13, 15)]
    assert get(client, "/api/reports/jx-gov/2024/diff?from=2&to=2")["diffs"][0]["cells"] == []  # type: ignore[index]
    get(client, "/api/reports/jx-gov/2024/diff?from=3", 400)


def test_findings(client: TestClient) -> None:
    found = get(client, "/api/findings?kind=identity&open=true")
    assert len(found) == 2 and {f["year"] for f in found} == {2024}  # type: ignore[arg-type,union-attr,index]
    assert get(client, "/api/findings?region=宿迁市&kind=identity") == []
    get(client, "/api/findings?since=whenever", 400)
    get(client, "/api/findings?severity=urgent", 422)


def test_regions(client: TestClient) -> None:
    regions = {r["region"]: r for r in get(client, "/api/regions")}  # type: ignore[union-attr,index]
    assert regions["洛阳市"]["statuses"]["late"] == 1
    assert regions["嘉兴市"]["open_findings"] >= 2


def test_export_csv(client: TestClient) -> None:
    response = client.get("/api/export/findings.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))
    assert {"identity", "missing"} <= {r["kind"] for r in rows}
    reports = client.get("/api/export/reports.csv?region=洛阳市").content.decode("utf-8-sig")
    assert "老城区人民政府办公室" in reports


def test_export_cells_csv_streams_every_cell_of_the_latest_versions(client: TestClient) -> None:
    response = client.get("/api/export/cells.csv?agency=jx-gov&year=2024")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))
    assert {r["agency_id"] for r in rows} == {"jx-gov"} and {r["year"] for r in rows} == {"2024"}
    # version 2 of jx-gov 2024 has granted = 15 (one real cell change) and failing T3 rows
    assert {r["version"] for r in rows} == {"2"}
    cell = {(r["table"], r["row"], r["column"]): r for r in rows}
    assert cell[("applications", "granted", "natural_person")]["value"] == "15"
    assert any(r["failing"] == "True" for r in rows)
    everything = client.get("/api/export/cells.csv").content.decode("utf-8-sig")
    assert len(everything.splitlines()) > len(rows) + 1
    assert client.get("/api/export/cells.csv?agency=nope").status_code == 404
    assert client.get("/api/export/planets.csv").status_code == 422


def test_findings_pages_carry_the_total_and_the_next_link(client: TestClient) -> None:
    every = client.get("/api/findings?limit=1000")
    total = int(every.headers["X-Total-Count"])
    assert total == len(every.json()) > 3 and "Link" not in every.headers
    first = client.get("/api/findings?limit=2")
    assert first.headers["X-Total-Count"] == str(total)
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "offset=2" in link and "limit=2" in link
    following = client.get(link[1 : link.index(">")])
    assert following.json() == every.json()[2:4]
    last = client.get(f"/api/findings?limit=2&offset={total - 1}")
    assert len(last.json()) == 1 and "Link" not in last.headers
    assert client.get("/api/findings?limit=1001").status_code == 422
    schema = client.get("/openapi.json").json()
    limit = next(
        p for p in schema["paths"]["/api/findings"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["default"] == 100 and limit["schema"]["maximum"] == 1000


def test_openapi_and_local_docs(client: TestClient) -> None:
    schema = get(client, "/openapi.json")
    paths = set(schema["paths"])  # type: ignore[index]
    assert {"/api/agencies", "/api/reports/{agency_id}/{year}", "/api/findings"} <= paths
    assert not any(p.startswith("/reports") for p in paths), "pages are not API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/reports/{agency_id}/{year}/diff" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_read_only(client: TestClient) -> None:
    for url in ("/api/reports", "/api/findings", "/reports/jx-gov/2024"):
        assert client.post(url).status_code == 405


def test_findings_paging(client: TestClient) -> None:
    every = get(client, "/api/findings")
    page = get(client, "/api/findings?limit=5&offset=2")
    assert page == every[2:7]  # type: ignore[index]
    get(client, "/api/findings?limit=0", 422)


@pytest.mark.postgres
def test_api_on_postgresql(tmp_path: Path) -> None:
    base = os.environ.get("GKWATCH_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL tests need GKWATCH_TEST_DATABASE_URL")
    with isolated_postgres_schema(base) as url:
        seed(url, tmp_path)
        app = create_app(lambda: Archive.open(url))
        with TestClient(app) as pg:
            assert get(pg, "/api/overview")["reports"] == 6  # type: ignore[index]
            shown = get(pg, "/api/reports/jx-gov/2024")
            assert {i["rule"] for i in shown["failing_identities"]} == {"T3.rows", "T3.results"}  # type: ignore[index]
            assert pg.get("/reports/jx-gov/2024").status_code == 200
            assert len(get(pg, "/api/findings?kind=identity")) == 2  # type: ignore[arg-type]
