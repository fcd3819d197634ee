"""Cells as other systems write them: ="..." wrappers in a CSV, example rows marked inside a
name, a part of the day after a date, merged cells over a family's rows, a web page saved as .xls."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from callroom.ids import check_char
from callroom.importer import ImportOptions, import_files
from callroom.importer.dates import read_date
from callroom.store import Store


def pid(birth: str, seq: str = "215", area: str = "440304") -> str:
    first = f"{area}{birth}{seq}"
    return first + check_char(first)


def tasks(store: Store) -> list[dict[str, object]]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM tasks ORDER BY id")]


def test_csv_cells_wrapped_as_formulas_are_read_as_their_text(store: Store, tmp_path: Path) -> None:
    ident = pid("19860202")
    path = tmp_path / "export.csv"
    path.write_text(
        f'姓名,手机号码,身份证号\n余晓东,"=""13652118834""","=""{ident}"""\n', encoding="utf-8-sig"
    )
    import_files(store, [path], ImportOptions(), "tester")
    [task] = tasks(store)
    assert task["phone"] == "+8613652118834"
    assert task["id_number"] == ident and task["id_flag"] == ""


def test_a_row_marked_as_an_example_inside_its_name_is_not_a_task(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "template.csv"
    path.write_text(
        "序号,姓名,手机\n"
        "1,王五（示例，请删除）,13912345678\n"
        "2,Li Lei (sample),13912345679\n"
        "3,邓雪梅,13652118834\n",
        encoding="utf-8",
    )
    [report] = import_files(store, [path], ImportOptions(), "tester")
    assert [t["name"] for t in tasks(store)] == ["邓雪梅"]
    assert report.not_data == 2


def test_a_part_of_the_day_after_a_date_is_read() -> None:
    today = date(2026, 12, 3)
    assert read_date("11月15日下午", today) == ("2026-11-15", True)
    assert read_date("11-15 下午3点", today) == ("2026-11-15 15:00", True)
    assert read_date("2026年11月16日上午9时", today) == ("2026-11-16 09:00", True)
    assert read_date("11月15日下午茶", today) == ("11月15日下午茶", False)


def test_arrival_written_with_the_part_of_the_day_reaches_the_task(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "arrivals.csv"
    path.write_text("姓名,手机号码,来深时间\n邓雪梅,13652118834,10月30日下午\n", encoding="utf-8")
    import_files(store, [path], ImportOptions(), "tester")
    assert tasks(store)[0]["arrival"] == "2026-10-30"


def test_cells_merged_down_over_a_familys_rows_reach_every_member(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "families.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("登记")
    sheet.merge_range(0, 0, 0, 4, "返深家庭登记表")
    sheet.write_row(1, 0, ["户号", "姓名", "手机", "抵深日期", "家庭住址"])
    # one family of three: 户号, the arrival and the address merged over the three rows
    sheet.merge_range(2, 0, 4, 0, "1")
    sheet.merge_range(2, 3, 4, 3, "2026-10-28")
    sheet.merge_range(2, 4, 4, 4, "福田区香梅路皇御苑B座1203")
    for r, (name, mobile) in enumerate(
        [("邓雪梅", "13652118834"), ("邓子涵", "13652118835"), ("邓建国", "13652118836")], 2
    ):
        sheet.write_string(r, 1, name)
        sheet.write_string(r, 2, mobile)
    sheet.write_row(5, 0, ["2", "韩东", "13798052231", "2026-10-30", "罗湖区笋岗路12号"])
    book.close()
    import_files(store, [path], ImportOptions(), "tester")
    got = {t["name"]: (t["arrival"], t["address"]) for t in tasks(store)}
    family = ("2026-10-28", "福田区香梅路皇御苑B座1203")
    assert got == {
        "邓雪梅": family, "邓子涵": family, "邓建国": family,
        "韩东": ("2026-10-30", "罗湖区笋岗路12号"),
    }  # fmt: skip


def test_a_web_systems_html_export_with_spans_and_its_own_charset_is_read(
    store: Store, tmp_path: Path
) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "</head><body><table border=1>"
        "<tr><th colspan=5>XX街道来深人员核查名单</th></tr>"
        "<tr><th>户号</th><th>姓名</th><th>手机号码</th><th>抵深时间</th><th>居住地址</th></tr>"
        "<tr><td rowspan=2>1</td><td>邓雪梅</td><td>136 5211 8834</td>"
        "<td rowspan=2>2026-10-28</td><td rowspan=2>福田区香梅路皇御苑B座1203</td></tr>"
        "<tr><td>邓子涵</td><td>13652118835</td></tr>"
        "<tr><td>2</td><td>韩&nbsp;东</td><td>13798052231</td><td>2026-10-30</td>"
        "<td>罗湖区笋岗路<br>12号</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "导出数据.xls"
    path.write_bytes(page.encode("gb2312"))
    import_files(store, [path], ImportOptions(), "tester")
    got = {t["phone"]: (t["name"], t["arrival"], t["address"]) for t in tasks(store)}
    family = ("2026-10-28", "福田区香梅路皇御苑B座1203")
    assert got == {
        "+8613652118834": ("邓雪梅", *family),
        "+8613652118835": ("邓子涵", *family),
        "+8613798052231": ("韩 东", "2026-10-30", "罗湖区笋岗路\n12号"),
    }


@pytest.mark.parametrize(
    ("cell", "own", "theirs"),
    [
        # a bracket after a number is that number's; an open bracket labels the next number
        ("15107109799(女婿) 15657693786(本人)", ["+8615657693786"], ["+8615107109799"]),
        ("13213990456（紧急联系人：16695821633）", ["+8613213990456"], ["+8616695821633"]),
        ("13812345678（父亲13912345678）", ["+8613812345678"], ["+8613912345678"]),
        # the last clause before a number labels it, not the whole sentence
        ("本人无手机，女儿15107164036", [], ["+8615107164036"]),
        ("139 9931 5453（舅舅）", [], ["+8613999315453"]),
        # a kind of line is no person; the mobile is called first
        ("固话：85163506 手机：13360144976", ["+8613360144976", "+8675585163506"], []),
        ("电话：15642902341（工作日）", ["+8615642902341"], []),
        ("15203181797（微信同号）", ["+8615203181797"], []),
        # one number marked as the person's own: the other, with any note, is not theirs
        ("13812345678 本人 13912345678 小陈", ["+8613812345678"], ["+8613912345678"]),
    ],
)
def test_numbers_and_the_words_beside_them_are_read_by_one_grammar(
    store: Store, tmp_path: Path, cell: str, own: list[str], theirs: list[str]
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(f"姓名,联系电话\n邓雪梅,{cell}\n韩东,13798052231\n", encoding="utf-8")
    [report] = import_files(store, [path], ImportOptions(), "tester")
    first = tasks(store)[0]
    if not own:
        assert first["name"] == "韩东" and report.rejected == {"others_only": 1}
        return
    assert [first["phone"], *json.loads(first["alt_phones"])] == own
    shown = " ".join(json.loads(first["extra"]).values()).replace(" ", "")
    for number in theirs:
        assert number[3:] in shown


def test_an_xml_spreadsheet_2003_export_is_read_like_a_workbook(
    store: Store, tmp_path: Path
) -> None:
    def cell(value: str, kind: str = "String", extra: str = "") -> str:
        return f'<Cell{extra}><Data ss:Type="{kind}">{value}</Data></Cell>'

    rows = [
        "<Row>" + cell("来深人员名单", extra=' ss:MergeAcross="3"') + "</Row>",
        "<Row>" + "".join(cell(h) for h in ("姓名", "手机", "抵深时间", "备注")) + "</Row>",
        "<Row>" + cell("邓雪梅") + cell("13652118834", "Number")
        + cell("2026-10-28T00:00:00.000", "DateTime", ' ss:MergeDown="1"') + "</Row>",
        "<Row>" + cell("邓子涵") + cell("13652118835", "Number")
        + cell("同住", extra=' ss:Index="4"') + "</Row>",
    ]  # fmt: skip
    page = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="名单"><Table>' + "".join(rows) + "</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "export.xls"
    path.write_text(page, encoding="utf-8")
    import_files(store, [path], ImportOptions(), "tester")
    got = [(t["name"], t["phone"], t["arrival"], t["source_note"]) for t in tasks(store)]
    assert got == [
        ("邓雪梅", "+8613652118834", "2026-10-28", ""),
        ("邓子涵", "+8613652118835", "2026-10-28", "同住"),
    ]


def test_an_id_wrapped_as_a_formula_inside_a_workbook_cell_is_read(
    store: Store, tmp_path: Path
) -> None:
    ident = pid("19860202")
    path = tmp_path / "pasted.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["姓名", "手机", "身份证号"])
    for c, value in enumerate(["余晓东", '="13652118834"', f'="{ident}"']):
        sheet.write_string(1, c, value)  # text, as pasted from a CSV: not a formula
    book.close()
    import_files(store, [path], ImportOptions(), "tester")
    [task] = tasks(store)
    assert (task["phone"], task["id_number"], task["id_flag"]) == ("+8613652118834", ident, "")
