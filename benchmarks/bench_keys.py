"""Keystroke to next card: 1,000 outcome keys on a 100k-task database, headless.

Each sample is the time from posting the key event to the app until `call_after_refresh` runs
after the next card was shown: the outcome written in a worker thread (committed with
synchronous=FULL), the next card claimed and read there, handed back to the UI thread, every
pane rebuilt, the screen composited. `pilot.press()` is not used for timing: it has ~60 ms of
fixed waits of its own. Also reported: the database part (record + next card with its reads).
settle_ms is 0 here (keys are 50 ms apart); the settle check itself is one comparison.

    python benchmarks/bench_keys.py [--tasks 100000] [--presses 1000]

Targets: median <= 8 ms, p99 <= 25 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from task_fill import fill_tasks
from textual import events
from textual.app import App
from textual.content import Content
from textual.widgets import Static

from callroom.app import CallroomApp, check_outcome_keys
from callroom.config import load_config
from callroom.screens.call import CallScreen
from callroom.store import Store

FRAME_MS = 16.0
TARGET_MEDIAN, TARGET_P99 = 8.0, 25.0
KEYS = (
    "34569"  # outcomes that commit at once (1, 2 ask the required answers, 7, 8 a note, 0 a time)
)
WARMUP = 20
GAP_SECONDS = 0.05
NOW = datetime(2026, 11, 2, 10, 0)  # a frozen weekday morning, inside calling hours


def clock() -> datetime:
    return NOW


def build(path: Path, tasks: int) -> None:
    cfg = replace(load_config(), database=path)
    store = Store(cfg, clock=clock, create=True)
    fill_tasks(store, tasks)
    store.close()


class TimedApp(CallroomApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.t0 = 0.0
        self.samples: list[float] = []
        self.painted = asyncio.Event()

    def on_call_screen_card_shown(self, event: CallScreen.CardShown) -> None:
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if self.t0:
            self.samples.append((time.perf_counter() - self.t0) * 1000)
            self.t0 = 0.0
        self.painted.set()


async def measure(path: Path, presses: int) -> tuple[list[float], list[float], list[Content]]:
    cfg = replace(load_config(), database=path, operator="bench", settle_ms=0)
    store = Store(cfg, clock=clock)
    check_outcome_keys(cfg)  # make_app's checks; then the same app with a timing hook
    app = TimedApp(cfg, store)
    store_ms: list[float] = []
    io = app.call_screen.io
    record_and_next = io.record_and_next

    def timed(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        out = record_and_next(*a, **k)
        store_ms.append((time.perf_counter() - t) * 1000)
        return out

    io.record_and_next = timed  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        gc.freeze()  # as `callroom` does once the first card is painted (callroom.launch)
        for i in range(presses + WARMUP):
            key = KEYS[i % len(KEYS)]
            # a caller presses a key every ~84 s, never within a frame of the last paint: idle a
            # little so Textual's frame timer (at most one update per 1/60 s) is not the limit
            await asyncio.sleep(GAP_SECONDS + random.uniform(0, FRAME_MS / 1000))
            app.painted.clear()
            app.t0 = time.perf_counter()
            event = events.Key(key, key)
            event.set_sender(app)
            app.post_message(event)
            await asyncio.wait_for(app.painted.wait(), timeout=5)
            if i == WARMUP - 1:
                app.samples.clear()
                store_ms.clear()
        pages = card_pages(app)
    store.close()
    return app.samples, store_ms, pages


class FloorApp(App[None]):
    """The floor: one widget showing a whole 80x24 card's text, replaced on each key (through a
    worker thread, as the caller screen does), timed the same way. Textual's own cost of getting
    a changed screen painted; no callroom code."""

    def __init__(self, pages: list[Content]) -> None:
        super().__init__()
        self.pages = pages
        self.t0 = 0.0
        self.samples: list[float] = []
        self.painted = asyncio.Event()
        self.page = 0

    def compose(self) -> Any:
        yield Static(self.pages[0], id="page")

    def on_key(self, event: events.Key) -> None:
        self.run_worker(lambda: self.call_from_thread(self._flip), thread=True)

    def _flip(self) -> None:
        self.page = (self.page + 1) % len(self.pages)
        self.query_one("#page", Static).update(self.pages[self.page])
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if self.t0:
            self.samples.append((time.perf_counter() - self.t0) * 1000)
            self.t0 = 0.0
        self.painted.set()


async def measure_floor(pages: list[Content], presses: int) -> list[float]:
    app = FloorApp(pages)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for i in range(presses + WARMUP):
            await asyncio.sleep(GAP_SECONDS + random.uniform(0, FRAME_MS / 1000))
            app.painted.clear()
            app.t0 = time.perf_counter()
            event = events.Key("3", "3")
            event.set_sender(app)
            app.post_message(event)
            await asyncio.wait_for(app.painted.wait(), timeout=5)
            if i == WARMUP - 1:
                app.samples.clear()
    return app.samples


def card_pages(app: App[Any]) -> list[Content]:
    """Two screens' worth of the card's own text, styled every few cells like the card."""
    lines = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
    styled = [
        Content.assemble((line[:12], "bold $accent"), (line[12:40], "$text-muted"), line[40:])
        for line in lines
    ]
    return [Content("\n").join(styled), Content("\n").join(reversed(styled))]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build(path, args.tasks)
        samples, store_ms, pages = asyncio.run(measure(path, args.presses))
        floor = asyncio.run(measure_floor(pages, args.presses))
    med, p99 = statistics.median(samples), pct(samples, 99)
    print(f"key -> next card painted, {len(samples)} presses on {args.tasks:,} tasks (headless)")
    print(
        f"  median {med:6.1f} ms  ({med / FRAME_MS:.2f} x a 16 ms frame)  target <= {TARGET_MEDIAN}"
    )
    print(f"  p99    {p99:6.1f} ms  ({p99 / FRAME_MS:.2f} x a 16 ms frame)  target <= {TARGET_P99}")
    print(f"  max    {max(samples):6.1f} ms")
    print(f"  database part (record + next card and its reads, in the worker): median "
          f"{statistics.median(store_ms):.1f} ms, p99 {pct(store_ms, 99):.1f} ms")  # fmt: skip
    fmed, fp99 = statistics.median(floor), pct(floor, 99)
    print(f"  floor (a bare app repainting the card's text via a thread, same run): median "
          f"{fmed:.1f} ms, p99 {fp99:.1f} ms; callroom = {med / fmed:.2f} x, p99 "
          f"{p99 / fp99:.2f} x the floor")  # fmt: skip
    ok = med <= TARGET_MEDIAN and p99 <= TARGET_P99
    print("  PASS" if ok else "  FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
