"""What the lead sees of the inbound desk: the one source of its figures for the lead pane, every
`callroom report` format and `callroom drill --inbound` (the drill's two measures, live).

- waiting: cases in the queue (not yet complete, or rejected and back) per group, and the
  oldest wait (since the first contact, or since the rejection for a case that came back);
- wait from first contact to intake (the form complete) and to submission (the first export
  for review), p50 / p90 / max in minutes, for the urgent cases (flag "urgent": the green
  channel) and for all;
- decisions pending (submitted, no decision yet) and the time from submission to decision;
- cases solved (intake complete) on the day, and per hour since the day's first contact.

A case counts when its task is in the report's lists (the day's inbound list, and earlier ones
with cases still open). No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from callroom.inbound import APPROVED, OPEN, READY, REJECTED, SUBMITTED
from callroom.store import fmt, parse_time

WAITING_STATES = ("pending", "retry", "callback")


@dataclass
class GroupLine:
    group: str  # the group's code ([[inbound.groups]]); its label is the reader's language
    cases: int
    waiting: int
    oldest_minutes: int | None
    ready: int  # complete, to be submitted
    pending: int  # submitted, no decision yet
    approved: int
    rejected: int  # rejected and not complete again yet


@dataclass
class InboundFigures:
    cases: int = 0
    groups: list[GroupLine] = field(default_factory=list)
    waiting: int = 0
    oldest_minutes: int | None = None
    ready: int = 0
    # "urgent" / "all" -> {count, median, p90, max} in minutes (empty: no case got that far)
    to_intake: dict[str, dict[str, float]] = field(default_factory=dict)
    to_submission: dict[str, dict[str, float]] = field(default_factory=dict)
    pending_decisions: int = 0
    to_decision: dict[str, float] = field(default_factory=dict)
    solved: int = 0  # intake complete on the day
    solved_per_hour: float = 0.0


def _minutes(a: str | None, b: str | None) -> float | None:
    start, end = parse_time(a), parse_time(b)
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds() / 60)


def build(
    conn: Any, batch_ids: list[int], now: datetime, day: date, order: list[str]
) -> InboundFigures:
    """The figures over the cases of ``batch_ids`` at ``now``; ``order``: the groups' codes as
    configured (groups no longer configured follow)."""
    from callroom.reports import wait_summary  # reports imports this module

    if not batch_ids:
        return InboundFigures()
    marks = ",".join("?" * len(batch_ids))
    rows = conn.execute(
        f"""
        SELECT c.grp, c.status, c.first_contact_at, c.intake_at, c.first_submitted_at,
               c.submitted_at, c.decided_at, c.decision, t.state, t.flags
        FROM cases c JOIN tasks t ON t.id = c.task_id
        WHERE t.batch_id IN ({marks})
        """,
        batch_ids,
    ).fetchall()
    if not rows:
        return InboundFigures()
    start = datetime.combine(day, datetime.min.time())
    end = start + timedelta(days=1)
    day_from, day_to = fmt(start) or "", fmt(end) or ""
    lines: dict[str, GroupLine] = {}
    intake: dict[str, list[float]] = {"urgent": [], "all": []}
    submission: dict[str, list[float]] = {"urgent": [], "all": []}
    decision: list[float] = []
    solved = 0
    first_today: str | None = None
    for r in rows:
        line = lines.setdefault(r["grp"], GroupLine(r["grp"], 0, 0, None, 0, 0, 0, 0))
        line.cases += 1
        status = r["status"]
        if status in (OPEN, REJECTED) and r["state"] in WAITING_STATES:
            line.waiting += 1
            since = r["decided_at"] if status == REJECTED else r["first_contact_at"]
            waited = _minutes(since, fmt(now))
            if waited is not None:
                line.oldest_minutes = max(line.oldest_minutes or 0, int(waited))
        line.ready += status == READY
        line.pending += status == SUBMITTED
        line.approved += status == APPROVED
        line.rejected += status == REJECTED
        urgent = "urgent" in (r["flags"] or "").split(",")
        kinds = ("urgent", "all") if urgent else ("all",)
        if (m := _minutes(r["first_contact_at"], r["intake_at"])) is not None:
            for k in kinds:
                intake[k].append(m)
        if (m := _minutes(r["first_contact_at"], r["first_submitted_at"])) is not None:
            for k in kinds:
                submission[k].append(m)
        if r["decision"] and (m := _minutes(r["submitted_at"], r["decided_at"])) is not None:
            decision.append(m)
        if r["intake_at"] and day_from <= r["intake_at"] < day_to:
            solved += 1
        contact = r["first_contact_at"]
        if (
            contact
            and day_from <= contact < day_to
            and (first_today is None or contact < first_today)
        ):
            first_today = contact
    rank = {code: i for i, code in enumerate(order)}
    groups = sorted(lines.values(), key=lambda g: (rank.get(g.group, len(rank)), g.group))
    oldest = [g.oldest_minutes for g in groups if g.oldest_minutes is not None]
    # per hour since the day's first call came in (at least an hour: no extrapolated rates)
    hours = 1.0
    if first_today is not None:
        hours = max(
            1.0, ((min(now, end) - (parse_time(first_today) or now)).total_seconds()) / 3600
        )
    return InboundFigures(
        cases=len(rows),
        groups=groups,
        waiting=sum(g.waiting for g in groups),
        oldest_minutes=max(oldest) if oldest else None,
        ready=sum(g.ready for g in groups),
        to_intake={k: wait_summary(v) for k, v in intake.items()},
        to_submission={k: wait_summary(v) for k, v in submission.items()},
        pending_decisions=sum(g.pending for g in groups),
        to_decision=wait_summary(decision),
        solved=solved,
        solved_per_hour=round(solved / hours, 1),
    )
