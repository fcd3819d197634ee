"""Operations: `callroom doctor`, `callroom backup`, `callroom drill`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from callroom.commands.base import app, console, error_lang, fail, get_config, open_store, state
from callroom.config import BUILT_IN, Config, ConfigError, load_config
from callroom.i18n import t
from callroom.linebreak import Prose
from callroom.said import said
from callroom.store import StoreError


@app.command()
def doctor(
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Repair what this account may: group and mode of its own files, cards held "
            "by ended sessions.",
        ),
    ] = False,
) -> None:
    """Check config, roles, permissions (shared group), integrity, schema and held cards."""
    from callroom.doctor import FAIL, OK, Finding, run

    try:
        cfg = load_config(state.config_path, {"lang": state.lang, "operator": state.operator})
    except ConfigError as exc:
        lang = error_lang(exc)
        _print([Finding("config", FAIL, exc)], lang)
        raise typer.Exit(2) from None
    state.config = cfg
    found = [Finding("config", OK, cfg.path or BUILT_IN), *run(cfg, fix)]
    _print(found, cfg.lang)
    if any(f.status == FAIL for f in found):
        raise typer.Exit(1)


_COLOUR = {"ok": "green", "info": "cyan", "warn": "yellow", "fail": "bold red"}


def _print(found: list, lang: str) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="callroom doctor", title_justify="left")
    table.add_column(t("doctor.col.check", lang), no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(t("doctor.col.detail", lang), overflow="fold")
    for f in found:
        detail = escape(str(said(f.detail, lang)))
        if f.commands:
            shown = "\n".join(f"  {escape(c)}" for c in f.commands)
            detail += f"\n{t('doctor.fix_with', lang)}\n[bold]{shown}[/]"
        status = t(f"doctor.status.{f.status}", lang)
        table.add_row(
            t(f"doctor.check.{f.check}", lang), f"[{_COLOUR[f.status]}]{status}[/]", detail
        )
    console.print(table)


@app.command()
def backup(
    target: Annotated[
        Path | None,
        typer.Argument(
            help="Backup file (default: callroom-backup-YYYYMMDD-HHMM.db beside the database)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Copy the database with SQLite's online backup, safe while callers work: checked, then
    written whole or not at all (mode 0600, or 0660 with a shared group)."""
    from callroom.backup import backup_to, default_name

    cfg = get_config()
    lang = cfg.lang
    if cfg.database_url:  # the server's own tool does it properly; never pretend
        raise fail(t("backup.pg_dump", lang, command=pg_dump_command(cfg)), 1)
    target = target if target is not None else cfg.database.parent / default_name()
    if target.resolve() == cfg.database.resolve():
        raise fail(t("backup.is_live", lang, path=target), 1)
    with open_store(cfg) as store:
        size = backup_to(store.conn, target, cfg.shared_group, overwrite=force, source=store.path)
        tasks = store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        try:
            store.log_event("backup", cfg.operator, detail={"file": target.name})
        except StoreError as exc:  # the copy is made; say that the audit log missed it
            console.print(f"[yellow]![/] {escape(exc.text(lang))}", highlight=False)
    console.print(Prose(t("backup.done", lang, path=target, tasks=tasks, size=size // 1024)))


def pg_dump_command(cfg: Config) -> str:
    """The pg_dump command for this database (its URL without the password)."""
    import shlex
    from datetime import datetime

    name = f"callroom-backup-{datetime.now():%Y%m%d-%H%M}.dump"
    return f"pg_dump --format=custom --file={name} {shlex.quote(cfg.database_label)}"


def _share(text: str, lang: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise fail(t("drill.bad_share", lang, value=repr(text)), 2) from None
    if not 0 <= value <= 1:
        raise fail(t("drill.share_range", lang, value=repr(text)), 2)
    return value


@app.command()
def drill(
    tasks: Annotated[int, typer.Option(help="Cases in the surge list.")] = 5000,
    urgent: Annotated[str, typer.Option(help="Share of urgent cases, e.g. 5%.")] = "5%",
    callers: Annotated[int, typer.Option(help="Callers on duty.")] = 8,
    minutes: Annotated[int, typer.Option(help="Length of the simulated day.")] = 480,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same day.")] = 1,
    priority: Annotated[
        bool, typer.Option("--priority/--no-priority", help="Urgent cases jump the queue.")
    ] = True,
    odds: Annotated[
        str | None, typer.Option(help="Outcome shares, e.g. verified=0.5,no_answer=0.3.")
    ] = None,
    call_seconds: Annotated[
        int | None, typer.Option(help="Mean length of a call that reaches someone.")
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    inbound: Annotated[
        int | None,
        typer.Option(
            "--inbound",
            help="Simulate N residents ringing in (the inbound desk), with and without triage.",
        ),
    ] = None,
    outbound: Annotated[
        int, typer.Option(help="With --inbound: outbound tasks waiting in the same queue.")
    ] = 0,
) -> None:
    """Simulate a surge day on a scratch database: urgent wait times and cases solved per hour.
    With --inbound N: an inbound surge through the same queue, with and without triage."""
    from callroom.drill import DrillError, DrillSettings, run

    cfg = get_config()
    lang = cfg.lang
    if format_ not in ("table", "json"):
        raise fail(t("drill.bad_format", lang, value=repr(format_)), 2)
    if inbound is not None:
        from callroom.commands.inbound import drill_inbound

        drill_inbound(cfg, inbound, _share(urgent, lang), callers, minutes, seed, outbound,
                      format_)  # fmt: skip
        return
    parsed = None
    if odds:
        try:
            parsed = {k.strip(): float(v) for k, v in (p.split("=") for p in odds.split(","))}
        except ValueError:
            raise fail(t("drill.bad_odds", lang, value=repr(odds)), 2) from None
    settings = DrillSettings(
        tasks=tasks, urgent_share=_share(urgent, lang), callers=callers, minutes=minutes,
        seed=seed, priority=priority, odds=parsed, reached_seconds=call_seconds,
    )  # fmt: skip
    try:
        result = run(cfg, settings)
    except DrillError as exc:
        raise fail(exc.text(lang), 2) from None
    if format_ == "json":
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    s = result.settings
    order = t("drill.urgent_first" if s.priority else "drill.list_order", lang)
    console.print(
        t("drill.title", lang, tasks=s.tasks, share=f"{s.urgent_share:.0%}", callers=s.callers,
          minutes=s.minutes, order=order, seed=s.seed),
        highlight=False,
    )  # fmt: skip
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(t("drill.col.wait", lang))
    for col in ("n", "median", "p90", "max"):
        table.add_column(t(f"drill.col.{col}", lang), justify="right")
    for label, w in (
        (t("drill.until_first", lang), result.urgent_first_call),
        (t("drill.until_solved", lang), result.urgent_solved),
    ):
        table.add_row(label, *(str(w.get(k, "-")) for k in ("count", "median", "p90", "max")))
    console.print(table)
    console.print(
        t("drill.summary", lang, calls=result.calls, solved=result.solved,
          visits=result.field_visits, open=result.still_open, never=result.urgent_never_called),
        highlight=False,
    )  # fmt: skip
    console.print(t("drill.per_hour", lang))
    per_hour = Table(box=box.SIMPLE_HEAD)
    for h in range(len(result.solved_per_hour)):
        per_hour.add_column(t("drill.hour", lang, h=f"{8 + h:02d}"), justify="right")
    per_hour.add_row(*(str(n) for n in result.solved_per_hour))
    console.print(per_hour)
