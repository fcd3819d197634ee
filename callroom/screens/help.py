"""Help: every key of the caller screen (taken from its bindings) and the quick forms for times."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.scrollbar import ScrollBarRender
from textual.widgets import Static

from callroom.i18n import t


class PlainScrollBarRender(ScrollBarRender):
    """A scrollbar of coloured spaces: Textual's own ends its thumb with block characters, which
    some Chinese SSH clients draw two cells wide."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


KEY_ROWS = 19  # the card's keys in one column: what fits above the times' line at 80x24


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen #help { width: 84; max-width: 100%; height: auto; max-height: 100%; padding: 0 1; background: $panel; scrollbar-size-vertical: 1; scrollbar-background: $panel-darken-2; scrollbar-color: $accent; }
    HelpScreen #help-head { height: 1; margin-bottom: 1; }
    HelpScreen #help-columns { height: auto; }
    HelpScreen #help-columns > Static { width: 1fr; height: auto; }
    HelpScreen #help-columns > Static.-more { width: auto; padding-right: 1; }
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
            # how to close and scroll, on the first line: the rest may be below the fold
            yield Static(
                Content.assemble((t("help.title", lang), "bold"), "   ",
                                 (t("help.close", lang), "$text-muted")),
                id="help-head",
            )  # fmt: skip
            with Horizontal(id="help-columns"):
                yield Static(self._section(t("help.outcomes", lang), self.outcomes))
                # more card keys than KEY_ROWS (the inbound desk's `i`) go to a third column, so
                # the quick forms for times stay on the first screen at 80x24
                keys = list(self.keys)
                yield Static(self._section(t("help.card", lang), keys[:KEY_ROWS]))
                if keys[KEY_ROWS:]:
                    yield Static(self._section("", keys[KEY_ROWS:]), classes="-more")
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

    def on_mount(self) -> None:
        box = self.query_one("#help", VerticalScroll)
        box.vertical_scrollbar.renderer = PlainScrollBarRender
        box.focus()  # Up/Down/PgUp/PgDn scroll it

    def action_close(self) -> None:
        self.dismiss(None)
