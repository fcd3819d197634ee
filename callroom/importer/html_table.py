"""A web page saved with a spreadsheet name: read its <table> elements as sheets.

Many government web systems "export to Excel" by sending an HTML table named .xls. Excel opens
it, so offices keep and forward it as it is. Read with the standard library's html.parser (no
heavy dependency): rows (<tr>) of cells (<td>/<th>), text with entities decoded and <br> as a
line break. A cell spanning rows or columns is kept as Excel keeps a merged cell: the value in
its top-left cell and the rows it spans listed, so that the data rows below a header get it
filled down like any merged cell (read.fill_merged).
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

MAX_SPAN = 1000  # rowspan / colspan beyond this is a broken page, not a list
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class Table:
    """One table's rows and its cells spanning several rows: (top row, column, bottom row)."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.merged: list[tuple[int, int, int]] = []
        self._taken: dict[tuple[int, int], bool] = {}  # (row, col) covered by a span above

    def add_row(self) -> None:
        self.rows.append([])

    def add_cell(self, text: str, rowspan: int, colspan: int) -> None:
        if not self.rows:
            self.add_row()
        r = len(self.rows) - 1
        row = self.rows[r]
        col = len(row)
        while self._taken.pop((r, col), False):
            row.append("")
            col += 1
        row.append(text)
        row.extend([""] * (colspan - 1))
        if rowspan > 1:
            self.merged.append((r, col, r + rowspan - 1))
            for below in range(r + 1, r + rowspan):
                for c in range(col, col + colspan):
                    self._taken[(below, c)] = True

    def close_row(self) -> None:
        """Cells of a span from above at the end of a row."""
        if not self.rows:
            return
        r = len(self.rows) - 1
        row = self.rows[r]
        while self._taken.pop((r, len(row)), False):
            row.append("")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._open: list[Table] = []  # nested tables: the innermost is written to
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._end_cell()
            table = Table()
            self.tables.append(table)
            self._open.append(table)
            return
        if not self._open and tag in ("tr", "td", "th"):  # a row without its <table>
            table = Table()
            self.tables.append(table)
            self._open.append(table)
        if not self._open:
            return
        if tag == "tr":
            self._end_cell()
            self._open[-1].close_row()
            self._open[-1].add_row()
        elif tag in ("td", "th"):
            self._end_cell()
            found = dict(attrs)
            self._span = (_span(found.get("rowspan")), _span(found.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_cell()
            self._open[-1].close_row()
        elif tag == "table":
            self._end_cell()
            self._open[-1].close_row()
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is None or not self._open:
            self._cell = None
            return
        lines = "".join(self._cell).replace("\xa0", " ").split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        self._open[-1].add_cell(text, *self._span)
        self._cell = None
        self._span = (1, 1)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1


def decode(data: bytes) -> str:
    """BOM, else the page's own <meta charset>, else strict UTF-8, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    if m := _CHARSET.search(data[:4096]):
        try:
            return data.decode(m.group(1).decode("ascii").lower(), "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def read_tables(data: bytes) -> list[Table]:
    """The tables of a page that hold at least one row with text."""
    parser = _Parser()
    parser.feed(decode(data))
    parser.close()
    parser._end_cell()
    return [t for t in parser.tables if any(any(c for c in row) for row in t.rows)]
