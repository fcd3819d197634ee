"""On-screen masks for personal data (PIPL: show the minimum). No Textual here.

The card masks the name and the ID number until the caller reveals them for that card; a reveal
is written to the audit log (`Store.log_event("reveal", ...)`) without any of the data itself.
The phone stays in full: the caller has to dial it.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def mask_name(name: str) -> str:
    """张三 -> 张*, 张小明 -> 张*明, 欧阳娜娜 -> 欧**娜; Latin names word by word (J*** S***h)."""
    name = _SPACES.sub(" ", name.strip())
    if not name:
        return ""
    if " " in name:
        return " ".join(_mask_word(w) for w in name.split(" "))
    return _mask_word(name)


def _mask_word(word: str) -> str:
    if len(word) == 1:
        return "*" if word.isascii() else word
    if len(word) == 2:
        return word[0] + "*"
    return word[0] + "*" * (len(word) - 2) + word[-1]


def mask_id(id_number: str) -> str:
    """440304199001011234 -> 440304********1234 (address code and last four kept).

    Shorter documents (a 15-digit old ID, a Home Return Permit H12345678) keep proportionally
    less; anything of six characters or fewer is masked whole.
    """
    text = id_number.strip()
    n = len(text)
    if n == 0:
        return ""
    if n <= 6:
        return "*" * n
    if n >= 15:
        head, tail = 6, 4
    else:
        head, tail = 1, 2
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]


def mask_address(address: str) -> str:
    """福田区莲花街道景田北路88号 -> 福田区莲花*** : the district part, not the door.

    Keeps at most the first third of the text (five characters at most), enough to tell areas
    apart in a report, not enough to find a home.
    """
    text = _SPACES.sub(" ", address.strip())
    if not text:
        return ""
    return text[: min(5, len(text) // 3)] + "***"


def mask_note(note: str) -> str:
    """A caller's note may say anything about a resident: hidden whole."""
    return "***" if note.strip() else ""
