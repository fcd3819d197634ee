"""Intake: an inbound call becomes a case, worked from the same queue as the outbound lists.

A case is a task of the day's inbound list (batches.kind 'inbound', "来电 11-22") with a cases
row. So claims, leases, undo, history, find by phone, reports and exports work for it as for any
task. Two ways in:

- ``take(store, Intake(...), operator, complete=True)``: the operator filled the group's form
  during the call (and read the pledge out): the case is complete at once, "ready" to submit;
  the call is recorded on it as the config's verified outcome.
- ``complete=False``: registered (phone, group, what is known) and left in the queue, first come
  first served by its aging score (its group's and flags' head start); whoever gets the card
  calls back, answers the form on the card and records the verified outcome: ``on_record``
  (called by the store inside that outcome's transaction) completes the case.

A case that is complete has every ``required`` answer of its form and, when the form has a
pledge, the pledge: the hash of the text read out (pledge_texts keeps the words), who recorded
the resident's spoken agreement and when. No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callroom.config import Config, Outcome
from callroom.inbound import APPROVED, CLOSED, OPEN, READY, REJECTED, flags_text, roster
from callroom.scripts import FORM_PREFIX, Script, ScriptError, ScriptLibrary, ScriptRun
from callroom.store import Store, StoreError, Task, fmt, priority_for

_CASE_SNAPSHOT = ("answers", "status", "intake_at", "intake_by", "pledge_hash", "pledge_by",
                  "pledge_at")  # fmt: skip


@dataclass(frozen=True)
class Case:
    task_id: int
    grp: str
    form: str
    answers: dict[str, str]
    status: str
    first_contact_at: str
    taken_by: str
    roster_id: int | None = None
    linked_task: int | None = None
    intake_at: str | None = None
    intake_by: str | None = None
    pledge_hash: str | None = None
    pledge_by: str | None = None
    pledge_at: str | None = None
    appeal_batch: str | None = None
    submitted_at: str | None = None
    first_submitted_at: str | None = None
    decision: str | None = None
    decision_reason: str = ""
    decided_at: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Case:
        data = dict(row)
        kwargs = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        kwargs["answers"] = json.loads(data.get("answers") or "{}")
        return cls(**kwargs)


@dataclass(frozen=True)
class Pledge:
    """The resident agreed to the pledge read out: which words (their hash), when."""

    text: str
    lang: str
    at: datetime

    @property
    def hash(self) -> str:
        from callroom.scripts import pledge_hash

        return pledge_hash(self.text)


@dataclass
class Intake:
    """What the operator took down during an inbound call."""

    phone: str  # E.164
    group: str
    answers: dict[str, str] = field(default_factory=dict)
    urgent: bool = False  # the green channel: a critical case
    note: str = ""
    pledge: Pledge | None = None
    first_contact: datetime | None = None  # default: now
    seconds: int | None = None  # how long the intake took


@dataclass(frozen=True)
class Taken:
    task_id: int
    complete: bool
    flags: tuple[str, ...]
    compound: str
    roster: int  # roster entries matched
    linked_task: int | None
    group: str = ""
    phone: str = ""
    name: str = ""


@dataclass(frozen=True)
class Known:
    """What the desk already knows of a caller: her tasks (lists and cases), her roster entries."""

    e164: str | None
    tasks: list[Task]
    roster: list[roster.Entry]


def get_case(conn: Any, task_id: int) -> Case | None:
    row = conn.execute("SELECT * FROM cases WHERE task_id = ?", (task_id,)).fetchone()
    return Case.from_row(row) if row is not None else None


def lookup(store: Store, phone_text: str = "", id_number: str = "") -> Known:
    """The resident's tasks and roster entries by a number typed in any format and/or an ID."""
    from callroom.phones import to_e164

    e164 = to_e164(phone_text, store.config.region) if phone_text.strip() else None
    tasks = store.find_by_phone(phone_text) if e164 else []
    if id_number:
        seen = {t.id for t in tasks}
        rows = store.conn.execute(
            "SELECT id FROM tasks WHERE id_number = ? ORDER BY id DESC LIMIT 20", (id_number,)
        ).fetchall()
        tasks += [store.get_task(r[0]) for r in rows if r[0] not in seen]
    entries = roster.entries_for(store.conn, [e164] if e164 else [], id_number)
    return Known(e164, tasks, entries)


def form_of(config: Config, grp: str, library: ScriptLibrary | None = None) -> Script:
    """The form of a group (raises StoreError naming the group and the problem)."""
    group = config.group(grp)
    if group is None:
        raise StoreError("intake.unknown_group", group=grp,
                         known=", ".join(g.code for g in config.groups))  # fmt: skip
    library = library or ScriptLibrary(config.scripts_folder)
    try:
        return library.get(FORM_PREFIX + group.form)
    except ScriptError as exc:
        raise StoreError(
            "intake.form_broken", group=group.label(config.lang), detail=str(exc)
        ) from None


def missing(script: Script, answers: dict[str, str], pledged: bool) -> list[str]:
    """What a case still needs before it is complete: required answers (question ids, in form
    order) and "pledge" when the form has one and none was recorded."""
    run = ScriptRun(script, answers)
    need = [q.id for q in run.missing_for("", complete=True)]
    if script.pledge and not pledged:
        need.append("pledge")
    return need


def verified_outcome(config: Config) -> Outcome:
    """The outcome a completed intake is recorded as: the first final, verified one."""
    for o in config.outcomes:
        if o.kind == "final" and o.verified:
            return o
    raise StoreError("intake.no_verified_outcome")


def _clean(script: Script, answers: dict[str, str]) -> dict[str, str]:
    """Only answers to the form's questions, as text."""
    ids = {q.id for q in script.questions}
    return {k: str(v) for k, v in answers.items() if k in ids and str(v).strip()}


def _id_answer(script: Script, answers: dict[str, str]) -> str:
    for q in script.questions:
        if q.type == "id_number" and answers.get(q.id):
            return answers[q.id]
    return ""


def _name_answer(answers: dict[str, str]) -> str:
    return answers.get("name", "")[:60]


def inbound_batch(store: Store, now: datetime, operator: str) -> int:
    """Inside a write transaction: the day's inbound list, made on the day's first case."""
    row = store.conn.execute(
        "SELECT id FROM batches WHERE kind = 'inbound' AND substr(imported_at, 1, 10) = ? "
        "ORDER BY id LIMIT 1",
        (now.date().isoformat(),),
    ).fetchone()
    if row is not None:
        return int(row[0])
    name = f"{store.config.inbound_list} {now:%m-%d}"
    batch_id = store.insert_batch_row(name, operator)
    store.conn.execute("UPDATE batches SET kind = 'inbound', script = '' WHERE id = ?", (batch_id,))
    return batch_id


def take(store: Store, intake: Intake, operator: str, complete: bool) -> Taken:
    """Make the case: complete (the verified outcome recorded on it, ready to submit) or left in
    the queue to be called back. One transaction; refuses an incomplete "complete" case."""
    cfg = store.config
    group = cfg.group(intake.group)
    script = form_of(cfg, intake.group)
    assert group is not None
    answers = _clean(script, intake.answers)
    if complete and (need := missing(script, answers, intake.pledge is not None)):
        raise StoreError("intake.incomplete", fields=_fields(script, need, cfg.lang))
    now = store.now()
    first = (intake.first_contact or now).replace(microsecond=0)
    id_number = _id_answer(script, answers)
    with store.transaction() as conn:
        batch_id = inbound_batch(store, now, operator)
        seq = conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM tasks WHERE batch_id = ?", (batch_id,)
        ).fetchone()[0]
        entries = roster.entries_for(conn, [intake.phone], id_number)
        flags = set(group.flags)
        for e in entries:
            flags |= e.flags
        if intake.urgent:
            flags.add("urgent")
        compound = next((e.compound for e in entries if e.compound), "")
        address = next((e.place for e in entries if e.place), "")
        linked = _latest_list_task(conn, intake.phone, id_number)
        text = flags_text(frozenset(flags))
        task_id = store.insert_task_row(
            batch_id, seq,
            {"phone": intake.phone, "name": _name_answer(answers), "id_number": id_number,
             "flags": [f for f in text.split(",") if f], "priority": priority_for(flags),
             "grp": group.code, "compound": compound, "address": address,
             "source_note": intake.note[:200]},
            fmt(first) or "", None,
        )  # fmt: skip
        conn.execute("UPDATE tasks SET updated_at = ? WHERE id = ?", (fmt(now), task_id))
        conn.execute(
            "INSERT INTO cases (task_id, grp, form, answers, status, roster_id, linked_task, "
            "first_contact_at, taken_by) VALUES (?,?,?,?,?,?,?,?,?)",
            (task_id, group.code, group.form, json.dumps(answers, ensure_ascii=False), OPEN,
             entries[0].id if entries else None, linked[0] if linked else None, fmt(first),
             operator),
        )  # fmt: skip
        conn.execute(
            "UPDATE batches SET tasks_created = tasks_created + 1, rows_read = rows_read + 1 "
            "WHERE id = ?",
            (batch_id,),
        )
        store.add_event(
            "intake", operator, task_id, batch_id,
            detail={"group": group.code, "complete": complete, "flags": text,
                    "roster": len(entries), "linked": linked[0] if linked else None},
        )  # fmt: skip
        if complete:
            store._record(
                task_id, verified_outcome(cfg).code, operator, answers, intake.note, None,
                False, intake.phone, intake.seconds, "card", pledge=intake.pledge,
            )  # fmt: skip
    return Taken(
        task_id, complete, tuple(f for f in text.split(",") if f), compound, len(entries),
        linked[0] if linked else None, group.code, intake.phone, _name_answer(answers),
    )  # fmt: skip


def _latest_list_task(conn: Any, phone: str, id_number: str) -> tuple[int] | None:
    """The resident's latest task on an outbound list, by phone or ID: two index seeks (an OR
    of the two would scan the tasks)."""
    found = [
        conn.execute("SELECT max(id) FROM tasks WHERE phone = ? AND grp = ''", (phone,)).fetchone()[
            0
        ]
    ]
    if id_number:
        found.append(
            conn.execute(
                "SELECT max(id) FROM tasks WHERE id_number = ? AND grp = ''", (id_number,)
            ).fetchone()[0]
        )
    best = max((i for i in found if i is not None), default=None)
    return (best,) if best is not None else None


def _fields(script: Script, need: list[str], lang: str) -> str:
    from callroom.i18n import t

    labels = []
    for qid in need:
        if qid == "pledge":
            labels.append(t("intake.pledge", lang))
        else:
            q = next(q for q in script.questions if q.id == qid)
            labels.append(q.export_label(lang))
    return ", ".join(labels)


def snapshot(conn: Any, task_id: int) -> dict[str, Any] | None:
    """A case's fields an outcome may change, for undo (kept in the attempt's `prev`)."""
    row = conn.execute(
        f"SELECT {', '.join(_CASE_SNAPSHOT)} FROM cases WHERE task_id = ?", (task_id,)
    ).fetchone()
    return dict(row) if row is not None else None


def restore(conn: Any, task_id: int, snap: dict[str, Any]) -> None:
    """Undo: the case as it was before the outcome."""
    sets = ", ".join(f"{k} = :{k}" for k in _CASE_SNAPSHOT)
    conn.execute(
        f"UPDATE cases SET {sets}, version = version + 1 WHERE task_id = :task_id",
        {**{k: snap.get(k) for k in _CASE_SNAPSHOT}, "task_id": task_id},
    )


def on_record(
    store: Store,
    task_id: int,
    outcome: Outcome,
    answers: dict[str, Any],
    pledge: Pledge | None,
    operator: str,
    now: datetime,
) -> None:
    """Inside the transaction of an outcome recorded on a case: a final verified outcome
    completes it (refused, with nothing written, while the form lacks a required answer or the
    pledge); another final outcome closes it without an appeal; a retry or callback leaves it."""
    conn = store.conn
    case = get_case(conn, task_id)
    if case is None or outcome.kind != "final":
        return
    if not outcome.verified:
        conn.execute(
            "UPDATE cases SET status = ?, version = version + 1 WHERE task_id = ?",
            (CLOSED, task_id),
        )
        return
    cfg = store.config
    script = form_of(cfg, case.grp) if cfg.group(case.grp) else _form_by_name(cfg, case.form)
    merged = {**case.answers, **_clean(script, answers)}
    pledged = pledge is not None or case.pledge_hash is not None
    if need := missing(script, merged, pledged):
        raise StoreError("intake.incomplete", fields=_fields(script, need, cfg.lang))
    sets = ["answers = ?", "status = ?", "intake_at = coalesce(intake_at, ?)",
            "intake_by = coalesce(intake_by, ?)"]  # fmt: skip
    params: list[Any] = [json.dumps(merged, ensure_ascii=False), READY, fmt(now), operator]
    if pledge is not None:
        sets += ["pledge_hash = ?", "pledge_by = ?", "pledge_at = ?"]
        params += [pledge.hash, operator, fmt(pledge.at)]
        conn.execute(
            "INSERT OR IGNORE INTO pledge_texts (hash, form, lang, text, first_used_at) "
            "VALUES (?,?,?,?,?)",
            (pledge.hash, case.form, pledge.lang, pledge.text.strip(), fmt(now)),
        )
    conn.execute(
        f"UPDATE cases SET {', '.join(sets)}, version = version + 1 WHERE task_id = ?",
        (*params, task_id),
    )
    id_number = _id_answer(script, merged)
    name = _name_answer(merged)
    entries = roster.entries_for(conn, [], id_number) if id_number else []
    compound = next((e.compound for e in entries if e.compound), "")
    conn.execute(
        "UPDATE tasks SET name = CASE WHEN ? != '' THEN ? ELSE name END, "
        "id_number = CASE WHEN ? != '' THEN ? ELSE id_number END, "
        "compound = CASE WHEN compound = '' THEN ? ELSE compound END WHERE id = ?",
        (name, name, id_number, id_number, compound, task_id),
    )


def _form_by_name(config: Config, form: str) -> Script:
    try:
        return ScriptLibrary(config.scripts_folder).get(FORM_PREFIX + form)
    except ScriptError as exc:
        raise StoreError("intake.form_broken", group=form, detail=str(exc)) from None


def decide(
    store: Store, task_id: int, decision: str, reason: str, operator: str, batch_no: str | None
) -> str:
    """Inside a write transaction: the reviewers' decision on a submitted case. Approved stays
    closed; rejected comes back to the queue (its reason on the card). Returns the new status."""
    now = fmt(store.now())
    conn = store.conn
    if decision == APPROVED:
        conn.execute(
            "UPDATE cases SET status = ?, decision = ?, decision_reason = ?, decided_at = ?, "
            "version = version + 1 WHERE task_id = ?",
            (APPROVED, APPROVED, reason, now, task_id),
        )
    else:
        conn.execute(
            "UPDATE cases SET status = ?, decision = ?, decision_reason = ?, decided_at = ?, "
            "version = version + 1 WHERE task_id = ?",
            (REJECTED, REJECTED, reason, now, task_id),
        )
        conn.execute(
            "UPDATE tasks SET state = 'pending', next_at = NULL, noncontacts = 0, "
            "final_outcome = NULL, closed_at = NULL, closed_by = NULL, claim_by = NULL, "
            "claim_session = NULL, lease_until = NULL, version = version + 1, updated_at = ? "
            "WHERE id = ?",
            (now, task_id),
        )
    # the reason may name the resident's circumstances: the audit log keeps its length only
    store.add_event("decision", operator, task_id,
                    detail={"decision": decision, "batch": batch_no, "reason_chars": len(reason)})  # fmt: skip
    return APPROVED if decision == APPROVED else REJECTED
