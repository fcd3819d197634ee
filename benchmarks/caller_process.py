"""One simulated caller as a real OS process: claim, record, repeat; report what it did.

Used by tests/test_concurrency.py (small and bounded) and benchmarks/bench_concurrency.py.
Usage: python caller_process.py DB OPERATOR (DB: a SQLite file or a postgresql:// URL) --seconds S --max N [--ready F --go F] [--sessions K]

Prints one JSON object: the task ids it claimed (claims), the ids it recorded (records), record
latencies in ms, and errors. With --sessions K it first opens K stores (K sessions) and claims
one card in each at the same moment, which is the sharpest test of exclusive claims.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import replace
from datetime import time as dtime
from pathlib import Path


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from callroom.config import load_config
    from callroom.store import Store, StoreError

    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("operator")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--max", type=int, default=1000)
    ap.add_argument("--go", default="")
    ap.add_argument("--ready", default="", help="file to create once the sessions are open")
    ap.add_argument("--sessions", type=int, default=0)
    ap.add_argument("--outcome", default="verified")
    ap.add_argument("--lease", type=int, default=0, help="lease seconds (default: config)")
    ap.add_argument("--think", type=float, default=0.0, help="seconds on each card (human pace)")
    ap.add_argument(
        "--floor", action="store_true", help="also time a bare one-row commit on each card"
    )
    ap.add_argument("--hold", action="store_true", help="claim one card, say so, then wait forever")
    args = ap.parse_args()

    # all hours: a load test must not depend on the wall clock's time of day
    cfg = replace(load_config(), hours_start=dtime.min, hours_end=dtime.max)
    if args.db.startswith(("postgresql://", "postgres://")):
        cfg = replace(cfg, database_url=args.db)
    else:
        cfg = replace(cfg, database=Path(args.db))
    if args.lease:
        cfg = replace(cfg, lease_seconds=args.lease)
    stores = [Store(cfg) for _ in range(max(1, args.sessions))]
    if args.hold:  # a caller whose terminal is about to be killed mid-card
        card = stores[0].next_card(args.operator)
        print(json.dumps({"held": card.id if card else None}), flush=True)
        while True:
            time.sleep(1)
    if args.ready:
        Path(args.ready).touch()
    if args.go:  # start barrier: every process claims at the same instant
        while not os.path.exists(args.go):
            time.sleep(0.001)

    claims: list[int] = []
    records: list[int] = []
    latencies: list[float] = []
    floor: list[float] = []  # the engine's own cost of one durable commit, at the same moment
    errors: list[str] = []
    # one simultaneous claim per session; each extra session claims under its own name, so the audit log shows who held what
    names = [args.operator] + [f"{args.operator}.{j}" for j in range(1, len(stores))]
    if args.sessions:
        for s, name in zip(stores, names, strict=True):
            card = s.next_card(name)
            if card is not None:
                claims.append(card.id)
    store = stores[0]
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline and len(records) < args.max:
        try:
            card = store.next_card(args.operator)
            if card is None:
                break
            if not args.sessions or card.id not in claims:
                claims.append(card.id)
            if args.think:  # the call itself: dial, script, answer
                time.sleep(args.think * (0.5 + random.random()))
            if args.floor:
                t0 = time.perf_counter()
                with store.transaction() as conn:
                    conn.execute("UPDATE tasks SET version = version WHERE id = ?", (card.id,))
                floor.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            store.record(card.id, args.outcome, args.operator)
            latencies.append((time.perf_counter() - t0) * 1000)
            records.append(card.id)
        except StoreError as exc:
            errors.append(str(exc))
    # hand back whatever the extra sessions still hold
    for s, name in zip(stores[1:], names[1:], strict=True):
        held = s.next_card(name)
        if held is not None:
            s.release(held.id, name, reason="quit")
    print(
        json.dumps(
            {
                "claims": claims,
                "records": records,
                "latencies": latencies,
                "errors": errors,
                "floor": floor,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
