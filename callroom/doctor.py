"""`callroom doctor`'s checks, without the printing: config, roles, who may read and write the
database folder and files, the filesystem, integrity, schema, cards held by ended sessions.

Each finding says what is wrong in the UI's language and, where a command fixes it, the exact
command; ``run(fix=True)`` applies the fixes this Unix account is allowed to make (its own files;
everything as root) and says who must fix the rest. Permission problems are reported as such:
an unreadable database is never called damaged. No Textual here.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from callroom import workspace

if TYPE_CHECKING:
    from callroom import chain
from callroom.backup import sweep_leftovers
from callroom.config import Config
from callroom.db_errors import StoreError, classify
from callroom.said import Phrase

OK, INFO, WARN, FAIL = "ok", "info", "warn", "fail"
NETWORK_FS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs")
WAL_WARN_BYTES = 64 << 20


@dataclass
class Finding:
    check: str  # "doctor.check.<check>" names it
    status: str  # ok, info, warn, fail
    detail: object  # a Phrase (or plain text), said in the reader's language
    commands: list[str] = field(default_factory=list)  # what fixes it, to copy into a shell
    fix: Callable[[], object] | None = None  # what --fix does, when this account may do it
    fixed: object | None = None  # the detail once fixed (default: "fixed (commands)")


def run(config: Config, fix: bool = False) -> list[Finding]:
    found: list[Finding] = []
    found.append(_roles(config))
    found.append(_forms(config))
    if config.database_url:
        found.extend(_postgres(config))
        if fix:
            _apply(found)
        return found
    db = config.database
    if str(db) == ":memory:":
        return found
    if config.shared_group:
        found.extend(_membership(config))
    if not db.exists():
        found.append(Finding("database", FAIL, Phrase("store.missing", path=db)))
        return found
    perms = _permissions(config)
    if fix:
        # before anything opens the database: SQLite would create -wal/-shm in a folder that
        # does not yet give them the shared group
        _apply(perms)
    found.extend(perms)
    if fs := _network_fs(db):
        found.append(Finding("filesystem", FAIL, Phrase("doctor.network_fs", fs=fs)))
    permission_trouble = any(f.status == FAIL for f in perms)
    found.extend(_database(config, permission_trouble))
    found.extend(_leftovers(db))
    if fix:
        _apply(found)
    return found


def _apply(found: list[Finding]) -> None:
    for f in found:
        if f.fix is None or f.status == OK:
            continue
        try:
            result = f.fix()
        except (OSError, StoreError) as exc:
            f.detail = Phrase("doctor.fix_failed", what=f.detail, why=_why(exc))
            continue
        done = f.fixed(result) if callable(f.fixed) else f.fixed
        f.detail = done or Phrase("doctor.fixed", commands="; ".join(f.commands))
        f.status, f.commands, f.fix = OK, [], None


def _why(exc: BaseException) -> object:
    if isinstance(exc, StoreError):
        return exc
    return getattr(exc, "strerror", None) or type(exc).__name__


# ---------------------------------------------------------------------------------------------
# roles and accounts


def _roles(config: Config) -> Finding:
    if not config.roles_enabled:
        return Finding("roles", INFO, Phrase("doctor.roles_off"))
    import pwd

    people = list(config.leads)
    missing = []
    for name in config.leads:
        try:
            pwd.getpwnam(name)
        except KeyError:
            missing.append(name)
    if config.lead_group:
        gid = workspace.group_gid(config.lead_group)
        if gid is None:
            return Finding("roles", WARN, Phrase("doctor.lead_group_missing", group=config.lead_group,
                                                 leads=", ".join(people) or "-"))  # fmt: skip
        members = {u.pw_name for u in pwd.getpwall() if u.pw_gid == gid}
        members |= set(_group_members(config.lead_group))
        people += sorted(members - set(people))
    detail = Phrase("doctor.roles_on", leads=", ".join(people) or "-",
                    group=config.lead_group or "-")  # fmt: skip
    if missing:
        return Finding("roles", WARN, Phrase("doctor.lead_unknown", what=detail,
                                             names=", ".join(missing)))  # fmt: skip
    if not people:
        return Finding("roles", WARN, Phrase("doctor.no_leads", what=detail))
    return Finding("roles", OK, detail)


def _group_members(group: str) -> list[str]:
    import grp

    try:
        return list(grp.getgrnam(group).gr_mem)
    except KeyError:
        return []


def _membership(config: Config) -> list[Finding]:
    group, me = config.shared_group, workspace.login()
    gid = workspace.group_gid(group)
    if gid is None:
        return [Finding("account", FAIL, Phrase("doctor.no_group", group=group),
                        [f"sudo groupadd {group}"])]  # fmt: skip
    if not workspace.in_gid(gid):
        listed = me in _group_members(group)
        key = "doctor.relogin" if listed else "doctor.not_member"
        commands = [] if listed else [f"sudo usermod -aG {group} {me}"]
        return [Finding("account", FAIL, Phrase(key, user=me, group=group), commands)]
    return [Finding("account", OK, Phrase("doctor.member", user=me, group=group))]


# ---------------------------------------------------------------------------------------------
# permissions of the folder and the files


def _permissions(config: Config) -> list[Finding]:
    db = config.database
    found = [_check_path(db.parent, "folder", config)]
    for suffix in ("", *workspace.SIDE_FILES):
        path = workspace.side_file(db, suffix)
        if path.exists():
            found.append(
                _check_path(path, {"": "db", "-wal": "wal", "-shm": "shm"}[suffix], config)
            )
    return found


def _check_path(path: Path, kind: str, config: Config) -> Finding:
    """One file or the folder: group, mode, setgid, and whether this account can use it."""
    group = config.shared_group
    gid = workspace.group_gid(group) if group else None
    folder = kind == "folder"
    st = os.stat(path)
    mode = stat.S_IMODE(st.st_mode)
    shared_mode = workspace.FOLDER_SHARED if folder else 0o660
    private_mode = None if folder else 0o600  # a single user's folder: only o+w is a problem
    want = shared_mode if group else private_mode
    me = workspace.login()
    mine = st.st_uid == os.geteuid() or os.geteuid() == 0
    owner = workspace.owner_name(st.st_uid)
    facts = dict(path=path, owner=owner, group=workspace.group_name(st.st_gid),
                 mode=workspace.mode_text(mode))  # fmt: skip
    check = f"perm_{kind}"

    wrong_group = gid is not None and st.st_gid != gid
    if folder:
        wrong_mode = (want is not None and mode != want) or (want is None and mode & 0o002)
    else:
        wrong_mode = mode != want
    access = os.R_OK | os.W_OK | (os.X_OK if folder else 0)
    usable = os.access(path, access)

    commands: list[str] = []
    if wrong_group:
        commands.append(f"chgrp {group} {_q(path)}")
    if wrong_mode:
        target = want if want is not None else (mode & ~0o002)
        commands.append(f"chmod {workspace.mode_text(target)} {_q(path)}")
    if not mine and commands:
        commands = [f"sudo {c}" for c in commands]

    def repair() -> None:
        if wrong_group:
            os.chown(path, -1, gid)  # type: ignore[arg-type]
        if wrong_mode:
            os.chmod(path, want if want is not None else (mode & ~0o002))

    fixer = repair if (mine and commands and (gid is None or workspace.in_gid(gid))) else None
    if not usable:
        who = Phrase("doctor.who_fixes", owner=owner) if not mine else ""
        detail = Phrase("doctor.cannot_use", user=me, who=who, **facts)
        if not commands:  # right modes for the group, but this account is not in it
            commands = (
                [f"sudo usermod -aG {group} {me}"] if group else [f"sudo chown {me} {_q(path)}"]
            )
        return Finding(check, FAIL, detail, commands, fixer)
    if wrong_group or (wrong_mode and group):
        who = Phrase("doctor.who_fixes", owner=owner) if not mine else ""
        key = "doctor.not_shared_folder" if folder else "doctor.not_shared_file"
        detail = Phrase(key, shared=group, want=workspace.mode_text(want or 0), who=who, **facts)
        return Finding(check, FAIL, detail, commands, fixer)
    if wrong_mode:
        who = Phrase("doctor.who_fixes", owner=owner) if not mine else ""
        key = "doctor.world_writable" if folder else "doctor.loose_file"
        detail = Phrase(key, want=workspace.mode_text(want or 0), who=who, **facts)
        return Finding(check, WARN, detail, commands, fixer)
    return Finding(check, OK, Phrase("doctor.perm_ok", **facts))


def _q(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _network_fs(path: Path) -> str | None:
    """The filesystem type if the database sits on a network share (WAL is unsafe there)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best = ("", "")
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return best[1] if best[1] in NETWORK_FS else None


# ---------------------------------------------------------------------------------------------
# the database itself


def _database(config: Config, permission_trouble: bool) -> list[Finding]:
    from callroom.store import SCHEMA_VERSION

    db = config.database
    found: list[Finding] = []
    try:
        conn = sqlite3.connect(f"file:{quote(str(db))}?mode=ro", uri=True, timeout=5)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        key = classify(exc)
        if key == "store.corrupt":
            return [Finding("integrity", FAIL, Phrase("store.corrupt", path=db))]
        if key == "store.busy":
            return [Finding("integrity", WARN, Phrase("doctor.busy", path=db))]
        if permission_trouble or key in (
            "store.cant_open", "store.read_only", "store.read_only_folder", "store.no_permission",
        ):  # fmt: skip
            return [Finding("integrity", WARN, Phrase("doctor.not_checked", path=db))]
        return [Finding("integrity", FAIL, Phrase("doctor.unreadable", path=db, detail=str(exc)))]
    if integrity == ["ok"]:
        found.append(Finding("integrity", OK, Phrase("doctor.integrity_ok")))
    else:
        shown = "; ".join(integrity[:3])
        found.append(
            Finding("integrity", FAIL, Phrase("doctor.integrity_bad", path=db, detail=shown))
        )
    found.append(Finding("foreign_keys", OK if not fk else FAIL, Phrase("doctor.fk", n=len(fk))))
    found.append(
        Finding("journal", OK if journal == "wal" else WARN, Phrase("doctor.journal", mode=journal))
    )
    wal = workspace.side_file(db, "-wal")
    if wal.exists():
        size = wal.stat().st_size
        found.append(Finding("wal_size", OK if size < WAL_WARN_BYTES else WARN,
                             Phrase("doctor.wal_size", kib=size // 1024)))  # fmt: skip
    if version > SCHEMA_VERSION:
        found.append(
            Finding(
                "schema", FAIL, Phrase("doctor.schema_new", found=version, known=SCHEMA_VERSION)
            )
        )
        return found
    key = "doctor.schema_old" if version < SCHEMA_VERSION else "doctor.schema"
    found.append(Finding("schema", OK, Phrase(key, found=version, known=SCHEMA_VERSION)))
    if permission_trouble:
        return found
    if version == SCHEMA_VERSION:
        found.append(_audit_chain(db))
    found.extend(_tables_and_claims(config))
    return found


def _audit_chain(db: Path) -> Finding:
    """Every event's hash over its content and the one before it (callroom/chain.py): the first
    broken link is named, and the head printed so a lead can note it."""
    from callroom import chain

    try:
        conn = sqlite3.connect(f"file:{quote(str(db))}?mode=ro", uri=True, timeout=5)
        try:
            verdict = chain.verify_database(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Finding("audit_chain", WARN, Phrase("doctor.chain_unread", detail=str(exc)))
    return _chain_finding(verdict)


def _chain_finding(verdict: chain.Verdict) -> Finding:
    """The chain's verdict as a finding."""
    if verdict.ok:
        return Finding("audit_chain", OK, Phrase("doctor.chain_ok", n=verdict.events,
                                                 id=verdict.head_id, hash=verdict.head_hash[:16]))  # fmt: skip
    return Finding(
        "audit_chain", FAIL,
        Phrase(f"doctor.chain_{verdict.problem}", id=verdict.broken_id, good=verdict.head_id,
               n=verdict.events),
    )  # fmt: skip


def _forms(config: Config) -> Finding:
    """Every inbound group's form can be used (a broken one is said here, not mid-call)."""
    from callroom.scripts import FORM_PREFIX, ScriptError, ScriptLibrary

    library = ScriptLibrary(config.scripts_folder)
    for group in config.groups:
        try:
            library.get(FORM_PREFIX + group.form)
        except ScriptError as exc:
            return Finding("forms", FAIL, Phrase("doctor.form_broken", group=group.code,
                                                 detail=str(exc)))  # fmt: skip
    return Finding("forms", OK, Phrase("doctor.forms_ok", n=len(config.groups)))


def _postgres(config: Config) -> list[Finding]:
    """PostgreSQL: the connection, the schema version, the tables and stale claims. The file
    checks (modes, group, filesystem, integrity, WAL) are the server's business there."""
    from callroom.store import SCHEMA_VERSION, Store

    label = config.database_label
    try:
        store = Store(config, busy_deadline=5)
    except StoreError as exc:
        check = "schema" if exc.key in ("store.pg_no_schema", "store.schema_new") else "connection"
        return [Finding(check, FAIL, exc)]
    from callroom import chain

    with store:
        server = store.conn.execute("SHOW server_version").fetchone()[0]
        version = store.schema_version()
        verdict = chain.verify_database(store.conn)
    found = [
        Finding("connection", OK, Phrase("doctor.pg_connected", url=label, server=server)),
        Finding("schema", OK, Phrase("doctor.schema", found=version, known=SCHEMA_VERSION)),
        Finding("files", INFO, Phrase("doctor.pg_files_skipped")),
        _chain_finding(verdict),
    ]
    found.extend(_tables_and_claims(config))
    return found


def _tables_and_claims(config: Config) -> list[Finding]:
    from callroom.store import Store

    try:
        store = Store(config, busy_deadline=5)
    except StoreError as exc:
        return [Finding("claims", WARN, exc)]
    with store:
        counts = {
            name: store.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("batches", "tasks", "attempts", "events")
        }
        found = [Finding("tables", OK, Phrase("doctor.tables", **counts))]
        claims = store.claims()
    ended = [c for c in claims if c.status == "ended"]
    expired = [c for c in claims if c.status == "expired"]
    live = [c for c in claims if c.status == "live"]
    if not ended and not expired:
        found.append(Finding("claims", OK, Phrase("doctor.claims_ok", n=len(live))))
        return found

    def give_back() -> int:
        with Store(config, busy_deadline=10) as writer:
            return len(writer.return_claims(config.operator))

    listed = "; ".join(
        f"#{c.task_id} {c.by} (pid {c.pid})" for c in ended[:10]
    ) + (" ..." if len(ended) > 10 else "")  # fmt: skip
    detail = Phrase("doctor.claims_stale", ended=len(ended), expired=len(expired),
                    listed=listed or "-", live=len(live))  # fmt: skip
    returned = lambda n: Phrase("doctor.claims_returned", n=n)  # noqa: E731
    found.append(Finding("claims", WARN, detail, ["callroom doctor --fix"], give_back, returned))
    return found


def _leftovers(db: Path) -> list[Finding]:
    """Rescue copies of a database deleted under a running session; killed backups' temps."""
    found = []
    rescued = sorted(db.parent.glob(f"{db.name}.rescued-*.db"))
    if rescued:
        found.append(Finding("rescued", WARN, Phrase("doctor.rescued", n=len(rescued),
                                                     newest=rescued[-1])))  # fmt: skip
    removed = sweep_leftovers(db.parent)
    if removed:
        found.append(Finding("leftovers", INFO, Phrase("doctor.swept", n=len(removed))))
    return found
