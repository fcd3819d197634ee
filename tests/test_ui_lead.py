"""The lead pane, driven by Pilot while simulated callers write to the same database."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console
from textual import events
from textual.widgets import DataTable, Static, TabbedContent
from textual.worker import WorkerCancelled
from ui_support import screen_text

from callroom import reports
from callroom.app import make_app
from callroom.config import Config
from callroom.export import table as export_table
from callroom.i18n import t
from callroom.lead_app import LeadApp
from callroom.report_text import due, share, table_lines
from callroom.results.importing import import_results
from callroom.screens.lead import TABS, TASK_TABS, LeadScreen
from callroom.screens.lead_help import LeadHelp
from callroom.screens.prompt import ChoicePrompt
from callroom.store import Store

from conftest import Clock, phone


def text_of(screen: LeadScreen, selector: str) -> str:
    """What a Static shows, as plain text at the pane's width."""
    console = Console(width=78, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


async def refreshed(pilot, screen: LeadScreen) -> None:
    """Refresh now and wait until the new figures are on screen."""
    for _ in range(5):  # the pane's own timer may supersede our refresh: then wait for its
        try:
            await screen.refresh_report().wait()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def footer_text(app) -> str:
    return screen_text(app).splitlines()[-1]


def as_caller(config: Config) -> Config:
    """[roles] set, and the account running the test is not among the leads."""
    return replace(config, leads=(f"boss-{config.login}",))


async def test_pane_follows_several_callers_live(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    people = [{"phone": phone(i), "name": f"王小{i}", "address": f"园岭{i}栋"} for i in range(6)]
    people[5]["flags"] = ["pregnant"]
    lead.add_batch("1102名单", people, "lead", deadline=clock.now + timedelta(hours=1))
    alice, bob = Store(config, clock=clock), Store(config, clock=clock)

    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LeadScreen)
        await refreshed(pilot, screen)
        assert "0/6" in text_of(screen, "#lead-batches")
        assert screen.query_one(TabbedContent).get_tab("tab-urgent").label.plain.endswith("1")
        # nobody has called: the chart is empty, not a full bar
        chart = text_of(screen, "#lead-chart")
        assert "今天还没有通话" in chart and not re.search(r"[\[.:=+*#%█▁]", chart)

        # two callers work while the pane is open
        for store, op, outcome in [(alice, "alice", "verified"), (bob, "bob", "empty_number"),
                                   (alice, "alice", "refused"), (bob, "bob", "verified")]:  # fmt: skip
            card = store.next_card(op)
            store.record(card.id, outcome, op, note="不配合" if outcome == "refused" else "")
            clock.advance(minutes=5)
        alice.next_card("alice")
        clock.advance(minutes=4)
        await refreshed(pilot, screen)

        batches = text_of(screen, "#lead-batches")
        assert "4/6" in batches and "剩36分" in batches
        assert "核实率 33.3% (2/6)" in text_of(screen, "#lead-rates")
        assert "每30分钟通话  10:00 4" in text_of(screen, "#lead-chart")  # 4 calls since 10:00
        callers = {r[0]: r for r in rows(screen.query_one("#callers", DataTable))}
        # time in the current state, not a start time: alice took a card 4 minutes ago, bob's
        # last call was at 10:15
        assert callers["alice"][1:3] == ["2", "1"] and callers["alice"][4:] == [
            "拨打中",
            "4分",
            "0:00",
        ]
        assert callers["bob"][1:3] == ["2", "1"] and callers["bob"][4:] == ["空闲", "9分", "0:00"]
        outcomes = {r[0]: r[1:] for r in rows(screen.query_one("#outcomes", DataTable))}
        # done in the lists (4) is the outcome table's total
        assert outcomes["合计"] == ["4", "4"] and outcomes["转上门排查"] == ["1", "0"]
        assert outcomes["空号/停机"] == ["0", "1"] and outcomes["已接通核实"] == ["2", "2"]
        visits = rows(screen.query_one("#visits", DataTable))
        # the pregnant resident (王小5) was called first, then list order: 王小0 was the empty number
        # a field visit needs the address first
        assert len(visits) == 1 and visits[0][:2] == ["#1", "园岭0栋"]
        assert visits[0][2:4] == ["王*0", "138****0000"]  # masked on the lead's screen
        refused = rows(screen.query_one("#refused", DataTable))
        assert "不配合" in refused[0][1]
        # the pregnant resident was called first, so the priority list is empty now
        assert rows(screen.query_one("#urgent", DataTable)) == []


async def test_lead_actions_by_key(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch("名单", [{"phone": phone(i), "address": f"地址{i}"} for i in range(3)], "lead")
    caller = Store(config, clock=clock)
    card = caller.next_card("alice")
    caller.record(card.id, "empty_number", "alice")

    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.show_tab("visits")
        await pilot.pause()
        await pilot.press("v")
        await pilot.press(*"上门核实已做核酸", "enter")
        await refreshed(pilot, screen)
        task = lead.get_task(card.id)
        assert (task.state, task.final_outcome) == ("done", "field_visit_done")
        assert rows(screen.query_one("#visits", DataTable)) == []
        outcomes = {r[0]: r[1:] for r in rows(screen.query_one("#outcomes", DataTable))}
        assert outcomes["上门已完成"] == ["1", "0"]

        # a resident refuses on a later call: the lead reopens the case from the refused list
        lead.record(card.id, "refused", "lead", note="x", allow_closed=True)
        await refreshed(pilot, screen)
        screen.show_tab("refused")
        await pilot.pause()
        await pilot.press("o")
        await refreshed(pilot, screen)
        assert lead.get_task(card.id).state == "pending"
        await pilot.press("o")  # nothing selected in the refused list now: a warning, no crash
        kinds = [r[0] for r in lead.conn.execute("SELECT kind FROM events ORDER BY id")]
        assert "field_visit_done" in kinds and "reopen" in kinds


async def test_raise_and_assign_from_the_known_callers(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch(
        "名单", [{"phone": phone(i), "flags": ["elderly"]} for i in range(3)], "lead",
        deadline=clock.now - timedelta(minutes=1),
    )  # fmt: skip
    for name in ("bob", "carol"):  # two callers have worked on this database
        worker = Store(config, clock=clock)
        worker.release(worker.next_card(name).id, name)
    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.show_tab("urgent")
        await pilot.pause()
        await pilot.press("down", "u")
        await refreshed(pilot, screen)
        assert lead.get_task(2).priority == 2
        selected = screen._selected_id(screen.query_one("#urgent", DataTable))
        await pilot.press("a")
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        # a list to pick from: everyone, then the callers by name; nothing to mistype
        assert [label for _, label in prompt.choices] == ["所有人（取消指派）", "bob", "carol"]
        assert not {c for c in screen_text(app) if unicodedata.east_asian_width(c) == "A"}
        await pilot.press("down", "enter")
        await pilot.pause()
        assert lead.get_task(selected).assigned_to == "bob"
        await pilot.press("a", "enter")  # the first choice: back to everyone
        await pilot.pause()
        assert lead.get_task(selected).assigned_to is None
        await pilot.press("a", "escape")  # cancelled: nothing changes
        kinds = [r[0] for r in lead.conn.execute("SELECT kind FROM events WHERE kind='reassign'")]
        assert len(kinds) == 2
        assert "超时" in text_of(screen, "#lead-batches")
        await pilot.press("escape")
    assert app.return_code == 0


async def test_tab_cycles_through_every_tab_however_fast(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch("名单", [{"phone": phone(1)}], "lead")
    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        tabs = screen.query_one(TabbedContent)
        seen = []
        for _ in TABS:
            await pilot.press("tab")
            seen.append(tabs.active)
        assert sorted(seen) == sorted(f"tab-{name}" for name in TABS)
        # a burst: 10 presses queued before any is handled lands 10 tabs on, not stuck
        start = TABS.index(tabs.active.removeprefix("tab-"))
        for _ in range(10):  # as a terminal delivers them: straight from the driver, no waits
            key = events.Key("tab", "\t")
            key.set_sender(app)
            app._driver.send_message(key)
        for _ in range(5):
            await pilot.pause()
        assert tabs.active == f"tab-{TABS[(start + 10) % len(TABS)]}"
        await pilot.press("shift+tab")
        assert tabs.active == f"tab-{TABS[(start + 9) % len(TABS)]}"


@pytest.mark.parametrize("inside_caller_app", [False, True])
async def test_footer_shows_the_keys_that_work_in_the_ui_language(
    config: Config, clock: Clock, inside_caller_app: bool
) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch("名单", [{"phone": phone(1)}], "lead")
    if inside_caller_app:  # the caller screen's `p` opens the same pane
        cfg = replace(config, hours_start=clock.now.time().replace(hour=0))
        app = make_app(cfg, lead)
    else:
        app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        if inside_caller_app:
            await pilot.pause()
            await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, LeadScreen)
        await refreshed(pilot, screen)
        footer = footer_text(app)
        assert "Esc" in footer and ("返回" in footer or "退出" in footer)
        assert "palette" not in footer.lower()
        assert not re.findall(r"[A-Za-z]{2,}", footer.replace("Esc", "").replace("Tab", ""))
        assert "?" in footer and "帮助" in footer and "设为紧急" not in footer  # callers tab
        screen.show_tab("urgent")
        await pilot.pause()
        assert "u 设为紧急" in footer_text(app) and "a 指派" in footer_text(app)
        assert "上门完成" not in footer_text(app)
        screen.show_tab("visits")
        await pilot.pause()
        footer = footer_text(app)
        assert "v 上门完成" in footer and "o 重新打开" in footer and "w 导出上门路线" in footer
        assert "设为紧急" not in footer


async def test_help_lists_the_keys_and_tabs(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, LeadHelp)
        shown = screen_text(app)
        assert "导出上门路线" in shown and "设为紧急" in shown and "拒绝配合或非本人" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, LeadScreen)


async def test_a_caller_sees_the_pane_read_only(config: Config, clock: Clock) -> None:
    cfg = as_caller(config)
    lead = Store(cfg, clock=clock)
    lead.add_batch("名单", [{"phone": phone(i), "flags": ["urgent"]} for i in range(2)], "lead")
    worker = Store(cfg, clock=clock)
    worker.record(worker.next_card("alice").id, "empty_number", "alice")
    app = LeadApp(cfg, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        assert "只读" in screen_text(app).splitlines()[0]
        for tab in ("urgent", "visits"):
            screen.show_tab(tab)
            await pilot.pause()
            footer = footer_text(app)
            for hidden in ("设为紧急", "指派", "重新打开", "上门完成", "路线"):
                assert hidden not in footer, (tab, hidden)
            await pilot.press("u", "a", "o", "v", "w")
            await pilot.pause()
            assert isinstance(app.screen, LeadScreen)  # no prompt opened
        before = lead.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        await pilot.pause()
        after = lead.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert before == after
        kinds = {r[0] for r in lead.conn.execute("SELECT kind FROM events")}
        assert not kinds & {"raise_priority", "reassign", "reopen", "field_visit_done", "export"}
        assert list(Path().glob("callroom-route-*")) == []
        await pilot.press("question_mark")
        assert "不是组长" in screen_text(app)


async def test_route_key_writes_the_walking_route(config: Config, clock: Clock) -> None:
    lead = Store(config, clock=clock)
    addresses = ["景田花园10栋101", "彩田村A座1502", "景田花园2栋1单元301"]
    lead.add_batch(
        "名单", [{"phone": phone(i), "address": a} for i, a in enumerate(addresses)], "l"
    )
    worker = Store(config, clock=clock)
    for _ in addresses:
        worker.record(worker.next_card("alice").id, "empty_number", "alice")
    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.show_tab("visits")
        await pilot.pause()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
    [route] = list(Path().glob("callroom-route-*.xlsx"))
    ws = load_workbook(route).active
    column = [c.value for c in ws[1]].index("现居住地址")
    assert [r[column] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "彩田村A座1502", "景田花园2栋1单元301", "景田花园10栋101",
    ]  # fmt: skip


async def test_pane_and_report_agree_figure_for_figure(
    config: Config, clock: Clock, tmp_path: Path
) -> None:
    lead = Store(config, clock=clock)
    lead.add_batch("周一名单", [{"phone": phone(i)} for i in range(8)], "lead",
                   deadline=clock.now + timedelta(hours=3))  # fmt: skip
    lead.add_batch("周二名单", [{"phone": phone(20 + i), "flags": ["elderly"]} for i in range(4)],
                   "lead")  # fmt: skip
    plan = ["verified", "no_answer", "already_tested", "empty_number", "refused", "busy"]
    for i, outcome in enumerate(plan):
        op = ("alice", "bob")[i % 2]
        worker = Store(config, clock=clock)
        worker.record(
            worker.next_card(op).id, outcome, op, note="拒" if outcome == "refused" else ""
        )
        clock.advance(minutes=7)
    held = Store(config, clock=clock).next_card("alice")
    clock.advance(minutes=4)
    # the health system's tests: three people of the Monday list tested since their list came,
    # and the one on alice's screen (her card offers to close it; not counted until she does)
    tested = [phone(i)[3:] for i in (5, 6, 7)] + [held.phone[3:]]  # type: ignore[union-attr]
    export_file = tmp_path / "核酸结果.csv"
    with export_file.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(
            [["手机号", "采样时间", "采样点", "结果"],
             *([p, "2026-11-01 09:00", "福田社康采样点", "阴性"] for p in tested)]
        )  # fmt: skip
    [matched] = import_results(lead, [export_file], operator="lead")
    assert (matched.matched, matched.held) == (3, 1)

    app = LeadApp(config, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        pane_batches = text_of(screen, "#lead-batches")
        pane_rates = " ".join(text_of(screen, "#lead-rates").split())
        pane_chart = text_of(screen, "#lead-chart").strip()
        pane_callers = rows(screen.query_one("#callers", DataTable))
        pane_outcomes = rows(screen.query_one("#outcomes", DataTable))
        tabs = screen.query_one(TabbedContent)
        pane_counts = [tabs.get_tab(f"tab-{n}").label.plain for n in TASK_TABS]

    # the report a lead prints at the same moment
    report = table_lines(reports.build(lead), config, 80)
    text = [line for line, _ in report]
    joined = "\n".join(text)
    for name in ("周一名单", "周二名单", "合计"):
        pane_row = next(line for line in pane_batches.splitlines() if line.strip().startswith(name))
        report_row = next(line for line in text if line.startswith(name))
        pane_figures = re.findall(r"\d+/\d+|\d+%", pane_row)
        assert pane_figures == re.findall(r"\d+/\d+|\d+%", report_row)[: len(pane_figures)]
        assert len(pane_figures) == 4  # done, share, verified, match rate
    monday = next(line for line in pane_batches.splitlines() if "周一名单" in line)
    assert "匹配38%" in monday  # 3 of 8 matched by data (the call confirmed a Tuesday test)
    rates_at = text.index("口径")
    callers_at = text.index("拨打员")
    assert pane_rates == " ".join(" ".join(text[rates_at + 1 : callers_at]).split())
    assert "核酸匹配率 33.3% (4/12，数据3 电话1)" in pane_rates
    assert "今日匹配免拨 3" in pane_rates
    assert "核实率 16.7% (2/12)" in pane_rates
    # the export counts the same: a match source on 4 rows, the test time on the 3 by data
    headers, body = export_table(lead, [b.id for b in reports.build(lead).batches])
    source, when = headers.index("核酸匹配来源"), headers.index("采样时间")
    assert sorted(r[source] for r in body if r[source]) == ["数据匹配"] * 3 + ["电话确认"]
    assert sum(1 for r in body if r[when] == "2026-11-01 09:00") == 3
    # the pane's half hours and counts are the report chart's columns
    pane_slots = re.findall(r"(\d\d:\d\d) (\d+)", pane_chart)
    chart_at = next(i for i, line in enumerate(text) if line.startswith("每30分钟通话"))
    counts = text[chart_at + 6].split()
    assert pane_slots == [("10:00", "5"), ("10:30", "1")] and counts == ["5", "1"]
    callers_at = text.index("拨打员")
    report_callers = [line.split() for line in text[callers_at + 2 : callers_at + 4]]
    assert pane_callers == report_callers
    ended_at = next(i for i, line in enumerate(text) if line.startswith("结果："))
    report_ended = [line.split() for line in text[ended_at + 2 :] if line][: len(pane_outcomes)]
    assert pane_outcomes == report_ended
    for label in pane_counts:  # "超时 0" in the pane, "超时未完成 0" in the report
        name, n = label.rsplit(" ", 1)
        assert re.search(rf"{re.escape(name)}\S* {n}\b", joined), label


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_many_long_lists_fit_80_columns_with_numbers_whole(
    config: Config, clock: Clock, lang: str
) -> None:
    cfg = replace(config, lang=lang)
    lead = Store(cfg, clock=clock)
    for b in range(7):
        rows_ = [{"phone": phone(b * 100 + i), "flags": ["urgent"] if i == 0 else []}
                 for i in range(30)]  # fmt: skip
        name = f"11{b:02d}风险地区推送名单（福田区莲花街道第{b}批次）"
        lead.add_batch(name, rows_, "lead", deadline=clock.now + timedelta(hours=b - 2))
    for i in range(40):  # every list gets new, retry and field-visit counts to show
        worker = Store(cfg, clock=clock)
        outcome = ("verified", "no_answer", "busy", "empty_number")[i % 4]
        worker.record(worker.next_card(f"caller{i % 3}").id, outcome, f"caller{i % 3}")
        clock.advance(minutes=3)
    app = LeadApp(cfg, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        shown = screen_text(app)
        rep = screen.report
    assert "…" not in shown
    # nothing that some Chinese SSH clients draw two cells wide (… — ━ ▁ █ ...)
    ambiguous = {c for c in shown if unicodedata.east_asian_width(c) == "A"}
    assert ambiguous == set(), ambiguous
    # the newest five lists and the total, each with its figures whole
    for b in rep.batches[-5:]:
        assert f"{b.done}/{b.total}" in shown
    assert f"{rep.done}/{rep.total}" in shown and rep.total == 210


@pytest.mark.parametrize(("lang", "size"), [("zh", (60, 20)), ("en", (80, 24)), ("zh", (100, 30))])
async def test_list_lines_keep_numbers_whole_and_names_apart(
    config: Config, clock: Clock, lang: str, size: tuple[int, int]
) -> None:
    """Names that differ only at the end stay apart, a wide terminal shows them whole, and no
    figure or open count is ever cut (the ones that do not fit are left out whole)."""
    cfg = replace(config, lang=lang)
    lead = Store(cfg, clock=clock)
    for b, name in enumerate(
        ("1122风险地区推送名单（福田区第一批）", "1122风险地区推送名单（福田区第二批）")
    ):
        rows_ = [{"phone": phone(b * 100 + i)} for i in range(80)]
        lead.add_batch(name, rows_, "lead", deadline=clock.now + timedelta(hours=5, minutes=53))
    for i in range(38):  # done, retry and callback counts on both lists
        outcome = ("verified", "no_answer", "busy", "callback")[i % 4]
        when = clock.now + timedelta(hours=1) if outcome == "callback" else None
        lead.record(lead.next_card("alice").id, outcome, "alice", callback_at=when)
        clock.advance(minutes=1)
    app = LeadApp(cfg, lead)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        lines = screen_text(app).splitlines()[1:4]
        rep = screen.report
    names = [line.split()[0] for line in lines[:2]]
    assert names[0] != names[1]  # the ends that tell them apart are kept
    assert "一批" in names[0] and "二批" in names[1] and names[0].startswith("1122")
    if size[0] >= 100:  # room to spare: whole names
        assert names[0] == "1122风险地区推送名单（福田区第一批）"
    for line, b in zip(lines, [*rep.batches, rep], strict=False):
        assert line.rstrip() == line.rstrip()[: size[0]] and len(line) <= size[0]
        assert f" {b.done}/{b.total} " in line
        verified = b.verified / b.total if b is rep else b.verified_share
        assert t("lead.verified_share", lang, share=share(verified)) in line, line
        match = rep.rates.match_rate if b is rep else b.match_rate
        assert t("lead.match_share", lang, share=share(match)) in line, line
        by_state = b.by_state
        for key in ("pending", "retry", "callback"):
            word = t(f"lead.short.{key}", lang)
            if word in line:  # an open count shown is shown whole
                assert re.search(rf"{re.escape(word)}{by_state[key]}(\s|$)", line), line
        if b is not rep:
            assert due(b.minutes_left, lang) in line


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_route_goes_to_the_export_folder_and_an_empty_one_is_not_written(
    config: Config, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    cfg = replace(config, export_folder=folder)
    lead = Store(cfg, clock=clock)
    lead.add_batch("名单", [{"phone": phone(1), "address": "景田花园10栋101"}], "l")
    app = LeadApp(cfg, lead)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await refreshed(pilot, screen)
        screen.show_tab("visits")
        await pilot.pause()
        await pilot.press("w")  # nobody to visit yet
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(folder.iterdir()) == [] and list(Path().glob("callroom-route-*")) == []
        assert any("没有待上门的任务" in n for n in _notices(app))
        worker = Store(cfg, clock=clock)
        worker.record(worker.next_card("alice").id, "empty_number", "alice")
        await refreshed(pilot, screen)
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [route] = list(folder.glob("callroom-route-*.xlsx"))
        assert any(str(route) in n and "1 户" in n for n in _notices(app))
        # v asks with an example and says which keys answer
        await pilot.press("v")
        await pilot.pause()
        shown = screen_text(app)
        assert "例如" in shown and "Enter 确定" in shown and "Esc 取消" in shown


async def test_a_reopened_refusal_says_so_on_the_card_and_in_the_export(
    config: Config, clock: Clock
) -> None:
    from ui_support import flat, idle

    lead = Store(config, clock=clock)
    lead.add_batch("名单", [{"phone": phone(1), "name": "王小明"}], "l")
    card = lead.next_card("bob")
    lead.record(card.id, "refused", "bob", note="挂断了")
    clock.advance(minutes=30)
    lead.reopen(card.id, "wang")
    headers, body = export_table(lead, [1])
    outcome = dict(zip(headers, body[0], strict=True))["核查结果"]
    assert outcome == "组长已重新打开，待拨"  # the state now, not the refusal it had
    clock.advance(minutes=5)
    app = make_app(config, Store(config, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        shown = flat(app)
    assert "拒绝配合" in shown and "组长wang重新打开，需再拨" in shown
    assert shown.index("组长wang重新打开") < shown.index("拒绝配合")  # the newest first
    # called again after the reopening: the new call is what the export says
    lead.claim_task(card.id, "alice")
    lead.record(card.id, "no_answer", "alice")
    headers, body = export_table(lead, [1])
    assert dict(zip(headers, body[0], strict=True))["核查结果"] == "无人接听"
