"""Line breaking for mixed Chinese and Latin text, by terminal cells. No Textual here.

Chinese may break between any two characters, but not before closing punctuation (。，？）...),
not after opening punctuation (（“《 ...), and never inside a number, a date or a time
(2026-11-20, 10月31日, 15:40, 粤B12345) or a Latin word; with ``units``, not between a number
and the Chinese character after it either (4个任务 keeps 4个 together). Spaces are break points and vanish at a break. A
piece wider than the line is cut by cells as a last resort.

`Prose` is a Rich renderable that breaks by these rules (Rich itself breaks Chinese anywhere):
for the CLI's messages and table cells.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len

# may not start a line
NO_START = frozenset("、。，．,.：:；;？?！!）)］]｝}」』】〕〗〙》〉’”%％…‥ー・々〻ゝゞ〜～")
# may not end a line
NO_END = frozenset("（(［[｛{「『【〔〖〘《〈‘“")
_DATE_UNITS = "年月日号號时時点點分秒"
_ATOM = re.compile(
    rf"[0-9]+(?:[{_DATE_UNITS}][0-9]*)+"  # 10月31日, 2026年11月20日, 9点30分
    r"|[!-~]+"  # a run of printable ASCII: a word, a number, a date, a time, a plate
    r"|\s+"
    r"|.",  # anything else (a Chinese character) on its own
    re.DOTALL,
)


_DIGITS = frozenset("0123456789")


def _cjk(piece: str) -> bool:
    return len(piece) == 1 and "\u4e00" <= piece <= "\u9fff"


def atoms(text: str, units: bool = False) -> list[tuple[int, int]]:
    """Unbreakable pieces as (start, end), punctuation glued to its neighbour."""
    pieces: list[list[int]] = []
    glue_next = False
    for m in _ATOM.finditer(text):
        start, end = m.span()
        piece = text[start:end]
        is_space = piece.isspace()
        if glue_next and pieces and not is_space:
            pieces[-1][1] = end  # an opening bracket waits for what it opens
        elif (
            pieces
            and not is_space
            and piece[0] in NO_START
            and not text[pieces[-1][0] : pieces[-1][1]].isspace()
        ):
            pieces[-1][1] = end  # closing punctuation stays with what it closes
        elif units and pieces and _cjk(piece) and text[pieces[-1][1] - 1] in _DIGITS:
            pieces[-1][1] = end  # a number stays with its measure word: 4个, 30行
        else:
            pieces.append([start, end])
        glue_next = not is_space and piece[-1] in NO_END
    return [(a, b) for a, b in pieces]


def break_lines(text: str, width: int, units: bool = False) -> list[tuple[int, int]]:
    """The lines of ``text`` at ``width`` cells, as (start, end) offsets, spaces at breaks dropped.

    Newlines in the text are kept as line ends.
    """
    width = max(1, width)
    if "\n" not in text and cell_len(text) <= width:
        return [(0, len(text))]  # the usual short line: nothing to break
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        lines += [(offset + a, offset + b) for a, b in _break_paragraph(paragraph, width, units)]
        offset += len(paragraph) + 1
    return lines


def _break_paragraph(text: str, width: int, units: bool = False) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start: int | None = None  # start of the line being filled
    end = 0  # end of its last non-space piece
    used = 0
    pending_space = 0  # cells of spaces between the line's last piece and the next
    for a, b in atoms(text, units):
        piece = text[a:b]
        if piece.isspace():
            if start is not None:
                pending_space += cell_len(piece)
            continue
        size = cell_len(piece)
        if start is not None and used + pending_space + size <= width:
            used += pending_space + size
            end = b
            pending_space = 0
            continue
        if start is not None:
            lines.append((start, end))
        pending_space = 0
        # a piece wider than a line is cut by cells
        while size > width:
            cut, cells = a, 0
            while cut < b and cells + cell_len(text[cut]) <= width:
                cells += cell_len(text[cut])
                cut += 1
            cut = max(cut, a + 1)
            lines.append((a, cut))
            a = cut
            size = cell_len(text[a:b])
        if a == b:  # cut to its very end (a character wider than the line): no empty line
            start = None
            continue
        start, end, used = a, b, size
    if start is not None:
        lines.append((start, end))
    if not lines:
        lines.append((0, 0))
    return lines


def wrap_text(text: str, width: int, units: bool = False) -> list[str]:
    return [text[a:b] for a, b in break_lines(text, width, units)]


class Prose:
    """Text a Rich console or table cell breaks by the rules above (for CLI messages in
    Chinese: no line starting with ，or ）, a number kept with its measure word)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        widest = max(
            (cell_len(self.text[a:b].strip()) for a, b in atoms(self.text, True)),
            default=0,
        )
        longest = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return Measurement(min(widest, options.max_width), min(longest, options.max_width))

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        lines = wrap_text(self.text, options.max_width, units=True)
        yield Text("\n".join(lines), style=self.style, no_wrap=True, overflow="crop")
