"""Find by phone, for an inbound call: type the number in any format, pick the resident's task.

Any of the resident's own numbers finds her (the main phone or an alternate). Returns the
chosen task and the number that matched; the call screen claims the task and shows it as the
card on that number, where the outcome keys record on it (a closed task too: a resident calling
back about a finished case).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from callroom.config import Config
from callroom.i18n import state_label, t
from callroom.numbers import display
from callroom.privacy import mask_name
from callroom.schedule import CLOSED_STATES, LINKED
from callroom.store import Store, Task
from callroom.store import fmt as fmt_time
from callroom.widgets import fmt
from callroom.widgets.card import outcome_label


@dataclass(frozen=True)
class Found:
    task_id: int
    phone: str  # the number that was typed (one of the resident's own)
    linked_from: int | None = None  # the linked row picked, whose open task this is


class FindScreen(ModalScreen[Found | str | None]):
    """Returns the chosen task, or (Enter on a number nobody has on record) the number as E.164
    for the intake of a new inbound call, or None."""

    CSS_PATH = ["dialogs.tcss", "find.tcss"]
    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False),
        Binding("down", "focus_results", show=False),
    ]

    def __init__(self, config: Config, store: Store, lang: str) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.lang = lang
        self.tasks: list[Task] = []
        self.e164: str | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="find"):
            yield Label(t("find.title", lang), classes="dialog-title")
            yield Input(placeholder=t("find.placeholder", lang), id="find-phone")
            yield Static(id="find-status", classes="preview")
            yield OptionList(id="find-results")
            yield Static(t("find.hint", lang), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#find-results", OptionList).display = False

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def search(self, text: str) -> None:
        status = self.query_one("#find-status", Static)
        results = self.query_one("#find-results", OptionList)
        lang = self.lang
        results.clear_options()
        self.tasks = []
        self.e164 = None
        if not text.strip():
            status.update("")
            results.display = False
            return
        from callroom.phones import to_e164  # phonenumbers: only once somebody searches

        e164 = to_e164(text, self.config.region)
        self.e164 = e164
        if e164 is None:
            status.update(Content.assemble((t("find.invalid", lang), "$text-muted")))
            results.display = False
            return
        # open tasks first (the one to work on), then the closed ones, newest first
        found = self.store.find_by_phone(text)
        self.tasks = sorted(found, key=lambda task: task.state in CLOSED_STATES)
        if not self.tasks:
            status.update(
                Content.assemble(
                    (display(e164), "bold"),
                    "  ",
                    (t("find.none", lang), "$warning"),
                    "\n",
                    (t("intake.offer", lang), "bold $accent"),
                )
            )
            results.display = False
            return
        status.update(
            Content.assemble(
                (display(e164), "bold"),
                "  ",
                (
                    t(
                        "find.count_one" if len(self.tasks) == 1 else "find.count",
                        lang,
                        n=len(self.tasks),
                    ),
                    "$success",
                ),
            )
        )
        results.add_options(Option(self._describe(task), id=str(task.id)) for task in self.tasks)
        results.display = True
        results.highlighted = 0

    def _describe(self, task: Task) -> Content:
        lang = self.lang
        state_style = "$text-muted" if task.state in CLOSED_STATES else "bold $success"
        head: list[str | tuple[str, str]] = [
            (f"#{task.id} ", "$text-muted"),
            (f"[{state_label(task.state, lang)}]", state_style),
            " ",
            (task.batch_name, "$accent"),
            "  ",
            task.place or "-",
            "  ",
            mask_name(task.name) or "-",
        ]
        if self.e164 is not None and self.e164 != task.phone:
            head += ["  ", (t("find.alt", lang), "bold $warning")]
        tail: list[str | tuple[str, str]] = ["    ", t("find.calls", lang, n=task.attempts)]
        attempts = self.store.attempts_for(task.id)
        live = [a for a in attempts if not a.undone]
        if live:
            last = live[-1]
            tail += ["  ", (fmt.short_time(last.at), "$text-muted"), " ",
                     outcome_label(self.config, last.outcome, lang), " ", (last.operator, "$text-muted")]  # fmt: skip
        if task.final_outcome:
            tail += ["  ", ("= " + outcome_label(self.config, task.final_outcome, lang), "bold")]
        held = task.claim_by and task.claim_by != self.config.operator
        if held and (task.lease_until or "") > (fmt_time(self.store.now()) or ""):
            tail += ["  ", (t("find.held", lang, who=task.claim_by), "$warning")]
        return Content.assemble(*head, "\n", *tail)

    def _found(self, task: Task) -> Found:
        phone = self.e164 if self.e164 in task.numbers else task.phone
        if task.state == LINKED and task.linked_to is not None:
            # a linked row's call is made and recorded on the open task it is linked to (its
            # result counts for both): never on the row itself, or the resident is called twice
            return Found(task.linked_to, phone or task.phone, linked_from=task.id)
        return Found(task.id, phone or task.phone)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#find-results", OptionList)
        if self.tasks:
            # the highlighted row (the open task, first) opens: Enter never does nothing
            self.dismiss(self._found(self.tasks[results.highlighted or 0]))
        elif self.e164 is not None:
            self.dismiss(self.e164)  # nobody on record: take the call at the intake
        else:
            self.app.bell()

    def action_focus_results(self) -> None:
        results = self.query_one("#find-results", OptionList)
        if results.display and results.option_count:
            results.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            task = next(x for x in self.tasks if x.id == int(event.option.id))
            self.dismiss(self._found(task))

    def action_cancel(self) -> None:
        self.dismiss(None)
