"""Find the real header under title rows and banners, and map its columns to task fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from callroom.config import FIELDS, Config

HEADER_SCAN_ROWS = 30  # title rows, notes and blank rows above the header, in practice < 10
MAX_EXTRA_COLUMNS = 40  # unknown columns kept on the card; beyond that a list is not a call list
MAP_FIELDS = (*FIELDS, "extra")
_SPACES = re.compile(r"\s+")
_DECORATION = re.compile(r"^[*＊]+|[*＊:：]+$")
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")


def norm_header(value: object) -> str:
    """'  联系电话（必填）* ' and '联系电话' compare equal; case and width do not matter."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).casefold()
    text = _SPACES.sub("", text)
    return _DECORATION.sub("", text)


def _candidates(value: object) -> list[str]:
    full = norm_header(value)
    bare = _DECORATION.sub("", _BRACKETS.sub("", full))
    return [full, bare] if bare and bare != full else [full]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names the column in messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Layout:
    header_row: int  # 1-based row number of the header
    headers: list[str]  # header texts as written
    phone: int  # column index of the phone
    alt_phones: list[int] = field(default_factory=list)  # further phone columns
    fields: dict[str, int] = field(default_factory=dict)  # name, id_number, place, ... -> column
    extras: list[tuple[int, str]] = field(default_factory=list)  # (column, label) kept on the card
    dropped_extras: int = 0  # unknown columns beyond MAX_EXTRA_COLUMNS


class Synonyms:
    """Header text -> field, from callroom.toml's [columns] and the command line's --map."""

    def __init__(self, config: Config, mapping: dict[str, str] | None = None) -> None:
        self.table: dict[str, str] = {}
        for fld, names in config.columns.items():
            for name in names:
                self.table.setdefault(norm_header(name), fld)
        self.mapped = {norm_header(h): f for h, f in (mapping or {}).items()}

    def field_for(self, header: object) -> str | None:
        for cand in _candidates(header):
            if cand in self.mapped:
                return self.mapped[cand]
        for cand in _candidates(header):
            if cand in self.table:
                return self.table[cand]
        return None


def find_layout(rows: list[list[object]], synonyms: Synonyms, first_col: int = 0) -> Layout | None:
    """The first of ``rows`` that names a phone column, as a Layout; None if there is none."""
    for index, row in enumerate(rows):
        found = [synonyms.field_for(cell) if _texty(cell) else None for cell in row]
        if "phone" in found:
            return _layout(index + 1, row, found, first_col)
    return None


def best_guess_header(rows: list[list[object]], synonyms: Synonyms) -> tuple[int, list[str]] | None:
    """For the error message: the row that looks most like a header although it has no phone."""
    best: tuple[int, int, list[str]] | None = None
    for index, row in enumerate(rows):
        known = sum(1 for c in row if _texty(c) and synonyms.field_for(c))
        if known and (best is None or known > best[0]):
            best = (known, index + 1, [str(c) for c in row if str(c).strip()])
    return (best[1], best[2]) if best else None


def _texty(cell: object) -> bool:
    return isinstance(cell, str) and 0 < len(cell) <= 60


def _layout(row_number: int, row: list[object], found: list[str | None], first_col: int) -> Layout:
    headers = [str(c).strip() if c is not None else "" for c in row]
    layout = Layout(header_row=row_number, headers=headers, phone=found.index("phone"))
    used_labels: set[str] = set()
    for col, fld in enumerate(found):
        if col == layout.phone or fld == "ignore":
            continue
        if fld == "phone":
            layout.alt_phones.append(col)
            continue
        if fld is not None and fld != "extra" and fld not in layout.fields:
            layout.fields[fld] = col
            continue
        # data under a blank header is still kept, labelled by its column letter
        base = label = headers[col] or column_letter(first_col + col)
        n = 2
        while label in used_labels:  # a duplicate header keeps its data under "name (2)"
            label, n = f"{base} ({n})", n + 1
        used_labels.add(label)
        if len(layout.extras) < MAX_EXTRA_COLUMNS:
            layout.extras.append((col, label))
        elif headers[col]:
            layout.dropped_extras += 1
    return layout
