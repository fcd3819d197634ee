"""The pure scheduling rules, without a database (and the queue that follows them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callroom import schedule
from callroom.config import load_config
from callroom.schedule import ScheduleError, TaskCounters, next_state
from callroom.store import Store

from conftest import Clock, phone

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


# -- calling hours: the edges ------------------------------------------------------------------

HOURS = replace(CFG, hours_start=time(8), hours_end=time(21))


def test_a_retry_landing_exactly_at_closing_time_waits_for_the_next_morning() -> None:
    busy = HOURS.outcome("busy")  # 15 minutes
    at_close = datetime(2026, 11, 2, 21, 0) - timedelta(minutes=busy.retry_minutes)
    t = next_state(TaskCounters(0, 0), busy, HOURS, at_close, "alice")
    assert t.next_at == datetime(2026, 11, 3, 8, 0)
    # a minute earlier it still lands inside the day's hours, unchanged
    t = next_state(TaskCounters(0, 0), busy, HOURS, at_close - timedelta(minutes=1), "alice")
    assert t.next_at == datetime(2026, 11, 2, 20, 59)


def test_a_retry_due_before_opening_comes_at_opening_the_same_day() -> None:
    no_answer = HOURS.outcome("no_answer")  # 60 minutes
    early = datetime(2026, 11, 2, 6, 30)  # an urgent list worked at dawn: 07:30 is before 08:00
    t = next_state(TaskCounters(0, 0), no_answer, HOURS, early, "alice")
    assert t.next_at == datetime(2026, 11, 2, 8, 0)
    # due exactly at opening: kept as it is
    t = next_state(TaskCounters(0, 0), no_answer, HOURS, datetime(2026, 11, 2, 7, 0), "alice")
    assert t.next_at == datetime(2026, 11, 2, 8, 0)
    # an urgent task is retried when it is due, night or not
    urgent = next_state(TaskCounters(0, 0, urgent=True), no_answer, HOURS, early, "alice")
    assert urgent.next_at == datetime(2026, 11, 2, 7, 30)


@pytest.mark.parametrize(
    ("due", "moved"),
    [
        (datetime(2026, 11, 2, 0, 0), datetime(2026, 11, 2, 8, 0)),  # midnight: this morning
        (datetime(2026, 11, 2, 7, 59, 59), datetime(2026, 11, 2, 8, 0)),
        (datetime(2026, 11, 2, 8, 0), datetime(2026, 11, 2, 8, 0)),  # opening itself is open
        (datetime(2026, 11, 2, 14, 10, 30), datetime(2026, 11, 2, 14, 10, 30)),
        (datetime(2026, 11, 2, 20, 59, 59), datetime(2026, 11, 2, 20, 59, 59)),
        (datetime(2026, 11, 2, 21, 0), datetime(2026, 11, 3, 8, 0)),  # closing is closed
        (datetime(2026, 12, 31, 23, 30), datetime(2027, 1, 1, 8, 0)),  # over the year's end
    ],
)
def test_into_calling_hours_at_the_edges(due: datetime, moved: datetime) -> None:
    assert schedule.into_calling_hours(due, HOURS) == moved


# -- every field of each transition ------------------------------------------------------------


def test_a_callback_belongs_to_its_caller_and_keeps_the_non_contact_count() -> None:
    at = NOON + timedelta(seconds=1)  # one second ahead is the future
    t = next_state(TaskCounters(4, 1), CFG.outcome("callback"), CFG, NOON, "bob", at)
    assert t == schedule.Transition(schedule.CALLBACK, at, "bob", None, 5, 1)


def test_callback_errors_say_exactly_what_is_wrong() -> None:
    cb = CFG.outcome("callback")
    with pytest.raises(ScheduleError, match=r"^a callback needs a time$"):
        next_state(TaskCounters(0, 0), cb, CFG, NOON, "alice")
    with pytest.raises(ScheduleError, match=r"^the callback time must be in the future$"):
        next_state(TaskCounters(0, 0), cb, CFG, NOON, "alice", NOON - timedelta(minutes=5))


def test_final_and_escalated_outcomes_record_the_outcome_and_leave_counters_alone() -> None:
    done = next_state(TaskCounters(2, 2), CFG.outcome("refused"), CFG, NOON, "alice")
    assert done == schedule.Transition(schedule.DONE, None, None, "refused", 3, 2)
    visit = next_state(TaskCounters(2, 1), CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert visit == schedule.Transition(schedule.FIELD_VISIT, None, None, "empty_number", 3, 1)


def test_the_last_allowed_non_contact_goes_to_field_visit_with_its_outcome() -> None:
    cfg = replace(CFG, max_attempts=4)
    powered_off = cfg.outcome("powered_off")
    before = next_state(TaskCounters(5, 2), powered_off, cfg, NOON, "alice")
    assert before == schedule.Transition(
        schedule.RETRY, NOON + timedelta(minutes=powered_off.retry_minutes), None, None, 6, 3
    )
    last = next_state(TaskCounters(6, 3), powered_off, cfg, NOON, "alice")
    assert last == schedule.Transition(schedule.FIELD_VISIT, None, None, "powered_off", 7, 4)


# -- the callback grace: one rule, used by the queue -------------------------------------------


def test_callback_opens_to_everyone_after_the_grace() -> None:
    cfg = replace(CFG, callback_grace_minutes=7)
    at = datetime(2026, 11, 2, 15, 0)
    assert schedule.callback_open_to_all_at(at, cfg) == datetime(2026, 11, 2, 15, 7)
    assert schedule.callbacks_open_to_all_due_by(datetime(2026, 11, 2, 15, 7), cfg) == at


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31)),
    st.integers(-3 * 3600, 3 * 3600),
    st.integers(0, 180),
)
def test_the_queue_cutoff_agrees_with_callback_open_to_all_at(
    now: datetime, offset: int, grace: int
) -> None:
    cfg = replace(CFG, callback_grace_minutes=grace)
    callback_at = now + timedelta(seconds=offset)
    open_to_all = schedule.callback_open_to_all_at(callback_at, cfg) <= now
    assert (callback_at <= schedule.callbacks_open_to_all_due_by(now, cfg)) == open_to_all


def test_the_queue_hands_a_callback_to_anyone_exactly_when_the_rule_says(tmp_path) -> None:
    cfg = replace(CFG, database=tmp_path / "q.db", callback_grace_minutes=7)
    clock = Clock(datetime(2026, 11, 2, 10, 0))
    with Store(cfg, clock=clock, create=True) as alice, Store(cfg, clock=clock) as bob:
        alice.add_batch("list", [{"phone": phone(1)}], "lead")
        card = alice.next_card("alice")
        at = clock.now + timedelta(minutes=30)
        alice.record(card.id, "callback", "alice", callback_at=at)
        clock.now = schedule.callback_open_to_all_at(at, cfg) - timedelta(seconds=1)
        assert bob.next_card("bob") is None  # still alice's
        clock.now = schedule.callback_open_to_all_at(at, cfg)
        got = bob.next_card("bob")
        assert got is not None and got.id == card.id
