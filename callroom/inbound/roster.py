"""The roster (白名单): the standing per-compound lists of vulnerable residents, in the database.

    files = roster_read.read_files(store, [path, ...], RosterOptions(...))   read (the importer's
                                                                              rules)
    diff = compare(store, files)                                  added / changed / removed
    done = replace(store, files, operator)                        one transaction

An entry is known by its ID number, else by its first phone and name: re-importing a roster
shows what was added, changed and removed, then replaces it in one transaction, compound by
compound (the compounds in the files; ``replace_all`` drops the others too). Every open task
whose phone or ID matches an entry takes the entry's flags and compound, at the roster's import
and at every list import and intake after it (``apply``). Flags are only ever added.

Light on purpose: the caller's card looks entries up here (``entries_for``), so nothing of the
importer is loaded on the caller screen's path (the reading is in roster_read.py). No Textual.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from callroom.inbound import flags_of, flags_text
from callroom.store import Store, fmt, priority_for, split_flags

if TYPE_CHECKING:
    from callroom.inbound.roster_read import RosterFiles


@dataclass
class Entry:
    """One resident on the roster, as read from a file (or from the database)."""

    key: str
    compound: str
    building: str
    unit: str
    room: str
    name: str
    id_number: str
    phones: tuple[str, ...]
    categories: str  # comma list, CATEGORIES order
    note: str = ""
    address: str = ""
    source_file: str = ""
    source_row: str = ""
    id: int | None = None  # in the database

    def content(self) -> tuple[Any, ...]:
        """What a re-import compares (not where it was read from)."""
        return (self.compound, self.building, self.unit, self.room, self.name, self.id_number,
                self.phones, self.categories, self.note, self.address)  # fmt: skip

    @property
    def flags(self) -> set[str]:
        return flags_of(self.categories)

    @property
    def place(self) -> str:
        """福田花园 3栋 2单元 501: where the resident lives, as the card shows it."""
        parts = [self.compound]
        for value, suffix in ((self.building, "栋"), (self.unit, "单元")):
            if value:
                parts.append(value if not value.isdigit() else value + suffix)
        if self.room:
            parts.append(self.room)
        return " ".join(p for p in parts if p)


def entry_key(id_number: str, phones: Sequence[str], name: str) -> str:
    """An entry's identity across re-imports: its ID number, else its first phone and name."""
    if id_number:
        return f"id:{id_number}"
    return f"phone:{phones[0] if phones else ''}:{name}"


# -- comparing and replacing -------------------------------------------------------------------


@dataclass
class RosterDiff:
    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry]] = field(default_factory=list)  # (before, after)
    removed: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    compounds: list[str] = field(default_factory=list)  # replaced
    kept: dict[str, int] = field(default_factory=dict)  # compounds left as they were: entries


@dataclass
class RosterDone:
    diff: RosterDiff
    tasks_flagged: int
    entries: int  # on the roster now


def load_entries(conn: Any, compounds: Sequence[str] | None = None) -> list[Entry]:
    sql = "SELECT * FROM roster"
    params: tuple[Any, ...] = ()
    if compounds is not None:
        sql += f" WHERE compound IN ({','.join('?' * len(compounds)) or 'NULL'})"
        params = tuple(compounds)
    return [_from_row(r) for r in conn.execute(sql + " ORDER BY id", params).fetchall()]


def _from_row(r: Any) -> Entry:
    return Entry(
        key=r["key"], compound=r["compound"], building=r["building"], unit=r["unit"],
        room=r["room"], name=r["name"], id_number=r["id_number"],
        phones=tuple(json.loads(r["phones"])), categories=r["categories"], note=r["note"],
        address=r["address"], source_file=r["source_file"], source_row=r["source_row"], id=r["id"],
    )  # fmt: skip


def compare(store: Store, files: RosterFiles, replace_all: bool = False) -> RosterDiff:
    """What replacing the roster with these files would add, change and remove."""
    scope = sorted({e.compound for e in files.entries})
    diff = RosterDiff(compounds=scope)
    old = load_entries(store.conn, None if replace_all else scope)
    before = {e.key: e for e in old}
    for e in files.entries:
        was = before.pop(e.key, None)
        if was is None:
            diff.added.append(e)
        elif was.content() != e.content():
            e.id = was.id
            diff.changed.append((was, e))
        else:
            e.id = was.id
            diff.unchanged += 1
    diff.removed = list(before.values())
    if not replace_all:
        rows = store.conn.execute(
            "SELECT compound, count(*) FROM roster GROUP BY compound ORDER BY compound"
        ).fetchall()
        diff.kept = {r[0]: r[1] for r in rows if r[0] not in scope}
    return diff


def replace(
    store: Store, files: RosterFiles, operator: str, replace_all: bool = False
) -> RosterDone:
    """Replace the roster's compounds (all of it with ``replace_all``) with the files' entries,
    give their flags and compound to the open tasks they match: one transaction."""
    now = fmt(store.now())
    with store.transaction() as conn:
        diff = compare(store, files, replace_all)  # again, inside the lock
        for e in diff.removed:
            conn.execute("DELETE FROM roster WHERE id = ?", (e.id,))
        for _, e in diff.changed:
            conn.execute(
                "UPDATE roster SET compound = ?, building = ?, unit = ?, room = ?, name = ?, "
                "id_number = ?, phones = ?, categories = ?, note = ?, address = ?, "
                "source_file = ?, source_row = ?, imported_at = ?, imported_by = ? WHERE id = ?",
                (*_values(e), now, operator, e.id),
            )
            conn.execute("DELETE FROM roster_phones WHERE roster_id = ?", (e.id,))
            _phones(conn, e)
        for e in diff.added:
            cur = conn.execute(
                "INSERT INTO roster (compound, building, unit, room, name, id_number, phones, "
                "categories, note, address, source_file, source_row, imported_at, imported_by, "
                "key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*_values(e), now, operator, e.key),
            )
            e.id = int(cur.lastrowid or 0)
            _phones(conn, e)
        flagged = apply(store)
        entries = conn.execute("SELECT count(*) FROM roster").fetchone()[0]
        store.add_event(
            "roster_import", operator,
            detail={"files": [r.file.name for r in files.reports], "compounds": len(diff.compounds),
                    "added": len(diff.added), "changed": len(diff.changed),
                    "removed": len(diff.removed), "unchanged": diff.unchanged,
                    "entries": entries, "tasks_flagged": flagged},
        )  # fmt: skip
    return RosterDone(diff, flagged, entries)


def _values(e: Entry) -> tuple[Any, ...]:
    return (e.compound, e.building, e.unit, e.room, e.name, e.id_number, json.dumps(e.phones),
            e.categories, e.note, e.address, e.source_file, e.source_row)  # fmt: skip


def _phones(conn: Any, e: Entry) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO roster_phones (phone, roster_id) VALUES (?, ?)",
        [(p, e.id) for p in e.phones],
    )


# -- the roster at work: flags for tasks, the entry on a card ------------------------------------

_OPEN = "('pending', 'retry', 'callback')"


def apply(store: Store, batch_id: int | None = None, task_id: int | None = None) -> int:
    """Inside an open write transaction: give every open task (of one list, or one task) whose
    phone or ID number matches a roster entry that entry's flags and compound. Returns how many
    tasks it changed. The task's version is not bumped: an outcome just recorded on it can still
    be undone."""
    conn = store.conn
    where, params = f"t.state IN {_OPEN}", []
    if batch_id is not None:
        where += " AND t.batch_id = ?"
        params.append(batch_id)
    if task_id is not None:
        where += " AND t.id = ?"
        params.append(task_id)
    rows = conn.execute(
        f"""
        SELECT t.id, t.flags, t.compound, t.priority, r.categories, r.compound AS rc
        FROM roster_phones rp JOIN tasks t ON t.phone = rp.phone
        JOIN roster r ON r.id = rp.roster_id WHERE {where}
        UNION ALL
        SELECT t.id, t.flags, t.compound, t.priority, r.categories, r.compound AS rc
        FROM roster r JOIN tasks t ON t.id_number = r.id_number
        WHERE r.id_number != '' AND t.id_number != '' AND {where}
        """,
        (*params, *params),
    ).fetchall()
    changes: dict[int, list[Any]] = {}
    for r in rows:
        current = changes.setdefault(r[0], [set(split_flags(r[1])), r[2], r[3], r[1], r[2]])
        current[0] |= flags_of(r[4])
        if not current[1] and r[5]:
            current[1] = r[5]
    updates = []
    for tid, (flags, compound, priority, old_flags, old_compound) in changes.items():
        text = flags_text(frozenset(flags))
        if text == old_flags and compound == old_compound:
            continue
        updates.append((text, max(priority, priority_for(flags)), compound, tid))
    conn.executemany("UPDATE tasks SET flags = ?, priority = ?, compound = ? WHERE id = ?", updates)
    return len(updates)


def entries_for(conn: Any, phones: Sequence[str], id_number: str = "") -> list[Entry]:
    """Roster entries with any of these phones or this ID number (the card, the intake)."""
    ids: dict[int, None] = {}
    if phones:
        marks = ",".join("?" * len(phones))
        for (rid,) in conn.execute(
            f"SELECT roster_id FROM roster_phones WHERE phone IN ({marks})", tuple(phones)
        ):
            ids[rid] = None
    if id_number:
        for (rid,) in conn.execute("SELECT id FROM roster WHERE id_number = ?", (id_number,)):
            ids[rid] = None
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT * FROM roster WHERE id IN ({marks}) ORDER BY id", tuple(ids))
    return [_from_row(r) for r in rows.fetchall()]


def counts(conn: Any) -> list[tuple[str, Counter[str], int]]:
    """(compound, entries by category, entries) for `callroom roster`."""
    out: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for compound, cats in conn.execute("SELECT compound, categories FROM roster"):
        c = out.setdefault(compound, Counter())
        totals[compound] += 1
        for cat in cats.split(","):
            c[cat] += 1
    return [(k, out[k], totals[k]) for k in sorted(out)]
