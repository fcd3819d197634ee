"""Characters nobody can see, removed from every cell before anything else reads it.

Lists copied from web pages, chat apps and PDFs carry zero-width spaces, direction marks, byte
order marks, soft hyphens and NUL bytes: a valid number with one of them fails every check, and a
NUL in a name ends the text early in C code. Kept tiny: the caller's find box uses it too.
"""

from __future__ import annotations

# U+200B-U+200F zero-width space/joiners and LRM/RLM, U+202A-U+202E bidi embeddings and
# overrides, U+2060-U+2064 word joiner and invisible operators, U+2066-U+2069 bidi isolates,
# U+FEFF BOM / zero-width no-break space, U+00AD soft hyphen, U+180E Mongolian vowel separator,
# U+061C Arabic letter mark, NUL.
_INVISIBLE = [
    0x00, 0xAD, 0x061C, 0x180E, 0xFEFF,
    *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x206A),
]  # fmt: skip
_DROP = dict.fromkeys(_INVISIBLE)


def strip_invisible(text: str) -> str:
    """``text`` without invisible and direction-control characters (and NULs)."""
    if text.isascii() and "\x00" not in text:  # the usual cell: nothing to look for
        return text
    return text.translate(_DROP)
