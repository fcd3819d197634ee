"""Operations: `callroom doctor`, `callroom backup`, `callroom drill`."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from callroom.cli import app, console, fail, get_config, open_store, state
from callroom.config import ConfigError, load_config
from callroom.store import SCHEMA_VERSION


def _network_fs(path: Path) -> str | None:
    """The filesystem type if the database sits on a network share (WAL is unsafe there)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best = ("", "")
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return (
        best[1] if best[1] in ("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs") else None
    )


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--fix", help="Return stale claims to the queue.")] = False,
) -> None:
    """Check config, database integrity, WAL, permissions, schema version and stale claims."""
    rows: list[tuple[str, str, str]] = []
    try:
        cfg = load_config(state.config_path, {"lang": state.lang, "operator": state.operator})
        rows.append(("config", "ok", str(cfg.path or "built-in defaults")))
    except ConfigError as exc:
        rows.append(("config", "FAIL", str(exc)))
        _print(rows)
        raise typer.Exit(2) from None

    db = cfg.database
    if not db.exists():
        rows.append(("database", "FAIL", f"{db} does not exist; run `callroom init`"))
        _print(rows)
        raise typer.Exit(1)
    mode = stat.S_IMODE(os.stat(db).st_mode)
    want = 0o660 if cfg.shared_group else 0o600
    loose = mode & ~want
    rows.append(
        ("permissions", "ok" if not loose else "WARN",
         f"{oct(mode)}" + ("" if not loose else f": others can read personal data; chmod {oct(want)[2:]} {db}"))
    )  # fmt: skip
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        if side.exists() and stat.S_IMODE(os.stat(side).st_mode) & ~want:
            rows.append(
                (f"permissions{suffix}", "WARN", f"{oct(stat.S_IMODE(os.stat(side).st_mode))}")
            )
    if fs := _network_fs(db):
        rows.append(
            (
                "filesystem",
                "FAIL",
                f"{fs}: SQLite WAL is unsafe on a network share; use a local disk",
            )
        )
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError as exc:
        rows.append(("integrity", "FAIL", f"{db}: not a readable callroom database ({exc})"))
        _print(rows)
        raise typer.Exit(1) from None
    ok = integrity == [("ok",)]
    rows.append(
        (
            "integrity",
            "ok" if ok else "FAIL",
            "ok" if ok else "; ".join(r[0] for r in integrity[:5]),
        )
    )
    rows.append(("foreign keys", "ok" if not fk else "FAIL", f"{len(fk)} broken references"))
    rows.append(("journal", "ok" if journal == "wal" else "WARN", journal))
    wal = Path(f"{db}-wal")
    if wal.exists():
        rows.append(
            (
                "wal size",
                "ok" if wal.stat().st_size < 64 << 20 else "WARN",
                f"{wal.stat().st_size // 1024} KiB",
            )
        )
    if version > SCHEMA_VERSION:
        rows.append(
            (
                "schema",
                "FAIL",
                f"v{version} is newer than this callroom (v{SCHEMA_VERSION}); upgrade",
            )
        )
    else:
        rows.append(
            (
                "schema",
                "ok",
                f"v{version}" + (" (will migrate on open)" if version < SCHEMA_VERSION else ""),
            )
        )
        with open_store(cfg) as store:
            db = store.db  # sqlite-utils: table introspection
            counts = ", ".join(
                f"{name} {db[name].count}" for name in ("batches", "tasks", "attempts", "events")
            )
            rows.append(("tables", "ok", counts))
            stale = store.stale_claims()
            if stale and fix:
                store.expire_leases(cfg.operator)
                rows.append(("stale claims", "ok", f"{stale} returned to the queue"))
            else:
                rows.append(("stale claims", "ok" if not stale else "WARN",
                             f"{stale}" + (" (callroom doctor --fix returns them now)" if stale else "")))  # fmt: skip
    _print(rows)
    if any(r[1] == "FAIL" for r in rows):
        raise typer.Exit(1)


def _print(rows: list[tuple[str, str, str]]) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="callroom doctor", title_justify="left")
    table.add_column("check")
    table.add_column("")
    table.add_column("detail", overflow="fold")
    colour = {"ok": "green", "WARN": "yellow", "FAIL": "bold red"}
    for name, status, detail in rows:
        table.add_row(name, f"[{colour[status]}]{status}[/]", detail)
    console.print(table)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="Backup file to write (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Copy the database with SQLite's online backup: safe while callers are working."""
    cfg = get_config()
    if target.exists() and not force:
        raise fail(f"{target}: already exists; choose another name or add --force", 1)
    if target.resolve() == cfg.database.resolve():
        raise fail(f"{target}: that is the live database itself", 1)
    with open_store(cfg) as store:
        tmp = target.with_name(target.name + ".partial")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
            os.chmod(tmp, 0o600)
            dest = sqlite3.connect(tmp)
            # a few pages at a time, so callers' writes interleave with the copy
            store.conn.backup(dest, pages=256, sleep=0.005)
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            dest.close()
            if not ok:
                raise fail(
                    f"{target}: the copy failed its integrity check; nothing was replaced", 1
                )
            os.replace(tmp, target)  # whole or not at all
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise fail(f"{target}: cannot write the backup: {exc.strerror}", 1) from None
        store.log_event("backup", cfg.operator, detail={"file": target.name})
        tasks = store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    console.print(
        f"backup: {target} ({tasks} tasks, {target.stat().st_size // 1024} KiB)", highlight=False
    )


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise fail(f"--urgent {text!r}: give a share like 5% or 0.05", 2) from None
    if not 0 <= value <= 1:
        raise fail(f"--urgent {text!r}: must be between 0% and 100%", 2)
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
) -> None:
    """Simulate a surge day on a scratch database: urgent wait times and cases solved per hour."""
    from callroom.drill import DrillError, DrillSettings, run

    cfg = get_config()
    parsed = None
    if odds:
        try:
            parsed = {k.strip(): float(v) for k, v in (p.split("=") for p in odds.split(","))}
        except ValueError:
            raise fail(
                f"--odds {odds!r}: write code=share pairs, e.g. verified=0.5,no_answer=0.3", 2
            ) from None
    settings = DrillSettings(
        tasks=tasks, urgent_share=_share(urgent), callers=callers, minutes=minutes, seed=seed,
        priority=priority, odds=parsed, reached_seconds=call_seconds,
    )  # fmt: skip
    try:
        result = run(cfg, settings)
    except DrillError as exc:
        raise fail(str(exc), 2) from None
    if format_ == "json":
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    zh = cfg.lang == "zh"
    s = result.settings
    console.print(
        (f"演练：{s.tasks} 个任务（紧急 {s.urgent_share:.0%}），{s.callers} 名拨打员，{s.minutes} 分钟，"
         f"{'紧急优先' if s.priority else '按名单顺序'}，种子 {s.seed}") if zh else
        (f"Drill: {s.tasks} tasks ({s.urgent_share:.0%} urgent), {s.callers} callers, {s.minutes} min, "
         f"{'urgent first' if s.priority else 'list order'}, seed {s.seed}"),
        highlight=False,
    )  # fmt: skip
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("紧急任务等待（分钟）" if zh else "Urgent wait (min)")
    for col in ("n", "median", "p90", "max"):
        table.add_column(col, justify="right")
    for label, w in (
        ("到首次拨打" if zh else "until first call", result.urgent_first_call),
        ("到完成" if zh else "until solved", result.urgent_solved),
    ):
        table.add_row(label, *(str(w.get(k, "-")) for k in ("count", "median", "p90", "max")))
    console.print(table)
    console.print(
        (f"通话 {result.calls}，电话解决 {result.solved}，转上门 {result.field_visits}，未完成 {result.still_open}，"
         f"紧急任务未拨打 {result.urgent_never_called}") if zh else
        (f"calls {result.calls}, solved by phone {result.solved}, field visits {result.field_visits}, "
         f"still open {result.still_open}, urgent never called {result.urgent_never_called}"),
        highlight=False,
    )  # fmt: skip
    console.print("每小时解决" if zh else "Solved per hour")
    per_hour = Table(box=box.SIMPLE_HEAD)
    for h in range(len(result.solved_per_hour)):
        per_hour.add_column(f"{8 + h:02d}h", justify="right")
    per_hour.add_row(*(str(n) for n in result.solved_per_hour))
    console.print(per_hour)
