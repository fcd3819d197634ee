"""Refusals and failures of the store, in words a caller can act on, in the UI's language.

A ``StoreError`` carries an i18n key (``store.<key>``) and its values: ``str()`` is English (for
tests and the crash log), ``text(lang)`` is what the user reads. ``explain`` turns the SQLite
errors a user can meet (full disk, read-only file or folder, damaged file, busy too long, no
permission) into a StoreError naming the file and what to do; anything else is left alone, so a
bug still shows up as a bug. No Textual here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from callroom.said import render


class StoreError(Exception):
    """A refused or failed store operation, with a message fit for the user.

    ``StoreError("store.busy", seconds=30)`` looks the key up in callroom.i18n; a plain English
    sentence (no such key) is shown as it is. ``fatal``: the store cannot go on (the database is
    gone, replaced or damaged); the session should stop instead of carrying on.
    """

    fatal = False

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return render(self.key, lang, self.params)


class StoreBusy(StoreError):
    """Another process held the database longer than the wait allowed; nothing was written.
    The same operation can be tried again."""


class DatabaseMissing(StoreError):
    """No database at the configured path (only `callroom init` creates one)."""


class DatabaseGone(StoreError):
    """The database or its write log was deleted or replaced under the running store."""

    fatal = True


class DatabaseDamaged(StoreError):
    """The file is corrupt or is not a SQLite database."""

    fatal = True


class SchemaTooNew(StoreError):
    pass


# SQLite's primary result names (Python 3.11+ sets exc.sqlite_errorname) -> our key
_BY_NAME = {
    "SQLITE_FULL": "store.disk_full",
    "SQLITE_READONLY_DIRECTORY": "store.read_only_folder",
    "SQLITE_READONLY_DBMOVED": "store.db_deleted",
    "SQLITE_READONLY": "store.read_only",
    "SQLITE_CANTOPEN": "store.cant_open",
    "SQLITE_CORRUPT": "store.corrupt",
    "SQLITE_NOTADB": "store.corrupt",
    "SQLITE_BUSY": "store.busy",
    "SQLITE_LOCKED": "store.busy",
    "SQLITE_IOERR": "store.io_error",
    "SQLITE_PERM": "store.no_permission",
    "SQLITE_AUTH": "store.no_permission",
}
# when the extended name is missing (older Python): the message SQLite gave
_BY_TEXT = (
    ("database or disk is full", "store.disk_full"),
    ("readonly database", "store.read_only"),
    ("unable to open database", "store.cant_open"),
    ("malformed", "store.corrupt"),
    ("not a database", "store.corrupt"),
    ("database is locked", "store.busy"),
    ("database table is locked", "store.busy"),
    ("disk i/o error", "store.io_error"),
)


def classify(exc: BaseException) -> str | None:
    """The store.* key for an SQLite error a user can meet, or None for anything else."""
    if not isinstance(exc, sqlite3.Error):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in _BY_NAME:
        return _BY_NAME[name]
    base = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    if base in _BY_NAME:
        return _BY_NAME[base]
    lowered = str(exc).lower()
    return next((key for text, key in _BY_TEXT if text in lowered), None)


def explain(exc: BaseException, path: Path | str | None, seconds: float = 0) -> StoreError | None:
    """A StoreError in words for a user-facing SQLite error, or None (a bug: let it show)."""
    if isinstance(exc, StoreError):
        return exc
    if type(exc).__module__.startswith("psycopg"):
        return _explain_postgres(exc, path, seconds)
    key = classify(exc)
    if key is None:
        return None
    where = Path(path) if path is not None and str(path) != ":memory:" else None
    if where is not None and key in ("store.cant_open", "store.read_only", "store.io_error"):
        key = _on_disk(key, where)
    params: dict[str, object] = {
        "path": where or ":memory:",
        "folder": where.parent if where else ".",
        "detail": str(exc),
        "seconds": round(seconds),
    }
    cls: type[StoreError] = StoreError
    if key == "store.busy":
        cls = StoreBusy
    elif key == "store.corrupt":
        cls = DatabaseDamaged
    elif key == "store.db_deleted":
        cls = DatabaseGone
    return cls(key, **params)


def _explain_postgres(exc: BaseException, url: object, seconds: float) -> StoreError | None:
    from callroom.store.engines import postgres

    key = postgres.classify(exc)
    if key is None:
        return None
    cls: type[StoreError] = StoreBusy if key == "store.busy" else StoreError
    if key == "store.pg_no_schema":
        cls = DatabaseMissing
    return cls(key, path=url, detail=postgres.reason(exc), seconds=round(seconds))


def _on_disk(key: str, path: Path) -> str:
    """SQLite says "unable to open" for a read-only disk or folder too: look at which it is."""
    import os

    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "store.read_only_disk"
    except OSError:
        return key
    if key == "store.io_error":
        return key
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return "store.read_only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "store.read_only_folder"
    return key


def describe(exc: BaseException, lang: str, path: Path | str | None = None) -> str:
    """What to tell the user about an error a screen or command caught, in their language."""
    if isinstance(exc, StoreError):
        return exc.text(lang)
    known = explain(exc, path)
    if known is not None:
        return known.text(lang)
    text = getattr(exc, "text", None)
    if callable(text):
        return str(text(lang))
    return str(exc)
