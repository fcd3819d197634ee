"""The aging-score queue and the hash-chained audit log at 100,000 tasks: what a key press costs
in the database (claim, outcome + next claim, one event appended).

Fills a store with 100,000 outbound tasks (ten lists, flags on one in 50) and 2,000 inbound
cases over every group (a tenth urgent), so the queue holds a dozen (flags, group) classes. Then:
- next_card (claim) and release, N times: the queue's pick by aging score (the best task of each
  class from the tasks_aging index, compared in Python);
- record_and_next (the outcome, its audit event, the next claim: one transaction, one fsync);
- the audit event alone: chain.append (read the head, hash, insert) against the plain INSERT the
  log used before the chain, each inside its own transaction, same run.
Run: python benchmarks/bench_queue.py [--tasks 100000] [--n 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from task_fill import fill_tasks

from callroom import chain
from callroom.config import load_config
from callroom.inbound import desk
from callroom.store import Store

NOW = datetime(2026, 11, 2, 10, 0)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def show(label: str, ms: list[float]) -> None:
    print(f"  {label:<44} median {statistics.median(ms):6.2f} ms  p99 {pct(ms, 99):6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--n", type=int, default=2_000)
    args = parser.parse_args()
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = replace(load_config(), database=Path(tmp) / "bench.db")
        store = Store(cfg, clock=clock, create=True)
        fill_tasks(store, args.tasks)
        groups = [g.code for g in cfg.groups]
        started = time.perf_counter()
        for i in range(args.cases):
            clock.now = NOW - timedelta(minutes=args.cases - i)
            intake = desk.Intake(f"+86137{i:08d}", groups[i % len(groups)], urgent=i % 10 == 0)
            desk.take(store, intake, "desk", complete=False)
        clock.now = NOW
        print(f"{args.cases:,} inbound cases in {time.perf_counter() - started:.1f} s; "
              f"{len(store.queue_classes())} queue classes", file=sys.stderr)  # fmt: skip

        claim: list[float] = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            card = store.next_card("alice")
            claim.append((time.perf_counter() - t0) * 1000)
            assert card is not None
            store.release(card.id, "alice")
        record: list[float] = []
        card = store.next_card("alice")
        for i in range(args.n):
            clock.now += timedelta(seconds=5)
            t0 = time.perf_counter()
            _, card = store.record_and_next(card.id, ("busy", "no_answer")[i % 2], "alice")  # type: ignore[union-attr]
            record.append((time.perf_counter() - t0) * 1000)
            assert card is not None
        chained: list[float] = []
        plain: list[float] = []
        detail = json.dumps({"outcome": "busy", "state": "retry"})
        for _ in range(args.n):
            t0 = time.perf_counter()
            with store.transaction() as conn:
                chain.append(conn, "2026-11-02 10:00:00", "alice", "bench", 1, None, detail)
            chained.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            with store.transaction() as conn:
                # the log before the chain: one plain insert (its hash left for nobody to check)
                conn.execute(
                    "INSERT INTO events (at, operator, kind, task_id, batch_id, detail) "
                    "VALUES (?,?,?,?,?,?)",
                    ("2026-11-02 10:00:00", "alice", "bench_plain", 1, None, detail),
                )
            plain.append((time.perf_counter() - t0) * 1000)
        # the plain rows have no hash: the chain would be broken; the scratch database goes
        store.close()
    print(f"{args.tasks:,} tasks + {args.cases:,} cases, {args.n:,} samples each "
          f"(synchronous=FULL: every transaction an fsync)")  # fmt: skip
    show("next_card (claim by aging score)", claim)
    show("record_and_next (outcome + event + claim)", record)
    show("event appended with the chain (own txn)", chained)
    show("event as a plain INSERT (own txn, before)", plain)
    extra = statistics.median(chained) - statistics.median(plain)
    print(f"  the chain adds {extra:+.2f} ms (median) to a transaction that appends one event")


if __name__ == "__main__":
    main()
