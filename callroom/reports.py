"""Figures for the lead: one source of truth for the progress pane and `callroom report`.

Read-only: every figure is computed from SQLite by the store's connection, so the pane shows every
caller's work on the shared database. No Textual here.

The district's figure is the match rate (核酸匹配率): the share of a list's people with a
matched test, by data (a task closed by the test results, callroom/results) or confirmed by a
caller (an outcome of [results] confirmed_outcomes, `already_tested`).

A new figure (inbound-desk counts, ...) is added here once,
as a field of BatchProgress or Report; callroom.report_text draws it for the table, the chat
text and the CSV, the lead pane uses the same functions, and the JSON carries it by itself.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from callroom import schedule
from callroom.config import Config
from callroom.inbound.figures import InboundFigures
from callroom.inbound.figures import build as inbound_figures
from callroom.phones import mask as mask_phone
from callroom.privacy import mask_address, mask_name, mask_note
from callroom.results import MATCHED
from callroom.store import TIME_FORMAT, Store, fmt, parse_time, split_flags

SLOT_MINUTES = 30
# Every state counts in "total"; these count as "done" (nobody needs to phone them again).
DONE_STATES = (schedule.DONE, schedule.FIELD_VISIT, schedule.DUPLICATE)
# The decision lists, in the order the lead pane's tabs and the report show them.
LISTS = ("urgent", "overdue", "callbacks_due", "field_visits", "refused")


@dataclass(frozen=True)
class BatchProgress:
    id: int
    name: str
    total: int
    done: int
    verified: int  # tasks whose result the district counts as matched (核实)
    by_state: dict[str, int]
    deadline: str | None
    minutes_left: int | None  # negative: overdue
    matched_data: int = 0  # closed by a matched test result (callroom/results)
    matched_call: int = 0  # a caller confirmed the test ([results] confirmed_outcomes)
    match_rate: float = 0.0  # (matched_data + matched_call) / total: the district's 核酸匹配率

    @property
    def matched(self) -> int:
        return self.matched_data + self.matched_call

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def verified_share(self) -> float:
        return self.verified / self.total if self.total else 0.0


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
    matched: int = 0  # tasks with a matched test: by data or confirmed by a call
    match_rate: float = 0.0  # matched / all tasks in scope (核酸匹配率)


@dataclass(frozen=True)
class CallerRow:
    operator: str
    calls: int
    completes: int
    calls_per_hour: float
    status: str  # on_card | paused | idle; "" in a past day's report
    since: str | None  # when the status began (idle: last activity)
    last_activity: str | None
    minutes_in_status: int | None  # how long the caller has been in this status
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
    verified: int
    # How the done tasks ended: an outcome code for each closed one ("field_visit_done" for a
    # visit the lead closed), "field_visit" and "duplicate" for the other done states. The values
    # add up to `done`, so the outcome table and the progress figure reconcile.
    ended: dict[str, int]
    calls_by_outcome: dict[str, int]  # outcome code -> calls made on the day
    calls: int  # calls made on the day
    rates: Rates
    callers: list[CallerRow]
    slots: list[int]  # calls per 30 minutes over the day, from 00:00
    counts: dict[str, int]  # LISTS -> how many tasks each decision list holds (uncapped)
    urgent: list[TaskLine] = field(default_factory=list)
    overdue: list[TaskLine] = field(default_factory=list)
    callbacks_due: list[TaskLine] = field(default_factory=list)
    field_visits: list[TaskLine] = field(default_factory=list)
    refused: list[TaskLine] = field(default_factory=list)
    urgent_wait: dict[str, float] = field(default_factory=dict)  # median/p90/max minutes
    matched_data: int = 0  # tasks closed by a matched test result (the lists in scope)
    matched_call: int = 0  # tasks whose test a caller confirmed
    saved_today: int = 0  # people the matching closed on the day: calls nobody had to make
    # the lists' tasks by state, each person once (a linked row is the task it follows): the
    # total row; the lists' own rows count their linked rows, so they may add up to more
    by_state: dict[str, int] = field(default_factory=dict)
    # the inbound desk (callroom/inbound/figures.py): cases waiting, waits, decisions, solved
    inbound: InboundFigures = field(default_factory=InboundFigures)
    office: str | None = None  # the office shown (None: every office)

    @property
    def matched(self) -> int:
        return self.matched_data + self.matched_call

    @property
    def is_today(self) -> bool:
        """False for a past day's report (--date): its calls, callers and chart are that day's,
        its progress and decision lists are as they are now."""
        return self.day == self.at[:10]

    def lines(self, which: str) -> list[TaskLine]:
        return getattr(self, which)

    def to_dict(self, reveal: bool = False) -> dict[str, Any]:
        """Every figure; residents' names, phones, addresses and notes masked unless ``reveal``."""
        data = asdict(self)
        if not reveal:
            for which in LISTS:
                data[which] = [mask_line(line) for line in data[which]]
        return data

    def to_json(self, reveal: bool = False) -> str:
        return json.dumps(self.to_dict(reveal), ensure_ascii=False, indent=2)

    def task_ids(self) -> list[int]:
        """The tasks whose lines the report lists (for the audit event of a reveal)."""
        return sorted({line.id for which in LISTS for line in self.lines(which)})


def mask_line(line: dict[str, Any]) -> dict[str, Any]:
    """A decision-list line as JSON may print it without a reveal."""
    return {
        **line,
        "name": mask_name(line["name"]),
        "phone": mask_phone(line["phone"]),
        "address": mask_address(line["address"]),
        "note": mask_note(line["note"]),
    }


def office_scope(store: Store, all_offices: bool = False) -> str | None:
    """The office whose lists a report shows: the config's own; None (the whole street) with
    ``all_offices`` or when the config names no office."""
    return None if all_offices or not store.config.office else store.config.office


_CONFIG_OFFICE: Any = object()  # build()'s default: the config's office


def scope_batches(
    store: Store, day: date | None = None, batch: str | None = None, office: str | None = None
) -> list[int]:
    """Batch ids in scope: one named batch (id or name), else the day's lists plus any still
    open; with ``office`` (not None), that office's lists only."""
    mine = " AND office = :office" if office is not None else ""
    if batch is not None:
        row = store.conn.execute(
            "SELECT id FROM batches WHERE (CAST(id AS TEXT) = :batch OR name = :batch)"
            f"{mine} ORDER BY id DESC LIMIT 1",
            {"batch": batch, "office": office},
        ).fetchone()
        return [row[0]] if row else []
    day = day or store.now().date()
    rows = store.conn.execute(
        "SELECT id FROM batches WHERE (substr(imported_at, 1, 10) = :day "
        "OR id IN (SELECT DISTINCT batch_id FROM tasks WHERE state IN ('pending','retry','callback')))"
        f"{mine} ORDER BY id",
        {"day": day.isoformat(), "office": office},
    ).fetchall()
    return [r[0] for r in rows]


def build(
    store: Store,
    day: date | None = None,
    batch: str | None = None,
    list_limit: int = 200,
    all_offices: bool = False,
    office: str | None = _CONFIG_OFFICE,
) -> Report:
    """The figures of one office (default: the config's; ``all_offices``: the whole street;
    ``office``: that one, '' for lists imported without an office) for the day."""
    cfg = store.config
    now = store.now()
    day = day or now.date()
    office = office_scope(store, all_offices) if office is _CONFIG_OFFICE else office
    ids = scope_batches(store, day, batch, office)
    marks = ",".join("?" * len(ids)) or "NULL"
    q = store.conn.execute
    verified_codes = {o.code for o in cfg.outcomes if o.verified}
    confirmed_codes = set(cfg.confirmed_outcomes)

    # one pass over the tasks: state, final outcome and count per list; a linked row stands or
    # falls with the open task it follows
    per_batch: dict[int, list[Any]] = {}
    for r in q(
        f"""
        SELECT t.batch_id AS b,
               CASE WHEN t.state = 'linked' AND lt.id IS NOT NULL THEN lt.state ELSE t.state END AS s,
               CASE WHEN t.state = 'linked' THEN lt.final_outcome ELSE t.final_outcome END AS o,
               count(*) AS n
        FROM tasks t LEFT JOIN tasks lt ON lt.id = t.linked_to
        WHERE t.batch_id IN ({marks}) GROUP BY 1, 2, 3
        """,
        ids,
    ).fetchall():
        per_batch.setdefault(r["b"], []).append(r)

    batches = []
    rows = q(f"SELECT * FROM batches WHERE id IN ({marks}) ORDER BY id", ids).fetchall()
    names = Counter(b["name"] for b in rows)
    for b in rows:
        by_state: Counter[str] = Counter()
        verified = by_data = by_call = 0
        for r in per_batch.get(b["id"], []):
            by_state[r["s"]] += r["n"]
            verified += r["n"] if r["o"] in verified_codes else 0
            by_data += r["n"] if r["o"] == MATCHED else 0
            by_call += r["n"] if r["o"] in confirmed_codes else 0
        total = sum(by_state.values())
        done = sum(n for s, n in by_state.items() if s in DONE_STATES)
        deadline = parse_time(b["deadline"])
        # minutes left: only today (a past day's report shows the deadline itself)
        left = (
            int((deadline - now).total_seconds() // 60) if deadline and day == now.date() else None
        )
        batches.append(
            BatchProgress(
                # the same list imported twice (--again) reads as two lists, told apart by id
                b["id"], f"{b['name']} #{b['id']}" if names[b["name"]] > 1 else b["name"], total, done, verified, dict(by_state), b["deadline"], left,
                by_data, by_call, round((by_data + by_call) / total, 4) if total else 0.0,
            )
        )  # fmt: skip

    # the total counts each person once: a row linked to another list's task is that task
    by_state_all: Counter[str] = Counter()
    ended: Counter[str] = Counter()
    finals: Counter[str] = Counter()  # final outcome (or None) -> tasks, for the rates
    for r in q(
        f"""
        SELECT x.state AS s, x.final_outcome AS o, count(*) AS n FROM tasks x WHERE x.id IN (
            SELECT CASE WHEN t.state = 'linked' AND lt.id IS NOT NULL THEN lt.id ELSE t.id END
            FROM tasks t LEFT JOIN tasks lt ON lt.id = t.linked_to WHERE t.batch_id IN ({marks})
        ) GROUP BY 1, 2
        """,
        ids,
    ).fetchall():
        by_state_all[r["s"]] += r["n"]
        finals[r["o"]] += r["n"]
        if r["s"] == schedule.DONE:
            ended[r["o"] or schedule.DONE] += r["n"]
        elif r["s"] in DONE_STATES:
            ended[r["s"]] += r["n"]

    start, end = (
        fmt(datetime.combine(day, datetime.min.time())),
        fmt(datetime.combine(day + timedelta(days=1), datetime.min.time())),
    )
    # calls: attempts on the phone (a field visit the lead closes is recorded, but not a call)
    # an office's calls: those on its lists
    of_office = (
        " AND task_id IN (SELECT t.id FROM tasks t JOIN batches b ON b.id = t.batch_id "
        "WHERE b.office = :office)"
        if office is not None
        else ""
    )
    day_calls = q(
        "SELECT operator, at, outcome, seconds FROM attempts "
        "WHERE at >= :start AND at < :end AND undone_at IS NULL "
        f"AND outcome != 'field_visit_done'{of_office} ORDER BY at",
        {"start": start, "end": end, "office": office},
    ).fetchall()
    calls_by_outcome = Counter(r["outcome"] for r in day_calls)
    slots = [0] * (24 * 60 // SLOT_MINUTES)
    for r in day_calls:
        at = r["at"]  # "YYYY-MM-DD HH:MM:SS": read the clock off the text, no parsing
        slots[(int(at[11:13]) * 60 + int(at[14:16])) // SLOT_MINUTES] += 1

    lists = {which: _lines(store, ids, which, now, list_limit) for which in LISTS}
    # calls the matching saved on the day: tasks it closed (on any list, as the day's calls)
    # (a person on two lists closed twice by the same test saved one call)
    saved = q(
        "SELECT count(DISTINCT phone) FROM tasks WHERE final_outcome = :m "
        "AND closed_at >= :start AND closed_at < :end"
        + (
            " AND batch_id IN (SELECT id FROM batches WHERE office = :office)"
            if office is not None
            else ""
        ),
        {"m": MATCHED, "start": start, "end": end, "office": office},
    ).fetchone()[0]
    return Report(
        at=fmt(now) or "",
        day=day.isoformat(),
        batches=batches,
        total=sum(by_state_all.values()),
        done=sum(n for s, n in by_state_all.items() if s in DONE_STATES),
        verified=sum(n for o, n in finals.items() if o in verified_codes),
        by_state=dict(by_state_all),
        ended=dict(ended),
        calls_by_outcome=dict(calls_by_outcome),
        calls=len(day_calls),
        rates=_rates(store, cfg, ids, marks, finals),
        callers=_callers(store, cfg, day_calls, now, day, office),
        slots=slots,
        counts=_counts(store, ids, now),
        **lists,
        urgent_wait=urgent_wait(store, ids, marks, now),
        matched_data=finals.get(MATCHED, 0),
        matched_call=sum(n for o, n in finals.items() if o in confirmed_codes),
        saved_today=saved,
        inbound=inbound_figures(store.conn, ids, now, day, [g.code for g in cfg.groups]),
        office=office,
    )


def _rates(
    store: Store, cfg: Config, ids: list[int], marks: str, finals: Counter[str | None]
) -> Rates:
    """Each case's disposition: its final outcome, else its last call, else never reached
    (unknown). ``finals``: tasks by final outcome (None: not final), from build's one pass."""
    # a task closed by a matched test was taken out of the calling before anyone called it
    category = {o.code: o.aapor for o in cfg.outcomes} | {MATCHED: "not_eligible"}
    verified_codes = {o.code for o in cfg.outcomes if o.verified}
    matched_codes = {MATCHED, *cfg.confirmed_outcomes}
    counts: Counter[str] = Counter()
    for code, n in finals.items():
        if code is not None:
            counts[category.get(code, "unknown")] += n
    # the open ones: their last call, looked up only for tasks that were called at all
    called = 0
    for last, n in store.conn.execute(
        f"""
        SELECT (SELECT outcome FROM attempts a WHERE a.task_id = x.id
                AND a.undone_at IS NULL ORDER BY a.id DESC LIMIT 1) AS last, count(*)
        FROM tasks x WHERE x.id IN (
            SELECT CASE WHEN t.state = 'linked' AND lt.id IS NOT NULL THEN lt.id ELSE t.id END
            FROM tasks t LEFT JOIN tasks lt ON lt.id = t.linked_to WHERE t.batch_id IN ({marks})
        ) AND x.final_outcome IS NULL AND x.attempts > 0
        GROUP BY last
        """,
        ids,
    ):
        counts[category.get(last, "unknown") if last else "unknown"] += n
        called += n
    counts["unknown"] += finals.get(None, 0) - called
    total = sum(finals.values())
    verified = sum(n for code, n in finals.items() if code in verified_codes)
    matched = sum(n for code, n in finals.items() if code in matched_codes)
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
        verified_rate=share(verified, total),
        matched=matched,
        match_rate=share(matched, total),
    )


def _callers(
    store: Store,
    cfg: Config,
    day_calls: list[Any],
    now: datetime,
    day: date,
    office: str | None = None,
) -> list[CallerRow]:
    """Each caller's day; their status now (on a card, paused, idle) only in today's report."""
    complete = {o.code for o in cfg.outcomes if o.aapor == "complete"}
    by_op: dict[str, list[Any]] = {}
    for r in day_calls:
        by_op.setdefault(r["operator"], []).append(r)
    day_start = fmt(datetime.combine(day, datetime.min.time()))
    day_end = fmt(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    # who has been active on the day at all: calls, claims, pauses
    for (op,) in store.conn.execute(
        "SELECT DISTINCT operator FROM events WHERE at >= ? AND at < ? "
        "AND kind IN ('claim','pause','resume')"
        + (" AND office = ?" if office is not None else ""),
        (day_start, day_end, office) if office is not None else (day_start, day_end),
    ).fetchall():
        by_op.setdefault(op, [])
    holding = dict(
        store.conn.execute(
            "SELECT claim_by, count(*) FROM tasks WHERE claim_session IS NOT NULL "
            "AND lease_until > ? GROUP BY claim_by",
            (fmt(now),),
        ).fetchall()
    )
    rows = []
    for op, calls in sorted(by_op.items()):
        on_card = holding.get(op, 0)
        last_event = store.conn.execute(
            "SELECT kind, at FROM events WHERE operator = ? AND at >= ? AND at < ? "
            "ORDER BY id DESC LIMIT 1",
            (op, day_start, day_end),
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
        if day != now.date():  # a past day: what the caller did then, not what they do now
            status, since = "", None
        began = parse_time(since)
        in_status = max(0, int((now - began).total_seconds() // 60)) if began else None
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
                minutes_in_status=in_status,
                talk_seconds=sum(r["seconds"] or 0 for r in calls),
            )
        )
    return rows


_LIST_SQL = {
    "urgent": "t.priority > 0 AND t.state IN ('pending','retry','callback')",
    "overdue": "t.state IN ('pending','retry','callback') AND t.deadline IS NOT NULL AND t.deadline < :now",
    "callbacks_due": "t.state = 'callback' AND t.next_at <= :now",
    "field_visits": "t.state = 'field_visit'",
    "refused": "t.state = 'done' AND t.final_outcome IN (:refused, :wrong)",
}
_LIST_ORDER = {
    "urgent": "t.priority DESC, t.created_at, t.id",
    "overdue": "t.deadline, t.id",
    "callbacks_due": "t.next_at, t.id",
    "field_visits": "t.closed_at, t.id",
    "refused": "t.closed_at DESC, t.id",
}


def _list_params(ids: list[int], now: datetime) -> tuple[dict[str, Any], str]:
    params: dict[str, Any] = {"now": fmt(now), "refused": "refused", "wrong": "wrong_person"}
    params.update({f"b{i}": b for i, b in enumerate(ids)})
    return params, ",".join(f":b{i}" for i in range(len(ids))) or "NULL"


def _counts(store: Store, ids: list[int], now: datetime) -> dict[str, int]:
    """How many tasks each decision list holds, in one pass over the lists' tasks."""
    params, in_batches = _list_params(ids, now)
    sums = ", ".join(f"count(*) FILTER (WHERE {_LIST_SQL[w]})" for w in LISTS)
    row = store.conn.execute(
        f"SELECT {sums} FROM tasks t WHERE t.batch_id IN ({in_batches})", params
    ).fetchone()
    return dict(zip(LISTS, row, strict=True))


def _lines(store: Store, ids: list[int], which: str, now: datetime, limit: int) -> list[TaskLine]:
    params, in_batches = _list_params(ids, now)
    # the ids first (a sort of narrow rows), then the rows and their last note for those only
    picked = [
        r[0]
        for r in store.conn.execute(
            f"SELECT t.id FROM tasks t WHERE t.batch_id IN ({in_batches}) AND {_LIST_SQL[which]} "
            f"ORDER BY {_LIST_ORDER[which]} LIMIT {int(limit)}",
            params,
        )
    ]
    if not picked:
        return []
    marks = ",".join("?" * len(picked))
    by_id = {
        r["id"]: r
        for r in store.conn.execute(
            f"SELECT t.*, b.name AS batch_name FROM tasks t JOIN batches b ON b.id = t.batch_id "
            f"WHERE t.id IN ({marks})",
            picked,
        )
    }
    notes = dict(
        store.conn.execute(
            f"SELECT task_id, note FROM attempts WHERE task_id IN ({marks}) "
            "AND undone_at IS NULL AND note != '' ORDER BY id",
            picked,
        ).fetchall()  # the last note of each task wins
    )
    rows = [{**by_id[i], "last_note": notes.get(i, "")} for i in picked]
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


def chart_slots(rep: Report) -> tuple[int, list[int]]:
    """The day's 30-minute slots worth showing: from the first call to the current slot.

    Returns (index of the first slot shown, counts); no slots at all when nobody called yet, so
    an empty day draws an empty chart.
    """
    now_slot = int(rep.at[11:13]) * 2 + int(rep.at[14:16]) // 30 if rep.is_today else 0
    first = next((i for i, v in enumerate(rep.slots) if v), None)
    if first is None:
        return now_slot, []
    last = max(now_slot, max(i for i, v in enumerate(rep.slots) if v))
    return first, rep.slots[first : last + 1]


__all__ = [
    "LISTS",
    "TIME_FORMAT",
    "BatchProgress",
    "CallerRow",
    "Rates",
    "Report",
    "TaskLine",
    "build",
]
