"""Find the header of a sheet and turn its columns' roles into a layout the rows are read by.

The header is not always the first row, nor one row, nor there at all: titles and notes sit above
it, a banner row groups columns over a second header row (`联系方式` over `本人 | 紧急联系人`),
some lists have no header. Every one of the first rows is scored as a candidate (its cells' role
words, how text-like it is, whether the rows under it hold what its words say), alone and paired
with the row below; the best wins. A list without any header row is read by its cells alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from callroom.config import FIELDS, Config
from callroom.importer.roles import (
    CALL_LIST,
    CHILDREN,
    GUARDIAN,
    PHONE,
    Assignment,
    Column,
    Header,
    RoleSet,
    assign,
    header_roles,
    is_date,
    is_id,
    is_mobile,
    is_phone,
    norm_header,
    part_order,
    sample_columns,
)

HEADER_SCAN_ROWS = 30  # title rows, notes and blank rows above the header, in practice < 10
SAMPLE_ROWS = 200  # data rows whose cells are looked at to tell what a column holds
HEAD_ROWS = HEADER_SCAN_ROWS + SAMPLE_ROWS  # rows a reader hands over before the layout is known
MAX_EXTRA_COLUMNS = 40  # unknown columns kept on the card; beyond that a list is not a call list
# --map fields: the config's [columns] fields, an extra column, and where a number goes
MAP_FIELDS = (*FIELDS, "extra", "alt_phone", "other_phone", "id_type")
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
_MAX_COLUMN = 16384  # XFD


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names the column in messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def letter_index(text: str) -> int | None:
    """'C' -> 2, 'AA' -> 26; None when ``text`` is not a column letter Excel has."""
    if not _LETTERS.match(text):
        return None
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1 if n <= _MAX_COLUMN else None


class Synonyms:
    """Header text -> field, from callroom.toml's [columns] (strong hints)."""

    def __init__(self, config: Config) -> None:
        self.table: dict[str, str] = {}
        for fld, names in config.columns.items():
            for name in names:
                self.table.setdefault(norm_header(name), fld)

    def field_for(self, header: Header) -> str | None:
        for cand in (header.norm, header.bare):
            if cand and cand in self.table:
                return self.table[cand]
        return None


# -- finding the header ---------------------------------------------------------------------------


def _texty(cell: object) -> bool:
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return 0 < len(text) <= 60 and not text.replace(".", "", 1).isdigit()


def _blank(cell: object) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def filled(row: Sequence[object]) -> bool:
    """Whether a row holds anything but empty cells and whitespace."""
    return any(not _blank(c) for c in row)


def _data_like(cell: object) -> bool:
    """A cell that is plainly data, never a header: a phone, an ID, a date."""
    if _blank(cell) or isinstance(cell, bool):
        return False
    if not isinstance(cell, str):
        return is_mobile(cell) or is_date(cell) or is_id(cell)
    return is_phone(cell) or is_id(cell)


@dataclass
class HeaderGuess:
    row: int  # 0-based index in the head rows of the last header row; -1: no header row
    rows: int  # header rows: 0 (none), 1, or 2 (a banner row grouping the row below)
    headers: list[Header]
    score: float


def _combined(parent: Sequence[object], child: Sequence[object], width: int) -> list[Header]:
    """Headers of a two-row header: the banner cell is carried over the columns to its right
    until the next banner cell; a cell merged down both rows is its own header."""
    out: list[Header] = []
    group: object = ""
    for i in range(width):
        top = parent[i] if i < len(parent) else None
        low = child[i] if i < len(child) else None
        if not _blank(top):
            group = top
        if _blank(low):
            out.append(Header.of("" if _blank(top) else top))
        else:
            out.append(Header.of(low, group))
    return out


def _score(
    headers: list[Header], cells: Sequence[object], below: list[Sequence[object]], roles: RoleSet,
    synonyms: Synonyms | None,
) -> float:  # fmt: skip
    texty = [c for c in cells if not _blank(c)]
    if not texty:
        return 0.0
    hits = 0.0
    agree = 0.0
    for i, h in enumerate(headers):
        if h.empty:
            continue
        matched = header_roles(h, roles)
        synonym = synonyms.field_for(h) if synonyms else None
        if not matched and not synonym:
            continue
        strength = max([m[1] for m in matched] + ([1.0] if synonym else []))
        hits += strength
        role = matched[0][0] if matched else None
        if role is not None and role.test is not None and below:
            column = [r[i] for r in below if i < len(r) and not _blank(r[i])]
            if column:
                agree += sum(1 for c in column if role.test(c)) / len(column)
    data = sum(1 for c in texty if _data_like(c))
    wordy = sum(1 for c in texty if _texty(c)) / len(texty)
    if len(texty) < 2 and hits < 1:
        return 0.0  # a title or a note, not a header
    return hits + 0.5 * agree + 0.5 * wordy - 2.0 * data


def find_header(
    head: list[list[object]], roles: RoleSet = CALL_LIST, synonyms: Synonyms | None = None
) -> HeaderGuess:
    """The best header among the first HEADER_SCAN_ROWS rows, or a guess of "no header row"
    (rows -1) when none names anything and the first rows are data."""
    width = max((len(r) for r in head), default=0)
    best = HeaderGuess(-1, 0, [Header.of("") for _ in range(width)], 0.0)
    scan = head[:HEADER_SCAN_ROWS]
    seen: set[tuple[str, ...]] = set()
    for i, row in enumerate(scan):
        if not filled(row):
            continue
        key = tuple(norm_header(c) for c in row if not _blank(c))
        if key in seen:
            continue  # the header pasted again further down is the same header, not a better one
        seen.add(key)
        below = [r for r in head[i + 1 : i + 21] if filled(r)]
        single = [Header.of(row[c] if c < len(row) else "") for c in range(width)]
        score = _score(single, row, below, roles, synonyms)
        if score > best.score + 1e-9:
            best = HeaderGuess(i, 1, single, score)
        if i + 1 < len(head) and _pairs(row, head[i + 1]):
            pair = _combined(row, head[i + 1], width)
            cells = [*row, *head[i + 1]]
            below2 = [r for r in head[i + 2 : i + 22] if filled(r)]
            score2 = _score(pair, cells, below2, roles, synonyms)
            if score2 > best.score + 0.5:  # a second header row must add real information
                best = HeaderGuess(i + 1, 2, pair, score2)
    if best.score < 1.0:
        return HeaderGuess(-1, 0, [Header.of("") for _ in range(width)], 0.0)
    return best


def _pairs(top: Sequence[object], low: Sequence[object]) -> bool:
    """Could ``low`` be the second row of a two-row header under ``top``?"""
    if not filled(low) or any(_data_like(c) for c in low):
        return False
    top_cells = [c for c in top if not _blank(c)]
    if len(top_cells) < 2 or not all(_texty(c) for c in top_cells):
        return False
    low_cells = [c for c in low if not _blank(c)]
    if not all(_texty(c) for c in low_cells):
        return False
    width = max(len(top), len(low))
    gaps = sum(
        1
        for i in range(width)
        if _blank(top[i] if i < len(top) else None) != _blank(low[i] if i < len(low) else None)
    )
    return gaps >= 2


# -- the layout a sheet's rows are read by --------------------------------------------------------


@dataclass
class Candidate:
    """A column that may hold the resident's number, with the evidence shown to a person."""

    column: int
    letter: str
    header: str
    valid: int  # sample cells with a valid number
    total: int  # non-empty sample cells
    sample: str  # one of its numbers, masked (138****5678)
    whose: str  # own | alternate | other | "" (an unknown header)

    @property
    def label(self) -> str:
        return f"{self.letter} {self.header}".strip()


@dataclass
class Layout:
    """How the rows of one sheet are read."""

    header_row: int  # 1-based sheet row of the (last) header row; 0 when the sheet has none
    header_rows: int  # 0, 1 or 2
    headers: list[str]  # each column's header as shown (two-row headers joined with "/")
    phone: int  # column of the resident's number
    alt_phones: list[int] = field(default_factory=list)  # the resident's further numbers
    other_phones: list[tuple[int, str]] = field(default_factory=list)  # someone else's: label
    shared_phones: list[int] = field(default_factory=list)  # organisations' lines (repeating)
    guardian: bool = False  # the rows are children's: their guardian's number is called
    guardian_phones: list[int] = field(default_factory=list)  # called when a child has none
    fields: dict[str, int] = field(default_factory=dict)  # name, id_number, place, ... -> column
    name_parts: list[int] = field(default_factory=list)  # 姓, 名: joined into the name
    address_parts: list[int] = field(default_factory=list)  # 街道 社区 小区 楼栋 ...: in order
    extras: list[tuple[int, str]] = field(default_factory=list)  # (column, label) kept on the card
    dropped_extras: int = 0  # unknown columns beyond MAX_EXTRA_COLUMNS
    secrets: list[str] = field(default_factory=list)  # headers of columns never read (密码, ...)
    first_col: int = 0
    signature: str = ""  # of the normalised header: the key of a remembered layout
    norm_headers: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # phone columns, best first
    doubt: str = ""  # why the phone column is not sure: others_only, by_content, weak, close
    mapped: dict[int, str] = field(default_factory=dict)  # column -> field given by --map/memory
    layout_id: int | None = None  # the remembered layout used

    def label(self, col: int) -> str:
        return f"{column_letter(self.first_col + col)} {self.headers[col]}".strip()


def signature(headers: Sequence[str]) -> str:
    """The key of a list's layout: its normalised header cells, blanks included."""
    return hashlib.sha256("\x1f".join(headers).encode("utf-8")).hexdigest()[:32]


def resolve_mapping(
    mapping: dict[str, str], headers: list[Header], first_col: int
) -> tuple[dict[int, str], set[str]]:
    """--map entries that name a column of this sheet: by its header text, else by its letter.
    Returns (column -> field, the --map keys used)."""
    forced: dict[int, str] = {}
    used: set[str] = set()
    for key, fld in mapping.items():
        norm = norm_header(key)
        hit = next((i for i, h in enumerate(headers) if norm and norm in (h.norm, h.bare)), None)
        idx = letter_index(key.strip()) if hit is None else None
        if idx is not None and first_col <= idx < first_col + len(headers):
            hit = idx - first_col
        if hit is not None:
            forced[hit] = fld
            used.add(key)
    return forced, used


_FORCED_ROLE = {
    "phone": ("phone", "own"),
    "alt_phone": ("phone", "alternate"),
    "other_phone": ("phone", "other"),
}


def plan_sheet(
    guess: HeaderGuess,
    sample: list[list[object]],
    first_col: int,
    synonyms: Synonyms,
    forced: dict[int, str],
    roles: RoleSet = CALL_LIST,
) -> Layout:
    """The layout of a sheet from its header and a sample of its data rows. ``forced``: column
    -> field from --map or a remembered layout (never second-guessed)."""
    headers = guess.headers
    columns = sample_columns(headers, sample, first_col)
    role_forced = {c: _FORCED_ROLE.get(f, (f, "own"))[0] for c, f in forced.items()}
    found = assign(columns, roles, role_forced, synonyms.field_for)
    for c, f in forced.items():
        if c < len(found.choices):
            found.choices[c].whose = _FORCED_ROLE.get(f, (f, "own"))[1]
    shown = [_shown(h) for h in headers]
    layout = Layout(
        header_row=0, header_rows=guess.rows, headers=shown, phone=-1, first_col=first_col,
        norm_headers=[h.norm for h in headers], mapped=dict(forced),
    )  # fmt: skip
    layout.header_row = guess.row + 1 if guess.rows else 0
    layout.signature = signature(layout.norm_headers) if guess.rows else ""
    _place_columns(layout, found)
    _choose_phone(layout, found, forced)
    return layout


def _shown(h: Header) -> str:
    if h.group and h.text:
        return f"{h.group}/{h.text}"
    return h.text


def _place_columns(layout: Layout, found: Assignment) -> None:
    used_labels: set[str] = set()
    parts: list[tuple[int, int]] = []
    family = given = None
    for col, ch in zip(found.columns, found.choices, strict=True):
        i, role = col.index, ch.role
        if role == "secret":
            layout.secrets.append(layout.headers[i] or col.letter)
            continue
        if role == "ignore":
            continue
        if role == "phone":
            continue  # settled in _choose_phone
        if role == "address_part":
            parts.append((part_order(col.header), i))
            continue
        if role == "name_family":
            family = i
            continue
        if role == "name_given":
            given = i
            continue
        if role not in (None, "extra") and ch.whose != "other" and role not in layout.fields:
            layout.fields[role] = i
            continue
        _keep_extra(layout, i, col.letter, used_labels)
    layout.address_parts = [i for _, i in sorted(parts)]
    if "name" not in layout.fields and family is not None:
        layout.name_parts = [family] + ([given] if given is not None else [])
    else:
        for i in (family, given):
            if i is not None:
                _keep_extra(layout, i, found.columns[i].letter, used_labels)
    layout.extras.sort()


def _keep_extra(layout: Layout, i: int, letter: str, used: set[str]) -> None:
    # data under a blank header is still kept, labelled by its column letter
    base = label = layout.headers[i] or letter
    n = 2
    while label in used:  # a duplicate header keeps its data under "name (2)"
        label, n = f"{base} ({n})", n + 1
    used.add(label)
    if len(layout.extras) < MAX_EXTRA_COLUMNS:
        layout.extras.append((i, label))
    elif layout.headers[i]:
        layout.dropped_extras += 1


def _candidate(col: Column, whose: str) -> Candidate:
    from callroom.phones import mask, read_numbers

    passed, total = col.count(PHONE)
    sample = ""
    for cell in col.cells:
        found, _ = read_numbers(cell)
        if found:
            sample = mask(found[0][0].e164)
            break
    return Candidate(col.index, col.letter, col.header.text, passed, total, sample, whose)


def _choose_phone(layout: Layout, found: Assignment, forced: dict[int, str]) -> None:
    """The resident's number: by header *and* cells, never by column order alone."""
    own: list[tuple[Column, float, float, bool]] = []  # column, header strength, share, alternate
    others: list[Column] = []
    by_cells: list[Column] = []
    for col, ch in zip(found.columns, found.choices, strict=True):
        if ch.role == "phone":
            if ch.whose == "other":
                others.append(col)
            else:
                own.append((col, ch.strength, col.share(PHONE), ch.whose == "alternate"))
        elif ch.role is None and len(col.cells) >= 2 and col.share(PHONE) >= 0.8:
            by_cells.append(col)
    shared = _shared_lines([c[0] for c in own] + others + by_cells)
    if shared and len(shared) < len(own) + len(by_cells) + len(others):
        # a number repeating down the list is an organisation's line (the community office,
        # the hotel, the cadre in charge of 30 households): never the resident's, never merged on
        keep = [c for c in own if c[0].index not in shared or forced.get(c[0].index)]
        moved = [c[0] for c in own if c not in keep]
        moved += [c for c in by_cells if c.index in shared]
        if keep or [c for c in by_cells if c.index not in shared]:
            own = keep
            by_cells = [c for c in by_cells if c.index not in shared]
            others = sorted([*others, *moved], key=lambda c: c.index)
    mapped = [c for c in own if forced.get(c[0].index) == "phone"]
    cands: list[Candidate] = []
    if mapped:
        main = mapped[0][0]
    elif own:
        mains = [c for c in own if not c[3]] or own
        main = max(mains, key=lambda c: (c[1] > 0, _mobile_share(c[0]), c[2], c[1], -c[0].index))[0]
        strength = next(c[1] for c in own if c[0] is main)
        share, total = main.share(PHONE), main.count(PHONE)[1]
        better = [c for c in by_cells if c.share(PHONE) >= share + 0.3]
        if strength == 0.0 and not main.header.empty:
            layout.doubt = "by_content"
        elif main.header.empty and (share < 0.8 or total < 2):
            layout.doubt = "weak"
        elif better and share < 0.6:
            layout.doubt = "close"  # another column holds the numbers the phone column lacks
        elif strength < 1.0 and total >= 5 and share < 0.5:
            layout.doubt = "weak"  # 号码 over cells that are mostly not numbers
        # a column named 电话/手机 whose cells are bad is still the phone column: its rows are
        # rejected with their reasons, nothing to ask
    elif by_cells:
        main = max(by_cells, key=lambda c: (c.share(PHONE), _mobile_share(c), -c.index))
        layout.doubt = "by_content"
    elif others and (guardians := _guardians(found, others, shared)):
        # a list about children with only their parents' numbers: the parent is the person to
        # call about the child (the card says whose number it is); a teacher's never is
        main = max(guardians, key=lambda c: (c.share(PHONE), _mobile_share(c), -c.index))
        layout.guardian = True
    elif others:
        main = max(others, key=lambda c: (c.share(PHONE), -c.index))
        layout.doubt = "others_only"
    else:
        layout.phone = -1
        return
    layout.phone = main.index
    layout.shared_phones = sorted(i for i in shared if i != main.index)
    if not layout.guardian and others:  # a pupil without a mobile: the parent's is called
        layout.guardian_phones = [c.index for c in _guardians(found, others, shared)]
    for col, _strength, _share, _alt in sorted(own, key=lambda c: c[0].index):
        if col is not main:
            layout.alt_phones.append(col.index)
    for col in others:
        if col is not main:
            layout.other_phones.append((col.index, layout.headers[col.index] or col.letter))
    kept = {i for i, _ in layout.extras}
    for col in by_cells:
        if col is not main and col.index not in kept:  # kept already as an unknown column
            _keep_extra(layout, col.index, col.letter, {label for _, label in layout.extras})
    layout.extras.sort()
    seen = {main.index}
    for col, _s, _sh, alt in sorted(own, key=lambda c: -c[2]):
        if col.index not in seen:
            cands.append(_candidate(col, "alternate" if alt else "own"))
            seen.add(col.index)
    for col in [*by_cells, *others]:
        if col.index not in seen:
            cands.append(_candidate(col, "other" if col in others else ""))
            seen.add(col.index)
    main_whose = "other" if main in others else ("" if main in by_cells else "own")
    layout.candidates = [_candidate(main, main_whose), *cands]


_SCHOOL = re.compile(r"年级|班级|班别|学校|学号|幼儿园|school|grade|class", re.IGNORECASE)


def _guardians(found: Assignment, others: list[Column], shared: set[int]) -> list[Column]:
    """Guardians' number columns (家长电话, 监护人手机) of a list about children: its rows'
    person is a 学生 / 幼儿 / 儿童, or it has a class or a grade column."""
    children = bool(found.subject and CHILDREN.search(found.subject)) or any(
        _SCHOOL.search(col.header.bare) for col in found.columns if col.header.bare
    )
    if not children:
        return []
    return [
        c for c in others
        if c.index not in shared and GUARDIAN.search(c.header.words) and c.share(PHONE) >= 0.5
    ]  # fmt: skip


SHARED_MIN = 5  # numbers in a column's sample before its repeats say anything
SHARED_TOP = 0.6  # one number on this share of the rows: an organisation's line
SHARED_DISTINCT = 0.5  # this few distinct numbers beside a column of distinct ones


def _numbers(col: Column) -> list[str]:
    from callroom.phones import plain_mobile, read_numbers

    out = []
    for cell in col.cells:
        e164 = plain_mobile(cell)
        if e164 is None:
            found, _ = read_numbers(cell)
            e164 = found[0][0].e164 if found else None
        if e164 is not None:
            out.append(e164)
    return out


# A household's line repeats over its members by nature: never taken for an organisation's.
_HOUSEHOLD = re.compile(r"家庭|住宅|宅电|家里|家中|户主|home", re.IGNORECASE)


def _shared_lines(columns: list[Column]) -> set[int]:
    """Phone columns whose numbers repeat down the list: one number on most rows (the hotel's
    landline, the clinic that sent the samples), or a handful of numbers beside a column whose
    numbers are all different (3 community offices, 3 cadres, 2 class teachers). A family's
    shared number repeats on 2-6 rows of a list, far under these shares."""
    stats: dict[int, tuple[int, int, int]] = {}
    for col in columns:
        if _HOUSEHOLD.search(col.header.words):
            continue
        numbers = _numbers(col)
        if numbers:
            top = max(Counter(numbers).values())
            stats[col.index] = (len(numbers), len(set(numbers)), top)
    distinct_cols = any(n >= SHARED_MIN and d / n >= 0.8 for n, d, _ in stats.values())
    return {
        i
        for i, (n, d, top) in stats.items()
        if n >= SHARED_MIN
        and (top / n >= SHARED_TOP or (distinct_cols and d / n <= SHARED_DISTINCT))
    }


def _mobile_share(col: Column) -> float:
    cells = col.cells
    return sum(1 for c in cells if is_mobile(c)) / len(cells) if cells else 0.0


def header_line(headers: Sequence[str], first_col: int = 0) -> list[str]:
    """Every header cell with its letter ("A 序号", "B 姓名", ...), for messages."""
    return [
        f"{column_letter(first_col + i)} {h}".strip() if h else column_letter(first_col + i)
        for i, h in enumerate(headers)
    ]
