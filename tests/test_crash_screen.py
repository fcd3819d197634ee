"""An unexpected error on the caller screen, with a card on it: a short message with a
reference number, a log without residents' data, and a non-zero exit. Never Textual's crash
report, whose traceback lists local variables (the card's name, ID, phone and address)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import sqlite3
import stat
import struct
import subprocess
import sys
import termios
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner
from ui_support import SIZE, flat, press

from callroom.app import make_app
from callroom.cli import app as cli_app
from callroom.config import Config, load_config
from callroom.crash import scrub
from callroom.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESIDENT = {
    "phone": "+8613912345678",
    "name": "欧阳娜娜",
    "id_number": "44030419900101123X",
    "address": "福田区莲花街道景田北路88号",
    "place": "北京市朝阳区",
    "extra": {"车牌号": "粤B12345"},
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


def leaks(text: str) -> list[str]:
    """Which of the resident's values appear in ``text``, in any format (spaced, dashed, +86,
    upper or lower case X, the name whole or in part)."""
    found = []
    for digits, label in (("13912345678", "phone"), ("44030419900101123", "id")):
        if re.search(r"\D{0,3}".join(digits), text):
            found.append(label)
    for part in ("欧阳", "娜娜", "景田北路", "莲花街道", "88号", "朝阳区", "粤B12345"):
        if part in text:
            found.append(part)
    return found


def the_card_in_an_error(store: Store, task_id: int) -> RuntimeError:
    """The worst kind of error: one whose message carries the card's values."""
    t = store.get_task(task_id)
    return RuntimeError(f"row {t.name} {t.id_number} {t.phone} {t.address} {t.extra}")


def crash_logs(folder: Path) -> list[Path]:
    return sorted(folder.glob("callroom-crash-*.log"))


def test_scrub_removes_names_numbers_ids_and_quoted_values() -> None:
    text = scrub(
        "KeyError: '欧阳娜娜' at +86 139-1234-5678, id 44030419900101123x, "
        "mail wang@example.com, 'Alice Smith' in 'claim_session'"
    )
    assert leaks(text) == [] and "Alice" not in text and "example.com" not in text
    assert "'claim_session'" in text  # a code name stays: it helps find the bug


def _failing_reveal(monkeypatch: pytest.MonkeyPatch, error: object) -> None:
    """The reveal key's audit write (run in the screen's worker, on its own connection) fails
    with ``error(store, task_id)``: the error comes back to the screen's thread as it would."""
    real = Store.log_event

    def log_event(self: Store, kind: str, operator: str, task_id: int | None = None,
                  *args: object, **kwargs: object) -> None:  # fmt: skip
        if kind == "reveal":
            raise error(self, task_id)  # type: ignore[operator]
        real(self, kind, operator, task_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "log_event", log_event)


async def test_crash_on_the_card_screen_shows_no_personal_data(
    config: Config,
    store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.add_batch("1102名单", [RESIDENT], "lead")
    app = make_app(config, store)
    with pytest.raises(RuntimeError):  # run_test hands the app's first error to the test
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)  # past the new card's settle time
            assert "13912345678" in flat(app).replace(" ", "")  # the card is on screen
            _failing_reveal(monkeypatch, the_card_in_an_error)
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
    assert app.return_code == 1
    shown = capsys.readouterr()
    terminal = shown.out + shown.err
    assert "callroom 遇到意外错误，已退出（错误编号" in terminal  # the UI's language
    assert leaks(terminal) == [], terminal
    assert "Traceback" not in terminal and "locals" not in terminal
    (log,) = crash_logs(config.database.parent)
    reference = re.search(r"错误编号 ([0-9A-F]{6})", terminal)[1]
    assert reference in log.name and str(log) in terminal.replace("\n", "")
    text = log.read_text("utf-8")
    assert leaks(text) == [], text
    assert "RuntimeError: row <text> <number>" in text
    # where it happened: the screen's reveal and the worker's write (file:line:function only)
    assert "callroom/screens/call.py:" in text and "callroom/card_io.py:" in text
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600


async def test_a_damaged_database_under_the_screen_stops_it_in_words(
    config: Config,
    store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.add_batch("1102名单", [RESIDENT], "lead")
    app = make_app(config, store)

    def malformed(*args: object) -> sqlite3.DatabaseError:
        return sqlite3.DatabaseError("database disk image is malformed")

    # a known failure of the database: the screen stops with it in words (no crash report)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        _failing_reveal(monkeypatch, malformed)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    terminal = "".join(capsys.readouterr()).replace("\n", "")
    assert "数据库文件已损坏" in terminal
    assert leaks(terminal) == []


_PATCHED_CALL = """
import sys
from callroom.store import Store
real = Store.log_event
def log_event(self, kind, operator, task_id=None, *args, **kwargs):
    if kind == "reveal":  # an unexpected error, carrying the card's values in its message
        t = self.get_task(task_id)
        raise RuntimeError(f"{t.name} {t.id_number} {t.phone} {t.address} {t.extra}")
    return real(self, kind, operator, task_id, *args, **kwargs)
Store.log_event = log_event
from callroom.cli import main
sys.argv = ["callroom", *sys.argv[1:]]
main()
"""


def run_in_terminal(args: list[str], keys: bytes, cwd: Path) -> tuple[int, str]:
    """Run callroom in an 80x24 pseudo-terminal, press ``keys`` once a card shows; returns
    the exit code and everything written to the terminal."""
    import pty

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _PATCHED_CALL, *args],
        stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen, pressed = b"", False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
            text = ANSI.sub("", seen.decode("utf-8", "replace"))
            if not pressed and "139" in text and "5678" in text:
                time.sleep(0.8)  # past the new card's settle time
                os.write(master, keys)
                pressed = True
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert pressed, seen.decode("utf-8", "replace")[-2000:]
    return proc.returncode, seen.decode("utf-8", "replace")


def test_real_terminal_after_a_crash_shows_no_card_values_and_exits_1(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli_app, ["init"]).exit_code == 0
    text = Path("callroom.toml").read_text("utf-8")
    text = text.replace('start = "08:00"', 'start = "00:00"').replace(
        'end = "21:00"', 'end = "23:59"'
    )
    Path("callroom.toml").write_text(text, "utf-8")
    with Store(load_config("callroom.toml")) as store:
        store.add_batch("1102名单", [RESIDENT], "lead")
    code, output = run_in_terminal(["--operator", "wang", "call"], b"r", tmp_path)
    assert code == 1
    # what stays on the terminal once the app has left the alternate screen
    after = ANSI.sub("", output.rsplit("\x1b[?1049l", 1)[-1])
    assert "错误编号" in after, after
    assert leaks(after) == [], after
    assert "Traceback" not in after
    (log,) = crash_logs(tmp_path / "data")
    assert leaks(log.read_text("utf-8")) == []


async def test_database_deleted_under_the_screen_stops_it_instead_of_saying_saved(
    config: Config, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import add_tasks

    add_tasks(store, 3)
    app = make_app(replace(config, settle_ms=0), store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "3")  # saved: no answer on the first card
        config.database.unlink()
        await press(pilot, "3")  # this one would go into a file nobody will ever see
    assert app.return_code == 1
    terminal = "".join(capsys.readouterr()).replace("\n", "")
    assert "在 callroom 运行期间被删除或移走" in terminal
    (copy,) = config.database.parent.glob("callroom.db.rescued-*.db")
    assert str(copy) in terminal
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
    conn.close()
    assert not config.database.exists()  # nothing made a new, empty one
