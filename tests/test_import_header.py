"""Finding the header of a sheet and naming its columns as Excel does: the letters every import
message uses to point a person at a cell, the header row picked among titles, notes, banner rows
and data; how a cell reads as text, and the flag words found in it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from callroom.config import load_config
from callroom.importer.header import (
    _MAX_COLUMN,
    column_letter,
    filled,
    find_header,
    header_line,
    letter_index,
    signature,
)
from callroom.importer.roles import Header
from callroom.importer.rows import FlagWords, cell_text, flags_text


@pytest.mark.parametrize(
    ("index", "letter"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"),
     (701, "ZZ"), (702, "AAA"), (16383, "XFD")],
)  # fmt: skip
def test_column_letters_as_excel_names_them(index: int, letter: str) -> None:
    assert column_letter(index) == letter
    assert letter_index(letter) == index
    assert letter_index(letter.lower()) == index  # --map c works as --map C


def test_what_is_not_a_column_letter() -> None:
    assert _MAX_COLUMN == 16384
    assert letter_index("XFE") is None  # one past Excel's last column
    assert letter_index("ZZZ") is None
    for text in ("", "AAAA", "A1", "1", "姓名", " A", "A-"):
        assert letter_index(text) is None, text


def test_header_line_gives_every_cell_its_letter() -> None:
    assert header_line(["序号", "", "姓名"]) == ["A 序号", "B", "C 姓名"]
    assert header_line(["电话"], first_col=27) == ["AB 电话"]
    assert header_line([]) == []


def test_a_layout_signature_tells_layouts_apart() -> None:
    a = signature(["姓名", "电话"])
    assert a == signature(["姓名", "电话"]) and len(a) == 32
    assert a != signature(["电话", "姓名"])
    assert a != signature(["姓名", "电话", ""])  # a blank column is part of the layout
    assert signature(["ab", "c"]) != signature(["a", "bc"])


def test_a_row_of_blanks_is_not_filled() -> None:
    assert not filled([None, "", "  ", "\t"])
    assert not filled([])
    assert filled([None, 0])
    assert filled(["", "x"])
    assert filled([False])


ROWS = [["张三", "13800138000", "福田区1号"], ["李四", "13800138001", "福田区2号"]]


def test_the_header_under_a_title_and_a_note() -> None:
    head = [
        ["11月2日 流调名单", None, None],  # a title: one cell
        [None, None, None],
        ["说明：请于今日18:00前完成"],  # a note: one cell
        ["姓名", "联系电话", "现住址"],
        *ROWS,
    ]
    guess = find_header(head)
    assert (guess.row, guess.rows) == (3, 1)
    assert [h.text for h in guess.headers] == ["姓名", "联系电话", "现住址"]


def test_a_banner_row_over_a_second_header_row() -> None:
    head = [
        ["姓名", "联系方式", None, "现住址"],
        [None, "本人", "紧急联系人", None],
        ["张三", "13800138000", "13800138009", "福田区1号"],
    ]
    guess = find_header(head)
    assert (guess.row, guess.rows) == (1, 2)
    assert guess.headers == [
        Header.of("姓名"),
        Header.of("本人", "联系方式"),
        Header.of("紧急联系人", "联系方式"),
        Header.of("现住址"),
    ]


def test_data_under_a_header_is_not_taken_for_a_second_header_row() -> None:
    head = [["姓名", "联系电话", "现住址"], *ROWS]
    guess = find_header(head)
    assert (guess.row, guess.rows) == (0, 1)


def test_a_list_without_a_header_row() -> None:
    head = [list(r) for r in ROWS]
    guess = find_header(head)
    assert (guess.row, guess.rows, guess.score) == (-1, 0, 0.0)
    assert [h.text for h in guess.headers] == ["", "", ""]
    assert find_header([]).headers == []


def test_a_header_pasted_again_lower_down_does_not_move_the_header() -> None:
    header = ["姓名", "联系电话", "现住址"]
    head = [header, *ROWS, list(header), *ROWS]
    assert find_header(head).row == 0


def test_a_header_is_searched_in_the_first_30_rows_only() -> None:
    filler = [[f"说明{i}"] for i in range(30)]
    head = [*filler, ["姓名", "联系电话", "现住址"], *ROWS]
    assert find_header(head).row == -1
    assert find_header(head[1:]).row == 29


def test_a_header_of_cells_that_are_data_loses_to_the_real_one() -> None:
    head = [
        ["13800138000", "440304199001011234", datetime(2026, 11, 2)],  # a stray data row on top
        ["姓名", "联系电话", "现住址"],
        *ROWS,
    ]
    assert find_header(head).row == 1


# -- cells as a person reads them in Excel ------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        ("  张三 ", "张三"),
        ("\u200b138\u200d0013\ufeff8000\u00ad", "13800138000"),  # copied from a web page
        ("a\x00b", "ab"),
        (True, "TRUE"),
        (False, "FALSE"),
        (13800138000.0, "13800138000"),  # Excel keeps every number as a float
        (0.0, "0"),
        (1.5, "1.5"),
        (42, "42"),
        (datetime(2026, 11, 2, 14, 30), "2026-11-02 14:30"),
        (datetime(2026, 11, 2), "2026-11-02"),  # a date typed without a time
        (datetime(2026, 11, 2).date(), "2026-11-02"),
    ],
)
def test_a_cell_as_text(cell: object, text: str) -> None:
    assert cell_text(cell) == text


def test_flag_words_found_in_any_case_longest_first() -> None:
    config = load_config()
    words = FlagWords(config)
    assert words.find("独居老人，密切接触者") == {"elderly", "urgent"}
    assert words.find("Close Contact; PREGNANT") == {"urgent", "pregnant"}
    assert words.find("住址：福田区") == frozenset()
    assert words.find("") == frozenset()
    # where one word begins another, the longer is read (a list about a children's hospital)
    custom = FlagWords(replace(config, flag_words={"child": ["儿童"], "patient": ["儿童医院"]}))
    assert custom.find("儿童医院陪护") == {"patient"}
    assert custom.find("儿童，在家") == {"child"}
    none = FlagWords(replace(config, flag_words={}))
    assert none.find("紧急") == frozenset()


def test_flags_are_written_most_urgent_first() -> None:
    assert flags_text({"child", "urgent", "elderly"}) == "urgent,elderly,child"
    assert flags_text(set()) == ""
    assert flags_text({"not_a_flag"}) == ""


def test_a_banner_over_some_columns_only_and_rows_of_different_lengths() -> None:
    # the banner starts at B; the data row is longer than both header rows (a stray cell in E)
    head = [
        [None, "联系方式", None, "现住址"],
        ["姓名", "本人", "紧急联系人", None],
        ["张三", "13800138000", "13800138009", "福田区1号", "x"],
    ]
    guess = find_header(head)
    assert (guess.row, guess.rows) == (1, 2)
    assert guess.headers == [
        Header.of("姓名"),  # left of the banner: no group
        Header.of("本人", "联系方式"),
        Header.of("紧急联系人", "联系方式"),
        Header.of("现住址"),
        Header.of(""),  # no header at all over E
    ]
