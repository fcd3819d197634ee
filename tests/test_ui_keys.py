"""The caller's minute, driven through the real screen: keys count only for the card they were
meant for, every own number, the checklist, what the status line says, dialling, durations,
the saving state while the database is busy, the break screen and quitting."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from ui_support import SIZE, attempts, flat, idle, press, screen_text, task_row

from callroom.app import make_app
from callroom.config import Config
from callroom.screens.call import CallScreen
from callroom.screens.dialogs import AnswerDialog, ConfirmDialog, NoteDialog, PauseScreen
from callroom.screens.help import HelpScreen
from callroom.store import Store
from callroom.widgets.card import StatusBar

from conftest import Clock, add_tasks, phone


class Ticks:
    """The screen's monotonic clock, moved by hand (settle time, call lengths)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def status(app) -> str:
    return app.call_screen.query_one(StatusBar).text


def keybar(app) -> str:
    return screen_text(app).splitlines()[-1]


def resident(store: Store, alts: list[str], **fields: object) -> None:
    store.add_batch("list", [{"phone": phone(0), "name": "欧阳娜娜", "alt_phones": alts, **fields},
                             {"phone": phone(1), "name": "李四"}], "lead")  # fmt: skip


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def app_with(config: Config, store: Store, ticks: Ticks, **changes: object):
    app = make_app(replace(config, **changes), store)
    app.call_screen.monotonic = ticks
    return app


# -- keys count only for the card they were meant for ----------------------------------------


async def test_keys_on_a_new_card_are_dropped_until_it_has_settled(config, store, ticks):
    add_tasks(store, 3)
    app = app_with(config, store, ticks)  # settle_ms = 400, the default
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "3")  # the card has been on screen for 0 ms
        assert attempts(store, 1) == []
        assert status(app) == "新卡片，请确认后再按"
        ticks.now += 0.5
        await press(pilot, "3")
        assert [r["outcome"] for r in attempts(store, 1)] == ["no_answer"]
        assert app.call_screen.card.id == 2
        # typed ahead into the new card: neither the outcome nor an answer lands on it
        await press(pilot, "4", "y")
        assert attempts(store, 2) == [] and app.call_screen.script_run.answers == {}
        assert "新卡片" in status(app)


async def test_a_burst_of_outcome_keys_records_one_outcome(config, store, ticks):
    add_tasks(store, 4)
    app = app_with(config, store, ticks)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        ticks.now += 1
        await pilot.press("4", "4", "1", "2", "3")  # one burst, no waiting in between
        await idle(pilot)
        total = store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        assert total == 1
        assert [r["outcome"] for r in attempts(store, 1)] == ["busy"]


# -- the checklist ---------------------------------------------------------------------------


async def test_verified_asks_the_required_answers_first(config, store, ticks):
    add_tasks(store, 2, place="北京", arrival="2026-10-30 14:00", address="景田北路8号")
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "1")
        assert isinstance(app.screen, AnswerDialog)
        assert app.screen.question.id == "visited"
        assert '记录"已接通核实"前请回答(1/5)' in flat(app)
        await press(pilot, "escape")  # changed her mind: nothing recorded, she is told why
        assert isinstance(app.screen, CallScreen) and attempts(store, 1) == []
        assert "没有记录:还有5题必须先回答" in status(app).replace(" ", "")
        await press(pilot, "1", "y")  # visited: yes; the arrival date follows, list's value in it
        assert app.screen.question.id == "arrival_date"
        assert "2026-10-30" in flat(app)
        await press(pilot, "enter")  # Enter accepts the list's date
        await press(pilot, "n", "n", "n", "1")  # in Shenzhen, symptoms, tested, residence
        (row,) = attempts(store, 1)
        assert row["outcome"] == "verified"
        assert row["answers"] == {
            "visited": "yes", "arrival_date": "2026-10-30", "in_shenzhen": "no",
            "symptoms": "no", "tested": "no", "residence": "same",
        }  # fmt: skip


async def test_a_choice_that_demands_a_note_asks_for_it(config, store, ticks):
    add_tasks(store, 2, address="景田北路8号")
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        for _ in range(10):
            await press(pilot, "down")
        await press(pilot, "enter", "2")  # moved within the community (note it)
        assert isinstance(app.screen, NoteDialog)
        await press(pilot, "escape")  # no note yet
        await press(pilot, "9")  # left the city: the choice still wants its note first
        assert isinstance(app.screen, NoteDialog)
        assert '"已搬到本社区其他地址(写备注)"需要写备注' in flat(app)
        await press(pilot, "enter")  # an empty note is refused
        assert isinstance(app.screen, NoteDialog)
        await press(pilot, *"搬到23栋", "enter")
        (row,) = attempts(store, 1)
        assert (row["outcome"], row["note"], row["answers"]) == (
            "moved_away", "搬到23栋", {"residence": "moved_local"},
        )  # fmt: skip


# -- every own number ------------------------------------------------------------------------


async def test_alternate_numbers_switch_record_and_replace_a_dead_main_number(config, store, ticks):
    resident(store, [phone(100)])
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = flat(app)
        assert ">113800000000手机未拨" in text and "213800000100手机未拨" in text
        assert "a换号" in flat(app)
        await press(pilot, "a")  # on to the alternate
        assert app.call_screen.active == phone(100)
        assert "138  0000  0100" in screen_text(app)
        await press(pilot, "4")  # busy, on the alternate
        assert attempts(store, 1)[0]["phone"] == phone(100)
        await press(pilot, "u")  # undo: the card comes back on the number of the undone call
        assert app.call_screen.card.id == 1 and app.call_screen.active == phone(100)
        await press(pilot, "a")  # back to the main number
        await press(pilot, "6")  # a dead main number: the card stays, on the alternate
        screen = app.call_screen
        assert screen.card.id == 1 and screen.active == phone(100)
        assert task_row(store, 1)["state"] == "retry"
        assert "改拨号码2" in status(app)
        text = flat(app)
        assert "113800000000手机已停用" in text and ">213800000100手机" in text
        assert "空号/停机号码1" in text  # history: which number
        await press(pilot, "6")  # and the alternate is dead too: now a field visit
        assert task_row(store, 1)["state"] == "field_visit"
        assert "转上门排查" in status(app)
        assert screen.card.id == 2  # the next resident, whose only number is shown
        assert "a换号" not in flat(app)


async def test_find_by_an_alternate_opens_the_card_on_that_number(config, store, ticks):
    resident(store, [phone(100)])
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "s")  # on to the other card first
        await press(pilot, "f", *"138 0000 0100")
        assert "备用号" in flat(app) and "找到1个任务" in flat(app)
        await press(pilot, "enter")
        assert app.call_screen.active == phone(100) and app.call_screen.inbound
        await press(pilot, "2", "y")  # already tested: tested? yes; and the date is asked
        assert isinstance(app.screen, AnswerDialog) and app.screen.question.id == "test_date"
        await press(pilot, "enter")  # a required answer cannot be left empty
        assert isinstance(app.screen, AnswerDialog) and "请输入答案" in flat(app)
        await press(pilot, *"1101", "enter")
        assert attempts(store, 1)[0]["phone"] == phone(100)


async def test_find_in_english_counts_one_task(config, store, ticks):
    add_tasks(store, 2)
    app = app_with(config, store, ticks, settle_ms=0, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"13800000001")
        assert "1taskfound" in flat(app)


# -- what happened, and what comes next ------------------------------------------------------


async def test_the_status_line_says_what_was_saved_for_whom_and_what_comes_next(
    config, store, ticks, clock: Clock
):
    resident(store, [])
    store.add_batch("more", [{"phone": phone(10 + i), "name": "张小明"} for i in range(2)], "lead")
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "3")
        assert status(app) == "已记录 无人接听 欧**娜 - 60分钟后重拨 11:00"
        await press(pilot, "0", *"明天9点", "enter")
        assert status(app) == "已记录 约定回拨 李* - 约定 明天 09:00 回拨"
        await press(pilot, "6")
        assert status(app) == "已记录 空号/停机 张*明 - 转上门排查"
        clock.now = clock.now.replace(hour=20, minute=30)  # a retry past calling hours
        await press(pilot, "4")
        assert status(app) == "已记录 占线 张*明 - 15分钟后重拨 20:45"
        await press(pilot, "u")
        assert status(app) == "已撤销 占线"
        assert "占线(已撤销)" in flat(app)  # in words, not only struck through
        await press(pilot, "5")
        assert status(app) == "已记录 关机 张*明 - 明天 08:00 重拨"


async def test_the_note_stays_on_the_card_at_80x24(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "m", *"晚上七点后再打,白天上班", "enter")
        assert "备注:晚上七点后再打,白天上班" in flat(app)
        for _ in range(10):  # the script scrolls; the note does not
            await press(pilot, "down")
        assert "备注:晚上七点后再打,白天上班" in flat(app)


# -- dialling and durations ------------------------------------------------------------------


async def test_copy_puts_the_active_number_on_the_clipboard(config, store, ticks):
    resident(store, [phone(100)])
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "a", "c")
        assert app.clipboard == "13800000100"
        assert status(app) == "已复制 138 0000 0100 到剪贴板"


async def test_the_dial_key_runs_the_command_with_the_number_as_one_argument(
    config, store, ticks, tmp_path: Path
):
    resident(store, [phone(100)])
    out = tmp_path / "argv.json"
    recorder = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"
    command = (sys.executable, "-c", recorder, str(out), "{number}")
    app = app_with(config, store, ticks, settle_ms=0, dial_command=command)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "d拨号" in flat(app)
        await press(pilot, "a", "d")
        assert json.loads(out.read_text()) == ["13800000100"]
        assert status(app) == "已拨号 138 0000 0100"


async def test_without_a_dial_command_there_is_no_dial_key(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "拨号" not in keybar(app)
        await press(pilot, "d")
        assert status(app) == ""


async def test_the_time_from_dial_or_from_the_card_is_stored_with_the_attempt(config, store, ticks):
    add_tasks(store, 2)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        ticks.now += 12  # reading the card
        await press(pilot, "c")  # copied to the softphone: the call starts now
        ticks.now += 80
        await press(pilot, "9")
        ticks.now += 42  # the next card: no dial key, timed from the card
        await press(pilot, "3")
    first, second = attempts(store, 1)[0], attempts(store, 2)[0]
    assert (first["seconds"], first["timed_from"]) == (80, "dial")
    assert (second["seconds"], second["timed_from"]) == (42, "card")


# -- never frozen ----------------------------------------------------------------------------


async def test_a_busy_database_keeps_the_outcome_and_the_screen_responsive(config, store, ticks):
    add_tasks(store, 3)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        holder = sqlite3.connect(config.database, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # an import or a backup holds the database
        try:
            await pilot.press("3")
            await pilot.pause(0.1)
            assert status(app) == "保存中..."
            await pilot.pause(1.5)
            assert "数据库忙" in status(app) and "Esc" in status(app)
            # the screen still answers: keys for the card are refused, help opens and closes
            await pilot.press("4")
            await pilot.pause(0.05)
            assert status(app) == "正在保存, 请稍候"
            await pilot.press("question_mark")
            await pilot.pause(0.05)
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause(0.05)
            assert isinstance(app.screen, CallScreen) and app.call_screen.card.id == 1
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        for _ in range(100):
            await pilot.pause(0.05)
            if app.call_screen.card.id == 2:
                break
        await idle(pilot)
        assert [r["outcome"] for r in attempts(store, 1)] == ["no_answer"]
        assert attempts(store, 2) == []
        assert app.call_screen.card.id == 2 and status(app).startswith("已记录 无人接听")


async def test_escape_gives_up_an_outcome_the_busy_database_has_not_taken(config, store, ticks):
    add_tasks(store, 2)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "y")
        holder = sqlite3.connect(config.database, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("3")
            await pilot.pause(0.3)
            await pilot.press("escape")
            for _ in range(60):
                await pilot.pause(0.05)
                if app.call_screen.pending is None:
                    break
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await idle(pilot)
        assert attempts(store, 1) == []
        screen = app.call_screen
        assert screen.card.id == 1 and screen.script_run.answers == {"visited": "yes"}
        assert status(app) == "没有记录(已放弃), 卡片和答案都还在"


# -- the break, quitting ---------------------------------------------------------------------


async def test_the_break_screen_shows_exactly_its_own_keys(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        assert isinstance(app.screen, PauseScreen)
        assert keybar(app).split() == ["Enter", "继续", "q", "退出"]
        await press(pilot, "f", "3", "s")  # the caller screen's keys do nothing here
        assert isinstance(app.screen, PauseScreen) and attempts(store, 1) == []
        await press(pilot, "enter")
        assert isinstance(app.screen, CallScreen) and app.call_screen.card.id == 1


async def test_q_on_the_break_screen_quits(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "b", "q")
        await pilot.pause()
    assert app.return_code == 0
    assert task_row(store, 1)["claim_session"] is None


async def test_q_with_answers_typed_asks_once(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "y", "q")
        assert isinstance(app.screen, ConfirmDialog)
        assert "已填的答案或备注还没有保存" in flat(app)
        await press(pilot, "n")  # back to the card, answers intact
        assert isinstance(app.screen, CallScreen)
        assert app.call_screen.script_run.answers == {"visited": "yes"}
        await press(pilot, "q", "q")  # q, and q again to confirm
        await pilot.pause()
    assert task_row(store, 1)["claim_session"] is None


async def test_q_with_nothing_typed_quits_at_once(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "q")
        await pilot.pause()
    assert task_row(store, 1)["claim_session"] is None


async def test_ctrl_c_says_how_to_quit_in_chinese(config, store, ticks):
    add_tasks(store, 1)
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+c")
        await asyncio.sleep(0.05)
        await pilot.pause()
        assert "按q退出" in flat(app) and "Press" not in screen_text(app)


# -- small screens ---------------------------------------------------------------------------


async def test_at_60x20_the_card_stays_usable_and_the_script_scrolls(config, store, ticks):
    add_tasks(store, 2, place="北京", address="福田区莲花街道景田北路88号")
    app = app_with(config, store, ticks, settle_ms=0)
    async with app.run_test(size=(60, 20)) as pilot:
        await idle(pilot)
        text = flat(app)
        assert "13800000000" in text.replace(" ", "")  # the number to dial
        assert "1已接通核实" in text and "0约定回拨" in text  # every outcome key
        assert "1.本号码使用人" in text
        for _ in range(6):
            await press(pilot, "down")
        assert app.call_screen.script_run.current.id == "residence"
        assert "住址是否为" in flat(app)  # scrolled into view
        await press(pilot, "3")
        assert [r["outcome"] for r in attempts(store, 1)] == ["no_answer"]
