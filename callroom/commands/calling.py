"""`callroom call` (also plain `callroom`): the caller screen; `callroom demo`: try it on samples.

Textual is imported only when a screen opens, so the other commands stay quick to start.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from callroom.commands.base import (
    app,
    console,
    error_lang,
    fail,
    get_config,
    state,
)
from callroom.config import Config, ConfigError, load_config, workspace_config_text
from callroom.i18n import t
from callroom.store import Store, StoreError

# sample lists for the demo: the repository's data/ folder (next to the package when installed
# in development mode)
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SAMPLE_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".txt")


def open_caller_screen(config: Config | None = None) -> None:
    """Open the TUI on the configured database (refusing to invent an empty one)."""
    from callroom.launch import StartError, open_caller

    cfg = config or get_config()
    try:
        code = open_caller(cfg)
    except StartError as exc:
        raise fail(exc.message, exc.code) from None
    if code:
        raise typer.Exit(code)


@app.command()
def call(
    operator: Annotated[
        str | None, typer.Option("--operator", help="Caller name (default: config, else login).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Interface language: zh or en.")
    ] = None,
) -> None:
    """The caller screen: one card at a time, one key per outcome. Same as plain `callroom`."""
    if operator is not None:
        state.operator = operator
    if lang is not None:
        state.lang = lang
    open_caller_screen()


# ---------------------------------------------------------------------------------------------
# demo


def sample_files(folder: Path = DATA_DIR) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in SAMPLE_SUFFIXES and not p.name.endswith(".rejects.csv")
    )  # fmt: skip


def build_demo(target: Path, overrides: dict[str, Any], samples: list[Path] | None = None) -> Path:
    """Write a config and a database with the sample lists into ``target``; returns the config."""
    target.mkdir(parents=True, exist_ok=True)
    config_path = target / "callroom.toml"
    # a private database in the workspace; all-day hours so a newcomer at night still sees cards
    config_path.write_text(workspace_config_text("callroom.db"), "utf-8")
    # its own SQLite file, even when $CALLROOM_DATABASE_URL names the street's database
    cfg = replace(load_config(config_path, overrides), database_url="")
    files = sample_files() if samples is None else samples
    lists = target / "lists"  # copies: rejects files land here, not in the repository
    lists.mkdir(exist_ok=True)
    with Store(cfg, create=True) as store:
        if not files:
            _synthetic_lists(store)
            return config_path
        from callroom.importer import ImportOptions, import_files

        for i, source in enumerate(files):
            copy = lists / source.name
            shutil.copyfile(source, copy)
            deadline = store.now() + timedelta(hours=6) if i == len(files) - 1 else None
            import_files(store, [copy], ImportOptions(deadline=deadline), "demo")
            if i == 0 and len(files) > 1:
                _work_first_list(store)
        if samples is None:
            _demo_results(store, lists)
            _demo_inbound(store, lists)
    return config_path


def _demo_inbound(store: Store, folder: Path) -> None:
    """The inbound desk: the sample roster (data/roster), then two residents who rang in: a
    hospital patient taken complete (ready to submit, pledge agreed) and an urgent student's
    case left in the queue to call back (it comes first)."""
    from callroom.importer import ImportFailed
    from callroom.inbound import desk
    from callroom.inbound.roster import replace
    from callroom.inbound.roster_read import read_files

    rosters = sorted((DATA_DIR / "roster").glob("*.xlsx"))
    for source in rosters:
        shutil.copyfile(source, folder / source.name)
    with suppress(ImportFailed):
        if rosters:
            replace(store, read_files(store, [folder / r.name for r in rosters]), "demo")
    cfg = store.config
    if cfg.group("patient") is None or cfg.group("student") is None:
        return  # a config without the shipped groups: no sample cases
    text = desk.form_of(cfg, "patient").pledge_text(cfg.lang)
    patient = desk.Intake(
        "+8613923456781", "patient",
        {"name": "林秀英", "id_number": "11010519491231002X", "hospital": "福田区人民医院",
         "ward": "心内科3病区", "admitted": (store.now() - timedelta(days=4)).date().isoformat(),
         "must_leave": "yes"},
        pledge=desk.Pledge(text, cfg.lang, store.now()),
    )  # fmt: skip
    with suppress(StoreError):
        desk.take(store, patient, "演示组长", complete=True)
        student = desk.Intake("+8613923456782", "student", {"name": "陈小雨"}, urgent=True,
                              note="学校要求48小时核酸，家长来电")  # fmt: skip
        desk.take(store, student, "演示组长", complete=False)


def _demo_results(store: Store, folder: Path) -> None:
    """The sample test results (data/results): the lists' people tested since arriving are
    closed as already tested; the ones tested before show it on their card."""
    from callroom.importer import ImportFailed
    from callroom.results.importing import import_results

    for source in sorted((DATA_DIR / "results").glob("*.xlsx")):
        copy = folder / source.name
        shutil.copyfile(source, copy)
        with suppress(ImportFailed):  # a machine's clock before the samples' dates: no results
            import_results(store, [copy], operator="demo")


def _work_first_list(store: Store) -> None:
    """Yesterday's list partly worked, so cards show history and today's repeats resolve."""
    outcomes = ("verified", "verified", "no_answer", "already_tested", "powered_off", "verified")
    known = {o.code for o in store.config.outcomes}
    rows = store.conn.execute(
        "SELECT id FROM tasks WHERE state = 'pending' ORDER BY id DESC LIMIT 40"
    ).fetchall()
    for n, row in enumerate(rows):
        code = outcomes[n % len(outcomes)]
        if code not in known:
            continue
        store.claim_task(row["id"], "演示组长")
        store.record(row["id"], code, "演示组长", note="司机跑长途" if n == 2 else "")


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = (
    "伟",
    "芳",
    "娜娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
)
_PLACES = ("北京市朝阳区", "上海市浦东新区", "广州市白云区", "东莞市长安镇", "成都市武侯区",
           "香港特别行政区", "西安市雁塔区", "武汉市洪山区")  # fmt: skip
_STREETS = ("景田北路", "莲花路", "福中三路", "深南大道", "益田路", "新洲路", "彩田路")


def _synthetic_lists(store: Store) -> None:
    """Two small lists when the sample files (or the importer) are not available."""
    now = store.now()
    rows = []
    for i in range(24):
        flags: list[str] = []
        if i % 11 == 3:
            flags.append("urgent")
        if i % 7 == 2:
            flags.append("elderly")
        if i % 13 == 5:
            flags.append("pregnant")
        rows.append(
            {
                "phone": f"+86139{(i * 7919) % 10**8:08d}",
                "name": _SURNAMES[i % len(_SURNAMES)] + _GIVEN[i % len(_GIVEN)],
                "id_number": "",
                "place": _PLACES[i % len(_PLACES)],
                "arrival": (now - timedelta(days=1 + i % 4)).strftime("%Y-%m-%d %H:%M"),
                "address": f"福田区{_STREETS[i % len(_STREETS)]}{10 + i * 3}号",
                "flags": flags,
                "extra": {"交通方式": ("高铁", "自驾", "飞机", "货车")[i % 4]},
            }
        )
    yesterday = now - timedelta(days=1)
    store.add_batch(f"{yesterday:%m%d}货车司机名单", rows[:6], operator="demo")
    for task_id in range(1, 4):
        store.claim_task(task_id, "演示组长")
        store.record(task_id, "no_answer" if task_id % 2 else "verified", "演示组长",
                     note="司机跑长途" if task_id == 1 else "")  # fmt: skip
    store.add_batch(
        f"{now:%m%d}风险地区推送名单", rows, operator="demo", deadline=now + timedelta(hours=8)
    )


@app.command()
def demo(
    no_open: Annotated[
        bool,
        typer.Option(
            "--no-open", help="Build the workspace and print its path; do not open the screen."
        ),
    ] = False,
    folder: Annotated[
        Path | None, typer.Option("--dir", help="Build it here (default: a new temp folder).")
    ] = None,
) -> None:
    """Try callroom on the sample lists in a throw-away workspace (your data is not touched)."""
    target = folder or Path(tempfile.mkdtemp(prefix="callroom-demo-"))
    overrides = {"lang": state.lang, "operator": state.operator}
    try:
        config_path = build_demo(target, overrides)
        cfg = replace(load_config(config_path, overrides), database_url="")  # see build_demo
    except (ConfigError, StoreError) as exc:
        raise fail(exc.text(error_lang(exc))) from None
    if no_open:
        typer.echo(str(target))
        return
    console.print(f"callroom demo: {target}  ({datetime.now():%H:%M})", highlight=False)
    open_caller_screen(cfg)
    console.print(t("demo.kept", cfg.lang, path=target), highlight=False)
