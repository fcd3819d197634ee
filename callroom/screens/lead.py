"""The team lead's progress pane: live figures from SQLite, decision lists, audited lead actions.

It only renders `reports.build()` with the report's own formats (callroom.report_text), so the
pane and `callroom report` agree figure for figure, and sends intents to the store. The report
is built in a thread worker on its own connection, so a slow query never blocks the keyboard.
With [roles] set, a caller sees the pane read-only: the lead keys are hidden and refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from callroom import reports
from callroom.config import Config
from callroom.i18n import t
from callroom.phones import mask as mask_phone
from callroom.privacy import mask_name
from callroom.report_text import (
    INBOUND_COLUMNS,
    caller_table,
    chart_line,
    due,
    ended_rows,
    flow,
    inbound_items,
    inbound_table,
    pad,
    rate_items,
    share,
    span,
    wait_text,
)
from callroom.store import Store, StoreError

REFRESH_SECONDS = 3
BUSY_FACTOR = 5  # a refresh that takes t seconds comes again after 5 t at the earliest
# tab -> the report's decision list it shows
TASK_TABS = {
    "urgent": "urgent",
    "overdue": "overdue",
    "callbacks": "callbacks_due",
    "visits": "field_visits",
    "refused": "refused",
}
TABS = ("callers", "outcomes", *TASK_TABS, "inbound")
# each list's columns, what the lead acts on first (80 columns show the first five or six; the
# arrows scroll to the rest)
TASK_COLUMNS = {
    "urgent": ("task", "flags", "waited", "due", "name", "phone", "list", "address"),
    "overdue": ("task", "due", "waited", "flags", "name", "phone", "list", "address"),
    "callbacks": ("task", "due", "name", "phone", "flags", "result", "list", "address"),
    "visits": ("task", "address", "name", "phone", "result", "list", "flags"),
    "refused": ("task", "result", "name", "phone", "list", "address"),
}
# which lead action works on which tab (an open task can be raised and assigned, a closed one
# reopened, a field visit closed or walked)
ACTION_TABS = {
    "raise_priority": ("urgent", "overdue", "callbacks"),
    "reassign": ("urgent", "overdue", "callbacks"),
    "reopen": ("visits", "refused"),
    "visit_done": ("visits",),
    "route": ("visits",),
}
# (key, action, description key, shown in the footer, key as shown)
KEYS = (
    ("escape", "back", "lead.key.back", True, "Esc"),
    ("tab", "next_tab", "lead.key.next_tab", True, "Tab"),
    ("shift+tab", "next_tab(-1)", "lead.key.prev_tab", False, "Shift+Tab"),
    ("u", "raise_priority", "lead.key.raise", True, "u"),
    ("a", "reassign", "lead.key.reassign", True, "a"),
    ("o", "reopen", "lead.key.reopen", True, "o"),
    ("v", "visit_done", "lead.key.visit_done", True, "v"),
    ("w", "route", "lead.key.route", True, "w"),
    ("r", "refresh", "lead.key.refresh", False, "r"),
    ("question_mark", "help", "lead.key.help", True, "?"),
    ("f1", "help", "lead.key.help", False, "F1"),
)
BAR_WIDTH = 10
MAX_LISTS = 5  # lists shown at 80x24 (the newest); the report has them all
MIN_NAME = 16  # cells a list's name keeps however narrow the terminal (with "..." in the middle)
MIN_BAR = 4  # a shorter progress bar says nothing: left out


class LeadScreen(Screen[None]):
    CSS_PATH = "lead.tcss"

    def __init__(
        self, config: Config, store: Store, standalone: bool = False, all_offices: bool = False
    ) -> None:
        super().__init__()
        self.all_offices = all_offices  # a street's shared database: every office, not ours
        self.config = config
        self.store = store
        self.lang = config.lang
        self.standalone = standalone
        self.is_lead = config.is_lead()
        # the worker reads on a connection of its own: SQLite connections are not shared across threads
        self._reader: Store | None = None
        # exclusive=True cannot stop a thread already running: the lock keeps two refreshes from
        # ever using the reader connection at once (that crashes sqlite3)
        self._reader_lock = threading.Lock()
        self.report: reports.Report | None = None
        # the tab on show, kept here: TabbedContent.active follows a key press a moment later,
        # and reading it back during a burst of Tab presses would go back and forth
        self._tab = 0
        self._next_due = 0.0
        self._bindings = BindingsMap(self._keys())

    def _keys(self) -> list[Binding]:
        lang = self.lang
        back = "lead.key.quit" if self.standalone else "lead.key.back"
        return [
            Binding(
                key,
                action,
                t(back if action == "back" else desc, lang),
                show=shown,
                key_display=display,
                id=f"lead.{action}",
            )
            for key, action, desc, shown, display in KEYS
        ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(id="lead-title")
        yield Static(id="lead-batches")
        yield Static(id="lead-rates")
        yield Static(id="lead-chart")
        with TabbedContent(id="lead-tabs"):
            for name in TABS:
                with TabPane(t(f"lead.tab.{name}", lang), id=f"tab-{name}"):
                    if name == "inbound":  # the desk's figures above its groups
                        yield Static(id="inbound-figures")
                    yield DataTable(id=name, cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        lang = self.lang
        callers = self.query_one("#callers", DataTable)
        for col in ("caller", "calls", "completes", "per_hour", "status", "for", "talk_time"):
            callers.add_column(t(f"lead.col.{col}", lang), key=col)
        outcomes = self.query_one("#outcomes", DataTable)
        outcomes.add_column(t("cli.col.outcome", lang), key="outcome")
        outcomes.add_column(t("rep.col.ended", lang), key="ended")
        outcomes.add_column(t("lead.col.calls_today", lang), key="calls")
        inbound = self.query_one("#inbound", DataTable)
        for col in INBOUND_COLUMNS:
            inbound.add_column(t(f"rep.in.col.{col}", lang), key=col)
        for name, columns in TASK_COLUMNS.items():
            table = self.query_one(f"#{name}", DataTable)
            for col in columns:
                table.add_column(t(f"lead.col.{col}", lang), key=col)
        self.refresh_report()
        self.set_interval(REFRESH_SECONDS, self._tick)

    def on_unmount(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # -- keys that work here ------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return TABS[self._tab]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTION_TABS:
            # a caller's pane is read-only; a lead sees each key where it works
            return self.is_lead and self.tab in ACTION_TABS[action]
        return True

    # -- loading ------------------------------------------------------------------------------

    def _tick(self) -> None:
        # on a very large database a refresh takes a while: keep it to a fifth of the time, so
        # the pane never takes a core away from the callers on the same machine
        if time.monotonic() >= self._next_due:
            self.refresh_report()

    @work(thread=True, exclusive=True, group="lead-report", exit_on_error=False)
    def refresh_report(self) -> None:
        started = time.monotonic()
        with self._reader_lock:
            if self._reader is None:
                self._reader = Store(self.config, self.store.location, clock=self.store.clock)
            report = reports.build(self._reader, all_offices=self.all_offices)
        took = time.monotonic() - started
        self._next_due = started + max(REFRESH_SECONDS - 0.5, BUSY_FACTOR * took)
        self.app.call_from_thread(self.show, report)

    def show(self, rep: reports.Report) -> None:
        self.report = rep
        lang = self.lang
        title = Text.assemble(
            (t("lead.title", lang), "bold"),
            "  ",
            (t("lead.refreshed", lang, at=rep.at[11:19], n=REFRESH_SECONDS), "dim"),
        )
        if not self.is_lead:
            title.append("  " + t("lead.read_only", lang), "bold yellow")
        self.query_one("#lead-title", Static).update(title)
        self.query_one("#lead-batches", Static).update(self._batches(rep))
        width = max(40, self.size.width - 2)
        rates = rate_items(rep, lang)
        if wait := wait_text(rep, lang):
            rates.append(wait)
        self.query_one("#lead-rates", Static).update("\n".join(flow(rates, width)))
        self.query_one("#lead-chart", Static).update(Text(chart_line(rep, lang, width)))
        self._fill_callers(rep)
        self._fill_outcomes(rep)
        self._fill_inbound(rep, width)
        tabs = self.query_one(TabbedContent)
        for name, which in TASK_TABS.items():
            self._fill_tasks(name, rep.lines(which))
            tabs.get_tab(f"tab-{name}").label = f"{t(f'lead.tab.{name}', lang)} {rep.counts[which]}"

    def _batches(self, rep: reports.Report) -> Text | str:
        """One line a list (the newest five) and a total. Numbers are never cut: the open
        counts that do not fit are left out whole, then the bar gives way, then the names,
        which are cut in the middle so that names differing only at the end stay apart."""
        lang = self.lang
        if not rep.batches:
            return t("lead.no_lists", lang)
        shown = rep.batches[-MAX_LISTS:]
        rows: list[tuple[str, float, list[str], dict[str, int], int | None]] = [
            (b.name, b.share,
             [f"{b.done}/{b.total}", share(b.share),
              t("lead.verified_share", lang, share=share(b.verified_share)),
              t("lead.match_share", lang, share=share(b.match_rate)),
              due(b.minutes_left, lang) if b.minutes_left is not None else ""],
             b.by_state, b.minutes_left)
            for b in shown
        ]  # fmt: skip
        if len(rep.batches) > 1:
            whole = rep.done / rep.total if rep.total else 0.0
            verified = rep.verified / rep.total if rep.total else 0.0
            label = t("cli.total", lang)
            if len(rep.batches) > len(shown):
                label = t("lead.total_of", lang, n=len(rep.batches))
            figures = [f"{rep.done}/{rep.total}", share(whole),
                       t("lead.verified_share", lang, share=share(verified)),
                       t("lead.match_share", lang, share=share(rep.rates.match_rate)), ""]  # fmt: skip
            rows.append((label, whole, figures, rep.by_state, None))
        widths = [max(cell_len(r[2][c]) for r in rows) for c in range(5)]
        if not widths[4]:
            widths.pop()  # no list has a deadline: no column for it
        width = max(40, self.size.width - 2)
        figures_width = sum(widths) + len(widths)  # each figure column with the gap before it
        longest = max(cell_len(r[0]) for r in rows)
        # the open counts get what is left beside the figures and a name of at least MIN_NAME cells
        least = max(4, min(longest, MIN_NAME, width - figures_width))
        room = width - figures_width - least - 1
        parts = [self._open_parts(r[3], room) for r in rows]
        parts_width = max(cell_len(p) for p in parts)
        free = width - figures_width - (parts_width + 1 if parts_width else 0)
        bar = min(BAR_WIDTH, free - longest - 1)
        bar = bar if bar >= MIN_BAR else 0
        name_width = max(least, min(longest, free - (bar + 1 if bar else 0)))
        names = short_names([r[0] for r in rows], name_width)
        out = Text(no_wrap=True, overflow="crop")
        for i, (row, name, part) in enumerate(zip(rows, names, parts, strict=True)):
            _, fraction, figures, _, left = row
            total_row = i == len(shown)
            if i:
                out.append("\n")
            out.append(pad(name, name_width), "bold" if total_row else "")
            if bar:
                out.append(" ")
                out.append_text(_bar(fraction, bar))
            for c, w in enumerate(widths):
                out.append(" ")
                if c == 4:
                    cell = _due(left, lang) if not total_row else Text("")
                    out.append_text(Text(" " * (w - cell.cell_len)) + cell)
                else:
                    out.append(pad(figures[c], w, right=True))
            if part:
                out.append(" " + part)
        return out

    def _open_parts(self, by_state: dict[str, int], room: int) -> str:
        """The open counts that fit ``room`` cells, each whole; "+" when some had to go."""
        parts = [
            f"{t(f'lead.short.{s}', self.lang)}{by_state[s]}"
            for s in ("pending", "retry", "callback", "field_visit")
            if by_state.get(s)
        ]
        text = " ".join(parts)
        while parts and cell_len(text) > room:
            parts.pop()
            text = " ".join(parts) + " +" if parts else ""
        return text

    def _fill_callers(self, rep: reports.Report) -> None:
        table = self.query_one("#callers", DataTable)
        cursor = table.cursor_row
        table.clear()
        _, rows = caller_table(rep, self.lang)
        for c, row in zip(rep.callers, rows, strict=True):
            style = {"on_card": "green", "paused": "yellow", "idle": "grey50"}[c.status]
            table.add_row(*row[:4], Text(row[4], style), *row[5:], key=c.operator)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _fill_outcomes(self, rep: reports.Report) -> None:
        table = self.query_one("#outcomes", DataTable)
        cursor = table.cursor_row
        table.clear()
        for code, label, n, calls in ended_rows(rep, self.config):
            table.add_row(label, Text(str(n), justify="right"),
                          Text(str(calls), justify="right"), key=code)  # fmt: skip
        # the total is the "done" of the lists above: the table adds up to it
        table.add_row(
            Text(t("cli.total", self.lang), "bold"), Text(str(rep.done), "bold", justify="right"),
            Text(str(rep.calls), "bold", justify="right"), key="total",
        )  # fmt: skip
        table.move_cursor(row=min(cursor, table.row_count - 1))

    def _fill_inbound(self, rep: reports.Report, width: int) -> None:
        """The inbound desk: the report's lines (report_text.inbound_*), the groups as a table."""
        lang = self.lang
        figures = self.query_one("#inbound-figures", Static)
        if rep.inbound.cases:
            figures.update("\n".join(flow(inbound_items(rep, lang), width)))
        else:
            figures.update(t("rep.in.none", lang))
        table = self.query_one("#inbound", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in inbound_table(rep, self.config)[1]:
            table.add_row(row[0], *(Text(c, justify="right") for c in row[1:]))
        table.move_cursor(row=min(cursor, max(0, table.row_count - 1)))
        label = t("lead.tab.inbound", lang)
        tab = self.query_one(TabbedContent).get_tab("tab-inbound")
        tab.label = f"{label} {rep.inbound.waiting}" if rep.inbound.cases else label

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
            cells = {
                "task": f"#{line.id}", "name": mask_name(line.name),
                "phone": mask_phone(line.phone),
                "flags": Text(flags, "bold red" if "urgent" in line.flags else "yellow"),
                "waited": span(line.waited_minutes, lang), "due": (line.due or "")[5:16],
                "address": line.address, "result": result, "list": line.batch,
            }  # fmt: skip
            table.add_row(*(cells[c] for c in TASK_COLUMNS[name]), key=str(line.id))
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
        task_id = None
        if self.tab in TASK_TABS:
            task_id = self._selected_id(self.query_one(f"#{self.tab}", DataTable))
        if task_id is None:
            self.notify(t("lead.select_task", self.lang), severity="warning")
        return task_id

    def _apply(self, action: Callable[[], object], message: str, **values: object) -> None:
        try:
            action()
        except StoreError as exc:
            self.notify(exc.text(self.lang), severity="error")
            return
        self.notify(t(message, self.lang, **values))
        self.refresh_report()

    def action_next_tab(self, step: int = 1) -> None:
        self.show_tab(TABS[(self._tab + step) % len(TABS)])

    def show_tab(self, name: str) -> None:
        """Bring a tab to the front (its keys into the footer)."""
        self._tab = TABS.index(name)
        self.query_one(TabbedContent).active = f"tab-{name}"
        self.refresh_bindings()

    def action_refresh(self) -> None:
        self.refresh_report()

    def action_help(self) -> None:
        from callroom.screens.lead_help import LeadHelp

        # one row per action, its keys together (Tab / Shift+Tab, ? / F1)
        rows: dict[str, list[str]] = {}
        for b in self._keys():
            action = b.action.split("(")[0]
            if action in ACTION_TABS and not self.is_lead:
                continue
            rows.setdefault(action, []).append(b.key_display or b.key)
        lang = self.lang
        words = {b.action.split("(")[0]: b.description for b in self._keys()}
        words["next_tab"] = t("lead.key.tabs", lang)
        keys = [(" / ".join(k), words[action]) for action, k in rows.items()]
        keys.insert(-1, ("Left / Right", t("lead.key.scroll", lang)))
        self.app.push_screen(LeadHelp(lang, keys, self.is_lead))

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
        from callroom.screens.prompt import ChoicePrompt

        task_id = self._selected_task()
        if task_id is None:
            return
        working_today = [c.operator for c in self.report.callers] if self.report else []
        known = dict.fromkeys([*self.store.operators(), *working_today])
        everyone = t("lead.everyone_choice", self.lang)
        choices = [("", everyone), *((name, name) for name in sorted(known) if name)]

        def done(name: str | None) -> None:
            if name is None:
                return
            to = name or None
            self._apply(
                lambda: self.store.reassign(task_id, to, self.config.operator), "lead.done.reassign",
                id=task_id, to=to or t("lead.everyone", self.lang),
            )  # fmt: skip

        self.app.push_screen(
            ChoicePrompt(t("lead.ask.reassign", self.lang, id=task_id), choices, self.lang), done
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
            TextPrompt(
                t("lead.ask.visit", self.lang, id=task_id),
                required=True,
                placeholder=t("lead.ask.visit_example", self.lang),
                hint=t("prompt.text_hint", self.lang),
            ),
            done,
        )

    def action_route(self) -> None:
        stamp = self.store.now().strftime("%Y%m%d-%H%M")
        self.export_route(self.config.export_path(f"callroom-route-{stamp}.xlsx"))

    @work(thread=True, exclusive=True, group="lead-route", exit_on_error=False)
    def export_route(self, path: Path) -> None:
        """The field-visit list by compound, building and unit, as the CLI's `export --route`."""
        from callroom.export import ExportError, export
        from callroom.files import WriteFailed

        lang = self.lang
        try:
            with Store(self.config, self.store.location, clock=self.store.clock) as store:
                office = reports.office_scope(store, self.all_offices)
                ids = reports.scope_batches(store, office=office)
                if not reports.build(store, office=office).counts["field_visits"]:
                    # a route of no homes is no use: say so, write nothing
                    self.app.call_from_thread(self.notify, t("lead.route_empty", lang), timeout=6)
                    return
                result = export(store, ids, path, "xlsx", self.config.operator, route=True)
        except (ExportError, WriteFailed) as exc:
            self.app.call_from_thread(self.notify, exc.text(lang), severity="error", timeout=10)
            return
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        message = t("lead.done.route", lang, n=result.rows, path=result.path.resolve())
        self.app.call_from_thread(self.notify, message, timeout=10)

    def action_back(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss()

    @on(TabbedContent.TabActivated)
    def _focus_table(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if pane is not None and pane.id != f"tab-{self.tab}":
            # a late event from a burst of Tab presses brought back an earlier tab: the tab
            # the keys asked for wins
            self.query_one(TabbedContent).active = f"tab-{self.tab}"
            return
        if pane is not None:
            table = pane.query(DataTable).first()
            # a table filled while its tab was hidden has not laid out its columns yet
            table.refresh(layout=True)
            table.focus()


def short_names(names: list[str], width: int) -> list[str]:
    """Names cropped to ``width`` cells in the middle (head ... tail): lists are named by day
    and kind ("1121货车司机名单", "1122风险地区推送名单", "... #3"), so both ends tell them apart."""
    out = []
    for name in names:
        if cell_len(name) <= width:
            out.append(name)
            continue
        keep = width - 3
        head = _take(name, (keep + 1) // 2)
        tail = _take(name[::-1], keep - cell_len(head))[::-1]
        out.append(f"{head}...{tail}")
    return out


def _take(text: str, width: int) -> str:
    """The longest start of ``text`` within ``width`` cells (a CJK character is never split)."""
    out = ""
    for ch in text:
        if cell_len(out + ch) > width:
            break
        out += ch
    return out


def cut(text: str, width: int) -> str:
    """Crop to ``width`` cells with ASCII dots (… is drawn two cells wide by some SSH clients)."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 3:
            break
        out += ch
    return out + "..."


def _bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """A progress bar of coloured spaces: no block characters, so every terminal draws it the
    same width."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Text(" " * filled, "on green") + Text(" " * (width - filled), "on grey23")


def _due(minutes_left: int | None, lang: str) -> Text:
    if minutes_left is None:
        return Text("")
    style = "bold red" if minutes_left < 0 else "yellow" if minutes_left < 60 else ""
    return Text(due(minutes_left, lang), style)
