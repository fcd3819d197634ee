"""Delete test results: health data is kept only as long as the matching needs it.

``purge(store, before, operator)`` deletes every result tested before a day, in one transaction
on a connection with ``PRAGMA secure_delete = ON`` (the store sets it: the freed bytes are
zeroed, not left readable in free pages), then checkpoints the write-ahead log and truncates it,
so no copy of a deleted row stays in the ``-wal`` file either. Tasks the results closed stay
closed ("already tested (matched)"); their evidence (test time, site) goes with the result.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import date

from callroom.store import Store


@dataclass(frozen=True)
class Purged:
    results: int  # rows deleted
    tasks: int  # tasks whose evidence went with them (they stay closed)
    files: int  # result files with nothing left
    wal_clean: bool  # the -wal file was truncated (no old copy of a deleted row left in it)


def count_before(store: Store, before: date) -> int:
    return store.conn.execute(
        "SELECT count(*) FROM results WHERE tested_at < ?", (before.isoformat(),)
    ).fetchone()[0]


def purge(store: Store, before: date, operator: str, tries: int = 20) -> Purged:
    day = before.isoformat()
    conn = store.conn
    conn.execute("PRAGMA secure_delete = ON")  # the store sets it; said here for the reader
    with store.transaction():
        tasks = conn.execute(
            "UPDATE tasks SET test_result = NULL WHERE test_result IN "
            "(SELECT id FROM results WHERE tested_at < ?)",
            (day,),
        ).rowcount
        results = conn.execute("DELETE FROM results WHERE tested_at < ?", (day,)).rowcount
        files = conn.execute(
            "SELECT count(*) FROM result_files f WHERE NOT EXISTS "
            "(SELECT 1 FROM results r WHERE r.file_id = f.id)"
        ).fetchone()[0]
        store.add_event(
            "results_purge", operator,
            detail={"before": day, "results": results, "tasks": tasks},
        )  # fmt: skip
    return Purged(results, tasks, files, checkpoint(store, tries))


def checkpoint(store: Store, tries: int = 20) -> bool:
    """Copy the log into the database and truncate it to nothing. A caller's session reading
    at that moment keeps the log in use: tried again for a few seconds."""
    if str(store.path) == ":memory:":
        return True
    if store.engine == "postgres":
        return _vacuum(store, tries)
    for attempt in range(tries):
        try:
            busy, _log, _done = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:
            busy = 1
        if not busy:
            return True
        time.sleep(min(0.05 * (attempt + 1), 0.5))
    return False


def _vacuum(store: Store, tries: int) -> bool:
    """PostgreSQL: rewrite the results table without the deleted rows (VACUUM FULL), so their
    bytes are not left in its files. (The server's write-ahead log and its backups are the
    server's: README, Test results.)"""
    for attempt in range(tries):
        try:
            store.conn.execute("VACUUM (FULL) results")
            return True
        except Exception as exc:  # a caller's session reading results holds the table a moment
            if type(exc).__module__.startswith("psycopg") and "lock" in str(exc).lower():
                time.sleep(min(0.05 * (attempt + 1), 0.5))
                continue
            raise
    return False
