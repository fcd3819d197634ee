"""Lead figures and exports, from several simulated callers writing to one database."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from callroom import reports
from callroom.cli import app
from callroom.config import Config, login_name
from callroom.i18n import t
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
    # how the 6 done tasks ended: the table adds up to the progress figure
    assert rep.ended == {
        "verified": 2, "already_tested": 1, "refused": 1, "wrong_person": 1, "field_visit": 1,
    }  # fmt: skip
    assert sum(rep.ended.values()) == rep.done == 6
    assert b.verified == 3 and rep.verified == rep.rates.verified == 3
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
    assert rep.slots[20:23] == [3, 3, 1] and sum(rep.slots) == 7 == rep.calls
    # how long each has been in that state: alice claimed at 11:25, bob paused at 11:25
    assert callers["alice"].minutes_in_status == 0 and callers["bob"].minutes_in_status == 0


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
    assert rep.overdue == [] and rep.counts["overdue"] == 0
    assert rep.counts == {
        "urgent": 1, "overdue": 0, "callbacks_due": 0, "field_visits": 1, "refused": 2,
    }  # fmt: skip
    clock.advance(hours=1)
    later = reports.build(alice)
    assert len(later.overdue) == later.counts["overdue"] == 4  # 居民2 (retry), 5, 6, 7 past 12:00
    assert {c.operator: c.minutes_in_status for c in later.callers} == {"alice": 60, "bob": 60}


def test_counts_are_not_capped_by_the_list_limit(store: Store) -> None:
    store.add_batch("大名单", [{"phone": phone(i), "flags": ["urgent"]} for i in range(12)], "l")
    rep = reports.build(store, list_limit=5)
    assert len(rep.urgent) == 5 and rep.counts["urgent"] == 12


def test_linked_rows_follow_their_open_task_in_every_figure(store: Store) -> None:
    store.add_batch("mon", [{"phone": phone(1)}, {"phone": phone(2)}], "lead")
    first = store.next_card("alice")
    tue = store.add_batch(
        "tue", [{"phone": first.phone, "state": "linked", "linked_to": first.id}], "lead"
    )
    store.record(first.id, "verified", "alice")
    rep = reports.build(store)
    by_name = {b.name: b for b in rep.batches}
    assert (by_name["tue"].done, by_name["tue"].verified) == (1, 1)
    assert rep.ended == {"verified": 2} and rep.done == 2 and tue


# -- callroom report: the formats a lead uses ------------------------------------------------

LONG_NAME = "1102风险地区推送名单（福田区莲花街道第二批次，含外区协查）"


def _config_file(config: Config) -> Path:
    path = config.database.parent / "cfg.toml"
    path.write_text(f'[general]\ndatabase = "{config.database}"\n', "utf-8")
    return path


@pytest.fixture
def cli_env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _config_file(config)
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    return path


def _report(*args: str, width: int = 80) -> str:
    result = runner.invoke(app, [*args], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def _figures(rep: reports.Report) -> list[str]:
    """Numbers a lead reads off the report, as they must appear whole."""
    out = [f"{b.done}/{b.total}" for b in rep.batches]
    out += [f"{rep.done}/{rep.total}", f"({rep.verified}/{rep.total})"]
    out += [f"{c.calls_per_hour:.1f}" for c in rep.callers]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 60])
def test_report_table_fits_the_terminal_with_every_number_whole(
    day: tuple[Store, Store, int], cli_env: Path, lang: str, width: int
) -> None:
    alice, _, _ = day
    alice.conn.execute("UPDATE batches SET name = ? WHERE name = '1102名单'", (LONG_NAME,))
    text = _report("--lang", lang, "report", "--date", "2026-11-02", width=width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "…" not in text
    rep = reports.build(alice, date(2026, 11, 2))
    for figure in _figures(rep):
        assert figure in text, figure
    # the long list name is folded onto more lines, never cut: all of it is there
    assert LONG_NAME in "".join(line.split("  ")[0].strip() for line in lines)
    # "done" reconciles: the outcome table's total is the lists' done
    total = t("cli.total", lang)
    ended_total = [ln for ln in lines if ln.startswith(total) and "/" not in ln]
    assert ended_total and ended_total[0].split()[-2:] == [str(rep.done), str(rep.calls)]
    if lang == "zh":
        assert "median" not in text and "p90" not in text  # words in the UI's language


def test_report_chat_is_short_lines_for_a_phone(
    day: tuple[Store, Store, int], cli_env: Path
) -> None:
    alice, _, _ = day
    alice.conn.execute("UPDATE batches SET name = ? WHERE name = '1102名单'", (LONG_NAME,))
    text = _report("report", "--format", "chat", "--date", "2026-11-02")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 40
    flat = "".join(text.split())
    assert LONG_NAME in "".join(lines)
    # 6 of 10 done, 3 matched; the urgent list: 1 done of 1, 0 matched
    assert "完成6/10(60%)" in flat and "核实3(30%)" in flat
    assert "完成0/1(0%)" in flat and "合计" in flat and "完成6/11(55%)" in flat
    with Store(alice.config) as now_store:  # the command reads the real clock
        overdue = reports.build(now_store, date(2026, 11, 2)).counts["overdue"]
    assert f"超时未完成{overdue}" in flat and "紧急/重点待拨1" in flat and "待上门1" in flat
    english = _report("--lang", "en", "report", "--format", "chat", "--date", "2026-11-02")
    assert max(cell_len(line) for line in english.splitlines()) <= 40
    assert "done 6/10 (60%)" in english and "Field visits 1" in english


def test_report_json_masks_residents_unless_a_lead_reveals(
    day: tuple[Store, Store, int], cli_env: Path
) -> None:
    alice, _, _ = day
    masked = _report("report", "--format", "json", "--date", "2026-11-02")
    data = json.loads(masked)
    assert data["batches"][0]["done"] == 6 and data["rates"]["verified"] == 3
    for secret in ("居民3", "13800000003", "+8613800000003", "福田路3号", "不愿配合", "号码已换人"):
        assert secret not in masked, secret
    [visit] = data["field_visits"]
    assert visit["name"] == "居*3" and visit["phone"] == "138****0003"
    assert visit["address"].endswith("***")
    assert not [e for e in _events(alice, "reveal")]

    shown = _report("report", "--format", "json", "--date", "2026-11-02", "--reveal")
    assert "居民3" in shown and "福田路3号" in shown and "不愿配合" in shown
    [event] = _events(alice, "reveal")
    assert event["detail"]["what"] == "report" and event["detail"]["login"] == login_name()
    listed = {line["id"] for w in reports.LISTS for line in json.loads(shown)[w]}
    assert set(event["detail"]["tasks"]) == listed and listed
    assert "居民" not in json.dumps(event["detail"], ensure_ascii=False)


def _events(store: Store, kind: str) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM events WHERE kind = ?", (kind,)).fetchall()
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]


def test_report_reveal_is_for_leads_only(
    day: tuple[Store, Store, int], config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, _, _ = day
    me = login_name()
    path = config.database.parent / "roles.toml"
    text = f'[general]\ndatabase = "{config.database}"\n[roles]\nleads = ["boss-{me}"]\n'
    path.write_text(text, "utf-8")
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    refused = runner.invoke(app, ["report", "--format", "json", "--reveal"])
    assert refused.exit_code != 0 and "仅限组长" in refused.output and me in refused.output
    assert _events(alice, "reveal") == []
    # masked figures stay open to everyone
    assert runner.invoke(app, ["report", "--format", "json"]).exit_code == 0
    path.write_text(text.replace(f"boss-{me}", me), "utf-8")
    assert runner.invoke(app, ["report", "--format", "json", "--reveal"]).exit_code == 0
    assert len(_events(alice, "reveal")) == 1


def test_report_csv_is_excel_safe(store: Store, cli_env: Path) -> None:
    hostile = '=HYPERLINK("http://x","点我")'
    store.add_batch(hostile, [{"phone": phone(1)}, {"phone": phone(2)}], "lead")
    card = store.next_card("+cmd|calc")
    store.record(card.id, "verified", "+cmd|calc")
    out = runner.invoke(app, ["report", "--format", "csv", "--date", "2026-11-02"])
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(out.stdout.splitlines()))
    assert rows[0] == ["类别", "项目", "数量", "总数", "比例(%)"]
    cells = [c for r in rows for c in r]
    assert "'" + hostile in cells and "'+cmd|calc" in cells
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    done = next(r for r in rows if r[0] == "名单完成" and r[1] == "'" + hostile)
    assert done[2:] == ["1", "2", "50.0"]  # counts are numbers, not "1/2" (a date to Excel)


def test_report_to_a_file_is_private_and_whole(
    day: tuple[Store, Store, int], cli_env: Path, tmp_path: Path
) -> None:
    target = tmp_path / "reports" / "r.csv"
    target.parent.mkdir()
    target.write_bytes(b"last half-hour")
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, ["report", "--format", "csv", "-o", str(target)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "名单完成".encode() in raw
    assert [p.name for p in target.parent.iterdir()] == ["r.csv"]
    table = runner.invoke(app, ["report", "-o", str(tmp_path / "r.txt"), "--date", "2026-11-02"])
    assert table.exit_code == 0
    text = (tmp_path / "r.txt").read_text("utf-8")
    assert "6/10" in text and max(cell_len(line) for line in text.splitlines()) <= 80
    missing = runner.invoke(app, ["report", "-o", str(tmp_path / "no" / "r.txt")])
    assert missing.exit_code == 1 and "不存在" in missing.output


def test_report_file_with_a_shared_group_is_group_readable(
    day: tuple[Store, Store, int], config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    path = config.database.parent / "shared.toml"
    path.write_text(
        f'[general]\ndatabase = "{config.database}"\nshared_group = "{group}"\n', "utf-8"
    )
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    old = os.umask(0o077)
    try:
        result = runner.invoke(app, ["report", "--format", "chat", "-o", "chat.txt"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(tmp_path / "chat.txt").st_mode) == 0o660


def test_report_refuses_bad_options_in_the_ui_language(cli_env: Path, store: Store) -> None:
    store.add_batch("名单", [{"phone": phone(1)}], "lead")
    bad = runner.invoke(app, ["report", "--format", "pdf"])
    assert bad.exit_code == 2 and "可选" in bad.output
    table_reveal = runner.invoke(app, ["report", "--reveal"])
    assert table_reveal.exit_code == 2 and "json" in table_reveal.output
    missing = runner.invoke(app, ["--lang", "en", "report", "--batch", "nope"])
    assert missing.exit_code == 1 and "no list 'nope'" in missing.output
    bad_day = runner.invoke(app, ["report", "--date", "31/10"])
    assert bad_day.exit_code == 2 and "2026-10-31" in bad_day.output
