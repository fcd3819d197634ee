"""Dialling help: run the configured `dial_command` with a number. No Textual here.

The command is a list of arguments run without a shell: the number is one argument of its own
(or fills ``{number}`` / ``{e164}`` inside one), so nothing in it can ever be read as shell
syntax. Its output never reaches the terminal (the caller screen owns it); the last line of its
error output is kept to say why a dial failed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from callroom.numbers import dial_digits

PLACEHOLDERS = ("{number}", "{e164}")


@dataclass(frozen=True)
class DialResult:
    ok: bool
    code: int | None  # the exit status; None when the program could not be started
    message: str  # the last line of its error output, or why it could not start


def dial_argv(command: Sequence[str], e164: str) -> list[str]:
    """The argument list for one number: placeholders filled, else the number appended."""
    digits = dial_digits(e164)
    argv = [arg.replace("{number}", digits).replace("{e164}", e164) for arg in command]
    if not any(p in arg for arg in command for p in PLACEHOLDERS):
        argv.append(digits)
    return argv


def run_dial(argv: Sequence[str], timeout: float = 60.0) -> DialResult:
    """Run the dial command and wait for it (call this off the UI thread)."""
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal is for callroom, not for it
            close_fds=True,
        )
    except OSError as exc:
        return DialResult(False, None, f"{argv[0]}: {exc.strerror or exc}")
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # a softphone that stays attached for the call: leave it running, it has dialled
        return DialResult(True, None, "")
    lines = [x for x in err.decode("utf-8", "replace").splitlines() if x.strip()]
    message = lines[-1].strip()[:200] if lines else ""
    if proc.returncode != 0 and not message:
        message = f"{os.path.basename(argv[0])}: exit status {proc.returncode}"
    return DialResult(proc.returncode == 0, proc.returncode, message)
