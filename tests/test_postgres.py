"""PostgreSQL as the database, where it differs from SQLite: the URL in the config, init and the
role's rights, backup by pg_dump, failures in words, the schema on the server, claims under
contention. (The store, import, report, export and lead-pane tests run on both engines.)"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import ConfigError, load_config
from callroom.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError
from callroom.store.schema_postgres import postgres_step

from conftest import add_tasks

runner = CliRunner()
pytestmark = pytest.mark.both_engines


@pytest.fixture
def pg(engine: str, db_url: str) -> str:
    """This test runs on PostgreSQL only (see conftest.pytest_generate_tests): its URL."""
    return db_url


def en(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["--lang", "en", *args], env={"COLUMNS": "200", **(env or {})})


def test_url_in_the_config_is_checked_and_its_password_never_shown(tmp_path: Path) -> None:
    Path("callroom.toml").write_text(
        '[general]\ndatabase = "mysql://ann:s3cret@db/callroom"\n', "utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_config("callroom.toml")
    text = info.value.text("en")
    assert "[general] database" in text and "postgresql://" in text
    assert "s3cret" not in text and "s3cret" not in info.value.text("zh")
    Path("callroom.toml").write_text(
        '[general]\ndatabase = "postgresql://ann:s3cret@db:5432"\n', "utf-8"
    )
    with pytest.raises(ConfigError, match="must name the database") as info:
        load_config("callroom.toml")
    assert "s3cret" not in info.value.text("en")
    Path("callroom.toml").write_text(
        '[general]\ndatabase = "postgresql://ann:s3cret@db:5432/callroom"\noffice = "莲花"\n',
        "utf-8",
    )
    cfg = load_config("callroom.toml")
    assert cfg.engine == "postgres" and cfg.office == "莲花"
    assert cfg.database_label == "postgresql://ann@db:5432/callroom"
    assert "s3cret" not in repr(cfg)  # a crash log or a failing assertion prints configs


def test_an_unreachable_server_is_said_in_words_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://ann:s3cret@127.0.0.1:1/callroom"
    result = en("status", env={"CALLROOM_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "cannot reach the PostgreSQL server" in result.output
    assert "s3cret" not in result.output and "Traceback" not in result.output
    zh = runner.invoke(app, ["--lang", "zh", "status"], env={"CALLROOM_DATABASE_URL": url})
    assert "连不上 PostgreSQL 服务器" in zh.output and "s3cret" not in zh.output


def test_init_creates_the_schema_then_every_command_works(pg: str) -> None:
    before = en("status")
    assert before.exit_code == 1 and "Run `callroom init` once" in before.output
    result = en("init")
    assert result.exit_code == 0, result.output
    assert f"schema v{SCHEMA_VERSION}" in " ".join(result.output.split())
    assert not Path("data/callroom.db").exists()  # no SQLite file made beside it
    with Store(load_config("callroom.toml")) as store:
        add_tasks(store, 3)
    assert "No lists" not in en("status").output
    doctor = en("doctor")
    assert doctor.exit_code == 0 and "PostgreSQL 15" in doctor.output


def test_backup_names_the_pg_dump_command_and_exits_non_zero(pg: str) -> None:
    assert en("init").exit_code == 0
    result = en("backup")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "pg_dump --format=custom --file=callroom-backup-" in out
    assert "postgresql://postgres@" in out
    assert not list(Path.cwd().glob("callroom-backup-*"))


def test_a_role_without_rights_is_told_which_it_needs(pg: str, pg_admin_url: str) -> None:
    import psycopg

    schema = pg.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS callroom_caller")
        conn.execute("CREATE ROLE callroom_caller LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO callroom_caller")  # type: ignore[arg-type]
    url = pg.replace("postgresql://postgres@", "postgresql://callroom_caller@")
    try:
        result = en("init", env={"CALLROOM_DATABASE_URL": url})
        assert result.exit_code == 1
        out = " ".join(result.output.split())
        assert "lacks a right" in out and "OWNER" in out and "USAGE on their sequences" in out
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON SCHEMA {schema} FROM callroom_caller")  # type: ignore[arg-type]
            conn.execute("DROP ROLE callroom_caller")


def test_every_migration_step_has_a_postgresql_text() -> None:
    for step, sql in enumerate(MIGRATIONS):
        text = postgres_step(step, sql)
        assert "RAISE(ABORT" not in text and "PRAGMA" not in text
    assert "EXECUTE FUNCTION callroom_refuse('events are append-only')" in postgres_step(
        0, MIGRATIONS[0]
    )


def test_claims_from_many_threads_on_postgresql_never_collide(pg: str, config) -> None:
    """Sixteen sessions claim and record at once (SKIP LOCKED): every task exactly once."""
    cfg = replace(config, hours_start=config.hours_start.min, hours_end=config.hours_end.max)
    with Store(cfg) as seed:
        add_tasks(seed, 120)
    got: list[list[int]] = [[] for _ in range(16)]
    errors: list[BaseException] = []

    def caller(i: int) -> None:
        try:
            with Store(cfg) as store:
                while (card := store.next_card(f"c{i}")) is not None:
                    got[i].append(card.id)
                    store.record(card.id, "verified", f"c{i}")
        except BaseException as exc:  # handed to the test
            errors.append(exc)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    claimed = [t for ids in got for t in ids]
    assert sorted(claimed) == list(range(1, 121))  # all of them, none twice
    with Store(cfg) as store:
        assert store.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 120
        assert store.counts_by_state() == {"done": 120}


def test_a_row_held_by_another_transaction_is_skipped_not_waited_for(pg: str, config) -> None:
    import psycopg

    with Store(config) as store:
        add_tasks(store, 2)
        other = psycopg.connect(config.database_url, autocommit=True)
        try:
            other.execute("BEGIN")
            other.execute("SELECT id FROM tasks WHERE id = 1 FOR UPDATE")
            store.set_busy_deadline(5)
            card = store.next_card("alice")  # task 1 is locked: task 2, at once
            assert card is not None and card.id == 2
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_store_errors_keep_their_keys(pg: str, config) -> None:
    with Store(config) as store:
        with pytest.raises(StoreError) as info:
            store.record(99, "verified", "alice")
        assert info.value.key == "store.no_task"


def test_an_open_import_transaction_does_not_hold_up_callers(pg: str, config) -> None:
    """An import's publish (new tasks, an earlier task linked and raised) holds row locks only:
    meanwhile another caller claims and records at once (SQLite would wait for the lock)."""
    with Store(config) as importer, Store(config) as caller:
        add_tasks(importer, 5)
        waits: list[float] = []
        with importer.transaction():
            batch = importer.insert_batch_row("second", "lead", tasks_created=200)
            for seq in range(1, 201):
                importer.insert_task_row(batch, seq, {"phone": f"+86137{seq:08d}"}, "x", None)
            importer.conn.execute("UPDATE tasks SET priority = 2 WHERE id = 5")  # linked to
            for _ in range(3):
                started = time.monotonic()
                card = caller.next_card("bob")
                caller.record(card.id, "verified", "bob")
                waits.append(time.monotonic() - started)
            assert card.id != 5  # the row the import holds is skipped, not waited for
        assert max(waits) < 1.0
        assert caller.get_task(5).priority == 2


def test_a_long_list_is_loaded_by_copy_and_published_in_one_transaction(
    pg: str, config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the staged rows go in with COPY, and a list longer than SQLite's publish
    chunk is still one transaction: all or nothing."""
    import psycopg

    from callroom.importer import ImportOptions, import_files, stage

    monkeypatch.setattr(stage, "PUBLISH_ROWS", 10)  # SQLite would publish 40 rows in 4 parts
    copies: list[str] = []
    real_copy = psycopg.Cursor.copy

    def spy(self, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        copies.append(str(statement))
        return real_copy(self, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", spy)
    path = tmp_path / "list.csv"
    path.write_text(
        "姓名,手机号码\n" + "".join(f"居民{i},1380000{i:04d}\n" for i in range(40)), "utf-8"
    )
    with Store(config) as store:
        commits = []
        real = Store.transaction

        def counted(self, *a, **k):  # type: ignore[no-untyped-def]
            if not self.conn.in_transaction:
                commits.append(1)
            return real(self, *a, **k)

        monkeypatch.setattr(Store, "transaction", counted)
        [report] = import_files(store, [path], ImportOptions(), "lead")
        assert report.tasks_created == 40
        assert len(commits) == 1
        assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 40
    assert any(c.startswith("COPY import_stage_rows") for c in copies)


def test_the_demo_and_the_drill_never_use_the_street_database(tmp_path: Path) -> None:
    """A throw-away workspace is a SQLite file of its own, even with $CALLROOM_DATABASE_URL set
    (here: a server that does not answer, so any use of it would fail)."""
    env = {"CALLROOM_DATABASE_URL": "postgresql://ann@127.0.0.1:1/street"}
    demo = en("demo", "--no-open", "--dir", str(tmp_path / "demo"), env=env)
    assert demo.exit_code == 0, demo.output
    assert (tmp_path / "demo" / "callroom.db").exists()
    drill = en("drill", "--tasks", "50", "--callers", "2", "--minutes", "30", env=env)
    assert drill.exit_code == 0, drill.output


def test_an_import_refreshes_the_planners_figures(pg: str, config, tmp_path: Path) -> None:
    """Without it PostgreSQL takes a fresh list for a few rows and sorts every open task on
    each claim (~80 ms at 50,000 tasks) until autovacuum comes by."""
    from callroom.importer import ImportOptions, import_files

    path = tmp_path / "list.csv"
    path.write_text(
        "姓名,手机号码\n" + "".join(f"居民{i},1380000{i:04d}\n" for i in range(30)), "utf-8"
    )
    with Store(config) as store:
        import_files(store, [path], ImportOptions(), "lead")
        analysed = store.conn.execute(
            "SELECT last_analyze FROM pg_stat_user_tables "
            "WHERE relname = 'tasks' AND schemaname = current_schema()"
        ).fetchone()[0]
        assert analysed is not None
