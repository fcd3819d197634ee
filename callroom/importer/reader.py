"""Read a list file: first the top of every sheet (to find headers and roles), then its rows as
finished records, a chunk at a time.

Workbooks are read in a child process (fork), for two reasons:

- python-calamine aborts the whole process (a Rust allocation failure, SIGABRT) on a sheet that
  declares or spans billions of cells; no ``except`` catches that. In a child, under a memory
  limit, it becomes a clear message naming the file and the sheet.
- Reading and normalising (the child) overlap with staging the records (the parent): on two
  cores a 100,000-row list imports in about the time of either half.

The protocol is three messages: the child sends the sheets' heads, the parent answers with a
layout per sheet (after asking a person if it must), the child streams chunks until done.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

from callroom.config import Config
from callroom.importer.header import HEAD_ROWS, HEADER_SCAN_ROWS, Layout
from callroom.importer.model import ImportFailed, Reject
from callroom.importer.read import Sheet, fill_merged, open_sheets
from callroom.importer.rows import RowReader, Tally

CHUNK_ROWS = 2000  # rows of the list per chunk: the unit of streaming and of staging
HEAD_CELLS = 1_000_000  # cells handed over per sheet before the layout is known (wide sheets)
READ_IN_CHILD = True  # tests turn it off to check the in-process path too
MEMORY_EXIT = 75  # the child's exit code when Python itself ran out of memory
# Sheets that come with templates and are never a list: skipped with one line.
HELPER_SHEET = re.compile(
    r"填写说明|说明|须知|字典|数据字典|下拉|选项|参数|代码表|枚举|示例|样例|模板说明|"
    r"instruction|readme|help|dictionary|lookup|codes?$|options|example|sample",
    re.IGNORECASE,
)


@dataclass
class SheetHead:
    """The top of one sheet, as the header finder and the role scorer see it."""

    index: int
    name: str
    first_col: int
    total: int | None
    rows: list[list[object]]
    helper: bool = False  # named like an instructions or dictionary sheet


@dataclass
class Chunk:
    sheet: int  # index into the heads
    records: list[tuple[Any, ...]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    fraction: float = 0.0  # of the whole file read so far
    rows: int = 0  # data rows read so far in the file


class ListReader:
    """Reads one file in this process. ``opening(name)`` hears of each sheet before it is
    parsed (the child passes it on, so a crash can name the sheet)."""

    def __init__(
        self,
        path: Path,
        only: str | None,
        config: Config,
        today: date,
        urgent: bool = False,
        opening: Callable[[str], None] | None = None,
        rows: type[RowReader] = RowReader,
    ) -> None:
        self.path, self.only, self.config = path, only, config
        self.today, self.urgent, self.opening = today, urgent, opening
        self.row_reader = rows  # another kind of list (results, a roster) brings its own
        self.sheets: list[Sheet] = []
        self.heads_: list[SheetHead] = []

    def heads(self) -> tuple[list[SheetHead], list[str]]:
        sheets, warnings = open_sheets(self.path, self.only, self.opening)
        self.sheets = sheets
        heads = []
        for i, sheet in enumerate(sheets):
            rows: list[list[object]] = []
            width = 0
            for row in sheet.rows:
                rows.append(row)
                width = max(width, len(row))
                limit = max(HEADER_SCAN_ROWS + 5, min(HEAD_ROWS, HEAD_CELLS // max(width, 1)))
                if len(rows) >= limit:
                    break
            helper = bool(sheet.name) and bool(HELPER_SHEET.search(sheet.name)) and not self.only
            heads.append(SheetHead(i, sheet.name, sheet.first_col, sheet.total, rows, helper))
        self.heads_ = heads
        return heads, warnings

    def read(self, layouts: list[Layout | None]) -> Iterator[Chunk]:
        count = len(self.sheets)
        done_rows = 0
        for i, (sheet, head, layout) in enumerate(
            zip(self.sheets, self.heads_, layouts, strict=True)
        ):
            if layout is None:
                sheet.rows = iter(())  # let calamine's copy of it go
                continue
            tally = Tally()
            reader = self.row_reader(
                layout, self.config, sheet.name, self.today, self.urgent, tally
            )
            start = layout.header_row  # rows before and including the header are not data
            number = start
            rows = chain(islice(head.rows, start, None), sheet.rows)
            if sheet.merged:
                rows = fill_merged(rows, start, sheet.merged, sheet.first_col)
            while batch := list(islice(rows, CHUNK_ROWS)):
                chunk = Chunk(i)
                for got in reader.read_many(batch, number + 1):
                    if got is not None:
                        if isinstance(got, Reject):
                            chunk.rejects.append(got)
                        else:
                            chunk.records.append(got)
                number += len(batch)
                yield self._close(chunk, reader, sheet, i, count, number, done_rows)
                done_rows = chunk.rows
            if number == start:  # a header without rows: the summary still names the sheet
                yield self._close(Chunk(i), reader, sheet, i, count, number, done_rows)
            head.rows = []

    @staticmethod
    def _close(
        chunk: Chunk, reader: RowReader, sheet: Sheet, index: int, count: int, number: int,
        before: int,
    ) -> Chunk:  # fmt: skip
        chunk.tally, reader.tally = reader.tally, Tally()
        chunk.rows = before + chunk.tally.rows_read
        if sheet.position is not None:
            within = sheet.position()
        elif sheet.total:
            within = min(number / sheet.total, 1.0)
        else:
            within = 0.0
        chunk.fraction = (index + within) / count
        return chunk


# -- the child process ----------------------------------------------------------------------------


class ChildReader:
    """A ListReader in a forked child: the same heads() and read(), through a pipe."""

    def __init__(
        self, path: Path, only: str | None, config: Config, today: date, urgent: bool = False,
        rows: type[RowReader] = RowReader,
    ) -> None:  # fmt: skip
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.path = path
        self.sheet = ""  # the sheet the child is opening: named when it dies on it
        self.conn, theirs = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=_child_main,
            args=(theirs, self.conn, path, only, config, today, urgent, rows),
            daemon=True,
        )  # fmt: skip
        self.proc.start()
        theirs.close()

    def heads(self) -> tuple[list[SheetHead], list[str]]:
        msg = self._recv()
        return msg[1], msg[2]

    def read(self, layouts: list[Layout | None]) -> Iterator[Chunk]:
        self.conn.send(("read", layouts))
        while True:
            msg = self._recv()
            if msg[0] == "done":
                return
            yield msg[1]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.kill()
        self.proc.join(timeout=5)

    def _recv(self) -> tuple[Any, ...]:
        while True:
            try:
                msg = self.conn.recv()
            except (EOFError, OSError):
                raise self._died() from None
            if msg[0] == "opening":
                self.sheet = msg[1]
                continue
            if msg[0] == "failed":
                raise msg[1]
            return msg

    def _died(self) -> ImportFailed:
        self.proc.join(timeout=10)
        code = self.proc.exitcode
        where = repr(self.sheet) if self.sheet else "?"
        if code == MEMORY_EXIT or code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
            return ImportFailed("reader_memory", path=self.path, sheet=where)
        return ImportFailed("reader_died", path=self.path, sheet=where, code=code)


def _child_main(
    conn: Any, parents: Any, path: Path, only: str | None, config: Config, today: date,
    urgent: bool, rows: type[RowReader],
) -> None:  # fmt: skip
    # The parent's end of the pipe came along with the fork: closed, so that the pipe reports
    # the parent's death (EOF) instead of keeping this process waiting for ever.
    parents.close()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    _quiet_stderr()
    _limit_memory()
    reader = ListReader(
        path, only, config, today, urgent, lambda n: conn.send(("opening", n)), rows
    )
    try:
        heads, warnings = reader.heads()
        conn.send(("heads", heads, warnings))
        msg = conn.recv()
        if msg[0] != "read":
            return
        for chunk in reader.read(msg[1]):
            conn.send(("chunk", chunk))
        conn.send(("done",))
    except ImportFailed as exc:
        with contextlib.suppress(OSError):
            conn.send(("failed", exc))
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except (EOFError, OSError):
        pass  # the parent went away
    except Exception as exc:
        # never the message: it may quote a cell. The type and place are enough to report it.
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        place = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
        with contextlib.suppress(OSError):
            conn.send(
                ("failed", ImportFailed("reader_error", path=path, kind=type(exc).__name__,
                                        place=place))
            )  # fmt: skip


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the parent dies (even while calamine is busy)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _quiet_stderr() -> None:
    """calamine prints a Rust backtrace when it aborts: not for a caller's terminal (nor
    Python's fault handler, which a test runner may have turned on)."""
    import faulthandler

    faulthandler.disable()
    with contextlib.suppress(OSError):
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 2)
        os.close(fd)


def _limit_memory() -> None:
    """A sane ceiling on the child's memory: half the machine's RAM, at most 8 GiB more than it
    uses now (a 1,000,000-row list needs under 1 GiB)."""
    try:
        import resource

        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        budget = max(1 << 30, min(total // 2, 8 << 30))
        with open("/proc/self/status") as f:
            size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + budget
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or limit < soft:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, StopIteration):
        pass


@contextlib.contextmanager
def open_reader(
    path: Path, only: str | None, config: Config, today: date, urgent: bool = False,
    rows: type[RowReader] = RowReader,
) -> Iterator[ListReader | ChildReader]:  # fmt: skip
    """The file's reader: in a child process where the platform can fork, else in this one.
    ``rows`` reads one sheet's rows by its layout (the call list's RowReader by default)."""
    if READ_IN_CHILD and hasattr(os, "fork"):
        child = ChildReader(path, only, config, today, urgent, rows)
        try:
            yield child
        finally:
            child.close()
    else:
        yield ListReader(path, only, config, today, urgent, rows=rows)
