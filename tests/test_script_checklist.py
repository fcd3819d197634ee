"""The script as a checklist: required answers per outcome, choices that demand a note, the
list's value offered as the answer; the shipped scripts use them sensibly; parsed scripts are
cached so the caller screen starts without PyYAML."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from callroom.config import load_config
from callroom.scripts import (
    ScriptError,
    ScriptRun,
    available_scripts,
    cache_dir,
    default_answer,
    find_script,
    load_script,
    task_values,
)

from conftest import make_task

CFG = load_config()
TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def shipped(name: str):
    return load_script(find_script(name))


@pytest.mark.parametrize("name", available_scripts())
def test_shipped_scripts_name_real_outcomes_and_usable_defaults(name: str) -> None:
    script = shipped(name)
    codes = {o.code for o in CFG.outcomes}
    required = [code for q in script.questions for code in q.required_for]
    assert required, "a shipped script should say what a verified call must have asked"
    assert set(required) <= codes
    values = task_values(make_task(), "社区", "小王")
    for q in script.questions:
        if q.default:
            assert default_answer(q, values, TODAY) is not None, q.id
    # a choice that asks for a note says so in its label, in both languages
    for q in script.questions:
        for c in q.choices:
            if c.note:
                assert "备注" in c.label("zh") and "note" in c.label("en")


def test_verified_needs_every_applicable_required_answer() -> None:
    run = ScriptRun(shipped("risk_area_return"))
    assert [q.id for q in run.missing_for("verified")] == [
        "visited", "in_shenzhen", "symptoms", "tested", "residence",
    ]  # fmt: skip
    assert run.missing_for("no_answer") == []
    run.answer("yes")  # visited: the arrival date now applies and is required
    assert [q.id for q in run.missing_for("verified")][:1] == ["arrival_date"]
    # already_tested needs the test question, and its date once tested
    assert [q.id for q in run.missing_for("already_tested")] == ["tested"]
    run.focus("tested")
    run.answer("yes")
    assert [q.id for q in run.missing_for("already_tested")] == ["test_date"]


def test_a_choice_that_demands_a_note() -> None:
    run = ScriptRun(shipped("risk_area_return"), {"residence": "moved_local"})
    demanded = run.note_demanded_by()
    assert demanded is not None and demanded[1].value == "moved_local"
    assert ScriptRun(shipped("risk_area_return"), {"residence": "same"}).note_demanded_by() is None


def test_the_lists_value_is_offered_as_the_answer() -> None:
    q = shipped("risk_area_return").question("arrival_date")
    values = task_values(make_task(arrival="2026-10-30 14:00"), "社区", "小王")
    assert default_answer(q, values, TODAY) == "2026-10-30"
    # no arrival in the list: nothing is offered (never a guessed date)
    assert default_answer(q, task_values(make_task(arrival=""), "社区", "小王"), TODAY) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("required_for: verified x", "expected a list of outcome codes"),
        ("required_for: [Verified]", "expected a list of outcome codes"),
        ("default: 3", "expected a template"),
        ("choices: [{value: a, zh: 甲, en: A, note: yes please}]", "expected true or false"),
        ("choices: [{value: a, zh: 甲, en: A, colour: red}]", "unknown key"),
    ],
)
def test_checklist_fields_are_checked(tmp_path: Path, body: str, message: str) -> None:
    qtype = "choice" if body.startswith("choices") else "text"
    path = tmp_path / "s.yaml"
    path.write_text(
        f"opening: hi\nclosing: bye\nquestions:\n  - id: q\n    type: {qtype}\n    zh: 问\n"
        f"    {body}\n",
        "utf-8",
    )
    with pytest.raises(ScriptError, match=message):
        load_script(path)


def test_a_default_only_for_date_and_text_questions(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        'opening: hi\nclosing: bye\nquestions:\n  - {id: q, type: yesno, zh: 问, default: "{x}"}\n',
        "utf-8",
    )
    with pytest.raises(ScriptError, match=r"s\.yaml:4: questions\[0\]\.default"):
        load_script(path)


def test_a_parsed_script_is_cached_and_the_next_start_needs_no_yaml(tmp_path: Path) -> None:
    script = find_script("risk_area_return")
    first = load_script(script)
    cached = list(cache_dir().glob("*.json"))
    assert len(cached) == 1 and cached[0].stat().st_mode & 0o777 == 0o600
    code = (
        "import sys; from callroom.scripts import find_script, load_script; "
        "s = load_script(find_script('risk_area_return')); "
        "assert 'yaml' not in sys.modules, 'yaml imported'; print(s.questions[0].id)"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == first.questions[0].id


def test_an_edited_script_is_read_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("opening: hi\nclosing: bye\n", "utf-8")
    assert load_script(path).opening["zh"] == "hi"
    path.write_text("opening: hello\nclosing: bye\n", "utf-8")
    assert load_script(path).opening["zh"] == "hello"
    # a damaged cache file is ignored
    for cached in cache_dir().glob("*.json"):
        cached.write_text("{not json", "utf-8")
    assert load_script(path).opening["zh"] == "hello"
