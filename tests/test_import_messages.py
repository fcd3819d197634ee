"""What `callroom import` says when it cannot import: what the file is, and the next step that
works (through the command, in the UI's language)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from callroom.cli import app
from callroom.config import Config

runner = CliRunner()


@pytest.fixture
def cli_env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = config.database.parent / "cfg.toml"
    path.write_text(f'[general]\ndatabase = "{config.database}"\n', "utf-8")
    monkeypatch.setenv("CALLROOM_CONFIG", str(path))
    return path


def _import(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_text_renamed_to_xlsx_is_said_to_be_no_workbook(cli_env: Path, tmp_path: Path) -> None:
    (tmp_path / "名单.xlsx").write_text("hello\n", "utf-8")
    code, out = _import("import", str(tmp_path / "名单.xlsx"))
    assert code == 1
    assert "不是 Excel 工作簿，而是纯文本" in out and "zip 压缩包" in out
    code, out = _import("--lang", "en", "results", "import", str(tmp_path / "名单.xlsx"))
    assert code == 1 and "not an Excel workbook: it is plain text" in out
    # a list that is text under a workbook's name still imports: only the failure says it
    (tmp_path / "ok.xls").write_text("姓名,电话\n张三,13800000001\n", "utf-8")
    assert _import("import", str(tmp_path / "ok.xls"))[0] == 0


def test_a_workbook_cut_short_is_said_in_words(cli_env: Path, tmp_path: Path) -> None:
    book = tmp_path / "full.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet()
    for i in range(200):
        ws.write_row(i, 0, ["姓名", f"1380000{i:04d}"])
    wb.close()
    (tmp_path / "cut.xlsx").write_bytes(book.read_bytes()[:3000])
    code, out = _import("import", str(tmp_path / "cut.xlsx"))
    assert code == 1 and "压缩包不完整" in out and "EOCD" not in out and "Zip" not in out
    code, out = _import("--lang", "en", "import", str(tmp_path / "cut.xlsx"))
    assert "cut short" in out and "EOCD" not in out


def test_already_imported_says_add_again_not_fix_the_file(cli_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "1102名单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["姓名", "电话"], ["张三", "13800000001"]])
    assert _import("import", str(path))[0] == 0
    code, out = _import("import", str(path))
    assert code == 1 and "--again" in out
    assert "修正" not in out and "本次导入未写入任何数据。" in out


def test_no_callable_row_reads_well(cli_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "空号.csv"
    path.write_text("姓名,电话\n张三,12345\n", "utf-8")
    code, out = _import("import", str(path))
    assert code == 1 and "读到 1 行，其中没有可拨打的号码" in out
    assert "行里没有一行" not in out


def test_command_line_mistakes_in_chinese(cli_env: Path, tmp_path: Path) -> None:
    """No English in the zh UI: a missing file argument and a bad --deadline."""
    code, out = _import("import")
    assert code == 2 and "缺少要导入的名单文件" in out and "FILES" not in out
    code, out = _import("results", "import")
    assert code == 2 and "缺少要导入的核酸结果文件" in out
    code, out = _import("mappings", "forget")
    assert code == 2 and "缺少要忘记的表头编号" in out and "LAYOUT_ID" not in out
    (tmp_path / "a.csv").write_text("电话\n13800000001\n", "utf-8")
    code, out = _import("import", str(tmp_path / "a.csv"), "--deadline", "25:00")
    assert code == 2 and "--deadline '25:00'：请写成时间" in out and "use a time" not in out
    code, out = _import("--lang", "en", "import", str(tmp_path / "a.csv"), "--deadline", "25:00")
    assert code == 2 and "use a time like 18:00" in out and "明天" not in out


def _no_line_starts_with_closing_punctuation(text: str) -> None:
    from callroom.linebreak import NO_START

    for line in text.splitlines():
        body = line.strip().removeprefix("! ")  # the warning mark, then the warning's words
        assert not body or body[0] not in NO_START, line


def test_summary_and_backup_break_lines_the_chinese_way(
    cli_env: Path, tmp_path: Path, config: Config
) -> None:
    """At 80 columns no line of the import summary or the backup message starts with ，or ）,
    and a number stays with its measure word."""
    path = tmp_path / "1102名单.csv"
    rows = [["姓名", "联系电话"], ["姓名", "联系电话"], ["张三", "13800000001"]]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    for width in (60, 70, 80):
        result = runner.invoke(app, ["import", str(path), "--dry-run"], env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        assert "重复表头" in result.output
        _no_line_starts_with_closing_punctuation(result.output)
    assert _import("import", str(path))[0] == 0
    backup = tmp_path / ("备份" * 12 + ".db")
    for width in range(56, 84, 3):
        result = runner.invoke(app, ["backup", str(backup), "--force"], env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        _no_line_starts_with_closing_punctuation(result.output)
        assert "1个任务" in result.output.replace("\n", "")
        assert not any(line.startswith("个任务") for line in result.output.splitlines())
