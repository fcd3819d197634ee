"""Ages from the ID's birth date: the day someone turns 65 (or 7) is the day the flag changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from callroom.config import Config
from callroom.ids import age_on, check_char, parse_id
from callroom.importer import ImportOptions, import_files
from callroom.store import Store

from conftest import Clock


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1961, 11, 2), date(2026, 11, 1), 64),  # the day before the birthday
        (date(1961, 11, 2), date(2026, 11, 2), 65),  # the birthday itself
        (date(1961, 11, 2), date(2026, 11, 3), 65),
        (date(1961, 12, 1), date(2026, 11, 30), 64),  # an earlier month, a later day
        (date(1961, 10, 31), date(2026, 11, 1), 65),  # a later month, an earlier day
        (date(2000, 2, 29), date(2026, 2, 28), 25),  # leap-day birthday in a common year
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
        (date(2026, 11, 2), date(2026, 11, 2), 0),  # born today
    ],
)
def test_age_turns_on_the_birthday_not_a_day_earlier_or_later(
    born: date, day: date, age: int
) -> None:
    assert age_on(born, day) == age


def _id(born: date, seq: int) -> str:
    first = f"440304{born:%Y%m%d}{seq:03d}"
    return first + check_char(first)


def test_the_id_gives_the_birth_date_that_ages_are_counted_from() -> None:
    parsed = parse_id(_id(date(1961, 11, 2), 123))
    assert parsed is not None and parsed.birth == date(1961, 11, 2)


def test_elderly_and_child_flags_change_on_the_birthday(
    config: Config, clock: Clock, tmp_path: Path
) -> None:
    """Imported on 2026-11-02 with elderly_age 65 and child_age 7 (the shipped defaults)."""
    config = replace(config, elderly_age=65, child_age=7)
    people = {
        "六十五岁今天": (date(1961, 11, 2), "elderly"),
        "明天六十五": (date(1961, 11, 3), ""),
        "七岁今天": (date(2019, 11, 2), ""),
        "明天七岁": (date(2019, 11, 3), "child"),
    }
    lines = ["姓名,联系电话,身份证号"]
    for i, (name, (born, _)) in enumerate(people.items()):
        lines.append(f"{name},1381234{i:04d},{_id(born, 100 + i)}")
    path = tmp_path / "ages.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with Store(config, clock=clock) as store:
        import_files(store, [path], ImportOptions(), "lead")
        rows = store.conn.execute("SELECT name, flags FROM tasks").fetchall()
    assert {r["name"]: r["flags"] or "" for r in rows} == {
        name: flag for name, (_, flag) in people.items()
    }
