"""One queue by aging score: minutes waited plus the head start of the task's flags and group.

An urgent case that rings in overtakes tasks that waited less than its head start; a plain
task that waited longer than that is not starved; equal scores keep the list's order; the lead
can still raise a case; a promised callback still goes to its caller first."""

from __future__ import annotations

from datetime import timedelta

from callroom.config import Config
from callroom.drill import without_triage
from callroom.inbound import desk
from callroom.store import Store

from conftest import Clock, add_tasks, phone


def _case(store: Store, n: int, group: str = "other", urgent: bool = False) -> int:
    intake = desk.Intake(phone=phone(500 + n), group=group, answers={"name": f"来电{n}"},
                         urgent=urgent)  # fmt: skip
    return desk.take(store, intake, "desk", complete=False).task_id


def test_an_urgent_case_overtakes_the_lists_already_waiting(store: Store, clock: Clock) -> None:
    add_tasks(store, 5, "morning list")  # imported at 10:00
    clock.advance(hours=2)
    urgent = _case(store, 1, "patient", urgent=True)  # rings at 12:00
    plain = _case(store, 2, "other")
    card = store.next_card("alice")
    assert card is not None and card.id == urgent and card.grp == "patient"
    store.record(card.id, "no_answer", "alice")
    # the plain case came in after the list: the list's tasks (waited 2 h) go first
    card = store.next_card("alice")
    assert card is not None and card.batch_name == "morning list" and card.id != plain


def test_a_plain_task_that_waited_longer_than_the_head_start_is_not_starved(
    store: Store, clock: Clock, config: Config
) -> None:
    head = config.head_start(("urgent",))  # 480 minutes
    add_tasks(store, 1, "old list")
    clock.advance(minutes=head + 1)  # it has waited longer than an urgent case's head start
    urgent = _case(store, 1, "other", urgent=True)
    card = store.next_card("alice")
    assert card is not None and card.batch_name == "old list"
    store.record(card.id, "verified", "alice")
    card = store.next_card("alice")
    assert card is not None and card.id == urgent


def test_just_inside_the_head_start_the_urgent_case_goes_first(
    store: Store, clock: Clock, config: Config
) -> None:
    head = config.head_start(("urgent",))
    add_tasks(store, 1, "old list")
    clock.advance(minutes=head - 1)
    urgent = _case(store, 1, "other", urgent=True)
    card = store.next_card("alice")
    assert card is not None and card.id == urgent


def test_group_and_flag_head_starts_add_up(store: Store, clock: Clock, config: Config) -> None:
    # a pregnant caller (group 120 + flag 180) against an elderly task from 4 h ago (120)
    assert config.head_start(("pregnant",), "pregnant") == 300
    store.add_batch("elderly", [{"phone": phone(1), "flags": ["elderly"]}], "lead")
    clock.advance(hours=2, minutes=59)  # elderly: 179 + 120 = 299 < 300
    pregnant = _case(store, 1, "pregnant")
    card = store.next_card("alice")
    assert card is not None and card.id == pregnant


def test_equal_scores_keep_the_lists_order(store: Store) -> None:
    add_tasks(store, 4)
    order = []
    while (card := store.next_card("alice")) is not None:
        order.append(card.seq)
        store.record(card.id, "verified", "alice")
    assert order == [1, 2, 3, 4]


def test_without_head_starts_it_is_first_come_first_served(config: Config, clock: Clock) -> None:
    flat = without_triage(config)
    with Store(flat, clock=clock) as store:
        add_tasks(store, 2, "first")
        clock.advance(minutes=1)
        _case(store, 1, "patient", urgent=True)
        seen = []
        while (card := store.next_card("alice")) is not None:
            seen.append(card.batch_name)
            store.record(card.id, "moved_away", "alice")
    assert seen[:2] == ["first", "first"] and len(seen) == 3


def test_the_lead_can_still_raise_a_case(store: Store, clock: Clock) -> None:
    add_tasks(store, 3, "list")
    clock.advance(minutes=30)
    late = _case(store, 1, "other")
    store.raise_priority(late, "lead")
    card = store.next_card("alice")
    assert card is not None and card.id == late and card.urgent


def test_a_promised_callback_still_goes_to_its_caller_first(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as alice, Store(config, clock=clock) as other:
        add_tasks(alice, 2, "list")
        card = alice.next_card("alice")
        assert card is not None
        alice.record(card.id, "callback", "alice", callback_at=clock.now + timedelta(minutes=30))
        clock.advance(minutes=31)
        _case(alice, 1, "patient", urgent=True)
        # bob gets the urgent case; alice gets her promised callback before it
        bob_card = other.next_card("bob")
        assert bob_card is not None and bob_card.is_case
        other.release(bob_card.id, "bob")
        mine = alice.next_card("alice")
        assert mine is not None and mine.id == card.id


def test_a_retry_waits_for_its_time_whatever_its_head_start(store: Store, clock: Clock) -> None:
    case = _case(store, 1, "patient", urgent=True)
    card = store.next_card("alice")
    assert card is not None and card.id == case
    store.record(card.id, "busy", "alice")
    assert store.next_card("alice") is None
    clock.advance(minutes=15)
    again = store.next_card("alice")
    assert again is not None and again.id == case
