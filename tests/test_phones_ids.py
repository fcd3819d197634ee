"""Property tests for phone numbers and ID numbers, checked against phonenumbers and GB 11643.

Bounded: every property runs at most a few hundred examples with no per-example deadline.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from unittest import mock

import phonenumbers
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from callroom import ids, phones
from callroom.ids import BAD_CHECK, BAD_DATE, DAMAGED, OK, UNKNOWN, UPGRADED, check_char, parse_id
from callroom.phones import (
    PhoneError,
    fast_mobile,
    parse_phone,
    parse_phones,
    plain_mobile,
    split_cell,
)

PROPERTY = settings(max_examples=250, deadline=None, database=None)
FEW = settings(max_examples=60, deadline=None, database=None)

PREFIXES = sorted(phones._MOBILE_PREFIXES)
FULL_WIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def _e164_by_phonenumbers(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


subscriber = st.integers(0, 10**8 - 1).map(lambda n: f"{n:08d}")
mobiles = st.builds(lambda p, s: p + s, st.sampled_from(PREFIXES), subscriber)
# any 11 digits that the fast path's regex could match: 1, then 3-9, then 9 digits
fast_shaped = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
)


def _grouped(national: str, sep: str) -> str:
    return sep.join((national[:3], national[3:7], national[7:]))


@st.composite
def written_mobile(draw: st.DrawFn) -> tuple[str, object]:
    """(national number, the same mobile as a district list may write it)."""
    national = draw(mobiles)
    form = draw(st.integers(0, 17))
    if form == 0:
        return national, int(national)  # an integer cell
    if form == 1:
        return national, float(national)  # a number cell from .xlsx: 13812345678.0
    if form == 2:
        return national, float(f"{national[0]}.{national[1:]}e10")  # 1.3812345678e10
    if form == 3:
        return national, national + ".0"  # a float cell turned into text
    if form == 4:
        return national, f"{float(national):.10e}"  # '1.3812345678e+10' typed or pasted
    prefix = draw(st.sampled_from(["", "+86", "0086", "86", "+86 ", "0086 ", "86 ", "(+86)"]))
    sep = draw(st.sampled_from(["", " ", "-"]))
    text = prefix + (_grouped(national, sep) if sep else national)
    if form in (5, 6):
        text = text.translate(FULL_WIDTH)  # typed with a Chinese input method
    if form == 7:
        text = f"'{text}"  # Excel's text marker
    if form == 8:
        text = f'="{text}"'  # the ="..." wrapper some exports use
    if form == 9:
        text = f"  {text}\t"
    if form == 10:
        text = "17951" + national  # IP-dial prefix
    if form == 11:
        text = "0" + national  # a stray trunk prefix
    return national, text


# -- phone numbers -----------------------------------------------------------------------------


@PROPERTY
@given(written_mobile())
@example(("13812345678", 1.3812345678e10))
@example(("13812345678", "13812345678.0"))
@example(("13812345678", "１３８１２３４５６７８"))
@example(("13812345678", "+86 138-1234-5678"))
@example(("13812345678", "0086 13812345678"))
@example(("13812345678", "8613812345678"))
def test_every_written_form_of_a_mobile_gives_the_same_e164(case: tuple[str, object]) -> None:
    national, written = case
    if isinstance(written, float) and national.endswith("00000"):
        # 6 significant digits: exactly what Excel's General format leaves of any number cell,
        # so such a number cell is refused as damaged (see the Excel-damage tests below)
        with pytest.raises(PhoneError) as info:
            parse_phone(written)
        assert info.value.code == "damaged_by_excel"
        return
    phone = parse_phone(written)
    assert phone.e164 == "+86" + national
    assert (phone.kind, phone.region, phone.ext, phone.flag) == ("mobile", "CN", "", "")
    found, problems = parse_phones(written)
    assert [p.e164 for p in found] == ["+86" + national] and problems == []


def test_fast_path_never_accepts_what_phonenumbers_rejects() -> None:
    answered: Counter[bool] = Counter()

    @PROPERTY
    @given(fast_shaped, st.sampled_from(["", "+86", "0086", "86"]))
    def check(national: str, prefix: str) -> None:
        text = prefix + national
        fast = fast_mobile(text)
        truth = _e164_by_phonenumbers(text)
        answered[fast is not None] += 1
        if fast is not None:
            assert truth == fast.e164 == "+86" + national
            number = phonenumbers.parse(text, "CN")
            assert phonenumbers.number_type(number) in (
                PhoneNumberType.MOBILE,
                PhoneNumberType.FIXED_LINE_OR_MOBILE,
            )
        # with the fast path switched off, parse_phone's slow path agrees with it
        with mock.patch.object(phones, "fast_mobile", return_value=None):
            try:
                slow = phones.parse_phone(text).e164
            except PhoneError:
                slow = None
        assert slow == truth
        if fast is not None:
            assert slow == fast.e164

    check()
    # the checks above bite only where the fast path answers: it must answer for most of them
    # (53 of the 70 prefixes 130-199 are on its list)
    assert answered[True] >= answered.total() / 2, answered


@PROPERTY
@given(st.sampled_from(PREFIXES), subscriber)
def test_every_whitelisted_prefix_is_a_valid_mobile_for_any_subscriber(
    prefix: str, sub: str
) -> None:
    number = phonenumbers.parse(prefix + sub, "CN")
    assert phonenumbers.is_valid_number(number), prefix + sub
    assert phonenumbers.number_type(number) in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def test_whitelist_leaves_out_the_prefixes_facts_calls_invalid() -> None:
    loose = ("140", "141", "142", "143", "144", "146", "148", "149", "154", "160", "161", "163",
             "164", "168", "169", "174", "179", "194")  # fmt: skip
    assert not set(loose) & phones._MOBILE_PREFIXES
    for prefix in loose:
        assert fast_mobile(prefix + "12345678") is None


@st.composite
def plain_looking_cell(draw: st.DrawFn) -> object:
    """Cells near the import's hot path: digits, separators, prefixes, number cells, junk."""
    national = draw(st.one_of(fast_shaped, mobiles, st.text("0123456789", min_size=9, max_size=13)))
    if draw(st.booleans()) and national.isdigit() and len(national) == 11:
        return float(national) + draw(st.sampled_from([0.0, 0.0, 0.5]))
    pieces = [national[:3], national[3:7], national[7:]]
    glue = draw(
        st.lists(
            st.sampled_from(["", " ", "-", "  ", "\t", "/", ".", "--"]), min_size=2, max_size=2
        )
    )
    text = pieces[0] + glue[0] + pieces[1] + glue[1] + pieces[2]
    prefix = draw(st.sampled_from(["", "", "+86", "+86 ", "86", "0086", "+", "'", "+85"]))
    pad = draw(st.sampled_from(["", " ", "\n"]))
    return pad + prefix + text + draw(st.sampled_from(["", " ", "-", "转12", "x"]))


def test_the_import_hot_path_agrees_with_parse_phones() -> None:
    """plain_mobile skips parse_phones for the usual cells: whatever it takes, parse_phones
    (and phonenumbers) would read as the same one mobile, with no extension and no flag."""
    taken: Counter[bool] = Counter()

    @PROPERTY
    @given(plain_looking_cell())
    @example("+86 138-1234-5678")
    @example("138  1234 5678")
    @example(13812345678.5)
    @example("138-1234-5678-12")
    def check(cell: object) -> None:
        fast = plain_mobile(cell)
        taken[fast is not None] += 1
        if fast is not None:
            found, problems = parse_phones(cell)
            assert [(p.e164, p.ext, p.flag) for p in found] == [(fast, "", "")] and problems == []
            assert _e164_by_phonenumbers(fast) == fast

    check()
    # most generated cells are near misses on purpose; about a fifth are taken (measured: 22%)
    assert taken[True] >= taken.total() * 0.08, taken


@PROPERTY
@given(
    mobiles, st.sampled_from(["", "+86", "+86 "]), st.sampled_from(["", " ", "-"]), st.booleans()
)
def test_the_import_hot_path_takes_every_usual_form_of_a_mobile(
    national: str, prefix: str, sep: str, as_number: bool
) -> None:
    cell: object = float(national) if as_number else prefix + _grouped(national, sep)
    if as_number and national.endswith("00000"):
        # six significant digits at most: maybe Excel's 1.38123E+10, refused, never dialled
        assert plain_mobile(cell) is None
        assert [p.code for p in parse_phones(cell)[1]] == ["damaged_by_excel"]
    else:
        assert plain_mobile(cell) == "+86" + national


def test_the_hot_path_takes_the_usual_cells() -> None:
    for cell in (13812345678.0, "13812345678", " 138 1234 5678 ", "+86 138-1234-5678"):
        assert plain_mobile(cell) == "+8613812345678", cell
    for cell in (
        "138  1234 5678",
        "１３８１２３４５６７８",
        1381234567.0,
        "14012345678",
        None,
        13.8,
    ):
        assert plain_mobile(cell) is None, cell


def test_fast_path_refuses_full_width_digits_and_other_regions() -> None:
    assert fast_mobile("１３８１２３４５６７８") is None  # `[0-9]`, not `\d`
    assert fast_mobile("13812345678", region="HK") is None
    assert fast_mobile("138123456789") is None and fast_mobile("1381234567") is None


@PROPERTY
@given(mobiles, mobiles, st.sampled_from(["，", ",", "、", ";", "；", "/", "\n", " ", "  ", " / "]))
def test_two_numbers_in_one_cell_come_out_both_in_order(a: str, b: str, sep: str) -> None:
    assume(a != b)
    cell = f"{a}{sep}{b}"
    assert split_cell(cell) == [a, b]
    found, problems = parse_phones(cell)
    assert [p.e164 for p in found] == ["+86" + a, "+86" + b]
    assert problems == []


def test_full_width_comma_between_numbers_in_a_cell() -> None:
    found, _ = parse_phones("13812345678，13912345678")
    assert [p.e164 for p in found] == ["+8613812345678", "+8613912345678"]


def test_repeated_number_in_a_cell_is_kept_once() -> None:
    found, _ = parse_phones("13812345678，+86 138 1234 5678")
    assert [p.e164 for p in found] == ["+8613812345678"]


LANDLINE_AREAS = ("10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "755", "571", "731")


@st.composite
def landline_with_extension(draw: st.DrawFn) -> tuple[str, str, str]:
    area = draw(st.sampled_from(LANDLINE_AREAS))
    digits = 8 if len(area) == 2 or area == "755" else draw(st.sampled_from([7, 8]))
    local = str(draw(st.integers(2, 8))) + "".join(
        str(draw(st.integers(0, 9))) for _ in range(digits - 1)
    )
    ext = str(draw(st.integers(1, 999999)))
    style = draw(
        st.sampled_from(["转", " 转 ", "分机", " 分机 ", "-", " ext. ", " ext", "#", " x"])
    )
    area_sep = draw(st.sampled_from(["", "-", " "]))
    if style == "-":
        area_sep = "-"  # 0755-26543210-8001: the dashed form needs the area code split off
    return f"0{area}{area_sep}{local}{style}{ext}", f"+86{area}{local}", ext


@PROPERTY
@given(landline_with_extension())
@example(("0755-26543210转8001", "+8675526543210", "8001"))
@example(("0755-26543210分机8001", "+8675526543210", "8001"))
@example(("0755-26543210-8001", "+8675526543210", "8001"))
@example(("0755 26543210 ext. 8001", "+8675526543210", "8001"))
def test_landline_keeps_its_extension_apart(case: tuple[str, str, str]) -> None:
    text, e164, ext = case
    assume(_e164_by_phonenumbers(e164) == e164)  # a few generated local numbers are not valid
    phone = parse_phone(text)
    assert (phone.e164, phone.ext, phone.kind) == (e164, ext, "landline")
    found, _ = parse_phones(text)
    assert [(p.e164, p.ext) for p in found] == [(e164, ext)]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("#N/A", "excel_error"),
        ("#REF!", "excel_error"),
        ("=A1", "formula"),
        ("=VLOOKUP(B2,Sheet2!A:B,2,0)", "formula"),
        ("1381234567", "invalid"),  # 10 digits
        ("10012345678", "invalid"),
        ("14912345678", "invalid"),
        ("95555", "short_number"),
        ("12345", "short_number"),
        ("张三", "not_phone"),
        ("1" * 61, "not_phone"),
    ],
)
def test_cells_that_are_not_numbers_say_why(cell: str, code: str) -> None:
    with pytest.raises(PhoneError) as info:
        parse_phone(cell)
    assert info.value.code == code and str(info.value)


def test_a_date_cell_is_not_a_phone_number() -> None:
    # a date in the phone column must not become a Shenzhen landline 0755-2020 0102
    for value in (date(2020, 1, 2), date(2026, 11, 2)):
        found, problems = parse_phones(value)
        assert found == []
        assert [p.code for p in problems] == ["not_phone"]


@FEW
@given(st.sampled_from(["852", "853"]), st.integers(10**7, 10**8 - 1))
def test_hong_kong_and_macau_written_without_plus(cc: str, local: int) -> None:
    text = f"{cc}{local}"
    truth = _e164_by_phonenumbers("+" + text)
    try:
        got = parse_phone(text).e164
    except PhoneError:
        got = None
    assert got == truth


def test_bare_eight_digits_are_kept_and_flagged_never_guessed_silently() -> None:
    phone = parse_phone("26543210")
    assert phone.flag == "ambiguous_8_digits" and phone.e164 == "+8675526543210"


# -- resident ID numbers -----------------------------------------------------------------------

AREAS = ("110105", "440304", "310101", "510104", "650102", "810000", "820000", "830000")


def _birth_dates(low: date, high: date) -> st.SearchStrategy[date]:
    return st.integers(0, (high - low).days).map(lambda d: low + timedelta(days=d))


@st.composite
def valid_ids(draw: st.DrawFn, low: date = date(1900, 1, 1), high: date = date(2026, 11, 1)) -> str:
    area = draw(st.sampled_from(AREAS))
    born = draw(_birth_dates(low, high))
    seq = draw(st.integers(0, 999))
    first = f"{area}{born:%Y%m%d}{seq:03d}"
    return first + check_char(first)


@PROPERTY
@given(valid_ids())
@example("11010519491231002X")
def test_valid_18_digit_ids_pass(text: str) -> None:
    got = parse_id(text)
    assert got is not None and got.flag == OK and got.text == text and got.trusted
    assert got.birth == date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    expected = "hk_mo_tw_permit" if text[:6] in ("810000", "820000", "830000") else "resident"
    assert got.kind == expected


@PROPERTY
@given(st.text("0123456789", min_size=17, max_size=17))
def test_the_table_driven_check_character_is_the_standards_formula(first17: str) -> None:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # GB 11643: W_i = 2^(i-1) mod 11
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    assert check_char(first17) == "10X98765432"[total % 11]


def test_fixed_example_and_its_lower_case_x() -> None:
    assert check_char("11010519491231002") == "X"
    for text in ("11010519491231002X", "11010519491231002x", " 110105 19491231 002x "):
        got = parse_id(text)
        assert got is not None
        assert (got.text, got.flag, got.birth) == ("11010519491231002X", OK, date(1949, 12, 31))


@PROPERTY
@given(valid_ids(), st.integers(0, 17), st.integers(0, 9))
def test_any_single_character_change_fails_the_check(text: str, pos: int, shift: int) -> None:
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    new = (alphabet.index(text[pos]) + 1 + shift % (len(alphabet) - 1)) % len(alphabet)
    changed = text[:pos] + alphabet[new] + text[pos + 1 :]
    assert changed != text
    got = parse_id(changed)
    assert got is not None and not got.trusted
    born_ok = ids._birth(changed[6:14]) is not None
    if not born_ok:
        assert got.flag == BAD_DATE
    elif changed.endswith("000"):
        assert got.flag == DAMAGED  # the documented Excel rounding case
    else:
        assert got.flag == BAD_CHECK


@PROPERTY
@given(valid_ids(low=date(1900, 1, 1), high=date(1999, 12, 31)))
def test_15_digit_ids_upgrade_to_the_18_digit_form(text18: str) -> None:
    old15 = text18[:6] + text18[8:17]
    got = parse_id(old15)
    assert got is not None
    assert (got.text, got.flag, got.kind) == (text18, UPGRADED, "resident")
    assert got.trusted
    # a 15-digit ID survives as a number cell: same result from the float
    from_float = parse_id(float(old15))
    assert from_float is not None and from_float.text == text18


def test_15_digit_example_from_the_standard() -> None:
    got = parse_id("110105491231002")
    assert got is not None
    assert (got.text, got.flag, got.birth) == ("11010519491231002X", UPGRADED, date(1949, 12, 31))


@PROPERTY
@given(valid_ids(low=date(1930, 1, 1)))
def test_18_digit_ids_stored_as_numbers_are_flagged_damaged(text: str) -> None:
    assume(text[-1] != "X")
    value = float(text)  # what Excel keeps: 15 significant digits at most, then binary rounding
    assert value > 1e15
    got = parse_id(value)
    assert got is not None and got.flag == DAMAGED and not got.trusted
    # as Excel shows the number when it is turned into text: '4.40304E+17'
    sci = parse_id(f"{value:.5E}")
    assert sci is not None and sci.flag == DAMAGED
    # the 15 digits Excel kept, then 000, as text: damaged, never "fixed"
    kept = text[:15] + "000"
    rounded = parse_id(kept)
    assert rounded is not None
    assert rounded.flag == (OK if check_char(kept[:17]) == kept[17] else DAMAGED)


@FEW
@given(st.floats(min_value=1e15, max_value=1e19, allow_nan=False, allow_infinity=False))
def test_any_float_above_1e15_is_damaged(value: float) -> None:
    got = parse_id(value)
    assert got is not None and got.flag == DAMAGED


@st.composite
def ids_ending_in_x(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(AREAS))
    born = draw(_birth_dates(date(1940, 1, 1), date(2020, 12, 31)))
    seq2 = draw(st.integers(0, 99))
    for last in range(10):
        first = f"{area}{born:%Y%m%d}{seq2:02d}{last}"
        if check_char(first) == "X":
            return first + "x"
    assume(False)
    raise AssertionError  # unreachable


@PROPERTY
@given(ids_ending_in_x())
def test_ids_ending_in_lower_case_x(text: str) -> None:
    got = parse_id(text)
    assert got is not None and got.flag == OK and got.text == text.upper()


@PROPERTY
@given(valid_ids(), st.sampled_from(["810000", "820000", "830000"]))
def test_hong_kong_macau_taiwan_residence_permits(text: str, area: str) -> None:
    first = area + text[6:17]
    permit = first + check_char(first)
    got = parse_id(permit)
    assert got is not None and (got.flag, got.kind) == (OK, "hk_mo_tw_permit")


def test_foreign_permanent_card_and_home_return_permit() -> None:
    first = "93" + "0000" + "19850307" + "123"
    card = parse_id(first + check_char(first))
    assert card is not None and (card.flag, card.kind) == (OK, "foreign_permanent")
    for permit in ("H12345678", "M87654321"):
        got = parse_id(permit)
        assert got is not None and (got.flag, got.kind) == (OK, "home_return_permit")
    assert parse_id("H1234567") is not None and parse_id("H1234567").flag == UNKNOWN


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("44030419900230123X", BAD_DATE),  # 30 February
        ("440304187001011230", BAD_DATE),  # born before 1880
        ("4.40304E+17", DAMAGED),
        ("440304199001011", BAD_DATE),  # 15 digits: YYMMDD 199001 -> 1919-90-01
        ("44030419900101", DAMAGED),  # digits lost on the way
        ("ABC", UNKNOWN),
    ],
)
def test_suspect_ids_are_flagged(value: str, flag: str) -> None:
    got = parse_id(value)
    assert got is not None and got.flag == flag and not got.trusted


def test_empty_and_boolean_cells_are_no_id() -> None:
    assert parse_id(None) is None and parse_id("") is None and parse_id("  ") is None
    assert parse_id(True) is None


@pytest.mark.parametrize(
    "cell",
    ["1.38123E+10", "1.38123e+10", " 1.3E+10", "'1.86E+10", 13812300000.0, 1.39e10, 18600000000.0],
)
def test_a_number_excel_cut_to_six_digits_is_refused_as_damaged_never_dialled(cell: object) -> None:
    with pytest.raises(PhoneError) as info:
        parse_phone(cell)
    assert info.value.code == "damaged_by_excel"
    found, problems = parse_phones(cell)
    assert found == [] and [p.code for p in problems] == ["damaged_by_excel"]
    assert plain_mobile(cell) is None


def test_scientific_text_with_every_digit_is_still_the_number() -> None:
    assert parse_phone("1.3812345678E+10").e164 == "+8613812345678"
    assert parse_phone(13812345670.0).e164 == "+8613812345670"  # 10 significant digits: intact


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("19894146647（本人）", [("+8619894146647", "本人")]),
        ("18240721828(南)13912169593(北)", [("+8618240721828", "南"), ("+8613912169593", "北")]),
        (
            "本人：13812345678，父亲：13912345678",
            [("+8613812345678", "本人"), ("+8613912345678", "父亲")],
        ),
        ("0755-26543210转8001（办公室）", [("+8675526543210", "办公室")]),
        ("13812345678 张三", [("+8613812345678", "张三")]),
    ],
)
def test_every_number_is_taken_out_of_a_cell_with_the_words_beside_it(
    cell: str, expected: list[tuple[str, str]]
) -> None:
    found, problems = phones.read_numbers(cell)
    assert [(p.e164, note) for p, note in found] == expected and problems == []


@pytest.mark.parametrize(
    "cell",
    [
        "138\u200b1234\u200b5678",
        "\ufeff13812345678",
        "13812345678\u200e",
        "\u202e13812345678",
        "1381234\u00ad5678",
        "13812345678\x00",
        "\u2060138 1234 5678",
    ],
)
def test_invisible_characters_never_make_a_valid_number_fail(cell: str) -> None:
    assert parse_phone(cell).e164 == "+8613812345678"
    assert phones.parse_phones(cell)[0][0].e164 == "+8613812345678"


def test_a_float_tail_after_a_plus_prefix_and_fractions_are_not_glued_on() -> None:
    assert phones.parse_phone("+8613812345678.0").e164 == "+8613812345678"
    with pytest.raises(phones.PhoneError):
        phones.parse_phone(1381234567.8)


@PROPERTY
@given(
    st.one_of(
        valid_ids(),
        st.text("0123456789X", min_size=18, max_size=18),
        st.builds(
            lambda y, d: f"440304{y:04d}02{d:02d}123" + "0",
            st.integers(1870, 2030),
            st.integers(27, 30),
        ),
    )
)
@example("11010519491231002X")
@example("440304190002291230")  # 1900 was not a leap year
def test_the_import_shortcut_for_usual_ids_agrees_with_parse_id(text: str) -> None:
    quick = ids.valid18(text)
    full = parse_id(text)
    assert full is not None
    if quick is not None:
        assert full.flag == OK and full.birth == date(*quick) and full.text == text
    elif full.flag == OK and full.kind != "home_return_permit":
        raise AssertionError(f"{text}: parse_id accepts it, the shortcut does not")
