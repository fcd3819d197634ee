"""Two real Unix accounts in one group working on one database, as callers over SSH do.

The test creates the group and the accounts (each with its own primary group, the shared one as
a supplementary group) and removes them afterwards. It needs root to do that and skips, saying
so, anywhere else. Commands run as each account through a Python interpreter that account may
execute, with the umask set for that process (022 and 077).
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]


@dataclass(frozen=True)
class Office:
    group: str
    gid: int
    a: Account
    b: Account
    python: str


def _account(name: str) -> Account:
    entry = pwd.getpwnam(name)
    return Account(name, entry.pw_uid, entry.pw_gid, tuple(os.getgrouplist(name, entry.pw_gid)))


def _env() -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONPATH": f"{ROOT}:{SITE}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "COLUMNS": "250",
    }


def _as(user: Account, umask: int) -> Callable[[], None]:
    """A preexec_fn: the child becomes ``user`` with ``umask`` before it runs anything."""

    def demote() -> None:
        os.setgroups(list(user.groups))
        os.setgid(user.gid)
        os.setuid(user.uid)
        os.umask(umask)

    return demote


def _usable_python(user: Account) -> str | None:
    """An interpreter of this Python version the account can run callroom with (the venv's own
    may live under root's home)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (
        os.path.realpath(sys.executable),
        f"/usr/bin/{version}",
        f"/usr/local/bin/{version}",
    ):
        if not os.path.exists(candidate):
            continue
        try:
            done = subprocess.run(
                [candidate, "-c", "import callroom.cli"], env=_env(), capture_output=True,
                preexec_fn=_as(user, 0o022), cwd="/tmp", timeout=60,
            )  # fmt: skip
        except OSError:  # e.g. under root's own, private home
            continue
        if done.returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("creating Unix accounts needs root and useradd: not available here")
    tag = secrets.token_hex(3)
    group, names = f"crg{tag}", (f"cra{tag}", f"crb{tag}")
    made_group, made_users = False, []
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        made_group = True
        for name in names:
            subprocess.run(
                ["useradd", "-M", "-U", "-G", group, "-s", "/usr/sbin/nologin", name],
                check=True, capture_output=True,
            )  # fmt: skip
            made_users.append(name)
        a, b = (_account(n) for n in names)
        python = _usable_python(a)
        if python is None:
            pytest.skip("no Python interpreter here that another account may run callroom with")
        yield Office(group, grp.getgrnam(group).gr_gid, a, b, python)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot create test accounts: {exc.stderr.decode().strip()}")
    finally:
        for name in made_users:
            subprocess.run(["userdel", name], capture_output=True)
        if made_group:
            subprocess.run(["groupdel", group], capture_output=True)


@pytest.fixture
def workspace(office: Office) -> Iterator[Path]:
    """What the admin makes: a folder the group may use (the README's SSH setup, step 3)."""
    folder = Path(tempfile.mkdtemp(prefix="callroom-office-", dir="/tmp"))
    os.chown(folder, 0, office.gid)
    os.chmod(folder, 0o2770)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def cli(
    office: Office, user: Account, umask: int, cwd: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [office.python, "-c", "from callroom.cli import main; main()", "--lang", "en", *args],
        cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120,
        preexec_fn=_as(user, umask),
    )  # fmt: skip


# a caller's session: claims a card, records it, and with "hold" stays open on the database
_SESSION = """
import json, sys, time
from dataclasses import replace
from datetime import time as dtime
from callroom.config import load_config
from callroom.store import Store
cfg = replace(load_config(), hours_start=dtime.min, hours_end=dtime.max)
store = Store(cfg)
done = []
for _ in range(int(sys.argv[1])):
    card = store.next_card(cfg.operator)
    store.record(card.id, "verified", cfg.operator)
    done.append(card.id)
print(json.dumps(done), flush=True)
if sys.argv[2] == "hold":
    sys.stdin.readline()
    card = store.next_card(cfg.operator)
    store.record(card.id, "no_answer", cfg.operator)
    print(json.dumps([card.id]), flush=True)
"""


def session(
    office: Office, user: Account, umask: int, cwd: Path, n: int, hold: bool
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [office.python, "-c", _SESSION, str(n), "hold" if hold else "once"],
        cwd=cwd, env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=_as(user, umask),
    )  # fmt: skip


def write_list(folder: Path, name: str, start: int, count: int = 20) -> Path:
    path = folder / name
    rows = "".join(f"{i},居民{i},139{i:08d}\n" for i in range(start, start + count))
    path.write_text("序号,姓名,联系电话\n" + rows, "utf-8")
    os.chmod(path, 0o644)
    return path


def assert_shared(office: Office, data: Path) -> None:
    """The folder setgid 2770 in the group; every file in it in the group, 0660."""
    st = os.stat(data)
    assert st.st_gid == office.gid and stat.S_IMODE(st.st_mode) == 0o2770
    for entry in data.iterdir():
        st = os.stat(entry)
        assert st.st_gid == office.gid, f"{entry.name}: group {grp.getgrgid(st.st_gid).gr_name}"
        assert stat.S_IMODE(st.st_mode) == 0o660, f"{entry.name}: {oct(st.st_mode)}"


@pytest.mark.parametrize(
    ("first", "first_umask", "second_umask"),
    [("a", 0o022, 0o077), ("b", 0o077, 0o022)],
    ids=["a-first-022", "b-first-077"],
)
def test_two_accounts_share_one_database_whoever_opens_first(
    office: Office, workspace: Path, first: str, first_umask: int, second_umask: int
) -> None:
    one, two = (office.a, office.b) if first == "a" else (office.b, office.a)
    init = cli(office, one, first_umask, workspace, "init", "--shared-group", office.group)
    assert init.returncode == 0, init.stderr
    data = workspace / "data"
    assert_shared(office, data)

    # nobody working: each in turn opens the database (creating -wal and -shm) and writes
    for who, mask, start in ((one, first_umask, 0), (two, second_umask, 100)):
        done = cli(
            office,
            who,
            mask,
            workspace,
            "import",
            str(write_list(workspace, f"{who.name}.csv", start)),
        )
        assert done.returncode == 0, done.stderr
        assert_shared(office, data)

    # both working: the first keeps a session open while the second records and imports
    holder = session(office, one, first_umask, workspace, 2, hold=True)
    try:
        assert len(json.loads(holder.stdout.readline())) == 2, holder.stderr.read()
        assert (data / "callroom.db-wal").exists() and (data / "callroom.db-shm").exists()
        assert_shared(office, data)
        other = session(office, two, second_umask, workspace, 3, hold=False)
        _, errors = other.communicate(timeout=60)
        assert other.returncode == 0, errors
        more = cli(
            office,
            two,
            second_umask,
            workspace,
            "import",
            str(write_list(workspace, "more.csv", 200)),
        )
        assert more.returncode == 0, more.stderr
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert len(json.loads(holder.stdout.readline())) == 1, holder.stderr.read()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert_shared(office, data)
    backup = cli(office, two, second_umask, workspace, "backup")
    assert backup.returncode == 0, backup.stderr
    assert_shared(office, data)
    doctor = cli(office, two, second_umask, workspace, "doctor")
    assert doctor.returncode == 0, doctor.stdout
    assert "FAIL" not in doctor.stdout and "WARN" not in doctor.stdout
    assert f"{two.name} is in the shared group {office.group}" in doctor.stdout
    status = cli(office, one, first_umask, workspace, "status")
    assert status.returncode == 0 and "Total" in status.stdout


def test_doctor_says_what_to_run_and_fix_repairs_what_the_owner_may(
    office: Office, workspace: Path
) -> None:
    # the workspace as it was before: one caller made it alone (0755 folder, her own group)
    a, b = office.a, office.b
    plain = cli(office, a, 0o022, workspace, "init")
    assert plain.returncode == 0, plain.stderr
    data = workspace / "data"
    os.chmod(data, 0o755)
    os.chmod(data / "callroom.db", 0o644)
    text = (workspace / "callroom.toml").read_text("utf-8")
    (workspace / "callroom.toml").write_text(
        text.replace('shared_group = ""', f'shared_group = "{office.group}"'), "utf-8"
    )
    os.chmod(workspace / "callroom.toml", 0o644)  # the admin set shared_group with sudo
    # the second caller cannot write: doctor says so, and what the owner must run
    refused = cli(office, b, 0o022, workspace, "import", str(write_list(workspace, "l.csv", 0)))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "read-only for you" in refused.stderr or "cannot create its files" in refused.stderr
    doctor = cli(office, b, 0o022, workspace, "doctor")
    out = " ".join(doctor.stdout.split())
    assert doctor.returncode == 1
    assert f"sudo chgrp {office.group} {data}" in out and f"sudo chmod 2770 {data}" in out
    assert f"sudo chgrp {office.group} {data / 'callroom.db'}" in out
    assert f"sudo chmod 660 {data / 'callroom.db'}" in out
    assert f"only {a.name} or an admin can change it" in out
    integrity = next(
        line for line in doctor.stdout.splitlines() if line.strip().startswith("integrity")
    )
    assert "FAIL" not in integrity  # a permission problem, not a damaged database
    # the owner repairs what is hers; then the second caller works
    fixed = cli(office, a, 0o022, workspace, "doctor", "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert_shared(office, data)
    works = cli(office, b, 0o077, workspace, "import", str(write_list(workspace, "l.csv", 0)))
    assert works.returncode == 0, works.stderr
    assert_shared(office, data)


def test_doctor_never_says_ok_on_a_database_nobody_can_write(
    office: Office, workspace: Path
) -> None:
    a, b = office.a, office.b
    assert cli(office, a, 0o022, workspace, "init", "--shared-group", office.group).returncode == 0
    db = workspace / "data" / "callroom.db"
    os.chmod(db, 0o440)
    for who in (a, b):
        doctor = cli(office, who, 0o022, workspace, "doctor")
        out = " ".join(doctor.stdout.split())
        assert doctor.returncode == 1
        assert f"you ({who.name}) cannot read and write {db}" in out
        integrity = next(
            line for line in doctor.stdout.splitlines() if line.strip().startswith("integrity")
        )
        assert "FAIL" not in integrity
