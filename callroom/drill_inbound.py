"""Inbound surge drill (`callroom drill --inbound N`): residents ring in over the day and the
callers work their cases from the real queue, with and without triage.

Simulated time on a scratch database, deterministic for a seed, through the production code:
each arrival is registered at the desk (`desk.take`, left in the queue like Ctrl+L at the
intake), the callers claim cards (`Store.next_card`: the aging score), call back, and record the
verified outcome with the form's answers and the pledge (`Store.record`, which completes the
case) or no answer (the retry rule brings it back). The day's outbound lists can wait in the same
queue (``outbound``). The figures are the lead pane's (`callroom.inbound.figures`): wait from
first contact to intake (urgent and all), cases solved per hour, what is still waiting.

- arrival curve: a surge that peaks in the first hour and tails off (a beta(1.5, 4) shape over
  the first three quarters of the day);
- groups: the mix of a surge after a case passed a public place (SURGE_MIX; a group missing
  from it weighs 5);
- urgent share: the green channel (flag "urgent").
Without triage every head start is zero (drill.without_triage): first come, first served.
"""

from __future__ import annotations

import heapq
import random
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from callroom.config import Config
from callroom.drill import (
    DAY_START,
    WRAP_UP_SECONDS,
    DrillError,
    _check_odds,
    _SimClock,
    without_triage,
)
from callroom.inbound import desk
from callroom.inbound.figures import InboundFigures
from callroom.inbound.figures import build as build_figures
from callroom.scripts import Script

# who rings in after a case passed a shopping centre (weights)
SURGE_MIX = {
    "passed_through": 30, "away": 22, "student": 18, "elderly_disabled": 10, "patient": 8,
    "pregnant": 5, "other": 7,
}  # fmt: skip
ID_FOR_DRILL = "110105194912310029"  # a valid check digit (invented)


@dataclass(frozen=True)
class InboundSettings:
    cases: int = 400
    urgent_share: float = 0.1
    callers: int = 4
    minutes: int = 240
    seed: int = 1
    triage: bool = True
    outbound: int = 0  # outbound tasks waiting in the same queue when the day starts
    intake_seconds: int = 150  # a call back that completes the form
    reach_share: float = 0.85  # call backs that reach the resident


@dataclass
class InboundResult:
    settings: InboundSettings
    figures: InboundFigures
    calls: int
    urgent_waiting: int  # urgent cases still in the queue when the day ends
    outbound_done: int


def run_inbound(
    config: Config, settings: InboundSettings, workdir: Path | None = None
) -> InboundResult:
    if settings.cases < 1 or settings.callers < 1 or settings.minutes < 1:
        raise DrillError("drill.at_least_one")
    if not 0 <= settings.urgent_share <= 1:
        raise DrillError("drill.urgent_share")
    if not config.groups:
        raise DrillError("drill.no_groups")
    from callroom.store import Store

    start = datetime.combine(datetime(2026, 1, 5).date(), DAY_START)  # a fixed Monday
    clock = _SimClock(start)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        # a scratch SQLite file, never the configured database (nor a street's PostgreSQL)
        cfg = replace(config, database=Path(tmp) / "drill.db", database_url="", shared_group="")
        if not settings.triage:
            cfg = without_triage(cfg)
        stores = [
            Store(cfg, clock=clock, durable=False, create=i == 0) for i in range(settings.callers)
        ]
        try:
            return _simulate(cfg, settings, stores, clock, start)
        finally:
            for s in stores:
                s.close()


def _answers(form: Script, day: str) -> dict[str, str]:
    """Valid answers to every question of a form (what the caller types in the call back)."""
    out: dict[str, str] = {}
    for q in form.questions:
        if q.type == "id_number":
            out[q.id] = ID_FOR_DRILL
        elif q.type == "date":
            out[q.id] = day
        elif q.type == "phone":
            out[q.id] = "+8613900000000"
        elif q.type == "yesno":
            out[q.id] = "yes"
        elif q.type == "choice" and q.choices:
            out[q.id] = q.choices[0].value
        else:
            out[q.id] = "drill"
    return out


def _simulate(cfg: Config, s: InboundSettings, stores: list[Any], clock: _SimClock,
              start: datetime) -> InboundResult:  # fmt: skip
    rng = random.Random(s.seed)
    end = start + timedelta(minutes=s.minutes)
    groups = [g.code for g in cfg.groups]
    weights = [SURGE_MIX.get(g, 5) for g in groups]
    forms = {g: desk.form_of(cfg, g) for g in groups}
    verified = desk.verified_outcome(cfg).code
    no_answer = next(o.code for o in cfg.outcomes if o.kind == "retry")
    codes, odds = _check_odds(cfg, cfg.drill_odds)
    if s.outbound:
        stores[0].add_batch("drill", [{"phone": f"+86139{i:08d}"} for i in range(s.outbound)],
                            "drill")  # fmt: skip
    # events: (time, seq, kind, who, task_id, code); kinds: arrive, free (a caller wants the
    # next card), done (the call on task_id ends with code)
    events: list[tuple[datetime, int, str, int, int, str]] = []
    seq = 0
    span = s.minutes * 0.75
    for i in range(s.cases):
        at = start + timedelta(minutes=span * rng.betavariate(1.5, 4))
        heapq.heappush(events, (at, seq, "arrive", i, 0, ""))
        seq += 1
    for c in range(s.callers):
        heapq.heappush(events, (start, seq, "free", c, 0, ""))
        seq += 1
    urgent = {i for i in range(s.cases) if rng.random() < s.urgent_share}
    group_of = rng.choices(groups, weights, k=s.cases)
    day = start.date().isoformat()
    calls = 0
    while events:
        at, _, kind, who, task_id, code = heapq.heappop(events)
        if at >= end:
            continue
        clock.now = at
        if kind == "arrive":
            intake = desk.Intake(f"+86137{who:08d}", group_of[who],
                                 _answers(forms[group_of[who]], day), urgent=who in urgent,
                                 first_contact=at)  # fmt: skip
            desk.take(stores[0], intake, "desk", complete=False)
            continue
        store, operator = stores[who], f"caller{who + 1}"
        if kind == "free":
            card = store.next_card(operator)
            if card is None:
                heapq.heappush(events, (at + timedelta(minutes=1), seq, "free", who, 0, ""))
            else:
                if card.is_case:
                    reached = rng.random() < s.reach_share
                    code = verified if reached else no_answer
                    mean = s.intake_seconds if reached else cfg.drill_not_reached_seconds
                else:
                    code = rng.choices(codes, odds)[0]
                    contact = cfg.outcome(code).aapor != "non_contact"
                    mean = cfg.drill_reached_seconds if contact else cfg.drill_not_reached_seconds
                talk = timedelta(seconds=mean * rng.uniform(0.5, 1.5))
                heapq.heappush(events, (at + talk, seq, "done", who, card.id, code))
            seq += 1
            continue
        task = store.get_task(task_id)
        pledge = None
        if task.is_case and code == verified:
            form = forms.get(task.grp)
            if form is not None and form.pledge:
                pledge = desk.Pledge(form.pledge_text(cfg.lang), cfg.lang, at)
        outcome = cfg.outcome(code)
        callback_at = (
            at + timedelta(minutes=rng.randint(30, 120)) if outcome.kind == "callback" else None
        )
        store.record(task_id, code, operator, note="drill" if outcome.needs_note else "",
                     callback_at=callback_at, pledge=pledge)  # fmt: skip
        calls += 1
        heapq.heappush(events, (at + timedelta(seconds=WRAP_UP_SECONDS), seq, "free", who, 0, ""))
        seq += 1
    clock.now = end
    conn = stores[0].conn
    ids = [r[0] for r in conn.execute("SELECT id FROM batches ORDER BY id")]
    figures = build_figures(conn, ids, end, start.date(), groups)
    urgent_waiting = conn.execute(
        "SELECT count(*) FROM cases c JOIN tasks t ON t.id = c.task_id WHERE c.status = 'open' "
        "AND t.state IN ('pending', 'retry', 'callback') AND ',' || t.flags || ',' LIKE '%,urgent,%'"
    ).fetchone()[0]
    outbound_done = conn.execute(
        "SELECT count(*) FROM tasks WHERE grp = '' AND state NOT IN ('pending', 'retry', 'callback')"
    ).fetchone()[0]
    return InboundResult(s, figures, calls, urgent_waiting, outbound_done)
