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
from callroom.ids import DAMAGED, parse_id, valid18
from callroom.importer.dates import read_date
from callroom.importer.header import Layout, filled
from callroom.importer.model import Reject
from callroom.importer.roles import OTHER_PERSON, OWN_PERSON
from callroom.importer.rows import (
    _EXAMPLE,
    _EXAMPLE_START,
    _FOOTER,
    _PLACEHOLDER,
    Tally,
    cell_text,
)
from callroom.phones import plain_mobile, read_numbers
from callroom.results.roles import result_word

_FOOTER_START = frozenset("合总小共Tt")  # 合计, 总计, 小计, 共 86 人, total


class _Cache(dict[Any, Any]):
    """cell -> what it says, emptied when full (memory stays bounded whatever the export).
    Keyed by the value, its type with it unless a str (1, 1.0 and "1" read differently)."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        if type(key) is not str:
            typed = (type(key), key)
            if typed in self:
                return dict.__getitem__(self, typed)
            value = self.make(typed)
            self._keep(typed, value)
            return value
        value = self.make(key)
        self._keep(key, value)
        return value

    def _keep(self, key: Any, value: Any) -> None:
        if len(self) >= 4096:
            self.clear()
        self[key] = value


def _value(key: Any) -> Any:
    return key if type(key) is str else key[1]


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
        # a repeated header row: cells as the header wrote them (a two-row header's lower row)
        shown = [h for h in layout.headers if h]
        self.header_texts = frozenset(
            [*shown, *(h.rsplit("/", 1)[-1] for h in shown), *(h for h in layout.norm_headers if h)]
        )
        self.header_match = max(1, min(2, len(shown)))
        self.dates: dict[Any, tuple[str, bool]] = {}
        # cells that repeat down an export (sites, result words, many names): read once each
        self.texts = _Cache(lambda key: cell_text(_value(key)))
        self.words = _Cache(lambda key: result_word(_value(key)))

    def read_many(
        self, rows: list[list[object]], first: int
    ) -> list[tuple[Any, ...] | Reject | None]:
        """read() of rows numbered first, first + 1, ...: the usual row (a valid 18-character
        ID and/or a plain mobile, a date cell or a date text read before, no example mark) in
        one pass of local lookups, the same as read() gives it (tests/test_results.py checks);
        anything else through read()."""
        width, latest, prefix = self.width, self.latest, self.prefix
        idc, pc, tc = self.id_col, self.phone_col, self.time_col
        sc, nc, rc = self.site_col, self.name_col, self.result_col
        dates, texts, words, tally = self.dates, self.texts, self.words, self.tally
        if tc is None:
            return [self.read(row, first + i) for i, row in enumerate(rows)]
        out: list[tuple[Any, ...] | Reject | None] = []
        for i, row in enumerate(rows):
            if len(row) < width:
                row = [*row, *([""] * (width - len(row)))]
            when = row[tc]
            if type(when) is datetime:
                tested = (
                    when.isoformat(" ", "minutes") if when.hour or when.minute
                    else when.date().isoformat()
                )  # fmt: skip
            elif type(when) is str and (got := dates.get(when)) is not None and got[1] and got[0]:
                tested = got[0]
            else:
                out.append(self.read(row, first + i))
                continue
            ident = row[idc] if idc is not None else ""
            if ident is None or ident == "":
                ident = ""
            elif type(ident) is not str or valid18(ident) is None:
                out.append(self.read(row, first + i))
                continue
            phone = row[pc] if pc is not None else ""
            if phone is None or phone == "":
                phone = ""
            elif (phone := plain_mobile(phone)) is None:
                out.append(self.read(row, first + i))
                continue
            a = row[0]
            b = row[1] if width > 1 else None
            if (
                (not ident and not phone) or tested[:10] > latest
                or (type(a) is str and (a[:1] in _EXAMPLE_START or a[:1] in _FOOTER_START))
                or (type(b) is str and b[:1] in _EXAMPLE_START)
                or self._maybe_not_data(row)
            ):  # fmt: skip
                out.append(self.read(row, first + i))
                continue
            tally.rows_read += 1
            out.append(
                (
                    f"{prefix}{first + i}", ident or phone, ident, phone,
                    texts[row[nc]][:MAX_NAME] if nc is not None else "", tested,
                    texts[row[sc]][:MAX_SITE] if sc is not None else "",
                    words[row[rc]] if rc is not None else "",
                )
            )  # fmt: skip
        return out

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
        texts = self.texts
        site = name = word = ""
        if (col := self.site_col) is not None:
            site = texts[cells[col]][:MAX_SITE]
        if (col := self.name_col) is not None:
            name = texts[cells[col]][:MAX_NAME]
        if (col := self.result_col) is not None:
            word = self.words[cells[col]]
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
        if type(value) is str and valid18(value) is not None:
            return value, ""  # the usual cell: a valid 18-character ID
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
        if type(value) is datetime:  # the usual date cell, each one different: no cache
            if value.hour or value.minute:
                return value.isoformat(" ", "minutes")
            return value.date().isoformat()
        if value is None or value == "":
            return None
        key = value if type(value) is str else (type(value), value)
        got = self.dates.get(key)
        if got is None:
            if len(self.dates) > 4096:
                self.dates.clear()
            got = self.dates[key] = read_date(value, self.today)
        text, understood = got
        return text if understood and text else None

    @staticmethod
    def _text(cells: list[object], col: int | None, limit: int) -> str:
        if col is None:
            return ""
        return cell_text(cells[col])[:limit]

    def _maybe_not_data(self, cells: list[object]) -> bool:
        """The fast path's cheap look for what _not_data would find: a cell written as its
        header, or a template's placeholder."""
        headers, same = self.header_texts, 0
        for c in cells:
            if type(c) is str and c:
                if "{" in c or "<" in c:
                    return True
                if c.strip() in headers:
                    same += 1
        return same >= self.header_match

    def _not_data(self, cells: list[object]) -> bool:
        """A totals line, a repeated header row, a template or an example row. Cheap: run on
        every row of an export of 100,000."""
        first = cells[0]
        if type(first) is str and first[:1] in _FOOTER_START:
            present = [c for c in cells if c is not None and c != ""]
            if len(present) <= 2 and _FOOTER.match(cell_text(present[0])):
                return True
        same = 0
        headers = self.header_texts
        for c in cells:
            if type(c) is str and c and c.strip() in headers:
                same += 1
        if same >= self.header_match:
            return True
        for c in cells:
            if type(c) is str and ("{" in c or "<" in c) and _PLACEHOLDER.search(c):
                return True
        return any(
            type(c) is str and c[:1] in _EXAMPLE_START and _EXAMPLE.match(c) for c in cells[:2]
        )

    def _reject(
        self, cells: list[object], number: int, col: int | None, code: str, detail: str = ""
    ) -> Reject:
        self.tally.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        label = self.layout.label(col) if col is not None else ""
        value = cell_text(cells[col])[:MAX_NAME] if col is not None else ""
        return Reject(self.sheet, number, label, code, detail, shown, value)
