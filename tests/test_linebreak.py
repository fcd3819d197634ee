"""Line breaking for Chinese at terminal widths: no line starts with closing punctuation, dates,
times and Latin words stay whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from callroom.linebreak import NO_END, NO_START, break_lines, wrap_text

OPENING = (
    "您好！我是福田区某某社区工作站的社区工作人员。根据上级推送的防疫排查信息，这个手机号码近期在"
    "郑州市金水区有停留记录。请问使用这个号码的您，最近是否去过郑州市金水区？"
)


@pytest.mark.parametrize("width", range(6, 42))
def test_no_line_starts_with_closing_punctuation(width: int) -> None:
    lines = wrap_text(OPENING, width)
    assert "".join(lines) == OPENING
    assert all(cell_len(line) <= width for line in lines)
    assert not any(line[0] in NO_START for line in lines[1:])


@pytest.mark.parametrize("width", range(12, 30))
def test_dates_and_times_stay_whole(width: int) -> None:
    text = "哪天到深圳？(名单：2026-11-20)约定 明天 09:30 回拨，10月31日已做核酸"
    lines = wrap_text(text, width)
    joined = "\n".join(lines)
    for whole in ("2026-11-20)", "09:30", "10月31日"):
        assert whole in joined
    assert not any(line.endswith(("(", "（")) for line in lines)


def test_latin_words_break_at_spaces_only() -> None:
    lines = wrap_text("Please watch your health and take two tests within three days.", 20)
    assert lines == ["Please watch your", "health and take two", "tests within three", "days."]


def test_an_overlong_piece_is_cut_by_cells() -> None:
    assert wrap_text("粤B1234567890123", 8) == ["粤", "B1234567", "890123"]


@given(st.text(alphabet="你好。，？（）“”ab 12-:年月日", max_size=60), st.integers(2, 30))
def test_any_text_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap_text(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= width for line in lines)


# a clause: a few characters, then at most one closing mark, or an opening mark before them
_CLAUSE = st.builds(
    lambda opening, chars, closing: opening + chars + closing,
    st.sampled_from(["", "（", "“"]),
    st.text(alphabet="你好深圳核酸", min_size=1, max_size=5),
    st.sampled_from(["", "。", "，", "？", "）", "”"]),
)


@given(st.lists(_CLAUSE, max_size=12), st.integers(6, 30))
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    clauses: list[str], width: int
) -> None:
    lines = wrap_text("".join(clauses), width)
    assert not any(line[0] in NO_START for line in lines[1:] if line)
    assert not any(line[-1] in NO_END for line in lines[:-1] if line)


def test_caller_screen_strings_use_no_ambiguous_width_characters() -> None:
    """Some Chinese SSH clients draw these two cells wide and the card's columns slip."""
    import unicodedata

    from callroom.i18n import call, storeerr

    for table in (call.STRINGS, storeerr.STRINGS):
        for key, texts in table.items():
            for text in texts.values():
                wide = [c for c in text if unicodedata.east_asian_width(c) == "A"]
                assert not wide, (key, wide)


@pytest.mark.parametrize(
    "text", ["（ 北京）很好", "“ 你好 ”", "a （ b", "ab ，cd", "好 。好", "请 （注意） 。"]
)
@pytest.mark.parametrize("width", range(2, 8))
def test_spaces_vanish_at_a_break_even_beside_punctuation(text: str, width: int) -> None:
    lines = wrap_text(text, width)
    assert all(line == line.strip(" ") and line for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_newlines_end_lines_and_offsets_point_into_the_text() -> None:
    assert break_lines("ab\ncd", 10) == [(0, 2), (3, 5)]
    text = "第一行\n第二行\n\n末"
    assert break_lines(text, 4) == [(0, 2), (2, 3), (4, 6), (6, 7), (8, 8), (9, 10)]
    assert wrap_text(text, 4) == ["第一", "行", "第二", "行", "", "末"]
    assert wrap_text("\n", 5) == ["", ""]


def test_a_line_that_fits_is_kept_as_it_is() -> None:
    assert wrap_text("ab ", 3) == ["ab "]
    assert wrap_text("你好", 4) == ["你好"]
    assert wrap_text("你好", 3) == ["你", "好"]


def test_a_width_under_one_is_one() -> None:
    assert wrap_text("ab", 0) == ["a", "b"]
    assert wrap_text("ab", -5) == ["a", "b"]


def test_a_character_wider_than_the_line_still_gets_a_line_of_its_own() -> None:
    assert wrap_text("你好", 1) == ["你", "好"]
    assert wrap_text("a你", 1) == ["a", "你"]
