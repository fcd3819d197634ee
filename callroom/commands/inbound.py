"""The inbound desk's commands: `callroom roster` (white-lists of vulnerable residents) and
`callroom appeals` (batch submission for review, the decisions read back).

The importer and the Excel writers load only inside the commands.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from callroom.cli import app, console, fail, get_config, open_store
from callroom.commands.importing import _mapping
from callroom.config import Config
from callroom.i18n import t
from callroom.privacy import mask_name

if TYPE_CHECKING:
    from callroom.inbound.roster import Entry, RosterDiff

SHOWN = 12  # entries listed per kind of change; the rest counted

# -- callroom roster ---------------------------------------------------------------------------

roster_app = typer.Typer(
    help="The roster (白名单) of vulnerable residents per compound: counts, and `import`.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(roster_app, name="roster")


@roster_app.callback()
def roster(ctx: typer.Context) -> None:
    """People on the roster per compound and category."""
    if ctx.invoked_subcommand is not None:
        return
    from callroom.inbound import CATEGORIES
    from callroom.inbound.roster import counts

    cfg = get_config()
    lang = cfg.lang
    with open_store(cfg) as store:
        rows = counts(store.conn)
    if not rows:
        console.print(t("roster.empty", lang), highlight=False)
        return
    used = [c for c in CATEGORIES if any(cats[c] for _, cats, _ in rows)]
    table = Table(title=t("roster.title", lang), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(t("roster.col.compound", lang), overflow="fold")
    for c in used:
        table.add_column(t(f"roster.cat.{c}", lang), justify="right")
    table.add_column(t("roster.col.total", lang), justify="right")
    for compound, cats, total in rows:
        table.add_row(escape(compound or "-"), *(str(cats[c]) for c in used), str(total))
    table.add_section()
    table.add_row(
        t("cli.total", lang), *(str(sum(cats[c] for _, cats, _ in rows)) for c in used),
        str(sum(total for *_, total in rows)), style="bold",
    )  # fmt: skip
    console.print(table)


@roster_app.command("import")
def roster_import(
    files: Annotated[list[Path], typer.Argument(help="Rosters: .xlsx .xls .ods .csv .txt")],
    compound: Annotated[
        str | None,
        typer.Option("--compound", help="The compound of files without a compound column."),
    ] = None,
    replace_all: Annotated[
        bool,
        typer.Option(
            "--replace-all", help="Replace the whole roster (compounds not in the files go)."
        ),
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Name a column by letter or header: C=phone (fields: phone, alt_phone, name, "
            "id_number, compound, building, unit, room, category, address, note, ignore).",
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, write nothing.")
    ] = False,
) -> None:
    """Load the standing per-compound lists of vulnerable residents (the list importer's reading
    rules). Shows what is added, changed and removed, then replaces the compounds in the files
    in one transaction; open tasks whose phone or ID matches take the flags and compound."""
    from callroom.importer.model import ImportFailed
    from callroom.inbound.roster import compare, replace
    from callroom.inbound.roster_read import RosterOptions, read_files

    cfg = get_config()
    lang = cfg.lang
    options = RosterOptions(
        mapping=_mapping(map_ or [], lang), sheet=sheet, compound=compound,
        replace_all=replace_all, dry_run=dry_run,
    )  # fmt: skip
    with open_store(cfg) as store:
        try:
            read = read_files(store, files, options)
        except ImportFailed as exc:
            raise fail(f"{exc.text(lang)}\n{t('imp.nothing', lang)}") from None
        for rep in read.reports:
            console.print(
                t("roster.read", lang, file=escape(rep.file.name), rows=rep.rows_read,
                  entries=rep.entries, compounds=escape(", ".join(rep.compounds))),
                highlight=False,
            )  # fmt: skip
            if rep.repeated or rep.rejected_total:
                console.print(
                    t("roster.read_more", lang, repeated=rep.repeated,
                      rejected=rep.rejected_total, rejects=rep.rejects_path or "-"),
                    highlight=False,
                )  # fmt: skip
        if dry_run:
            _show_diff(compare(store, read, replace_all), cfg)
            console.print(t("roster.dry_run", lang), highlight=False)
            return
        done = replace(store, read, cfg.operator, replace_all)
    _show_diff(done.diff, cfg)
    console.print(
        t("roster.replaced", lang, compounds=len(done.diff.compounds), entries=done.entries,
          flagged=done.tasks_flagged),
        highlight=False,
    )  # fmt: skip


def _who(e: Entry, lang: str) -> str:
    cats = " ".join(t(f"roster.cat.{c}", lang) for c in e.categories.split(",") if c)
    return " ".join(x for x in (e.place, mask_name(e.name) or "-", cats) if x)


def _show_diff(diff: RosterDiff, cfg: Config) -> None:
    lang = cfg.lang
    console.print(
        t("roster.diff", lang, added=len(diff.added), changed=len(diff.changed),
          removed=len(diff.removed), unchanged=diff.unchanged),
        highlight=False,
    )  # fmt: skip
    for kind, style, entries in (("added", "green", diff.added), ("removed", "red", diff.removed)):
        for e in entries[:SHOWN]:
            console.print(f"  [{style}]{t('roster.' + kind, lang)}[/] {escape(_who(e, lang))}",
                          highlight=False)  # fmt: skip
        if len(entries) > SHOWN:
            console.print(t("roster.more", lang, n=len(entries) - SHOWN), highlight=False)
    for before, after in diff.changed[:SHOWN]:
        what = [
            t(f"roster.field.{name}", lang)
            for name, a, b in (
                ("categories", before.categories, after.categories),
                ("phones", before.phones, after.phones),
                ("place", before.place, after.place),
                ("name", before.name, after.name),
            )
            if a != b
        ] or [t("roster.field.other", lang)]
        console.print(
            f"  [yellow]{t('roster.changed', lang)}[/] {escape(_who(after, lang))} "
            f"({escape(', '.join(what))})",
            highlight=False,
        )
    if len(diff.changed) > SHOWN:
        console.print(t("roster.more", lang, n=len(diff.changed) - SHOWN), highlight=False)
    if diff.kept:
        kept = ", ".join(f"{k or '-'} {n}" for k, n in diff.kept.items())
        console.print(t("roster.kept", lang, compounds=escape(kept)), highlight=False)


# -- callroom appeals --------------------------------------------------------------------------

appeals_app = typer.Typer(
    help="Inbound appeals: cases by status, `export` for review, `import-results` back.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(appeals_app, name="appeals")


@appeals_app.callback()
def appeals(ctx: typer.Context) -> None:
    """Inbound cases by status: to call back, ready to submit, submitted, decided."""
    if ctx.invoked_subcommand is not None:
        return
    from callroom.inbound import STATUSES
    from callroom.inbound.appeals import counts

    cfg = get_config()
    lang = cfg.lang
    with open_store(cfg) as store:
        found = counts(store.conn)
    table = Table(title=t("appeal.status_title", lang), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(t("case.status", lang))
    table.add_column(t("cli.col.count", lang), justify="right")
    for status in STATUSES:
        table.add_row(t(f"case.status.{status}", lang), str(found.get(status, 0)))
    console.print(table)


def _lead_only(cfg: Config) -> None:
    if not cfg.is_lead():
        raise fail(t("appeal.lead_only", cfg.lang, login=cfg.login or "?"), 1)


@appeals_app.command("export")
def appeals_export(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="File to write (default: appeals-YYYYMMDD-HHMM.xlsx here)."
        ),
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="xlsx (default) or csv.")] = "xlsx",
) -> None:
    """Write the appeals ready for review in the reviewing system's columns ([appeals] in
    callroom.toml) and mark them submitted with a batch number: whole or not at all, mode 0600
    (0660 with a shared group), audited; leads only when [roles] is set."""
    from callroom.files import WriteFailed
    from callroom.inbound.appeals import export
    from callroom.store import StoreError

    cfg = get_config()
    _lead_only(cfg)
    lang = cfg.lang
    if format_ not in ("xlsx", "csv"):
        raise fail(t("appeal.bad_format", lang, format=repr(format_), known="xlsx, csv"), 2)
    path = output or Path(f"appeals-{datetime.now():%Y%m%d-%H%M}.{format_}")
    with open_store(cfg) as store:
        try:
            done = export(store, path, cfg.operator, format_)
        except WriteFailed as exc:
            raise fail(exc.text(lang), 1) from None
        except StoreError as exc:
            raise fail(exc.text(lang), 1) from None
    console.print(
        t("appeal.exported", lang, batch=done.batch_no, n=done.cases, path=escape(str(path))),
        highlight=False,
    )


@appeals_app.command("import-results")
def appeals_import_results(
    files: Annotated[list[Path], typer.Argument(help="The reviewers' decisions: xlsx, csv ...")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Name a column by letter or header: E=decision (fields: case, decision, "
            "reason, id_number, phone, name, ignore).",
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be done, write nothing.")
    ] = False,
) -> None:
    """Read the decisions back (approved, or rejected with the reason): approved cases close,
    rejected ones come back to the queue with the reason on their card. All in one
    transaction; leads only when [roles] is set."""
    from callroom.importer.model import ImportFailed
    from callroom.inbound.appeals import import_decisions

    cfg = get_config()
    _lead_only(cfg)
    lang = cfg.lang
    with open_store(cfg) as store:
        try:
            reports = import_decisions(
                store, files, cfg.operator, _mapping(map_ or [], lang), sheet, dry_run
            )
        except ImportFailed as exc:
            raise fail(f"{exc.text(lang)}\n{t('imp.nothing', lang)}") from None
    for rep in reports:
        console.print(
            t("appeal.decisions", lang, file=escape(rep.file.name), approved=rep.approved,
              rejected=rep.rejected_cases, pending=rep.pending, already=rep.already,
              changed=rep.changed, not_submitted=rep.not_submitted, unknown=rep.unknown),
            highlight=False,
        )  # fmt: skip
        if rep.rejected_total:
            console.print(
                t("appeal.decisions_rejects", lang, n=rep.rejected_total,
                  path=escape(str(rep.rejects_path or "-"))),
                highlight=False,
            )  # fmt: skip
    if dry_run:
        console.print(t("appeal.dry_run", lang), highlight=False)


# -- callroom drill --inbound ------------------------------------------------------------------


def drill_inbound(cfg: Config, cases: int, urgent: float, callers: int, minutes: int, seed: int,
                  outbound: int, format_: str) -> None:  # fmt: skip
    """Run the inbound surge twice, with and without triage, and print the two side by side."""
    import json
    from dataclasses import asdict

    from callroom.drill import DrillError
    from callroom.drill_inbound import InboundSettings, run_inbound

    lang = cfg.lang
    settings = InboundSettings(cases=cases, urgent_share=urgent, callers=callers,
                               minutes=minutes, seed=seed, outbound=outbound)  # fmt: skip
    try:
        results = [run_inbound(cfg, replace(settings, triage=tr)) for tr in (True, False)]
    except DrillError as exc:
        raise fail(exc.text(lang), 2) from None
    if format_ == "json":
        console.print_json(json.dumps([asdict(r) for r in results], ensure_ascii=False))
        return
    console.print(
        t("drill.in.title", lang, cases=cases, share=f"{urgent:.0%}", callers=callers,
          minutes=minutes, outbound=outbound, seed=seed),
        highlight=False,
    )  # fmt: skip
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(t("drill.in.col.measure", lang))
    table.add_column(t("drill.in.col.triage", lang), justify="right")
    table.add_column(t("drill.in.col.fifo", lang), justify="right")

    def wait(w: dict[str, float], key: str) -> str:
        return str(w[key]) if w else "-"

    rows: list[tuple[str, list[str]]] = []
    for which in ("urgent", "all"):
        for key in ("median", "p90", "max"):
            label = t("drill.in.to_intake", lang, which=t(f"rep.in.{which}", lang),
                      stat=t(f"drill.col.{key}", lang))  # fmt: skip
            rows.append((label, [wait(r.figures.to_intake.get(which, {}), key) for r in results]))
    rows += [
        (t("drill.in.urgent_waiting", lang), [str(r.urgent_waiting) for r in results]),
        (t("drill.in.waiting", lang), [str(r.figures.waiting) for r in results]),
        (t("drill.in.solved", lang), [str(r.figures.solved) for r in results]),
        (t("rep.in.col.per_hour", lang), [f"{r.figures.solved_per_hour:.1f}" for r in results]),
        (t("drill.in.calls", lang), [str(r.calls) for r in results]),
    ]
    if outbound:
        rows.append((t("drill.in.outbound_done", lang), [str(r.outbound_done) for r in results]))
    for label, values in rows:
        table.add_row(label, *values)
    console.print(table)
