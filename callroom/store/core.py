"""The store's core: one connection to SQLite or PostgreSQL, transactions, migrations, the audit
log. The rooms of the store (queue, recording, lead actions, queries, loading) are mixed in."""

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
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from callroom import chain, workspace
from callroom.config import Config
from callroom.db_errors import (
    DatabaseGone,
    DatabaseMissing,
    SchemaTooNew,
    StoreBusy,
    StoreError,
    explain,
)
from callroom.store.lead import LeadActions
from callroom.store.loading import Loading
from callroom.store.model import (
    fmt,
)
from callroom.store.queries import Queries
from callroom.store.queue import Queue
from callroom.store.recording import Recording
from callroom.store.retry import _retried, _Retry
from callroom.store.schema import _EVENT_CHAIN, MIGRATIONS, SCHEMA_VERSION, _split_sql


def _is_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://"))


def _safe_url(url: str) -> str:
    from callroom.config import safe_url

    return safe_url(url)


class Store(Queue, Recording, LeadActions, Queries, Loading):
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
        self.clock = clock
        self.session = uuid.uuid4().hex
        self.pid = os.getpid()
        self.host = workspace.this_host()
        self.busy_deadline = busy_deadline
        self._gone: StoreError | None = None
        self._write_lock = threading.RLock()
        self._ids: dict[str, workspace.FileId | None] = {}
        self.conn: Any = None
        url = str(path) if path is not None and _is_url(str(path)) else None
        if url is None and path is None and config.database_url:
            url = config.database_url
        self.url = url or ""
        self.engine = "postgres" if url else "sqlite"
        # "FOR UPDATE" where a read decides a write (SQLite's BEGIN IMMEDIATE already serialises)
        self._for_update = " FOR UPDATE OF tasks" if url else ""
        if url:
            self._memory = False
            self.path = _safe_url(url)  # type: ignore[assignment]  # a label in messages
            self._open_postgres(url, create)
            return
        self.path = Path(path) if path is not None else config.database
        self._memory = str(self.path) == ":memory:"
        workspace.use_shared_umask(config.shared_group)  # before SQLite creates -wal and -shm
        if not self._memory:
            self.path = Path(os.path.abspath(self.path))
            if create:
                self._create_file()
            elif not self.path.exists():
                raise DatabaseMissing("store.missing", path=self.path)
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

    def _open_postgres(self, url: str, create: bool) -> None:
        try:
            from callroom.store.engines import postgres
        except ImportError:
            raise StoreError("store.pg_missing_driver") from None
        try:
            self.conn = postgres.Connection(url)
            self._pg_timeouts()
            self._migrate_postgres(create)
        except StoreError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            known = explain(exc, self.path, self.busy_deadline)
            if known is None:
                raise
            raise known from None

    def _pg_timeouts(self) -> None:
        # a row another transaction holds is waited for at most this long per statement, then
        # the transaction is retried (see _retried) like SQLite's BUSY
        self.conn.execute(f"SET lock_timeout = {self._busy_ms()}")

    @property
    def location(self) -> Path | str:
        """What opens this database again (the file, or the URL with its password): for
        another Store, never for a message (``path`` is the label)."""
        return self.url or self.path

    def sibling(self) -> Store:
        """Another connection to the same database in this session, for another thread."""
        other = Store(self.config, self.location, self.clock, self.busy_deadline)
        other.session = self.session
        return other

    # -- connection plumbing ------------------------------------------------------------------

    def _busy_ms(self) -> int:
        # SQLite's own wait per attempt; transaction() retries up to busy_deadline on top
        return int(max(0.05, min(2.0, self.busy_deadline)) * 1000)

    def set_busy_deadline(self, seconds: float) -> None:
        """How long a write waits for a busy database before StoreBusy (e.g. short on the UI)."""
        self.busy_deadline = seconds
        if self.engine == "postgres":
            self._pg_timeouts()
        else:
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
            with suppress(Exception):
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
        if self.engine == "postgres":
            with self._write_lock, self._pg_transaction() as conn:
                yield conn
            return
        with self._write_lock, self._transaction(busy_deadline) as conn:
            yield conn

    @contextmanager
    def _pg_transaction(self) -> Iterator[Any]:
        """BEGIN ... COMMIT at READ COMMITTED: claims lock rows (SKIP LOCKED), not the table.

        A lock wait past lock_timeout, a deadlock or a serialisation failure rolls back and
        raises _Retry, which the writers (see _retried) run again until the busy deadline.
        """
        if self._gone is not None:
            raise self._gone
        if self.conn.in_transaction:  # nested (an import's helpers): the outer one commits
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN")
        except Exception as exc:
            raise self._pg_explained(exc) from None
        try:
            yield self.conn
        except BaseException as exc:
            with suppress(Exception):
                self.conn.execute("ROLLBACK")
            if type(exc).__module__.startswith("psycopg"):
                raise self._pg_explained(exc) from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except Exception as exc:
                with suppress(Exception):
                    self.conn.execute("ROLLBACK")
                raise self._pg_explained(exc) from None

    def _pg_explained(self, exc: BaseException) -> BaseException:
        from callroom.store.engines import postgres

        if isinstance(exc, postgres.RETRY):
            return _Retry("store.busy", seconds=round(self.busy_deadline))
        return explain(exc, self.path, self.busy_deadline) or exc

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
                if MIGRATIONS[step] is _EVENT_CHAIN:
                    chain.backfill(conn)  # the events written before: hashed once, in order
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        if self.engine == "postgres":
            return self._pg_version()
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _pg_version(self) -> int:
        if self.conn.execute("SELECT to_regclass('callroom_schema')").fetchone()[0] is None:
            return 0
        return self.conn.execute("SELECT max(version) FROM callroom_schema").fetchone()[0] or 0

    def _migrate_postgres(self, create: bool) -> None:
        from callroom.store.schema_postgres import VERSION_TABLE, postgres_step

        version = self._pg_version()
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                "store.schema_new", path=self.path, found=version, known=SCHEMA_VERSION
            )
        if version == SCHEMA_VERSION:
            return
        if version == 0 and not create:
            raise DatabaseMissing("store.pg_no_schema", path=self.path)
        with self.transaction():
            # one migrator at a time (another process may be migrating the same database)
            self.conn.execute("SELECT pg_advisory_xact_lock(4242001)")
            self.conn.script(VERSION_TABLE)
            version = self._pg_version()
            for step in range(version, SCHEMA_VERSION):
                self.conn.script(postgres_step(step, MIGRATIONS[step]))
                if MIGRATIONS[step] is _EVENT_CHAIN:
                    chain.backfill(self.conn)  # the events written before: hashed once, in order
            self.conn.execute("UPDATE callroom_schema SET version = ?", (SCHEMA_VERSION,))

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
        # the next link of the hash chain: inside this write transaction, so appends are linear
        chain.append(
            self.conn, fmt(at or self.now()) or "", operator, kind, task_id, batch_id,
            json.dumps(detail or {}, ensure_ascii=False), self.config.office,
        )  # fmt: skip

    def refresh_statistics(self) -> None:
        """After a bulk load (an import): PostgreSQL re-reads the tables' statistics, or its
        planner, taking a fresh list for a few rows, sorts every open task on each claim
        (~80 ms at 50,000) instead of walking the queue index (0.05 ms) until autovacuum gets
        to it. ANALYZE locks nothing callers use. SQLite: nothing to do."""
        if self.engine == "postgres" and not self.conn.in_transaction:
            self.conn.execute("ANALYZE tasks, attempts, batches, results")

    @_retried
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
