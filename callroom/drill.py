"""Surge drill: simulated callers work a surge list through the real store and scheduling code.

Discrete-event simulation in simulated time on a scratch database: each caller claims a card
(`Store.next_card`), talks for a sampled duration, records a sampled outcome (`Store.record`), wraps
up, and claims the next. Retries and callbacks come back exactly as they would in production.
Deterministic for a given seed: one random generator, events ordered by (time, sequence).
"""

from __future__ import annotations

import heapq
import random
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path

from callroom.config import Config
from callroom.reports import wait_summary
from callroom.store import PRIORITY_NORMAL, Store, parse_time

WRAP_UP_SECONDS = 10
DAY_START = time(8, 0)


class DrillError(ValueError):
    """Settings the drill cannot run with; str() is English, text(lang) the UI's language."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        from callroom.said import render

        return render(self.key, lang, self.params)


@dataclass(frozen=True)
class DrillSettings:
    tasks: int = 5000
    urgent_share: float = 0.05
    callers: int = 8
    minutes: int = 480
    seed: int = 1
    priority: bool = True  # False: urgent cases wait in list order, to compare rules
    # None: from callroom.toml [drill]
    odds: dict[str, float] | None = None
    reached_seconds: float | None = None
    not_reached_seconds: float | None = None


@dataclass
class DrillResult:
    settings: DrillSettings
    calls: int
    solved: int  # closed with a final outcome by phone
    field_visits: int
    still_open: int
    urgent_first_call: dict[str, float]  # minutes from the list's arrival to the first call
    urgent_solved: dict[str, float]  # minutes from arrival to closed, for those closed
    urgent_never_called: int
    solved_per_hour: list[int]
    outcomes: dict[str, int]


def without_triage(config: Config) -> Config:
    """The same config with every head start at zero: the queue is first come, first served."""
    groups = tuple(replace(g, head_start=0) for g in config.groups)
    return replace(config, head_starts={}, groups=groups)


class _SimClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _check_odds(config: Config, odds: dict[str, float]) -> tuple[list[str], list[float]]:
    known = {o.code for o in config.outcomes}
    unknown = sorted(set(odds) - known)
    if unknown:
        raise DrillError(
            "drill.unknown_odds", codes=", ".join(unknown), known=", ".join(sorted(known))
        )
    codes = [c for c, w in odds.items() if w > 0]
    if not codes:
        raise DrillError("drill.no_odds")
    return codes, [odds[c] for c in codes]


def run(config: Config, settings: DrillSettings, workdir: Path | None = None) -> DrillResult:
    if settings.tasks < 1 or settings.callers < 1 or settings.minutes < 1:
        raise DrillError("drill.at_least_one")
    if not 0 <= settings.urgent_share <= 1:
        raise DrillError("drill.urgent_share")
    settings = replace(
        settings,
        odds=settings.odds or config.drill_odds,
        reached_seconds=settings.reached_seconds or config.drill_reached_seconds,
        not_reached_seconds=settings.not_reached_seconds or config.drill_not_reached_seconds,
    )
    codes, weights = _check_odds(config, settings.odds)
    rng = random.Random(settings.seed)
    start = datetime.combine(datetime(2026, 1, 5).date(), DAY_START)  # a fixed Monday
    end = start + timedelta(minutes=settings.minutes)
    clock = _SimClock(start)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        # a scratch SQLite file, never the configured database (nor a street's PostgreSQL)
        cfg = replace(config, database=Path(tmp) / "drill.db", database_url="", shared_group="")
        if not settings.priority:
            cfg = without_triage(cfg)
        stores = [
            Store(cfg, clock=clock, durable=False, create=i == 0) for i in range(settings.callers)
        ]
        try:
            return _simulate(cfg, settings, stores, clock, rng, codes, weights, start, end)
        finally:
            for s in stores:
                s.close()


def _simulate(cfg, settings, stores, clock, rng, codes, weights, start, end) -> DrillResult:
    urgent_ids = set(
        rng.sample(range(settings.tasks), round(settings.tasks * settings.urgent_share))
    )
    rows = []
    for i in range(settings.tasks):
        row: dict = {"phone": f"+86139{i:08d}", "flags": ["urgent"] if i in urgent_ids else []}
        if not settings.priority:
            row["priority"] = PRIORITY_NORMAL
        rows.append(row)
    stores[0].add_batch("drill", rows, "drill")

    # events: (time, seq, caller, task_id, outcome); task_id None: ready for the next card,
    # else the call on that card ends now with that outcome
    seq = 0
    events: list[tuple[datetime, int, int, int | None, str]] = []
    for c in range(settings.callers):
        heapq.heappush(events, (start, seq, c, None, ""))
        seq += 1
    calls = 0
    while events:
        at, _, c, task_id, code = heapq.heappop(events)
        if at >= end:
            continue
        clock.now = at
        store, operator = stores[c], f"caller{c + 1}"
        if task_id is None:
            card = store.next_card(operator)
            if card is None:
                if store.queue_remaining() == 0:
                    continue  # nothing left today: this caller goes home
                heapq.heappush(events, (at + timedelta(minutes=1), seq, c, None, ""))
            else:
                code = rng.choices(codes, weights)[0]
                reached = cfg.outcome(code).aapor != "non_contact"
                mean = settings.reached_seconds if reached else settings.not_reached_seconds
                talk = timedelta(seconds=mean * rng.uniform(0.5, 1.5))
                heapq.heappush(events, (at + talk, seq, c, card.id, code))
            seq += 1
            continue
        outcome = cfg.outcome(code)
        callback_at = (
            at + timedelta(minutes=rng.randint(30, 120)) if outcome.kind == "callback" else None
        )
        store.record(
            task_id,
            code,
            operator,
            note="drill" if outcome.needs_note else "",
            callback_at=callback_at,
        )
        calls += 1
        heapq.heappush(events, (at + timedelta(seconds=WRAP_UP_SECONDS), seq, c, None, ""))
        seq += 1
    return _result(stores[0], settings, calls, start, end)


def _result(
    store: Store, settings: DrillSettings, calls: int, start: datetime, end: datetime
) -> DrillResult:
    q = store.conn.execute
    states = Counter(dict(q("SELECT state, count(*) FROM tasks GROUP BY state").fetchall()))
    outcomes = dict(q("SELECT outcome, count(*) FROM attempts GROUP BY outcome").fetchall())
    hours = -(-settings.minutes // 60)
    per_hour = [0] * hours
    for (closed_at,) in q("SELECT closed_at FROM tasks WHERE state = 'done'").fetchall():
        per_hour[min(hours - 1, int((parse_time(closed_at) - start).total_seconds() // 3600))] += 1
    first_calls, solved_waits, never = [], [], 0
    for first, closed_at, state in q(
        "SELECT (SELECT min(at) FROM attempts a WHERE a.task_id = t.id), closed_at, state "
        "FROM tasks t WHERE flags LIKE '%urgent%'"
    ).fetchall():
        if first is None:
            never += 1
            first_calls.append((end - start).total_seconds() / 60)  # censored at the end of the day
        else:
            first_calls.append((parse_time(first) - start).total_seconds() / 60)
        if state == "done":
            solved_waits.append((parse_time(closed_at) - start).total_seconds() / 60)
    return DrillResult(
        settings=settings,
        calls=calls,
        solved=states["done"],
        field_visits=states["field_visit"],
        still_open=states["pending"] + states["retry"] + states["callback"],
        urgent_first_call=wait_summary(first_calls),
        urgent_solved=wait_summary(solved_waits),
        urgent_never_called=never,
        solved_per_hour=per_hour,
        outcomes=outcomes,
    )
