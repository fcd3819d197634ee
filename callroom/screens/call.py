"""The caller screen: one card at a time, the script, one keystroke per outcome.

The path of a keystroke reads straight through: binding ``outcome('no_answer')`` -> the script's
checklist (required answers, a note, a callback time, each asked in turn) -> a worker thread
writes it (``CardIO.record``: one transaction, committed) and claims the next card -> the
screen shows it. The UI thread never waits on SQLite: while the database is busy the outcome is
kept and retried and the status line says so. Keys count only for the card they were meant
for: a card takes no card key until it has been on screen for ``settle_ms``, and none while an
outcome is being saved. The lease is renewed on a timer while a card is shown.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from callroom.card_io import CardData, CardIO, Counts, EmptyData, Pending, is_busy
from callroom.config import Config, Outcome
from callroom.db_errors import describe, explain
from callroom.i18n import t
from callroom.numbers import display, mask
from callroom.privacy import mask_name
from callroom.results import MATCHED
from callroom.schedule import CALLBACK, CLOSED_STATES, FIELD_VISIT, OPEN_STATES, RETRY
from callroom.scripts import (
    Question,
    Script,
    ScriptError,
    ScriptLibrary,
    ScriptRun,
    task_values,
)
from callroom.store import Recorded, Store, StoreError, Task, parse_time
from callroom.widgets import fmt
from callroom.widgets.card import (
    CardHeader,
    CardLeft,
    OutcomeBar,
    StatusBar,
    inbound_rows,
    outcome_label,
)
from callroom.widgets.keybar import KeyBar
from callroom.widgets.script_pane import ScriptView

TICK_SECONDS = 10  # clock, countdown, and a fresh look at an empty queue
COUNTS_EVERY_TICKS = 3  # status figures from the database every 30 s (kept up locally between)
FIRST_CARD_WAIT = 0.15  # seconds the first frame may wait for the first card claimed at start
SAVING_SAY_AFTER = 0.08  # seconds before the status line says "saving..."
BUSY_SAY_AFTER = 0.8  # seconds a save may take before the status line says the database is busy

# Keys of the caller screen other than the outcomes. Descriptions are i18n keys. Outcome keys come
# from callroom.toml and may not take any of these (checked at start-up: `reserved_keys`). Keys
# with show=False are in the help screen (?) but not in the 80-column footer.
KEYS: list[Binding] = [
    # only on a card the test results matched (callroom/results): first in the footer then
    Binding("t", "close_matched", "key.close_matched", id="call.close_matched"),
    # y/n while a yes/no question is in focus; Enter (shown) while a date, choice or text one is
    Binding("y", "answer_yes", "key.yes", id="call.yes"),
    Binding("n", "answer_no", "key.no", id="call.no"),
    Binding("enter", "answer_open", "key.answer", key_display="Enter", id="call.answer_open"),
    Binding("enter", "answer", "key.answer", show=False, id="call.answer"),
    Binding("enter", "check_now", "key.check", show=False, id="call.check"),
    Binding("up", "move(-1)", "key.prev", show=False, id="call.prev"),
    Binding("down", "move(1)", "key.next", show=False, id="call.next"),
    Binding("m", "note", "key.note", id="call.note"),
    Binding("u", "undo", "key.undo", id="call.undo"),
    Binding("s", "skip", "key.skip", id="call.skip"),
    Binding("a", "next_number", "key.next_number", id="call.next_number"),
    Binding("c", "copy_number", "key.copy", id="call.copy"),
    Binding("d", "dial", "key.dial", id="call.dial"),
    Binding("f", "find", "key.find", id="call.find"),
    Binding("i", "intake", "key.intake", id="call.intake"),
    Binding("r", "reveal", "key.reveal", show=False, id="call.reveal"),
    Binding("b", "pause", "key.pause", show=False, id="call.pause"),
    Binding("p", "progress", "key.progress", show=False, id="call.progress"),
    # Esc gives up an outcome still saving; the key bar offers it only once the database has
    # kept the save waiting (the status line says so), not during every short save
    Binding("escape", "give_up_busy", "key.give_up", id="call.give_up_busy"),
    Binding("escape", "give_up", "key.give_up", show=False, id="call.give_up"),
    Binding("question_mark", "help", "key.help", key_display="?", id="call.help"),
    Binding("f1", "help", "key.help", show=False, id="call.help_f1"),
    Binding("q", "quit", "key.quit", id="call.quit"),
]

KEY_NAMES = {"enter": "Enter", "up": "Up", "down": "Down", "f1": "F1", "escape": "Esc"}
# Actions that act on the card on screen: refused while an outcome is saving, and until a new
# card has been on screen for settle_ms (keys typed ahead for the previous card).
CARD_ACTIONS = frozenset(
    ("outcome", "answer_yes", "answer_no", "answer", "answer_open", "note", "skip", "next_number",
     "copy_number", "dial", "reveal", "close_matched")
)  # fmt: skip


def reserved_keys() -> dict[str, str]:
    """Keys the caller screen uses itself, with the action (for a clear config error)."""
    return {b.key: b.action for b in KEYS}


def _when(tested_at: str) -> str:
    """11-19 09:30 (or 11-19 for a test without a time): short enough for the card."""
    return tested_at[5:16]


class _Cancelled:
    """A save the caller gave up before it was written."""


class _Saved:
    def __init__(self, pending: Pending, recorded: Recorded, nxt: object) -> None:
        self.pending = pending
        self.recorded = recorded
        self.next = nxt  # CardData, EmptyData, or the error that kept the next card away


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

    class _JobDone(Message):
        """A worker thread's result, handed back to the UI thread (``op``: it ends `op`)."""

        def __init__(self, done: Callable[[Any], None], result: object, op: bool = False) -> None:
            super().__init__()
            self.done = done
            self.result = result
            self.op = op

    class _StillBusy(Message):
        def __init__(self, waited: float) -> None:
            super().__init__()
            self.waited = waited

    def __init__(self, config: Config, store: Store) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.io = CardIO(store)
        self.lang = config.lang
        self.operator = config.operator
        self.library = ScriptLibrary(config.scripts_folder)
        self.card: Task | None = None
        self.data: CardData | None = None
        self.active = ""  # the number on screen: the one to dial and record on
        self.script_run: ScriptRun | None = None
        self.values: dict[str, str] = {}
        self.note = ""
        self.revealed = False
        self.inbound = False
        self.pledge: Any = None  # an inbound case's pledge, agreed during this call
        self.paused = False
        self.skipped: list[int] = []
        # what was typed on a card that left the screen unsaved (s, f, b): task id -> (answers,
        # note), put back when the card comes back in this session; memory only, never on disk
        self.drafts: dict[int, tuple[dict[str, str], str]] = {}
        self.done_today = 0
        self.last_hour = 0
        self.remaining = 0
        self.monotonic = time.monotonic  # the screen's clock for settle and call lengths
        self.shown_at = 0.0  # self.monotonic() when the card was shown
        self.dialed_at: float | None = None  # when the caller dialled or copied the number
        self.op: str | None = None  # a database job in flight ("save", "load", ...)
        self.pending: Pending | None = None  # the outcome being saved
        self.save_waits = False  # ... and waiting for a busy database: Esc may give it up
        self._ticks = 0
        self._mode: tuple[object, ...] | None = None
        self._card_notice: Any = None  # a Notification about the card on screen
        self._bindings = BindingsMap.merge([BindingsMap(self._outcome_bindings()), self._keys()])
        # the card's parts, kept at hand: every key redraws them
        self.header = CardHeader(id="header")
        self.left = CardLeft(id="left")
        self.script = ScriptView(id="script")
        self.status_bar = StatusBar(id="status")
        self._first = self._claim_early()
        # called once the first card (or the empty-queue message) has been painted
        self.after_first_paint: Callable[[], None] | None = None

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
        card = self.card
        if action == "close_matched":
            return card is not None and self.data is not None and self.data.matched
        if action in ("outcome", "note", "skip", "reveal", "answer", "move", "copy_number"):
            return card is not None
        if action == "next_number":
            return card is not None and len(card.numbers) > 1
        if action == "dial":
            return card is not None and bool(self.config.dial_command)
        if action in ("answer_yes", "answer_no", "answer_open"):
            # the keys that answer the question in focus: y/n for yes/no, else Enter
            return card is not None and (self._focus_type() == "yesno") == (action != "answer_open")
        if action == "check_now":
            return card is None
        if action == "give_up":
            return self.pending is not None
        if action == "give_up_busy":
            return self.pending is not None and self.save_waits
        return True

    def _refresh_mode(self) -> None:
        """Refresh the footer only when the set of applicable keys changes (not per keystroke)."""
        card = self.card
        mode = (
            card is not None,
            self._focus_type(),
            card is not None and len(card.numbers) > 1,
            self.pending is not None and self.save_waits,
            card is not None and self.data is not None and self.data.matched,
        )
        if mode != self._mode:
            self._mode = mode
            self.refresh_bindings()

    def _focus_type(self) -> str | None:
        """The type of the script question in focus (None: no script, or none in focus)."""
        run = self.script_run
        current = run.current if run is not None else None
        return current.type if current is not None else None

    def _card_key(self) -> bool:
        """Whether a key meant for the card on screen may act now; if not, say why."""
        if self.op is not None:
            self._flash(t("status.wait_saving", self.lang))
            return False
        if self.card is None:
            return False
        if self.monotonic() - self.shown_at < self.config.settle_ms / 1000:
            self._flash(t("status.settle", self.lang))
            return False
        return True

    def _free(self) -> bool:
        """Whether nothing is in flight (for keys that change the card: undo, find, pause)."""
        if self.op is not None:
            self._flash(t("status.wait_saving", self.lang))
            return False
        return True

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.header
        yield Static(id="matched")  # a card the test results matched: say so, offer the key
        with Horizontal(id="card"):
            yield self.left
            yield self.script
        yield Static(id="empty")
        yield OutcomeBar(id="outcomes")
        yield self.status_bar
        # narrow: copy goes first (also in the help), then find; `i` (the inbound desk) stays
        yield KeyBar(drop=("copy_number", "find", "help", "skip"))

    def _claim_early(self) -> Future[object]:
        """Claim the first card in a thread while Textual starts (SQLite runs without the GIL)."""
        future: Future[object] = Future()

        def work() -> None:
            try:
                future.set_result(self.io.next_card(self.operator, []))
            except Exception as exc:
                future.set_result(exc)

        threading.Thread(target=work, name="callroom-first-card", daemon=True).start()
        return future

    def on_mount(self) -> None:
        self.query_one(OutcomeBar).show(self.config.outcomes, self.lang)
        self.status_bar.show_clock(self.store.now())
        try:
            # claimed while Textual started: usually ready, so the first frame has the card
            first = self._first.result(timeout=FIRST_CARD_WAIT)
        except FutureTimeout:  # a busy database: the card comes when it can, nothing waits
            self.op = "load"
            self._first.add_done_callback(
                lambda f: self.post_message(self._JobDone(self._show_next, f.result(), op=True))
            )
        else:
            self._show_next(first)
        self.set_interval(max(5, self.config.lease_seconds // 3), self._renew_soon)
        self.set_interval(TICK_SECONDS, self._tick)

    def on_unmount(self) -> None:
        if self.pending is not None:
            self.pending.cancel.set()  # Ctrl+Q while a busy database holds it: stop retrying
        self.io.close()

    def on_resize(self, event: Any) -> None:
        # 38 cells of card on the left at 80 columns; on a narrower terminal the script keeps half
        width = 38 if event.size.width >= 80 else max(26, event.size.width // 2)
        left = self.query_one("#left")
        if left.styles.width is None or left.styles.width.value != width:
            left.styles.width = width

    # -- running database work off the UI thread ----------------------------------------------

    def _run(self, op: str, job: Callable[[], object], done: Callable[[Any], None]) -> None:
        """Run ``job`` in a worker thread; ``done(result)`` runs on the UI thread after.

        ``result`` is the job's return value or the exception it raised.
        """
        self.op = op

        def work() -> None:
            try:
                result: object = job()
            except Exception as exc:  # handed to `done`, which shows it or raises it
                result = exc
            self.post_message(self._JobDone(done, result, op=True))

        self.run_worker(work, thread=True, group="card", exit_on_error=False)

    def on_call_screen__job_done(self, message: _JobDone) -> None:
        if message.op:
            self.op = None
        message.done(message.result)

    @staticmethod
    def _refused(result: object) -> bool:
        """A store refusal or SQLite error to show; any other exception is a bug: raise it."""
        if isinstance(result, StoreError | sqlite3.Error):
            return True
        if isinstance(result, BaseException):
            raise result
        return False

    def _error(self, key: str, exc: BaseException) -> None:
        reason = describe(exc, self.lang, self.store.path)  # type: ignore[arg-type]
        if getattr(explain(exc, self.store.path), "fatal", False):  # type: ignore[arg-type]
            # the database is gone, replaced or damaged: nothing more can be saved, so stop
            # rather than show cards whose outcomes would be lost; the message stays on the
            # terminal after the screen closes, and the command exits 1
            self.card = None
            self.app.exit(return_code=1, message=reason)
            return
        if is_busy(exc):
            reason = t("storeerr.busy", self.lang)
        text = t(key, self.lang, reason=reason)
        self.status_bar.show_last(text, "bold $error")
        self.notify(text, severity="error", timeout=6)

    # -- showing a card -----------------------------------------------------------------------

    def load_next(self) -> None:
        """Claim the next card for this caller and show it (or say why there is none)."""
        if self.op is not None:
            return
        self.status_bar.flash(t("status.loading", self.lang), "$text-muted", 1.0)
        skipped = list(self.skipped)
        self._run("load", lambda: self.io.next_card(self.operator, skipped), self._show_next)

    def _show_next(self, result: object) -> None:
        if isinstance(result, CardData):
            self.show_card(result)
        elif isinstance(result, EmptyData):
            self.show_empty(result)
        elif self._refused(result):
            assert isinstance(result, Exception)
            self._error("error.store", result)
            self.show_empty(None)
        if self._ticks == 0 and self.done_today == 0:
            self._refresh_counts()  # after the first card: it must not wait for these figures
        if self.after_first_paint is not None:
            self.call_after_refresh(self.after_first_paint)
            self.after_first_paint = None

    def show_card(
        self,
        data: CardData,
        inbound: bool = False,
        answers: dict[str, str] | None = None,
        note: str = "",
        active: str | None = None,
    ) -> None:
        task = data.task
        self._drop_card_notice()
        draft = self.drafts.pop(task.id, None)
        if answers is None and not note and draft is not None:
            answers, note = draft
        self.card = task
        self.data = data
        self.active = active if active in task.numbers else task.current_phone
        self.inbound = inbound or task.state in CLOSED_STATES
        self.revealed = False
        self.note = note
        self.pledge = None
        self.dialed_at = None
        now = self.store.now()
        self.remove_class("-empty")
        self.header.show(task, now, self.lang, self.config, self.inbound)
        self._show_test(data)
        left = self.left
        left.why.show(
            task, self.lang, self._test_line(data), inbound_rows(data, self.config, self.lang)
        )
        left.history.show(task, data.attempts, data.history, self.config, self.lang, data.reopened)
        self._show_phone()
        self._show_script(answers)
        self._show_note()
        self.status_bar.show_clock(now)
        self._refresh_mode()
        self.shown_at = self.monotonic()
        self.post_message(self.CardShown(task.id))
        if draft is not None and (answers or note):
            self.status_bar.flash(t("status.draft_back", self.lang), "bold $accent", 4)

    def _keep_draft(self) -> None:
        """The card leaves the screen without an outcome (skip, find, break): keep what was
        typed on it for when it comes back, rather than ask each time (an inbound call waits
        for nobody) or lose it."""
        task = self.card
        answers = dict(self.script_run.answers) if self.script_run is not None else {}
        if task is not None and (answers or self.note):
            self.drafts[task.id] = (answers, self.note)

    # -- the health system's test results (callroom/results) ------------------------------

    def _test_line(self, data: CardData) -> str:
        """The resident's test, on the card: why it did not close the task ("上次检测 11-19，
        早于抵深"), or the one that did."""
        test = data.test
        if test is None:
            return ""
        day = test.tested_at[5:10]  # the day is what decides; the line fits the card's column
        if test.reason:
            key = f"test.{test.reason}"
            return t(key, self.lang, when=day, n=self.config.window_days)
        return t("test.matched", self.lang, when=day, site=test.site or "-")

    def _show_test(self, data: CardData) -> None:
        """The banner over a card the test results matched while it was open."""
        banner = self.query_one("#matched", Static)
        test = data.test
        if data.matched and test is not None:
            banner.update(
                Content.assemble(
                    (t("test.banner", self.lang, when=_when(test.tested_at),
                       site=test.site or "-"), "bold")
                )
            )  # fmt: skip
            self.add_class("-matched")
        else:
            self.remove_class("-matched")

    def _check_test(self) -> None:
        """On the clock's tick: has an import of test results matched the card on screen?"""
        task = self.card
        if task is None or self.op is not None or (self.data is not None and self.data.matched):
            return

        def work() -> None:
            try:
                found = self.io.test_match(task.id)
            except (StoreError, sqlite3.Error):
                return  # busy: the next tick looks again
            if found is not None:
                self.post_message(self._JobDone(lambda _: self._matched_now(task, found), None))

        self.run_worker(work, thread=True, group="test", exit_on_error=False)

    def _matched_now(self, task: Task, found: CardData) -> None:
        if self.card is not task or self.data is None:
            return  # another card by now
        task.test_result = found.task.test_result  # the same card: answers and note stay
        self.data = replace(self.data, test=found.test)
        self._show_test(self.data)
        self.left.why.show(task, self.lang, self._test_line(self.data))
        self.left.refresh()
        self._refresh_mode()
        # a toast that goes with the card: it leaves when the card does (show_card, show_empty)
        from textual.notifications import Notification, Notify

        self._card_notice = Notification(t("test.notice", self.lang), "", "information", 8)
        self.app.post_message(Notify(self._card_notice))

    def _drop_card_notice(self) -> None:
        notice, self._card_notice = self._card_notice, None
        if notice is not None:
            with suppress(KeyError):  # gone already (timed out); no public way to take one
                self.app._unnotify(notice)  # toast back in Textual 8.2

    def action_close_matched(self) -> None:
        if not self._card_key() or self.data is None or not self.data.matched:
            return
        task = self.card
        assert task is not None
        skipped = list(self.skipped)

        def done(result: object) -> None:
            if self._refused(result):
                assert isinstance(result, Exception)
                self._error("error.store", result)
                self.load_next()
                return
            closed, nxt = result  # type: ignore[misc]
            self.remaining = max(0, self.remaining - 1)
            self._show_counts()
            name = mask_name(closed.name) or mask(closed.phone)
            self.status_bar.show_last(t("status.closed_matched", self.lang, name=name))
            self._show_next(nxt)

        self._run(
            "close", lambda: self.io.close_matched_and_next(task.id, self.operator, skipped), done
        )

    def _show_phone(self) -> None:
        assert self.card is not None and self.data is not None
        left = self.left
        left.phone.show(
            self.card, self.active, self.lang, self.revealed, self.data.month_calls,
            self.data.attempts, self.config,
        )  # fmt: skip
        left.refresh()

    def _show_script(self, answers: dict[str, str] | None = None) -> None:
        assert self.card is not None
        pane = self.script
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
            case = self.data.case if self.data is not None else None
            if case is not None and case.answers:
                # an inbound case: what the intake already took down, this call's answers on top
                answers = {**case.answers, **(answers or {})}
            self.script_run = ScriptRun(script, answers)
            pane.show_script(script, self.values, self.script_run, self.lang, self.revealed)

    def _show_note(self) -> None:
        note = Content.assemble((t("call.note", self.lang) + ": ", "bold"), self.note)
        self.script.show_note(note if self.note else Content(""))

    def show_empty(self, data: EmptyData | None) -> None:
        self._drop_card_notice()
        self.card = None
        self.data = None
        self.remove_class("-matched")
        self.script_run = None
        self.add_class("-empty")
        self.query_one("#empty", Static).update(self._empty_message(data))
        self._refresh_mode()
        self.post_message(self.CardShown(None))

    def _empty_message(self, data: EmptyData | None) -> Content:
        lang, cfg = self.lang, self.config
        now = self.store.now()
        lines: list[Content] = [Content.assemble((t("empty.title", lang), "bold"))]
        if data is None or data.error is not None or data.outlook is None:
            if data is not None and data.error is not None:
                self._error("error.store", data.error)
            lines.append(Content.assemble((t("status.busy_card", lang), "$warning")))
            lines.append(Content.assemble((t("empty.poll", lang, s=TICK_SECONDS), "$text-muted")))
            return Content("\n\n").join(lines)
        look = data.outlook
        if not data.has_lists:
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
        if not self._card_key():
            return
        self._checklist(self.config.outcome(code), self.card)

    def _checklist(self, outcome: Outcome, task: Task | None, asked: int = 0) -> None:
        """Ask what the outcome still needs, one dialog at a time, then save it.

        Required answers first (in script order), then a note if an answer or the outcome
        demands one, then a callback time. Escape anywhere records nothing.
        """
        if task is None or self.card is not task or self.op is not None:
            return  # the card changed under an open dialog: never record on another one
        label = outcome.label(self.lang)
        run = self.script_run
        # an inbound case: the verified outcome completes it, so the form's required answers too
        completes = task.is_case and outcome.kind == "final" and outcome.verified
        missing = run.missing_for(outcome.code, complete=completes) if run is not None else []
        if run is not None and missing:
            question = missing[0]
            run.focus(question.id)
            self._answered()
            title = t("checklist.title", self.lang, outcome=label, i=asked + 1,
                      n=asked + len(missing))  # fmt: skip

            def answered(value: str | None) -> None:
                if value is None:
                    self.status_bar.show_last(
                        t("status.missing", self.lang, n=len(run.missing_for(outcome.code))),
                        "bold $warning",
                    )
                    return
                self._checklist(outcome, task, asked + 1)

            self._ask(question, answered, title)
            return
        demand = run.note_demanded_by() if run is not None else None
        if not self.note and (demand is not None or outcome.needs_note):
            from callroom.screens.dialogs import NoteDialog

            title = (
                t("note.choice", self.lang, choice=demand[1].label(self.lang))
                if demand is not None
                else t("note.required", self.lang, outcome=label)
            )

            def got_note(note: str | None) -> None:
                if note:
                    self.note = note
                    self._show_note()
                    self._checklist(outcome, task, asked)

            self.app.push_screen(
                NoteDialog(self.lang, self.note, required=title,
                           placeholder=self._note_example(outcome, demand)),
                got_note,
            )  # fmt: skip
            return
        if completes and self._pledge_missing(run):
            self._ask_pledge(outcome, task, asked)
            return
        if outcome.kind == "callback":
            from callroom.screens.dialogs import CallbackDialog

            def got_time(when: datetime | None) -> None:
                if when is not None and self.card is task:
                    self.commit(outcome, callback_at=when)

            self.app.push_screen(
                CallbackDialog(self.config, self.lang, self.store.now, label, task.urgent),
                got_time,
            )
            return
        self.commit(outcome)

    def _pledge_missing(self, run: ScriptRun | None) -> bool:
        """A case's form with a pledge that neither this call nor an earlier one recorded."""
        if run is None or not run.script.pledge or self.pledge is not None:
            return False
        case = self.data.case if self.data is not None else None
        return case is None or case.pledge_hash is None

    def _ask_pledge(self, outcome: Outcome, task: Task, asked: int) -> None:
        from callroom.inbound.desk import Pledge
        from callroom.screens.dialogs import PledgeDialog

        run = self.script_run
        assert run is not None
        text = run.script.pledge_text(self.lang)

        def agreed(at: datetime | None) -> None:
            if at is not None and self.card is task:
                self.pledge = Pledge(text, self.lang, at)
                self._checklist(outcome, task, asked)

        self.app.push_screen(PledgeDialog(self.lang, text, self.store.now), agreed)

    def _note_example(self, outcome: Outcome, demand: tuple[Question, Any] | None) -> str:
        """The note box's example, fitting what asks for the note: a choice, else the outcome
        (its own example when callroom has one for that code)."""
        if demand is not None:
            return t("note.example.choice", self.lang)
        key = f"note.example.{outcome.code}"
        example = t(key, self.lang)
        if example == key:  # an outcome of this office's own: no example of ours
            return t("note.example.outcome", self.lang, outcome=outcome.label(self.lang))
        return example

    def commit(self, outcome: Outcome, callback_at: datetime | None = None) -> None:
        """Save the outcome in a worker thread, then show the next card."""
        task = self.card
        if task is None or self.op is not None:
            return
        started = self.dialed_at if self.dialed_at is not None else self.shown_at
        pending = Pending(
            task=task,
            code=outcome.code,
            answers=self.script_run.result() if self.script_run is not None else {},
            note=self.note,
            callback_at=callback_at,
            phone=self.active,
            seconds=round(self.monotonic() - started),
            timed_from="dial" if self.dialed_at is not None else "card",
            inbound=self.inbound,
            pledge=self.pledge if outcome.verified else None,
        )
        self.pending = pending
        skipped = list(self.skipped)
        self._run("save", lambda: self._save(pending, skipped), self._saved)
        # said only if it takes a while: a repaint in between would hold the next card back
        # by a frame (Textual paints at most once per 1/60 s)
        self.set_timer(SAVING_SAY_AFTER, lambda: self._say_saving(pending))

    def _say_saving(self, pending: Pending) -> None:
        if self.pending is pending:
            self.status_bar.show_last(t("status.saving", self.lang), "bold $accent")

    def _save(self, p: Pending, skipped: list[int]) -> object:
        """In the worker thread: write the outcome, retrying while the database is busy."""
        started = time.monotonic()
        while True:
            if p.cancel.is_set():
                return _Cancelled()
            try:
                # the outcome and the next card's claim: one transaction, one commit
                recorded, nxt = self.io.record_and_next(p, self.operator, skipped)
                return _Saved(p, recorded, nxt)
            except Exception as exc:
                if not is_busy(exc):
                    raise
                self.post_message(self._StillBusy(time.monotonic() - started))
                p.cancel.wait(0.2)

    def on_call_screen__still_busy(self, message: _StillBusy) -> None:
        if self.pending is not None and message.waited >= BUSY_SAY_AFTER:
            self.save_waits = True
            self._refresh_mode()  # Esc (give up) joins the key bar
            self.status_bar.show_last(
                t("status.busy", self.lang, s=round(message.waited)), "bold $warning"
            )

    def action_give_up_busy(self) -> None:
        self.action_give_up()

    def action_give_up(self) -> None:
        """Escape while an outcome waits for a busy database: give it up (if not yet written)."""
        if self.pending is not None:
            self.pending.cancel.set()

    def _saved(self, result: object) -> None:
        pending, self.pending = self.pending, None
        self.save_waits = False
        self._refresh_mode()
        status = self.status_bar
        if isinstance(result, _Cancelled):
            status.show_last(t("status.cancelled", self.lang), "bold $warning")
            return
        if not isinstance(result, _Saved):
            if self._refused(result):
                assert isinstance(result, Exception)
                self._error("error.record", result)
            return
        assert pending is not None
        task, rec = pending.task, result.recorded
        outcome = self.config.outcome(pending.code)
        self.done_today += 1
        self.last_hour += 1
        if rec.state not in OPEN_STATES and task.state in OPEN_STATES:
            self.remaining = max(0, self.remaining - 1)
        self._show_counts()
        status.show_last(self._saved_text(outcome, rec, task))
        self.post_message(self.OutcomeRecorded(task.id, outcome.code, rec.state))
        self._show_next(result.next)

    def _saved_text(self, outcome: Outcome, rec: Recorded, task: Task) -> str:
        """已记录 无人接听 欧**娜 - 60分钟后重拨 15:40 (u撤销)."""
        lang = self.lang
        now = self.store.now()
        if rec.switched:
            n = task.numbers.index(rec.active_phone) + 1
            what = t("next.switched", lang, n=n)
        elif rec.state == RETRY and rec.next_at is not None:
            plain = now + timedelta(minutes=outcome.retry_minutes)
            if outcome.retry_minutes and abs((rec.next_at - plain).total_seconds()) < 60:
                what = t("next.retry", lang, m=outcome.retry_minutes,
                         time=rec.next_at.strftime("%H:%M"))  # fmt: skip
            else:  # moved into calling hours
                what = t("next.retry_at", lang, when=fmt.when(rec.next_at, now, lang))
        elif rec.state == CALLBACK and rec.next_at is not None:
            what = t("next.callback", lang, when=fmt.when(rec.next_at, now, lang))
        elif rec.state == FIELD_VISIT:
            what = t("next.field_visit", lang)
        else:
            what = t("next.done", lang)
        name = mask_name(task.name) or mask(task.phone)
        return t("status.saved", lang, outcome=outcome.label(lang), name=name, next=what)

    # -- answers ------------------------------------------------------------------------------

    def _answered(self) -> None:
        if self.script_run is not None:
            self.script.show_answers(self.script_run)
            self._refresh_mode()

    def action_answer_yes(self) -> None:
        self._yes_no("yes")

    def action_answer_no(self) -> None:
        self._yes_no("no")

    def _yes_no(self, value: str) -> None:
        if not self._card_key():
            return
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

    def action_answer_open(self) -> None:
        self.action_answer()

    def action_answer(self) -> None:
        if not self._card_key():
            return
        run = self.script_run
        if run is None or run.current is None:
            return
        self._ask(run.current, lambda _: None)

    def _ask(
        self, q: Question, then: Callable[[str | None], None], title: str | None = None
    ) -> None:
        """Open the answer dialog for one question; ``then(value)`` after (None: cancelled)."""
        from callroom.screens.dialogs import AnswerDialog, AnswerResult

        run = self.script_run
        assert run is not None
        task = self.card
        number = run.number(q)

        def got(result: AnswerResult | None) -> None:
            if result is None or self.script_run is not run or self.card is not task:
                then(None)
                return
            run.focus(q.id)
            run.answer(result.value)
            self._answered()
            choice = q.choice(result.value) if result.value is not None else None
            if choice is not None and choice.note and not self.note:
                self._note_for_choice(choice.label(self.lang), lambda: then(result.value))
                return
            then(result.value)

        self.app.push_screen(
            AnswerDialog(
                q, number, self.values, self.lang, self.store.now().date(), run.answers.get(q.id),
                title=title, required=title is not None,
            ),
            got,
        )  # fmt: skip

    def _note_for_choice(self, label: str, then: Callable[[], None]) -> None:
        from callroom.screens.dialogs import NoteDialog

        def got(note: str | None) -> None:
            if note:
                self.note = note
                self._show_note()
            then()

        self.app.push_screen(
            NoteDialog(
                self.lang,
                self.note,
                required=t("note.choice", self.lang, choice=label),
                placeholder=t("note.example.choice", self.lang),
            ),
            got,
        )

    def action_check_now(self) -> None:
        self.skipped.clear()
        self.load_next()

    # -- numbers and dialling -----------------------------------------------------------------

    def action_next_number(self) -> None:
        if not self._card_key():
            return
        task = self.card
        assert task is not None
        numbers = task.numbers
        alive = [n for n in numbers if n not in task.dead_phones] or list(numbers)
        later = [n for n in numbers[numbers.index(self.active) + 1 :] if n in alive]
        self.active = (later or alive)[0]
        self.dialed_at = None
        self._show_phone()
        self.status_bar.flash(
            t("status.number", self.lang, n=numbers.index(self.active) + 1,
              number=display(self.active)), "bold $accent",
        )  # fmt: skip

    def action_copy_number(self) -> None:
        if not self._card_key():
            return
        from callroom.numbers import dial_digits

        self.app.copy_to_clipboard(dial_digits(self.active))  # OSC 52: works over SSH
        self.dialed_at = self.monotonic()
        self.status_bar.flash(
            t("status.copied", self.lang, number=display(self.active)), "bold $accent", 4
        )

    def action_dial(self) -> None:
        if not self._card_key() or not self.config.dial_command:
            return
        from callroom.dialing import DialResult, dial_argv, run_dial

        number = display(self.active)
        argv = dial_argv(self.config.dial_command, self.active)
        self.dialed_at = self.monotonic()
        status = self.status_bar
        status.flash(t("status.dialing", self.lang, number=number), "bold $accent", 30)

        def work() -> None:
            result = run_dial(argv)
            self.post_message(self._JobDone(dialled, result))

        def dialled(result: DialResult) -> None:
            if result.ok:
                status.flash(t("status.dialed", self.lang, number=number), "bold $accent", 4)
            else:
                status.flash(
                    t("status.dial_failed", self.lang, reason=result.message), "bold $error", 8
                )

        self.run_worker(work, thread=True, group="dial", exit_on_error=False)

    # -- other keys ---------------------------------------------------------------------------

    def action_note(self) -> None:
        if not self._card_key():
            return
        from callroom.screens.dialogs import NoteDialog

        def got(note: str | None) -> None:
            if note is not None:
                self.note = note
                self._show_note()

        self.app.push_screen(NoteDialog(self.lang, self.note), got)

    def action_undo(self) -> None:
        if not self._free():
            return

        def done(result: object) -> None:
            if self._refused(result):
                assert isinstance(result, Exception)
                self._error("error.undo", result)
                return
            data, undone = result  # type: ignore[misc]
            if data.task.id in self.skipped:
                self.skipped.remove(data.task.id)
            self.done_today = max(0, self.done_today - 1)
            self.last_hour = max(0, self.last_hour - 1)
            self._show_counts()
            # an outcome, or (no attempt) the `t` close of a matched card; and whose it was
            code = undone.outcome if undone is not None else MATCHED
            name = mask_name(data.task.name) or mask(data.task.phone)
            self.status_bar.show_last(
                t("status.undone", self.lang, outcome=outcome_label(self.config, code, self.lang),
                  name=name), "bold $warning",
            )  # fmt: skip
            self.show_card(
                data,
                answers=undone.answers if undone else None,
                note=undone.note if undone else "",
                active=undone.phone if undone else None,  # back on the number she was calling
            )

        self._run("undo", lambda: self.io.undo(self.operator), done)

    def action_skip(self) -> None:
        if not self._card_key():
            return
        task = self.card
        assert task is not None
        self._keep_draft()
        self.skipped.append(task.id)
        skipped = list(self.skipped)

        def done(result: object) -> None:
            if isinstance(result, CardData | EmptyData):
                self.status_bar.show_last(t("status.skipped", self.lang), "$text-muted")
            elif task.id in self.skipped:
                self.skipped.remove(task.id)
            self._show_next(result)

        self._run("skip", lambda: self.io.skip(task.id, self.operator, skipped), done)

    def action_reveal(self) -> None:
        if not self._card_key():
            return
        task = self.card
        assert task is not None

        def toggle(result: object = None) -> None:
            if self._refused(result):
                assert isinstance(result, Exception)
                self._error("error.store", result)
                return
            if self.card is not task:
                return
            self.revealed = not self.revealed
            self._show_phone()
            answers = self.script_run.answers if self.script_run is not None else None
            self._show_script(answers)

        if self.revealed:
            toggle()
            return
        # the audit event says who looked at which task, never what they saw
        detail = {"fields": ["name", "id_number"]}
        self._run(
            "reveal", lambda: self.io.log_event("reveal", self.operator, task.id, detail), toggle
        )

    def action_find(self) -> None:
        if not self._free():
            return
        from callroom.screens.find import FindScreen, Found

        def got(found: Found | str | None) -> None:
            if isinstance(found, str):  # no record of this number: take the call
                self.action_intake(found)
                return
            if found is None or not self._free():
                return
            if self.card is not None and self.card.id != found.task_id:
                self._keep_draft()

            def done(result: object) -> None:
                if self._refused(result):
                    assert isinstance(result, Exception)
                    self._error("find.failed", result)
                    return
                assert isinstance(result, CardData)
                # the resident rang from this number: the card is on it
                self.show_card(result, inbound=True, active=found.phone)
                if found.linked_from is not None:
                    self.status_bar.show_last(
                        t("find.linked", self.lang, row=found.linked_from, task=found.task_id),
                        "bold $accent",
                    )

            self._run("find", lambda: self.io.claim(found.task_id, self.operator), done)

        self.app.push_screen(FindScreen(self.config, self.store, self.lang), got)

    def action_intake(self, phone: str = "") -> None:
        """Take an inbound call: the number, the group, the group's form, the pledge."""
        from callroom.screens.intake import IntakeScreen, summary

        def saved(taken: Any) -> None:
            if taken is None:
                return
            self.status_bar.show_last(summary(self.config, taken), "bold $success")
            self._refresh_counts()
            if self.card is None and not self.paused and self.op is None:
                self.load_next()  # a case queued while the queue was empty: it is the next card

        screen = IntakeScreen(
            self.config, self.store, lambda intake, complete: self.io.take(
                intake, self.operator, complete), phone=phone,
        )  # fmt: skip
        self.app.push_screen(screen, saved)

    def action_pause(self) -> None:
        if not self._free():
            return
        from callroom.screens.dialogs import PauseScreen

        task = self.card
        self._keep_draft()

        def job() -> None:
            if task is not None:
                self.io.release(task.id, self.operator, "pause")
            self.io.log_event("pause", self.operator, task.id if task else None)

        def paused(result: object) -> None:
            if self._refused(result):
                assert isinstance(result, Exception)
                self._error("error.store", result)
                return
            self.paused = True
            self.card = None
            self.script_run = None
            # nothing of the released card stays on screen under the break notice
            self.add_class("-empty")
            self.query_one("#empty", Static).update(t("pause.title", self.lang))
            self._refresh_mode()
            self.status_bar.show_last(t("status.paused", self.lang), "$warning")
            screen = PauseScreen(self.lang, self.store.now)
            self.app.push_screen(screen, lambda quit_now: self._resumed(screen, quit_now))

        self._run("pause", job, paused)

    def _resumed(self, screen: Any, quit_now: bool | None) -> None:
        self.paused = False
        minutes = int((self.store.now() - screen.started).total_seconds() // 60)
        if quit_now:
            self.app.exit()
            return
        self.status_bar.show_last("")
        skipped = list(self.skipped)

        def job() -> object:
            self.io.log_event("resume", self.operator, detail={"minutes": minutes})
            return self.io.next_card(self.operator, skipped)

        self._run("resume", job, self._show_next)

    def action_progress(self) -> None:
        from callroom.screens.lead import LeadScreen

        self.app.push_screen(LeadScreen(self.config, self.store))

    def action_help(self) -> None:
        from callroom.screens.help import HelpScreen

        outcomes = [(o.key, o.label(self.lang)) for o in self.config.outcomes]
        keys: dict[str, list[str]] = {}
        for binding in KEYS:
            if binding.action == "dial" and not self.config.dial_command:
                continue
            key = binding.key_display or KEY_NAMES.get(binding.key, binding.key)
            described = keys.setdefault(key, [])
            if t(binding.description, self.lang) not in described:
                described.append(t(binding.description, self.lang))
        rows = [(k, " / ".join(v)) for k, v in keys.items()]
        notes = t("help.rules", self.lang, ms=self.config.settle_ms)
        self.app.push_screen(HelpScreen(self.lang, outcomes, rows, notes))

    def action_quit(self) -> None:
        """Quit; with answers or a note typed on the card, or an outcome still saving, ask once."""
        typed = bool(self.drafts) or (
            self.card is not None
            and (bool(self.note) or bool(self.script_run and self.script_run.answers))
        )
        if self.pending is None and not typed:
            self.release_card("quit")
            self.app.exit()
            return
        from callroom.screens.dialogs import ConfirmDialog

        body = t("quit.saving" if self.pending is not None else "quit.typed", self.lang)

        def answered(yes: bool | None) -> None:
            if yes:
                if self.pending is not None:
                    self.pending.cancel.set()
                self.release_card("quit")
                self.app.exit()

        self.app.push_screen(ConfirmDialog(self.lang, t("quit.title", self.lang), body), answered)

    def release_card(self, reason: str) -> None:
        """Give the card back to the queue (quit, hang-up). Safe to call twice.

        Runs on the calling thread, waiting at most a moment for a job in flight: if it cannot,
        the card comes back when its lease runs out.
        """
        task, self.card = self.card, None
        if task is None:
            return
        if not self.io.lock.acquire(timeout=2.0):
            return
        try:
            with suppress(StoreError, sqlite3.Error):
                self.io.writer.release(task.id, self.operator, reason=reason)
        finally:
            self.io.lock.release()

    # -- timers -------------------------------------------------------------------------------

    def _renew_soon(self) -> None:
        if self.card is None or self.op is not None:
            return
        task = self.card

        def work() -> None:
            try:
                still_mine = self.io.renew(task.id)
            except (StoreError, sqlite3.Error) as exc:
                if getattr(explain(exc, self.store.path), "fatal", False):
                    # the database is gone: stop now, not at the next outcome
                    failure = exc  # `exc` is unbound once the except block ends
                    self.post_message(
                        self._JobDone(lambda _: self._error("error.store", failure), None)
                    )
                return  # busy for a moment: the lease has time left, try on the next tick
            if not still_mine:
                self.post_message(self._JobDone(lambda _: self._lease_lost(task), None))

        self.run_worker(work, thread=True, group="renew", exit_on_error=False)

    def _renew(self) -> None:
        """Renew the lease now, on this thread (the timer does it in a worker)."""
        if self.card is not None and not self.io.renew(self.card.id):
            self._lease_lost(self.card)

    def _lease_lost(self, task: Task) -> None:
        if self.card is task and self.op is None:
            self.notify(t("error.lease_lost", self.lang), severity="warning")
            self.card = None
            self.load_next()

    def _tick(self) -> None:
        self._ticks += 1
        now = self.store.now()
        self.status_bar.show_clock(now)
        if self._ticks % COUNTS_EVERY_TICKS == 0:
            self._refresh_counts()
        if self.paused or self.app.screen is not self:
            return
        if self.card is not None:
            self.header.show(self.card, now, self.lang, self.config, self.inbound)
            self._check_test()
        elif self.op is None:
            self.load_next()

    def _refresh_counts(self) -> None:
        since = self.store.now() - timedelta(hours=1)

        def work() -> None:
            try:
                counts = self.io.counts(self.operator, since)
            except (StoreError, sqlite3.Error):
                return
            self.post_message(self._JobDone(self._got_counts, counts))

        self.run_worker(work, thread=True, group="counts", exit_on_error=False)

    def _got_counts(self, counts: Counts) -> None:
        self.done_today, self.last_hour, self.remaining = (
            counts.done_today, counts.last_hour, counts.remaining,
        )  # fmt: skip
        self._show_counts()

    def _show_counts(self) -> None:
        self.status_bar.show_counts(
            self.operator, self.done_today, self.last_hour, self.remaining, self.lang
        )

    def _flash(self, text: str) -> None:
        self.status_bar.flash(text)
