"""Every page of the dashboard renders from the seeded archive, in Chinese, with no external
resource; the report page highlights the failing identity's cells with the rule on hover."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

#: Everything a page makes the browser load (not the links a person may follow).
RESOURCE = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*?(?:src|href)="([^"]*)"')

PAGES = [
    "/",
    "/agencies",
    "/agencies?level=county",
    "/agencies/jx-gov",
    "/agencies/qy-qx",
    "/reports/jx-gov/2024",
    "/reports/jx-gov/2024?version=1",
    "/reports/qy-qx/2012",
    "/reports/sy-fgj/2023",
    "/findings",
    "/findings?kind=missing&state=all&page=2",
    "/findings?region=嘉兴市&severity=high",
    "/regions",
    "/regions/嘉兴市",
    "/api/docs",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_without_external_resources(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html
    resources = RESOURCE.findall(html)
    assert resources, "the page loads its stylesheet"
    for url in resources:
        assert url.startswith(("/", "data:")), f"{url} is not served by the dashboard itself"


def test_report_page_highlights_the_failing_identity(client: TestClient) -> None:
    html = client.get("/reports/jx-gov/2024").text
    cell = re.search(
        r'<td class="num failing suspect" title="([^"]*)" data-ref="([^"]+)">([^<]*)</td>', html
    )
    assert cell, "no highlighted cell"
    assert cell.group(2) == "applications.granted.natural_person"
    assert cell.group(3) == "15"
    assert "表三：每行总计 = 六类申请人之和" in cell.group(1)
    assert "表三：总计 = 各办理结果之和" in cell.group(1)
    # the first version (the fixture as published) has no failing cell
    assert 'class="num failing' not in client.get("/reports/jx-gov/2024?version=1").text


def test_report_page_lists_versions_with_a_diff_and_the_original(client: TestClient) -> None:
    html = client.get("/reports/jx-gov/2024").text
    assert "版本 1 → 版本 2" in html
    assert "applications.granted.natural_person" in html
    link = re.search(r'href="(/reports/jx-gov/2024/document\?version=1)"', html)
    assert link
    original = client.get(link.group(1))
    assert original.status_code == 200
    assert "嘉兴市人民政府办公室2024年度政府信息公开工作年度报告" in original.content.decode(
        "utf-8"
    )
    assert original.headers["content-security-policy"] == "sandbox"


def test_html_original_is_served_as_an_attachment(client: TestClient) -> None:
    response = client.get("/reports/sy-fgj/2023/document")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")


def test_overview_grid_shows_every_status(client: TestClient) -> None:
    html = client.get("/").text
    for status in ("按时发布", "逾期发布", "未发布"):
        assert status in html
    assert "<svg" in html  # the chart is drawn on the server


def test_agency_page_charts_key_figures(client: TestClient) -> None:
    html = client.get("/agencies/jx-gov").text
    assert html.count('<svg class="chart"') == 6
    assert "2024：126" in html  # new applications in the 2024 report (table 3, row 一)


def test_unknown_pages_answer_404_in_chinese(client: TestClient) -> None:
    response = client.get("/agencies/nope")
    assert response.status_code == 404
    assert "未找到" in response.text
    assert client.get("/regions/火星").status_code == 404


LINK = re.compile(r'href="(/api/(?:export/[a-z]+\.csv|findings)\?[^"]*)"')


def api_links(client: TestClient, page: str) -> dict[str, str]:
    html = client.get(page).text
    return {m.split("?")[0]: m.replace("&amp;", "&") for m in LINK.findall(html)}


def csv_rows(client: TestClient, url: str) -> list[dict[str, str]]:
    import csv

    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.content.startswith(b"\xef\xbb\xbf"), url
    return list(csv.DictReader(response.content.decode("utf-8-sig").splitlines()))


def test_download_links_carry_the_page_filters(client: TestClient) -> None:
    links = api_links(client, "/findings?region=嘉兴市&severity=high")
    shown = client.get(links["/api/findings"])
    rows = csv_rows(client, links["/api/export/findings.csv"])
    assert shown.headers["X-Total-Count"] == str(len(rows)) and rows
    assert {r["severity"] for r in rows} == {"high"} and {r["state"] for r in rows} == {"open"}
    assert {r["agency_id"] for r in rows} == {"jx-gov"}  # the one agency of 嘉兴市

    links = api_links(client, "/regions/嘉兴市")
    assert set(links) == {f"/api/export/{w}.csv" for w in ("reports", "cells", "findings")}
    assert {r["region"] for r in csv_rows(client, links["/api/export/cells.csv"])} == {"嘉兴市"}
    assert {r["region"] for r in csv_rows(client, links["/api/export/reports.csv"])} == {"嘉兴市"}

    links = api_links(client, "/agencies/jx-gov")
    assert {r["agency_id"] for r in csv_rows(client, links["/api/export/cells.csv"])} == {"jx-gov"}

    cells = csv_rows(client, api_links(client, "/reports/jx-gov/2024")["/api/export/cells.csv"])
    assert {(r["agency_id"], r["year"], r["version"]) for r in cells} == {("jx-gov", "2024", "2")}


def test_a_region_grid_is_paged_and_its_chart_counts_every_agency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gkwatch.web import pages
    from gkwatch.web.app import create_app
    from storage import Archive

    # five made-up agencies of one city (one in a district below it), none has published:
    # every owed year is missing; 2 agencies per page
    lines = ["agencies:"]
    for i in range(5):
        region = "测试省/甲市" + ("/乙区" if i == 4 else "")
        lines += [
            f"  - id: t{i}",
            f"    name: 测试机关{i}",
            "    level: department",
            f"    region: {region}",
            f"    portal: http://127.0.0.1:9/t{i}/",
            "    since: 2021",
        ]
    registry = tmp_path / "registry.yaml"
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'paged.db'}"
    Archive.upgrade(url)
    with Archive.open(url) as archive:
        archive.import_registry(registry)
    monkeypatch.setattr(pages, "REGION_PAGE_SIZE", 2)
    monkeypatch.setattr("gkwatch.access.today", lambda: dt.date(2025, 6, 1))
    with TestClient(create_app(lambda: Archive.open(url))) as client:
        shown = []
        for page in (1, 2, 3):
            html = client.get(f"/regions/测试省/甲市?page={page}").text
            assert f"第 {page}/3 页" in html and 'href="?page=' in html
            shown.append(re.findall(r'href="/agencies/(t\d)"', html))
        assert shown == [["t0", "t1"], ["t2", "t3"], ["t4"]]
        # past the end: the last page
        last = client.get("/regions/测试省/甲市?page=9").text
        assert re.findall(r'href="/agencies/(t\d)"', last) == ["t4"]
        # the chart is of all five agencies: 2021–2024 owed, all missing = 20 agency-years
        html = client.get("/regions/测试省/甲市").text
        assert html.count("未发布：5") == 4, "one bar per year, five agencies each"
        # the agencies list pages the same way, and searches the name or the id
        monkeypatch.setattr(pages, "PAGE_SIZE", 2)
        listed = client.get("/agencies?level=department&page=3").text
        assert re.findall(r'href="/agencies/(t\d)"', listed) == ["t4"] and "5 个" in listed
        assert 'href="?region=&amp;level=department&amp;q=&amp;page=2"' in listed
        found = client.get("/agencies?q=机关3").text
        assert re.findall(r'href="/agencies/(t\d)"', found) == ["t3"] and "1 个" in found
