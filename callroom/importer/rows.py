"""One row of a list -> a task record, a rejection with its reason, or "not data". Pure: no
database, so it runs in the reader process.

A record is a tuple in RECORD order, its lists and dicts already JSON, so that it crosses from
the reader process and goes into the staging table as it is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from callroom.config import Config
from callroom.ids import OK, UPGRADED, age_on, parse_id, valid18
from callroom.importer.dates import read_date
from callroom.importer.header import Layout, filled
from callroom.importer.model import Reject
from callroom.importer.roles import OTHER_PERSON, OWN_PERSON, norm_header
from callroom.invisible import strip_invisible
from callroom.phones import Phone, display, plain_mobile, read_numbers
from callroom.store import FLAGS, priority_for

MAX_CELL = 1000  # characters kept from one cell; a pasted document is not call information
MAX_NAME = 60
CACHED_CELLS = 4096  # distinct cell values remembered per column: bounded, whatever the list
RECORD = (
    "source_row", "phone", "phone_raw", "phone_ext", "phone_flag", "alt_phones", "name",
    "id_number", "id_flag", "place", "arrival", "address", "source_note", "extra", "flags",
    "priority",
)  # fmt: skip
FLAG_ORDER = FLAGS  # the order flags are written in, most urgent first
_ELDERLY, _CHILD, _NONE = frozenset({"elderly"}), frozenset({"child"}), frozenset()
_UNFLAGGED = ("", 0)
FALLBACK = "landline_fallback"  # the main number was empty: this one is from another own column
GUARDIAN = "guardian"  # a child's list: the number is the parent's or guardian's
# A totals line under the list ("合计", "共 86 人") is not a person: skip it, do not reject it.
_FOOTER = re.compile(r"^(?:合计|总计|小计|共计?\s*[0-9]+\s*[人条户]|total|subtotal)", re.IGNORECASE)
# Template rows: "{customerPhone}", "${phone}", "示例", "例：", "样例", "填写说明", ...
_PLACEHOLDER = re.compile(r"\$?\{[^{}]{1,40}\}|\{\{[^{}]{1,40}\}\}|<[a-z_]{2,30}>", re.IGNORECASE)
_EXAMPLE = re.compile(
    r"^[\s(（\[【]*(?:示例|样例|范例|例子|例[:：]|例如|举例|填写示例|填表示例|模板|参考格式|"
    r"example|sample|e\.g\.)",
    re.IGNORECASE,
)
_EXAMPLE_START = frozenset(" \t(（[【示样范例举填模参eEsS")
# An example marked inside a cell: "李四（示例，请删除）", "王五(sample)", "示例地址，请删除".
_EXAMPLE_INSIDE = re.compile(
    r"[(（\[【]\s*(?:示例|样例|范例|例子|模板|填写示例|example|sample)|请删除|删除本行|删除此行|"
    r"delete this row",
    re.IGNORECASE,
)
_EXAMPLE_CHARS = frozenset("示样范例模删eEsS")
_INSTRUCTION = re.compile(
    r"请填写|请输入|填写说明|填写要求|格式[:：为]|必填|选填|注[:：]|说明[:：]|请勿"
)
SAMPLE_NAMES = frozenset(("张三", "李四", "王五", "赵六", "某某", "张某", "张某某", "李某某", "xxx",
                          "XXX", "某人", "测试", "test", "Test", "姓名", "示例"))  # fmt: skip
# Document types that are not a resident ID: their numbers are kept as written, unflagged.
_OTHER_DOCUMENT = re.compile(
    r"护照|通行证|回乡证|台胞证|居留证|外国人|军官证|士兵证|警官证|出生证|passport|permit", re.I
)
_RESIDENT_ID = re.compile(r"身份证|居民身份|id\s*card", re.I)
# Notes that say what kind of line a number is, not whose: 手机, 固话, 微信同号, 工作日, 晚上
LINE_KIND = re.compile(
    r"手机|电话|固话|座机|微信|同号|工作|办公|单位|家|宅|备用|常用|短号|长号|移动|联通|电信|白天|晚上|"
    r"周末|上班|下班|mobile|phone|tel|home|work|office|wechat|cell",
    re.IGNORECASE,
)


def cell_text(value: object) -> str:
    """A cell as text, as a person reads it in Excel, without invisible characters."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_invisible(value).strip()
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
    return strip_invisible(str(value)).strip()


def flags_text(flags: set[str] | frozenset[str]) -> str:
    return ",".join(f for f in FLAG_ORDER if f in flags)


class FlagWords:
    """Keywords from callroom.toml [flags]: one regex pass per cell finds every flag."""

    def __init__(self, config: Config) -> None:
        self.by_word = {
            w.casefold(): flag for flag, words in config.flag_words.items() for w in words
        }
        words = sorted(self.by_word, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def find(self, text: str) -> frozenset[str]:
        if self.pattern is None or not text:
            return frozenset()
        return frozenset(self.by_word[m.group(0)] for m in self.pattern.finditer(text.casefold()))


@dataclass
class Tally:
    """What reading rows counted, added into the file's ImportReport afterwards."""

    rows_read: int = 0  # data rows: records + rejects
    not_data: int = 0  # repeated headers, template/example rows, instructions: skipped
    rejected: Counter[str] = field(default_factory=Counter)
    damaged_ids: int = 0
    suspect_ids: int = 0
    other_documents: int = 0  # passports and permits under an ID-type column: kept as written
    alternates: int = 0
    other_phones: int = 0  # someone else's numbers kept as labelled extras
    fallbacks: int = 0  # main number empty, the person's other number used (flagged)
    guardians: int = 0  # a child's card called on the guardian's number (flagged)
    ambiguous_phones: int = 0
    unread_dates: int = 0
    cut_cells: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            if name == "rejected":
                self.rejected.update(other.rejected)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))


def _value(key: Any) -> Any:
    return key if type(key) is str else key[1]


class _Cache(dict[Any, Any]):
    """A per-column memo of cell -> result, emptied when full (memory stays bounded)."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        if len(self) >= CACHED_CELLS:
            self.clear()
        value = self[key] = self.make(key)
        return value


class RowReader:
    """Reads the data rows of one sheet by its Layout.

    Built for a 100,000-row list: the usual cells (a mobile in a number cell, an 18-digit ID, a
    date cell) take short paths, and cells that repeat down a list (places, addresses, notes,
    arrival days) are read once each through small bounded caches keyed by (type, value).
    """

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
        self.row_prefix = f"{sheet}!" if sheet else ""
        self.today = today
        self.urgent = frozenset({"urgent"}) if urgent else frozenset()
        self.elderly_age = config.elderly_age
        self.child_age = config.child_age
        self.flag_words = FlagWords(config)
        self.tally = tally if tally is not None else Tally()
        self.width = len(layout.headers)
        self.phone_column = layout.label(layout.phone)
        fields = layout.fields
        self.name_col = fields.get("name")
        self.place_col = fields.get("place")
        self.address_col = fields.get("address")
        self.note_col = fields.get("note")
        self.arrival_col = fields.get("arrival")
        self.id_col = fields.get("id_number")
        self.id_type_col = fields.get("id_type")
        self.norm_headers = layout.norm_headers
        self.text = _Cache(lambda key: self._text_info(_value(key), False))
        self.name_text = _Cache(lambda key: self._text_info(_value(key), True))
        self.date = _Cache(lambda key: read_date(_value(key), today))
        # a set of flags -> (its text, the priority it gives): a handful of distinct sets a list
        self.flagged = _Cache(lambda flags: (flags_text(flags), priority_for(flags)))
        # (slot in name/place/address/note, column, cache) for the columns this list has
        self.text_cols = [
            (slot, col, self.name_text if slot == 0 else self.text)
            for slot, col in enumerate((self.name_col, self.place_col, self.address_col,
                                        self.note_col))
            if col is not None
        ]  # fmt: skip

    # -- one row ---------------------------------------------------------------------------------

    def _cached(self, cache: _Cache, value: object) -> Any:
        # a str is its own key; other types keep theirs apart (1, 1.0, True and "1" differ)
        return cache[value if type(value) is str else (type(value), value)]

    def read_many(
        self, rows: list[list[object]], first: int
    ) -> list[tuple[Any, ...] | Reject | None]:
        """read() of rows numbered first, first + 1, ...: the usual rows (a plain mobile, no
        sample or example marks) of a layout without per-row specials are read column by column,
        the same as read() would (tests/test_import_rows.py checks), the rest one by one."""
        layout = self.layout
        if (
            layout.alt_phones or layout.other_phones or layout.name_parts
            or layout.address_parts or self.id_type_col is not None or layout.guardian
        ):  # fmt: skip
            return [self.read(row, first + i) for i, row in enumerate(rows)]
        width, pc, name_col = self.width, layout.phone, self.name_col
        out: list[tuple[Any, ...] | Reject | None] = [None] * len(rows)
        fast: list[int] = []
        mobiles: list[str] = []
        padded: list[list[object]] = []
        for i, row in enumerate(rows):
            if len(row) < width:
                row = [*row, *([""] * (width - len(row)))]
            padded.append(row)
            e164 = plain_mobile(row[pc])
            if (
                e164 is None
                or (
                    name_col is not None
                    and (
                        row[name_col] in SAMPLE_NAMES
                        or (
                            type(row[name_col]) is str
                            and not _EXAMPLE_CHARS.isdisjoint(row[name_col])
                        )
                    )
                )
                or (type(row[0]) is str and row[0][:1] in _EXAMPLE_START)
                or (width > 1 and type(row[1]) is str and row[1][:1] in _EXAMPLE_START)
            ):
                out[i] = self.read(row, first + i)
            else:
                fast.append(i)
                mobiles.append(e164)
        if not fast:
            return out
        tally = self.tally
        tally.rows_read += len(fast)
        cells = [padded[i] for i in fast]
        n = len(cells)
        # each text column in one pass through its bounded cache: (text, cut, flags)
        blank = ("", False, frozenset())
        columns = []
        for slot, col, cache in self.text_cols:
            infos = [cache[v if type(v) is str else (type(v), v)] for v in (r[col] for r in cells)]
            tally.cut_cells += sum(1 for info in infos if info[1])
            columns.append((slot, infos))
        texts: list[list[tuple[str, bool, frozenset[str]]]] = [[blank] * n for _ in range(4)]
        for slot, infos in columns:
            texts[slot] = infos
        arrivals = [""] * n
        if (col := self.arrival_col) is not None:
            dates = self.date
            for k, row in enumerate(cells):
                value = row[col]
                if type(value) is datetime:
                    arrivals[k] = (
                        value.isoformat(" ", "minutes") if value.hour or value.minute
                        else value.date().isoformat()
                    )  # fmt: skip
                elif value is not None and value != "":
                    text, understood = dates[value if type(value) is str else (type(value), value)]
                    if not understood:
                        tally.unread_dates += 1
                        text = text[:MAX_NAME]
                    arrivals[k] = text
        ids: list[tuple[str, str, frozenset[str]]] = [("", "", frozenset())] * n
        if (col := self.id_col) is not None:
            today, elderly, child = self.today, self.elderly_age, self.child_age
            now = (today.month, today.day)
            for k, row in enumerate(cells):
                value = row[col]
                if value is None or value == "":
                    continue
                born = valid18(value) if type(value) is str else None
                if born is not None:  # the usual ID: valid, 18 characters, upper-case X
                    years = today.year - born[0] - (now < (born[1], born[2]))
                    age = _ELDERLY if years >= elderly else _CHILD if years < child else _NONE
                    ids[k] = (value, "", age)
                else:
                    text, flag, age_flag = self._id(row, col)
                    ids[k] = (text, flag, frozenset({age_flag}) if age_flag else _NONE)
        extras = [(col, label) for col, label in layout.extras]
        urgent, prefix, text_cache = self.urgent, self.row_prefix, self.text
        flagged = self.flagged
        name_infos, place_infos, address_infos, note_infos = texts
        for k, i in enumerate(fast):
            row = cells[k]
            pf, af, nf, idf = place_infos[k][2], address_infos[k][2], note_infos[k][2], ids[k][2]
            flags = (urgent | pf | af | nf | idf) if (pf or af or nf or idf) else urgent
            extra_json = "{}"
            if extras:
                extra: dict[str, str] = {}
                for col, label in extras:
                    value = row[col]
                    if value is None or value == "":
                        continue
                    text, cut, found = text_cache[
                        value if type(value) is str else (type(value), value)
                    ]
                    if text:
                        extra[label] = text
                        if cut:
                            tally.cut_cells += 1
                        if found:
                            flags = flags | found
                if extra:
                    extra_json = json.dumps(extra, ensure_ascii=False)
            raw = row[pc]
            e164 = mobiles[k]
            id_number, id_flag, _ = ids[k]
            out[i] = (
                f"{prefix}{first + i}", e164,
                raw.strip() if type(raw) is str else e164[3:],
                "", "", "[]", name_infos[k][0], id_number, id_flag, place_infos[k][0],
                arrivals[k], address_infos[k][0], note_infos[k][0], extra_json,
                *(flagged[flags] if flags else _UNFLAGGED),
            )  # fmt: skip
        return out

    def read(self, row: list[object], number: int) -> tuple[Any, ...] | Reject | None:
        """A record (RECORD order), a Reject, or None for a row that is not data (blank rows,
        totals, repeated headers, template and example rows; the last three are counted)."""
        layout, tally = self.layout, self.tally
        width = self.width
        cells = row if len(row) >= width else [*row, *([""] * (width - len(row)))]
        raw = cells[layout.phone]
        e164 = plain_mobile(raw)
        name_col = self.name_col
        others: list[tuple[Phone, str]] = []
        lines = self._lines(cells) if layout.shared_phones else {}
        if e164 is not None and e164 in lines:
            e164 = None  # the office's line written as the resident's number: not theirs
        if e164 is not None:  # the usual row: one plain mobile
            phones, ext, phone_flag = [e164], "", ""
            if name_col is not None and cells[name_col] in SAMPLE_NAMES:
                if self._sample_row(cells, e164):
                    tally.not_data += 1
                    return None
            elif self._example_mark(cells):
                tally.not_data += 1
                return None
        else:
            if not filled(row):
                return None
            found, problems = read_numbers(raw, self.region)
            if layout.guardian:  # "139...(母亲)": the guardian's number is the one to call
                own, others = [p for p, _ in found], []
            else:
                own, others = self._split_whose(found, self.phone_column_header)
            if lines:
                own = [p for p in own if p.e164 not in lines]
            phones = [p.e164 for p in own]
            phone_flag = own[0].flag if own else ""
            ext = own[0].ext if own else ""
            if not own and layout.alt_phones:
                more = [p for p in self._fallback(cells) if p.e164 not in lines]
                if more:
                    phones = [p.e164 for p in more]
                    ext, phone_flag = more[0].ext, more[0].flag or FALLBACK
                    tally.fallbacks += 1
            if not phones and layout.guardian_phones:
                guardian = self._guardian(cells, lines)
                if guardian is not None:
                    phones, ext, phone_flag = [guardian.e164], guardian.ext, GUARDIAN
                    tally.guardians += 1
            if not phones:
                if self._not_data(cells, raw):
                    tally.not_data += 1
                    return None
                tally.rows_read += 1
                line = next((lines[p.e164] for p, _ in found if p.e164 in lines), None)
                if line is not None:  # only the office's number where the resident's should be
                    return self.reject(cells, number, "org_line", line)
                if others and not problems:  # only a relative's number: said, not guessed
                    return self.reject(cells, number, "others_only", others[0][1])
                if problems:
                    return self.reject(cells, number, problems[0].code, str(problems[0]))
                return self.reject(cells, number, "no_phone", "")
            named = name_col is not None and cells[name_col] in SAMPLE_NAMES
            if (named and self._sample_row(cells, phones[0])) or self._example_mark(cells):
                tally.not_data += 1
                return None
        tally.rows_read += 1
        if layout.guardian and not phone_flag:
            phone_flag = GUARDIAN
            tally.guardians += 1
        for col in layout.alt_phones:
            value = cells[col]
            if value is None or value == "":
                continue
            found, _ = read_numbers(value, self.region)
            own, more_others = self._split_whose(found, layout.headers[col])
            others.extend(more_others)
            for p in own:
                if p.e164 not in phones and p.e164 not in lines:
                    phones.append(p.e164)
        if phone_flag == "ambiguous_8_digits":
            tally.ambiguous_phones += 1
        if len(phones) > 1:
            tally.alternates += len(phones) - 1
        flags = self.urgent
        # names, places, addresses, notes, extras: read once per distinct cell (bounded caches)
        texts = ["", "", "", ""]
        for slot, col, cache in self.text_cols:
            value = cells[col]
            if value is None or value == "":
                continue
            text, cut, found_flags = cache[value if type(value) is str else (type(value), value)]
            texts[slot] = text
            if cut:
                tally.cut_cells += 1
            if found_flags:
                flags = flags | found_flags
        name, place, address, note = texts
        if layout.name_parts and name_col is None:
            name = self._joined(cells, layout.name_parts, MAX_NAME)
        if layout.address_parts:
            address = self._with_parts(cells, address)
        arrival = ""
        if (col := self.arrival_col) is not None:
            value = cells[col]
            if type(value) is datetime:  # the usual date cell, in C
                arrival = (
                    value.isoformat(" ", "minutes") if value.hour or value.minute
                    else value.date().isoformat()
                )  # fmt: skip
            elif value is not None and value != "":
                arrival, understood = self._cached(self.date, value)
                if not understood:
                    tally.unread_dates += 1
                    arrival = arrival[:MAX_NAME]
        id_number = id_flag = ""
        if (col := self.id_col) is not None and cells[col] not in (None, ""):
            value = cells[col]
            ident = parse_id(value) if self.id_type_col is None else None
            if ident is not None and ident.flag == OK and ident.birth is not None:
                id_number = ident.text  # the usual ID: valid, 18 characters
                born, today = ident.birth, self.today
                years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
                if years >= self.elderly_age:
                    flags = flags | _ELDERLY
                elif years < self.child_age:
                    flags = flags | _CHILD
            else:
                id_number, id_flag, age_flag = self._id(cells, col)
                if age_flag:
                    flags = flags | {age_flag}
        extra: dict[str, str] = {}
        for col, label in layout.extras:
            value = cells[col]
            if value is None or value == "":
                continue
            text, cut, found_flags = self._cached(self.text, value)
            if text:
                extra[label] = text
                if cut:
                    tally.cut_cells += 1
                if found_flags:
                    flags = flags | found_flags
        for col, label in layout.other_phones:
            value = cells[col]
            if value is None or value == "":
                continue
            found, _ = read_numbers(value, self.region)
            if found:
                others.extend((p, label if not note else f"{label} ({note})") for p, note in found)
            elif text := cell_text(value)[:MAX_NAME]:
                extra[label] = text
        for phone, label in others:
            shown = display(phone.e164) + (f" ({phone.ext})" if phone.ext else "")
            key = label or "其他号码"
            extra[key] = f"{extra[key]}, {shown}" if key in extra else shown
            tally.other_phones += 1
        if type(raw) is str and raw.isascii() and "\x00" not in raw:
            raw_text = raw.strip()
        else:
            raw_text = cell_text(raw)
        return (
            f"{self.row_prefix}{number}",
            phones[0],
            raw_text if len(raw_text) <= MAX_NAME else raw_text[:MAX_NAME],
            ext,
            phone_flag,
            json.dumps(phones[1:]) if len(phones) > 1 else "[]",
            name,
            id_number,
            id_flag,
            place,
            arrival,
            address,
            note,
            json.dumps(extra, ensure_ascii=False) if extra else "{}",
            flags_text(flags) if flags else "",
            priority_for(flags) if flags else 0,
        )

    # -- parts of a row --------------------------------------------------------------------------

    @property
    def phone_column_header(self) -> str:
        return self.layout.headers[self.layout.phone]

    def _split_whose(
        self, found: list[tuple[Phone, str]], header: str
    ) -> tuple[list[Phone], list[tuple[Phone, str]]]:
        """Numbers of the person, and those whose note names someone else (父亲: 139...). When
        one number is marked as the person's own (本人), another with a note that is not a kind
        of line (手机, 固话, 微信同号, 工作日) is somebody else's too ("151...(女婿) 156...(本人)").
        The person's mobile comes first: "固话：851... 手机：133..." is called on the mobile."""
        if len(found) == 1 and not found[0][1]:
            return [found[0][0]], []
        marked = any(note and OWN_PERSON.search(note) for _, note in found)
        own: list[Phone] = []
        others: list[tuple[Phone, str]] = []
        for phone, note in found:
            theirs = note and not OWN_PERSON.search(note) and (
                OTHER_PERSON.search(note) or (marked and not LINE_KIND.search(note))
            )  # fmt: skip
            if theirs:
                others.append((phone, f"{header} ({note})" if header else note))
            else:
                own.append(phone)
        if len(own) > 1:
            own.sort(key=lambda p: p.kind != "mobile")  # stable: the written order otherwise
        return own, others

    def _lines(self, cells: list[object]) -> dict[str, str]:
        """The organisations' lines on this row (numbers of columns that repeat down the list):
        number -> the column's header."""
        out: dict[str, str] = {}
        for col in self.layout.shared_phones:
            value = cells[col]
            if value is not None and value != "":
                for phone, _ in read_numbers(value, self.region)[0]:
                    out[phone.e164] = self.layout.headers[col]
        return out

    def _guardian(self, cells: list[object], lines: dict[str, str]) -> Phone | None:
        """A child with no number of their own: the first of their guardian's numbers."""
        for col in self.layout.guardian_phones:
            value = cells[col]
            if value is not None and value != "":
                for phone, _ in read_numbers(value, self.region)[0]:
                    if phone.e164 not in lines:
                        return phone
        return None

    def _fallback(self, cells: list[object]) -> list[Phone]:
        """The main number is empty: the person's first other own number (flagged)."""
        for col in self.layout.alt_phones:
            value = cells[col]
            if value is None or value == "":
                continue
            found, _ = read_numbers(value, self.region)
            own, _others = self._split_whose(found, self.layout.headers[col])
            if own:
                return own
        return []

    def _joined(self, cells: list[object], cols: list[int], limit: int) -> str:
        parts = [self._cached(self.text, cells[c])[0] for c in cols if cells[c] not in (None, "")]
        if len(parts) > 1 and all(p.isascii() for p in parts):
            return " ".join(p for p in parts if p)[:limit]  # "Ka Wai Lam": Latin names spaced
        return "".join(parts)[:limit]

    def _with_parts(self, cells: list[object], address: str) -> str:
        parts = self._joined(cells, self.layout.address_parts, MAX_CELL)
        if not parts:
            return address
        if not address:
            return parts
        if address.startswith(parts) or parts in address:
            return address
        return f"{parts}{address}"[:MAX_CELL]

    def _id(self, cells: list[object], col: int) -> tuple[str, str, str]:
        """(ID as kept, its flag, an age flag from the birth date)."""
        value = cells[col]
        if self.id_type_col is not None:
            kind = cell_text(cells[self.id_type_col])
            if kind and _OTHER_DOCUMENT.search(kind) and not _RESIDENT_ID.search(kind):
                text = cell_text(value)[:40]
                if text:
                    self.tally.other_documents += 1
                return text, "", ""
        ident = parse_id(value)
        if ident is None:
            return "", "", ""
        if ident.flag not in (OK, UPGRADED):
            if ident.flag == "damaged_by_excel":
                self.tally.damaged_ids += 1
            else:
                self.tally.suspect_ids += 1
            return ident.text[:40], ident.flag, ""
        age = ""
        if ident.birth is not None:
            years = age_on(ident.birth, self.today)
            if years >= self.elderly_age:
                age = "elderly"
            elif years < self.child_age:
                age = "child"
        return ident.text[:40], ident.flag, age

    def _text_info(self, value: object, is_name: bool) -> tuple[str, bool, frozenset[str]]:
        """(text kept, whether it was cut, flags its words raise); names raise no flags."""
        text = cell_text(value)
        if is_name and text and not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        limit = MAX_NAME if is_name else MAX_CELL
        cut = len(text) > limit
        if cut:
            text = text[:limit]
        return text, cut, frozenset() if is_name else self.flag_words.find(text)

    # -- rows that are not data ------------------------------------------------------------------

    def _not_data(self, cells: list[object], raw: object) -> bool:
        """A repeated header row, a template or example row, an instruction, or a totals line."""
        filled_cells = [c for c in cells if c not in (None, "")]
        if not filled_cells:
            return True
        if len(filled_cells) <= 2 and _FOOTER.match(cell_text(filled_cells[0])):
            return True
        same = sum(
            1
            for i, c in enumerate(cells)
            if isinstance(c, str) and c.strip() and self.norm_headers[i]
            and norm_header(c) == self.norm_headers[i]
        )  # fmt: skip
        if same >= max(1, min(2, len([h for h in self.norm_headers if h]))):
            return True
        texts = [cell_text(c) for c in filled_cells if isinstance(c, str)]
        if any(_PLACEHOLDER.search(t) for t in texts):
            return True
        if self._example_mark(cells):
            return True
        phone_text = cell_text(raw)
        return not any(ch.isdigit() for ch in phone_text) and any(
            _INSTRUCTION.search(t) for t in texts
        )

    def _example_mark(self, cells: list[object]) -> bool:
        """A row marked as an example in its first cells (示例, 例：, 样例), or in its name
        (李四（示例，请删除）)."""
        for c in cells[:2]:
            if type(c) is str and c[:1] in _EXAMPLE_START and _EXAMPLE.match(c):
                return True
        if self.name_col is not None:
            name = cells[self.name_col]
            return type(name) is str and bool(_EXAMPLE_INSIDE.search(name))
        return False

    def _sample_row(self, cells: list[object], e164: str) -> bool:
        """张三 with 13800000000: the sample row a template ships with."""
        digits = e164[-8:]
        if len(set(digits)) == 1 or e164 == "+8613800138000":
            return True
        return self._example_mark(cells) or any(
            isinstance(c, str) and (_PLACEHOLDER.search(c) or _EXAMPLE.match(c)) for c in cells
        )

    def reject(self, cells: list[object], number: int, code: str, detail: str) -> Reject:
        self.tally.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        value = cell_text(cells[self.layout.phone])[:MAX_NAME]
        return Reject(self.sheet, number, self.phone_column, code, detail, shown, value)
