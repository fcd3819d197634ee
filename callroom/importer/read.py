"""Open a district list and yield its sheets as rows of cells, streamed.

The format is decided by the file's first bytes, not its name: many ".xls" files from web systems
are HTML or tab-separated GBK text, and a renamed file should still be read or refused clearly.
Text is decoded by rule (BOM -> utf-8-sig / utf-16; else strict UTF-8; else GB18030), never by
statistical guessing, which misreads short GBK files.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from callroom.importer.model import ImportFailed, Msg

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx and .ods
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
DELIMITERS = (",", "\t", ";")
# bytes no text list holds (tab, line breaks, form feed and escape aside)
_CONTROL = (*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20))
SNIFF_BYTES = 64 * 1024
MAX_RECORD_LINES = 50  # a cell with more line breaks than this is an unclosed quote
# A single CSV cell may be huge (a pasted document); the row is still read, the cell is cut later.
csv.field_size_limit(64 * 1024 * 1024)
# python-calamine allocates a sheet's whole rectangle up front (32 bytes a cell): a 5 KB file
# declaring A1:XFD1048576 asks for 512 GiB and the process aborts. Excel's own limits, and a
# rectangle no list needs (a 1,000,000-row list of 30 columns is 30 million cells).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELLS = 60_000_000
MAX_MERGED = 200_000  # merged ranges filled down; a sheet with more is read as Excel shows it
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?\""
)


@dataclass
class Sheet:
    """One sheet (a CSV is one sheet named ""): rows as lists of cells, with Excel's numbering."""

    name: str
    rows: Iterator[list[object]]
    first_col: int = 0  # column index (0 = A) of the first cell of each row
    total: int | None = None  # rows, when known up front (for the progress bar)
    position: Callable[[], float] | None = None  # fraction read, for streamed text files
    # cells merged down over several rows: (top row, column, bottom row), 0-based, sheet-wide
    merged: list[tuple[int, int, int]] = field(default_factory=list)


def check_regular(path: Path) -> None:
    """Refuse what is not a plain file before anything opens it: opening a FIFO blocks until
    someone writes to it, and /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise unreadable(path, exc) from None
    if stat.S_ISDIR(mode):
        raise ImportFailed("is_folder", path=path)
    if not stat.S_ISREG(mode):
        kind = (
            "fifo"
            if stat.S_ISFIFO(mode)
            else "device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "special"
        )
        raise ImportFailed("not_a_file", path=path, kind=kind)


def _letters(text: bytes) -> int:
    n = 0
    for ch in text.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def check_declared_size(path: Path) -> None:
    """Refuse an .xlsx whose sheets declare more cells than a list can have, before calamine
    allocates them. Reads only the start of each worksheet's XML."""
    try:
        with zipfile.ZipFile(path) as book:
            names = _sheet_names(book)
            for info in book.infolist():
                if not (
                    info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                ):
                    continue
                with book.open(info) as part:
                    start = part.read(16 * 1024)
                m = _DIMENSION.search(start)
                if m is None or m.group(3) is None:
                    continue
                cols = _letters(m.group(3)) - _letters(m.group(1)) + 1
                rows = int(m.group(4)) - int(m.group(2)) + 1
                if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
                    ref = (m.group(1) + m.group(2) + b":" + m.group(3) + m.group(4)).decode()
                    sheet = names.get(info.filename, info.filename)
                    raise ImportFailed(
                        "too_big", path=path, sheet=repr(sheet), ref=ref, cells=f"{rows * cols:,}",
                        limit=f"{MAX_CELLS:,}",
                    )  # fmt: skip
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return  # not a readable zip: calamine says what is wrong with it


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships."""
    try:
        workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    out = {}
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(m.group(2), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[part] = _xml_text(m.group(1))
    return out


def _xml_text(text: str) -> str:
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text


def unreadable(path: Path, exc: OSError) -> ImportFailed:
    """The message for a list file that cannot be opened at all."""
    if isinstance(exc, FileNotFoundError):
        return ImportFailed("no_file", path=path)
    if isinstance(exc, IsADirectoryError):
        return ImportFailed("is_folder", path=path)
    return ImportFailed("unreadable", path=path, reason=exc.strerror)


def sniff_kind(path: Path) -> str:
    """'excel' (xlsx/ods/xls), 'encrypted', 'html' (a web page: its tables are read), 'xml'
    (refused) or 'text'; raises ImportFailed for other files."""
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if not head:
        raise ImportFailed("empty_file", path=path)
    if head.startswith(ZIP_MAGIC):
        return "excel"
    if head.startswith(XLS_MAGIC):
        return "encrypted" if _is_encrypted(path) else "excel"
    probe = head
    if head.startswith(codecs.BOM_UTF8):
        probe = head[3:]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a web page saved as .xls may be UTF-16 too: look at its first characters as ASCII
        probe = head[:1024].decode("utf-16", "ignore").encode("ascii", "ignore")
    elif sum(head.count(bytes([b])) for b in _CONTROL) > len(head) // 100:
        raise ImportFailed("binary", path=path)  # a stray NUL in a text list is only stripped
    stripped = probe.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    if stripped.startswith(b"<?xml"):
        from callroom.importer.xml_sheet import NAMESPACE

        if NAMESPACE in head:
            return "spreadsheet_xml"  # Excel's "XML Spreadsheet 2003"
        return "html" if b"<table" in head.lower() or b"<\x00t\x00a\x00b" in head else "xml"
    if stripped.startswith(b"%pdf"):
        raise ImportFailed("pdf", path=path)
    return "text"


def _is_encrypted(path: Path) -> bool:
    # An encrypted OOXML workbook is an OLE2 container holding an "EncryptedPackage" stream; its
    # directory entry sits near the start of small files, so a bounded scan is enough. Only a
    # directory entry counts (128-byte aligned, name length 34 at +64): a plain .xls may hold the
    # same UTF-16 text in a cell.
    with path.open("rb") as f:
        data = f.read(4 * 1024 * 1024)
    pos = data.find(ENCRYPTED_MARK)
    while pos != -1:
        if pos % 128 == 0 and data[pos + 64 : pos + 66] == b"\x22\x00":
            return True
        pos = data.find(ENCRYPTED_MARK, pos + 1)
    return False


def open_sheets(
    path: Path, only: str | None = None, opening: Callable[[str], None] | None = None
) -> tuple[list[Sheet], list[str]]:
    """The sheets to read and warnings (hidden or skipped sheets). Raises ImportFailed.
    ``opening(name)`` is told each sheet's name before the sheet is parsed."""
    kind = sniff_kind(path)
    if kind == "encrypted":
        raise _password(path)
    if kind == "spreadsheet_xml":
        return _xml_sheets(path, only)
    if kind == "xml":
        raise ImportFailed("web_page", path=path)
    if kind == "html":
        return _html_sheets(path, only)
    if kind == "text":
        if only:
            raise ImportFailed("sheet_on_text", path=path, sheet=repr(only))
        return [_text_sheet(path)], []
    return _excel_sheets(path, only, opening)


MAX_HTML_BYTES = 512 * 1024 * 1024  # a web page of a list; a bigger one is not read into memory


def _html_sheets(path: Path, only: str | None) -> tuple[list[Sheet], list[str]]:
    """A web page saved as .xls: each of its tables a sheet ("" when there is one, else
    "table 1", "table 2", ...); a page without a table (a login page, an error page) is
    refused as a web page."""
    from callroom.importer.html_table import read_tables

    try:
        if path.stat().st_size > MAX_HTML_BYTES:
            raise ImportFailed("web_page", path=path)
        tables = read_tables(path.read_bytes())
    except OSError as exc:
        raise unreadable(path, exc) from None
    if not tables:
        raise ImportFailed("web_page", path=path)
    names = [""] if len(tables) == 1 else [f"table {i}" for i in range(1, len(tables) + 1)]
    if only is not None:
        if only not in names:
            raise ImportFailed(
                "no_such_sheet", path=path, sheet=repr(only), sheets=", ".join(names)
            )
        keep = names.index(only)
        tables, names = [tables[keep]], [only]
    sheets = [
        Sheet(name=n, rows=iter(t.rows), total=len(t.rows), merged=t.merged)
        for n, t in zip(names, tables, strict=True)
    ]
    return sheets, []


def _xml_sheets(path: Path, only: str | None) -> tuple[list[Sheet], list[str]]:
    """An XML Spreadsheet 2003 file: its worksheets, as a workbook's."""
    import xml.etree.ElementTree as ET

    from callroom.importer.xml_sheet import read_workbook

    try:
        if path.stat().st_size > MAX_HTML_BYTES:
            raise ImportFailed("web_page", path=path)
        found = read_workbook(path)
    except OSError as exc:
        raise unreadable(path, exc) from None
    except ET.ParseError:
        raise ImportFailed("bad_workbook", path=path, detail=Msg("workbook_damaged")) from None
    names = [s.name for s in found]
    if only is not None:
        if only not in names:
            raise ImportFailed(
                "no_such_sheet", path=path, sheet=repr(only), sheets=", ".join(names)
            )
        found = [s for s in found if s.name == only]
    sheets = [
        Sheet(name=s.name, rows=iter(s.rows), total=len(s.rows), merged=s.merged) for s in found
    ]
    if not any(s.rows for s in found):
        raise ImportFailed("web_page", path=path)
    return sheets, []


def _password(path: Path) -> ImportFailed:
    return ImportFailed("password", path=path)


def _excel_sheets(
    path: Path, only: str | None, opening: Callable[[str], None] | None = None
) -> tuple[list[Sheet], list[str]]:
    import python_calamine as pc

    with path.open("rb") as f:
        if f.read(4) == ZIP_MAGIC:
            check_declared_size(path)

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise _password(path) from None
    except Exception as exc:  # calamine raises several types for broken files
        raise ImportFailed("bad_workbook", path=path, detail=_in_words(exc)) from None
    warnings: list[str] = []
    names = list(book.sheet_names)
    if only is not None:
        if only not in names:
            raise ImportFailed(
                "no_such_sheet", path=path, sheet=repr(only), sheets=", ".join(names)
            )
        names = [only]
    else:
        visible = {
            m.name for m in book.sheets_metadata if str(m.visible).lower().endswith("visible")
        }
        hidden = [n for n in names if n not in visible]
        if hidden and len(hidden) < len(names):
            warnings.append(Msg("hidden_sheets", sheets=", ".join(hidden)))
            names = [n for n in names if n in visible]
    sheets = []
    for name in names:
        if opening is not None:
            opening(name)
        try:
            sheet = book.get_sheet_by_name(name)
        except pc.PasswordError:
            raise _password(path) from None
        except Exception as exc:
            raise ImportFailed(
                "bad_sheet", path=path, sheet=repr(name), detail=_in_words(exc)
            ) from None
        # calamine pads rows from the top of the sheet but starts columns at the first used one
        start, end = sheet.start or (0, 0), sheet.end or (0, 0)
        sheets.append(
            Sheet(
                name=name,
                rows=iter(sheet.iter_rows()),
                first_col=start[1],
                total=end[0] + 1,
                merged=_merged_down(sheet),
            )
        )
    return sheets, warnings


def _in_words(exc: Exception) -> Msg:
    """What calamine says of a broken workbook, in the UI's words (its text is English)."""
    text = str(exc).lower()
    if "eocd" in text or "zip" in text:
        return Msg("zip_cut_short")
    return Msg("workbook_damaged")


def not_a_workbook(path: Path, problem: Msg) -> ImportFailed | None:
    """A file named like a workbook that is plain text and no list either: say what it is."""
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        return None
    try:
        if sniff_kind(path) != "text":
            return None
    except ImportFailed:
        return None
    zipped = Msg("not_zip") if suffix in (".xlsx", ".xlsm", ".ods") else ""
    return ImportFailed(
        "text_named_workbook", path=path, suffix=suffix, zip=zipped, problem=problem
    )


def _merged_down(sheet: object) -> list[tuple[int, int, int]]:
    """Ranges merged over several rows (户号, 来深时间 and 家庭住址 over a family's members):
    Excel keeps the value in the top cell only, a person reading the sheet sees it on every
    row. Their first column, as (top row, column, bottom row)."""
    try:
        ranges = getattr(sheet, "merged_cell_ranges", None) or []
    except Exception:  # a reader without merge information: read the sheet as it is
        return []
    out = [(top[0], top[1], bottom[0]) for top, bottom in ranges if bottom[0] > top[0]]
    return out if len(out) <= MAX_MERGED else []


def fill_merged(
    rows: Iterator[list[object]], first_row: int, merged: list[tuple[int, int, int]],
    first_col: int = 0,
) -> Iterator[list[object]]:  # fmt: skip
    """The rows from sheet row ``first_row`` (0-based) on, each cell under a merged range given
    the range's value. Ranges starting above ``first_row`` (a header merged down over two
    header rows) are left alone."""
    below: dict[int, list[tuple[int, int]]] = {}  # row -> (column, top row) to fill from
    for top, col, bottom in merged:
        if top >= first_row and col >= first_col:
            for r in range(top + 1, bottom + 1):
                below.setdefault(r, []).append((col - first_col, top))
    if not below:
        yield from rows
        return
    tops: dict[int, list[int]] = {}  # row -> columns whose value is carried down
    for top, col, _ in merged:
        if top >= first_row and col >= first_col:
            tops.setdefault(top, []).append(col - first_col)
    values: dict[tuple[int, int], object] = {}
    for number, row in enumerate(rows, first_row):
        fills = below.pop(number, None)
        if fills:
            row = list(row)
            for col, top in fills:
                value = values.get((top, col), "")
                if col < len(row):
                    if row[col] in (None, ""):
                        row[col] = value
                elif value not in (None, ""):
                    row.extend([""] * (col - len(row)))
                    row.append(value)
        for col in tops.pop(number, ()):
            values[(number, col)] = row[col] if col < len(row) else ""
        if not below:
            yield row
            yield from rows
            return
        yield row


def text_encoding(path: Path) -> str:
    """BOM -> utf-8-sig / utf-16; else strict UTF-8 over the whole file; else GB18030."""
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"  # what Excel's plain "CSV" export writes on Chinese Windows
    return "utf-8"


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines most consistently (comma, tab, semicolon)."""
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for d in DELIMITERS:
        counts = [line.count(d) for line in lines]
        score = (sum(1 for c in counts if c), sum(counts))
        if score > best_score:
            best, best_score = d, score
    return best


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The line of the first bytes that do not decode (the text reader only knows its chunk).

    Byte lines are exact for GB18030 and UTF-8, whose multi-byte characters never hold b"\\n".
    """
    if encoding.startswith("utf-16"):
        return None
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _unwrap(cell: str) -> str:
    """="440304198602028415": how systems keep Excel from turning digits into a number."""
    if cell[:2] == '="' and cell[-1:] == '"' and len(cell) >= 3:
        return cell[2:-1].replace('""', '"')
    return cell


def _text_sheet(path: Path) -> Sheet:
    encoding = text_encoding(path)
    size = max(path.stat().st_size, 1)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    try:
        sample = text.read(SNIFF_BYTES)
    except UnicodeDecodeError:
        raw.close()
        raise ImportFailed("bad_encoding", path=path) from None
    text.seek(0)
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[list[object]]:
        try:
            last = 0
            for row in reader:
                if reader.line_num - last > MAX_RECORD_LINES:
                    # an unclosed quote swallows the rest of the file into one cell
                    raise ImportFailed(
                        "open_quote", path=path, line=last + 1, lines=reader.line_num - last
                    )
                last = reader.line_num
                if any(c[:2] == '="' for c in row):
                    row = [_unwrap(c) for c in row]
                yield row
        except UnicodeDecodeError:
            line = _undecodable_line(path, encoding) or reader.line_num + 1
            raise ImportFailed("bad_bytes", path=path, line=line) from None
        except csv.Error as exc:
            raise ImportFailed(
                "broken_csv", path=path, line=reader.line_num, detail=str(exc)
            ) from None
        finally:
            raw.close()

    return Sheet(name="", rows=rows(), position=lambda: raw.tell() / size if not raw.closed else 1)
