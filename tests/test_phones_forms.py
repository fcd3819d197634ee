"""How a number is shown to the caller (grouped, masked) and which cells take the fast path."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest

from callroom import phones
from callroom.importer.model import reject_reason
from callroom.phones import (
    Phone,
    PhoneError,
    display,
    fast_mobile,
    mask,
    parse_phone,
    parse_phones,
    split_cell,
)

TWO_DIGIT_AREAS = ("10", "20", "21", "22", "23", "24", "25", "27", "28", "29")


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+8613812345678", "138 1234 5678"),
        ("+8619912345678", "199 1234 5678"),
        ("+8675526543210", "0755 26543210"),  # Shenzhen: three-digit area code
        ("+867552654321", "0755 2654321"),  # a seven-digit local number
        ("+8657188888888", "0571 88888888"),
        ("+8626123456789", "0261 23456789"),  # 026 is no area code: read as a three-digit one
        ("+85291234567", "+852 9123 4567"),  # Hong Kong
        ("+85366123456", "+853 6612 3456"),  # Macau
        ("+8529123456", "+8529123456"),  # too short for the HK grouping: as it is
        ("+14155552671", "+14155552671"),  # elsewhere: E.164 as it is
    ],
)
def test_display_groups_each_kind_of_number_for_reading_aloud(e164: str, shown: str) -> None:
    assert display(e164) == shown


@pytest.mark.parametrize("area", TWO_DIGIT_AREAS)
def test_display_of_two_digit_area_codes(area: str) -> None:
    assert display(f"+86{area}87654321") == f"0{area} 87654321"


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8613812345678", "138****5678"),
        ("+8675526543210", "075*****3210"),
        ("+861087654321", "010****4321"),
        ("+85291234567", "+85*****4567"),
        ("+1234567", "+12*4567"),  # eight characters: three shown, one hidden, four shown
        ("+123456", "+1*****"),  # seven or fewer: only the first two
        ("+12345", "+1****"),
    ],
)
def test_mask_shows_enough_to_tell_numbers_apart_not_to_dial(e164: str, masked: str) -> None:
    assert mask(e164) == masked


USUAL_CELLS = [
    13812345678.0,  # a number cell from .xlsx
    13812345678,  # a number cell from .xls
    "13812345678",
    "+8613812345678",
    "8613812345678",
    "008613812345678",
]
SPACED_CELLS = [
    "+86 138-1234-5678",
    "138 1234 5678",
    "(+86)138-1234-5678",
    "１３８１２３４５６７８",
]
NO_PHONENUMBERS = mock.patch.object(
    phones.phonenumbers, "parse", side_effect=AssertionError("slow path")
)


@pytest.mark.parametrize("cell", USUAL_CELLS + SPACED_CELLS)
def test_plain_mobiles_never_reach_phonenumbers(cell: object) -> None:
    """The fast path answers for the cells most lists are made of (30-80x cheaper)."""
    expected = Phone(e164="+8613812345678", kind="mobile", region="CN")
    with NO_PHONENUMBERS:
        assert parse_phones(cell) == ([expected], [])
        assert parse_phone(cell) == expected


@pytest.mark.parametrize("cell", USUAL_CELLS)
def test_the_usual_cells_are_not_even_cleaned(cell: object) -> None:
    """parse_phones answers a plain mobile before any cleaning or splitting (the import's
    hot path; benchmarks/bench_import.py measures it)."""
    with NO_PHONENUMBERS, mock.patch.object(phones, "clean_cell", side_effect=AssertionError):
        assert parse_phones(cell) == ([Phone("+8613812345678", "mobile", "CN")], [])


def test_a_mobile_keeps_an_extension_written_after_it() -> None:
    assert parse_phone("138-1234-5678 转 12") == Phone("+8613812345678", "mobile", "CN", ext="12")


def test_fast_mobile_takes_every_prefix_form_of_a_plain_mobile() -> None:
    for text in ("13812345678", "+8613812345678", "008613812345678", "8613812345678"):
        assert fast_mobile(text) == Phone("+8613812345678", "mobile", "CN"), text
    for text in ("+8513812345678", "0013812345678", "813812345678", " 13812345678"):
        assert fast_mobile(text) is None, text


@pytest.mark.parametrize(
    "cell",
    [",13812345678,", "13812345678；", "/13812345678", "\n13812345678\n", "、13812345678、",
     "13812345678 ,", " ; 13812345678"],
)  # fmt: skip
def test_a_separator_before_or_after_the_only_number_is_ignored(cell: str) -> None:
    assert split_cell(cell) == ["13812345678"]
    assert parse_phones(cell) == ([Phone("+8613812345678", "mobile", "CN")], [])


def test_separators_around_two_numbers_give_both_and_nothing_else() -> None:
    cell = "，13812345678、13912345678；"
    assert split_cell(cell) == ["13812345678", "13912345678"]
    found, problems = parse_phones(cell)
    assert [p.e164 for p in found] == ["+8613812345678", "+8613912345678"] and problems == []


@pytest.mark.parametrize(
    ("cell", "code", "detail", "shown"),
    [
        ("", "empty", "", "no phone number"),
        ("#N/A", "excel_error", "#N/A", "Excel error value: #N/A"),
        ("#div/0!", "excel_error", "#div/0!", "Excel error value: #div/0!"),
        ("=A1", "formula", "'=A1'", "a formula, not a number: '=A1'"),
        ("=" + "A" * 50, "formula", repr("=" + "A" * 39), f"a formula, not a number: '={'A' * 39}'"),
        ("张三", "not_phone", "'张三'", "not a phone number: '张三'"),
        (
            "1" * 61,
            "not_phone",
            f"{'1' * 40!r}... (61 characters)",
            f"not a phone number: '{'1' * 40}'... (61 characters)",
        ),
        (
            "1" * 60,  # 60 characters are still read, and found too long by phonenumbers
            "unreadable",
            f"{'1' * 60!r} (The string supplied is too long to be a phone number.)",
            f"unreadable number: '{'1' * 60}' (The string supplied is too long to be a phone number.)",
        ),
        (date(2026, 11, 2), "not_phone", "a date (2026-11-02)", "not a phone number: a date (2026-11-02)"),
        (1381234567.8, "not_phone", "a fraction (1381234567.8)", "not a phone number: a fraction (1381234567.8)"),
        ("1381234567", "invalid", "'1381234567'", "invalid number: '1381234567'"),
        ("+26543210", "invalid", "'+26543210'", "invalid number: '+26543210'"),  # '+': not local
        ("95555", "short_number", "'95555'", "service short number: '95555'"),
        (
            "+99912345678",
            "unreadable",
            "'+99912345678' (Could not interpret numbers after plus-sign.)",
            "unreadable number: '+99912345678' (Could not interpret numbers after plus-sign.)",
        ),
        (13812300000.0, "damaged_by_excel", "'1.38123E+10'", "cut by Excel to 6 digits: re-collect: '1.38123E+10'"),
        ("1.38123E+10", "damaged_by_excel", "'1.38123E+10'", "cut by Excel to 6 digits: re-collect: '1.38123E+10'"),
    ],
)  # fmt: skip
def test_the_reason_a_cell_is_rejected_names_the_cell(
    cell: object, code: str, detail: str, shown: str
) -> None:
    """The English rejects file prints the reason's name and this detail next to the row; the
    reason is said once (the detail names the cell, the code's label says what is wrong)."""
    with pytest.raises(PhoneError) as info:
        parse_phone(cell)
    assert (info.value.code, str(info.value)) == (code, detail)
    assert reject_reason(code, str(info.value), "", "en") == shown


def test_the_chinese_rejects_file_gives_the_reason_and_the_cell_as_written() -> None:
    with pytest.raises(PhoneError) as info:
        parse_phone("1381234567")
    assert (
        reject_reason(info.value.code, str(info.value), "1381234567", "zh")
        == "号码无效：1381234567"
    )
    assert reject_reason("empty", "", "", "zh") == "无电话号码"


def test_a_cell_with_good_and_bad_numbers_keeps_the_good_and_says_why_not_the_rest() -> None:
    found, problems = parse_phones("13812345678, 张三, 95555；13912345678")
    assert [p.e164 for p in found] == ["+8613812345678", "+8613912345678"]
    # words between numbers are read as notes on them (the cell grammar), not as bad numbers
    assert [p.code for p in problems] == ["short_number"]


@pytest.mark.parametrize(
    ("cell", "region", "e164", "kind", "where"),
    [
        ("85291234567", "CN", "+85291234567", "mobile", "HK"),  # HK without '+'
        ("85366123456", "CN", "+85366123456", "mobile", "MO"),
        ("0085291234567", "US", "+85291234567", "mobile", "HK"),  # 00 is international
        ("8617400123456", "HK", "+8617400123456", "mobile", "CN"),  # 86 without '+', off the list
        ("91234567", "HK", "+85291234567", "mobile", "HK"),  # 8 digits are local in HK
        ("400-810-8888", "CN", "+864008108888", "other", "CN"),  # a service line
        ("+1 415 555 2671", "CN", "+14155552671", "mobile", "US"),  # fixed line or mobile
        ("0755-26543210", "CN", "+8675526543210", "landline", "CN"),
    ],
)
def test_kind_and_region_of_numbers_from_elsewhere(
    cell: str, region: str, e164: str, kind: str, where: str
) -> None:
    phone = parse_phone(cell, region)
    assert (phone.e164, phone.kind, phone.region, phone.ext, phone.flag) == (
        e164, kind, where, "", "",
    )  # fmt: skip


@pytest.mark.parametrize("cell", ["13812345678", 13812345678, 13812345678.0])
def test_a_bare_cn_mobile_is_not_valid_when_the_region_is_hong_kong(cell: object) -> None:
    found, problems = parse_phones(cell, "HK")
    assert found == [] and [p.code for p in problems] == ["invalid"]
    assert phones.to_e164(cell, "HK") is None
    assert phones.to_e164(cell) == "+8613812345678"


def test_plain_mobile_number_cells_at_the_edges_of_the_range() -> None:
    assert phones.plain_mobile(13000000001.0) == "+8613000000001"  # near the lowest 130 number
    assert phones.plain_mobile(13000000000.0) is None  # 1.3E+10 as Excel shows it: maybe cut
    assert phones.plain_mobile(19999999999.0) == "+8619999999999"
    assert phones.plain_mobile(12999999999.0) is None


def test_cells_that_are_not_text() -> None:
    assert phones.clean_cell(True) == "" and phones.clean_cell(None) == ""
    assert phones.clean_cell(1.5) == "1.5"  # a fraction is shown as it is, never rounded
    assert phones.clean_cell("X-ray") == "X-ray"  # only Excel's leading ' is taken off
    assert phones.clean_cell("'13812345678") == "13812345678"


def test_a_formula_is_one_problem_not_one_per_comma() -> None:
    found, problems = parse_phones("=VLOOKUP(B2,Sheet2!A:B,2,0)")
    assert found == [] and [p.code for p in problems] == ["formula"]


def test_an_old_seven_digit_number_next_to_a_mobile_does_not_hide_the_mobile() -> None:
    found, problems = parse_phones("8765432 13812345678")
    assert [p.e164 for p in found] == ["+8613812345678"]
    assert [p.code for p in problems] == ["invalid"]


@pytest.mark.parametrize(
    ("e164", "kind", "label"),
    [
        ("+8613812345678", "mobile", "手机"),
        ("+8675526543210", "landline", "固话"),
        ("+861065529988", "landline", "固话"),  # 12 digits after +86 beginning with 1: Beijing
        ("+85291234567", "hk", "香港"),
        ("+85366123456", "mo", "澳门"),
        ("+14155550100", "other", "境外"),
    ],
)
def test_the_kind_the_card_says_beside_each_number(e164: str, kind: str, label: str) -> None:
    from callroom.i18n import t
    from callroom.numbers import kind as number_kind

    assert number_kind(e164) == kind
    assert t(f"numkind.{number_kind(e164)}", "zh") == label
