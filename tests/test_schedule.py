"""The pure scheduling rules, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest

from callroom import schedule
from callroom.config import load_config
from callroom.schedule import ScheduleError, TaskCounters, next_state

CFG = load_config()
NOON = datetime(2026, 11, 2, 12, 0)


def test_final_outcome_closes_the_task() -> None:
    t = next_state(TaskCounters(0, 0), CFG.outcome("verified"), CFG, NOON, "alice")
    assert (t.state, t.final_outcome, t.attempts, t.next_at) == ("done", "verified", 1, None)


def test_retry_comes_back_after_its_delay() -> None:
    outcome = CFG.outcome("busy")
    t = next_state(TaskCounters(0, 0), outcome, CFG, NOON, "alice")
    assert t.state == "retry"
    assert t.next_at == NOON + timedelta(minutes=outcome.retry_minutes)
    assert t.noncontacts == 1 and t.final_outcome is None


def test_max_attempts_non_contacts_go_to_field_visit() -> None:
    cfg = replace(CFG, max_attempts=3)
    t = TaskCounters(0, 0)
    states = []
    for _ in range(3):
        tr = next_state(t, cfg.outcome("no_answer"), cfg, NOON, "alice")
        states.append(tr.state)
        t = TaskCounters(tr.attempts, tr.noncontacts)
    assert states == ["retry", "retry", "field_visit"]


def test_contacts_do_not_count_towards_field_visit() -> None:
    # a callback is a contact: it does not use up the non-contact budget
    t = next_state(
        TaskCounters(2, 2), CFG.outcome("callback"), CFG, NOON, "alice", NOON + timedelta(hours=1)
    )
    assert t.state == "callback" and t.noncontacts == 2 and t.callback_by == "alice"


def test_empty_number_escalates_at_once() -> None:
    t = next_state(TaskCounters(0, 0), CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert t.state == schedule.FIELD_VISIT


def test_callback_needs_a_future_time() -> None:
    with pytest.raises(ScheduleError, match="needs a time"):
        next_state(TaskCounters(0, 0), CFG.outcome("callback"), CFG, NOON, "alice")
    with pytest.raises(ScheduleError, match="future"):
        next_state(TaskCounters(0, 0), CFG.outcome("callback"), CFG, NOON, "alice", NOON)


def test_retry_after_hours_moves_to_next_morning_unless_urgent() -> None:
    cfg = replace(CFG, hours_start=time(8), hours_end=time(21))
    late = datetime(2026, 11, 2, 20, 30)
    normal = next_state(TaskCounters(0, 0), cfg.outcome("no_answer"), cfg, late, "a")
    assert normal.next_at == datetime(2026, 11, 3, 8, 0)
    urgent = next_state(TaskCounters(0, 0, urgent=True), cfg.outcome("no_answer"), cfg, late, "a")
    assert urgent.next_at == late + timedelta(minutes=cfg.outcome("no_answer").retry_minutes)
