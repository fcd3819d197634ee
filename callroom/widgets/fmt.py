"""Formatting for the card: times relative to now, durations, short dates. No Textual here."""

from __future__ import annotations

from datetime import datetime, timedelta

from callroom.i18n import t


def when(dt: datetime, now: datetime, lang: str) -> str:
    """14:30 today, 明天 14:30 / tomorrow 14:30, else 11-05 14:30."""
    hm = dt.strftime("%H:%M")
    if dt.date() == now.date():
        return hm
    if dt.date() == (now + timedelta(days=1)).date():
        return t("when.tomorrow", lang, time=hm)
    if dt.year != now.year:
        return dt.strftime("%Y-%m-%d ") + hm
    return dt.strftime("%m-%d ") + hm


def duration(delta: timedelta, lang: str) -> str:
    """3小时20分 / 3h20m; 2天5小时 / 2d5h; 12分钟 / 12 min."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return t("dur.dh", lang, d=days, h=hours)
    if hours:
        return t("dur.hm", lang, h=hours, m=mins)
    return t("dur.m", lang, m=mins)


def short_time(text: str | None) -> str:
    """'2026-11-02 09:12:00' -> '11-02 09:12'."""
    if not text:
        return ""
    return text[5:16]
