"""Unexpected errors: a short message with a reference number, details in a log without
residents' data. No Textual here (the Textual side is callroom/safe_app.py).

A traceback can carry personal data in three places: local variables (Rich's and Textual's crash
reports print them), the exception's message (``KeyError('张三')``, a phone in a ValueError) and
chained exceptions. The log keeps only what a developer needs to find the bug: the exception's
type, its message scrubbed of anything that could be a name, number, ID or address, and each frame
as file:line:function. The reference number ties what the caller tells her lead to the log file.
"""

from __future__ import annotations

import os
import platform
import re
import secrets
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callroom.config import Config

_MAX_CHAIN = 5
_MAX_MESSAGE = 300
# a quoted value, unless it is plainly a code name (snake_case with _ or ., like 'claim_session')
_QUOTED = re.compile(r"""(['"])(?![a-z][a-z0-9]*(?:[._][a-z0-9]+)+\1)[^'"]*\1""")
_NUMBER = re.compile(r"\+?\d[\d\s\-().]{3,}\d[Xx]?")  # phones, ID numbers, long digit runs
_EMAIL = re.compile(r"\S+@\S+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def new_reference() -> str:
    return secrets.token_hex(3).upper()


def scrub(text: str) -> str:
    """``text`` with everything that could be a resident's data replaced by a placeholder."""
    text = _EMAIL.sub("<email>", text)
    text = _QUOTED.sub(lambda m: f"{m[1]}<value>{m[1]}", text)
    text = _NUMBER.sub("<number>", text)
    text = _NON_ASCII.sub("<text>", text)
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + "..."
    return text


def _where(filename: str) -> str:
    # the package's own files relative to it; libraries from site-packages on
    for marker in ("/site-packages/", "/callroom/"):
        if marker in filename:
            head = "callroom/" if marker == "/callroom/" else ""
            return head + filename.rsplit(marker, 1)[1]
    return Path(filename).name


def details(exc: BaseException, reference: str, command: str = "") -> str:
    """The crash log's text: no locals, no cell values, no source lines."""
    from callroom import __version__

    lines = [
        f"callroom crash {reference}",
        f"time: {datetime.now():%Y-%m-%d %H:%M:%S}",
        f"callroom {__version__}, Python {platform.python_version()}, {platform.system()}",
    ]
    if command:
        lines.append(f"command: {scrub(command)}")
    seen: set[int] = set()
    current: BaseException | None = exc
    depth = 0
    while current is not None and id(current) not in seen and depth < _MAX_CHAIN:
        seen.add(id(current))
        if depth:
            lines.append("-- while handling / caused by:")
        kind = type(current)
        name = kind.__qualname__ if kind.__module__ == "builtins" else (
            f"{kind.__module__}.{kind.__qualname__}"
        )  # fmt: skip
        extra = getattr(current, "sqlite_errorname", None)
        lines.append(f"{name}{f' [{extra}]' if extra else ''}: {scrub(str(current))}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_where(frame.filename)}:{frame.lineno}:{frame.name}")
        current = current.__cause__ or current.__context__
        depth += 1
    return "\n".join(lines) + "\n"


def log_folder(config: Config | None) -> Path:
    """The workspace: the database's folder, else ~/.callroom."""
    if config is not None and str(config.database) != ":memory:":
        folder = config.database.parent
        if folder.is_dir() and os.access(folder, os.W_OK):
            return folder
    return Path.home() / ".callroom"


def write_log(exc: BaseException, reference: str, config: Config | None) -> Path | None:
    """Write the crash details; the log's path, or None when nothing could be written."""
    from callroom.files import WriteFailed, atomic_write

    shared = config.shared_group if config is not None else ""
    folder = log_folder(config)
    path = folder / f"callroom-crash-{datetime.now():%Y%m%d-%H%M%S}-{reference}.log"
    command = " ".join(sys.argv[1:2])  # the subcommand only: options may name people
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, details(exc, reference, command), shared_group=shared)
    except (OSError, WriteFailed):
        return None
    return path


def report(exc: BaseException, config: Config | None, lang: str) -> str:
    """Log ``exc`` and return the short message for the terminal, in the UI's language."""
    from callroom.db_errors import StoreError, explain
    from callroom.i18n import t

    reference = new_reference()
    path = write_log(exc, reference, config)
    lines = []
    known = explain(exc, config.database if config is not None else None)
    if isinstance(known, StoreError):
        lines.append(known.text(lang))
    lines.append(t("crash.title", lang, ref=reference))
    lines.append(t("crash.saved", lang))
    if path is not None:
        lines.append(t("crash.log", lang, path=path, ref=reference))
    else:
        lines.append(t("crash.no_log", lang, ref=reference))
    return "\n".join(lines)
