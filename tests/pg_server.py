"""A throwaway PostgreSQL server for the test session, and one empty schema per test.

``CALLROOM_TEST_PG_URL`` names a server to use (it must let the role create schemas). Without
it, the server binaries on this machine (``/usr/lib/postgresql/*/bin``, or ``pg_ctl`` on PATH)
start a cluster in a temporary folder on a Unix socket: ``initdb``/``pg_ctl`` refuse to run as
root, so as root they run as the ``postgres`` account (``runuser``). fsync is off: this cluster
holds test data only. ``python -m tests.pg_server`` starts one and prints its URL (for the
benchmark); stop it with Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

URL_VAR = "CALLROOM_TEST_PG_URL"


def find_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists() and Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


class Server:
    """A cluster in a temporary folder; ``url`` reaches it as the superuser ``postgres``."""

    def __init__(self, bindir: Path, port: int = 0, durable: bool = False) -> None:
        self.durable = durable  # fsync and synchronous_commit on (the benchmark), else off
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="callroom-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = port or 55000 + os.getpid() % 5000
        self.as_user: list[str] = []
        self.url = ""

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> str:
        self.data.mkdir()
        self.sock.mkdir()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for p in (self.root, self.data, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust",
                  "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        fast = "off" if not self.durable else "on"
        options = (
            f"-k {self.sock} -c listen_addresses='' -p {self.port} -c fsync={fast} "
            f"-c synchronous_commit={fast} -c full_page_writes={fast} -c max_connections=300 "
            "-c shared_buffers=64MB"
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30",
                  "-l", str(self.root / "server.log"), "-o", options, "start")  # fmt: skip
        self.url = f"postgresql://postgres@/postgres?host={self.sock}&port={self.port}"
        return self.url

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


_counter = itertools.count(1)


def new_schema(admin_url: str) -> str:
    """A new empty schema on the server; the URL that makes it the search path."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")  # type: ignore[arg-type]
    sep = "&" if "?" in admin_url else "?"
    return f"{admin_url}{sep}options=-csearch_path%3D{name}"


def drop_schema(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("%3D", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # anything still connected to it (a killed test's child) is cut off first
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")  # type: ignore[arg-type]


if __name__ == "__main__":
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL server binaries found")
    server = Server(bindir)
    print(server.start(), flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        time.sleep(0)
