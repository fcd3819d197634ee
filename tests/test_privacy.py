"""What the card shows of a name and an ID number before the caller reveals them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callroom.privacy import mask_id, mask_name


@pytest.mark.parametrize(
    ("id_number", "masked"),
    [
        ("A", "*"),
        ("AB1234", "******"),  # six characters or fewer: nothing shown at all
        ("AB12345", "A****45"),  # seven: first one and last two
        ("H12345678", "H******78"),  # Home Return Permit
        ("12345678901234", "1***********34"),  # fourteen: still the short form
        ("440304900101123", "440304*****1123"),  # fifteen (old ID): address code and last four
        ("44030419900101123X", "440304********123X"),
        ("  44030419900101123X\t", "440304********123X"),  # blanks around are not characters
        ("   ", ""),
    ],
)
def test_mask_id_by_length(id_number: str, masked: str) -> None:
    assert mask_id(id_number) == masked


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=24))
def test_mask_id_hides_the_middle_of_any_document(text: str) -> None:
    masked = mask_id(text)
    assert len(masked) == len(text)
    shown = [c for c in masked if c != "*"]
    if len(text) <= 6:
        assert masked == "*" * len(text)
    elif len(text) < 15:
        assert masked[0] == text[0] and masked[-2:] == text[-2:] and len(shown) <= 3
    else:
        assert masked[:6] == text[:6] and masked[-4:] == text[-4:]
        assert masked[6:-4] == "*" * (len(text) - 10)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("李", "李"),  # a lone surname says nothing more than the list does
        ("J", "*"),  # a lone Latin initial is masked
        ("张三", "张*"),
        ("张小明", "张*明"),
        ("欧阳娜娜", "欧**娜"),
        ("Tom", "T*m"),
        ("  John \t  Smith\n", "J**n S***h"),  # runs of blanks collapse to one
        ("A B", "* *"),
        ("Li Na", "L* N*"),
        ("\t ", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked
