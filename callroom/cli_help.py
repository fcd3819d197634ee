"""The command line's help in the user's language.

The English help lives next to the code (docstrings and ``help=``); the Chinese in
callroom/i18n/cli_help.py, keyed by what the user types (``callroom import --map``), so a reworded
English sentence keeps its Chinese and a renamed option shows up as missing in the tests.

The language is the one every message uses: --lang, else the config file's ``[general] lang``
(--config, $CALLROOM_CONFIG, ./callroom.toml), else the default; a broken config just gives the
default. It is looked up only when help is actually shown: the commands' contexts are of a class
whose get_help() puts the texts in place first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer
from typer import rich_utils

from callroom.i18n import t
from callroom.i18n.cli_help import HELP_ZH

ROOT = "callroom"
_LANG = "callroom.help_lang"  # in Context.meta, which a context shares with its parent's

# typer.rich_utils reads these module constants each time it draws the help
_PANEL_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "clihelp.arguments",
    "OPTIONS_PANEL_TITLE": "clihelp.options",
    "COMMANDS_PANEL_TITLE": "clihelp.commands",
    "DEFAULT_STRING": "clihelp.default",
    "REQUIRED_LONG_STRING": "clihelp.required",
}


def param_key(path: str, param: Any) -> str:
    """An option by its long name (``callroom import --map``), an argument by its metavar
    (``callroom import FILES``): what the user reads in the help."""
    if param.param_type_name == "argument":
        return f"{path} {param.name.upper()}"
    opts = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    return f"{path} {opts[0]}"


def walk(root: Any) -> Iterator[tuple[str, Any]]:
    """Every command of the tree Typer built, with its path: ``callroom``, ``callroom import``,
    ``callroom results match``."""
    stack = [(ROOT, root)]
    while stack:
        path, command = stack.pop(0)
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            stack.append((f"{path} {name}", sub))


def english_only(root: Any) -> list[str]:
    """The commands, options and arguments that have English help and no Chinese."""
    missing = []
    for path, command in walk(root):
        if command.help and path not in HELP_ZH:
            missing.append(path)
        for param in command.params:
            if getattr(param, "help", None) and param_key(path, param) not in HELP_ZH:
                missing.append(param_key(path, param))
    return missing


def _in_chinese(root: Any) -> None:
    for path, command in walk(root):
        command.help = HELP_ZH.get(path, command.help)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = HELP_ZH.get(param_key(path, param), param.help)


class _FoldingHighlighter(rich_utils.OptionHighlighter):
    """Typer's highlighter for the help's texts, which also makes them fold rather than end in
    an ellipsis: Rich (15.0) keeps the space at the end of a wrapped line that holds wide
    characters (Text.rstrip_end counts characters, not cells), and the table then cuts the line
    short with "..." and loses a word; Chinese help met it at most widths. It colours the
    Chinese "Usage:" as Typer colours the English one."""

    highlights = [
        *rich_utils.OptionHighlighter.highlights,
        rf"(?P<usage>{re.escape(t('clihelp.usage', 'zh'))} )",
    ]

    def highlight(self, text: Any) -> None:
        super().highlight(text)
        text.overflow = "fold"


_HIGHLIGHTER = _FoldingHighlighter()


class _Formatter(typer.Context.formatter_class):  # type: ignore[misc, name-defined]
    """Click's formatter with the "Usage:" word in the help's language."""

    usage = "Usage: "

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.usage if prefix is None else prefix)


class HelpContext(typer.Context):
    formatter_class = _Formatter

    def get_help(self) -> str:
        root = self.find_root()
        lang = root.meta.get(_LANG)
        if lang is None:
            from callroom.commands.base import _argv_lang  # the language usage errors are said in

            lang = root.meta[_LANG] = _argv_lang(getattr(root.command, "callroom_argv", []))
            if lang == "zh":
                _in_chinese(root.command)
        for name, key in _PANEL_WORDS.items():
            setattr(rich_utils, name, t(key, lang))
        rich_utils.highlighter = _HIGHLIGHTER
        help_option = self.command.get_help_option(self)
        if help_option is not None:
            help_option.help = t("clihelp.help", lang)
        return super().get_help()

    def make_formatter(self) -> Any:
        formatter = super().make_formatter()
        lang = self.find_root().meta.get(_LANG)
        if lang is not None:
            formatter.usage = t("clihelp.usage", lang) + " "
        return formatter


def prepare(root: Any, argv: list[str]) -> None:
    """Before the command line runs: help, if asked for, comes in the user's language."""
    root.callroom_argv = argv
    for _, command in walk(root):
        command.context_class = HelpContext
