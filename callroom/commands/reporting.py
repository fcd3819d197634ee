"""`callroom report` and `callroom export`: the lead's figures and the file back to the district.

The report and export modules are imported inside the commands: every `callroom` start loads
this module, and the caller screen's start-up must not pay for them.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text
from typer.core import TyperCommand

from callroom.commands.base import app, console, fail, get_config, open_store
from callroom.config import Config
from callroom.i18n import t

REPORT_FORMATS = ("table", "chat", "json", "csv")


def _day(text: str | None, lang: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(t("rep.bad_date", lang, value=repr(text)), 2) from None


def _width() -> int:
    """The terminal's width (COLUMNS wins, as for any command-line tool)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return console.width


def _lead_only(cfg: Config, key: str) -> None:
    """Refuse a lead action to a caller when [roles] names the leads."""
    if not cfg.is_lead():
        raise fail(t(key, cfg.lang, login=cfg.login or "?"), 1)


# the file name's extension says the format when --format is not given (and must not contradict
# it when it is): a .csv holding xlsx bytes or a text table opens as garbage in Excel
REPORT_SUFFIXES = {".csv": ("csv",), ".json": ("json",), ".txt": ("table", "chat")}
EXPORT_SUFFIXES = {".xlsx": ("xlsx",), ".csv": ("csv",)}


def _format_for(
    given: str | None, output: Path | None, suffixes: dict[str, tuple[str, ...]], lang: str
) -> str | None:
    """The format to write: --format, else the output's extension; None: the command's default.
    A file without an extension takes the format as given (or the default)."""
    suffix = output.suffix.lower() if output is not None else ""
    if not suffix:
        return given
    fits = suffixes.get(suffix)
    known = ", ".join(suffixes)
    if fits is None:
        raise fail(t("out.bad_suffix", lang, path=output, suffix=suffix, known=known), 2)
    if given is not None and given not in fits:
        raise fail(t("out.contradicts", lang, path=output, format=given, fits="/".join(fits)), 2)
    return given or fits[0]


def _write(cfg: Config, path: Path, text: str, encoding: str = "utf-8") -> None:
    from callroom.files import WriteFailed, atomic_write

    try:
        atomic_write(path, text, encoding=encoding, shared_group=cfg.shared_group)
    except WriteFailed as exc:
        raise fail(exc.text(cfg.lang), 1) from None
    console.print(Text(t("rep.written", cfg.lang, path=path)), highlight=False)


@app.command()
def report(
    date_: Annotated[
        str | None, typer.Option("--date", help="Day YYYY-MM-DD (default today).")
    ] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="One list, by id or name.")] = None,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="table (the terminal), chat (the group-chat message, 40 columns), json "
            "(personal data masked) or csv (for Excel). Default: from -o's extension (.csv, "
            ".json, .txt), else table.",
        ),
    ] = None,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal", help="json: show names, phones, addresses and notes (leads; audited)."
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (mode 0600).")
    ] = None,
    all_offices: Annotated[
        bool,
        typer.Option(
            "--all-offices",
            help="A street's shared database: every office's lists, not only \\[general] office's.",
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="office: the street's offices ranked by share done, then match rate (the "
            "coordinator's table; any --format).",
        ),
    ] = None,
) -> None:
    """Progress figures for the half-hourly report: lists, outcomes, rates, callers."""
    from callroom.export import csv_text
    from callroom.report_text import chat_text, csv_rows, table_lines
    from callroom.reports import build, office_scope, scope_batches

    cfg = get_config()
    lang = cfg.lang
    if format_ is not None and format_ not in REPORT_FORMATS:
        known = ", ".join(REPORT_FORMATS)
        raise fail(t("rep.bad_format", lang, value=repr(format_), known=known), 2)
    format_ = _format_for(format_, output, REPORT_SUFFIXES, lang) or "table"
    if reveal and format_ != "json":
        raise fail(t("rep.reveal_table", lang), 2)
    if reveal:
        _lead_only(cfg, "rep.reveal_lead_only")
    day = _day(date_, lang)
    if by is not None:
        if by != "office":
            raise fail(t("office.bad_by", lang, value=repr(by)), 2)
        if reveal or batch is not None:
            raise fail(t("office.by_alone", lang), 2)
        _by_office(cfg, day, format_, output)
        return
    with open_store(cfg) as store:
        if batch is not None and not scope_batches(
            store, batch=batch, office=office_scope(store, all_offices)
        ):
            raise fail(t("rep.no_list", lang, name=repr(batch)), 1)
        rep = build(store, day, batch, all_offices=all_offices)
        if reveal:
            # like a reveal on a card: who saw whose data, without the data itself
            store.log_event(
                "reveal",
                cfg.operator,
                detail={"what": "report", "login": cfg.login, "tasks": rep.task_ids()},
            )
    if format_ == "json":
        text = rep.to_json(reveal) + "\n"
    elif format_ == "chat":
        text = chat_text(rep, cfg)
    elif format_ == "csv":
        text = csv_text(*csv_rows(rep, cfg))
    else:
        width = 80 if output is not None else _width()
        lines = table_lines(rep, cfg, width, batch)
        if output is None:
            for line, style in lines:
                console.print(Text(line, style), highlight=False, crop=False, no_wrap=True)
            return
        text = "\n".join(line for line, _ in lines) + "\n"
    if output is not None:
        # CSV for Excel: UTF-8 with BOM, or Chinese Windows shows it garbled
        _write(cfg, output, text, "utf-8-sig" if format_ == "csv" else "utf-8")
    else:
        typer.echo(text, nl=False)


def _by_office(cfg: Config, day: date | None, format_: str, output: Path | None) -> None:
    """The offices ranked, in the format asked for (figures only: no personal data)."""
    from callroom import office_report
    from callroom.export import csv_text

    lang = cfg.lang
    with open_store(cfg) as store:
        rows = office_report.rank(store, day)
        at = store.now().strftime("%Y-%m-%d %H:%M")
    if format_ == "json":
        text = office_report.to_json(rows, at)
    elif format_ == "chat":
        text = office_report.chat_text(rows, lang, at)
    elif format_ == "csv":
        text = csv_text(*office_report.csv_rows(rows, lang))
    else:
        text = "\n".join(office_report.table_lines(rows, lang, at)) + "\n"
    if output is not None:
        _write(cfg, output, text, "utf-8-sig" if format_ == "csv" else "utf-8")
    else:
        typer.echo(text, nl=False)


class _ExportCommand(TyperCommand):
    """`--template` given without a name lists the templates (typer has no optional values)."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
        args = list(args)
        for i, arg in enumerate(args):
            if arg == "--template" and (i + 1 == len(args) or args[i + 1].startswith("-")):
                args[i] = "--template="
        return super().parse_args(ctx, args)


@app.command("export", cls=_ExportCommand)
def export_cmd(
    batch: Annotated[str | None, typer.Option("--batch", help="One list, by id or name.")] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Lists of this day, YYYY-MM-DD.")
    ] = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", help="xlsx or csv. Default: from -o's extension, else xlsx."),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template", help="Template from callroom.toml; --template alone lists them."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    field_visits: Annotated[
        bool, typer.Option("--field-visits", help="Write the field-visit list instead.")
    ] = False,
    route: Annotated[
        bool,
        typer.Option(
            "--route",
            help="The field-visit list as a walking route: by compound, building, unit, room.",
        ),
    ] = False,
    all_offices: Annotated[
        bool,
        typer.Option(
            "--all-offices",
            help="A street's shared database: every office's lists, not only \\[general] office's.",
        ),
    ] = False,
) -> None:
    """Write results in the district's format (xlsx/csv, mode 0600, Excel-safe; leads only)."""
    from callroom.export import ExportError, export, template_names
    from callroom.files import WriteFailed
    from callroom.reports import office_scope, scope_batches

    cfg = get_config()
    lang = cfg.lang
    if template == "":
        _list_templates(cfg)
        return
    if format_ is not None and format_ not in ("xlsx", "csv"):
        raise fail(t("exp.bad_format", lang, format=repr(format_)), 2)
    format_ = _format_for(format_, output, EXPORT_SUFFIXES, lang) or "xlsx"
    if template is not None and template not in cfg.export_templates:
        known = ", ".join(template_names(cfg))
        raise fail(t("exp.no_template", lang, name=repr(template), known=known), 2)
    _lead_only(cfg, "exp.lead_only")
    day = _day(date_, lang)
    with open_store(cfg) as store:
        # on a street's database: this office's lists (another office's residents are theirs)
        ids = scope_batches(store, day, batch, office_scope(store, all_offices))
        if not ids:
            if batch is not None:
                raise fail(t("exp.no_list", lang, name=repr(batch)), 1)
            shown = (day or store.now().date()).isoformat()
            raise fail(t("exp.no_lists_day", lang, day=shown), 1)
        if output is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            kind = "route" if route else "field-visits" if field_visits else "results"
            output = cfg.export_path(f"callroom-{kind}-{stamp}.{format_}")
        try:
            result = export(
                store, ids, output, format_, cfg.operator, template, field_visits, route
            )
        except ExportError as exc:
            raise fail(exc.text(lang), 1) from None
        except WriteFailed as exc:
            raise fail(exc.text(lang), 1) from None
    console.print(
        Text(t("exp.done", lang, rows=result.rows, path=result.path.resolve())), highlight=False
    )


def _list_templates(cfg: Config) -> None:
    lang = cfg.lang
    console.print(Text(t("exp.templates", lang)), highlight=False)
    for name, columns in cfg.export_templates.items():
        mark = f" ({t('exp.template_default', lang)})" if name == cfg.default_template else ""
        fields = ", ".join(_template_column(header, fld, lang) for header, fld in columns)
        console.print(Text(f"  {name}{mark}: ", "bold") + Text(fields), highlight=False)


def _template_column(header: str, fld: str, lang: str) -> str:
    """How a template column reads in the list: its header, and the field when that helps."""
    if header:
        return f"{header}={fld}"
    key = f"exp.field.{fld}"
    words = t(key, lang)
    return fld if words == key else f"{words}({fld})"
