"""Shared fixtures: a config and a store on a temporary database with a controllable clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from callroom.config import Config, load_config
from callroom.store import Store, Task


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
def config(tmp_path: Path) -> Config:
    """The default config on a fresh, empty database (created here, as `callroom init` would:
    no other Store creates a database)."""
    cfg = replace(load_config(), database=tmp_path / "callroom.db", operator="alice")
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
