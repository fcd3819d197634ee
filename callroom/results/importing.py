"""Import the health system's test-result exports, and match the open tasks against them.

    reports = import_results(store, [path, ...], ResultsOptions(...), operator, progress=None)

The path of one file is the list importer's (callroom/importer): the same reader (workbooks in a
child process, GBK csv, web-page ".xls"), header finder and column roles by header *and* cells,
with the results' own roles (callroom/results/roles.py) and rows (rows.py). Then:

    stage       every row staged in a private temporary database (no lock on the real one),
                deduplicated on (person, test time, site): a test in two exports is one result;
                each chunk meets the open tasks (read into memory once, while the reading
                process opens the workbook) as it is staged (match.OpenTasks)
    plan        the best test of each task met, with the results already known for it
                (match.decide); the new results' ids named before the lock is taken
    publish     one short transaction up to PUBLISH_ROWS results: the file, the new results,
                the matched tasks closed (re-checked inside the lock: still open, and who
                holds it), the audit events; all or nothing. A longer export: several
                transactions of ~LOCK_SECONDS, each with the tasks its results close, the lock
                left free between them, the file marked incomplete until the last (importing
                the same file again completes it: a test already held is never added twice)

Rejected rows (no valid ID number and no phone, no test time, ...) go to ``<file>.rejects.csv``
as the list importer's do.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from callroom.config import Config
from callroom.importer import (
    _count,
    _sha256,
    _spool_reject,
    _store_failed,
    _write_rejects,
    fold,
    header_label,
)
from callroom.importer.header import (
    SAMPLE_ROWS,
    HeaderGuess,
    Layout,
    Synonyms,
    filled,
    find_header,
    header_line,
    plan_sheet,
    resolve_mapping,
)
from callroom.importer.model import ImportFailed, ImportReport, Msg
from callroom.importer.read import check_regular, not_a_workbook
from callroom.importer.reader import SheetHead, open_reader
from callroom.results import OTHER, POSITIVE, match
from callroom.results.roles import RESULT_FIELDS, RESULTS_LIST
from callroom.results.rows import RESULT_RECORD, ResultRowReader
from callroom.store import Store, StoreError, fmt

STAGE = "results_stage"
# Staged results published in one transaction: all or nothing. ~0.25 s of write lock for 30,000
# results and the tasks they close; a longer export is published in several transactions of
# about LOCK_SECONDS each (benchmarks/README.md): 100,000 in one held the lock 0.8 s alone and
# made callers wait 2 s while they worked.
PUBLISH_ROWS = 50_000
LOCK_SECONDS = 0.45  # what one of a long file's publish transactions aims to hold the lock
MIN_PUBLISH_ROWS = 2_000
MAX_PUBLISH_ROWS = 100_000
YIELD_SECONDS = 0.15
_PERSON_SYNONYMS = ("phone", "name", "id_number", "ignore")  # of the config's [columns]

Progress = Callable[[Path, float, int], None]


@dataclass(frozen=True)
class ResultsOptions:
    mapping: dict[str, str] = field(default_factory=dict)  # header text or letter -> field
    sheet: str | None = None
    dry_run: bool = False


@dataclass
class ResultsReport(ImportReport):
    """One results file's outcome: the list importer's counts and the matching's."""

    file_id: int | None = None
    earlier: tuple[int, str] | None = None  # (id, imported_at) of the same file imported before
    new_results: int = 0  # results the database did not have
    known_results: int = 0  # results already known from an earlier export
    repeated: int = 0  # the same test twice in the file (or in another file of the command)
    positive: int = 0  # rows with a positive result (never used to close a task)
    unclear: int = 0  # result cells whose words are neither negative, positive nor pending
    # the matching, over every open task (the figures of the whole command, on its first file)
    matched: int = 0  # open tasks closed as already tested
    held: int = 0  # tasks on a caller's screen: her card offers to close them
    before: int = 0  # tasks whose person was tested only before arriving: still to call
    positive_tasks: int = 0  # tasks left open because the person's test since arriving is positive
    unclear_tasks: int = 0
    unmatched: int = 0  # results of this file that meet no open task

    def results_counts(self) -> dict[str, object]:
        """Stored with the file and in its audit event (no personal data)."""
        return {
            "rows_read": self.rows_read,
            "new": self.new_results,
            "known": self.known_results,
            "repeated": self.repeated,
            "rejected": dict(self.rejected),
            "positive": self.positive,
            "unmatched": self.unmatched,
        }


def import_results(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    options: ResultsOptions | None = None,
    operator: str = "",
    progress: Progress | None = None,
) -> list[ResultsReport]:
    """Import every results file of one command and match the open tasks: all or nothing."""
    options = options or ResultsOptions()
    config = store.config
    operator = operator or config.operator
    files = [Path(p) for p in paths]
    if not files:
        raise ImportFailed("no_files")
    for header, fld in options.mapping.items():
        if fld not in RESULT_FIELDS:
            raise ImportFailed(
                "map_field", header=header, field=fld, field_q=repr(fld),
                known=", ".join(RESULT_FIELDS),
            )  # fmt: skip
    for path in files:
        check_regular(path)
    hashes = [_sha256(p) for p in files]
    seen: dict[str, Path] = {}
    for path, digest in zip(files, hashes, strict=True):
        if digest in seen:
            raise ImportFailed("same_content", path=path, other=seen[digest])
        seen[digest] = path
    reports: list[ResultsReport] = []
    written: list[Path] = []
    published = keep = False
    try:
        with ExitStack() as stack:
            stage = stack.enter_context(_Stage(store))
            spools: list[IO[str]] = []
            used: set[str] = set()
            tasks = match.OpenTasks(store.conn, config.window_days)  # loaded on first use
            rows: list[match.Row] = []
            for index, (path, digest) in enumerate(zip(files, hashes, strict=True)):
                spool = stack.enter_context(
                    tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
                )
                spools.append(spool)
                reports.append(
                    _read_one(
                        store, stage, index, path, digest, options, progress, spool, used,
                        tasks, rows,
                    )
                )  # fmt: skip
            for key, fld in options.mapping.items():
                if key not in used:
                    raise ImportFailed(
                        "map_missing", header=key, field=fld, path=files[-1], header_q=repr(key)
                    )
            if not options.dry_run:
                for rep, spool in zip(reports, spools, strict=True):
                    if rep.rejected_total:
                        _write_rejects(rep, spool, store)
                        written.append(rep.rejects_path)  # type: ignore[arg-type]
            for index, rep in enumerate(reports):
                if stage.staged[index] == 0:
                    keep = True
                    raise _nothing_usable(rep)
            stage.identify(reports)
            seen_task = tasks.top
            del tasks  # its dictionaries: memory back before the publish
            rows += match.known_results_of(store.conn, {r[0] for r in rows}, config.window_days)
            chosen, found = match.decide(rows)
            _tell(reports, stage, found)
            if options.dry_run:
                reports[0].matched = len(chosen)
                return reports
            with match.Plan(store, STAGE) as plan, match.big_cache(store):
                plan.fill(chosen)
                done = stage.publish(reports, hashes, plan, operator)
            published = True
            store.refresh_statistics()  # PostgreSQL: the new results in the planner's figures
            reports[0].matched, reports[0].held = done.closed, done.held
    except StoreError as exc:
        raise ImportFailed(_store_failed(exc, store)) from None
    except sqlite3.Error as exc:
        raise ImportFailed(_store_failed(exc, store)) from None
    finally:
        if not keep and not published and not options.dry_run:
            for path in written:  # nothing was imported: its rejects file would mislead
                path.unlink(missing_ok=True)
            for rep in reports:
                rep.rejects_path = None
    # a list imported while this file was read was matched against the results known then:
    # its tasks meet this file's results now
    try:
        late = match.match_open_tasks(store, operator, since_task=seen_task)
    except (StoreError, sqlite3.Error):
        late = match.Outcome()  # the next import or `callroom results match` does it
    reports[0].matched += late.closed
    reports[0].held += late.held
    for row in incomplete_files(store):  # an earlier import cut short (a kill, a power cut)
        reports[0].warnings.append(Msg("results_incomplete", name=row["name"], id=row["id"]))
    return reports


def _tell(reports: list[ResultsReport], stage: _Stage, found: match.Outcome) -> None:
    first = reports[0]
    first.before, first.positive_tasks = found.before, found.positive
    first.unclear_tasks = found.unclear
    met = Counter(stage.file_of(seq) for source, seq in found.seen if source == "stage")
    for index, rep in enumerate(reports):
        rep.unmatched = stage.staged[index] - met[index]


def _nothing_usable(report: ResultsReport) -> ImportFailed:
    if report.rejects_path is not None:
        return ImportFailed(
            "results_nothing", path=report.file, rows=report.rows_read, rejects=report.rejects_path
        )
    return ImportFailed("nothing_callable_no_rows", path=report.file, skipped=report.not_data)


# -- reading -------------------------------------------------------------------------------------


def _synonyms(config: Config) -> Synonyms:
    """The config's [columns] hints for the person's columns (a list's arrival or place words
    say nothing about a results export)."""
    found = Synonyms(config)
    found.table = {k: v for k, v in found.table.items() if v in _PERSON_SYNONYMS}
    return found


def _read_one(
    store: Store, stage: _Stage, index: int, path: Path, digest: str, options: ResultsOptions,
    progress: Progress | None, spool: IO[str], used: set[str], tasks: match.OpenTasks,
    rows: list[match.Row],
) -> ResultsReport:  # fmt: skip
    """Read one file into the stage; the open tasks its results meet go into ``rows``."""
    config = store.config
    report = ResultsReport(file=path, batch_name=path.stem or path.name, dry_run=options.dry_run)
    earlier = store.conn.execute(
        "SELECT id, imported_at FROM result_files WHERE sha256 = ? ORDER BY id LIMIT 1", (digest,)
    ).fetchone()
    if earlier is not None:
        report.earlier = (earlier[0], earlier[1])
    synonyms = _synonyms(config)
    today = store.now().date()
    with open_reader(path, options.sheet, config, today, rows=ResultRowReader) as reader:
        tasks.load()  # while the reading process opens the workbook
        heads, warnings = reader.heads()
        report.warnings.extend(warnings)
        layouts = _plan(path, heads, options, synonyms, report, used)
        rejects = csv.writer(spool)
        for chunk in reader.read(layouts):
            rows.extend(tasks.meet(stage.add(index, chunk.records)))
            for rec in chunk.records:
                if rec[7] == POSITIVE:
                    report.positive += 1
                elif rec[7] == OTHER:
                    report.unclear += 1
            for rec in chunk.rejects:
                _spool_reject(rejects, rec, report, layouts[chunk.sheet])
            _count(report, chunk.tally)
            if progress is not None:
                progress(path, chunk.fraction, chunk.rows)
    report.repeated = stage.repeated[index]
    if report.rows_read == 0 and not report.not_data:
        where = ", ".join(f"{s or 'row'} {r}" for s, r in report.header_rows.items())
        raise ImportFailed("no_data", path=path, rows=where)
    if progress is not None:
        progress(path, 1.0, report.rows_read)
    return report


def _where(path: Path, head: SheetHead) -> str | Msg:
    return Msg("where_sheet", path=path, sheet=repr(head.name)) if head.name else str(path)


def _plan(
    path: Path, heads: list[SheetHead], options: ResultsOptions, synonyms: Synonyms,
    report: ResultsReport, used: set[str],
) -> list[Layout | None]:  # fmt: skip
    layouts: list[Layout | None] = []
    problems: list[Msg] = []
    for head in heads:
        layout, problem = _sheet(path, head, options, synonyms, used)
        layouts.append(layout)
        if problem is not None:
            problems.append(problem)
    if not any(layouts):
        if len(problems) == 1:
            raise not_a_workbook(path, problems[0]) or ImportFailed(problems[0])
        raise ImportFailed("results_no_sheet", path=path, problems=problems)
    for head, layout in zip(heads, layouts, strict=True):
        if layout is None:
            report.skipped_sheets.append(head.name)
            report.warnings.append(Msg("skipped", problem=Msg("results_not_sheet",
                                                              where=_where(path, head))))  # fmt: skip
            continue
        report.sheets.append(head.name)
        report.header_rows[head.name] = layout.header_row
        if layout.phone >= 0:
            report.columns.setdefault("phone", layout.label(layout.phone))
        for fld, col in layout.fields.items():
            if fld in RESULT_FIELDS:
                report.columns.setdefault(fld, layout.label(col))
    return layouts


def _sheet(
    path: Path, head: SheetHead, options: ResultsOptions, synonyms: Synonyms, used: set[str]
) -> tuple[Layout | None, Msg | None]:
    where = _where(path, head)
    if not any(filled(r) for r in head.rows):
        return None, Msg("sheet_empty", where=where)
    guess = find_header(head.rows, RESULTS_LIST, synonyms)
    forced, hit = resolve_mapping(options.mapping, guess.headers, head.first_col)
    used |= hit
    layout = plan_sheet(
        guess, _sample(head.rows, guess), head.first_col, synonyms, forced, RESULTS_LIST
    )
    if layout.doubt == "others_only" and "phone" not in forced.values():
        layout.phone = -1  # only somebody else's number (紧急联系人电话): not the person's
    shown = fold(header_line(layout.headers, head.first_col))
    if layout.phone < 0 and "id_number" not in layout.fields:
        return None, Msg(
            "results_no_person", where=where, header=header_label(layout.header_row),
            shown=shown,
        )  # fmt: skip
    if "test_time" not in layout.fields:
        return None, Msg(
            "results_no_time", where=where, header=header_label(layout.header_row), shown=shown
        )
    return layout, None


def _sample(rows: list[list[object]], guess: HeaderGuess) -> list[list[object]]:
    start = guess.row + 1 if guess.rows else 0
    return [r for r in rows[start:] if filled(r)][:SAMPLE_ROWS]


# -- staging and publishing ----------------------------------------------------------------------


class _Stage:
    """The results of one command, staged in a private database attached to the store's
    connection (``ATTACH ''``: gone when the connection closes or the process dies)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn
        self.staged: Counter[int] = Counter()  # file -> results staged (new to this command)
        self.ranges: dict[int, tuple[int, int]] = {}  # file -> (first seq, last seq)
        self.conn.execute(f"ATTACH DATABASE '' AS {STAGE}")
        try:
            # the cache holds a 100,000-row export with its index (~25 MiB) instead of spilling
            # to a temporary file; SQLite takes pages as it needs them
            for pragma in ("journal_mode = OFF", "cache_size = -65536", "synchronous = OFF"):
                self.conn.execute(f"PRAGMA {STAGE}.{pragma}").fetchall()
            columns = ", ".join(f"{c} TEXT NOT NULL" for c in RESULT_RECORD)
            self.conn.execute(
                f"CREATE TABLE {STAGE}.rows (seq INTEGER PRIMARY KEY, file INTEGER NOT NULL, "
                f"{columns}, known INTEGER)"
            )
        except BaseException:
            self.close()
            raise
        marks = ", ".join("?" * len(RESULT_RECORD))
        self._insert = (
            f"INSERT INTO {STAGE}.rows (seq, file, {', '.join(RESULT_RECORD)}) "
            f"VALUES (?, ?, {marks})"
        )
        self.keys: set[int] = set()  # the tests staged, by the hash of their key
        self.last = 0  # the last seq staged
        self.base = 0  # a new result's id is base + its seq
        self.repeated: Counter[int] = Counter()  # file -> rows repeating a staged test

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        with suppress(sqlite3.Error):
            self.conn.execute(f"DETACH DATABASE {STAGE}")

    def __enter__(self) -> _Stage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, file: int, records: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Stage a chunk of one file's records, each test once: returns the staged ones as
        (seq, id_number, phone, tested_at, result), for the matching. The key of a test is
        kept as its 64-bit hash (a false repeat: about 1 in 10^10 for an export of 1,000,000)."""
        seen, kept, staged = self.keys, [], []
        seq = self.last
        for rec in records:
            key = hash((rec[1], rec[5], rec[6]))
            if key in seen:
                continue
            seen.add(key)
            seq += 1
            kept.append((seq, file, *rec))
            staged.append((seq, rec[2], rec[3], rec[5], rec[7]))
        if kept:
            self.conn.execute("BEGIN")  # the staging database only
            try:
                self.conn.executemany(self._insert, kept)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            first = self.ranges.get(file, (self.last + 1, 0))[0]
            self.ranges[file] = (first, seq)
            self.last = seq
        self.staged[file] += len(kept)
        self.repeated[file] += len(records) - len(kept)
        return staged

    def file_of(self, seq: int) -> int:
        return next((f for f, (a, b) in self.ranges.items() if a <= seq <= b), -1)

    def identify(self, reports: list[ResultsReport] | None = None) -> None:
        """Which staged results the database has already (an earlier export): their ids; the
        new ones will take ids after the last one now (``base`` + their row), so that the plan
        names them before the lock is taken."""
        self.conn.execute(
            f"UPDATE {STAGE}.rows SET known = (SELECT r.id FROM main.results r WHERE "
            "r.person = rows.person AND r.tested_at = rows.tested_at AND r.site = rows.site)"
        )
        self.base = self.conn.execute("SELECT coalesce(max(id), 0) FROM main.results").fetchone()[0]
        for index, rep in enumerate(reports or []):
            rep.known_results = self.conn.execute(
                f"SELECT count(*) FROM {STAGE}.rows WHERE file = ? AND known IS NOT NULL", (index,)
            ).fetchone()[0]
            rep.new_results = self.staged[index] - rep.known_results

    def _rebase(self, start: int, plan: match.Plan) -> None:
        """Inside the lock: another import added results since ``base`` was read: the ids of the
        rows from ``start`` on begin after its."""
        current = self.conn.execute("SELECT coalesce(max(id), 0) FROM main.results").fetchone()[0]
        if current > self.base + start - 1:
            if start == 1:
                self.identify()  # it may have added some of these very tests
            self.base = current
        plan.base = self.base

    def publish(
        self, reports: list[ResultsReport], hashes: list[str], plan: match.Plan, operator: str
    ) -> match.Outcome:
        """The files, their results and the tasks they close: one transaction up to
        PUBLISH_ROWS staged results (all or nothing), else several of about LOCK_SECONDS each,
        each with the matches its results make, the lock left free between them."""
        store, last = self.store, self.last
        done = match.Outcome()
        ids: list[int] = []
        # PostgreSQL: one transaction whatever the length (row locks only, callers go on)
        one = store.engine == "postgres"
        start, size, applied = 1, max(last, 1) if one else PUBLISH_ROWS, 0
        several = not one and last > PUBLISH_ROWS
        # The chunks of a long file commit without waiting for the disk (synchronous=NORMAL:
        # each is still all or nothing; a power cut may lose the last ones, and the file says
        # "incomplete" until its last chunk, which commits with FULL and so makes the earlier
        # ones durable too; importing the same file again completes it).
        if several:
            self.conn.execute("PRAGMA main.synchronous = NORMAL")
        try:
            while True:
                end = min(start + size - 1, last)
                final = end >= last
                if several and final:
                    self.conn.execute("PRAGMA main.synchronous = FULL")
                began = time.monotonic()
                with store.transaction():
                    if not ids:
                        ids = self._files(reports, hashes, operator, incomplete=not final)
                    self._rebase(start, plan)
                    self._results(ids, reports, start, end)
                    upto = plan.rows
                    if not final:  # the plan rows whose results are in by now
                        upto = self.conn.execute(
                            f"SELECT coalesce(max(n), 0) FROM {match.PLAN}.plan "
                            "WHERE source = 'main' OR ref <= ?",
                            (end,),
                        ).fetchone()[0]
                    if upto > applied:
                        done.add(plan.apply(operator, applied + 1, upto))
                        applied = upto
                    if final:
                        self._finish(ids, reports, operator)
                if final:
                    return done
                held = max(time.monotonic() - began, 0.001)
                size = max(MIN_PUBLISH_ROWS, min(MAX_PUBLISH_ROWS, int(size * LOCK_SECONDS / held)))
                left = last - end
                size = -(-left // -(-left // size))  # even chunks: no small one at the end
                start = end + 1
                # a caller that waited for this transaction sleeps in SQLite's busy handler:
                # leave it the lock, or it waits for the next one too (importer/stage.py)
                time.sleep(YIELD_SECONDS)
        finally:
            self.conn.execute("PRAGMA main.synchronous = FULL")

    def _files(
        self, reports: list[ResultsReport], hashes: list[str], operator: str, incomplete: bool
    ) -> list[int]:
        now = fmt(self.store.now())
        ids = []
        for rep, digest in zip(reports, hashes, strict=True):
            counts = json.dumps({"incomplete": True} if incomplete else {})
            cur = self.conn.execute(
                "INSERT INTO result_files (name, sha256, imported_by, imported_at, counts) "
                "VALUES (?, ?, ?, ?, ?)",
                (rep.file.name, digest, operator, now, counts),
            )
            rep.file_id = int(cur.lastrowid or 0)
            ids.append(rep.file_id)
        return ids

    def _results(self, ids: list[int], reports: list[ResultsReport], start: int, end: int) -> None:
        columns = ", ".join(c for c in RESULT_RECORD)
        for index, file_id in enumerate(ids):
            cur = self.conn.execute(
                f"INSERT INTO main.results (id, file_id, {columns}) SELECT ? + seq, ?, "
                f"{columns} FROM {STAGE}.rows WHERE file = ? AND seq BETWEEN ? AND ? "
                "AND known IS NULL ORDER BY seq ON CONFLICT DO NOTHING",
                (self.base, file_id, index, start, end),
            )
            rep = reports[index]
            if start == 1:
                rep.new_results = 0
            rep.new_results += max(cur.rowcount, 0)
            rep.known_results = self.staged[index] - rep.new_results

    def _finish(self, ids: list[int], reports: list[ResultsReport], operator: str) -> None:
        """The files' counts (and no longer "incomplete"), the audit events."""
        for rep, file_id in zip(reports, ids, strict=True):
            counts = rep.results_counts()
            self.conn.execute(
                "UPDATE result_files SET counts = ? WHERE id = ?", (json.dumps(counts), file_id)
            )
            self.store.add_event("results_import", operator, detail={"file": file_id, **counts})
            # the same file cut short before is complete now: all of its tests are held
            digest = self.conn.execute(
                "SELECT sha256 FROM result_files WHERE id = ?", (file_id,)
            ).fetchone()[0]
            self.conn.execute(
                "UPDATE result_files SET counts = json_set(counts, '$.incomplete', json('false'), "
                "'$.completed_by', ?) WHERE sha256 = ? AND json_extract(counts, '$.incomplete') = 1",
                (file_id, digest),
            )


def incomplete_files(store: Store) -> list[Any]:
    """Results files whose publishing was cut short (run the same file again to complete)."""
    return store.conn.execute(
        "SELECT id, name FROM result_files WHERE json_extract(counts, '$.incomplete') = 1 "
        "ORDER BY id"
    ).fetchall()
