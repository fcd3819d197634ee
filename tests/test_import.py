"""Importing the district's lists: header detection, normalising, dedup, all-or-nothing, CLI."""

from __future__ import annotations

import csv
import json
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import Config
from callroom.i18n import t
from callroom.ids import check_char
from callroom.importer import ImportFailed, ImportOptions, import_files
from callroom.store import Store

from conftest import Clock

HEADER = [
    "序号",
    "姓名",
    "联系电话",
    "身份证号",
    "来源地",
    "抵深时间",
    "现居住地址",
    "交通方式",
    "备注",
]


def make_id(birth: str, seq: str = "123", area: str = "440304") -> str:
    first = f"{area}{birth}{seq}"
    return first + check_char(first)


def write_xlsx(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    ws.write_datetime(r, c, value, wb.add_format({"num_format": "yyyy/m/d h:mm"}))
                elif isinstance(value, str):
                    ws.write_string(r, c, value)  # text, even when it looks like a formula
                elif value is not None:
                    ws.write(r, c, value)
        if name in hidden:
            ws.hide()
    wb.close()
    return path


def district_list(path: Path, rows: list[list[object]], title: bool = True) -> Path:
    top: list[list[object]] = []
    if title:
        top = [["福田区某某街道2026年11月2日排查名单"], [], ["下发时间：11月2日 09:30"]]
    return write_xlsx(path, {"名单": [*top, HEADER, *rows]})


def tasks(store: Store, batch_id: int | None = None) -> list[dict[str, object]]:
    sql = "SELECT * FROM tasks" + (" WHERE batch_id = ?" if batch_id else "") + " ORDER BY id"
    return [dict(r) for r in store.conn.execute(sql, (batch_id,) if batch_id else ())]


def counts(store: Store) -> tuple[int, int, int]:
    c = store.conn
    return (
        c.execute("SELECT count(*) FROM batches").fetchone()[0],
        c.execute("SELECT count(*) FROM tasks").fetchone()[0],
        c.execute("SELECT count(*) FROM events WHERE kind = 'import'").fetchone()[0],
    )


# -- reading and normalising --------------------------------------------------------------------


def test_header_under_title_rows_is_found_and_columns_are_mapped(
    store: Store, tmp_path: Path
) -> None:
    path = district_list(
        tmp_path / "1102名单.xlsx",
        [
            [1, "张三", 13812345678.0, make_id("19900101"), "北京市朝阳区", datetime(2026, 10, 31, 14, 0),
             "福田区景田北路1号", "高铁", "夜班"],
            [2, "李四", "+86 139-1234-5678", "", "上海市", "10月30日", "莲花路2号", "飞机", ""],
        ],
    )  # fmt: skip
    [report] = import_files(store, [path], ImportOptions(), "alice")
    assert report.header_rows == {"名单": 4}
    assert report.columns["phone"] == "联系电话" and report.columns["arrival"] == "抵深时间"
    assert report.extra_columns == ["交通方式"]  # 序号 is ignored, unknown columns are kept
    assert (report.rows_read, report.tasks_created, report.rejected_total) == (2, 2, 0)
    first, second = tasks(store)
    assert first["phone"] == "+8613812345678" and first["phone_raw"] == "13812345678"
    assert first["name"] == "张三" and first["place"] == "北京市朝阳区"
    assert first["arrival"] == "2026-10-31 14:00" and second["arrival"] == "2026-10-30"
    assert json.loads(first["extra"]) == {"交通方式": "高铁"}
    assert first["source_note"] == "夜班" and first["source_row"] == "名单!5"
    assert second["phone"] == "+8613912345678"
    batch = store.conn.execute("SELECT * FROM batches").fetchone()
    assert (
        batch["name"] == "1102名单" and batch["tasks_created"] == 2 and len(batch["sha256"]) == 64
    )


def test_phone_forms_alternates_landlines_and_hong_kong(store: Store, tmp_path: Path) -> None:
    rows = [
        [1, "甲", "１３８１２３４５６７８", "", "", "", "", "", ""],
        [2, "乙", "13912345678，18612345678", "", "", "", "", "", ""],
        [3, "丙", "0755-26543210转8001", "", "", "", "", "", ""],
        [4, "丁", "+852 9123 4567", "", "", "", "", "", ""],
        [5, "戊", "0086 135 1234 5678", "", "", "", "", "", ""],
    ]
    [report] = import_files(
        store, [district_list(tmp_path / "l.xlsx", rows)], ImportOptions(), "alice"
    )
    by_name = {t["name"]: t for t in tasks(store)}
    assert by_name["甲"]["phone"] == "+8613812345678"
    assert by_name["乙"]["phone"] == "+8613912345678"
    assert json.loads(by_name["乙"]["alt_phones"]) == ["+8618612345678"]
    assert (by_name["丙"]["phone"], by_name["丙"]["phone_ext"]) == ("+8675526543210", "8001")
    assert by_name["丁"]["phone"] == "+85291234567"
    assert by_name["戊"]["phone"] == "+8613512345678"
    assert report.alternates == 1 and report.tasks_created == 5


def test_bad_rows_are_rejected_with_reason_into_a_safe_rejects_file(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        [1, "好", "13812345678", "", "", "", "", "", ""],
        [2, "短", "1381234567", "", "", "", "", "", ""],
        [3, "错", "#N/A", "", "", "", "", "", '=HYPERLINK("http://x")'],
        [4, "空", "", "", "福田", "", "", "", ""],
        [5, "服务号", "10086", "", "", "", "", "", ""],
        [],
        ["合计", None, None],  # a totals line is not a person
    ]
    path = district_list(tmp_path / "list.xlsx", rows)
    [report] = import_files(store, [path], ImportOptions(), "alice")
    assert report.tasks_created == 1
    assert report.rejected == {"invalid": 1, "excel_error": 1, "no_phone": 1, "short_number": 1}
    assert report.rejects_path == tmp_path / "list.xlsx.rejects.csv"
    assert stat.S_IMODE(report.rejects_path.stat().st_mode) == 0o600
    raw = report.rejects_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it right
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][:4] == ["工作表", "行号", "列", "原因"]
    assert [(r[0], r[1], r[2]) for r in lines[1:]] == [
        ("名单", "6", "C 联系电话"), ("名单", "7", "C 联系电话"),
        ("名单", "8", "C 联系电话"), ("名单", "9", "C 联系电话"),
    ]  # fmt: skip
    assert lines[1][3].startswith("号码无效")
    formula = next(r for r in lines if r[1] == "7")
    assert formula[-1].startswith("'=")  # neutralised: Excel never runs it


def test_ids_flags_and_vulnerable_people(store: Store, tmp_path: Path, clock: Clock) -> None:
    rows = [
        [1, "老人", "13800000001", make_id("19500101"), "", "", "", "", ""],
        [2, "孩子", "13800000002", make_id("20230101"), "", "", "", "", ""],
        [3, "孕妇", "13800000003", "", "", "", "", "", "孕妇，28周"],
        [4, "坏号", "13800000004", 4.40304199001011e17, "", "", "", "", ""],
        [5, "旧证", "13800000005", "110105491231002", "", "", "", "", ""],
        [6, "普通", "13800000006", make_id("19900101"), "", "", "", "", ""],
    ]
    [report] = import_files(store, [district_list(tmp_path / "l.xlsx", rows)], ImportOptions(), "a")
    by = {t["name"]: t for t in tasks(store)}
    assert by["老人"]["flags"] == "elderly" and by["老人"]["priority"] == 1
    assert by["孩子"]["flags"] == "child"
    assert by["孕妇"]["flags"] == "pregnant"
    assert by["坏号"]["id_flag"] == "damaged_by_excel" and report.damaged_ids == 1
    assert by["旧证"]["id_number"] == "11010519491231002X"  # upgraded to 18 digits
    assert by["旧证"]["flags"] == "elderly"
    assert by["普通"]["flags"] == "" and by["普通"]["priority"] == 0
    assert report.flagged == {"elderly": 2, "child": 1, "pregnant": 1}
    # the queue offers the vulnerable first
    assert store.next_card("alice").name in ("老人", "孩子", "孕妇", "旧证")


def test_priority_urgent_flags_the_whole_list(store: Store, tmp_path: Path) -> None:
    rows = [[1, "甲", "13800000001"], [2, "乙", "13800000002"]]
    path = district_list(tmp_path / "l.xlsx", rows)
    import_files(store, [path], ImportOptions(priority="urgent"), "a")
    assert {t["flags"] for t in tasks(store)} == {"urgent"}


def test_map_overrides_and_names_an_unknown_header(store: Store, tmp_path: Path) -> None:
    # 联系号码 was refused before the importer read cells: it is a phone column by its words
    # (号码) and its cells, with no --map
    path = write_xlsx(tmp_path / "l.xlsx", {"S": [["户主", "联系号码", "备用"],
                                                 ["王五", "13812345678", "13912345678"]]})  # fmt: skip
    import_files(store, [path], ImportOptions(), "a")
    assert (tasks(store)[0]["phone"], tasks(store)[0]["name"]) == ("+8613812345678", "王五")
    # --map overrides what was found: by header text or by column letter
    options = ImportOptions(mapping={"C": "phone", "户主": "name"}, again=True)
    import_files(store, [path], options, "a")
    assert tasks(store)[-1]["phone"] == "+8613912345678" and tasks(store)[-1]["name"] == "王五"
    with pytest.raises(ImportFailed, match="no column headed '不存在'"):
        import_files(store, [path], replace(options, mapping={"不存在": "phone", "联系号码": "phone"}, again=True), "a")  # fmt: skip


def test_every_sheet_with_a_header_is_read_unless_sheet_is_given(
    store: Store, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "l.xlsx",
        {
            "福田": [["姓名", "手机号"], ["甲", "13800000001"]],
            "说明": [["本表由街道下发"]],
            "罗湖": [["名字", "电话"], ["乙", "13800000002"]],
            "隐藏": [["姓名", "手机号"], ["丙", "13800000003"]],
        },
        hidden=("隐藏",),
    )
    [report] = import_files(store, [path], ImportOptions(), "a")
    assert report.sheets == ["福田", "罗湖"]
    assert any("说明" in w for w in report.warnings) and any("隐藏" in w for w in report.warnings)
    assert [t["name"] for t in tasks(store)] == ["甲", "乙"]
    import_files(store, [path], ImportOptions(sheet="隐藏", again=True), "a")
    assert [t["name"] for t in tasks(store)][-1] == "丙"
    with pytest.raises(ImportFailed, match="no sheet named '西乡'"):
        import_files(store, [path], ImportOptions(sheet="西乡", again=True), "a")


def test_gb18030_csv_with_another_layout(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "昨日名单.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["名字", "手机号", "途经地", "到达时间", "车牌号"])
        w.writerow(["欧阳娜娜", "0086 13812345678", "东莞市长安镇", "2026/10/31", "粤B12345"])
    [report] = import_files(store, [path], ImportOptions(), "a")
    [task] = tasks(store)
    assert (task["name"], task["place"], task["arrival"]) == (
        "欧阳娜娜",
        "东莞市长安镇",
        "2026-10-31",
    )
    assert json.loads(task["extra"]) == {"车牌号": "粤B12345"}
    assert report.sheets == [""] and report.header_rows == {"": 1}


# -- deduplicating --------------------------------------------------------------------------------


def test_same_phone_twice_in_a_file_is_one_task_with_merged_information(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        [1, "张三", "13812345678", "", "北京", "", "", "高铁", ""],
        [
            2,
            "张三",
            "138 1234 5678",
            make_id("19500101"),
            "上海",
            "",
            "景田1号",
            "高铁",
            "独居老人",
        ],
    ]
    [report] = import_files(store, [district_list(tmp_path / "l.xlsx", rows)], ImportOptions(), "a")
    [task] = tasks(store)
    assert (report.tasks_created, report.merged) == (1, 1)
    assert task["place"] == "北京 / 上海" and task["address"] == "景田1号"
    assert task["id_number"] == make_id("19500101") and task["source_note"] == "独居老人"
    assert task["flags"] == "elderly" and task["source_row"] == "名单!5,名单!6"


def test_merge_across_chunks_of_a_long_list(store: Store, tmp_path: Path) -> None:
    rows = [[i, f"居民{i}", f"138{i:08d}"] for i in range(2500)]
    rows.append([9999, "", "13800000007", "", "", "", "", "", "又推送一次"])
    rows.append([9998, "", "13800000008", "", "", "", "", "", "孕妇"])  # raises a flag
    [report] = import_files(store, [district_list(tmp_path / "l.xlsx", rows)], ImportOptions(), "a")
    assert (report.tasks_created, report.merged, report.rows_read) == (2500, 2, 2502)
    task = store.conn.execute("SELECT * FROM tasks WHERE phone = '+8613800000007'").fetchall()
    assert len(task) == 1 and task[0]["source_note"] == "又推送一次"
    assert (task[0]["flags"], task[0]["priority"]) == ("", 0)
    flagged = store.conn.execute("SELECT * FROM tasks WHERE phone = '+8613800000008'").fetchall()
    assert len(flagged) == 1 and flagged[0]["name"] == "居民8"
    assert (flagged[0]["flags"], flagged[0]["priority"]) == ("pregnant", 1)
    assert report.flagged == {"pregnant": 1}
    assert [t["seq"] for t in tasks(store)] == list(range(1, 2501))


def test_repeat_of_an_open_task_is_linked_and_raises_its_priority(
    store: Store, tmp_path: Path
) -> None:
    yesterday = district_list(
        tmp_path / "a.xlsx", [[1, "甲", "13800000001"], [2, "乙", "13800000002"]]
    )
    import_files(store, [yesterday], ImportOptions(), "a")
    today = district_list(tmp_path / "b.xlsx", [[1, "甲", "13800000001", "", "", "", "", "", "孕妇"],
                                                [2, "丙", "13800000003"]])  # fmt: skip
    [report] = import_files(store, [today], ImportOptions(), "a")
    assert (report.tasks_created, report.linked) == (1, 1)
    first, _, linked, new = tasks(store)
    assert linked["state"] == "linked" and linked["linked_to"] == first["id"]
    # the open task inherits the new list's vulnerability flag and jumps the queue
    assert first["flags"] == "pregnant" and first["priority"] == 1
    bump = store.conn.execute("SELECT * FROM events WHERE kind = 'link_bump'").fetchone()
    assert bump["task_id"] == first["id"]
    assert new["state"] == "pending"
    # nobody is offered the linked row
    offered = set()
    while (card := store.next_card("alice")) is not None:
        offered.add(card.id)
        store.record(card.id, "verified", "alice")
    assert linked["id"] not in offered and len(offered) == 3


def test_recently_verified_phone_is_auto_resolved_older_one_called_again(
    store: Store, tmp_path: Path, clock: Clock, config: Config
) -> None:
    import_files(store, [district_list(tmp_path / "a.xlsx", [[1, "甲", "13800000001"],
                                                             [2, "乙", "13800000002"]])],
                 ImportOptions(), "a")  # fmt: skip
    card = store.next_card("alice")
    store.record(card.id, "verified", "alice")
    other = store.next_card("alice")
    store.record(other.id, "refused", "alice", note="挂断")
    clock.advance(days=3)
    again = district_list(tmp_path / "b.xlsx", [[7, "甲", "13800000001"], [8, "乙", "13800000002"]])
    [report] = import_files(store, [again], ImportOptions(), "a")
    assert (report.auto_resolved, report.tasks_created) == (1, 1)  # a refusal is called again
    dup = store.conn.execute("SELECT * FROM tasks WHERE state = 'duplicate'").fetchone()
    assert dup["duplicate_of"] == card.id and dup["final_outcome"] == "verified"
    # beyond the dedup window the phone is called again
    clock.advance(days=config.dedup_days + 1)
    third = district_list(tmp_path / "c.xlsx", [[9, "甲", "13800000001"]])
    [report] = import_files(store, [third], ImportOptions(), "a")
    assert (report.auto_resolved, report.tasks_created) == (0, 1)


# -- all or nothing -------------------------------------------------------------------------------


def test_same_file_twice_is_refused_unless_again(store: Store, tmp_path: Path) -> None:
    path = district_list(tmp_path / "l.xlsx", [[1, "甲", "13800000001"]])
    import_files(store, [path], ImportOptions(), "a")
    with pytest.raises(ImportFailed, match=r"already imported as list #1.*--again"):
        import_files(store, [path], ImportOptions(), "a")
    [report] = import_files(store, [path], ImportOptions(again=True), "a")
    assert report.linked == 1 and counts(store)[0] == 2


def test_dry_run_reports_the_same_figures_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = district_list(tmp_path / "l.xlsx", [[1, "甲", "13800000001"], [2, "乙", "123"]])
    [dry] = import_files(store, [path], ImportOptions(dry_run=True), "a")
    assert counts(store) == (0, 0, 0)
    assert not (tmp_path / "l.xlsx.rejects.csv").exists()
    [real] = import_files(store, [path], ImportOptions(), "a")
    assert (dry.tasks_created, dry.rejected) == (real.tasks_created, real.rejected)
    assert dry.dry_run and not real.dry_run


def test_a_bad_file_in_the_command_leaves_nothing_of_any_file(store: Store, tmp_path: Path) -> None:
    good = district_list(tmp_path / "good.xlsx", [[1, "甲", "13800000001"]])
    bad = write_xlsx(tmp_path / "bad.xlsx", {"S": [["姓名", "住址"], ["乙", "福田"]]})
    with pytest.raises(ImportFailed, match=r"bad\.xlsx.*sheet 'S'.*row 1.*no phone column"):
        import_files(store, [good, bad], ImportOptions(), "a")
    assert counts(store) == (0, 0, 0)
    assert not (tmp_path / "good.xlsx.rejects.csv").exists()


def test_header_without_rows_and_missing_files_are_clear(store: Store, tmp_path: Path) -> None:
    empty = write_xlsx(tmp_path / "e.xlsx", {"S": [["标题"], ["姓名", "手机号"]]})
    with pytest.raises(ImportFailed, match=r"e\.xlsx: the header \(S header row 2\)|no data rows"):
        import_files(store, [empty], ImportOptions(), "a")
    with pytest.raises(ImportFailed, match=r"nope\.xlsx: no such file"):
        import_files(store, [tmp_path / "nope.xlsx"], ImportOptions(), "a")
    with pytest.raises(ImportFailed, match="unknown field 'mobile_phone'"):
        import_files(store, [empty], ImportOptions(mapping={"手机号": "mobile_phone"}), "a")
    assert counts(store) == (0, 0, 0)


# -- the command line -----------------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> object:
    (tmp_path / "callroom.toml").write_text('[general]\ndatabase = "t.db"\nlang = "en"\n', "utf-8")
    from callroom.config import load_config

    Store(load_config(tmp_path / "callroom.toml"), create=True).close()  # as `callroom init`
    # wide: Rich would fold a long temporary path over two lines of an 80-column "terminal"
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def test_cli_summary_in_chinese_names_each_rejected_row_and_why(tmp_path: Path) -> None:
    rows = [[1, "甲", "13800000001"], [2, "乙", "12"]]
    path = district_list(tmp_path / "l.xlsx", rows)
    result = _cli(tmp_path, "--lang", "zh", "import", str(path))
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "第6行" in x)
    # the reason's name and the cell as written, in Chinese (the English detail is for en)
    assert line.endswith(f"C 联系电话: {t('reject.invalid', 'zh')}：12"), line
    # the hints of the summary wrap in an 80-column terminal instead of being cut off, even
    # when a long file name leaves them a narrow column
    long = district_list(tmp_path / "1122福田区风险地区来深人员推送名单.xlsx", rows)
    narrow = CliRunner().invoke(
        app, ["--lang", "zh", "import", str(long), "--again"], env={"COLUMNS": "80"}
    )
    assert "…" not in narrow.output and "不重复" in narrow.output.replace("\n", "").replace(" ", "")


def test_cli_import_prints_a_summary_and_the_cards_are_there(tmp_path: Path) -> None:
    rows = [[1, "甲", "13800000001"], [2, "甲", "13800000001"], [3, "乙", "12"]]
    path = district_list(tmp_path / "l.xlsx", rows)
    result = _cli(tmp_path, "import", str(path), "--batch", "1102推送", "--deadline", "18:00",
                  "--script", "test_reminder")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Imported list: 1102推送" in out and "header row 4" in out
    assert "Merged in file" in out and "Rejected rows" in out and "row 7" in out
    assert "l.xlsx.rejects.csv" in out
    status = _cli(tmp_path, "status")
    assert "1102推送" in status.output
    from callroom.config import load_config

    with Store(load_config()) as store:
        batch = store.conn.execute("SELECT * FROM batches").fetchone()
        assert batch["script"] == "test_reminder" and batch["deadline"].endswith("18:00:00")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nope.xlsx"], 1, "nope.xlsx: no such file"),
        (["l.xlsx", "--map", "phone"], 2, "HEADER=field"),
        (["l.xlsx", "--deadline", "someday"], 2, "--deadline"),
        (["l.xlsx", "--script", "nosuch"], 1, "no call script named 'nosuch'"),
        (["l.xlsx", "--priority", "high"], 1, "--priority high"),
    ],
)
def test_cli_import_mistakes_exit_non_zero_with_one_clear_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    district_list(tmp_path / "l.xlsx", [[1, "甲", "13800000001"]])
    result = _cli(tmp_path, "import", *args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    assert "Nothing was imported" in result.output or code == 2


def test_old_binary_xls_and_ods_are_read(store: Store, tmp_path: Path) -> None:
    import zipfile

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate([["街道排查名单"], [], ["姓名", "联系电话", "来源地"],
                             ["张三", 13812345678, "北京"]]):  # fmt: skip
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    # a minimal OpenDocument spreadsheet, as LibreOffice/WPS save it
    cells = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>"
        for row in (["姓名", "手机号"], ["李四", "13912345678"])
    )  # fmt: skip
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(tmp_path / "new.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    reports = import_files(
        store, [tmp_path / "old.xls", tmp_path / "new.ods"], ImportOptions(), "a"
    )
    assert [r.header_rows for r in reports] == [{"名单": 3}, {"S": 1}]
    assert [(t["name"], t["phone"], t["place"]) for t in tasks(store)] == [
        ("张三", "+8613812345678", "北京"),
        ("李四", "+8613912345678", ""),
    ]
