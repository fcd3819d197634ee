"""doctor, backup and the surge drill, through the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import load_config
from callroom.drill import DrillError, DrillSettings, run
from callroom.store import Store

from conftest import add_tasks

runner = CliRunner()
WORKER = Path(__file__).resolve().parents[1] / "benchmarks" / "caller_process.py"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    assert runner.invoke(app, ["init"]).exit_code == 0
    with Store(load_config("callroom.toml")) as store:
        add_tasks(store, 50)
    return tmp_path / "data" / "callroom.db"


def test_doctor_healthy(workspace: Path) -> None:
    result = runner.invoke(app, ["doctor"], terminal_width=120)
    assert result.exit_code == 0, result.output
    for check in ("config", "permissions", "integrity", "journal", "schema", "stale claims"):
        assert check in result.stdout
    assert "FAIL" not in result.stdout and "WARN" not in result.stdout
    assert "tasks 50" in result.stdout


def test_doctor_warns_about_loose_permissions_and_fixes_stale_claims(workspace: Path) -> None:
    os.chmod(workspace, 0o644)
    conn = sqlite3.connect(workspace)
    conn.execute(
        "UPDATE tasks SET claim_by = 'gone', claim_session = 'x', lease_until = '2000-01-01 00:00:00' "
        "WHERE id <= 3"
    )
    conn.commit()
    conn.close()
    result = runner.invoke(app, ["doctor"], terminal_width=160)
    assert result.exit_code == 0
    assert "others can read personal data; chmod 600" in result.stdout
    assert "callroom doctor --fix" in result.stdout
    fixed = runner.invoke(app, ["doctor", "--fix"], terminal_width=160)
    assert "3 returned to the queue" in fixed.stdout
    assert "callroom doctor --fix" not in runner.invoke(app, ["doctor"], terminal_width=160).stdout


def test_doctor_fails_on_a_corrupt_database_and_a_bad_config(
    workspace: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.toml").write_text("[queue]\nlease_seconds = 0\n", "utf-8")
    bad = runner.invoke(app, ["--config", "bad.toml", "doctor"], terminal_width=160)
    assert bad.exit_code == 2 and "lease_seconds" in bad.stdout
    Path(f"{workspace}-wal").unlink(missing_ok=True)
    data = bytearray(workspace.read_bytes())
    data[4096 : 4096 + 512] = os.urandom(512)  # scribble over a page of tasks
    workspace.write_bytes(bytes(data))
    result = runner.invoke(app, ["doctor"], terminal_width=160)
    assert result.exit_code == 1 and "FAIL" in result.stdout


def test_backup_while_a_caller_is_recording(workspace: Path, tmp_path: Path) -> None:
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(workspace), "busy", "--seconds", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        result = runner.invoke(app, ["backup", "backups/today.db"])
    finally:
        worker.wait(timeout=30)
    assert result.exit_code == 0, result.output
    copy = tmp_path / "backups" / "today.db"
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 50
    # a consistent snapshot: every attempt has its task state
    assert (
        conn.execute(
            "SELECT count(*) FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.state != 'done'"
        ).fetchone()[0]
        == 0
    )
    conn.close()
    again = runner.invoke(app, ["backup", "backups/today.db"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_drill_is_deterministic_and_priority_cuts_urgent_wait() -> None:
    cfg = load_config()
    small = DrillSettings(tasks=600, urgent_share=0.05, callers=3, minutes=120, seed=7)
    first, second = run(cfg, small), run(cfg, small)
    assert first == second
    assert first.calls > 100 and first.solved > 0
    assert first.urgent_never_called == 0
    fifo = run(cfg, DrillSettings(**{**small.__dict__, "priority": False}))
    assert fifo.urgent_first_call["median"] > 3 * first.urgent_first_call["median"]
    assert fifo.urgent_never_called > 0
    other_seed = run(cfg, DrillSettings(**{**small.__dict__, "seed": 8}))
    assert other_seed.outcomes != first.outcomes


def test_drill_cli(tmp_path: Path) -> None:
    args = ["drill", "--tasks", "300", "--callers", "2", "--minutes", "60", "--seed", "3"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["settings"]["tasks"] == 300 and data["urgent_first_call"]["count"] == 15
    table = runner.invoke(app, ["--lang", "en", *args], terminal_width=120)
    assert "until first call" in table.stdout and "Solved per hour" in table.stdout
    bad = runner.invoke(app, ["drill", "--odds", "teleported=1"])
    assert bad.exit_code == 2 and "unknown outcomes: teleported" in bad.output
    bad_share = runner.invoke(app, ["drill", "--urgent", "150%"])
    assert bad_share.exit_code == 2


def test_drill_rejects_nonsense() -> None:
    with pytest.raises(DrillError):
        run(load_config(), DrillSettings(tasks=0))
