"""A whole, checked copy of a live database in one file, or no file at all. No Textual here.

SQLite's backup API reads a consistent snapshot (in WAL mode writers carry on meanwhile). The copy
is checked (integrity_check), then written to an unnamed file in the target's folder (Linux
``O_TMPFILE``), fsynced, and only then given its name: a kill at any moment, even ``kill -9``,
leaves no partial file behind, and the target appears whole or not at all. A database larger than
``MEMORY_LIMIT`` (or a filesystem without O_TMPFILE) goes through a named temporary file in the
same folder instead, removed on any error, on Ctrl-C and on SIGTERM/SIGHUP; one left by
``kill -9`` is swept away by the next backup.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from callroom.db_errors import StoreError, classify, explain
from callroom.files import group_id, mode_for
from callroom.workspace import process_alive

MEMORY_LIMIT = 512 << 20  # bytes of database copied through memory (twice this at the peak)
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp(-wal|-shm|-journal)?$")
_SIDES = ("", "-wal", "-shm", "-journal")  # SQLite's own files beside the temporary copy


class BackupFailed(StoreError):
    """The copy could not be made; the message names the file and says what to do."""


def default_name(now: datetime | None = None) -> str:
    return f"callroom-backup-{(now or datetime.now()):%Y%m%d-%H%M}.db"


def backup_to(
    conn: sqlite3.Connection,
    target: Path,
    shared_group: str = "",
    overwrite: bool = False,
    source: Path | None = None,
) -> int:
    """Copy the database behind ``conn`` (at ``source``) to ``target``; returns its size.

    Raises BackupFailed (exists, no folder, disk full, no permission, damaged copy), or the
    StoreError in words when the live database itself cannot be read.
    """
    target = Path(os.path.abspath(target))
    folder = target.parent
    if not folder.is_dir():
        raise BackupFailed("backup.no_folder", path=target, folder=folder)
    if target.exists() and not overwrite:
        raise BackupFailed("backup.exists", path=target)
    sweep_leftovers(folder)
    size = (
        conn.execute("PRAGMA page_count").fetchone()[0]
        * conn.execute("PRAGMA page_size").fetchone()[0]
    )
    try:
        if size <= MEMORY_LIMIT and _has_tmpfile(folder):
            try:
                copy = _snapshot(conn, target)
            except sqlite3.Error as exc:  # only the live database is read here
                raise (explain(exc, source) or exc) from None
            return _write_unnamed(copy, target, shared_group, overwrite)
        return _via_temp_file(conn, target, shared_group)
    except OSError as exc:
        raise _os_failure(target, exc) from None
    except sqlite3.Error as exc:
        raise _sqlite_failure(target, exc) from None


def _has_tmpfile(folder: Path) -> bool:
    if not hasattr(os, "O_TMPFILE"):
        return False
    try:
        os.close(os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600))
    except OSError:
        return False
    return True


def _snapshot(conn: sqlite3.Connection, target: Path) -> bytes:
    copy = sqlite3.connect(":memory:")
    try:
        conn.backup(copy)  # one step: a consistent snapshot, writers are not held up (WAL)
        _check(copy, target)
        return copy.serialize()
    finally:
        copy.close()


def _write_unnamed(data: bytes, target: Path, shared_group: str, overwrite: bool) -> int:
    folder = target.parent
    fd = os.open(folder, os.O_TMPFILE | os.O_RDWR, mode_for(shared_group))
    try:
        _own(fd, shared_group)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[: 1 << 20]) :]
        os.fsync(fd)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            # give the unnamed file a name: linkat(..., AT_SYMLINK_FOLLOW) through /proc
            name = target.name if not overwrite else _temp_name(target)
            try:
                os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except FileExistsError:
                raise BackupFailed("backup.exists", path=target) from None
            if overwrite:
                try:
                    os.replace(name, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                except OSError:
                    with suppress(OSError):
                        os.unlink(name, dir_fd=dir_fd)
                    raise
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def _via_temp_file(conn: sqlite3.Connection, target: Path, shared_group: str) -> int:
    temp = target.with_name(_temp_name(target))
    with _removed_on_signal(temp):
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode_for(shared_group))
        try:
            _own(fd, shared_group)
        finally:
            os.close(fd)
        copy = sqlite3.connect(temp)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one file: no -wal/-shm beside it
            _check(copy, target)
        finally:
            copy.close()
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        os.replace(temp, target)
        _fsync_folder(target.parent)
    return size


def _check(copy: sqlite3.Connection, target: Path) -> None:
    if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BackupFailed("backup.damaged", path=target)


def _own(fd: int, shared_group: str) -> None:
    os.fchmod(fd, mode_for(shared_group))
    gid = group_id(shared_group)
    if gid is not None:
        with suppress(PermissionError):
            os.fchown(fd, -1, gid)


def _temp_name(target: Path) -> str:
    return f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove temporary copies left in ``folder`` by a backup whose process was killed."""
    removed = []
    with suppress(OSError):
        for entry in os.scandir(folder):
            m = _TEMP.match(entry.name)
            if m and not process_alive(int(m["pid"])):
                with suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


@contextmanager
def _removed_on_signal(temp: Path) -> Iterator[None]:
    """Remove ``temp`` on any error, Ctrl-C, SIGTERM or SIGHUP (then die of the signal)."""

    def remove() -> None:
        for side in _SIDES:
            with suppress(OSError):
                os.unlink(f"{temp}{side}")

    def die(signum: int, frame: object) -> None:
        remove()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with suppress(ValueError):  # not the main thread
            previous[sig] = signal.signal(sig, die)
    try:
        yield
    except BaseException:
        remove()
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_failure(target: Path, exc: OSError) -> BackupFailed:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return BackupFailed("backup.disk_full", path=target)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BackupFailed("backup.no_permission", path=target, folder=target.parent)
    return BackupFailed("backup.failed", path=target, detail=exc.strerror or type(exc).__name__)


def _sqlite_failure(target: Path, exc: sqlite3.Error) -> StoreError:
    key = classify(exc)
    if key == "store.disk_full":
        return BackupFailed("backup.disk_full", path=target)
    if key in ("store.read_only", "store.read_only_folder", "store.cant_open"):
        return BackupFailed("backup.no_permission", path=target, folder=target.parent)
    return BackupFailed("backup.failed", path=target, detail=str(exc))
