"""Snapshots of the caller card at 80x24 in zh and en (frozen clock and data).

Regenerate with `pytest tests/test_ui_snapshots.py --snapshot-update`, then look at the SVGs in
tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ui_support import DEADLINE, SIZE, idle, rich_rows

from callroom.app import make_app
from callroom.store import Store

from conftest import phone


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def config(config):
    return replace(config, settle_ms=0)  # keys count at once: the pictures are of the card


async def loaded(pilot) -> None:
    await idle(pilot)


def _seed(store: Store) -> None:
    # an earlier list: the same phone was called twice (a truck driver, often on the lists)
    store.add_batch("1025货车司机", [{"phone": phone(0)}], operator="lead")
    task = store.next_card("bob")
    assert task is not None
    store.record(task.id, "no_answer", "bob", note="司机在外地")
    store.conn.execute("UPDATE tasks SET next_at = NULL")
    task = store.next_card("bob")
    assert task is not None
    store.record(task.id, "verified", "bob")
    store.add_batch("1102风险地区推送", rich_rows(3), operator="lead", deadline=DEADLINE)


def test_card_zh(snap_compare, config, store):
    _seed(store)
    assert snap_compare(make_app(config, store), terminal_size=SIZE, press=["y"], run_before=loaded)


def test_card_en(snap_compare, config, store):
    _seed(store)
    app = make_app(replace(config, lang="en"), store)
    assert snap_compare(app, terminal_size=SIZE, press=["y"], run_before=loaded)


def test_empty_queue_zh(snap_compare, config, store):
    store.add_batch("list", [{"phone": phone(1)}], operator="lead")
    task = store.next_card("bob")
    assert task is not None
    store.record(task.id, "no_answer", "bob")
    assert snap_compare(make_app(config, store), terminal_size=SIZE, run_before=loaded)


def test_callback_dialog_zh(snap_compare, config, store):
    _seed(store)
    app = make_app(config, store)
    assert snap_compare(app, terminal_size=SIZE, press=["0", *"明天9点"], run_before=loaded)


def test_note_and_every_number_at_80x24_zh(snap_compare, config, store):
    """The note stays below the script, the resident's numbers are listed with what happened on
    each, the history says which number, and the status line what happened last."""
    _seed(store)
    app = make_app(config, store)

    async def worked(pilot) -> None:
        await idle(pilot)
        for key in ("6", "m", *"白天上班,晚上七点后再打", "enter", "y"):
            await pilot.press(key)
            await idle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=worked)


def test_card_at_60x20_zh(snap_compare, config, store):
    _seed(store)
    app = make_app(config, store)
    assert snap_compare(app, terminal_size=(60, 20), press=["y", "down"], run_before=loaded)


def test_break_screen_zh(snap_compare, config, store):
    _seed(store)
    app = make_app(config, store)
    assert snap_compare(app, terminal_size=SIZE, press=["b"], run_before=loaded)
