"""The queue: the next card, claims and leases, release, and why nothing is offered."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from callroom import schedule, workspace
from callroom.store.model import (
    _QUEUE_ORDER,
    Claim,
    Outlook,
    Task,
    fmt,
    parse_time,
    split_flags,
)
from callroom.store.retry import _retried


class Queue:
    """The queue: the next card, claims and leases, release, and why nothing is offered."""

    def _eligible_sql(self) -> str:
        # :now, :op, :grace_cutoff, :in_hours
        return (
            "state IN ('pending', 'retry', 'callback') "
            "AND (next_at IS NULL OR next_at <= :now) "
            "AND (claim_session IS NULL OR lease_until <= :now) "
            "AND (assigned_to IS NULL OR assigned_to = :op) "
            "AND (state != 'callback' OR callback_by = :op OR next_at <= :grace_cutoff) "
            "AND (:in_hours OR priority >= 2)"
            # a caller of one office calls her office's lists (no office: every list)
            + (" AND batch_id IN (SELECT id FROM batches WHERE office = :office)"
               if self.config.office else "")
        )  # fmt: skip

    def _pick(self, params: dict[str, Any], exclude: tuple[int, ...]) -> int | None:
        not_excluded = ""
        if exclude:
            not_excluded = f" AND id NOT IN ({','.join(str(int(i)) for i in exclude)})"
        eligible = self._eligible_sql() + not_excluded
        # 1. callbacks this caller promised, and tasks the lead assigned to this caller
        row = self.conn.execute(
            f"SELECT id FROM tasks WHERE {eligible} AND state = 'callback' AND callback_by = :op "
            "ORDER BY next_at LIMIT 1",
            params,
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                f"SELECT id FROM tasks WHERE {eligible} AND assigned_to = :op "
                f"ORDER BY {_QUEUE_ORDER} LIMIT 1",
                params,
            ).fetchone()
        if row is not None:
            return row[0]
        # 2. everyone's queue, by aging score
        return self._best_by_score(eligible, params)

    def queue_classes(self) -> list[tuple[str, str]]:
        """The (flags, group) classes of the open tasks: one index seek each (a skip scan).
        Two plain range seeks per step: SQLite walks the index for a row-value (a, b) > (?, ?)
        (measured: 10 ms at 100k tasks in one class, against 0.01 ms a seek)."""
        classes: list[tuple[str, str]] = []
        q = self.conn.execute
        head = (
            "SELECT flags, grp FROM tasks INDEXED BY tasks_aging "
            "WHERE state IN ('pending', 'retry', 'callback')"
        )
        row = q(f"{head} ORDER BY flags, grp LIMIT 1").fetchone()
        while row is not None:
            flags, grp = row[0], row[1]
            classes.append((flags, grp))
            row = (
                q(
                    f"{head} AND flags = ? AND grp > ? ORDER BY flags, grp LIMIT 1", (flags, grp)
                ).fetchone()
                or q(f"{head} AND flags > ? ORDER BY flags, grp LIMIT 1", (flags,)).fetchone()
            )
        return classes

    def _best_by_score(self, eligible: str, params: dict[str, Any]) -> int | None:
        """The eligible task with the highest aging score: minutes waited since it came in plus
        its head start (``Config.head_start``); ties keep the list's order (urgent, earliest
        deadline, due retries, list order). Every task of a (flags, group) class has the same
        head start, so the best of a class is the first eligible row of ``tasks_aging`` for it
        (an index walk, as the queue always was); the classes' bests are compared here."""
        cfg = self.config
        in_hours = params["in_hours"]
        best: tuple[Any, ...] | None = None
        for flags, grp in self.queue_classes():
            if not in_hours and "urgent" not in flags.split(","):
                continue  # outside calling hours only urgent tasks are offered
            row = self.conn.execute(
                f"SELECT id, created_at, priority, coalesce(deadline, '9999'), state = 'pending', "
                f"batch_id, seq FROM tasks INDEXED BY tasks_aging WHERE flags = :f AND grp = :g "
                f"AND {eligible} ORDER BY created_at, priority DESC, coalesce(deadline, '9999'), "
                "state = 'pending', batch_id, seq LIMIT 1",
                {**params, "f": flags, "g": grp},
            ).fetchone()
            if row is None:
                continue
            # the earliest "virtual arrival" (came in minus head start) has the highest score
            since = parse_time(row[1]) - timedelta(minutes=cfg.head_start(split_flags(flags), grp))
            key = (since, -row[2], row[3], row[4], row[5], row[6], row[0])
            if best is None or key < best:
                best = key
        return None if best is None else int(best[-1])

    def _score_order(self, values: dict[str, Any]) -> str:
        """PostgreSQL: the ORDER BY of `_best_by_score` in one statement (for SKIP LOCKED): the
        virtual arrival, each (flags, group) class's head start written out as a CASE."""
        cases = []
        for i, (flags, grp) in enumerate(self.queue_classes()):
            minutes = self.config.head_start(split_flags(flags), grp)
            if minutes:
                values.update({f"hs_f{i}": flags, f"hs_g{i}": grp})
                cases.append(f"WHEN flags = :hs_f{i} AND grp = :hs_g{i} THEN {int(minutes)}")
        since = "created_at::timestamp"
        if cases:
            since += f" - (CASE {' '.join(cases)} ELSE 0 END) * interval '1 minute'"
        return f"{since}, {_QUEUE_ORDER}, id"

    @_retried
    def _pick_and_claim(
        self, params: dict[str, Any], exclude: tuple[int, ...], lease: str
    ) -> tuple[int, str | None] | None:
        """PostgreSQL: claim the best eligible task in one statement per tier of `_pick`.

        ``FOR UPDATE SKIP LOCKED`` passes over a task another caller is claiming this instant
        (no waiting, no double claim: the row is re-checked against the conditions once
        locked). Returns (task id, whose expired claim it was).
        """
        not_excluded = ""
        if exclude:
            not_excluded = f" AND id NOT IN ({','.join(str(int(i)) for i in exclude)})"
        eligible = self._eligible_sql() + not_excluded
        values = {**params, "session": self.session, "lease": lease, "pid": self.pid,
                  "host": self.host}  # fmt: skip
        for where, order in (
            (f"{eligible} AND state = 'callback' AND callback_by = :op", "next_at"),
            (f"{eligible} AND assigned_to = :op", _QUEUE_ORDER),
            (eligible, self._score_order(values)),
        ):
            row = self.conn.execute(
                f"WITH picked AS (SELECT id, claim_by FROM tasks WHERE {where} "
                f"ORDER BY {order} LIMIT 1 FOR UPDATE SKIP LOCKED) "
                "UPDATE tasks SET claim_by = :op, claim_session = :session, lease_until = :lease, "
                "claim_pid = :pid, claim_host = :host FROM picked WHERE tasks.id = picked.id "
                "RETURNING tasks.id, picked.claim_by",
                values,
            ).fetchone()
            if row is not None:
                return int(row[0]), row[1]
        return None

    def next_card(self, operator: str, exclude: tuple[int, ...] | list[int] = ()) -> Task | None:
        """Claim the best eligible task for ``operator`` (atomically, with a lease).

        A card this session already holds is returned again (its lease renewed), so a repeated
        call never loses or doubles a claim. ``exclude``: tasks this caller skipped.
        """
        with self.transaction():
            task_id = self._claim_next(operator, exclude)
        return None if task_id is None else self.get_task(task_id)

    def _claim_next(self, operator: str, exclude: tuple[int, ...] | list[int]) -> int | None:
        """Inside an open transaction: the claim of `next_card`; returns the task id."""
        conn = self.conn
        now = self.now()
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        params = {
            "now": fmt(now),
            "op": operator,
            "grace_cutoff": fmt(schedule.callbacks_open_to_all_due_by(now, self.config)),
            "in_hours": self.config.in_calling_hours(now.time()),
            "office": self.config.office,
        }
        held = conn.execute(
            "SELECT id FROM tasks WHERE claim_session = ? AND state IN "
            "('pending', 'retry', 'callback') ORDER BY lease_until DESC LIMIT 1",
            (self.session,),
        ).fetchone()
        if held is not None:
            conn.execute("UPDATE tasks SET lease_until = ? WHERE id = ?", (lease, held[0]))
            return int(held[0])
        if (orphan := self._orphaned_card(operator)) is not None:
            # her earlier session ended without giving the card back (a crash, a dropped SSH
            # line): she gets it back at once, not after the lease
            task_id, dead = orphan
            self._claim(task_id, operator, lease)
            self.add_event("claim", operator, task_id, detail={"resumed_from": dead}, at=now)
            return int(task_id)
        if self.engine == "postgres":
            picked = self._pick_and_claim(params, tuple(exclude), lease)
            if picked is None:
                return None
            task_id, previous = picked
        else:
            task_id = self._pick(params, tuple(exclude))
            if task_id is None:
                return None
            previous = conn.execute(
                "SELECT claim_by FROM tasks WHERE id = ?", (task_id,)
            ).fetchone()[0]
            self._claim(task_id, operator, lease)
        detail = {"expired_claim_of": previous} if previous else {}
        self.add_event("claim", operator, task_id, detail=detail, at=now)
        return int(task_id)

    def _claim(self, task_id: int, operator: str, lease: str) -> None:
        """Inside a transaction: put the task on this session's screen (this process, host)."""
        self.conn.execute(
            "UPDATE tasks SET claim_by = ?, claim_session = ?, lease_until = ?, claim_pid = ?, "
            "claim_host = ? WHERE id = ?",
            (operator, self.session, lease, self.pid, self.host, task_id),
        )

    def _dead_claim(self, row: sqlite3.Row) -> bool:
        """A claim whose process has ended on this machine (another machine's: can't tell)."""
        return row["claim_host"] == self.host and not workspace.process_alive(row["claim_pid"])

    def _held_elsewhere(self, row: sqlite3.Row, now: datetime) -> bool:
        """Whether another live session holds this task (its lease running, its process alive)."""
        if row["claim_session"] in (None, self.session) or row["lease_until"] <= fmt(now):
            return False
        return not self._dead_claim(row)

    def _orphaned_card(self, operator: str) -> tuple[int, int] | None:
        """An open card ``operator`` holds in a session whose process has ended: (task, pid)."""
        # INDEXED BY (SQLite): its planner took the state index, walking every open task (~20 ms
        # a key on a 50,000-task list) instead of the few claimed ones
        rows = self.conn.execute(
            "SELECT id, claim_pid, claim_host FROM tasks INDEXED BY tasks_claim "
            "WHERE claim_session IS NOT NULL "
            "AND claim_session != ? AND claim_by = ? AND state IN ('pending', 'retry', 'callback') "
            f"ORDER BY lease_until DESC{' FOR UPDATE SKIP LOCKED' if self._for_update else ''}",
            (self.session, operator),
        ).fetchall()
        for row in rows:
            if self._dead_claim(row):
                return row["id"], row["claim_pid"]
        return None

    @_retried
    def renew(self, task_id: int) -> bool:
        """Extend this session's lease on a card the caller is still working on."""
        lease = fmt(self.now() + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE tasks SET lease_until = ? WHERE id = ? AND claim_session = ?",
                (lease, task_id, self.session),
            )
            return cur.rowcount == 1

    @_retried
    def release(self, task_id: int, operator: str, reason: str = "skip") -> None:
        """Give a card back to the queue (skip, quit)."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                "WHERE id = ? AND claim_session = ?",
                (task_id, self.session),
            )
            if cur.rowcount:
                self.add_event("release", operator, task_id, detail={"reason": reason})

    @_retried
    def expire_leases(self, operator: str = "system") -> int:
        """Clear claims whose lease ran out (a crashed or abandoned session)."""
        now = fmt(self.now())
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT id, claim_by FROM tasks WHERE claim_session IS NOT NULL AND lease_until <= ?",
                (now,),
            ).fetchall()
            cleared = 0
            for r in rows:
                # still expired: on PostgreSQL a caller may have claimed it meanwhile
                cur = conn.execute(
                    "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                    "WHERE id = ? AND lease_until <= ?",
                    (r[0], now),
                )
                if cur.rowcount:
                    cleared += 1
                    self.add_event("lease_expired", operator, r[0], detail={"claim_by": r[1]})
        return cleared

    def stale_claims(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM tasks WHERE claim_session IS NOT NULL AND lease_until <= ?",
            (fmt(self.now()),),
        ).fetchone()[0]

    def claims(self) -> list[Claim]:
        """Every card on someone's screen, and whether its session still lives."""
        now = fmt(self.now())
        rows = self.conn.execute(
            "SELECT id, claim_by, claim_session, claim_pid, claim_host, lease_until FROM tasks "
            "INDEXED BY tasks_claim WHERE claim_session IS NOT NULL ORDER BY id"
        ).fetchall()
        out = []
        for r in rows:
            if r["lease_until"] <= now:
                status = "expired"
            elif r["claim_session"] == self.session:
                status = "live"
            elif self._dead_claim(r):
                status = "ended"
            else:
                status = "live"
            out.append(Claim(r["id"], r["claim_by"], r["claim_pid"], r["claim_host"],
                             r["lease_until"], status))  # fmt: skip
        return out

    @_retried
    def return_claims(self, operator: str = "system") -> list[Claim]:
        """Give back the cards of sessions that ended (process gone) or whose lease ran out."""
        with self.transaction() as conn:
            returned = []
            for c in self.claims():
                if c.status not in ("ended", "expired"):
                    continue
                # the same claim still (on PostgreSQL a caller may have taken the card meanwhile)
                cur = conn.execute(
                    "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                    "WHERE id = ? AND lease_until = ? AND claim_by = ?",
                    (c.task_id, c.lease_until, c.by),
                )
                if not cur.rowcount:
                    continue
                returned.append(c)
                kind = "lease_expired" if c.status == "expired" else "claim_returned"
                self.add_event(kind, operator, c.task_id,
                               detail={"claim_by": c.by, "pid": c.pid})  # fmt: skip
        return returned

    def outlook(self, operator: str) -> Outlook:
        """What the queue holds for later, for an empty-queue message that says why."""
        now = self.now()
        n = fmt(now)
        q = self.conn.execute
        cb = q(
            "SELECT count(*), min(next_at) FROM tasks WHERE state = 'callback' AND next_at > ?",
            (n,),
        ).fetchone()
        rt = q(
            "SELECT count(*), min(next_at) FROM tasks WHERE state = 'retry' AND next_at > ?", (n,)
        ).fetchone()
        held = q(
            "SELECT count(*) FROM tasks INDEXED BY tasks_claim WHERE state IN "
            "('pending','retry','callback') AND claim_session IS NOT NULL AND lease_until > ? "
            "AND claim_by != ?",
            (n, operator),
        ).fetchone()[0]
        outside = 0
        if not self.config.in_calling_hours(now.time()):
            outside = q(
                "SELECT count(*) FROM tasks WHERE state IN ('pending','retry','callback') "
                "AND priority < 2 AND (next_at IS NULL OR next_at <= ?)",
                (n,),
            ).fetchone()[0]
        total = q(
            "SELECT count(*) FROM tasks WHERE state IN ('pending','retry','callback')"
        ).fetchone()[0]
        return Outlook(cb[0], cb[1], rt[0], rt[1], held, outside, total)

    def queue_remaining(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM tasks WHERE state IN ('pending', 'retry', 'callback')"
        ).fetchone()[0]
