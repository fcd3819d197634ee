"""Faults under a working store: the database or its log deleted or replaced, a full or read-only
disk, a damaged file, a database busy too long, a caller's session killed. Each is a clear message
in the UI's language, nothing is written half, and nothing "saved" is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import time as dtime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import Config, load_config
from callroom.db_errors import DatabaseDamaged, DatabaseGone, DatabaseMissing, StoreBusy
from callroom.store import Store, StoreError

from conftest import Clock, add_tasks

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "benchmarks" / "caller_process.py"
runner = CliRunner()


def attempts(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    finally:
        conn.close()


def work(store: Store, operator: str = "alice", n: int = 3) -> list[int]:
    done = []
    for _ in range(n):
        card = store.next_card(operator)
        assert card is not None
        store.record(card.id, "verified", operator)
        done.append(card.id)
    return done


def workspace_config(tmp_path: Path, database: Path) -> Path:
    path = tmp_path / "callroom.toml"
    path.write_text(f'[general]\ndatabase = "{database}"\nlang = "en"\n', "utf-8")
    return path


@contextmanager
def mounted_tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small filesystem of its own (a disk that can fill up), or skip without root."""
    where.mkdir(exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# -- only init creates a database ---------------------------------------------------------------


def test_no_store_creates_a_database_unless_asked(tmp_path: Path) -> None:
    cfg = replace(load_config(), database=tmp_path / "data" / "callroom.db")
    with pytest.raises(DatabaseMissing) as info:
        Store(cfg)
    assert str(cfg.database) in str(info.value) and "callroom init" in str(info.value)
    assert "callroom init" in info.value.text("zh") and "这里还没有数据库" in info.value.text("zh")
    assert not cfg.database.parent.exists()
    workspace_config(tmp_path, cfg.database)
    for command in (["status"], ["report"], ["export"], ["backup"], ["import", "x.csv"]):
        result = runner.invoke(app, ["--lang", "en", *command])
        assert result.exit_code == 1, (command, result.output)
        assert "no database here" in result.output and "Traceback" not in result.output
    assert not cfg.database.exists()
    Store(cfg, create=True).close()  # what `callroom init` does
    assert cfg.database.exists()


# -- the database or its log deleted or replaced under a running store -----------------------


def test_database_deleted_under_a_running_store_stops_and_keeps_a_copy(
    config: Config, store: Store, tmp_path: Path
) -> None:
    add_tasks(store, 10)
    done = work(store)
    config.database.unlink()
    with pytest.raises(DatabaseGone) as info:
        work(store, n=1)
    message = str(info.value)
    assert "was deleted or moved while callroom was running: nothing more is written" in message
    assert "被删除或移走" in info.value.text("zh")
    copy = next(tmp_path.glob("callroom.db.rescued-*.db"))
    assert str(copy) in message
    conn = sqlite3.connect(copy)
    assert [r[0] for r in conn.execute("SELECT task_id FROM attempts ORDER BY id")] == done
    conn.close()
    with pytest.raises(DatabaseGone):  # and every later write, without trying again
        store.log_event("pause", "alice")
    # a colleague's `callroom status` does not create a new, empty database in its place
    workspace_config(tmp_path, config.database)
    status = runner.invoke(app, ["--lang", "en", "status"])
    assert status.exit_code == 1 and "no database here" in status.output
    assert not config.database.exists()


def test_database_replaced_under_a_running_store_stops(
    config: Config, store: Store, tmp_path: Path
) -> None:
    add_tasks(store, 5)
    work(store, n=2)
    other = replace(config, database=tmp_path / "other.db")
    Store(other, create=True).close()
    os.replace(other.database, config.database)
    with pytest.raises(DatabaseGone) as info:
        work(store, n=1)
    assert "was replaced by another file" in str(info.value)
    rescued = next(tmp_path.glob("callroom.db.rescued-*.db"))
    assert attempts(rescued) == 2


_WAL_VICTIM = """
import json, sys, time
from dataclasses import replace
from datetime import time as dtime
from pathlib import Path
from callroom.config import load_config
from callroom.store import Store, StoreError
cfg = replace(load_config(), database=Path(sys.argv[1]), hours_start=dtime.min,
              hours_end=dtime.max)
store = Store(cfg)
for _ in range(3):
    card = store.next_card("alice")
    store.record(card.id, "verified", "alice")
print("recorded", flush=True)
sys.stdin.readline()  # the test deletes the -wal now
said = []
for _ in range(6):
    try:
        card = store.next_card("alice")
        store.record(card.id, "verified", "alice")
        said.append("saved")
    except StoreError as exc:
        said.append(str(exc))
print(json.dumps(said), flush=True)
time.sleep(60)  # killed here, like a terminal that died
"""


def test_wal_deleted_under_a_running_caller_loses_nothing_that_said_saved(
    config: Config, store: Store
) -> None:
    add_tasks(store, 20)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WAL_VICTIM, str(config.database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "recorded", proc.stderr.read()
        Path(f"{config.database}-wal").unlink()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        said = json.loads(proc.stdout.readline())
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert "saved" not in said  # never "saved" into a log that is gone
    assert "write log) was deleted or replaced" in said[0] and "Start callroom again" in said[0]
    # the three outcomes recorded before the log was deleted are in the database
    with Store(config) as after:
        assert after.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 3
        assert after.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- SQLite errors in words --------------------------------------------------------------------


def test_full_disk_while_recording_writes_nothing_and_says_so(tmp_path: Path, clock: Clock) -> None:
    with mounted_tmpfs(tmp_path / "disk", "1m") as disk:
        cfg = replace(load_config(), database=disk / "callroom.db", lang="zh")
        with Store(cfg, clock=clock, create=True) as store:
            add_tasks(store, 30)
            card = store.next_card("alice")
            filler = disk / "filler"
            with filler.open("wb", buffering=0) as f:
                try:
                    while True:
                        f.write(b"\0" * 4096)
                except OSError:
                    pass
            with pytest.raises(StoreError) as info:
                for _ in range(200):  # fill what is left in SQLite's pages and the log
                    store.record(card.id, "no_answer", "alice", note="x" * 2000)
                    card = store.next_card("alice")
            assert info.value.key == "store.disk_full"
            assert "磁盘已满，本次没有写入任何内容" in info.value.text("zh")
            written = store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
            filler.unlink()
            # the refused outcome left nothing: the same card records cleanly now
            held = store.next_card("alice")
            store.record(held.id, "verified", "alice")
            assert store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == written + 1
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_import_on_a_full_disk_is_one_clear_line_and_nothing_imported(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "disk", "400k") as disk:
        db = disk / "callroom.db"
        workspace_config(tmp_path, db)
        Store(load_config(tmp_path / "callroom.toml"), create=True).close()
        rows = "".join(f"{i},居民{i},138{i:08d},北京市朝阳区某某街道{i}号\n" for i in range(20000))
        (tmp_path / "big.csv").write_text("序号,姓名,联系电话,现居住地址\n" + rows, "utf-8")
        result = runner.invoke(app, ["import", str(tmp_path / "big.csv")], env={"COLUMNS": "250"})
        assert result.exit_code == 1, result.output
        assert "the disk is full, nothing of this import was written" in result.output
        assert "Nothing was imported" in result.output and "Traceback" not in result.output
        zh = runner.invoke(app, ["--lang", "zh", "import", str(tmp_path / "big.csv")])
        assert "磁盘已满" in zh.output and "本次导入未写入任何数据" in zh.output
        with Store(load_config(tmp_path / "callroom.toml")) as store:
            assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_read_only_disk_is_said_in_words(tmp_path: Path) -> None:
    source, view = tmp_path / "rw", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    cfg = replace(load_config(), database=source / "callroom.db")
    with Store(cfg, create=True) as store:
        add_tasks(store, 3)
    if os.geteuid() != 0:
        pytest.skip("needs root for a read-only bind mount")
    ok = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if ok.returncode:
        pytest.skip("cannot bind-mount here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        workspace_config(tmp_path, view / "callroom.db")
        for command in (["status"], ["import", "x.csv"], ["backup", str(tmp_path / "b.db")]):
            result = runner.invoke(app, ["--lang", "en", *command])
            assert result.exit_code == 1, result.output
            assert "the disk holding the database is read-only" in result.output, result.output
            assert "Traceback" not in result.output
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def _corrupt(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)  # every page after the header page
    db.write_bytes(bytes(data))


def test_damaged_database_is_refused_in_words_by_every_command(tmp_path: Path) -> None:
    db = tmp_path / "data" / "callroom.db"
    workspace_config(tmp_path, db)
    assert runner.invoke(app, ["init"]).exit_code == 0
    with Store(load_config(tmp_path / "callroom.toml")) as store:
        add_tasks(store, 200)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _corrupt(db)
    with pytest.raises(DatabaseDamaged):
        cfg = load_config(tmp_path / "callroom.toml")
        with Store(cfg) as store:
            store.next_card("alice")
    (tmp_path / "l.csv").write_text("姓名,电话\n张三,13812345678\n", "utf-8")
    for command in (["status"], ["import", "l.csv"], ["backup", "b.db"], ["report"], ["export"]):
        result = runner.invoke(app, ["--lang", "en", *command])
        assert result.exit_code == 1, (command, result.output)
        assert "damaged or is not a callroom database" in result.output, (command, result.output)
        assert "Traceback" not in result.output
    zh = runner.invoke(app, ["--lang", "zh", "status"])
    assert "数据库文件已损坏" in zh.output


@pytest.mark.both_engines
def test_busy_too_long_is_a_retryable_error_and_writes_nothing(
    config: Config, store: Store
) -> None:
    add_tasks(store, 3)
    card = store.next_card("alice")
    if store.engine == "postgres":  # another transaction holding the task's row
        import psycopg

        other = psycopg.connect(config.database_url, autocommit=True)
        other.execute("BEGIN")
        other.execute("SELECT id FROM tasks WHERE id = %s FOR UPDATE", (card.id,))
    else:
        other = sqlite3.connect(config.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    store.set_busy_deadline(0.3)
    started = time.monotonic()
    with pytest.raises(StoreBusy) as info:
        store.record(card.id, "verified", "alice")
    assert time.monotonic() - started < 3
    assert "stayed busy" in str(info.value) and "持续忙碌" in info.value.text("zh")
    other.execute("ROLLBACK")
    other.close()
    assert store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
    store.record(card.id, "verified", "alice")  # the same outcome, once the database is free
    assert store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1


@pytest.mark.both_engines
def test_refusals_read_in_the_callers_language(config: Config, clock: Clock) -> None:
    carol, bob = Store(config, clock=clock), Store(config, clock=clock)
    add_tasks(carol, 1)
    card = carol.next_card("carol")
    with pytest.raises(StoreError) as info:
        bob.record(card.id, "verified", "bob")
    assert str(info.value) == f"task #{card.id} is on carol's screen right now"
    assert info.value.text("zh") == f"任务 #{card.id} 此刻正在 carol 的屏幕上"
    carol.record(card.id, "verified", "carol")
    with pytest.raises(StoreError) as closed:
        carol.record(card.id, "verified", "carol")
    assert closed.value.text("zh") == f"任务 #{card.id} 已经结束（已完成）"
    with pytest.raises(StoreError) as note:
        carol.record(card.id, "refused", "carol", allow_closed=True)
    assert "需要填写备注" in note.value.text("zh") and "拒绝配合" in note.value.text("zh")
    carol.close()
    bob.close()


# -- a caller's session killed: her card comes back to her at once ------------------------------


@pytest.mark.both_engines
def test_a_dead_sessions_card_comes_back_to_its_caller_at_once(config: Config) -> None:
    with Store(config) as seed:
        add_tasks(seed, 5)
    holder = subprocess.Popen(
        [sys.executable, str(WORKER), config.database_url or str(config.database), "carol", "--hold"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    held = json.loads(holder.stdout.readline())["held"]
    cfg = replace(config, hours_start=dtime.min, hours_end=dtime.max)
    with Store(cfg) as alive_check:
        # while her first session lives, a second one of hers does not take the card
        assert alive_check.next_card("carol").id != held
    holder.kill()
    holder.wait(timeout=10)
    with Store(cfg) as other:  # a colleague still waits for the lease
        assert other.next_card("bob").id != held
    with Store(cfg) as again:  # carol logs in again: her card, not "on carol's screen"
        card = again.next_card("carol")
        assert card is not None and card.id == held
        again.record(card.id, "verified", "carol")
        detail = again.conn.execute(
            "SELECT detail FROM events WHERE kind = 'claim' AND task_id = ? ORDER BY id DESC",
            (held,),
        ).fetchone()[0]
        assert json.loads(detail) == {"resumed_from": holder.pid}


@pytest.mark.both_engines
def test_a_worker_thread_records_the_sessions_cards_on_its_own_connection(
    config: Config, store: Store
) -> None:
    """The caller screen's off-UI-thread write: the UI claims a card, a worker records it on
    a sibling connection (same session), the UI keeps reading and writing meanwhile."""
    import queue
    import threading

    add_tasks(store, 30)
    worker_store = store.sibling()
    todo: queue.Queue[int | None] = queue.Queue()
    saved: queue.Queue[object] = queue.Queue()

    def worker() -> None:
        while (task_id := todo.get()) is not None:
            try:
                saved.put(worker_store.record(task_id, "no_answer", "alice"))
            except BaseException as exc:  # handed to the test
                saved.put(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        for _ in range(30):
            card = store.next_card("alice")  # on the UI thread's connection
            todo.put(card.id)
            while saved.empty():  # "saving...": the screen stays alive and busy
                store.log_event("reveal", "alice", card.id)
                store.queue_remaining()
            assert saved.get() == "retry"
    finally:
        todo.put(None)
        thread.join(timeout=60)
        worker_store.close()
    assert store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 30


def test_a_version_1_database_gains_the_claim_process_columns(tmp_path: Path) -> None:
    from callroom.store import MIGRATIONS, SCHEMA_VERSION, _split_sql

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(replace(load_config(), database=db)) as store:
        assert store.schema_version() == SCHEMA_VERSION
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(tasks)")}
        assert {"claim_pid", "claim_host"} <= columns
