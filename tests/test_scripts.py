"""Call scripts (load, render safely, answers), privacy masks and quick time forms. No Textual."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from callroom.privacy import mask_id, mask_name
from callroom.scripts import (
    AnswerError,
    ScriptError,
    ScriptLibrary,
    ScriptRun,
    available_scripts,
    find_script,
    load_script,
    parse_answer,
    pick_text,
    render,
    render_parts,
    task_values,
)
from callroom.when import WhenError, parse_callback, parse_date

from conftest import make_task

NOW = datetime(2026, 11, 2, 10, 0)  # a Monday
TODAY = NOW.date()


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# -- shipped scripts ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["risk_area_return", "test_reminder"])
def test_shipped_scripts_load_in_both_languages(name):
    script = load_script(find_script(name))
    for part in (script.opening, script.closing, script.title):
        assert part["zh"] and part["en"]
    for q in script.questions:
        assert q.text["zh"] and q.text["en"]
    assert name in available_scripts()


def test_risk_area_script_asks_about_the_phone_never_the_name():
    script = load_script(find_script("risk_area_return"))
    values = task_values(make_task(), "福田社区", "小李")
    zh = render(script.opening["zh"], values)
    en = render(script.opening["en"], values)
    assert "这个手机号码" in zh and "北京市朝阳区" in zh
    assert "this phone" in en and "北京市朝阳区" in en
    for text in (script.opening["zh"], script.opening["en"]):
        assert "{name}" not in text
    assert "张" not in zh


def test_shipped_scripts_use_no_ambiguous_width_characters():
    for name in available_scripts():
        text = find_script(name).read_text("utf-8")
        for ch in "…—·①“”‘’":
            assert ch not in text, (name, ch)


# -- rendering ---------------------------------------------------------------------------------


def test_render_fills_fields_extra_columns_and_config_values():
    task = make_task(extra={"车牌号": "粤B12345"})
    values = task_values(task, "福田社区", "小李")
    text = render("{community}{caller}: {phone} {place} {arrival_date} {车牌号} {batch}", values)
    assert text == "福田社区小李: 138 1234 5678 北京市朝阳区 2026-10-30 粤B12345 1031名单"


def test_missing_or_empty_variable_is_a_visible_placeholder():
    values = task_values(make_task(place=""), "c", "k")
    assert render("去过{place}吗? {nothing}", values) == "去过[place?]吗? [nothing?]"
    kinds = [kind for _, kind in render_parts("{place}", values)]
    assert kinds == ["missing"]


def test_name_and_id_are_masked_in_scripts_unless_revealed():
    task = make_task()
    assert render("{name} {id_number}", task_values(task, "c", "k")) == "张*明 440304********123X"
    revealed = task_values(task, "c", "k", revealed=True)
    assert render("{name}", revealed) == "张小明"


@pytest.mark.parametrize(
    "template",
    [
        "{task.__class__}",
        "{place.__class__.__mro__}",
        "{0}",
        "{place!r}",
        "{place:>100}",
        "{__import__('os').system('true')}",
        "{extra[车牌号]}",
    ],
)
def test_malicious_templates_reach_nothing(template):
    values = task_values(make_task(extra={"车牌号": "x"}), "c", "k")
    out = render(template, values)
    assert out.startswith("[") and out.endswith("?]")
    assert "class" not in out.lower() or out == f"[{template[1:-1]}?]"


def test_braces_can_be_written_literally_and_lone_braces_pass_through():
    assert render("{{place}} {", {"place": "x"}) == "{place} {"


def test_list_values_are_not_templates_themselves():
    task = make_task(place="{community}")
    assert render("{place}", task_values(task, "SECRET", "k")) == "{community}"


# -- broken scripts ----------------------------------------------------------------------------


def test_broken_yaml_reports_path_and_line(tmp_path):
    path = write(tmp_path, "opening: hi\nclosing: bye\nquestions:\n  - id: a\n    type: [yesno\n")
    with pytest.raises(ScriptError) as err:
        load_script(path)
    assert str(err.value).startswith(f"{path}:")
    assert ":6:" in str(err.value) or ":5:" in str(err.value)


def test_schema_errors_name_the_line_of_the_offending_key(tmp_path):
    path = write(
        tmp_path,
        "opening: hi\nclosing: bye\nquestions:\n  - id: ok\n    type: yesno\n    zh: a\n"
        "  - id: bad\n    type: maybe\n    zh: b\n",
    )
    with pytest.raises(ScriptError, match=rf"{path}:8: questions\[1\]\.type: type must be one of"):
        load_script(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("closing: x\n", "missing opening"),
        ("opening: x\nclosing: y\nextra: 1\n", "unknown key"),
        (
            "opening: x\nclosing: y\nquestions:\n  - id: q\n    type: choice\n    zh: a\n",
            "1 to 9 choices",
        ),
        (
            "opening: x\nclosing: y\nquestions:\n  - id: q\n    type: yesno\n    zh: a\n    when: {zz: yes}\n",
            "not an earlier question",
        ),
        ("opening: {fr: x}\nclosing: y\n", "unknown language"),
        ("- just\n- a list\n", "a script is a mapping"),
    ],
)
def test_schema_errors_are_clear(tmp_path, body, message):
    with pytest.raises(ScriptError, match=message):
        load_script(write(tmp_path, body))


def test_script_names_cannot_escape_the_folder(tmp_path):
    with pytest.raises(ScriptError, match="letters, digits"):
        find_script("../../etc/passwd", tmp_path)


def test_configured_folder_wins_over_shipped_and_unknown_name_is_reported(tmp_path):
    write(tmp_path, "opening: 本地\nclosing: y\n", "risk_area_return.yaml")
    assert load_script(find_script("risk_area_return", tmp_path)).opening["zh"] == "本地"
    with pytest.raises(ScriptError, match="no call script named 'nope'"):
        find_script("nope", tmp_path)


def test_library_reports_a_broken_script_each_time_without_crashing(tmp_path):
    write(tmp_path, "opening: [\n", "bad.yaml")
    lib = ScriptLibrary(tmp_path)
    for _ in range(2):
        with pytest.raises(ScriptError, match=r"bad\.yaml:"):
            lib.get("bad")
    assert lib.get("test_reminder") is lib.get("test_reminder")


def test_not_utf8_script_is_reported(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("opening: 你好\nclosing: 再见\n".encode("gbk"))
    with pytest.raises(ScriptError, match="not UTF-8"):
        load_script(path)


# -- answers and the run -----------------------------------------------------------------------


def test_run_follows_conditions_and_keeps_only_applicable_answers():
    run = ScriptRun(load_script(find_script("test_reminder")))
    assert run.current.id == "tested"
    run.answer("yes")
    assert run.current.id == "test_date"
    run.answer("2026-11-01")
    assert run.current.id == "needs_help"
    run.move(-1)
    run.move(-1)
    assert run.current.id == "tested"
    run.answer("no")  # the date no longer applies; the plan questions do
    assert run.current.id == "plan_date"
    assert run.result() == {"tested": "no"}


@pytest.mark.parametrize(
    ("qtype", "typed", "stored"),
    [
        ("yesno", "Y", "yes"),
        ("yesno", "否", "no"),
        ("date", "1031", "2026-10-31"),
        ("date", "昨天", "2026-11-01"),
        ("date", "today", "2026-11-02"),
        ("choice", "2", "hospital"),
        ("choice", "医院", "hospital"),
        ("text", "  住在女儿家 ", "住在女儿家"),
    ],
)
def test_parse_answer(qtype, typed, stored):
    script = load_script(find_script("test_reminder"))
    q = next(q for q in script.questions if q.type == qtype) if qtype != "text" else None
    if q is None:
        from callroom.scripts import Question

        q = Question("free", "text", {"zh": "说明"})
    assert parse_answer(q, typed, TODAY) == stored


@pytest.mark.parametrize(
    ("qtype", "typed"), [("yesno", "maybe"), ("date", "1399"), ("choice", "7")]
)
def test_parse_answer_refuses(qtype, typed):
    script = load_script(find_script("test_reminder"))
    q = next(q for q in script.questions if q.type == qtype)
    with pytest.raises(AnswerError):
        parse_answer(q, typed, TODAY)


# -- quick forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", datetime(2026, 11, 2, 14, 30)),
        ("1430", datetime(2026, 11, 2, 14, 30)),
        ("+30m", datetime(2026, 11, 2, 10, 30)),
        ("+2h", datetime(2026, 11, 2, 12, 0)),
        ("30分钟后", datetime(2026, 11, 2, 10, 30)),
        ("半小时后", datetime(2026, 11, 2, 10, 30)),
        ("明天9点", datetime(2026, 11, 3, 9, 0)),
        ("明早九点半", datetime(2026, 11, 3, 9, 30)),
        ("tomorrow 9", datetime(2026, 11, 3, 9, 0)),
        ("tomorrow 3pm", datetime(2026, 11, 3, 15, 0)),
        ("下午3点", datetime(2026, 11, 2, 15, 0)),
        ("今晚7点", datetime(2026, 11, 2, 19, 0)),
        ("周三10点", datetime(2026, 11, 4, 10, 0)),
        ("星期一 9点", datetime(2026, 11, 9, 9, 0)),
        ("11-05 14:00", datetime(2026, 11, 5, 14, 0)),
        ("１４：３０", datetime(2026, 11, 2, 14, 30)),
        ("9", datetime(2026, 11, 3, 9, 0)),  # 9 o'clock has passed today: tomorrow
    ],
)
def test_parse_callback(typed, expected):
    assert parse_callback(typed, NOW) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("whenever", "unreadable"),
        ("今天9点", "past"),
        ("明天", "need_time"),
        ("25:00", "unreadable"),
    ],
)
def test_parse_callback_errors(typed, code):
    with pytest.raises(WhenError) as err:
        parse_callback(typed, NOW)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1031", date(2026, 10, 31)),
        ("10-31", date(2026, 10, 31)),
        ("10月31日", date(2026, 10, 31)),
        ("31号", date(2026, 10, 31)),
        ("2026-10-31", date(2026, 10, 31)),
        ("20261031", date(2026, 10, 31)),
        ("前天", date(2026, 10, 31)),
        ("3天前", date(2026, 10, 30)),
        ("-3", date(2026, 10, 30)),
        ("1231", date(2026, 12, 31)),
    ],
)
def test_parse_date(typed, expected):
    assert parse_date(typed, TODAY) == expected


def test_date_without_year_picks_the_nearest_year():
    assert parse_date("1231", date(2027, 1, 2)) == date(2026, 12, 31)


# -- privacy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小明", "张*明"),
        ("欧阳娜娜", "欧**娜"),
        ("", ""),
        ("李", "李"),
        ("John Smith", "J**n S***h"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("id_number", "masked"),
    [
        ("44030419900101123X", "440304********123X"),
        ("440304900101123", "440304*****1123"),
        ("H12345678", "H******78"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_id(id_number, masked):
    assert mask_id(id_number) == masked


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, callroom.scripts, callroom.privacy, callroom.when, callroom.widgets.fmt; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_list_without_a_place_reads_the_scripts_unknown_wording():
    script = load_script(find_script("risk_area_return"))
    without = task_values(make_task(place="", address=""), "莲花社区", "小王")
    with_place = task_values(make_task(place="北京市"), "莲花社区", "小王")
    for lang in ("zh", "en"):
        texts = [pick_text(script.opening, lang, without)]
        texts += [pick_text(q.text, lang, without) for q in script.questions]
        for text in texts:
            assert "[" not in render(text, without), text
        # the proven opening: about this number, never "are you Mr X"
        assert "这个手机号码近期有外地旅居记录" in pick_text(script.opening, "zh", without)
        assert "北京市" in render(pick_text(script.opening, lang, with_place), with_place)


def test_unknown_wording_must_go_with_texts(tmp_path):
    good = write(tmp_path, "opening: {zh: '去过{place}?', en: 'Been to {place}?', "
                 "unknown: {zh: '去过外地?', en: 'Been away?'}}\nclosing: bye\n")  # fmt: skip
    script = load_script(good)
    assert pick_text(script.opening, "en", {}) == "Been away?"
    assert pick_text(script.opening, "en", {"place": "Wuhan"}) == "Been to {place}?"
    bad = write(tmp_path, "opening: {unknown: '去过外地?'}\nclosing: bye\n", "bad.yaml")
    with pytest.raises(ScriptError, match="unknown: goes with zh: and en: texts"):
        load_script(bad)
