"""The lead's actions, every one audited."""

from __future__ import annotations

import json

from callroom import schedule
from callroom.db_errors import (
    StoreError,
)
from callroom.store.model import (
    _UNDO_FIELDS,
    PRIORITY_URGENT,
    Task,
    fmt,
)
from callroom.store.retry import _retried


class LeadActions:
    """The lead's actions, every one audited."""

    @_retried
    def _lead_update(
        self, task_id: int, operator: str, kind: str, sets: str, params: tuple, detail: dict
    ) -> Task:
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT state FROM tasks WHERE id = ?{self._for_update}", (task_id,)
            ).fetchone()
            if row is None:
                raise StoreError("store.no_task", id=task_id)
            conn.execute(
                f"UPDATE tasks SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",
                (*params, fmt(self.now()), task_id),
            )
            self.add_event(kind, operator, task_id, detail={"from_state": row["state"], **detail})
        return self.get_task(task_id)

    def raise_priority(self, task_id: int, operator: str) -> Task:
        """Make a task urgent: it jumps the queue and may be called outside hours."""
        task = self.get_task(task_id)
        flags = ",".join(dict.fromkeys(("urgent", *task.flags)))
        return self._lead_update(
            task_id, operator, "raise_priority", "priority = ?, flags = ?",
            (PRIORITY_URGENT, flags), {"priority": PRIORITY_URGENT},
        )  # fmt: skip

    def reassign(self, task_id: int, to_operator: str | None, operator: str) -> Task:
        """Reserve an open task for one caller (None: back to everyone)."""
        if self.get_task(task_id).state not in schedule.OPEN_STATES:
            raise StoreError("store.reopen_first", id=task_id)
        return self._lead_update(
            task_id, operator, "reassign", "assigned_to = ?, callback_by = NULL",
            (to_operator or None,), {"to": to_operator},
        )  # fmt: skip

    def reopen(self, task_id: int, operator: str) -> Task:
        """Put a closed task back in the queue now, with a fresh non-contact budget."""
        task = self.get_task(task_id)
        if task.state in schedule.OPEN_STATES:
            raise StoreError("store.already_open", id=task_id)
        return self._lead_update(
            task_id, operator, "reopen",
            "state = 'pending', next_at = NULL, noncontacts = 0, final_outcome = NULL, "
            "closed_at = NULL, closed_by = NULL, duplicate_of = NULL, linked_to = NULL",
            (), {"outcome": task.final_outcome},
        )  # fmt: skip

    @_retried
    def field_visit_done(self, task_id: int, note: str, operator: str) -> Task:
        """Close a field-visit task with what the visit found."""
        note = note.strip()
        if not note:
            raise StoreError("store.visit_note")
        if self.get_task(task_id).state != schedule.FIELD_VISIT:
            raise StoreError("store.not_visit", id=task_id)
        now = self.now()
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT * FROM tasks WHERE id = ?{self._for_update}", (task_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO attempts (task_id, operator, at, outcome, answers, note, prev, "
                "version_after) VALUES (?,?,?,?,?,?,?,?)",
                (task_id, operator, fmt(now), "field_visit_done", "{}", note,
                 json.dumps({k: row[k] for k in _UNDO_FIELDS}), row["version"] + 1),
            )  # fmt: skip
            conn.execute(
                "UPDATE tasks SET state = 'done', final_outcome = 'field_visit_done', closed_at = ?, "
                "closed_by = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (fmt(now), operator, fmt(now), task_id),
            )
            self.add_event("field_visit_done", operator, task_id, detail={}, at=now)
        return self.get_task(task_id)

    def offices(self) -> list[str]:
        """The offices that imported lists into this database ('' : lists without one)."""
        rows = self.conn.execute("SELECT DISTINCT office FROM batches ORDER BY office").fetchall()
        return [r[0] for r in rows]

    def operators(self) -> list[str]:
        """Everyone who has worked on this database, for the lead's reassign dialog."""
        rows = self.conn.execute(
            "SELECT DISTINCT operator FROM events WHERE kind IN ('claim', 'record') ORDER BY operator"
        ).fetchall()
        return [r[0] for r in rows]
