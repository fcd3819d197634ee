"""`callroom results`: the health system's test results, matched against the lists.

callroom results                          what is held: files, results, tests' dates
callroom results import FILE...           read exports (again and again through the day)
callroom results match                    match every open task again (e.g. after a change
                                          of [results] window_days)
callroom results purge --before DATE      delete results tested before a day (leads)
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from callroom.commands.base import app, console, err, fail, get_config, open_store
from callroom.config import Config
from callroom.i18n import t

if TYPE_CHECKING:
    from callroom.results.importing import ResultsReport

_REJECTS_SHOWN = 8

results_app = typer.Typer(
    help="Test results from the health system: import them (the lists' people tested since "
    "arriving are not called), see what is held, match again, purge.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(results_app, name="results")


@results_app.callback()
def results(ctx: typer.Context) -> None:
    """What is held: result files, results, the tests' dates, tasks matched."""
    if ctx.invoked_subcommand is not None:
        return
    cfg = get_config()
    lang = cfg.lang
    with open_store(cfg) as store:
        q = store.conn.execute
        files = q(
            "SELECT f.id, f.name, f.imported_by, f.imported_at, f.counts, "
            "(SELECT count(*) FROM results r WHERE r.file_id = f.id) AS held "
            "FROM result_files f ORDER BY f.id DESC LIMIT 20"
        ).fetchall()
        total, first, last = q(
            "SELECT count(*), min(tested_at), max(tested_at) FROM results"
        ).fetchone()
        matched = q("SELECT count(*) FROM tasks WHERE final_outcome = 'test_matched'").fetchone()[0]
    if not files:
        console.print(t("res.none", lang), highlight=False)
        return
    table = Table(title=t("res.files", lang), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right")
    table.add_column(t("res.col.file", lang), overflow="fold")
    table.add_column(t("res.col.imported", lang), overflow="fold")
    table.add_column(t("res.col.new", lang), justify="right")
    table.add_column(t("res.col.held", lang), justify="right")
    import json

    for f in files:
        counts = json.loads(f["counts"] or "{}")
        name = f["name"] + (f" ({t('res.incomplete', lang)})" if counts.get("incomplete") else "")
        when = f"{f['imported_at'][:16]} {f['imported_by']}"
        table.add_row(
            str(f["id"]), escape(name), escape(when), str(counts.get("new", "-")), str(f["held"])
        )
    console.print(table)
    span = t("res.span", lang, first=(first or "-")[:10], last=(last or "-")[:10])
    console.print(t("res.totals", lang, n=total, span=span, matched=matched), highlight=False)


@results_app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Exports: .xlsx .xls .ods .csv .txt")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Name a column by its letter or header: C=id_number, '采样时间=test_time' "
            "(fields: phone, id_number, name, test_time, site, result, ignore).",
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the summary, write nothing.")
    ] = False,
) -> None:
    """Read test-result exports and close the open tasks of people tested since arriving.

    Run it whenever a new export comes: a file imported twice adds nothing. A result matches by
    ID number (both valid), else by any of the resident's own numbers; never by name."""
    from callroom.commands.importing import _mapping
    from callroom.importer import ImportFailed
    from callroom.results.importing import ResultsOptions

    cfg = get_config()
    options = ResultsOptions(_mapping(map_ or [], cfg.lang), sheet, dry_run)
    with open_store(cfg) as store:
        try:
            reports = _run(store, files, options, cfg.operator)
        except ImportFailed as exc:
            raise fail(f"{exc.text(cfg.lang)}\n{t('res.nothing', cfg.lang)}") from None
        except KeyboardInterrupt:
            raise fail(t("imp.interrupted", cfg.lang), 130) from None
    for rep in reports:
        _summary(rep, cfg.lang)
    _matching(reports[0], cfg.lang)


def _run(store, files: list[Path], options, operator: str) -> list[ResultsReport]:  # type: ignore[no-untyped-def]
    from callroom.results.importing import import_results

    if not err.is_terminal:
        return import_results(store, files, options, operator)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[rows]} rows"), TimeElapsedColumn(), console=err, transient=True,
    ) as bar:  # fmt: skip
        tasks: dict[Path, int] = {}

        def tick(path: Path, fraction: float, rows: int) -> None:
            if path not in tasks:
                tasks[path] = bar.add_task(escape(path.name), total=1.0, rows=0)
            bar.update(tasks[path], completed=fraction, rows=rows)

        return import_results(store, files, options, operator, progress=tick)


def _summary(rep: ResultsReport, lang: str) -> None:
    title = t("res.dry_title" if rep.dry_run else "res.title", lang, name=rep.file.name)
    table = Table(title=escape(title), box=box.SIMPLE_HEAD, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right", overflow="fold")
    table.add_column(style="dim", overflow="fold")
    where = ", ".join(
        f"{s + ' ' if s else ''}{t('imp.header_row', lang, row=r)}"
        for s, r in rep.header_rows.items()
    )
    columns = ", ".join(f"{t('res.field.' + k, lang)}={v}" for k, v in rep.columns.items())
    table.add_row(t("imp.file", lang), "", escape(where))
    table.add_row(t("res.columns", lang), "", escape(columns))
    table.add_row(t("imp.rows_read", lang), str(rep.rows_read), "")
    table.add_row(t("res.new", lang), str(rep.new_results), t("res.new_hint", lang))
    table.add_row(t("res.known", lang), str(rep.known_results), t("res.known_hint", lang))
    if rep.repeated:
        table.add_row(t("res.repeated", lang), str(rep.repeated), t("res.repeated_hint", lang))
    table.add_row(t("res.unmatched", lang), str(rep.unmatched), t("res.unmatched_hint", lang))
    if rep.positive:
        table.add_row(t("res.positive", lang), str(rep.positive), t("res.positive_hint", lang))
    if rep.unclear:
        table.add_row(t("res.unclear", lang), str(rep.unclear), t("res.unclear_hint", lang))
    table.add_row(t("imp.rejected", lang), str(rep.rejected_total), "")
    for code, n in rep.rejected.most_common():
        table.add_row(f"  - {t('reject.' + code, lang)}", str(n), "")
    if rep.not_data:
        table.add_row(t("imp.not_data", lang), str(rep.not_data), t("imp.not_data_hint", lang))
    if rep.damaged_ids:
        table.add_row(t("imp.damaged", lang), str(rep.damaged_ids), t("res.damaged_hint", lang))
    console.print(table)
    for rej in rep.rejects[:_REJECTS_SHOWN]:
        at = f"{rej.sheet}!" if rej.sheet else ""
        console.print(
            f"  [red]x[/] {escape(at)}{t('imp.row', lang, row=rej.row)} {escape(rej.column)}: "
            f"{escape(rej.text(lang))}",
            highlight=False,
        )
    if rep.rejected_total > _REJECTS_SHOWN:
        console.print(f"  ... {rep.rejected_total - _REJECTS_SHOWN} {t('imp.more', lang)}")
    if rep.rejects_path is not None:
        console.print(
            t("imp.rejects_file", lang, path=escape(str(rep.rejects_path))), highlight=False
        )
    if rep.earlier is not None:
        console.print(
            t("res.again", lang, id=rep.earlier[0], at=rep.earlier[1][:16]), highlight=False
        )
    from callroom.importer.model import said

    for warning in rep.warnings:
        console.print(f"[yellow]![/] {escape(said(warning, lang))}", highlight=False)


def _matching(rep: ResultsReport, lang: str) -> None:
    """The matching's figures: over every open task, once for the command."""
    _matched(rep.matched, rep.held, lang, rep.dry_run)
    if rep.before:
        console.print("  " + t("res.before", lang, n=rep.before), highlight=False)
    if rep.positive_tasks:
        console.print("  " + t("res.positive_tasks", lang, n=rep.positive_tasks), highlight=False)
    if rep.unclear_tasks:
        console.print("  " + t("res.unclear_tasks", lang, n=rep.unclear_tasks), highlight=False)
    if rep.dry_run:
        console.print(t("imp.dry_note", lang), highlight=False)


def _matched(closed: int, held: int, lang: str, dry_run: bool = False) -> None:
    """Tasks matched: those closed, and those on a caller's screen (closed by the caller)."""
    if held:
        key = "res.match_held_dry" if dry_run else "res.match_held"
        text = t(key, lang, n=closed + held, closed=closed, held=held)
    else:
        text = t("res.match_dry" if dry_run else "res.match", lang, n=closed)
    console.print(text, style="bold", highlight=False)


@results_app.command("match")
def match_cmd() -> None:
    """Match every open task against the results held (after changing \\[results] in
    callroom.toml, or when an import said the matching was not finished)."""
    from callroom.results.match import match_open_tasks

    cfg = get_config()
    with open_store(cfg) as store:
        found = match_open_tasks(store, cfg.operator)
    _matched(found.closed, found.held, cfg.lang)
    for key, n in (("res.before", found.before),
                   ("res.positive_tasks", found.positive), ("res.unclear_tasks", found.unclear)):  # fmt: skip
        if n:
            console.print("  " + t(key, cfg.lang, n=n), highlight=False)


def _before(text: str, cfg: Config) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(t("res.bad_date", cfg.lang, value=repr(text)), 2) from None


@results_app.command("purge")
def purge_cmd(
    before: Annotated[
        str, typer.Option("--before", help="Delete results tested before this day, YYYY-MM-DD.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (scripts).")] = False,
) -> None:
    """Delete test results tested before a day, for good (secure delete; leads only).

    Tasks they closed stay closed as already tested; their test time and site go."""
    from callroom.results.purge import count_before, purge

    cfg = get_config()
    lang = cfg.lang
    day = _before(before, cfg)
    if not cfg.is_lead():
        raise fail(t("res.purge_lead_only", lang, login=cfg.login or "?"), 1)
    with open_store(cfg) as store:
        n = count_before(store, day)
        if n == 0:
            console.print(t("res.purge_none", lang, day=day.isoformat()), highlight=False)
            return
        if not yes:
            if not (sys.stdin.isatty() and console.is_terminal):
                raise fail(t("res.purge_confirm_off", lang, n=n, day=day.isoformat()), 2)
            from rich.prompt import Confirm

            if not Confirm.ask(t("res.purge_ask", lang, n=n, day=day.isoformat()), console=console):
                raise fail(t("res.purge_kept", lang), 1)
        done = purge(store, day, cfg.operator)
    console.print(
        t("res.purged", lang, n=done.results, day=day.isoformat(), tasks=done.tasks),
        highlight=False,
    )
    if not done.wal_clean:
        key = "res.purge_vacuum" if cfg.database_url else "res.purge_wal"
        console.print(t(key, lang, path=cfg.database), highlight=False)
