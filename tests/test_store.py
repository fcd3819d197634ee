"""The task store: claims, recording, scheduling through the store, undo, leases, migrations."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from callroom.config import Config
from callroom.store import SCHEMA_VERSION, SchemaTooNew, Store, StoreError

from conftest import DB_ERRORS, INTEGRITY_ERRORS, Clock, add_tasks, phone, set_schema_version


def events(store: Store, kind: str) -> list[sqlite3.Row]:
    return store.conn.execute("SELECT * FROM events WHERE kind = ? ORDER BY id", (kind,)).fetchall()


@pytest.mark.sqlite_only("the file's mode and WAL")
def test_new_database_is_private_wal_and_versioned(store: Store, config: Config) -> None:
    mode = stat.S_IMODE(os.stat(config.database).st_mode)
    assert mode == 0o600
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version() == SCHEMA_VERSION


@pytest.mark.sqlite_only("the file's group and mode")
def test_shared_group_makes_database_group_readable(config: Config, tmp_path: Path) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    cfg = replace(config, shared_group=group, database=tmp_path / "shared.db")
    Store(cfg, create=True).close()
    assert stat.S_IMODE(os.stat(cfg.database).st_mode) == 0o660


def test_newer_database_is_refused(config: Config) -> None:
    with Store(config) as store:
        set_schema_version(store, SCHEMA_VERSION + 1)
    with pytest.raises(SchemaTooNew, match="newer callroom"):
        Store(config)


def test_queue_order(store: Store, clock: Clock) -> None:
    add_tasks(store, 3, "plain")  # ids 1..3, list order
    late = store.add_batch(
        "due-later", [{"phone": phone(10)}], "lead", deadline=clock.now + timedelta(hours=5)
    )
    soon = store.add_batch(
        "due-soon", [{"phone": phone(11)}], "lead", deadline=clock.now + timedelta(hours=1)
    )
    store.add_batch("vulnerable", [{"phone": phone(12), "flags": ["elderly"]}], "lead")
    store.add_batch("urgent", [{"phone": phone(13), "flags": ["urgent"]}], "lead")
    order = []
    while (card := store.next_card("alice")) is not None:
        order.append((card.batch_name, card.seq))
        store.record(card.id, "verified", "alice")
    assert order == [
        ("urgent", 1),
        ("vulnerable", 1),
        ("due-soon", 1),
        ("due-later", 1),
        ("plain", 1),
        ("plain", 2),
        ("plain", 3),
    ]
    assert late and soon


def test_due_retries_come_before_fresh_tasks(store: Store, clock: Clock) -> None:
    add_tasks(store, 3)
    first = store.next_card("alice")
    assert first is not None and first.seq == 1
    assert store.record(first.id, "busy", "alice") == "retry"
    card = store.next_card("alice")
    assert card is not None and card.seq == 2  # the retry is not due yet
    store.release(card.id, "alice")
    clock.advance(minutes=store.config.outcome("busy").retry_minutes)
    again = store.next_card("alice")
    assert again is not None and again.id == first.id and again.attempts == 1


def test_never_a_retry_before_its_time(store: Store, clock: Clock) -> None:
    add_tasks(store, 1)
    card = store.next_card("alice")
    assert card is not None
    store.record(card.id, "no_answer", "alice")
    assert store.next_card("bob") is None
    outlook = store.outlook("bob")
    assert outlook.retries_later == 1
    assert outlook.next_retry_at == (clock.now + timedelta(minutes=60)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    clock.advance(minutes=59)
    assert store.next_card("bob") is None
    clock.advance(minutes=1)
    assert store.next_card("bob") is not None


def test_a_held_card_is_never_given_to_another_caller(config: Config, clock: Clock) -> None:
    a = Store(config, clock=clock)
    b = Store(config, clock=clock)
    add_tasks(a, 2)
    ca, cb = a.next_card("alice"), b.next_card("bob")
    assert ca is not None and cb is not None and ca.id != cb.id
    assert b.next_card("bob").id == cb.id  # asking again returns the card already held
    c = Store(config, clock=clock)
    assert c.next_card("carol") is None
    with pytest.raises(StoreError, match="on alice's screen"):
        c.record(ca.id, "verified", "carol")


def test_lease_expiry_returns_a_crashed_sessions_card(config: Config, clock: Clock) -> None:
    crashed = Store(config, clock=clock)
    add_tasks(crashed, 1)
    card = crashed.next_card("alice")
    assert card is not None
    crashed.conn.close()  # the process died without releasing

    other = Store(config, clock=clock)
    assert other.next_card("bob") is None
    clock.advance(seconds=config.lease_seconds)
    assert other.stale_claims() == 1
    taken = other.next_card("bob")
    assert taken is not None and taken.id == card.id
    claim = events(other, "claim")[-1]
    assert json.loads(claim["detail"]) == {"expired_claim_of": "alice"}


def test_renew_keeps_a_long_call_on_screen(config: Config, clock: Clock) -> None:
    a, b = Store(config, clock=clock), Store(config, clock=clock)
    add_tasks(a, 1)
    card = a.next_card("alice")
    clock.advance(seconds=config.lease_seconds - 10)
    assert a.renew(card.id)
    clock.advance(seconds=60)
    assert b.next_card("bob") is None
    assert not b.renew(card.id)  # only the holder renews


def test_expire_leases_clears_and_audits(config: Config, clock: Clock) -> None:
    a = Store(config, clock=clock)
    add_tasks(a, 2)
    a.next_card("alice")
    clock.advance(seconds=config.lease_seconds + 1)
    assert a.expire_leases() == 1
    assert a.stale_claims() == 0
    assert len(events(a, "lease_expired")) == 1


def test_record_writes_attempt_state_and_event_together(store: Store) -> None:
    add_tasks(store, 1)
    card = store.next_card("alice")
    answers = {"visited": "yes", "test_date": "2026-11-01"}
    assert store.record(card.id, "verified", "alice", answers, note="  ok  ") == "done"
    task = store.get_task(card.id)
    assert (task.state, task.final_outcome, task.closed_by, task.claim_by) == (
        "done", "verified", "alice", None,
    )  # fmt: skip
    [attempt] = store.attempts_for(card.id)
    assert attempt.answers == answers and attempt.note == "ok" and attempt.operator == "alice"
    [event] = events(store, "record")
    assert json.loads(event["detail"]) == {"outcome": "verified", "state": "done"}
    # no personal data in the audit log
    assert "居民" not in event["detail"] and "+86" not in event["detail"]


def test_record_failure_leaves_nothing_behind(store: Store) -> None:
    add_tasks(store, 1)
    card = store.next_card("alice")
    with pytest.raises(StoreError, match="needs a note"):
        store.record(card.id, "refused", "alice")
    with pytest.raises(StoreError, match="unknown outcome"):
        store.record(card.id, "teleported", "alice")
    with pytest.raises(StoreError, match="needs a time"):
        store.record(card.id, "callback", "alice")
    assert store.attempts_for(card.id) == []
    assert store.get_task(card.id).state == "pending"
    assert events(store, "record") == []


def test_closed_task_is_refused_unless_allowed(store: Store) -> None:
    add_tasks(store, 1)
    card = store.next_card("alice")
    store.record(card.id, "moved_away", "alice")
    with pytest.raises(StoreError, match="already closed"):
        store.record(card.id, "verified", "alice")
    assert store.record(card.id, "verified", "alice", allow_closed=True) == "done"


def test_max_non_contacts_send_to_field_visit(store: Store, clock: Clock) -> None:
    add_tasks(store, 1)
    states = []
    for _ in range(store.config.max_attempts):
        card = store.next_card("alice")
        states.append(store.record(card.id, "powered_off", "alice"))
        clock.advance(hours=5)
    assert states[-1] == "field_visit" and set(states[:-1]) == {"retry"}
    assert store.next_card("alice") is None


def test_callback_goes_to_its_promiser_first_then_to_anyone(config: Config, clock: Clock) -> None:
    alice, bob = Store(config, clock=clock), Store(config, clock=clock)
    add_tasks(alice, 3)
    card = alice.next_card("alice")
    at = clock.now + timedelta(minutes=30)
    assert alice.record(card.id, "callback", "alice", callback_at=at) == "callback"
    clock.advance(minutes=30)
    # due now: alice gets it ahead of fresh tasks; bob does not get it during the grace period
    got_bob = bob.next_card("bob")
    assert got_bob.id != card.id
    bob.release(got_bob.id, "bob")
    got_alice = alice.next_card("alice")
    assert got_alice.id == card.id
    alice.release(card.id, "alice")
    # alice is away: after the grace period anyone may call back
    clock.advance(minutes=config.callback_grace_minutes)
    assert bob.next_card("bob", exclude=[got_bob.id]).id == card.id


def test_calling_hours_hold_everything_but_urgent(config: Config, clock: Clock) -> None:
    cfg = replace(config, hours_start=time(8), hours_end=time(21))
    clock.now = datetime(2026, 11, 2, 22, 0)
    s = Store(cfg, clock=clock)
    add_tasks(s, 2)
    s.add_batch("urgent", [{"phone": phone(50), "flags": ["urgent"]}], "lead")
    s.add_batch("elderly", [{"phone": phone(51), "flags": ["elderly"]}], "lead")
    card = s.next_card("alice")
    assert card.batch_name == "urgent"
    s.record(card.id, "verified", "alice")
    assert s.next_card("alice") is None
    assert s.outlook("alice").waiting_outside_hours == 3


def test_skip_releases_and_excludes_for_this_caller(config: Config, clock: Clock) -> None:
    a, b = Store(config, clock=clock), Store(config, clock=clock)
    add_tasks(a, 2)
    first = a.next_card("alice")
    a.release(first.id, "alice")
    second = a.next_card("alice", exclude=[first.id])
    assert second.id != first.id
    assert b.next_card("bob").id == first.id  # others still get the skipped card
    assert [json.loads(e["detail"]) for e in events(a, "release")] == [{"reason": "skip"}]


def test_undo_restores_the_prior_state_and_returns_the_card(store: Store, clock: Clock) -> None:
    add_tasks(store, 2)
    card = store.next_card("alice")
    store.record(card.id, "no_answer", "alice")
    nxt = store.next_card("alice")
    assert nxt.id != card.id
    clock.advance(seconds=5)
    back = store.undo_last("alice")
    assert back.id == card.id
    assert (back.state, back.attempts, back.noncontacts, back.next_at) == ("pending", 0, 0, None)
    assert back.claim_by == "alice"
    assert store.get_task(nxt.id).claim_by is None  # the card shown meanwhile went back
    assert store.attempts_for(card.id)[0].undone
    assert store.done_today("alice") == 0
    assert len(events(store, "undo")) == 1
    # the card is on screen again, so it is the one next_card keeps returning
    assert store.next_card("alice").id == card.id
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo_last("alice")


def test_undo_window(store: Store, clock: Clock) -> None:
    add_tasks(store, 1)
    card = store.next_card("alice")
    store.record(card.id, "busy", "alice")
    clock.advance(seconds=store.config.undo_seconds + 1)
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo_last("alice")
    assert store.get_task(card.id).state == "retry"


def test_undo_refused_after_someone_else_changed_the_task(config: Config, clock: Clock) -> None:
    cfg = replace(config, undo_seconds=3600)
    a, b = Store(cfg, clock=clock), Store(cfg, clock=clock)
    add_tasks(a, 1)
    card = a.next_card("alice")
    a.record(card.id, "busy", "alice")
    clock.advance(minutes=cfg.outcome("busy").retry_minutes)
    again = b.next_card("bob")
    assert again.id == card.id
    b.record(again.id, "verified", "bob")
    with pytest.raises(StoreError, match="has changed since"):
        a.undo_last("alice")
    assert b.undo_last("bob").state == "retry"


def test_find_by_phone_in_any_format(store: Store) -> None:
    store.add_batch(
        "list", [{"phone": "+8613812345678"}, {"phone": phone(2), "alt_phones": ["+8613812345678"]}],
        "lead",
    )  # fmt: skip
    for typed in (
        "13812345678",
        "138 1234 5678",
        "+86 138-1234-5678",
        "008613812345678",
        "１３８１２３４５６７８",
    ):
        assert len(store.find_by_phone(typed)) == 2, typed
    assert store.find_by_phone("12345") == []


def test_history_of_the_same_phone_across_lists(store: Store, clock: Clock) -> None:
    store.add_batch("monday", [{"phone": phone(1)}], "lead")
    card = store.next_card("alice")
    store.record(card.id, "verified", "alice", note="truck driver")
    clock.advance(days=1)
    store.add_batch("tuesday", [{"phone": phone(1)}], "lead")
    today = store.next_card("bob")
    history = store.phone_history(today.phone, exclude_task=today.id)
    assert [(t.batch_name, a.outcome, a.note) for t, a in history] == [
        ("monday", "verified", "truck driver")
    ]
    assert store.calls_to_phone_since(today.phone, clock.now - timedelta(days=30)) == 1


def test_events_are_append_only(store: Store) -> None:
    store.log_event("reveal", "alice", detail={"fields": ["name"]})
    with pytest.raises(DB_ERRORS, match="append-only"):
        store.conn.execute("UPDATE events SET operator = 'mallory'")
    with pytest.raises(DB_ERRORS, match="append-only"):
        store.conn.execute("DELETE FROM events")


def test_add_batch_is_one_transaction(store: Store) -> None:
    with pytest.raises(INTEGRITY_ERRORS):
        store.add_batch("broken", [{"phone": phone(1)}, {"phone": None}], "lead")
    assert store.batches() == []
    assert store.counts_by_state() == {}


def test_lead_actions_are_audited(store: Store, config: Config, clock: Clock) -> None:
    add_tasks(store, 3)
    carol, bob = Store(config, clock=clock), Store(config, clock=clock)
    # raise priority: the last task jumps the queue
    assert store.raise_priority(3, "lead").priority == 2
    card = store.next_card("alice")
    assert card.id == 3 and "urgent" in card.flags
    store.record(card.id, "empty_number", "alice")  # -> field visit
    # reassign: task 2 is now only for bob
    store.reassign(2, "bob", "lead")
    assert carol.next_card("carol").id == 1
    assert bob.next_card("bob").id == 2
    with pytest.raises(StoreError, match="not on the field-visit list"):
        store.field_visit_done(2, "found", "lead")
    with pytest.raises(StoreError, match="say what the visit found"):
        store.field_visit_done(3, "  ", "lead")
    done = store.field_visit_done(3, "上门核实，已做核酸", "lead")
    assert (done.state, done.final_outcome) == ("done", "field_visit_done")
    assert store.attempts_for(3)[-1].note == "上门核实，已做核酸"
    # reopen: back in the queue with a fresh budget
    again = store.reopen(3, "lead")
    assert (again.state, again.noncontacts, again.final_outcome) == ("pending", 0, None)
    kinds = [e["kind"] for e in store.conn.execute("SELECT kind FROM events ORDER BY id")]
    for kind in ("raise_priority", "reassign", "field_visit_done", "reopen"):
        assert kind in kinds
    assert set(store.operators()) == {"alice", "bob", "carol"}
