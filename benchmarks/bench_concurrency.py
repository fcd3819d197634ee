"""Caller processes on one database, SQLite and PostgreSQL side by side in one run.

Two runs per engine, each with real OS processes (`caller_process.py`) behind a start barrier:

- human pace: 64 callers, each thinks ~1 s on a card (0.5-1.5 s) before recording, for 60 s;
  the record latency a caller waits for (commit included) and its p99; and the floor: on each
  card, just before the record, a bare one-row UPDATE and durable commit on the same connection
  (the engine's own cost of a commit at that moment, on this machine as loaded as it is);
- tight loop: 16 callers claiming and recording as fast as they can for 10 s: throughput.

The proof is read back from the database after each run: the audit log replayed (0 double
claims) and every attempt a process reported found exactly once (0 lost or extra). SQLite runs
with synchronous=FULL; PostgreSQL with fsync and synchronous_commit on (a durable commit each).
PostgreSQL is $CALLROOM_BENCH_PG_URL (a role that may create schemas), else a server started from
the local binaries (tests/pg_server.py) for the run.

    python benchmarks/bench_concurrency.py [--engine both|sqlite|postgres]
        [--callers 64] [--think 1] [--seconds 60] [--loop-callers 16] [--loop-seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from callroom.config import load_config  # noqa: E402
from callroom.store import Store  # noqa: E402

WORKER = ROOT / "benchmarks" / "caller_process.py"


def run(db: str, cfg, callers: int, seconds: float, think: float, tasks: int, tmp: Path) -> dict:
    floor_flag = ["--floor"] if think else []
    with Store(cfg, create=True) as store:
        rows = [{"phone": f"+86139{i:08d}"} for i in range(tasks)]
        store.add_batch("bench", rows, "bench")
    go = tmp / "go"
    go.unlink(missing_ok=True)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                db,
                f"caller{i}",
                "--seconds",
                str(seconds),
                "--max",
                str(tasks),
                "--think",
                str(think),
                "--ready",
                str(tmp / f"ready{i}"),
                "--go",
                str(go),
                *floor_flag,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(callers)
    ]
    while not all((tmp / f"ready{i}").exists() for i in range(callers)):
        time.sleep(0.05)
    t0 = time.perf_counter()
    go.touch()
    results = [json.loads(p.communicate()[0]) for p in procs]
    elapsed = time.perf_counter() - t0
    for i in range(callers):
        (tmp / f"ready{i}").unlink()

    latencies = sorted(x for r in results for x in r["latencies"])
    floor = sorted(x for r in results for x in r.get("floor", []))
    reported = Counter(t for r in results for t in r["records"])
    with Store(cfg) as store:
        written = Counter(r[0] for r in store.conn.execute("SELECT task_id FROM attempts"))
        log = store.conn.execute(
            "SELECT operator, kind, task_id FROM events "
            "WHERE kind IN ('claim', 'record', 'release') ORDER BY id"
        ).fetchall()
    holder: dict[int, str | None] = {}
    double_claims = 0
    for operator, kind, task_id in log:
        if kind == "claim":
            double_claims += holder.get(task_id) is not None
            holder[task_id] = operator
        else:
            holder[task_id] = None
    total = len(latencies)
    return {
        "records": total,
        "per_s": total / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p99": latencies[int(0.99 * (total - 1))] if latencies else 0.0,
        "max": latencies[-1] if latencies else 0.0,
        "floor50": statistics.median(floor) if floor else 0.0,
        "floor99": floor[int(0.99 * (len(floor) - 1))] if floor else 0.0,
        "double": double_claims,
        "lost": sum((reported - written).values()) + sum((written - reported).values()),
        "errors": sum(len(r["errors"]) for r in results),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=("both", "sqlite", "postgres"), default="both")
    ap.add_argument("--callers", type=int, default=64)
    ap.add_argument("--think", type=float, default=1.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--loop-callers", type=int, default=16)
    ap.add_argument("--loop-seconds", type=float, default=10.0)
    ap.add_argument("--tasks", type=int, default=50_000)
    args = ap.parse_args()
    engines = ("sqlite", "postgres") if args.engine == "both" else (args.engine,)

    server = None
    admin = os.environ.get("CALLROOM_BENCH_PG_URL", "")
    if "postgres" in engines and not admin:
        import pg_server

        bindir = pg_server.find_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL: set CALLROOM_BENCH_PG_URL or install the server")
        server = pg_server.Server(bindir, durable=True)
        admin = server.start()
    out: dict[tuple[str, str], dict] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            base = replace(load_config(), operator="bench")
            for engine in engines:
                for kind, callers, seconds, think in (
                    ("human", args.callers, args.seconds, args.think),
                    ("loop", args.loop_callers, args.loop_seconds, 0.0),
                ):
                    if engine == "postgres":
                        import pg_server

                        db = pg_server.new_schema(admin)
                        cfg = replace(base, database_url=db)
                    else:
                        path = tmp / f"{kind}.db"
                        db, cfg = str(path), replace(base, database=path)
                    print(f"{engine} {kind}: {callers} callers, {seconds:.0f} s ...", flush=True)
                    out[engine, kind] = run(db, cfg, callers, seconds, think, args.tasks, tmp)
    finally:
        if server is not None:
            server.stop()

    load = os.getloadavg()
    print(f"\n{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"human pace: {args.callers} callers, think ~{args.think:g} s, {args.seconds:.0f} s")
    print(f"tight loop: {args.loop_callers} callers, {args.loop_seconds:.0f} s\n")
    print(f"{'':22}" + "".join(f"{e:>14}" for e in engines))
    rows = (
        ("human records", "human", "records", "{:.0f}"),
        ("human record p50 ms", "human", "p50", "{:.2f}"),
        ("human record p99 ms", "human", "p99", "{:.2f}"),
        ("human record max ms", "human", "max", "{:.2f}"),
        ("human floor p50 ms", "human", "floor50", "{:.2f}"),
        ("human floor p99 ms", "human", "floor99", "{:.2f}"),
        ("loop records/s", "loop", "per_s", "{:.0f}"),
        ("loop record p50 ms", "loop", "p50", "{:.2f}"),
        ("loop record p99 ms", "loop", "p99", "{:.2f}"),
        ("double claims", None, "double", "{:.0f}"),
        ("lost or extra", None, "lost", "{:.0f}"),
        ("errors", None, "errors", "{:.0f}"),
    )
    for label, kind, key, form in rows:
        cells = []
        for e in engines:
            value = out[e, kind][key] if kind else out[e, "human"][key] + out[e, "loop"][key]
            cells.append(form.format(value))
        print(f"{label:22}" + "".join(f"{c:>14}" for c in cells))
    ok = all(r["double"] == 0 and r["lost"] == 0 and r["errors"] == 0 for r in out.values())
    met = all(out[e, "human"]["p99"] <= 10 for e in engines)
    print(
        f"\nhuman-pace p99 <= 10 ms: {'PASS' if met else 'FAIL'}; proof: {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
