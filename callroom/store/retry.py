"""Retrying a writer on PostgreSQL after a lock wait, deadlock or serialisation failure."""

from __future__ import annotations

import functools
import random
import time as _time
from collections.abc import Callable
from typing import Any

from callroom.db_errors import (
    StoreBusy,
)


class _Retry(StoreBusy):
    """PostgreSQL: a lock wait, deadlock or serialisation failure; the writer runs again."""


def _retried(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a writer again after _Retry (PostgreSQL), until the store's busy deadline.

    Each writer is one transaction, so running it again is safe; inside another transaction
    the retry is the outer writer's.
    """

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.engine != "postgres" or self.conn.in_transaction:
            return method(self, *args, **kwargs)
        deadline = _time.monotonic() + self.busy_deadline
        delay = 0.002
        while True:
            try:
                return method(self, *args, **kwargs)
            except _Retry:
                if _time.monotonic() > deadline:
                    raise StoreBusy("store.busy", seconds=round(self.busy_deadline)) from None
                _time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.1)

    return run
