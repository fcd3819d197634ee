"""Match open tasks against the test results: a task whose person has a test since arriving is
closed as "already tested (matched)" and nobody calls it.

The rules (README, *Test results*):

- **Who**: by ID number when the task and the result both have a valid one (a mother and her
  child share a phone: their IDs tell them apart), else by phone, any of the resident's own
  numbers (main and alternates). Never by name.
- **When**: a test on or after the task's arrival date; a task without one (or with an arrival
  that could not be read) takes tests from ``[results] window_days`` days before its list was
  imported. A test before that is context for the card ("上次检测 11-19，早于抵深"), not a match.
- **What**: negative, pending and unstated results close a task; a positive result, an invalid
  sample or a word we do not know never does (such a task stays to be called).
- **Held cards**: a task a caller holds on screen is not closed under her: it is given its
  evidence (``test_result``) and her card offers to close it with one key.
- **Linked rows** (the same phone open in an earlier list) follow their open task in every
  figure: only open tasks are matched.

Work is split like the list importer's: the candidates are found outside the write lock (in
memory as an export streams in, ``OpenTasks``; by joins for a list just imported or `callroom
results match`), the best test of each task chosen (``decide``), then the plan applied in a short
``BEGIN IMMEDIATE`` transaction that re-checks every task is still open and who holds it, with
set-based SQL over a private plan table. A long plan is applied
in several transactions sized by how long the last one held the lock, so callers never wait
behind it for long; matching is idempotent, so a cut-short run is completed by the next.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from callroom import chain
from callroom.results import CLOSES, MATCHED, POSITIVE
from callroom.results.evidence import threshold
from callroom.store import Store, fmt

EVENT = "test_matched"  # audit: a task closed by matching (its evidence's id, no personal data)
EVENT_HELD = "test_matched_on_screen"  # audit: the evidence given to a card a caller holds
PLAN = "results_plan"  # the private database of plans (attached; gone with the connection)
APPLY_ROWS = 50_000  # plan rows applied per transaction at first
LOCK_SECONDS = 0.3  # what one apply transaction aims to hold the write lock
MIN_APPLY_ROWS = 2_000
YIELD_SECONDS = 0.15  # the lock left free between two transactions (see importer/stage.py)
CACHE_KIB = 65536  # page cache while publishing (see big_cache)
_OPEN = "('pending', 'retry', 'callback')"
_VALID_ID = "t.id_number != '' AND t.id_flag IN ('', 'upgraded_from_15')"


@dataclass
class Outcome:
    """What one matching run did, counted for the summary (tasks, not results)."""

    closed: int = 0  # open tasks closed as already tested
    held: int = 0  # tasks on a caller's screen: given their evidence, the card offers to close
    before: int = 0  # tasks whose person was tested, but before arriving: still to call
    positive: int = 0  # tasks whose person has a positive result since arriving: still to call
    unclear: int = 0  # tasks whose only tests since arriving say neither negative nor pending
    seen: set[tuple[str, int]] = field(default_factory=set)  # results that met an open task

    def add(self, other: Outcome) -> None:
        self.closed += other.closed
        self.held += other.held


@dataclass(frozen=True)
class Candidate:
    task: int
    threshold: str  # YYYY-MM-DD: tests on or after this day count
    source: str  # "main" (results.id) or "stage" (the staged row of an import)
    ref: int
    tested_at: str
    result: str


# -- finding the candidates (outside the lock) -------------------------------------------------


# a candidate: (task, the first day a test counts for it, source, ref, tested_at, result);
# source "main": ref is results.id; "stage": ref is the staged row of an import
Row = tuple[int, str, str, int, str, str]


def _sources(stage: str | None) -> list[tuple[str, str, str]]:
    """(name, table, reference column) of the results to match against."""
    found = [("main", "main.results", "id")]
    if stage is not None:
        found.append(("stage", f"{stage}.rows", "seq"))
    return found


def candidate_rows(
    conn: sqlite3.Connection,
    where: str,
    params: dict[str, Any],
    window_days: int,
    stage: str | None = None,
    sources: tuple[str, ...] = ("main", "stage"),
) -> list[Row]:
    """Every pair of an open task (``where`` on tasks t) and a result of the same person by
    the rules above."""
    rows: list[Row] = []
    firsts: dict[tuple[str, str], str] = {}
    for name, table, ref in _sources(stage):
        if name not in sources:
            continue
        head = (
            f"SELECT t.id, t.arrival, b.imported_at, r.{ref}, r.tested_at, r.result "
            "FROM main.tasks t JOIN main.batches b ON b.id = t.batch_id"
        )
        scope = f"t.state IN {_OPEN} AND ({where})"
        other_id = f"NOT (r.id_number != '' AND {_VALID_ID})"
        # "r.x != ''" said again in each join: it is what lets SQLite use the partial indexes
        for sql in (
            f"{head} JOIN {table} r ON r.id_number = t.id_number AND r.id_number != '' "
            f"WHERE {scope} AND {_VALID_ID}",
            f"{head} JOIN {table} r ON r.phone = t.phone AND r.phone != '' "
            f"WHERE {scope} AND {other_id}",
            f"{head} JOIN json_each(t.alt_phones) j JOIN {table} r ON r.phone = j.value "
            f"AND r.phone != '' WHERE {scope} AND t.alt_phones != '[]' AND {other_id}",
        ):
            for task, arrival, listed, found, tested_at, result in conn.execute(sql, params):
                first = firsts.get((arrival, listed))
                if first is None:
                    first = firsts[arrival, listed] = threshold(arrival, listed, window_days)
                rows.append((task, first, name, found, tested_at, result))
    return rows


class OpenTasks:
    """The open tasks' ID numbers and phones in memory, so that each result of an export meets
    its tasks as it is read (a dictionary lookup, while the reader is busy with the next rows)
    instead of by joins over every open task afterwards."""

    def __init__(self, conn: sqlite3.Connection, window_days: int) -> None:
        self.conn, self.window_days = conn, window_days
        self.by_id: dict[str, list[int]] = {}
        self.by_phone: dict[str, list[int]] = {}
        self.valid_id: set[int] = set()
        self.first: dict[int, str] = {}
        self.top = -1  # the last task id known (loaded): tasks created later are matched after

    def load(self) -> None:
        """Read the open tasks, once (the first file of a command)."""
        if self.top >= 0:
            return
        conn, window_days = self.conn, self.window_days
        by_id: dict[str, list[int]] = defaultdict(list)
        by_phone: dict[str, list[int]] = defaultdict(list)
        firsts: dict[tuple[str, str], str] = {}
        self.top = conn.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0]
        for task, ident, flag, phone, alts, arrival, listed in conn.execute(
            "SELECT t.id, t.id_number, t.id_flag, t.phone, t.alt_phones, t.arrival, b.imported_at "
            f"FROM tasks t JOIN batches b ON b.id = t.batch_id WHERE t.state IN {_OPEN} "
            "AND t.id <= ?",
            (self.top,),
        ):
            first = firsts.get((arrival, listed))
            if first is None:
                first = firsts[arrival, listed] = threshold(arrival, listed, window_days)
            self.first[task] = first
            if ident and flag in ("", "upgraded_from_15"):
                by_id[ident].append(task)
                self.valid_id.add(task)
            by_phone[phone].append(task)
            if alts != "[]":
                for alt in json.loads(alts):
                    if alt != phone:
                        by_phone[alt].append(task)
        self.by_id, self.by_phone = dict(by_id), dict(by_phone)

    def meet(self, staged: Iterable[tuple[int, str, str, str, str]]) -> list[Row]:
        """Candidates of staged results: (seq, id_number, phone, tested_at, result) each."""
        rows: list[Row] = []
        by_id, by_phone, valid, first = self.by_id, self.by_phone, self.valid_id, self.first
        for seq, ident, phone, tested_at, result in staged:
            same_id = by_id.get(ident) if ident else None
            same_phone = by_phone.get(phone) if phone else None
            if same_id is None and same_phone is None:
                continue  # most of an export: people on no open list
            met = list(same_id or ())
            for task in same_phone or ():
                if not (ident and task in valid) and task not in met:
                    met.append(task)
            for task in met:
                rows.append((task, first[task], "stage", seq, tested_at, result))
        return rows


def known_results_of(conn: sqlite3.Connection, tasks: set[int], window_days: int) -> list[Row]:
    """The results already held for these tasks (those the new results meet)."""
    if not tasks or not conn.execute("SELECT EXISTS (SELECT 1 FROM main.results)").fetchone()[0]:
        return []
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS met (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.met")
    try:
        conn.executemany("INSERT INTO temp.met (id) VALUES (?)", [(t,) for t in sorted(tasks)])
        return candidate_rows(
            conn, "t.id IN (SELECT id FROM temp.met)", {}, window_days, sources=("main",)
        )
    finally:
        conn.execute("DELETE FROM temp.met")


def decide(rows: Iterable[Row]) -> tuple[list[Candidate], Outcome]:
    """The test that closes each task (the latest that counts), and what the others were."""
    by_task: dict[int, list[Row]] = defaultdict(list)
    outcome = Outcome()
    for row in rows:
        by_task[row[0]].append(row)
        outcome.seen.add((row[2], row[3]))
    chosen: list[Candidate] = []
    for task, found in by_task.items():
        first = found[0][1]
        since = [r for r in found if r[4][:10] >= first]
        if not since:
            outcome.before += 1
            continue
        if any(r[5] == POSITIVE for r in since):
            outcome.positive += 1
            continue
        closing = [r for r in since if r[5] in CLOSES]
        if not closing:
            outcome.unclear += 1
            continue
        best = max(closing, key=lambda r: (r[4], r[2] == "main", r[3]))
        chosen.append(Candidate(task, first, best[2], best[3], best[4], best[5]))
    return chosen, outcome


# -- applying a plan (inside the lock) ---------------------------------------------------------


class Plan:
    """Candidates in a private table, applied in short transactions."""

    def __init__(self, store: Store, stage: str | None = None) -> None:
        self.store = store
        self.conn = store.conn
        self.stage = stage
        self.conn.execute(f"ATTACH DATABASE '' AS {PLAN}")
        try:
            for pragma in ("journal_mode = OFF", "synchronous = OFF"):
                self.conn.execute(f"PRAGMA {PLAN}.{pragma}").fetchall()
            self.conn.execute(
                f"CREATE TABLE {PLAN}.plan (n INTEGER PRIMARY KEY, task INTEGER NOT NULL, "
                "source TEXT NOT NULL, ref INTEGER NOT NULL)"
            )
            self.conn.execute(
                f"CREATE TABLE {PLAN}.ok (task INTEGER PRIMARY KEY, result INTEGER NOT NULL, "
                "held INTEGER NOT NULL)"
            )
        except BaseException:
            self.close()
            raise
        self.rows = 0
        self.base = 0  # a staged result's id, when new: base + its row (set by the import)

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        with suppress(sqlite3.Error):
            self.conn.execute(f"DETACH DATABASE {PLAN}")

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fill(self, chosen: list[Candidate]) -> None:
        """The plan, its staged results last (ordered by their row: a chunk of staged rows
        applies the plan rows that need them)."""
        chosen = sorted(chosen, key=lambda c: (c.source == "stage", c.ref))
        self.conn.execute("BEGIN")  # the private plan database only
        try:
            self.conn.execute(f"DELETE FROM {PLAN}.plan")
            self.conn.executemany(
                f"INSERT INTO {PLAN}.plan (task, source, ref) VALUES (?, ?, ?)",
                [(c.task, c.source, c.ref) for c in chosen],
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.rows = len(chosen)

    def apply(self, operator: str, first: int = 1, last: int | None = None) -> Outcome:
        """Inside an open transaction: plan rows ``first``..``last`` (all by default). Tasks no
        longer open are left alone; a task a live session holds gets its evidence only."""
        conn, now = self.conn, fmt(self.store.now())
        last = self.rows if last is None else last
        conn.execute(f"DELETE FROM {PLAN}.ok")
        if self.stage is not None:
            # a staged result: the id it had already, else the one it was given (base + row)
            staged = (
                f"LEFT JOIN {self.stage}.rows s ON p.source = 'stage' AND s.seq = p.ref "
                "JOIN main.results r ON r.id = CASE p.source WHEN 'main' THEN p.ref "
                "ELSE coalesce(s.known, :base + s.seq) END"
            )
        else:
            staged = "JOIN main.results r ON r.id = p.ref"
        # the result must still be there (a purge may have run meanwhile)
        conn.execute(
            f"INSERT INTO {PLAN}.ok (task, result, held) "
            "SELECT p.task, r.id, "
            "CASE WHEN t.claim_session IS NOT NULL AND t.lease_until > :now THEN 1 ELSE 0 END "
            f"FROM {PLAN}.plan p JOIN main.tasks t ON t.id = p.task {staged} "
            f"WHERE p.n BETWEEN :first AND :last AND t.state IN {_OPEN}",
            {"now": now, "first": first, "last": last, "base": self.base},
        )
        # a held card that already shows this very test: nothing new to say
        conn.execute(
            f"DELETE FROM {PLAN}.ok WHERE held != 0 AND result = "
            "(SELECT test_result FROM main.tasks WHERE id = ok.task)"
        )
        counts = conn.execute(f"SELECT count(*), coalesce(sum(held), 0) FROM {PLAN}.ok").fetchone()
        if not counts[0]:
            return Outcome()
        # links of the audit chain: numbered after its head here, hashed just below
        head = chain.locked_head(conn)
        conn.execute(
            "INSERT INTO main.events (id, at, operator, kind, task_id, batch_id, detail) "
            "SELECT :head + row_number() OVER (ORDER BY ok.task), :now, :op, "
            f"CASE WHEN ok.held != 0 THEN '{EVENT_HELD}' ELSE '{EVENT}' END, "
            "ok.task, t.batch_id, CASE WHEN ok.held != 0 THEN json_object('result', ok.result, "
            "'held_by', t.claim_by) ELSE json_object('result', ok.result) END "
            f"FROM {PLAN}.ok ok JOIN main.tasks t ON t.id = ok.task ORDER BY ok.task",
            {"now": now, "op": operator, "head": head[0]},
        )
        chain.backfill(conn, after=head)
        # "id IN (...)": each task found by its rowid (an UPDATE ... FROM walked every task)
        evidence = f"(SELECT ok.result FROM {PLAN}.ok ok WHERE ok.task = tasks.id)"
        conn.execute(
            f"UPDATE main.tasks SET state = 'done', final_outcome = '{MATCHED}', closed_at = :now, "
            f"closed_by = :op, next_at = NULL, callback_by = NULL, test_result = {evidence}, "
            "version = version + 1, updated_at = :now "
            f"WHERE id IN (SELECT task FROM {PLAN}.ok WHERE held = 0)",
            {"now": now, "op": operator},
        )
        conn.execute(
            f"UPDATE main.tasks SET test_result = {evidence}, updated_at = :now "
            f"WHERE id IN (SELECT task FROM {PLAN}.ok WHERE held != 0)",
            {"now": now},
        )
        held = int(counts[1])
        return Outcome(closed=counts[0] - held, held=held)

    def apply_all(self, operator: str) -> Outcome:
        """The whole plan: one transaction when short, else several, each sized to hold the
        lock about LOCK_SECONDS, the lock left free between them."""
        done = Outcome()
        start, size = 1, APPLY_ROWS
        while start <= self.rows:
            end = min(start + size - 1, self.rows)
            began = time.monotonic()
            with self.store.transaction():
                done.add(self.apply(operator, start, end))
            held = max(time.monotonic() - began, 0.001)
            size = max(MIN_APPLY_ROWS, min(APPLY_ROWS, int(size * LOCK_SECONDS / held)))
            start = end + 1
            if start <= self.rows:
                time.sleep(YIELD_SECONDS)
        return done


@contextmanager
def big_cache(store: Store) -> Iterator[None]:
    """A page cache sized for writing tens of thousands of rows into the results' and the
    tasks' indexes at random places (SQLite's default 2 MiB spills to the log again and again,
    and callers wait longer for the lock): for the publish only. (Each commit of it copies the
    log into the database, as usual: turning that off made callers' saves do it, slower.)"""
    conn = store.conn
    previous = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    conn.execute(f"PRAGMA main.cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA main.cache_size = {previous}")
        conn.execute("PRAGMA shrink_memory")


# -- the runs ------------------------------------------------------------------------------------


def preview_staged(
    store: Store, stage: str, file: int, listed_at: str, cutoff: str | None, verified: set[str]
) -> int:
    """How many of a staged list's rows the results held would close once imported (what
    `callroom import --dry-run` says): the rows that would become new tasks (not linked to an
    open task, not a duplicate of one verified since ``cutoff``), by the rules above. Read-only."""
    if not has_results(store):
        return 0
    conn, window_days = store.conn, store.config.window_days
    codes = sorted(verified) if cutoff is not None else []
    done = ",".join(f":v{i}" for i in range(len(codes)))
    settled = f"o.state IN {_OPEN}" + (
        f" OR (o.state = 'done' AND o.closed_at >= :cutoff AND o.final_outcome IN ({done}))"
        if codes else ""
    )  # fmt: skip
    # (a phone of an earlier file of the same command is linked to that file's new task)
    new = (
        "s.file = :file AND NOT EXISTS (SELECT 1 FROM main.tasks o WHERE o.phone = s.phone "
        f"AND ({settled})) AND NOT EXISTS (SELECT 1 FROM {stage}.rows e "
        "WHERE e.file < :file AND e.phone = s.phone)"
    )
    params: dict[str, Any] = {"file": file, "cutoff": cutoff}
    params.update({f"v{i}": v for i, v in enumerate(codes)})
    valid_id = "s.id_number != '' AND s.id_flag IN ('', 'upgraded_from_15')"
    other_id = f"NOT (r.id_number != '' AND {valid_id})"
    head = f"SELECT s.seq, s.arrival, r.id, r.tested_at, r.result FROM {stage}.rows s"
    rows: list[Row] = []
    firsts: dict[str, str] = {}
    for sql in (
        f"{head} JOIN main.results r ON r.id_number = s.id_number AND r.id_number != '' "
        f"WHERE {new} AND {valid_id}",
        f"{head} JOIN main.results r ON r.phone = s.phone AND r.phone != '' "
        f"WHERE {new} AND {other_id}",
        f"{head} JOIN json_each(s.alt_phones) j JOIN main.results r ON r.phone = j.value "
        f"AND r.phone != '' WHERE {new} AND s.alt_phones != '[]' AND {other_id}",
    ):
        for seq, arrival, found, tested_at, result in conn.execute(sql, params):
            first = firsts.get(arrival)
            if first is None:
                first = firsts[arrival] = threshold(arrival, listed_at, window_days)
            rows.append((seq, first, "main", found, tested_at, result))
    chosen, _ = decide(rows)
    return len(chosen)


def has_results(store: Store) -> bool:
    return store.conn.execute("SELECT EXISTS (SELECT 1 FROM results)").fetchone()[0] == 1


def match_open_tasks(
    store: Store, operator: str, batch_ids: list[int] | None = None, since_task: int = 0
) -> Outcome:
    """Match the open tasks (of these lists, or all; with ``since_task``, those created after
    it) against the results already known: after a list is imported, after a results import
    for the lists imported meanwhile, and by `callroom results match`."""
    if not has_results(store):
        return Outcome()
    params: dict[str, Any] = {"since": since_task}
    where = "t.id > :since"
    if batch_ids is not None:
        if not batch_ids:
            return Outcome()
        params.update({f"b{i}": b for i, b in enumerate(batch_ids)})
        where += f" AND t.batch_id IN ({', '.join(f':b{i}' for i in range(len(batch_ids)))})"
    chosen, found = decide(candidate_rows(store.conn, where, params, store.config.window_days))
    if chosen:
        with Plan(store) as plan, big_cache(store):
            plan.fill(chosen)
            found.add(plan.apply_all(operator))
    return found
