"""Offices of a street on one database: each caller calls her office's lists, the lead pane and
the report show one office by default and the street with --all-offices, and `report --by
office` ranks the offices (on both engines: a street shares PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import Config
from callroom.reports import build
from callroom.store import Store

from conftest import Clock, phone

runner = CliRunner()
pytestmark = pytest.mark.both_engines


@pytest.fixture
def street(config: Config, clock: Clock) -> dict[str, Config]:
    """Two offices on one database: 莲花 with 4 tasks (3 done), 景田 with 4 (1 done)."""
    offices = {name: replace(config, office=name) for name in ("莲花", "景田")}
    for n, (name, cfg) in enumerate(offices.items()):
        with Store(cfg, clock=clock) as store:
            rows = [{"phone": phone(10 * n + i)} for i in range(4)]
            store.add_batch(f"{name}名单", rows, "lead")
            for _ in range(3 if name == "莲花" else 1):
                card = store.next_card(f"caller-{name}")
                store.record(card.id, "verified", f"caller-{name}")
    return offices


def test_a_caller_gets_only_her_offices_cards(street: dict[str, Config], clock: Clock) -> None:
    with Store(street["景田"], clock=clock) as store:
        seen = []
        while (card := store.next_card("b")) is not None:
            seen.append(card.batch_name)
            store.record(card.id, "verified", "b")
    assert seen == ["景田名单"] * 3  # 莲花's open task is left to 莲花


def test_report_shows_the_own_office_unless_all_offices(
    street: dict[str, Config], clock: Clock
) -> None:
    with Store(street["莲花"], clock=clock) as store:
        own = build(store)
        assert [b.name for b in own.batches] == ["莲花名单"] and own.done == 3
        assert [c.operator for c in own.callers] == ["caller-莲花"]
        whole = build(store, all_offices=True)
        assert [b.name for b in whole.batches] == ["莲花名单", "景田名单"] and whole.done == 4


def _config_file(cfg: Config) -> None:
    Path("callroom.toml").write_text(
        f'[general]\ndatabase = "{cfg.database}"\noffice = "{cfg.office}"\nlang = "en"\n', "utf-8"
    )


def test_report_by_office_ranks_the_street_in_every_format(
    street: dict[str, Config], clock: Clock
) -> None:
    _config_file(street["景田"])
    data = json.loads(runner.invoke(app, ["report", "--by", "office", "--format", "json"]).stdout)
    ranked = [(o["rank"], o["office"], o["done"], o["total"]) for o in data["offices"]]
    assert ranked == [(1, "莲花", 3, 4), (2, "景田", 1, 4)]
    table = runner.invoke(app, ["report", "--by", "office"], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].startswith("Offices ranked by share done")
    assert lines[4].split()[:3] == ["1", "莲花", "3/4"]
    assert lines[5].split()[:3] == ["2", "景田", "1/4"]
    assert max(len(line) for line in lines) <= 80
    chat = runner.invoke(app, ["report", "--by", "office", "--format", "chat"]).stdout
    assert "1. 莲花: done 3/4 (75.0%)" in chat
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["report", "--by", "office",
                                                           "--format", "csv"]).stdout)))  # fmt: skip
    assert rows[0][:3] == ["Rank", "Office", "Lists"] and rows[1][1] == "莲花"
    own = runner.invoke(app, ["report", "--format", "json"]).stdout
    assert [b["name"] for b in json.loads(own)["batches"]] == ["景田名单"]
    street_wide = runner.invoke(app, ["report", "--format", "json", "--all-offices"]).stdout
    assert len(json.loads(street_wide)["batches"]) == 2
    bad = runner.invoke(app, ["report", "--by", "caller"])
    assert bad.exit_code == 2 and "--by office" in bad.output


def test_events_carry_the_office(street: dict[str, Config], clock: Clock) -> None:
    with Store(street["莲花"], clock=clock) as store:
        rows = store.conn.execute(
            "SELECT DISTINCT office FROM events WHERE kind = 'record' ORDER BY office"
        ).fetchall()
        assert [r[0] for r in rows] == ["景田", "莲花"]
        assert store.offices() == ["景田", "莲花"]


def test_export_writes_the_own_offices_lists_unless_all_offices(
    street: dict[str, Config], clock: Clock
) -> None:
    """Another office's residents are not in this office's export."""
    _config_file(street["景田"])
    own = runner.invoke(app, ["export", "--format", "csv", "-o", "own.csv"])
    assert own.exit_code == 0, own.output
    text = Path("own.csv").read_text("utf-8-sig")
    assert phone(10)[3:] in text and phone(0)[3:] not in text  # 景田's, not 莲花's
    both = runner.invoke(app, ["export", "--format", "csv", "-o", "all.csv", "--all-offices"])
    assert both.exit_code == 0, both.output
    text = Path("all.csv").read_text("utf-8-sig")
    assert phone(10)[3:] in text and phone(0)[3:] in text
