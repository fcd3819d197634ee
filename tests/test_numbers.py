"""Every own number of a resident: attempts per number, dead numbers move the card, the v2 schema.

The rules are decided in schedule.next_state and written by Store.record_call, so they are
tested here without the UI.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import datetime

import pytest

from callroom.config import Config, load_config
from callroom.schedule import FIELD_VISIT, RETRY, TaskCounters, next_state
from callroom.store import MIGRATIONS, Store, StoreError, _split_sql

from conftest import Clock, phone

CFG = load_config()
NOON = datetime(2026, 11, 2, 12, 0)
MAIN, ALT, ALT2 = phone(0), phone(100), phone(200)


def resident(store: Store, alts: list[str] | None = None, name: str = "王小明") -> int:
    store.add_batch(
        "list",
        [{"phone": MAIN, "name": name, "alt_phones": [ALT] if alts is None else alts}],
        "lead",
    )
    task = store.next_card("alice")
    assert task is not None
    return task.id


def claim(store: Store, task_id: int) -> str | None:
    return store.conn.execute(
        "SELECT claim_session FROM tasks WHERE id = ?", (task_id,)
    ).fetchone()[0]


def events(store: Store, kind: str) -> list[dict]:
    rows = store.conn.execute("SELECT detail FROM events WHERE kind = ?", (kind,)).fetchall()
    return [json.loads(r[0]) for r in rows]


# -- the rule, without a database ------------------------------------------------------------


def test_dead_number_with_an_untried_own_number_moves_there_at_once() -> None:
    counters = TaskCounters(0, 0, numbers=(MAIN, ALT), phone=MAIN)
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert (nxt.state, nxt.next_at, nxt.active_phone, nxt.switched) == (RETRY, NOON, ALT, True)
    assert nxt.dead_phones == (MAIN,) and nxt.final_outcome is None


def test_field_visit_only_when_every_number_is_dead() -> None:
    counters = TaskCounters(1, 0, numbers=(MAIN, ALT), phone=ALT, dead=frozenset({MAIN}))
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert (nxt.state, nxt.final_outcome, nxt.switched) == (FIELD_VISIT, "empty_number", False)
    assert nxt.dead_phones == (MAIN, ALT)


def test_a_dead_number_prefers_an_untried_number_over_one_already_tried() -> None:
    counters = TaskCounters(
        2, 1, numbers=(MAIN, ALT, ALT2), phone=MAIN, tried=frozenset({MAIN, ALT})
    )
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert nxt.active_phone == ALT2


def test_non_contacts_try_an_untried_number_before_the_field_visit() -> None:
    cfg = replace(CFG, max_attempts=2)
    counters = TaskCounters(1, 1, numbers=(MAIN, ALT), phone=MAIN, tried=frozenset({MAIN}))
    nxt = next_state(counters, cfg.outcome("no_answer"), cfg, NOON, "alice")
    assert (nxt.state, nxt.active_phone, nxt.switched, nxt.noncontacts) == (RETRY, ALT, True, 2)
    # the alternate gets its try; then, with nothing left untried, the field visit
    counters = TaskCounters(2, 2, numbers=(MAIN, ALT), phone=ALT, tried=frozenset({MAIN, ALT}))
    assert next_state(counters, cfg.outcome("no_answer"), cfg, NOON, "alice").state == FIELD_VISIT


def test_the_next_number_is_the_one_after_the_dead_one_in_the_cards_order() -> None:
    # three numbers, the card on the second: the third comes next, not the first
    counters = TaskCounters(0, 0, numbers=(MAIN, ALT, ALT2), phone=ALT)
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert (nxt.active_phone, nxt.dead_phones) == (ALT2, (ALT,))
    # on the last one the order wraps round to the first
    counters = TaskCounters(0, 0, numbers=(MAIN, ALT, ALT2), phone=ALT2)
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert (nxt.active_phone, nxt.dead_phones) == (MAIN, (ALT2,))
    # every number tried: the live ones in the same order, after the dead one
    tried = frozenset({MAIN, ALT, ALT2})
    counters = TaskCounters(3, 0, numbers=(MAIN, ALT, ALT2), phone=MAIN, tried=tried)
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert nxt.active_phone == ALT


def test_a_card_on_a_number_no_longer_the_residents_moves_to_the_first_live_one() -> None:
    # the lead corrected the resident's numbers while the card was on the old one
    counters = TaskCounters(0, 0, numbers=(MAIN, ALT, ALT2), phone=phone(999))
    nxt = next_state(counters, CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert (nxt.active_phone, nxt.switched) == (MAIN, True)


def test_a_single_number_task_keeps_the_old_rules() -> None:
    nxt = next_state(TaskCounters(0, 0), CFG.outcome("empty_number"), CFG, NOON, "alice")
    assert nxt.state == FIELD_VISIT and not nxt.switched


# -- the store -------------------------------------------------------------------------------


def test_an_attempt_stores_the_number_it_was_made_on(store: Store) -> None:
    task_id = resident(store)
    store.record(task_id, "busy", "alice", phone=ALT, seconds=37, timed_from="dial")
    (attempt,) = store.attempts_for(task_id)
    assert (attempt.phone, attempt.seconds, attempt.timed_from) == (ALT, 37, "dial")
    task = store.get_task(task_id)
    assert task.current_phone == ALT  # the next call starts where this one was made
    # by default the attempt is on the card's current number
    store.conn.execute("UPDATE tasks SET next_at = NULL")
    assert store.next_card("alice").id == task_id
    store.record(task_id, "no_answer", "alice")
    assert [a.phone for a in store.attempts_for(task_id)] == [ALT, ALT]


def test_a_number_that_is_not_the_residents_is_refused(store: Store) -> None:
    task_id = resident(store)
    with pytest.raises(StoreError, match="not one of task #1's resident's own"):
        store.record(task_id, "busy", "alice", phone=phone(999))
    assert store.attempts_for(task_id) == []


def test_empty_number_on_main_keeps_the_card_on_screen_on_the_alternate(store: Store) -> None:
    task_id = resident(store)
    rec = store.record_call(task_id, "empty_number", "alice")
    assert (rec.state, rec.active_phone, rec.switched) == (RETRY, ALT, True)
    task = store.get_task(task_id)
    assert (task.state, task.dead_phones, claim(store, task_id)) == (RETRY, [MAIN], store.session)
    card = store.next_card("alice")  # the same card comes straight back, on the alternate
    assert card.id == task_id and card.current_phone == ALT
    rec = store.record_call(task_id, "empty_number", "alice")
    assert (rec.state, rec.switched) == (FIELD_VISIT, False)
    task = store.get_task(task_id)
    assert task.dead_phones == [MAIN, ALT] and claim(store, task_id) is None
    # the audit log says which number (1 = main), never the number itself
    details = events(store, "record")
    assert details[0] == {"outcome": "empty_number", "state": RETRY, "number": 1,
                          "next_number": 2}  # fmt: skip
    assert not any(MAIN[3:] in json.dumps(d) or ALT[3:] in json.dumps(d) for d in details)


def test_empty_number_without_an_alternate_goes_to_field_visit(store: Store) -> None:
    task_id = resident(store, alts=[])
    assert store.record(task_id, "empty_number", "alice") == FIELD_VISIT


def test_undo_puts_the_number_and_the_dead_list_back(store: Store) -> None:
    task_id = resident(store)
    store.record(task_id, "empty_number", "alice")
    task = store.undo_last("alice")
    assert (task.state, task.dead_phones, task.current_phone) == ("pending", [], MAIN)


def test_history_and_month_counts_per_number(store: Store, clock: Clock) -> None:
    task_id = resident(store)
    store.record(task_id, "busy", "alice", phone=MAIN)
    store.conn.execute("UPDATE tasks SET next_at = NULL")
    store.next_card("alice")
    store.record(task_id, "no_answer", "alice", phone=ALT)
    assert store.calls_to_phone_since(MAIN, datetime(2026, 11, 1)) == 1
    assert store.calls_to_phone_since(ALT, datetime(2026, 11, 1)) == 1
    # a later list with the alternate as its main phone sees the call made to it
    store.add_batch("later", [{"phone": ALT}], "lead")
    later = store.find_by_phone(ALT)[0]
    history = store.phone_history(later.numbers, exclude_task=later.id)
    assert [(t.id, a.phone, a.outcome) for t, a in history] == [(task_id, ALT, "no_answer")]


def test_find_by_any_own_number(store: Store) -> None:
    task_id = resident(store)
    assert [t.id for t in store.find_by_phone("138 0000 0100")] == [task_id]
    assert [t.id for t in store.find_by_phone("+86 138-0000-0000")] == [task_id]


def test_a_version_1_database_is_migrated_with_its_attempts_on_the_main_phone(
    config: Config, clock: Clock
) -> None:
    path = config.database.with_name("v1.db")  # the fixture's database is already current
    config = replace(config, database=path)
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO batches (name, imported_by, imported_at) VALUES ('old', 'lead', '2026-11-01')"
    )
    conn.execute(
        "INSERT INTO tasks (batch_id, seq, phone, created_at, updated_at, attempts, state) "
        "VALUES (1, 1, ?, '2026-11-01', '2026-11-01', 1, 'retry')",
        (MAIN,),
    )
    conn.execute(
        "INSERT INTO attempts (task_id, operator, at, outcome, prev, version_after) "
        "VALUES (1, 'bob', '2026-11-01 10:00:00', 'busy', '{}', 1)"
    )
    conn.close()
    with Store(config, clock=clock) as store:
        assert store.schema_version() == len(MIGRATIONS)
        (attempt,) = store.attempts_for(1)
        assert attempt.phone == MAIN and attempt.seconds is None
        assert store.get_task(1).current_phone == MAIN
        assert store.calls_to_phone_since(MAIN, datetime(2026, 11, 1)) == 1


def test_record_and_next_commit_the_outcome_with_the_next_claim_or_neither(store: Store) -> None:
    store.add_batch("list", [{"phone": phone(i)} for i in range(3)], "lead")
    first = store.next_card("alice")
    recorded, nxt = store.record_and_next(first.id, "busy", "alice", phone=first.phone)
    assert recorded.state == RETRY and nxt is not None and nxt.id == 2
    assert claim(store, 2) == store.session and len(store.attempts_for(1)) == 1
    # a refused outcome (a note is needed) writes nothing and claims nothing more
    with pytest.raises(StoreError):
        store.record_and_next(2, "refused", "alice")
    assert store.attempts_for(2) == [] and claim(store, 3) is None
