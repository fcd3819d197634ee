"""`callroom export`: the district's file, read back as the district (and Excel) would."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from callroom import files
from callroom.cli import app
from callroom.config import Config, login_name
from callroom.export import ExportError, csv_cell, district_phone, export, table
from callroom.files import WriteFailed
from callroom.store import Store

from conftest import Clock, phone

runner = CliRunner()
ID_OK = "440304199001011233"  # valid check digit, digits only: the worst case for Excel
DAMAGED = "4.40304199510134e+17"  # an 18-digit ID that went through an Excel number cell


@pytest.fixture
def lists(store: Store, clock: Clock) -> Store:
    """Two lists on the default script; every kind of number, ID and answer the district meets."""
    monday = [
        {"phone": phone(1), "name": "王小明", "id_number": ID_OK, "phone_raw": "13800000001.0",
         "alt_phones": [phone(101), "+85291234567"], "address": "景田花园3栋2单元501",
         "extra": {"车牌号": "粤B12345"}},
        {"phone": "+8675526543210", "phone_ext": "8001", "name": "深圳某某物流",
         "phone_raw": "0755-26543210转8001", "id_number": DAMAGED, "id_flag": "damaged_by_excel"},
        {"phone": "+85291234567", "name": "陈大文", "phone_raw": "'+852 9123 4567"},
        {"phone": "+8675512345678", "phone_flag": "ambiguous_8_digits", "phone_raw": "12345678",
         "name": "李四", "id_number": "440304199001011234", "id_flag": "bad_check_digit"},
        {"phone": "+861012345678", "name": "赵六", "phone_raw": "010-12345678"},
    ]  # fmt: skip
    store.add_batch("1031名单", monday, "lead")
    store.add_batch("1101名单", [{"phone": phone(2), "name": "张三"}], "lead")
    answers = {
        "visited": "yes", "arrival_date": "2026-10-30", "in_shenzhen": "no", "symptoms": "no",
        "tested": "yes", "test_date": "2026-11-01", "residence": "moved_local",
    }  # fmt: skip
    for task_id, outcome, given, note in [
        (1, "verified", answers, "住5楼"),
        (2, "empty_number", {}, ""),
        (6, "refused", {}, "不配合"),
    ]:
        store.claim_task(task_id, "alice")
        store.record(task_id, outcome, "alice", given, note)
        clock.advance(minutes=3)
    return store


def _sheet(path: Path) -> tuple[list[str], list[dict[str, object]], list[list[object]]]:
    ws = load_workbook(path).active
    cells = list(ws.iter_rows())
    header = [str(c.value) for c in cells[0]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in cells[1:]]
    return header, rows, [list(r) for r in cells[1:]]


def test_xlsx_in_the_districts_words(lists: Store, tmp_path: Path) -> None:
    out = tmp_path / "结果.xlsx"
    result = export(lists, [1, 2], out, "xlsx", "lead")
    assert result.rows == 6
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    header, rows, cells = _sheet(out)
    # headers: the UI's words, the questions' export labels; no internal codes anywhere
    assert header[:3] == ["序号", "名单", "原表行号"]
    for label in ("联系电话", "备用电话1", "备用电话2", "身份证号", "是否到过来源地", "抵深日期",
                  "是否在深", "核酸检测日期", "住址核对", "核查结果", "核查提示", "车牌号"):  # fmt: skip
        assert label in header, label
    assert not [h for h in header if re.fullmatch(r"[a-z_:#0-9]+", h)], header
    # one row number unique in the file, beside each list's own row
    assert [r["序号"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r["名单"] for r in rows] == ["1031名单"] * 5 + ["1101名单"]
    by_name = {r["姓名"]: r for r in rows}
    first = by_name["王小明"]
    # answers as words, dates ISO, outcome as on screen
    assert (first["是否到过来源地"], first["是否在深"], first["住址核对"]) == (
        "是", "否", "已搬到本社区其他地址(写备注)",
    )  # fmt: skip
    assert first["抵深日期"] == "2026-10-30" and first["核酸检测日期"] == "2026-11-01"
    assert first["核查结果"] == "已接通核实" and first["备注"] == "住5楼"
    assert by_name["张三"]["核查结果"] == "拒绝配合"
    assert by_name["深圳某某物流"]["核查结果"] == "空号/停机"
    # one number a cell, in the district's form; the others in their own columns
    assert first["联系电话"] == "13800000001"
    assert (first["备用电话1"], first["备用电话2"]) == ("13800000101", "+85291234567")
    assert by_name["深圳某某物流"]["联系电话"] == "0755-26543210转8001"
    assert by_name["陈大文"]["联系电话"] == "+85291234567"
    assert by_name["赵六"]["联系电话"] == "010-12345678"
    # flags carried: the damaged ID is not written, the remark says what to do
    damaged = by_name["深圳某某物流"]
    assert damaged["身份证号"] in (None, "") and "证件号需重新采集" in str(damaged["核查提示"])
    assert "固话" in str(damaged["核查提示"])
    assert "校验位" in str(by_name["李四"]["核查提示"]) and "8位" in str(
        by_name["李四"]["核查提示"]
    )
    assert first["身份证号"] == ID_OK and first["核查提示"] in (None, "")
    # typed cells: IDs and phones are text (no 1.38E+10), counts are numbers, nothing is a formula
    for row in cells:
        for c in row:
            assert c.data_type in ("s", "n"), (c.coordinate, c.data_type)
            assert not (isinstance(c.value, str) and c.value.startswith("'")), c.value
    ids = [c for row in cells for c in row if c.value == ID_OK]
    assert ids and all(c.data_type == "s" for c in ids)
    events = lists.conn.execute("SELECT detail FROM events WHERE kind = 'export'").fetchall()
    assert json.loads(events[0][0])["rows"] == 6 and "王小明" not in events[0][0]


def test_xlsx_in_english_and_with_the_districts_own_headers(lists: Store, tmp_path: Path) -> None:
    english = replace(lists.config, lang="en")
    lists.config = english
    headers, body = table(lists, [1])
    assert headers[:2] == ["No.", "Row in list"] and "Visited the place" in headers
    row = dict(zip(headers, body[0], strict=True))
    assert row["Outcome"] == "Verified" and row["Visited the place"] == "yes"
    assert "List" not in headers  # one list: no list column
    # a district template keeps its own headers, in any language; phone_raw only on request
    templates = {"mine": (("手机号码", "phone"), ("原号码", "phone_raw"), ("", "name"))}
    lists.config = replace(english, export_templates=templates, default_template="mine")
    headers, body = table(lists, [1])
    assert headers[:3] == ["手机号码", "原号码", "Name"]
    assert body[0][:2] == ["13800000001", "13800000001.0"]
    assert headers[-1] == "Remarks"  # a row has a remark: the column comes by itself


def test_hostile_cells_are_inert_in_xlsx_and_csv(store: Store, tmp_path: Path) -> None:
    hostile = [
        '=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
        "＝1+1", "\u200b=1+1", " =1+1", "\t=1+1", "＠SUM(A1)",
    ]  # fmt: skip
    rows = [{"phone": phone(i), "name": text, "address": text} for i, text in enumerate(hostile)]
    batch = store.add_batch("evil", rows, "lead")
    store.claim_task(1, "alice")
    store.record(1, "refused", "alice", note="=1+1")
    xlsx, csv_path = tmp_path / "e.xlsx", tmp_path / "e.csv"
    export(store, [batch], xlsx, "xlsx", "lead")
    export(store, [batch], csv_path, "csv", "lead")
    # xlsx: the text exactly as written, in string cells (which Excel never runs)
    _, by_row, cells = _sheet(xlsx)
    assert [r["姓名"] for r in by_row] == hostile
    assert all(c.data_type == "s" for row in cells for c in row if isinstance(c.value, str))
    # csv: every one gets a leading apostrophe, as OWASP advises for CSV
    read = list(csv.reader(csv_path.read_text("utf-8-sig").splitlines()))
    header = read[0]
    names = [r[header.index("姓名")] for r in read[1:]]
    assert names == ["'" + text for text in hostile]
    assert read[1][header.index("备注")] == "'=1+1"
    for row in read[1:]:
        assert excel_opens(row[header.index("姓名")])[0] == "text"


def excel_opens(field: str) -> tuple[str, str]:
    """What Excel makes of a CSV field it opens by double-click (a model of its rules):

    - starts with = + - @ (after spaces; full-width forms are typed as these) -> a formula;
    - otherwise, a field that is a number once spaces are trimmed (digits, one dot, E notation,
      a sign) -> a number kept to 15 significant digits, leading zeros gone;
    - anything else (a leading apostrophe, a tab inside, a letter) -> text, as written.
    Returns (kind, what the cell holds).
    """
    import unicodedata

    probe = unicodedata.normalize("NFKC", field).strip(" ")
    if probe[:1] in ("=", "+", "-", "@"):
        return "formula", field
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", probe):
        return "number", f"{float(probe):.15g}"
    return "text", field


def test_csv_long_numbers_survive_excel(lists: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    export(lists, [1, 2], out, "csv", "lead")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Chinese Excel reads it right
    read = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    header, body = read[0], read[1:]
    rows = [dict(zip(header, r, strict=True)) for r in body]
    first = rows[0]
    # what a bare ID or phone would become in Excel: the technique is what keeps them
    assert excel_opens(ID_OK) == ("number", "4.40304199001011e+17")
    assert excel_opens("13800000001")[0] == "number"
    for cell, whole in [
        (first["身份证号"], ID_OK), (first["联系电话"], "13800000001"),
        (first["备用电话1"], "13800000101"),
    ]:  # fmt: skip
        kind, shown = excel_opens(cell)
        assert kind == "text" and shown.strip() == whole, cell
    # +852... would run as a formula: neutralised, digits intact
    hk = next(r for r in rows if r["姓名"] == "陈大文")["联系电话"]
    assert excel_opens(hk)[0] == "text" and hk.endswith("+85291234567")
    landline = next(r for r in rows if r["姓名"] == "深圳某某物流")
    assert landline["联系电话"] == "0755-26543210转8001" and landline["身份证号"] == ""
    assert "证件号需重新采集" in landline["核查提示"]
    # numbers stay numbers (the row number, the count of calls)
    assert [r["序号"] for r in rows] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("440304199001011233", "440304199001011233\t"),
        ("13812345678", "13812345678\t"),
        ("0755", "0755\t"),
        ("1.38123E+10", "1.38123E+10\t"),
        ("１３８１２３４５６７８", "１３８１２３４５６７８\t"),
        ("2026", "2026"),
        ("粤B12345", "粤B12345"),
        ("-", "'-"),
        (42, 42),
    ],
)
def test_csv_cell(value: object, written: object) -> None:
    assert csv_cell(value) == written


def test_district_phone_forms() -> None:
    assert district_phone("+8613812345678") == "13812345678"
    assert district_phone("+8675526543210", "801") == "0755-26543210转801"
    assert district_phone("+862087654321") == "020-87654321"
    assert district_phone("+85291234567") == "+85291234567"
    assert district_phone("+85361234567") == "+85361234567"


def test_a_failed_write_leaves_the_last_export(
    lists: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "结果.xlsx"
    export(lists, [1], out, "xlsx", "lead")
    before = out.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(WriteFailed) as caught:
        export(lists, [1, 2], out, "xlsx", "lead")
    assert out.read_bytes() == before
    assert "磁盘已满" in caught.value.text("zh")
    monkeypatch.undo()

    csv_out = folder / "r.csv"
    csv_out.write_bytes(b"last good export")

    written = []

    def midway(value: object) -> object:  # the 40th cell: rows are already in the file
        written.append(value)
        if len(written) == 40:
            raise RuntimeError("killed midway")
        return value

    monkeypatch.setattr("callroom.export.csv_cell", midway)
    with pytest.raises(RuntimeError):
        export(lists, [1], csv_out, "csv", "lead")
    assert csv_out.read_bytes() == b"last good export"
    assert sorted(p.name for p in folder.iterdir()) == ["r.csv", "结果.xlsx"]
    # nothing was exported: nothing audited
    exports = lists.conn.execute("SELECT count(*) FROM events WHERE kind = 'export'").fetchone()
    assert exports[0] == 1


def test_field_visit_route_in_walking_order(store: Store, tmp_path: Path) -> None:
    addresses = [
        "景田花园10栋1单元101", "福田区莲花街道景田北路88号景田花园3栋2单元501", "彩田村B座1502",
        "景田花园二栋一单元301", "彩田村A座1502", "景田花园3栋1单元1201",
    ]  # fmt: skip
    store.add_batch(
        "名单", [{"phone": phone(i), "address": a} for i, a in enumerate(addresses)], "l"
    )
    for task_id in range(1, 7):
        store.claim_task(task_id, "alice")
        store.record(task_id, "empty_number", "alice")
    out = tmp_path / "route.xlsx"
    result = export(store, [1], out, "xlsx", "lead", route=True)
    assert result.rows == 6
    _, rows, _ = _sheet(out)
    assert [r["现居住地址"] for r in rows] == [
        "彩田村A座1502", "彩田村B座1502", "景田花园二栋一单元301", "景田花园3栋1单元1201",
        "福田区莲花街道景田北路88号景田花园3栋2单元501", "景田花园10栋1单元101",
    ]  # fmt: skip
    assert [r["序号"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert load_workbook(out).active.title == "上门路线"


# -- the command ------------------------------------------------------------------------------


def _cli_config(config: Config, extra: str = "") -> Path:
    path = config.database.parent / "cfg.toml"
    path.write_text(f'[general]\ndatabase = "{config.database}"\n{extra}', "utf-8")
    return path


def test_export_command(lists: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLROOM_CONFIG", str(_cli_config(lists.config)))
    ok = runner.invoke(app, ["export", "--batch", "1031名单", "--format", "csv", "-o", "r.csv"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "r.csv").exists() and "已导出 5 行" in ok.stdout
    listed = runner.invoke(app, ["export", "--template"])
    assert listed.exit_code == 0 and "district" in listed.stdout and "field_visits" in listed.stdout
    assert "[export.templates]" in listed.stdout
    bad = runner.invoke(app, ["export", "--template", "nope", "-o", "x.xlsx"])
    assert bad.exit_code == 2 and "'nope'" in bad.output and "district" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
    none = runner.invoke(app, ["--lang", "en", "export", "--batch", "ghost"])
    assert none.exit_code == 1 and "no list 'ghost'" in none.output
    route = runner.invoke(app, ["export", "--route", "--format", "csv", "-o", "route.csv"])
    assert route.exit_code == 0, route.output
    assert "空号" in (tmp_path / "route.csv").read_text("utf-8-sig")

    monkeypatch.setattr(files.os, "replace", _no_space)
    full = runner.invoke(app, ["export", "--batch", "1031名单", "--format", "csv", "-o", "r.csv"])
    assert full.exit_code == 1 and "磁盘已满" in full.output
    assert "r.csv" in full.output


def _no_space(src: str, dst: str) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_export_is_for_leads_when_roles_are_set(
    lists: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = login_name()
    path = _cli_config(lists.config, f'[roles]\nleads = ["boss-{me}"]\n')
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    refused = runner.invoke(app, ["export", "-o", "r.xlsx"])
    assert refused.exit_code == 1 and "仅限组长" in refused.output and me in refused.output
    route = runner.invoke(app, ["export", "--route", "-o", "route.xlsx"])
    assert route.exit_code == 1
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "route.xlsx").exists()
    path.write_text(path.read_text("utf-8").replace(f"boss-{me}", me), "utf-8")
    allowed = runner.invoke(app, ["export", "-o", "r.xlsx"])
    assert allowed.exit_code == 0, allowed.output
    assert (tmp_path / "r.xlsx").exists()


def test_unknown_template_is_refused_before_anything_is_written(lists: Store) -> None:
    with pytest.raises(ExportError) as caught:
        table(lists, [1], "nope")
    assert "district" in caught.value.text("en") and "模板" in caught.value.text("zh")
