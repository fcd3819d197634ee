"""Pure scheduling rules: (task, outcome, config, now) -> the task's next state. No I/O.

Kept apart from the store so every rule is tested without a database and the surge drill can
reuse exactly the same decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from callroom.config import Config, Outcome

# Task states. Open states can be offered to a caller; the rest are closed.
PENDING = "pending"  # never called
RETRY = "retry"  # not reached, waits until next_at
CALLBACK = "callback"  # a time was agreed with the resident
DONE = "done"  # final outcome recorded
FIELD_VISIT = "field_visit"  # unreachable by phone: someone must go to the address
DUPLICATE = "duplicate"  # auto-resolved at import: verified recently under another task
LINKED = "linked"  # same phone already open under another task (linked_to): its result counts
OPEN_STATES = (PENDING, RETRY, CALLBACK)
CLOSED_STATES = (DONE, FIELD_VISIT, DUPLICATE, LINKED)
STATES = OPEN_STATES + CLOSED_STATES


class ScheduleError(ValueError):
    """The outcome cannot be applied as asked (e.g. a callback without a time)."""


@dataclass(frozen=True)
class TaskCounters:
    """The part of a task the rules look at."""

    attempts: int
    noncontacts: int
    urgent: bool = False


@dataclass(frozen=True)
class Transition:
    state: str
    next_at: datetime | None
    callback_by: str | None
    final_outcome: str | None
    attempts: int
    noncontacts: int


def next_state(
    task: TaskCounters,
    outcome: Outcome,
    config: Config,
    now: datetime,
    operator: str,
    callback_at: datetime | None = None,
) -> Transition:
    attempts = task.attempts + 1
    if outcome.kind == "final":
        return Transition(DONE, None, None, outcome.code, attempts, task.noncontacts)
    if outcome.kind == "escalate":
        return Transition(FIELD_VISIT, None, None, outcome.code, attempts, task.noncontacts)
    if outcome.kind == "callback":
        if callback_at is None:
            raise ScheduleError("a callback needs a time")
        if callback_at <= now:
            raise ScheduleError("the callback time must be in the future")
        return Transition(CALLBACK, callback_at, operator, None, attempts, task.noncontacts)
    # retry: a non-contact; after max_attempts of them the phone is given up for a field visit
    noncontacts = task.noncontacts + 1
    if noncontacts >= config.max_attempts:
        return Transition(FIELD_VISIT, None, None, outcome.code, attempts, noncontacts)
    due = now + timedelta(minutes=outcome.retry_minutes)
    if not task.urgent:
        due = into_calling_hours(due, config)
    return Transition(RETRY, due, None, None, attempts, noncontacts)


def into_calling_hours(when: datetime, config: Config) -> datetime:
    """Move a time that falls outside calling hours to the next opening."""
    t = when.time()
    if t < config.hours_start:
        return datetime.combine(when.date(), config.hours_start)
    if t >= config.hours_end:
        return datetime.combine(when.date() + timedelta(days=1), config.hours_start)
    return when


def callback_open_to_all_at(callback_at: datetime, config: Config) -> datetime:
    """When a promised callback stops being reserved for the caller who promised it.

    The one place of this rule: the queue asks callbacks_open_to_all_due_by, derived from it.
    """
    return callback_at + timedelta(minutes=config.callback_grace_minutes)


def callbacks_open_to_all_due_by(now: datetime, config: Config) -> datetime:
    """The latest promised time whose callback anyone may take at ``now``.

    callback_open_to_all_at moves a time by a fixed grace, so ``callback_at <= this`` exactly when
    ``callback_open_to_all_at(callback_at) <= now``: the queue compares one column with one value.
    """
    return now - (callback_open_to_all_at(now, config) - now)
