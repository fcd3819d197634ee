"""The caller's card and the health system's test results, driven through the real screen: a card
matched while a caller holds it says so and closes with one key; a test before arrival is shown
as context on the card."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from ui_support import SIZE, attempts, events, flat, idle, press, screen_text, task_row

from callroom.app import make_app
from callroom.config import Config
from callroom.results.importing import import_results
from callroom.store import Store

from conftest import Clock, phone

HEADER = ["姓名", "手机号码", "采样时间", "采样点", "检测结果"]


def export(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def keybar(app) -> str:  # type: ignore[no-untyped-def]
    return "".join(screen_text(app).splitlines()[-1].split())


async def test_a_card_matched_mid_call_says_so_and_closes_with_one_key(
    config: Config, clock: Clock, store: Store, tmp_path: Path
) -> None:
    store.add_batch("1102名单", [{"phone": phone(i), "name": f"居民{i}"} for i in range(3)], "lead")
    app = make_app(replace(config, settle_ms=0), store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        screen = app.call_screen
        assert screen.card.id == 1
        assert "t结案" not in keybar(app) and "数据已匹配" not in flat(app)
        await press(pilot, "m", *"先生说在上班", "enter")  # mid-call: a note typed
        # the lead imports the morning's tests: this resident and the next one were tested
        lead = Store(config, clock=clock)
        [report] = import_results(
            lead,
            [export(tmp_path / "r.csv", [["甲", phone(0)[3:], "2026-11-01 09:30", "莲花社康采样点",
                                          "阴性"],
                                         ["乙", phone(1)[3:], "2026-11-01 10:00", "莲花社康采样点",
                                          "阴性"]])],
            operator="lead",
        )  # fmt: skip
        assert (report.matched, report.held) == (1, 1)  # hers is offered, not closed under her
        assert task_row(store, 1)["state"] == "pending"
        screen._tick()  # the screen's clock: every 10 s it looks again
        await idle(pilot)
        text = flat(app)
        assert "数据已匹配：11-0109:30在莲花社康采样点已做核酸，无需拨打。按t结案" in text
        assert keybar(app).startswith("t结案(已检)")
        assert screen.note == "先生说在上班"  # nothing she typed was lost
        await press(pilot, "t")
        row = task_row(store, 1)
        assert (row["state"], row["final_outcome"], row["closed_by"]) == (
            "done", "test_matched", "alice",
        )  # fmt: skip
        assert attempts(store, 1) == []  # no call was made: none is recorded
        assert [e["detail"] for e in events(store, "test_matched_closed")] == [
            {"result": row["test_result"]}
        ]
        assert screen.card.id == 3  # task 2 was closed by the import: nobody calls it
        assert screen.status_bar.text == "已结案 居*0 - 已做核酸（数据匹配）"
        assert "数据已匹配" not in flat(app) and "t结案" not in keybar(app)


async def test_she_may_still_record_the_call_she_is_on(
    config: Config, clock: Clock, store: Store, tmp_path: Path
) -> None:
    store.add_batch("1102名单", [{"phone": phone(i)} for i in range(2)], "lead")
    app = make_app(replace(config, settle_ms=0, lang="en"), store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        lead = Store(config, clock=clock)
        import_results(
            lead, [export(tmp_path / "r.csv", [["甲", phone(0)[3:], "2026-11-01", "A点", "阴性"]])],
            operator="lead",
        )  # fmt: skip
        app.call_screen._tick()
        await idle(pilot)
        assert "Matched: tested 11-01 at A点 - no call needed, t closes it" in screen_text(app)
        # she reached him and he confirmed it: her word is recorded (tested: yes, 11-01)
        await press(pilot, "2", "y", *"1101", "enter")
        assert [r["outcome"] for r in attempts(store, 1)] == ["already_tested"]
        assert task_row(store, 1)["final_outcome"] == "already_tested"


async def test_a_test_before_arrival_is_context_on_the_card(
    config: Config, clock: Clock, store: Store, tmp_path: Path
) -> None:
    store.add_batch(
        "1102名单",
        [{"phone": phone(0), "arrival": "2026-11-01 14:00"}, {"phone": phone(1)}],
        "lead",
    )
    import_results(
        store,
        [export(tmp_path / "r.csv", [["甲", phone(0)[3:], "2026-10-29 08:00", "A点", "阴性"]])],
        operator="lead",
    )
    app = make_app(replace(config, settle_ms=0), store)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert app.call_screen.card.id == 1  # still to call
        text = flat(app)
        assert "核酸   上次检测 10-29，早于抵深" in screen_text(app)
        assert "数据已匹配" not in text and "t结案" not in keybar(app)
    english = make_app(replace(config, settle_ms=0, lang="en"), store)
    async with english.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert "Test    tested 10-29, before arrival" in screen_text(english)
