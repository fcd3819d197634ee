"""Import the district's lists: read, find the header and what each column holds, normalise,
deduplicate, publish.

Public API (used by the CLI, the demo and the tests)::

    reports = import_files(store, [path, ...], ImportOptions(...), operator, progress=None,
                           ask=None)

The path of one file:

    read.py     refuse what is not a list (FIFO, web page, PDF, a sheet of billions of cells)
    reader.py   read it (workbooks in a child process), the top of each sheet first
    header.py   find each sheet's header (title rows, banner rows, two-row headers, none at all)
    roles.py    what each column holds, by its header words *and* its cells; whose number it is
    ask         when the resident's number is not sure: ask a person (``ask``), or refuse and
                print the exact --map; a confirmed layout is remembered (layouts.py)
    rows.py     each row -> a record, a rejected row with its reason, or "not data"
    stage.py    staged out of the callers' way, merged by phone; then published in one short
                transaction that links, auto-resolves and inserts: all or nothing

Rejected rows go to ``<file>.rejects.csv`` (beside the list, else beside the database, else in
the temp folder), written before the list is published. A file with no callable row is an error.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from callroom.config import Config
from callroom.importer.header import (
    HEADER_SCAN_ROWS,
    MAP_FIELDS,
    SAMPLE_ROWS,
    HeaderGuess,
    Layout,
    Synonyms,
    column_letter,
    filled,
    find_header,
    header_line,
    letter_index,
    plan_sheet,
    resolve_mapping,
    signature,
)
from callroom.importer.layouts import Remembered, by_signature
from callroom.importer.model import (
    ImportFailed,
    ImportOptions,
    ImportReport,
    Msg,
    Question,
    Reject,
    reject_reason,
)
from callroom.importer.read import check_regular, not_a_workbook, unreadable
from callroom.importer.reader import SheetHead, open_reader
from callroom.importer.roles import CALL_LIST, norm_header
from callroom.importer.rows import Tally
from callroom.importer.stage import Job, Stage, incomplete_batches
from callroom.store import Store, StoreError

__all__ = [
    "ImportFailed",
    "ImportOptions",
    "ImportReport",
    "Question",
    "Reject",
    "import_files",
]

Progress = Callable[[Path, float, int], None]  # file, fraction done (0..1), rows read so far
Ask = Callable[[Question], int | None]  # the column (index) a person chose; None: stop
KEPT_REJECTS = 200  # shown in the summary; all of them go to the rejects file
NAME_MAX = 200  # bytes of a rejects file's name: the file system allows 255, its temp name more


def import_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    options: ImportOptions | None = None,
    operator: str = "",
    progress: Progress | None = None,
    ask: Ask | None = None,
) -> list[ImportReport]:
    """Import every file of one command, all or nothing. ``ask`` is called when a sheet's
    phone column is not sure; without it such a list is refused with the --map to give."""
    options = options or ImportOptions()
    config = store.config
    operator = operator or config.operator
    files = [Path(p) for p in paths]
    if not files:
        raise ImportFailed("no_files")
    _check_options(options, config)
    for path in files:
        check_regular(path)  # before anything opens it: a FIFO would block, /dev/zero never end
    hashes = [_sha256(p) for p in files]
    seen: dict[str, Path] = {}
    for path, digest in zip(files, hashes, strict=True):
        if digest in seen:
            raise ImportFailed("same_content", path=path, other=seen[digest])
        seen[digest] = path
    remembered = by_signature(store)
    cut_short = [
        Msg("incomplete_batch", id=r["id"], name=r["name"], tasks=r["tasks"], file=r["source_file"])
        for r in incomplete_batches(store)
    ]
    jobs: list[Job] = []
    written: list[Path] = []
    keep = published = False
    try:
        with ExitStack() as stack:
            stage = stack.enter_context(Stage(store))
            spools: list[IO[str]] = []
            used: set[str] = set()
            for index, (path, digest) in enumerate(zip(files, hashes, strict=True)):
                spool = stack.enter_context(
                    tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
                )
                spools.append(spool)
                job = _read_one(
                    stage, index, path, digest, options, operator, progress, ask, spool,
                    remembered, used,
                )  # fmt: skip
                jobs.append(job)
            for key, fld in options.mapping.items():
                if key not in used:
                    raise ImportFailed(
                        "map_missing", header=key, field=fld, path=files[-1], header_q=repr(key)
                    )
            if not options.dry_run:  # before the list counts as imported, wherever it works
                for job, spool in zip(jobs, spools, strict=True):
                    if job.report.rejected_total:
                        _write_rejects(job.report, spool, store)
                        written.append(job.report.rejects_path)  # type: ignore[arg-type]
            for index, job in enumerate(jobs):
                if stage.staged[index] == 0:
                    keep = True
                    raise _nothing_callable(job.report)
            if options.dry_run:
                stage.dry_run(jobs, operator)
                _preview_results(store, jobs)
            else:
                stage.publish(jobs, operator)
                published = True
                _match_results(store, jobs, operator)
                store.refresh_statistics()  # PostgreSQL: the new list in the planner's figures
    except StoreError as exc:
        raise ImportFailed(_store_failed(exc, store)) from None
    except sqlite3.Error as exc:
        raise ImportFailed(_store_failed(exc, store)) from None
    finally:
        if not keep and not published:
            for path in written:  # the import did not happen: its rejects file would mislead
                path.unlink(missing_ok=True)
            for job in jobs:
                job.report.rejects_path = None
                if not options.dry_run:
                    job.report.batch_id = None
    for job in jobs:
        for entry in job.layouts:
            if "id" in entry:
                job.report.layouts_saved.append(entry["id"])
        job.report.warnings.extend(cut_short)
    return [job.report for job in jobs]


def _match_results(store: Store, jobs: list[Job], operator: str) -> None:
    """The test results already known close the new tasks of people tested since arriving
    (callroom/results). The list is in whatever happens: a failure here is said, and the next
    results import or `callroom results match` does it."""
    from callroom.results.match import match_open_tasks

    for job in jobs:
        if job.report.batch_id is None:
            continue
        try:
            found = match_open_tasks(store, operator, [job.report.batch_id])
        except (StoreError, sqlite3.Error):
            job.report.warnings.append(Msg("results_match_later"))
            continue
        job.report.matched_by_results = found.closed + found.held


def _preview_results(store: Store, jobs: list[Job]) -> None:
    """--dry-run: how many new tasks the test results already held would close, as the real
    import would say (read-only, from the staged rows)."""
    from datetime import timedelta

    from callroom.importer.stage import STAGE
    from callroom.results.match import preview_staged
    from callroom.store import fmt

    config = store.config
    now = store.now()
    cutoff = fmt(now - timedelta(days=config.dedup_days)) if config.dedup_days else None
    verified = {o.code for o in config.outcomes if o.verified}
    for file, job in enumerate(jobs):
        job.report.matched_by_results = preview_staged(
            store, STAGE, file, fmt(now) or "", cutoff, verified
        )


def _check_options(options: ImportOptions, config: Config) -> None:
    for header, fld in options.mapping.items():
        if fld not in MAP_FIELDS:
            raise ImportFailed(
                "map_field",
                header=header,
                field=fld,
                field_q=repr(fld),
                known=", ".join(MAP_FIELDS),
            )
        if not norm_header(header):
            raise ImportFailed("map_empty", header=header, field=fld)
    if options.priority not in (None, "", "urgent", "normal"):
        raise ImportFailed("priority", value=options.priority)
    if options.script:
        from callroom.scripts import ScriptError, find_script

        try:
            find_script(options.script, config.scripts_folder)
        except ScriptError as exc:
            raise ImportFailed("script", detail=str(exc)) from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise unreadable(path, exc) from None
    return digest.hexdigest()


def _read_one(
    stage: Stage,
    index: int,
    path: Path,
    digest: str,
    options: ImportOptions,
    operator: str,
    progress: Progress | None,
    ask: Ask | None,
    spool: IO[str],
    remembered: dict[str, Remembered],
    used: set[str],
) -> Job:
    store = stage.store
    config = store.config
    name = (options.batch_name or path.stem).strip() or path.name
    report = ImportReport(file=path, batch_name=name, dry_run=options.dry_run)
    if not options.again:
        earlier = store.conn.execute(
            "SELECT id, name, imported_at FROM batches WHERE sha256 = ? ORDER BY id LIMIT 1",
            (digest,),
        ).fetchone()
        if earlier is not None:
            raise ImportFailed(
                "already", path=path, id=earlier["id"], name=earlier["name"],
                at=earlier["imported_at"],
            )  # fmt: skip
    job = Job(
        report, digest, name, path.name, options.script or config.default_script,
        options.deadline, options.again,
    )  # fmt: skip
    planner = _Planner(config, path, options, remembered, ask, job, used)
    today = store.now().date()
    with open_reader(path, options.sheet, config, today, options.priority == "urgent") as reader:
        heads, warnings = reader.heads()
        report.warnings.extend(warnings)
        layouts = planner.plan(heads)
        rejects = csv.writer(spool)
        for chunk in reader.read(layouts):
            report.merged += stage.add(index, chunk.records)
            for rec in chunk.rejects:
                _spool_reject(rejects, rec, report, layouts[chunk.sheet])
            _count(report, chunk.tally)
            if progress is not None:
                progress(path, chunk.fraction, chunk.rows)
    if report.rows_read == 0 and not report.not_data:
        rows = ", ".join(f"{s or 'row'} {r}" for s, r in report.header_rows.items())
        raise ImportFailed("no_data", path=path, rows=rows)
    if progress is not None:
        progress(path, 1.0, report.rows_read)
    return job


class _Planner:
    """The layout of each sheet of one file: header, roles, a question when unsure, memory."""

    def __init__(
        self, config: Config, path: Path, options: ImportOptions,
        remembered: dict[str, Remembered], ask: Ask | None, job: Job, used: set[str],
    ) -> None:  # fmt: skip
        self.config, self.path, self.options = config, path, options
        self.remembered, self.ask, self.job, self.used = remembered, ask, job, used
        self.synonyms = Synonyms(config)

    def plan(self, heads: list[SheetHead]) -> list[Layout | None]:
        report = self.job.report
        layouts: list[Layout | None] = []
        problems: list[tuple[SheetHead, Msg]] = []
        for head in heads:
            layout, problem = self._sheet(head)
            layouts.append(layout)
            if problem is not None:
                problems.append((head, problem))
        found = [h for h, lay in zip(heads, layouts, strict=True) if lay is not None]
        helpers = [h for h in found if h.helper]
        if helpers and len(helpers) < len(found):
            for head in helpers:  # a 填写说明 sheet with a sample number in it is no list
                layouts[head.index] = None
                problems.append((head, Msg("helper_sheet", where=self._where(head))))
        if not any(layouts):
            msgs = [p for _, p in problems]
            if len(msgs) == 1:
                raise not_a_workbook(self.path, msgs[0]) or ImportFailed(msgs[0])
            raise ImportFailed("no_list", path=self.path, problems=msgs)
        for head, problem in problems:  # one short line each: the list is elsewhere
            report.skipped_sheets.append(head.name)
            if problem.key in ("no_phone_column", "no_header"):
                where = self._where(head)
                problem = Msg("helper_sheet" if head.helper else "sheet_no_list", where=where)
            report.warnings.append(Msg("skipped", problem=problem))
        for head, layout in zip(heads, layouts, strict=True):
            if layout is not None:
                _describe(report, head, layout)
        return layouts

    def _where(self, head: SheetHead) -> str | Msg:
        if head.name:
            return Msg("where_sheet", path=self.path, sheet=repr(head.name))
        return str(self.path)

    def _sheet(self, head: SheetHead) -> tuple[Layout | None, Msg | None]:
        where = self._where(head)
        if not any(filled(r) for r in head.rows):
            return None, Msg("sheet_empty", where=where)
        guess = find_header(head.rows, CALL_LIST, self.synonyms)
        forced, used = resolve_mapping(self.options.mapping, guess.headers, head.first_col)
        self.used |= used
        remembered = None
        sig = signature([h.norm for h in guess.headers]) if guess.rows else ""
        if sig and sig in self.remembered and "phone" not in forced.values():
            remembered = self.remembered[sig]
            for letter, fld in remembered.mapping.items():
                col = letter_index(letter)
                if col is not None and 0 <= col - head.first_col < len(guess.headers):
                    forced.setdefault(col - head.first_col, fld)
        sample = _sample(head.rows, guess)
        layout = plan_sheet(guess, sample, head.first_col, self.synonyms, forced)
        if layout.phone < 0:
            return None, _no_phone(where, head, guess, layout)
        source = "map" if used else ""
        if layout.doubt and "phone" not in forced.values():
            question = Question(
                self.path, head.name, layout.doubt, tuple(layout.candidates),
                tuple(header_line(layout.headers, head.first_col)), layout.header_row,
                head.first_col,
            )  # fmt: skip
            if self.ask is None:
                raise ImportFailed(_unclear(where, question))
            choice = self.ask(question)
            if choice is None:
                raise ImportFailed("not_confirmed", where=where)
            forced = {c: f for c, f in forced.items() if f != "phone"}
            forced[choice] = "phone"
            layout = plan_sheet(guess, sample, head.first_col, self.synonyms, forced)
            source = "confirmed"
        if source and sig and not self.options.dry_run:
            mapping = {column_letter(head.first_col + c): f for c, f in forced.items()}
            self.job.layouts.append(
                {"signature": sig, "headers": list(layout.headers), "mapping": mapping,
                 "source": source}
            )  # fmt: skip
        elif remembered is not None:
            layout.layout_id = remembered.id
            self.job.report.layouts_used.append(remembered.id)
            if not self.options.dry_run:
                self.job.layouts.append({"used": remembered.id})
        return layout, None


def _sample(rows: list[list[object]], guess: HeaderGuess) -> list[list[object]]:
    start = guess.row + 1 if guess.rows else 0
    return [r for r in rows[start:] if filled(r)][:SAMPLE_ROWS]


def _describe(report: ImportReport, head: SheetHead, layout: Layout) -> None:
    report.sheets.append(head.name)
    report.header_rows[head.name] = layout.header_row
    report.columns.setdefault("phone", layout.headers[layout.phone] or layout.label(layout.phone))
    for fld, col in layout.fields.items():
        report.columns.setdefault(fld, layout.headers[col] or layout.label(col))
    for _, label in layout.extras:
        if label not in report.extra_columns:
            report.extra_columns.append(label)
    if layout.shared_phones:
        columns = ", ".join(layout.label(c) for c in layout.shared_phones)
        report.warnings.append(
            Msg("shared_lines", where=head.name or report.file.name, columns=columns)
        )
    if layout.guardian:
        where = head.name or report.file.name
        column = layout.headers[layout.phone] or layout.label(layout.phone)
        report.warnings.append(Msg("guardian_phone", where=where, column=column))
    for secret in layout.secrets:
        if secret not in report.secret_columns:
            report.secret_columns.append(secret)
    if layout.dropped_extras:
        report.warnings.append(
            Msg(
                "extras_dropped", where=head.name or report.file.name,
                dropped=layout.dropped_extras, kept=len(layout.extras),
            )
        )  # fmt: skip


def _count(report: ImportReport, tally: Tally) -> None:
    report.rows_read += tally.rows_read
    report.not_data += tally.not_data
    report.rejected.update(tally.rejected)
    report.damaged_ids += tally.damaged_ids
    report.suspect_ids += tally.suspect_ids
    report.other_documents += tally.other_documents
    report.alternates += tally.alternates
    report.other_phones += tally.other_phones
    report.fallbacks += tally.fallbacks
    report.guardians += tally.guardians
    report.ambiguous_phones += tally.ambiguous_phones
    report.unread_dates += tally.unread_dates
    report.cut_cells += tally.cut_cells


# -- messages -------------------------------------------------------------------------------------


def fold(cells: list[str], width: int = 76, indent: str = "    ") -> str:
    """Header cells joined with ' | ' and folded into lines of at most ``width`` terminal
    columns (CJK characters take two)."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for cell in cells:
        piece = cell if not line else f" | {cell}"
        if line and cell_len(indent + line + piece) > width:
            lines.append(line)
            piece = cell
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(indent + x for x in lines)


def _no_phone(where: str | Msg, head: SheetHead, guess: HeaderGuess, layout: Layout) -> Msg:
    # the --map to suggest: a column kept as "extra" (unknown to us), else a placeholder
    letter: str | Msg = Msg("letter_placeholder")
    if layout.extras:
        letter = column_letter(head.first_col + layout.extras[0][0])
    if not guess.rows:
        best = _best_row(head.rows)
        row, cells = best if best is not None else (0, [])
        return Msg(
            "no_header", where=where, rows=HEADER_SCAN_ROWS, row=row,
            shown=fold(header_line(cells, head.first_col)), letter=letter,
        )  # fmt: skip
    return Msg(
        "no_phone_column", where=where, row=layout.header_row,
        shown=fold(header_line(layout.headers, head.first_col)), letter=letter,
    )  # fmt: skip


def _best_row(rows: list[list[object]]) -> tuple[int, list[str]] | None:
    """The row that looks most like a header (most short text cells), for the message."""
    best: tuple[int, int, list[str]] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = sum(1 for c in row if isinstance(c, str) and 0 < len(c.strip()) <= 40)
        if texts and (best is None or texts > best[0]):
            best = (texts, i + 1, [str(c).strip() if c is not None else "" for c in row])
    return (best[1], best[2]) if best else None


def _unclear(where: str | Msg, question: Question) -> Msg:
    from callroom.importer.header import Candidate

    cands = [c for c in question.candidates if isinstance(c, Candidate)]
    guess = cands[0]
    others = [Msg("candidate", **_evidence(c)) for c in cands[1:4]]
    return Msg(
        "unclear", where=where, why=Msg(f"doubt_{question.reason}"),
        guess=Msg("candidate", **_evidence(guess)), others=others or "-",
        header=header_label(question.header_row), shown=fold(list(question.headers)),
        letter=guess.letter,
    )  # fmt: skip


def header_label(row: int) -> Msg:
    return Msg("header_at", row=row) if row else Msg("no_header_row")


def _evidence(c: Any) -> dict[str, object]:
    whose = Msg(f"whose_{c.whose or 'unknown'}")
    return {"label": c.label, "valid": c.valid, "total": c.total, "sample": c.sample or "-",
            "whose": whose}  # fmt: skip


def _nothing_callable(report: ImportReport) -> ImportFailed:
    if report.rejects_path is not None:
        return ImportFailed(
            "nothing_callable", path=report.file, rows=report.rows_read,
            rejects=report.rejects_path,
        )  # fmt: skip
    return ImportFailed("nothing_callable_no_rows", path=report.file, skipped=report.not_data)


def _store_failed(exc: Exception, store: Store) -> Msg:
    """A database error as a clear message (nothing of the import was written)."""
    text = str(exc).lower()
    db = store.path
    if "full" in text:
        return Msg("db_full", path=db)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return Msg("db_read_only", path=db)
    if "locked" in text or "busy" in text:
        return Msg("db_busy", path=db)
    if isinstance(exc, sqlite3.Error) and ("disk i/o" in text or "malformed" in text):
        return Msg("db_broken", path=db, detail=str(exc))
    return Msg("store", detail=exc)  # said in the UI's language


# -- the rejects file -----------------------------------------------------------------------------


def _spool_reject(writer: Any, rec: Reject, report: ImportReport, layout: Layout | None) -> None:
    if len(report.rejects) < KEPT_REJECTS:
        report.rejects.append(rec)
    if not report.rejects_header and layout is not None:
        report.rejects_header = list(layout.headers[:60])
    writer.writerow([rec.sheet, rec.row, rec.column, rec.code, rec.reason, rec.value, *rec.cells])


def rejects_name(list_name: str) -> str:
    """'<list file name>.rejects.csv', shortened to NAME_MAX bytes when the list's name is long
    (the file system allows 255, and the temporary file needs a few more)."""
    name = f"{list_name}.rejects.csv"
    if len(name.encode("utf-8")) <= NAME_MAX:
        return name
    tag = hashlib.sha256(list_name.encode("utf-8")).hexdigest()[:8]
    tail = f"~{tag}.rejects.csv"
    stem = list_name
    while len((stem + tail).encode("utf-8")) > NAME_MAX:
        stem = stem[:-1]
    return stem + tail


def _write_rejects(report: ImportReport, spool: IO[str], store: Store) -> None:
    """The rejects file (UTF-8 with BOM for Excel, cells made inert, private): beside the list,
    else beside the database, else in the temp folder; written whole or not at all."""
    from callroom.export import neutralise
    from callroom.files import WriteFailed, atomic_file
    from callroom.i18n import t

    name = rejects_name(report.file.name)
    folders = [report.file.parent]
    if store.engine == "sqlite" and str(store.path) != ":memory:":
        folders.append(store.path.parent)
    folders.append(Path(tempfile.gettempdir()))
    lang = store.config.lang
    head = ("sheet", "row", "column", "reason")
    last: WriteFailed | None = None
    for folder in dict.fromkeys(folders):
        target = folder / name
        spool.seek(0)
        try:
            with atomic_file(
                target, text=True, encoding="utf-8-sig", newline="",
                shared_group=store.config.shared_group,
            ) as out:  # fmt: skip
                writer = csv.writer(out)
                writer.writerow([*(t(f"rejects.{h}", lang) for h in head), *report.rejects_header])
                for sheet, row, column, code, reason, value, *cells in csv.reader(spool):
                    why = reject_reason(code, reason, value, lang)
                    writer.writerow([neutralise(c) for c in (sheet, row, column, why, *cells)])
        except WriteFailed as exc:
            last = exc
            continue
        if folder != report.file.parent:
            report.warnings.append(Msg("rejects_moved", folder=report.file.parent, fallback=folder))
        report.rejects_path = target
        return
    assert last is not None
    raise ImportFailed("rejects_unwritable", path=report.file, detail=str(last))
