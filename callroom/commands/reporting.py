"""`callroom report` and `callroom export`: the lead's figures and the file back to the district."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from callroom.cli import app, console, fail, get_config, open_store
from callroom.export import ExportError, export
from callroom.i18n import state_label, t
from callroom.reports import Report, build, scope_batches, sparkline
from callroom.schedule import FIELD_VISIT, OPEN_STATES


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--date {text!r}: use the form 2026-10-31", 2) from None


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


@app.command()
def report(
    date_: Annotated[
        str | None, typer.Option("--date", help="Day YYYY-MM-DD (default today).")
    ] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="One list, by id or name.")] = None,
    format_: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Progress figures for the half-hourly report: lists, outcomes, rates, callers."""
    if format_ not in ("table", "json", "csv"):
        raise fail(f"--format {format_!r}: use table, json or csv", 2)
    cfg = get_config()
    with open_store(cfg) as store:
        if batch is not None and not scope_batches(store, batch=batch):
            raise fail(f"no list {batch!r}; `callroom status` shows the lists", 1)
        rep = build(store, _day(date_), batch)
    if format_ == "json":
        typer.echo(rep.to_json())
    elif format_ == "csv":
        typer.echo(_report_csv(rep, cfg.lang), nl=False)
    else:
        _report_tables(rep, cfg)


def _report_csv(rep: Report, lang: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "key", "value"])
    for b in rep.batches:
        w.writerow(["batch", b.name, f"{b.done}/{b.total}"])
    for k, v in rep.outcomes.items():
        w.writerow(["outcome", k, v])
    r = rep.rates
    for k in ("response", "cooperation", "refusal_rate", "contact", "verified_rate"):
        w.writerow(["rate", k, getattr(r, k)])
    for c in rep.callers:
        w.writerow(["caller", c.operator, c.calls])
    return buf.getvalue()


def _report_tables(rep: Report, cfg) -> None:
    lang = cfg.lang
    zh = lang == "zh"
    if not rep.batches:
        console.print(t("cli.empty", lang))
        return
    bt = Table(
        title=f"{'进度' if zh else 'Progress'} {rep.at[:16]}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    bt.add_column(t("cli.col.batch", lang), no_wrap=True, min_width=8, max_width=24)
    for col in ("完成" if zh else "Done", "%", "截止" if zh else "Due"):
        bt.add_column(col, no_wrap=True)
    # what a lead acts on; duplicates and linked rows are already inside "done"
    shown_states = (*OPEN_STATES, FIELD_VISIT)
    short_en = {"retry": "Retry", "field_visit": "Visit"}  # keeps the table inside 80 columns
    for s in shown_states:
        label = state_label(s, lang) if zh else short_en.get(s, state_label(s, lang))
        bt.add_column(label, justify="right", no_wrap=True)
    for b in rep.batches:
        left = "-" if b.minutes_left is None else (
            f"{b.minutes_left // 60}h{b.minutes_left % 60:02d}m" if b.minutes_left >= 0
            else ("超时" if zh else "late ") + f"{-b.minutes_left}m"
        )  # fmt: skip
        bt.add_row(
            b.name, f"{b.done}/{b.total}", f"{b.share * 100:.0f}%", left,
            *(str(b.by_state.get(s, 0)) for s in shown_states),
        )  # fmt: skip
    console.print(bt)

    r = rep.rates
    rt = Table(
        title="口径 (AAPOR)" if zh else "Rates (AAPOR)", title_justify="left", box=box.SIMPLE_HEAD
    )
    for col in ("核实率" if zh else "Matched", "应答率 RR1" if zh else "Response RR1",
                "合作率 COOP1" if zh else "Cooperation", "拒绝率 REF1" if zh else "Refusal",
                "接触率 CON1" if zh else "Contact"):  # fmt: skip
        rt.add_column(col, justify="right")
    rt.add_row(
        f"{_pct(r.verified_rate)} ({r.verified})", _pct(r.response), _pct(r.cooperation),
        _pct(r.refusal_rate), _pct(r.contact),
    )  # fmt: skip
    console.print(rt)

    ot = Table(title=t("cli.status.outcomes", lang), title_justify="left", box=box.SIMPLE_HEAD)
    ot.add_column(t("cli.col.outcome", lang))
    ot.add_column(t("cli.col.final", lang), justify="right")
    ot.add_column("%", justify="right")
    ot.add_column(t("cli.col.calls", lang) + f" {rep.day}", justify="right")
    finals = sum(rep.outcomes.values()) or 1
    for o in cfg.outcomes:
        n = rep.outcomes.get(o.code, 0)
        ot.add_row(
            o.label(lang),
            str(n),
            f"{n / finals * 100:.0f}%",
            str(rep.calls_by_outcome.get(o.code, 0)),
        )
    console.print(ot)

    ct = Table(title="拨打员" if zh else "Callers", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("", "通话" if zh else "Calls", "完成" if zh else "Completes", "每小时" if zh else "Per hour",
                "状态" if zh else "Status", "最后活动" if zh else "Last activity"):  # fmt: skip
        ct.add_column(col)
    for c in rep.callers:
        status = {"on_card": "拨打中" if zh else "on a card", "paused": "暂停" if zh else "paused",
                  "idle": "空闲" if zh else "idle"}[c.status]  # fmt: skip
        ct.add_row(c.operator, str(c.calls), str(c.completes), f"{c.calls_per_hour:.1f}", status,
                   (c.last_activity or "-")[11:16])  # fmt: skip
    console.print(ct)
    first = next((i for i, v in enumerate(rep.slots) if v), None)
    if first is not None:
        now_slot = min(len(rep.slots), int(rep.at[11:13]) * 2 + int(rep.at[14:16]) // 30 + 1)
        shown = rep.slots[first : max(now_slot, first + 1)]
        console.print(f"{'每30分钟通话' if zh else 'Calls per 30 min'} {first // 2:02d}:{first % 2 * 30:02d} "
                      f"[cyan]{sparkline(shown)}[/] max {max(shown)}", highlight=False)  # fmt: skip
    lists = [
        ("紧急/重点人群待拨" if zh else "Urgent/vulnerable waiting", rep.urgent),
        ("已超时" if zh else "Overdue", rep.overdue),
        ("到点回拨" if zh else "Callbacks due", rep.callbacks_due),
        ("上门排查" if zh else "Field visits", rep.field_visits),
        ("拒绝/非本人" if zh else "Refused / wrong person", rep.refused),
    ]
    console.print(
        "  ".join(f"{name}: [bold]{len(items)}[/]" for name, items in lists), highlight=False
    )
    if rep.urgent_wait:
        w = rep.urgent_wait
        console.print(
            ("紧急任务等待(分钟)" if zh else "Urgent wait (min)")
            + f": median {w['median']}  p90 {w['p90']}  max {w['max']}  (n={int(w['count'])})",
            highlight=False,
        )


@app.command("export")
def export_cmd(
    batch: Annotated[str | None, typer.Option("--batch", help="One list, by id or name.")] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Lists of this day, YYYY-MM-DD.")
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
    template: Annotated[
        str | None, typer.Option("--template", help="Template from callroom.toml.")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    field_visits: Annotated[
        bool, typer.Option("--field-visits", help="Write the field-visit list instead.")
    ] = False,
) -> None:
    """Write results in the district's format (xlsx/csv, mode 0600, formula-safe)."""
    cfg = get_config()
    if format_ not in ("xlsx", "csv"):
        raise fail(f"--format {format_!r}: use xlsx or csv", 2)
    with open_store(cfg) as store:
        ids = scope_batches(store, _day(date_), batch)
        if not ids:
            what = (
                f"list {batch!r}" if batch else f"list imported on {date_ or 'today'} and none open"
            )
            raise fail(f"no {what}; `callroom status` shows the lists", 1)
        if output is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            kind = "field-visits" if field_visits else "results"
            output = Path(f"callroom-{kind}-{stamp}.{format_}")
        try:
            result = export(store, ids, output, format_, cfg.operator, template, field_visits)
        except ExportError as exc:
            raise fail(str(exc), 1) from None
    console.print(
        (f"已导出 {result.rows} 行到 {result.path}" if cfg.lang == "zh"
         else f"Exported {result.rows} rows to {result.path}"),
        highlight=False,
    )  # fmt: skip
