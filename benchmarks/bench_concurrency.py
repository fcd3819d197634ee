"""16 caller processes on one database, claiming and recording for a bounded time.

Prints throughput, p50/p99 record latency (commit included, synchronous=FULL), and the proof:
0 double claims (replaying the audit log) and 0 lost outcomes (every attempt a process reported is
in the database exactly once, and no other).

    python benchmarks/bench_concurrency.py [--callers 16] [--seconds 10] [--tasks 50000]
"""

from __future__ import annotations

import argparse
import json
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

from callroom.config import load_config  # noqa: E402
from callroom.store import Store  # noqa: E402

WORKER = ROOT / "benchmarks" / "caller_process.py"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--callers", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--tasks", type=int, default=50_000)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        cfg = replace(load_config(), database=db)
        with Store(cfg, create=True) as store:
            rows = [{"phone": f"+86139{i:08d}"} for i in range(args.tasks)]
            store.add_batch("bench", rows, "bench")
        go = Path(tmp) / "go"
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(WORKER),
                    str(db),
                    f"caller{i}",
                    "--seconds",
                    str(args.seconds),
                    "--max",
                    str(args.tasks),
                    "--ready",
                    str(Path(tmp) / f"ready{i}"),
                    "--go",
                    str(go),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(args.callers)
        ]
        while not all((Path(tmp) / f"ready{i}").exists() for i in range(args.callers)):
            time.sleep(0.01)
        t0 = time.perf_counter()
        go.touch()
        results = [json.loads(p.communicate()[0]) for p in procs]
        elapsed = time.perf_counter() - t0

        latencies = sorted(x for r in results for x in r["latencies"])
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
        lost = sum((reported - written).values()) + sum((written - reported).values())
        errors = sum(len(r["errors"]) for r in results)

    total = len(latencies)
    print(f"callers {args.callers}, {args.seconds:.0f} s, {args.tasks} tasks, synchronous=FULL")
    print(f"recorded {total} outcomes in {elapsed:.1f} s: {total / elapsed:.0f} records/s")
    print(
        f"record latency p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {latencies[int(0.99 * (total - 1))]:.2f} ms, max {latencies[-1]:.2f} ms"
    )
    print(f"double claims {double_claims}, lost or extra outcomes {lost}, errors {errors}")
    return 0 if double_claims == 0 and lost == 0 and errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
