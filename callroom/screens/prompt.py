"""Keyboard-only prompts for the lead pane: one line of text, or a pick from a list."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from callroom.i18n import t

# No borders: box-drawing characters are ambiguous-width and some Chinese SSH clients draw them
# two cells wide; a contrasting panel reads the same everywhere (as the caller's dialogs do).
_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
    background: $panel;
}}
{name} Label {{ width: 100%; margin-bottom: 1; text-style: bold; }}
{name} .prompt-hint {{ color: $text-muted; margin: 1 0 0 0; text-style: none; }}
{name} OptionList {{
    height: auto; max-height: 12; border: none; padding: 0; background: $surface;
    scrollbar-size: 0 0;
}}
{name} OptionList:focus {{ border: none; }}
{name} Input {{ border: none; height: 1; padding: 0 1; background: $surface; color: $text; }}
{name} Input:focus {{ border: none; background: $primary 25%; }}
"""


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None when cancelled."""

    DEFAULT_CSS = _CSS.format(name="TextPrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self, question: str, value: str = "", required: bool = False, placeholder: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.required = required
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one(Input).add_class("-invalid")
            self.bell()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePrompt(ModalScreen[str | None]):
    """Pick one of ``choices`` ((value, label) pairs) with the arrows and Enter; nothing can be
    typed, so nothing can be mistyped. Dismisses with the value, or None when cancelled."""

    DEFAULT_CSS = _CSS.format(name="ChoicePrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]], lang: str) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield OptionList(
                *(Option(label, id=f"choice-{i}") for i, (_, label) in enumerate(self.choices)),
                id="prompt-choices",
            )
            yield Label(t("prompt.choose_hint", self.lang), classes="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self.choices[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
