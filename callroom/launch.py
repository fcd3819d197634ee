"""The `callroom` command: plain `callroom` and `callroom call` open the caller screen at once.

A caller opens the screen a dozen times a day, over SSH: the first card should be there as soon as
Textual can paint it. So this entry point reads the few options of those two forms itself and
goes straight to the screen, without loading the full command line (typer, and every command's
module with the importer, reports and exports). Anything else (`--help`, `--version`, any other
command, an option it does not know) goes to the full command line in callroom.cli.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

# options of `callroom [OPTIONS] [call [OPTIONS]]` that take a value, and where they may appear
_GLOBAL = {"--config": "config", "-c": "config", "--lang": "lang", "--operator": "operator"}
_CALL = {"--lang": "lang", "--operator": "operator"}


class StartError(Exception):
    """The screen cannot open; the message says why and what to do."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def caller_args(args: list[str]) -> dict[str, str] | None:
    """The options of a plain caller-screen start, or None for anything else."""
    found: dict[str, str] = {}
    allowed = _GLOBAL
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "call" and allowed is _GLOBAL:
            allowed = _CALL
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name not in allowed or (eq and name == "-c"):
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        found[allowed[name]] = value
        i += 1
    return found


def open_caller(config: object) -> int:
    """Open the caller screen on the configured database; returns the app's return code.

    Refuses to invent an empty database (StartError). Shared by this entry point and
    `callroom call` in the full command line.
    """
    from callroom.config import Config, ConfigError
    from callroom.store import Store, StoreError

    assert isinstance(config, Config)
    try:
        # a missing database: the message names it and `callroom init` (only init creates one)
        store = Store(config)
    except StoreError as exc:
        raise StartError(exc.text(config.lang)) from None
    except OSError as exc:
        from callroom.files import WriteFailed

        raise StartError(WriteFailed(config.database, exc).text(config.lang)) from None
    from callroom.app import make_app  # Textual: only now

    try:
        tui = make_app(config, store)
    except ConfigError as exc:
        store.close()
        raise StartError(exc.text(config.lang), 2) from None
    tui.call_screen.after_first_paint = _collect_again
    try:
        tui.run(mouse=False)  # no mouse capture: the SSH client's own copy and paste keep working
    finally:
        store.close()
    return tui.return_code or 0


def _collect_again() -> None:
    """After the first card: the garbage collector back on, with everything loaded so far (Textual,
    the app) frozen out of its sweeps, so it never pauses a keystroke to walk them."""
    gc.freeze()
    gc.enable()


def _fail(message: str, code: int) -> NoReturn:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(
        f"[bold red]callroom:[/] {escape(message)}", highlight=False, soft_wrap=True
    )
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    options = caller_args(args)
    if options is None:
        from callroom.cli import main as full_command_line

        full_command_line()
        return
    # start-up makes a few hundred thousand objects that all live on: collecting them in between
    # only costs time (back on, frozen, after the first card: _collect_again)
    gc.disable()
    from callroom.config import ConfigError, load_config

    try:
        config = load_config(
            options.get("config"),
            {"lang": options.get("lang"), "operator": options.get("operator")},
        )
    except ConfigError as exc:
        lang = options.get("lang")
        _fail(exc.text(lang if lang in ("zh", "en") else exc.lang or "zh"), 2)
    try:
        code = open_caller(config)
    except StartError as exc:
        _fail(exc.message, exc.code)
    sys.exit(code)
