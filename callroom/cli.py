"""The `callroom` command line (typer). Thin: it parses, calls the core, prints with Rich.

User mistakes and the failures a user can meet (bad config, no database, full disk, read-only or
damaged database, busy too long) print one clear message in the UI's language and exit non-zero.
Nothing ever prints a traceback: an unexpected error gives a short message with a reference
number and writes the details, without residents' data, to a crash log (callroom.crash).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from callroom.commands.base import (
    _version,
    app,
    console,
    err,
    error_lang,
    fail,
    get_config,
    open_store,
    state,
)
from callroom.config import default_config_text
from callroom.files import atomic_write, make_private
from callroom.i18n import state_label, t
from callroom.schedule import LINKED, STATES


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
    if cfg.shared_group and not cfg.database_url and cfg.database.exists():
        from callroom.workspace import share_existing

        share_existing(cfg.database, cfg.shared_group)  # a workspace that was one user's
    with open_store(cfg, create=True) as store:
        console.print(
            t("cli.init.db", cfg.lang, path=cfg.database_label, v=store.schema_version()),
            highlight=False,
        )
    if cfg.shared_group and not cfg.database_url:
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
        # a list's rows: its own tasks and the rows linked to another list's task, as the report
        rows = store.rows_by_batch()

    bt = Table(title=t("cli.status.batches", lang), title_justify="left")
    bt.add_column("#", justify="right")
    bt.add_column(t("cli.col.batch", lang))
    bt.add_column(t("cli.col.imported", lang))
    bt.add_column(t("cli.col.tasks", lang), justify="right")
    bt.add_column(t("cli.col.deadline", lang))
    for b in batches:
        bt.add_row(
            str(b["id"]),
            b["name"],
            b["imported_at"],
            str(rows.get(b["id"], 0)),
            b["deadline"] or "-",
        )
    console.print(bt)

    st = Table(title=t("cli.status.title", lang), title_justify="left")
    st.add_column(t("cli.col.state", lang))
    st.add_column(t("cli.col.count", lang), justify="right")
    # each person once: a linked row follows another list's task and is counted there
    linked = by_state.pop(LINKED, 0)
    for s in STATES:
        if s != LINKED:
            st.add_row(state_label(s, lang), str(by_state.get(s, 0)))
    st.add_section()
    st.add_row(t("cli.total", lang), str(sum(by_state.values())), style="bold")
    console.print(st)
    if linked:
        console.print(t("cli.status.linked", lang, n=linked), highlight=False)

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


def _reflow_help(group: typer.Typer) -> None:
    """Docstrings are wrapped at 100 columns in the source; in rich mode Typer keeps those
    breaks in the command list, so each help line would break mid-sentence on screen."""
    import inspect
    import re

    for info in group.registered_commands:
        doc = info.help or inspect.getdoc(info.callback) or ""
        info.help = "\n\n".join(re.sub(r"\s*\n\s*", " ", p) for p in doc.split("\n\n"))
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _reflow_help(sub.typer_instance)


_reflow_help(app)
