"""Fill a store with N realistic tasks in lists of 10,000: shared by the keys and cold-start
benchmarks so both measure the same database."""

from __future__ import annotations

import sys
import time

from callroom.store import Store

PLACES = ("北京市朝阳区", "上海市浦东新区", "广州市白云区", "东莞市长安镇")
PER_LIST = 10_000


def fill_tasks(store: Store, tasks: int) -> None:
    started = time.perf_counter()
    for b in range(0, tasks, PER_LIST):
        rows = [
            {
                "phone": f"+86139{(b + i):08d}",
                "name": "王小明",
                "id_number": "44030419900101123X",
                "place": PLACES[i % len(PLACES)],
                "arrival": "2026-10-30 14:00",
                "address": f"福田区景田北路{i % 200}号",
                "flags": ["elderly"] if i % 50 == 0 else [],
                "extra": {"车牌号": f"粤B{i:05d}", "工作单位": "顺丰速运"},
            }
            for i in range(min(PER_LIST, tasks - b))
        ]
        store.add_batch(f"list{b // PER_LIST:02d}", rows, operator="bench")
    print(f"built {tasks:,} tasks in {time.perf_counter() - started:.1f} s", file=sys.stderr)
