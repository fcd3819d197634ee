"""Lists into the store: a batch row and its task rows."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from callroom import schedule
from callroom.store.model import (
    fmt,
    priority_for,
)
from callroom.store.retry import _retried


class Loading:
    """Lists into the store: a batch row and its task rows."""

    @_retried
    def add_batch(
        self,
        name: str,
        rows: list[dict[str, Any]],
        operator: str,
        source_file: str = "",
        sha256: str = "",
        script: str = "",
        deadline: datetime | None = None,
        counts: dict[str, Any] | None = None,
    ) -> int:
        """Insert a list and its tasks in one transaction; returns the batch id.

        Each row needs ``phone`` (E.164) and may carry any task column; ``flags`` as a list,
        ``extra`` as a dict, ``alt_phones`` as a list. The importer does its own streaming
        inserts; this is the simple path for fixtures, the demo and the drill.
        """
        now = fmt(self.now())
        with self.transaction():
            batch_id = self.insert_batch_row(
                name, operator, source_file, sha256, script, deadline, len(rows), counts
            )
            for seq, row in enumerate(rows, 1):
                self.insert_task_row(batch_id, seq, row, now, deadline)
            self.add_event("import", operator, batch_id=batch_id, detail={"tasks": len(rows)})
        if len(rows) >= 1000:
            self.refresh_statistics()
        return batch_id

    def insert_batch_row(
        self,
        name: str,
        operator: str,
        source_file: str = "",
        sha256: str = "",
        script: str = "",
        deadline: datetime | None = None,
        tasks_created: int = 0,
        counts: dict[str, Any] | None = None,
    ) -> int:
        """Inside an open transaction: one batches row."""
        cur = self.conn.execute(
            "INSERT INTO batches (name, source_file, sha256, imported_by, imported_at, script, "
            "deadline, rows_read, tasks_created, counts, office) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (name, source_file, sha256, operator, fmt(self.now()), script or self.config.default_script,
             fmt(deadline), (counts or {}).get("rows_read", tasks_created), tasks_created,
             json.dumps(counts or {}, ensure_ascii=False), self.config.office),
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def insert_task_row(
        self, batch_id: int, seq: int, row: dict[str, Any], now: str, deadline: datetime | None
    ) -> int:
        """Inside an open transaction: one tasks row (see add_batch for the row's keys)."""
        data = {k: v for k, v in row.items() if k in _INSERTABLE}
        flags = tuple(row.get("flags") or ())
        data["flags"] = ",".join(flags)
        data.setdefault("priority", priority_for(flags))
        data["extra"] = json.dumps(row.get("extra") or {}, ensure_ascii=False)
        data["alt_phones"] = json.dumps(row.get("alt_phones") or [])
        data.setdefault("deadline", fmt(deadline))
        data.setdefault("state", schedule.PENDING)
        data.update(batch_id=batch_id, seq=seq, created_at=now, updated_at=now)
        cols = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        cur = self.conn.execute(
            f"INSERT INTO tasks ({cols}) VALUES ({marks})", tuple(data.values())
        )
        return int(cur.lastrowid or 0)


_INSERTABLE = frozenset(
    [
        "source_row",
        "phone",
        "phone_raw",
        "phone_ext",
        "phone_flag",
        "name",
        "id_number",
        "id_flag",
        "place",
        "arrival",
        "address",
        "source_note",
        "priority",
        "deadline",
        "state",
        "final_outcome",
        "closed_at",
        "closed_by",
        "duplicate_of",
        "linked_to",
        "grp",
        "compound",
    ]
)
