"""Callback times and answer dates as a caller types them, on every day of the week and at the
turn of a month or a year."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from callroom.i18n import t
from callroom.when import WhenError, normalise, parse_callback, parse_date

MONDAY = datetime(2026, 11, 2, 10, 0)
WEEK = [MONDAY + timedelta(days=d) for d in range(7)]  # Monday 2 November .. Sunday 8 November
NAMES_ZH = ["一", "二", "三", "四", "五", "六", "日"]
NAMES_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def next_such_day(now: datetime, weekday: int, at: time) -> datetime:
    """The first moment after ``now`` on that weekday at that time, found by walking the days."""
    for ahead in range(8):
        day = now.date() + timedelta(days=ahead)
        moment = datetime.combine(day, at)
        if day.weekday() == weekday and moment > now:
            return moment
    raise AssertionError("no such day within a week")


@pytest.mark.parametrize("now", WEEK, ids=[d.strftime("%a") for d in WEEK])
@pytest.mark.parametrize("weekday", range(7), ids=NAMES_EN)
def test_a_weekday_said_on_any_day_of_the_week(now: datetime, weekday: int) -> None:
    zh, en = NAMES_ZH[weekday], NAMES_EN[weekday]
    said = {
        f"周{zh}9点": time(9, 0),  # 09:00 has passed at 10:00: the same weekday means next week
        f"星期{zh} 10点": time(10, 0),  # exactly now is not the future either
        f"礼拜{zh}下午3点": time(15, 0),  # later today when it is today
        f"周{weekday + 1}10点半": time(10, 30),  # 周3 = Wednesday, 周7 = Sunday
        f"{en} 9am": time(9, 0),
        f"{en[:3]} 4pm": time(16, 0),
    }
    for text, at in said.items():
        assert parse_callback(text, now) == next_such_day(now, weekday, at), text


@pytest.mark.parametrize("now", WEEK, ids=[d.strftime("%a") for d in WEEK])
def test_sunday_has_three_names(now: datetime) -> None:
    expected = next_such_day(now, 6, time(11, 0))
    for text in ("周日11点", "周天11点", "星期天11点", "周7 11点"):
        assert parse_callback(text, now) == expected, text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("十点半", datetime(2026, 11, 2, 10, 30)),
        ("十一点", datetime(2026, 11, 2, 11, 0)),
        ("下午两点半", datetime(2026, 11, 2, 14, 30)),
        ("两点半下午", datetime(2026, 11, 2, 14, 30)),  # the period after the time
        ("晚上八点", datetime(2026, 11, 2, 20, 0)),
        ("二十点十五分", datetime(2026, 11, 2, 20, 15)),
        ("中午十二点", datetime(2026, 11, 2, 12, 0)),
        ("中午一点", datetime(2026, 11, 2, 13, 0)),
        ("中午两点", datetime(2026, 11, 2, 14, 0)),
        ("中午11点半", datetime(2026, 11, 2, 11, 30)),
        ("中午13点", datetime(2026, 11, 2, 13, 0)),
        ("中午14点半", datetime(2026, 11, 2, 14, 30)),
        ("今晚七点", datetime(2026, 11, 2, 19, 0)),
        ("夜里11点", datetime(2026, 11, 2, 23, 0)),
        ("明天早上九点", datetime(2026, 11, 3, 9, 0)),
        ("后天上午十点半", datetime(2026, 11, 4, 10, 30)),
        ("九点半", datetime(2026, 11, 3, 9, 30)),  # passed today: tomorrow
        ("9.30", datetime(2026, 11, 3, 9, 30)),
        ("10:5", datetime(2026, 11, 2, 10, 5)),
        ("12am", datetime(2026, 11, 3, 0, 0)),
        ("12pm", datetime(2026, 11, 2, 12, 0)),
        ("11:30am", datetime(2026, 11, 2, 11, 30)),
        ("3:15 pm", datetime(2026, 11, 2, 15, 15)),
        ("tmr 8", datetime(2026, 11, 3, 8, 0)),
        ("today 17:45", datetime(2026, 11, 2, 17, 45)),
        ("day after tomorrow 9", datetime(2026, 11, 4, 9, 0)),
        ("下午3:15pm", datetime(2026, 11, 2, 15, 15)),  # said twice over
        ("早上9am", datetime(2026, 11, 3, 9, 0)),
        ("六点傍晚", datetime(2026, 11, 2, 18, 0)),  # 傍晚, not 晚 with 傍 left over
        ("23:30", datetime(2026, 11, 2, 23, 30)),
        ("10:59", datetime(2026, 11, 2, 10, 59)),
        ("10点", datetime(2026, 11, 3, 10, 0)),  # exactly now: tomorrow
        ("1105 3 pm", datetime(2026, 11, 5, 15, 0)),
    ],
)
def test_clock_times_in_chinese_and_english(typed: str, expected: datetime) -> None:
    assert parse_callback(typed, MONDAY) == expected


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("+1", 1),
        ("1分钟后", 1),
        ("+30", 30),
        ("半小时", 30),
        ("半个小时", 30),
        ("+5", 5),
        ("+ 15", 15),
        ("+90", 90),
        ("+240", 240),
        ("+45m", 45),
        ("+10min", 10),
        ("+20 minutes", 20),
        ("in 20 mins", 20),
        ("20分钟后", 20),
        ("过二十分钟", 20),
        ("十分钟以后", 10),
        ("45分后", 45),
        ("半个小时后", 30),
        ("+1h", 60),
        ("1.5h", 90),
        ("1h30m", 90),
        ("1小时30分钟后", 90),
        ("两个小时后", 120),
        ("3个钟头后", 180),
        ("2钟头后", 120),
        ("2 hours later", 120),
        ("一个半小时后", 90),
        ("两个半小时", 150),
        ("一小时半以后", 90),
        ("半个钟头后", 30),
        ("过半小时", 30),
    ],
)
def test_relative_times_in_minutes_and_hours(typed: str, minutes: int) -> None:
    now = datetime(2026, 11, 2, 10, 0, 45, 500)  # seconds are dropped: the card shows minutes
    assert parse_callback(typed, now) == datetime(2026, 11, 2, 10, 0) + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11-05 14:00", datetime(2026, 11, 5, 14, 0)),
        ("11/5 9点", datetime(2026, 11, 5, 9, 0)),
        ("11月5日下午3点", datetime(2026, 11, 5, 15, 0)),
        ("11月5号 9:30", datetime(2026, 11, 5, 9, 30)),
        ("2027-01-04 9:00", datetime(2027, 1, 4, 9, 0)),
        ("2027年1月4日 9点", datetime(2027, 1, 4, 9, 0)),
        ("1105 14:00", datetime(2026, 11, 5, 14, 0)),
    ],
)
def test_callback_on_a_date(typed: str, expected: datetime) -> None:
    assert parse_callback(typed, MONDAY) == expected


def test_a_date_without_a_year_over_new_year() -> None:
    new_years_eve = datetime(2026, 12, 30, 16, 0)
    assert parse_callback("1-3 9点", new_years_eve) == datetime(2027, 1, 3, 9, 0)
    assert parse_callback("1月2日上午10点", new_years_eve) == datetime(2027, 1, 2, 10, 0)
    with pytest.raises(WhenError) as err:  # 30 December said on 2 January: last week, not next year
        parse_callback("12-30 9:00", datetime(2027, 1, 2, 10, 0))
    assert err.value.code == "past"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("+0", "unreadable"),  # now is not a time to call back
        ("0分钟后", "unreadable"),
        ("+30x", "unreadable"),
        ("+", "unreadable"),
        ("in", "unreadable"),
        ("1 2h", "unreadable"),  # a stray number before the amount
        ("一二十点", "unreadable"),  # not a Chinese number
        ("十十点", "unreadable"),
        ("中午3点", "unreadable"),  # 中午 is 11:00 to 14:59: 下午3点 was meant, or not
        ("中午0点", "unreadable"),
        ("晚上12点", "midnight"),  # 0:00, but of which day: 明天0点 says it
        ("夜里十二点半", "midnight"),
        ("2026-02-30 9:00", "unreadable"),
        ("10点 or so", "unreadable"),
        ("24:00", "unreadable"),
        ("9:60", "unreadable"),
        ("下午", "need_time"),
        ("周三", "need_time"),
        ("11月5日", "need_time"),
        ("今天8点", "past"),
        ("今天10点", "past"),  # exactly now
        ("1102 9:00", "past"),
        ("2026-11-01 9:00", "past"),
        ("2-30 9点", "unreadable"),  # no 30 February in any nearby year
    ],
)
def test_what_cannot_be_a_callback_says_why(typed: str, code: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_callback(typed, MONDAY)
    assert err.value.code == code
    for lang in ("zh", "en"):  # what the callback dialog shows under the field
        assert t(f"when.err.{code}", lang) != f"when.err.{code}"


def test_chinese_numerals_and_full_width_text_are_read_as_digits() -> None:
    assert normalise("  十 ") == "10"
    assert normalise("二十三") == "23"
    assert normalise("十五") == "15"
    assert normalise("三十") == "30"
    assert normalise("两点〇五") == "2点5"
    assert normalise("ＴＯＭＯＲＲＯＷ　９") == "tomorrow 9"
    assert normalise("a\t\n b") == "a b"
    assert normalise("二〇二六年") == "2026年"
    assert normalise("一二十 十十 十二三") == "一二十 十十 十二三"  # no number: left as written


# -- dates given as answers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("31号", date(2026, 11, 2), date(2026, 10, 31)),  # last month
        ("2日", date(2026, 11, 2), date(2026, 11, 2)),
        ("1号", date(2026, 12, 30), date(2027, 1, 1)),  # next month, next year
        ("31号", date(2027, 1, 2), date(2026, 12, 31)),  # last month, last year
        ("30号", date(2027, 3, 1), date(2027, 3, 30)),  # no 30 February: the nearest that exists
        ("1号", date(2026, 11, 16), date(2026, 11, 1)),  # as near back as ahead: the past one
        ("1231", date(2027, 1, 2), date(2026, 12, 31)),
        ("0102", date(2026, 12, 30), date(2027, 1, 2)),
        ("12-31", date(2027, 1, 2), date(2026, 12, 31)),
        ("10.31", date(2026, 11, 2), date(2026, 10, 31)),
        ("2025/10/31", date(2026, 11, 2), date(2025, 10, 31)),
        ("2026年10月31日", date(2026, 11, 2), date(2026, 10, 31)),
        ("20261031", date(2026, 11, 2), date(2026, 10, 31)),
        ("二〇二六年十月三十一日", date(2026, 11, 2), date(2026, 10, 31)),
    ],
)
def test_dates_without_a_year_or_month_take_the_nearest(
    typed: str, today: date, expected: date
) -> None:
    assert parse_date(typed, today) == expected


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("today", 0),
        ("t", 0),
        ("今天", 0),
        ("yesterday", -1),
        ("昨天", -1),
        ("前天", -2),
        ("tomorrow", 1),
        ("后天", 2),
        ("-1", -1),
        ("-14", -14),
        ("3天前", -3),
        ("十天前", -10),
        ("2 days ago", -2),
        ("1 day ago", -1),
        ("5d ago", -5),
    ],
)
def test_dates_counted_from_today(typed: str, days: int) -> None:
    assert parse_date(typed, date(2026, 11, 2)) == date(2026, 11, 2) + timedelta(days=days)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "empty"), ("20261331", "unreadable"), ("2-30", "unreadable"), ("soon", "unreadable"),
     ("32号", "unreadable"), ("1332", "unreadable"), ("2026/2/30", "unreadable")],
)  # fmt: skip
def test_dates_that_cannot_be_read(typed: str, code: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_date(typed, date(2026, 11, 2))
    assert err.value.code == code
