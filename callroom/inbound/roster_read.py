"""Reading roster files (白名单) with the list importer's rules.

A roster file is read like a call list (callroom/importer: the format from the file's first
bytes, the header found among the first rows, each column's role by its header words *and* its
cells), with the roster's own roles added to the scoring: compound, building, unit, room and the
category of the resident (elderly, bedridden, chronic or serious illness, pregnant, infant,
disabled, other). Merged cells (a compound written once over its block of rows) carry down.
Nothing is written but the rejects file; roster.replace() writes the entries. No Textual.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from callroom.config import Config
from callroom.ids import DAMAGED, age_on, parse_id
from callroom.importer import _count, _sha256, _spool_reject, _write_rejects
from callroom.importer.header import (
    SAMPLE_ROWS,
    Layout,
    Synonyms,
    filled,
    find_header,
    header_line,
    plan_sheet,
    resolve_mapping,
)
from callroom.importer.model import ImportFailed, ImportReport, Msg, Reject
from callroom.importer.read import check_regular
from callroom.importer.reader import open_reader
from callroom.importer.roles import (
    ADDRESS,
    ID_NUMBER,
    ID_TYPE,
    NAME,
    NAME_FAMILY,
    NAME_GIVEN,
    NOTE,
    PHONE,
    SECRET,
    SERIAL,
    Role,
    RoleSet,
    words,
)
from callroom.importer.rows import _EXAMPLE, _FOOTER, _PLACEHOLDER, SAMPLE_NAMES, Tally, cell_text
from callroom.inbound import CATEGORIES
from callroom.inbound.roster import Entry, entry_key
from callroom.invisible import strip_invisible
from callroom.phones import read_numbers
from callroom.store import Store

MAX_TEXT = 200
MAX_ENTRIES = 500_000  # a roster is thousands of people: more is not a roster

# -- what a category cell says ---------------------------------------------------------------------

_CATEGORY_WORDS = (
    ("bedridden", re.compile(r"卧床|失能|瘫痪|bedridden", re.I)),
    ("pregnant", re.compile(r"孕|产妇|pregnan", re.I)),
    ("infant", re.compile(r"婴|幼儿|新生儿|儿童|小孩|infant|baby|toddler|child", re.I)),
    ("disabled", re.compile(r"残|聋|盲人|哑|智障|轮椅|disab|wheelchair|blind|deaf", re.I)),
    (
        "illness",
        re.compile(
            r"病|透析|化疗|放疗|肿瘤|癌|糖尿|高血压|心脏|慢阻肺|重症|ill|dialysis|cancer|chronic",
            re.I,
        ),
    ),
    ("elderly", re.compile(r"老|高龄|独居|空巢|长者|elder|senior|aged", re.I)),
    ("other", re.compile(r"其他|其它|other", re.I)),
)
INFANT_AGE = 3  # a roster entry without a category: an ID this young is an infant


def categories_in(value: object) -> list[str]:
    """The categories a cell names, in CATEGORIES order ("独居老人、卧床" -> elderly, bedridden)."""
    text = unicodedata.normalize("NFKC", strip_invisible(str(value or ""))).strip()
    if not text:
        return []
    found = {code for code, pattern in _CATEGORY_WORDS if pattern.search(text)}
    return [c for c in CATEGORIES if c in found]


def is_category(value: object) -> bool:
    text = cell_text(value)
    return 0 < len(text) <= 30 and bool(categories_in(text))


# -- the roster's roles: the list importer's, plus where the resident lives and the category ------

COMPOUND = Role(
    "compound",
    strong=words(
        r"小区|楼盘|屋苑|苑区|住宅区|社区名称|村名|所在村|compound|estate|residential|complex"
    ),
    avoid=words(r"地址|电话|时间|日期|编号"),
)
BUILDING = Role(
    "building",
    strong=words(
        r"^(所在|居住)?(楼栋|栋|幢|楼号|栋号|楼栋号|栋座|座|座号|楼宇|building|bldg|block)(号|名称)?$"
    ),
)
UNIT = Role("unit", strong=words(r"^(所在)?(单元|单元号|unit)$"))
ROOM = Role(
    "room", strong=words(r"^(房号|房间号|房间|门牌号?|户号|室号?|房屋号|房号/室号|room|flat)$")
)
CATEGORY = Role(
    "category",
    strong=words(
        r"类别|人群|人员类型|人员分类|重点人群|特殊人群|分类|健康状况|身体状况|弱势|category"
    ),
    weak=words(r"类型|情况|状况|type|group"),
    avoid=words(r"证件|身份|id|电话|时间"),
    test=is_category,
    need=0.4,
    by_content=True,
)
# most specific first, as the list's own RoleSet (a 小区 column is a compound, not an address part)
ROSTER_LIST = RoleSet(
    (SECRET, ID_TYPE, ID_NUMBER, CATEGORY, COMPOUND, BUILDING, UNIT, ROOM, ADDRESS, PHONE,
     NAME_FAMILY, NAME_GIVEN, NAME, NOTE, SERIAL)
)  # fmt: skip
ROSTER_FIELDS = (
    "phone", "alt_phone", "name", "id_number", "compound", "building", "unit", "room",
    "category", "address", "note", "ignore",
)  # fmt: skip
ROSTER_RECORD = (
    "source_row", "compound", "building", "unit", "room", "name", "id_number", "phones",
    "categories", "note", "address",
)  # fmt: skip
_CARRIED = ("compound", "building", "unit")  # merged cells: written once over a block of rows


class RosterRowReader:
    """One roster row -> a record (ROSTER_RECORD order), a Reject, or None (not data). Pure, so
    it runs in the reader's child process like the list's RowReader (same constructor)."""

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
        self.elderly_age = config.elderly_age
        self.tally = tally if tally is not None else Tally()
        self.width = len(layout.headers)
        self.cols = {f: layout.fields.get(f) for f in ("name", "id_number", "note", "address",
                                                         "category", *_CARRIED, "room")}  # fmt: skip
        self.compound = ""  # the --compound given, or carried down from the rows above
        self.carried: dict[str, str] = {}
        self.norm_headers = [h for h in layout.norm_headers if h]
        self.column = layout.label(layout.phone) if layout.phone >= 0 else ""

    def read_many(self, rows: list[list[object]], first: int) -> list[Any]:
        return [self.read(row, first + i) for i, row in enumerate(rows)]

    def _text(self, cells: list[object], fld: str) -> str:
        col = self.cols.get(fld)
        return cell_text(cells[col])[:MAX_TEXT] if col is not None else ""

    def read(self, row: list[object], number: int) -> tuple[Any, ...] | Reject | None:
        cells = row if len(row) >= self.width else [*row, *([""] * (self.width - len(row)))]
        if not filled(cells) or self._not_data(cells):
            if filled(cells):
                self.tally.not_data += 1
            return None
        layout, tally = self.layout, self.tally
        phones: list[str] = []
        problem = ""
        for col in ([layout.phone] if layout.phone >= 0 else []) + layout.alt_phones:
            value = cells[col]
            if value is None or value == "":
                continue
            found, problems = read_numbers(value, self.region)
            phones.extend(p.e164 for p, _ in found if p.e164 not in phones)
            if problems and not found and not problem:
                problem = problems[0].code
        id_number = ""
        col = self.cols.get("id_number")
        born = None
        if col is not None and cells[col] not in (None, ""):
            ident = parse_id(cells[col])
            if ident is not None and (ident.trusted or ident.kind == "home_return_permit"):
                id_number, born = ident.text, ident.birth
            elif ident is not None and ident.flag == DAMAGED:
                tally.damaged_ids += 1
            else:
                tally.suspect_ids += 1
        tally.rows_read += 1
        if not phones and not id_number:
            return self._reject(cells, number, problem or "no_contact")
        if len(phones) > 1:
            tally.alternates += len(phones) - 1
        values = {f: self._text(cells, f) for f in (*_CARRIED, "room", "name", "note", "address")}
        # a merged cell over a block of rows carries down; a new compound (or building) starts
        # afresh below it: a blank unit under a new building is no unit, not the last one
        for level, f in enumerate(_CARRIED):
            if values[f]:
                self.carried[f] = values[f]
                for lower in _CARRIED[level + 1 :]:
                    self.carried.pop(lower, None)
            else:
                values[f] = self.carried.get(f, "")
        cats = categories_in(self._text(cells, "category"))
        if not cats and born is not None:
            years = age_on(born, self.today)
            cats = ["elderly"] if years >= self.elderly_age else (
                ["infant"] if years < INFANT_AGE else []
            )  # fmt: skip
        return (
            f"{self.prefix}{number}", values["compound"], values["building"], values["unit"],
            values["room"], values["name"][:60], id_number, json.dumps(phones),
            ",".join(cats or ["other"]), values["note"], values["address"],
        )  # fmt: skip

    def _not_data(self, cells: list[object]) -> bool:
        texts = [cell_text(c) for c in cells if c not in (None, "")]
        if len(texts) <= 2 and texts and _FOOTER.match(texts[0]):
            return True
        same = sum(1 for c in cells if isinstance(c, str) and _norm(c) in self.norm_headers)
        if same >= max(1, min(2, len(self.norm_headers))):
            return True
        if any(_PLACEHOLDER.search(t) for t in texts):
            return True
        if any(_EXAMPLE.match(t) for t in texts[:2]):
            return True
        name_col = self.cols.get("name")
        return name_col is not None and cell_text(cells[name_col]) in SAMPLE_NAMES

    def _reject(self, cells: list[object], number: int, code: str) -> Reject:
        self.tally.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        value = cell_text(cells[self.layout.phone])[:60] if self.layout.phone >= 0 else ""
        return Reject(self.sheet, number, self.column, code, "", shown, value)


def _norm(text: str) -> str:
    from callroom.importer.roles import norm_header

    return norm_header(text)


# -- reading the files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterOptions:
    mapping: dict[str, str] = field(default_factory=dict)  # header text or letter -> field
    sheet: str | None = None
    compound: str | None = None  # for files without a compound column
    replace_all: bool = False  # drop the compounds the files do not have
    dry_run: bool = False


@dataclass
class RosterReport(ImportReport):
    """One roster file: the list importer's counts, and the entries it gave."""

    entries: int = 0
    repeated: int = 0  # the same person twice (in this file or another of the command)
    compounds: list[str] = field(default_factory=list)


@dataclass
class RosterFiles:
    reports: list[RosterReport]
    entries: list[Entry]
    sha256: list[str]


def read_files(
    store: Store, paths: Iterable[str | Path], options: RosterOptions | None = None
) -> RosterFiles:
    """Read every roster file of one command (nothing is written but the rejects files)."""
    options = options or RosterOptions()
    files = [Path(p) for p in paths]
    if not files:
        raise ImportFailed("no_files")
    for header, fld in options.mapping.items():
        if fld not in ROSTER_FIELDS:
            raise ImportFailed("map_field", header=header, field=fld, field_q=repr(fld),
                               known=", ".join(ROSTER_FIELDS))  # fmt: skip
    for path in files:
        check_regular(path)
    digests = [_sha256(p) for p in files]
    reports: list[RosterReport] = []
    by_key: dict[str, Entry] = {}
    for path in files:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            report, records = _read_one(store, path, options, spool)
            if report.rejected_total and not options.dry_run:
                _write_rejects(report, spool, store)
        reports.append(report)
        for rec in records:
            entry = _entry(rec, path.name, options.compound)
            report.entries += 1
            if entry.compound and entry.compound not in report.compounds:
                report.compounds.append(entry.compound)
            if entry.key in by_key:
                report.repeated += 1
                _merge(by_key[entry.key], entry)
            else:
                by_key[entry.key] = entry
        if report.entries == 0:
            raise ImportFailed("roster_empty", path=path, rows=report.rows_read)
        if len(by_key) > MAX_ENTRIES:
            raise ImportFailed("roster_too_big", path=path, max=MAX_ENTRIES)
    missing = [r for r in reports if not r.compounds]
    if missing:
        raise ImportFailed("roster_no_compound", path=missing[0].file)
    return RosterFiles(reports, list(by_key.values()), digests)


def _entry(rec: Sequence[Any], file: str, compound: str | None) -> Entry:
    d = dict(zip(ROSTER_RECORD, rec, strict=True))
    phones = tuple(json.loads(d["phones"]))
    return Entry(
        key=entry_key(d["id_number"], phones, d["name"]),
        compound=d["compound"] or (compound or "").strip(),
        building=d["building"], unit=d["unit"], room=d["room"], name=d["name"],
        id_number=d["id_number"], phones=phones, categories=d["categories"], note=d["note"],
        address=d["address"], source_file=file, source_row=d["source_row"],
    )  # fmt: skip


def _merge(into: Entry, other: Entry) -> None:
    """The same person listed twice: one entry with every phone and every category."""
    into.phones = tuple(dict.fromkeys((*into.phones, *other.phones)))
    cats = set(into.categories.split(",")) | set(other.categories.split(","))
    if len(cats) > 1:
        cats.discard("other")
    into.categories = ",".join(c for c in CATEGORIES if c in cats)
    for name in ("building", "unit", "room", "note", "address", "name"):
        if not getattr(into, name):
            setattr(into, name, getattr(other, name))


def _read_one(
    store: Store, path: Path, options: RosterOptions, spool: IO[str]
) -> tuple[RosterReport, list[tuple[Any, ...]]]:
    config = store.config
    report = RosterReport(file=path, batch_name=path.stem, dry_run=options.dry_run)
    synonyms = Synonyms(config)
    records: list[tuple[Any, ...]] = []
    rejects = csv.writer(spool)
    today = store.now().date()
    with open_reader(path, options.sheet, config, today, rows=RosterRowReader) as reader:
        heads, warnings = reader.heads()
        report.warnings.extend(warnings)
        layouts: list[Layout | None] = []
        problems: list[Msg] = []
        for head in heads:
            where = Msg("where_sheet", path=path, sheet=repr(head.name)) if head.name else str(path)
            if not any(filled(r) for r in head.rows) or head.helper:
                layouts.append(None)
                continue
            guess = find_header(head.rows, ROSTER_LIST, synonyms)
            forced, _ = resolve_mapping(options.mapping, guess.headers, head.first_col)
            start = guess.row + 1 if guess.rows else 0
            sample = [r for r in head.rows[start:] if filled(r)][:SAMPLE_ROWS]
            layout = plan_sheet(guess, sample, head.first_col, synonyms, forced, ROSTER_LIST)
            if layout.phone < 0 and "id_number" not in layout.fields:
                shown = header_line(layout.headers, head.first_col)
                problems.append(Msg("roster_no_contact", where=where, shown=" | ".join(shown)))
                layouts.append(None)
                continue
            if "compound" not in layout.fields and not options.compound:
                problems.append(Msg("roster_no_compound_column", where=where))
                layouts.append(None)
                continue
            layouts.append(layout)
            report.sheets.append(head.name)
            report.header_rows[head.name] = layout.header_row
            for fld, col in layout.fields.items():
                report.columns.setdefault(fld, layout.headers[col] or layout.label(col))
            if layout.phone >= 0:
                report.columns.setdefault("phone", layout.headers[layout.phone])
        if not any(layouts):
            raise ImportFailed(problems[0] if problems else Msg("roster_no_sheet", path=path))
        for chunk in reader.read(layouts):
            records.extend(chunk.records)
            for rec in chunk.rejects:
                _spool_reject(rejects, rec, report, layouts[chunk.sheet])
            _count(report, chunk.tally)
    return report, records
