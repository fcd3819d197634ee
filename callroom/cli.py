"""The `callroom` command line (typer). Thin: it parses, calls the core, prints with Rich.

User mistakes (bad config, refused store operation) print one clear line and exit non-zero;
they never show a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from callroom import __version__
from callroom.config import Config, ConfigError, default_config_text, load_config
from callroom.i18n import state_label, t
from callroom.schedule import STATES
from callroom.store import Store, StoreError

app = typer.Typer(
    name="callroom",
    help="Survey phone calls from a list, one card at a time. 流调电话名单拨打工具。",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console()
err = Console(stderr=True)


class State:
    config_path: str | None = None
    lang: str | None = None
    operator: str | None = None


state = State()


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]callroom:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def get_config() -> Config:
    try:
        return load_config(state.config_path, {"lang": state.lang, "operator": state.operator})
    except ConfigError as exc:
        raise fail(str(exc), 2) from None


def open_store(config: Config) -> Store:
    try:
        return Store(config)
    except StoreError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{config.database}: cannot open the database: {exc.strerror}") from None


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
    if ctx.invoked_subcommand is None:
        from callroom.commands.calling import open_caller_screen

        open_caller_screen()


@app.command()
def init() -> None:
    """Write a commented callroom.toml (if there is none) and create the database."""
    target = Path(state.config_path) if state.config_path else Path("callroom.toml")
    created = not target.exists()
    if created:
        try:
            target.write_text(default_config_text(), "utf-8")
        except OSError as exc:
            raise fail(f"{target}: cannot write the config: {exc.strerror}") from None
    state.config_path = str(target)
    cfg = get_config()
    console.print(
        t("cli.init.config" if created else "cli.init.config_kept", cfg.lang, path=target)
    )
    with open_store(cfg) as store:
        console.print(t("cli.init.db", cfg.lang, path=cfg.database, v=store.schema_version()))


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
    ot.add_column("key")
    ot.add_column(t("cli.col.outcome", lang))
    ot.add_column(t("cli.col.final", lang), justify="right")
    ot.add_column(t("cli.col.calls", lang), justify="right")
    for o in cfg.outcomes:
        ot.add_row(o.key, o.label(lang), str(final.get(o.code, 0)), str(calls.get(o.code, 0)))
    console.print(ot)
    if stale:
        console.print(t("cli.stale", lang, n=stale))


def main() -> None:
    app()


# Command modules register themselves on `app` when imported (see callroom/commands/).
from callroom.commands import register_all  # noqa: E402

register_all()
