"""Help: every key of the caller screen (taken from its bindings) and the quick forms for times."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from callroom.i18n import t


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen #help { width: 80; max-width: 100%; height: auto; max-height: 100%; padding: 0 1; background: $panel; scrollbar-size-vertical: 0; }
    HelpScreen #help-columns { height: auto; }
    HelpScreen #help-columns > Static { width: 1fr; height: auto; }
    """

    def __init__(
        self,
        lang: str,
        outcomes: Sequence[tuple[str, str]],
        keys: Sequence[tuple[str, str]],
        notes: str = "",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.lang = lang
        self.outcomes = outcomes
        self.keys = keys
        self.notes = notes  # how the keys behave (settle time, required answers, busy database)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="help"):
            yield Static(t("help.title", lang), classes="dialog-title")
            with Horizontal(id="help-columns"):
                yield Static(self._section(t("help.outcomes", lang), self.outcomes))
                yield Static(self._section(t("help.card", lang), self.keys))
            yield Static(Content.assemble("\n", t("help.times", lang)))
            yield Static(t("help.dates", lang))
            if self.notes:
                yield Static(Content.assemble("\n", self.notes))
            yield Static(t("help.close", lang), classes="dialog-hint")

    @staticmethod
    def _section(title: str, rows: Sequence[tuple[str, str]]) -> Content:
        width = max((cell_len(k) for k, _ in rows), default=1) + 2
        lines = [Content.assemble((title, "bold underline"))]
        for key, desc in rows:
            lines.append(
                Content.assemble(
                    (f" {key} ", "bold $text on $primary"), " " * (width - cell_len(key) - 1), desc
                )
            )
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
