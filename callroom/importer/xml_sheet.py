"""An "XML Spreadsheet 2003" file (SpreadsheetML), as older web and Java systems export with an
.xls name: <Workbook><Worksheet ss:Name><Table><Row><Cell><Data ss:Type>. Read with the standard
library's ElementTree, streamed row by row. Numbers come back as floats and dates as datetimes,
as python-calamine gives them for a real workbook; ss:Index skips cells and rows, ss:MergeDown
is a merged range (filled down below the header like any other, read.fill_merged)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

NAMESPACE = b"urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
MAX_INDEX = 1_048_576  # Excel's last row; an ss:Index beyond it is a broken file


class SheetXml:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[list[object]] = []
        self.merged: list[tuple[int, int, int]] = []


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(elem: ET.Element, name: str) -> str | None:
    return elem.get(_SS + name, elem.get(name))


def _index(text: str | None, default: int) -> int:
    try:
        value = int(text) if text else default
    except ValueError:
        return default
    return value if 0 < value <= MAX_INDEX else default


def _value(data: ET.Element | None) -> object:
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = _attr(data, "Type") or "String"
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() == "1"
    return text


def read_workbook(path: Path) -> list[SheetXml]:
    """Every worksheet of the file with its rows (0-based, as a sheet's rows are numbered)."""
    sheets: list[SheetXml] = []
    sheet: SheetXml | None = None
    for event, elem in ET.iterparse(path, events=("start", "end")):
        name = _local(elem.tag)
        if event == "start":
            if name == "Worksheet":
                sheet = SheetXml(_attr(elem, "Name") or f"Sheet{len(sheets) + 1}")
                sheets.append(sheet)
            continue
        if name == "Row" and sheet is not None:
            number = _index(_attr(elem, "Index"), len(sheet.rows) + 1) - 1
            while len(sheet.rows) < number:
                sheet.rows.append([])
            row: list[object] = []
            for cell in elem:
                if _local(cell.tag) != "Cell":
                    continue
                col = _index(_attr(cell, "Index"), len(row) + 1) - 1
                row.extend([""] * (col - len(row)))
                data = next((c for c in cell if _local(c.tag) == "Data"), None)
                row.append(_value(data))
                across = _index(_attr(cell, "MergeAcross"), 0)
                row.extend([""] * min(across, 256))
                down = _index(_attr(cell, "MergeDown"), 0)
                if down:
                    sheet.merged.append((number, col, number + down))
            sheet.rows.append(row)
            elem.clear()
        elif name == "Worksheet":
            elem.clear()
    return sheets
