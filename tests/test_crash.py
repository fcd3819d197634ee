"""kill -9 at the worst moments: nothing half-written, nothing lost, no card stuck."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from callroom.config import Config
from callroom.store import Store

from conftest import add_tasks

WORKER = Path(__file__).resolve().parents[1] / "benchmarks" / "caller_process.py"


def start(config: Config, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), config.database_url or str(config.database), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def consistent(config: Config) -> None:
    """Every task agrees with its attempts, and (SQLite) the file has nothing broken."""
    if not config.database_url:
        conn = sqlite3.connect(config.database)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    with Store(config) as store:
        rows = store.conn.execute(
            "SELECT t.id, t.state, t.attempts, count(a.id), "
            "count(*) FILTER (WHERE a.outcome = 'verified') "
            "FROM tasks t LEFT JOIN attempts a ON a.task_id = t.id GROUP BY t.id, t.state, t.attempts"
        ).fetchall()
        for task_id, state, attempts, written, verified in rows:
            assert attempts == written, (
                f"task {task_id}: says {attempts} attempts, {written} written"
            )
            assert (state == "done") == bool(verified), f"task {task_id}: state {state}"
        records = store.conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'record'"
        ).fetchone()[0]
        assert records == store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0]


@pytest.mark.parametrize("delay", [0.6, 0.9, 1.3])
def test_kill_during_record_leaves_whole_attempts_only(config: Config, delay: float) -> None:
    with Store(config) as store:
        add_tasks(store, 3000)
    proc = start(config, "killed", "--seconds", "30")
    time.sleep(delay)  # the worker is recording as fast as it can by now
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    consistent(config)
    with Store(config) as store:
        done = store.counts_by_state().get("done", 0)
    assert 0 < done < 3000, "the kill should land mid-run"


def test_kill_while_holding_a_card_returns_it_after_the_lease(config: Config) -> None:
    with Store(config) as store:
        add_tasks(store, 1)
    proc = start(config, "crashy", "--hold", "--lease", "2")
    held = json.loads(proc.stdout.readline())["held"]
    assert held == 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    cfg = replace(config, hours_start=config.hours_start.min, hours_end=config.hours_end.max)
    with Store(cfg) as other:
        assert other.next_card("rescuer") is None  # still leased to the dead session
        time.sleep(2.1)
        card = other.next_card("rescuer")
        assert card is not None and card.id == held
        event = other.conn.execute(
            "SELECT detail FROM events WHERE kind = 'claim' ORDER BY id DESC"
        ).fetchone()
        assert json.loads(event[0]) == {"expired_claim_of": "crashy"}
