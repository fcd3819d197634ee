"""What the card keeps of each kind of ID cell: the text as written, the flag, kind and birth date.

The caller reads the kept text back to the resident and the lead re-collects the flagged ones, so
every field matters, not just the flag.
"""

from __future__ import annotations

from datetime import date

import pytest

from callroom import ids
from callroom.ids import (
    BAD_CHECK,
    BAD_DATE,
    DAMAGED,
    OK,
    UNKNOWN,
    UPGRADED,
    IdNumber,
    check_char,
    parse_id,
)


def with_check(first17: str) -> str:
    return first17 + check_char(first17)


def wrong_check(first17: str) -> str:
    return first17 + ("1" if check_char(first17) == "0" else "0")


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        # the oldest birth year taken as real is 1880
        (
            with_check("44030418800101123"),
            IdNumber(with_check("44030418800101123"), OK, "resident", date(1880, 1, 1)),
        ),
        (
            with_check("44030418791231123"),
            IdNumber(with_check("44030418791231123"), BAD_DATE, "resident", None),
        ),
        # a bad check character keeps what the ID says: its kind and birth date
        (
            wrong_check("44030419900101123"),
            IdNumber(wrong_check("44030419900101123"), BAD_CHECK, "resident", date(1990, 1, 1)),
        ),
        (
            wrong_check("81000019900101123"),
            IdNumber(
                wrong_check("81000019900101123"), BAD_CHECK, "hk_mo_tw_permit", date(1990, 1, 1)
            ),
        ),
        (
            with_check("82000019900230123"),  # 30 February
            IdNumber(with_check("82000019900230123"), BAD_DATE, "hk_mo_tw_permit", None),
        ),
        # an old 15-digit ID with an impossible date: kept as written, not upgraded
        ("440304900231123", IdNumber("440304900231123", BAD_DATE)),
        ("H12345678", IdNumber("H12345678", OK, "home_return_permit")),
    ],
)
def test_every_field_of_a_parsed_id(cell: str, parsed: IdNumber) -> None:
    assert parse_id(cell) == parsed


@pytest.mark.parametrize(
    ("cell", "text", "flag"),
    [
        (1e15, "1000000000000000.0", DAMAGED),  # a number cell of 16 digits: shown as Excel had it
        (4.40304199001011e17, "4.40304199001011e+17", DAMAGED),
        ("4.40304E+17", "4.40304E+17", DAMAGED),
        ("123456789012", "123456789012", DAMAGED),  # 12 digits: an ID that lost its tail
        ("12345678901", "12345678901", UNKNOWN),  # 11 digits: a phone number, not an ID
        ("ABCDEFGHIJKL", "ABCDEFGHIJKL", UNKNOWN),  # twelve letters lost nothing to Excel
        ("ABCDEF19900101123X", "ABCDEF19900101123X", UNKNOWN),  # 18 characters, not an ID
        ("12AB.0", "12AB.0", UNKNOWN),
        ("5.0", "5", UNKNOWN),
        ("XY 123", "XY123", UNKNOWN),  # only Excel's leading ' is taken off, never a letter
    ],
)
def test_suspect_cells_keep_their_text_for_the_lead_to_re_collect(
    cell: object, text: str, flag: str
) -> None:
    assert parse_id(cell) == IdNumber(text, flag)


@pytest.mark.parametrize(
    "cell",
    [
        "110105491231002.0",  # a 15-digit number cell turned into text
        110105491231002,  # an integer cell from .xls
        110105491231002.0,
        "'110105491231002",  # Excel's text marker
        " 110105 491231 002 ",
    ],
)
def test_a_15_digit_id_in_any_cell_form_is_upgraded(cell: object) -> None:
    assert parse_id(cell) == IdNumber(
        "11010519491231002X", UPGRADED, "resident", date(1949, 12, 31)
    )


def test_the_text_marker_before_an_18_digit_id_is_dropped() -> None:
    assert parse_id("'11010519491231002X") == IdNumber(
        "11010519491231002X", OK, "resident", date(1949, 12, 31)
    )


def test_the_check_sum_tables_are_the_standards_weights_times_the_digits() -> None:
    """check_char reads its sums from tables built when ids is imported: check the builder."""
    table = ids._weighted((7, 9, 10))
    assert len(table) == 1000
    assert (table["000"], table["123"], table["999"]) == (0, 1 * 7 + 2 * 9 + 3 * 10, 9 * 26)
    assert ids._weighted((2,)) == {str(d): 2 * d for d in range(10)}
