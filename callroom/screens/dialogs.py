"""Small keyboard-only dialogs of the caller screen: callback time, note, answer, confirm, break.

Each is a typed ``ModalScreen[T]`` returning through ``dismiss``; Escape cancels (None). The
callback and date inputs preview what they understood as you type, so Enter never surprises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from callroom.config import Config
from callroom.i18n import t
from callroom.scripts import (
    AnswerError,
    Question,
    answer_text,
    default_answer,
    parse_answer,
    pick_text,
)
from callroom.when import WhenError, parse_callback
from callroom.widgets import fmt
from callroom.widgets.keybar import KeyBar
from callroom.widgets.script_pane import rendered

WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def weekday(d: date, lang: str) -> str:
    return ("周" + WEEKDAYS["zh"][d.weekday()]) if lang == "zh" else WEEKDAYS["en"][d.weekday()]


class CallbackDialog(ModalScreen[datetime | None]):
    """When to call back: 14:30, +30m, 明天9点, tomorrow 9 ... Returns a future datetime.

    A time outside calling hours becomes the next opening (as retries do: the queue would not
    offer the card before then), said in the preview before Enter; an urgent card, which is
    called outside hours, keeps the time typed."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self, config: Config, lang: str, now: Callable[[], datetime], title: str,
        urgent: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(classes="dialog-screen")
        self.config = config
        self.lang = lang
        self.now = now
        self.title_text = title
        self.urgent = urgent

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(
                id="when", placeholder=t("callback.placeholder", lang), select_on_focus=False
            )
            yield Static(id="preview", classes="preview")
            yield Static(t("callback.examples", lang), classes="dialog-hint")
            yield Static(t("dialog.hint", lang), classes="dialog-hint")

    def _read(self, text: str) -> tuple[datetime, datetime]:
        """The time typed and the time the callback is set for."""
        from callroom.schedule import into_calling_hours

        typed = parse_callback(text, self.now())
        return typed, typed if self.urgent else into_calling_hours(typed, self.config)

    def on_input_changed(self, event: Input.Changed) -> None:
        preview = self.query_one("#preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            typed, when = self._read(event.value)
        except WhenError as exc:
            preview.update(Content.assemble((t(f"when.err.{exc.code}", self.lang), "$error")))
            return
        preview.update(self._describe(typed, when))

    def _describe(self, typed: datetime, when: datetime) -> Content:
        lang = self.lang
        now = self.now()
        parts: list[str | tuple[str, str]] = [
            ("-> ", "$text-muted"),
            (f"{fmt.when(when, now, lang)} ({weekday(when.date(), lang)})", "bold $success"),
        ]
        start = self.config.hours_start.strftime("%H:%M")
        end = self.config.hours_end.strftime("%H:%M")
        if when != typed:
            text = t("callback.moved", lang, typed=typed.strftime("%H:%M"), start=start, end=end)
            parts += ["\n", (text, "$warning")]
        elif not self.config.in_calling_hours(when.time()):  # an urgent card
            parts += ["\n", (t("callback.outside", lang, start=start, end=end), "$warning")]
        return Content.assemble(*parts)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            _, when = self._read(event.value)
        except WhenError as exc:
            self.query_one("#preview", Static).update(
                Content.assemble((t(f"when.err.{exc.code}", self.lang), "bold $error"))
            )
            self.app.bell()
            return
        self.dismiss(when)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[str | None]):
    """A one-line note. ``required`` (the title saying who demands one: an outcome, a choice)
    refuses an empty note."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self, lang: str, value: str = "", required: str | None = None, placeholder: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.lang = lang
        self.value = value
        self.required = required
        self.placeholder = placeholder  # an example that fits what asks for the note

    def compose(self) -> ComposeResult:
        lang = self.lang
        title = self.required or t("note.title", lang)
        with Vertical(classes="dialog"):
            yield Label(title, classes="dialog-title")
            yield Input(
                value=self.value,
                placeholder=self.placeholder or t("note.placeholder", lang),
                max_length=200,
                select_on_focus=False,
                id="note",
            )
            yield Static(id="preview", classes="preview")
            yield Static(t("dialog.hint", lang), classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#preview", Static).update(
                Content.assemble((t("note.err.empty", self.lang), "bold $error"))
            )
            self.app.bell()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class AnswerResult:
    """What the answer dialog decided: a value, or None to clear the answer."""

    value: str | None


class AnswerDialog(ModalScreen[AnswerResult | None]):
    """Answer one question: y/n, a digit for a choice, or typed text / a date with preview."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False),
        Binding("y", "pick('yes')", show=False),
        Binding("n", "pick('no')", show=False),
        Binding("delete,backspace", "clear", show=False),
        *(Binding(str(i), f"choose({i})", show=False) for i in range(1, 10)),
    ]

    def __init__(
        self,
        question: Question,
        number: int,
        values: dict[str, str],
        lang: str,
        today: date,
        current: str | None = None,
        title: str | None = None,
        required: bool = False,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.number = number
        self.values = values
        self.lang = lang
        self.today = today
        self.current = current
        self.title_text = title  # why it is asked (an outcome waiting for it), above the question
        self.required = required  # asked for an outcome: an empty answer is refused, not cleared

    def compose(self) -> ComposeResult:
        q, lang = self.question, self.lang
        with Vertical(classes="dialog"):
            if self.title_text:
                yield Label(self.title_text, classes="dialog-why")
            yield Label(
                Content.assemble(
                    f"{self.number}. ", rendered(pick_text(q.text, lang, self.values), self.values)
                ),
                classes="dialog-title",
            )
            if q.type == "yesno":
                yield Static(
                    Content.assemble(
                        (" y ", "bold $text on $primary"),
                        f" {t('answer.yes', lang)}    ",
                        (" n ", "bold $text on $primary"),
                        f" {t('answer.no', lang)}",
                    ),
                    classes="choices",
                )
                yield Static(t("answer.yesno_hint", lang), classes="dialog-hint")
            elif q.type == "choice":
                lines = [
                    Content.assemble((f" {i} ", "bold $text on $primary"), " ", c.label(lang))
                    for i, c in enumerate(q.choices, 1)
                ]
                yield Static(Content("\n").join(lines), classes="choices")
                yield Static(t("answer.choice_hint", lang), classes="dialog-hint")
            else:
                # no answer yet: offer the list's value (Enter accepts it, as the question shows)
                value = self.current or default_answer(q, self.values, self.today) or ""
                if q.type == "date" and value:
                    value = answer_text(q, value, lang, "", "")
                yield Input(value=value, select_on_focus=False, id="answer")
                yield Static(id="preview", classes="preview")
                if q.type == "date":
                    yield Static(t("answer.date_forms", lang), classes="dialog-hint")
                if not self.required:
                    yield Static(t("answer.clear", lang), classes="dialog-hint")
                yield Static(t("dialog.hint", lang), classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        qtype = self.question.type
        if action == "pick":
            return qtype == "yesno"
        if action == "choose":
            return qtype == "choice" and int(str(parameters[0])) <= len(self.question.choices)
        if action == "clear":
            return qtype in ("yesno", "choice") and not self.required
        return True

    def action_pick(self, value: str) -> None:
        self.dismiss(AnswerResult(value))

    def action_choose(self, number: int) -> None:
        self.dismiss(AnswerResult(self.question.choices[number - 1].value))

    def action_clear(self) -> None:
        self.dismiss(AnswerResult(None))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        if self.question.type == "date":
            with_value = self.query("#answer")
            if with_value and with_value.first(Input).value:
                self._preview(with_value.first(Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, text: str) -> None:
        if self.question.type != "date":
            return
        preview = self.query_one("#preview", Static)
        if not text.strip():
            preview.update("")
            return
        try:
            value = parse_answer(self.question, text, self.today)
        except AnswerError as exc:
            preview.update(Content.assemble((t(f"answer.err.{exc.code}", self.lang), "$error")))
            return
        day = date.fromisoformat(value)
        preview.update(
            Content.assemble(
                ("-> ", "$text-muted"), (f"{value} ({weekday(day, self.lang)})", "bold $success")
            )
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip() and not self.required:
            self.dismiss(AnswerResult(None))
            return
        try:
            value = parse_answer(self.question, event.value, self.today)
        except AnswerError as exc:
            self.query_one("#preview", Static).update(
                Content.assemble((t(f"answer.err.{exc.code}", self.lang), "bold $error"))
            )
            self.app.bell()
            return
        self.dismiss(AnswerResult(value))


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no, asked once: y, q or Enter say yes; n or Escape say no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y,q,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, lang: str, title: str, body: str) -> None:
        super().__init__(classes="dialog-screen")
        self.lang = lang
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="choices")
            yield Static(t("quit.keys", self.lang), classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PauseScreen(Screen[bool]):
    """A break: the card went back to the queue; Enter resumes, q quits. Pause and resume are
    audited. A screen of its own, so its footer shows exactly the keys that work here."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, lang: str, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.lang = lang
        self.now = now
        self.started = now()
        self._bindings = BindingsMap(
            [
                Binding("enter", "resume", t("key.resume", lang), key_display="Enter"),
                Binding("escape", "resume", t("key.resume", lang), show=False),
                Binding("q", "quit_app", t("key.quit", lang)),
            ]
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pause"):
            yield Label(t("pause.title", self.lang), classes="dialog-title")
            yield Static(id="since")
            yield Static(t("pause.logged", self.lang), classes="dialog-hint")
            yield Static(t("pause.resume", self.lang), classes="preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(20, self._tick)

    def _tick(self) -> None:
        minutes = int((self.now() - self.started).total_seconds() // 60)
        self.query_one("#since", Static).update(
            t("pause.since", self.lang, time=self.started.strftime("%H:%M"), minutes=minutes)
        )

    def action_resume(self) -> None:
        self.dismiss(False)

    def action_quit_app(self) -> None:
        self.dismiss(True)


class PledgeDialog(ModalScreen[datetime | None]):
    """The pledge (保证书) of an inbound case's form, read out to the resident: ``y`` records her
    spoken agreement (the time is kept with the case, with the hash of these words); Escape or
    ``n`` records nothing."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "agree", show=False),
        Binding("n,escape", "cancel", show=False),
    ]

    def __init__(self, lang: str, text: str, now: Callable[[], datetime]) -> None:
        super().__init__(classes="dialog-screen")
        self.lang = lang
        self.text = text
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("intake.pledge_title", self.lang), classes="dialog-title")
            yield Static(self.text, classes="choices")
            yield Static(t("intake.pledge_keys", self.lang), classes="dialog-hint")

    def action_agree(self) -> None:
        self.dismiss(self.now())

    def action_cancel(self) -> None:
        self.dismiss(None)
