"""Help for the lead pane: its keys (from its bindings) and what each tab lists."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from callroom.i18n import t

TAB_HELP = ("callers", "outcomes", "urgent", "overdue", "callbacks", "visits", "refused")


class LeadHelp(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "close", show=False)]
    DEFAULT_CSS = """
    LeadHelp { align: center middle; background: $background 60%; }
    LeadHelp #lead-help {
        width: 80; max-width: 100%; height: auto; max-height: 100%; padding: 1 1;
        background: $panel;
        /* no border, no scrollbar: both are drawn in characters some Chinese SSH clients draw
           two cells wide; the arrows scroll */
        scrollbar-size: 0 0;
    }
    LeadHelp .help-title { text-style: bold; }
    LeadHelp .help-hint { color: $text-muted; }
    """

    def __init__(self, lang: str, keys: Sequence[tuple[str, str]], is_lead: bool) -> None:
        super().__init__()
        self.lang = lang
        self.keys = keys
        self.is_lead = is_lead

    def compose(self) -> ComposeResult:
        lang = self.lang
        width = max((cell_len(k) for k, _ in self.keys), default=1) + 2
        keys = [
            Content.assemble(
                (f" {k} ", "bold $text on $primary"), " " * (width - cell_len(k) - 1), d
            )
            for k, d in self.keys
        ]
        tabs = [
            Content.assemble(
                (t(f"lead.tab.{name}", lang), "bold"), "  ", t(f"lead.help.{name}", lang)
            )
            for name in TAB_HELP
        ]
        with VerticalScroll(id="lead-help"):
            yield Static(t("lead.help.title", lang), classes="help-title")
            yield Static(Content("\n").join(keys))
            if not self.is_lead:
                yield Static(t("lead.help.read_only", lang), classes="help-hint")
            yield Static(Content("\n").join([Content(""), *tabs]))
            yield Static(t("lead.help.close", lang), classes="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
