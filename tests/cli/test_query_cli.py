"""``gkwatch agencies|reports|findings|show|diff`` against the archive seeded from the real
fixtures (tests/web/gkwatch_seed.py). Expected values come from the fixture documents and the
seed's stated settings, not from the program's output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gkwatch.cli import main


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--database", url, *args], catch_exceptions=False)


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_agencies_json_lists_the_registry(seeded_url: str) -> None:
    agencies = run_json(seeded_url, "agencies")
    assert {a["id"] for a in agencies} == {"jx-gov", "dt-xr", "ly-lc", "xp-rh", "qy-qx", "sy-fgj"}
    jx = next(a for a in agencies if a["id"] == "jx-gov")
    assert set(jx) >= {"id", "name", "level", "region", "portal", "deadline", "since"}
    assert jx["name"] == "嘉兴市人民政府办公室" and jx["since"] == 2023


def test_agencies_filters(seeded_url: str) -> None:
    assert [a["id"] for a in run_json(seeded_url, "agencies", "--region", "嘉兴市")] == ["jx-gov"]
    counties = run_json(seeded_url, "agencies", "--level", "county")
    assert sorted(a["id"] for a in counties) == ["dt-xr", "ly-lc", "qy-qx"]
    # a piece of the name or the id
    assert [a["id"] for a in run_json(seeded_url, "agencies", "--search", "人民政府办公室")] == [
        "dt-xr",
        "jx-gov",
        "ly-lc",
    ]
    assert [a["id"] for a in run_json(seeded_url, "agencies", "--search", "FGJ")] == ["sy-fgj"]
    assert run_json(seeded_url, "agencies", "--search", "%") == []  # literally, no wildcard


def test_agencies_table(seeded_url: str) -> None:
    result = run(seeded_url, "agencies", "--level", "department")
    assert result.exit_code == 0
    assert "sy-fgj" in result.output and "1 个机关" in result.output


def test_reports_statuses(seeded_url: str) -> None:
    rows = run_json(seeded_url, "reports")
    by_key = {(r["agency_id"], r["year"]): r for r in rows}
    assert set(rows[0]) >= {"agency_id", "year", "status", "due", "published", "report"}
    # 沭阳县发改局 (a department) published 2023 on 2024-01-17, before its 31 January deadline
    assert by_key["sy-fgj", 2023]["status"] == "on_time"
    assert by_key["sy-fgj", 2023]["due"] == "2024-01-31"
    # 老城区 (a county government, due 2022-03-31) was first seen on 2022-05-10: late
    assert by_key["ly-lc", 2021]["status"] == "late"
    # 嘉兴 reports since 2023 and has no 2023 report: missing (its deadline is long past)
    assert by_key["jx-gov", 2023]["status"] == "missing"
    assert by_key["jx-gov", 2023]["report"] is None
    assert by_key["jx-gov", 2024]["report"]["versions"] == 2


def test_reports_filters(seeded_url: str) -> None:
    late = run_json(seeded_url, "reports", "--status", "late", "--region", "洛阳市")
    assert [(r["agency_id"], r["year"]) for r in late] == [("ly-lc", 2021)]
    published = run_json(seeded_url, "reports", "--status", "published")
    assert len(published) == 6
    missing = run_json(seeded_url, "reports", "--agency", "jx-gov", "--status", "missing")
    assert 2023 in {r["year"] for r in missing} and 2024 not in {r["year"] for r in missing}
    assert run_json(seeded_url, "reports", "--year", "2012") == [
        r for r in run_json(seeded_url, "reports") if r["year"] == 2012
    ]


def test_reports_table(seeded_url: str) -> None:
    result = run(seeded_url, "reports", "--agency", "ly-lc", "--year", "2021")
    assert result.exit_code == 0
    assert "逾期发布" in result.output


def test_findings_json_and_filters(seeded_url: str) -> None:
    found = run_json(seeded_url, "findings", "--kind", "identity")
    assert found and {f["agency_id"] for f in found} == {"jx-gov"}
    assert set(found[0]) >= {"id", "key", "kind", "severity", "summary", "state", "evidence"}
    assert all(f["state"] == "open" for f in run_json(seeded_url, "findings", "--open"))
    high = run_json(seeded_url, "findings", "--severity", "high")
    assert high and all(f["severity"] == "high" for f in high)
    assert run_json(seeded_url, "findings", "--since", "2999-01-01") == []
    assert run_json(seeded_url, "findings", "--agency", "sy-fgj", "--year", "2023") == []


def test_findings_bad_since_is_a_clear_error(seeded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database", seeded_url, "findings", "--since", "soon"])
    assert result.exit_code == 1
    assert "--since 'soon'" in result.output


def test_show_json_marks_the_failing_cells(seeded_url: str) -> None:
    shown = run_json(seeded_url, "show", "jx-gov", "2024")
    assert set(shown) >= {"agency", "report", "timeliness", "version", "versions", "prose"}
    assert shown["version"]["number"] == 2 and len(shown["versions"]) == 2
    record = shown["version"]["record"]
    # the fixture prints 126 applications received in total (table 3, row 一)
    assert record["applications"]["new_received"]["total"] == 126
    assert {i["rule"] for i in shown["failing_identities"]} == {"T3.rows", "T3.results"}
    assert "applications.granted.natural_person" in shown["failing_cells"]


def test_show_an_older_version(seeded_url: str) -> None:
    shown = run_json(seeded_url, "show", "jx-gov", "2024", "--version", "1")
    assert shown["version"]["number"] == 1
    assert shown["failing_identities"] == []
    assert shown["version"]["record"]["applications"]["granted"]["natural_person"] == 13


def test_show_table_marks_failing_cells(seeded_url: str) -> None:
    result = run(seeded_url, "show", "jx-gov", "2024")
    assert result.exit_code == 0
    assert "✗15" in result.output
    assert "不成立的勾稽关系" in result.output
    assert "三、收到和处理政府信息公开申请情况" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nope", "2024"), "no agency 'nope'"),
        (("show", "jx-gov", "2024", "--version", "9"), "has no version 9"),
        (("diff", "jx-gov", "2024", "--from", "7"), "has no version 7"),
    ],
)
def test_show_and_diff_errors(seeded_url: str, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(main, ["--database", seeded_url, *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_diff_json_shows_the_changed_cell(seeded_url: str) -> None:
    out = run_json(seeded_url, "diff", "jx-gov", "2024")
    assert out["versions"] == 2 and len(out["diffs"]) == 1
    change = out["diffs"][0]
    assert (change["old"], change["new"]) == (1, 2)
    assert change["cells"] == [
        {
            "table": "applications",
            "row": "granted",
            "column": "natural_person",
            "old": 13,
            "new": 15,
        }
    ]


def test_diff_of_a_single_version(seeded_url: str) -> None:
    assert run_json(seeded_url, "diff", "sy-fgj", "2023")["diffs"] == []
    result = run(seeded_url, "diff", "sy-fgj", "2023")
    assert "只有一个版本" in result.output


def test_diff_table(seeded_url: str) -> None:
    result = run(seeded_url, "diff", "jx-gov", "2024", "--from", "1", "--to", "2")
    assert result.exit_code == 0
    assert "版本 1 → 版本 2" in result.output and "granted" in result.output
