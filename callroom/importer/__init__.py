"""Import the district's lists: read, find the header, normalise, deduplicate, insert.

Public API (used by the CLI, the demo and the tests)::

    reports = import_files(store, [path, ...], ImportOptions(...), operator, progress=None)

All files of one call go in one transaction: a bad file, an error or Ctrl-C leaves nothing of
any of them, so the same command can simply be run again once the file is fixed. Rejected rows
are written to ``<file>.rejects.csv`` only after the commit.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from callroom.config import Config
from callroom.importer.header import (
    HEADER_SCAN_ROWS,
    MAP_FIELDS,
    Layout,
    Synonyms,
    best_guess_header,
    find_layout,
    norm_header,
)
from callroom.importer.load import BatchLoader
from callroom.importer.model import (
    ImportFailed,
    ImportOptions,
    ImportReport,
    Msg,
    Reject,
    reject_reason,
)
from callroom.importer.read import Sheet, open_sheets, unreadable
from callroom.importer.rows import RowReader, filled
from callroom.store import Store, StoreError

__all__ = ["ImportFailed", "ImportOptions", "ImportReport", "Reject", "import_files"]

Progress = Callable[[Path, float, int], None]  # file, fraction done (0..1), rows read so far
PROGRESS_EVERY = 2000
KEPT_REJECTS = 200  # shown in the summary; all of them go to the rejects file


class _DryRun(Exception):
    pass


def import_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    options: ImportOptions | None = None,
    operator: str = "",
    progress: Progress | None = None,
) -> list[ImportReport]:
    options = options or ImportOptions()
    config = store.config
    operator = operator or config.operator
    files = [Path(p) for p in paths]
    if not files:
        raise ImportFailed("no_files")
    _check_options(options, config)
    hashes = [_sha256(p) for p in files]
    seen: dict[str, Path] = {}
    for path, digest in zip(files, hashes, strict=True):
        if digest in seen:
            raise ImportFailed("same_content", path=path, other=seen[digest])
        seen[digest] = path
    reports: list[ImportReport] = []
    with ExitStack() as stack:
        spools: list[IO[str]] = []
        try:
            with store.transaction():
                for path, digest in zip(files, hashes, strict=True):
                    spool = stack.enter_context(
                        tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
                    )
                    spools.append(spool)
                    reports.append(
                        _import_one(store, path, digest, options, operator, progress, spool)
                    )
                if options.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except StoreError as exc:
            raise ImportFailed("store", detail=exc) from None  # said in the UI's language
        if not options.dry_run:
            for report, spool in zip(reports, spools, strict=True):
                if report.rejected_total:
                    _write_rejects(report, spool, store)
    return reports


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


def _import_one(
    store: Store,
    path: Path,
    digest: str,
    options: ImportOptions,
    operator: str,
    progress: Progress | None,
    spool: IO[str],
) -> ImportReport:
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
    sheets, warnings = open_sheets(path, options.sheet)
    report.warnings.extend(warnings)
    script = options.script or config.default_script
    batch_id = store.insert_batch_row(name, operator, path.name, digest, script, options.deadline)
    report.batch_id = batch_id
    loader = BatchLoader(store, batch_id, report, operator, options.deadline)
    synonyms = Synonyms(config, options.mapping)
    rejects = csv.writer(spool)
    today = store.now().date()
    problems: list[Msg] = []
    headers_seen: set[str] = set()
    for index, sheet in enumerate(sheets):
        where = Msg("where_sheet", path=path, sheet=repr(sheet.name)) if sheet.name else str(path)
        head = list(islice(sheet.rows, HEADER_SCAN_ROWS))
        if not any(filled(row) for row in head):
            problems.append(Msg("sheet_empty", where=where))
            continue
        layout = find_layout(head, synonyms, sheet.first_col)
        if layout is None:
            problems.append(_no_header(where, head, synonyms, config))
            continue
        headers_seen.update(norm_header(h) for h in layout.headers)
        _describe(report, sheet, layout)
        urgent = options.priority == "urgent"
        reader = RowReader(layout, config, report, sheet.name, today, urgent, sheet.first_col)
        number = layout.header_row
        for row in chain(head[layout.header_row :], sheet.rows):
            number += 1
            rec = reader.read(row, number)
            if rec is None:
                continue
            report.rows_read += 1
            if isinstance(rec, Reject):
                _spool_reject(rejects, rec, report, layout)
            else:
                loader.add(rec)
            if progress is not None and report.rows_read % PROGRESS_EVERY == 0:
                progress(path, _fraction(sheet, index, len(sheets), number), report.rows_read)
    loader.flush()
    if not report.sheets:
        if len(problems) == 1:
            raise ImportFailed(problems[0])
        raise ImportFailed("no_list", path=path, problems=problems)
    for sheet_problem in problems:
        report.warnings.append(Msg("skipped", problem=sheet_problem))
    for header, fld in options.mapping.items():
        if norm_header(header) not in headers_seen:
            raise ImportFailed(
                "map_missing", header=header, field=fld, path=path, header_q=repr(header)
            )
    if report.rows_read == 0:
        rows = ", ".join(f"{s or 'row'} {r}" for s, r in report.header_rows.items())
        raise ImportFailed("no_data", path=path, rows=rows)
    store.conn.execute(
        "UPDATE batches SET rows_read = ?, tasks_created = ?, counts = ? WHERE id = ?",
        (
            report.rows_read,
            report.tasks_created,
            json.dumps(report.counts(), ensure_ascii=False),
            batch_id,
        ),
    )
    store.add_event("import", operator, batch_id=batch_id, detail=report.counts())
    if progress is not None:
        progress(path, 1.0, report.rows_read)
    return report


def _fraction(sheet: Sheet, index: int, count: int, number: int) -> float:
    if sheet.position is not None:
        within = sheet.position()
    elif sheet.total:
        within = min(number / sheet.total, 1.0)
    else:
        within = 0.0
    return (index + within) / count


def _describe(report: ImportReport, sheet: Sheet, layout: Layout) -> None:
    report.sheets.append(sheet.name)
    report.header_rows[sheet.name] = layout.header_row
    report.columns.setdefault("phone", layout.headers[layout.phone])
    for fld, col in layout.fields.items():
        report.columns.setdefault(fld, layout.headers[col])
    for _, label in layout.extras:
        if label not in report.extra_columns:
            report.extra_columns.append(label)
    if layout.dropped_extras:
        report.warnings.append(
            Msg(
                "extras_dropped", where=sheet.name or report.file.name,
                dropped=layout.dropped_extras, kept=len(layout.extras),
            )
        )  # fmt: skip


def _no_header(
    where: str | Msg, head: list[list[object]], synonyms: Synonyms, config: Config
) -> Msg:
    looked = ", ".join(config.columns.get("phone", ())[:6])
    guess = best_guess_header(head, synonyms)
    if guess is None:
        return Msg("no_header", where=where, rows=HEADER_SCAN_ROWS, looked=looked)
    row, cells = guess
    shown = ", ".join(cells[:12])
    return Msg("no_phone_column", where=where, row=row, shown=shown, looked=looked)


def _spool_reject(writer: Any, rec: Reject, report: ImportReport, layout: Layout) -> None:
    if len(report.rejects) < KEPT_REJECTS:
        report.rejects.append(rec)
    if not report.rejects_header:
        report.rejects_header = list(layout.headers[:60])
    writer.writerow([rec.sheet, rec.row, rec.column, rec.code, rec.reason, rec.value, *rec.cells])


def _write_rejects(report: ImportReport, spool: IO[str], store: Store) -> None:
    """<file>.rejects.csv beside the list (UTF-8 with BOM for Excel, cells made inert, 0600)."""
    from callroom.export import neutralise
    from callroom.i18n import t

    target = report.file.with_name(report.file.name + ".rejects.csv")
    if not os.access(target.parent, os.W_OK):
        fallback = store.path.parent if str(store.path) != ":memory:" else Path.cwd()
        report.warnings.append(Msg("rejects_moved", folder=target.parent, fallback=fallback))
        target = fallback / target.name
    spool.seek(0)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        lang = store.config.lang
        head = ("sheet", "row", "column", "reason")
        writer.writerow([*(t(f"rejects.{h}", lang) for h in head), *report.rejects_header])
        for sheet, row, column, code, reason, value, *cells in csv.reader(spool):
            why = reject_reason(code, reason, value, lang)
            writer.writerow([neutralise(c) for c in (sheet, row, column, why, *cells)])
    os.chmod(temp, 0o600)
    os.replace(temp, target)
    report.rejects_path = target
