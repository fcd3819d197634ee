"""The audit log as a hash chain: appended in order, verified by `callroom doctor`, a row edited
or deleted with plain SQL (the append-only triggers dropped, as an attacker would) caught and
named, old events hashed once by the migration, concurrent writers kept on one line. On both
engines (tests/conftest.py): on PostgreSQL the tampering goes through psycopg."""

from __future__ import annotations

import itertools
import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom import chain
from callroom.cli import app
from callroom.config import Config
from callroom.store import MIGRATIONS, SCHEMA_VERSION, Store, _split_sql

from conftest import add_tasks


def _work(store: Store) -> None:
    add_tasks(store, 3)
    for _ in range(3):
        card = store.next_card("alice")
        assert card is not None
        store.record(card.id, "no_answer", "alice")
    store.log_event("reveal", "alice", 1, detail={"fields": ["name"]})


def _doctor(config: Config, tmp_path: Path) -> tuple[int, str]:
    cfg_file = tmp_path / "callroom.toml"
    db = config.database_url or config.database
    cfg_file.write_text(f'[general]\ndatabase = "{db}"\nlang = "en"\n', "utf-8")
    result = CliRunner().invoke(app, ["--config", str(cfg_file), "doctor"], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _tamper(config: Config, sql: str, params: tuple = ()) -> None:
    """What someone with the file and the sqlite3 shell (or the database's owner role in psql)
    could do: drop the guards, change a row."""
    if config.database_url:
        conn = _pg(config)
        for name in ("events_append_only_update", "events_append_only_delete"):
            conn.execute(f"DROP TRIGGER {name} ON events")
        conn.execute(sql, params)
        conn.close()
        return
    conn = sqlite3.connect(config.database)
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute("DROP TRIGGER events_append_only_delete")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _pg(config: Config):  # -> the engine's connection (autocommit, '?' parameters)
    from callroom.store.engines.postgres import Connection

    return Connection(config.database_url)


def _verdict(config: Config) -> chain.Verdict:
    if config.database_url:
        conn = _pg(config)
        try:
            return chain.verify_database(conn)
        finally:
            conn.close()
    conn = sqlite3.connect(config.database)
    try:
        return chain.verify_database(conn)
    finally:
        conn.close()


def _refused() -> tuple[type[Exception], ...]:
    """What a write the append-only triggers refuse raises, on either engine."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.errors.RestrictViolation)


def test_every_event_is_a_link_of_one_chain(store: Store) -> None:
    _work(store)
    rows = store.conn.execute("SELECT id, prev_hash, hash FROM events ORDER BY id").fetchall()
    assert len(rows) >= 8
    assert rows[0]["prev_hash"] == chain.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"] and after["id"] == before["id"] + 1
    verdict = chain.verify_database(store.conn)
    assert verdict.ok and verdict.events == len(rows) and verdict.head_id == rows[-1]["id"]


def test_doctor_verifies_the_chain_and_prints_its_head(
    store: Store, config: Config, tmp_path: Path
) -> None:
    _work(store)
    head_id, head_hash = chain.head(store.conn)
    code, out = _doctor(config, tmp_path)
    assert code == 0, out
    assert "audit chain" in out and f"head #{head_id} {head_hash[:16]}" in out


def test_an_edited_event_is_caught_and_named(store: Store, config: Config, tmp_path: Path) -> None:
    _work(store)
    victim = store.conn.execute("SELECT id FROM events WHERE kind = 'reveal'").fetchone()[0]
    store.close()
    # the reveal is made to look like someone else's
    _tamper(config, "UPDATE events SET operator = 'bob' WHERE id = ?", (victim,))
    code, out = _doctor(config, tmp_path)
    assert code == 1
    assert f"event #{victim} does not match its hash" in out
    assert f"up to #{victim - 1} are intact" in out


def test_a_deleted_event_is_caught_at_the_next_one(
    store: Store, config: Config, tmp_path: Path
) -> None:
    _work(store)
    store.close()
    _tamper(config, "DELETE FROM events WHERE id = 4")
    code, out = _doctor(config, tmp_path)
    assert code == 1
    assert "the link before event #5 is broken" in out


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(
    store: Store, config: Config
) -> None:
    _work(store)
    row = store.conn.execute("SELECT * FROM events WHERE id = 3").fetchone()
    forged = chain.event_hash(row["prev_hash"], 3, row["at"], "mallory", row["kind"],
                              row["task_id"], row["batch_id"], row["detail"])  # fmt: skip
    store.close()
    _tamper(config, "UPDATE events SET operator = 'mallory', hash = ? WHERE id = 3", (forged,))
    verdict = _verdict(config)
    assert not verdict.ok and verdict.broken_id == 4 and verdict.problem == "missing_link"


def test_events_stay_append_only(store: Store) -> None:
    _work(store)
    with pytest.raises(_refused()):
        store.conn.execute("UPDATE events SET operator = 'x' WHERE id = 1")
    with pytest.raises(_refused()):
        store.conn.execute("DELETE FROM events WHERE id = 1")


def test_the_migration_hashes_the_events_written_before(
    config: Config, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    before = MIGRATIONS.index(next(m for m in MIGRATIONS if "prev_hash" in m))
    events = [
        (f"2026-11-01 08:{i // 60 % 60:02d}:{i % 60:02d}", f"op{i % 7}")
        for i in range(1, 1201)  # more than one backfill batch
    ]
    insert = "INSERT INTO events (at, operator, kind, detail) VALUES (?, ?, 'claim', '{}')"
    if config.database_url:  # a database left at the version before the chain
        import pg_server

        from callroom.store.schema_postgres import VERSION_TABLE, postgres_step

        # a schema of its own (the test's config already has an initialised one)
        admin = request.getfixturevalue("pg_admin_url")
        old = replace(config, database_url=pg_server.new_schema(admin))
        request.addfinalizer(lambda: pg_server.drop_schema(admin, old.database_url))
        conn = _pg(old)
        conn.script(VERSION_TABLE)
        for step in range(before):
            conn.script(postgres_step(step, MIGRATIONS[step]))
        conn.execute("UPDATE callroom_schema SET version = ?", (before,))
        conn.executemany(insert, events)
        conn.close()
    else:
        path = tmp_path / "old.db"
        conn = sqlite3.connect(path)
        for step in MIGRATIONS[:before]:
            for statement in _split_sql(step):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {before}")
        conn.executemany(insert, events)
        conn.commit()
        conn.close()
        old = replace(config, database=path)
    with Store(old) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert (
            store.conn.execute("SELECT count(*) FROM events WHERE hash IS NULL").fetchone()[0] == 0
        )
        verdict = chain.verify_database(store.conn)
        assert verdict.ok and verdict.events == 1200
        store.log_event("backup", "lead")  # the chain goes on from the migrated head
        assert chain.verify_database(store.conn).events == 1201
        with pytest.raises(_refused()):  # once hashed, never changed again
            store.conn.execute("UPDATE events SET hash = 'x' WHERE id = 1")


def _append_many(path: str, url: str, who: str, n: int) -> None:
    from callroom.config import load_config

    cfg = replace(load_config(), database=Path(path), database_url=url)
    with Store(cfg) as store:
        for i in range(n):
            store.log_event("pause" if i % 2 else "resume", who, detail={"i": i})


def test_writers_in_several_processes_keep_one_line(config: Config) -> None:
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(
            target=_append_many, args=(str(config.database), config.database_url, f"c{n}", 40)
        )
        for n in range(4)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    verdict = _verdict(config)
    with Store(config) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM events ORDER BY id")]
    assert verdict.ok and verdict.events == 160
    assert ids == list(range(1, 161))  # no gaps, no forks
