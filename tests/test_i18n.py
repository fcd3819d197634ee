"""The string tables: every key once, both languages, the same blanks in each."""

from __future__ import annotations

import string

from callroom.i18n import DEFINED_IN, STRINGS, t


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_is_defined_in_one_module_only() -> None:
    twice = {k: mods for k, mods in DEFINED_IN.items() if len(mods) > 1}
    assert twice == {}


def test_every_string_has_both_languages_with_the_same_blanks() -> None:
    for key, entry in STRINGS.items():
        assert set(entry) == {"zh", "en"}, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_lookup_falls_back_to_the_key() -> None:
    assert t("state.pending", "zh") == "待拨打"
    assert t("no.such.key", "zh") == "no.such.key"
