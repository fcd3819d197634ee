"""The audit log as a hash chain: each event stores the previous event's hash and its own.

An event's hash is SHA-256 over the previous event's hash and the event's own content (its id,
time, operator, kind, task, list and detail as stored), so editing, deleting or reordering a row
with plain SQL breaks the chain from that row on, and `callroom doctor` names the first broken
link. Appends happen inside the writer's BEGIN IMMEDIATE transaction with an explicit id (the
last id + 1): two processes can never both append after the same event (the second meets the
primary key), so the chain stays linear. No Textual here.

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
) -> str:
    """The hash of one event over its content and the previous event's hash."""
    content = json.dumps(
        [event_id, at, operator, kind, task_id, batch_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The last event's id and hash ((0, GENESIS) for an empty log)."""
    row = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return 0, GENESIS
    return int(row[0]), row[1] or GENESIS


def append(
    conn: sqlite3.Connection,
    at: str,
    operator: str,
    kind: str,
    task_id: int | None,
    batch_id: int | None,
    detail: str,
) -> int:
    """Append one event inside the caller's open write transaction; returns its id."""
    last_id, prev = head(conn)
    event_id = last_id + 1
    digest = event_hash(prev, event_id, at, operator, kind, task_id, batch_id, detail)
    conn.execute(
        "INSERT INTO events (id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        (event_id, at, operator, kind, task_id, batch_id, detail, prev, digest),
    )
    return event_id


def backfill(conn: sqlite3.Connection) -> int:
    """Hash the events written before the chain existed, in id order (inside the migration's
    transaction; the append-only trigger lets a row without a hash be given one, once)."""
    prev = GENESIS
    done = 0
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, at, operator, kind, task_id, batch_id, detail, hash FROM events "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (last, BACKFILL_ROWS),
        ).fetchall()
        if not rows:
            return done
        updates = []
        for r in rows:
            if r[7] is not None:  # already chained (a migration run twice): continue from it
                prev = r[7]
                continue
            digest = event_hash(prev, r[0], r[1], r[2], r[3], r[4], r[5], r[6])
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
    """Walk events (id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash) in id
    order and name the first broken link: an edited row (its hash does not match its content),
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
        if event_hash(prev, *r[:7]) != stored:
            return Verdict(count, last_id, prev, event_id, "edited")
        prev, last_id = stored, event_id
    return Verdict(count, last_id, prev)


def verify_database(conn: sqlite3.Connection) -> Verdict:
    """Check every event of the database behind ``conn`` (read only)."""
    cur = conn.execute(
        "SELECT id, at, operator, kind, task_id, batch_id, detail, prev_hash, hash FROM events "
        "ORDER BY id"
    )
    return verify(cur)
