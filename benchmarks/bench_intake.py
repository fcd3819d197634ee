"""An appeal taken by keys: the intake of an inbound call typed into the real caller app (Pilot,
headless, 80x24), one typical case per group; keystrokes, seconds of app time, and the typing time
at a realistic speed.

For each group: `i` on the caller screen, the caller's number (11 digits) and Enter, the group's
digit, every required answer a typical case has (optional ones skipped with Enter, or answered
where a typical case has them), the pledge's `y`, Enter on "finish"; the case is then read back
from the database (ready to submit, its answers). Chinese answers are typed with a pinyin input
method: they are pressed into the app as characters, but counted as the keys a person presses
(the full pinyin plus one key to pick the word; PINYIN below). App time runs from the first key
to the case saved and the caller screen back. Typing time = keystrokes / KEYS_PER_SECOND.

Run: TEXTUAL_ANIMATIONS=none python benchmarks/bench_intake.py [--tasks 100000] [--speed 3.3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from task_fill import fill_tasks

from callroom.app import make_app
from callroom.config import load_config
from callroom.store import Store

NOW = datetime(2026, 11, 22, 10, 0)
# a data-entry pace for a desk operator: 200 keys a minute (digits, pinyin, Enter)
KEYS_PER_SECOND = 200 / 60
GOAL_SECONDS = 20
ID = "11010519491231002X"
# the typed answers of a typical case (question id -> text); absent: Enter (skipped)
TYPICAL = {
    "name": "王芳",
    "id_number": ID,
    "hospital": "市二医院",
    "admitted": "11-18",
    "must_leave": "y",
    "school": "景田小学",
    "city": "广州",
    "left_on": "11-20",
    "place": "海岸城",
    "passed_on": "11-21",
    "stay": "1",
    "stage": "3",
    "need": "2",
    "request": "健康码",
}
# keys a person presses for each Chinese answer with a pinyin input method (the word picked
# with a space or a digit)
PINYIN = {
    "王芳": "wangfang ",
    "市二医院": "shieryiyuan ",
    "景田小学": "jingtianxiaoxue ",
    "广州": "guangzhou ",
    "海岸城": "haiancheng ",
    "健康码": "jiankangma ",
}


def keys_for(text: str) -> int:
    return len(PINYIN.get(text, text))


async def take_one(app: Any, pilot: Any, group_no: int, number: str) -> tuple[int, float]:
    from callroom.screens.call import CallScreen
    from callroom.screens.intake import IntakeScreen

    async def settle() -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()

    keys = 0
    started = time.perf_counter()

    async def type_(text: str, counted: int | None = None) -> None:
        nonlocal keys
        for ch in text:
            await pilot.press(ch)
        keys += len(text) if counted is None else counted

    async def press(key: str) -> None:
        nonlocal keys
        await pilot.press(key)
        keys += 1

    await press("i")
    await settle()
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    await type_(number)
    await press("enter")
    await press(str(group_no))
    await settle()
    for q in screen.questions:
        answer = TYPICAL.get(q.id)
        if answer is None:
            await press("enter")  # skipped: an optional question a typical case leaves
        elif q.type in ("yesno", "choice"):
            await press(answer)
        else:
            await type_(answer, keys_for(answer))
            await press("enter")
        await pilot.pause()
    if screen.form is not None and screen.form.pledge:
        await press("y")
    await press("enter")  # finish
    await settle()
    for _ in range(50):
        if isinstance(app.screen, CallScreen):
            break
        await settle()
    elapsed = time.perf_counter() - started
    assert isinstance(app.screen, CallScreen), f"group {group_no}: the intake did not close"
    return keys, elapsed


async def measure(path: Path, rounds: int) -> list[dict[str, Any]]:
    cfg = replace(load_config(), database=path, settle_ms=0)
    store = Store(cfg, clock=lambda: NOW)
    app = make_app(cfg, store)
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        n = 0
        for g_no, group in enumerate(cfg.groups, 1):
            for _ in range(rounds):
                n += 1
                keys, seconds = await take_one(app, pilot, g_no, f"137{n:08d}")
                out.append({"group": group.code, "keys": keys, "app_seconds": seconds})
    rows = store.conn.execute("SELECT grp, status, answers FROM cases").fetchall()
    assert len(rows) == len(out) and all(r["status"] == "ready" for r in rows), "not all ready"
    for r in rows:
        assert json.loads(r["answers"]).get("name") == "王芳"
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="cases per group")
    parser.add_argument("--speed", type=float, default=KEYS_PER_SECOND, help="keys a second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(replace(load_config(), database=path), clock=lambda: NOW, create=True)
        fill_tasks(store, args.tasks)
        store.close()
        results = asyncio.run(measure(path, args.rounds))
    print(f"intake by keys, {args.rounds} cases a group on {args.tasks:,} tasks (headless 80x24); "
          f"typing at {args.speed * 60:.0f} keys a minute")  # fmt: skip
    print(f"  {'group':<18} {'keys':>5} {'typing s':>9} {'app s (median)':>15}")
    worst = 0.0
    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        by_group.setdefault(r["group"], []).append(r)
    for group, rs in by_group.items():
        keys = rs[0]["keys"]
        typing = keys / args.speed
        worst = max(worst, typing)
        app_s = statistics.median(r["app_seconds"] for r in rs)
        print(f"  {group:<18} {keys:>5} {typing:>9.1f} {app_s:>15.2f}")
    all_keys = [r["keys"] for r in results]
    print(f"  median {statistics.median(all_keys):.0f} keys = "
          f"{statistics.median(all_keys) / args.speed:.1f} s of typing; the longest form "
          f"{worst:.1f} s; goal <= {GOAL_SECONDS} s")  # fmt: skip
    ok = worst <= GOAL_SECONDS
    print("  PASS" if ok else "  FAIL (some groups over the goal)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
