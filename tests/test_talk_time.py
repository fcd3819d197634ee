"""Talk time per caller: the seconds stored with each call, summed in the report and shown in the
lead pane's caller table."""

from __future__ import annotations

from textual.widgets import DataTable

from callroom import reports
from callroom.config import Config
from callroom.lead_app import LeadApp
from callroom.store import Store

from conftest import Clock, phone


def work(store: Store) -> None:
    store.add_batch("list", [{"phone": phone(i)} for i in range(4)], "lead")
    for op, seconds in (("alice", 95), ("alice", 1900), ("bob", 40), ("bob", None)):
        card = store.next_card(op)
        store.record(card.id, "moved_away", op, seconds=seconds, timed_from="dial")


def test_the_report_sums_each_callers_talk_time(store: Store) -> None:
    work(store)
    callers = {c.operator: c for c in reports.build(store).callers}
    assert callers["alice"].talk_seconds == 1995
    assert callers["bob"].talk_seconds == 40  # a call without a time counts as none
    undone_by = store.undo_last("alice")
    assert undone_by is not None
    callers = {c.operator: c for c in reports.build(store).callers}
    assert callers["alice"].talk_seconds == 95  # an undone call is not talk time


async def test_the_lead_pane_shows_talk_time_per_caller(config: Config, clock: Clock) -> None:
    store = Store(config, clock=clock)
    work(store)
    app = LeadApp(config, store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await screen.refresh_report().wait()
        await pilot.pause()
        table = screen.query_one("#callers", DataTable)
        header = [str(c.label) for c in table.columns.values()]
        talk = header.index("通话时长")
        by_caller = {
            str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)
        }
        assert str(by_caller["alice"][talk]) == "0:33" and str(by_caller["bob"][talk]) == "0:00"
    store.close()
