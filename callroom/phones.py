"""Phone numbers: clean a cell, parse it with phonenumbers, give E.164 (the dedup key).

See ../shared/FACTS.md: float cells, full-width digits, +86/0086/86 prefixes, HK/MO numbers that
need a '+', extensions written with 转/分机, bare 8-digit numbers that are ambiguous, numbers Excel
cut to 6 significant digits, invisible characters, notes written next to a number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from callroom.invisible import strip_invisible
from callroom.numbers import display, mask  # noqa: F401  (shown forms live with the caller screen)

_FLOAT_TAIL = re.compile(r"^(\+?[0-9]+)\.0+$")
_SCI = re.compile(r"^([0-9])(?:\.([0-9]+))?[eE]\+?([0-9]+)$")
# Excel's General format shows a long number with 6 significant digits (1.38123E+10); a list
# saved from that view holds 13812300000, which is somebody else's number. Such a number cell has
# lost its tail for good: refused as "damaged by Excel", never dialled.
EXCEL_DIGITS = 6
_EXT = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_WRAPPER = re.compile(r'^="(.*)"$')
_JUNK = re.compile(r"[\s\-()（）./·_]+")
_DASH_EXT = re.compile(r"^(0[0-9]{2,3})\s*-\s*([0-9]{7,8})\s*-\s*([0-9]{1,6})$")
# Several numbers in one cell: "138..., 139...", "138.../139...", one per line.
_SEPARATORS = re.compile(r"[,，;；、|/\n\r]+|\s{2,}|\t")
# A number inside words: "19894146647（本人）", "18240721828(南)13912169593(北)", "本人:138...".
_RUN = re.compile(
    r"(?:(?:\+|00)\s?)?(?:\(\s*0[0-9]{2,3}\s*\)\s?)?[0-9](?:[0-9]|[\s\-](?=[0-9]))*"
    r"(?:\s*(?:转|分机|ext\.?|x|#)\s*[0-9]{1,6}(?![0-9]))?",
    re.IGNORECASE,
)
_NOTE_EDGES = " \t\r\n:：,，;；、/|()（）[]【】<>《》-_=+.。"
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
    """Not a callable number. ``code`` names the reason (i18n "reject.<code>"); the message is
    the detail only, e.g. the cell as written, so that a reason is never said twice."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _significant(digits: str) -> int:
    return len(digits.strip("0"))


def excel_damaged(value: object) -> bool:
    """A phone-sized number that Excel cut to 6 significant digits (or text of one in scientific
    notation with fewer digits than the number has): the tail is lost for good."""
    if type(value) is float:
        if value.is_integer() and 1e9 <= abs(value) < 1e16:
            return _significant(str(int(abs(value)))) <= EXCEL_DIGITS
        return False
    if isinstance(value, str):
        text = strip_invisible(value).strip().lstrip("'")
        if m := _SCI.match(text):
            mantissa = m.group(1) + (m.group(2) or "")
            length = int(m.group(3)) + 1
            return 9 <= length <= 15 and len(mantissa) < length  # digits written, zeros too
    return False


def clean_cell(value: object) -> str:
    """Text of a cell as a person would read it: floats back to digits, full-width to ASCII,
    invisible characters gone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = unicodedata.normalize("NFKC", strip_invisible(str(value))).strip().lstrip("'").strip()
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
        if digits.endswith("00000"):  # maybe cut by Excel: parse_phones says which
            return None
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
        raise PhoneError("not_phone", f"a date ({value})")
    if isinstance(value, float) and not value.is_integer():  # 1381234567.8 is not 13812345678
        raise PhoneError("not_phone", f"a fraction ({value!r})")
    if excel_damaged(value):
        shown = f"{value:.6G}" if isinstance(value, float) else str(value).strip()
        raise PhoneError("damaged_by_excel", repr(shown))
    text = clean_cell(value)
    if not text:
        raise PhoneError("empty", "")
    if fast := fast_mobile(text, region):
        return fast
    if text.upper() in _EXCEL_ERRORS:
        raise PhoneError("excel_error", text)
    if text.startswith("="):
        raise PhoneError("formula", repr(text[:40]))
    if len(text) > 60:
        raise PhoneError("not_phone", f"{text[:40]!r}... ({len(text)} characters)")
    ext = ""
    if m := _DASH_EXT.match(text):
        text, ext = f"{m.group(1)}{m.group(2)}", m.group(3)
    elif m := _EXT.search(text):
        ext, text = m.group(1), text[: m.start()]
    digits = _JUNK.sub("", text)
    if not re.fullmatch(r"\+?[0-9]+", digits):
        raise PhoneError("not_phone", repr(text))
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
        raise PhoneError("unreadable", f"{text!r} ({exc._msg})") from None
    if not phonenumbers.is_valid_number(number):
        if phonenumbers.is_valid_short_number(number):
            raise PhoneError("short_number", repr(text))
        raise PhoneError("invalid", repr(text))
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


def _note(text: str) -> str:
    return text.strip(_NOTE_EDGES)


_CLAUSE = re.compile(r"[，,；;。\n]")
_OPEN = "(（[【<《"
_CLOSE = ")）]】>》"
_LABEL = re.compile(r"[:：]\s*$")


def _last_clause(text: str) -> str:
    return _note(_CLAUSE.split(text)[-1])


def _first_clause(text: str) -> str:
    return _note(_CLAUSE.split(text)[0])


def _split_gap(gap: str, notes_before: bool) -> tuple[str, str]:
    """The words between two numbers -> (what they say of the number before, of the number
    after), by one grammar:

    - a bracket right after a number belongs to it: "151...(女婿) 156...(本人)";
    - a bracket left open before the next number labels that number:
      "132...（紧急联系人：166...）", "138...（父亲139...）";
    - words ending with a colon label the number after them: "固话：851... 手机：133...";
    - else the list's habit decides: words before its first number label each next number.
    """
    text = gap.strip()
    if text[:1] in _OPEN:
        close = next((i for i, ch in enumerate(text) if ch in _CLOSE), -1)
        if close == -1:
            return "", _note(text)  # an open bracket: the next number's label
        inside, rest = text[1:close], text[close + 1 :]
        return _note(inside), _last_clause(rest)
    if _LABEL.search(text):
        parts = _CLAUSE.split(text)
        label = parts[-1]
        words = label.split()
        if len(words) > 1:  # "(工作日) 手机：": only the last word labels the next number
            return _note(" ".join([*parts[:-1], *words[:-1]])), _note(words[-1])
        return _note(" ".join(parts[:-1])), _note(label)
    if notes_before:
        return "", _last_clause(text)
    return _first_clause(text), ""


def annotated_numbers(
    piece: str, region: str = "CN"
) -> tuple[list[tuple[Phone, str]], list[PhoneError]]:
    """The numbers written among words in one piece of a cell, each with the words written next
    to it: "19894146647（本人）" -> [(+8619894146647, "本人")]; "A(南)B(北)" -> [(A, "南"), (B, "北")];
    "本人:138..., 父亲:139..." reads the words before each number; "本人无手机，女儿151..." ->
    [(151..., "女儿")] (see _split_gap for the grammar)."""
    runs = [m for m in _RUN.finditer(piece) if sum(c.isdigit() for c in m.group(0)) >= 5]
    if not runs:
        return [], []
    head = piece[: runs[0].start()]
    tail = piece[runs[-1].end() :]
    notes_before = bool(_note(head))  # words before the first number: each number's note precedes
    before = [_last_clause(head)] + [""] * (len(runs) - 1)
    after = [""] * len(runs)
    for i, (a, b) in enumerate(pairwise(runs)):
        after[i], before[i + 1] = _split_gap(piece[a.end() : b.start()], notes_before)
    last, _ = _split_gap(tail, False)
    after[-1] = last
    found: list[tuple[Phone, str]] = []
    problems: list[PhoneError] = []
    for i, run in enumerate(runs):
        note = " ".join(n for n in (before[i], after[i]) if n)
        try:
            phone = parse_phone(run.group(0), region)
        except PhoneError as exc:
            problems.append(exc)
            continue
        found.append((phone, note))
    return found, problems


def read_numbers(
    value: object, region: str = "CN"
) -> tuple[list[tuple[Phone, str]], list[PhoneError]]:
    """Every valid number in a cell with the words written next to it ("" for a bare number),
    in order and without repeats, and the errors for the pieces that are not numbers."""
    kind = type(value)
    # The usual cell, one plain mobile as a number cell or its bare digits: split_cell and
    # clean_cell would give these digits back unchanged, so go straight to the fast path.
    if kind is float and value.is_integer() and not excel_damaged(value):  # type: ignore[union-attr]
        fast = fast_mobile(str(int(value)), region)  # type: ignore[call-overload]
    elif kind is int or (kind is str and value.isascii()):  # type: ignore[union-attr]
        fast = fast_mobile(str(value), region)
    else:
        fast = None
    if fast is not None:
        return [(fast, "")], []
    found: list[tuple[Phone, str]] = []
    problems: list[PhoneError] = []
    if isinstance(value, date):  # a date cell in the phone column: one reason, not a landline
        return found, [PhoneError("not_phone", f"a date ({value})")]
    if excel_damaged(value):
        try:
            parse_phone(value, region)
        except PhoneError as exc:
            return found, [exc]
    for piece in split_cell(value):
        try:
            got = [(parse_phone(piece, region), "")]
        except PhoneError as exc:
            got, more = annotated_numbers(piece, region) if exc.code == "not_phone" else ([], [])
            if not got:
                problems.append(more[0] if more else exc)
        for phone, note in got:
            if all(p.e164 != phone.e164 for p, _ in found):
                found.append((phone, note))
    if found and problems:  # words beside the numbers ("本人无手机，女儿151...") are no bad number
        problems = [e for e in problems if any(c.isdigit() for c in str(e))]
    return found, problems


def parse_phones(value: object, region: str = "CN") -> tuple[list[Phone], list[PhoneError]]:
    """Every valid number in a cell (first = the task's phone) and the errors for the others."""
    found, problems = read_numbers(value, region)
    return [p for p, _ in found], problems


def to_e164(value: object, region: str = "CN") -> str | None:
    """E.164 for a number typed in any format, or None if it is not a valid number."""
    try:
        return parse_phone(value, region).e164
    except PhoneError:
        return None
