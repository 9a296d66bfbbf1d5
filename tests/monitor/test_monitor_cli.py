"""The commands: check, status, alerts pending / send --dry-run / send / test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from gkwatch.cli import main
from monitor.findings import finding
from storage import Archive
from tests.monitor.conftest import Sink


def _config(tmp_path: Path, db_url: str, sink: Sink) -> Path:
    (tmp_path / "apprise.yaml").write_text(f"urls:\n  - {sink.url()}:\n    - tag: always\n")
    path = tmp_path / "gkwatch.yaml"
    path.write_text(f"database_url: {db_url}\napprise_config: apprise.yaml\n", encoding="utf-8")
    return path


def _run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["--config", str(config), *args], env={"GKWATCH_DATABASE_URL": ""}
    )
    return result.exit_code, result.output


def test_check_status_and_alerts(tmp_path: Path, db_url: str, archive: Archive, sink: Sink) -> None:
    config = _config(tmp_path, db_url, sink)
    code, out = _run(config, "check", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["opened"] == data["open"] >= 1  # nothing archived: every expected report missing
    code, out = _run(config, "status")
    assert code == 0 and "scheduler: not running" in out and "check" in out and "ok at" in out
    code, out = _run(config, "alerts", "pending")
    assert code == 0 and "missing:sy-fgj" in out
    code, out = _run(config, "alerts", "send", "--dry-run")
    assert code == 0 and "年度报告缺失" in out and sink.received == []
    code, out = _run(config, "alerts", "send")
    assert code == 0 and f"sent {data['opened']}, failed 0" in out
    assert len(sink.received) == data["opened"]
    code, out = _run(config, "alerts", "pending")
    assert "no pending alerts" in out
    code, out = _run(config, "alerts", "test")
    assert code == 0 and out.startswith("ok") and sink.received[-1]["title"] == "gkwatch 测试消息"


def test_check_rejects_unknown_kind_and_missing_apprise_config(
    tmp_path: Path, db_url: str, archive: Archive, sink: Sink
) -> None:
    config = _config(tmp_path, db_url, sink)
    code, out = _run(config, "check", "--kind", "nonsense")
    assert code != 0 and "unknown kind nonsense" in out
    (tmp_path / "apprise.yaml").unlink()
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    archive.sync_findings(["jump"], [finding("jump", "sy-gov", 2023, "x", {}, "a")], now=now)
    code, out = _run(config, "alerts", "send")
    assert code != 0 and "apprise.yaml: Apprise configuration file not found" in out
