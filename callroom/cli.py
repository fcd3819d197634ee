"""The `callroom` command line (typer). Thin: it parses, calls the core, prints with Rich.

User mistakes and the failures a user can meet (bad config, no database, full disk, read-only or
damaged database, busy too long) print one clear message in the UI's language and exit non-zero.
Nothing ever prints a traceback: an unexpected error gives a short message with a reference
number and writes the details, without residents' data, to a crash log (callroom.crash).
"""

from __future__ import annotations

import re
import sqlite3
import sys
from contextlib import suppress
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup
from typer.exceptions import TyperException

from callroom import __version__
from callroom.config import LANGS, Config, ConfigError, default_config_text, load_config
from callroom.db_errors import explain
from callroom.files import WriteFailed, atomic_write, make_private
from callroom.i18n import state_label, t
from callroom.said import EnglishOnly, render
from callroom.schedule import STATES
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
            database = state.config.database if state.config is not None else None
            known = explain(exc, database) if isinstance(exc, sqlite3.Error) else None
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

        explicit = next(
            (argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--config", "-c")), None
        )
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
        text = t("cli.usage.missing", lang, name=hint)
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
    help="Survey phone calls from a list, one card at a time. 流调电话名单拨打工具。",
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


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    config: Annotated[
        str | None,
        typer.Option(
            "--config", "-c", help="Config file (else $CALLROOM_CONFIG, ./callroom.toml)."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Interface language: zh or en.")
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option("--operator", help="Caller name (default: config, else login name)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    state.config_path, state.lang, state.operator = config, lang, operator
    state.config = None
    if ctx.invoked_subcommand is None:
        from callroom.commands.calling import open_caller_screen

        open_caller_screen()


def _config_text(shared_group: str | None) -> str:
    text = default_config_text()
    if shared_group:
        text = text.replace('shared_group = ""', f'shared_group = "{shared_group}"', 1)
    return text


@app.command()
def init(
    shared_group: Annotated[
        str | None,
        typer.Option(
            "--shared-group",
            help="Unix group of the callers sharing this workspace over SSH (new config only).",
        ),
    ] = None,
) -> None:
    """Write a commented callroom.toml (if there is none) and create the database.

    With a shared group: the database folder setgid 2770 and the database 0660, in that group.

    Run it again after setting shared_group to share an existing workspace (see doctor).
    """
    target = Path(state.config_path) if state.config_path else Path("callroom.toml")
    created = not target.exists()
    lang = error_lang()
    if created:
        if shared_group is not None and not shared_group.strip():
            raise fail(t("cli.init.bad_group", lang), 2)
        atomic_write(target, _config_text(shared_group and shared_group.strip()))
    state.config_path = str(target)
    cfg = get_config()
    if shared_group is not None and shared_group.strip() != cfg.shared_group:
        raise fail(
            t("cli.init.group_differs", cfg.lang, path=target, group=shared_group,
              current=cfg.shared_group or '""'), 2,
        )  # fmt: skip
    if cfg.shared_group:
        # the config too: every caller's session reads it (someone else's: doctor says so)
        with suppress(PermissionError):
            make_private(target, cfg.shared_group)
    console.print(
        t("cli.init.config" if created else "cli.init.config_kept", cfg.lang, path=target),
        highlight=False,
    )
    if cfg.shared_group and cfg.database.exists():
        from callroom.workspace import share_existing

        share_existing(cfg.database, cfg.shared_group)  # a workspace that was one user's
    with open_store(cfg, create=True) as store:
        console.print(
            t("cli.init.db", cfg.lang, path=cfg.database, v=store.schema_version()),
            highlight=False,
        )
    if cfg.shared_group:
        console.print(
            t("cli.init.shared", cfg.lang, group=cfg.shared_group, folder=cfg.database.parent),
            highlight=False,
        )


@app.command()
def status() -> None:
    """Counts of tasks by state and of calls by outcome."""
    cfg = get_config()
    lang = cfg.lang
    with open_store(cfg) as store:
        batches = store.batches()
        if not batches:
            console.print(t("cli.empty", lang))
            return
        by_state = store.counts_by_state()
        final = store.counts_by_outcome()
        calls = store.attempt_counts_by_outcome()
        stale = store.stale_claims()

    bt = Table(title=t("cli.status.batches", lang), title_justify="left")
    bt.add_column("#", justify="right")
    bt.add_column(t("cli.col.batch", lang))
    bt.add_column(t("cli.col.imported", lang))
    bt.add_column(t("cli.col.tasks", lang), justify="right")
    bt.add_column(t("cli.col.deadline", lang))
    for b in batches:
        bt.add_row(
            str(b["id"]), b["name"], b["imported_at"], str(b["tasks_created"]), b["deadline"] or "-"
        )
    console.print(bt)

    st = Table(title=t("cli.status.title", lang), title_justify="left")
    st.add_column(t("cli.col.state", lang))
    st.add_column(t("cli.col.count", lang), justify="right")
    for s in STATES:
        st.add_row(state_label(s, lang), str(by_state.get(s, 0)))
    st.add_section()
    st.add_row(t("cli.total", lang), str(sum(by_state.values())), style="bold")
    console.print(st)

    ot = Table(title=t("cli.status.outcomes", lang), title_justify="left")
    ot.add_column(t("cli.col.key", lang))
    ot.add_column(t("cli.col.outcome", lang))
    ot.add_column(t("cli.col.final", lang), justify="right")
    ot.add_column(t("cli.col.calls", lang), justify="right")
    for o in cfg.outcomes:
        ot.add_row(o.key, o.label(lang), str(final.get(o.code, 0)), str(calls.get(o.code, 0)))
    if final.get("test_matched"):  # closed by the test results (callroom results), not a call
        ot.add_row("", t("exp.outcome.test_matched", lang), str(final["test_matched"]), "0")
    console.print(ot)
    if stale:
        console.print(t("cli.stale", lang, n=stale))


def main() -> None:
    app()


__all__ = ["app", "console", "err", "fail", "get_config", "main", "open_store"]

# Command modules register themselves on `app` when imported (see callroom/commands/).
from callroom.commands import register_all  # noqa: E402

register_all()
