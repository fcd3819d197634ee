"""`callroom`, `callroom call` and `callroom demo` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom.cli import app
from callroom.commands import calling
from callroom.config import load_config
from callroom.store import Store

runner = CliRunner()


def test_demo_no_open_builds_a_workspace_with_cards(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--no-open", "--dir", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    cfg = load_config(target / "callroom.toml")
    assert cfg.database == (target / "callroom.db").resolve()
    with Store(cfg) as store:
        assert store.queue_remaining() > 0
        assert store.next_card("newcomer") is not None  # calling hours cover the whole day


def test_demo_falls_back_to_built_in_lists_without_sample_files(tmp_path: Path) -> None:
    calling.build_demo(tmp_path, {}, samples=[])
    with Store(load_config(tmp_path / "callroom.toml")) as store:
        assert len(store.batches()) == 2
        task = store.next_card("newcomer")
        assert task is not None and task.place


@pytest.mark.parametrize("args", [[], ["call"], ["call", "--operator", "bob", "--lang", "en"]])
def test_caller_screen_without_a_database_says_what_to_do(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "callroom init" in result.output and "callroom demo" in result.output
    assert not (tmp_path / "data" / "callroom.db").exists()


def test_call_opens_the_app_with_the_given_operator_and_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["init"])
    opened = {}

    def fake_run(self, mouse: bool = True, **_: object) -> None:
        opened.update(operator=self.config.operator, lang=self.config.lang, mouse=mouse)

    monkeypatch.setattr("callroom.app.CallroomApp.run", fake_run)
    result = runner.invoke(app, ["call", "--operator", "bob", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert opened == {"operator": "bob", "lang": "en", "mouse": False}
