"""`callroom import FILE...`: load the district's lists, with a summary a lead can check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from callroom.cli import app, console, err, fail, get_config, open_store
from callroom.i18n import t
from callroom.when import WhenError, parse_callback

if TYPE_CHECKING:  # the importer loads only when a list is imported, not for every command
    from callroom.importer import ImportOptions, ImportReport

_REJECTS_SHOWN = 8


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, fld = pair.rpartition("=")
        if not sep or not header.strip() or not fld.strip():
            raise fail(f"--map {pair!r}: write it as HEADER=field, e.g. --map '联系号码=phone'", 2)
        mapping[header.strip()] = fld.strip()
    return mapping


def _deadline(text: str | None, now: datetime) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_callback(text, now)
    except WhenError:
        raise fail(f"--deadline {text!r}: use a time like 18:00, +2h or 明天12点", 2) from None


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Lists: .xlsx .xls .ods .csv .txt")],
    batch: Annotated[
        str | None, typer.Option("--batch", help="List name (default: the file name).")
    ] = None,
    script: Annotated[
        str | None, typer.Option("--script", help="Call script for these lists.")
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Report-back time: 18:00, +3h, 明天12点.")
    ] = None,
    priority: Annotated[
        str | None, typer.Option("--priority", help="'urgent': the whole list jumps the queue.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Name a column: HEADER=field (phone, name, id_number, ...)."),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the summary, write nothing.")
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Import a file even if it was imported before.")
    ] = False,
) -> None:
    """Import the day's lists: header found under title rows, phones and IDs checked, repeats
    linked or merged, all or nothing."""
    cfg = get_config()
    if batch is not None and len(files) > 1:
        raise fail("--batch names one list; give one file, or leave --batch out", 2)
    from callroom.importer import ImportFailed, ImportOptions

    with open_store(cfg) as store:
        options = ImportOptions(
            batch_name=batch,
            script=script,
            deadline=_deadline(deadline, store.now()),
            priority=priority,
            mapping=_mapping(map_ or []),
            sheet=sheet,
            dry_run=dry_run,
            again=again,
        )
        try:
            reports = _run(store, files, options, cfg.operator)
        except ImportFailed as exc:
            raise fail(f"{exc.text(cfg.lang)}\n{t('imp.nothing', cfg.lang)}") from None
        except KeyboardInterrupt:
            raise fail(t("imp.interrupted", cfg.lang), 130) from None
    for rep in reports:
        _summary(rep, cfg.lang)


def _run(store, files: list[Path], options: ImportOptions, operator: str) -> list[ImportReport]:
    from callroom.importer import import_files

    if not err.is_terminal:
        return import_files(store, files, options, operator)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[Path, int] = {}

        def tick(path: Path, fraction: float, rows: int) -> None:
            if path not in tasks:
                tasks[path] = bar.add_task(escape(path.name), total=1.0, rows=0)
            bar.update(tasks[path], completed=fraction, rows=rows)

        return import_files(store, files, options, operator, progress=tick)


def _summary(rep: ImportReport, lang: str) -> None:
    from callroom.importer.model import said

    title = t("imp.dry_title" if rep.dry_run else "imp.title", lang, name=rep.batch_name)
    table = Table(title=escape(title), box=box.SIMPLE_HEAD, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right", overflow="fold")
    table.add_column(style="dim", overflow="fold")  # CJK hints have no spaces to wrap at
    where = ", ".join(
        f"{s + ' ' if s else ''}{t('imp.header_row', lang, row=r)}"
        for s, r in rep.header_rows.items()
    )
    table.add_row(t("imp.file", lang), escape(rep.file.name), escape(where))
    table.add_row(t("imp.rows_read", lang), str(rep.rows_read), "")
    table.add_row(t("imp.created", lang), str(rep.tasks_created), _flags_text(rep, lang))
    table.add_row(t("imp.merged", lang), str(rep.merged), t("imp.merged_hint", lang))
    table.add_row(t("imp.linked", lang), str(rep.linked), t("imp.linked_hint", lang))
    table.add_row(t("imp.auto", lang), str(rep.auto_resolved), t("imp.auto_hint", lang))
    table.add_row(t("imp.rejected", lang), str(rep.rejected_total), "")
    for code, n in rep.rejected.most_common():
        table.add_row(f"  - {t('reject.' + code, lang)}", str(n), "")
    if rep.damaged_ids:
        table.add_row(t("imp.damaged", lang), str(rep.damaged_ids), t("imp.damaged_hint", lang))
    if rep.suspect_ids:
        table.add_row(t("imp.suspect", lang), str(rep.suspect_ids), "")
    if rep.alternates:
        table.add_row(t("imp.alternates", lang), str(rep.alternates), "")
    if rep.ambiguous_phones:
        table.add_row(
            t("imp.ambiguous", lang), str(rep.ambiguous_phones), t("imp.ambiguous_hint", lang)
        )
    if rep.unread_dates:
        table.add_row(t("imp.unread_dates", lang), str(rep.unread_dates), "")
    if rep.extra_columns:
        table.add_row(
            t("imp.extra", lang),
            str(len(rep.extra_columns)),
            escape(", ".join(rep.extra_columns[:8])),
        )
    console.print(table)
    for rej in rep.rejects[:_REJECTS_SHOWN]:
        where = f"{rej.sheet}!" if rej.sheet else ""
        console.print(
            f"  [red]x[/] {escape(where)}{t('imp.row', lang, row=rej.row)} {escape(rej.column)}: "
            f"{escape(rej.text(lang) if lang != 'en' else rej.reason)}",
            highlight=False,
        )
    if rep.rejected_total > _REJECTS_SHOWN:
        console.print(f"  ... {rep.rejected_total - _REJECTS_SHOWN} {t('imp.more', lang)}")
    if rep.rejects_path is not None:
        console.print(
            t("imp.rejects_file", lang, path=escape(str(rep.rejects_path))), highlight=False
        )
    for warning in rep.warnings:
        console.print(f"[yellow]![/] {escape(said(warning, lang))}", highlight=False)
    if rep.dry_run:
        console.print(t("imp.dry_note", lang), highlight=False)


def _flags_text(rep: ImportReport, lang: str) -> str:
    return ", ".join(f"{t('flag.' + f, lang)} {n}" for f, n in rep.flagged.most_common())
