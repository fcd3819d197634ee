"""The database's folder and files on disk: created private (or shared with one Unix group),
checked to still be the files a running store opened, and whose claims belong to live processes.

Several callers on one machine each run callroom under their own Unix account. SQLite creates
the ``-wal`` and ``-shm`` files with the mode of the database file but with the *primary group*
of whoever opens the database first, unless the folder is setgid. So with ``[general]
shared_group`` the database folder is setgid and group-writable (2770, in that group), files are
0660, and every process sets umask 007 before SQLite creates anything. No Textual here.
"""

from __future__ import annotations

import os
import socket
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from callroom.db_errors import StoreError
from callroom.files import mode_for

FOLDER_PRIVATE = 0o700
FOLDER_SHARED = 0o2770  # setgid: files created inside belong to the folder's group
SIDE_FILES = ("-wal", "-shm")


# ---------------------------------------------------------------------------------------------
# processes


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int | None) -> bool:
    """Whether process ``pid`` on this machine still runs (a zombie counts as ended)."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    try:
        # "pid (comm) S ...": the state letter follows the last ')'
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


# ---------------------------------------------------------------------------------------------
# file identity


@dataclass(frozen=True)
class FileId:
    dev: int
    ino: int


def file_id(path: Path | str) -> FileId | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return FileId(st.st_dev, st.st_ino)


def side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


# ---------------------------------------------------------------------------------------------
# the shared group


def login() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def group_gid(group: str) -> int | None:
    import grp

    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        return None


def group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def owner_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def in_gid(gid: int) -> bool:
    """Whether this process may act as group ``gid`` (root may act as any)."""
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def use_shared_umask(shared_group: str) -> None:
    """Before SQLite creates -wal/-shm (or anything else): group may read and write, others
    nothing, whatever umask the caller's shell had (022 would take the group's write away)."""
    if shared_group:
        os.umask(0o007)


def shared_gid(shared_group: str, path: Path) -> int:
    """The shared group's gid, checked to exist and to include this user."""
    gid = group_gid(shared_group)
    if gid is None:
        raise StoreError("store.no_group", path=path, group=shared_group)
    if not in_gid(gid):
        raise StoreError("store.not_member", path=path, group=shared_group, user=login())
    return gid


def prepare_folder(folder: Path, shared_group: str) -> None:
    """Create the database folder: private (0700), or setgid 2770 in the shared group.

    An existing folder of ours is given the right group and mode too; someone else's is left
    as it is (`callroom doctor` says who may fix it).
    """
    gid = shared_gid(shared_group, folder) if shared_group else None
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if not created and gid is None:
        return  # a single user's existing folder (maybe the workspace itself): leave it be
    if os.stat(folder).st_uid != os.geteuid() and os.geteuid() != 0:
        return
    with suppress(PermissionError):
        if gid is not None:
            os.chown(folder, -1, gid)
            os.chmod(folder, FOLDER_SHARED)
        else:
            os.chmod(folder, FOLDER_PRIVATE)


def create_database_file(path: Path, shared_group: str) -> bool:
    """Create an empty database file with the right owner group and mode before SQLite opens
    it. Returns False when it already exists (another process was first)."""
    gid = shared_gid(shared_group, path) if shared_group else None
    wal = side_file(path, "-wal")
    if wal.exists():
        # a deleted database's log: SQLite would replay it into the new, empty file
        raise StoreError("store.leftover_wal", path=path, wal=wal)
    mode = mode_for(shared_group)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away
        if gid is not None:
            os.fchown(fd, -1, gid)
    finally:
        os.close(fd)
    return True


def share_existing(path: Path, shared_group: str) -> None:
    """Give an existing database folder and files to the shared group (those this user owns;
    `callroom doctor` says who may fix the rest)."""
    from callroom.files import make_private

    prepare_folder(path.parent, shared_group)
    for suffix in ("", *SIDE_FILES):
        file = side_file(path, suffix)
        if file.exists() and (os.stat(file).st_uid == os.geteuid() or os.geteuid() == 0):
            with suppress(PermissionError):
                make_private(file, shared_group)


def mode_text(mode: int) -> str:
    return oct(stat.S_IMODE(mode))[2:].rjust(3, "0")
