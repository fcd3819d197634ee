"""Dialling help: the dial command gets the number as one argument, never through a shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from callroom.config import ConfigError, load_config
from callroom.dialing import dial_argv, run_dial
from callroom.numbers import dial_digits

# writes its own argument list to the file named by its first argument
RECORDER = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"


@pytest.mark.parametrize(
    ("e164", "digits"),
    [
        ("+8613812345678", "13812345678"),
        ("+8675526543210", "075526543210"),
        ("+861062345678", "01062345678"),
        ("+85291234567", "0085291234567"),
    ],
)
def test_the_digits_a_phone_in_china_dials(e164: str, digits: str) -> None:
    assert dial_digits(e164) == digits


def test_placeholders_fill_one_argument_and_a_bare_command_gets_the_number_last() -> None:
    assert dial_argv(["softphone", "--call", "{number}"], "+8613812345678") == [
        "softphone", "--call", "13812345678",
    ]  # fmt: skip
    assert dial_argv(["sip", "sip:{e164}@pbx"], "+8613812345678") == [
        "sip",
        "sip:+8613812345678@pbx",
    ]
    assert dial_argv(["dial.sh"], "+8613812345678") == ["dial.sh", "13812345678"]


def test_the_command_receives_the_number_as_one_argument_and_no_shell_reads_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "argv.json"
    canary = tmp_path / "pwned"
    command = [sys.executable, "-c", RECORDER, str(out), f"x; touch {canary}", "{number}"]
    result = run_dial(dial_argv(command, "+8613812345678"))
    assert result.ok, result.message
    assert json.loads(out.read_text()) == [f"x; touch {canary}", "13812345678"]
    assert not canary.exists()


def test_a_failing_or_missing_dial_program_says_why(tmp_path: Path) -> None:
    failed = run_dial([sys.executable, "-c", "import sys; sys.exit('no line free')"])
    assert not failed.ok and failed.code == 1 and failed.message == "no line free"
    missing = run_dial([str(tmp_path / "no-such-softphone"), "138"])
    assert not missing.ok and missing.code is None and "no-such-softphone" in missing.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('dial_command = "linphonecsh dial"', r"\[caller\] dial_command: expected a list"),
        ('dial_command = ["", "{number}"]', "the first argument must name the program"),
        ('dial_command = ["x", "{phone}"]', r"only \{number\} and \{e164\}"),
        ("settle_ms = -1", r"\[caller\] settle_ms: must be between 0 and 5000"),
        ("settle_ms = 400.5", r"\[caller\] settle_ms: expected a whole number"),
    ],
)
def test_caller_settings_are_checked_with_the_file_and_key(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "callroom.toml"
    path.write_text(f"[caller]\n{line}\n", "utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_caller_settings_are_read() -> None:
    defaults = load_config()
    assert (defaults.settle_ms, defaults.dial_command) == (400, ())
