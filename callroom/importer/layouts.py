"""Layouts a person confirmed (or named with --map), remembered by the list's header.

The district sends the same template every day: once somebody has said which column holds the
resident's number, the next list with the same header (normalised: width, case, spaces and `*`
do not matter) imports with no question. Only column letters and field names are stored, with
the header cells to show in `callroom mappings`; saving, using and forgetting one are audit
events (without personal data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from callroom.store import Store, fmt


@dataclass(frozen=True)
class Remembered:
    id: int
    signature: str
    headers: list[str]
    mapping: dict[str, str]  # column letter -> field
    source: str  # map | confirmed
    saved_by: str
    saved_at: str
    used_at: str | None
    uses: int


def _from_row(row: Any) -> Remembered:
    return Remembered(
        row["id"], row["signature"], json.loads(row["headers"]), json.loads(row["mapping"]),
        row["source"], row["saved_by"], row["saved_at"], row["used_at"], row["uses"],
    )  # fmt: skip


def all_layouts(store: Store) -> list[Remembered]:
    rows = store.conn.execute("SELECT * FROM import_layouts ORDER BY id").fetchall()
    return [_from_row(r) for r in rows]


def by_signature(store: Store) -> dict[str, Remembered]:
    return {r.signature: r for r in all_layouts(store)}


def save_all(store: Store, entries: list[dict[str, Any]], operator: str) -> None:
    """Inside the publish transaction: remember each layout (replacing an older one with the same
    header) and note the remembered layouts that were used."""
    now = fmt(store.now())
    for entry in entries:
        if entry.get("used") is not None:
            store.conn.execute(
                "UPDATE import_layouts SET used_at = ?, uses = uses + 1 WHERE id = ?",
                (now, entry["used"]),
            )
            store.add_event("layout_used", operator, detail={"layout": entry["used"]})
            continue
        cur = store.conn.execute(
            "INSERT INTO import_layouts (signature, headers, mapping, source, saved_by, saved_at, "
            "used_at, uses) VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(signature) DO UPDATE SET "
            "headers = excluded.headers, mapping = excluded.mapping, source = excluded.source, "
            "saved_by = excluded.saved_by, saved_at = excluded.saved_at, "
            "used_at = excluded.used_at, uses = import_layouts.uses + 1 RETURNING id",
            (entry["signature"], json.dumps(entry["headers"], ensure_ascii=False),
             json.dumps(entry["mapping"]), entry["source"], operator, now, now),
        )  # fmt: skip
        layout_id = cur.fetchall()[0][0]
        entry["id"] = layout_id
        store.add_event(
            "layout_saved", operator,
            detail={"layout": layout_id, "source": entry["source"], "mapping": entry["mapping"],
                    "columns": len(entry["headers"])},
        )  # fmt: skip


def forget(store: Store, layout_id: int, operator: str) -> Remembered | None:
    """Forget one remembered layout; None when there is no such id."""
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM import_layouts WHERE id = ?", (layout_id,)).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM import_layouts WHERE id = ?", (layout_id,))
        store.add_event("layout_forgotten", operator, detail={"layout": layout_id})
    return _from_row(row)
