"""Field visits in walking order: by compound, then building, unit and room. No Textual here.

Addresses on the lists are free text (福田区莲花街道景田北路88号景田花园3栋2单元501, 园岭新村
十二栋, 彩田村B座1502). The building (栋/座/幢/号楼) splits the compound from the door; numbers
compare as numbers (2栋 before 10栋), Chinese numerals and full-width digits included, so one
compound's buildings come together in order, and within a building its units and rooms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
# Chinese numerals that count something on the way to a door (not 一 in a street name)
_CN_NUMBER = re.compile(
    r"[零〇一二两三四五六七八九十百]+(?=栋|座|幢|号楼|单元|室|层|楼|期|排|巷|弄)"
)
_BUILDING = re.compile(r"([0-9]+[A-Za-z]?|[A-Za-z][0-9]*)(栋|座|幢|号楼)")
_UNIT = re.compile(r"([0-9]+|[A-Za-z])单元")
_ROOM = re.compile(r"([0-9]+)(?:室|房|号房)?$")
_SPACES = re.compile(r"\s+")
# District, street and road in front of a compound's name (小区 is the compound itself)
_PREFIX = re.compile(r".*(?:(?<!小)区|街道|镇|路|大道|街|巷)(?:[0-9]+号)?")
_PARTS = re.compile(r"([0-9]+)")


@dataclass(frozen=True)
class Address:
    compound: str  # the compound's name, without the district, street or road before it
    building: str
    unit: str
    room: str


def cn_number(text: str) -> int:
    """二十三 -> 23, 十二 -> 12, 一百零五 -> 105, 三 -> 3; 五〇一 -> 501 (a room said digit by digit)."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def normalise(address: str) -> str:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", address or ""))
    return _CN_NUMBER.sub(lambda m: str(cn_number(m.group())), text)


def parse_address(address: str) -> Address:
    text = normalise(address)
    building = _BUILDING.search(text)
    if building is None:
        room = _ROOM.search(text)
        head = text[: room.start()] if room and room.start() else text
        return Address(_compound(head), "", "", room.group(1) if room and room.start() else "")
    rest = text[building.end() :]
    unit = _UNIT.search(rest)
    tail = rest[unit.end() :] if unit else rest
    room = _ROOM.search(tail)
    return Address(
        compound=_compound(text[: building.start()]),
        building=building.group(1).upper(),
        unit=unit.group(1).upper() if unit else "",
        room=room.group(1) if room else "",
    )


def _compound(head: str) -> str:
    """景田北路88号景田花园 -> 景田花园; a head that is only a road stays as it is."""
    m = _PREFIX.match(head)
    return head[m.end() :] if m and m.end() < len(head) else head


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """'园岭10栋' sorts after '园岭2栋': digit runs compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _PARTS.split(text)
        if part
    )


def route_key(address: str) -> tuple[object, ...]:
    """Sort key for a walking route; an empty address goes last."""
    a = parse_address(address)
    return (
        not a.compound and not a.building,
        _natural(a.compound),
        _natural(a.building),
        _natural(a.unit),
        _natural(a.room),
        _natural(normalise(address)),
    )
