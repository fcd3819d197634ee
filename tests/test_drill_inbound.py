"""`callroom drill --inbound N`: an inbound surge through the real queue and scoring code,
deterministic for a seed; triage gets the urgent cases taken far sooner than first come, first
served, and the figures are the lead pane's."""

from __future__ import annotations

from dataclasses import asdict, replace

from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import load_config
from callroom.drill_inbound import InboundSettings, run_inbound

SMALL = InboundSettings(cases=150, urgent_share=0.15, callers=2, minutes=150, seed=7, outbound=40)


def test_the_same_seed_gives_the_same_day_and_another_seed_another() -> None:
    cfg = load_config()
    first = asdict(run_inbound(cfg, SMALL))
    assert first == asdict(run_inbound(cfg, SMALL))
    assert first["figures"] != asdict(run_inbound(cfg, replace(SMALL, seed=8)))["figures"]


def test_triage_takes_urgent_cases_sooner_than_first_come_first_served() -> None:
    cfg = load_config()
    triage = run_inbound(cfg, SMALL)
    fifo = run_inbound(cfg, replace(SMALL, triage=False))
    urgent, urgent_fifo = triage.figures.to_intake["urgent"], fifo.figures.to_intake["urgent"]
    assert urgent["median"] * 3 < urgent_fifo["median"]
    assert urgent["p90"] < urgent_fifo["p90"]
    assert triage.urgent_waiting <= fifo.urgent_waiting
    # the head starts put the cases ahead of the older outbound backlog: more of them solved
    assert triage.figures.solved >= fifo.figures.solved > 0
    assert triage.outbound_done <= fifo.outbound_done


def test_cli_prints_both_columns(tmp_path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(
        app,
        ["--lang", "en", "drill", "--inbound", "60", "--callers", "2", "--minutes", "90",
         "--urgent", "20%"],
        env={"COLUMNS": "120"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "With triage" in result.output and "First come first served" in result.output
    assert "call to intake (urgent) median (min)" in result.output
    bad = runner.invoke(app, ["drill", "--inbound", "0"])
    assert bad.exit_code == 2
