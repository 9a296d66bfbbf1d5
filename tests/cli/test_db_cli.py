"""``gkwatch db``, ``registry``, ``ingest`` and ``reparse`` against both backends, with the real
parser on the seed fixtures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gkwatch.cli import main
from storage import Archive

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
JIAXING = "004_91b38fa976f5289e"  # 嘉兴市人民政府办公室 2024
LAOCHENG = "003_e02f11226f5e83d3"  # 老城区人民政府办公室 2021

REGISTRY = """\
agencies:
  - id: zj-jx
    name: 嘉兴市人民政府办公室
    level: city
    region: 浙江省/嘉兴市
    portal: http://127.0.0.1:9/jx/
  - id: ly-lc
    name: 老城区人民政府办公室
    level: county
    region: 河南省/洛阳市/老城区
    portal: http://127.0.0.1:9/lc/
    deadline: "03-31"
"""


Run = Callable[..., Result]


@pytest.fixture
def gk(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    for var in ("GKWATCH_DATABASE_URL", "GKWATCH_DOCUMENT_DIR", "GKWATCH_REGISTRY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GKWATCH_CONFIG", str(tmp_path / "config.yaml"))
    (tmp_path / "config.yaml").write_text("{}\n", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, ["--database", database_url, *args], catch_exceptions=False)

    return run


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (SEEDS / "expected" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


def test_db_info_and_upgrade(gk: Run, database_url: str) -> None:
    behind = gk("db", "info")
    assert (
        behind.exit_code == 0
        and "BEHIND" in behind.output
        and "gkwatch db upgrade" in behind.output
    )
    refused = gk("registry", "import", str(SEEDS / "nothing.yaml"))
    assert refused.exit_code != 0
    up = gk("db", "upgrade")
    assert up.exit_code == 0 and "schema at revision" in up.output
    info = gk("db", "info", "--json")
    data = json.loads(info.output)
    assert data["up_to_date"] and data["counts"]["reports"] == 0
    assert data["backend"] == database_url.split(":")[0].split("+")[0]


def test_db_recount_finds_and_fixes_drifted_tallies(
    gk: Run, database_url: str, tmp_path: Path
) -> None:
    from storage.testing import execute

    gk("db", "upgrade")
    reg = tmp_path / "r.yaml"
    reg.write_text(REGISTRY, encoding="utf-8")
    gk("registry", "import", str(reg))
    assert gk("ingest", str(SEEDS / f"{JIAXING}.txt"), "--agency", "zj-jx").exit_code == 0
    kept = gk("db", "recount", "--check")
    assert kept.exit_code == 0 and "0 group(s) differ" in kept.output
    # what a load with the triggers off would leave behind
    execute(database_url, "UPDATE report_tallies SET reports = reports + 3")
    drifted = gk("db", "recount", "--check")
    assert drifted.exit_code == 1 and "1 group(s) differ" in drifted.output
    assert "1 group(s) rewritten" in gk("db", "recount").output
    assert gk("db", "recount", "--check").exit_code == 0
    assert json.loads(gk("db", "info", "--json").output)["counts"]["reports"] == 1


def test_registry_check_and_import(gk: Run, tmp_path: Path) -> None:
    gk("db", "upgrade")
    bad = tmp_path / "bad.yaml"
    bad.write_text(REGISTRY.replace("level: county", "level: village"), encoding="utf-8")
    result = gk("registry", "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:9: unknown level 'village'" in result.stderr
    assert gk("registry", "import", str(bad)).exit_code == 1
    good = tmp_path / "good.yaml"
    good.write_text(REGISTRY, encoding="utf-8")
    assert "2 agencies, no problems" in gk("registry", "check", str(good)).output
    assert "2 added, 0 updated, 0 unchanged" in gk("registry", "import", str(good)).output
    assert "0 added, 0 updated, 2 unchanged" in gk("registry", "import", str(good)).output


def test_ingest_real_reports(gk: Run, database_url: str, tmp_path: Path) -> None:
    gk("db", "upgrade")
    reg = tmp_path / "r.yaml"
    reg.write_text(REGISTRY, encoding="utf-8")
    gk("registry", "import", str(reg))
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"   \n")
    jx = shutil.copy(SEEDS / f"{JIAXING}.txt", tmp_path / "jx.txt")
    result = gk("ingest", str(jx), str(broken), "--agency", "zj-jx")
    assert result.exit_code == 1
    assert f"{broken}: not ingested:" in result.stderr and "(document kept)" in result.stderr
    assert "zj-jx 2024 version 1 (new version)" in result.stdout
    again = gk("ingest", str(jx), "--agency", "zj-jx")
    assert again.exit_code == 0 and "version 1 (unchanged)" in again.stdout
    lc = gk(
        "ingest",
        str(SEEDS / f"{LAOCHENG}.txt"),
        "--agency",
        "ly-lc",
        "--url",
        "http://127.0.0.1:9/lc/2021.html",
    )
    assert lc.exit_code == 0, lc.output
    with Archive.open(database_url) as archive:
        counts = archive.info()["counts"]
        assert (counts["documents"], counts["reports"], counts["versions"]) == (3, 2, 2)
        assert counts["fetches"] == 4
        gold = expected(JIAXING)
        cells = archive.cells(table="applications", column="total", agency_ids=["zj-jx"])
        got = {c.row: c.value for c in cells}
        for row in ("new_received", "carried_over", "granted", "total", "carried_forward"):
            assert got[row] == gold["applications"][row]["total"], row
        report = archive.report("ly-lc", 2021)
        assert report.url == "http://127.0.0.1:9/lc/2021.html"
        assert report.year == expected(LAOCHENG)["year"]
    unknown = gk("ingest", str(jx), "--agency", "nobody")
    assert unknown.exit_code == 1 and "nobody" in unknown.stderr
    reparsed = gk("reparse")
    assert reparsed.exit_code == 0 and reparsed.stdout.strip().startswith("0 versions re-derived")
    forced = gk("reparse", "--force")
    assert forced.exit_code == 0 and forced.stdout.strip().startswith("2 versions re-derived")
