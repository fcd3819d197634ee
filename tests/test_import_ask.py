"""Sure or ask, and remember: an unclear phone column is shown with its evidence and one
keystroke decides (a Rich prompt, driven here through its input stream); off a terminal the
import is refused with the exact --map; a confirmed or mapped layout is remembered by header."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import xlsxwriter
from rich.console import Console
from typer.testing import CliRunner

from callroom.cli import app
from callroom.commands import importing
from callroom.commands.importing import TerminalChooser
from callroom.config import load_config
from callroom.importer import ImportFailed, ImportOptions, Question, import_files
from callroom.store import Store

HEADER = ["序号", "姓名", "紧急联系人", "联系人电话", "住址"]


def unclear_list(path: Path, start: int = 0, rows: int = 25) -> Path:
    """Only a column whose header names someone else holds numbers: whose are they?"""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, HEADER)
    for i in range(rows):
        phone = f"1391234{start + i:04d}" if i < rows - 3 else "无"  # 22 of 25 valid
        sheet.write_row(i + 1, 0, [i + 1, f"居民{start + i}", f"家属{i}", phone, "福田区某路1号"])
    book.close()
    return path


def chooser(answer: str, lang: str = "en") -> tuple[TerminalChooser, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    return TerminalChooser(console, lang, stream=io.StringIO(answer)), out


def events(store: Store, kind: str) -> list[dict[str, object]]:
    rows = store.conn.execute("SELECT detail FROM events WHERE kind = ? ORDER BY id", (kind,))
    return [json.loads(r[0]) for r in rows]


def test_enter_accepts_the_guess_shown_with_its_evidence_and_it_is_remembered(
    store: Store, tmp_path: Path
) -> None:
    ask, out = chooser("\n")
    [report] = import_files(store, [unclear_list(tmp_path / "a.xlsx")], ImportOptions(), "lead",
                            ask=ask)  # fmt: skip
    shown = out.getvalue()
    assert "a.xlsx, sheet 名单: which column is the resident's own phone number?" in shown
    assert "D 联系人电话: 22/25 valid, e.g. 139****0000 (someone else's number)" in shown
    assert "A 序号 | B 姓名 | C 紧急联系人 | D 联系人电话 | E 住址" in shown
    assert "Enter takes D" in shown
    assert report.tasks_created == 22 and report.layouts_saved == [1]
    [saved] = events(store, "layout_saved")
    assert saved == {"layout": 1, "source": "confirmed", "mapping": {"D": "phone"}, "columns": 5}

    # the next list of the same layout imports with no question
    def never(question: Question) -> int | None:
        raise AssertionError("asked again")

    [again] = import_files(store, [unclear_list(tmp_path / "b.xlsx", start=100)],
                           ImportOptions(), "lead", ask=never)  # fmt: skip
    assert again.tasks_created == 22 and again.layouts_used == [1]
    assert events(store, "layout_used") == [{"layout": 1}]
    row = store.conn.execute("SELECT uses, used_at FROM import_layouts").fetchone()
    assert row["uses"] == 2 and row["used_at"]


def test_a_letter_picks_another_column_and_q_stops_with_nothing_written(
    store: Store, tmp_path: Path
) -> None:
    path = unclear_list(tmp_path / "a.xlsx")
    ask, out = chooser("Z\nb\n")  # Z is no column of the sheet: asked again
    with pytest.raises(ImportFailed, match=r"not a phone number|no row to call|none of its"):
        import_files(store, [path], ImportOptions(), "lead", ask=ask)
    assert "Z: not a column of this sheet" in out.getvalue()
    ask, _ = chooser("q\n")
    with pytest.raises(ImportFailed, match="stopped: no phone column was chosen"):
        import_files(store, [path], ImportOptions(), "lead", ask=ask)
    assert store.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM import_layouts").fetchone()[0] == 0


def test_the_question_in_chinese(store: Store, tmp_path: Path) -> None:
    ask, out = chooser("D\n", lang="zh")
    import_files(store, [unclear_list(tmp_path / "a.xlsx")], ImportOptions(), "lead", ask=ask)
    shown = out.getvalue()
    assert "哪一列是居民本人的电话" in shown and "22/25 个有效" in shown and "他人号码" in shown


def _cli(tmp_path: Path, *args: str, input: str | None = None):  # -> Result
    (tmp_path / "callroom.toml").write_text('[general]\ndatabase = "t.db"\nlang = "en"\n', "utf-8")
    Store(load_config(tmp_path / "callroom.toml"), create=True).close()  # as `callroom init`
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "100"})


def test_off_a_terminal_the_import_is_refused_with_the_exact_map(tmp_path: Path) -> None:
    path = unclear_list(tmp_path / "a.xlsx")
    result = _cli(tmp_path, "import", str(path))
    assert result.exit_code == 1
    assert "not sure which column holds the resident's own phone number" in result.output
    assert "--map 'D=phone'" in result.output and "Nothing was imported" in result.output
    # the --map given imports it, and is remembered for the next list of this layout
    result = _cli(tmp_path, "import", str(path), "--map", "D=phone")
    assert result.exit_code == 0, result.output
    assert "Layout remembered" in result.output
    other = unclear_list(tmp_path / "b.xlsx", start=100)
    result = _cli(tmp_path, "import", str(other))
    assert result.exit_code == 0 and "Imported by a remembered layout" in result.output
    listing = _cli(tmp_path, "mappings")
    assert "D=phone" in listing.output and "序号 | 姓名 | 紧急联系人" in listing.output
    assert "--map" in listing.output
    forgot = _cli(tmp_path, "mappings", "forget", "1")
    assert forgot.exit_code == 0 and "Forgot layout #1" in forgot.output
    assert "No layouts remembered" in _cli(tmp_path, "mappings").output
    assert _cli(tmp_path, "mappings", "forget", "7").exit_code == 1
    again = unclear_list(tmp_path / "c.xlsx", start=200)
    assert _cli(tmp_path, "import", str(again)).exit_code == 1  # asked afresh: refused
    with Store(load_config()) as store:
        [forgotten] = events(store, "layout_forgotten")
        assert forgotten == {"layout": 1}
        # the audit log holds column letters and field names, never a number or a name
        details = " ".join(r[0] for r in store.conn.execute("SELECT detail FROM events"))
        assert "139" not in details and "居民" not in details


def test_on_a_terminal_the_cli_asks_and_one_keystroke_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "_interactive", lambda: True)
    path = unclear_list(tmp_path / "a.xlsx")
    result = _cli(tmp_path, "import", str(path), input="\n")
    assert result.exit_code == 0, result.output
    assert "Phone column" in result.output and "Tasks created" in result.output
    assert "Layout remembered" in result.output
