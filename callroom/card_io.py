"""The caller screen's database work, done off the UI thread. No Textual here.

The screen never waits on SQLite: every write (record, claim, undo, release, renew, audit
events) and the reads that build a card run in worker threads on one extra connection of the
same session (so claims made here are the screen's claims), one at a time. While another
process holds the database (an import, a backup), a write waits in its thread, the screen stays
responsive and says so. WAL lets the screen's own connection keep reading meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callroom.results.evidence import Evidence, close_matched, evidence
from callroom.schedule import OPEN_STATES
from callroom.store import Attempt, Outlook, Recorded, Store, StoreBusy, StoreError, Task

# how long one try at a write may wait for the lock before the screen is told and it tries again
TRY_SECONDS = 1.0
BUSY_TIMEOUT_MS = 400


def is_busy(exc: BaseException) -> bool:
    """A write that failed only because another connection held the database."""
    if isinstance(exc, StoreBusy):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return "locked" in text or "busy" in text
    return False


@dataclass(frozen=True)
class CardData:
    """Everything a card shows that comes from the database, read in one go."""

    task: Task
    attempts: list[Attempt]
    history: list[tuple[Task, Attempt]]  # earlier lists, on any of the resident's numbers
    month_calls: dict[str, int]  # number -> calls to it this month (any task)
    case: Any = None  # an inbound case's cases row (callroom.inbound.desk.Case)
    roster: tuple[Any, ...] = ()  # the resident's roster entries (callroom.inbound.roster)
    # the resident's test (callroom/results): the one matched to this task, else the latest
    test: Evidence | None = None
    reopened: list[tuple[str, str]] = field(default_factory=list)  # (when, lead) a lead reopened

    @property
    def matched(self) -> bool:
        """Matched by the test results while open: the card offers to close it with one key."""
        return self.task.state in OPEN_STATES and self.task.test_result is not None


@dataclass(frozen=True)
class EmptyData:
    """Why there is no card: what the queue holds for later."""

    outlook: Outlook | None
    has_lists: bool
    error: StoreError | sqlite3.Error | None = None


@dataclass(frozen=True)
class Counts:
    done_today: int
    last_hour: int
    remaining: int


@dataclass
class Pending:
    """An outcome on its way to the database."""

    task: Task
    code: str
    answers: dict[str, str]
    note: str
    callback_at: datetime | None
    phone: str
    seconds: int | None
    timed_from: str
    inbound: bool
    cancel: threading.Event = field(default_factory=threading.Event)
    pledge: Any = None  # an inbound case completed: the pledge agreed (inbound.desk.Pledge)


class CardIO:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self._writer: Store | None = None

    @property
    def writer(self) -> Store:
        """The worker threads' connection: same database, clock and session as the screen's."""
        if self._writer is None:
            store = self.store
            if str(store.path) == ":memory:":
                self._writer = store  # tests only: one in-memory database, one connection
            else:
                writer = Store(store.config, store.location, clock=store.clock)
                writer.session = store.session
                writer.busy_deadline = TRY_SECONDS
                writer.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._writer = writer
        return self._writer

    def close(self) -> None:
        """Close the workers' connection, never under a worker still using it (that crashes
        the process): a job in flight gets a moment to finish, else the connection is left to
        the process's exit."""
        if not self.lock.acquire(timeout=3.0):
            return
        try:
            if self._writer is not None and self._writer is not self.store:
                self._writer.close()
            self._writer = None
        finally:
            self.lock.release()

    # -- reads --------------------------------------------------------------------------------

    def _card(self, task: Task) -> CardData:
        w = self.writer
        now = w.now()
        month_start = now.replace(day=1, hour=0, minute=0, second=0)
        from callroom.inbound import desk, roster  # no YAML or importer work: plain queries

        return CardData(
            task=task,
            attempts=w.attempts_for(task.id),
            history=w.phone_history(task.numbers, exclude_task=task.id),
            month_calls={n: w.calls_to_phone_since(n, month_start) for n in task.numbers},
            case=desk.get_case(w.conn, task.id) if task.is_case else None,
            roster=tuple(roster.entries_for(w.conn, task.numbers, task.id_number)),
            test=evidence(w, task),
            reopened=w.reopens(task.id),
        )

    def _empty(self, operator: str) -> EmptyData:
        w = self.writer
        try:
            look = w.outlook(operator)
            return EmptyData(look, bool(look.open_total) or bool(w.batches()))
        except (StoreError, sqlite3.Error) as exc:
            return EmptyData(None, True, exc)

    def counts(self, operator: str, since: datetime) -> Counts:
        with self.lock:
            w = self.writer
            return Counts(
                w.done_today(operator), w.calls_since(operator, since), w.queue_remaining()
            )

    # -- card changes -------------------------------------------------------------------------

    def next_card(self, operator: str, exclude: list[int]) -> CardData | EmptyData:
        with self.lock:
            task = self.writer.next_card(operator, exclude=exclude)
            return self._empty(operator) if task is None else self._card(task)

    def record_and_next(
        self, p: Pending, operator: str, exclude: list[int]
    ) -> tuple[Recorded, CardData | EmptyData]:
        """Write the outcome and claim the next card in one transaction, then read the card."""
        with self.lock:
            recorded, task = self.writer.record_and_next(
                p.task.id, p.code, operator, answers=p.answers, note=p.note,
                callback_at=p.callback_at, allow_closed=p.inbound, phone=p.phone,
                seconds=p.seconds, timed_from=p.timed_from, exclude=exclude, pledge=p.pledge,
            )  # fmt: skip
            return recorded, self._empty(operator) if task is None else self._card(task)

    def test_match(self, task_id: int) -> CardData | None:
        """The card again if the test results matched its task since it was shown (an import
        while the caller is on it), else None. A short read, on the lease timer."""
        with self.lock:
            w = self.writer
            row = w.conn.execute(
                "SELECT state, test_result FROM tasks WHERE id = ?", (task_id,)
            ).fetchone()
            if row is None or row[0] not in OPEN_STATES or row[1] is None:
                return None
            return self._card(w.get_task(task_id))

    def close_matched_and_next(
        self, task_id: int, operator: str, exclude: list[int]
    ) -> tuple[Task, CardData | EmptyData]:
        """The caller's key on a card the test results matched: close it, claim the next."""
        with self.lock:
            closed = close_matched(self.writer, task_id, operator)
        return closed, self.next_card(operator, exclude)

    def undo(self, operator: str) -> tuple[CardData, Attempt | None]:
        """Undo the caller's last action; the attempt undone (None: a `t` close was)."""
        with self.lock:
            task, attempt_id = self.writer.undo_action(operator)
            data = self._card(task)
        undone = next((a for a in data.attempts if a.id == attempt_id), None)
        return data, undone

    def skip(self, task_id: int, operator: str, exclude: list[int]) -> CardData | EmptyData:
        with self.lock:
            self.writer.release(task_id, operator, reason="skip")
        return self.next_card(operator, exclude)

    def claim(self, task_id: int, operator: str) -> CardData:
        with self.lock:
            return self._card(self.writer.claim_task(task_id, operator))

    def take(self, intake: Any, operator: str, complete: bool) -> Any:
        """An inbound call's case (callroom.inbound.desk.take), written on the workers' side."""
        from callroom.inbound import desk

        with self.lock:
            return desk.take(self.writer, intake, operator, complete)

    def release(self, task_id: int, operator: str, reason: str) -> None:
        with self.lock:
            self.writer.release(task_id, operator, reason=reason)

    def renew(self, task_id: int) -> bool:
        with self.lock:
            return self.writer.renew(task_id)

    def log_event(self, kind: str, operator: str, task_id: int | None = None,
                  detail: dict[str, object] | None = None) -> None:  # fmt: skip
        with self.lock:
            self.writer.log_event(kind, operator, task_id, detail=detail)
