"""Phone numbers: clean a cell, parse it with phonenumbers, give E.164 (the dedup key).

See ../shared/FACTS.md: float cells, full-width digits, +86/0086/86 prefixes, HK/MO numbers that
need a '+', extensions written with 转/分机, bare 8-digit numbers that are ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from callroom.numbers import display, mask  # noqa: F401  (shown forms live with the caller screen)

_FLOAT_TAIL = re.compile(r"^(\+?[0-9]+)\.0+$")
_SCI = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")
_EXT = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_WRAPPER = re.compile(r'^="(.*)"$')
_JUNK = re.compile(r"[\s\-()（）./·_]+")
_DASH_EXT = re.compile(r"^(0[0-9]{2,3})\s*-\s*([0-9]{7,8})\s*-\s*([0-9]{1,6})$")
# Several numbers in one cell: "138..., 139...", "138.../139...", one per line.
_SEPARATORS = re.compile(r"[,，;；、|/\n\r]+|\s{2,}|\t")
_EXCEL_ERRORS = frozenset(
    ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!")
)
# Fast path for the common case, a plain CN mobile: prefixes that phonenumbers accepts as mobile
# for every subscriber number (tests/test_phones.py checks this against phonenumbers). `[0-9]`,
# not `\d`, which would also match full-width digits.
_MOBILE_PREFIXES = frozenset((
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "162", "165", "166", "167", "170",
    "171", "172", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185",
    "186", "187", "188", "189", "190", "191", "192", "193", "195", "196", "197", "198", "199",
))  # fmt: skip
_FAST = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")


@dataclass(frozen=True)
class Phone:
    e164: str  # '+8613812345678'
    kind: str  # 'mobile', 'landline', 'other'
    region: str  # 'CN', 'HK', 'MO', ...
    ext: str = ""
    flag: str = ""  # e.g. 'ambiguous_8_digits'


class PhoneError(ValueError):
    """Not a callable number; the message says why (shown in rejects), ``code`` groups them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def clean_cell(value: object) -> str:
    """Text of a cell as a person would read it: floats back to digits, full-width to ASCII."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lstrip("'").strip()
    if m := _WRAPPER.match(text):
        text = m.group(1).strip()
    if m := _FLOAT_TAIL.match(text):
        text = m.group(1)
    elif _SCI.match(text):
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if number.is_integer():
                text = str(int(number))
    return text


def fast_mobile(text: str, region: str = "CN") -> Phone | None:
    """A plain CN mobile without calling phonenumbers (30-80x cheaper); None: use the slow path."""
    if region != "CN" or not (m := _FAST.fullmatch(text)):
        return None
    digits = m.group(1)
    if digits[:3] not in _MOBILE_PREFIXES:
        return None
    return Phone(e164="+86" + digits, kind="mobile", region="CN")


def plain_mobile(value: object) -> str | None:
    """E.164 of a cell that is plainly one CN mobile, else None (then parse_phones decides).

    The import's hot path, for a region of CN: a number cell (13812345678.0), bare digits, or
    digits with single spaces or dashes and an optional +86. parse_phones gives the same number
    for every cell this accepts (tests/test_phones_ids.py), with no extension and no flag.
    """
    kind = type(value)
    if kind is float:
        if not (1.3e10 <= value < 2e10 and value.is_integer()):  # type: ignore[operator,union-attr]
            return None
        digits = str(int(value))  # type: ignore[call-overload]
    elif kind is str:
        digits = value.strip()  # type: ignore[union-attr]
        if not (digits.isascii() and digits.isdigit()):
            if not digits.isascii() or "  " in digits:  # two spaces separate two numbers
                return None
            digits = digits.replace(" ", "").replace("-", "").removeprefix("+86")
            if not digits.isdigit():
                return None
    else:
        return None
    if len(digits) == 11 and digits[:3] in _MOBILE_PREFIXES:
        return "+86" + digits
    return None


def parse_phone(value: object, region: str = "CN") -> Phone:
    """One number -> Phone, or PhoneError with the reason."""
    if isinstance(value, date):  # datetime too: its digits would read as a landline
        raise PhoneError("not_phone", f"a date, not a phone number: {value}")
    if isinstance(value, float) and not value.is_integer():  # 1381234567.8 is not 13812345678
        raise PhoneError("not_phone", f"a fraction, not a phone number: {value!r}")
    text = clean_cell(value)
    if not text:
        raise PhoneError("empty", "empty phone")
    if fast := fast_mobile(text, region):
        return fast
    if text.upper() in _EXCEL_ERRORS:
        raise PhoneError("excel_error", f"Excel error value {text} in the phone cell")
    if text.startswith("="):
        raise PhoneError("formula", f"a formula, not a number: {text[:40]!r}")
    if len(text) > 60:
        raise PhoneError(
            "not_phone", f"not a phone number: {text[:40]!r}... ({len(text)} characters)"
        )
    ext = ""
    if m := _DASH_EXT.match(text):
        text, ext = f"{m.group(1)}{m.group(2)}", m.group(3)
    elif m := _EXT.search(text):
        ext, text = m.group(1), text[: m.start()]
    digits = _JUNK.sub("", text)
    if not re.fullmatch(r"\+?[0-9]+", digits):
        raise PhoneError("not_phone", f"not a phone number: {text!r}")
    if fast := fast_mobile(digits, region):  # "+86 138-1234-5678", "138 1234 5678"
        return Phone(e164=fast.e164, kind=fast.kind, region=fast.region, ext=ext)
    flag = ""
    plain = digits.lstrip("+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif not digits.startswith("+") and len(plain) == 11 and plain[:3] in ("852", "853"):
        digits = "+" + plain  # 852xxxxxxxx given in CN is HK/MO written without '+'
    elif not digits.startswith("+") and len(plain) == 13 and plain.startswith("861"):
        digits = "+" + plain
    elif not digits.startswith("+") and len(plain) == 8 and region == "CN":
        # Could be a Shenzhen landline without area code or a HK/MO mobile: do not guess.
        flag = "ambiguous_8_digits"
        digits = "0755" + plain
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException as exc:
        raise PhoneError("unreadable", f"cannot read phone {text!r}: {exc._msg}") from None
    if not phonenumbers.is_valid_number(number):
        if phonenumbers.is_valid_short_number(number):
            raise PhoneError("short_number", f"service short number, not a resident: {text!r}")
        raise PhoneError("invalid", f"invalid phone number: {text!r}")
    ntype = phonenumbers.number_type(number)
    kind = {
        PhoneNumberType.MOBILE: "mobile",
        PhoneNumberType.FIXED_LINE: "landline",
        PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    }.get(ntype, "other")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region_code = phonenumbers.region_code_for_number(number) or region
    return Phone(
        e164=e164, kind=kind, region=region_code, ext=ext or (number.extension or ""), flag=flag
    )


def split_cell(value: object) -> list[str]:
    """The numbers written in one cell, in order (most cells hold one)."""
    text = clean_cell(value)
    if not text:
        return []
    if text.upper() in _EXCEL_ERRORS or text.startswith("="):
        return [text]  # reported whole by parse_phone
    pieces: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        words = part.split()
        # "138... 139..." is two numbers; "0755 2654 3210" is one
        if len(words) > 1 and all(sum(c.isdigit() for c in w) >= 7 for w in words):
            pieces.extend(words)
        else:
            pieces.append(part)
    return pieces


def parse_phones(value: object, region: str = "CN") -> tuple[list[Phone], list[PhoneError]]:
    """Every valid number in a cell (first = the task's phone) and the errors for the others."""
    # The usual cell, one plain mobile as a number cell or its bare digits: split_cell and
    # clean_cell would give these digits back unchanged, so go straight to the fast path.
    kind = type(value)
    if kind is float and value.is_integer():  # type: ignore[union-attr]
        fast = fast_mobile(str(int(value)), region)  # type: ignore[call-overload]
    elif kind is int or kind is str:
        fast = fast_mobile(str(value), region)
    else:
        fast = None
    if fast is not None:
        return [fast], []
    found: list[Phone] = []
    problems: list[PhoneError] = []
    if isinstance(value, date):  # a date cell in the phone column: one reason, not a landline
        return found, [PhoneError("not_phone", f"a date, not a phone number: {value}")]
    for piece in split_cell(value):
        try:
            phone = parse_phone(piece, region)
        except PhoneError as exc:
            problems.append(exc)
            continue
        if all(p.e164 != phone.e164 for p in found):
            found.append(phone)
    return found, problems


def to_e164(value: object, region: str = "CN") -> str | None:
    """E.164 for a number typed in any format, or None if it is not a valid number."""
    try:
        return parse_phone(value, region).e164
    except PhoneError:
        return None
