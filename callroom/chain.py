"""The audit log as a hash chain: each event stores the previous event's hash and its own.

An event's hash is SHA-256 over the previous event's hash and the event's own content (its id,
time, operator, kind, task, list and detail as stored), so editing, deleting or reordering a row
with plain SQL breaks the chain from that row on, and `callroom doctor` names the first broken
link. Appends happen inside the writer's transaction with an explicit id (the last id + 1):
on SQLite inside BEGIN IMMEDIATE (one writer at a time); on PostgreSQL behind a transaction-level
advisory lock taken before the head is read (held to commit), so two sessions never both append
after the same event and the chain stays linear. The event's office ([general] office) is hashed
when it has one, so events of a single office hash as before offices existed. No Textual here.

What the chain cannot see alone: the newest events deleted together with nothing after them, or
the whole tail rewritten with new hashes. `callroom doctor` prints the head of the chain (last id
and hash); a lead who notes it (in the day's report, on paper) anchors everything before it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = ""  # the "previous hash" of the first event
BACKFILL_ROWS = 5000  # events hashed per statement batch when a migration hashes old events


def event_hash(
    prev: str,
    event_id: int,
    at: str,
    operator: str,
    kind: str,
    task_id: int | None,
    batch_id: int | None,
    detail: str,
    office: str = "",
) -> str:
    """The hash of one event over its content and the previous event's hash."""
    fields: list[object] = [event_id, at, operator, kind, task_id, batch_id, detail]
    if office:
        fields.append(office)
    content = json.dumps(
        fields,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()


# PostgreSQL: the advisory lock that serialises appends (any fixed number of callroom's own)
PG_CHAIN_LOCK = 4242002
_COLUMNS = "id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash, office"


def head(conn: Any) -> tuple[int, str]:
    """The last event's id and hash ((0, GENESIS) for an empty log)."""
    row = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return 0, GENESIS
    return int(row[0]), row[1] or GENESIS


def locked_head(conn: Any) -> tuple[int, str]:
    """The head, with the right to append after it until the transaction ends."""
    if not isinstance(conn, sqlite3.Connection):
        # PostgreSQL (READ COMMITTED): wait for the session appending now to commit, then read
        # the head it wrote (each statement sees what was committed before it began)
        conn.execute(f"SELECT pg_advisory_xact_lock({PG_CHAIN_LOCK})")
    return head(conn)


def append(
    conn: Any,
    at: str,
    operator: str,
    kind: str,
    task_id: int | None,
    batch_id: int | None,
    detail: str,
    office: str = "",
) -> int:
    """Append one event inside the caller's open write transaction; returns its id."""
    last_id, prev = locked_head(conn)
    event_id = last_id + 1
    digest = event_hash(prev, event_id, at, operator, kind, task_id, batch_id, detail, office)
    conn.execute(
        "INSERT INTO events (id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash, "
        "office) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (event_id, at, operator, kind, task_id, batch_id, detail, prev, digest, office),
    )
    return event_id


def backfill(conn: Any, after: tuple[int, str] = (0, GENESIS)) -> int:
    """Hash the events written before the chain existed, in id order (inside the migration's
    transaction; the append-only trigger lets a row without a hash be given one, once). Also
    seals the rows a bulk insert added with explicit ids after ``after`` (the head it read
    with `locked_head`, in the same transaction): the results match's events."""
    last, prev = after
    done = 0
    while True:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?",
            (last, BACKFILL_ROWS),
        ).fetchall()
        if not rows:
            return done
        updates = []
        for r in rows:
            if r[8] is not None:  # already chained (a migration run twice): continue from it
                prev = r[8]
                continue
            digest = event_hash(prev, *r[:7], r[9] or "")
            updates.append((prev, digest, r[0]))
            prev = digest
        conn.executemany("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", updates)
        done += len(updates)
        last = rows[-1][0]


@dataclass(frozen=True)
class Verdict:
    """The result of checking the whole chain."""

    events: int  # events checked
    head_id: int
    head_hash: str
    broken_id: int | None = None  # the first event whose link does not hold
    problem: str = ""  # edited | missing_link | no_hash

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(rows: Iterable[tuple]) -> Verdict:
    """Walk events (id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash[,
    office]) in id order and name the first broken link: an edited row (its hash does not match its content),
    a deleted or inserted row (its prev_hash is not the hash before it), a row without a hash."""
    prev = GENESIS
    count = 0
    last_id = 0
    for r in rows:
        event_id, stored_prev, stored = r[0], r[7], r[8]
        count += 1
        if stored is None:
            return Verdict(count, last_id, prev, event_id, "no_hash")
        if (stored_prev or GENESIS) != prev:
            return Verdict(count, last_id, prev, event_id, "missing_link")
        office = r[9] if len(r) > 9 else ""
        if event_hash(prev, *r[:7], office or "") != stored:
            return Verdict(count, last_id, prev, event_id, "edited")
        prev, last_id = stored, event_id
    return Verdict(count, last_id, prev)


def verify_database(conn: Any) -> Verdict:
    """Check every event of the database behind ``conn`` (read only; either engine)."""
    return verify(conn.execute(f"SELECT {_COLUMNS} FROM events ORDER BY id"))
