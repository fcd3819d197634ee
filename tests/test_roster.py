"""The roster (白名单) of vulnerable residents: read with the list importer's rules, re-imported as
a diff (added / changed / removed) replaced in one transaction, counted per compound and
category, and its flags and compound given to list imports and inbound cases that match."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner, Result

from callroom.cli import app
from callroom.config import load_config
from callroom.inbound import desk
from callroom.inbound.roster import entries_for
from callroom.store import Store

from conftest import phone

runner = CliRunner()
NOW = datetime(2026, 11, 2, 10, 0)
ELDER_ID = "11010519491231002X"  # born 1949: 76 years old
BABY_ID = "440304202501011236"  # born 2025


def _id_ok(text: str) -> str:
    from callroom.ids import check_char

    return text[:17] + check_char(text[:17])


@pytest.fixture
def workspace(tmp_path: Path, db_url: str) -> Path:  # db_url: both engines
    assert runner.invoke(app, ["init"]).exit_code == 0
    return tmp_path


def en(*args: str) -> Result:
    return runner.invoke(app, ["--lang", "en", *args], env={"COLUMNS": "200"})


def roster_xlsx(path: Path, rows: list[list[object]], title: bool = True) -> Path:
    """A community's roster as it comes: a title row, the compound written once over its block
    (merged cells), phones as text and as number cells."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("白名单")
    r = 0
    if title:
        ws.merge_range(0, 0, 0, 8, "某某社区重点人群白名单")
        r = 2
    header = [
        "序号",
        "小区名称",
        "楼栋",
        "单元",
        "姓名",
        "联系电话",
        "身份证号",
        "人员类别",
        "备注",
    ]
    for c, h in enumerate(header):
        ws.write(r, c, h)
    start = r + 1
    for i, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if c == 6:
                ws.write_string(start + i, c, str(value))
            else:
                ws.write(start + i, c, value)
    wb.close()
    return path


FIRST = [
    [1, "福田花园", "3栋", "2单元", "王建国", phone(1), ELDER_ID, "独居老人", ""],
    [2, None, "3栋", "1单元", "李秀英", float(phone(2)[3:]), "", "孕妇", "孕28周"],
    [3, None, "5栋", None, "张小宝", phone(3), _id_ok(BABY_ID), "", "家长代接"],  # age only
    [4, "景田小区", "1栋", "1单元", "陈卧床", phone(4), "", "高龄、卧床", ""],
    [5, None, "1栋", "2单元", "刘某", "", "", "残疾人", ""],  # no phone, no ID: rejected
]


def test_import_reads_like_a_list_and_counts_per_compound(workspace: Path) -> None:
    path = roster_xlsx(workspace / "roster.xlsx", FIRST)
    result = en("roster", "import", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "5 rows read, 4 people (compounds: 福田花园, 景田小区)" in out
    assert "1 rows rejected" in out and "added 4, changed 0, removed 0" in out
    assert "added 福田花园 3栋 2单元 王*国 elderly" in out  # names masked
    assert "Roster replaced (2 compounds): 4 people now" in out
    with Store(load_config("callroom.toml")) as store:
        rows = {r["name"]: r for r in store.conn.execute("SELECT * FROM roster")}
        # merged compound cells carry down; number cells are phones; categories from words or age
        assert (
            rows["李秀英"]["compound"] == "福田花园"
            and rows["李秀英"]["phones"] == f'["{phone(2)}"]'
        )
        assert rows["张小宝"]["categories"] == "infant"
        assert rows["陈卧床"]["categories"] == "elderly,bedridden"
    counted = en("roster")
    assert counted.exit_code == 0
    lines = [" ".join(line.split()) for line in counted.output.splitlines()]
    assert "福田花园 1 0 1 1 3" in lines  # elderly bedridden pregnant infant people
    assert "景田小区 1 1 0 0 1" in lines
    assert "Total 2 1 1 1 4" in lines
    rejects = (workspace / "roster.xlsx.rejects.csv").read_text("utf-8-sig")
    assert "刘某" in rejects


def test_reimport_shows_the_diff_and_replaces_in_one_go(workspace: Path) -> None:
    first = roster_xlsx(workspace / "v1.xlsx", FIRST[:4])
    assert en("roster", "import", str(first)).exit_code == 0
    second_rows = [
        [
            1,
            "福田花园",
            "3栋",
            "2单元",
            "王建国",
            phone(1),
            ELDER_ID,
            "独居老人、慢性病",
            "",
        ],  # changed
        [2, None, "3栋", "1单元", "李秀英", phone(2), "", "孕妇", "孕28周"],  # unchanged
        [3, None, "6栋", "1单元", "赵新来", phone(5), "", "残疾", ""],  # added
        # 张小宝 removed
    ]
    second = roster_xlsx(workspace / "v2.xlsx", second_rows)
    preview = en("roster", "import", "--dry-run", str(second))
    assert preview.exit_code == 0 and "added 1, changed 1, removed 1, unchanged 1" in preview.output
    with Store(load_config("callroom.toml")) as store:
        assert store.conn.execute("SELECT count(*) FROM roster").fetchone()[0] == 4  # untouched
    result = en("roster", "import", str(second))
    out = result.output
    assert result.exit_code == 0, out
    assert "added 1, changed 1, removed 1, unchanged 1" in out
    assert "added 福田花园 6栋 1单元 赵*来 disabled" in out
    assert "removed 福田花园 5栋 张*宝 infant" in out
    assert "changed 福田花园 3栋 2单元 王*国 elderly ill (category)" in out
    # another compound's entries were not in the file: kept as they were
    assert "kept as they were: 景田小区 1" in out
    with Store(load_config("callroom.toml")) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM roster")}
        assert names == {"王建国", "李秀英", "赵新来", "陈卧床"}
        events = store.conn.execute("SELECT detail FROM events WHERE kind = 'roster_import'")
        last = [r[0] for r in events][-1]
        assert '"added": 1' in last and '"removed": 1' in last and "王" not in last
    whole = en("roster", "import", "--replace-all", str(second))
    assert "removed 景田小区 1栋 1单元 陈*床" in whole.output


def test_a_list_import_takes_the_rosters_flags_and_compound(workspace: Path) -> None:
    assert en("roster", "import", str(roster_xlsx(workspace / "r.xlsx", FIRST[:4]))).exit_code == 0
    lst = workspace / "1102名单.csv"
    lst.write_text(
        "姓名,联系电话,身份证号,来源地\n"
        f"王建国,{phone(1)[3:]},,北京市朝阳区\n"  # the roster's phone
        f"无关人,{phone(9)[3:]},,上海市\n"
        f"陈某,{phone(8)[3:]},{ELDER_ID},广州市\n",  # another number, the roster's ID
        "utf-8",
    )
    result = en("import", str(lst))
    assert result.exit_code == 0, result.output
    assert "On the roster" in result.output and "by phone or ID number" in result.output
    with Store(load_config("callroom.toml")) as store:
        rows = {r["phone"]: r for r in store.conn.execute("SELECT * FROM tasks")}
        assert rows[phone(1)]["flags"] == "elderly" and rows[phone(1)]["compound"] == "福田花园"
        assert rows[phone(1)]["priority"] == 1
        assert "elderly" in rows[phone(8)]["flags"] and rows[phone(8)]["compound"] == "福田花园"
        assert rows[phone(9)]["flags"] == "" and rows[phone(9)]["compound"] == ""


def test_the_roster_flags_tasks_already_open_when_it_arrives(workspace: Path) -> None:
    with Store(load_config("callroom.toml")) as store:
        store.add_batch("earlier", [{"phone": phone(4)}, {"phone": phone(7)}], "lead")
    result = en("roster", "import", str(roster_xlsx(workspace / "r.xlsx", FIRST[:4])))
    assert "1 open tasks took their flags" in result.output
    with Store(load_config("callroom.toml")) as store:
        row = store.conn.execute("SELECT flags, compound FROM tasks WHERE phone = ?", (phone(4),))
        assert tuple(row.fetchone()) == ("elderly,disabled", "景田小区")


def test_an_intake_takes_the_rosters_flags_and_shows_the_entry(workspace: Path) -> None:
    assert en("roster", "import", str(roster_xlsx(workspace / "r.xlsx", FIRST[:4]))).exit_code == 0
    with Store(load_config("callroom.toml"), clock=lambda: NOW) as store:
        known = desk.lookup(store, phone(2)[3:])
        assert [e.name for e in known.roster] == ["李秀英"]
        taken = desk.take(
            store, desk.Intake(phone=phone(2), group="other", answers={"name": "李秀英"}),
            "desk", complete=False,
        )  # fmt: skip
        assert "pregnant" in taken.flags and taken.compound == "福田花园" and taken.roster == 1
        by_id = entries_for(store.conn, [], ELDER_ID)
        assert [e.name for e in by_id] == ["王建国"]


def test_a_file_without_a_phone_or_id_column_is_refused(workspace: Path) -> None:
    path = workspace / "bad.csv"
    path.write_text("小区,姓名,类别\n福田花园,王某,老人\n", "utf-8")
    result = en("roster", "import", str(path))
    assert result.exit_code == 1
    assert "no column of phone numbers or ID numbers" in result.output
    assert "A 小区 | B 姓名 | C 类别" in result.output


def test_a_file_without_a_compound_needs_one_given(workspace: Path) -> None:
    path = workspace / "plain.csv"
    path.write_text(f"姓名,电话,类别\n王某,{phone(1)[3:]},老人\n", "utf-8")
    refused = en("roster", "import", str(path))
    assert refused.exit_code == 1 and "--compound" in refused.output
    given = en("roster", "import", "--compound", "莲花北村", str(path))
    assert given.exit_code == 0 and "莲花北村" in given.output
