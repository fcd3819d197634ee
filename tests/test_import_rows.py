"""RowReader.read_many (the import's column-by-column path for the usual rows) gives exactly what
RowReader.read gives row by row: the same records, rejects and counts, for any mix of cells."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from callroom.config import load_config
from callroom.ids import check_char
from callroom.importer.header import Synonyms, find_header, plan_sheet
from callroom.importer.rows import RowReader, Tally

HEADER = ["序号", "姓名", "手机号码", "身份证号", "来源地", "抵深时间", "现住址", "备注", "车牌"]
TODAY = date(2026, 11, 2)


def _id(birth: str) -> str:
    first = f"440304{birth}215"
    return first + check_char(first)


phones = st.sampled_from(
    [13812345678.0, "13812345679", "+86 139-1234-5678", "138 1234 5670", "12", "", None,
     " 13812345677 ", "13812345676\t",
     "13800000000", "1.38123E+10", "19894146647（本人）", "13812345678\u200b", 13812300000.0,
     "{customerPhone}", "手机号码", 13900001111.0]
)  # fmt: skip
names = st.sampled_from(["张三", "魏淑芬", "", None, "示例", "Lam Ka Wai", "欧阳娜娜", "x" * 80])
ids = st.sampled_from(
    [_id("19500101"), _id("20230101"), _id("19900101"), 4.40304199001011e17, "", None, "123",
     _id("19611102"), _id("19611103"), _id("20191102"), _id("20191103"), "11010519491231002x",
     _id("19900101")[:17] + "0"]
)  # fmt: skip
places = st.sampled_from(["北京市朝阳区", "", None, "孕妇", "香港"])
arrivals = st.sampled_from(
    [datetime(2026, 10, 31, 14, 0), datetime(2026, 10, 30), "10月31日", "2026/10/31", "明天",
     "", None, 45000.0]
)  # fmt: skip
notes = st.sampled_from(["", "独居老人", "密接", None, "示例：请勿删除", "y" * 1200])
firsts = st.sampled_from([1.0, 2, "示例", "例：", "", "序号", None])
plates = st.sampled_from(["粤B12345", "", None, "住院"])
rows = st.lists(
    st.tuples(firsts, names, phones, ids, places, arrivals, places, notes, plates).map(list),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None, database=None)
@given(rows, st.booleans(), st.integers(0, 3))
def test_read_many_is_read_row_by_row(body: list[list[object]], urgent: bool, cut: int) -> None:
    config = load_config()
    head = [HEADER, *body]
    guess = find_header(head)
    layout = plan_sheet(guess, body, 0, Synonyms(config), {})
    rows_ = [row[: len(row) - cut] for row in body]  # short rows are padded the same way
    one = RowReader(layout, config, "名单", TODAY, urgent, Tally())
    many = RowReader(layout, config, "名单", TODAY, urgent, Tally())
    expected = [one.read(row, 2 + i) for i, row in enumerate(rows_)]
    slow: list[int] = []
    read = many.read

    def counted(row: list[object], number: int) -> object:
        slow.append(number)
        return read(row, number)

    many.read = counted  # type: ignore[method-assign]
    got = many.read_many(rows_, 2)
    assert got == expected
    assert asdict(many.tally) == asdict(one.tally)
    FAST.append(len(rows_) - len(slow))


FAST: list[int] = []


def test_the_column_path_is_taken_for_the_usual_rows() -> None:
    assert sum(FAST) > 100  # the property above ran many rows through it
