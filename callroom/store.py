"""The SQLite task store: the only module that writes SQL.

Every write runs in one ``BEGIN IMMEDIATE`` transaction (a deferred BEGIN that reads then writes
fails at once with "database is locked", ignoring busy_timeout), retried on BUSY because SQLite's
busy handler is unfair under load. WAL + synchronous=FULL: a committed outcome survives kill -9
and power loss. Times are naive local ``YYYY-MM-DD HH:MM:SS`` strings: all callers share one
machine and calling hours are local, and the fixed format keeps string comparison correct.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time as _time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from callroom import schedule
from callroom.config import Config
from callroom.phones import to_e164

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FLAGS = ("urgent", "elderly", "pregnant", "child", "patient")
VULNERABLE = frozenset(FLAGS) - {"urgent"}
PRIORITY_URGENT = 2
PRIORITY_VULNERABLE = 1
PRIORITY_NORMAL = 0
# Task columns an attempt snapshots so undo can put them back exactly.
_UNDO_FIELDS = (
    "state", "attempts", "noncontacts", "next_at", "callback_by", "final_outcome",
    "closed_at", "closed_by",
)  # fmt: skip


class StoreError(Exception):
    """A refused operation, with a message fit for the user."""


class SchemaTooNew(StoreError):
    pass


def fmt(dt: datetime | None) -> str | None:
    return dt.strftime(TIME_FORMAT) if dt else None


def parse_time(text: str | None) -> datetime | None:
    return datetime.strptime(text, TIME_FORMAT) if text else None


def split_flags(text: str | None) -> tuple[str, ...]:
    """The flags column ("urgent,elderly") as a tuple."""
    return tuple(f for f in (text or "").split(",") if f)


def priority_for(flags: set[str] | list[str] | tuple[str, ...]) -> int:
    if "urgent" in flags:
        return PRIORITY_URGENT
    if VULNERABLE & set(flags):
        return PRIORITY_VULNERABLE
    return PRIORITY_NORMAL


# ---------------------------------------------------------------------------------------------
# schema

_V1 = """
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_file TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    script TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    tasks_created INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX batches_sha ON batches(sha256);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source_row TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL,
    phone_raw TEXT NOT NULL DEFAULT '',
    phone_ext TEXT NOT NULL DEFAULT '',
    phone_flag TEXT NOT NULL DEFAULT '',
    alt_phones TEXT NOT NULL DEFAULT '[]',
    name TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    id_flag TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    arrival TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    source_note TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    priority INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    noncontacts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT,
    callback_by TEXT,
    assigned_to TEXT,
    claim_by TEXT,
    claim_session TEXT,
    lease_until TEXT,
    final_outcome TEXT,
    closed_at TEXT,
    closed_by TEXT,
    duplicate_of INTEGER REFERENCES tasks(id),
    linked_to INTEGER REFERENCES tasks(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_phone ON tasks(phone);
CREATE INDEX tasks_batch ON tasks(batch_id, seq);
CREATE INDEX tasks_claim ON tasks(claim_session);
CREATE INDEX tasks_state ON tasks(state, final_outcome);
CREATE INDEX tasks_callback ON tasks(callback_by, next_at) WHERE state = 'callback';
CREATE INDEX tasks_assigned ON tasks(assigned_to) WHERE assigned_to IS NOT NULL;
-- The queue order, walked in index order so a claim is O(skipped rows), not a sort of the table.
CREATE INDEX tasks_queue ON tasks(
    priority DESC, coalesce(deadline, '9999'), state = 'pending', batch_id, seq
) WHERE state IN ('pending', 'retry', 'callback');

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    operator TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    callback_at TEXT,
    prev TEXT NOT NULL,
    version_after INTEGER NOT NULL,
    undone_at TEXT
);
CREATE INDEX attempts_task ON attempts(task_id);
CREATE INDEX attempts_operator ON attempts(operator, at);
CREATE INDEX attempts_at ON attempts(at);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    kind TEXT NOT NULL,
    task_id INTEGER,
    batch_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_at ON events(at);
CREATE INDEX events_task ON events(task_id);
CREATE INDEX events_operator ON events(operator, at);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

# Forward migrations: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


# ---------------------------------------------------------------------------------------------
# records


@dataclass
class Task:
    id: int
    batch_id: int
    seq: int
    phone: str
    state: str
    priority: int
    attempts: int
    noncontacts: int
    name: str = ""
    id_number: str = ""
    id_flag: str = ""
    place: str = ""
    arrival: str = ""
    address: str = ""
    source_note: str = ""
    source_row: str = ""
    phone_raw: str = ""
    phone_ext: str = ""
    phone_flag: str = ""
    alt_phones: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    deadline: str | None = None
    next_at: str | None = None
    callback_by: str | None = None
    assigned_to: str | None = None
    claim_by: str | None = None
    lease_until: str | None = None
    final_outcome: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None
    duplicate_of: int | None = None
    linked_to: int | None = None
    version: int = 0
    batch_name: str = ""
    script: str = ""

    @property
    def urgent(self) -> bool:
        return self.priority >= PRIORITY_URGENT

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Task:
        data = dict(row)
        kwargs: dict[str, Any] = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        kwargs["alt_phones"] = json.loads(data.get("alt_phones") or "[]")
        kwargs["extra"] = json.loads(data.get("extra") or "{}")
        kwargs["flags"] = split_flags(data.get("flags"))
        return cls(**kwargs)


@dataclass(frozen=True)
class Attempt:
    id: int
    task_id: int
    operator: str
    at: str
    outcome: str
    answers: dict[str, Any]
    note: str
    callback_at: str | None
    undone: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Attempt:
        return cls(
            id=row["id"],
            task_id=row["task_id"],
            operator=row["operator"],
            at=row["at"],
            outcome=row["outcome"],
            answers=json.loads(row["answers"]),
            note=row["note"],
            callback_at=row["callback_at"],
            undone=row["undone_at"] is not None,
        )


@dataclass(frozen=True)
class Outlook:
    """Why the queue is empty for this caller, and what comes next."""

    callbacks_later: int
    next_callback_at: str | None
    retries_later: int
    next_retry_at: str | None
    held_by_others: int
    waiting_outside_hours: int
    open_total: int


_TASK_SELECT = (
    "SELECT tasks.*, batches.name AS batch_name, batches.script AS script "
    "FROM tasks JOIN batches ON batches.id = tasks.batch_id"
)


# ---------------------------------------------------------------------------------------------
# the store


class Store:
    """One connection to the database, for one process (a caller session, the CLI, a test)."""

    def __init__(
        self,
        config: Config,
        path: Path | str | None = None,
        clock: Callable[[], datetime] = datetime.now,
        busy_deadline: float = 30.0,
        durable: bool = True,
    ) -> None:
        self.config = config
        self.path = Path(path) if path is not None else config.database
        self.clock = clock
        self.session = uuid.uuid4().hex
        self.busy_deadline = busy_deadline
        self._create_file()
        self.conn = sqlite3.connect(
            str(self.path), isolation_level=None, timeout=2.0, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        for pragma in (
            "journal_mode = WAL",
            # FULL: a recorded outcome survives power loss. Only the drill's scratch DB opts out.
            f"synchronous = {'FULL' if durable else 'OFF'}",
            "foreign_keys = ON",
            "busy_timeout = 2000",
            "secure_delete = ON",
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self._migrate()

    # -- connection plumbing ------------------------------------------------------------------

    def _create_file(self) -> None:
        """Create a new database file with private permissions before SQLite touches it."""
        if str(self.path) == ":memory:" or self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        shared = bool(self.config.shared_group)
        try:
            fd = os.open(
                self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660 if shared else 0o600
            )
        except FileExistsError:
            return  # another process created it first
        os.close(fd)
        # umask may have taken bits away; set exactly what we mean
        os.chmod(self.path, 0o660 if shared else 0o600)
        if shared:
            import grp

            try:
                os.chown(self.path, -1, grp.getgrnam(self.config.shared_group).gr_gid)
            except (KeyError, PermissionError) as exc:
                raise StoreError(
                    f"{self.path}: cannot give the database to group "
                    f"{self.config.shared_group!r} ({exc}); check [general] shared_group"
                ) from None

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, retrying BUSY at BEGIN until busy_deadline."""
        deadline = _time.monotonic() + self.busy_deadline
        delay = 0.005
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if _time.monotonic() > deadline:
                    raise StoreError(
                        "the database stayed busy for too long; try again in a moment"
                    ) from None
                _time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.2)
        try:
            yield self.conn
        except BaseException:
            # BaseException too: Ctrl-C during an import must leave nothing of it behind
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path}: database schema v{version} was written by a newer callroom "
                f"(this one knows v{SCHEMA_VERSION}); upgrade callroom to open it"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            # re-read inside the lock: another process may have migrated meanwhile
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in _split_sql(MIGRATIONS[step]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @property
    def db(self):  # -> sqlite_utils.Database, imported lazily (100 ms) off the caller's path
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def add_event(
        self,
        kind: str,
        operator: str,
        task_id: int | None = None,
        batch_id: int | None = None,
        detail: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append an audit event inside the caller's open transaction.

        Never put phones, names or ID numbers in ``detail``: events are the audit log.
        """
        self.conn.execute(
            "INSERT INTO events (at, operator, kind, task_id, batch_id, detail) VALUES (?,?,?,?,?,?)",
            (fmt(at or self.now()), operator, kind, task_id, batch_id,
             json.dumps(detail or {}, ensure_ascii=False)),
        )  # fmt: skip

    def log_event(
        self,
        kind: str,
        operator: str,
        task_id: int | None = None,
        batch_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record an audit event on its own (a reveal, an export, a pause)."""
        with self.transaction():
            self.add_event(kind, operator, task_id, batch_id, detail)

    # -- reading ------------------------------------------------------------------------------

    def get_task(self, task_id: int) -> Task:
        row = self.conn.execute(f"{_TASK_SELECT} WHERE tasks.id = ?", (task_id,)).fetchone()
        if row is None:
            raise StoreError(f"no task #{task_id}")
        return Task.from_row(row)

    def find_by_phone(self, text: str) -> list[Task]:
        """Tasks for a number typed in any format (main or alternate phone), newest first."""
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
        self, phone: str, exclude_task: int | None = None
    ) -> list[tuple[Task, Attempt]]:
        """Earlier calls to the same phone under other tasks (earlier lists), newest first."""
        rows = self.conn.execute(
            "SELECT attempts.*, tasks.id AS t_id FROM attempts JOIN tasks ON tasks.id = attempts.task_id "
            "WHERE tasks.phone = ? AND tasks.id IS NOT ? AND attempts.undone_at IS NULL "
            "ORDER BY attempts.id DESC LIMIT 50",
            (phone, exclude_task),
        ).fetchall()
        tasks: dict[int, Task] = {}
        out = []
        for r in rows:
            if r["t_id"] not in tasks:
                tasks[r["t_id"]] = self.get_task(r["t_id"])
            out.append((tasks[r["t_id"]], Attempt.from_row(r)))
        return out

    def calls_to_phone_since(self, phone: str, since: datetime) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM attempts JOIN tasks ON tasks.id = attempts.task_id "
            "WHERE tasks.phone = ? AND attempts.at >= ? AND attempts.undone_at IS NULL",
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
        return self.conn.execute(
            "SELECT count(*) FROM attempts WHERE operator = ? AND at >= ? AND undone_at IS NULL",
            (operator, fmt(start)),
        ).fetchone()[0]

    def calls_since(self, operator: str, since: datetime) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM attempts WHERE operator = ? AND at >= ? AND undone_at IS NULL",
            (operator, fmt(since)),
        ).fetchone()[0]

    # -- the queue ----------------------------------------------------------------------------

    def _eligible_sql(self) -> str:
        # :now, :op, :grace_cutoff, :in_hours
        return (
            "state IN ('pending', 'retry', 'callback') "
            "AND (next_at IS NULL OR next_at <= :now) "
            "AND (claim_session IS NULL OR lease_until <= :now) "
            "AND (assigned_to IS NULL OR assigned_to = :op) "
            "AND (state != 'callback' OR callback_by = :op OR next_at <= :grace_cutoff) "
            "AND (:in_hours OR priority >= 2)"
        )

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
                "ORDER BY priority DESC, coalesce(deadline, '9999'), state = 'pending', batch_id, seq "
                "LIMIT 1",
                params,
            ).fetchone()
        if row is None:
            # 2. everyone's queue: urgent/vulnerable, earliest deadline, due retries, list order
            row = self.conn.execute(
                f"SELECT id FROM tasks INDEXED BY tasks_queue WHERE {eligible} "
                "ORDER BY priority DESC, coalesce(deadline, '9999'), state = 'pending', batch_id, seq "
                "LIMIT 1",
                params,
            ).fetchone()
        return row[0] if row else None

    def next_card(self, operator: str, exclude: tuple[int, ...] | list[int] = ()) -> Task | None:
        """Claim the best eligible task for ``operator`` (atomically, with a lease).

        A card this session already holds is returned again (its lease renewed), so a repeated
        call never loses or doubles a claim. ``exclude``: tasks this caller skipped.
        """
        now = self.now()
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        params = {
            "now": fmt(now),
            "op": operator,
            "grace_cutoff": fmt(schedule.callbacks_open_to_all_due_by(now, self.config)),
            "in_hours": int(self.config.in_calling_hours(now.time())),
        }
        with self.transaction() as conn:
            held = conn.execute(
                "SELECT id FROM tasks WHERE claim_session = ? AND state IN "
                "('pending', 'retry', 'callback') ORDER BY lease_until DESC LIMIT 1",
                (self.session,),
            ).fetchone()
            if held is not None:
                conn.execute("UPDATE tasks SET lease_until = ? WHERE id = ?", (lease, held[0]))
                task_id = held[0]
            else:
                task_id = self._pick(params, tuple(exclude))
                if task_id is None:
                    return None
                previous = conn.execute(
                    "SELECT claim_by FROM tasks WHERE id = ?", (task_id,)
                ).fetchone()[0]
                conn.execute(
                    "UPDATE tasks SET claim_by = ?, claim_session = ?, lease_until = ? WHERE id = ?",
                    (operator, self.session, lease, task_id),
                )
                detail = {"expired_claim_of": previous} if previous else {}
                self.add_event("claim", operator, task_id, detail=detail, at=now)
        return self.get_task(task_id)

    def renew(self, task_id: int) -> bool:
        """Extend this session's lease on a card the caller is still working on."""
        lease = fmt(self.now() + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE tasks SET lease_until = ? WHERE id = ? AND claim_session = ?",
                (lease, task_id, self.session),
            )
            return cur.rowcount == 1

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

    def expire_leases(self, operator: str = "system") -> int:
        """Clear claims whose lease ran out (a crashed or abandoned session)."""
        now = fmt(self.now())
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT id, claim_by FROM tasks WHERE claim_session IS NOT NULL AND lease_until <= ?",
                (now,),
            ).fetchall()
            for r in rows:
                conn.execute(
                    "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                    "WHERE id = ?",
                    (r[0],),
                )
                self.add_event("lease_expired", operator, r[0], detail={"claim_by": r[1]})
        return len(rows)

    def stale_claims(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM tasks WHERE claim_session IS NOT NULL AND lease_until <= ?",
            (fmt(self.now()),),
        ).fetchone()[0]

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
            "SELECT count(*) FROM tasks WHERE state IN ('pending','retry','callback') "
            "AND claim_session IS NOT NULL AND lease_until > ? AND claim_by != ?",
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

    # -- recording ----------------------------------------------------------------------------

    def record(
        self,
        task_id: int,
        outcome_code: str,
        operator: str,
        answers: dict[str, Any] | None = None,
        note: str = "",
        callback_at: datetime | None = None,
        allow_closed: bool = False,
    ) -> str:
        """Write the attempt, the task's new state and the event in one transaction.

        Returns the task's new state. Refuses a task another session holds, and a closed task
        unless ``allow_closed`` (an inbound call about a finished case).
        """
        try:
            outcome = self.config.outcome(outcome_code)
        except KeyError:
            raise StoreError(f"unknown outcome {outcome_code!r}") from None
        note = note.strip()
        if outcome.needs_note and not note:
            raise StoreError(f"outcome {outcome.code!r} needs a note")
        now = self.now()
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if row is None:
                raise StoreError(f"no task #{task_id}")
            if row["claim_session"] not in (None, self.session) and row["lease_until"] > fmt(now):
                raise StoreError(f"task #{task_id} is on {row['claim_by']}'s screen right now")
            if row["state"] in schedule.CLOSED_STATES and not allow_closed:
                raise StoreError(f"task #{task_id} is already closed ({row['state']})")
            counters = schedule.TaskCounters(
                row["attempts"], row["noncontacts"], row["priority"] >= PRIORITY_URGENT
            )
            try:
                nxt = schedule.next_state(
                    counters, outcome, self.config, now, operator, callback_at
                )
            except schedule.ScheduleError as exc:
                raise StoreError(str(exc)) from None
            closed = nxt.state in schedule.CLOSED_STATES
            version = row["version"] + 1
            conn.execute(
                "INSERT INTO attempts (task_id, operator, at, outcome, answers, note, callback_at, "
                "prev, version_after) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    task_id, operator, fmt(now), outcome.code,
                    json.dumps(answers or {}, ensure_ascii=False), note, fmt(callback_at),
                    json.dumps({k: row[k] for k in _UNDO_FIELDS}), version,
                ),
            )  # fmt: skip
            conn.execute(
                "UPDATE tasks SET state = ?, attempts = ?, noncontacts = ?, next_at = ?, "
                "callback_by = ?, final_outcome = ?, closed_at = ?, closed_by = ?, "
                "claim_by = NULL, claim_session = NULL, lease_until = NULL, "
                "version = ?, updated_at = ? WHERE id = ?",
                (
                    nxt.state, nxt.attempts, nxt.noncontacts, fmt(nxt.next_at), nxt.callback_by,
                    nxt.final_outcome, fmt(now) if closed else None, operator if closed else None,
                    version, fmt(now), task_id,
                ),
            )  # fmt: skip
            self.add_event(
                "record", operator, task_id,
                detail={"outcome": outcome.code, "state": nxt.state}, at=now,
            )  # fmt: skip
        return nxt.state

    def undo_last(self, operator: str) -> Task:
        """Undo this operator's last outcome within the undo window; the card comes back to them."""
        now = self.now()
        since = fmt(now - timedelta(seconds=self.config.undo_seconds))
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            att = conn.execute(
                "SELECT * FROM attempts WHERE operator = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (operator,),
            ).fetchone()
            if att is None or att["at"] < since:
                raise StoreError(
                    f"nothing to undo: only outcomes of the last {self.config.undo_seconds} s can be undone"
                )
            task = conn.execute("SELECT * FROM tasks WHERE id = ?", (att["task_id"],)).fetchone()
            if task["version"] != att["version_after"]:
                raise StoreError(f"task #{task['id']} has changed since; it cannot be undone")
            if task["claim_session"] not in (None, self.session) and task["lease_until"] > fmt(now):
                raise StoreError(f"task #{task['id']} is on {task['claim_by']}'s screen right now")
            # hand back whatever card this session holds, then take the undone one
            conn.execute(
                "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                "WHERE claim_session = ?",
                (self.session,),
            )
            prev = json.loads(att["prev"])
            sets = ", ".join(f"{k} = :{k}" for k in _UNDO_FIELDS)
            conn.execute(
                f"UPDATE tasks SET {sets}, claim_by = :op, claim_session = :session, "
                "lease_until = :lease, version = version + 1, updated_at = :now WHERE id = :id",
                {**prev, "op": operator, "session": self.session, "lease": lease,
                 "now": fmt(now), "id": task["id"]},
            )  # fmt: skip
            conn.execute("UPDATE attempts SET undone_at = ? WHERE id = ?", (fmt(now), att["id"]))
            self.add_event("undo", operator, task["id"], detail={"attempt": att["id"],
                        "outcome": att["outcome"]}, at=now)  # fmt: skip
        return self.get_task(att["task_id"])

    def claim_task(self, task_id: int, operator: str) -> Task:
        """Take a specific task (an inbound call found by phone) onto this session's screen."""
        now = self.now()
        lease = fmt(now + timedelta(seconds=self.config.lease_seconds))
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT claim_session, claim_by, lease_until FROM tasks WHERE id = ?", (task_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no task #{task_id}")
            if row["claim_session"] not in (None, self.session) and row["lease_until"] > fmt(now):
                raise StoreError(f"task #{task_id} is on {row['claim_by']}'s screen right now")
            conn.execute(
                "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                "WHERE claim_session = ? AND id != ?",
                (self.session, task_id),
            )
            conn.execute(
                "UPDATE tasks SET claim_by = ?, claim_session = ?, lease_until = ? WHERE id = ?",
                (operator, self.session, lease, task_id),
            )
            self.add_event("claim", operator, task_id, detail={"by": "find"}, at=now)
        return self.get_task(task_id)

    # -- lead actions (all audited) -----------------------------------------------------------

    def _lead_update(
        self, task_id: int, operator: str, kind: str, sets: str, params: tuple, detail: dict
    ) -> Task:
        with self.transaction() as conn:
            row = conn.execute("SELECT state FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if row is None:
                raise StoreError(f"no task #{task_id}")
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
            raise StoreError(f"task #{task_id} is closed; reopen it first")
        return self._lead_update(
            task_id, operator, "reassign", "assigned_to = ?, callback_by = NULL",
            (to_operator or None,), {"to": to_operator},
        )  # fmt: skip

    def reopen(self, task_id: int, operator: str) -> Task:
        """Put a closed task back in the queue now, with a fresh non-contact budget."""
        task = self.get_task(task_id)
        if task.state in schedule.OPEN_STATES:
            raise StoreError(f"task #{task_id} is already open")
        return self._lead_update(
            task_id, operator, "reopen",
            "state = 'pending', next_at = NULL, noncontacts = 0, final_outcome = NULL, "
            "closed_at = NULL, closed_by = NULL, duplicate_of = NULL, linked_to = NULL",
            (), {"outcome": task.final_outcome},
        )  # fmt: skip

    def field_visit_done(self, task_id: int, note: str, operator: str) -> Task:
        """Close a field-visit task with what the visit found."""
        note = note.strip()
        if not note:
            raise StoreError("say what the visit found")
        if self.get_task(task_id).state != schedule.FIELD_VISIT:
            raise StoreError(f"task #{task_id} is not on the field-visit list")
        now = self.now()
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
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

    def operators(self) -> list[str]:
        """Everyone who has worked on this database, for the lead's reassign dialog."""
        rows = self.conn.execute(
            "SELECT DISTINCT operator FROM events WHERE kind IN ('claim', 'record') ORDER BY operator"
        ).fetchall()
        return [r[0] for r in rows]

    # -- loading ------------------------------------------------------------------------------

    def add_batch(
        self,
        name: str,
        rows: list[dict[str, Any]],
        operator: str,
        source_file: str = "",
        sha256: str = "",
        script: str = "",
        deadline: datetime | None = None,
        counts: dict[str, Any] | None = None,
    ) -> int:
        """Insert a list and its tasks in one transaction; returns the batch id.

        Each row needs ``phone`` (E.164) and may carry any task column; ``flags`` as a list,
        ``extra`` as a dict, ``alt_phones`` as a list. The importer does its own streaming
        inserts; this is the simple path for fixtures, the demo and the drill.
        """
        now = fmt(self.now())
        with self.transaction():
            batch_id = self.insert_batch_row(
                name, operator, source_file, sha256, script, deadline, len(rows), counts
            )
            for seq, row in enumerate(rows, 1):
                self.insert_task_row(batch_id, seq, row, now, deadline)
            self.add_event("import", operator, batch_id=batch_id, detail={"tasks": len(rows)})
        return batch_id

    def insert_batch_row(
        self,
        name: str,
        operator: str,
        source_file: str = "",
        sha256: str = "",
        script: str = "",
        deadline: datetime | None = None,
        tasks_created: int = 0,
        counts: dict[str, Any] | None = None,
    ) -> int:
        """Inside an open transaction: one batches row."""
        cur = self.conn.execute(
            "INSERT INTO batches (name, source_file, sha256, imported_by, imported_at, script, "
            "deadline, rows_read, tasks_created, counts) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (name, source_file, sha256, operator, fmt(self.now()), script or self.config.default_script,
             fmt(deadline), (counts or {}).get("rows_read", tasks_created), tasks_created,
             json.dumps(counts or {}, ensure_ascii=False)),
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def insert_task_row(
        self, batch_id: int, seq: int, row: dict[str, Any], now: str, deadline: datetime | None
    ) -> int:
        """Inside an open transaction: one tasks row (see add_batch for the row's keys)."""
        data = {k: v for k, v in row.items() if k in _INSERTABLE}
        flags = tuple(row.get("flags") or ())
        data["flags"] = ",".join(flags)
        data.setdefault("priority", priority_for(flags))
        data["extra"] = json.dumps(row.get("extra") or {}, ensure_ascii=False)
        data["alt_phones"] = json.dumps(row.get("alt_phones") or [])
        data.setdefault("deadline", fmt(deadline))
        data.setdefault("state", schedule.PENDING)
        data.update(batch_id=batch_id, seq=seq, created_at=now, updated_at=now)
        cols = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        cur = self.conn.execute(
            f"INSERT INTO tasks ({cols}) VALUES ({marks})", tuple(data.values())
        )
        return int(cur.lastrowid or 0)


_INSERTABLE = frozenset(
    [
        "source_row",
        "phone",
        "phone_raw",
        "phone_ext",
        "phone_flag",
        "name",
        "id_number",
        "id_flag",
        "place",
        "arrival",
        "address",
        "source_note",
        "priority",
        "deadline",
        "state",
        "final_outcome",
        "closed_at",
        "closed_by",
        "duplicate_of",
        "linked_to",
    ]
)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers contain ';' inside BEGIN ... END)."""
    statements, buf = [], []
    for line in script.strip().splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if "\n".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
