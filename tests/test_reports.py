"""Lead figures and exports, from several simulated callers writing to one database."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from callroom import reports
from callroom.cli import app
from callroom.config import Config
from callroom.export import export, neutralise
from callroom.store import Store

from conftest import Clock, phone

runner = CliRunner()


@pytest.fixture
def day(config: Config, clock: Clock) -> tuple[Store, Store, int]:
    """Two callers work a 10-task list from 10:00, 10 minutes a call; then an urgent case arrives.

    Claim order is urgent (居民8), elderly (居民9), then list order (居民0, 1, ...).
    """
    alice, bob = Store(config, clock=clock), Store(config, clock=clock)
    rows = [{"phone": phone(i), "name": f"居民{i}", "address": f"福田路{i}号"} for i in range(10)]
    rows[8]["flags"], rows[9]["flags"] = ["urgent"], ["elderly"]
    batch = alice.add_batch("1102名单", rows, "lead", deadline=clock.now + timedelta(hours=2))
    plan = [  # (who, outcome, answers, note) for 居民8, 9, 0, 1, 2, 3, 4
        (alice, "alice", "verified", {"test_date": "2026-11-01", "visited": "no"}, ""),
        (bob, "bob", "verified", {"test_date": "2026-10-30"}, ""),
        (alice, "alice", "already_tested", {}, ""),
        (bob, "bob", "refused", {}, "不愿配合"),
        (alice, "alice", "no_answer", {}, ""),
        (bob, "bob", "empty_number", {}, ""),
        (alice, "alice", "wrong_person", {}, "号码已换人"),
    ]
    for store, op, outcome, answers, note in plan:
        card = store.next_card(op)
        store.record(card.id, outcome, op, answers, note)
        clock.advance(minutes=10)  # calls at 10:00 ... 11:00; now 11:10
    alice.add_batch("加急", [{"phone": phone(20), "name": "急件", "flags": ["urgent"]}], "lead")
    clock.advance(minutes=15)  # 11:25
    bob.log_event("pause", "bob")
    assert alice.next_card("alice").name == "急件"  # alice is on the urgent card now
    return alice, bob, batch


def test_progress_rates_and_callers(day: tuple[Store, Store, int]) -> None:
    alice, _, _ = day
    rep = reports.build(alice, batch="1102名单")
    [b] = rep.batches
    assert (b.total, b.done) == (10, 6)  # 5 final + 1 field visit
    assert b.by_state == {"done": 5, "field_visit": 1, "retry": 1, "pending": 3}
    assert b.minutes_left == 120 - 85
    assert rep.outcomes == {
        "verified": 2, "already_tested": 1, "refused": 1, "empty_number": 1, "wrong_person": 1,
    }  # fmt: skip
    r = rep.rates
    # complete 3, refusal 1, non-contact 1 (the retry), unknown: empty number + 3 never called,
    # not eligible 1 (wrong person): 9 eligible cases
    assert (r.complete, r.refusal, r.non_contact, r.unknown, r.not_eligible) == (3, 1, 1, 4, 1)
    assert r.response == round(3 / 9, 4)
    assert r.cooperation == round(3 / 4, 4)
    assert r.refusal_rate == round(1 / 9, 4)
    assert r.contact == round(4 / 9, 4)
    assert r.verified == 3 and r.verified_rate == 0.3
    callers = {c.operator: c for c in rep.callers}
    assert (callers["alice"].calls, callers["alice"].completes) == (4, 2)
    assert (callers["bob"].calls, callers["bob"].completes) == (3, 1)
    assert callers["alice"].status == "on_card"
    assert callers["bob"].status == "paused"
    assert callers["alice"].calls_per_hour == 4.0  # 4 calls from 10:00 to 11:00
    assert rep.slots[20:23] == [3, 3, 1] and sum(rep.slots) == 7


def test_decision_lists(day: tuple[Store, Store, int], clock: Clock) -> None:
    alice, _, _ = day
    rep = reports.build(alice)
    assert len(rep.batches) == 2  # today's lists
    assert [(line.name, line.waited_minutes) for line in rep.urgent] == [("急件", 15)]
    assert [line.address for line in rep.field_visits] == ["福田路3号"]
    assert {(line.outcome, line.note) for line in rep.refused} == {
        ("refused", "不愿配合"), ("wrong_person", "号码已换人"),
    }  # fmt: skip
    # urgent wait from import to first call: 居民8 at once, 急件 still waiting after 15 min
    assert rep.urgent_wait == {"count": 2, "median": 15.0, "p90": 15.0, "max": 15.0}
    assert rep.overdue == []
    clock.advance(hours=1)
    assert len(reports.build(alice).overdue) == 4  # 居民2 (retry), 5, 6, 7 past 12:00


def test_report_cli_table_json_csv(day: tuple[Store, Store, int], config: Config) -> None:
    os.environ["CALLROOM_CONFIG"] = str(_config_file(config))
    try:
        js = runner.invoke(app, ["report", "--format", "json", "--date", "2026-11-02"])
        assert js.exit_code == 0, js.output
        data = json.loads(js.stdout)
        assert data["batches"][0]["done"] == 6 and data["rates"]["verified"] == 3
        assert [b["name"] for b in data["batches"]] == ["1102名单", "加急"]
        table = runner.invoke(
            app, ["--lang", "en", "report", "--date", "2026-11-02"], terminal_width=200
        )
        assert table.exit_code == 0, table.output
        assert "1102名单" in table.stdout and "6/10" in table.stdout
        assert "27.3% (3)" in table.stdout  # 3 matched of 11 tasks on the day
        as_csv = runner.invoke(app, ["report", "--format", "csv", "--batch", "1102名单"])
        assert "rate,verified_rate,0.3" in as_csv.stdout
        missing = runner.invoke(app, ["report", "--batch", "nope"])
        assert missing.exit_code == 1 and "no list 'nope'" in missing.output
    finally:
        del os.environ["CALLROOM_CONFIG"]


def _config_file(config: Config) -> Path:
    path = config.database.parent / "cfg.toml"
    path.write_text(f'[general]\ndatabase = "{config.database}"\n', "utf-8")
    return path


def test_export_xlsx_round_trip(day: tuple[Store, Store, int], tmp_path: Path) -> None:
    alice, _, batch = day
    out = tmp_path / "out" / "result.xlsx"
    result = export(alice, [batch], out, "xlsx", "lead")
    assert result.rows == 10
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[:4] == ["序号", "姓名", "联系电话", "身份证号"]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    first = by_name["居民8"]
    assert first["核查结果"] == "已接通核实" and first["核查人"] == "alice"
    assert first["核酸检测日期"] == "2026-11-01" and first["是否到过风险地区"] == "否"
    assert first["拨打次数"] == 1
    assert by_name["居民0"]["核查结果"] == "已做核酸"
    assert by_name["居民1"]["备注"] == "不愿配合"
    assert by_name["居民7"]["核查结果"] == ""  # never called
    events = alice.conn.execute("SELECT detail FROM events WHERE kind = 'export'").fetchall()
    assert json.loads(events[0][0])["rows"] == 10 and "居民" not in events[0][0]


def test_export_csv_and_field_visits(day: tuple[Store, Store, int], tmp_path: Path) -> None:
    alice, _, batch = day
    out = tmp_path / "visits.csv"
    export(alice, [batch], out, "csv", "lead", field_visits=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["序号", "名单", "姓名"]
    assert len(rows) == 2 and rows[1][4] == "福田路3号" and rows[1][6] == "空号/停机"


def test_linked_and_duplicate_rows_report_the_result_that_counts(
    store: Store, tmp_path: Path
) -> None:
    first = store.add_batch("mon", [{"phone": phone(1), "name": "甲"}], "lead")
    open_task = store.next_card("alice")
    second = store.add_batch(
        "tue",
        [{"phone": phone(1), "name": "甲", "state": "linked", "linked_to": open_task.id}],
        "lead",
    )
    store.record(open_task.id, "verified", "alice", {"test_date": "2026-11-02"})
    headers, rows = __import__("callroom.export", fromlist=["table"]).table(store, [second])
    row = dict(zip(headers, rows[0], strict=True))
    assert row["核查结果"] == "已接通核实" and row["核酸检测日期"] == "2026-11-02"
    rep = reports.build(store, batch="tue")
    assert rep.batches[0].done == 1 and first


def test_formula_injection_is_neutralised(store: Store, tmp_path: Path) -> None:
    hostile = {
        "phone": phone(1),
        "name": '=HYPERLINK("http://x","click")',
        "address": "+cmd|' /C calc'!A0",
        "extra": {"单位": "@SUM(1+1)", "车牌": "-2+3"},
    }
    batch = store.add_batch("evil", [hostile], "lead")
    card = store.next_card("alice")
    store.record(card.id, "refused", "alice", note="=1+1")
    xlsx, csv_path = tmp_path / "e.xlsx", tmp_path / "e.csv"
    export(store, [batch], xlsx, "xlsx", "lead")
    export(store, [batch], csv_path, "csv", "lead")
    values = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()[1]
    texts = [v for v in values if isinstance(v, str) and v]
    assert all(not v.startswith(("=", "+", "-", "@")) for v in texts), texts
    assert '\'=HYPERLINK("http://x","click")' in texts and "'@SUM(1+1)" in texts
    csv_rows = list(csv.reader(csv_path.read_text("utf-8-sig").splitlines()))
    assert all(not c.startswith(("=", "+", "-", "@")) for c in csv_rows[1])
    assert neutralise("\t=cmd") == "'\t=cmd" and neutralise(42) == 42


def test_export_cli(day: tuple[Store, Store, int], config: Config, tmp_path: Path) -> None:
    os.environ["CALLROOM_CONFIG"] = str(_config_file(config))
    try:
        ok = runner.invoke(app, ["export", "--batch", "1102名单", "--format", "csv", "-o", "r.csv"])
        assert ok.exit_code == 0, ok.output
        assert (tmp_path / "r.csv").exists() and "10" in ok.stdout
        bad = runner.invoke(app, ["export", "--batch", "1102名单", "--template", "nope"])
        assert bad.exit_code == 1 and "no export template 'nope'" in bad.output
        none = runner.invoke(app, ["export", "--batch", "ghost"])
        assert none.exit_code == 1 and "no list 'ghost'" in none.output
    finally:
        del os.environ["CALLROOM_CONFIG"]
