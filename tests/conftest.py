"""Shared fixtures: a config and a store on a temporary database with a controllable clock."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pg_server
import pytest

from callroom.config import DATABASE_URL_VAR, Config, load_config
from callroom.store import Store, Task

# Test modules run on both engines (every test in them that uses the `config` or `store`
# fixture): the store, queue, import, results, reports, export, lead pane and CLI. The others
# (the caller screen's keys and layout, the SQLite file's faults, the shared Unix group, config
# parsing) run on SQLite only: see README, "Tests".
BOTH_ENGINES = {
    "test_store",
    "test_concurrency",
    "test_crash",
    "test_offices",
    "test_import",
    "test_import_callers",
    "test_results",
    "test_reports",
    "test_export",
    "test_ops",
    "test_ui_lead",
    "test_talk_time",
    "test_ui_call",
    "test_ui_results",
    "test_postgres",
    # the inbound desk (#14)
    "test_chain",
    "test_queue_aging",
    "test_roster",
    "test_appeals",
    "test_ui_intake",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        marker = metafunc.definition.get_closest_marker
        both = (module in BOTH_ENGINES or marker("both_engines")) and not marker("sqlite_only")
        engines = ["sqlite", "postgres"] if both else ["sqlite"]
        if "pg" in metafunc.fixturenames:  # a test of PostgreSQL itself (test_postgres.py)
            engines = ["postgres"]
        metafunc.parametrize("engine", engines)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the session: $CALLROOM_TEST_PG_URL, else one started here."""
    given = os.environ.get(pg_server.URL_VAR)
    if given:
        yield given
        return
    bindir = pg_server.find_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL tests skipped: no server binaries (/usr/lib/postgresql/*/bin) and no "
            f"${pg_server.URL_VAR}"
        )
    server = pg_server.Server(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(
    engine: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """PostgreSQL: the URL of an empty schema of this test's own (set as
    $CALLROOM_DATABASE_URL, so the CLI and child processes use it too); SQLite: ''."""
    if engine != "postgres":
        yield ""
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = pg_server.new_schema(admin)
    monkeypatch.setenv(DATABASE_URL_VAR, url)
    yield url
    pg_server.drop_schema(admin, url)


try:
    import psycopg

    DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, psycopg.Error)
    INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, psycopg.IntegrityError)
except ImportError:  # the postgres extra not installed: SQLite only
    DB_ERRORS, INTEGRITY_ERRORS = (sqlite3.DatabaseError,), (sqlite3.IntegrityError,)


def set_schema_version(store: Store, version: int) -> None:
    """Write a schema version into the store's database, on either engine."""
    if store.engine == "postgres":
        store.conn.execute("UPDATE callroom_schema SET version = ?", (version,))
    else:
        store.conn.execute(f"PRAGMA user_version = {version}")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # never read a developer's own callroom.toml or $CALLROOM_CONFIG, nor their script cache
    monkeypatch.delenv("CALLROOM_CONFIG", raising=False)
    monkeypatch.delenv(DATABASE_URL_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _keep_umask() -> Iterator[None]:
    # a store with a shared group sets the process umask (007); keep tests independent
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 2, 10, 0, 0))  # a Monday morning, inside calling hours


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Config:
    """The default config on a fresh, empty database (created here, as `callroom init` would:
    no other Store creates a database); on PostgreSQL in a schema of its own."""
    cfg = replace(
        load_config(), database=tmp_path / "callroom.db", database_url=db_url, operator="alice"
    )
    Store(cfg, create=True).close()
    return cfg


@pytest.fixture
def store(config: Config, clock: Clock) -> Iterator[Store]:
    with Store(config, clock=clock) as s:
        yield s


def phone(n: int) -> str:
    """A valid, distinct CN mobile in E.164 for task number n."""
    return f"+86138{n:08d}"


def add_tasks(store: Store, count: int, name: str = "list", **overrides: object) -> int:
    rows = [{"phone": phone(i), "name": f"居民{i}", **overrides} for i in range(count)]
    return store.add_batch(name, rows, operator="lead")


def make_task(**kw: object) -> Task:
    """A Task as the store returns it, without a database (for script and card rendering)."""
    base: dict[str, object] = dict(
        id=7, batch_id=1, seq=1, phone="+8613812345678", state="pending", priority=0,
        attempts=0, noncontacts=0, name="张小明", id_number="44030419900101123X",
        place="北京市朝阳区", arrival="2026-10-30 14:00", batch_name="1031名单",
    )  # fmt: skip
    base.update(kw)
    return Task(**base)  # type: ignore[arg-type]
