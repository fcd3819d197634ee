"""`callroom lead`: the team lead's live progress pane on its own terminal."""

from __future__ import annotations

from callroom.cli import app, get_config, open_store, run_tui


@app.command()
def lead() -> None:
    """The lead's live progress pane: lists, rates, callers, decision lists and actions."""
    from callroom.lead_app import LeadApp  # Textual only when the pane opens

    cfg = get_config()
    with open_store(cfg) as store:
        run_tui(LeadApp(cfg, store))  # exits with the app's return code (1 after a crash)
