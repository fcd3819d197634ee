"""Showing and dialling numbers that are already E.164: grouping, masks, kinds, digits to dial.

Pure string work, no phonenumbers (30 ms to import, and the caller screen needs none of it):
parsing what people type stays in callroom.phones.
"""

from __future__ import annotations

# Two-digit area codes (Beijing, Guangzhou, Shanghai, ...); every other CN area code has three.
_AREA2 = frozenset(("10", "20", "21", "22", "23", "24", "25", "27", "28", "29"))


def display(e164: str) -> str:
    """Group for reading aloud: +8613812345678 -> '138 1234 5678'; landlines keep area code."""
    if e164.startswith("+86"):
        rest = e164[3:]
        if len(rest) == 11 and rest.startswith("1"):
            return f"{rest[:3]} {rest[3:7]} {rest[7:]}"
        if rest[:2] in _AREA2:
            return f"0{rest[:2]} {rest[2:]}"
        return f"0{rest[:3]} {rest[3:]}"
    if e164.startswith(("+852", "+853")) and len(e164) == 12:
        return f"{e164[:4]} {e164[4:8]} {e164[8:]}"
    return e164


def mask(e164: str) -> str:
    """138****5678 style: enough to tell numbers apart, not enough to dial."""
    shown = display(e164).replace(" ", "")
    if len(shown) <= 7:
        return shown[:2] + "*" * (len(shown) - 2)
    return shown[:3] + "*" * (len(shown) - 7) + shown[-4:]


def kind(e164: str) -> str:
    """mobile, landline, hk, mo or other: what the card says next to a number."""
    if e164.startswith("+86"):
        rest = e164[3:]
        return "mobile" if len(rest) == 11 and rest.startswith("1") else "landline"
    if e164.startswith("+852"):
        return "hk"
    if e164.startswith("+853"):
        return "mo"
    return "other"


def dial_digits(e164: str) -> str:
    """The digits a phone in mainland China dials: 13812345678, 075526543210, 0085291234567."""
    if e164.startswith("+86"):
        rest = e164[3:]
        return rest if kind(e164) == "mobile" else "0" + rest
    if e164.startswith("+"):
        return "00" + e164[1:]
    return e164
