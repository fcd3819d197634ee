"""`callroom import FILE...`: load the district's lists, with a summary a lead can check;
`callroom mappings`: the layouts remembered for the next list of the same kind."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from callroom.commands.base import app, console, err, fail, get_config, open_store
from callroom.i18n import t
from callroom.linebreak import Prose
from callroom.when import WhenError, parse_callback

if TYPE_CHECKING:  # the importer loads only when a list is imported, not for every command
    from callroom.importer import ImportOptions, ImportReport, Question

_REJECTS_SHOWN = 8


def _mapping(pairs: list[str], lang: str) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, fld = pair.rpartition("=")
        if not sep or not header.strip() or not fld.strip():
            raise fail(t("imp.map_form", lang, pair=pair), 2)
        mapping[header.strip()] = fld.strip()
    return mapping


def _deadline(text: str | None, now: datetime, lang: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_callback(text, now)
    except WhenError:
        raise fail(t("imp.bad_deadline", lang, value=repr(text)), 2) from None


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
        typer.Option(
            "--map",
            help="Name a column by its letter or header: C=phone, '联系号码=phone' (fields: "
            "phone, alt_phone, other_phone, name, id_number, id_type, place, arrival, address, "
            "note, extra, ignore). Remembered for lists with the same header.",
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the summary, write nothing.")
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Import a file even if it was imported before.")
    ] = False,
) -> None:
    """Import the day's lists: header and columns found by their words and cells, phones and
    IDs checked, repeats linked or merged, all or nothing. When the phone column is not sure,
    asks on a terminal (else says which --map to give)."""
    cfg = get_config()
    if batch is not None and len(files) > 1:
        raise fail("--batch names one list; give one file, or leave --batch out", 2)
    from callroom.importer import ImportFailed, ImportOptions

    with open_store(cfg) as store:
        options = ImportOptions(
            batch_name=batch,
            script=script,
            deadline=_deadline(deadline, store.now(), cfg.lang),
            priority=priority,
            mapping=_mapping(map_ or [], cfg.lang),
            sheet=sheet,
            dry_run=dry_run,
            again=again,
        )
        ask = TerminalChooser(err, cfg.lang) if _interactive() else None
        try:
            reports = _run(store, files, options, cfg.operator, ask)
        except ImportFailed as exc:
            # "already imported" says its own next step (--again): no "fix the file"
            after = "imp.nothing_plain" if exc.msg.key == "already" else "imp.nothing"
            raise fail(f"{exc.text(cfg.lang)}\n{t(after, cfg.lang)}") from None
        except KeyboardInterrupt:
            raise fail(t("imp.interrupted", cfg.lang), 130) from None
    for rep in reports:
        _summary(rep, cfg.lang)


def _interactive() -> bool:
    """A person at a terminal who can answer a question (not a script, not a pipe)."""
    try:
        return sys.stdin.isatty() and err.is_terminal
    except (AttributeError, ValueError):
        return False


class TerminalChooser:
    """Asks which column holds the resident's number: the evidence, then one keystroke (Enter
    accepts the best guess; a letter or a number picks another column; q stops). ``stream``
    is where the answer is read from (stdin by default; tests give a StringIO)."""

    def __init__(self, console: Console, lang: str, stream: IO[str] | None = None) -> None:
        self.console, self.lang, self.stream = console, lang, stream

    def __call__(self, question: Question) -> int | None:
        from rich.prompt import Prompt

        from callroom.importer import fold, header_label
        from callroom.importer.header import letter_index
        from callroom.importer.model import Msg

        lang, out = self.lang, self.console
        cands: list[Any] = list(question.candidates)
        where = question.sheet and t("imp.ask.sheet", lang, sheet=question.sheet)
        out.print(
            t("imp.ask.title", lang, file=question.file.name, sheet=where or ""),
            style="bold yellow", highlight=False,
        )  # fmt: skip
        out.print("  " + Msg(f"doubt_{question.reason}").text(lang), highlight=False)
        out.print(
            t("imp.ask.header", lang, header=header_label(question.header_row).text(lang)),
            highlight=False,
        )
        out.print(escape(fold(list(question.headers))), highlight=False)
        for i, c in enumerate(cands, 1):
            whose = Msg(f"whose_{c.whose or 'unknown'}").text(lang)
            line = t("imp.ask.candidate", lang, n=i, label=c.label, valid=c.valid, total=c.total,
                     sample=c.sample or "-", whose=whose)  # fmt: skip
            mark = t("imp.ask.best", lang) if i == 1 else ""
            out.print(f"  {escape(line)}{mark}", highlight=False)
        out.print(t("imp.ask.keys", lang, letter=cands[0].letter), highlight=False)
        width = len(question.headers)
        while True:
            answer = Prompt.ask(
                t("imp.ask.prompt", lang), console=out, default=cands[0].letter,
                stream=self.stream,
            ).strip()  # fmt: skip
            if answer.lower() in ("q", "quit", "n", "no"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(cands):
                return cands[int(answer) - 1].column
            col = letter_index(answer)
            if col is not None and 0 <= col - question.first_col < width:
                return col - question.first_col
            out.print(t("imp.ask.again", lang, answer=escape(answer)), highlight=False)


def _run(
    store: Any, files: list[Path], options: ImportOptions, operator: str, ask: Any
) -> list[ImportReport]:
    from callroom.importer import import_files

    if not err.is_terminal:
        return import_files(store, files, options, operator, ask=ask)
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

        def ask_paused(question: Question) -> int | None:
            bar.stop()  # the question needs the terminal to itself
            try:
                return ask(question)
            finally:
                bar.start()

        return import_files(
            store, files, options, operator, progress=tick, ask=ask_paused if ask else None
        )


def _summary(rep: ImportReport, lang: str) -> None:
    from callroom.importer.model import said

    title = t("imp.dry_title" if rep.dry_run else "imp.title", lang, name=rep.batch_name)
    table = Table(title=escape(title), box=box.SIMPLE_HEAD, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right", overflow="fold")
    table.add_column(style="dim")

    def row(label: str, figure: str, hint: str = "") -> None:
        # the hint broken by Chinese rules: no line starting with ，or ）(Prose takes no markup)
        table.add_row(label, figure, Prose(hint))

    where = ", ".join(
        f"{s + ' ' if s else ''}{t('imp.header_row', lang, row=r)}"
        for s, r in rep.header_rows.items()
    )
    row(t("imp.file", lang), escape(rep.file.name), where)
    row(t("imp.rows_read", lang), str(rep.rows_read), "")
    row(t("imp.created", lang), str(rep.tasks_created), _flags_text(rep, lang))
    row(t("imp.merged", lang), str(rep.merged), t("imp.merged_hint", lang))
    row(t("imp.linked", lang), str(rep.linked), t("imp.linked_hint", lang))
    row(t("imp.auto", lang), str(rep.auto_resolved), t("imp.auto_hint", lang))
    if rep.matched_by_results:
        row(t("imp.tested", lang), str(rep.matched_by_results), t("imp.tested_hint", lang))
    row(t("imp.rejected", lang), str(rep.rejected_total), "")
    for code, n in rep.rejected.most_common():
        row(f"  - {t('reject.' + code, lang)}", str(n), "")
    if rep.not_data:
        row(t("imp.not_data", lang), str(rep.not_data), t("imp.not_data_hint", lang))
    if rep.damaged_ids:
        row(t("imp.damaged", lang), str(rep.damaged_ids), t("imp.damaged_hint", lang))
    if rep.suspect_ids:
        row(t("imp.suspect", lang), str(rep.suspect_ids), "")
    if rep.other_documents:
        row(t("imp.other_documents", lang), str(rep.other_documents), "")
    if rep.alternates:
        row(t("imp.alternates", lang), str(rep.alternates), "")
    if rep.fallbacks:
        row(t("imp.fallbacks", lang), str(rep.fallbacks), t("imp.fallbacks_hint", lang))
    if rep.guardians:
        row(t("imp.guardians", lang), str(rep.guardians), t("imp.guardians_hint", lang))
    if rep.other_phones:
        row(t("imp.other_phones", lang), str(rep.other_phones), t("imp.other_phones_hint", lang))
    if rep.ambiguous_phones:
        row(t("imp.ambiguous", lang), str(rep.ambiguous_phones), t("imp.ambiguous_hint", lang))
    if rep.unread_dates:
        row(t("imp.unread_dates", lang), str(rep.unread_dates), "")
    if rep.roster_matched:
        row(t("imp.roster", lang), str(rep.roster_matched), t("imp.roster_hint", lang))
    if rep.extra_columns:
        row(
            t("imp.extra", lang),
            str(len(rep.extra_columns)),
            ", ".join(rep.extra_columns[:8]),
        )
    if rep.secret_columns:
        row(
            t("imp.secret", lang), str(len(rep.secret_columns)),
            ", ".join(rep.secret_columns[:8]),
        )  # fmt: skip
    console.print(table)
    for rej in rep.rejects[:_REJECTS_SHOWN]:
        where = f"{rej.sheet}!" if rej.sheet else ""
        console.print(
            f"  [red]x[/] {escape(where)}{t('imp.row', lang, row=rej.row)} {escape(rej.column)}: "
            f"{escape(rej.text(lang))}",
            highlight=False,
        )
    if rep.rejected_total > _REJECTS_SHOWN:
        console.print(f"  ... {rep.rejected_total - _REJECTS_SHOWN} {t('imp.more', lang)}")
    if rep.rejects_path is not None:
        console.print(
            t("imp.rejects_file", lang, path=escape(str(rep.rejects_path))), highlight=False
        )
    if rep.layouts_used:
        console.print(t("imp.layout_used", lang), highlight=False)
    if rep.layouts_saved:
        console.print(t("imp.layout_saved", lang), highlight=False)
    for warning in rep.warnings:
        _warn(said(warning, lang))
    if rep.rows_read and "place" not in rep.columns:
        # the script names no place then (its `unknown` wording), and the export's column is empty
        _warn(t("imp.no_place", lang))
    if rep.dry_run:
        console.print(t("imp.dry_note", lang), highlight=False)


def _warn(text: str) -> None:
    """A '!' line whose text is broken by Chinese rules beside the mark (Rich alone would put
    a long unspaced Chinese sentence under a lone '!')."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="yellow", no_wrap=True)
    grid.add_column()
    grid.add_row("!", Prose(text))
    console.print(grid)


def _flags_text(rep: ImportReport, lang: str) -> str:
    return ", ".join(f"{t('flag.' + f, lang)} {n}" for f, n in rep.flagged.most_common())


# -- callroom mappings --------------------------------------------------------------------------

mappings_app = typer.Typer(
    help="Layouts remembered by their header: which column is the phone (and what else) for "
    "lists of a kind a person confirmed or named with --map.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(mappings_app, name="mappings")


@mappings_app.callback()
def mappings(ctx: typer.Context) -> None:
    """List the remembered layouts (callroom mappings forget ID forgets one)."""
    if ctx.invoked_subcommand is not None:
        return
    from callroom.importer.layouts import all_layouts

    cfg = get_config()
    lang = cfg.lang
    with open_store(cfg) as store:
        found = all_layouts(store)
    if not found:
        console.print(t("imp.mappings.none", lang), highlight=False)
        return
    table = Table(title=t("imp.mappings.title", lang), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right")
    table.add_column(t("imp.mappings.columns", lang), overflow="fold")
    table.add_column(t("imp.mappings.header", lang), overflow="fold", ratio=2)
    table.add_column(t("imp.mappings.saved", lang), overflow="fold")
    table.add_column(t("imp.mappings.used", lang), justify="right")
    for lay in found:
        cols = ", ".join(f"{k}={v}" for k, v in sorted(lay.mapping.items()))
        header = " | ".join(h for h in lay.headers if h)
        saved = f"{lay.saved_by} {lay.saved_at[:16]} ({t('imp.mappings.' + lay.source, lang)})"
        table.add_row(str(lay.id), escape(cols), escape(header), escape(saved), str(lay.uses))
    console.print(table)


@mappings_app.command("forget")
def mappings_forget(
    layout_id: Annotated[int, typer.Argument(help="The # shown by `callroom mappings`.")],
) -> None:
    """Forget a remembered layout: the next list with that header is looked at afresh."""
    from callroom.importer.layouts import forget

    cfg = get_config()
    with open_store(cfg) as store:
        gone = forget(store, layout_id, cfg.operator)
    if gone is None:
        raise fail(t("imp.mappings.no_such", cfg.lang, id=layout_id))
    console.print(t("imp.mappings.forgotten", cfg.lang, id=layout_id), highlight=False)
