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
import threading
import time as _time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from callroom import schedule, workspace
from callroom.config import Config
from callroom.db_errors import (
    DatabaseGone,
    DatabaseMissing,
    SchemaTooNew,
    StoreBusy,
    StoreError,
    explain,
)
from callroom.said import Phrase, Words

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FLAGS = ("urgent", "elderly", "pregnant", "child", "patient")
VULNERABLE = frozenset(FLAGS) - {"urgent"}
PRIORITY_URGENT = 2
PRIORITY_VULNERABLE = 1
PRIORITY_NORMAL = 0
# Task columns an attempt snapshots so undo can put them back exactly.
_UNDO_FIELDS = (
    "state", "attempts", "noncontacts", "next_at", "callback_by", "final_outcome",
    "closed_at", "closed_by", "active_phone", "dead_phones",
)  # fmt: skip


__all__ = ["DatabaseGone", "DatabaseMissing", "SchemaTooNew", "Store", "StoreBusy", "StoreError"]


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

_V2_CLAIM_PROCESS = """
-- which process holds a claim, on which machine: a card held by a process that has ended comes
-- back to its caller at once instead of after the lease
ALTER TABLE tasks ADD COLUMN claim_pid INTEGER;
ALTER TABLE tasks ADD COLUMN claim_host TEXT;
"""

# The importer's remembered layouts: which column is what, keyed by the list's normalised header
# (see callroom/importer/layouts.py). Column letters and field names only, no personal data.
_IMPORT_LAYOUTS = """
CREATE TABLE import_layouts (
    id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE,
    headers TEXT NOT NULL DEFAULT '[]',
    mapping TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    used_at TEXT,
    uses INTEGER NOT NULL DEFAULT 0
);
"""

# Only claimed tasks in the claim index: every task an import publishes used to add a NULL entry
# (~10% of a publish, which callers wait for). `claim_session = ?` and `IS NOT NULL` still use it.
_CLAIM_INDEX_PARTIAL = """
DROP INDEX tasks_claim;
CREATE INDEX tasks_claim ON tasks(claim_session) WHERE claim_session IS NOT NULL;
"""

# Every own number of a resident: the number a card is on now (NULL: the main phone), the numbers
# found dead (JSON list of E.164), and on each attempt the number it was made on and how long it
# took from dial (or card shown) to the outcome. Earlier attempts were all made on the main phone.
_NUMBERS = """
ALTER TABLE tasks ADD COLUMN active_phone TEXT;
ALTER TABLE tasks ADD COLUMN dead_phones TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attempts ADD COLUMN phone TEXT;
ALTER TABLE attempts ADD COLUMN seconds INTEGER;
ALTER TABLE attempts ADD COLUMN timed_from TEXT NOT NULL DEFAULT '';
UPDATE attempts SET phone = (SELECT phone FROM tasks WHERE tasks.id = attempts.task_id)
WHERE outcome != 'field_visit_done';
CREATE INDEX attempts_phone ON attempts(phone, at);
"""

# Test results from the health system (callroom/results): health data, used only to match the
# lists, deleted by `callroom results purge`. A result is one test of one person, deduplicated on
# (person, tested_at, site); person is the ID number when the export had a valid one, else the
# phone. tasks.test_result is the test that closed a task (or, on a card a caller held, the test
# that offers to close it); purged results leave it NULL.
_TEST_RESULTS = """
CREATE TABLE result_files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX result_files_sha ON result_files(sha256);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    source_row TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    tested_at TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX results_key ON results(person, tested_at, site);
CREATE INDEX results_id_number ON results(id_number) WHERE id_number != '';
CREATE INDEX results_phone ON results(phone) WHERE phone != '';
ALTER TABLE tasks ADD COLUMN test_result INTEGER;
CREATE INDEX tasks_test_result ON tasks(test_result) WHERE test_result IS NOT NULL;
"""

# Forward migrations: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2_CLAIM_PROCESS,
    _IMPORT_LAYOUTS,
    _CLAIM_INDEX_PARTIAL,
    _NUMBERS,
    _TEST_RESULTS,
)
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
    test_result: int | None = None  # results.id: the test that closed it or offers to
    version: int = 0
    batch_name: str = ""
    script: str = ""
    active_phone: str | None = None
    dead_phones: list[str] = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        return self.priority >= PRIORITY_URGENT

    @property
    def numbers(self) -> tuple[str, ...]:
        """The resident's own numbers: the main phone first, then the alternates."""
        return tuple(dict.fromkeys((self.phone, *self.alt_phones)))

    @property
    def current_phone(self) -> str:
        """The number the card is on: where the last attempt left it, else the main phone."""
        return self.active_phone if self.active_phone in self.numbers else self.phone

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Task:
        data = dict(row)
        kwargs: dict[str, Any] = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        kwargs["alt_phones"] = json.loads(data.get("alt_phones") or "[]")
        kwargs["extra"] = json.loads(data.get("extra") or "{}")
        kwargs["flags"] = split_flags(data.get("flags"))
        kwargs["dead_phones"] = json.loads(data.get("dead_phones") or "[]")
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
    phone: str | None = None  # the number it was made on
    seconds: int | None = None  # from dial (or card shown) to the outcome
    timed_from: str = ""  # "dial" or "card"

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
            phone=row["phone"],
            seconds=row["seconds"],
            timed_from=row["timed_from"],
        )


@dataclass(frozen=True)
class Recorded:
    """What recording an outcome did to the task."""

    state: str
    next_at: datetime | None
    active_phone: str
    switched: bool  # the card moved to another of the resident's numbers (and stays claimed)


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


@dataclass(frozen=True)
class Claim:
    """A card on a caller's screen: who, which process on which machine, and its state:
    "live", "ended" (the process is gone from this machine) or "expired" (the lease ran out)."""

    task_id: int
    by: str
    pid: int | None
    host: str | None
    lease_until: str
    status: str


_TASK_SELECT = (
    "SELECT tasks.*, batches.name AS batch_name, batches.script AS script "
    "FROM tasks JOIN batches ON batches.id = tasks.batch_id"
)


# ---------------------------------------------------------------------------------------------
# the store


class Store:
    """One connection to the database, for one process (a caller session, the CLI, a test).

    One connection is for one thread at a time: Python's sqlite3 shares cached statements
    between threads, and two threads stepping them at once can crash the process. A worker
    thread (the caller screen's outcome writes) takes ``sibling()``: its own connection in the
    same session, so it may record the cards this session holds. Write transactions on one
    store take turns all the same (a lock), and a write that meets a busy database raises
    StoreBusy after ``busy_deadline`` (``set_busy_deadline``): nothing is written, and the
    caller can keep the outcome and try again.

    Only ``create=True`` (``callroom init``, the demo, the drill, tests) makes a new database
    file; otherwise a missing one is a DatabaseMissing error naming the path, so a deleted
    database is never silently replaced by an empty one. Before each write the store checks that
    the database and its -wal/-shm are still the files it opened (see ``_check_files``).
    """

    def __init__(
        self,
        config: Config,
        path: Path | str | None = None,
        clock: Callable[[], datetime] = datetime.now,
        busy_deadline: float = 30.0,
        durable: bool = True,
        create: bool = False,
    ) -> None:
        self.config = config
        self.path = Path(path) if path is not None else config.database
        self.clock = clock
        self.session = uuid.uuid4().hex
        self.pid = os.getpid()
        self.host = workspace.this_host()
        self.busy_deadline = busy_deadline
        self._gone: StoreError | None = None
        self._write_lock = threading.RLock()
        self._ids: dict[str, workspace.FileId | None] = {}
        self._memory = str(self.path) == ":memory:"
        workspace.use_shared_umask(config.shared_group)  # before SQLite creates -wal and -shm
        if not self._memory:
            self.path = Path(os.path.abspath(self.path))
            if create:
                self._create_file()
            elif not self.path.exists():
                raise DatabaseMissing("store.missing", path=self.path)
        self.conn: sqlite3.Connection | None = None
        try:
            self.conn = self._connect()
            self.conn.row_factory = sqlite3.Row
            for pragma in (
                "journal_mode = WAL",
                # FULL: a recorded outcome survives power loss. Only the drill's scratch DB opts out.
                f"synchronous = {'FULL' if durable else 'OFF'}",
                "foreign_keys = ON",
                f"busy_timeout = {self._busy_ms()}",
                "secure_delete = ON",
            ):
                self.conn.execute(f"PRAGMA {pragma}")
            self._remember_files()
            self._migrate()
        except sqlite3.Error as exc:
            self.close()
            if not self._memory and not self.path.exists():
                raise DatabaseMissing("store.missing", path=self.path) from None
            known = explain(exc, self.path, busy_deadline)
            if known is None:
                raise
            raise known from None
        except BaseException:
            self.close()
            raise

    def sibling(self) -> Store:
        """Another connection to the same database in this session, for another thread."""
        other = Store(self.config, self.path, self.clock, self.busy_deadline)
        other.session = self.session
        return other

    # -- connection plumbing ------------------------------------------------------------------

    def _busy_ms(self) -> int:
        # SQLite's own wait per attempt; transaction() retries up to busy_deadline on top
        return int(max(0.05, min(2.0, self.busy_deadline)) * 1000)

    def set_busy_deadline(self, seconds: float) -> None:
        """How long a write waits for a busy database before StoreBusy (e.g. short on the UI)."""
        self.busy_deadline = seconds
        self.conn.execute(f"PRAGMA busy_timeout = {self._busy_ms()}")

    def _connect(self) -> sqlite3.Connection:
        timeout = self._busy_ms() / 1000
        if self._memory:
            return sqlite3.connect(
                ":memory:", isolation_level=None, timeout=timeout, check_same_thread=False
            )
        # mode=rw: SQLite itself never creates the file (only _create_file does, on purpose)
        uri = f"file:{quote(str(self.path))}?mode=rw"
        return sqlite3.connect(
            uri, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False
        )

    def _create_file(self) -> None:
        """Create a new database file (folder, group and mode as configured) if there is none."""
        if self.path.exists():
            return
        workspace.prepare_folder(self.path.parent, self.config.shared_group)
        workspace.create_database_file(self.path, self.config.shared_group)

    def close(self) -> None:
        if self.conn is not None:
            with suppress(sqlite3.Error):
                self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def _explained(self, exc: sqlite3.Error) -> BaseException:
        """The SQLite error a user can meet, in words; anything else (a bug) as it was."""
        return explain(exc, self.path, self.busy_deadline) or exc

    @contextmanager
    def transaction(self, busy_deadline: float | None = None) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, retrying BUSY at BEGIN until the busy deadline.

        Raises StoreBusy when the database stays busy (nothing written; the same call can be
        made again), DatabaseGone when the database or its log is no longer the file this store
        opened, and other StoreErrors in words for a full disk, a read-only file, a damaged
        file. On any error everything of the transaction is rolled back.
        """
        # one write at a time on this connection (the UI thread and a worker)
        with self._write_lock, self._transaction(busy_deadline) as conn:
            yield conn

    @contextmanager
    def _transaction(self, busy_deadline: float | None) -> Iterator[sqlite3.Connection]:
        if self._gone is not None:
            raise self._gone
        wait = self.busy_deadline if busy_deadline is None else busy_deadline
        deadline = _time.monotonic() + wait
        delay = 0.005
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                known = explain(exc, self.path, wait)
                if not isinstance(known, StoreBusy):
                    raise (known or exc) from None
                if _time.monotonic() > deadline:
                    raise known from None
                _time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.2)
        try:
            self._check_files()
            yield self.conn
        except BaseException as exc:
            # BaseException too: Ctrl-C during an import must leave nothing of it behind
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._explained(exc) from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise self._explained(exc) from None

    # -- the files under the store ------------------------------------------------------------

    def _files(self) -> dict[str, Path]:
        return {s: workspace.side_file(self.path, s) for s in ("", *workspace.SIDE_FILES)}

    def _remember_files(self) -> None:
        if not self._memory:
            self._ids = {s: workspace.file_id(p) for s, p in self._files().items()}

    def _check_files(self) -> None:
        """Inside BEGIN IMMEDIATE: stop if the database or its -wal/-shm were deleted or replaced.

        SQLite keeps writing to a deleted file (an outcome would say "saved" and be gone after
        the process ends), and the next process would start on a new, empty database. A -wal or
        -shm appearing where there was none (e.g. WAL not yet opened) is taken as ours.
        """
        if self._memory or not self._ids:
            return
        now = {s: workspace.file_id(p) for s, p in self._files().items()}
        if now[""] != self._ids[""]:
            problem = "db_deleted" if now[""] is None else "db_replaced"
        else:
            changed = [
                s
                for s in workspace.SIDE_FILES
                if self._ids[s] is not None and now[s] != self._ids[s]
            ]
            if not changed:
                for s in workspace.SIDE_FILES:
                    self._ids[s] = self._ids[s] or now[s]
                return
            problem = "wal_only" if changed == ["-wal"] else "wal"
        with suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")
        self._gone = self._rescue(problem)
        raise self._gone

    def _rescue(self, problem: str) -> StoreError:
        """Save what this connection still sees, then say what happened.

        Only the -wal gone (same database, same -shm): a checkpoint writes the committed
        outcomes from the log this connection still holds open into the database. Otherwise a
        copy of everything this connection sees goes next to the database.
        """
        wal = workspace.side_file(self.path, "-wal")
        if problem == "wal_only":
            try:
                busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error:
                busy = 1
            if not busy:
                return DatabaseGone("store.wal_saved", path=self.path, wal=wal)
        copy = self._rescue_copy()
        if problem.startswith("wal"):
            if copy is None:
                return DatabaseGone("store.wal_lost", path=self.path, wal=wal)
            return DatabaseGone("store.wal_copy", path=self.path, wal=wal, copy=copy)
        if copy is None:
            return DatabaseGone(f"store.{problem}", path=self.path)
        return DatabaseGone(f"store.{problem}_saved", path=self.path, copy=copy)

    def _rescue_copy(self) -> Path | None:
        from callroom.backup import backup_to

        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        target = self.path.with_name(f"{self.path.name}.rescued-{stamp}-{self.pid}.db")
        try:
            backup_to(self.conn, target, self.config.shared_group, source=self.path)
        except (StoreError, sqlite3.Error, OSError):
            return None
        return target

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                "store.schema_new", path=self.path, found=version, known=SCHEMA_VERSION
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
            "in_hours": int(self.config.in_calling_hours(now.time())),
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
        task_id = self._pick(params, tuple(exclude))
        if task_id is None:
            return None
        previous = conn.execute("SELECT claim_by FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
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
        rows = self.conn.execute(
            "SELECT id, claim_pid, claim_host FROM tasks WHERE claim_session IS NOT NULL "
            "AND claim_session != ? AND claim_by = ? AND state IN ('pending', 'retry', 'callback') "
            "ORDER BY lease_until DESC",
            (self.session, operator),
        ).fetchall()
        for row in rows:
            if self._dead_claim(row):
                return row["id"], row["claim_pid"]
        return None

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

    def claims(self) -> list[Claim]:
        """Every card on someone's screen, and whether its session still lives."""
        now = fmt(self.now())
        rows = self.conn.execute(
            "SELECT id, claim_by, claim_session, claim_pid, claim_host, lease_until FROM tasks "
            "WHERE claim_session IS NOT NULL ORDER BY id"
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

    def return_claims(self, operator: str = "system") -> list[Claim]:
        """Give back the cards of sessions that ended (process gone) or whose lease ran out."""
        with self.transaction() as conn:
            returned = [c for c in self.claims() if c.status in ("ended", "expired")]
            for c in returned:
                conn.execute(
                    "UPDATE tasks SET claim_by = NULL, claim_session = NULL, lease_until = NULL "
                    "WHERE id = ?",
                    (c.task_id,),
                )
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
        phone: str | None = None,
        seconds: int | None = None,
        timed_from: str = "",
    ) -> str:
        """Record an outcome (see `record_call`); returns the task's new state."""
        return self.record_call(
            task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
            phone, seconds, timed_from,
        ).state  # fmt: skip

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
    ) -> Recorded:
        """Write the attempt, the task's new state and the event in one transaction.

        ``phone`` is the number the call was made on (default: the card's current number), one
        of the resident's own; ``seconds`` how long it took from dial (``timed_from`` "dial") or
        from the card showing ("card") to the outcome. Refuses a task another session holds,
        and a closed task unless ``allow_closed`` (an inbound call about a finished case). When
        a dead number moves the card to another of the resident's numbers, this session keeps
        the card: it comes straight back on the next number.
        """
        with self.transaction():
            return self._record(
                task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
                phone, seconds, timed_from,
            )  # fmt: skip

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
    ) -> tuple[Recorded, Task | None]:
        """`record_call` and `next_card` in one transaction: one commit (one fsync) per key.

        The outcome is committed with the claim of the next card, or neither is.
        """
        with self.transaction():
            recorded = self._record(
                task_id, outcome_code, operator, answers, note, callback_at, allow_closed,
                phone, seconds, timed_from,
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
        row = conn.execute(f"{_TASK_SELECT} WHERE tasks.id = ?", (task_id,)).fetchone()
        if row is None:
            raise StoreError("store.no_task", id=task_id)
        if self._held_elsewhere(row, now):
            raise StoreError("store.on_screen", id=task_id, who=row["claim_by"])
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
        conn.execute(
            "INSERT INTO attempts (task_id, operator, at, outcome, answers, note, callback_at, "
            "prev, version_after, phone, seconds, timed_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                task_id, operator, fmt(now), outcome.code,
                json.dumps(answers or {}, ensure_ascii=False), note, fmt(callback_at),
                json.dumps({k: row[k] for k in _UNDO_FIELDS}), version, used, seconds,
                timed_from,
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
                raise StoreError("store.nothing_to_undo", seconds=self.config.undo_seconds)
            task = conn.execute("SELECT * FROM tasks WHERE id = ?", (att["task_id"],)).fetchone()
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
            sets = ", ".join(f"{k} = :{k}" for k in _UNDO_FIELDS)
            conn.execute(
                f"UPDATE tasks SET {sets}, claim_by = :op, claim_session = :session, "
                "lease_until = :lease, claim_pid = :pid, claim_host = :host, "
                "version = version + 1, updated_at = :now WHERE id = :id",
                {**prev, "op": operator, "session": self.session, "lease": lease,
                 "pid": self.pid, "host": self.host, "now": fmt(now), "id": task["id"]},
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
                "SELECT claim_session, claim_by, lease_until, claim_pid, claim_host FROM tasks "
                "WHERE id = ?",
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

    # -- lead actions (all audited) -----------------------------------------------------------

    def _lead_update(
        self, task_id: int, operator: str, kind: str, sets: str, params: tuple, detail: dict
    ) -> Task:
        with self.transaction() as conn:
            row = conn.execute("SELECT state FROM tasks WHERE id = ?", (task_id,)).fetchone()
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

    def field_visit_done(self, task_id: int, note: str, operator: str) -> Task:
        """Close a field-visit task with what the visit found."""
        note = note.strip()
        if not note:
            raise StoreError("store.visit_note")
        if self.get_task(task_id).state != schedule.FIELD_VISIT:
            raise StoreError("store.not_visit", id=task_id)
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


def _schedule_error(
    exc: schedule.ScheduleError, callback_at: datetime | None, now: datetime
) -> StoreError:
    if callback_at is None:
        return StoreError("store.callback_time")
    if callback_at <= now:
        return StoreError("store.callback_past")
    return StoreError(str(exc))


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
