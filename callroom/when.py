"""Times and dates typed by a caller in a hurry: `14:30`, `+30m`, `明天9点`, `tomorrow 9`, `1031`.

Pure functions of (text, now): the dialogs preview the reading live, so a caller sees what was
understood before pressing Enter. No Textual here. Errors carry a short code the UI translates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta


class WhenError(ValueError):
    """Text that cannot be read as a time/date.

    ``code``: empty, unreadable, past, need_time, midnight (the dialogs show ``when.err.<code>``).
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十]+")


def _cn_to_int(text: str) -> int | None:
    """十 .. 九十九 (enough for hours, minutes, days), or digit by digit (二〇二六, 〇五).

    None for what is no number (十十, 一二十): left as written, it then reads as unreadable.
    """
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    if text.count("十") > 1:
        return None
    tens, ones = text.split("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _cn_number(match: re.Match[str]) -> str:
    value = _cn_to_int(match.group())
    return match.group() if value is None else str(value)


def normalise(text: str) -> str:
    """Full-width to ASCII, Chinese numerals to digits, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _CN_NUMBER.sub(_cn_number, text)
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------------------------
# callback times

_REL_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours|hour|hrs|hr|h|个小时|小时|个钟头|钟头"
    r"|minutes|minute|mins|min|m|分钟|分)\s*"
)
_HALF_HOURS = (  # 半小时 -> 0.5小时; 一个半小时, 一小时半 -> 1.5小时
    (re.compile(r"^半个?(小时|钟头)"), r"0.5\1"),
    (re.compile(r"(\d+)个?半个?(小时|钟头)"), r"\1.5\2"),
    (re.compile(r"(\d+)个?(小时|钟头)半"), r"\1.5\2"),
)
_REL_PREFIX = re.compile(r"^(?:\+|in\b|过)\s*")
_REL_SUFFIX = re.compile(r"\s*(?:以后|之后|后|later)$")
_DAY_WORDS: dict[str, int] = {
    "今天": 0, "今日": 0, "today": 0, "今": 0,
    "明天": 1, "明日": 1, "tomorrow": 1, "tmr": 1, "明": 1,
    "后天": 2, "day after tomorrow": 2,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1,
    "3": 2, "4": 3, "5": 4, "6": 5, "7": 6,
}  # fmt: skip
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PM_WORDS = ("下午", "傍晚", "pm")
_NIGHT_WORDS = ("晚上", "晚", "夜里", "夜间")  # 晚上12点 is midnight, not noon: asked again
_AM_WORDS = ("早上", "上午", "早晨", "凌晨", "早", "am")
_NOON_WORDS = ("中午",)
_TIME = re.compile(
    r"^(\d{1,2})(?:(?::|点|时|\.)(\d{1,2}|半)?\s*(?:分)?)?$"  # 9 / 9:30 / 9点 / 9点半 / 9点30分
)
_HHMM = re.compile(r"^(\d{2})(\d{2})$")  # 1430
_MONTH_DAY = re.compile(
    r"^(?:(\d{4})[-/.年])?(\d{1,2})(?:[-/.]|月)(\d{1,2})(?:日|号)?$"
)  # 11-03, 2026-11-03, 11月3日, 10.31
# at the start of a callback ('.' is a time separator there: 9.30 is half past nine)
_DATE_PREFIX = re.compile(r"^(?:(\d{4})[-/年])?(\d{1,2})(?:[-/]|月)(\d{1,2})(?:日|号)?\s*")
_MMDD = re.compile(r"^(\d{2})(\d{2})$")


def parse_callback(text: str, now: datetime) -> datetime:
    """A future moment for a callback, from what the resident said; raises WhenError."""
    raw = normalise(text)
    if not raw:
        raise WhenError("empty")
    if (rel := _relative(raw)) is not None:
        return (now + rel).replace(second=0, microsecond=0)

    rest = raw
    # a leading day word / weekday / date, and how many days on a time already past today moves:
    # 9:00 said at 10:00 means tomorrow, 周一9点 said on a Monday at 10:00 next Monday, and a day
    # word or a date in the past is an error (0)
    day: date | None = None
    roll = 1
    for word, offset in sorted(_DAY_WORDS.items(), key=lambda kv: -len(kv[0])):
        if rest.startswith(word):
            day, roll, rest = now.date() + timedelta(days=offset), 0, rest[len(word) :]
            break
    else:
        if m := re.match(r"^(?:周|星期|礼拜)([一二三四五六日天1-7])", rest):
            day, roll, rest = _next_weekday(now, _WEEKDAYS[m.group(1)]), 7, rest[m.end() :]
        elif m := re.match(r"^(" + "|".join(_EN_WEEKDAYS) + r")[a-z]*", rest):
            day, roll = _next_weekday(now, _EN_WEEKDAYS.index(m.group(1))), 7
            rest = rest[m.end() :]
        elif md := _DATE_PREFIX.match(rest):
            day, roll, rest = _month_day(*md.groups(), now), 0, rest[md.end() :]
        else:
            head, _, tail = rest.partition(" ")
            if tail and (mmdd := _MMDD.match(head)):  # 1103 14:00
                day, roll = _month_day(None, mmdd.group(1), mmdd.group(2), now), 0
                rest = tail
    rest = rest.strip()

    # a period of the day, before or after the time (下午3点 / 3pm / 3点下午)
    period = ""
    for words, name in (
        (_NOON_WORDS, "noon"),
        (_PM_WORDS, "pm"),
        (_NIGHT_WORDS, "night"),
        (_AM_WORDS, "am"),
    ):
        for w in sorted(words, key=len, reverse=True):
            if rest.startswith(w):
                period, rest = name, rest[len(w) :].strip()
                break
            if rest.endswith(w):
                period, rest = name, rest[: -len(w)].strip()
                break
        if period:
            break
    if not rest:  # only a day or a period was said (明天, 下午): the text was not empty
        raise WhenError("need_time")
    clock = _clock(rest, period)
    if clock is None:
        raise WhenError("unreadable")
    when = datetime.combine(day or now.date(), clock)
    if when <= now:
        if not roll:
            raise WhenError("past")
        when += timedelta(days=roll)
    return when


def _relative(raw: str) -> timedelta | None:
    if m := re.fullmatch(r"\+\s*(\d+)", raw):  # +30: minutes (+0 is now: no callback time)
        return timedelta(minutes=int(m.group(1))) or None
    body = _REL_SUFFIX.sub("", _REL_PREFIX.sub("", raw))
    for pattern, replacement in _HALF_HOURS:
        body = pattern.sub(replacement, body)
    if not body or not body[0].isdigit():
        return None
    minutes = 0.0
    pos = 0
    for part in _REL_PART.finditer(body):
        if body[pos : part.start()].strip():
            return None
        hours = part.group(2).startswith(("h", "小", "个", "钟"))
        minutes += float(part.group(1)) * (60 if hours else 1)
        pos = part.end()
    if body[pos:].strip() or minutes <= 0:
        return None
    return timedelta(minutes=minutes)


def _clock(text: str, period: str) -> time | None:
    if m := re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)", text):
        text, period = m.group(1) + (":" + m.group(2) if m.group(2) else ""), m.group(3)
    if m := _HHMM.fullmatch(text):
        hour, minute = int(m.group(1)), int(m.group(2))
    elif m := _TIME.fullmatch(text):
        hour = int(m.group(1))
        minute_text = m.group(2)
        minute = 30 if minute_text == "半" else int(minute_text or 0)
    else:
        return None
    if period == "noon":  # 中午: 11:00 to 14:59
        if hour in (1, 2):
            hour += 12
        elif hour not in (11, 12, 13, 14):
            return None
    elif period in ("pm", "night") and hour < 12:
        hour += 12
    elif period == "night" and hour == 12:
        raise WhenError("midnight")  # 晚上12点: 0:00, but of which day? 明天0点 says it
    elif period == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _next_weekday(now: datetime, weekday: int) -> date:
    ahead = (weekday - now.weekday()) % 7
    return now.date() + timedelta(days=ahead)


def _month_day(year_text: str | None, month_text: str, day_text: str, now: datetime | date) -> date:
    month, day_ = int(month_text), int(day_text)
    today = now.date() if isinstance(now, datetime) else now
    if year_text:
        try:
            return date(int(year_text), month, day_)
        except ValueError:
            raise WhenError("unreadable") from None
    return _nearest(today, [(today.year + dy, month, day_) for dy in (-1, 0, 1)])


def _nearest(today: date, candidates: list[tuple[int, int, int]]) -> date:
    dates = []
    for y, m, d in candidates:
        try:
            dates.append(date(y, m, d))
        except ValueError:
            continue
    if not dates:
        raise WhenError("unreadable")
    return min(dates, key=lambda d: (abs((d - today).days), d > today))


# ---------------------------------------------------------------------------------------------
# dates given as answers

_ANSWER_DAYS: dict[str, int] = {
    "today": 0, "今天": 0, "今日": 0, "t": 0,
    "yesterday": -1, "昨天": -1, "昨日": -1,
    "前天": -2, "day before yesterday": -2,
    "tomorrow": 1, "明天": 1, "明日": 1,
    "后天": 2,
}  # fmt: skip
_AGO = re.compile(r"^(?:-(\d{1,3})|(\d{1,3})\s*(?:天前|days? ago|d ago))$")
_FULL = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_ONLY = re.compile(r"^(\d{1,2})(?:日|号)$")


def parse_date(text: str, today: date) -> date:
    """A day from quick forms: 1031, 10-31, 10月31日, 31号, 2026-10-31, 20261031, today/今天,
    yesterday/昨天, 前天, -3 / 3天前. Without a year, the nearest such day to today."""
    raw = normalise(text)
    if not raw:
        raise WhenError("empty")
    if raw in _ANSWER_DAYS:
        return today + timedelta(days=_ANSWER_DAYS[raw])
    if m := _AGO.match(raw):
        return today - timedelta(days=int(m.group(1) or m.group(2)))
    if m := _FULL.match(raw):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise WhenError("unreadable") from None
    if m := _MMDD.match(raw):
        return _month_day(None, m.group(1), m.group(2), today)
    if m := _MONTH_DAY.match(raw):
        return _month_day(*m.groups(), today)
    if m := _DAY_ONLY.match(raw):
        d = int(m.group(1))
        months = [(today.year, today.month + k) for k in (-1, 0, 1)]
        cands = [(y + (mo - 1) // 12, (mo - 1) % 12 + 1, d) for y, mo in months]
        return _nearest(today, cands)
    raise WhenError("unreadable")
