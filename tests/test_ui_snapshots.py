"""Snapshots of the caller card at 80x24 in zh and en (frozen clock and data).

Regenerate with `pytest tests/test_ui_snapshots.py --snapshot-update`, then look at the SVGs in
tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ui_support import DEADLINE, SIZE, rich_rows

from callroom.app import make_app
from callroom.store import Store

from conftest import phone


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


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
    assert snap_compare(make_app(config, store), terminal_size=SIZE, press=["y"])


def test_card_en(snap_compare, config, store):
    _seed(store)
    app = make_app(replace(config, lang="en"), store)
    assert snap_compare(app, terminal_size=SIZE, press=["y"])


def test_empty_queue_zh(snap_compare, config, store):
    store.add_batch("list", [{"phone": phone(1)}], operator="lead")
    task = store.next_card("bob")
    assert task is not None
    store.record(task.id, "no_answer", "bob")
    assert snap_compare(make_app(config, store), terminal_size=SIZE)


def test_callback_dialog_zh(snap_compare, config, store):
    _seed(store)
    app = make_app(config, store)
    assert snap_compare(app, terminal_size=SIZE, press=["0", *"明天9点"])
