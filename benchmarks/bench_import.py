"""Importing a 100,000-row district .xlsx end to end, against reading the file alone; and how
long a caller waits to record an outcome while it is imported.

Writes a realistic list (a merged title row, then 序号 姓名 联系电话 身份证号 来源地 抵深时间
现居住地址 备注; phones mostly number cells, some "+86 138-1234-5678" text; ~15% repeated phones
spread through the file; valid 18-digit IDs, some damaged into floats by Excel; a few unusable
phones) and times, best of N in this process, alternating:

  (a) reading the file alone: python-calamine opens the sheet and every row is iterated;
  (b) `import_files` into a fresh database: read, find the header and columns, normalise,
      validate, stage and merge, publish (dedup re-checked, one transaction), commit;
  (c) the floor of any importer into this schema: reading the file as in (a), then inserting
      the finished task rows that (b) produced (copied out beforehand: no work on a cell) into a
      fresh database with one `executemany` per 1,000 rows and one commit; and the same into a
      `tasks` table without its indexes.

Then (d): the same import into a database holding an earlier list, while --callers caller
processes claim and record outcomes (one every --pace seconds each, synchronous=FULL): the
longest and the 99th-percentile wait of a caller's writes (next_card() claims, record()
commits) during the import. Target: <= 1 s.

The counts are checked: created + merged + rejected == rows read == data rows written, each as
the generator intended. Peak memory is measured in fresh processes (this script with --phase),
for the full list and a quarter of it: calamine holds the whole sheet (in the reading child),
the importer's own process a chunk of records and SQLite's page caches.

    python benchmarks/bench_import.py [--rows 100000] [--repeats 3] [--small 25000]
                                      [--callers 4] [--pace 0.05]
    python benchmarks/bench_import.py --profile [--rows 20000]   # cProfile of one import

Targets (the import issue): end to end <= 3 x reading the file alone; a caller's record() waits
at most 1 s behind the import.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = 3.0
WAIT_TARGET = 1.0  # seconds a caller's record() may wait behind an import
SEED_TASKS = 20_000  # the earlier list callers work on during (d)
HEADERS = ("序号", "姓名", "联系电话", "身份证号", "来源地", "抵深时间", "现居住地址", "备注")
SHEET = "来深人员"
REPEAT_SHARE = 0.15  # rows whose phone was already given by an earlier row of the list
BAD_SHARE = 0.005  # rows whose phone cannot be used (rejected with a reason)
DAMAGED_ID_SHARE = 0.03  # 18-digit IDs typed into a number cell: Excel kept 15 digits
PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "158", "186", "187", "188", "177",
            "133", "189", "199", "152", "159", "182", "183", "176")  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟")
PLACES = ("北京市朝阳区", "上海市浦东新区", "广州市白云区", "东莞市长安镇", "武汉市江汉区",
          "西安市雁塔区", "成都市武侯区", "香港特别行政区")  # fmt: skip
AREAS = ("440304", "440303", "440305", "440306", "110105", "310115", "440111", "420103")
NOTES = ("独居老人", "孕妇", "密接", "行动不便", "已返回原籍", "电话常关机", "婴儿随行")
BAD_PHONES = ("1381234567", "无", "", "138123456789", "#N/A", "暂无电话")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    """A valid GB 11643 resident ID (birth 1935..2023, correct check character)."""
    born = datetime(1935, 1, 1) + timedelta(days=rng.randrange(88 * 365))
    first17 = f"{rng.choice(AREAS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]
    return first17 + check


def write_list(path: Path, rows: int, seed: int = 7) -> dict[str, int]:
    """The district's .xlsx; returns what an import of it must count."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(SHEET)
    title = book.add_format({"bold": True, "align": "center", "font_size": 14})
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "福田区风险地区来深人员排查名单（11月2日）", title)
    sheet.write_row(1, 0, HEADERS, bold)
    used: set[str] = set()
    given: list[tuple[str, str]] = []  # (digits, name) of earlier rows with a usable phone
    counts = {"rows": rows, "bad": 0, "repeats": 0, "damaged_ids": 0}
    start = datetime(2026, 10, 20)
    for i in range(rows):
        r = i + 2
        roll = rng.random()
        if roll < BAD_SHARE:
            digits, phone = "", rng.choice(BAD_PHONES)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            counts["bad"] += 1  # rejected before its other cells are read
        elif roll < BAD_SHARE + REPEAT_SHARE and given:
            digits, name = rng.choice(given)  # the same person from another source, anywhere above
            phone = None
            counts["repeats"] += 1
        else:
            # (a number cell ending in 00000 reads as one Excel cut to 6 digits: not generated)
            while (
                digits := rng.choice(PREFIXES) + f"{rng.randrange(10**8):08d}"
            ) in used or digits.endswith("00000"):
                pass
            used.add(digits)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            given.append((digits, name))
            phone = None
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, name)
        if phone is not None:
            if phone:
                sheet.write_string(r, 2, phone)
        else:
            form = rng.random()
            if form < 0.80:
                sheet.write_number(r, 2, float(digits))  # read back as 13812345678.0
            elif form < 0.90:
                sheet.write_string(r, 2, f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}")
            elif form < 0.95:
                sheet.write_string(r, 2, f"{digits[:3]} {digits[3:7]} {digits[7:]}")
            else:
                sheet.write_string(r, 2, digits)
        ident = id_number(rng)
        if rng.random() < DAMAGED_ID_SHARE and ident[-1] != "X":
            sheet.write_number(r, 3, float(ident))  # 4.40304199001011e+17: the tail is gone
            counts["damaged_ids"] += phone is None
        else:
            sheet.write_string(r, 3, ident)
        sheet.write_string(r, 4, rng.choice(PLACES))
        arrival = start + timedelta(minutes=rng.randrange(13 * 24 * 60))
        form = rng.random()
        if form < 0.6:
            sheet.write_datetime(r, 5, arrival, when)
        elif form < 0.85:
            sheet.write_string(r, 5, f"{arrival.month}月{arrival.day}日 {arrival:%H:%M}")
        else:
            sheet.write_string(r, 5, f"{arrival:%Y/%m/%d}")
        street = rng.choice(("景田", "莲花", "香蜜湖", "沙头"))
        sheet.write_string(r, 6, f"福田区{street}街道{rng.randrange(1, 300)}号")
        if rng.random() < 0.1:
            sheet.write_string(r, 7, rng.choice(NOTES))
    book.close()
    return counts


# -- the two measured phases -------------------------------------------------------------------


def read_only(path: Path) -> int:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET)
    n = 0
    for _row in sheet.iter_rows():
        n += 1
    return n


def timed_import(path: Path, db: Path) -> tuple[float, Any, int]:
    from callroom.config import load_config
    from callroom.importer import ImportOptions, import_files
    from callroom.store import Store

    cfg = load_config(None, {})
    store = Store(cfg, path=db, create=True)
    try:
        started = time.perf_counter()
        [report] = import_files(store, [path], ImportOptions(again=True), "bench")
        seconds = time.perf_counter() - started
        tasks = store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        store.close()
    return seconds, report, tasks


FINISHED = (
    "seq", "source_row", "phone", "phone_raw", "phone_ext", "phone_flag", "alt_phones", "name",
    "id_number", "id_flag", "place", "arrival", "address", "source_note", "extra", "priority",
    "flags", "batch_id", "deadline", "created_at", "updated_at",
)  # fmt: skip


def finished_rows(db: Path) -> list[tuple[Any, ...]]:
    """What an import of the list wrote: every column the import fills, of every task row, to
    insert again for the floor (c)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {', '.join(FINISHED)} FROM tasks ORDER BY id").fetchall()
    finally:
        conn.close()


def read_and_insert(path: Path, db: Path, rows: list[tuple[Any, ...]], indexes: bool) -> float:
    """(c): read the file as (a) does, then insert the finished rows (the same store, one
    transaction and commit), and nothing else."""
    from callroom.config import load_config
    from callroom.store import Store

    store = Store(load_config(None, {}), path=db, create=True)
    try:
        store.conn.execute(
            "INSERT INTO batches (id, name, imported_by, imported_at) "
            "VALUES (?, 'floor', 'bench', '2026-11-02 08:00:00')",
            (rows[0][FINISHED.index("batch_id")],),
        )
        if not indexes:
            names = store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' "
                "AND sql IS NOT NULL"
            ).fetchall()
            for (name,) in names:
                store.conn.execute(f"DROP INDEX {name}")
        sql = f"INSERT INTO tasks ({', '.join(FINISHED)}) VALUES ({', '.join('?' * len(FINISHED))})"
        started = time.perf_counter()
        read_only(path)
        with store.transaction() as conn:
            for i in range(0, len(rows), 1000):
                conn.executemany(sql, rows[i : i + 1000])
        return time.perf_counter() - started
    finally:
        store.close()


# -- (d) callers recording while the list is imported ----------------------------------------


def caller(db: Path, name: str, go: Path, stop: Path, pace: float) -> None:
    """--phase caller: claim and record until told to stop; print when each next_card() and
    record() started (perf_counter, shared by all processes on Linux) and how long it took:
    both take the write lock, and a keystroke on the caller screen makes both."""
    from dataclasses import replace
    from datetime import time as dtime

    from callroom.config import load_config
    from callroom.store import Store, StoreError

    cfg = replace(load_config(None, {}), hours_start=dtime.min, hours_end=dtime.max)
    store = Store(cfg, path=db)
    while not go.exists():
        time.sleep(0.005)
    samples: list[tuple[float, float]] = []
    errors: list[str] = []
    while not stop.exists():
        try:
            started = time.perf_counter()
            card = store.next_card(name)  # a write too: the claim
            claimed = time.perf_counter()
            samples.append((started, claimed - started))
            if card is None:
                break
            store.record(card.id, "no_answer", name)
            samples.append((claimed, time.perf_counter() - claimed))
        except StoreError as exc:
            errors.append(str(exc))
        time.sleep(pace)
    store.close()
    print(json.dumps({"samples": samples, "errors": errors}))


def import_with_callers(
    path: Path, folder: Path, callers: int, pace: float
) -> tuple[float, list[dict[str, Any]], tuple[float, float]]:
    """(d): the import while caller processes record; returns the import's seconds, each
    caller's samples, and the import's (start, end) on the shared clock."""
    from callroom.config import load_config
    from callroom.store import Store

    db = folder / "callers.db"
    _remove(db)
    store = Store(load_config(None, {}), path=db, create=True)
    rows = [{"phone": f"+8613{i % 7 + 3}{i:08d}", "name": f"居民{i}"} for i in range(SEED_TASKS)]
    store.add_batch("earlier list", rows, operator="lead")
    go, stop = folder / "go", folder / "stop"
    go.unlink(missing_ok=True)
    stop.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--phase", "caller", "--db", str(db), "--go", str(go),
               "--stop", str(stop), "--pace", str(pace)]  # fmt: skip
    procs = [
        subprocess.Popen([*command, "--name", f"c{i}"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for i in range(callers)
    ]
    try:
        time.sleep(1.0)  # the callers' stores are open
        go.touch()
        time.sleep(0.5)  # they are recording
        from callroom.importer import ImportOptions, import_files

        started = time.perf_counter()
        import_files(store, [path], ImportOptions(again=True), "bench")
        ended = time.perf_counter()
        time.sleep(0.5)
    finally:
        stop.touch()
        outputs = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
        store.close()
    return ended - started, outputs, (started, ended)


def check(report: Any, tasks: int, expected: dict[str, int]) -> list[str]:
    """Everything the import must count, against what the generator wrote."""
    problems = []
    accounted = report.tasks_created + report.merged + report.rejected_total
    want = {
        "rows_read": (report.rows_read, expected["rows"]),
        "created + merged + rejected": (accounted, report.rows_read),
        "merged": (report.merged, expected["repeats"]),
        "rejected": (report.rejected_total, expected["bad"]),
        "created": (report.tasks_created, expected["rows"] - expected["repeats"] - expected["bad"]),
        "tasks in the database": (tasks, report.tasks_created),
        "damaged IDs": (report.damaged_ids, expected["damaged_ids"]),
        "linked + auto-resolved": (report.linked + report.auto_resolved, 0),
    }
    for what, (got, should) in want.items():
        if got != should:
            problems.append(f"{what}: {got}, expected {should}")
    return problems


def hwm_kib() -> int:
    """Peak RSS of this process image (VmHWM). getrusage's ru_maxrss is not used: on Linux it
    survives fork+exec, so a child would start at this benchmark's own (large) peak."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def phase(name: str, path: Path, db: Path) -> None:
    """--phase: one run in a fresh process; prints seconds and memory as JSON."""
    # the same modules in both phases, so the growth compares work, not imports
    import python_calamine  # noqa: F401

    import callroom.importer
    import callroom.store  # noqa: F401

    base = hwm_kib()
    started = time.perf_counter()
    if name == "read":
        rows = read_only(path)
    else:
        _, report, _ = timed_import(path, db)
        rows = report.rows_read
    seconds = time.perf_counter() - started
    import resource

    # the import reads workbooks in a forked child: its peak (it starts as a copy of this process)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"rows": rows, "seconds": seconds, "base_kib": base, "peak_kib": hwm_kib(),
                      "child_kib": child}))  # fmt: skip


def in_child(name: str, path: Path, db: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path), "--db", str(db)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"--phase {name} failed:\n{done.stderr[-3000:]}")
    db.unlink(missing_ok=True)
    return json.loads(done.stdout)


def profile(path: Path, db: Path, top: int) -> None:
    import cProfile
    import pstats

    from callroom.config import load_config
    from callroom.importer import ImportOptions, import_files
    from callroom.store import Store

    store = Store(load_config(None, {}), path=db, create=True)
    prof = cProfile.Profile()
    prof.enable()
    import_files(store, [path], ImportOptions(again=True), "bench")
    prof.disable()
    store.close()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def mib(kib: float) -> str:
    return f"{kib / 1024:6.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="best of N for each timing")
    parser.add_argument("--small", type=int, default=25_000, help="the smaller list for memory")
    parser.add_argument("--no-memory", action="store_true", help="skip the subprocess runs")
    parser.add_argument("--profile", action="store_true", help="cProfile one import and stop")
    parser.add_argument("--callers", type=int, default=4, help="callers recording during (d)")
    parser.add_argument(
        "--pace", type=float, default=0.05, help="seconds between a caller's records"
    )
    parser.add_argument("--phase", choices=("read", "import", "caller"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    parser.add_argument("--go", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "caller":
        caller(args.db, args.name, args.go, args.stop, args.pace)
        return 0
    if args.phase:
        phase(args.phase, args.file, args.db)
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        path = folder / f"list{args.rows}.xlsx"
        started = time.perf_counter()
        expected = write_list(path, args.rows)
        print(
            f"wrote {path.name}: {args.rows:,} rows ({expected['repeats']:,} repeated phones, "
            f"{expected['bad']} unusable, {expected['damaged_ids']:,} damaged IDs), "
            f"{path.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        if args.profile:
            profile(path, folder / "profile.db", 30)
            return 0

        reads: list[float] = []
        imports: list[float] = []
        floors: list[float] = []
        bare: list[float] = []
        problems: list[str] = []
        report: Any = None
        finished: list[tuple[Any, ...]] = []
        for i in range(args.repeats):
            started = time.perf_counter()
            n = read_only(path)
            reads.append(time.perf_counter() - started)
            if n != args.rows + 2:
                problems.append(f"read-only saw {n} rows, expected {args.rows + 2}")
            db = folder / f"bench{i}.db"
            seconds, report, tasks = timed_import(path, db)
            imports.append(seconds)
            problems += check(report, tasks, expected)
            if not finished:
                finished = finished_rows(db)
            _remove(db)
            for indexes, into in ((True, floors), (False, bare)):
                floor_db = folder / f"floor{i}.db"
                into.append(read_and_insert(path, floor_db, finished, indexes=indexes))
                _remove(floor_db)
        waits: dict[str, Any] = {}
        if args.callers:
            under_load, outputs, (t0, t1) = import_with_callers(
                path, folder, args.callers, args.pace
            )
            during = [w for out in outputs for s, w in out["samples"] if s + w >= t0 and s <= t1]
            everything = [w for out in outputs for _, w in out["samples"]]
            waits = {
                "seconds": under_load,
                "during": sorted(during),
                "all": sorted(everything),
                "errors": [e for out in outputs for e in out["errors"]],
            }
        a, b, c, d = min(reads), min(imports), min(floors), min(bare)
        ratio = b / a

        memory: dict[tuple[str, int], dict[str, Any]] = {}
        if not args.no_memory:
            sizes = [args.rows]
            if 0 < args.small < args.rows:
                small = folder / f"list{args.small}.xlsx"
                write_list(small, args.small)
                sizes.insert(0, args.small)
            for size in sizes:
                file = path if size == args.rows else small
                for name in ("read", "import"):
                    memory[name, size] = in_child(name, file, folder / "child.db")

    rows = report.rows_read
    print(
        f"import of a {args.rows:,}-row .xlsx, best of {args.repeats} (2 cores, synchronous=FULL)"
    )
    print(f"  (a) reading the file alone (calamine)  {a:6.2f} s  {args.rows / a:9,.0f} rows/s")
    print(f"  (b) import end to end                  {b:6.2f} s  {args.rows / b:9,.0f} rows/s")
    print(f"  ratio (b)/(a)                          {ratio:6.2f} x  target <= {TARGET}")
    print(
        f"  (c) floor: (a) + inserting the {len(finished):,} finished rows, no work\n"
        f"      into tasks as it is                {c:6.2f} s  {c / a:6.2f} x (a)\n"
        f"      into tasks without its indexes     {d:6.2f} s  {d / a:6.2f} x (a)\n"
        f"  the import's own work beyond the floor {b - c:6.2f} s  "
        f"({(b - c) / args.rows * 1e6:.1f} us a row)"
    )
    print(
        f"  counts: {rows:,} read = {report.tasks_created:,} created + {report.merged:,} merged "
        f"+ {report.rejected_total} rejected; {report.damaged_ids:,} damaged IDs"
    )
    for size in sorted({s for _, s in memory}):
        read, imp = memory["read", size], memory["import", size]
        grew_read = read["peak_kib"] - read["base_kib"]
        grew_import = imp["peak_kib"] - imp["base_kib"]
        grew_child = imp["child_kib"] - imp["base_kib"]
        print(
            f"  peak RSS, {size:>7,} rows: read {mib(read['peak_kib'])} (+{mib(grew_read)}); "
            f"import: its process {mib(imp['peak_kib'])} (+{mib(grew_import)}), its reading "
            f"child {mib(imp['child_kib'])} (+{mib(grew_child)}); both above reading alone "
            f"{mib(grew_import + grew_child - grew_read)}"
        )
    if len({s for _, s in memory}) == 2:
        small_n, big_n = sorted({s for _, s in memory})

        def above(n: int) -> int:
            imp, read = memory["import", n], memory["read", n]
            own = (imp["peak_kib"] - imp["base_kib"]) + (imp["child_kib"] - imp["base_kib"])
            return own - (read["peak_kib"] - read["base_kib"])

        print(
            f"  import above read grew {mib(above(big_n) - above(small_n))} from {small_n:,} to "
            f"{big_n:,} rows (reading alone grew "
            f"{mib(memory['read', big_n]['peak_kib'] - memory['read', small_n]['peak_kib'])})"
        )
    waited_ok = True
    if waits:
        during, everything = waits["during"], waits["all"]
        longest = during[-1] if during else 0.0
        p99 = during[int(0.99 * (len(during) - 1))] if during else 0.0
        waited_ok = longest <= WAIT_TARGET and not waits["errors"]
        print(
            f"  (d) {args.callers} callers recording every {args.pace:g} s while the list is "
            f"imported into a store of {SEED_TASKS:,} tasks ({waits['seconds']:.2f} s):\n"
            f"      next_card() and record() during the import: {len(during)} calls, longest "
            f"{longest:.3f} s, "
            f"p99 {p99:.3f} s (target <= {WAIT_TARGET:g} s); over the whole run "
            f"{len(everything)} calls, median {everything[len(everything) // 2]:.4f} s; "
            f"errors {len(waits['errors'])}"
        )
    for problem in problems:
        print(f"  WRONG {problem}")
    ok = not problems and ratio <= TARGET and waited_ok
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
