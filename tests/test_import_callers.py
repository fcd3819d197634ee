"""An import never makes a caller wait: while a list is read and staged no write lock is held,
and what happened meanwhile (another list, a verified call) is settled inside the publish.

The figures (longest record() behind a 100,000-row import) are in benchmarks/bench_import.py;
these tests check the behaviour on small lists, with the caller's store allowed no more than
half a second of waiting.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from callroom.config import Config
from callroom.importer import ImportOptions, import_files
from callroom.importer.reader import CHUNK_ROWS
from callroom.store import Store

from conftest import Clock


def big_csv(path: Path, rows: int, first: int = 0) -> Path:
    lines = ["姓名,电话"] + [f"居民{i},139{i:08d}" for i in range(first, first + rows)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_a_caller_records_at_once_while_a_list_is_read_and_staged(
    config: Config, clock: Clock, tmp_path: Path
) -> None:
    with (
        Store(config, clock=clock) as importer,
        Store(replace(config, operator="bob"), clock=clock, busy_deadline=0.5) as caller,
    ):
        caller.add_batch("earlier", [{"phone": "+8613800000001"}, {"phone": "+8613800000002"}],
                         operator="lead")  # fmt: skip
        waits: list[float] = []

        def tick(path: Path, fraction: float, rows: int) -> None:
            card = caller.next_card("bob")
            if card is None:
                return
            started = time.perf_counter()
            caller.record(card.id, "no_answer", "bob")  # would time out if the import held the lock
            waits.append(time.perf_counter() - started)

        path = big_csv(tmp_path / "l.csv", 3 * CHUNK_ROWS)
        [report] = import_files(importer, [path], ImportOptions(), "lead", progress=tick)
        assert report.tasks_created == 3 * CHUNK_ROWS
        assert len(waits) == 2 and max(waits) < 0.5


def test_dedup_is_settled_inside_the_publish_against_what_happened_meanwhile(
    config: Config, clock: Clock, tmp_path: Path
) -> None:
    """Another list imported and a call verified while this list was being read: its rows are
    linked to the other list's open tasks and auto-resolved against the verified one."""
    with Store(config, clock=clock) as importer, Store(config, clock=clock) as other:
        other.add_batch("morning", [{"phone": "+8613900000007"}], operator="lead")
        done = {"yes": False}

        def meanwhile(path: Path, fraction: float, rows: int) -> None:
            if done["yes"]:
                return
            done["yes"] = True
            card = other.next_card("bob")
            assert card is not None and card.phone == "+8613900000007"
            other.record(card.id, "verified", "bob")
            import_files(other, [big_csv(tmp_path / "noon.csv", 3, first=10)], ImportOptions(),
                         "lead")  # fmt: skip

        path = big_csv(tmp_path / "l.csv", 2 * CHUNK_ROWS)
        [report] = import_files(importer, [path], ImportOptions(), "lead", progress=meanwhile)
        assert done["yes"]
        assert (report.linked, report.auto_resolved) == (3, 1)
        assert report.tasks_created == 2 * CHUNK_ROWS - 4
        # nobody is offered a number twice
        phones = importer.conn.execute(
            "SELECT phone, count(*) FROM tasks WHERE state IN ('pending', 'retry', 'callback') "
            "GROUP BY phone HAVING count(*) > 1"
        ).fetchall()
        assert phones == []


def test_a_dry_run_stages_and_counts_but_writes_nothing(store: Store, tmp_path: Path) -> None:
    store.add_batch("morning", [{"phone": "+8613900000003"}], operator="lead")
    before = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    [report] = import_files(store, [big_csv(tmp_path / "l.csv", 10)], ImportOptions(dry_run=True),
                            "lead")  # fmt: skip
    assert (report.tasks_created, report.linked) == (9, 1)
    assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == before
