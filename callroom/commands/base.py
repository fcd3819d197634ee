"""What every command shares: the typer app, the consoles, the config and store openers, and
the clean failure (a message and an exit code, never a traceback).

The command modules (callroom/commands/*) import these from here, never from callroom/cli.py,
which imports them to register them: so there is no import circle between the two.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

from callroom import __version__
from callroom.config import LANGS, Config, ConfigError, load_config
from callroom.db_errors import explain
from callroom.files import WriteFailed
from callroom.i18n import t
from callroom.said import EnglishOnly, render
from callroom.store import Store, StoreError

console = Console()
err = Console(stderr=True)


class State:
    config_path: str | None = None
    lang: str | None = None
    operator: str | None = None
    config: Config | None = None  # once loaded: errors are said in its language


state = State()


def error_lang(exc: BaseException | None = None) -> str:
    """The language to say an error in: the loaded config's, --lang, the config file's own."""
    if state.config is not None:
        return state.config.lang
    if state.lang in LANGS:
        return state.lang  # type: ignore[return-value]
    if isinstance(exc, ConfigError) and exc.lang:
        return exc.lang
    return "zh"  # the shipped default


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]callroom:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


class CallroomGroup(TyperGroup):
    """Every command runs inside one handler: errors in words, never a traceback; a mistake in
    the command line itself (an unknown command or option, a missing argument) is said in the
    UI's language too."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        from callroom.cli_help import prepare

        prepare(self, argv)  # --help in the user's language
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except TyperException as exc:  # click's usage errors
            if not standalone_mode:
                raise
            lang = _argv_lang(argv)
            try:
                said = _usage(exc, lang) if lang != "en" else None
            except Exception:  # never a traceback over a typo: click's own words then
                said = None
            if said is None:
                from typer.rich_utils import rich_format_error

                rich_format_error(exc)  # type: ignore[arg-type]
            else:
                err.print(f"[bold red]callroom:[/] {escape(said)}", highlight=False)
            sys.exit(getattr(exc, "exit_code", 2))
        except typer.Abort:
            if not standalone_mode:
                raise
            err.print(t("cli.interrupted", _argv_lang(argv)))
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort, BrokenPipeError):
            raise  # BrokenPipeError: output piped into `head`; click ends quietly
        except KeyboardInterrupt:
            raise fail(t("cli.interrupted", error_lang()), 130) from None
        except ConfigError as exc:
            raise fail(exc.text(error_lang(exc)), 2) from None
        except (StoreError, WriteFailed) as exc:
            raise fail(exc.text(error_lang()), 1) from None
        except Exception as exc:
            database = state.config.database_label if state.config is not None else None
            from_db = isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg")
            known = explain(exc, database) if from_db else None
            if known is not None:
                raise fail(known.text(error_lang()), 1) from None
            from callroom import crash

            raise fail(crash.report(exc, state.config, error_lang()), 1) from None


def _argv_lang(argv: list[str]) -> str:
    """The UI language for a command line that could not be parsed: --lang, else the config's."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    try:
        import tomllib

        from callroom.config import find_config_path

        explicit = None
        for i, arg in enumerate(argv):
            if arg in ("--config", "-c") and i + 1 < len(argv):
                explicit = argv[i + 1]
            elif arg.startswith("--config="):
                explicit = arg.split("=", 1)[1]
            if explicit is not None:
                break
        path = find_config_path(explicit)
        if path is not None:
            lang = tomllib.loads(path.read_text("utf-8-sig")).get("general", {}).get("lang")
            if lang in LANGS:
                return lang
    except Exception:  # any trouble with the config is reported by the command itself
        pass
    return "zh"


_NO_COMMAND = re.compile(r"No such command '(?P<name>.+?)'\.(?: Did you mean (?P<like>.+)\?)?")


def _hint(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or [getattr(param, "name", "") or ""]
    if getattr(param, "param_type_name", "") == "argument":
        return (getattr(param, "human_readable_name", None) or opts[0]).upper()
    return " / ".join(opts)


def _usage(exc: BaseException, lang: str) -> str:
    """A command-line mistake (click's English) in the UI's language, with where to look."""
    kind = type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "callroom"
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None) or _hint(param)
    like = ""
    if kind == "NoSuchOption":
        text = t("cli.usage.no_option", lang, name=exc.option_name)  # type: ignore[attr-defined]
        possible = sorted(getattr(exc, "possibilities", None) or [])
        like = ", ".join(possible)
    elif kind == "MissingParameter":
        # an argument by what it is ("缺少要导入的文件"), not by click's name for it (FILES)
        what = ".".join(["cli.arg", *command.split()[1:], hint.lower()])
        text = t(what, lang) if t(what, lang) != what else t("cli.usage.missing", lang, name=hint)
    elif kind == "BadParameter":
        text = render("cli.usage.bad_value", lang,
                      {"name": hint, "detail": EnglishOnly(getattr(exc, "message", ""))})  # fmt: skip
    elif m := _NO_COMMAND.match(str(getattr(exc, "message", exc))):
        text = t("cli.usage.no_command", lang, name=m["name"])
        like = (m["like"] or "").replace("'", "")
    else:
        text = render("cli.usage.other", lang, {"detail": EnglishOnly(str(exc))})
    if like:
        text += t("cli.usage.suggest", lang, names=like)
    return f"{text}\n{t('cli.usage.help', lang, command=command)}"


app = typer.Typer(
    name="callroom",
    cls=CallroomGroup,
    help="Survey phone calls from a list, one card at a time.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # its tracebacks show local variables: residents' data
)


def get_config() -> Config:
    try:
        cfg = load_config(state.config_path, {"lang": state.lang, "operator": state.operator})
    except ConfigError as exc:
        raise fail(exc.text(error_lang(exc)), 2) from None
    state.config = cfg
    return cfg


def open_store(config: Config, create: bool = False) -> Store:
    """The configured database. Only `callroom init` passes create=True: any other command
    meets a missing database with a message naming the path and `callroom init`."""
    try:
        return Store(config, create=create)
    except StoreError as exc:
        raise fail(exc.text(config.lang)) from None
    except OSError as exc:
        raise fail(WriteFailed(config.database, exc).text(config.lang)) from None


def run_tui(tui: Any) -> None:
    """Run a Textual app without mouse capture (the SSH client's own copy and paste keep
    working) and exit with its return code: 1 after a crash."""
    tui.run(mouse=False)
    code = tui.return_code or 0
    if code:
        raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        console.print(f"callroom {__version__}")
        raise typer.Exit()
