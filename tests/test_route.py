"""Field visits in walking order (the lead pane's visit list and the field-visit export): an
address is cut into compound, building, unit and room, numbers compare as numbers whether
written 12, １２ or 十二, and a visitor walks one compound's buildings in order."""

from __future__ import annotations

import pytest

from callroom.route import Address, cn_number, normalise, parse_address, route_key


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2),
        ("一百", 100), ("百", 100), ("一百零五", 105), ("一百一十", 110), ("三百二十一", 321),
        ("零", 0), ("〇", 0), ("九十九", 99),
        ("五〇一", 501), ("一二〇三", 1203), ("二零", 20),  # rooms said digit by digit
    ],
)  # fmt: skip
def test_chinese_numerals(text: str, n: int) -> None:
    assert cn_number(text) == n


def test_normalise_counts_only_the_numerals_on_the_way_to_a_door() -> None:
    assert normalise("园岭新村十二栋") == "园岭新村12栋"
    assert normalise("二单元 五〇一室") == "2单元501室"
    assert normalise("三号楼") == "3号楼"
    assert normalise("一期二排三巷") == "1期2排3巷"
    assert normalise("十层") == "10层" and normalise("五楼") == "5楼"
    assert normalise("四弄") == "4弄" and normalise("两座") == "2座" and normalise("九幢") == "9幢"
    # 一 in a name stays: 一 is not counting anything here
    assert normalise("一心花园") == "一心花园"
    # full-width digits and letters, spaces anywhere
    assert normalise(" 彩田村 Ｂ座 １５０２ ") == "彩田村B座1502"
    assert normalise("") == "" and normalise(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("福田区莲花街道景田北路88号景田花园3栋2单元501", ("景田花园", "3", "2", "501")),
        ("园岭新村十二栋", ("园岭新村", "12", "", "")),
        ("彩田村b座1502", ("彩田村", "B", "", "1502")),
        ("益田村24栋B单元803室", ("益田村", "24", "B", "803")),
        ("梅林一村5号楼", ("梅林一村", "5", "", "")),
        ("香蜜湖12A栋1801房", ("香蜜湖", "12A", "", "1801")),
        ("皇岗花园C3幢", ("皇岗花园", "C3", "", "")),
        ("福田区福华路", ("福田区福华路", "", "", "")),  # only a road: kept whole
        ("上梅林新村501", ("上梅林新村", "", "", "501")),  # no building: the trailing room
        ("501", ("501", "", "", "")),  # only digits: no room without a place before it
        ("上沙小区", ("上沙小区", "", "", "")),  # 小区 is the compound, not a district
        ("南山区海德三道", ("海德三道", "", "", "")),
        ("", ("", "", "", "")),
    ],
)
def test_an_address_cut_into_compound_building_unit_and_room(
    address: str, parts: tuple[str, str, str, str]
) -> None:
    assert parse_address(address) == Address(*parts)


def test_a_room_without_a_building_after_the_road() -> None:
    assert parse_address("深南大道6008号报社宿舍") == Address("报社宿舍", "", "", "")
    # a head that is only a road and its number stays whole
    assert parse_address("福田区滨河路9号1203") == Address("福田区滨河路9号", "", "", "1203")


def test_walking_order() -> None:
    addresses = [
        "",
        "园岭新村十二栋301",
        "福田区景田北路88号景田花园3栋2单元501",
        "园岭新村2栋1单元1502",
        "园岭新村2栋1单元302",
        "园岭新村2栋10单元101",
        "园岭新村2栋2单元101",
        "彩田村B座1502",
        "彩田村A座9",
        "园岭新村10栋101",
    ]
    assert sorted(addresses, key=route_key) == [
        "园岭新村2栋1单元302",
        "园岭新村2栋1单元1502",  # rooms as numbers: 302 before 1502
        "园岭新村2栋2单元101",
        "园岭新村2栋10单元101",  # units as numbers
        "园岭新村10栋101",  # buildings as numbers: 2 before 10 before 十二
        "园岭新村十二栋301",
        "彩田村A座9",
        "彩田村B座1502",
        "福田区景田北路88号景田花园3栋2单元501",  # by compound (景田花园), not by the road
        "",  # no address: last
    ]


def test_an_address_with_neither_compound_nor_building_goes_after_the_others() -> None:
    assert route_key("501")[0] is False  # a compound named 501 is still a place to walk to
    assert route_key("")[0] is True
    assert route_key("3栋")[0] is False
    assert sorted(["", "A", "3栋"], key=route_key) == ["3栋", "A", ""]


def test_numbered_buildings_before_lettered_ones() -> None:
    assert sorted(["彩田村A座1", "彩田村2座1", "彩田村10座1"], key=route_key) == [
        "彩田村2座1", "彩田村10座1", "彩田村A座1",
    ]  # fmt: skip


def test_ties_are_broken_by_the_whole_address() -> None:
    # same compound, building, unit and room, written differently: a stable, natural order
    a, b = "景田花园3栋2单元501 (东)", "景田花园3栋2单元501 (西)"
    assert sorted([b, a], key=route_key) == [a, b]
    assert route_key("X2") < route_key("X10")
