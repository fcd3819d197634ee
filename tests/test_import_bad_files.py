"""Files that must never hang, crash or half-import: a sheet declaring billions of cells (calamine
would abort the process), a FIFO, a device, a folder, a name too long for its rejects file, a
folder the rejects cannot go into, a database that cannot be written."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from callroom.config import load_config
from callroom.files import WriteFailed
from callroom.importer import ImportFailed, ImportOptions, import_files, rejects_name
from callroom.store import Store

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def bomb(path: Path, dimension: bool = True) -> Path:
    """A ~1.5 KB .xlsx whose sheet spans A1:XFD1048576: two cells, declared or placed there."""
    ref = '<dimension ref="A1:XFD1048576"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{ref}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>电话'
        '</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>13812345678'
        "</t></is></c></row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def nothing_written(store: Store) -> None:
    assert store.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    assert not store.conn.in_transaction


def test_a_sheet_declaring_a_billion_cells_is_refused_before_it_is_read(
    store: Store, tmp_path: Path
) -> None:
    path = bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 5000
    with pytest.raises(ImportFailed) as info:
        import_files(store, [path], ImportOptions(), "t")
    message = str(info.value)
    assert "sheet '名单'" in message and "A1:XFD1048576" in message and "Ctrl+End" in message
    nothing_written(store)


def test_a_sheet_spanning_a_billion_cells_without_saying_so_is_a_message_not_a_crash(
    store: Store, tmp_path: Path
) -> None:
    # no <dimension>: calamine still allocates the rectangle of its cells and aborts (SIGABRT);
    # it does so in the reading child, under a memory limit, and the import says what happened
    path = bomb(tmp_path / "stray.xlsx", dimension=False)
    with pytest.raises(ImportFailed) as info:
        import_files(store, [path], ImportOptions(), "t")
    message = str(info.value)
    assert "sheet '名单'" in message and "more memory than any list" in message
    nothing_written(store)


def test_a_fifo_a_device_and_a_folder_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    (tmp_path / "callroom.toml").write_text('[general]\ndatabase = "t.db"\nlang = "en"\n', "utf-8")
    Store(load_config(tmp_path / "callroom.toml"), create=True).close()  # as `callroom init`
    for target, needle in ((fifo, "not a list file but a fifo"), (Path("/dev/zero"), "a device"),
                           (tmp_path, "is a folder")):  # fmt: skip
        # a real process with a timeout: reading a FIFO or /dev/zero would never end
        done = subprocess.run(
            [sys.executable, "-c", "from callroom.cli import main; main()", "import", str(target)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1 and needle in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_a_long_file_name_gets_a_shortened_rejects_file(store: Store, tmp_path: Path) -> None:
    name = "福田区" + "风险地区来深人员排查名单" * 6 + "（第二批）.csv"  # 255 bytes, the limit
    assert len(name.encode()) <= 255 < len((name + ".rejects.csv").encode())
    path = tmp_path / name
    path.write_text("姓名,电话\n甲,13812345678\n乙,12\n", "utf-8")
    [report] = import_files(store, [path], ImportOptions(), "t")
    assert report.tasks_created == 1 and report.rejects_path is not None
    assert report.rejects_path.exists() and report.rejects_path.parent == tmp_path
    assert report.rejects_path.name == rejects_name(name)
    assert len(report.rejects_path.name.encode()) <= 200
    assert report.rejects_path.name.endswith(".rejects.csv")


def test_rejects_go_beside_the_database_else_to_the_temp_folder(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callroom import files

    lists = tmp_path / "inbox"
    lists.mkdir()
    path = lists / "l.csv"
    path.write_text("姓名,电话\n甲,13812345678\n乙,12\n", "utf-8")
    real = files.atomic_file
    refused: set[Path] = {lists}

    def picky(target: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if Path(str(target)).parent in refused:
            raise WriteFailed(Path(str(target)), PermissionError(13, "Permission denied"))
        return real(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "atomic_file", picky)
    [report] = import_files(store, [path], ImportOptions(), "t")
    assert report.rejects_path == store.path.parent / "l.csv.rejects.csv"
    assert any("not writable" in w for w in report.warnings)
    refused.add(store.path.parent)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    [report] = import_files(store, [path], ImportOptions(again=True), "t")
    assert report.rejects_path == tmp_path / "tmp" / "l.csv.rejects.csv"
    assert report.rejects_path.exists()


@pytest.mark.parametrize(
    ("pragma", "needle"),
    [("query_only = ON", "cannot be written"), ("max_page_count = 20", "disk is full")],
)
def test_a_database_that_cannot_take_the_list_says_so_and_nothing_is_written(
    store: Store, tmp_path: Path, pragma: str, needle: str
) -> None:
    path = tmp_path / "l.csv"
    lines = ["姓名,电话,住址"] + [f"居民{i},139{i:08d},{'福田区某路' * 20}" for i in range(3000)]
    lines.append("坏,12,")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    store.conn.execute(f"PRAGMA {pragma}")
    with pytest.raises(ImportFailed) as info:
        import_files(store, [path], ImportOptions(), "t")
    assert needle in str(info.value) and "nothing of this import was written" in str(info.value)
    store.conn.execute("PRAGMA query_only = OFF")
    nothing_written(store)
    assert not (tmp_path / "l.csv.rejects.csv").exists()  # the import did not happen


def test_a_database_busy_for_too_long_says_so(config, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    path = tmp_path / "l.csv"
    path.write_text("姓名,电话\n甲,13812345678\n", "utf-8")
    with Store(config, clock=clock, busy_deadline=0.5) as store:
        other = sqlite3.connect(config.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # somebody else holds the write lock throughout
        try:
            with pytest.raises(ImportFailed, match="stayed busy for too long"):
                import_files(store, [path], ImportOptions(), "t")
        finally:
            other.execute("ROLLBACK")
            other.close()
        nothing_written(store)
