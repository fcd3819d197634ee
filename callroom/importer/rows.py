"""One row of a list -> a task record, or a rejection with its reason. Pure: no database."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any

from callroom.config import Config
from callroom.ids import OK, UPGRADED, age_on, parse_id
from callroom.importer.dates import read_date
from callroom.importer.header import Layout, column_letter
from callroom.importer.model import ImportReport, Reject
from callroom.phones import parse_phones, plain_mobile

MAX_CELL = 1000  # characters kept from one cell; a pasted document is not call information
MAX_NAME = 60
TEXT_FIELDS = ("name", "place", "address", "note")
CACHED_CELLS = 4096  # distinct cell values remembered per sheet: bounded, whatever the list
# A totals line under the list ("合计", "共 86 人") is not a person: skip it, do not reject it.
_FOOTER = re.compile(r"^(?:合计|总计|小计|共计?\s*[0-9]+\s*[人条户]|total|subtotal)", re.IGNORECASE)


def cell_text(value: object) -> str:
    """A cell as text, as a person reads it in Excel."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if value.time() != datetime.min.time()
            else (value.date().isoformat())
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def filled(row: list[object]) -> bool:
    """Whether a row holds anything but empty cells and whitespace."""
    return any(c not in (None, "") and (not isinstance(c, str) or c.strip()) for c in row)


class FlagWords:
    """Keywords from callroom.toml [flags]: one regex pass per row finds every flag."""

    def __init__(self, config: Config) -> None:
        self.by_word = {
            w.casefold(): flag for flag, words in config.flag_words.items() for w in words
        }
        words = sorted(self.by_word, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def find(self, text: str) -> set[str]:
        if self.pattern is None or not text:
            return set()
        return {self.by_word[m.group(0)] for m in self.pattern.finditer(text.casefold())}


class RowReader:
    """Reads the data rows of one sheet, counting what it sees into the file's report.

    Built for a 100,000-row list: the usual cells (a mobile in a number cell, an 18-digit ID, a
    date cell) take short paths, and cells that repeat down a list (places, addresses, notes,
    arrival days) are read once each through small bounded caches.
    """

    def __init__(
        self,
        layout: Layout,
        config: Config,
        report: ImportReport,
        sheet: str,
        today: date,
        urgent: bool = False,
        first_col: int = 0,
    ) -> None:
        self.layout = layout
        self.region = config.region
        self.cn = config.region == "CN"
        self.report = report
        self.sheet = sheet
        self.row_prefix = f"{sheet}!" if sheet else ""
        self.today = today
        self.urgent = urgent
        self.elderly_age = config.elderly_age
        self.child_age = config.child_age
        self.flag_words = FlagWords(config)
        self.width = len(layout.headers)
        self.phone_column = (
            f"{column_letter(first_col + layout.phone)} {layout.headers[layout.phone]}".strip()
        )
        fields = layout.fields
        self.text_columns = [
            ("source_note" if fld == "note" else fld, fields.get(fld)) for fld in TEXT_FIELDS
        ]
        self.arrival_column = fields.get("arrival")
        self.id_column = fields.get("id_number")
        # typed: a cell of 1 (number) and one of "1" or True must not share an entry
        cache = lru_cache(maxsize=CACHED_CELLS, typed=True)
        self.cell_info = cache(self._cell_info)
        self.read_date = cache(partial(read_date, today=today))

    def read(self, row: list[object], number: int) -> dict[str, Any] | Reject | None:
        """A task record, a Reject, or None for a blank row."""
        layout, report = self.layout, self.report
        width = self.width
        cells = row if len(row) >= width else [*row, *([""] * (width - len(row)))]
        raw = cells[layout.phone]
        no_phone = raw is None or (isinstance(raw, str) and not raw.strip())
        if no_phone and (not filled(row) or self._footer(cells)):
            return None  # a blank row or a totals line; other rows without a phone are rejected
        e164 = plain_mobile(raw) if self.cn and not layout.alt_phones else None
        if e164 is not None:
            phones, ext, phone_flag = [e164], "", ""
        else:
            found, problems = parse_phones(raw, self.region)
            for col in layout.alt_phones:
                more, _ = parse_phones(cells[col], self.region)
                found.extend(p for p in more if all(p.e164 != q.e164 for q in found))
            if not found:
                if problems:
                    return self.reject(cells, number, problems[0].code, str(problems[0]))
                return self.reject(cells, number, "no_phone", "no phone number")
            phones = [p.e164 for p in found]
            ext, phone_flag = found[0].ext, found[0].flag
        if phone_flag:
            report.ambiguous_phones += 1
        report.alternates += len(phones) - 1
        raw_text = cell_text(raw)
        rec: dict[str, Any] = {
            "phone": phones[0],
            "phone_raw": raw_text if len(raw_text) <= MAX_NAME else raw_text[:MAX_NAME],
            "phone_ext": ext,
            "phone_flag": phone_flag,
            "alt_phones": phones[1:],
            "source_row": f"{self.row_prefix}{number}",
            "arrival": "",
            "id_number": "",
            "id_flag": "",
        }
        flags: set[str] = {"urgent"} if self.urgent else set()
        for fld, col in self.text_columns:
            if col is None:
                rec[fld] = ""
                continue
            text, cut, found_flags = self.cell_info(cells[col], fld == "name")
            rec[fld] = text
            if cut:
                report.cut_cells += 1
            if found_flags:
                flags |= found_flags
        col = self.arrival_column
        if col is not None:
            arrival, understood = self.read_date(cells[col])
            if not understood:
                report.unread_dates += 1
                arrival = arrival[:MAX_NAME]
            rec["arrival"] = arrival
        col = self.id_column
        ident = parse_id(cells[col]) if col is not None else None
        if ident is not None:
            rec["id_number"], rec["id_flag"] = ident.text[:40], ident.flag
            if ident.flag not in (OK, UPGRADED):
                if ident.flag == "damaged_by_excel":
                    report.damaged_ids += 1
                else:
                    report.suspect_ids += 1
            elif ident.birth is not None and (age := self._age_flag(ident.birth)):
                flags.add(age)
        extra: dict[str, str] = {}
        for col, label in layout.extras:
            if col < len(cells):
                text, cut, found_flags = self.cell_info(cells[col], False)
                if text:
                    extra[label] = text
                    if cut:
                        report.cut_cells += 1
                    if found_flags:
                        flags |= found_flags
        rec["extra"] = extra
        rec["flags"] = flags
        return rec

    def _cell_info(self, value: object, is_name: bool) -> tuple[str, bool, frozenset[str]]:
        """(text kept, whether it was cut, flags its words raise); names raise no flags."""
        text = cell_text(value)
        limit = MAX_NAME if is_name else MAX_CELL
        cut = len(text) > limit
        if cut:
            text = text[:limit]
        return text, cut, frozenset() if is_name else frozenset(self.flag_words.find(text))

    def _age_flag(self, born: date) -> str:
        age = age_on(born, self.today)
        if age >= self.elderly_age:
            return "elderly"
        if age < self.child_age:
            return "child"
        return ""

    @staticmethod
    def _footer(cells: list[object]) -> bool:
        filled = [c for c in cells if c not in (None, "")]
        return len(filled) <= 2 and bool(_FOOTER.match(cell_text(filled[0])))

    def reject(self, cells: list[object], number: int, code: str, detail: str) -> Reject:
        self.report.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        value = cell_text(cells[self.layout.phone])[:MAX_NAME]
        return Reject(self.sheet, number, self.phone_column, code, detail, shown, value)
