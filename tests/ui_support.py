"""Helpers for the caller-screen tests: plain text of the screen, rows of the database."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from textual.app import App

from callroom.store import Store

SIZE = (80, 24)


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def flat(app: App[Any]) -> str:
    """Screen text with spaces removed: CJK text wraps anywhere, so assert on this."""
    return "".join(screen_text(app).split())


def attempts(store: Store, task_id: int) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT * FROM attempts WHERE task_id = ? ORDER BY id", (task_id,)
    ).fetchall()
    return [{**dict(r), "answers": json.loads(r["answers"])} for r in rows]


def events(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.conn.execute("SELECT * FROM events WHERE kind = ? ORDER BY id", (kind,)).fetchall()
    return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]


def task_row(store: Store, task_id: int) -> dict[str, Any]:
    return dict(store.conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone())


def rich_rows(count: int = 3) -> list[dict[str, Any]]:
    """Tasks that fill every part of a card (CJK place, address, extra columns, flags)."""
    from conftest import phone

    return [
        {
            "phone": phone(i),
            "name": "欧阳娜娜",
            "id_number": "44030419900101123X",
            "place": "北京市朝阳区",
            "arrival": "2026-10-30 14:00",
            "address": "福田区莲花街道景田北路88号",
            "flags": ["urgent", "elderly"] if i == 0 else [],
            "extra": {"车牌号": "粤B12345", "工作单位": "顺丰速运"},
            "alt_phones": [phone(100 + i)],
        }
        for i in range(count)
    ]


DEADLINE = datetime(2026, 11, 2, 18, 0)


async def idle(pilot: Any) -> None:
    """Let the caller screen's database work (worker threads) finish and the screen catch up."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and not _busy(app):
            return


def _busy(app: App[Any]) -> bool:
    screen = getattr(app, "call_screen", None)
    return screen is not None and screen.op is not None


async def press(pilot: Any, *keys: str) -> None:
    """Press keys one by one, each after the previous one's database work is done."""
    for key in keys:
        await pilot.press(key)
        await idle(pilot)
