"""Text that wraps the Chinese way (callroom.linebreak) instead of Textual's word wrap."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from callroom.linebreak import break_lines

ELLIPSIS = "..."  # ASCII: some Chinese SSH clients draw "\u2026" two cells wide


def fit(content: Content, width: int) -> Content:
    """One line cut to ``width`` cells, ending in ASCII "..." when cut."""
    if content.cell_length <= width:
        return content
    room = max(0, width - len(ELLIPSIS))
    cells = 0
    end = 0
    for end, char in enumerate(content.plain):  # noqa: B007
        size = cell_len(char)
        if cells + size > room:
            break
        cells += size
    return content[:end] + Content(ELLIPSIS[: max(0, width - cells)])


def refresh_lines(widget: Widget, before: int | None, after: Callable[[int], int]) -> None:
    """Repaint ``widget``; lay the screen out again only if its height changed.

    ``before``: its line count at the current width before the change (None: unknown);
    ``after(width)``: the count now. A layout pass costs more than painting the card, and most
    cards keep the heights of the one before.
    """
    width = widget.size.width
    if width and before is not None and after(width) == before:
        widget.refresh()
    else:
        widget.refresh(layout=True)


def wrap(content: Content, width: int) -> list[Content]:
    """Lines of styled content at ``width`` cells: no line starts with closing punctuation."""
    spans = break_lines(content.plain, width)
    return [content[a:b] for a, b in spans]


class Prose(Widget):
    """A block of styled text, wrapped with `wrap`. Height follows the text."""

    DEFAULT_CSS = "Prose { height: auto; }"

    def __init__(self, content: Content | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content(content) if isinstance(content, str) else content
        self._cache: tuple[int, list[Content]] | None = None

    def update(self, content: Content | str) -> None:
        content = Content(content) if isinstance(content, str) else content
        if content.is_same(self._content):
            return
        before = self._height()
        self._content = content
        self._cache = None
        refresh_lines(self, before, lambda width: len(self.lines(width)))

    def _height(self) -> int | None:
        cache = self._cache
        return len(cache[1]) if cache is not None and cache[0] == self.size.width else None

    @property
    def content(self) -> Content:
        return self._content

    def lines(self, width: int) -> list[Content]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, wrap(self._content, width) if self._content else [])
        return self._cache[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.size.width))


class Line(Widget):
    """Lines that never wrap: each is cut to the width with an ASCII "..." (never "\u2026")."""

    DEFAULT_CSS = "Line { height: auto; }"

    def __init__(self, content: Content | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = self._split(content)

    @staticmethod
    def _split(content: Content | str) -> list[Content]:
        content = Content(content) if isinstance(content, str) else content
        return content.split("\n", allow_blank=True) if content else []

    def update(self, content: Content | str) -> None:
        before = len(self._lines)
        self._lines = self._split(content)
        refresh_lines(self, before, lambda width: len(self._lines))

    @property
    def content(self) -> Content:
        return Content("\n").join(self._lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_length for line in self._lines), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render(self) -> Content:
        width = self.size.width
        return Content("\n").join(fit(line, width) for line in self._lines)
