"""Interface strings in zh and en, looked up by key; a missing key shows the key.

Each module of this package holds one part's table (``STRINGS``): common words, the importer,
the CLI, the lead pane, the caller screen, ... A new part adds its own module and is picked up
here without touching this file, so parts of the app never edit one shared table.
"""

from __future__ import annotations

import importlib
import pkgutil

STRINGS: dict[str, dict[str, str]] = {}
# key -> module that defines it (a key defined twice is a mistake, caught by the tests)
DEFINED_IN: dict[str, list[str]] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _table = importlib.import_module(f"{__name__}.{_info.name}").STRINGS
    for _key in _table:
        DEFINED_IN.setdefault(_key, []).append(_info.name)
    STRINGS.update(_table)


def t(key: str, lang: str, **values: object) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def state_label(state: str, lang: str) -> str:
    return t(f"state.{state}", lang)
