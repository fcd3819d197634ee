"""`callroom ... --help` in the user's language: --lang, else the config's lang, else zh."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from typer.testing import CliRunner

from callroom.cli import app
from callroom.cli_help import english_only, param_key, walk
from callroom.i18n.cli_help import HELP_ZH

runner = CliRunner()
WIDE = {"COLUMNS": "200"}  # one help text on one line


def helps(args: list[str], env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, args, env=env or WIDE)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_option_and_argument_has_chinese_help() -> None:
    """A command or option added without its Chinese is named here (add it to
    callroom/i18n/cli_help.py under the key shown)."""
    missing = english_only(typer.main.get_command(app))
    assert missing == [], f"no Chinese help in callroom/i18n/cli_help.py HELP_ZH for: {missing}"


def test_no_chinese_help_is_left_over_from_a_renamed_command_or_option() -> None:
    known = set()
    for path, command in walk(typer.main.get_command(app)):
        known.add(path)
        known.update(param_key(path, p) for p in command.params)
    assert sorted(set(HELP_ZH) - known) == []


def test_lang_zh_and_en_on_the_command_line() -> None:
    zh = helps(["--lang", "zh", "import", "--help"])
    for word in ("用法:", "参数", "选项", "名单文件: .xlsx", "[必填]", "只读取这个工作表。"):
        assert word in zh
    assert "显示本帮助并退出。" in zh and "导入当天的名单" in zh
    assert "Read only this sheet" not in zh and "Options" not in zh

    en = helps(["--lang", "en", "import", "--help"])  # the same process: nothing stays Chinese
    for word in ("Usage:", "Arguments", "Options", "Lists: .xlsx", "[required]"):
        assert word in en
    assert "Show this message and exit." in en and "Import the day's lists" in en
    assert "只读取" not in en and "选项" not in en and "用法" not in en


def test_help_asked_before_lang_is_still_in_that_language() -> None:
    en = helps(["--help", "--lang", "en"])
    assert "Survey phone calls" in en and "Commands" in en and "导入" not in en
    zh = helps(["--help"])  # no config here: the default, Chinese
    assert "流调电话名单拨打工具" in zh and "命令" in zh
    assert "导入当天的名单" in zh  # the command list too


def test_the_config_files_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("callroom.toml").write_text('[general]\nlang = "en"\n', "utf-8")
    assert "Import the day's lists" in helps(["import", "--help"])
    assert "导入当天的名单" in helps(["--lang", "zh", "import", "--help"])  # --lang wins

    other = tmp_path / "other.toml"
    other.write_text('[general]\nlang = "zh"\n', "utf-8")
    assert "读取核酸结果导出文件" in helps(["--config", str(other), "results", "import", "--help"])
    assert "读取核酸结果导出文件" in helps([f"--config={other}", "results", "import", "--help"])
    monkeypatch.setenv("CALLROOM_CONFIG", str(other))
    assert "读取核酸结果导出文件" in helps(["results", "import", "--help"])


@pytest.mark.parametrize(
    "config", ["[general\nlang = 'en'\n", "[general]\nlang = 'fr'\n", "\xff\xfe"]
)
def test_a_broken_config_gives_help_in_the_default_language(config: str) -> None:
    Path("callroom.toml").write_bytes(config.encode("latin-1"))
    out = helps(["backup", "--help"])
    assert "用 SQLite 在线备份复制数据库" in out


def test_missing_config_file_given_gives_help_in_the_default_language() -> None:
    assert "显示版本号" in helps(["--config", "nowhere.toml", "--help"])


def test_every_help_fits_80_columns_without_a_word_cut_off() -> None:
    """Rich ends a line holding wide characters with "..." when it would wrap; the help folds
    instead, and no line is wider than the terminal."""
    root = typer.main.get_command(app)
    for path, _ in walk(root):
        for lang in ("zh", "en"):
            args = ["--lang", lang, *path.split()[1:], "--help"]
            out = helps(args, env={"COLUMNS": "80"})
            assert "…" not in out, (args, out)
            assert max(cell_len(line) for line in out.splitlines()) <= 80, (args, out)
