"""The card's side of the test results: the test a card shows, the caller's close key.

Kept apart from match.py (the import's matching) and light to import: the caller screen loads it
on its start-up path.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from callroom.results import CLOSES, MATCHED, POSITIVE
from callroom.store import Store, StoreError, Task, fmt, parse_time

EVENT_CLOSED = "test_matched_closed"  # audit: the caller closed a matched card with its key
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def threshold(arrival: str, imported_at: str, window_days: int) -> str:
    """The first day a test counts for a task: its arrival day, else its list's day less the
    window."""
    if _ISO_DAY.match(arrival or ""):
        return arrival[:10]
    listed = parse_time(imported_at) or datetime.now()
    return (listed.date() - timedelta(days=window_days)).isoformat()


class Evidence(NamedTuple):
    """A person's test, as a card shows it (no personal data beyond the task's own)."""

    result_id: int
    tested_at: str  # YYYY-MM-DD or YYYY-MM-DD HH:MM
    site: str
    result: str  # negative | positive | pending | invalid | other | ""
    counts: bool  # on or after the task's arrival (or within the window)
    # why it did not close the task: before_arrival | before_window | positive | unclear;
    # "" when it counts
    reason: str


def evidence(store: Store, task: Task) -> Evidence | None:
    """For a card: the test that closed or offers to close the task, else the person's latest
    test (the reason it did not count), else None. A few index lookups (~0.1 ms)."""
    q = store.conn.execute
    if task.test_result is not None:
        row = q(
            "SELECT id, tested_at, site, result FROM results WHERE id = ?", (task.test_result,)
        ).fetchone()
        if row is not None:
            return Evidence(row[0], row[1], row[2], row[3], True, "")
    if task.state not in ("pending", "retry", "callback", "done", "field_visit"):
        return None
    rows = _person_results(store, task)
    if not rows:
        return None
    listed = q("SELECT imported_at FROM batches WHERE id = ?", (task.batch_id,)).fetchone()
    first = threshold(task.arrival, listed[0] if listed else "", store.config.window_days)
    latest = max(rows, key=lambda r: (r[1], r[0]))
    counts = latest[1][:10] >= first
    if not counts:
        reason = "before_arrival" if _ISO_DAY.match(task.arrival or "") else "before_window"
    elif latest[3] == POSITIVE:
        reason = "positive"
    elif latest[3] not in CLOSES:
        reason = "unclear"
    else:
        reason = ""
    return Evidence(latest[0], latest[1], latest[2], latest[3], counts and not reason, reason)


def _person_results(store: Store, task: Task) -> list[Any]:
    q = store.conn.execute
    columns = "id, tested_at, site, result"
    valid_id = bool(task.id_number) and task.id_flag in ("", "upgraded_from_15")
    found: dict[int, Any] = {}
    if valid_id:
        # "!= ''" said again: it lets SQLite use the partial index
        sql = f"SELECT {columns} FROM results WHERE id_number = ? AND id_number != ''"
        for row in q(sql, (task.id_number,)):
            found[row[0]] = row
    for phone in dict.fromkeys([task.phone, *task.alt_phones]):
        if not phone:
            continue
        for row in q(
            f"SELECT {columns}, id_number FROM results WHERE phone = ? AND phone != ''", (phone,)
        ).fetchall():
            if valid_id and row[4]:
                continue  # both have IDs and they differ (or it was found above)
            found[row[0]] = row[:4]
    return list(found.values())


def close_matched(store: Store, task_id: int, operator: str) -> Task:
    """The caller's one key on a card matched while she held it: close it as already tested,
    with the evidence it was given. Refused (StoreError) when the task changed meanwhile."""
    now = store.now()
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT state, test_result, claim_session FROM tasks WHERE id = ?", (task_id,)
        ).fetchone()
        if row is None:
            raise StoreError("store.no_task", id=task_id)
        if row["state"] not in ("pending", "retry", "callback") or row["test_result"] is None:
            raise StoreError("results.not_matched", id=task_id)
        if row["claim_session"] not in (None, store.session):
            raise StoreError("results.not_yours", id=task_id)
        conn.execute(
            f"UPDATE tasks SET state = 'done', final_outcome = '{MATCHED}', closed_at = ?, "
            "closed_by = ?, next_at = NULL, callback_by = NULL, claim_by = NULL, "
            "claim_session = NULL, lease_until = NULL, version = version + 1, updated_at = ? "
            "WHERE id = ?",
            (fmt(now), operator, fmt(now), task_id),
        )
        store.add_event(
            EVENT_CLOSED, operator, task_id, detail={"result": row["test_result"]}, at=now
        )
    return store.get_task(task_id)
