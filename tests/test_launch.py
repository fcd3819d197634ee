"""The `callroom` entry point: the caller screen's own forms skip the full command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from callroom.launch import caller_args


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ([], {}),
        (["call"], {}),
        (["--lang", "en"], {"lang": "en"}),
        (["--lang=en", "call", "--operator", "bob"], {"lang": "en", "operator": "bob"}),
        (["-c", "x.toml", "call", "--lang", "zh"], {"config": "x.toml", "lang": "zh"}),
        (["--config=x.toml"], {"config": "x.toml"}),
    ],
)
def test_the_caller_screens_own_forms(args: list[str], options: dict[str, str]) -> None:
    assert caller_args(args) == options


@pytest.mark.parametrize(
    "args",
    [
        ["--help"], ["--version"], ["call", "--help"], ["status"], ["call", "extra"],
        ["--lang"], ["call", "--config", "x.toml"], ["import", "list.xlsx"], ["-c=x.toml"],
    ],
)  # fmt: skip
def test_everything_else_goes_to_the_full_command_line(args: list[str]) -> None:
    assert caller_args(args) is None


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from callroom.launch import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    print('typer loaded' if 'typer' in sys.modules else 'typer not loaded')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_no_database_is_said_in_the_callers_language_without_loading_typer(
    tmp_path: Path,
) -> None:
    done = run(["--lang", "en", "call"], tmp_path)
    assert done.returncode == 1
    assert "no database here" in done.stderr and "callroom init" in done.stderr
    assert "typer not loaded" in done.stdout
    done = run([], tmp_path)
    assert done.returncode == 1 and "这里还没有数据库" in done.stderr


def test_a_bad_config_exits_2_and_other_commands_use_the_full_command_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "callroom.toml").write_text("[caller]\nsettle_ms = -5\n", "utf-8")
    done = run(["call"], tmp_path)
    assert done.returncode == 2 and "[caller] settle_ms" in done.stderr
    done = run(["--version"], tmp_path)
    assert done.returncode == 0 and "typer loaded" in done.stdout
