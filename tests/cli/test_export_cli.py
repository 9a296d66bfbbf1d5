"""``gkwatch export cells|reports|findings`` in CSV (UTF-8 with BOM), JSON and Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gkwatch.cli import main


def export(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--database", url, "export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cells_csv_has_a_bom_and_the_fixture_values(seeded_url: str, tmp_path: Path) -> None:
    target = tmp_path / "cells.csv"
    export(seeded_url, "cells", "--agency", "sy-fgj", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["agency"] == "沭阳县发展和改革局"
    by_ref = {(r["table"], r["row"], r["column"]): r for r in rows}
    # the 沭阳 report received 26 applications, all from natural persons (corpus notes)
    assert by_ref["applications", "new_received", "total"]["value"] == "26"
    # its 法人或其他组织 columns are printed empty: recorded as 0 and flagged blank
    assert by_ref["applications", "new_received", "commercial"]["blank"] == "True"


def test_cells_json_and_parquet_agree(seeded_url: str, tmp_path: Path) -> None:
    out = export(seeded_url, "cells", "--format", "json", "--year", "2024")
    rows = json.loads(out)
    assert {r["agency_id"] for r in rows} == {"jx-gov"}
    failing = {(r["row"], r["column"]) for r in rows if r["failing"]}
    assert ("granted", "natural_person") in failing
    target = tmp_path / "cells.parquet"
    export(seeded_url, "cells", "--format", "parquet", "--year", "2024", "-o", str(target))
    table = pq.read_table(target)
    assert table.num_rows == len(rows)
    assert set(table.column_names) >= {"agency_id", "table", "row", "column", "value"}


def test_reports_export_with_status(seeded_url: str, tmp_path: Path) -> None:
    rows = json.loads(export(seeded_url, "reports", "--format", "json", "--status", "late"))
    assert ("ly-lc", 2021) in {(r["agency_id"], r["year"]) for r in rows}
    assert all(r["status"] == "late" for r in rows)
    target = tmp_path / "reports.parquet"
    export(seeded_url, "reports", "--format", "parquet", "-o", str(target))
    assert pq.read_table(target).num_rows == len(
        json.loads(export(seeded_url, "reports", "--format", "json"))
    )


def test_findings_export_csv(seeded_url: str, tmp_path: Path) -> None:
    target = tmp_path / "findings.csv"
    summary = export(seeded_url, "findings", "--kind", "identity", "-o", str(target), "--json")
    assert json.loads(summary)["rows"] == 2
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["kind"] for r in rows} == {"identity"}
    assert json.loads(rows[0]["evidence"])  # evidence is kept as JSON text


@pytest.mark.parametrize("what", ["cells", "reports", "findings"])
def test_parquet_needs_a_file(seeded_url: str, what: str) -> None:
    result = CliRunner().invoke(
        main, ["--database", seeded_url, "export", what, "--format", "parquet"]
    )
    assert result.exit_code == 1
    assert "-o FILE" in result.output
