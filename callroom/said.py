"""Pieces of a message that are said in the reader's language only when it is shown.

An error is raised deep in the core, long before anyone knows who reads it; its message is an
i18n key and values (see db_errors.StoreError, config.ConfigError). A value may itself be a
phrase to translate (a state's name, "built-in defaults") or an outcome's own label: anything
with ``text(lang)`` is said in the reader's language. ``str()`` of each is English.
"""

from __future__ import annotations


def said(value: object, lang: str) -> object:
    text = getattr(value, "text", None)
    return text(lang) if callable(text) else value


def render(key: str, lang: str, params: dict[str, object]) -> str:
    """The message ``key`` in ``lang`` with its values (each said in ``lang`` too); a key with
    no entry is shown as it is (a plain sentence). Like i18n.t, but any value name is allowed
    (``key=`` is a common one in config errors)."""
    from callroom.i18n import STRINGS

    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**{k: said(v, lang) for k, v in params.items()}) if params else text


class Phrase:
    """An i18n key and its values."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        return render(self.key, lang, self.params)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r})"


class Words:
    """Text given in both languages by the user's own config (an outcome's zh and en label)."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


class EnglishOnly:
    """A library's own English words (a TOML parser's complaint): shown in English; in other
    languages the message says the same thing without them."""

    def __init__(self, words: str, prefix: str = ": ") -> None:
        self.words, self.prefix = words, prefix

    def text(self, lang: str) -> str:
        return f"{self.prefix}{self.words}" if lang == "en" and self.words else ""

    def __str__(self) -> str:
        return self.text("en")
