"""Arrival dates as lists write them, read into ISO form (or kept as written, never guessed)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

EXCEL_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (it counts a 29 Feb 1900 that never was)
_SERIAL_RANGE = (20000, 80000)  # 1954 .. 2119: a number outside this is not a date serial
# the part of the day a list may write after the date: "11月15日下午", "11-15 下午3点"
PART_OF_DAY = r"上午|下午|中午|晚上|凌晨|早上|早晨|傍晚|夜里|夜间|白天|[ap]\.?m\.?"
_AFTERNOON = ("下午", "晚上", "傍晚", "夜里", "夜间", "pm", "p.m", "p.m.", "pm.")
_DATE = re.compile(
    r"^(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
    rf"\s*(?P<p>{PART_OF_DAY})?"
    r"(?:\s*(?:[T\s]|日|号)?\s*(?P<H>\d{1,2})\s*[:：时点]\s*(?P<M>\d{1,2})?\s*分?(?::\d{1,2})?)?"
    rf"\s*(?P<q>{PART_OF_DAY})?$",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")


def read_date(value: object, today: date) -> tuple[str, bool]:
    """(text, understood). Understood values are 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
    if type(value) is datetime and value.tzinfo is None:  # the usual date cell, in C
        if value.hour or value.minute:
            return value.isoformat(" ", "minutes"), True
        return value.date().isoformat(), True
    if value is None or value == "":
        return "", True
    if isinstance(value, datetime):
        return _iso(value.date(), value.time()), True
    if isinstance(value, date):
        return value.isoformat(), True
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            moment = EXCEL_EPOCH + timedelta(minutes=round(float(value) * 1440))
            return _iso(moment.date(), moment.time()), True
        return _number_text(value), False
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return "", True
    if m := _COMPACT.match(text):
        day = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        return (day.isoformat(), True) if day else (text, False)
    if m := _DATE.match(text):
        month, dom = int(m["m"]), int(m["d"])
        year = int(m["y"]) if m["y"] else _nearest_year(month, dom, today)
        day = _day(year, month, dom)
        if day is None:
            return text, False
        clock = None
        if m["H"] is not None:
            hour, minute = int(m["H"]), int(m["M"] or 0)
            part = (m["p"] or m["q"] or "").lower()
            if part in _AFTERNOON and hour < 12:
                hour += 12  # 下午3点 is 15:00
            if hour > 23 or minute > 59:
                return text, False
            clock = time(hour, minute)
        return _iso(day, clock), True
    return text, False


def day_of(value: object) -> date | None:
    """The day a cell names when it names one with its year (a date cell, an Excel serial, text
    like 2026-11-28 or 20261128); None otherwise ("11-28" has no year: see yearless)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return (EXCEL_EPOCH + timedelta(days=float(value))).date()
        return None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    m = _COMPACT.match(text) or _DATE.match(text)
    if m is None or not m["y"]:
        return None
    return _day(int(m["y"]), int(m["m"]), int(m["d"]))


def yearless(value: object) -> bool:
    """'11-28', '11月28日下午': a day of this season, as lists write arrivals."""
    if not isinstance(value, str):
        return False
    m = _DATE.match(unicodedata.normalize("NFKC", value).strip())
    return m is not None and not m["y"]


def _iso(day: date, clock: time | None) -> str:
    if clock is None or (clock.hour, clock.minute) == (0, 0):
        return day.isoformat()
    return f"{day.isoformat()} {clock.hour:02d}:{clock.minute:02d}"


def _day(year: int, month: int, dom: int) -> date | None:
    try:
        return date(year, month, dom)
    except ValueError:
        return None


def _nearest_year(month: int, dom: int, today: date) -> int:
    """A list dated '10-31' without a year means the most recent 31 October (arrivals are past);
    a date up to a month ahead still counts as this year (planned arrivals)."""
    candidate = _day(today.year, month, dom)
    if candidate is not None and candidate > today + timedelta(days=31):
        return today.year - 1
    return today.year


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
