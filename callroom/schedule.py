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
    """The outcome cannot be applied as asked (e.g. a callback without a time); ``code`` names
    the reason for a translated message."""

    def __init__(self, message: str, code: str = "other") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TaskCounters:
    """The part of a task the rules look at.

    ``numbers`` are the resident's own numbers, main first; ``phone`` the one this attempt was
    made on; ``dead`` the numbers already found unusable; ``tried`` those with an earlier
    attempt. Without numbers the rules are those of a single-number task.
    """

    attempts: int
    noncontacts: int
    urgent: bool = False
    numbers: tuple[str, ...] = ()
    phone: str | None = None
    dead: frozenset[str] = frozenset()
    tried: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Transition:
    state: str
    next_at: datetime | None
    callback_by: str | None
    final_outcome: str | None
    attempts: int
    noncontacts: int
    active_phone: str | None = None  # the number to call next time
    dead_phones: tuple[str, ...] = ()
    switched: bool = False  # the task moved to another of the resident's numbers


def next_state(
    task: TaskCounters,
    outcome: Outcome,
    config: Config,
    now: datetime,
    operator: str,
    callback_at: datetime | None = None,
) -> Transition:
    attempts = task.attempts + 1
    phone = task.phone or (task.numbers[0] if task.numbers else None)
    dead = set(task.dead)
    if outcome.dead_number and phone is not None:
        dead.add(phone)
    dead_phones = tuple(n for n in task.numbers if n in dead)
    tried = set(task.tried) | ({phone} if phone else set())
    alive = [n for n in task.numbers if n not in dead]
    untried = [n for n in alive if n not in tried]

    def stay(state: str, next_at: datetime | None, by: str | None, final: str | None,
             noncontacts: int) -> Transition:  # fmt: skip
        return Transition(state, next_at, by, final, attempts, noncontacts, phone, dead_phones)

    def move_to(number: str, noncontacts: int) -> Transition:
        # another own number is still untried (or alive): the card comes back at once on it
        return Transition(
            RETRY, now, None, None, attempts, noncontacts, number, dead_phones, switched=True
        )

    if outcome.kind == "final":
        return stay(DONE, None, None, outcome.code, task.noncontacts)
    if outcome.kind == "callback":
        if callback_at is None:
            raise ScheduleError("a callback needs a time", "no_time")
        if callback_at <= now:
            raise ScheduleError("the callback time must be in the future", "past")
        return stay(CALLBACK, callback_at, operator, None, task.noncontacts)
    if outcome.dead_number and alive:
        return move_to(_after(phone, untried or alive, task.numbers), task.noncontacts)
    if outcome.kind == "escalate":
        return stay(FIELD_VISIT, None, None, outcome.code, task.noncontacts)
    # retry: a non-contact; after max_attempts of them the phone is given up for a field visit,
    # unless one of the resident's own numbers was never tried
    noncontacts = task.noncontacts + 1
    if noncontacts >= config.max_attempts:
        if untried:
            return move_to(_after(phone, untried, task.numbers), noncontacts)
        return stay(FIELD_VISIT, None, None, outcome.code, noncontacts)
    due = now + timedelta(minutes=outcome.retry_minutes)
    if not task.urgent:
        due = into_calling_hours(due, config)
    return stay(RETRY, due, None, None, noncontacts)


def _after(current: str | None, candidates: list[str], order: tuple[str, ...]) -> str:
    """The first candidate after ``current`` in the card's order of numbers, wrapping round."""
    if current in order:
        start = order.index(current)
        rotated = order[start + 1 :] + order[: start + 1]
        for n in rotated:
            if n in candidates:
                return n
    return candidates[0]


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
