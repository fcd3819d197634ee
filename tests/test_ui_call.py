"""Pilot flows of the caller screen: keys in, both the screen and the database checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from ui_support import (
    DEADLINE,
    SIZE,
    attempts,
    events,
    flat,
    idle,
    press,
    rich_rows,
    screen_text,
    task_row,
)

from callroom.app import make_app
from callroom.config import ConfigError, Outcome
from callroom.screens.call import CallScreen
from callroom.screens.dialogs import AnswerDialog, CallbackDialog, NoteDialog, PauseScreen
from callroom.screens.help import HelpScreen
from callroom.store import Store, fmt
from callroom.widgets.script_pane import ScriptView

from conftest import add_tasks, phone


@pytest.fixture
def config(config, engine):  # engine: so that the parametrisation sees it through the override
    # keys count at once here; the settle time has tests of its own (test_ui_keys.py)
    return replace(config, settle_ms=0)


def call_screen(app) -> CallScreen:
    return app.call_screen


async def test_outcome_key_commits_then_shows_next_card(config, store):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "13800000000" in flat(app)
        assert call_screen(app).card.id == 1
        await press(pilot, "3")  # no answer
        rows = attempts(store, 1)
        assert [r["outcome"] for r in rows] == ["no_answer"]
        assert task_row(store, 1)["state"] == "retry"
        assert call_screen(app).card.id == 2
        text = flat(app)
        assert "13800000001" in text
        assert "已记录无人接听" in text  # the status bar says what was saved
        assert "今日1通" in text


async def test_answers_are_saved_with_the_outcome(config, store):
    add_tasks(store, 1, place="北京")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "y")  # visited
        assert isinstance(app.screen, CallScreen)
        await press(pilot, "enter")  # the date question opens its dialog
        assert isinstance(app.screen, AnswerDialog)
        await press(pilot, "ctrl+u", *"1031", "enter")
        assert isinstance(app.screen, CallScreen)
        await press(pilot, "n")  # in Shenzhen now? no
        assert "10-31" in flat(app)
        await press(pilot, "1")  # verified: the unanswered required questions come first
        await press(pilot, "n", "n", "1")  # symptoms, tested, residence (as listed)
        (row,) = attempts(store, 1)
        assert row["outcome"] == "verified"
        assert row["answers"] == {
            "visited": "yes",
            "arrival_date": "2026-10-31",
            "in_shenzhen": "no",
            "symptoms": "no",
            "tested": "no",
            "residence": "same",
        }
        assert task_row(store, 1)["state"] == "done"


async def test_choice_question_is_answered_with_a_digit_in_its_dialog(config, store):
    add_tasks(store, 1, address="景田北路88号")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        screen = call_screen(app)
        for _ in range(10):
            await press(pilot, "down")
        assert screen.script_run.current.id == "residence"
        await press(pilot, "enter")
        assert isinstance(app.screen, AnswerDialog)
        await press(pilot, "3")
        assert isinstance(app.screen, CallScreen)
        assert screen.script_run.answers == {"residence": "elsewhere"}
        # the digit went to the dialog, not to the outcome keys
        assert attempts(store, 1) == []


async def test_needs_note_outcome_opens_the_note_dialog(config, store):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "7")  # refused: needs a note
        assert isinstance(app.screen, NoteDialog)
        await press(pilot, "enter")  # empty: refused, the dialog stays
        assert isinstance(app.screen, NoteDialog)
        assert attempts(store, 1) == []
        await press(pilot, *"不愿配合", "enter")
        assert isinstance(app.screen, CallScreen)
        (row,) = attempts(store, 1)
        assert (row["outcome"], row["note"]) == ("refused", "不愿配合")
        assert call_screen(app).card.id == 2


async def test_escape_in_a_dialog_records_nothing(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "8", "escape")
        assert isinstance(app.screen, CallScreen)
        assert attempts(store, 1) == []
        assert call_screen(app).card.id == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", datetime(2026, 11, 2, 14, 30)),
        ("+30m", datetime(2026, 11, 2, 10, 30)),
        ("明天9点", datetime(2026, 11, 3, 9, 0)),
        ("tomorrow 9", datetime(2026, 11, 3, 9, 0)),
    ],
)
async def test_callback_dialog_reads_quick_forms(config, store, typed, expected):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "0")
        assert isinstance(app.screen, CallbackDialog)
        await press(pilot, *typed)
        assert expected.strftime("%H:%M") in flat(app)  # the preview, before Enter
        await press(pilot, "enter")
        assert isinstance(app.screen, CallScreen)
        row = task_row(store, 1)
        assert (row["state"], row["next_at"], row["callback_by"]) == (
            "callback", fmt(expected), "alice",
        )  # fmt: skip


async def test_callback_dialog_refuses_nonsense_and_the_past(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "0", *"今天9点", "enter")
        assert isinstance(app.screen, CallbackDialog)
        assert "这个时间已经过去了" in flat(app)
        await press(pilot, "escape")
        assert task_row(store, 1)["state"] == "pending"


async def test_undo_brings_the_card_back_with_its_answers(config, store):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "y", "3")
        assert call_screen(app).card.id == 2
        await press(pilot, "u")
        screen = call_screen(app)
        assert screen.card.id == 1
        assert screen.script_run.answers == {"visited": "yes"}
        assert "已撤销无人接听" in flat(app)
        (row,) = attempts(store, 1)
        assert row["undone_at"] is not None
        task = task_row(store, 1)
        assert (task["state"], task["claim_session"]) == ("pending", store.session)
        assert task_row(store, 2)["claim_session"] is None  # the other card went back


async def test_undo_with_nothing_to_undo_says_so(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await idle(pilot)
        await press(pilot, "u")
        await pilot.pause()
        assert "不能撤销" in flat(app)
        assert call_screen(app).card.id == 1


async def test_skip_releases_and_excludes_the_card_for_this_session(config, store):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        assert call_screen(app).card.id == 2
        assert task_row(store, 1)["claim_session"] is None
        assert events(store, "release")[-1]["detail"] == {"reason": "skip"}
        await press(pilot, "s")  # nothing left but skipped cards
        assert call_screen(app).card is None
        text = flat(app)
        assert "本次跳过了2个任务" in text
        await press(pilot, "enter")  # look again: the skipped cards come back
        assert call_screen(app).card.id == 1


async def test_find_by_phone_in_another_format_and_record_on_it(config, store):
    add_tasks(store, 3)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert call_screen(app).card.id == 1
        await press(pilot, "f")
        await press(pilot, *"+86 138-0000-0002")
        text = flat(app)
        assert "13800000002" in text
        assert "找到1个任务" in text
        await press(pilot, "enter")
        screen = call_screen(app)
        assert screen.card.id == 3
        assert screen.inbound
        assert "来电" in flat(app)
        assert task_row(store, 1)["claim_session"] is None  # the queue card went back
        await press(pilot, "9")
        assert [r["outcome"] for r in attempts(store, 3)] == ["moved_away"]


async def test_find_records_on_a_closed_task(config, store):
    add_tasks(store, 2)
    store.next_card("bob")
    store.record(1, "verified", "bob")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"13800000000", "enter")
        assert call_screen(app).card.id == 1
        assert "已结束" in flat(app)
        await press(pilot, "9")
        assert [r["outcome"] for r in attempts(store, 1)] == ["verified", "moved_away"]


async def test_find_says_when_a_number_is_unknown_or_incomplete(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"1380000")
        assert "号码不完整或无效" in flat(app)
        await press(pilot, *"9999")
        assert "没有这个号码的任务" in flat(app)
        await press(pilot, "escape")
        assert call_screen(app).card.id == 1


async def test_reveal_unmasks_for_this_card_and_writes_an_audit_event(config, store):
    store.add_batch("list", rich_rows(2), operator="lead")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = flat(app)
        assert "欧**娜" in text and "440304********123X" in text
        assert "欧阳娜娜" not in text and "44030419900101123X" not in text
        await press(pilot, "r")
        text = flat(app)
        assert "欧阳娜娜" in text and "44030419900101123X" in text
        (event,) = events(store, "reveal")
        assert (event["task_id"], event["operator"]) == (1, "alice")
        assert "欧阳" not in str(event["detail"]) and "4403" not in str(event["detail"])
        await press(pilot, "3")  # the next card is masked again
        assert call_screen(app).card.id == 2
        assert "欧阳娜娜" not in flat(app)


async def test_quit_releases_the_claim(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert task_row(store, 1)["claim_session"] == store.session
        await press(pilot, "q")
    assert task_row(store, 1)["claim_session"] is None
    assert events(store, "release")[-1]["detail"] == {"reason": "quit"}


async def test_ctrl_q_also_releases_the_claim(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "ctrl+q")
    assert task_row(store, 1)["claim_session"] is None


async def test_y_on_a_question_that_needs_typing_changes_nothing(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "y")  # visited: yes; the date question is next
        await press(pilot, "y")
        assert call_screen(app).script_run.answers == {"visited": "yes"}


async def test_empty_queue_says_what_comes_next(config, store, clock):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "3")  # no answer: retry in 60 min
        await press(pilot, "0", *"14:30", "enter")  # callback at 14:30
        assert call_screen(app).card is None
        text = flat(app)
        assert "现在没有可拨打的任务" in text
        assert "1个约定回拨，最早14:30" in text
        assert "1个待重拨，11:00起" in text
        clock.advance(hours=1)
        await press(pilot, "enter")  # check now: the retry is due
        assert call_screen(app).card.id == 1


async def test_empty_database_says_how_to_load_a_list(config, store):
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "callroomimport" in flat(app)


async def test_outside_calling_hours_is_explained(config, store, clock):
    add_tasks(store, 3)
    clock.now = datetime(2026, 11, 2, 22, 0)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "现在不在拨打时段（08:00-21:00）：3个任务等到08:00再拨" in flat(app)


async def test_english_interface(config, store):
    add_tasks(store, 1)
    app = make_app(replace(config, lang="en"), store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = flat(app)
        assert "Noanswer" in text and "attempt1" in text and "firstcallthismonth" in text
        await press(pilot, "3")
        assert "1retriesafter11:00" in flat(app)


async def test_note_key_saves_the_note_with_the_next_outcome(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "m", *"晚上再打", "enter")
        assert "备注:晚上再打" in flat(app)
        await press(pilot, "4")
        assert attempts(store, 1)[0]["note"] == "晚上再打"


async def test_pause_releases_the_card_and_logs_pause_and_resume(config, store, clock):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        assert isinstance(app.screen, PauseScreen)
        assert task_row(store, 1)["claim_session"] is None
        clock.advance(minutes=12)
        await press(pilot, "enter")
        assert isinstance(app.screen, CallScreen)
        assert call_screen(app).card.id == 1
    assert len(events(store, "pause")) == 1
    assert events(store, "resume")[0]["detail"] == {"minutes": 12}


async def test_history_shows_earlier_lists_and_calls_this_month(config, store):
    store.add_batch("1025名单", [{"phone": phone(0)}], operator="lead")
    for outcome in ("no_answer", "no_answer"):
        task = store.next_card("bob")
        store.record(task.id, outcome, "bob", note="司机,跑长途")
        store.conn.execute("UPDATE tasks SET next_at = NULL WHERE id = 1")
    store.record(1, "verified", "bob") if store.next_card("bob") else None
    store.add_batch("1102名单", [{"phone": phone(0)}], operator="lead")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert call_screen(app).card.id == 2
        text = flat(app)
        assert "本月已拨此号3次" in text
        assert "[1025名单]" in text and "bob" in text and "司机,跑长途" in text


async def test_lease_is_renewed_while_the_card_is_shown(config, store, clock):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        before = task_row(store, 1)["lease_until"]
        clock.advance(minutes=2)
        call_screen(app)._renew()
        after = task_row(store, 1)["lease_until"]
        assert after > before


async def test_help_and_progress_screens_open_and_close(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "无人接听" in flat(app) and "明天9点" in flat(app)
        await press(pilot, "escape")
        await press(pilot, "p")
        assert app.screen.__class__.__name__ == "LeadScreen"
        await press(pilot, "escape")
        assert isinstance(app.screen, CallScreen)
        assert task_row(store, 1)["claim_session"] == store.session


async def test_broken_script_shows_the_error_and_outcomes_still_work(config, store, tmp_path):
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "broken.yaml").write_text("opening: [unclosed\nclosing: x\n", "utf-8")
    cfg = replace(config, scripts_folder=folder)
    with Store(cfg, clock=store.clock) as s:
        s.add_batch("list", [{"phone": phone(0)}], operator="lead", script="broken")
        app = make_app(cfg, s)
        async with app.run_test(size=SIZE) as pilot:
            await idle(pilot)
            opening = app.screen.query_one(ScriptView).text
            assert "话术无法使用" in opening and "broken.yaml:2" in opening
            await press(pilot, "3")
            assert [r["outcome"] for r in attempts(s, 1)] == ["no_answer"]


def test_outcome_key_that_clashes_with_a_screen_key_is_a_config_error(config):
    bad = Outcome(key="q", code="odd", zh="怪", en="odd", kind="final", aapor="other")
    with pytest.raises(ConfigError, match=r"'q'.*quit"):
        make_app(replace(config, outcomes=(*config.outcomes, bad)))


async def test_urgent_badges_and_deadline_in_the_header(config, store):
    store.add_batch("list", rich_rows(1), operator="lead", deadline=DEADLINE)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = flat(app)
        assert "紧急" in text and "老人" in text and "第1次拨打" in text
        assert "截止还剩8小时0分" in text
        assert "粤B12345" in text and "顺丰速运" in text


def _linked_pair(store):
    """Monday's open task for phone(1) and Tuesday's row of the same resident, linked to it."""
    add_tasks(store, 2, name="周一")
    store.add_batch(
        "周二", [{"phone": phone(1), "name": "居民1", "state": "linked", "linked_to": 2}], "lead"
    )
    return 2, 3


async def test_find_opens_the_open_task_of_a_linked_row_and_records_there(config, store):
    open_id, linked_id = _linked_pair(store)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"13800000001")
        assert "找到2个任务" in flat(app)
        find = app.screen
        # the open task comes first and is highlighted: Down then Enter opens it
        assert [t.id for t in find.tasks] == [open_id, linked_id]
        await press(pilot, "down", "enter")
        assert call_screen(app).card.id == open_id
        await press(pilot, "4")  # busy
        assert [r["outcome"] for r in attempts(store, open_id)] == ["busy"]
        assert attempts(store, linked_id) == []
        assert task_row(store, linked_id)["state"] == "linked"


async def test_picking_the_linked_row_itself_opens_its_open_task(config, store):
    open_id, linked_id = _linked_pair(store)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"13800000001", "down", "down", "enter")
        screen = call_screen(app)
        assert screen.card.id == open_id
        assert f"#{linked_id}" in flat(app) and f"#{open_id}" in flat(app)  # says why
        await press(pilot, "4")
        assert attempts(store, linked_id) == []
        assert [r["outcome"] for r in attempts(store, open_id)] == ["busy"]


def test_the_store_refuses_an_outcome_on_a_linked_row(store):
    from callroom.store import StoreError

    open_id, linked_id = _linked_pair(store)
    with pytest.raises(StoreError) as err:
        store.record(linked_id, "busy", "alice", allow_closed=True)
    assert f"#{open_id}" in err.value.text("zh")
    assert task_row(store, linked_id)["state"] == "linked"
    assert attempts(store, linked_id) == []


async def test_enter_in_the_find_box_opens_the_first_row_the_open_task(config, store):
    open_id, _ = _linked_pair(store)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f", *"13800000001", "enter")
        assert isinstance(app.screen, CallScreen)
        assert call_screen(app).card.id == open_id


async def test_a_draft_stays_with_its_card_through_skip_and_find(config, store):
    add_tasks(store, 3, place="北京")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        screen = call_screen(app)
        assert screen.card.id == 1
        await press(pilot, "y", "m", *"晚上再打", "enter")  # visited: yes; a note
        await press(pilot, "s")  # skipped: the draft stays with card 1
        assert screen.card.id == 2 and screen.note == ""
        await press(pilot, "m", *"在开会", "enter")
        await press(pilot, "f", *"13800000000", "enter")  # an inbound call from resident 1
        assert screen.card.id == 1
        assert screen.note == "晚上再打"
        assert screen.script_run.answers == {"visited": "yes"}
        assert "已恢复这张卡片上次未保存的答案和备注" in flat(app)
        await press(pilot, "3")  # recorded with its draft
        (row,) = attempts(store, 1)
        assert (row["note"], row["answers"]) == ("晚上再打", {"visited": "yes"})
        assert screen.card.id == 2  # and card 2 comes back with its own note
        assert screen.note == "在开会"


async def test_quit_asks_first_while_a_skipped_card_keeps_a_draft(config, store):
    from callroom.screens.dialogs import ConfirmDialog

    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "m", *"晚上再打", "enter", "s", "q")
        assert isinstance(app.screen, ConfirmDialog)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_card_without_a_place_reads_a_natural_opening(config, store, lang):
    add_tasks(store, 1)  # the list had no place column
    app = make_app(replace(config, lang=lang), store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        text = call_screen(app).script.text
        assert "[place?]" not in text and "?]" not in text
        assert ("外地旅居记录" if lang == "zh" else "outside Shenzhen recently") in text


@pytest.mark.parametrize(("urgent", "expected"), [
    (False, datetime(2026, 11, 3, 8, 0)),  # the next opening: the queue offers it then
    (True, datetime(2026, 11, 2, 23, 30)),  # an urgent card is called outside hours
])  # fmt: skip
async def test_a_callback_outside_calling_hours_moves_to_the_next_opening(
    config, store, urgent, expected
):
    add_tasks(store, 1, flags=["urgent"] if urgent else [])
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "0", *"23:30")
        text = flat(app)
        assert ("紧急任务" if urgent else "23:30不在拨打时段（08:00-21:00）") in text
        assert expected.strftime("%H:%M") in text  # said before Enter
        assert text.count("明天9点") == 1  # the examples once, not twice
        await press(pilot, "enter")
        assert task_row(store, 1)["next_at"] == fmt(expected)


async def test_a_field_visit_closed_by_the_same_account_is_not_a_call(config, store):
    store.add_batch("visits", [{"phone": phone(50), "state": "field_visit"}], "lead")
    add_tasks(store, 2)
    store.field_visit_done(1, "上门核实：在家", "alice")  # the lead pane's v, same login
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "今日0通" in flat(app)
        await press(pilot, "3")
        assert "今日1通" in flat(app)
        await press(pilot, "u")  # u undoes her call, never the lead's field visit
        assert task_row(store, 1)["state"] == "done"
        assert call_screen(app).card.id == 2


async def test_questions_are_numbered_as_shown_without_gaps(config, store):
    add_tasks(store, 1, place="北京")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        screen = call_screen(app)
        numbers = [line.split(".")[0].strip(" >") for line in screen.script.text.splitlines()[1:-1]]
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
        await press(pilot, "y")  # visited: the arrival date question shows, as number 2
        lines = screen.script.text.splitlines()[1:-1]
        assert lines[1].strip(" >").startswith("2.") and "哪天到深圳" in lines[1]
        await press(pilot, "enter")
        assert isinstance(app.screen, AnswerDialog) and "2.哪天到深圳" in flat(app)


async def test_the_key_bar_offers_the_keys_that_answer_the_question_in_focus(config, store):
    add_tasks(store, 1, place="北京")
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        keys = screen_text(app).splitlines()[-1]
        assert "y 是" in keys and "n 否" in keys and "回答" not in keys
        await press(pilot, "y")  # now on the arrival date: y and n do nothing there
        keys = screen_text(app).splitlines()[-1]
        assert "Enter 回答" in keys and "y 是" not in keys and "n 否" not in keys
        await press(pilot, "up")  # back on the yes/no question
        assert "y 是" in screen_text(app).splitlines()[-1]


async def test_the_note_box_example_fits_what_asks_for_the_note(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "7")  # refused
        assert isinstance(app.screen, NoteDialog)
        assert "不愿说明行程" in flat(app) and "号码已换人" not in flat(app)
        await press(pilot, "escape", "8")  # wrong person
        assert "号码已换人" in flat(app)


async def test_help_says_how_to_close_and_scroll_on_its_first_line(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "question_mark")
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        assert "按键说明" in lines[0] and "Esc 或 ? 关闭" in lines[0] and "滚动" in lines[0]
        box = app.screen.query_one("#help")
        assert box.max_scroll_y > 0 and box.show_vertical_scrollbar  # more below: a scrollbar
        await press(pilot, "pagedown")
        assert box.scroll_y > 0
        await press(pilot, "question_mark")
        assert isinstance(app.screen, CallScreen)


async def test_help_at_100x30_hides_the_card_behind_it(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        assert "13800000000" in flat(app)
        await press(pilot, "question_mark")
        assert "13800000000" not in flat(app) and "list" not in flat(app)
