"""The lead pane, driven by Pilot while simulated callers write to the same database."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from textual.widgets import DataTable, Sparkline, Static, TabbedContent
from textual.worker import WorkerCancelled

from callroom.config import Config
from callroom.lead_app import LeadApp
from callroom.screens.lead import LeadScreen
from callroom.store import Store

from conftest import Clock, phone


def text_of(screen: LeadScreen, selector: str) -> str:
    """What a Static shows, as plain text at the pane's width."""
    console = Console(width=78, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def refreshed(pilot, screen: LeadScreen) -> None:
    """Refresh now and wait until the new figures are on screen."""
    for _ in range(5):  # the pane's own timer may supersede our refresh: then wait for its
        try:
            await screen.refresh_report().wait()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_pane_follows_several_callers_live(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    people = [{"phone": phone(i), "name": f"王小{i}", "address": f"园岭{i}栋"} for i in range(6)]
    people[5]["flags"] = ["pregnant"]
    lead.add_batch("1102名单", people, "lead", deadline=clock.now + timedelta(hours=1))
    alice, bob = Store(config, clock=clock), Store(config, clock=clock)

    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LeadScreen)
        await refreshed(pilot, screen)
        assert "0/6" in text_of(screen, "#lead-batches")
        assert screen.query_one(TabbedContent).get_tab("tab-urgent").label.plain.endswith("1")

        # two callers work while the pane is open
        for store, op, outcome in [(alice, "alice", "verified"), (bob, "bob", "empty_number"),
                                   (alice, "alice", "refused"), (bob, "bob", "verified")]:  # fmt: skip
            card = store.next_card(op)
            store.record(card.id, outcome, op, note="不配合" if outcome == "refused" else "")
            clock.advance(minutes=5)
        alice.next_card("alice")
        await refreshed(pilot, screen)

        batches = text_of(screen, "#lead-batches")
        assert "4/6" in batches and "剩 40分" in batches
        assert "核实率 33%" in text_of(screen, "#lead-rates")
        callers = {r[0]: r for r in rows(screen.query_one("#callers", DataTable))}
        assert callers["alice"][1:3] == ["2", "1"] and callers["alice"][4] == "拨打中"
        assert callers["bob"][1:3] == ["2", "1"] and callers["bob"][4] == "空闲"
        assert sum(screen.query_one("#lead-spark", Sparkline).data) == 4
        visits = rows(screen.query_one("#visits", DataTable))
        # the pregnant resident (王小5) was called first, then list order: 王小0 was the empty number
        assert len(visits) == 1 and visits[0][6] == "园岭0栋"
        assert (
            visits[0][1] == "王*0" and visits[0][2] == "138****0000"
        )  # masked on the lead's screen
        refused = rows(screen.query_one("#refused", DataTable))
        assert "不配合" in refused[0][7]
        # the pregnant resident was called first, so the urgent list is empty now
        assert rows(screen.query_one("#urgent", DataTable)) == []


async def test_lead_actions_by_key(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch("名单", [{"phone": phone(i), "address": f"地址{i}"} for i in range(3)], "lead")
    caller = Store(config, clock=clock)
    card = caller.next_card("alice")
    caller.record(card.id, "empty_number", "alice")

    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.query_one(TabbedContent).active = "tab-visits"
        await pilot.pause()
        await pilot.press("v")
        await pilot.press(*"上门核实已做核酸", "enter")
        await refreshed(pilot, screen)
        task = lead.get_task(card.id)
        assert (task.state, task.final_outcome) == ("done", "field_visit_done")
        assert rows(screen.query_one("#visits", DataTable)) == []

        # a resident refuses on a later call: the lead reopens the case from the refused list
        lead.record(card.id, "refused", "lead", note="x", allow_closed=True)
        await refreshed(pilot, screen)
        screen.query_one(TabbedContent).active = "tab-refused"
        await pilot.pause()
        await pilot.press("o")
        await refreshed(pilot, screen)
        assert lead.get_task(card.id).state == "pending"

        # raise priority and reassign from the overdue/urgent lists
        await pilot.press("u")  # nothing selected in the refused list now: a warning, no crash
        kinds = [r[0] for r in lead.conn.execute("SELECT kind FROM events ORDER BY id")]
        assert "field_visit_done" in kinds and "reopen" in kinds


async def test_raise_and_reassign(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch(
        "名单", [{"phone": phone(i), "flags": ["elderly"]} for i in range(2)], "lead",
        deadline=clock.now - timedelta(minutes=1),
    )  # fmt: skip
    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.query_one(TabbedContent).active = "tab-urgent"
        await pilot.pause()
        await pilot.press("down", "u")
        await refreshed(pilot, screen)
        assert lead.get_task(2).priority == 2
        await pilot.press("a")
        await pilot.press(*"bob", "enter")
        await pilot.pause()
        assert (
            lead.get_task(screen._selected_id(screen.query_one("#urgent", DataTable))).assigned_to
            == "bob"
        )
        assert "超时" in text_of(screen, "#lead-batches")
        await pilot.press("escape")
    assert app.return_code == 0
