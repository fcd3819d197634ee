"""Test results from the health system: read as they come, matched against the lists, counted in
the match rate, purged for good. Invented people only; every file is built here."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callroom import chain
from callroom.cli import app
from callroom.config import Config, ConfigError, load_config
from callroom.ids import check_char
from callroom.importer import ImportFailed, ImportOptions, import_files
from callroom.results.evidence import close_matched, evidence
from callroom.results.importing import ResultsOptions, import_results
from callroom.results.match import match_open_tasks
from callroom.store import Store, StoreError

from conftest import Clock, phone

runner = CliRunner()
DAY = ("--date", "2026-11-02")  # the clock of the tests' stores (the command reads the real one)
HEADER = ["姓名", "身份证号", "联系电话", "采样时间", "采样点", "检测结果"]


def make_id(birth: str, seq: str = "123") -> str:
    first = f"440304{birth}{seq}"
    return first + check_char(first)


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("核酸检测结果")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, when)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write(r, c, value)
    wb.close()
    return path


def results(store: Store) -> list[dict[str, object]]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM results ORDER BY id")]


def task(store: Store, task_id: int) -> dict[str, object]:
    return dict(store.conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone())


def run(store: Store, path: Path, **options: object):  # type: ignore[no-untyped-def]
    [report] = import_results(store, [path], ResultsOptions(**options), "lead")  # type: ignore[arg-type]
    return report


# -- reading exports as they come ----------------------------------------------------------------


def test_results_from_xlsx_and_gbk_csv_with_different_headers(store: Store, tmp_path: Path) -> None:
    a, b = make_id("19900101"), make_id("19850505", "456")
    xlsx = write_xlsx(
        tmp_path / "核酸结果1102.xlsx",
        [
            ["福田区核酸检测结果导出（11月2日）"],
            [],
            ["序号", "证件号码", "手机号", "受检者姓名", "采集时间", "采样机构", "核酸结果"],
            [1, a, 13800000001.0, "王小明", datetime(2026, 11, 1, 9, 30), "福田区人民医院", "阴性"],
            [2, "", "+86 139-0000-0002", "李小红", datetime(2026, 11, 1, 10, 5), "莲花社康采样点",
             "阴性（-）"],
            [3, "", "无", "赵小六", datetime(2026, 11, 1, 11, 0), "莲花社康采样点", "阴性"],
            [4, b, "", "钱小七", "", "莲花社康采样点", "阴性"],
        ],
    )  # fmt: skip
    report = run(store, xlsx)
    assert report.columns == {
        "phone": "C 手机号", "id_number": "B 证件号码", "name": "D 受检者姓名",
        "test_time": "E 采集时间", "site": "F 采样机构", "result": "G 核酸结果",
    }  # fmt: skip
    assert (report.rows_read, report.new_results, report.rejected_total) == (4, 2, 2)
    assert dict(report.rejected) == {"result_no_person": 1, "result_no_time": 1}
    assert report.rejects_path == tmp_path / "核酸结果1102.xlsx.rejects.csv"
    with report.rejects_path.open(encoding="utf-8-sig") as f:
        reasons = [row[3] for row in csv.reader(f)][1:]
    assert reasons == ["无有效身份证号或电话：无", "无采样时间"]
    got = [
        (r["person"], r["phone"], r["tested_at"], r["site"], r["result"]) for r in results(store)
    ]
    assert got == [
        (a, "+8613800000001", "2026-11-01 09:30", "福田区人民医院", "negative"),
        ("+8613900000002", "+8613900000002", "2026-11-01 10:05", "莲花社康采样点", "negative"),
    ]

    # Excel's plain CSV on Chinese Windows (GBK), another system's words, text dates
    gbk = write_csv(
        tmp_path / "检测结果.csv",
        [
            ["身份证", "姓名", "联系方式", "检测时间", "检测单位", "结果"],
            [b, "钱小七", "13700000007", "2026/11/1 14:20", "福田区第二人民医院", "阴性"],
            ["", "孙小八", "137 0000 0008", "11月1日 15:00", "福田区第二人民医院", "阳性"],
            ["", "周小九", "13700000009", "2026-11-01", "福田区第二人民医院", "待出"],
        ],
        encoding="gbk",
    )
    report = run(store, gbk)
    assert report.columns["test_time"] == "D 检测时间" and report.columns["site"] == "E 检测单位"
    assert (report.rows_read, report.new_results, report.positive) == (3, 3, 1)
    tail = [(r["person"], r["tested_at"], r["result"]) for r in results(store)[2:]]
    assert tail == [
        (b, "2026-11-01 14:20", "negative"),
        ("+8613700000008", "2026-11-01 15:00", "positive"),
        ("+8613700000009", "2026-11-01", "pending"),
    ]


def test_columns_found_by_their_cells_and_a_file_without_person_or_time_is_refused(
    store: Store, tmp_path: Path
) -> None:
    # no header row at all: the cells say what each column holds
    plain = write_csv(
        tmp_path / "导出.csv",
        [
            [make_id("19900101"), "2026-11-01 09:30", "福田区莲花社康采样点", "阴性"],
            [make_id("19900102"), "2026-11-01 09:40", "福田区莲花社康采样点", "阴性"],
            [make_id("19900103"), "2026-11-01 09:50", "福田区人民医院", "阳性"],
        ],
    )
    report = run(store, plain)
    assert report.columns == {"id_number": "A", "test_time": "B", "site": "C", "result": "D"}
    assert (report.new_results, report.positive) == (3, 1)
    # a column the finder cannot tell is named on the command line
    vague = write_csv(
        tmp_path / "vague.csv",
        [["证件号码", "备注"], [make_id("19900104"), "待定"], [make_id("19900105"), "11-01"]],
    )
    with pytest.raises(ImportFailed) as no_time:
        run(store, vague)
    assert "test time" in str(no_time.value) and "--map 'E=test_time'" in str(no_time.value)
    report = run(store, vague, mapping={"备注": "test_time"})
    assert report.new_results == 1 and dict(report.rejected) == {"result_no_time": 1}
    names_only = write_csv(
        tmp_path / "名单.csv", [["姓名", "采样时间"], ["王小明", "2026-11-01 09:30"]]
    )
    with pytest.raises(ImportFailed) as no_person:
        run(store, names_only)
    assert "ID number or the person's phone" in str(no_person.value)
    # someone else's number is never the person's
    other = write_csv(
        tmp_path / "other.csv",
        [["紧急联系人电话", "采样时间"], ["13800000001", "2026-11-01 09:30"]],
    )
    with pytest.raises(ImportFailed):
        run(store, other)
    assert len(results(store)) == 4


# -- matching -----------------------------------------------------------------------------------


def _list(store: Store, rows: list[dict[str, object]], name: str = "1102名单") -> int:
    return store.add_batch(name, rows, "lead")


def test_match_by_id_by_phone_and_by_an_alternate_never_by_name(
    store: Store, tmp_path: Path
) -> None:
    mother, child = make_id("19800101"), make_id("20180101", "222")
    batch = _list(
        store,
        [
            {"phone": phone(1), "name": "王小明", "id_number": make_id("19900101")},  # by ID
            {"phone": phone(2), "name": "李小红"},  # by phone
            {"phone": phone(3), "name": "张小刚", "alt_phones": [phone(103)]},  # by alternate
            {"phone": phone(4), "name": "陈小兰", "id_number": child},  # shares mother's phone
            {"phone": phone(5), "name": "刘小东"},  # same name as a result: never by name
            {"phone": phone(6), "id_number": mother, "id_flag": "damaged_by_excel"},
        ],
        )  # fmt: skip
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["王小明", make_id("19900101"), "13911111111", "2026-11-01 09:00", "A点", "阴性"],
            ["李小红", "", phone(2)[3:], "2026-11-01 09:00", "A点", "阴性"],
            ["张小刚", "", phone(103)[3:], "2026-11-01 09:00", "A点", "阴性"],
            ["陈母", mother, phone(4)[3:], "2026-11-01 09:00", "A点", "阴性"],
            ["刘小东", "", "13922222222", "2026-11-01 09:00", "A点", "阴性"],
            ["某某", "", phone(6)[3:], "2026-11-01 09:00", "A点", "阴性"],
        ],
    )
    report = run(store, path)
    states = {t["id"]: (t["state"], t["final_outcome"]) for t in map(dict, store.conn.execute(
        "SELECT id, state, final_outcome FROM tasks WHERE batch_id = ?", (batch,)))}  # fmt: skip
    closed = {tid for tid, (state, outcome) in states.items() if outcome == "test_matched"}
    # the child's task is not closed by the mother's test on the shared phone, nor 刘小东's by
    # another 刘小东's; an ID Excel damaged is no ID: the phone decides
    assert closed == {1, 2, 3, 6}
    assert report.matched == 4 and states[4] == ("pending", None) and states[5] == ("pending", None)
    assert task(store, 1)["test_result"] == results(store)[0]["id"]
    events = store.conn.execute(
        "SELECT task_id, detail FROM events WHERE kind = 'test_matched' ORDER BY task_id"
    ).fetchall()
    assert [e[0] for e in events] == [1, 2, 3, 6]
    for _, detail in events:  # the audit names the evidence, never the person
        assert set(json.loads(detail)) == {"result"}
        assert "王小明" not in detail and phone(2) not in detail
    # the matches' events are links of the audit chain like any other (doctor finds it whole)
    assert chain.verify_database(store.conn).ok


def test_a_test_before_arrival_does_not_close_the_task_and_the_card_says_why(
    store: Store, tmp_path: Path
) -> None:
    _list(
        store,
        [
            {"phone": phone(1), "arrival": "2026-11-01 14:00"},  # tested that morning: counts
            {"phone": phone(2), "arrival": "2026-10-31"},  # tested 10-29: before arriving
            {"phone": phone(3), "arrival": "2026-10-31"},  # a positive test: never closes
        ],
    )
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"],
            ["乙", "", phone(2)[3:], "2026-10-29 08:00", "B点", "阴性"],
            ["丙", "", phone(3)[3:], "2026-11-01 08:00", "C点", "阳性"],
        ],
    )
    report = run(store, path)
    assert (report.matched, report.before, report.positive_tasks) == (1, 1, 1)
    assert task(store, 1)["final_outcome"] == "test_matched"
    assert task(store, 2)["state"] == "pending" and task(store, 3)["state"] == "pending"
    context = evidence(store, store.get_task(2))
    assert context is not None and not context.counts
    assert (context.tested_at, context.site, context.reason) == (
        "2026-10-29 08:00", "B点", "before_arrival",
    )  # fmt: skip
    assert evidence(store, store.get_task(3)).reason == "positive"  # type: ignore[union-attr]


@pytest.mark.parametrize(("window", "closed"), [(2, {1, 2}), (0, {1}), (5, {1, 2, 3})])
def test_without_an_arrival_the_window_before_the_list_decides(
    config: Config, clock: Clock, tmp_path: Path, window: int, closed: set[int]
) -> None:
    store = Store(replace(config, window_days=window), clock=clock)  # the list: 11-02 10:00
    _list(store, [{"phone": phone(i)} for i in (1, 2, 3)])
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["甲", "", phone(1)[3:], "2026-11-02 08:00", "A点", "阴性"],
            ["乙", "", phone(2)[3:], "2026-10-31 23:00", "A点", "阴性"],
            ["丙", "", phone(3)[3:], "2026-10-28 08:00", "A点", "阴性"],
        ],
    )
    run(store, path)
    got = {r[0] for r in store.conn.execute("SELECT id FROM tasks WHERE state = 'done'")}
    assert got == closed


def test_the_same_file_twice_adds_nothing_a_newer_file_adds_results(
    store: Store, tmp_path: Path, cli_env: Path
) -> None:
    _list(store, [{"phone": phone(i)} for i in range(3)])
    rows = [HEADER, ["甲", "", phone(0)[3:], "2026-11-01 08:00", "A点", "阴性"]]
    first = write_csv(tmp_path / "1101.csv", rows)
    assert run(store, first).new_results == 1
    again = runner.invoke(app, ["results", "import", str(first)])
    assert again.exit_code == 0, again.output
    assert "同一文件已于" in again.output and "没有新增内容" in again.output
    assert len(results(store)) == 1
    # the next export repeats yesterday's tests and adds today's
    newer = write_csv(
        tmp_path / "1102.csv",
        [*rows, ["乙", "", phone(1)[3:], "2026-11-02 08:00", "A点", "阴性"]],
    )
    report = run(store, newer)
    assert (report.new_results, report.known_results, report.matched) == (1, 1, 1)
    assert len(results(store)) == 2
    counts = store.conn.execute(
        "SELECT count(*) FROM tasks WHERE final_outcome = 'test_matched'"
    ).fetchone()[0]
    assert counts == 2


def test_a_list_imported_after_the_results_is_matched_at_once(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, ["王小明", make_id("19900101"), "", "2026-11-01 09:00", "A点", "阴性"]],
    )
    run(store, path)
    listed = tmp_path / "1102名单.csv"
    write_csv(
        listed,
        [["姓名", "联系电话", "身份证号", "抵深时间"],
         ["王小明", "13800000001", make_id("19900101"), "2026-10-31"],
         ["李小红", "13800000002", "", "2026-10-31"]],
    )  # fmt: skip
    # the dry run says it too, with nothing written
    [dry] = import_files(store, [listed], ImportOptions(dry_run=True), "lead")
    assert dry.matched_by_results == 1 and dry.tasks_created == 2
    assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    # a second list of the same command with the same person: linked to the first, once
    other = write_csv(
        tmp_path / "1103名单.csv",
        [["姓名", "联系电话", "身份证号"], ["王小明", "13800000001", make_id("19900101")],
         ["赵六", "13800000006", ""]],
    )  # fmt: skip
    both = import_files(store, [listed, other], ImportOptions(dry_run=True), "lead")
    assert [r.matched_by_results for r in both] == [1, 0]
    [report] = import_files(store, [listed], ImportOptions(), "lead")
    assert report.matched_by_results == 1 and report.tasks_created == 2
    rows = store.conn.execute("SELECT phone, state, final_outcome FROM tasks ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("+8613800000001", "done", "test_matched"), ("+8613800000002", "pending", None),
    ]  # fmt: skip


def test_a_linked_row_follows_its_open_task(store: Store, tmp_path: Path) -> None:
    from callroom import reports

    first = _list(store, [{"phone": phone(1)}, {"phone": phone(2)}], "周一")
    _list(store, [{"phone": phone(1), "state": "linked", "linked_to": 1}], "周二")
    run(store, write_csv(tmp_path / "r.csv",
                         [HEADER, ["甲", "", phone(1)[3:], "2026-11-02 08:00", "A点", "阴性"]]))  # fmt: skip
    assert task(store, 1)["final_outcome"] == "test_matched" and first
    assert task(store, 3)["state"] == "linked"
    rep = reports.build(store)
    by = {b.name: b for b in rep.batches}
    assert (by["周一"].matched_data, by["周一"].match_rate) == (1, 0.5)
    assert (by["周二"].matched_data, by["周二"].match_rate) == (1, 1.0)


def test_a_card_held_by_a_caller_is_not_closed_under_her(
    config: Config, clock: Clock, store: Store, tmp_path: Path
) -> None:
    _list(store, [{"phone": phone(1)}, {"phone": phone(2)}])
    caller = Store(config, clock=clock)
    card = caller.next_card("alice")
    assert card is not None and card.id == 1
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"],
         ["乙", "", phone(2)[3:], "2026-11-01 08:00", "A点", "阴性"]],
    )  # fmt: skip
    report = run(store, path)
    assert (report.matched, report.held) == (1, 1)
    held = caller.get_task(1)
    assert held.state == "pending" and held.test_result is not None
    on_screen = store.conn.execute(
        "SELECT operator, detail FROM events WHERE kind = 'test_matched_on_screen'"
    ).fetchall()
    assert [(r[0], json.loads(r[1])["held_by"]) for r in on_screen] == [("lead", "alice")]
    # importing again says nothing new about that card
    run(store, path)
    assert (
        store.conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'test_matched_on_screen'"
        ).fetchone()[0]
        == 1
    )
    # only the caller who holds it closes it, with her key
    with pytest.raises(StoreError):
        close_matched(store, 1, "bob")
    closed = close_matched(caller, 1, "alice")
    assert (closed.state, closed.final_outcome, closed.closed_by) == (
        "done",
        "test_matched",
        "alice",
    )
    assert caller.next_card("alice") is None  # the other one was closed by the import


def test_a_caller_may_still_record_her_own_outcome_on_a_held_match(
    config: Config, clock: Clock, store: Store, tmp_path: Path
) -> None:
    _list(store, [{"phone": phone(1)}])
    caller = Store(config, clock=clock)
    card = caller.next_card("alice")
    run(store, write_csv(tmp_path / "r.csv",
                         [HEADER, ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"]]))  # fmt: skip
    assert caller.record(card.id, "already_tested", "alice") == "done"  # type: ignore[union-attr]
    # a task released without a word is closed by the next matching
    _list(store, [{"phone": phone(2)}], "下一张")
    card = caller.next_card("alice")
    run(store, write_csv(tmp_path / "r2.csv",
                         [HEADER, ["乙", "", phone(2)[3:], "2026-11-01 08:00", "A点", "阴性"]]))  # fmt: skip
    caller.release(card.id, "alice")  # type: ignore[union-attr]
    assert match_open_tasks(store, "lead").closed == 1
    assert task(store, card.id)["final_outcome"] == "test_matched"  # type: ignore[union-attr]


def test_a_bad_file_in_the_command_leaves_nothing(store: Store, tmp_path: Path) -> None:
    _list(store, [{"phone": phone(1)}])
    good = write_csv(
        tmp_path / "good.csv", [HEADER, ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"]]
    )
    bad = write_csv(tmp_path / "bad.csv", [["姓名", "备注"], ["甲", "无"]])
    with pytest.raises(ImportFailed):
        import_results(store, [good, bad], ResultsOptions(), "lead")
    assert results(store) == [] and task(store, 1)["state"] == "pending"
    assert store.conn.execute("SELECT count(*) FROM result_files").fetchone()[0] == 0


def test_dry_run_counts_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    _list(store, [{"phone": phone(1)}])
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"]]
    )
    report = run(store, path, dry_run=True)
    assert (report.new_results, report.matched) == (1, 1)
    assert results(store) == [] and task(store, 1)["state"] == "pending"
    assert not (tmp_path / "r.csv.rejects.csv").exists()


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli_env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = config.database.parent / "cfg.toml"
    path.write_text(f'[general]\ndatabase = "{config.database}"\n', "utf-8")
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    return path


def test_cli_says_matched_closed_and_on_screen_without_contradiction(
    config: Config, store: Store, tmp_path: Path, cli_env: Path
) -> None:
    _list(store, [{"phone": phone(1)}, {"phone": phone(2)}, {"phone": phone(3)}])
    caller = Store(config)  # the real clock, as the command's: her card's lease is current
    assert caller.next_card("alice").id == 1  # type: ignore[union-attr]
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, *(["某", "", phone(i)[3:], "2026-11-01 08:00", "A点", "阴性"] for i in (1, 2))],
    )
    zh = runner.invoke(app, ["results", "import", str(path)], env={"COLUMNS": "200"})
    assert zh.exit_code == 0, zh.output
    line = next(x for x in zh.output.splitlines() if x.startswith("数据匹配"))
    assert (
        line.startswith("数据匹配：2 件任务抵深后已做核酸。1 件已结案")
        and "1 件正在拨打员屏幕上" in line
    )
    assert "按 t 或记录结果时结案" in line and "0 件" not in zh.output
    store.conn.execute("UPDATE tasks SET test_result = NULL WHERE id = 1")
    en = runner.invoke(app, ["--lang", "en", "results", "match"], env={"COLUMNS": "200"})
    assert "Matched: 1 tasks tested since arriving. 0 closed" in en.output
    assert "1 on a caller's screen" in en.output


def test_cli_import_summary_in_both_languages(store: Store, tmp_path: Path, cli_env: Path) -> None:
    _list(store, [{"phone": phone(1)}, {"phone": phone(2), "arrival": "2026-11-01"}])
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["甲", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"],
            ["乙", "", phone(2)[3:], "2026-10-20 08:00", "A点", "阴性"],
            ["丙", "", "", "2026-10-20 08:00", "A点", "阴性"],
        ],
    )
    zh = runner.invoke(app, ["results", "import", str(path), "--dry-run"], env={"COLUMNS": "80"})
    assert zh.exit_code == 0, zh.output
    flat = "".join(zh.output.split())
    assert "新增结果2" in flat and "数据匹配：1件任务将结案" in flat and "试运行" in flat
    assert results(store) == []
    en = runner.invoke(app, ["--lang", "en", "results", "import", str(path)],
                       env={"COLUMNS": "100"})  # fmt: skip
    assert en.exit_code == 0, en.output
    assert "New results" in en.output and "Matched: 1 tasks tested since arriving" in en.output
    assert "1 tasks were tested only before arriving" in en.output
    assert "row 4" in en.output and "r.csv.rejects.csv" in en.output
    listing = runner.invoke(app, ["results"])
    assert listing.exit_code == 0 and "r.csv" in listing.output
    assert "共 2 条核酸结果" in listing.output
    nothing = runner.invoke(app, ["results", "import", str(tmp_path / "nope.csv")])
    assert nothing.exit_code == 1 and "Traceback" not in nothing.output


def test_cli_match_again_after_the_window_changes(
    store: Store, tmp_path: Path, cli_env: Path
) -> None:
    _list(store, [{"phone": phone(1)}])
    run(store, write_csv(tmp_path / "r.csv",
                         [HEADER, ["甲", "", phone(1)[3:], "2026-10-28 08:00", "A点", "阴性"]]))  # fmt: skip
    assert task(store, 1)["state"] == "pending"  # 5 days before the list: outside 2 days
    cli_env.write_text(cli_env.read_text("utf-8") + "[results]\nwindow_days = 7\n", "utf-8")
    done = runner.invoke(app, ["results", "match"])
    assert done.exit_code == 0, done.output and "1 件任务" in done.output
    assert task(store, 1)["final_outcome"] == "test_matched"


def test_results_config_is_checked(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[results]\nwindow_days = -1\n", "utf-8")
    with pytest.raises(ConfigError) as bad:
        load_config(cfg)
    assert "[results] window_days" in str(bad.value) and str(cfg) in str(bad.value)
    cfg.write_text('[results]\nconfirmed_outcomes = ["tested"]\n', "utf-8")
    with pytest.raises(ConfigError) as unknown:
        load_config(cfg)
    assert "confirmed_outcomes" in str(unknown.value) and "already_tested" in str(unknown.value)
    cfg.write_text('[results]\nconfirmed_outcomes = ["verified"]\nwindow_days = 3\n', "utf-8")
    loaded = load_config(cfg)
    assert (loaded.confirmed_outcomes, loaded.window_days) == (("verified",), 3)


# -- privacy: purge ------------------------------------------------------------------------------


def _file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


@pytest.mark.sqlite_only("reads the SQLite file's bytes (PostgreSQL's own storage is the server's)")
def test_purge_leaves_nothing_readable(
    config: Config, store: Store, tmp_path: Path, cli_env: Path
) -> None:
    _list(store, [{"phone": phone(1)}])
    stranger_id, stranger_phone = make_id("19770707", "777"), "13712345678"
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            ["甲", "", phone(1)[3:], "2026-10-31 08:00", "莲花山公园采样点", "阴性"],
            ["陌生人", stranger_id, stranger_phone, "2026-10-30 08:00", "福田口岸采样点", "阴性"],
            ["新近", "", "13600000006", "2026-11-02 08:00", "皇岗村采样点", "阴性"],
        ],
    )
    run(store, path)
    assert task(store, 1)["final_outcome"] == "test_matched"
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    secrets = [stranger_id.encode(), f"+86{stranger_phone}".encode(),
               "福田口岸采样点".encode(), "莲花山公园采样点".encode(), "陌生人".encode()]  # fmt: skip
    before = _file_bytes(config.database)
    assert all(s in before for s in secrets)  # the scan can see them
    done = runner.invoke(app, ["results", "purge", "--before", "2026-11-01", "--yes"])
    assert done.exit_code == 0, done.output
    assert "2 条核酸结果" in done.output
    after = _file_bytes(config.database)
    for secret in secrets:
        assert secret not in after, secret
    assert "皇岗村采样点".encode() in after  # a later test is kept
    # the task stays closed, its evidence gone with the result
    row = task(store, 1)
    assert (row["final_outcome"], row["test_result"]) == ("test_matched", None)
    event = store.conn.execute("SELECT detail FROM events WHERE kind = 'results_purge'").fetchone()
    assert json.loads(event[0]) == {"before": "2026-11-01", "results": 2, "tasks": 1}


def test_purge_is_for_leads_and_asks_first(
    config: Config, store: Store, tmp_path: Path, cli_env: Path
) -> None:
    run(store, write_csv(tmp_path / "r.csv",
                         [HEADER, ["甲", "", "13600000006", "2026-10-01 08:00", "A点", "阴性"]]))  # fmt: skip
    cli_env.write_text(cli_env.read_text("utf-8") + '[roles]\nleads = ["somebody-else"]\n', "utf-8")
    refused = runner.invoke(app, ["results", "purge", "--before", "2026-11-01", "--yes"])
    assert refused.exit_code == 1 and "仅限组长" in refused.output
    assert len(results(store)) == 1
    me = load_config().login
    cli_env.write_text(cli_env.read_text("utf-8").replace("somebody-else", me), "utf-8")
    unasked = runner.invoke(app, ["results", "purge", "--before", "2026-11-01"])
    assert unasked.exit_code == 2 and "--yes" in unasked.output  # no terminal to ask on
    assert len(results(store)) == 1
    bad = runner.invoke(app, ["results", "purge", "--before", "11月1日", "--yes"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    done = runner.invoke(app, ["results", "purge", "--before", "2026-11-01", "--yes"])
    assert done.exit_code == 0 and results(store) == []


# -- the match rate in every report format -------------------------------------------------------


def test_match_rate_in_every_report_format_and_the_export(
    config: Config, clock: Clock, store: Store, tmp_path: Path, cli_env: Path
) -> None:
    from callroom import reports
    from callroom.export import export

    _list(store, [{"phone": phone(i)} for i in range(10)], "1102名单")
    caller = Store(config, clock=clock)
    card = caller.next_card("alice")
    caller.record(card.id, "already_tested", "alice")  # type: ignore[union-attr]
    run(store, write_csv(tmp_path / "r.csv", [
        HEADER, *(["某", "", phone(i)[3:], "2026-11-01 08:00", "莲花社康采样点", "阴性"]
                  for i in (5, 6, 7))]))  # fmt: skip
    rep = reports.build(store)
    assert (rep.matched_data, rep.matched_call, rep.saved_today) == (3, 1, 3)
    assert rep.rates.match_rate == 0.4 and rep.batches[0].match_rate == 0.4
    # a data-matched case was never in the calling: it is out of the AAPOR rates
    assert rep.rates.not_eligible == 3 and rep.rates.complete == 1

    table = runner.invoke(app, ["report", *DAY], env={"COLUMNS": "80"}).output
    assert (
        "核酸匹配率 40.0% (4/10，数据3 电话1)" in table and "11-02匹配免拨 3" in table
    )  # --date: that day, not "today"
    row = next(line for line in table.splitlines() if line.startswith("1102名单"))
    assert row.split()[1:5] == ["4/10", "40%", "10%", "40%"]  # done, %, verified, match
    chat = runner.invoke(app, ["report", *DAY, "--format", "chat"]).output
    assert "核酸匹配 4 (40%)" in chat and "匹配来源：数据3 电话1" in chat
    data = json.loads(runner.invoke(app, ["report", *DAY, "--format", "json"]).output)
    assert data["batches"][0]["match_rate"] == 0.4 and data["rates"]["match_rate"] == 0.4
    assert (data["matched_data"], data["matched_call"], data["saved_today"]) == (3, 1, 3)
    rows = list(
        csv.reader(runner.invoke(app, ["report", *DAY, "--format", "csv"]).output.splitlines())
    )
    assert ["名单核酸匹配", "1102名单", "4", "10", "40.0"] in rows
    assert ["匹配来源", "数据匹配", "3", "4", "75.0"] in rows
    assert ["口径", "核酸匹配率", "", "", "40.0"] in rows
    english = runner.invoke(app, ["--lang", "en", "report", *DAY], env={"COLUMNS": "80"}).output
    assert "Match rate 40.0% (4/10: data 3, phone 1)" in english
    # the export: the source and the evidence in the district's template
    out = tmp_path / "结果.csv"
    export(store, [rep.batches[0].id], out, "csv", "lead")
    with out.open(encoding="utf-8-sig") as f:
        lines = list(csv.DictReader(f))
    assert [r["核酸匹配来源"] for r in lines].count("数据匹配") == 3
    assert [r["核酸匹配来源"] for r in lines].count("电话确认") == 1
    matched = [r for r in lines if r["核酸匹配来源"] == "数据匹配"]
    assert {(r["采样时间"], r["采样点"], r["核查结果"]) for r in matched} == {
        ("2026-11-01 08:00", "莲花社康采样点", "已做核酸（数据匹配）")
    }


# -- the reader's fast path -------------------------------------------------------------------

_cells = {
    "first": st.sampled_from([1.0, 2, "示例", "例：", "", "序号", None, "合计"]),
    "name": st.sampled_from(["张三", "魏淑芬", "", None, "x" * 80, "姓名"]),
    "id": st.sampled_from(
        [
            make_id("19500101"),
            make_id("19900101"),
            4.40304199001011e17,
            "",
            None,
            "123",
            "11010519491231002x",
            make_id("19900101")[:17] + "0",
            "证件号码",
        ]
    ),
    "phone": st.sampled_from(
        [
            13812345678.0,
            "13812345679",
            "+86 139-1234-5678",
            "12",
            "",
            None,
            "19894146647（本人）",
            "138 1234 5670（父亲）",
            "{phone}",
            "手机号码",
        ]
    ),
    "time": st.sampled_from(
        [
            datetime(2026, 11, 1, 9, 30),
            datetime(2026, 11, 1),
            datetime(2026, 12, 25, 9, 0),
            "2026/11/1 9:30",
            "11月1日",
            "明天",
            "",
            None,
            46000.0,
            "采样时间",
        ]
    ),
    "site": st.sampled_from(["莲花社康采样点", "", None, "y" * 200, "{site}", "采样点"]),
    "result": st.sampled_from(["阴性", "阳性", "待出", "复检", "", None, 1.0]),
}
_rows = st.lists(
    st.tuples(*(_cells[k] for k in ("first", "name", "id", "phone", "time", "site", "result"))).map(
        list
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=120, deadline=None, database=None)
@given(_rows, st.integers(0, 2))
def test_the_fast_path_reads_rows_as_read_does(body: list[list[object]], cut: int) -> None:
    from datetime import date

    from callroom.importer.header import find_header, plan_sheet
    from callroom.importer.rows import Tally
    from callroom.results.importing import _synonyms
    from callroom.results.roles import RESULTS_LIST
    from callroom.results.rows import ResultRowReader

    config = load_config()
    header = ["序号", "姓名", "证件号码", "手机号码", "采样时间", "采样点", "检测结果"]
    # the layout from a usual sample; the rows read by it are anything
    usual = [[i, "王小明", make_id("19900101"), 13812345678.0, datetime(2026, 11, 1, 9, 30),
              "莲花社康采样点", "阴性"] for i in range(1, 4)]  # fmt: skip
    guess = find_header([header, *usual], RESULTS_LIST)
    layout = plan_sheet(guess, usual, 0, _synonyms(config), {}, RESULTS_LIST)
    assert layout.fields["test_time"] == 4 and layout.phone == 3
    rows_ = [row[: len(row) - cut] for row in body]
    today = date(2026, 11, 2)
    one, many = (ResultRowReader(layout, config, "S", today, tally=Tally()) for _ in range(2))
    expected = [one.read(row, 2 + i) for i, row in enumerate(rows_)]
    for i, row in enumerate(rows_):  # the fast path meets text dates read once before
        many.read(row, 2 + i)
    many.tally = Tally()
    assert many.read_many(rows_, 2) == expected
    assert many.tally == one.tally


# -- a long export: several transactions ---------------------------------------------------------


@pytest.mark.sqlite_only("PostgreSQL publishes an export in one transaction, however long")
def test_a_long_export_is_published_in_several_short_transactions(
    config: Config, clock: Clock, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callroom.results import importing

    monkeypatch.setattr(importing, "PUBLISH_ROWS", 4)
    monkeypatch.setattr(importing, "MIN_PUBLISH_ROWS", 3)
    monkeypatch.setattr(importing, "MAX_PUBLISH_ROWS", 4)
    monkeypatch.setattr(importing, "YIELD_SECONDS", 0)
    _list(store, [{"phone": phone(i)} for i in range(12)])
    # a result known from an earlier export, for a task of this list
    run(store, write_csv(tmp_path / "old.csv",
                         [HEADER, ["某", "", phone(11)[3:], "2026-11-01 08:00", "A点", "阴性"]]))  # fmt: skip
    store.conn.execute(
        "UPDATE tasks SET state = 'pending', final_outcome = NULL, test_result = NULL WHERE id = 12"
    )
    commits = []
    real = Store.transaction

    def counted(self: Store, *a: object, **k: object):  # type: ignore[no-untyped-def]
        commits.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(Store, "transaction", counted)
    rows = [["某", "", phone(i)[3:], "2026-11-01 08:00", "A点", "阴性"] for i in range(12)]
    rows += [["某", "", f"1360000{i:04d}", "2026-11-01 08:00", "A点", "阴性"] for i in range(6)]
    report = run(store, write_csv(tmp_path / "long.csv", [HEADER, *rows]))
    assert len(commits) >= 4  # 17 new results, 4 at a time
    assert (report.new_results, report.known_results, report.matched) == (17, 1, 12)
    assert len(results(store)) == 18
    evidence_of = {
        r["id"]: r["phone"] for r in results(store)
    }  # every closed task points at its own person's test
    for t in map(dict, store.conn.execute("SELECT phone, test_result FROM tasks")):
        assert evidence_of[t["test_result"]] == t["phone"]
    counts = json.loads(
        store.conn.execute("SELECT counts FROM result_files ORDER BY id DESC").fetchone()[0]
    )
    assert "incomplete" not in counts and counts["new"] == 17


def test_results_another_import_added_meanwhile_keep_every_id_right(
    config: Config, clock: Clock, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callroom.results import match

    _list(store, [{"phone": phone(i)} for i in range(3)])
    other = Store(config, clock=clock)
    real_fill = match.Plan.fill
    done: list[bool] = []

    def fill_then_someone_imports(self: match.Plan, chosen: list[match.Candidate]) -> None:
        real_fill(self, chosen)
        if self.store is store and not done:  # the lead's colleague imports, meanwhile
            done.append(True)
            run(other, write_csv(tmp_path / "theirs.csv", [
                HEADER, ["某", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"],
                ["某", "", "13600000009", "2026-11-01 08:00", "B点", "阴性"]]))  # fmt: skip

    monkeypatch.setattr(match.Plan, "fill", fill_then_someone_imports)
    mine = write_csv(tmp_path / "mine.csv", [
        HEADER, *(["某", "", phone(i)[3:], "2026-11-01 08:00", "A点", "阴性"] for i in range(3))])  # fmt: skip
    report = run(store, mine)
    assert (report.new_results, report.known_results) == (2, 1)
    assert len(results(store)) == 4
    by_id = {r["id"]: r["phone"] for r in results(store)}
    closed = store.conn.execute("SELECT phone, test_result FROM tasks ORDER BY id").fetchall()
    assert [by_id[t] == p for p, t in closed] == [True, True, True]


@pytest.mark.sqlite_only("PostgreSQL publishes an export in one transaction, however long")
def test_an_export_cut_short_is_completed_by_importing_it_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callroom.results import importing

    monkeypatch.setattr(importing, "PUBLISH_ROWS", 3)
    monkeypatch.setattr(importing, "MIN_PUBLISH_ROWS", 3)
    monkeypatch.setattr(importing, "MAX_PUBLISH_ROWS", 3)
    monkeypatch.setattr(importing, "YIELD_SECONDS", 0)
    _list(store, [{"phone": phone(i)} for i in range(8)])
    path = write_csv(tmp_path / "r.csv", [
        HEADER, *(["某", "", phone(i)[3:], "2026-11-01 08:00", "A点", "阴性"] for i in range(8))])  # fmt: skip
    real = importing._Stage._results
    calls: list[int] = []

    def killed_in_the_second(self, ids, reports, start, end):  # type: ignore[no-untyped-def]
        calls.append(start)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C, a kill: the second chunk never commits
        return real(self, ids, reports, start, end)

    monkeypatch.setattr(importing._Stage, "_results", killed_in_the_second)
    with pytest.raises(KeyboardInterrupt):
        run(store, path)
    assert len(results(store)) == 3  # the first chunk, whole, with the tasks it closed
    assert store.conn.execute("SELECT count(*) FROM tasks WHERE state = 'done'").fetchone()[0] == 3
    monkeypatch.setattr(importing._Stage, "_results", real)
    other = run(store, write_csv(tmp_path / "other.csv", [
        HEADER, ["某", "", "13600000009", "2026-11-01 08:00", "B点", "阴性"]]))  # fmt: skip
    assert any("cut short" in str(w) for w in other.warnings)
    report = run(store, path)
    assert (report.new_results, report.known_results, report.matched) == (5, 3, 5)
    assert not any("cut short" in str(w) for w in report.warnings)
    assert store.conn.execute("SELECT count(*) FROM tasks WHERE state = 'done'").fetchone()[0] == 8


def test_status_counts_the_tasks_the_results_closed(
    store: Store, tmp_path: Path, cli_env: Path
) -> None:
    _list(store, [{"phone": phone(i)} for i in range(2)])
    run(store, write_csv(tmp_path / "r.csv",
                         [HEADER, ["某", "", phone(0)[3:], "2026-11-01 08:00", "A点", "阴性"]]))  # fmt: skip
    out = runner.invoke(app, ["status"], env={"COLUMNS": "100"}).output
    row = next(line for line in out.splitlines() if "已做核酸（数据匹配）" in line)
    assert row.replace("│", " ").split()[-2:] == ["1", "0"]


def test_the_demo_imports_the_sample_results(tmp_path: Path) -> None:
    from callroom.commands import calling

    config_path = calling.build_demo(tmp_path / "demo", {})
    with Store(load_config(config_path)) as demo:
        held = demo.conn.execute("SELECT count(*) FROM results").fetchone()[0]
        closed = demo.conn.execute(
            "SELECT count(*) FROM tasks WHERE final_outcome = 'test_matched'"
        ).fetchone()[0]
    assert held > 20 and closed > 10


def test_one_person_on_two_lists_is_one_call_saved(store: Store, tmp_path: Path) -> None:
    """The same list imported again (--again) makes a second task for a person the matching
    closed: closed again, but it saved one call, not two."""
    from callroom import reports

    _list(store, [{"phone": phone(1)}, {"phone": phone(2)}], "1102名单")
    path = write_csv(
        tmp_path / "r.csv", [HEADER, ["某", "", phone(1)[3:], "2026-11-01 08:00", "A点", "阴性"]]
    )
    run(store, path)
    _list(store, [{"phone": phone(1)}], "1102名单")  # the closed person listed again
    from callroom.results.match import match_open_tasks

    assert match_open_tasks(store, "lead").closed == 1
    rep = reports.build(store)
    assert rep.matched_data == 2 and rep.saved_today == 1
