"""The lead's figures, checked number by number on a morning where every AAPOR class occurs.

Three callers work three lists from 08:00; the report is read at 10:05:30. Every figure below was
worked out by hand from the timeline in `morning`, not read back from the code.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom import reports
from callroom.cli import app
from callroom.config import Config
from callroom.reports import wait_summary
from callroom.store import Store

from conftest import Clock, add_tasks, phone

runner = CliRunner()
DAY = datetime(2026, 11, 2)


def at(hh_mm_ss: str) -> datetime:
    h, m, *s = (int(x) for x in hh_mm_ss.split(":"))
    return DAY.replace(hour=h, minute=m, second=s[0] if s else 0)


def call(store: Store, op: str, task_id: int, outcome: str, **kw: object) -> None:
    store.claim_task(task_id, op)
    store.record(task_id, outcome, op, **kw)  # type: ignore[arg-type]


@pytest.fixture
def morning(config: Config, clock: Clock) -> dict[str, int]:
    """Lists 1102名单 (10 rows, due 09:45), 加急 (09:00) and 加急2 (09:30); task ids by name.

    The outcome of every task, by AAPOR class (12 tasks, 11 eligible):
      complete 4: 居民0 verified (urgent), 居民1 already tested, 居民7 verified, 急件甲 verified
      refusal 1: 居民2 | non-contact 2: 居民3 no answer, 居民8 powered off (pregnant)
      other 1: 居民4 agreed a callback at 11:00
      unknown 3: 居民5 empty number (field visit), 居民9 (its only call undone), 急件乙 (on a card)
      not eligible 1: 居民6 wrong person
    """
    clock.now = at("08:00")
    alice, bob, carol = (Store(config, clock=clock) for _ in range(3))
    rows = [{"phone": phone(i), "name": f"居民{i}", "address": f"福田路{i}号"} for i in range(10)]
    rows[0]["flags"], rows[1]["flags"], rows[8]["flags"] = ["urgent"], ["elderly"], ["pregnant"]
    alice.add_batch("1102名单", rows, "lead", deadline=at("09:45"))
    ids = {r["name"]: r["id"] for r in alice.conn.execute("SELECT id, name FROM tasks")}

    def at_time(when: str, store: Store, op: str, name: str, outcome: str, **kw: object) -> None:
        clock.now = at(when)
        call(store, op, ids[name], outcome, **kw)

    at_time("08:07:20", alice, "alice", "居民0", "verified")
    at_time("08:10", bob, "bob", "居民1", "already_tested")
    at_time("08:20", alice, "alice", "居民2", "refused", note="不愿配合")
    at_time("08:30", bob, "bob", "居民3", "no_answer")  # back at 09:30
    at_time("08:40", alice, "alice", "居民4", "callback", callback_at=at("11:00"))
    at_time("08:50", bob, "bob", "居民5", "empty_number")
    at_time("09:00", alice, "alice", "居民6", "wrong_person", note="号码已换人")
    alice.add_batch("加急", [{"phone": phone(20), "name": "急件甲", "flags": ["urgent"]}], "lead")
    ids.update({r["name"]: r["id"] for r in alice.conn.execute("SELECT id, name FROM tasks")})
    at_time("09:05:30", bob, "bob", "急件甲", "verified")
    at_time("09:10", alice, "alice", "居民7", "verified")
    at_time("09:20", bob, "bob", "居民8", "powered_off")  # back at 11:20
    at_time("09:25", alice, "alice", "居民9", "verified")  # a slip of the finger...
    clock.now = at("09:26")
    alice.undo_last("alice")  # ...undone: the call does not count anywhere
    alice.release(ids["居民9"], "alice")
    clock.now = at("09:30")
    alice.add_batch("加急2", [{"phone": phone(21), "name": "急件乙", "flags": ["urgent"]}], "lead")
    ids.update({r["name"]: r["id"] for r in alice.conn.execute("SELECT id, name FROM tasks")})
    clock.now = at("09:31")
    bob.log_event("pause", "bob")
    clock.now = at("09:50")
    carol.claim_task(ids["居民9"], "carol")
    clock.now = at("09:51")
    carol.release(ids["居民9"], "carol")
    clock.now = at("10:02")
    alice.claim_task(ids["急件乙"], "alice")  # on her screen, not called yet
    clock.now = at("10:05:30")
    return ids


def test_every_aapor_class_counts_in_its_own_place(config: Config, clock: Clock, morning) -> None:
    with Store(config, clock=clock) as store:
        r = reports.build(store).rates
    assert (r.complete, r.refusal, r.non_contact, r.other, r.unknown, r.not_eligible) == (
        4, 1, 2, 1, 3, 1,
    )  # fmt: skip
    assert r.response == 0.3636  # RR1 = I / (I+R+NC+O+U) = 4/11
    assert r.cooperation == 0.6667  # COOP1 = I / (I+R+O) = 4/6: "other" counts as a contact
    assert r.refusal_rate == 0.0909  # REF1 = R / 11
    assert r.contact == 0.5455  # CON1 = (I+R+O) / 11 = 6/11
    assert (r.verified, r.verified_rate) == (4, 0.3333)  # matched: 4 of all 12 tasks


def test_progress_outcomes_calls_and_slots(config: Config, clock: Clock, morning) -> None:
    with Store(config, clock=clock) as store:
        rep = reports.build(store)
    assert (rep.at, rep.day, rep.total, rep.done) == ("2026-11-02 10:05:30", "2026-11-02", 12, 7)
    a, b, c = rep.batches
    # 20 min 30 s past the deadline: 21 minutes late, counted in whole minutes begun
    assert (a.id, a.name, a.total, a.done, a.deadline, a.minutes_left) == (
        1, "1102名单", 10, 6, "2026-11-02 09:45:00", -21,
    )  # fmt: skip
    assert a.by_state == {"done": 5, "retry": 2, "callback": 1, "field_visit": 1, "pending": 1}
    assert a.share == 0.6
    assert (b.id, b.name, b.total, b.done, b.by_state, b.deadline, b.minutes_left) == (
        2, "加急", 1, 1, {"done": 1}, None, None,
    )  # fmt: skip
    assert (c.name, c.done, c.by_state, c.share) == ("加急2", 0, {"pending": 1}, 0.0)
    # matched per list (the outcomes marked verified): 居民0, 居民1 and 居民7 (not the undone
    # 居民9); 急件甲
    assert [(x.verified, x.verified_share) for x in (a, b, c)] == [(3, 0.3), (1, 1.0), (0, 0.0)]
    assert rep.verified == 4
    # how the 7 done tasks ended: the field visit by its state, the others by final outcome
    assert rep.ended == {
        "verified": 3, "already_tested": 1, "refused": 1, "wrong_person": 1, "field_visit": 1,
    }  # fmt: skip
    assert sum(rep.ended.values()) == rep.done
    assert rep.counts == {
        "urgent": 2, "overdue": 4, "callbacks_due": 0, "field_visits": 1, "refused": 2,
    }  # fmt: skip
    assert rep.calls_by_outcome == {
        "verified": 3,
        "already_tested": 1,
        "refused": 1,
        "no_answer": 1,
        "callback": 1,
        "empty_number": 1,
        "wrong_person": 1,
        "powered_off": 1,
    }  # fmt: skip (the undone call at 09:25 is not among them)
    assert rep.calls == 10
    assert len(rep.slots) == 48
    assert rep.slots[16:19] == [3, 3, 4]  # 08:00-08:30, 08:30-09:00, 09:00-09:30
    assert sum(rep.slots) == 10


def test_callers_rate_status_and_last_activity(config: Config, clock: Clock, morning) -> None:
    with Store(config, clock=clock) as store:
        rows = {c.operator: c for c in reports.build(store).callers}
    assert list(rows) == ["alice", "bob", "carol"]
    alice, bob, carol = rows["alice"], rows["bob"], rows["carol"]
    # 5 calls from 08:07:20 to 09:10 (62 min 40 s): 4.79 an hour
    assert (alice.calls, alice.completes, alice.calls_per_hour) == (5, 2, 4.8)
    assert (alice.status, alice.since, alice.last_activity) == (
        "on_card", "2026-11-02 10:02:00", "2026-11-02 10:02:00",
    )  # fmt: skip
    # 5 calls from 08:10 to 09:20 (70 min): 4.29 an hour
    assert (bob.calls, bob.completes, bob.calls_per_hour) == (5, 2, 4.3)
    assert (bob.status, bob.since, bob.last_activity) == (
        "paused", "2026-11-02 09:31:00", "2026-11-02 09:31:00",
    )  # fmt: skip
    assert (carol.calls, carol.completes, carol.calls_per_hour) == (0, 0, 0.0)
    assert (carol.status, carol.since, carol.last_activity) == (
        "idle", "2026-11-02 09:51:00", "2026-11-02 09:51:00",
    )  # fmt: skip


def test_two_quick_calls_are_not_read_as_a_hundred_an_hour(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as s:
        s.add_batch("l", [{"phone": phone(i)} for i in range(3)], "lead")
        for i in (1, 2):
            call(s, "dan", i, "no_answer")
            clock.advance(minutes=2)
        [dan] = reports.build(s).callers
    assert dan.calls_per_hour == 4.0  # 2 calls over at least half an hour


def test_decision_lists_with_waits_and_due_times(config: Config, clock: Clock, morning) -> None:
    def lines(items: list[reports.TaskLine]) -> list[tuple[object, ...]]:
        return [(x.name, x.state, x.outcome, x.waited_minutes, x.due, x.note) for x in items]

    def where(items: list[reports.TaskLine]) -> list[tuple[object, ...]]:
        return [(x.id, x.batch, x.seq, x.phone, x.flags, x.attempts) for x in items]

    ids = morning

    with Store(config, clock=clock) as store:
        rep = reports.build(store)
        # most urgent first, then the oldest; waits from import until now for open tasks
        assert lines(rep.urgent) == [
            ("急件乙", "pending", None, 35, None, ""),
            ("居民8", "retry", None, 125, "2026-11-02 11:20:00", ""),
        ]
        assert where(rep.urgent) == [
            (ids["急件乙"], "加急2", 1, phone(21), ("urgent",), 0),
            (ids["居民8"], "1102名单", 9, phone(8), ("pregnant",), 1),
        ]
        # past the list's 09:45 deadline, still open; due: the retry or callback time, else the
        # deadline
        assert lines(rep.overdue) == [
            ("居民3", "retry", None, 125, "2026-11-02 09:30:00", ""),
            ("居民4", "callback", None, 125, "2026-11-02 11:00:00", ""),
            ("居民8", "retry", None, 125, "2026-11-02 11:20:00", ""),
            ("居民9", "pending", None, 125, "2026-11-02 09:45:00", ""),
        ]
        # a closed task waited from import until it was closed
        assert lines(rep.field_visits) == [
            ("居民5", "field_visit", "empty_number", 50, "2026-11-02 09:45:00", "")
        ]
        assert [x.address for x in rep.field_visits] == ["福田路5号"]
        assert where(rep.field_visits) == [(ids["居民5"], "1102名单", 6, phone(5), (), 1)]
        assert lines(rep.refused) == [  # latest first
            ("居民6", "done", "wrong_person", 60, "2026-11-02 09:45:00", "号码已换人"),
            ("居民2", "done", "refused", 20, "2026-11-02 09:45:00", "不愿配合"),
        ]
        assert rep.callbacks_due == []
        clock.now = at("11:00")  # the callback time itself: due
        assert lines(reports.build(store).callbacks_due) == [
            ("居民4", "callback", None, 180, "2026-11-02 11:00:00", "")
        ]


def test_urgent_wait_from_import_to_first_call(config: Config, clock: Clock, morning) -> None:
    with Store(config, clock=clock) as store:
        # 居民0 7 min 20 s, 急件甲 5 min 30 s, 急件乙 still waiting after 35 min 30 s
        assert reports.build(store).urgent_wait == {
            "count": 3, "median": 7.3, "p90": 35.5, "max": 35.5,
        }  # fmt: skip


@pytest.mark.parametrize(
    ("waits", "summary"),
    [
        ([], {}),
        ([4.0], {"count": 1, "median": 4.0, "p90": 4.0, "max": 4.0}),
        # unsorted; one decimal; the median of an even count is the upper middle value
        ([7.349, 0.04, 3.96, 2.25], {"count": 4, "median": 4.0, "p90": 7.3, "max": 7.3}),
        (
            [float(x) for x in range(1, 11)],
            {"count": 10, "median": 6.0, "p90": 10.0, "max": 10.0},
        ),
        (
            [float(x) for x in range(1, 21)],
            {"count": 20, "median": 11.0, "p90": 19.0, "max": 20.0},
        ),
    ],
)
def test_wait_summary(waits: list[float], summary: dict[str, float]) -> None:
    assert wait_summary(waits) == summary


# -- the same figures through `callroom report` ------------------------------------------------


@pytest.fixture
def cli(config: Config, clock: Clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    cfg_file = tmp_path / "cfg.toml"
    cfg_file.write_text(f'[general]\ndatabase = "{config.database}"\n', "utf-8")
    monkeypatch.setenv("CALLROOM_CONFIG", str(cfg_file))
    # the report reads the store at the fixture's 10:00, not at the machine's clock
    monkeypatch.setattr(
        "callroom.commands.reporting.open_store", lambda cfg: Store(cfg, clock=clock)
    )

    def run(*args: str) -> str:
        done = runner.invoke(app, list(args))
        assert done.exit_code == 0, done.output
        return done.stdout

    return run


def _row(text: str, first: str) -> list[str]:
    """The cells of the table line that starts with ``first`` (split on runs of blanks)."""
    for line in text.splitlines():
        cells = [c for c in line.strip().split("  ") if c.strip()]
        if cells and cells[0].strip() == first:
            return [c.strip() for c in cells]
    raise AssertionError(f"no line starting with {first!r} in:\n{text}")


def test_report_table_field_by_field(cli, morning) -> None:
    out = cli("--lang", "en", "report", "--date", "2026-11-02")
    assert out.startswith("Progress 2026-11-02 10:05\n")
    # list, done/total, share, verified share, tested (match rate), due, then open tasks by
    # state: new, retry, callback, field visit
    assert _row(out, "1102名单") == [
        "1102名单", "6/10", "60%", "30%", "10%", "late 21m", "1", "2", "1", "1",
    ]  # fmt: skip
    assert _row(out, "加急") == ["加急", "1/1", "100%", "100%", "0%", "-", "0", "0", "0", "0"]
    assert _row(out, "加急2") == ["加急2", "0/1", "0%", "0%", "0%", "-", "1", "0", "0", "0"]
    assert _row(out, "Total") == ["Total", "7/12", "58%", "33%", "8%", "2", "2", "1", "1"]
    # how the 7 done tasks ended, and the day's calls per outcome: the columns add up
    assert "Outcomes: 7 done, by how they ended" in out
    assert _row(out, "Verified") == ["Verified", "3", "3"]
    assert _row(out, "Already tested") == ["Already tested", "1", "1"]
    assert _row(out, "No answer") == ["No answer", "0", "1"]
    assert _row(out, "Busy") == ["Busy", "0", "0"]
    assert _row(out, "Powered off") == ["Powered off", "0", "1"]
    assert _row(out, "Dead number") == ["Dead number", "0", "1"]
    assert _row(out, "Refused") == ["Refused", "1", "1"]
    assert _row(out, "Wrong person") == ["Wrong person", "1", "1"]
    assert _row(out, "Call back") == ["Call back", "0", "1"]
    assert _row(out, "Sent to field visit") == ["Sent to field visit", "1", "0"]
    assert [c for line in out.splitlines() if line.startswith("Total ") for c in line.split()] == [
        "Total", "7/12", "58%", "33%", "8%", "2", "2", "1", "1", "Total", "7", "10",
    ]  # fmt: skip
    words = " ".join(out.split())  # the rates and the lists' line may wrap at 80 columns
    # the match rate (the one task closed as already tested, by a call), verified (tasks of
    # all), RR1, COOP1, REF1, CON1
    assert "Match rate 8.3% (1/12: data 0, phone 1) Calls saved today 0" in words
    assert (
        "Verified 33.3% (4/12) Response RR1 36.4% Cooperation COOP1 66.7% "
        "Refusal REF1 9.1% Contact CON1 54.5%"
    ) in words
    # caller, calls, completes, calls an hour, status, minutes in it, talk time
    assert _row(out, "alice") == ["alice", "5", "2", "4.8", "on a card", "3m", "0:00"]
    assert _row(out, "bob") == ["bob", "5", "2", "4.3", "paused", "34m", "0:00"]
    assert _row(out, "carol") == ["carol", "0", "0", "0.0", "idle", "14m", "0:00"]
    # calls per half hour from the first busy one (08:00) up to now: 3, 3, 4, 0, 0
    # in bars of '#', one column a half hour, its count and the hours under it
    assert (
        "Calls/30 min (a column a half hour, its calls under it; most 4)\n"
        "4 |      ##\n"
        "  |## ## ##\n"
        "  |## ## ##\n"
        "  |## ## ##\n"
        "  +---------------\n"
        "   3  3  4  0  0\n"
        "   08:00 09:00 10:00\n"
    ) in out
    assert (
        "Priority waiting 2 Overdue 4 Callbacks due 0 Field visits 1 Refused/wrong person 2"
    ) in words
    # 7.3, 35.5 and 35.5 minutes, in whole minutes
    assert "Urgent wait (min): median 7  p90 36  max 36  n=3" in out


def test_report_json_field_by_field(cli, morning) -> None:
    data = json.loads(cli("report", "--format", "json", "--date", "2026-11-02"))
    assert (data["at"], data["total"], data["done"], data["verified"], data["calls"]) == (
        "2026-11-02 10:05:30", 12, 7, 4, 10,
    )  # fmt: skip
    assert [(b["name"], b["done"], b["total"], b["verified"], b["minutes_left"])
            for b in data["batches"]] == [
        ("1102名单", 6, 10, 3, -21), ("加急", 1, 1, 1, None), ("加急2", 0, 1, 0, None),
    ]  # fmt: skip
    assert data["ended"] == {
        "verified": 3, "already_tested": 1, "refused": 1, "wrong_person": 1, "field_visit": 1,
    }  # fmt: skip
    assert data["rates"] == {
        "complete": 4, "refusal": 1, "non_contact": 2, "other": 1, "unknown": 3,
        "not_eligible": 1, "response": 0.3636, "cooperation": 0.6667, "refusal_rate": 0.0909,
        "contact": 0.5455, "verified": 4, "verified_rate": 0.3333, "matched": 1,
        "match_rate": 0.0833,
    }  # fmt: skip
    # the match rate: the one task closed as already tested, by a call; no test results imported
    assert [(b["matched_data"], b["matched_call"], b["match_rate"]) for b in data["batches"]] == [
        (0, 1, 0.1), (0, 0, 0.0), (0, 0, 0.0),
    ]  # fmt: skip
    assert (data["matched_data"], data["matched_call"], data["saved_today"]) == (0, 1, 0)
    assert [(c["operator"], c["calls"], c["status"], c["minutes_in_status"])
            for c in data["callers"]] == [
        ("alice", 5, "on_card", 3), ("bob", 5, "paused", 34), ("carol", 0, "idle", 14),
    ]  # fmt: skip
    assert data["urgent_wait"] == {"count": 3, "median": 7.3, "p90": 35.5, "max": 35.5}
    # residents masked without --reveal
    assert [(x["name"], x["phone"], x["waited_minutes"], x["due"]) for x in data["urgent"]] == [
        ("急*乙", "138****0021", 35, None), ("居*8", "138****0008", 125, "2026-11-02 11:20:00"),
    ]  # fmt: skip
    assert [(x["name"], x["note"], x["address"]) for x in data["refused"]] == [
        ("居*6", "***", "福***"), ("居*2", "***", "福***"),
    ]  # fmt: skip
    assert data["counts"] == {
        "urgent": 2, "overdue": 4, "callbacks_due": 0, "field_visits": 1, "refused": 2,
    }  # fmt: skip
    assert [len(data[k]) for k in ("overdue", "callbacks_due", "field_visits", "refused")] == [
        4, 0, 1, 2,
    ]  # fmt: skip
    assert data["slots"][16:19] == [3, 3, 4] and sum(data["slots"]) == 10


def test_report_csv_field_by_field(cli, morning) -> None:
    """Section, item, count, of how many, percent: every figure of the table, in the UI's
    language (zh by default)."""
    rows = list(csv.reader(io.StringIO(cli("report", "--format", "csv", "--date", "2026-11-02"))))
    assert rows[0] == ["类别", "项目", "数量", "总数", "比例(%)"]
    by_section: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        by_section.setdefault(row[0], []).append(row[1:])
    assert by_section["名单完成"] == [
        ["1102名单", "6", "10", "60.0"], ["加急", "1", "1", "100.0"], ["加急2", "0", "1", "0.0"],
        ["合计", "7", "12", "58.3"],
    ]  # fmt: skip
    assert by_section["名单核实"] == [
        ["1102名单", "3", "10", "30.0"], ["加急", "1", "1", "100.0"], ["加急2", "0", "1", "0.0"],
    ]  # fmt: skip
    assert [r for r in by_section["完成方式"] if r[1] != "0"] == [
        ["已接通核实", "3", "7", "42.9"], ["已做核酸", "1", "7", "14.3"],
        ["拒绝配合", "1", "7", "14.3"], ["非本人/号码不符", "1", "7", "14.3"],
        ["转上门排查", "1", "7", "14.3"],
    ]  # fmt: skip
    assert [r for r in by_section["通话"] if r[1] != "0"] == [
        ["已接通核实", "3", "10", "30.0"], ["已做核酸", "1", "10", "10.0"],
        ["无人接听", "1", "10", "10.0"], ["关机", "1", "10", "10.0"],
        ["空号/停机", "1", "10", "10.0"], ["拒绝配合", "1", "10", "10.0"],
        ["非本人/号码不符", "1", "10", "10.0"], ["约定回拨", "1", "10", "10.0"],
    ]  # fmt: skip
    assert by_section["名单核酸匹配"] == [
        ["1102名单", "1", "10", "10.0"], ["加急", "0", "1", "0.0"], ["加急2", "0", "1", "0.0"],
        ["合计", "1", "12", "8.3"],
    ]  # fmt: skip
    assert by_section["匹配来源"] == [
        ["数据匹配", "0", "1", "0.0"], ["电话确认", "1", "1", "100.0"], ["今日匹配免拨", "0", "", ""],
    ]  # fmt: skip
    assert by_section["口径"] == [
        ["核酸匹配率", "", "", "8.3"], ["核实率", "", "", "33.3"], ["应答率RR1", "", "", "36.4"], ["合作率COOP1", "", "", "66.7"],
        ["拒绝率REF1", "", "", "9.1"], ["接触率CON1", "", "", "54.5"],
    ]  # fmt: skip
    assert by_section["拨打员通话"] == [
        ["alice", "5", "10", "50.0"], ["bob", "5", "10", "50.0"], ["carol", "0", "10", "0.0"],
    ]  # fmt: skip
    assert by_section["待办"] == [
        ["紧急/重点待拨", "2", "", ""], ["超时未完成", "4", "", ""], ["到点回拨", "0", "", ""],
        ["待上门", "1", "", ""], ["拒绝/非本人", "2", "", ""],
    ]  # fmt: skip
    assert set(by_section) == {
        "名单完成",
        "名单核实",
        "名单核酸匹配",
        "匹配来源",
        "完成方式",
        "通话",
        "口径",
        "拨打员通话",
        "待办",
    }


def test_waits_count_whole_minutes_never_rounded_up(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as s:
        s.add_batch("l", [{"phone": phone(1), "name": "甲", "flags": ["urgent"]}], "lead")
        clock.advance(minutes=44, seconds=59)
        [line] = reports.build(s).urgent
        assert line.waited_minutes == 44
        clock.advance(seconds=1)
        assert reports.build(s).urgent[0].waited_minutes == 45
        assert reports.build(s).urgent_wait == {
            "count": 1,
            "median": 45.0,
            "p90": 45.0,
            "max": 45.0,
        }


def test_a_day_with_no_lists(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as store:
        rep = reports.build(store)
    assert (rep.batches, rep.total, rep.done, rep.verified, rep.ended) == ([], 0, 0, 0, {})
    assert (rep.calls, rep.calls_by_outcome, rep.callers) == (0, {}, [])
    assert rep.counts == dict.fromkeys(reports.LISTS, 0)
    assert rep.rates == reports.Rates(0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    assert (rep.urgent, rep.overdue, rep.refused, rep.urgent_wait) == ([], [], [], {})
    assert sum(rep.slots) == 0 and len(rep.slots) == 48


def test_yesterdays_report_counts_yesterdays_calls_only(
    config: Config, clock: Clock, morning
) -> None:
    """The next morning: night-shift callers start at midnight sharp; the lead reads both days."""
    clock.now = at("10:05:30") + timedelta(days=1)
    with Store(config, clock=clock) as store:
        store.add_batch("1103名单", [{"phone": phone(30), "name": "新"}], "lead")
        clock.now = DAY.replace(day=3)  # 00:00:00 on 3 November
        call(store, "dan", store.find_by_phone(phone(30))[0].id, "no_answer")
        store.claim_task(1, "erin")  # erin only looked at a card at midnight
        store.release(1, "erin")
        clock.now = at("10:05:30") + timedelta(days=1)
        today = reports.build(store)
        store.claim_task(2, "alice")  # alice at work this morning: not part of yesterday
        before = reports.build(store, day=DAY.date())
    # today: dan's call at midnight counts; yesterday's calls do not
    assert today.day == "2026-11-03" and today.calls_by_outcome == {"no_answer": 1}
    assert [(c.operator, c.calls, c.status, c.last_activity) for c in today.callers] == [
        ("dan", 1, "idle", "2026-11-03 00:00:00"),
        ("erin", 0, "idle", "2026-11-03 00:00:00"),
    ]
    assert today.slots[0] == 1 and sum(today.slots) == 1
    # yesterday: its lists (and today's, still open) and its ten calls; a caller's last
    # activity is their last of that day (alice's card at 10:02, bob's pause at 09:31, as that
    # day's own report said), never one of today; no status of now
    assert before.day == "2026-11-02"
    assert [b.name for b in before.batches] == ["1102名单", "加急", "加急2", "1103名单"]
    assert sum(before.calls_by_outcome.values()) == 10
    assert [
        (c.operator, c.calls, c.last_activity, c.status, c.since) for c in before.callers if c.calls
    ] == [
        ("alice", 5, "2026-11-02 10:02:00", "", None),
        ("bob", 5, "2026-11-02 09:31:00", "", None),
    ]


def test_decision_lists_stop_at_200_lines(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as store:
        rows = [{"phone": phone(i), "flags": ["urgent"]} for i in range(201)]
        store.add_batch("big", rows, "lead")
        rep = reports.build(store)
    assert len(rep.urgent) == 200 and rep.urgent_wait["count"] == 201


def test_an_outcome_taken_out_of_the_config_still_counts_as_unknown(
    config: Config, clock: Clock
) -> None:
    with Store(config, clock=clock) as store:
        store.add_batch("l", [{"phone": phone(1)}, {"phone": phone(2)}], "lead")
        call(store, "alice", 1, "busy")
        call(store, "alice", 2, "verified")
    # the lead drops "busy" from callroom.toml mid-campaign: the case is not lost from the rates
    trimmed = replace(config, outcomes=tuple(o for o in config.outcomes if o.code != "busy"))
    with Store(trimmed, clock=clock) as store:
        r = reports.build(store).rates
    assert (r.complete, r.non_contact, r.unknown, r.response) == (1, 0, 1, 0.5)


def test_a_list_with_no_tasks_is_listed_at_nothing_done(config: Config, clock: Clock) -> None:
    with Store(config, clock=clock) as s:
        s.add_batch("空名单", [], "lead")
        add_tasks(s, 2, name="名单")
        rep = reports.build(s)
    assert [(b.name, b.total, b.done, b.by_state) for b in rep.batches] == [
        ("空名单", 0, 0, {}),
        ("名单", 2, 0, {"pending": 2}),
    ]
    assert (rep.total, rep.done) == (2, 0)
