"""The Chinese UI says everything in Chinese: each command below runs with the zh UI, in the
state that shows its messages, and fails on any English phrase in what it prints.

To cover another command or message, add a ``Case`` to CASES: a name, the arguments, the exit
code it should end with, and a ``setup`` that prepares the workspace (tmp_path, the current
folder). ``english.english_runs`` is the detector; screens can use it on ``ui_support.
screen_text(app)`` the same way.
"""

from __future__ import annotations

import grp
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from english import english_runs
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import load_config
from callroom.store import Store

from conftest import add_tasks

runner = CliRunner()


def nothing() -> None:
    pass


def workspace(tasks: int = 0) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    if tasks:
        with Store(load_config("callroom.toml")) as store:
            add_tasks(store, tasks, name="1102名单")
            for _ in range(3):
                card = store.next_card("王芳")
                store.record(card.id, "verified", "王芳")


def filled() -> None:
    workspace(20)


def db() -> Path:
    return Path("data/callroom.db").resolve()


def loose_and_stale() -> None:
    workspace(20)
    os.chmod(db(), 0o644)
    conn = sqlite3.connect(db())
    conn.execute(
        "UPDATE tasks SET claim_by = '李四', claim_session = 'x', claim_pid = 999999, "
        "claim_host = 'here', lease_until = '2000-01-01 00:00:00' WHERE id IN (10, 11)"
    )
    conn.commit()
    conn.close()


def corrupt() -> None:
    workspace(200)
    with Store(load_config("callroom.toml")) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db().read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    db().write_bytes(bytes(data))


def newer_schema() -> None:
    workspace()
    conn = sqlite3.connect(db())
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def config_text(text: str) -> Callable[[], None]:
    def setup() -> None:
        Path("callroom.toml").write_text(text, "utf-8")

    return setup


def with_backup() -> None:
    workspace(5)
    assert runner.invoke(app, ["backup", "b.db"]).exit_code == 0


@dataclass
class Case:
    name: str
    args: list[str]
    code: int = 0
    setup: Callable[[], None] = nothing
    extra: dict[str, str] = field(default_factory=dict)


MY_GROUP = grp.getgrgid(os.getgid()).gr_name

CASES = [
    Case("init", ["init"]),
    Case("init again", ["init"], setup=workspace),
    Case("init shared", ["init", "--shared-group", MY_GROUP]),
    Case("init other group", ["init", "--shared-group", "nosuchgroup"], 2, setup=workspace),
    Case("status empty", ["status"], setup=workspace),
    Case("status", ["status"], setup=filled),
    Case("doctor", ["doctor"], setup=filled),
    Case("doctor problems", ["doctor"], setup=loose_and_stale),
    Case("doctor fix", ["doctor", "--fix"], setup=loose_and_stale),
    Case("doctor damaged", ["doctor"], 1, setup=corrupt),
    Case("doctor no database", ["doctor"], 1),
    Case("backup", ["backup"], setup=filled),
    Case("backup exists", ["backup", "b.db"], 1, setup=with_backup),
    Case("backup live", ["backup", "data/callroom.db"], 1, setup=workspace),
    Case("drill", ["drill", "--tasks", "200", "--callers", "2", "--minutes", "60"]),
    Case("drill bad odds", ["drill", "--odds", "nope=1"], 2),
    Case("drill bad share", ["drill", "--urgent", "lots"], 2),
    # errors any command can meet, through the shared CLI helpers
    Case("no database", ["status"], 1),
    Case("no database: import", ["import", "x.csv"], 1),
    Case("no database: report", ["report"], 1),
    Case("no database: export", ["export"], 1),
    Case("no database: call", ["call"], 1),
    Case("no database: lead", ["lead"], 1),
    Case("damaged", ["status"], 1, setup=corrupt),
    Case("newer schema", ["status"], 1, setup=newer_schema),
    Case("bad value", ["status"], 2, setup=config_text("[queue]\nmax_attempts = 0\n")),
    Case("unknown key", ["status"], 2, setup=config_text("[queue]\nmax_atempts = 3\n")),
    Case("bad toml", ["status"], 2, setup=config_text("[queue\nx = 1\n")),
    Case("deep toml", ["status"], 2, setup=config_text("x = " + "[" * 3000 + "]" * 3000)),
    Case("bad hours", ["status"], 2, setup=config_text('[hours]\nstart = "22:00"\n')),
    Case("missing config", ["--config", "nope.toml", "status"], 2),
    Case("bad lang", ["--lang", "fr", "status"], 2),
    # mistakes in the command line itself (click's own messages)
    Case("unknown command", ["statuss"], 2),
    Case("unknown option", ["status", "--bogus"], 2),
    Case("missing argument", ["import"], 2),
    Case("not a number", ["drill", "--tasks", "many"], 2),
    Case("extra arguments", ["backup", "a.db", "b.db"], 2),
    # other engineers add their commands here (report, export, import, lead, ...) at merge
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_chinese_ui_has_no_english_sentences(case: Case) -> None:
    case.setup()
    result = runner.invoke(app, case.args, env={"COLUMNS": "100", **case.extra})
    assert result.exit_code == case.code, result.output
    assert result.output.strip(), "said nothing"
    assert "Traceback" not in result.output
    assert english_runs(result.output) == [], result.output


def test_the_detector_finds_english_and_lets_names_of_things_pass() -> None:
    assert english_runs("callroom: data/x.db: no database here. Run `callroom init` first") == [
        "no database here",
        "Run first",
    ]
    assert english_runs("任务 #3 此刻正在 carol 的屏幕上") == []
    assert english_runs("请运行 `callroom doctor --fix`；[queue] max_attempts：必须是正整数") == []
    assert english_runs("  stale claims   正常") == ["stale claims"]
    assert english_runs("median p90 max") == ["median max"]


def test_a_crash_in_a_command_is_said_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace(3)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("张三 13812345678")

    monkeypatch.setattr("callroom.store.Store.counts_by_state", broken)
    result = runner.invoke(app, ["status"], env={"COLUMNS": "100"})
    assert result.exit_code == 1
    assert "遇到意外错误" in result.output and english_runs(result.output) == []
    assert "张三" not in result.output and "13812345678" not in result.output
    (log,) = Path("data").glob("callroom-crash-*.log")
    assert "ZeroDivisionError: <text> <number>" in log.read_text("utf-8")
