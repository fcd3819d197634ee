"""doctor, backup and the surge drill, through the CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from callroom.cli import app
from callroom.config import load_config
from callroom.drill import DrillError, DrillSettings, run
from callroom.store import Store

from conftest import add_tasks

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "benchmarks" / "caller_process.py"


@pytest.fixture
def workspace(tmp_path: Path, db_url: str) -> Path:
    """`callroom init` and 50 tasks; on PostgreSQL ($CALLROOM_DATABASE_URL set by db_url) the
    path is where the SQLite file would be, and the tasks are on the server."""
    assert runner.invoke(app, ["init"]).exit_code == 0
    with Store(load_config("callroom.toml")) as store:
        add_tasks(store, 50)
    return tmp_path / "data" / "callroom.db"


def en(*args: str, width: int = 250) -> Result:
    """The command in English; wide, so that paths stay whole in doctor's table."""
    return runner.invoke(app, ["--lang", "en", *args], env={"COLUMNS": str(width)})


def said(result: Result) -> str:
    """The output with the table's wrapping undone (runs of spaces and line breaks as one)."""
    return " ".join(result.output.split())


def test_doctor_healthy(workspace: Path, engine: str) -> None:
    result = en("doctor", width=120)
    assert result.exit_code == 0, result.output
    checks = ["config", "roles", "schema", "stale claims"]
    if engine == "sqlite":
        checks += ["permissions", "integrity", "journal"]
    else:  # the server's files are the server's business: said, not checked
        checks += ["connection"]
        assert "file checks (modes, shared group, filesystem, integrity, write log) skipped" in (
            said(result)
        )
    for check in checks:
        assert check in result.stdout
    assert "FAIL" not in result.stdout and "WARN" not in result.stdout
    assert "tasks 50" in result.stdout
    assert "callroom.toml has no [roles]" in said(result)  # roles are off, and it says so


def test_doctor_lists_the_leads_when_roles_are_on(workspace: Path) -> None:
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    # the shipped file already has [roles]: name this account in its leads line
    text = Path("callroom.toml").read_text("utf-8").replace("leads = []", f'leads = ["{me}"]')
    Path("callroom.toml").write_text(text, "utf-8")
    result = en("doctor")
    assert result.exit_code == 0, result.output
    assert f"on: leads {me}" in said(result)


@pytest.mark.sqlite_only("the file's mode")
def test_doctor_warns_about_loose_permissions_and_fixes_them(workspace: Path) -> None:
    os.chmod(workspace, 0o644)
    result = en("doctor")
    assert result.exit_code == 0  # a warning: the database still works
    assert "others can read personal data; it should be 600" in said(result)
    assert f"chmod 600 {workspace}" in said(result)
    fixed = en("doctor", "--fix")
    assert f"fixed (chmod 600 {workspace})" in said(fixed)
    assert stat.S_IMODE(os.stat(workspace).st_mode) == 0o600


def test_doctor_returns_cards_of_ended_sessions_and_expired_leases(workspace: Path) -> None:
    cfg = load_config("callroom.toml")
    holder = subprocess.Popen(
        [sys.executable, str(WORKER), cfg.database_url or str(workspace), "carol", "--hold"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    held = json.loads(holder.stdout.readline())["held"]
    holder.kill()
    holder.wait(timeout=10)
    with Store(cfg) as store:
        store.conn.execute(
            "UPDATE tasks SET claim_by = 'gone', claim_session = 'x', "
            "lease_until = '2000-01-01 00:00:00' WHERE id IN (40, 41)"
        )
    result = en("doctor")
    assert result.exit_code == 0
    text = said(result)
    assert f"1 held by sessions that have ended (#{held} carol (pid {holder.pid}))" in text
    assert "2 whose lease ran out" in text and "callroom doctor --fix" in text
    fixed = en("doctor", "--fix")
    assert "3 returned to the queue" in said(fixed)
    assert "callroom doctor --fix" not in en("doctor").stdout
    with Store(cfg) as store:
        assert [c for c in store.claims()] == []
        kinds = [
            r[0] for r in store.conn.execute("SELECT kind FROM events WHERE task_id = ?", (held,))
        ]
        assert kinds[-1] == "claim_returned"


@pytest.mark.sqlite_only("a damaged SQLite file")
def test_doctor_fails_on_a_corrupt_database_and_a_bad_config(
    workspace: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.toml").write_text("[queue]\nlease_seconds = 0\n", "utf-8")
    bad = en("--config", "bad.toml", "doctor")
    assert bad.exit_code == 2 and "lease_seconds" in bad.stdout
    Path(f"{workspace}-wal").unlink(missing_ok=True)
    data = bytearray(workspace.read_bytes())
    data[4096 : 4096 + 512] = os.urandom(512)  # scribble over a page of tasks
    workspace.write_bytes(bytes(data))
    result = en("doctor")
    assert result.exit_code == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "FAIL" in lines["integrity"] and "FAIL" not in lines["permissions"]


def test_doctor_on_a_missing_database_names_it_and_init(tmp_path: Path) -> None:
    result = en("doctor")
    assert result.exit_code == 1
    assert "no database here" in said(result) and "callroom init" in said(result)
    assert not (tmp_path / "data").exists()


def test_deeply_nested_or_huge_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    (tmp_path / "huge.toml").write_text("# " + "x" * (300 * 1024) + "\n", "utf-8")
    for name, words in (("deep.toml", "nested far too deeply"), ("huge.toml", "at most 256 KiB")):
        for command in (["status"], ["doctor"]):
            result = en("--config", name, *command)
            assert result.exit_code == 2, (name, command, result.output)
            assert words in said(result) and "Traceback" not in result.output
            assert not isinstance(result.exception, RecursionError)
    zh = runner.invoke(app, ["--config", "deep.toml", "status"])
    assert zh.exit_code == 2 and "嵌套层数过多" in said(zh).replace(" ", "")


# -- backup ------------------------------------------------------------------------------------


@pytest.mark.sqlite_only("PostgreSQL: pg_dump (test_postgres.py)")
def test_backup_while_a_caller_is_recording(workspace: Path, tmp_path: Path) -> None:
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(workspace), "busy", "--seconds", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        (tmp_path / "backups").mkdir()
        result = en("backup", "backups/today.db")
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
    again = en("backup", "backups/today.db")
    assert again.exit_code == 1 and "already exists" in again.output
    assert en("backup", "backups/today.db", "--force").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == ["today.db"]


@pytest.mark.sqlite_only("PostgreSQL: pg_dump (test_postgres.py)")
def test_backup_default_name_beside_the_database(workspace: Path) -> None:
    before = datetime.now()
    result = en("backup")
    assert result.exit_code == 0, result.output
    made = [p for p in workspace.parent.iterdir() if p.name.startswith("callroom-backup-")]
    assert len(made) == 1
    name = made[0].name
    stamp = datetime.strptime(name, "callroom-backup-%Y%m%d-%H%M.db")
    assert before.replace(second=0, microsecond=0) <= stamp <= datetime.now()
    assert str(made[0]) in result.stdout.replace("\n", "")
    assert stat.S_IMODE(os.stat(made[0]).st_mode) == 0o600


# the backup stops at its worst moment: the whole copy is written (an unnamed file, or the named
# temporary file) and only the last step, giving it its name, is left
_SLOW_BACKUP = """
import os, sys, time
import callroom.backup as b
from callroom.cli import main
if sys.argv[1] == "file":
    b.MEMORY_LIMIT = 0  # force the named temporary file
def stop_first(*args, **kwargs):
    print("copied", flush=True)
    time.sleep(60)
if sys.argv[1] == "memory":
    os.link = stop_first
else:
    os.replace = stop_first
sys.argv = ["callroom", *sys.argv[2:]]
main()
"""


@pytest.mark.sqlite_only("PostgreSQL: pg_dump (test_postgres.py)")
@pytest.mark.parametrize(
    ("path", "sig"),
    [("memory", signal.SIGKILL), ("file", signal.SIGTERM), ("file", signal.SIGKILL)],
)
def test_a_killed_backup_leaves_nothing_behind(workspace: Path, path: str, sig: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BACKUP, path, "--lang", "en", "backup", "b.db"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "copied", proc.stderr.read()
        proc.send_signal(sig)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    here = sorted(p.name for p in Path.cwd().iterdir())
    if path == "file" and sig == signal.SIGKILL:
        # nothing can clean up after kill -9: the next backup sweeps the dead process's copy
        assert any(n.startswith(".b.db.") for n in here)
        assert en("backup", "other.db").exit_code == 0
        here = sorted(p.name for p in Path.cwd().iterdir())
    assert not any(n.startswith(".b.db") or n == "b.db" for n in here), here


@pytest.mark.sqlite_only("PostgreSQL: pg_dump (test_postgres.py)")
def test_backup_on_a_full_disk_says_so_and_leaves_nothing(workspace: Path, tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True
        ).returncode
    ):
        pytest.skip("needs root to mount a tiny tmpfs (a full disk)")
    try:
        result = en("backup", str(small / "b.db"))
        assert result.exit_code == 1
        assert f"{small / 'b.db'}: the disk is full; no backup was written" in result.output
        assert "Traceback" not in result.output
        assert os.listdir(small) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


# -- drill -------------------------------------------------------------------------------------


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
    table = en(*args, width=120)
    assert "until first call" in table.stdout and "Solved per hour" in table.stdout
    zh = runner.invoke(app, args, env={"COLUMNS": "120"})
    assert "到首次拨打" in zh.stdout and "中位数" in zh.stdout and "median" not in zh.stdout
    bad = en("drill", "--odds", "teleported=1")
    assert bad.exit_code == 2 and "unknown outcomes: teleported" in bad.output
    bad_zh = runner.invoke(app, ["drill", "--odds", "teleported=1"])
    assert bad_zh.exit_code == 2 and "未知的结果代码：teleported" in bad_zh.output
    bad_share = runner.invoke(app, ["drill", "--urgent", "150%"])
    assert bad_share.exit_code == 2


def test_drill_rejects_nonsense() -> None:
    with pytest.raises(DrillError):
        run(load_config(), DrillSettings(tasks=0))
