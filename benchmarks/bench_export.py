"""How long the lead waits: `reports.build` (the pane refreshes it every 3 s) and the exports.

Builds N tasks in lists of 10,000 (benchmarks/task_fill.py), records outcomes with script
answers on a third of them, then times, best of 3 in one process:
- reports.build for the day, and each report format rendered from it;
- export to xlsx and to csv of every task (the district template: answers, remarks, alternates);
- the floor for the csv: the same tasks read with one SELECT and written by csv.writer with no
  per-cell work.

    python benchmarks/bench_export.py [--tasks 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from task_fill import fill_tasks

from callroom import reports
from callroom.config import load_config
from callroom.export import export
from callroom.report_text import chat_text, csv_rows, table_lines
from callroom.store import Store

ANSWERS = {"visited": "yes", "arrival_date": "2026-10-30", "in_shenzhen": "yes",
           "symptoms": "no", "tested": "yes", "test_date": "2026-11-01", "residence": "same"}  # fmt: skip


def best(fn, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def record_some(store: Store, share: float) -> int:
    """Outcomes on a share of the tasks, written straight in one transaction (fast setup)."""
    rows = store.conn.execute("SELECT id FROM tasks ORDER BY id").fetchall()
    picked = rows[:: max(1, round(1 / share))]
    now = store.now().strftime("%Y-%m-%d %H:%M:%S")
    with store.transaction() as conn:
        for n, (task_id,) in enumerate(picked):
            outcome = ("verified", "no_answer", "refused", "empty_number")[n % 4]
            state = {"verified": "done", "refused": "done", "empty_number": "field_visit"}.get(
                outcome, "retry"
            )
            final = None if state == "retry" else outcome
            conn.execute(
                "INSERT INTO attempts (task_id, operator, at, outcome, answers, note, prev, "
                "version_after) VALUES (?,?,?,?,?,?,?,?)",
                (task_id, f"caller{n % 12}", now, outcome,
                 json.dumps(ANSWERS if outcome == "verified" else {}, ensure_ascii=False),
                 "不配合" if outcome == "refused" else "", "{}", 1),
            )  # fmt: skip
            conn.execute(
                "UPDATE tasks SET state = ?, final_outcome = ?, attempts = 1, closed_at = ?, "
                "closed_by = ? WHERE id = ?",
                (state, final, now if final else None, f"caller{n % 12}" if final else None,
                 task_id),
            )  # fmt: skip
    return len(picked)


def floor_csv(store: Store, path: Path) -> int:
    rows = store.conn.execute(
        "SELECT t.*, b.name AS batch_name FROM tasks t JOIN batches b ON b.id = t.batch_id "
        "ORDER BY t.batch_id, t.seq"
    ).fetchall()
    buf = io.StringIO()
    writer = csv.writer(buf)
    for r in rows:
        writer.writerow(tuple(r))
    path.write_text(buf.getvalue(), "utf-8")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="callroom-bench-export-"))
    config = replace(load_config(), database=folder / "bench.db", operator="bench")
    with Store(config) as store:
        fill_tasks(store, args.tasks)
        recorded = record_some(store, 1 / 3)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM batches ORDER BY id")]
        print(f"{args.tasks:,} tasks in {len(ids)} lists, {recorded:,} with an outcome")

        build_s, rep = best(lambda: reports.build(store))
        print(f"reports.build: {build_s * 1000:.0f} ms (the lead pane refreshes every 3 s)")
        for name, fn in [
            ("table", lambda: table_lines(rep, config, 80)),
            ("chat", lambda: chat_text(rep, config)),
            ("csv", lambda: csv_rows(rep, config)),
            ("json", lambda: rep.to_json()),
        ]:
            s, _ = best(fn)
            print(f"  render {name}: {s * 1000:.1f} ms")

        floor_s, n = best(lambda: floor_csv(store, folder / "floor.csv"), 1)
        print(f"floor (one SELECT, csv.writer, no cell work): {floor_s:.2f} s for {n:,} rows")
        for fmt_name in ("csv", "xlsx"):
            path = folder / f"export.{fmt_name}"
            s, result = best(lambda p=path, f=fmt_name: export(store, ids, p, f, "bench"), 1)
            size = path.stat().st_size / 2**20
            print(
                f"export {fmt_name}: {s:.2f} s for {result.rows:,} rows "  # type: ignore[attr-defined]
                f"({result.rows / s:,.0f} rows/s, {size:.1f} MiB, {s / floor_s:.1f} x the floor)"  # type: ignore[attr-defined]
            )
    print(f"(scratch files in {folder})")


if __name__ == "__main__":
    main()
