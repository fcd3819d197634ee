"""What the store hands out: tasks, attempts and claims as dataclasses, and the shared formats
(local time as text, flags, priorities, the queue's order). No SQL runs here."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FLAGS = ("urgent", "elderly", "pregnant", "child", "patient", "disabled")
VULNERABLE = frozenset(FLAGS) - {"urgent"}
PRIORITY_URGENT = 2
PRIORITY_VULNERABLE = 1
PRIORITY_NORMAL = 0
# Task columns an attempt snapshots so undo can put them back exactly.
_UNDO_FIELDS = (
    "state", "attempts", "noncontacts", "next_at", "callback_by", "final_outcome",
    "closed_at", "closed_by", "active_phone", "dead_phones",
)  # fmt: skip


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
    grp: str = ""  # an inbound case's group ('' for an outbound task)
    compound: str = ""  # the residential compound a roster entry gave it
    created_at: str = ""  # the list's import, or the resident's first call (a case)

    @property
    def is_case(self) -> bool:
        return bool(self.grp)

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


# the queue's order: urgent/vulnerable, earliest deadline, due retries before new, list order
_QUEUE_ORDER = "priority DESC, coalesce(deadline, '9999'), state = 'pending', batch_id, seq"

# an inbound case's script is its group's form ("form:<name>", callroom.scripts)
_TASK_SELECT = (
    "SELECT tasks.*, batches.name AS batch_name, CASE WHEN tasks.grp = '' THEN batches.script "
    "ELSE coalesce((SELECT 'form:' || form FROM cases WHERE cases.task_id = tasks.id), "
    "batches.script) END AS script FROM tasks JOIN batches ON batches.id = tasks.batch_id"
)
