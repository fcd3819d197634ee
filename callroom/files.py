"""Every file callroom writes goes through here: written whole or not at all, private.

A file is written to a temporary file in the same folder, flushed and fsynced, then renamed over
the target (and the folder fsynced), so a kill, a full disk or an error midway leaves the previous
file byte-identical and no partial file behind. Files hold personal data: mode 0600, or 0660 and
the shared group's when several Unix accounts share the workspace.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PRIVATE = 0o600
SHARED = 0o660


class WriteFailed(Exception):
    """A file could not be written; the message names it and says what to do. str() is English,
    text(lang) is in the UI's language. The previous file, if any, is unchanged."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = path
        self.reason = _reason(exc)
        self.detail = exc.strerror or type(exc).__name__
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        from callroom.i18n import t

        return t(
            f"files.{self.reason}",
            lang,
            path=self.path,
            folder=self.path.parent,
            detail=self.detail,
        )


def _reason(exc: OSError) -> str:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    if code in (errno.EACCES, errno.EPERM):
        return "no_permission"
    if code == errno.EROFS:
        return "read_only"
    if code == errno.ENOENT:
        return "no_folder"
    if code == errno.EISDIR:
        return "is_folder"
    return "other"


def mode_for(shared_group: str) -> int:
    return SHARED if shared_group else PRIVATE


def group_id(shared_group: str) -> int | None:
    """The gid of the shared group, or None (no group set, or no such group on this machine)."""
    if not shared_group:
        return None
    import grp

    try:
        return grp.getgrnam(shared_group).gr_gid
    except KeyError:
        return None


def make_private(fd_or_path: int | Path, shared_group: str = "") -> None:
    """Set the mode (and group) a file of ours must have, whatever the umask did."""
    mode = mode_for(shared_group)
    gid = group_id(shared_group)
    if isinstance(fd_or_path, int):
        os.fchmod(fd_or_path, mode)
        if gid is not None:
            with suppress(PermissionError):
                os.fchown(fd_or_path, -1, gid)
    else:
        os.chmod(fd_or_path, mode)
        if gid is not None:
            with suppress(PermissionError):
                os.chown(fd_or_path, -1, gid)


@contextmanager
def atomic_file(
    path: str | os.PathLike[str],
    text: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
    shared_group: str = "",
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on a clean exit it replaces ``path`` atomically.

    Raises WriteFailed (naming ``path``) for any OS error; on any error or interrupt the
    temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode_for(shared_group))
    except OSError as exc:
        raise WriteFailed(target, exc) from None
    try:
        make_private(fd, shared_group)
        handle: IO[Any] = (
            os.fdopen(fd, "w", encoding=encoding, newline=newline) if text else os.fdopen(fd, "wb")
        )
    except BaseException:
        os.close(fd)
        with suppress(OSError):
            os.unlink(temp)
        raise
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(temp)
        raise WriteFailed(target, exc) from None
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | str,
    encoding: str = "utf-8",
    shared_group: str = "",
) -> None:
    """Write ``data`` to ``path`` whole or not at all (see atomic_file)."""
    if isinstance(data, str):
        with atomic_file(
            path, text=True, encoding=encoding, newline="", shared_group=shared_group
        ) as f:
            f.write(data)
    else:
        with atomic_file(path, shared_group=shared_group) as f:
            f.write(data)


def _fsync_folder(folder: Path) -> None:
    # the rename itself is durable only once the folder's entry is on disk
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
