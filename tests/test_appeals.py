"""Batch submission: `callroom appeals export` (the reviewing system's columns, read back) and
`callroom appeals import-results` (approved closes, rejected comes back to the queue with its
reason on the card); and the desk's figures in the report and the lead pane, on known cases."""

from __future__ import annotations

import csv
import json
import re
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from callroom import reports
from callroom.card_io import CardIO
from callroom.cli import app
from callroom.config import Config, load_config
from callroom.inbound import APPROVED, REJECTED, SUBMITTED, desk
from callroom.inbound.appeals import case_ref, export, import_decisions
from callroom.lead_app import LeadApp
from callroom.report_text import chat_text, csv_rows, inbound_lines, table_lines
from callroom.scripts import pledge_hash
from callroom.store import Store
from callroom.widgets.card import inbound_rows

from conftest import Clock, phone

runner = CliRunner()
ID_OK = "11010519491231002X"


def _patient(n: int, urgent: bool = False, first_contact=None) -> desk.Intake:
    answers = {"name": f"病人{n}", "id_number": ID_OK, "hospital": "市人民医院",
               "admitted": "2026-10-30", "must_leave": "yes"}  # fmt: skip
    return desk.Intake(phone(n), "patient", answers, urgent=urgent, first_contact=first_contact)


def _pledged(intake: desk.Intake, store: Store, config: Config) -> desk.Intake:
    text = desk.form_of(config, intake.group).pledge_text(config.lang)
    return replace(intake, pledge=desk.Pledge(text, config.lang, store.now()))


def _decisions(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["受理编号", "姓名", "审核结果", "退回原因"], *rows])
    return path


# -- export and decisions through the CLI ------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, db_url: str) -> Path:  # db_url: both engines
    assert runner.invoke(app, ["init"]).exit_code == 0
    return tmp_path


def cli(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_export_read_back_then_decisions_close_and_reopen(workspace: Path) -> None:
    config = load_config()
    with Store(config) as store:
        first = desk.take(store, _pledged(_patient(1), store, config), "alice", complete=True)
        second = desk.take(store, _pledged(_patient(2), store, config), "alice", complete=True)
        queued = desk.take(store, _patient(3), "bob", complete=False)  # not complete: not sent
    out = workspace / "报送.xlsx"
    result = cli("appeals", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    ws = load_workbook(out).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    for col in ("受理编号", "报送批次", "人群类别", "身份证号", "医院", "入院日期", "承诺书版本"):
        assert col in header, col
    by_case = {r[header.index("受理编号")]: r for r in rows[1:]}
    assert set(by_case) == {case_ref(first.task_id), case_ref(second.task_id)}
    row = by_case[case_ref(first.task_id)]
    assert row[header.index("医院")] == "市人民医院" and row[header.index("人群类别")] == "住院病人"
    text = desk.form_of(config, "patient").pledge_text("zh")
    assert row[header.index("承诺书版本")] == pledge_hash(text)[:16]
    batch = row[header.index("报送批次")]
    with Store(config) as store:
        for taken in (first, second):
            case = desk.get_case(store.conn, taken.task_id)
            assert case.status == SUBMITTED and case.appeal_batch == batch
        assert desk.get_case(store.conn, queued.task_id).status == "open"
    # nothing ready any more: a second export says so and writes nothing
    again = cli("appeals", "export", "-o", str(workspace / "again.xlsx"))
    assert again.exit_code == 1 and not (workspace / "again.xlsx").exists()

    decisions = _decisions(
        workspace / "审核结果.csv",
        [[case_ref(first.task_id), "病人1", "通过", ""],
         [case_ref(second.task_id), "病人2", "不通过", "入院证明不清晰，请补拍"]],
    )  # fmt: skip
    result = cli("appeals", "import-results", str(decisions))
    assert result.exit_code == 0, result.output
    with Store(config) as store:
        approved = desk.get_case(store.conn, first.task_id)
        rejected = desk.get_case(store.conn, second.task_id)
        assert approved.status == APPROVED and approved.decided_at is not None
        assert rejected.status == REJECTED and rejected.decision_reason.startswith("入院证明")
        assert store.get_task(first.task_id).state == "done"
        # the rejected case is back in the queue (the queued one waits there too)
        back = store.get_task(second.task_id)
        assert back.state == "pending"
        seen = []
        for _ in range(5):
            card = store.next_card("carol", exclude=seen)
            if card is None:
                break
            seen.append(card.id)
            store.release(card.id, "carol")
        assert sorted(seen) == sorted([second.task_id, queued.task_id])
        # the reason is on its card
        data = CardIO(store)._card(store.get_task(second.task_id))
        rows_on_card = dict(inbound_rows(data, config, "zh"))
        assert rows_on_card["退回原因"].startswith("入院证明")


# -- the desk's figures: report and lead pane, on known cases ---------------------------------


def _known_day(store: Store, clock: Clock, config: Config, tmp_path: Path) -> dict[str, int]:
    """A: urgent, taken complete at 10:00 two minutes after she first rang; B: registered at
    10:00, completed by bob's call back at 10:30; both exported at 10:45; at 11:00 A approved,
    B rejected (back in the queue); C: a student registered at 10:40, still waiting at 11:10."""
    start = clock.now  # 10:00
    a = desk.take(store, _pledged(_patient(1, urgent=True, first_contact=start - timedelta(minutes=2)),
                                  store, config), "alice", complete=True)  # fmt: skip
    b = desk.take(store, _patient(2, first_contact=start), "alice", complete=False)
    clock.advance(minutes=30)
    card = store.next_card("bob")
    assert card is not None and card.id == b.task_id
    text = desk.form_of(config, "patient").pledge_text(config.lang)
    store.record(b.task_id, "verified", "bob", pledge=desk.Pledge(text, config.lang, clock.now))
    clock.advance(minutes=10)
    student = {"name": "学生", "id_number": ID_OK}
    c = desk.take(store, desk.Intake(phone(3), "student", student), "alice", complete=False)
    clock.advance(minutes=5)
    export(store, tmp_path / "报送.xlsx", "lead")
    clock.advance(minutes=15)
    decisions = _decisions(
        tmp_path / "结果.csv",
        [[case_ref(a.task_id), "", "通过", ""], [case_ref(b.task_id), "", "退回", "缺入院证明"]],
    )
    import_decisions(store, [decisions], "lead")
    clock.advance(minutes=10)  # 11:10
    return {"a": a.task_id, "b": b.task_id, "c": c.task_id}


def test_report_figures_on_known_cases(config: Config, store: Store, clock: Clock,
                                       tmp_path: Path) -> None:  # fmt: skip
    _known_day(store, clock, config, tmp_path)
    rep = reports.build(store)
    f = rep.inbound
    assert (f.cases, f.waiting, f.oldest_minutes, f.pending_decisions) == (3, 2, 30, 0)
    assert f.to_intake["urgent"] == {"count": 1, "median": 2.0, "p90": 2.0, "max": 2.0}
    assert f.to_intake["all"] == {"count": 2, "median": 30.0, "p90": 30.0, "max": 30.0}
    assert f.to_submission["urgent"]["max"] == 47.0 and f.to_submission["all"]["count"] == 2
    assert f.to_decision == {"count": 2, "median": 15.0, "p90": 15.0, "max": 15.0}
    assert f.solved == 2 and f.solved_per_hour == round(2 / (72 / 60), 1)
    groups = {g.group: g for g in f.groups}
    assert (groups["patient"].waiting, groups["patient"].approved) == (1, 1)
    assert (groups["patient"].rejected, groups["student"].waiting) == (1, 1)
    # every format says them
    table = "\n".join(line for line, _ in table_lines(rep, config, 80))
    assert "来电受理" in table and "排队 2 件，最久 30分" in table
    assert "来电到受理(紧急)：中位 2，九成 2，最长 2 分，1件" in table
    assert "今日办结 2 件，每小时 1.7" in table
    assert "来电到受理" in chat_text(rep, config)
    _, csv_body = csv_rows(rep, config)
    assert ["来电排队", "合计", 2, 3, ""] in csv_body
    assert json.loads(rep.to_json())["inbound"]["to_decision"]["median"] == 15.0


async def test_lead_pane_inbound_tab_agrees_with_the_report(
    config: Config, store: Store, clock: Clock, tmp_path: Path
) -> None:
    _known_day(store, clock, config, tmp_path)
    from textual.widgets import DataTable, Static, TabbedContent

    app = LeadApp(config, Store(config, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await screen.refresh_report().wait()
        await pilot.pause()
        screen.show_tab("inbound")
        await pilot.pause()
        pane = str(screen.query_one("#inbound-figures", Static).content)
        table = screen.query_one("#inbound", DataTable)
        pane_rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        label = screen.query_one(TabbedContent).get_tab("tab-inbound").label.plain
    report = inbound_lines(reports.build(store), config, 78)
    figures = [line for line in report if not re.match(r"^\S+\s+\d+\s+\d+", line)]
    assert pane.split() == " ".join(figures[: len(pane.splitlines())]).split()
    joined = "\n".join(report)
    for row in pane_rows:
        assert re.search(r"\s+".join(map(re.escape, row)), joined), row
    assert label == "来电 2" and len(pane_rows) == 2
