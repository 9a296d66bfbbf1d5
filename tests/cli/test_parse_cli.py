"""``gkwatch parse``: JSON Lines per file, clear errors for bad files, non-zero exit at the end."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gkwatch.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = next((FIXTURES / "seeds").glob("004_*.txt"))
PAGE = FIXTURES / "corpus" / "html" / "shuyang-fgj-2023.html"


def test_json_lines_one_object_per_file() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED), str(PAGE)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["agency"] for r in lines] == ["嘉兴市人民政府办公室", "沭阳县发展和改革局"]
    first = lines[0]
    for key in (
        "year",
        "signed_on",
        "template",
        "active",
        "applications",
        "appeals",
        "prose",
        "source",
        "warnings",
        "identities",
    ):
        assert key in first
    assert first["applications"]["new_received"]["total"] == 126
    assert set(first["identities"][0]) == {"rule", "scope", "left", "right", "ok"}
    assert first["source"]["path"] == str(SEED)


def test_bad_file_is_named_and_the_others_still_parse(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 64)
    missing = tmp_path / "missing.html"
    result = CliRunner().invoke(main, ["parse", str(garbage), str(missing), str(SEED)])
    assert result.exit_code == 1
    assert f"{garbage}: unsupported format" in result.stderr
    assert str(missing) in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_pretty_marks_resolved_and_failing_cells(tmp_path: Path) -> None:
    seed = next((FIXTURES / "seeds").glob("003_*.txt"))
    broken = tmp_path / "broken.txt"
    # Change one printed cell so that T3.rows fails on that row.
    text = SEED.read_text(encoding="utf-8").replace("| 109 | 17 |", "| 109 | 18 |")
    broken.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--pretty", str(seed), str(broken)])
    assert result.exit_code == 0, result.output
    assert "表三" in result.stdout and "*" in result.stdout
    assert "✗ T3.rows new_received: 126 ≠ 127" in result.stdout
