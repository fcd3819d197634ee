"""Figures for the lead: one source of truth for the progress pane and `callroom report`.

Read-only: every figure is computed from SQLite by the store's connection, so the pane shows every
caller's work on the shared database. No Textual here.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from callroom import schedule
from callroom.config import Config
from callroom.store import TIME_FORMAT, Store, fmt, parse_time, split_flags

SLOT_MINUTES = 30
# Every state counts in "total"; these count as "done" (nobody needs to phone them again).
DONE_STATES = (schedule.DONE, schedule.FIELD_VISIT, schedule.DUPLICATE)


@dataclass(frozen=True)
class BatchProgress:
    id: int
    name: str
    total: int
    done: int
    by_state: dict[str, int]
    deadline: str | None
    minutes_left: int | None  # negative: overdue

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Rates:
    """AAPOR-style rates over the cases in scope (not-eligible cases excluded)."""

    complete: int
    refusal: int
    non_contact: int
    other: int
    unknown: int
    not_eligible: int
    response: float  # RR1 = I / (I + R + NC + O + U)
    cooperation: float  # COOP1 = I / (I + R + O)
    refusal_rate: float  # REF1 = R / (I + R + NC + O + U)
    contact: float  # CON1 = (I + R + O) / (I + R + NC + O + U)
    verified: int  # tasks whose result the district counts as matched
    verified_rate: float  # verified / all tasks in scope


@dataclass(frozen=True)
class CallerRow:
    operator: str
    calls: int
    completes: int
    calls_per_hour: float
    status: str  # on_card | paused | idle
    since: str | None  # when the status began (idle: last activity)
    last_activity: str | None
    talk_seconds: int = 0  # dial (or card shown) to outcome, summed over the day's calls


@dataclass(frozen=True)
class TaskLine:
    """One row of a decision list (no personal data beyond what the pane masks itself)."""

    id: int
    batch: str
    seq: int
    phone: str
    name: str
    address: str
    flags: tuple[str, ...]
    state: str
    outcome: str | None
    attempts: int
    waited_minutes: int
    due: str | None
    note: str = ""


@dataclass
class Report:
    at: str
    day: str
    batches: list[BatchProgress]
    total: int
    done: int
    outcomes: dict[str, int]  # final outcome code -> tasks
    calls_by_outcome: dict[str, int]  # outcome code -> calls made on the day
    rates: Rates
    callers: list[CallerRow]
    slots: list[int]  # calls per 30 minutes over the day, from 00:00
    urgent: list[TaskLine] = field(default_factory=list)
    overdue: list[TaskLine] = field(default_factory=list)
    callbacks_due: list[TaskLine] = field(default_factory=list)
    field_visits: list[TaskLine] = field(default_factory=list)
    refused: list[TaskLine] = field(default_factory=list)
    urgent_wait: dict[str, float] = field(default_factory=dict)  # median/p90/max minutes

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def scope_batches(store: Store, day: date | None = None, batch: str | None = None) -> list[int]:
    """Batch ids in scope: one named batch (id or name), else the day's lists plus any still open."""
    if batch is not None:
        row = store.conn.execute(
            "SELECT id FROM batches WHERE CAST(id AS TEXT) = ? OR name = ? ORDER BY id DESC LIMIT 1",
            (batch, batch),
        ).fetchone()
        return [row[0]] if row else []
    day = day or store.now().date()
    rows = store.conn.execute(
        "SELECT id FROM batches WHERE substr(imported_at, 1, 10) = ? "
        "OR id IN (SELECT DISTINCT batch_id FROM tasks WHERE state IN ('pending','retry','callback')) "
        "ORDER BY id",
        (day.isoformat(),),
    ).fetchall()
    return [r[0] for r in rows]


def build(
    store: Store, day: date | None = None, batch: str | None = None, list_limit: int = 200
) -> Report:
    cfg = store.config
    now = store.now()
    day = day or now.date()
    ids = scope_batches(store, day, batch)
    marks = ",".join("?" * len(ids)) or "NULL"
    q = store.conn.execute

    batches = []
    for b in q(f"SELECT * FROM batches WHERE id IN ({marks}) ORDER BY id", ids).fetchall():
        by_state = {
            r[0]: r[1]
            for r in q(
                # a linked row stands or falls with the open task it follows
                "SELECT CASE WHEN t.state = 'linked' THEN lt.state ELSE t.state END AS s, count(*) "
                "FROM tasks t LEFT JOIN tasks lt ON lt.id = t.linked_to WHERE t.batch_id = ? GROUP BY s",
                (b["id"],),
            ).fetchall()
        }
        total = sum(by_state.values())
        done = sum(n for s, n in by_state.items() if s in DONE_STATES)
        deadline = parse_time(b["deadline"])
        left = int((deadline - now).total_seconds() // 60) if deadline else None
        batches.append(
            BatchProgress(b["id"], b["name"], total, done, by_state, b["deadline"], left)
        )

    outcomes = Counter(
        {
            r[0]: r[1]
            for r in q(
                f"SELECT final_outcome, count(*) FROM tasks WHERE batch_id IN ({marks}) "
                "AND final_outcome IS NOT NULL GROUP BY final_outcome",
                ids,
            ).fetchall()
        }
    )
    start, end = (
        fmt(datetime.combine(day, datetime.min.time())),
        fmt(datetime.combine(day + timedelta(days=1), datetime.min.time())),
    )
    day_calls = q(
        "SELECT operator, at, outcome, seconds FROM attempts "
        "WHERE at >= ? AND at < ? AND undone_at IS NULL "
        "ORDER BY at",
        (start, end),
    ).fetchall()
    calls_by_outcome = Counter(r["outcome"] for r in day_calls)
    slots = [0] * (24 * 60 // SLOT_MINUTES)
    for r in day_calls:
        t = parse_time(r["at"])
        slots[(t.hour * 60 + t.minute) // SLOT_MINUTES] += 1

    return Report(
        at=fmt(now) or "",
        day=day.isoformat(),
        batches=batches,
        total=sum(b.total for b in batches),
        done=sum(b.done for b in batches),
        outcomes=dict(outcomes),
        calls_by_outcome=dict(calls_by_outcome),
        rates=_rates(store, cfg, ids, marks),
        callers=_callers(store, cfg, day_calls, now),
        slots=slots,
        urgent=_lines(store, ids, marks, "urgent", now, list_limit),
        overdue=_lines(store, ids, marks, "overdue", now, list_limit),
        callbacks_due=_lines(store, ids, marks, "callbacks", now, list_limit),
        field_visits=_lines(store, ids, marks, "field_visits", now, list_limit),
        refused=_lines(store, ids, marks, "refused", now, list_limit),
        urgent_wait=urgent_wait(store, ids, marks, now),
    )


def _rates(store: Store, cfg: Config, ids: list[int], marks: str) -> Rates:
    """Each case's disposition: its final outcome, else its last call, else never reached (unknown)."""
    category = {o.code: o.aapor for o in cfg.outcomes}
    verified_codes = {o.code for o in cfg.outcomes if o.verified}
    rows = store.conn.execute(
        f"""
        SELECT t.id, t.state, coalesce(lt.final_outcome, t.final_outcome) AS final,
               (SELECT outcome FROM attempts a WHERE a.task_id = coalesce(t.linked_to, t.id)
                AND a.undone_at IS NULL ORDER BY a.id DESC LIMIT 1) AS last
        FROM tasks t LEFT JOIN tasks lt ON lt.id = t.linked_to
        WHERE t.batch_id IN ({marks})
        """,
        ids,
    ).fetchall()
    counts: Counter[str] = Counter()
    verified = 0
    for r in rows:
        code = r["final"] or r["last"]
        counts[category.get(code, "unknown") if code else "unknown"] += 1
        verified += r["final"] in verified_codes
    i, rf, nc, o, u = (
        counts[k] for k in ("complete", "refusal", "non_contact", "other", "unknown")
    )
    eligible = i + rf + nc + o + u

    def share(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    return Rates(
        complete=i,
        refusal=rf,
        non_contact=nc,
        other=o,
        unknown=u,
        not_eligible=counts["not_eligible"],
        response=share(i, eligible),
        cooperation=share(i, i + rf + o),
        refusal_rate=share(rf, eligible),
        contact=share(i + rf + o, eligible),
        verified=verified,
        verified_rate=share(verified, len(rows)),
    )


def _callers(store: Store, cfg: Config, day_calls: list[Any], now: datetime) -> list[CallerRow]:
    complete = {o.code for o in cfg.outcomes if o.aapor == "complete"}
    by_op: dict[str, list[Any]] = {}
    for r in day_calls:
        by_op.setdefault(r["operator"], []).append(r)
    day_start = fmt(now.replace(hour=0, minute=0, second=0))
    # who has been active today at all: calls, claims, pauses
    for (op,) in store.conn.execute(
        "SELECT DISTINCT operator FROM events WHERE at >= ? AND kind IN ('claim','pause','resume')",
        (day_start,),
    ).fetchall():
        by_op.setdefault(op, [])
    rows = []
    for op, calls in sorted(by_op.items()):
        on_card = store.conn.execute(
            "SELECT count(*) FROM tasks WHERE claim_by = ? AND lease_until > ?", (op, fmt(now))
        ).fetchone()[0]
        last_event = store.conn.execute(
            "SELECT kind, at FROM events WHERE operator = ? AND at >= ? ORDER BY id DESC LIMIT 1",
            (op, day_start),
        ).fetchone()
        pause = store.conn.execute(
            "SELECT kind, at FROM events WHERE operator = ? AND kind IN ('pause','resume') "
            "ORDER BY id DESC LIMIT 1",
            (op,),
        ).fetchone()
        last = last_event["at"] if last_event else (calls[-1]["at"] if calls else None)
        if pause is not None and pause["kind"] == "pause":
            status, since = "paused", pause["at"]
        elif on_card:
            status, since = "on_card", last
        else:
            status, since = "idle", last
        hours = 0.0
        if calls:
            first, final = parse_time(calls[0]["at"]), parse_time(calls[-1]["at"])
            # at least half an hour, so two quick calls do not read as 200 an hour
            hours = max((final - first).total_seconds() / 3600, 0.5)
        rows.append(
            CallerRow(
                operator=op,
                calls=len(calls),
                completes=sum(r["outcome"] in complete for r in calls),
                calls_per_hour=round(len(calls) / hours, 1) if hours else 0.0,
                status=status,
                since=since,
                last_activity=last,
                talk_seconds=sum(r["seconds"] or 0 for r in calls),
            )
        )
    return rows


_LIST_SQL = {
    "urgent": "t.priority > 0 AND t.state IN ('pending','retry','callback')",
    "overdue": "t.state IN ('pending','retry','callback') AND t.deadline IS NOT NULL AND t.deadline < :now",
    "callbacks": "t.state = 'callback' AND t.next_at <= :now",
    "field_visits": "t.state = 'field_visit'",
    "refused": "t.state = 'done' AND t.final_outcome IN (:refused, :wrong)",
}
_LIST_ORDER = {
    "urgent": "t.priority DESC, t.created_at, t.id",
    "overdue": "t.deadline, t.id",
    "callbacks": "t.next_at, t.id",
    "field_visits": "t.closed_at, t.id",
    "refused": "t.closed_at DESC, t.id",
}


def _lines(
    store: Store, ids: list[int], marks: str, which: str, now: datetime, limit: int
) -> list[TaskLine]:
    params: dict[str, Any] = {"now": fmt(now), "refused": "refused", "wrong": "wrong_person"}
    params.update({f"b{i}": b for i, b in enumerate(ids)})
    in_batches = ",".join(f":b{i}" for i in range(len(ids))) or "NULL"
    rows = store.conn.execute(
        f"""
        SELECT t.*, b.name AS batch_name,
               (SELECT note FROM attempts a WHERE a.task_id = t.id AND a.undone_at IS NULL
                AND a.note != '' ORDER BY a.id DESC LIMIT 1) AS last_note
        FROM tasks t JOIN batches b ON b.id = t.batch_id
        WHERE t.batch_id IN ({in_batches}) AND {_LIST_SQL[which]}
        ORDER BY {_LIST_ORDER[which]} LIMIT {int(limit)}
        """,
        params,
    ).fetchall()
    out = []
    for r in rows:
        created = parse_time(r["created_at"])
        end = parse_time(r["closed_at"]) or now
        out.append(
            TaskLine(
                id=r["id"],
                batch=r["batch_name"],
                seq=r["seq"],
                phone=r["phone"],
                name=r["name"],
                address=r["address"],
                flags=split_flags(r["flags"]),
                state=r["state"],
                outcome=r["final_outcome"],
                attempts=r["attempts"],
                waited_minutes=int((end - created).total_seconds() // 60),
                due=r["next_at"] or r["deadline"],
                note=r["last_note"] or "",
            )
        )
    return out


def urgent_wait(store: Store, ids: list[int], marks: str, now: datetime) -> dict[str, float]:
    """Minutes urgent cases waited from import to their first contact (or until now if none yet)."""
    rows = store.conn.execute(
        f"""
        SELECT t.created_at,
               (SELECT min(a.at) FROM attempts a WHERE a.task_id = t.id AND a.undone_at IS NULL)
        FROM tasks t WHERE t.batch_id IN ({marks}) AND t.priority >= 2
        AND t.state NOT IN ('duplicate', 'linked')
        """,
        ids,
    ).fetchall()
    waits = sorted(
        ((parse_time(first) if first else now) - parse_time(created)).total_seconds() / 60
        for created, first in rows
    )
    return wait_summary(waits)


def wait_summary(waits: list[float]) -> dict[str, float]:
    if not waits:
        return {}
    waits = sorted(waits)

    def pct(p: float) -> float:
        return round(waits[min(len(waits) - 1, int(p * len(waits)))], 1)

    return {"count": len(waits), "median": pct(0.5), "p90": pct(0.9), "max": round(waits[-1], 1)}


def sparkline(values: list[int]) -> str:
    """Unicode block sparkline (blocks are single-width in every CJK terminal font we met)."""
    blocks = " ▁▂▃▄▅▆▇█"
    top = max(values) if values else 0
    if not top:
        return " " * len(values)
    return "".join(blocks[min(8, round(v / top * 8))] for v in values)


__all__ = ["TIME_FORMAT", "BatchProgress", "CallerRow", "Rates", "Report", "TaskLine", "build"]
