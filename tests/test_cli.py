"""The command line as a user runs it: init, status, version, and clean failures."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom import __version__
from callroom.cli import app
from callroom.config import load_config
from callroom.store import SCHEMA_VERSION, Store

from conftest import phone

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_init_writes_config_and_private_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "en", "init"])
    assert result.exit_code == 0, result.output
    assert "Wrote config callroom.toml" in result.stdout
    assert (tmp_path / "callroom.toml").read_text("utf-8").startswith("# callroom configuration")
    db = tmp_path / "data" / "callroom.db"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert f"schema v{SCHEMA_VERSION}" in result.stdout
    # a second init keeps the user's edits
    (tmp_path / "callroom.toml").write_text('[general]\nlang = "en"\n', "utf-8")
    again = runner.invoke(app, ["init"])  # the kept file says en: so does the message
    assert again.exit_code == 0 and "exists; left as it is" in again.stdout
    assert (tmp_path / "callroom.toml").read_text("utf-8") == '[general]\nlang = "en"\n'


def test_status_on_empty_and_filled_database(tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    empty = runner.invoke(app, ["--lang", "en", "status"])
    assert empty.exit_code == 0 and "No lists in the database yet" in empty.stdout

    with Store(load_config("callroom.toml"), clock=lambda: datetime(2026, 11, 2, 10)) as store:
        store.add_batch("1031名单", [{"phone": phone(i)} for i in range(5)], "lead")
        card = store.next_card("alice")
        store.record(card.id, "verified", "alice")
        card = store.next_card("alice")
        store.record(card.id, "no_answer", "alice")
    result = runner.invoke(app, ["--lang", "en", "status"], terminal_width=120)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1031名单" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") >= 3}
    assert lines["Pending"].split("│")[2].strip() == "3"
    assert lines["Done"].split("│")[2].strip() == "1"
    assert lines["Retry later"].split("│")[2].strip() == "1"
    zh = runner.invoke(app, ["status"], terminal_width=120)
    assert "待拨打" in zh.stdout and "已接通核实" in zh.stdout


def test_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[queue]\nmax_attempts = -1\n", "utf-8")
    result = runner.invoke(app, ["--lang", "en", "--config", "bad.toml", "status"])
    assert result.exit_code == 2
    assert "bad.toml: [queue] max_attempts: must be a positive whole number" in result.output
    assert "Traceback" not in result.output
    bad_lang = runner.invoke(app, ["--lang", "fr", "status"])
    # no language it can say it in: the shipped default, Chinese
    assert bad_lang.exit_code == 2 and "--lang：必须是以下之一：zh, en" in bad_lang.output


def test_newer_database_is_refused_cleanly(tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    import sqlite3

    conn = sqlite3.connect(tmp_path / "data" / "callroom.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    result = runner.invoke(app, ["--lang", "en", "status"])
    assert result.exit_code == 1 and "newer callroom" in result.output


def test_console_script_is_installed(tmp_path: Path) -> None:
    # the real entry point, as a newcomer runs it after `pip install`
    exe = Path(sys.executable).with_name("callroom")
    done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and __version__ in done.stdout


def test_output_into_a_closed_pipe_is_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `callroom status | head -1`: the reader goes away mid-output; nothing to report, no log
    runner.invoke(app, ["init"])

    def reader_gone(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr("callroom.store.Store.batches", reader_gone)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "意外错误" not in result.output and "Traceback" not in result.output
    assert not list(tmp_path.rglob("callroom-crash-*.log"))
