"""Several real caller processes on one database: no card is ever given twice, nothing is lost.

Bounded: 4 processes x 3 sessions, 80 tasks, at most 30 s each (typically ~2 s in all).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from callroom.config import Config
from callroom.store import Store

from conftest import add_tasks

WORKER = Path(__file__).resolve().parents[1] / "benchmarks" / "caller_process.py"
PROCESSES, SESSIONS, TASKS = 4, 3, 80


def test_simultaneous_claims_from_several_processes_never_collide(
    config: Config, tmp_path: Path
) -> None:
    with Store(config) as store:
        add_tasks(store, TASKS)
    go = tmp_path / "go"

    def caller(i: int) -> subprocess.Popen[str]:
        ready = tmp_path / f"ready{i}"
        args = [
            "--seconds",
            "30",
            "--sessions",
            str(SESSIONS),
            "--go",
            str(go),
            "--ready",
            str(ready),
        ]
        return subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                config.database_url or str(config.database),
                f"caller{i}",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    procs = [caller(i) for i in range(PROCESSES)]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready{i}").exists() for i in range(PROCESSES)):
        assert time.monotonic() < deadline, "caller processes did not start"
        time.sleep(0.01)
    go.touch()  # every process has its sessions open: all claim at once
    results = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        results.append(json.loads(out))

    assert not any(r["errors"] for r in results)
    assert sum(len(r["records"]) for r in results) > 0

    # Replay the audit log: a task is never claimed while another session holds it.
    with Store(config) as store:
        log = store.conn.execute(
            "SELECT operator, kind, task_id FROM events WHERE kind IN ('claim', 'record', 'release') "
            "ORDER BY id"
        ).fetchall()
    holder: dict[int, str | None] = {}
    for operator, kind, task_id in log:
        if kind == "claim":
            assert holder.get(task_id) is None, (
                f"task {task_id} claimed by {operator} while {holder[task_id]} held it"
            )
            holder[task_id] = operator
        else:
            assert holder.get(task_id) == operator, (
                f"{operator} {kind} task {task_id} it did not hold"
            )
            holder[task_id] = None
    assert not any(holder.values())  # everything claimed was recorded or handed back

    reported = Counter(t for r in results for t in r["records"])
    with Store(config) as store:
        written = Counter(
            row[0] for row in store.conn.execute("SELECT task_id FROM attempts").fetchall()
        )
        states = store.counts_by_state()
    assert written == reported  # every attempt reported is in the DB exactly once, and no other
    assert all(n == 1 for n in written.values())
    # the extra sessions released what they held, so every task was called once
    assert states.get("done", 0) + states.get("pending", 0) == TASKS
    assert sum(written.values()) == states.get("done", 0)
