"""Matching a 100,000-row test-results export against 100,000 open tasks, end to end, against
reading the file alone; and how long a caller waits to record an outcome meanwhile.

Builds a store of --tasks open tasks (ten lists imported today; distinct valid IDs and phones;
80% with an arrival day in the last two weeks, the rest without; 10% with an alternate number),
then writes the health system's export as it comes (a merged title row, then 序号 姓名 证件号码
手机号码 采样时间 采样点 检测机构 检测结果; times as date cells and as text): 40% of its rows are
people on the lists (found by ID, by phone only, by an alternate only, or by ID under another
phone), a quarter of those tested before arriving, a few positive; the rest are strangers; 2%
repeat a row; 0.3% have neither an ID nor a phone. Then, best of N in this process, alternating:

  (a) reading the file alone: python-calamine opens the sheet and every row is iterated;
  (b) `import_results` into a fresh copy of the store: read (in a child process), find the
      header and columns, check IDs, phones and times, stage and deduplicate, match every open
      task against the known and the new results, publish (results, closed tasks, audit), commit.

Then (d): the same import while --callers caller processes claim and record outcomes on the
same store (as bench_import.py's callers: every next_card() and record() timed, and how
long it waited for the write lock; the import's own lock holds timed too): the longest wait
of a caller's write during the import. Targets (issue #16): (b) <= 3 x (a); callers wait <= 1 s.

The counts are checked against what the generator wrote: rows read, rejected, new results,
tasks closed, tasks tested only before arriving, positive tasks.

    python benchmarks/bench_results.py [--rows 100000] [--tasks 100000] [--repeats 3]
                                       [--callers 4] [--pace 0.05]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import id_number  # noqa: E402

TARGET = 3.0
WAIT_TARGET = 1.0
SHEET = "核酸检测结果"
HEADERS = ("序号", "姓名", "证件号码", "手机号码", "采样时间", "采样点", "检测机构", "检测结果")
LISTED_SHARE = 0.40  # rows about a person on the lists
BEFORE_SHARE = 0.25  # of those: tested before arriving (not closed)
POSITIVE_SHARE = 0.005
REPEAT_SHARE = 0.02
BAD_SHARE = 0.003
SITES = ("福田区莲花社康采样点", "景田北社康采样点", "福田区人民医院采样点", "香蜜湖街道采样亭",
         "沙头街道核酸检测点", "福田口岸采样点")  # fmt: skip
LABS = ("深圳市某某医学检验实验室", "福田区人民医院检验科")
WINDOW_DAYS = 2  # the shipped [results] window_days


def build_store(db: Path, tasks: int, today: date, rng: random.Random) -> list[dict[str, Any]]:
    """--tasks open tasks in ten lists; returns what the export generator needs of each."""
    from callroom.config import load_config
    from callroom.store import Store

    started = time.perf_counter()
    store = Store(replace(load_config(None, {}), database=db), create=True)
    people: list[dict[str, Any]] = []
    per = max(1, tasks // 10)
    used_ids: set[str] = set()
    for b in range(0, tasks, per):
        rows = []
        for i in range(b, min(b + per, tasks)):
            while (ident := id_number(rng)) in used_ids:
                pass
            used_ids.add(ident)
            arrival = ""
            if rng.random() < 0.8:
                arrival = (today - timedelta(days=rng.randrange(1, 15))).isoformat()
            row = {"phone": f"+86137{i:08d}", "id_number": ident, "arrival": arrival,
                   "name": "王小明"}  # fmt: skip
            if rng.random() < 0.1:
                row["alt_phones"] = [f"+86135{i:08d}"]
            rows.append(row)
            people.append(row)
        store.add_batch(f"list{b // per:02d}", rows, operator="bench")
    store.close()
    print(f"built {tasks:,} tasks in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return people


def write_export(
    path: Path, rows: int, people: list[dict[str, Any]], today: date, rng: random.Random
) -> dict[str, int]:
    """The export; returns what an import of it must count."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(SHEET)
    title = book.add_format({"bold": True, "align": "center"})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "福田区核酸检测结果明细（导出）", title)
    sheet.write_row(1, 0, HEADERS)
    counts = {"rows": rows, "bad": 0, "repeats": 0, "closed": 0, "before": 0, "positive": 0}
    known = {p["id_number"] for p in people}  # a stranger is nobody on the lists
    pool = list(range(len(people)))
    rng.shuffle(pool)
    good: list[list[Any]] = []
    for n in range(rows):
        r = n + 2
        roll = rng.random()
        if roll < BAD_SHARE:
            cells = [n + 1, "某某", "", "", datetime.now() - timedelta(hours=5), SITES[0],
                     LABS[0], "阴性"]  # fmt: skip
            counts["bad"] += 1
        elif roll < BAD_SHARE + REPEAT_SHARE and good:
            cells = [n + 1, *rng.choice(good)[1:]]
            counts["repeats"] += 1
        elif roll < BAD_SHARE + REPEAT_SHARE + LISTED_SHARE and pool:
            person = people[pool.pop()]
            first = _first_day(person, today)
            if rng.random() < BEFORE_SHARE:
                tested = first - timedelta(days=rng.randrange(1, 10))
                counts["before"] += 1
                result = "阴性"
            else:
                tested = first + timedelta(days=rng.randrange(0, (today - first).days + 1))
                result = "阳性" if rng.random() < POSITIVE_SHARE else "阴性"
                counts["positive" if result == "阳性" else "closed"] += 1
            at = datetime.combine(tested, datetime.min.time()) + timedelta(
                minutes=rng.randrange(7 * 60, 9 * 60 if tested == today else 20 * 60)
            )
            how = rng.random()
            ident, phone = person["id_number"], person["phone"][3:]
            if how < 0.60:
                pass  # ID and phone
            elif how < 0.85:
                ident = ""  # phone only
            elif how < 0.95 and person.get("alt_phones"):
                ident, phone = "", person["alt_phones"][0][3:]  # an alternate only
            else:
                phone = f"136{rng.randrange(10**8):08d}"  # the ID, someone else's phone
            cells = [n + 1, "王小明", ident, phone, at, rng.choice(SITES), rng.choice(LABS), result]
        else:
            at = datetime.now() - timedelta(minutes=rng.randrange(60, 20 * 24 * 60))
            while (ident := id_number(rng)) in known:
                pass
            cells = [n + 1, "李小红", ident, f"158{rng.randrange(10**8):08d}", at,
                     rng.choice(SITES), rng.choice(LABS), "阴性"]  # fmt: skip
        if cells[2] or cells[3]:
            good.append(cells)
        for c, value in enumerate(cells):
            if isinstance(value, datetime):
                if rng.random() < 0.7:
                    sheet.write_datetime(r, c, value, when)
                else:
                    sheet.write_string(r, c, value.strftime("%Y/%m/%d %H:%M"))
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif c == 3 and value and rng.random() < 0.8:
                sheet.write_number(r, c, float(value))  # phones as number cells
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return counts


def _first_day(person: dict[str, Any], today: date) -> date:
    if person["arrival"]:
        return date.fromisoformat(person["arrival"])
    return today - timedelta(days=WINDOW_DAYS)


def read_only(path: Path) -> int:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET)
    n = 0
    for _row in sheet.iter_rows():
        n += 1
    return n


def timed_import(path: Path, db: Path) -> tuple[float, Any]:
    from callroom.config import load_config
    from callroom.results.importing import import_results
    from callroom.store import Store

    store = Store(replace(load_config(None, {}), database=db))
    try:
        started = time.perf_counter()
        [report] = import_results(store, [path], operator="bench")
        return time.perf_counter() - started, report
    finally:
        store.close()


RESULT_COLUMNS = ("id", "file_id", "source_row", "person", "id_number", "phone", "name",
                  "tested_at", "site", "result")  # fmt: skip


def finished(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What an import wrote: every results row, and each closed task's (evidence, id)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        results = conn.execute(f"SELECT {', '.join(RESULT_COLUMNS)} FROM results").fetchall()
        closed = conn.execute(
            "SELECT test_result, id FROM tasks WHERE final_outcome = 'test_matched'"
        ).fetchall()
        return results, closed
    finally:
        conn.close()


def floor(
    path: Path, db: Path, rows: list[tuple[Any, ...]], closed: list[tuple[Any, ...]]
) -> float:
    """(c): read the file as (a) does, then write what the import wrote (copied out
    beforehand: no work on a cell, no matching) into the same store in one transaction."""
    from callroom.config import load_config
    from callroom.store import Store

    store = Store(replace(load_config(None, {}), database=db))
    try:
        store.conn.execute(
            "INSERT INTO result_files (id, name, sha256, imported_by, imported_at) "
            "VALUES (?, 'floor', '', 'bench', '2026-11-02 08:00:00')",
            (rows[0][1],),
        )
        insert = (f"INSERT INTO results ({', '.join(RESULT_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(RESULT_COLUMNS))})")  # fmt: skip
        started = time.perf_counter()
        read_only(path)
        with store.transaction() as conn:
            conn.executemany(insert, rows)
            conn.executemany(
                "UPDATE tasks SET state = 'done', final_outcome = 'test_matched', "
                "test_result = ? WHERE id = ?",
                closed,
            )
        return time.perf_counter() - started
    finally:
        store.close()


def check(report: Any, expected: dict[str, int]) -> list[str]:
    want = {
        "rows read": (report.rows_read, expected["rows"]),
        "rejected": (report.rejected_total, expected["bad"]),
        "new results": (report.new_results, expected["rows"] - expected["bad"]
                        - expected["repeats"]),
        "repeated": (report.repeated, expected["repeats"]),
        "tasks closed": (report.matched + report.held, expected["closed"]),
        "tasks tested before arriving": (report.before, expected["before"]),
        "positive tasks": (report.positive_tasks, expected["positive"]),
    }  # fmt: skip
    return [f"{what}: {got}, expected {should}" for what, (got, should) in want.items()
            if got != should]  # fmt: skip


def caller(db: Path, name: str, go: Path, stop: Path, pace: float) -> None:
    """--phase caller: claim and record until told to stop (as bench_import.py's callers);
    each call's start, its whole time, and how much of it was spent waiting for the write lock
    (BEGIN IMMEDIATE), printed as JSON."""
    from contextlib import contextmanager
    from datetime import time as dtime

    from callroom import store as st
    from callroom.config import load_config

    waited: list[float] = []
    begin = st.Store._transaction

    @contextmanager
    def timed(self: Any, busy: Any) -> Any:
        started = time.perf_counter()
        with begin(self, busy) as conn:
            waited.append(time.perf_counter() - started)
            yield conn

    st.Store._transaction = timed  # type: ignore[method-assign]
    cfg = replace(load_config(None, {}), hours_start=dtime.min, hours_end=dtime.max)
    store = st.Store(cfg, path=db)
    while not go.exists():
        time.sleep(0.005)
    samples: list[tuple[float, float, float]] = []
    errors: list[str] = []
    while not stop.exists():
        try:
            waited.clear()
            started = time.perf_counter()
            card = store.next_card(name)
            claimed = time.perf_counter()
            samples.append((started, claimed - started, sum(waited)))
            if card is None:
                break
            waited.clear()
            store.record(card.id, "no_answer", name)
            samples.append((claimed, time.perf_counter() - claimed, sum(waited)))
        except st.StoreError as exc:
            errors.append(str(exc))
        time.sleep(pace)
    store.close()
    print(json.dumps({"samples": samples, "errors": errors}))


def with_callers(
    path: Path | None, db: Path, folder: Path, callers: int, pace: float, idle: float = 0.0
) -> tuple[float, list[dict[str, Any]], tuple[float, float], Any, list[tuple[float, float]]]:
    """The callers at work while the export is imported, and when the import held the write
    lock; with ``path`` None, for ``idle`` seconds with nothing else running: the machine's
    own noise floor."""
    from contextlib import contextmanager

    from callroom import store as st

    go, stop = folder / "go", folder / "stop"
    go.unlink(missing_ok=True)
    stop.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--phase", "caller", "--db", str(db), "--go", str(go),
               "--stop", str(stop), "--pace", str(pace)]  # fmt: skip
    procs = [
        subprocess.Popen([*command, "--name", f"c{i}"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for i in range(callers)
    ]
    held: list[tuple[float, float]] = []
    begin = st.Store._transaction

    @contextmanager
    def timed(self: Any, busy: Any) -> Any:
        with begin(self, busy) as conn:
            got = time.perf_counter()
            yield conn
        held.append((got, time.perf_counter()))

    st.Store._transaction = timed  # type: ignore[method-assign]
    try:
        time.sleep(1.0)
        go.touch()
        time.sleep(0.5)
        started = time.perf_counter()
        if path is None:
            time.sleep(idle)
            seconds, report = idle, None
        else:
            seconds, report = timed_import(path, db)
        ended = started + seconds
        time.sleep(0.5)
    finally:
        st.Store._transaction = begin  # type: ignore[method-assign]
        stop.touch()
        outputs = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    return seconds, outputs, (started, ended), report, held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--callers", type=int, default=4)
    parser.add_argument("--pace", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--phase", choices=("caller",), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    parser.add_argument("--go", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "caller":
        caller(args.db, args.name, args.go, args.stop, args.pace)
        return 0
    rng = random.Random(args.seed)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="bench-results-") as tmp:
        folder = Path(tmp)
        template = folder / "tasks.db"
        people = build_store(template, args.tasks, today, rng)
        path = folder / f"results{args.rows}.xlsx"
        started = time.perf_counter()
        expected = write_export(path, args.rows, people, today, rng)
        print(f"wrote {path.name}: {args.rows:,} rows ({expected}), "
              f"{path.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)  # fmt: skip
        reads: list[float] = []
        imports: list[float] = []
        floors: list[float] = []
        written: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None
        problems: list[str] = []
        report: Any = None
        for i in range(args.repeats):
            began = time.perf_counter()
            n = read_only(path)
            reads.append(time.perf_counter() - began)
            if n != args.rows + 2:
                problems.append(f"read-only saw {n} rows, expected {args.rows + 2}")
            db = folder / f"run{i}.db"
            shutil.copy(template, db)
            seconds, report = timed_import(path, db)
            imports.append(seconds)
            problems += check(report, expected)
            if written is None:
                written = finished(db)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            db = folder / f"floor{i}.db"
            shutil.copy(template, db)
            floors.append(floor(path, db, *written))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        waits: dict[str, Any] = {}
        if args.callers:
            db = folder / "callers.db"
            shutil.copy(template, db)
            seconds, outputs, (t0, t1), loaded, held = with_callers(
                path, db, folder, args.callers, args.pace
            )
            calls = [
                c for out in outputs for c in out["samples"] if c[0] + c[1] >= t0 and c[0] <= t1
            ]
            # a call that waited while the import held the lock, and one that waited while it
            # did not (the callers queueing for the lock behind each other)
            overlaps = [any(a < s + w and s < b for a, b in held) for s, w, _ in calls]
            waits = {"seconds": seconds, "during": sorted(w for _, w, _ in calls),
                     "lock": sorted(lw for _, _, lw in calls),
                     "ours": max((w for (_, w, _), o in zip(calls, overlaps, strict=True) if o),
                                 default=0.0),
                     "theirs": max((w for (_, w, _), o in zip(calls, overlaps, strict=True)
                                    if not o), default=0.0),
                     "held": sorted(b - a for a, b in held),
                     "errors": [e for out in outputs for e in out["errors"]],
                     "matched": loaded.matched, "on_screen": loaded.held}  # fmt: skip
            # the same callers as long again with nothing else running: the machine's noise
            db = folder / "idle.db"
            shutil.copy(template, db)
            _, outputs, (t0, t1), _, _ = with_callers(
                None, db, folder, args.callers, args.pace, idle=seconds
            )
            waits["idle"] = sorted(c[1] for out in outputs for c in out["samples"]
                                   if c[0] + c[1] >= t0 and c[0] <= t1)  # fmt: skip
    a, b, c = min(reads), min(imports), min(floors)
    ratio = b / a
    print(f"results import of a {args.rows:,}-row .xlsx against {args.tasks:,} open tasks, best "
          f"of {args.repeats} (2 cores, synchronous=FULL)")  # fmt: skip
    print(f"  (a) reading the file alone (calamine)  {a:6.2f} s  {args.rows / a:9,.0f} rows/s")
    print(f"  (b) import and match end to end        {b:6.2f} s  {args.rows / b:9,.0f} rows/s")
    print(f"  ratio (b)/(a)                          {ratio:6.2f} x  target <= {TARGET}")
    print(f"  (c) floor: (a) + writing what (b) wrote ({len(written[0]):,} results, "  # type: ignore[index]
          f"{len(written[1]):,} tasks closed), no work, one transaction\n"  # type: ignore[index]
          f"                                         {c:6.2f} s  {c / a:6.2f} x (a)")  # fmt: skip
    print(f"  all runs: read {', '.join(f'{x:.2f}' for x in reads)}; import "
          f"{', '.join(f'{x:.2f}' for x in imports)}; floor "
          f"{', '.join(f'{x:.2f}' for x in floors)}")  # fmt: skip
    print(f"  counts: {report.rows_read:,} read, {report.new_results:,} new, {report.repeated:,} "
          f"repeated, {report.rejected_total} rejected; tasks closed {report.matched:,}, tested "
          f"only before arriving {report.before:,}, positive {report.positive_tasks}; results "
          f"matching no open task {report.unmatched:,}")  # fmt: skip
    ok = not problems and ratio <= TARGET
    if waits:
        during = waits["during"]
        longest = during[-1] if during else 0.0
        p99 = during[int(0.99 * (len(during) - 1))] if during else 0.0
        ok = ok and longest <= WAIT_TARGET and not waits["errors"]
        holds = waits["held"]
        print(f"  (d) {args.callers} callers recording every {args.pace:g} s during the import "
              f"({waits['seconds']:.2f} s; {waits['matched']:,} closed, {waits['on_screen']} on a "
              f"caller's screen); the import held the write lock {len(holds)} times, longest "
              f"{holds[-1] if holds else 0:.3f} s:\n"
              f"      next_card() and record() during the import: {len(during)} calls, longest "
              f"{longest:.3f} s, p99 {p99:.3f} s (target <= {WAIT_TARGET:g} s); errors "
              f"{len(waits['errors'])}\n"
              f"      of which waiting for the lock: longest {waits['lock'][-1]:.3f} s; longest "
              f"call while the import held it {waits['ours']:.3f} s, while it did not "
              f"{waits['theirs']:.3f} s")  # fmt: skip
        idle = waits["idle"]
        if idle:
            print(f"      the same callers as long with no import: {len(idle)} calls, longest "
                  f"{idle[-1]:.3f} s, p99 {idle[int(0.99 * (len(idle) - 1))]:.3f} s")  # fmt: skip
    for problem in problems:
        print(f"  WRONG {problem}")
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
