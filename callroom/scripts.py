"""Call scripts: YAML files with an opening, typed questions and a closing, in zh and en.

Loaded with ``yaml.safe_load`` only. Text is rendered by a regex substitution of ``{name}`` from
a flat dict of strings: no ``str.format``, no attribute or index access, so a list or a script
cannot reach into Python objects (``{task.__class__}`` is just an unknown name). A missing or
empty value renders as a visible ``[name?]`` placeholder (ASCII brackets: ambiguous-width
characters break the layout in some Chinese SSH clients). No Textual here.

A script file::

    name: risk_area_return            # optional; the file name is the script's name
    title: {zh: ..., en: ...}
    opening: {zh: "...{place}...", en: "...", unknown: {zh: "...", en: "..."}}
                                      # unknown: the words used when a value it names is
                                      # missing (a list without a place column), not "[place?]"
    questions:
      - id: visited                   # the key in the saved answers (and `answer:visited` exports)
        type: yesno                   # yesno | date | choice | text
        export: {zh: 到过, en: Visited} # optional: the column header in exports
        zh: 是否到过{place}？
        en: Been to {place}?
      - id: test_date
        type: date
        when: {tested: "yes"}         # asked only when an earlier answer matches
        zh: ...
      - id: where
        type: choice
        required_for: [verified]      # outcomes that cannot be recorded while it is unanswered
        choices:
          - {value: home, zh: 在家, en: At home}
          - {value: moved, zh: 已搬走(写备注), en: Moved (note it), note: true}  # demands a note
      - id: arrived
        type: date
        default: "{arrival_date}"     # the list's value: Enter on the question accepts it
    closing: {zh: ..., en: ...}

A form of the inbound desk (callroom/scripts/forms/<name>.yaml) is a script too, with two more
question types, ``id_number`` (GB 11643 check digit and birth date, permits) and ``phone`` (any
format, kept as E.164), ``required: true`` on the answers a case needs before it is complete, and
an optional ``pledge`` text (保证书) the operator reads out; the case keeps the hash of the text
that was read (``pledge_hash``), so the exact words can be shown later.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from callroom.numbers import display
from callroom.privacy import mask_id, mask_name

SHIPPED = Path(__file__).with_name("scripts")
QUESTION_TYPES = ("yesno", "date", "choice", "text", "id_number", "phone")
FORMS = SHIPPED / "forms"
FORM_PREFIX = "form:"  # a task's script name that names a form (an inbound case)
LANGS = ("zh", "en")
MAX_TEXT_ANSWER = 500
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# {{ and }} are literal braces; {name} is a variable; a name is any short text without braces
_VAR = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,60})\}")
_YES = {"y", "yes", "是", "有", "对", "1", "true"}
_NO = {"n", "no", "否", "没有", "无", "不是", "0", "false"}


class ScriptError(Exception):
    """A script that cannot be used; the message names the file and, where known, the line."""


class AnswerError(ValueError):
    """An answer that does not fit its question; ``code`` is translated by the UI."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Choice:
    value: str
    text: dict[str, str]
    note: bool = False  # choosing it demands a note on the call

    def label(self, lang: str) -> str:
        return _pick(self.text, lang)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: dict[str, str]
    choices: tuple[Choice, ...] = ()
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    export: dict[str, str] = field(default_factory=dict)  # short column header in exports
    required_for: tuple[str, ...] = ()  # outcome codes that need this answer first
    default: str = ""  # a template for the list's value, offered as the answer
    required: bool = False  # a form's answer a case needs before it is complete

    def label(self, lang: str) -> str:
        return _pick(self.text, lang)

    def export_label(self, lang: str) -> str:
        """The question's column header in an export: its `export` text, else its own words
        without the {variables}."""
        if self.export:
            return _pick(self.export, lang)
        return re.sub(r"\s+", " ", _VAR.sub("", self.label(lang))).strip(" ?？:：")

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Script:
    name: str
    path: Path
    title: dict[str, str]
    opening: dict[str, str]
    questions: tuple[Question, ...]
    closing: dict[str, str]
    pledge: dict[str, str] = field(default_factory=dict)  # a form's 保证书, read out in full

    def pledge_text(self, lang: str) -> str:
        return _pick(self.pledge, lang) if self.pledge else ""

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)


UNKNOWN = "unknown."  # text keys "unknown.zh", "unknown.en": the wording for a missing value


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or next((v for k, v in text.items() if k in LANGS), "")


def pick_text(text: dict[str, str], lang: str, values: dict[str, str]) -> str:
    """The text to show: its `unknown` wording when a value the text names is missing (a list
    without a place column), so a caller never reads out "[place?]"; else the text itself."""
    main = _pick(text, lang)
    other = text.get(UNKNOWN + lang) or text.get(UNKNOWN + "zh") or ""
    if other and any(kind == "missing" for _, kind in render_parts(main, values)):
        return other
    return main


# ---------------------------------------------------------------------------------------------
# loading


def find_script(name: str, folder: Path | None = None) -> Path:
    """The file for a script name: the configured folder first, then the shipped scripts."""
    if not _NAME.match(name):
        raise ScriptError(f"script name {name!r}: use letters, digits, '_' or '-' only")
    folders = [f for f in (folder, SHIPPED) if f is not None]
    for base in folders:
        for suffix in (".yaml", ".yml"):
            path = base / f"{name}{suffix}"
            if path.is_file():
                return path
    where = ", ".join(str(f) for f in folders)
    raise ScriptError(f"no call script named {name!r} (looked in {where})")


def find_form(name: str, folder: Path | None = None) -> Path:
    """The file of an inbound group's form: forms/ in the configured folder, then shipped."""
    if not _NAME.match(name):
        raise ScriptError(f"form name {name!r}: use letters, digits, '_' or '-' only")
    folders = [f for f in ((folder / "forms") if folder else None, FORMS) if f is not None]
    for base in folders:
        for suffix in (".yaml", ".yml"):
            path = base / f"{name}{suffix}"
            if path.is_file():
                return path
    where = ", ".join(str(f) for f in folders)
    raise ScriptError(f"no form named {name!r} (looked in {where})")


def pledge_hash(text: str) -> str:
    """The version of a pledge text: SHA-256 of the words as read (stored with the case)."""
    import hashlib

    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def available_scripts(folder: Path | None = None) -> list[str]:
    names: set[str] = set()
    for base in (folder, SHIPPED):
        if base is not None and base.is_dir():
            names.update(p.stem for p in base.iterdir() if p.suffix in (".yaml", ".yml"))
    return sorted(names)


def load_script(path: Path) -> Script:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ScriptError(f"{path}: not UTF-8 text; save the script as UTF-8") from None
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read the script: {exc.strerror}") from None
    data = _cached(text)
    if data is not _MISS:
        return _build(data, path, text)
    data = _parse_yaml(text, path)
    script = _build(data, path, text)
    _remember(text, data)  # only a script that works (an alias bomb never gets this far)
    return script


def _parse_yaml(text: str, path: Path) -> Any:
    import yaml  # 10-15 ms to import, 10 ms to parse a script: only when the cache misses

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ScriptError(f"{path}{line}: not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path}: not valid YAML: {exc}") from None
    except RecursionError:  # thousands of nested [ or {: PyYAML's composer recurses
        raise ScriptError(f"{path}: not valid YAML: nested too deeply") from None


# Parsed scripts are kept as JSON in the user's cache folder, keyed by the exact YAML text: the
# caller screen then starts without PyYAML (25 ms of a 0.3 s start). A cache that cannot be read
# or written is simply not used.
_MISS = object()
_CACHE_FORMAT = 1
_CACHE_MAX = 1_000_000  # characters of JSON


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "callroom" / "scripts"


def _cache_file(text: str) -> Path:
    raw = text.encode("utf-8")
    return cache_dir() / f"{zlib.crc32(raw):08x}-{len(raw)}.json"


def _cached(text: str) -> Any:
    try:
        path = _cache_file(text)
        if path.stat().st_size > 4 * _CACHE_MAX + len(text) * 4:
            return _MISS  # not one we wrote
        entry = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return _MISS
    if not isinstance(entry, dict) or entry.get("format") != _CACHE_FORMAT:
        return _MISS
    if entry.get("text") != text:  # the name is a checksum: the text itself decides
        return _MISS
    return entry.get("data")


def _remember(text: str, data: Any) -> None:
    from callroom.files import WriteFailed, atomic_write

    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if len(encoded) > _CACHE_MAX or json.loads(encoded) != data:
            return  # huge (aliases), or not the same in JSON (dates, non-text keys)
        path = _cache_file(text)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = {"format": _CACHE_FORMAT, "text": text, "data": data}
        atomic_write(path, json.dumps(payload, ensure_ascii=False))
    except (OSError, ValueError, TypeError, RecursionError, WriteFailed):
        return


class _Checker:
    """Builds error messages with the line of the offending YAML node."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self._root: Any = None

    def fail(self, where: tuple[Any, ...], problem: str) -> ScriptError:
        line = self._line(where)
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")
        loc = f"{self.path}:{line}" if line else str(self.path)
        return ScriptError(f"{loc}: {key + ': ' if key else ''}{problem}")

    def _line(self, where: tuple[Any, ...]) -> int | None:
        import yaml

        try:
            if self._root is None:
                self._root = yaml.compose(self.text, Loader=yaml.SafeLoader)
            node = self._root
            for part in where:
                if isinstance(node, yaml.MappingNode):
                    node = next(v for k, v in node.value if k.value == part)
                elif isinstance(node, yaml.SequenceNode):
                    node = node.value[part]
                else:
                    break
            return node.start_mark.line + 1 if node is not None else None
        except (StopIteration, IndexError, yaml.YAMLError):
            return None


def _text(
    chk: _Checker, value: Any, where: tuple[Any, ...], required: bool = True
) -> dict[str, str]:
    if value is None and not required:
        return {}
    if isinstance(value, str):
        return {lang: value for lang in LANGS}
    if isinstance(value, dict) and value:
        unknown = [k for k in value if k not in (*LANGS, "unknown")]
        if unknown:
            raise chk.fail(where, f"unknown language {unknown[0]!r} (use zh and en)")
        out: dict[str, str] = {}
        for k, v in value.items():
            if k == "unknown":  # the wording for when a value the text names is missing
                if not any(lang in value for lang in LANGS):
                    raise chk.fail(where, "unknown: goes with zh: and en: texts")
                alt = _text(chk, v, (*where, k))
                if any(key.startswith(UNKNOWN) for key in alt):
                    raise chk.fail((*where, k), "unknown: cannot hold another unknown:")
                out.update({UNKNOWN + lang: text for lang, text in alt.items()})
            elif not isinstance(v, str):
                raise chk.fail((*where, k), "expected text")
            else:
                out[k] = v.strip()
        return out
    raise chk.fail(where, "expected text, or zh: and en: texts")


def _build(data: Any, path: Path, text: str) -> Script:
    chk = _Checker(path, text)
    if not isinstance(data, dict):
        raise chk.fail((), "a script is a mapping with opening, questions and closing")
    known = {"name", "title", "opening", "questions", "closing", "pledge"}
    for key in data:
        if key not in known:
            raise chk.fail((key,), f"unknown key (known: {', '.join(sorted(known))})")
    for key in ("opening", "closing"):
        if key not in data:
            raise chk.fail((), f"missing {key}")
    questions_data = data.get("questions") or []
    if not isinstance(questions_data, list):
        raise chk.fail(("questions",), "expected a list of questions")
    questions: list[Question] = []
    for i, q in enumerate(questions_data):
        where: tuple[Any, ...] = ("questions", i)
        if not isinstance(q, dict):
            raise chk.fail(where, "a question is a mapping with id, type and text")
        allowed = {"id", "type", "zh", "en", "text", "choices", "when", "required_for", "default"}
        allowed.add("unknown")  # the question's wording when a value it names is missing
        allowed.add("export")  # the question's short column header in exports (zh and en)
        allowed.add("required")  # a form's: needed before the case is complete
        for key in q:
            if key not in allowed:
                raise chk.fail((*where, key), f"unknown key (known: {', '.join(sorted(allowed))})")
        qid = q.get("id")
        if not isinstance(qid, str) or not _ID.match(qid):
            raise chk.fail((*where, "id") if "id" in q else where, "id must be lower_snake_case")
        if any(prev.id == qid for prev in questions):
            raise chk.fail((*where, "id"), f"duplicate question id {qid!r}")
        qtype = q.get("type")
        if qtype not in QUESTION_TYPES:
            raise chk.fail(
                (*where, "type") if "type" in q else where,
                f"type must be one of {', '.join(QUESTION_TYPES)} (got {qtype!r})",
            )
        if "text" in q:
            qtext = _text(chk, q["text"], (*where, "text"))
        else:
            qtext = _text(chk, {k: q[k] for k in (*LANGS, "unknown") if k in q} or None, where)
        choices: list[Choice] = []
        if qtype == "choice":
            raw = q.get("choices")
            if not isinstance(raw, list) or not 1 <= len(raw) <= 9:
                raise chk.fail((*where, "choices") if "choices" in q else where,
                               "a choice question needs 1 to 9 choices (digit keys 1-9)")  # fmt: skip
            for j, c in enumerate(raw):
                cw = (*where, "choices", j)
                if isinstance(c, str):
                    choices.append(Choice(c, {lang: c for lang in LANGS}))
                    continue
                if not isinstance(c, dict):
                    raise chk.fail(cw, "a choice is text or a mapping with value, zh, en")
                for key in c:
                    if key not in ("value", "note", *LANGS):
                        raise chk.fail((*cw, key), "unknown key (known: en, note, value, zh)")
                ctext = _text(chk, {k: c[k] for k in LANGS if k in c} or None, cw)
                value = c.get("value", ctext.get("zh") or _pick(ctext, "en"))
                if not isinstance(value, str | int) or isinstance(value, bool):
                    raise chk.fail((*cw, "value"), "value must be text")
                note = c.get("note", False)
                if not isinstance(note, bool):
                    raise chk.fail((*cw, "note"), "expected true or false")
                choices.append(Choice(str(value), ctext, note))
        elif "choices" in q:
            raise chk.fail((*where, "choices"), "only a choice question has choices")
        when: dict[str, tuple[str, ...]] = {}
        if "when" in q:
            raw_when = q["when"]
            if not isinstance(raw_when, dict) or not raw_when:
                raise chk.fail((*where, "when"), 'expected a mapping like {tested: "yes"}')
            for ref, values in raw_when.items():
                if not any(prev.id == ref for prev in questions):
                    raise chk.fail((*where, "when"), f"{ref!r} is not an earlier question")
                vals = values if isinstance(values, list) else [values]
                when[str(ref)] = tuple(_when_value(v) for v in vals)
        required = q.get("required_for", [])
        if isinstance(required, str):
            required = [required]
        if not isinstance(required, list) or not all(
            isinstance(code, str) and _ID.match(code) for code in required
        ):
            raise chk.fail(
                (*where, "required_for"), "expected a list of outcome codes like [verified]"
            )
        default = q.get("default", "")
        if not isinstance(default, str):
            raise chk.fail((*where, "default"), 'expected a template like "{arrival_date}"')
        if default and qtype not in ("date", "text", "id_number", "phone"):
            raise chk.fail((*where, "default"), "only a date or text question takes a default")
        export = _text(chk, q.get("export"), (*where, "export"), required=False)
        needed = q.get("required", False)
        if not isinstance(needed, bool):
            raise chk.fail((*where, "required"), "expected true or false")
        questions.append(
            Question(
                qid,
                qtype,
                qtext,
                tuple(choices),
                when,
                export,
                tuple(required),
                default.strip(),
                needed,
            )
        )
    name = data.get("name", path.stem)
    if not isinstance(name, str):
        raise chk.fail(("name",), "expected text")
    return Script(
        name=name,
        path=path,
        title=_text(chk, data.get("title"), ("title",), required=False) or {"zh": name, "en": name},
        opening=_text(chk, data["opening"], ("opening",)),
        questions=tuple(questions),
        closing=_text(chk, data["closing"], ("closing",)),
        pledge=_text(chk, data.get("pledge"), ("pledge",), required=False),
    )


def _when_value(v: Any) -> str:
    # YAML reads a bare yes/no as a boolean
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v)


class ScriptLibrary:
    """Scripts by name for one session, loaded once each; a broken script is reported, not fatal."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._cache: dict[str, Script | ScriptError] = {}

    def get(self, name: str) -> Script:
        """A call script by name, or a form by ``form:<name>`` (an inbound case's)."""
        if name not in self._cache:
            try:
                if name.startswith(FORM_PREFIX):
                    path = find_form(name[len(FORM_PREFIX) :], self.folder)
                else:
                    path = find_script(name, self.folder)
                self._cache[name] = load_script(path)
            except ScriptError as exc:
                self._cache[name] = exc
        found = self._cache[name]
        if isinstance(found, ScriptError):
            raise found
        return found


# ---------------------------------------------------------------------------------------------
# rendering


def render_parts(template: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """Split a template into (text, kind) parts, kind: "text", "value" or "missing"."""
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _VAR.finditer(template):
        if m.start() > pos:
            parts.append((template[pos : m.start()], "text"))
        token = m.group()
        if token == "{{":
            parts.append(("{", "text"))
        elif token == "}}":
            parts.append(("}", "text"))
        else:
            name = m.group(1).strip()
            value = values.get(name, "")
            if value:
                parts.append((value, "value"))
            else:
                parts.append((f"[{name}?]", "missing"))
        pos = m.end()
    if pos < len(template):
        parts.append((template[pos:], "text"))
    return parts


def render(template: str, values: dict[str, str]) -> str:
    return "".join(text for text, _ in render_parts(template, values))


_SIMPLE_FIELDS = (
    "place", "arrival", "address", "source_note", "batch_name", "deadline", "state", "seq",
    "attempts", "phone_ext", "script",
)  # fmt: skip


def task_values(task: Any, community: str, caller: str, revealed: bool = False) -> dict[str, str]:
    """The variables a script may use for one task, all plain strings.

    ``task`` is a ``callroom.store.Task``; only named fields are read (never getattr on a name
    taken from the template). Name and ID number are masked unless the caller revealed them.
    """
    values: dict[str, str] = {}
    # extra columns first, so a list column cannot shadow a real field
    for key, value in (getattr(task, "extra", None) or {}).items():
        values[str(key)] = "" if value is None else str(value)
    for fld in _SIMPLE_FIELDS:
        value = getattr(task, fld, None)
        values[fld] = "" if value is None else str(value)
    values["batch"] = values["batch_name"]
    arrival = values["arrival"]
    values["arrival_date"] = arrival[:10] if re.match(r"\d{4}-\d{2}-\d{2}", arrival) else arrival
    values["deadline_date"] = values["deadline"][:10]
    values["phone"] = display(task.phone) if getattr(task, "phone", "") else ""
    values["alt_phones"] = ", ".join(display(p) for p in getattr(task, "alt_phones", ()) or ())
    name, id_number = getattr(task, "name", ""), getattr(task, "id_number", "")
    values["name"] = name if revealed else mask_name(name)
    values["id_number"] = id_number if revealed else mask_id(id_number)
    values["community"] = community
    values["caller"] = caller
    return values


# ---------------------------------------------------------------------------------------------
# answers


def default_answer(question: Question, values: dict[str, str], today: date) -> str | None:
    """The list's value a question offers (its ``default``), as a stored answer, if usable."""
    if not question.default:
        return None
    parts = render_parts(question.default, values)
    if any(kind == "missing" for _, kind in parts):
        return None
    try:
        return parse_answer(question, "".join(text for text, _ in parts), today)
    except AnswerError:
        return None


def parse_answer(question: Question, text: str, today: date) -> str:
    """Typed text -> the stored answer (yes/no, ISO date, a choice's value, free text)."""
    raw = text.strip()
    if not raw:
        raise AnswerError("empty")
    if question.type == "yesno":
        low = raw.lower()
        if low in _YES:
            return "yes"
        if low in _NO:
            return "no"
        raise AnswerError("yesno")
    if question.type == "date":
        from callroom.when import WhenError, parse_date  # its many patterns: when first needed

        try:
            return parse_date(raw, today).isoformat()
        except WhenError as exc:
            raise AnswerError(exc.code) from None
    if question.type == "id_number":
        return _id_answer(raw)
    if question.type == "phone":
        from callroom.phones import to_e164  # phonenumbers: only when a number is typed

        e164 = to_e164(raw)
        if e164 is None:
            raise AnswerError("phone")
        return e164
    if question.type == "choice":
        if raw.isdigit() and 1 <= int(raw) <= len(question.choices):
            return question.choices[int(raw) - 1].value
        for c in question.choices:
            if raw == c.value or raw in c.text.values():
                return c.value
        raise AnswerError("choice")
    return raw[:MAX_TEXT_ANSWER]


def _id_answer(raw: str) -> str:
    """An ID number as typed -> the stored ID: a GB 11643 ID with a right check digit and birth
    date (15 digits upgraded), a residence permit or a home-return permit."""
    from callroom.ids import BAD_CHECK, BAD_DATE, parse_id

    ident = parse_id(raw)
    if ident is None:
        raise AnswerError("empty")
    if ident.trusted or ident.kind == "home_return_permit":
        return ident.text
    if ident.flag == BAD_CHECK:
        raise AnswerError("id_check")
    if ident.flag == BAD_DATE:
        raise AnswerError("id_date")
    raise AnswerError("id_format")


def answer_text(question: Question, value: str, lang: str, yes: str, no: str) -> str:
    """How a stored answer reads on the card (yes/no words are passed in from i18n). An ID
    number is masked, as everywhere on screen."""
    if question.type == "id_number":
        return mask_id(value)
    if question.type == "phone":
        return display(value) if value.startswith("+") else value
    if question.type == "yesno":
        return yes if value == "yes" else no if value == "no" else value
    if question.type == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value[5:]
    if question.type == "choice":
        for c in question.choices:
            if c.value == value:
                return c.label(lang)
    return value


class ScriptRun:
    """The state of one script on one card: answers so far and the question in focus."""

    def __init__(self, script: Script, answers: dict[str, str] | None = None) -> None:
        self.script = script
        self.answers: dict[str, str] = dict(answers or {})
        self.cursor = 0
        self._settle(0)

    def applicable(self, q: Question) -> bool:
        return all(self.answers.get(ref) in values for ref, values in q.when.items())

    @property
    def current(self) -> Question | None:
        qs = self.script.questions
        if 0 <= self.cursor < len(qs) and self.applicable(qs[self.cursor]):
            return qs[self.cursor]
        return None

    def _settle(self, start: int) -> None:
        """Put the cursor on the first applicable, unanswered question from ``start`` on."""
        qs = self.script.questions
        for i in range(start, len(qs)):
            if self.applicable(qs[i]) and qs[i].id not in self.answers:
                self.cursor = i
                return
        # all answered: stay on the last applicable question
        for i in range(len(qs) - 1, -1, -1):
            if self.applicable(qs[i]):
                self.cursor = i
                return
        self.cursor = 0

    def answer(self, value: str | None) -> None:
        """Answer (or, with None, clear) the question in focus and move on."""
        q = self.current
        if q is None:
            return
        if value is None:
            self.answers.pop(q.id, None)
            return
        self.answers[q.id] = value
        self._settle(self.cursor + 1)

    def move(self, delta: int) -> None:
        qs = self.script.questions
        i = self.cursor
        while True:
            i += delta
            if not 0 <= i < len(qs):
                return
            if self.applicable(qs[i]):
                self.cursor = i
                return

    def number(self, q: Question) -> int:
        """The question's number as the card shows it: counted over the questions that apply
        now, so hidden ones leave no gaps (1, 2, 3, not 1, 3, 4)."""
        shown = [x for x in self.script.questions if self.applicable(x)]
        return shown.index(q) + 1 if q in shown else self.script.questions.index(q) + 1

    def has_yesno(self) -> bool:
        return any(q.type == "yesno" for q in self.script.questions)

    def missing_for(self, outcome_code: str, complete: bool = False) -> list[Question]:
        """Questions that still apply, are unanswered and must be answered before this outcome;
        ``complete``: the outcome completes a case, so a form's ``required`` questions too."""
        return [
            q
            for q in self.script.questions
            if (outcome_code in q.required_for or (complete and q.required))
            and self.applicable(q)
            and q.id not in self.answers
        ]

    def focus(self, qid: str) -> None:
        """Put the cursor on a question (one that applies)."""
        for i, q in enumerate(self.script.questions):
            if q.id == qid and self.applicable(q):
                self.cursor = i
                return

    def note_demanded_by(self) -> tuple[Question, Choice] | None:
        """The answered choice that demands a note on this call, if any."""
        for q in self.script.questions:
            if q.type == "choice" and self.applicable(q) and q.id in self.answers:
                c = q.choice(self.answers[q.id])
                if c is not None and c.note:
                    return q, c
        return None

    def is_answered(self, q: Question) -> bool:
        return q.id in self.answers

    def result(self) -> dict[str, str]:
        """The answers to save: only those of questions that still apply."""
        by_id = {q.id: q for q in self.script.questions}
        return {k: v for k, v in self.answers.items() if k in by_id and self.applicable(by_id[k])}
