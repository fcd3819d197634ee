"""The footer of the caller's screens: the keys that work here, from the screen's BINDINGS.

Textual's Footer draws one widget per key; on the caller screen that was a fifth of the time to
the first card. This is one line, built from the same active bindings (``check_action`` hides
what does not apply, so it shows exactly the keys that work), cut with ASCII "..." when the
terminal is narrow.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from callroom.widgets.prose import fit


class KeyBar(Widget):
    """``drop``: actions left out, in this order, when the line is too narrow for every key
    (they stay in the help screen)."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def __init__(self, drop: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.drop = drop

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str]]:
        """(action, key as shown, description) of every shown binding that works now."""
        shown: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            action = binding.action.partition("(")[0]
            if not binding.show or not enabled or action in seen:
                continue
            seen.add(action)
            shown.append((action, self.app.get_key_display(binding), binding.description))
        return shown

    def render(self) -> Content:
        items = self.keys()
        width = self.size.width
        for action in self.drop:
            if self._line(items).cell_length <= width:
                break
            items = [item for item in items if item[0] != action]
        return fit(self._line(items), width)

    @staticmethod
    def _line(items: list[tuple[str, str, str]]) -> Content:
        style = "bold $footer-key-foreground on $footer-key-background"
        return Content(" ").join(
            Content.assemble((f" {key} ", style), description) for _, key, description in items
        )
