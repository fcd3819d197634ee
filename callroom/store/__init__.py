"""The store: the only package that speaks SQL, on SQLite (embedded, the default) or PostgreSQL.

Its rooms:

- core.py: the Store (one connection, for one process or thread), transactions, migrations on
  open, the audit log; SQLite's file checks and rescue, PostgreSQL's connection and retries
- queue.py: the next card, claims (SQLite: one BEGIN IMMEDIATE; PostgreSQL: one UPDATE with
  FOR UPDATE SKIP LOCKED), leases, release, cards of ended sessions, "why nothing to call"
- recording.py: an outcome, undo, taking a found task onto the screen
- lead.py: the lead's audited actions; loading.py: lists in as batches and tasks
- queries.py: reading tasks, attempts and counts
- model.py: Task, Attempt, Claim...; local time as text; the queue's order
- schema.py: the migrations (SQLite text); schema_postgres.py: the same steps in PostgreSQL's
  DDL, same versions; retry.py: writers run again after a lock wait (PostgreSQL)
- engines/postgres.py: the psycopg 3 adapter (imported only for a postgresql:// database)

Every write is one transaction: on SQLite ``BEGIN IMMEDIATE`` retried on BUSY (its busy handler
is unfair under load), WAL + synchronous=FULL, so a committed outcome survives kill -9 and power
loss; on PostgreSQL READ COMMITTED with row locks. Times are naive local ``YYYY-MM-DD HH:MM:SS``
text on both engines: calling hours are local, and the fixed format keeps comparisons right.
"""

from __future__ import annotations

from callroom.db_errors import (
    DatabaseGone,
    DatabaseMissing,
    SchemaTooNew,
    StoreBusy,
    StoreError,
)
from callroom.store.core import Store
from callroom.store.loading import _INSERTABLE
from callroom.store.model import (
    _QUEUE_ORDER,
    _TASK_SELECT,
    _UNDO_FIELDS,
    FLAGS,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    PRIORITY_VULNERABLE,
    TIME_FORMAT,
    VULNERABLE,
    Attempt,
    Claim,
    Outlook,
    Recorded,
    Task,
    fmt,
    parse_time,
    priority_for,
    split_flags,
)
from callroom.store.schema import MIGRATIONS, SCHEMA_VERSION, _split_sql

__all__ = [
    "FLAGS", "MIGRATIONS", "PRIORITY_NORMAL", "PRIORITY_URGENT", "PRIORITY_VULNERABLE",
    "SCHEMA_VERSION", "TIME_FORMAT", "VULNERABLE", "_INSERTABLE", "_QUEUE_ORDER", "_TASK_SELECT",
    "_UNDO_FIELDS", "Attempt", "Claim", "DatabaseGone", "DatabaseMissing", "Outlook", "Recorded",
    "SchemaTooNew", "Store", "StoreBusy", "StoreError", "Task", "_split_sql", "fmt",
    "parse_time", "priority_for", "split_flags",
]  # fmt: skip
