"""List shapes of other systems, written for the importer's follow-up (issue #10) and kept apart
from the red team's: property registers, coach manifests, kindergartens, universities, web
forms, ... Each is small, built here with invented people, and says what a person reading it
would make of its first row. They check the general mechanisms: a number that repeats down a
list is an organisation's, a second person's number is never the resident's, an arrival is
recent, an origin is a place (not a channel, not the 户籍), a child's guardian is called.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter

from callroom.ids import check_char
from callroom.importer import ImportOptions, import_files
from callroom.store import Store


def pid(birth: str, seq: str = "215", area: str = "440304") -> str:
    first = f"{area}{birth}{seq}"
    return first + check_char(first)


def mobile(n: int) -> str:
    return f"1365211{n:04d}"


@dataclass
class Shape:
    rows: list[list[object]]  # from row 1: titles, headers, data
    phone: str  # the first data row's number to call (E.164)
    alt: list[str] = field(default_factory=list)  # its own further numbers
    never: list[str] = field(default_factory=list)  # others' numbers: no task's phone or alt
    fields: dict[str, str] = field(default_factory=dict)  # task column -> value, first row
    tasks: int | None = None
    flag: str = ""  # the first task's phone_flag
    html: str = ""  # a web page saved as .xls instead of a workbook (its encoding)
    merge: list[tuple[int, int, int, int]] = field(default_factory=list)  # merged ranges
    filled: list[str] = field(default_factory=list)  # task columns no task may have empty


def rows_of(n: int, make: object) -> list[list[object]]:
    return [make(i) for i in range(n)]  # type: ignore[operator]


SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
GIVEN = ["晓梅", "建国", "子涵", "思远", "雅琴", "卫东", "丽娟", "志强", "海燕", "俊杰"]


def person(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]


SHAPES: dict[str, Shape] = {
    # 1. a property manager's owner register: the service desk's number on every row, the
    # moved-in date years ago, the return date recent
    "property_register": Shape(
        rows=[
            ["XX花园业主返深登记"],
            ["物业服务中心电话", "房号", "业主姓名", "业主手机", "入住日期", "返深时间"],
            *rows_of(8, lambda i: [
                "0755-26880011", f"{i + 1}栋{i + 2}01", person(i), mobile(i),
                datetime(2015 + i % 5, 3, 1), f"2026-10-{20 + i}",
            ]),
        ],
        phone="+86" + mobile(0),
        never=["+8675526880011"],
        fields={"name": person(0), "arrival": "2026-10-20"},
        tasks=8,
    ),
    # 2. two number columns and no word to tell them apart: one number on most rows is a
    # hotline, whatever its column's place or header
    "hotline_in_a_plain_column": Shape(
        rows=[
            ["姓名", "联系电话", "电话"],
            *rows_of(7, lambda i: [person(i), "0755-83308800" if i != 3 else "", mobile(i)]),
        ],
        phone="+86" + mobile(0),
        never=["+8675583308800"],
        tasks=7,
    ),
    # 3. a handful of numbers repeating beside a column of distinct ones: the liaison officers
    "liaison_numbers_repeat": Shape(
        rows=[
            ["序号", "对接电话", "居民姓名", "手机号"],
            *rows_of(12, lambda i: [i + 1, ["13798050001", "13798050002", "13798050003"][i % 3],
                                    person(i), mobile(i)]),
        ],
        phone="+86" + mobile(0),
        never=["+8613798050001", "+8613798050002", "+8613798050003"],
        tasks=12,
    ),
    # 4. a coach company's passenger manifest: the crew's numbers are not the passengers'
    "coach_manifest": Shape(
        rows=[
            ["班次", "乘客姓名", "乘客电话", "随车人员电话", "出发站", "到站时间"],
            *rows_of(6, lambda i: ["K2031", person(i), mobile(i), "13912300001",
                                   "广州市天河客运站", f"2026-10-2{i} 16:40"]),
        ],
        phone="+86" + mobile(0),
        never=["+8613912300001"],
        fields={"place": "广州市天河客运站", "arrival": "2026-10-20 16:40"},
        tasks=6,
    ),
    # 5. a kindergarten: the children have no number; the guardian is called, the card says so
    "kindergarten": Shape(
        rows=[
            ["班别", "幼儿姓名", "监护人姓名", "与幼儿关系", "监护人手机", "返深日期"],
            *rows_of(5, lambda i: ["小二班", person(i), person(i + 5), "母亲", mobile(i),
                                   f"2026-10-{25 + i}"]),
        ],
        phone="+86" + mobile(0),
        flag="guardian",
        fields={"name": person(0)},
        tasks=5,
    ),
    # 6. a university's list: students have their own mobiles; a parent's is someone else's
    "university_students": Shape(
        rows=[
            ["学号", "学生姓名", "学生手机", "家长手机", "返校日期"],
            *rows_of(5, lambda i: [f"2024{i:04d}", person(i), mobile(i), f"1391234{i:04d}",
                                   f"2026-10-{10 + i}"]),
        ],
        phone="+86" + mobile(0),
        never=["+8613912340000"],
        fields={"arrival": "2026-10-10"},
        tasks=5,
    ),
    # 7. two dates named like arrivals: the one years ago (到岗) is not this arrival
    "two_arrival_like_dates": Shape(
        rows=[
            ["姓名", "手机", "到岗日期", "最近一次来深日期"],
            *rows_of(5, lambda i: [person(i), mobile(i), f"{2012 + i}-05-0{i + 1}",
                                   f"2026.10.{21 + i}"]),
        ],
        phone="+86" + mobile(0),
        fields={"arrival": "2026-10-21"},
    ),
    # 8. a web form's export: 来自 is the channel (小程序, 链接), the city comes later
    "web_form_channel": Shape(
        rows=[
            ["提交时间", "来自", "填写人", "手机号", "出发城市"],
            *rows_of(5, lambda i: ["2026-10-30 10:00", ["小程序", "链接", "二维码"][i % 3],
                                   person(i), mobile(i), "长沙市"]),
        ],
        phone="+86" + mobile(0),
        fields={"place": "长沙市", "arrival": ""},
        filled=["place"],
    ),
    # 9. where a person is registered is not where they came from
    "hukou_and_travel": Shape(
        rows=[
            ["姓名", "户籍所在地", "联系方式", "14天内旅居地", "现居住地址"],
            *rows_of(4, lambda i: [person(i), "湖南省衡阳市衡南县", mobile(i), "上海市浦东新区",
                                   f"南山区桃园路{i + 1}号"]),
        ],
        phone="+86" + mobile(0),
        fields={"place": "上海市浦东新区", "address": "南山区桃园路1号"},
    ),
    # 10. a street office's web system: a GBK page without a charset, <thead>/<tbody>, a totals
    # line at the bottom
    "street_office_web_export": Shape(
        rows=[
            ["序号", "姓名", "手机号码", "抵深时间", "居住地址"],
            *rows_of(3, lambda i: [str(i + 1), person(i), mobile(i), f"2026/10/2{i}",
                                   f"福田区福华路{i + 1}号"]),
            ["合计：3人", "", "", "", ""],
        ],
        phone="+86" + mobile(0),
        fields={"arrival": "2026-10-20", "address": "福田区福华路1号"},
        tasks=3,
        html="gb18030",
    ),
    # 11. numbers written with words around them, by several hands
    "annotated_numbers": Shape(
        rows=[
            ["姓名", "联系方式"],
            [person(0), f"{mobile(0)}（本人） 13798052231（爱人）"],
            [person(1), f"爱人:13798052232；本人:{mobile(1)}"],
            [person(2), f"0755-26543210 / {mobile(2)}"],
            [person(3), "13798052234 外孙"],
        ],
        phone="+86" + mobile(0),
        never=["+8613798052231", "+8613798052232", "+8613798052234"],
        tasks=3,
    ),
    # 12. a dormitory list: the room and the arrival merged down over the roommates
    "dormitory_merged": Shape(
        rows=[
            ["宿舍号", "姓名", "手机", "返深日期"],
            ["A101", person(0), mobile(0), "2026-10-28"],
            ["", person(1), mobile(1), ""],
            ["", person(2), mobile(2), ""],
            ["A102", person(3), mobile(3), "2026-10-29"],
        ],
        phone="+86" + mobile(0),
        merge=[(1, 0, 3, 0), (1, 3, 3, 3)],
        filled=["arrival"],
        tasks=4,
    ),
}  # fmt: skip


def _write(path: Path, shape: Shape) -> Path:
    if shape.html:
        body = "".join(
            "<tr>" + "".join(f"<{'th' if r == 0 else 'td'}>{c}</{'th' if r == 0 else 'td'}>"
                             for c in row) + "</tr>"
            for r, row in enumerate(shape.rows)
        )  # fmt: skip
        page = f"<html><body><table><thead></thead><tbody>{body}</tbody></table></body></html>"
        path = path.with_suffix(".xls")
        path.write_bytes(page.encode(shape.html))
        return path
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    when = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(shape.rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, when)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    for top, left, bottom, right in shape.merge:
        sheet.merge_range(top, left, bottom, right, shape.rows[top][left])
    book.close()
    return path


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_list_shape_of_another_system_is_read_as_a_person_would(
    store: Store, tmp_path: Path, name: str
) -> None:
    shape = SHAPES[name]
    path = _write(tmp_path / f"{name}.xlsx", shape)
    [report] = import_files(store, [path], ImportOptions(), "tester")
    rows = [dict(r) for r in store.conn.execute("SELECT * FROM tasks ORDER BY id")]
    first = rows[0]
    assert first["phone"] == shape.phone, report.columns
    assert json.loads(first["alt_phones"]) == shape.alt
    assert first["phone_flag"] == shape.flag
    called = {r["phone"] for r in rows} | {a for r in rows for a in json.loads(r["alt_phones"])}
    assert not set(shape.never) & called
    for column, value in shape.fields.items():
        assert first[column] == value, (column, report.columns)
    for column in shape.filled:
        assert all(r[column] for r in rows), [r[column] for r in rows]
    if shape.tasks is not None:
        assert report.tasks_created == shape.tasks
    if shape.never and name != "annotated_numbers":
        # someone else's number stays on the card as a labelled extra, masked like any number
        shown = " ".join(json.loads(first["extra"]).values()).replace(" ", "")
        assert any(n[3:] in shown for n in shape.never)


def _csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_row_whose_number_is_the_offices_line_is_rejected_as_such(
    store: Store, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["社区", "社区电话", "姓名", "手机"]]
    rows += [["桃源社区", "0755-26880011", person(i), mobile(i)] for i in range(6)]
    rows.append(["桃源社区", "0755-26880011", person(6), "0755-26880011"])  # no phone of her own
    [report] = import_files(store, [_csv(tmp_path / "l.csv", rows)], ImportOptions(), "tester")
    assert report.tasks_created == 6 and dict(report.rejected) == {"org_line": 1}
    assert any("B 社区电话: the same few numbers on many rows" in w for w in report.warnings)
    assert "+8675526880011" not in {
        r["phone"] for r in store.conn.execute("SELECT phone FROM tasks")
    }


def test_a_households_landline_repeats_and_is_still_the_households(
    store: Store, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["姓名", "手机", "家庭电话"]]
    for i in range(9):  # three households of three; one member without a mobile
        rows.append([person(i), "" if i == 4 else mobile(i), f"0755-2688001{i // 3}"])
    import_files(store, [_csv(tmp_path / "h.csv", rows)], ImportOptions(), "tester")
    got = {r["name"]: (r["phone"], r["phone_flag"], json.loads(r["alt_phones"]))
           for r in store.conn.execute("SELECT * FROM tasks")}  # fmt: skip
    assert got[person(0)] == ("+86" + mobile(0), "", ["+8675526880010"])
    assert got[person(4)] == ("+8675526880011", "landline_fallback", [])


def test_an_arrival_column_is_kept_when_alone_and_spread_but_not_when_years_old(
    store: Store, tmp_path: Path
) -> None:
    spread = [["姓名", "手机", "来深日期"]]
    spread += [[person(i), mobile(i), f"{2025 + i // 6}-{i % 6 * 2 + 1:02d}-15"] for i in range(12)]
    import_files(store, [_csv(tmp_path / "spread.csv", spread)], ImportOptions(), "tester")
    assert store.conn.execute("SELECT arrival FROM tasks ORDER BY id").fetchone()[0] == "2025-01-15"
    hired = [["姓名", "手机", "到岗日期"]]
    hired += [[person(i), mobile(i + 20), f"{2010 + i}-03-01"] for i in range(6)]
    [report] = import_files(store, [_csv(tmp_path / "hired.csv", hired)], ImportOptions(), "tester")
    task = dict(
        store.conn.execute("SELECT * FROM tasks WHERE batch_id = ?", (report.batch_id,)).fetchone()
    )
    assert task["arrival"] == "" and json.loads(task["extra"]) == {"到岗日期": "2010-03-01"}


def test_the_guardians_number_is_said_in_the_export_remarks(store: Store, tmp_path: Path) -> None:
    from callroom.export import remarks

    rows: list[list[object]] = [["学生姓名", "家长电话"]]
    rows += [[person(i), mobile(i)] for i in range(3)]
    import_files(store, [_csv(tmp_path / "kids.csv", rows)], ImportOptions(), "tester")
    row = store.conn.execute("SELECT * FROM tasks ORDER BY id").fetchone()
    assert row["phone_flag"] == "guardian"
    assert remarks(row, "zh") == ["号码为家长/监护人的"]
    assert remarks(row, "en") == ["the guardian's number"]


def test_a_pupil_without_a_mobile_is_called_on_the_parents(store: Store, tmp_path: Path) -> None:
    rows: list[list[object]] = [["班级", "学生姓名", "学生电话", "家长电话"]]
    rows += [["三(2)班", person(i), "" if i == 1 else mobile(i), f"1391234{i:04d}"]
             for i in range(5)]  # fmt: skip
    [report] = import_files(store, [_csv(tmp_path / "c.csv", rows)], ImportOptions(), "tester")
    got = {
        r["name"]: (r["phone"], r["phone_flag"]) for r in store.conn.execute("SELECT * FROM tasks")
    }
    assert got[person(0)] == ("+86" + mobile(0), "")
    assert got[person(1)] == ("+8613912340001", "guardian")
    assert report.tasks_created == 5 and report.guardians == 1
