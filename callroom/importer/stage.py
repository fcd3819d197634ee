"""Stage a list's records out of the callers' way, then publish them in one short transaction.

Callers record outcomes all day; an import must never make them wait. So nothing of a list goes
into the database while it is read: records are staged in a private temporary database attached
to the importer's connection (``ATTACH '' AS import_stage``: SQLite deletes it when the
connection closes, or when the process dies), merged there when a phone repeats, and only then
published:

    BEGIN IMMEDIATE
      the batch row; for each staged phone, the earlier tasks with that phone (one join on the
      phone index): linked to an open one, or a duplicate of one verified within dedup_days
      (re-checked here, inside the lock, against whatever happened while the list was read);
      INSERT INTO tasks SELECT ... FROM import_stage.rows;  the audit event; remembered layouts
    COMMIT

All or nothing: before the COMMIT no caller sees any of it; a kill, an error or Ctrl-C leaves
nothing behind (the staging database disappears with the process). The write lock is held for
the publish only: ~0.3 s for 100,000 rows (benchmarks/README.md). A list of more than
PUBLISH_ROWS rows is published in several such transactions, so no caller waits longer behind
a list of any size: see publish().
"""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from callroom import ids, schedule
from callroom.importer.model import ImportFailed, ImportReport
from callroom.importer.rows import MAX_CELL, RECORD, flags_text
from callroom.store import Store, fmt, priority_for, split_flags

STAGE = "import_stage"
PUBLISH_ROWS = 100_000  # staged rows published per transaction: ~0.3 s of write lock
PUBLISH_CACHE_MAX = 65536  # KiB of page cache at most while publishing into a big store
YIELD_SECONDS = 0.15  # the write lock left free between two publish transactions
LOCK_SECONDS = 0.3  # what one of a very long list's publish transactions aims to hold the lock
MIN_PUBLISH_ROWS = 5_000
_LOOKUP = 500  # phones per IN (...) query, well under SQLite's variable limit
_SEEN_MASK = (1 << 23) - 1  # bits of the staged-phones bitmap, less one
_SETTLED = ("state", "final_outcome", "closed_at", "closed_by", "duplicate_of", "linked_to")
_COLUMNS = ("file", *RECORD)
_INDEX = {name: i for i, name in enumerate(RECORD)}
_TEXT_AT = tuple(_INDEX[c] for c in ("name", "place", "address", "source_note"))
_TEXTS = ("name", "place", "address", "source_note")
# what a merge can change (never the phone: its index entry stays put)
_MERGED = tuple(_INDEX[c] for c in RECORD if c not in ("phone", "phone_raw", "phone_flag"))


@dataclass
class Job:
    """One file of the command, as it will be published."""

    report: ImportReport
    digest: str
    name: str
    source_file: str
    script: str
    deadline: Any  # datetime | None
    again: bool
    layouts: list[dict[str, Any]] = field(default_factory=list)  # to remember (layouts.save)


class Stage:
    """The staging area of one import command (all its files)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self.staged: dict[int, int] = defaultdict(int)  # file -> rows staged (new tasks-to-be)
        # file -> flags text -> staged rows with those flags (the summary's "flagged" figures)
        self.flags: dict[int, Counter[str]] = defaultdict(Counter)
        self.settled_flags: dict[int, Counter[str]] = defaultdict(Counter)  # linked, duplicates
        # file -> a bitmap of the phones staged (a one-hash Bloom filter): 1 MiB, whatever the list
        self.seen: dict[int, bytearray] = defaultdict(lambda: bytearray((_SEEN_MASK + 1) // 8))
        self.conn.execute(f"ATTACH DATABASE '' AS {STAGE}")
        try:
            for pragma in ("journal_mode = OFF", "cache_size = -2048", "synchronous = OFF"):
                self.conn.execute(f"PRAGMA {STAGE}.{pragma}").fetchall()
            columns = ", ".join(f"{c} {'INTEGER' if c in ('file', 'priority') else 'TEXT'}"
                                for c in _COLUMNS)  # fmt: skip
            self.conn.execute(
                f"CREATE TABLE {STAGE}.rows (seq INTEGER PRIMARY KEY, {columns}, "
                "state TEXT NOT NULL DEFAULT 'pending', final_outcome TEXT, closed_at TEXT, "
                "closed_by TEXT, duplicate_of INTEGER, linked_to INTEGER)"
            )
            self.conn.execute(f"CREATE INDEX {STAGE}.rows_phone ON rows(file, phone)")
        except BaseException:
            self.close()
            raise
        # a file's rows are staged one after the other: its n-th new task is the row at base + n
        self.base: dict[int, int] = {}
        sets = ", ".join(f"{RECORD[i]} = ?" for i in _MERGED)
        self._update = f"UPDATE {STAGE}.rows SET {sets} WHERE seq = ?"

    def _insert(self, file: int) -> str:
        marks = ", ".join("?" * len(RECORD))
        return f"INSERT INTO {STAGE}.rows (file, {', '.join(RECORD)}) VALUES ({int(file)}, {marks})"

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        with suppress(sqlite3.Error):
            self.conn.execute(f"DETACH DATABASE {STAGE}")

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- staging -----------------------------------------------------------------------------

    def add(self, file: int, records: Iterable[tuple[Any, ...]]) -> int:
        """Stage a chunk of records of one file; returns how many were merged into an earlier
        row with the same phone (in this chunk or an earlier one)."""
        pending: dict[str, Any] = {}  # phone -> the first record (a tuple until merged into)
        merged = 0
        for rec in records:
            first = pending.get(rec[1])
            if first is None:
                pending[rec[1]] = rec
            else:
                if type(first) is tuple:
                    first = pending[rec[1]] = list(first)
                merge(first, rec)
                merged += 1
        if not pending:
            return 0
        # only phones that may have been staged before are looked up (most are new)
        seen = self.seen[file]
        maybe = []
        for phone in pending:
            bit = hash(phone) & _SEEN_MASK
            if seen[bit >> 3] & (1 << (bit & 7)):
                maybe.append(phone)
            else:
                seen[bit >> 3] |= 1 << (bit & 7)
        earlier = self._staged(file, maybe) if maybe else {}
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        n = self.staged[file]
        if file not in self.base:
            top = self.conn.execute(f"SELECT coalesce(max(seq), 0) FROM {STAGE}.rows").fetchone()
            self.base[file] = top[0]
        flags = self.flags[file]
        at = _INDEX["flags"]
        for phone, rec in pending.items():
            row = earlier.get(phone)
            if row is None:
                n += 1
                inserts.append(rec)  # as the reader sent it: no tuple rebuilt per row
                if rec[at]:
                    flags[rec[at]] += 1
            else:
                seq, first = row[0], list(row[1:])
                before = first[at]
                merge(first, rec)
                updates.append((*(first[i] for i in _MERGED), seq))
                merged += 1
                if first[at] != before:
                    flags[before] -= 1
                    flags[first[at]] += 1
        self.conn.execute("BEGIN")  # the staging database only: no lock on the real one
        try:
            if inserts:
                self.conn.executemany(self._insert(file), inserts)
            if updates:
                self.conn.executemany(self._update, updates)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.staged[file] = n
        return merged

    def _staged(self, file: int, phones: list[str]) -> dict[str, tuple[Any, ...]]:
        if not self.staged[file]:
            return {}
        found: dict[str, tuple[Any, ...]] = {}
        columns = ", ".join(RECORD)
        for i in range(0, len(phones), _LOOKUP):
            part = phones[i : i + _LOOKUP]
            rows = self.conn.execute(
                f"SELECT seq, {columns} FROM {STAGE}.rows WHERE file = ? AND phone IN "
                f"({','.join('?' * len(part))})",
                (file, *part),
            ).fetchall()
            for row in rows:
                found[row[2]] = tuple(row)
        return found

    # -- publishing --------------------------------------------------------------------------

    def publish(self, jobs: list[Job], operator: str) -> None:
        """Make every staged list visible: one transaction when the command stages up to
        PUBLISH_ROWS rows (all or nothing across its files), else one per PUBLISH_ROWS rows."""
        # The store's indexes take random inserts (the phone index above all): with SQLite's
        # default 2 MiB of cache a publish into a store of 650,000 tasks took 0.6 s instead of
        # 0.35 s. A cache sized by the store, for the publish only, keeps it flat.
        known = self.conn.execute("SELECT coalesce(max(id), 0) FROM main.tasks").fetchone()[0]
        cache = min(PUBLISH_CACHE_MAX, max(2048, known // 10))  # KiB: ~100 bytes a task
        previous = self.conn.execute("PRAGMA main.cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA main.cache_size = -{cache}")
        try:
            self._publish(jobs, operator)
        finally:
            self.conn.execute(f"PRAGMA main.cache_size = {previous}")
            if cache > 2048:
                self.conn.execute("PRAGMA shrink_memory")

    def _publish(self, jobs: list[Job], operator: str) -> None:
        from callroom.importer import layouts

        store = self.store
        total = sum(self.staged.values())
        # PostgreSQL: one transaction whatever the length (it locks the rows it links, never
        # the table: callers claim and record meanwhile)
        if total <= PUBLISH_ROWS or store.engine == "postgres":
            with store.transaction():
                for file, job in enumerate(jobs):
                    batch_id = self._batch(file, job, operator)
                    self._publish_rows(file, job, batch_id, operator, 1, self.staged[file])
                    self._finish(file, job, batch_id, operator)
                    layouts.save_all(store, job.layouts, operator)
            return
        # A very long list: one short transaction per PUBLISH_ROWS rows, so that no caller waits
        # behind it. The list counts as imported from its first transaction on; its batch row
        # says "incomplete" until the last, so a crash halfway (kill -9, power loss) leaves a
        # list that says so, and the next import tells how to complete it. Ctrl-C waits.
        with _no_interrupt():
            for file, job in enumerate(jobs):
                with store.transaction():
                    batch_id = self._batch(file, job, operator, incomplete=True)
                    layouts.save_all(store, job.layouts, operator)
                start, size = 1, PUBLISH_ROWS
                while start <= self.staged[file]:
                    end = min(start + size - 1, self.staged[file])
                    began = time.monotonic()
                    with store.transaction():
                        self._publish_rows(file, job, batch_id, operator, start, end)
                    held = max(time.monotonic() - began, 0.001)
                    # the next transaction sized to hold the lock ~LOCK_SECONDS on this machine,
                    # as busy as it is now
                    size = max(MIN_PUBLISH_ROWS, min(PUBLISH_ROWS, int(size * LOCK_SECONDS / held)))
                    start = end + 1
                    # a caller that waited for this transaction sleeps in SQLite's busy handler
                    # (up to 100 ms at a time): leave it the lock, or it waits for the next one too
                    time.sleep(YIELD_SECONDS)
                with store.transaction():
                    self._finish(file, job, batch_id, operator)

    def _batch(self, file: int, job: Job, operator: str, incomplete: bool = False) -> int:
        store = self.store
        if not job.again:
            earlier = store.conn.execute(
                "SELECT id, name, imported_at FROM batches WHERE sha256 = ? ORDER BY id LIMIT 1",
                (job.digest,),
            ).fetchone()
            if earlier is not None:  # imported by someone else while this one was read
                raise ImportFailed(
                    "already", path=job.report.file, id=earlier["id"], name=earlier["name"],
                    at=earlier["imported_at"],
                )  # fmt: skip
        counts = {"incomplete": True} if incomplete else None
        batch_id = store.insert_batch_row(
            job.name, operator, job.source_file, job.digest, job.script, job.deadline, 0, counts
        )
        job.report.batch_id = batch_id
        return batch_id

    def _publish_rows(
        self, file: int, job: Job, batch_id: int, operator: str, start: int, end: int
    ) -> None:
        self._dedup(file, job, operator, start, end, write=True)
        now = fmt(self.store.now())
        columns = ("batch_id", "seq", "deadline", "created_at", "updated_at",
                   *[c for c in RECORD], *_SETTLED)  # fmt: skip
        picked = ("?", "seq - ?", "?", "?", "?", *RECORD, *_SETTLED)
        base = self.base.get(file, 0)
        self.conn.execute(
            f"INSERT INTO main.tasks ({', '.join(columns)}) SELECT {', '.join(picked)} "
            f"FROM {STAGE}.rows WHERE seq BETWEEN ? AND ? ORDER BY seq",
            (batch_id, base, fmt(job.deadline), now, now, base + start, base + end),
        )

    def _finish(self, file: int, job: Job, batch_id: int, operator: str) -> None:
        from callroom.inbound import roster

        report = job.report
        self._count_flags(file, report)
        # the roster's flags and compound for the residents on it (by phone or ID number)
        report.roster_matched = roster.apply(self.store, batch_id=batch_id)
        report.tasks_created = self.staged[file] - report.linked - report.auto_resolved
        self.conn.execute(
            "UPDATE batches SET rows_read = ?, tasks_created = ?, counts = ? WHERE id = ?",
            (report.rows_read, report.tasks_created,
             json.dumps(report.counts(), ensure_ascii=False), batch_id),
        )  # fmt: skip
        self.store.add_event("import", operator, batch_id=batch_id, detail=report.counts())

    def _count_flags(self, file: int, report: ImportReport) -> None:
        """Flags of the tasks to call: every staged row's, less the linked or settled ones'."""
        counts = Counter(self.flags[file])
        counts.subtract(self.settled_flags[file])
        report.flagged.clear()
        for text, n in counts.items():
            if n > 0 and text:
                for flag in split_flags(text):
                    report.flagged[flag] += n

    def dry_run(self, jobs: list[Job], operator: str) -> None:
        """The figures a publish would give, read-only."""
        for file, job in enumerate(jobs):
            self._dedup(file, job, operator, 1, self.staged[file], write=False)
            self._count_flags(file, job.report)
            report = job.report
            report.tasks_created = self.staged[file] - report.linked - report.auto_resolved

    def _dedup(self, file: int, job: Job, operator: str, start: int, end: int, write: bool) -> None:
        """Settle each staged phone against the tasks already in the database: linked to an open
        task (which inherits the new list's urgency and earlier deadline), or a duplicate of one
        verified within dedup_days. Runs inside the publish transaction: nothing that happened
        while the list was read is missed."""
        store, report = self.store, job.report
        config = store.config
        now = store.now()
        verified = {o.code for o in config.outcomes if o.verified}
        cutoff = fmt(now - timedelta(days=config.dedup_days)) if config.dedup_days else None
        # probe the smaller side's index: a short list into a big store walks the list, a long
        # list into a young store walks the store's tasks
        known = self.conn.execute("SELECT coalesce(max(id), 0) FROM main.tasks").fetchone()[0]
        if known < end - start:
            join = f"main.tasks t CROSS JOIN {STAGE}.rows s ON s.file = ? AND s.phone = t.phone"
        else:  # +s.file: walk this chunk's rows by their rowid, not every row of the file
            join = f"{STAGE}.rows s JOIN main.tasks t ON t.phone = s.phone AND +s.file = ?"
        rows = self.conn.execute(
            "SELECT s.seq, s.flags AS new_flags, t.id, t.state, t.final_outcome, t.closed_at, "
            f"t.priority, t.flags, t.deadline FROM {join} "
            "WHERE s.seq BETWEEN ? AND ? ORDER BY s.seq, t.id",
            (file, self.base.get(file, 0) + start, self.base.get(file, 0) + end),
        ).fetchall()
        by_seq: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_seq[row["seq"]].append(row)
        settled: list[tuple[Any, ...]] = []
        nowf = fmt(now)
        for seq, earlier in by_seq.items():
            open_task = next((r for r in earlier if r["state"] in schedule.OPEN_STATES), None)
            hits = [
                r for r in earlier
                if cutoff is not None and r["state"] == schedule.DONE
                and r["final_outcome"] in verified and (r["closed_at"] or "") >= cutoff
            ]  # fmt: skip
            new_flags = earlier[0]["new_flags"]
            if open_task is not None:
                report.linked += 1
                settled.append((schedule.LINKED, None, nowf, operator, None, open_task["id"], seq))
                if write:
                    self._bump(open_task, set(split_flags(new_flags)), job, operator)
            elif hits:
                report.auto_resolved += 1
                last = hits[-1]
                settled.append(
                    (schedule.DUPLICATE, last["final_outcome"], nowf, operator, last["id"], None,
                     seq)
                )  # fmt: skip
            else:
                continue
            if new_flags:
                self.settled_flags[file][new_flags] += 1
        if write and settled:
            self.conn.executemany(
                f"UPDATE {STAGE}.rows SET state = ?, final_outcome = ?, closed_at = ?, "
                "closed_by = ?, duplicate_of = ?, linked_to = ? WHERE seq = ?",
                settled,
            )

    def _bump(self, target: Any, new_flags: set[str], job: Job, operator: str) -> None:
        """The open task inherits the new list's urgency and earlier deadline."""
        flags = set(split_flags(target["flags"])) | new_flags
        priority = max(target["priority"], priority_for(flags))
        deadline_text = fmt(job.deadline)
        deadlines = [d for d in (target["deadline"], deadline_text) if d]
        deadline = min(deadlines) if deadlines else None
        if (priority, flags_text(flags), deadline) == (
            target["priority"], target["flags"], target["deadline"]
        ):  # fmt: skip
            return
        self.conn.execute(
            "UPDATE main.tasks SET priority = ?, flags = ?, deadline = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ?",
            (priority, flags_text(flags), deadline, fmt(self.store.now()), target["id"]),
        )
        self.store.add_event(
            "link_bump", operator, task_id=target["id"], batch_id=job.report.batch_id,
            detail={"priority": priority, "flags": flags_text(flags), "deadline": deadline},
        )  # fmt: skip


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Ctrl-C waits until a list published in several transactions is whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def incomplete_batches(store: Store) -> list[Any]:
    """Lists whose publishing was cut short (see Stage.publish)."""
    return store.conn.execute(
        "SELECT b.id, b.name, b.source_file, (SELECT count(*) FROM tasks t WHERE t.batch_id = b.id)"
        " AS tasks FROM batches b WHERE json_extract(b.counts, '$.incomplete') = 1 ORDER BY b.id"
    ).fetchall()


def merge(into: list[Any], other: tuple[Any, ...] | list[Any]) -> None:
    """Fold a later record about the same phone into the first one (both in RECORD order);
    nothing said is lost."""
    x = _INDEX
    for i in _TEXT_AT:
        a, b = into[i], other[i]
        if b and b != a:
            if not a:
                into[i] = b
            elif b not in a:
                into[i] = f"{a} / {b}"[:MAX_CELL]
    for i in (x["arrival"], x["phone_ext"]):
        if not into[i] and other[i]:
            into[i] = other[i]
    i, f = x["id_number"], x["id_flag"]
    if (
        other[i]
        and other[i] != into[i]
        and (not into[i] or (_suspect(into[f]) and not _suspect(other[f])))
    ):
        into[i], into[f] = other[i], other[f]
    phone, alt = x["phone"], x["alt_phones"]
    if other[alt] != "[]" or other[phone] != into[phone]:
        alts = json.loads(into[alt] or "[]")
        for p in [other[phone], *json.loads(other[alt] or "[]")]:
            if p != into[phone] and p not in alts:
                alts.append(p)
        into[alt] = json.dumps(alts) if alts else "[]"
    if other[x["extra"]] not in ("{}", "", None):
        extra = json.loads(into[x["extra"]] or "{}")
        for key, value in json.loads(other[x["extra"]]).items():
            if key not in extra or not extra[key]:
                extra[key] = value
            elif value and value not in extra[key]:
                extra[key] = f"{extra[key]} / {value}"[:MAX_CELL]
        into[x["extra"]] = json.dumps(extra, ensure_ascii=False)
    fl = x["flags"]
    if other[fl] and other[fl] != into[fl]:
        flags = set(split_flags(into[fl])) | set(split_flags(other[fl]))
        into[fl] = flags_text(flags)
        into[x["priority"]] = priority_for(flags)
    into[x["source_row"]] = f"{into[x['source_row']]},{other[x['source_row']]}"[:400]


def _suspect(flag: str) -> bool:
    return (flag or "") not in (ids.OK, ids.UPGRADED)
