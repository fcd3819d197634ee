"""One row of a list -> a task record, or a rejection with its reason. Pure: no database."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from callroom.config import Config
from callroom.ids import OK, UPGRADED, age_on, parse_id
from callroom.importer.dates import read_date
from callroom.importer.header import Layout, column_letter
from callroom.importer.model import ImportReport, Reject
from callroom.phones import parse_phones

MAX_CELL = 1000  # characters kept from one cell; a pasted document is not call information
MAX_NAME = 60
TEXT_FIELDS = ("name", "place", "address", "note")
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
    """Reads the data rows of one sheet, counting what it sees into the file's report."""

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
        self.report = report
        self.sheet = sheet
        self.today = today
        self.urgent = urgent
        self.elderly_age = config.elderly_age
        self.child_age = config.child_age
        self.flag_words = FlagWords(config)
        self.width = len(layout.headers)
        self.phone_column = (
            f"{column_letter(first_col + layout.phone)} {layout.headers[layout.phone]}".strip()
        )

    def read(self, row: list[object], number: int) -> dict[str, Any] | Reject | None:
        """A task record, a Reject, or None for a blank row."""
        if not filled(row):
            return None
        layout, report = self.layout, self.report
        cells = row if len(row) >= self.width else [*row, *([""] * (self.width - len(row)))]
        if cells[layout.phone] in (None, "") and self._footer(cells):
            return None
        phones, problems = parse_phones(cells[layout.phone], self.region)
        for col in layout.alt_phones:
            more, _ = parse_phones(cells[col], self.region)
            phones.extend(p for p in more if all(p.e164 != q.e164 for q in phones))
        if not phones:
            if problems:
                return self.reject(cells, number, problems[0].code, str(problems[0]))
            return self.reject(cells, number, "no_phone", "no phone number")
        first = phones[0]
        rec: dict[str, Any] = {
            "phone": first.e164,
            "phone_raw": cell_text(cells[layout.phone])[:MAX_NAME],
            "phone_ext": first.ext,
            "phone_flag": first.flag,
            "alt_phones": [p.e164 for p in phones[1:]],
            "source_row": f"{self.sheet}!{number}" if self.sheet else str(number),
        }
        if first.flag:
            report.ambiguous_phones += 1
        report.alternates += len(phones) - 1
        fields = layout.fields
        searchable: list[str] = []
        for fld in TEXT_FIELDS:
            col = fields.get(fld)
            text = cell_text(cells[col]) if col is not None else ""
            if len(text) > (MAX_NAME if fld == "name" else MAX_CELL):
                text = text[: MAX_NAME if fld == "name" else MAX_CELL]
                report.cut_cells += 1
            rec["source_note" if fld == "note" else fld] = text
            if text and fld != "name":
                searchable.append(text)
        flags: set[str] = {"urgent"} if self.urgent else set()
        col = fields.get("arrival")
        if col is not None:
            rec["arrival"], understood = read_date(cells[col], self.today)
            if not understood:
                report.unread_dates += 1
                rec["arrival"] = rec["arrival"][:MAX_NAME]
        col = fields.get("id_number")
        ident = parse_id(cells[col]) if col is not None else None
        if ident is not None:
            rec["id_number"], rec["id_flag"] = ident.text[:40], ident.flag
            if ident.flag not in (OK, UPGRADED):
                if ident.flag == "damaged_by_excel":
                    report.damaged_ids += 1
                else:
                    report.suspect_ids += 1
            elif ident.birth is not None:
                age = age_on(ident.birth, self.today)
                if age >= self.elderly_age:
                    flags.add("elderly")
                elif age < self.child_age:
                    flags.add("child")
        extra: dict[str, str] = {}
        for col, label in layout.extras:
            if col < len(cells) and (text := cell_text(cells[col])):
                if len(text) > MAX_CELL:
                    text = text[:MAX_CELL]
                    report.cut_cells += 1
                extra[label] = text
                searchable.append(text)
        rec["extra"] = extra
        flags |= self.flag_words.find("\x1f".join(searchable))
        rec["flags"] = flags
        return rec

    @staticmethod
    def _footer(cells: list[object]) -> bool:
        filled = [c for c in cells if c not in (None, "")]
        return len(filled) <= 2 and bool(_FOOTER.match(cell_text(filled[0])))

    def reject(self, cells: list[object], number: int, code: str, detail: str) -> Reject:
        self.report.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        return Reject(self.sheet, number, self.phone_column, code, detail, shown)
