"""Deduplicate and insert a list's records, a chunk at a time, inside the import's transaction.

One query per chunk finds every earlier task with the same phones, which settles all three kinds
of duplicate at once: an earlier row of this list (merge), an open task of an earlier list (link,
not called twice), a task verified within the dedup window (auto-resolved "duplicate of #N").
Memory stays at one chunk, however long the list.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from callroom import ids, schedule
from callroom.importer.model import ImportReport
from callroom.importer.rows import MAX_CELL
from callroom.store import PRIORITY_NORMAL, Store, fmt, priority_for, split_flags

CHUNK = 1000
_LOOKUP = 500  # phones per IN (...) query, well under SQLite's variable limit
# Bound per row. The batch, deadline and timestamps are one value for the whole list and go into
# the statement as literals (see _literal): a 100,000-row list binds 400,000 fewer parameters.
_ROW = (
    "seq", "source_row", "phone", "phone_raw", "phone_ext", "phone_flag", "alt_phones", "name",
    "id_number", "id_flag", "place", "arrival", "address", "source_note", "extra", "priority",
    "flags",
)  # fmt: skip
_SETTLED = ("state", "final_outcome", "closed_at", "closed_by", "duplicate_of", "linked_to")
_PER_LIST = ("batch_id", "deadline", "created_at", "updated_at")


def _literal(value: str | int | None) -> str:
    """An SQL literal for one of our own values (ids and ISO timestamps, never list content)."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(int(value))
    return "'" + value.replace("'", "''") + "'"


def _insert(per_list: tuple[str | int | None, ...], settled: bool) -> str:
    bound = _ROW + _SETTLED if settled else _ROW
    return (
        f"INSERT INTO tasks ({', '.join(_PER_LIST + bound)}) "
        f"VALUES ({', '.join(map(_literal, per_list))}, {', '.join('?' * len(bound))})"
    )


_MERGE_SET = (
    "UPDATE tasks SET name = ?, place = ?, address = ?, source_note = ?, arrival = ?, "
    "phone_ext = ?, id_number = ?, id_flag = ?, alt_phones = ?, extra = ?, source_row = ?"
)
_MERGE = f"{_MERGE_SET} WHERE id = ?"
# Only when the later row raised a flag: setting priority rewrites the task's queue-index entry.
_MERGE_FLAGS = f"{_MERGE_SET}, flags = ?, priority = max(priority, ?) WHERE id = ?"
_MERGED_TEXT = ("name", "place", "address", "source_note")
_FLAG_ORDER = ("urgent", "elderly", "pregnant", "child", "patient")


def merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Fold a later row about the same phone into the first one; nothing said is lost."""
    for fld in _MERGED_TEXT:
        a, b = into.get(fld, ""), other.get(fld, "")
        if b and not a:
            into[fld] = b
        elif b and b not in a:
            into[fld] = f"{a} / {b}"[:MAX_CELL]
    for fld in ("arrival", "phone_ext"):
        if not into.get(fld) and other.get(fld):
            into[fld] = other[fld]
    if other.get("id_number") and (
        not into.get("id_number") or (_suspect_id(into) and not _suspect_id(other))
    ):
        into["id_number"], into["id_flag"] = other["id_number"], other.get("id_flag", "")
    alts = into.setdefault("alt_phones", [])
    for p in [other["phone"], *other.get("alt_phones", [])]:
        if p != into["phone"] and p not in alts:
            alts.append(p)
    extra = into.setdefault("extra", {})
    for key, value in other.get("extra", {}).items():
        if key not in extra or not extra[key]:
            extra[key] = value
        elif value and value not in extra[key]:
            extra[key] = f"{extra[key]} / {value}"[:MAX_CELL]
    into["flags"] = set(into.get("flags", ())) | set(other.get("flags", ()))
    into["source_row"] = f"{into['source_row']},{other['source_row']}"[:400]


def _suspect_id(rec: dict[str, Any]) -> bool:
    return rec.get("id_flag", "") not in (ids.OK, ids.UPGRADED)


def flags_text(flags: set[str] | list[str]) -> str:
    return ",".join(f for f in _FLAG_ORDER if f in flags)


class BatchLoader:
    def __init__(
        self,
        store: Store,
        batch_id: int,
        report: ImportReport,
        operator: str,
        deadline: datetime | None,
    ) -> None:
        self.store = store
        self.conn = store.conn
        self.batch_id = batch_id
        self.report = report
        self.operator = operator
        self.deadline = fmt(deadline)
        now = store.now()
        self.now = fmt(now)
        config = store.config
        self.verified = {o.code for o in config.outcomes if o.verified}
        self.cutoff = fmt(now - timedelta(days=config.dedup_days)) if config.dedup_days else None
        self.pending: dict[str, dict[str, Any]] = {}
        self.seq = 0
        per_list = (batch_id, self.deadline, self.now, self.now)
        self._new, self._settled = _insert(per_list, False), _insert(per_list, True)

    def add(self, rec: dict[str, Any]) -> None:
        first = self.pending.get(rec["phone"])
        if first is not None:
            merge(first, rec)
            self.report.merged += 1
            return
        self.pending[rec["phone"]] = rec
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        known = self._earlier(list(self.pending))
        runs: list[tuple[bool, list[tuple[Any, ...]]]] = []  # (settled, rows), in list order
        merges = []  # each phone is pending once, so each earlier row is merged into at most once
        report = self.report
        for phone, rec in self.pending.items():
            earlier = known.get(phone, ())
            own = next((r for r in earlier if r["batch_id"] == self.batch_id), None)
            if own is not None:
                merges.append(self._merged(own, rec))
                report.merged += 1
                continue
            settled = self._settled_as(earlier, rec) if earlier else ()
            if not settled:
                report.tasks_created += 1
                for flag in rec["flags"]:
                    report.flagged[flag] += 1
            if not runs or runs[-1][0] != bool(settled):
                runs.append((bool(settled), []))
            runs[-1][1].append(self._row(phone, rec) + settled)
        for settled_run, rows in runs:
            self.conn.executemany(self._settled if settled_run else self._new, rows)
        for flagged in (False, True):
            params = [p for changed, p in merges if changed is flagged]
            if params:
                self.conn.executemany(_MERGE_FLAGS if flagged else _MERGE, params)
        self.pending.clear()

    def _row(self, phone: str, rec: dict[str, Any]) -> tuple[Any, ...]:
        """The _ROW values of a new task."""
        self.seq += 1
        flags, alts, extra = rec["flags"], rec["alt_phones"], rec["extra"]
        return (
            self.seq, rec["source_row"], phone, rec["phone_raw"], rec["phone_ext"],
            rec["phone_flag"], json.dumps(alts) if alts else "[]", rec["name"], rec["id_number"],
            rec["id_flag"], rec["place"], rec["arrival"], rec["address"], rec["source_note"],
            json.dumps(extra, ensure_ascii=False) if extra else "{}",
            priority_for(flags) if flags else PRIORITY_NORMAL, flags_text(flags) if flags else "",
        )  # fmt: skip

    def _settled_as(self, earlier: Any, rec: dict[str, Any]) -> tuple[Any, ...]:
        """The _SETTLED values when an earlier list has this phone: linked to its open task, or
        a duplicate of a recent verified one; () when the new task is to be called."""
        open_task = next((r for r in earlier if r["state"] in schedule.OPEN_STATES), None)
        if open_task is not None:
            self._bump(open_task, rec)
            self.report.linked += 1
            return (schedule.LINKED, None, self.now, self.operator, None, open_task["id"])
        verified = self._recent_verified(earlier)
        if verified is not None:
            self.report.auto_resolved += 1
            return (
                schedule.DUPLICATE, verified["final_outcome"], self.now, self.operator,
                verified["id"], None,
            )  # fmt: skip
        return ()

    def _earlier(self, phones: list[str]) -> dict[str, list[Any]]:
        known: dict[str, list[Any]] = defaultdict(list)
        for i in range(0, len(phones), _LOOKUP):
            part = phones[i : i + _LOOKUP]
            # every column: a row of this list is merged into without reading it again
            rows = self.conn.execute(
                f"SELECT * FROM tasks WHERE phone IN ({','.join('?' * len(part))}) ORDER BY id",
                part,
            ).fetchall()
            for row in rows:
                known[row["phone"]].append(row)
        return known

    def _recent_verified(self, rows: Any) -> Any:
        if self.cutoff is None:
            return None
        hits = [
            r for r in rows
            if r["state"] == schedule.DONE and r["final_outcome"] in self.verified
            and (r["closed_at"] or "") >= self.cutoff
        ]  # fmt: skip
        return hits[-1] if hits else None

    def _bump(self, target: Any, rec: dict[str, Any]) -> None:
        """The open task inherits the new list's urgency and earlier deadline."""
        flags = set(split_flags(target["flags"])) | rec["flags"]
        priority = max(target["priority"], priority_for(flags))
        deadlines = [d for d in (target["deadline"], self.deadline) if d]
        deadline = min(deadlines) if deadlines else None
        if (priority, flags_text(flags), deadline) == (
            target["priority"], target["flags"], target["deadline"]
        ):  # fmt: skip
            return
        self.conn.execute(
            "UPDATE tasks SET priority = ?, flags = ?, deadline = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ?",
            (priority, flags_text(flags), deadline, self.now, target["id"]),
        )
        self.store.add_event(
            "link_bump", self.operator, task_id=target["id"], batch_id=self.batch_id,
            detail={"priority": priority, "flags": flags_text(flags), "deadline": deadline},
        )  # fmt: skip

    def _merged(self, row: Any, rec: dict[str, Any]) -> tuple[bool, tuple[Any, ...]]:
        """(flags changed, the _MERGE or _MERGE_FLAGS parameters) folding ``rec`` into ``row``,
        a task of this list."""
        first = dict(row)
        first["extra"] = json.loads(row["extra"])
        first["alt_phones"] = json.loads(row["alt_phones"])
        before = set(split_flags(row["flags"]))
        first["flags"] = set(before)
        merge(first, rec)
        if row["state"] == schedule.PENDING:
            # counted once as created; its flags are counted again below if they changed
            for flag in first["flags"] - before:
                self.report.flagged[flag] += 1
        params = (first["name"], first["place"], first["address"], first["source_note"],
                  first["arrival"], first["phone_ext"], first["id_number"], first["id_flag"],
                  json.dumps(first["alt_phones"]), json.dumps(first["extra"], ensure_ascii=False),
                  first["source_row"])  # fmt: skip
        if first["flags"] == before:
            return False, (*params, row["id"])
        return True, (*params, flags_text(first["flags"]), priority_for(first["flags"]), row["id"])
