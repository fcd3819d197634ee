"""Reading tasks, attempts and counts (no writes)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from callroom.db_errors import (
    StoreError,
)
from callroom.store.model import (
    _TASK_SELECT,
    Attempt,
    Task,
    fmt,
)


class Queries:
    """Reading tasks, attempts and counts (no writes)."""

    def get_task(self, task_id: int) -> Task:
        row = self.conn.execute(f"{_TASK_SELECT} WHERE tasks.id = ?", (task_id,)).fetchone()
        if row is None:
            raise StoreError("store.no_task", id=task_id)
        return Task.from_row(row)

    def find_by_phone(self, text: str) -> list[Task]:
        """Tasks for a number typed in any format (main or alternate phone), newest first."""
        from callroom.phones import to_e164  # phonenumbers: off the caller screen's start-up

        e164 = to_e164(text, self.config.region)
        if e164 is None:
            return []
        rows = self.conn.execute(
            f"{_TASK_SELECT} WHERE tasks.phone = ? OR tasks.alt_phones LIKE ? "
            "ORDER BY tasks.id DESC",
            (e164, f'%"{e164}"%'),
        ).fetchall()
        return [Task.from_row(r) for r in rows]

    def attempts_for(self, task_id: int) -> list[Attempt]:
        rows = self.conn.execute(
            "SELECT * FROM attempts WHERE task_id = ? ORDER BY id", (task_id,)
        ).fetchall()
        return [Attempt.from_row(r) for r in rows]

    def phone_history(
        self, phones: str | tuple[str, ...] | list[str], exclude_task: int | None = None
    ) -> list[tuple[Task, Attempt]]:
        """Earlier calls to these numbers under other tasks (earlier lists), newest first."""
        numbers = (phones,) if isinstance(phones, str) else tuple(phones)
        marks = ",".join("?" for _ in numbers)
        rows = self.conn.execute(
            "SELECT attempts.*, tasks.id AS t_id FROM attempts JOIN tasks ON tasks.id = attempts.task_id "
            f"WHERE attempts.phone IN ({marks}) AND tasks.id IS NOT ? AND attempts.undone_at IS NULL "
            "ORDER BY attempts.id DESC LIMIT 50",
            (*numbers, exclude_task),
        ).fetchall()
        tasks: dict[int, Task] = {}
        out = []
        for r in rows:
            if r["t_id"] not in tasks:
                tasks[r["t_id"]] = self.get_task(r["t_id"])
            out.append((tasks[r["t_id"]], Attempt.from_row(r)))
        return out

    def calls_to_phone_since(self, phone: str, since: datetime) -> int:
        """Calls made to this number (under any task) since ``since``."""
        return self.conn.execute(
            "SELECT count(*) FROM attempts WHERE phone = ? AND at >= ? AND undone_at IS NULL",
            (phone, fmt(since)),
        ).fetchone()[0]

    def counts_by_state(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, count(*) FROM tasks GROUP BY state").fetchall()
        return {r[0]: r[1] for r in rows}

    def counts_by_outcome(self) -> dict[str, int]:
        """Final outcome of closed tasks, plus the last outcome of open ones that were tried."""
        rows = self.conn.execute(
            "SELECT coalesce(final_outcome, '') AS o, count(*) FROM tasks "
            "WHERE final_outcome IS NOT NULL GROUP BY o"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def attempt_counts_by_outcome(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT outcome, count(*) FROM attempts WHERE undone_at IS NULL GROUP BY outcome"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def batches(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM batches ORDER BY id").fetchall()

    def done_today(self, operator: str) -> int:
        start = self.now().replace(hour=0, minute=0, second=0)
        return self.calls_since(operator, start)

    def calls_since(self, operator: str, since: datetime) -> int:
        """This operator's calls since then (a field visit closed by a lead is no call)."""
        return self.conn.execute(
            "SELECT count(*) FROM attempts WHERE operator = ? AND at >= ? AND undone_at IS NULL "
            "AND outcome != 'field_visit_done'",
            (operator, fmt(since)),
        ).fetchone()[0]

    def rows_by_batch(self) -> dict[int, int]:
        """Each list's rows: its own tasks and the rows linked to another list's open task."""
        rows = self.conn.execute("SELECT batch_id, count(*) FROM tasks GROUP BY 1").fetchall()
        return {r[0]: r[1] for r in rows}

    def reopens(self, task_id: int) -> list[tuple[str, str]]:
        """When and by whom a lead reopened the task (the card's history says so)."""
        rows = self.conn.execute(
            "SELECT at, operator FROM events WHERE task_id = ? AND kind = 'reopen' ORDER BY id",
            (task_id,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]
