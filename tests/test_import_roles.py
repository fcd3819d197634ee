"""What a column holds, from its header words and its cells: the rules the importer's column
detection rests on, at their edges (shares, lengths, which words win)."""

from __future__ import annotations

from datetime import date, datetime

from callroom.importer.roles import (
    CALL_LIST,
    Assignment,
    Column,
    Header,
    assign,
    is_address,
    is_date,
    is_id_type,
    is_place,
    words,
)

NAMES = ["王五", "赵六", "李七", "周八", "吴九"]


def roles_of(*columns: tuple[str, list[object]]) -> Assignment:
    cols = [Column(i, chr(65 + i), Header.of(h), cells) for i, (h, cells) in enumerate(columns)]
    return assign(cols, CALL_LIST)


def test_header_words_match_in_any_case() -> None:
    assert words("name$").search("FULL NAME")
    assert words("phone").search("Mobile Phone")
    assert not words("phone").search("telefon")


def test_an_id_type_cell() -> None:
    for cell in ("护照", "居民身份证", "港澳居民来往内地通行证", "Passport", "  台胞证 "):
        assert is_id_type(cell), cell
    for cell in ("", "张三", "abc", "13800138000", None, 3.0):
        assert not is_id_type(cell), cell
    # a long note that mentions an ID is not a type: at most 20 characters
    assert is_id_type("居民身份证" + "x" * 15)
    assert not is_id_type("居民身份证" + "x" * 16)


def test_a_contact_header_over_phone_numbers_is_read_by_its_cells() -> None:
    # 紧急联系人 names a person, but 4 of the 5 cells are phone numbers: the contact's number,
    # kept as someone else's, never the resident's
    found = roles_of(
        ("姓名", NAMES),
        ("紧急联系人", ["13800138000", "13800138001", "13800138002", "13800138003", "无"]),
    )
    contact = found.choices[1]
    assert (contact.role, contact.whose, contact.why) == ("phone", "other", "cells")
    assert contact.share == 0.8
    # 3 in 5 is not enough: the header's word stands (the contact's name)
    found = roles_of(
        ("姓名", NAMES),
        ("紧急联系人", ["13800138000", "13800138001", "13800138002", "无", "无"]),
    )
    assert (found.choices[1].role, found.choices[1].whose) == ("name", "other")
    assert (found.choices[0].role, found.choices[0].whose) == ("name", "own")


def test_a_strong_header_word_beats_a_weak_one_before_any_cell_is_read() -> None:
    # 号码 is a weak word of an ID, 电话 a strong one of a phone: an empty column stays a phone
    assert roles_of(("电话号码", [])).choices[0].role == "phone"
    assert roles_of(("联系电话号码", [])).choices[0].role == "phone"
    # equal words and no cells to decide: the most specific role (an ID before a phone)
    assert roles_of(("号码", [])).choices[0].role == "id_number"
    assert roles_of(("联系人电话", [])).choices[0].role == "phone"


def test_an_address_cell_has_two_address_words_in_five_characters_or_more() -> None:
    assert is_address("滨河路9号")  # 路 and 号, five characters
    assert not is_address("河路9号")  # four
    assert not is_address("福田区滨河")  # one address word
    assert not is_address(None)


def test_a_place_cell_names_a_region_in_two_to_forty_characters() -> None:
    assert is_place("香港") and is_place("北京市") and is_place("郑州市金水区")
    assert is_place("USA")  # three Latin letters: a place abroad
    assert not is_place("北京")  # no region word
    assert not is_place("市")  # one character
    assert is_place("x" * 39 + "市")
    assert not is_place("x" * 40 + "市")  # a note, not a place
    assert not is_place(None)


def test_date_cells_excel_already_read_as_dates() -> None:
    assert is_date(date(2026, 11, 2)) and is_date(datetime(2026, 11, 2, 9, 30))
    assert is_date("11-02") and is_date("2026年11月2日 9点30分")
    assert not is_date("") and not is_date("张三") and not is_date(45000.0)
