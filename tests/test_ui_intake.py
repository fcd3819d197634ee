"""The intake of an inbound call, typed with keys on the caller screen (Pilot): every shipped
group's form, its required answers and validation, the pledge, the queue and the card."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from ui_support import SIZE, flat, idle, press

from callroom.app import make_app
from callroom.inbound import OPEN, READY
from callroom.screens.call import CallScreen
from callroom.screens.find import FindScreen
from callroom.screens.intake import IntakeScreen
from callroom.scripts import FORM_PREFIX, ScriptLibrary, pledge_hash

from conftest import add_tasks, phone

ID_OK = "11010519491231002X"  # a valid check digit
ID_BAD = "110105194912310021"  # the same with a wrong one
# a typed answer per question type (a date the way callers type it)
TYPED = {"text": "某某", "id_number": ID_OK, "date": "11-20", "phone": "13912345678"}


@pytest.fixture
def config(config):
    return replace(config, settle_ms=0)


def cases(store) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM cases ORDER BY task_id").fetchall()
    return [{**dict(r), "answers": json.loads(r["answers"])} for r in rows]


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def open_intake(pilot, number: str = "139 1234 5678") -> IntakeScreen:
    await idle(pilot)
    await press(pilot, "i")
    screen = pilot.app.screen
    assert isinstance(screen, IntakeScreen)
    await type_text(pilot, number)
    await press(pilot, "enter")
    return screen


async def fill_form(pilot, screen: IntakeScreen, pledge: bool = True) -> int:
    """Answer every question of the form in order with keys; returns the keys pressed."""
    keys = 0
    for q in screen.questions:
        if q.type == "yesno":
            await press(pilot, "y")
            keys += 1
        elif q.type == "choice":
            await press(pilot, "1")
            keys += 1
        else:
            await type_text(pilot, TYPED[q.type])
            await press(pilot, "enter")
            keys += len(TYPED[q.type]) + 1
    if screen.form is not None and screen.form.pledge:
        await press(pilot, "y" if pledge else "enter")
        keys += 1
    return keys


@pytest.mark.parametrize("group_no", range(1, 8))
async def test_every_shipped_group_is_taken_complete_by_keys(config, store, group_no):
    """Number, the group's digit, every question, the pledge, Enter: a case ready to submit,
    recorded as a verified call, its answers and pledge hash kept."""
    group = config.groups[group_no - 1]
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_intake(pilot)
        await press(pilot, str(group_no))
        await idle(pilot)
        assert screen.group == group.code and screen.questions
        await fill_form(pilot, screen)
        await press(pilot, "enter")  # on "finish"
        await idle(pilot)
        assert isinstance(app.screen, CallScreen)
    [case] = cases(store)
    form = ScriptLibrary(config.scripts_folder).get(FORM_PREFIX + group.form)
    assert case["grp"] == group.code and case["status"] == READY
    assert case["intake_by"] == "alice" and case["intake_at"] is not None
    assert {q.id for q in form.questions if q.required} <= set(case["answers"])
    task = store.get_task(case["task_id"])
    assert task.phone == "+8613912345678" and task.is_case
    if form.pledge:
        assert case["pledge_hash"] == pledge_hash(form.pledge_text("zh"))
        assert case["pledge_by"] == "alice" and case["pledge_at"] is not None
        text = store.conn.execute(
            "SELECT text FROM pledge_texts WHERE hash = ?", (case["pledge_hash"],)
        ).fetchone()[0]
        assert pledge_hash(text) == case["pledge_hash"]
    else:
        assert case["pledge_hash"] is None
    attempt = store.conn.execute("SELECT outcome FROM attempts WHERE task_id = ?", (task.id,))
    assert [r[0] for r in attempt] == ["verified"]


async def test_a_wrong_id_check_digit_is_refused_and_a_missing_answer_blocks_finish(config, store):
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_intake(pilot)
        await press(pilot, "1")  # hospital patient: name, ID, hospital ...
        await idle(pilot)
        await type_text(pilot, "某某")
        await press(pilot, "enter")
        await type_text(pilot, ID_BAD)
        await press(pilot, "enter")
        assert "id_number" not in screen.answers  # refused: the cursor stays on the ID
        assert "校验位不符" in flat(app)
        await press(pilot, *["backspace"] * len(ID_BAD))
        await type_text(pilot, ID_OK)
        await press(pilot, "enter")
        assert screen.answers["id_number"] == ID_OK
        # straight to "finish" without the rest: refused, nothing saved
        screen.query_one("#finish").focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, IntakeScreen)
        assert cases(store) == []
        assert "医院" in flat(app)  # the missing answers are named


async def test_ctrl_l_queues_an_incomplete_case_and_a_caller_completes_it_later(config, store):
    """Registered with what is known, the case waits in the queue; the caller who gets the card
    answers the form on it and records the verified outcome, the pledge taken with one key."""
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_intake(pilot)
        await press(pilot, "7")  # other
        await idle(pilot)
        await press(pilot, "ctrl+g", "ctrl+l")  # urgent, then to the queue
        await idle(pilot)
        assert isinstance(app.screen, CallScreen)
        [case] = cases(store)
        assert case["status"] == OPEN and case["grp"] == "other"
        task = store.get_task(case["task_id"])
        assert "urgent" in task.flags and task.state == "pending"
        # the empty queue now offers that case
        card = app.screen.card
        assert card is not None and card.id == task.id
        assert "其他" in flat(app)
        del screen


async def test_find_by_phone_with_no_match_offers_the_intake(config, store):
    add_tasks(store, 1)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await press(pilot, "f")
        assert isinstance(app.screen, FindScreen)
        await type_text(pilot, "13987654321")
        await idle(pilot)
        assert "Enter受理来电" in flat(app)
        await press(pilot, "enter")
        await idle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.e164 == "+8613987654321"


async def test_a_known_number_shows_the_residents_tasks_and_roster_line(config, store):
    add_tasks(store, 2)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot, phone(1)[3:])
        assert "已有记录1条" in flat(app)  # her task on the list, the name masked
        assert "居民1" not in flat(app)


async def test_a_queued_case_is_completed_on_its_card_with_the_pledge(config, store):
    """A case registered with its answers waits in the queue; on its card the intake's answers
    are filled in (the name masked), `1` asks for the pledge, `y` records it: the case is ready,
    with the hash of the words read out."""
    from callroom.inbound import desk
    from callroom.screens.dialogs import PledgeDialog

    answers = {"name": "林秀英", "id_number": ID_OK, "hospital": "市人民医院",
               "admitted": "2026-10-30", "must_leave": "yes"}  # fmt: skip
    taken = desk.take(store, desk.Intake(phone(5), "patient", answers), "bob", complete=False)
    app = make_app(config, store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert app.screen.card is not None and app.screen.card.id == taken.task_id
        assert "市人民医院" in flat(app) and "林*英" in flat(app) and "林秀英" not in flat(app)
        await press(pilot, "1")
        assert isinstance(app.screen, PledgeDialog)
        assert cases(store)[0]["status"] == OPEN  # nothing written before she agrees
        await press(pilot, "y")
        await idle(pilot)
    [case] = cases(store)
    form = ScriptLibrary(config.scripts_folder).get(FORM_PREFIX + "patient")
    assert case["status"] == READY and case["intake_by"] == "alice"
    assert case["pledge_hash"] == pledge_hash(form.pledge_text("zh"))
