"""The caller screen: one card at a time, the script, one keystroke per outcome.

The path of a keystroke reads straight through: binding ``outcome('no_answer')`` ->
``Store.record`` (one transaction, committed) -> ``Store.next_card`` (claims with a lease) ->
``show_task`` re-renders the card. Outcomes that need more (a callback time, a note) open a small
dialog first. The lease is renewed on a timer while a card is shown; quitting releases it.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from callroom.config import Config, Outcome
from callroom.db_errors import describe, explain
from callroom.i18n import t
from callroom.schedule import CLOSED_STATES, OPEN_STATES
from callroom.scripts import Script, ScriptError, ScriptLibrary, ScriptRun, task_values
from callroom.store import Store, StoreError, Task, parse_time
from callroom.widgets import fmt
from callroom.widgets.card import (
    CardHeader,
    HistoryPane,
    OutcomeBar,
    PhonePane,
    StatusBar,
    WhyPane,
)
from callroom.widgets.script_pane import ScriptPane

TICK_SECONDS = 10  # clock, countdown, and a fresh look at an empty queue
COUNTS_EVERY_TICKS = 3  # status figures from the database every 30 s (kept up locally between)

# Keys of the caller screen other than the outcomes. Descriptions are i18n keys. Outcome keys come
# from callroom.toml and may not take any of these (checked at start-up: `reserved_keys`).
KEYS: list[Binding] = [
    Binding("y", "answer_yes", "key.yes", id="call.yes"),
    Binding("n", "answer_no", "key.no", id="call.no"),
    Binding("enter", "answer", "key.answer", show=False, id="call.answer"),
    Binding("enter", "check_now", "key.check", show=False, id="call.check"),
    Binding("up", "move(-1)", "key.prev", show=False, id="call.prev"),
    Binding("down", "move(1)", "key.next", show=False, id="call.next"),
    Binding("m", "note", "key.note", id="call.note"),
    Binding("u", "undo", "key.undo", id="call.undo"),
    Binding("s", "skip", "key.skip", id="call.skip"),
    Binding("f", "find", "key.find", id="call.find"),
    Binding("r", "reveal", "key.reveal", id="call.reveal"),
    Binding("b", "pause", "key.pause", id="call.pause"),
    Binding("p", "progress", "key.progress", id="call.progress"),
    Binding("question_mark", "help", "key.help", key_display="?", id="call.help"),
    Binding("f1", "help", "key.help", show=False, id="call.help_f1"),
    Binding("q", "quit", "key.quit", id="call.quit"),
]


KEY_NAMES = {"enter": "Enter", "up": "Up", "down": "Down", "f1": "F1"}


def reserved_keys() -> dict[str, str]:
    """Keys the caller screen uses itself, with the action (for a clear config error)."""
    return {b.key: b.action for b in KEYS}


class CallScreen(Screen[None]):
    CSS_PATH = "call.tcss"

    class CardShown(Message):
        """A card (or the empty-queue message, task_id None) is on screen."""

        def __init__(self, task_id: int | None) -> None:
            super().__init__()
            self.task_id = task_id

    class OutcomeRecorded(Message):
        def __init__(self, task_id: int, outcome: str, state: str) -> None:
            super().__init__()
            self.task_id = task_id
            self.outcome = outcome
            self.state = state

    def __init__(self, config: Config, store: Store) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.lang = config.lang
        self.operator = config.operator
        self.library = ScriptLibrary(config.scripts_folder)
        self.card: Task | None = None
        self.script_run: ScriptRun | None = None
        self.values: dict[str, str] = {}
        self.note = ""
        self.revealed = False
        self.inbound = False
        self.paused = False
        self.skipped: list[int] = []
        self.done_today = 0
        self.last_hour = 0
        self.remaining = 0
        self._ticks = 0
        self._mode: tuple[bool, bool] | None = None
        self._bindings = BindingsMap.merge([BindingsMap(self._outcome_bindings()), self._keys()])

    # -- bindings -----------------------------------------------------------------------------

    def _outcome_bindings(self) -> list[Binding]:
        return [
            Binding(
                o.key,
                f"outcome('{o.code}')",
                o.label(self.lang),
                show=False,  # the outcome bar shows them, with their labels, above the footer
                id=f"outcome.{o.code}",
            )
            for o in self.config.outcomes
        ]

    def _keys(self) -> BindingsMap:
        return BindingsMap(
            Binding(
                b.key,
                b.action,
                t(b.description, self.lang),
                show=b.show,
                key_display=b.key_display,
                id=b.id,
            )
            for b in KEYS
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_card = self.card is not None
        if action in ("outcome", "note", "skip", "reveal", "answer", "move"):
            return has_card
        if action in ("answer_yes", "answer_no"):
            return has_card and self.script_run is not None and self.script_run.has_yesno()
        if action == "check_now":
            return not has_card
        return True

    def _refresh_mode(self) -> None:
        """Refresh the footer only when the set of applicable keys changes (not per keystroke)."""
        mode = (self.card is not None, self.script_run is not None and self.script_run.has_yesno())
        if mode != self._mode:
            self._mode = mode
            self.refresh_bindings()

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield CardHeader(id="header")
        with Horizontal(id="card"):
            with Vertical(id="left"):
                yield PhonePane(id="phone")
                yield WhyPane(id="why")
                yield HistoryPane(id="history")
            yield ScriptPane(id="script")
        yield Static(id="empty")
        yield OutcomeBar(id="outcomes")
        yield StatusBar(id="status")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one(OutcomeBar).show(self.config.outcomes, self.lang)
        self._refresh_counts()
        self.load_next()
        self.set_interval(max(5, self.config.lease_seconds // 3), self._renew)
        self.set_interval(TICK_SECONDS, self._tick)

    # -- showing a card -----------------------------------------------------------------------

    def load_next(self) -> None:
        """Claim the next card for this caller and show it (or say why there is none)."""
        try:
            task = self.store.next_card(self.operator, exclude=self.skipped)
        except (StoreError, sqlite3.Error) as exc:
            self._error("error.store", exc)
            task = None
        if task is None:
            self.show_empty()
        else:
            self.show_task(task)

    def show_task(
        self,
        task: Task,
        inbound: bool = False,
        answers: dict[str, str] | None = None,
        note: str = "",
    ) -> None:
        self.card = task
        self.inbound = inbound or task.state in CLOSED_STATES
        self.revealed = False
        self.note = note
        now = self.store.now()
        month_start = now.replace(day=1, hour=0, minute=0, second=0)
        self.remove_class("-empty")
        self.query_one(CardHeader).show(task, now, self.lang, self.config, self.inbound)
        self.query_one(PhonePane).show(
            task, self.lang, False, self.store.calls_to_phone_since(task.phone, month_start)
        )
        self.query_one(WhyPane).show(task, self.lang)
        self.query_one(HistoryPane).show(
            self.store.attempts_for(task.id),
            self.store.phone_history(task.phone, exclude_task=task.id),
            self.config,
            self.lang,
        )
        self._show_script(answers)
        self.query_one(StatusBar).show_clock(now)
        self._refresh_mode()
        self.post_message(self.CardShown(task.id))

    def _show_script(self, answers: dict[str, str] | None = None) -> None:
        assert self.card is not None
        pane = self.query_one(ScriptPane)
        self.values = task_values(
            self.card, self.config.community, self.config.caller, revealed=self.revealed
        )
        name = self.card.script or self.config.default_script
        try:
            script: Script = self.library.get(name)
        except ScriptError as exc:
            self.script_run = None
            pane.show_error(str(exc), self.lang)
        else:
            self.script_run = ScriptRun(script, answers)
            pane.show_script(script, self.values, self.script_run, self.lang)
        pane.show_note(self.note, self.lang)

    def show_empty(self) -> None:
        self.card = None
        self.script_run = None
        self.add_class("-empty")
        self.query_one("#empty", Static).update(self._empty_message())
        self._refresh_mode()
        self.post_message(self.CardShown(None))

    def _empty_message(self) -> Content:
        lang, cfg = self.lang, self.config
        now = self.store.now()
        lines: list[Content] = [Content.assemble((t("empty.title", lang), "bold"))]
        try:
            look = self.store.outlook(self.operator)
            has_lists = bool(look.open_total) or bool(self.store.batches())
        except (StoreError, sqlite3.Error) as exc:
            reason = describe(exc, lang, self.store.path)
            lines.append(Content.assemble((t("error.store", lang, reason=reason), "$error")))
            return Content("\n\n").join(lines)
        if not has_lists:
            lines.append(Content(t("empty.no_lists", lang)))
        elif look.open_total == 0:
            lines.append(Content(t("empty.all_done", lang)))
        else:
            if look.waiting_outside_hours:
                start = cfg.hours_start.strftime("%H:%M")
                end = cfg.hours_end.strftime("%H:%M")
                text = t(
                    "empty.outside_hours", lang, start=start, end=end, n=look.waiting_outside_hours
                )
                lines.append(Content.assemble(("- ", "$text-muted"), (text, "$warning")))
            if look.callbacks_later and look.next_callback_at:
                when = fmt.when(parse_time(look.next_callback_at), now, lang)  # type: ignore[arg-type]
                text = t("empty.callbacks", lang, n=look.callbacks_later, when=when)
                lines.append(Content.assemble(("- ", "$text-muted"), (text, "$accent")))
            if look.retries_later and look.next_retry_at:
                when = fmt.when(parse_time(look.next_retry_at), now, lang)  # type: ignore[arg-type]
                text = t("empty.retries", lang, n=look.retries_later, when=when)
                lines.append(Content.assemble(("- ", "$text-muted"), (text, "$accent")))
            if look.held_by_others:
                text = t("empty.held", lang, n=look.held_by_others)
                lines.append(Content.assemble(("- ", "$text-muted"), text))
        if self.skipped:
            lines.append(Content.assemble((t("empty.skipped", lang, n=len(self.skipped)), "bold")))
        lines.append(Content.assemble((t("empty.poll", lang, s=TICK_SECONDS), "$text-muted")))
        return Content("\n").join(lines)

    # -- outcomes -----------------------------------------------------------------------------

    def action_outcome(self, code: str) -> None:
        if self.card is None:
            return
        outcome = self.config.outcome(code)
        label = outcome.label(self.lang)
        if outcome.kind == "callback":
            from callroom.screens.dialogs import CallbackDialog

            def got_time(when: datetime | None) -> None:
                if when is not None:
                    self.commit(outcome, callback_at=when)

            self.app.push_screen(
                CallbackDialog(self.config, self.lang, self.store.now, label), got_time
            )
        elif outcome.needs_note:
            from callroom.screens.dialogs import NoteDialog

            def got_note(note: str | None) -> None:
                if note:
                    self.note = note
                    self.commit(outcome)

            self.app.push_screen(NoteDialog(self.lang, self.note, required_for=label), got_note)
        else:
            self.commit(outcome)

    def commit(self, outcome: Outcome, callback_at: datetime | None = None) -> None:
        """Record the outcome (committed) and show the next card."""
        task = self.card
        if task is None:
            return
        answers = self.script_run.result() if self.script_run is not None else {}
        try:
            state = self.store.record(
                task.id, outcome.code, self.operator, answers=answers, note=self.note,
                callback_at=callback_at, allow_closed=self.inbound,
            )  # fmt: skip
        except (StoreError, sqlite3.Error) as exc:
            self._error("error.record", exc)
            return
        self.done_today += 1
        self.last_hour += 1
        if state not in OPEN_STATES and task.state in OPEN_STATES:
            self.remaining = max(0, self.remaining - 1)
        status = self.query_one(StatusBar)
        status.show_last(t("status.saved", self.lang, outcome=outcome.label(self.lang)))
        self._show_counts()
        self.post_message(self.OutcomeRecorded(task.id, outcome.code, state))
        self.load_next()

    # -- answers ------------------------------------------------------------------------------

    def _answered(self) -> None:
        if self.script_run is not None:
            self.query_one(ScriptPane).show_answers(self.script_run)

    def action_answer_yes(self) -> None:
        self._yes_no("yes")

    def action_answer_no(self) -> None:
        self._yes_no("no")

    def _yes_no(self, value: str) -> None:
        run = self.script_run
        if run is None:
            return
        q = run.current
        if q is None or q.type != "yesno":
            # the question in focus wants Enter (a date, a choice, text): never guess another one
            self.app.bell()
            return
        run.answer(value)
        self._answered()

    def action_move(self, delta: int) -> None:
        if self.script_run is not None:
            self.script_run.move(delta)
            self._answered()

    def action_answer(self) -> None:
        run = self.script_run
        if run is None or run.current is None:
            return
        from callroom.screens.dialogs import AnswerDialog, AnswerResult

        q = run.current
        number = run.script.questions.index(q) + 1

        def got(result: AnswerResult | None) -> None:
            if result is not None and self.script_run is run:
                run.answer(result.value)
                self._answered()

        self.app.push_screen(
            AnswerDialog(
                q, number, self.values, self.lang, self.store.now().date(), run.answers.get(q.id)
            ),
            got,
        )

    def action_check_now(self) -> None:
        self.skipped.clear()
        self.load_next()

    # -- other keys ---------------------------------------------------------------------------

    def action_note(self) -> None:
        from callroom.screens.dialogs import NoteDialog

        def got(note: str | None) -> None:
            if note is not None:
                self.note = note
                self.query_one(ScriptPane).show_note(note, self.lang)

        self.app.push_screen(NoteDialog(self.lang, self.note), got)

    def action_undo(self) -> None:
        try:
            task = self.store.undo_last(self.operator)
        except (StoreError, sqlite3.Error) as exc:
            self._error("error.undo", exc)
            return
        undone = next((a for a in reversed(self.store.attempts_for(task.id)) if a.undone), None)
        if task.id in self.skipped:
            self.skipped.remove(task.id)
        self.done_today = max(0, self.done_today - 1)
        self.last_hour = max(0, self.last_hour - 1)
        self._show_counts()
        label = undone.outcome if undone else ""
        if undone is not None:
            with suppress(KeyError):
                label = self.config.outcome(undone.outcome).label(self.lang)
        self.query_one(StatusBar).show_last(
            t("status.undone", self.lang, outcome=label), "$warning"
        )
        self.show_task(
            task,
            answers=undone.answers if undone else None,
            note=undone.note if undone else "",
        )

    def action_skip(self) -> None:
        task = self.card
        if task is None:
            return
        try:
            self.store.release(task.id, self.operator, reason="skip")
        except (StoreError, sqlite3.Error) as exc:
            self._error("error.store", exc)
            return
        self.skipped.append(task.id)
        self.query_one(StatusBar).show_last(t("status.skipped", self.lang), "$text-muted")
        self.load_next()

    def action_reveal(self) -> None:
        task = self.card
        if task is None:
            return
        if not self.revealed:
            try:
                # the audit event says who looked at which task, never what they saw
                self.store.log_event(
                    "reveal", self.operator, task.id, detail={"fields": ["name", "id_number"]}
                )
            except (StoreError, sqlite3.Error) as exc:
                self._error("error.store", exc)
                return
        self.revealed = not self.revealed
        now = self.store.now()
        month_start = now.replace(day=1, hour=0, minute=0, second=0)
        self.query_one(PhonePane).show(
            task, self.lang, self.revealed, self.store.calls_to_phone_since(task.phone, month_start)
        )
        answers = self.script_run.answers if self.script_run is not None else None
        self._show_script(answers)

    def action_find(self) -> None:
        from callroom.screens.find import FindScreen

        def got(task_id: int | None) -> None:
            if task_id is None:
                return
            try:
                task = self.store.claim_task(task_id, self.operator)
            except (StoreError, sqlite3.Error) as exc:
                self._error("find.failed", exc)
                return
            self.show_task(task, inbound=True)

        self.app.push_screen(FindScreen(self.config, self.store, self.lang), got)

    def action_pause(self) -> None:
        from callroom.screens.dialogs import PauseScreen

        task = self.card
        try:
            if task is not None:
                self.store.release(task.id, self.operator, reason="pause")
            self.store.log_event("pause", self.operator, task.id if task else None)
        except (StoreError, sqlite3.Error) as exc:
            self._error("error.store", exc)
            return
        self.paused = True
        self.card = None
        self.script_run = None
        # nothing of the released card stays on screen under the break notice
        self.add_class("-empty")
        self.query_one("#empty", Static).update(t("pause.title", self.lang))
        self._refresh_mode()
        screen = PauseScreen(self.lang, self.store.now)
        self.query_one(StatusBar).show_last(t("status.paused", self.lang), "$warning")

        def resumed(_: None) -> None:
            self.paused = False
            minutes = int((self.store.now() - screen.started).total_seconds() // 60)
            try:
                self.store.log_event("resume", self.operator, detail={"minutes": minutes})
            except (StoreError, sqlite3.Error) as exc:
                self._error("error.store", exc)
            self.query_one(StatusBar).show_last("")
            self.load_next()

        self.app.push_screen(screen, resumed)

    def action_progress(self) -> None:
        from callroom.screens.lead import LeadScreen

        self.app.push_screen(LeadScreen(self.config, self.store))

    def action_help(self) -> None:
        from callroom.screens.help import HelpScreen

        outcomes = [(o.key, o.label(self.lang)) for o in self.config.outcomes]
        keys: dict[str, list[str]] = {}
        for binding in KEYS:
            key = binding.key_display or KEY_NAMES.get(binding.key, binding.key)
            described = keys.setdefault(key, [])
            if t(binding.description, self.lang) not in described:
                described.append(t(binding.description, self.lang))
        rows = [(k, " / ".join(v)) for k, v in keys.items()]
        self.app.push_screen(HelpScreen(self.lang, outcomes, rows))

    def action_quit(self) -> None:
        self.release_card("quit")
        self.app.exit()

    def release_card(self, reason: str) -> None:
        """Give the card back to the queue (quit, hang-up). Safe to call twice."""
        task, self.card = self.card, None
        if task is None:
            return
        with suppress(StoreError, sqlite3.Error):  # if it fails, the lease runs out on its own
            self.store.release(task.id, self.operator, reason=reason)

    # -- timers -------------------------------------------------------------------------------

    def _renew(self) -> None:
        task = self.card
        if task is None:
            return
        try:
            still_mine = self.store.renew(task.id)
        except (StoreError, sqlite3.Error) as exc:
            if getattr(explain(exc, self.store.path), "fatal", False):
                self._error("error.store", exc)  # the database is gone: stop now, not later
            return  # busy for a moment: the lease has time left, try on the next tick
        if not still_mine and self.card is task:
            self.notify(t("error.lease_lost", self.lang), severity="warning")
            self.card = None
            self.load_next()

    def _tick(self) -> None:
        self._ticks += 1
        now = self.store.now()
        self.query_one(StatusBar).show_clock(now)
        if self._ticks % COUNTS_EVERY_TICKS == 0:
            self._refresh_counts()
        if self.paused or self.app.screen is not self:
            return
        if self.card is not None:
            self.query_one(CardHeader).show(self.card, now, self.lang, self.config, self.inbound)
        else:
            self.load_next()

    def _refresh_counts(self) -> None:
        now = self.store.now()
        try:
            self.done_today = self.store.done_today(self.operator)
            self.last_hour = self.store.calls_since(self.operator, now - timedelta(hours=1))
            self.remaining = self.store.queue_remaining()
        except (StoreError, sqlite3.Error):
            return
        self._show_counts()
        self.query_one(StatusBar).show_clock(now)

    def _show_counts(self) -> None:
        self.query_one(StatusBar).show_counts(
            self.operator, self.done_today, self.last_hour, self.remaining, self.lang
        )

    def _error(self, key: str, exc: Exception) -> None:
        reason = describe(exc, self.lang, self.store.path)  # in the caller's language
        if getattr(explain(exc, self.store.path), "fatal", False):
            # the database is gone, replaced or damaged: nothing more can be saved, so stop
            # rather than show cards whose outcomes would be lost; the message stays on the
            # terminal after the screen closes, and the command exits 1
            self.card = None
            self.app.exit(return_code=1, message=reason)
            return
        self.notify(t(key, self.lang, reason=reason), severity="error", timeout=6)
