"""Styled text cut and wrapped the Chinese way (callroom.linebreak), for widgets that lay out
their own lines, never with the ambiguous-width "\u2026"."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

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


def wrap(content: Content, width: int) -> list[Content]:
    """Lines of styled content at ``width`` cells: no line starts with closing punctuation."""
    spans = break_lines(content.plain, width)
    return [content[a:b] for a, b in spans]
