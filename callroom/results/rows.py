"""One row of a test-results export -> a result record, a rejection with its reason, or "not
data". Pure (no database): it runs in the reader's child process, like the list's RowReader,
and has the same constructor so ``ListReader(rows=ResultRowReader)`` reads results lists.

A record is a tuple in RESULT_RECORD order. The person is the ID number when the row has a
valid one, else the phone: with the test time and the site it is the key results are
deduplicated on (the same test in two exports is one result).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from callroom.config import Config
from callroom.ids import DAMAGED, parse_id
from callroom.importer.dates import read_date
from callroom.importer.header import Layout, filled
from callroom.importer.model import Reject
from callroom.importer.roles import OTHER_PERSON, OWN_PERSON, norm_header
from callroom.importer.rows import _EXAMPLE, _FOOTER, _PLACEHOLDER, Tally, cell_text
from callroom.phones import plain_mobile, read_numbers
from callroom.results.roles import result_word

RESULT_RECORD = (
    "source_row", "person", "id_number", "phone", "name", "tested_at", "site", "result",
)  # fmt: skip
MAX_SITE = 120
MAX_NAME = 60
FUTURE_DAYS = 1  # a test dated beyond tomorrow is a typing mistake, not a test


class ResultRowReader:
    """Reads the data rows of one sheet of a results export by its Layout."""

    def __init__(
        self,
        layout: Layout,
        config: Config,
        sheet: str,
        today: date,
        urgent: bool = False,
        tally: Tally | None = None,
    ) -> None:
        self.layout = layout
        self.region = config.region
        self.sheet = sheet
        self.prefix = f"{sheet}!" if sheet else ""
        self.today = today
        self.latest = (today + timedelta(days=FUTURE_DAYS)).isoformat()
        self.tally = tally if tally is not None else Tally()
        fields = layout.fields
        self.width = len(layout.headers)
        self.phone_col = layout.phone if layout.phone >= 0 else None
        self.id_col = fields.get("id_number")
        self.name_col = fields.get("name")
        self.time_col = fields.get("test_time")
        self.site_col = fields.get("site")
        self.result_col = fields.get("result")
        self.norm_headers = layout.norm_headers
        self.dates: dict[Any, tuple[str, bool]] = {}

    def read_many(
        self, rows: list[list[object]], first: int
    ) -> list[tuple[Any, ...] | Reject | None]:
        return [self.read(row, first + i) for i, row in enumerate(rows)]

    def read(self, row: list[object], number: int) -> tuple[Any, ...] | Reject | None:
        if not filled(row):
            return None
        width = self.width
        cells = row if len(row) >= width else [*row, *([""] * (width - len(row)))]
        if self._not_data(cells):
            self.tally.not_data += 1
            return None
        self.tally.rows_read += 1
        id_number, id_problem = self._id(cells)
        phone, phone_problem = self._phone(cells)
        if not id_number and not phone:
            if id_problem == DAMAGED:
                return self._reject(cells, number, self.id_col, "result_id_damaged")
            col = self.phone_col if phone_problem or self.id_col is None else self.id_col
            return self._reject(cells, number, col, "result_no_person")
        if id_problem == DAMAGED:
            self.tally.damaged_ids += 1
        tested_at = self._time(cells)
        if tested_at is None:
            return self._reject(cells, number, self.time_col, "result_no_time")
        if tested_at[:10] > self.latest:
            return self._reject(cells, number, self.time_col, "result_future")
        site = self._text(cells, self.site_col, MAX_SITE)
        name = self._text(cells, self.name_col, MAX_NAME)
        word = result_word(cells[self.result_col]) if self.result_col is not None else ""
        return (
            f"{self.prefix}{number}", id_number or phone, id_number, phone, name, tested_at,
            site, word,
        )  # fmt: skip

    # -- cells -------------------------------------------------------------------------------

    def _id(self, cells: list[object]) -> tuple[str, str]:
        """(a trusted ID, or ""; the flag of an ID that is not trusted)."""
        if self.id_col is None:
            return "", ""
        value = cells[self.id_col]
        if value is None or value == "":
            return "", ""
        ident = parse_id(value)
        if ident is None:
            return "", ""
        if ident.trusted:
            return ident.text, ""
        return "", ident.flag

    def _phone(self, cells: list[object]) -> tuple[str, str]:
        """(the person's own number in E.164, or ""; the reason code when the cell gave none)."""
        if self.phone_col is None:
            return "", ""
        value = cells[self.phone_col]
        if value is None or value == "":
            return "", ""
        fast = plain_mobile(value)
        if fast is not None:
            return fast, ""
        found, problems = read_numbers(value, self.region)
        for phone, note in found:
            if not note or OWN_PERSON.search(note) or not OTHER_PERSON.search(note):
                return phone.e164, ""
        return "", (problems[0].code if problems else "")

    def _time(self, cells: list[object]) -> str | None:
        if self.time_col is None:
            return None
        value = cells[self.time_col]
        if value is None or value == "":
            return None
        key = value if type(value) is str else (type(value), value)
        got = self.dates.get(key)
        if got is None:
            if len(self.dates) > 4096:
                self.dates.clear()
            if type(value) is datetime:
                got = (value.isoformat(" ", "minutes"), True)
                if not (value.hour or value.minute):
                    got = (value.date().isoformat(), True)
            else:
                got = read_date(value, self.today)
            self.dates[key] = got
        text, understood = got
        return text if understood and text else None

    @staticmethod
    def _text(cells: list[object], col: int | None, limit: int) -> str:
        if col is None:
            return ""
        return cell_text(cells[col])[:limit]

    def _not_data(self, cells: list[object]) -> bool:
        """A repeated header row, a template or example row, or a totals line."""
        present = [c for c in cells if c not in (None, "")]
        if len(present) <= 2 and _FOOTER.match(cell_text(present[0])):
            return True
        same = sum(
            1
            for i, c in enumerate(cells)
            if isinstance(c, str) and c.strip() and self.norm_headers[i]
            and norm_header(c) == self.norm_headers[i]
        )  # fmt: skip
        if same >= max(1, min(2, len([h for h in self.norm_headers if h]))):
            return True
        texts = [cell_text(c) for c in present if isinstance(c, str)]
        if any(_PLACEHOLDER.search(t) for t in texts):
            return True
        return any(type(c) is str and _EXAMPLE.match(c) for c in cells[:2])

    def _reject(
        self, cells: list[object], number: int, col: int | None, code: str, detail: str = ""
    ) -> Reject:
        self.tally.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        label = self.layout.label(col) if col is not None else ""
        value = cell_text(cells[col])[:MAX_NAME] if col is not None else ""
        return Reject(self.sheet, number, label, code, detail, shown, value)
