"""Recording an outcome, undoing it, and taking a found task onto the screen."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from callroom import schedule
from callroom.db_errors import (
    StoreError,
)
from callroom.said import Phrase, Words
from callroom.store.model import (
    _TASK_SELECT,
    _UNDO_FIELDS,
    Recorded,
    Task,
    fmt,
)
from callroom.store.retry import _retried


class Recording:
    """Recording an outcome, undoing it, and taking a found task onto the screen."""

    def record(
        self,
        task_id: int,
        outcome_code: str,
        operator: str,
        answers: dict[str, Any] | None = None,
        note: str = "",
        callback_at: datetime | None = None,
        allow_closed: bool = False,
        phone: str | None = None,
        seconds: int | None = None,
        timed_from: str = "",
        pledge: Any = None,
    ) -> str:
        """Record an outcome (see `record_call`); returns the task's new state."""
        return self.record_call(
            task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
            phone, seconds, timed_from, pledge,
        ).state  # fmt: skip

    @_retried
    def record_call(
        self,
        task_id: int,
        outcome_code: str,
        operator: str,
        answers: dict[str, Any] | None = None,
        note: str = "",
        callback_at: datetime | None = None,
        allow_closed: bool = False,
        phone: str | None = None,
        seconds: int | None = None,
        timed_from: str = "",
        pledge: Any = None,
    ) -> Recorded:
        """Write the attempt, the task's new state and the event in one transaction.

        ``phone`` is the number the call was made on (default: the card's current number), one
        of the resident's own; ``seconds`` how long it took from dial (``timed_from`` "dial") or
        from the card showing ("card") to the outcome. Refuses a task another session holds,
        and a closed task unless ``allow_closed`` (an inbound call about a finished case). When
        a dead number moves the card to another of the resident's numbers, this session keeps
        the card: it comes straight back on the next number. On an inbound case, ``pledge``
        (callroom.inbound.desk.Pledge) is the resident's agreement recorded with the outcome.
        """
        with self.transaction():
            return self._record(
                task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
                phone, seconds, timed_from, pledge,
            )  # fmt: skip

    @_retried
    def record_and_next(
        self,
        task_id: int,
        outcome_code: str,
        operator: str,
        answers: dict[str, Any] | None = None,
        note: str = "",
        callback_at: datetime | None = None,
        allow_closed: bool = False,
        phone: str | None = None,
        seconds: int | None = None,
        timed_from: str = "",
        exclude: tuple[int, ...] | list[int] = (),
        pledge: Any = None,
    ) -> tuple[Recorded, Task | None]:
        """`record_call` and `next_card` in one transaction: one commit (one fsync) per key.

        The outcome is committed with the claim of the next card, or neither is.
        """
        with self.transaction():
            recorded = self._record(
                task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
                phone, seconds, timed_from, pledge,
            )  # fmt: skip
            next_id = self._claim_next(operator, exclude)
        return recorded, None if next_id is None else self.get_task(next_id)

    def _record(
        self,
        task_id: int,
        outcome_code: str,
        operator: str,
        answers: dict[str, Any] | None,
        note: str,
        callback_at: datetime | None,
        allow_closed: bool,
        phone: str | None,
        seconds: int | None,
        timed_from: str,
        pledge: Any = None,
    ) -> Recorded:
        """Inside an open transaction: the writes of `record_call`."""
        try:
            outcome = self.config.outcome(outcome_code)
        except KeyError:
            raise StoreError("store.unknown_outcome", code=outcome_code) from None
        note = note.strip()
        if outcome.needs_note and not note:
            raise StoreError(
                "store.needs_note", code=outcome.code, label=Words(outcome.zh, outcome.en)
            )
        if seconds is not None:
            seconds = max(0, int(seconds))
        now = self.now()
        conn = self.conn
        row = conn.execute(
            f"{_TASK_SELECT} WHERE tasks.id = ?{self._for_update}", (task_id,)
        ).fetchone()
        if row is None:
            raise StoreError("store.no_task", id=task_id)
        if self._held_elsewhere(row, now):
            raise StoreError("store.on_screen", id=task_id, who=row["claim_by"])
        if row["state"] == schedule.LINKED and row["linked_to"] is not None:
            # its result is its open task's (reports, export): a call here would call twice
            raise StoreError("store.linked", id=task_id, to=row["linked_to"])
        if row["state"] in schedule.CLOSED_STATES and not allow_closed:
            raise StoreError("store.closed", id=task_id, state=Phrase(f"state.{row['state']}"))
        task = Task.from_row(row)
        used = phone or task.current_phone
        if used not in task.numbers:
            raise StoreError("storeerr.not_own_number", id=task_id)
        tried = conn.execute(
            "SELECT DISTINCT phone FROM attempts WHERE task_id = ? AND undone_at IS NULL "
            "AND phone IS NOT NULL",
            (task_id,),
        ).fetchall()
        counters = schedule.TaskCounters(
            task.attempts, task.noncontacts, task.urgent, task.numbers, used,
            frozenset(task.dead_phones), frozenset(r[0] for r in tried),
        )  # fmt: skip
        try:
            nxt = schedule.next_state(counters, outcome, self.config, now, operator, callback_at)
        except schedule.ScheduleError as exc:
            raise _schedule_error(exc, callback_at, now) from None
        closed = nxt.state in schedule.CLOSED_STATES
        version = row["version"] + 1
        prev: dict[str, Any] = {k: row[k] for k in _UNDO_FIELDS}
        if task.is_case:
            from callroom.inbound import desk  # the case's fields, for undo

            prev["case"] = desk.snapshot(conn, task_id)
        conn.execute(
            "INSERT INTO attempts (task_id, operator, at, outcome, answers, note, callback_at, "
            "prev, version_after, phone, seconds, timed_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                task_id, operator, fmt(now), outcome.code,
                json.dumps(answers or {}, ensure_ascii=False), note, fmt(callback_at),
                json.dumps(prev, ensure_ascii=False), version, used, seconds, timed_from,
            ),
        )  # fmt: skip
        active = nxt.active_phone or used
        # a switch to another number keeps the card on this screen, lease renewed
        keep = nxt.switched and nxt.state in schedule.OPEN_STATES
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds)) if keep else None
        conn.execute(
            "UPDATE tasks SET state = ?, attempts = ?, noncontacts = ?, next_at = ?, "
            "callback_by = ?, final_outcome = ?, closed_at = ?, closed_by = ?, "
            "active_phone = ?, dead_phones = ?, "
            "claim_by = ?, claim_session = ?, lease_until = ?, "
            "version = ?, updated_at = ? WHERE id = ?",
            (
                nxt.state, nxt.attempts, nxt.noncontacts, fmt(nxt.next_at), nxt.callback_by,
                nxt.final_outcome, fmt(now) if closed else None, operator if closed else None,
                None if active == task.phone else active, json.dumps(list(nxt.dead_phones)),
                operator if keep else None, self.session if keep else None, lease,
                version, fmt(now), task_id,
            ),
        )  # fmt: skip
        if task.is_case:  # an inbound case: completed, closed, or left as it is
            desk.on_record(self, task_id, outcome, answers or {}, pledge, operator, now)
        detail: dict[str, Any] = {"outcome": outcome.code, "state": nxt.state}
        if len(task.numbers) > 1:
            # which of the resident's numbers (1 = main), never the number itself
            detail["number"] = task.numbers.index(used) + 1
            if nxt.switched:
                detail["next_number"] = task.numbers.index(active) + 1
        self.add_event("record", operator, task_id, detail=detail, at=now)
        return Recorded(nxt.state, nxt.next_at, active, nxt.switched)

    def undo_last(self, operator: str) -> Task:
        """Undo this operator's last outcome within the undo window; the card comes back to them."""
        return self.undo_action(operator)[0]

    @_retried
    def undo_action(self, operator: str) -> tuple[Task, int | None]:
        """Undo this operator's most recent action within the undo window: an outcome, or a
        matched card closed with `t`. Returns the task (back on this session's screen) and the
        undone attempt's id (None for a `t` close)."""
        now = self.now()
        since = fmt(now - timedelta(seconds=self.config.undo_seconds))
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            att = conn.execute(  # a call: not a lead's field visit closed in the lead pane
                "SELECT * FROM attempts WHERE operator = ? AND undone_at IS NULL "
                "AND outcome != 'field_visit_done' ORDER BY id DESC LIMIT 1",
                (operator,),
            ).fetchone()
            if att is not None and att["at"] < since:
                att = None
            close = self._last_matched_close(operator, since or "")
            if close is not None and (att is None or self._newer(close, att)):
                return self._undo_matched_close(close, operator, now, lease), None
            if att is None:
                raise StoreError("store.nothing_to_undo", seconds=self.config.undo_seconds)
            task = conn.execute(
                f"SELECT * FROM tasks WHERE id = ?{self._for_update}", (att["task_id"],)
            ).fetchone()
            if task["version"] != att["version_after"]:
                raise StoreError("store.changed", id=task["id"])
            if self._held_elsewhere(task, now):
                raise StoreError("store.on_screen", id=task["id"], who=task["claim_by"])
            # hand back whatever card this session holds, then take the undone one
            conn.execute(
                "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                "WHERE claim_session = ?",
                (self.session,),
            )
            # attempts written before a field was snapshotted leave it as it is
            prev = {k: task[k] for k in _UNDO_FIELDS} | json.loads(att["prev"])
            case = prev.pop("case", None)  # an inbound case's fields (callroom/inbound/desk.py)
            sets = ", ".join(f"{k} = :{k}" for k in _UNDO_FIELDS)
            conn.execute(
                f"UPDATE tasks SET {sets}, claim_by = :op, claim_session = :session, "
                "lease_until = :lease, claim_pid = :pid, claim_host = :host, "
                "version = version + 1, updated_at = :now WHERE id = :id",
                {**prev, "op": operator, "session": self.session, "lease": lease,
                 "pid": self.pid, "host": self.host, "now": fmt(now), "id": task["id"]},
            )  # fmt: skip
            conn.execute("UPDATE attempts SET undone_at = ? WHERE id = ?", (fmt(now), att["id"]))
            if case:
                from callroom.inbound import desk

                desk.restore(conn, task["id"], case)
            self.add_event("undo", operator, task["id"], detail={"attempt": att["id"],
                        "outcome": att["outcome"]}, at=now)  # fmt: skip
        return self.get_task(att["task_id"]), int(att["id"])

    def _last_matched_close(self, operator: str, since: str) -> Any:
        """Inside a transaction: this operator's latest `t` close (callroom/results) in the undo
        window that no undo has reversed yet (read in Python: one rule on both engines)."""
        undone = {
            json.loads(r["detail"] or "{}").get("closed_event")
            for r in self.conn.execute(
                "SELECT detail FROM events WHERE kind = 'undo' AND operator = ? AND at >= ?",
                (operator, since),
            ).fetchall()
        }
        for close in self.conn.execute(
            "SELECT * FROM events WHERE kind = 'test_matched_closed' AND operator = ? "
            "AND at >= ? ORDER BY id DESC",
            (operator, since),
        ).fetchall():
            if close["id"] not in undone:
                return close
        return None

    def _newer(self, close: Any, att: Any) -> bool:
        """Whether the `t` close came after the attempt (same second: by their audit events)."""
        if close["at"] != att["at"]:
            return bool(close["at"] > att["at"])
        recorded = self.conn.execute(
            "SELECT max(id) FROM events WHERE kind = 'record' AND task_id = ? AND at = ?",
            (att["task_id"], att["at"]),
        ).fetchone()[0]
        return bool(close["id"] > (recorded or 0))

    def _undo_matched_close(
        self, close: Any, operator: str, now: datetime, lease: str | None
    ) -> Task:
        """Inside a transaction: reopen a task closed with `t`, as it was, on this screen (its
        test stays matched, so `t` is offered again)."""
        detail = json.loads(close["detail"])
        task = self.conn.execute(
            f"SELECT * FROM tasks WHERE id = ?{self._for_update}", (close["task_id"],)
        ).fetchone()
        if "prev" not in detail or task["version"] != detail.get("version_after"):
            raise StoreError("store.changed", id=task["id"])
        if self._held_elsewhere(task, now):
            raise StoreError("store.on_screen", id=task["id"], who=task["claim_by"])
        self.conn.execute(
            "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
            "WHERE claim_session = ?",
            (self.session,),
        )
        self.conn.execute(
            "UPDATE tasks SET state = :state, next_at = :next_at, callback_by = :callback_by, "
            "final_outcome = NULL, closed_at = NULL, closed_by = NULL, claim_by = :op, "
            "claim_session = :session, lease_until = :lease, claim_pid = :pid, "
            "claim_host = :host, version = version + 1, updated_at = :now WHERE id = :id",
            {**detail["prev"], "op": operator, "session": self.session, "lease": lease,
             "pid": self.pid, "host": self.host, "now": fmt(now), "id": task["id"]},
        )  # fmt: skip
        self.add_event("undo", operator, task["id"], at=now,
                       detail={"closed_event": close["id"], "outcome": "test_matched"})  # fmt: skip
        return self.get_task(task["id"])

    @_retried
    def claim_task(self, task_id: int, operator: str) -> Task:
        """Take a specific task (an inbound call found by phone) onto this session's screen."""
        now = self.now()
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT claim_session, claim_by, lease_until, claim_pid, claim_host FROM tasks "
                f"WHERE id = ?{self._for_update}",
                (task_id,),
            ).fetchone()
            if row is None:
                raise StoreError("store.no_task", id=task_id)
            if self._held_elsewhere(row, now):
                raise StoreError("store.on_screen", id=task_id, who=row["claim_by"])
            conn.execute(
                "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                "WHERE claim_session = ? AND id != ?",
                (self.session, task_id),
            )
            self._claim(task_id, operator, lease)
            self.add_event("claim", operator, task_id, detail={"by": "find"}, at=now)
        return self.get_task(task_id)


def _schedule_error(
    exc: schedule.ScheduleError, callback_at: datetime | None, now: datetime
) -> StoreError:
    if callback_at is None:
        return StoreError("store.callback_time")
    if callback_at <= now:
        return StoreError("store.callback_past")
    return StoreError(str(exc))
