"""The team lead's progress pane: live figures from SQLite, decision lists, audited lead actions.

It only renders `reports.build()` and sends intents to the store; every figure comes from the
shared database, so the pane shows every caller's work. The report is built in a thread worker
on its own connection, so a slow query never blocks the keyboard.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static, TabbedContent, TabPane

from callroom import reports
from callroom.config import Config
from callroom.i18n import t
from callroom.phones import mask as mask_phone
from callroom.privacy import mask_name
from callroom.store import Store, StoreError

REFRESH_SECONDS = 3
TASK_TABLES = ("urgent", "overdue", "callbacks", "visits", "refused")


def _span(minutes: int, lang: str) -> str:
    return (
        f"{minutes // 60}h{minutes % 60:02d}"
        if minutes >= 60
        else t("lead.minutes", lang, n=minutes)
    )


class LeadScreen(Screen[None]):
    CSS_PATH = "lead.tcss"

    def __init__(self, config: Config, store: Store, standalone: bool = False) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.lang = config.lang
        self.standalone = standalone
        # the worker reads on a connection of its own: SQLite connections are not shared across threads
        self._reader: Store | None = None
        # exclusive=True cannot stop a thread already running: the lock keeps two refreshes from
        # ever using the reader connection at once (that crashes sqlite3)
        self._reader_lock = threading.Lock()
        self.report: reports.Report | None = None

    BINDINGS = [
        Binding("tab", "next_tab", "next_tab"),
        Binding("shift+tab", "next_tab(-1)", "prev_tab", show=False),
        Binding("r", "refresh", "refresh"),
        Binding("u", "raise_priority", "raise"),
        Binding("a", "reassign", "reassign"),
        Binding("o", "reopen", "reopen"),
        Binding("v", "visit_done", "visit_done"),
        Binding("escape", "back", "back"),
    ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(id="lead-title")
        yield Static(id="lead-batches")
        yield Static(id="lead-rates")
        with Horizontal(id="lead-spark-row"):
            yield Label(t("lead.spark", lang), id="lead-spark-label")
            yield Sparkline([], id="lead-spark")
            yield Label("", id="lead-spark-max")
        with TabbedContent(id="lead-tabs"):
            with TabPane(t("lead.tab.callers", lang), id="tab-callers"):
                yield DataTable(id="callers", cursor_type="row", zebra_stripes=True)
            for name in TASK_TABLES:
                with TabPane(t(f"lead.tab.{name}", lang), id=f"tab-{name}"):
                    yield DataTable(id=name, cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        lang = self.lang
        # the Footer shows the descriptions in the screen's language
        labels = {
            "next_tab": "lead.key.next_tab", "refresh": "lead.key.refresh",
            "raise_priority": "lead.key.raise",
            "reassign": "lead.key.reassign", "reopen": "lead.key.reopen",
            "visit_done": "lead.key.visit_done",
            "back": "lead.key.quit" if self.standalone else "lead.key.back",
        }  # fmt: skip
        self._bindings = self._bindings.copy()
        for key, bindings in list(self._bindings.key_to_bindings.items()):
            self._bindings.key_to_bindings[key] = [
                replace(b, description=t(labels[b.action], lang)) if b.action in labels else b
                for b in bindings
            ]
        callers = self.query_one("#callers", DataTable)
        for col in ("caller", "calls", "completes", "per_hour", "status", "since", "talk_time"):
            callers.add_column(t(f"lead.col.{col}", lang), key=col)
        for name in TASK_TABLES:
            table = self.query_one(f"#{name}", DataTable)
            # the address (what a field visit needs) comes before the long list name
            columns = (
                "task",
                "name",
                "phone",
                "flags",
                "waited",
                "due",
                "address",
                "result",
                "list",
            )
            for col in columns:
                table.add_column(t(f"lead.col.{col}", lang), key=col)
        self.refresh_report()
        self.set_interval(REFRESH_SECONDS, self.refresh_report)

    def on_unmount(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lead-report", exit_on_error=False)
    def refresh_report(self) -> None:
        with self._reader_lock:
            if self._reader is None:
                self._reader = Store(self.config, self.store.path, clock=self.store.clock)
            report = reports.build(self._reader)
        self.app.call_from_thread(self.show, report)

    def show(self, rep: reports.Report) -> None:
        self.report = rep
        lang = self.lang
        self.query_one("#lead-title", Static).update(
            Text.assemble(
                (t("lead.title", lang), "bold"),
                "  ",
                (t("lead.refreshed", lang, at=rep.at[11:19], n=REFRESH_SECONDS), "dim"),
            )
        )
        self.query_one("#lead-batches", Static).update(self._batches(rep))
        r = rep.rates
        rates = t(
            "lead.rates", lang, verified=f"{r.verified_rate:.0%}", rr=f"{r.response:.0%}",
            coop=f"{r.cooperation:.0%}", ref=f"{r.refusal_rate:.0%}", con=f"{r.contact:.0%}",
        )  # fmt: skip
        if rep.urgent_wait:
            rates += "  " + t(
                "lead.urgent_wait",
                lang,
                m=int(rep.urgent_wait["median"]),
                x=int(rep.urgent_wait["max"]),
            )
        self.query_one("#lead-rates", Static).update(rates)
        slots = self._day_slots(rep)
        self.query_one("#lead-spark", Sparkline).data = slots
        self.query_one("#lead-spark-max", Label).update(f"max {int(max(slots, default=0))}")
        self._fill_callers(rep)
        lists = {
            "urgent": rep.urgent, "overdue": rep.overdue, "callbacks": rep.callbacks_due,
            "visits": rep.field_visits, "refused": rep.refused,
        }  # fmt: skip
        tabs = self.query_one(TabbedContent)
        for name, lines in lists.items():
            self._fill_tasks(name, lines)
            tabs.get_tab(f"tab-{name}").label = f"{t(f'lead.tab.{name}', lang)} {len(lines)}"

    def _day_slots(self, rep: reports.Report) -> list[float]:
        """From the first call of the day (or 08:00) to now, so the line is not mostly empty."""
        now_slot = int(rep.at[11:13]) * 2 + int(rep.at[14:16]) // 30
        first = next((i for i, v in enumerate(rep.slots) if v), now_slot)
        start = min(first, 16)
        return [float(v) for v in rep.slots[start : max(now_slot + 1, start + 1)]]

    def _batches(self, rep: reports.Report) -> Table | str:
        lang = self.lang
        if not rep.batches:
            return t("lead.no_lists", lang)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, width=14, overflow="ellipsis")
        table.add_column(no_wrap=True, width=10)
        table.add_column(no_wrap=True, width=9, justify="right")
        table.add_column(no_wrap=True, width=10)
        table.add_column(no_wrap=True, ratio=1, overflow="ellipsis")
        for b in rep.batches[-6:]:  # the newest lists fit at 80x24
            width = 10
            filled = round(b.share * width)
            bar = Text("█" * filled, "green") + Text("░" * (width - filled), "grey50")
            if b.minutes_left is None:
                due = Text("")
            elif b.minutes_left >= 0:
                due = Text(t("lead.deadline_left", lang, t=_span(b.minutes_left, lang)),
                           "yellow" if b.minutes_left < 60 else "")  # fmt: skip
            else:
                due = Text(
                    t("lead.deadline_over", lang, t=_span(-b.minutes_left, lang)), "bold red"
                )
            open_parts = [
                f"{t(f'lead.short.{s}', lang)} {b.by_state[s]}"
                for s in ("pending", "retry", "callback", "field_visit")
                if b.by_state.get(s)
            ]
            table.add_row(b.name, bar, f"{b.done}/{b.total}", due, " ".join(open_parts))
        return table

    def _fill_callers(self, rep: reports.Report) -> None:
        table = self.query_one("#callers", DataTable)
        cursor = table.cursor_row
        table.clear()
        for c in rep.callers:
            status = t(f"lead.status.{c.status}", self.lang)
            style = {"on_card": "green", "paused": "yellow", "idle": "grey50"}[c.status]
            table.add_row(
                c.operator, str(c.calls), str(c.completes), f"{c.calls_per_hour:.1f}",
                Text(status, style), (c.since or "")[11:16],
                f"{c.talk_seconds // 3600}:{c.talk_seconds // 60 % 60:02d}", key=c.operator,
            )  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _fill_tasks(self, name: str, lines: list[reports.TaskLine]) -> None:
        lang = self.lang
        table = self.query_one(f"#{name}", DataTable)
        selected = self._selected_id(table)
        table.clear()
        for line in lines:
            flags = " ".join(t(f"flag.{f}", lang) for f in line.flags)
            result = ""
            if line.outcome:
                try:
                    result = self.config.outcome(line.outcome).label(lang)
                except KeyError:
                    result = line.outcome
            if line.note:
                result = f"{result} {line.note}".strip()
            due = (line.due or "")[5:16]
            table.add_row(
                f"#{line.id}", mask_name(line.name), mask_phone(line.phone),
                Text(flags, "bold red" if "urgent" in line.flags else "yellow"),
                _span(line.waited_minutes, lang), due, line.address, result, line.batch,
                key=str(line.id),
            )  # fmt: skip
        if selected is not None:
            for index, line in enumerate(lines):
                if line.id == selected:
                    table.move_cursor(row=index)
                    break

    # -- actions ------------------------------------------------------------------------------

    @staticmethod
    def _selected_id(table: DataTable) -> int | None:
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key and key.isdigit() else None

    def _selected_task(self) -> int | None:
        active = self.query_one(TabbedContent).active.removeprefix("tab-")
        if active not in TASK_TABLES:
            self.notify(t("lead.select_task", self.lang), severity="warning")
            return None
        task_id = self._selected_id(self.query_one(f"#{active}", DataTable))
        if task_id is None:
            self.notify(t("lead.select_task", self.lang), severity="warning")
        return task_id

    def _apply(self, action, message: str, **values: object) -> None:
        try:
            action()
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(t(message, self.lang, **values))
        self.refresh_report()

    def action_next_tab(self, step: int = 1) -> None:
        tabs = self.query_one(TabbedContent)
        order = ["tab-callers", *(f"tab-{name}" for name in TASK_TABLES)]
        tabs.active = order[(order.index(tabs.active) + step) % len(order)]

    def action_refresh(self) -> None:
        self.refresh_report()

    def action_raise_priority(self) -> None:
        if (task_id := self._selected_task()) is not None:
            op = self.config.operator
            self._apply(
                lambda: self.store.raise_priority(task_id, op), "lead.done.raise", id=task_id
            )

    def action_reopen(self) -> None:
        if (task_id := self._selected_task()) is not None:
            op = self.config.operator
            self._apply(lambda: self.store.reopen(task_id, op), "lead.done.reopen", id=task_id)

    def action_reassign(self) -> None:
        from callroom.screens.prompt import TextPrompt

        task_id = self._selected_task()
        if task_id is None:
            return
        callers = ", ".join(self.store.operators())

        def done(name: str | None) -> None:
            if name is None:
                return
            to = name or None
            self._apply(
                lambda: self.store.reassign(task_id, to, self.config.operator), "lead.done.reassign",
                id=task_id, to=to or t("lead.everyone", self.lang),
            )  # fmt: skip

        self.app.push_screen(
            TextPrompt(t("lead.ask.reassign", self.lang, id=task_id), placeholder=callers), done
        )

    def action_visit_done(self) -> None:
        from callroom.screens.prompt import TextPrompt

        task_id = self._selected_task()
        if task_id is None:
            return

        def done(note: str | None) -> None:
            if note:
                self._apply(
                    lambda: self.store.field_visit_done(task_id, note, self.config.operator),
                    "lead.done.visit", id=task_id,
                )  # fmt: skip

        self.app.push_screen(
            TextPrompt(t("lead.ask.visit", self.lang, id=task_id), required=True), done
        )

    def action_back(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss()

    @on(TabbedContent.TabActivated)
    def _focus_table(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if pane is not None:
            table = pane.query(DataTable).first()
            # a table filled while its tab was hidden has not laid out its columns yet
            table.refresh(layout=True)
            table.focus()
