"""What each column holds, found from header words and cells: the failure classes of the import
issue (#10) one by one, each with a list built here (invented people)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import load_config
from callroom.ids import check_char
from callroom.importer import ImportFailed, ImportOptions, import_files
from callroom.importer.header import find_header
from callroom.importer.roles import Header, is_person_name
from callroom.store import Store


def pid(birth: str, seq: str = "123", area: str = "440304") -> str:
    first = f"{area}{birth}{seq}"
    return first + check_char(first)


def xlsx(
    path: Path, rows: list[list[object]], sheet: str = "名单", **more: list[list[object]]
) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, body in {sheet: rows, **more}.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(body):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, datetime):
                    ws.write_datetime(r, c, value, book.add_format({"num_format": "yyyy-mm-dd"}))
                elif value is not None:
                    ws.write(r, c, value)
    book.close()
    return path


def imported(store: Store, path: Path, **options: object):  # -> ImportReport
    [report] = import_files(store, [path], ImportOptions(**options), "tester")  # type: ignore[arg-type]
    return report


def tasks(store: Store) -> list[dict[str, object]]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM tasks ORDER BY id")]


# -- 1. headers worded any way ---------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["本人电话", "移动电话", "联系号码", "电话/手机", "Mobile No.", "*手机号码（必填）", "手机 号",
     "联系电话：", "TEL", "Phone Number", "常用手机"],
)  # fmt: skip
def test_phone_headers_worded_any_way_import_without_map(
    store: Store, tmp_path: Path, header: str
) -> None:
    path = xlsx(tmp_path / "l.xlsx", [["姓名", header], ["邱海燕", "13711112222"]])
    report = imported(store, path)
    assert report.tasks_created == 1 and report.columns["phone"] == header


@pytest.mark.parametrize(
    ("header", "field", "value", "stored"),
    [
        ("联系人", "name", "石凤英", "石凤英"),
        ("客户姓名", "name", "石凤英", "石凤英"),
        ("家庭住址", "address", "福田区福民路3号", "福田区福民路3号"),
        ("现住址（详细到门牌）", "address", "福田区福民路3号", "福田区福民路3号"),
        ("居住地址", "address", "福田区福民路3号", "福田区福民路3号"),
        ("返深时间", "arrival", "2026-11-28", "2026-11-28"),
        ("入深日期", "arrival", "2026/11/28", "2026-11-28"),
        ("到达深圳时间", "arrival", "11月28日", "2026-11-28"),
        ("旅居地", "place", "上海市", "上海市"),
        ("出发城市", "place", "上海市", "上海市"),
        ("14天内途经", "place", "上海市", "上海市"),
    ],
)
def test_other_fields_are_found_by_word_families(
    store: Store, tmp_path: Path, header: str, field: str, value: str, stored: str
) -> None:
    path = xlsx(tmp_path / "l.xlsx", [["手机", header], ["13711112222", value]])
    imported(store, path)
    assert tasks(store)[0][field] == stored


def test_a_headerless_phone_column_is_found_by_its_cells(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "", "住址"], ["钱梦瑶", "13512345601", "福田区上步路1号"],
            ["汪国栋", 13512345602.0, "福田区上步路2号"], ["韩雪", "13512345603", "上步路3号"]]  # fmt: skip
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    assert report.tasks_created == 3 and report.columns["phone"] == "B"


def test_a_column_without_header_can_be_mapped_by_its_letter(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "", "备用"], ["钱梦瑶", "13512345601", "13612345601"]]
    imported(store, xlsx(tmp_path / "l.xlsx", rows), mapping={"C": "phone", "b": "alt_phone"})
    task = tasks(store)[0]
    assert task["phone"] == "+8613612345601"
    assert json.loads(task["alt_phones"]) == ["+8613512345601"]


def test_map_to_a_column_letter_the_sheet_does_not_have_names_it(
    store: Store, tmp_path: Path
) -> None:
    path = xlsx(tmp_path / "l.xlsx", [["姓名", "手机"], ["钱梦瑶", "13512345601"]])
    with pytest.raises(ImportFailed, match=r"--map Q=phone.*no column headed 'Q'"):
        imported(store, path, mapping={"Q": "phone"})


# -- 2. whose number is it -------------------------------------------------------------------


def test_someone_elses_number_is_a_labelled_extra_never_the_residents(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        ["姓名", "联系方式", "紧急联系人", "监护人手机", "咨询人电话"],
        ["魏淑芬", "13900001111", "魏强", "13900002222", "13900003333"],
        ["陶伟", "13900004444", "陶母", "13900002222", "13900003333"],
    ]
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    first, second = tasks(store)
    assert (first["phone"], json.loads(first["alt_phones"])) == ("+8613900001111", [])
    extra = json.loads(first["extra"])
    assert extra["监护人手机"] == "139 0000 2222" and extra["咨询人电话"] == "139 0000 3333"
    assert extra["紧急联系人"] == "魏强"  # someone else's name: shown, never the resident's
    # the guardian's number is never a dedup key: two residents sharing a guardian, two tasks
    assert report.tasks_created == 2 and report.merged == 0 and report.other_phones == 4
    assert second["phone"] == "+8613900004444"


def test_someone_elses_number_never_links_to_their_own_task(store: Store, tmp_path: Path) -> None:
    imported(store, xlsx(tmp_path / "a.xlsx", [["姓名", "手机"], ["魏强", "13900002222"]]))
    rows = [["姓名", "手机", "家属电话"], ["魏淑芬", "13900001111", "13900002222"]]
    report = imported(store, xlsx(tmp_path / "b.xlsx", rows))
    assert (report.tasks_created, report.linked) == (1, 0)


def test_a_cell_naming_a_relative_keeps_that_number_apart(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "电话"], ["孔令辉", "13812255660（本人），13912255661（父亲）"]]
    imported(store, xlsx(tmp_path / "l.xlsx", rows))
    task = tasks(store)[0]
    assert task["phone"] == "+8613812255660" and json.loads(task["alt_phones"]) == []
    assert json.loads(task["extra"]) == {"电话 (父亲)": "139 1225 5661"}


def test_only_someone_elses_numbers_is_a_question_not_a_guess(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "紧急联系人电话"], ["魏淑芬", "13900002222"]]
    with pytest.raises(ImportFailed) as info:
        imported(store, xlsx(tmp_path / "l.xlsx", rows))
    message = str(info.value)
    assert "name someone else" in message and "--map 'B=phone'" in message
    assert "B 紧急联系人电话 (1/1 valid, e.g. 139****2222; someone else's number)" in message


# -- 3. the resident's own further numbers ---------------------------------------------------


def test_a_landline_is_an_alternate_and_the_number_when_the_mobile_is_empty(
    store: Store, tmp_path: Path
) -> None:
    rows = [["姓名", "固定电话", "手机号码"], ["白玉洁", "0755-23456781", "15014327788"],
            ["郑家豪", "0755-23456782", ""], ["田甜", "", ""]]  # fmt: skip
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    first, second = tasks(store)
    # never by column order: the mobile is the number to call, the landline its alternate
    assert (first["phone"], json.loads(first["alt_phones"])) == (
        "+8615014327788",
        ["+8675523456781"],
    )
    assert (second["phone"], second["phone_flag"]) == ("+8675523456782", "landline_fallback")
    assert report.fallbacks == 1 and report.rejected == {"no_phone": 1}


# -- 4/5. numbers with notes, numbers Excel damaged ------------------------------------------


def test_annotated_and_packed_numbers_are_read(store: Store, tmp_path: Path) -> None:
    rows = [
        ["姓名", "电话"],
        ["甲", "19894146647（本人）"],
        ["乙", "18240721828(南)13912169593(北)"],
    ]
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    first, second = tasks(store)
    assert first["phone"] == "+8619894146647"
    assert (second["phone"], json.loads(second["alt_phones"])) == (
        "+8618240721828",
        ["+8613912169593"],
    )
    assert report.rejected_total == 0


def test_a_number_excel_cut_is_rejected_as_damaged_never_stored(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    path.write_text("姓名,电话\n甲,1.38123E+10\n乙,13812345678\n", "utf-8")
    report = imported(store, path)
    assert report.rejected == {"damaged_by_excel": 1}
    assert [t["phone"] for t in tasks(store)] == ["+8613812345678"]
    assert not store.conn.execute(
        "SELECT 1 FROM tasks WHERE phone LIKE '+8613812300000%'"
    ).fetchall()


# -- 6. rows and sheets that are not data ----------------------------------------------------


def test_template_example_and_repeated_header_rows_are_skipped_and_counted(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        ["序号", "姓名", "手机号码", "备注"],
        ["示例", "张三", "13800000000", "此行为填写示例，请勿删除"],
        ["", "{customerName}", "{customerPhone}", ""],
        [1, "魏淑芬", "13900001111", ""],
        ["序号", "姓名", "手机号码", "备注"],  # the header again, pasted from a second list
        [2, "陶伟", "13900004444", ""],
        [3, "张三", "13800000000", ""],  # the template's sample again
        [4, "林", "12", ""],
    ]
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    assert [t["name"] for t in tasks(store)] == ["魏淑芬", "陶伟"]
    assert (report.not_data, report.rejected_total, report.rows_read) == (4, 1, 3)


def test_helper_sheets_are_skipped_with_one_line(store: Store, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "l.xlsx",
        [["姓名", "手机号码"], ["魏淑芬", "13900001111"]],
        填写说明=[["填写说明"], ["1. 手机号码请填写11位，例如 13800000000"]],
        字典=[["证件类型"], ["居民身份证"], ["护照"]],
    )
    report = imported(store, path)
    assert report.sheets == ["名单"] and report.tasks_created == 1
    skipped = [w for w in report.warnings if "skipped" in w]
    assert len(skipped) == 2 and not any("--map" in w for w in report.warnings)


def test_banner_rows_and_a_two_row_header(store: Store, tmp_path: Path) -> None:
    rows = [
        ["福田区隔离人员转运名单"],
        ["制表单位：某某街道", "", "", "", "日期：11月30日"],
        ["基本信息", "", "联系方式", "", "备注"],
        ["姓名", "身份证号", "本人", "家属", ""],
        ["尹志明", pid("19661020"), "13622220001", "13622220002", "需轮椅"],
    ]
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    task = tasks(store)[0]
    assert report.header_rows == {"名单": 4}
    assert (task["phone"], task["name"], task["source_note"]) == (
        "+8613622220001",
        "尹志明",
        "需轮椅",
    )
    assert json.loads(task["extra"]) == {"联系方式/家属": "136 2222 0002"}


def test_a_header_is_found_although_no_word_says_phone(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "证件号码", "", "现住址"],
            ["龚雪梅", pid("19790101"), "13433330001", "福田区滨河路9号"],
            ["葛振华", pid("19800101"), "13433330002", "福田区滨河路10号"]]  # fmt: skip
    guess = find_header(rows)
    assert guess.row == 0 and guess.headers[1] == Header.of("证件号码")
    imported(store, xlsx(tmp_path / "l.xlsx", rows))
    assert tasks(store)[0]["phone"] == "+8613433330001"


def test_address_split_over_columns_is_joined_in_order(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "电话", "房号", "所属街道", "社区", "小区名称", "楼栋", "单元"],
            ["戴海涛", "13411002233", "803", "福保街道", "益田社区", "益田村", "24栋", "2单元"]]  # fmt: skip
    imported(store, xlsx(tmp_path / "l.xlsx", rows))
    assert tasks(store)[0]["address"] == "福保街道益田社区益田村24栋2单元803"


def test_an_id_type_column_is_honoured(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "证件类型", "证件号码", "电话"],
            ["Anna Smith", "护照", "E12345678", "13502224455"],
            ["容嘉怡", "港澳居民来往内地通行证", "H12345678", "13502224456"],
            ["黎志坚", "居民身份证", "440304199001011235", "13502224457"]]  # fmt: skip
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    by = {t["name"]: t for t in tasks(store)}
    assert (by["Anna Smith"]["id_number"], by["Anna Smith"]["id_flag"]) == ("E12345678", "")
    assert by["容嘉怡"]["id_flag"] == ""
    assert by["黎志坚"]["id_flag"] == "bad_check_digit"  # a resident ID is still checked
    assert (report.other_documents, report.suspect_ids) == (2, 1)


def test_secret_columns_are_dropped_unread_and_counted(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "手机", "登录密码", "银行卡号", "短信验证码", "Token"],
            ["魏淑芬", "13900001111", "Abc123456", "6222020200112233445", "884213", "eyJhbGci"]]  # fmt: skip
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    task = tasks(store)[0]
    blob = json.dumps(task, ensure_ascii=False)
    for secret in ("Abc123456", "6222020200112233445", "884213", "eyJhbGci"):
        assert secret not in blob
    assert report.secret_columns == ["登录密码", "银行卡号", "短信验证码", "Token"]


def test_family_and_given_name_columns_make_the_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["名", "姓", "移动电话"], ["晓东", "潘", "18676543210"]])
    imported(store, path)
    assert tasks(store)[0]["name"] == "潘晓东"


# -- 8. invisible characters and NULs --------------------------------------------------------


def test_invisible_characters_and_nuls_never_reach_a_task(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "copied.csv"
    path.write_text(
        "姓名,电话,住址\n"
        "\u200b邹\u00ad海\x00燕\u200e,\ufeff138\u200b1234\u202e5678,福田\u2060区\n"
        "顾\u200f雪,13812345679\u200e,\n",
        "utf-8",
    )
    report = imported(store, path)
    assert report.rejected_total == 0
    first, second = tasks(store)
    assert (first["name"], first["phone"], first["address"]) == (
        "邹海燕",
        "+8613812345678",
        "福田区",
    )
    assert second["name"] == "顾雪" and "\x00" not in json.dumps(first)


# -- 7. messages ------------------------------------------------------------------------------


def test_the_no_phone_message_shows_every_header_cell_folded(store: Store, tmp_path: Path) -> None:
    header = ["序号", *[f"调查项目{i}" for i in range(1, 20)], "手机号码?"]
    header[-1] = "居民去向备注"  # no phone in any header, no phone in any cell
    rows = [header, [1, *["x"] * 19, "无"]]
    with pytest.raises(ImportFailed) as info:
        imported(store, xlsx(tmp_path / "l.xlsx", rows))
    message = str(info.value)
    assert "U 居民去向备注" in message and "T 调查项目19" in message
    assert all(len(line) <= 80 for line in message.splitlines()[1:-1])


def test_no_header_message_shows_the_best_candidate_row(store: Store, tmp_path: Path) -> None:
    rows = [["某某街道工作名单"], [], ["甲", "好", "北京"], ["乙", "差", "上海"]]
    with pytest.raises(ImportFailed) as info:
        imported(store, xlsx(tmp_path / "l.xlsx", rows))
    message = str(info.value)
    assert "no header row found in the first 30 rows" in message
    assert "most like a header is row 3" in message and "A 甲 | B 好 | C 北京" in message


def test_a_file_with_nothing_callable_fails_naming_its_rejects_file(tmp_path: Path) -> None:
    (tmp_path / "callroom.toml").write_text('[general]\ndatabase = "t.db"\nlang = "en"\n', "utf-8")
    path = tmp_path / "bad.csv"
    path.write_text("姓名,电话\n甲,12\n乙,无\n", "utf-8")
    Store(load_config(tmp_path / "callroom.toml"), create=True).close()  # as `callroom init`
    result = CliRunner().invoke(app, ["import", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    rejects = tmp_path / "bad.csv.rejects.csv"
    assert "none of its 2 rows has a number" in result.output and str(rejects) in result.output
    assert rejects.exists() and "Nothing was imported" in result.output
    with Store(__import__("callroom.config", fromlist=["x"]).load_config()) as store:
        assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_surnames_make_a_name_not_any_short_chinese_word() -> None:
    assert is_person_name("欧阳娜娜") and is_person_name("王伟") and is_person_name("阿依·买买提")
    assert (
        not is_person_name("已核实") and not is_person_name("北京市") and not is_person_name("阴性")
    )


def test_lists_are_read_in_this_process_where_there_is_no_fork(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callroom.importer import reader

    monkeypatch.setattr(reader, "READ_IN_CHILD", False)
    rows = [["福田区排查名单"], ["姓名", "联系号码", "紧急联系人电话", "住址"],
            ["魏淑芬", "13900001111", "13900002222", "福田区某路1号"], ["示例", "", "", ""]]  # fmt: skip
    report = imported(store, xlsx(tmp_path / "l.xlsx", rows))
    task = tasks(store)[0]
    assert (task["phone"], task["address"]) == ("+8613900001111", "福田区某路1号")
    assert json.loads(task["extra"]) == {"紧急联系人电话": "139 0000 2222"}
    assert (report.header_rows, report.tasks_created) == ({"名单": 2}, 1)


def test_address_parts_named_in_brackets_are_joined(store: Store, tmp_path: Path) -> None:
    # the health-code collection template: the part of the address is said in brackets
    rows = [["*姓名", "*手机号码", "现居住地址（省）", "（市）", "（区）", "详细地址"],
            ["商晓芸", "13411002299", "广东省", "深圳市", "福田区", "沙头街道天安社区3栋"]]  # fmt: skip
    imported(store, xlsx(tmp_path / "l.xlsx", rows))
    assert tasks(store)[0]["address"] == "广东省深圳市福田区沙头街道天安社区3栋"


def test_a_one_row_list_without_header_is_a_question_with_its_columns(
    store: Store, tmp_path: Path
) -> None:
    # one row of cells is too little to be sure which column is the number: ask, never guess
    path = xlsx(tmp_path / "l.xlsx", [["谭秀兰", "13760871234", "南山区桃园路南山村8栋"]])
    with pytest.raises(ImportFailed) as info:
        imported(store, path)
    message = str(info.value)
    assert "columns (no header row):" in message and "A | B | C" in message
    assert "--map 'B=phone'" in message
    imported(store, path, mapping={"B": "phone"})
    assert tasks(store)[0]["name"] == "谭秀兰"
