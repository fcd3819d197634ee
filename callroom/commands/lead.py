"""`callroom lead`: the team lead's live progress pane on its own terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from callroom.commands.base import app, get_config, open_store, run_tui


@app.command()
def lead(
    all_offices: Annotated[
        bool,
        typer.Option(
            "--all-offices",
            help="A street's shared database: every office's lists, not only \\[general] office's.",
        ),
    ] = False,
) -> None:
    """The lead's live progress pane: lists, rates, callers, decision lists and actions."""
    from callroom.lead_app import LeadApp  # Textual only when the pane opens

    cfg = get_config()
    with open_store(cfg) as store:
        run_tui(
            LeadApp(cfg, store, all_offices)
        )  # exits with the app's return code (1 after a crash)
