"""The intake of an inbound call: the caller's number, her group, the group's form, the pledge.

Keys only, in one pass from top to bottom: type the number (any format; what is on record for it
shows at once: her tasks, her roster entry), Enter; the group's digit; each question of the
group's form (typed answers checked as they are typed: ID check digit, dates, phones), Enter to
the next, a digit for a choice, y/n for yes or no; the pledge read out, ``y`` when she agrees;
Enter on "finish" saves the case complete (ready to submit). Ctrl+L at any point saves what is
known and puts the case in the queue to be called back; Ctrl+G marks it urgent (green channel).
Up/Down move between the steps; Esc cancels (twice when something was typed).

The form is the group's YAML form run by the call scripts' engine (callroom.scripts): the same
question types, validation and ``required`` answers the card uses when a queued case is completed
by a call back. The screen only collects; ``saver`` (the caller screen's database worker) writes
the case in one transaction, and the screen closes only once it is saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from callroom.config import Config
from callroom.i18n import state_label, t
from callroom.inbound import desk
from callroom.numbers import display
from callroom.privacy import mask_name
from callroom.scripts import (
    FORM_PREFIX,
    AnswerError,
    Question,
    Script,
    ScriptError,
    ScriptLibrary,
    ScriptRun,
    answer_text,
    parse_answer,
)
from callroom.store import Store, StoreError
from callroom.widgets.keybar import KeyBar
from callroom.widgets.prose import wrap

Saver = Callable[[desk.Intake, bool], desk.Taken]


class Step(Widget, can_focus=True):
    """A focusable line that takes single keys (the group, a choice, yes/no, the pledge, finish)."""

    DEFAULT_CSS = "Step { height: auto; }"

    def __init__(self, content: Content | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = content if isinstance(content, Content) else Content(content)

    def show(self, content: Content) -> None:
        self._content = content
        self.refresh(layout=True)

    def render(self) -> Content:
        lines: list[Content] = []
        width = max(10, self.size.width or 76)
        for line in self._content.split("\n", allow_blank=True):
            lines.extend(wrap(line, width) or [Content("")])
        return Content("\n").join(lines)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        total = 0
        for line in self._content.split("\n", allow_blank=True):
            total += max(1, len(wrap(line, max(10, width))))
        return total


class IntakeScreen(Screen["desk.Taken | None"]):
    CSS_PATH = ["dialogs.tcss", "intake.tcss"]

    def __init__(
        self,
        config: Config,
        store: Store,
        saver: Saver,
        phone: str = "",
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.lang = config.lang
        self.saver = saver
        self.now = now or store.now
        self.opened = self.now()
        self.library = ScriptLibrary(config.scripts_folder)
        self.initial_phone = phone
        self.e164: str | None = None
        self.group: str | None = None
        self.form: Script | None = None
        self.answers: dict[str, str] = {}
        self.pledge: desk.Pledge | None = None
        self.urgent = False
        self.saving = False
        self.cancel_armed = False
        self.known: desk.Known | None = None
        self.questions: list[Question] = []
        self._bindings_for_lang()

    def _bindings_for_lang(self) -> None:
        from textual.binding import BindingsMap

        lang = self.lang
        self._bindings = BindingsMap(
            [
                Binding("ctrl+l", "queue", t("intake.key.queue", lang), key_display="^L",
                        priority=True),
                Binding("ctrl+g", "urgent", t("intake.key.urgent", lang), key_display="^G",
                        priority=True),
                Binding("up", "move(-1)", t("intake.key.prev", lang), show=False, priority=True),
                Binding("down", "move(1)", t("intake.key.next", lang), show=False, priority=True),
                Binding("escape", "cancel", t("intake.key.cancel", lang), key_display="Esc",
                        priority=True),
            ]
        )  # fmt: skip

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(id="intake-title")
        with Horizontal(id="phone-row", classes="row"):
            yield Label(t("intake.phone", lang), classes="label")
            yield Input(
                value=self.initial_phone, placeholder=t("intake.phone_hint", lang),
                select_on_focus=False, id="phone",
            )  # fmt: skip
        yield Static(id="known")
        yield Step(id="group")
        with VerticalScroll(id="form"):
            yield Static(id="form-title")
        yield Static(id="intake-status")
        yield KeyBar()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_groups)  # the groups' lines follow the width

    def on_mount(self) -> None:
        self._show_title()
        self._show_groups()
        self.query_one("#form").display = False
        phone = self.query_one("#phone", Input)
        phone.focus()
        if self.initial_phone:
            self._phone_changed(self.initial_phone)
            if self.e164 is not None:
                self.query_one("#group", Step).focus()
        self._show_status()

    def _show_title(self) -> None:
        parts: list[str | tuple[str, str]] = [(t("intake.title", self.lang), "bold")]
        if self.urgent:
            parts += ["  ", (f" {t('intake.urgent_on', self.lang)} ", "bold $text on $error")]
        self.query_one("#intake-title", Static).update(Content.assemble(*parts))

    def _show_groups(self) -> None:
        lang = self.lang
        step = self.query_one("#group", Step)
        width = max(20, step.size.width or 76)
        head = t("intake.group", lang) + "  "
        parts: list[str | tuple[str, str]] = [(head, "$text-muted")]
        used = cell_len(head)
        for i, g in enumerate(self.config.groups, 1):
            label = g.label(lang)
            item = cell_len(f" {i}   {label}  ")
            if used + item > width + 2 and used > cell_len(head):
                # a group's name never breaks in two ("不在本" / "市"): the whole item moves down
                parts.append("\n" + " " * cell_len(head))
                used = cell_len(head)
            style = "bold $text on $accent" if g.code == self.group else "bold"
            parts += [(f" {i} ", "bold $text on $primary"), " ", (label, style), "  "]
            used += item
        step.show(Content.assemble(*parts))

    # -- the number ---------------------------------------------------------------------------

    @on(Input.Changed, "#phone")
    def _on_phone(self, event: Input.Changed) -> None:
        self.cancel_armed = False
        self._phone_changed(event.value)

    def _phone_changed(self, text: str) -> None:
        from callroom.phones import to_e164  # phonenumbers: only once somebody types

        self.e164 = to_e164(text, self.config.region) if text.strip() else None
        self._lookup()

    def _lookup(self) -> None:
        known = self.query_one("#known", Static)
        if self.e164 is None:
            self.known = None
            known.update("")
            return
        id_number = next(
            (self.answers[q.id] for q in self.questions if q.type == "id_number"
             and q.id in self.answers), "",
        )  # fmt: skip
        self.known = desk.lookup(self.store, self.e164, id_number)
        known.update(self._known_text(self.known))

    def _known_text(self, found: desk.Known) -> Content:
        lang = self.lang
        parts: list[str | tuple[str, str]] = [(display(found.e164 or ""), "bold"), "  "]
        if not found.tasks and not found.roster:
            parts.append((t("intake.known_none", lang), "$text-muted"))
            return Content.assemble(*parts)
        if found.tasks:
            parts.append((t("intake.known_tasks", lang, n=len(found.tasks)), "bold $warning"))
            for task in found.tasks[:2]:
                parts += [
                    "  ", (f"#{task.id}", "$text-muted"), " ",
                    (f"[{state_label(task.state, lang)}]", "$accent"), " ", task.batch_name,
                    " ", mask_name(task.name) or "",
                ]  # fmt: skip
        for e in found.roster[:2]:
            cats = " ".join(t(f"roster.cat.{c}", lang) for c in e.categories.split(","))
            parts += ["  ", (t("intake.known_roster", lang), "bold $text on $warning 60%"), " ",
                      e.place, " ", mask_name(e.name), " ", (cats, "bold")]  # fmt: skip
        return Content.assemble(*parts)

    @on(Input.Submitted, "#phone")
    def _phone_done(self, event: Input.Submitted) -> None:
        if self.e164 is None:
            self._say(t("intake.need_phone", self.lang), "bold $error")
            self.app.bell()
            return
        self.query_one("#group", Step).focus()

    # -- the group and its form ---------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        focused = self.focused
        if focused is None or isinstance(focused, Input):
            return
        key = event.key
        if focused.id == "group":
            if key.isdigit() and 1 <= int(key) <= len(self.config.groups):
                event.stop()
                self._pick_group(self.config.groups[int(key) - 1].code)
            elif key == "enter" and self.group is not None:
                event.stop()
                self._next_from(focused)
            return
        if focused.id and focused.id.startswith("q-"):
            self._step_key(focused, event)
        elif focused.id == "pledge":
            if key == "y":
                event.stop()
                self.pledge = desk.Pledge(self._pledge_text(), self.lang, self.now())
                self._show_pledge()
                self._next_from(focused)
            elif key == "n" or key in ("backspace", "delete"):
                event.stop()
                self.pledge = None
                self._show_pledge()
            elif key == "enter":
                event.stop()
                self._next_from(focused)
        elif focused.id == "finish" and key == "enter":
            event.stop()
            self.save(complete=True)

    def _pick_group(self, code: str) -> None:
        if code == self.group:
            self._next_from(self.query_one("#group"))
            return
        try:
            form = self.library.get(FORM_PREFIX + self.config.group(code).form)  # type: ignore[union-attr]
        except ScriptError as exc:
            self._say(str(exc), "bold $error")
            return
        self.group, self.form = code, form
        self.pledge = None
        self.answers = {
            k: v for k, v in self.answers.items() if any(q.id == k for q in form.questions)
        }
        self._show_groups()
        self.call_later(self._build_form)

    async def _build_form(self) -> None:
        """The group's form, one row per question (the previous form's rows gone first)."""
        assert self.form is not None
        from callroom.scripts import render

        box = self.query_one("#form", VerticalScroll)
        box.display = True
        await box.remove_children([c for c in box.children if c.id != "form-title"])
        lang = self.lang
        group = self.config.group(self.group or "")
        values = {"community": self.config.community, "caller": self.config.caller}
        title = Content.assemble(
            (f"-- {group.label(lang) if group else ''}  ", "bold $accent"),
            (render(self.form.opening.get(lang, ""), values), "$text-muted"),
        )
        self.query_one("#form-title", Static).update(title)
        self.questions = list(self.form.questions)
        rows = []
        for n, q in enumerate(self.questions, 1):
            mark = "*" if q.required else " "
            label = Label(f"{n}{mark}{q.label(lang)}", classes="qlabel")
            if q.type in ("choice", "yesno"):
                field: Widget = Step(id=f"q-{q.id}")
            else:
                field = Input(value=self._shown_answer(q), select_on_focus=False, id=f"q-{q.id}",
                              classes="answer")  # fmt: skip
            rows.append(Horizontal(label, field, Static(id=f"p-{q.id}", classes="qpreview"),
                                   classes="row qrow", id=f"r-{q.id}"))  # fmt: skip
        if self.form.pledge:
            rows.append(Step(id="pledge"))
        rows.append(Step(id="finish"))
        await box.mount_all(rows)
        self._refresh_form()
        self._next_from(self.query_one("#group"))

    def _refresh_form(self) -> None:
        if self.form is None:
            return
        run = ScriptRun(self.form, self.answers)
        for q in self.questions:
            row = self.query(f"#r-{q.id}")
            if not row:
                continue
            row.first().display = run.applicable(q)
            if q.type in ("choice", "yesno"):
                self.query_one(f"#q-{q.id}", Step).show(self._pick_content(q))
            self._preview(q)
        if self.form.pledge:
            self._show_pledge()
        self._show_finish()
        self._show_status()

    def _pick_content(self, q: Question) -> Content:
        lang = self.lang
        chosen = self.answers.get(q.id)
        parts: list[str | tuple[str, str]] = []
        if q.type == "yesno":
            options = [("y", "yes", t("answer.yes", lang)), ("n", "no", t("answer.no", lang))]
        else:
            options = [(str(i), c.value, c.label(lang)) for i, c in enumerate(q.choices, 1)]
        for key, value, label in options:
            style = "bold $text on $accent" if value == chosen else ""
            parts += [(f" {key} ", "bold $text on $primary"), " ", (label, style), "  "]
        return Content.assemble(*parts)

    def _shown_answer(self, q: Question) -> str:
        value = self.answers.get(q.id, "")
        if q.type == "phone" and value.startswith("+"):
            return display(value)
        return value

    def _step_key(self, focused: Widget, event: Key) -> None:
        q = self._question(focused.id or "")
        if q is None:
            return
        key = event.key
        value = None
        if q.type == "yesno" and key in ("y", "n"):
            value = "yes" if key == "y" else "no"
        elif q.type == "choice" and key.isdigit() and 1 <= int(key) <= len(q.choices):
            value = q.choices[int(key) - 1].value
        elif key in ("backspace", "delete"):
            event.stop()
            self.answers.pop(q.id, None)
            self._refresh_form()
            return
        elif key == "enter":
            event.stop()
            self._next_from(focused)
            return
        if value is None:
            return
        event.stop()
        self.answers[q.id] = value
        self._refresh_form()
        self._next_from(focused)

    def _question(self, widget_id: str) -> Question | None:
        qid = widget_id[2:]
        return next((q for q in self.questions if q.id == qid), None)

    @on(Input.Changed, ".answer")
    def _typing(self, event: Input.Changed) -> None:
        self.cancel_armed = False
        q = self._question(event.input.id or "")
        if q is not None:
            self._preview(q, event.value)

    def _today(self) -> date:
        return self.now().date()

    def _preview(self, q: Question, typed: str | None = None) -> None:
        """What the typed answer is understood as (or what is wrong with it), as it is typed."""
        preview = self.query_one(f"#p-{q.id}", Static)
        lang = self.lang
        if typed is None:
            value = self.answers.get(q.id)
            if value is None:
                preview.update("")
                return
            shown = answer_text(q, value, lang, t("answer.yes", lang), t("answer.no", lang))
            if q.type == "date":
                shown = value
            preview.update(Content.assemble(("= ", "$text-muted"), (shown, "bold $success")))
            return
        if q.type not in ("date", "id_number", "phone") or not typed.strip():
            preview.update("")
            return
        try:
            value = parse_answer(q, typed, self._today())
        except AnswerError as exc:
            preview.update(Content.assemble((t(f"answer.err.{exc.code}", lang), "$error")))
            return
        if q.type == "id_number":
            preview.update(Content.assemble((t("answer.ok_id", lang), "$success")))
        elif q.type == "phone":
            preview.update(Content.assemble(("-> ", "$text-muted"), (display(value), "$success")))
        else:
            preview.update(Content.assemble(("-> ", "$text-muted"), (value, "$success")))

    @on(Input.Submitted, ".answer")
    def _answered(self, event: Input.Submitted) -> None:
        q = self._question(event.input.id or "")
        if q is None:
            return
        text = event.value
        if not text.strip():
            self.answers.pop(q.id, None)
        else:
            try:
                value = parse_answer(q, text, self._today())
            except AnswerError as exc:
                self.query_one(f"#p-{q.id}", Static).update(
                    Content.assemble((t(f"answer.err.{exc.code}", self.lang), "bold $error"))
                )
                self.app.bell()
                return
            self.answers[q.id] = value
            if q.type == "id_number":
                self._lookup()  # her roster entry, by the ID she gave
        self._refresh_form()
        self._next_from(event.input)

    # -- the pledge and finishing -------------------------------------------------------------

    def _pledge_text(self) -> str:
        return self.form.pledge_text(self.lang) if self.form is not None else ""

    def _show_pledge(self) -> None:
        if not self.query("#pledge"):
            return
        lang = self.lang
        head: list[str | tuple[str, str]] = [(t("intake.pledge", lang).upper() if lang == "en"
                                              else t("intake.pledge", lang), "bold"), "* "]  # fmt: skip
        if self.pledge is not None:
            head.append(
                (
                    t("intake.pledged", lang, time=self.pledge.at.strftime("%H:%M:%S")),
                    "bold $success",
                )
            )
        else:
            head.append((t("intake.pledge_keys", lang), "$warning"))
        body = Content.assemble((self._pledge_text(), "$text"))
        self.query_one("#pledge", Step).show(Content("\n").join([Content.assemble(*head), body]))

    def missing(self) -> list[str]:
        if self.form is None:
            return []
        return desk.missing(self.form, self.answers, self.pledge is not None)

    def _show_finish(self) -> None:
        if not self.query("#finish"):
            return
        lang = self.lang
        need = self.missing()
        if need:
            text = Content.assemble(
                (" Enter ", "bold $text on $primary"), " ",
                (t("intake.missing", lang, fields=self._labels(need)), "$warning"),
            )  # fmt: skip
        else:
            text = Content.assemble(
                (" Enter ", "bold $text on $success"), " ", (t("intake.complete", lang), "bold")
            )
        self.query_one("#finish", Step).show(text)

    def _labels(self, need: list[str]) -> str:
        labels = []
        for qid in need:
            if qid == "pledge":
                labels.append(t("intake.pledge", self.lang))
                continue
            q = next((x for x in self.questions if x.id == qid), None)
            labels.append(q.export_label(self.lang) if q else qid)
        return ", ".join(labels)

    def _show_status(self, text: str = "", style: str = "") -> None:
        self._say(text, style)

    def _say(self, text: str, style: str = "bold $warning") -> None:
        self.query_one("#intake-status", Static).update(Content.assemble((text, style)))

    # -- moving ---------------------------------------------------------------------------------

    def _steps(self) -> list[Widget]:
        steps: list[Widget] = [self.query_one("#phone", Input), self.query_one("#group", Step)]
        if self.form is not None:
            run = ScriptRun(self.form, self.answers)
            for q in self.questions:
                if run.applicable(q) and self.query(f"#q-{q.id}"):
                    steps.append(self.query_one(f"#q-{q.id}"))
            steps += list(self.query("#pledge")) + list(self.query("#finish"))
        return steps

    def _next_from(self, widget: Widget, delta: int = 1) -> None:
        steps = self._steps()
        if widget not in steps:
            return
        i = steps.index(widget) + delta
        if 0 <= i < len(steps):
            target = steps[i]
            target.focus()
            target.scroll_visible(animate=False)

    def action_move(self, delta: int) -> None:
        focused = self.focused
        if focused is not None:
            self._next_from(focused, delta)

    def action_urgent(self) -> None:
        self.urgent = not self.urgent
        self._show_title()

    def action_cancel(self) -> None:
        if self.saving:
            return
        typed = bool(self.answers) or self.group is not None
        if typed and not self.cancel_armed:
            self.cancel_armed = True
            self._say(t("intake.cancel_confirm", self.lang), "bold $warning")
            return
        self.dismiss(None)

    def action_queue(self) -> None:
        self.save(complete=False)

    # -- saving ---------------------------------------------------------------------------------

    def save(self, complete: bool) -> None:
        """Write the case in the database worker; the screen closes once it is saved."""
        if self.saving:
            return
        lang = self.lang
        if self.e164 is None:
            self._say(t("intake.need_phone", lang), "bold $error")
            self.query_one("#phone", Input).focus()
            return
        if self.group is None or self.form is None:
            self._say(t("intake.need_group", lang), "bold $error")
            self.query_one("#group", Step).focus()
            return
        if complete and (need := self.missing()):
            self._say(t("intake.missing", lang, fields=self._labels(need)), "bold $error")
            first = need[0]
            target = self.query(f"#q-{first}") if first != "pledge" else self.query("#pledge")
            if target:
                target.first().focus()
                target.first().scroll_visible(animate=False)
            self.app.bell()
            return
        intake = desk.Intake(
            phone=self.e164, group=self.group, answers=dict(self.answers), urgent=self.urgent,
            pledge=self.pledge, first_contact=self.opened,
            seconds=max(0, round((self.now() - self.opened).total_seconds())),
        )  # fmt: skip
        self.saving = True
        self._say(t("status.saving", lang), "bold $accent")

        def work() -> None:
            try:
                result: object = self.saver(intake, complete)
            except Exception as exc:  # a refusal is shown (the typed case stays); a bug raises
                result = exc
            self.app.call_from_thread(self._saved, result)

        self.run_worker(work, thread=True, group="intake", exit_on_error=False)

    def _saved(self, result: object) -> None:
        self.saving = False
        if isinstance(result, desk.Taken):
            self.dismiss(result)
            return
        if isinstance(result, StoreError | sqlite3.Error):
            from callroom.db_errors import describe

            reason = describe(result, self.lang, self.store.path)
            self._say(t("intake.failed", self.lang, reason=reason), "bold $error")
            return
        if isinstance(result, BaseException):
            raise result


def summary(config: Config, taken: desk.Taken) -> str:
    """What the status line says once a case is saved (the name masked)."""
    lang = config.lang
    group = config.group(taken.group)
    name = mask_name(taken.name) or display(taken.phone)
    key = "intake.saved_complete" if taken.complete else "intake.saved_queued"
    return t(key, lang, group=group.label(lang) if group else taken.group, name=name)


__all__ = ["IntakeScreen", "Saver", "summary"]
