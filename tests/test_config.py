"""Config loading: lookup order, defaults, and one clear message per user mistake."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from callroom.config import ConfigError, default_config_text, load_config


def write(tmp_path: Path, text: str, name: str = "c.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_defaults_without_any_file_cover_the_required_outcomes() -> None:
    cfg = load_config()
    assert cfg.path is None
    assert cfg.lang == "zh" and cfg.region == "CN"
    codes = {o.code for o in cfg.outcomes}
    assert {
        "verified", "already_tested", "no_answer", "busy", "powered_off", "empty_number",
        "refused", "wrong_person", "moved_away", "callback",
    } <= codes  # fmt: skip
    assert [o.key for o in cfg.outcomes] == list("1234567890")
    assert {o.kind for o in cfg.outcomes} == {"final", "retry", "callback", "escalate"}
    assert cfg.outcome("refused").needs_note and cfg.outcome("refused").aapor == "refusal"
    assert cfg.outcome("no_answer").retry_minutes > 0
    assert cfg.database == (Path.cwd() / "data" / "callroom.db").resolve()


def test_shipped_callroom_toml_is_the_documented_default() -> None:
    shipped = Path(__file__).resolve().parents[1] / "callroom.toml"
    assert tomllib.loads(shipped.read_text("utf-8")) == tomllib.loads(default_config_text())


def test_lookup_order_flag_then_env_then_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[general]\nlang = "en"\n', "callroom.toml")
    assert load_config().lang == "en"  # ./callroom.toml
    env = write(tmp_path, '[general]\noperator = "envuser"\n', "env.toml")
    monkeypatch.setenv("CALLROOM_CONFIG", str(env))
    assert load_config().operator == "envuser" and load_config().lang == "zh"
    flag = write(tmp_path, '[general]\noperator = "flaguser"\n', "flag.toml")
    assert load_config(flag).operator == "flaguser"


def test_database_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    sub = tmp_path / "office"
    sub.mkdir()
    cfg = load_config(write(sub, '[general]\ndatabase = "lists/day.db"\n'))
    assert cfg.database == (sub / "lists" / "day.db").resolve()


def test_user_file_overrides_key_by_key(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, "[queue]\nmax_attempts = 5\n"))
    assert cfg.max_attempts == 5
    assert cfg.lease_seconds == 300  # untouched default


def test_command_line_overrides_win(tmp_path: Path) -> None:
    cfg = load_config(
        write(tmp_path, '[general]\nlang = "zh"\n'), {"lang": "en", "operator": "bob"}
    )
    assert (cfg.lang, cfg.operator) == ("en", "bob")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[queue]\nmax_atempts = 3\n", "unknown key [queue] max_atempts"),
        ("[nonsense]\nx = 1\n", "unknown section or key [nonsense]"),
        ('[queue]\nmax_attempts = "3"\n', "[queue] max_attempts: expected a whole number"),
        ("[queue]\nmax_attempts = 0\n", "[queue] max_attempts: must be a positive whole number"),
        ("[queue]\nlease_seconds = true\n", "[queue] lease_seconds: expected a whole number"),
        ('[general]\nlang = "fr"\n', "[general] lang: must be one of zh, en"),
        ('[hours]\nstart = "8am"\n', '[hours] start: must be a time like "08:00"'),
        ('[hours]\nstart = "22:00"\n', "[hours] start (22:00) must be before end"),
        ("[columns]\nphone = 'tel'\n", "[columns] phone: expected a list"),
        ("this is = not toml [", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


OUTCOME = '[[outcomes]]\nkey = "{key}"\ncode = "{code}"\nzh = "甲"\nen = "A"\nkind = "final"\naapor = "complete"\n'


def test_duplicate_hotkeys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, OUTCOME.format(key="1", code="a") + OUTCOME.format(key="1", code="b"))
    with pytest.raises(
        ConfigError, match=r"\[\[outcomes\]\] #2 key: hotkey '1' is already used by outcome 'a'"
    ):
        load_config(path)


def test_outcome_table_replaces_defaults_and_checks_kinds(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, OUTCOME.format(key="1", code="ok")))
    assert [o.code for o in cfg.outcomes] == ["ok"]
    bad = OUTCOME.format(key="2", code="x").replace('"final"', '"later"')
    with pytest.raises(ConfigError, match="kind: must be one of final, retry, callback, escalate"):
        load_config(write(tmp_path, bad, "bad.toml"))
    retry = OUTCOME.format(key="3", code="y").replace('"final"', '"retry"')
    with pytest.raises(ConfigError, match="a retry outcome needs retry_minutes"):
        load_config(write(tmp_path, retry, "retry.toml"))


def test_missing_config_given_by_flag_or_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")
    monkeypatch.setenv("CALLROOM_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(
        ConfigError, match=r"gone.toml: config file not found \(given by \$CALLROOM_CONFIG\)"
    ):
        load_config()


def test_non_utf8_config_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('[script]\ncommunity = "福田"\n'.encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_roles_off_by_default_everyone_leads(tmp_path: Path) -> None:
    cfg = load_config()
    assert not cfg.roles_enabled
    assert cfg.is_lead("anyone")


def test_roles_name_leads_by_unix_account_not_operator(tmp_path: Path) -> None:
    path = tmp_path / "callroom.toml"
    path.write_text('[general]\noperator = "wang"\n[roles]\nleads = ["wang"]\n', "utf-8")
    cfg = load_config(path)
    assert cfg.roles_enabled
    assert cfg.is_lead("wang")
    assert not cfg.is_lead("li")
    # --operator wang does not make another Unix account a lead
    assert cfg.is_lead() == (cfg.login == "wang")


def test_roles_by_group_membership(tmp_path: Path) -> None:
    import grp
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    my_group = grp.getgrgid(pwd.getpwuid(os.getuid()).pw_gid).gr_name
    path = tmp_path / "callroom.toml"
    path.write_text(f'[roles]\nlead_group = "{my_group}"\n', "utf-8")
    cfg = load_config(path)
    assert cfg.is_lead(me)
    assert not cfg.is_lead("no-such-user-here")


def test_roles_refuse_a_bad_leads_list(tmp_path: Path) -> None:
    path = tmp_path / "callroom.toml"
    path.write_text("[roles]\nleads = [1, 2]\n", "utf-8")
    with pytest.raises(ConfigError, match=r"\[roles\] leads"):
        load_config(path)
