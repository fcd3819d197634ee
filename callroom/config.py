"""callroom.toml -> a typed, validated Config. No Textual here.

The built-in defaults are the packaged ``default_config.toml`` itself, so the documented file and
the behaviour cannot drift apart. A user file overrides key by key; ``[[outcomes]]`` and each
``[columns]`` entry replace the default as a whole.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any

from callroom.said import EnglishOnly, Phrase

ENV_VAR = "CALLROOM_CONFIG"
DATABASE_URL_VAR = "CALLROOM_DATABASE_URL"  # a postgresql:// URL overriding [general] database
KINDS = ("final", "retry", "callback", "escalate")
AAPOR = ("complete", "refusal", "non_contact", "other", "unknown", "not_eligible")
LANGS = ("zh", "en")
FIELDS = ("phone", "name", "id_number", "place", "arrival", "address", "note", "ignore")
EXPORT_FIELDS = (
    "row", "batch", "seq", "source_row", "phone", "phone_raw", "alt_phones", "name", "id_number",
    "place", "arrival", "address", "source_note", "extra", "state", "outcome", "attempts",
    "answers", "note", "caller", "time", "duplicate_of", "remarks", "match_source", "test_time",
    "test_site",
)  # fmt: skip
EXPORT_PREFIXES = ("extra:", "answer:")
FLAG_NAMES = ("urgent", "elderly", "pregnant", "child", "patient", "disabled")
FLAG_AGES = ("elderly_age", "child_age")
_HOTKEY = re.compile(r"^[0-9a-z]$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


MAX_CONFIG_BYTES = 256 * 1024  # the shipped, commented file is under 10 KiB


class ConfigError(Exception):
    """A user mistake in the config: the message names the file and the key.

    ``ConfigError("cfg.<key>", **values)``: str() is English, text(lang) is in the UI's
    language. ``lang`` is the language the config file itself asks for, when it could be read
    that far (the CLI says the error in it unless --lang says otherwise).
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        self.lang: str | None = None
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return Phrase(self.key, **self.params).text(lang)


BUILT_IN = Phrase("cfg.builtin")  # the source of an error in the shipped defaults


@dataclass(frozen=True)
class Outcome:
    key: str
    code: str
    zh: str
    en: str
    kind: str
    aapor: str
    retry_minutes: int = 0
    needs_note: bool = False
    verified: bool = False
    dead_number: bool = False  # the number is unusable: try the resident's next own number

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Group:
    """A group of inbound callers (hospital patients, students, ...): its form, its head start
    in the queue and the flags its cases get."""

    code: str
    zh: str
    en: str
    form: str  # the form's name: callroom/scripts/forms/<form>.yaml or [script] folder/forms
    head_start: int = 0  # minutes, added to the flags' head start
    flags: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Config:
    path: Path | None
    database: Path  # the SQLite file; with database_url, where crash logs and exports go
    lang: str
    region: str
    operator: str
    shared_group: str
    community: str
    caller: str
    default_script: str
    scripts_folder: Path | None
    hours_start: time
    hours_end: time
    lease_seconds: int
    max_attempts: int
    dedup_days: int
    undo_seconds: int
    callback_grace_minutes: int
    columns: dict[str, tuple[str, ...]]
    flag_words: dict[str, tuple[str, ...]]
    elderly_age: int
    child_age: int
    outcomes: tuple[Outcome, ...]
    export_templates: dict[str, tuple[tuple[str, str], ...]]
    default_template: str
    drill_odds: dict[str, float]
    drill_reached_seconds: int
    drill_not_reached_seconds: int
    settle_ms: int = 400
    dial_command: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    lead_group: str = ""
    # [results]: a task without an arrival date is matched by a test taken at most this many days
    # before its list was imported; outcomes a caller records that count as "confirmed by phone"
    window_days: int = 2
    confirmed_outcomes: tuple[str, ...] = ("already_tested",)
    # [export] folder: where an export without -o and the lead pane's route go (None: the
    # current folder); relative to the config file's folder
    export_folder: Path | None = None
    login: str = ""  # the Unix account running callroom (never --operator): roles go by it
    # the queue's aging score: minutes of head start per flag ([head_start]); the inbound desk's
    # groups ([[inbound.groups]]) and its appeals export's columns ([appeals] columns)
    head_starts: dict[str, int] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    inbound_list: str = "来电"
    appeal_columns: tuple[tuple[str, str], ...] = ()
    # a postgresql:// URL (from [general] database or $CALLROOM_DATABASE_URL): PostgreSQL, not
    # the SQLite file; its password is never shown (see database_label)
    database_url: str = field(default="", repr=False)  # may hold a password: never in a repr
    office: str = ""  # [general] office: the community office this caller works for
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def export_path(self, name: str) -> Path:
        """Where a file written without -o goes: [export] folder, else the current folder."""
        return (self.export_folder or Path.cwd()) / name

    def outcome(self, code: str) -> Outcome:
        for o in self.outcomes:
            if o.code == code:
                return o
        raise KeyError(code)

    def outcome_by_key(self, key: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.key == key), None)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def head_start(self, flags: tuple[str, ...] | list[str], grp: str = "") -> int:
        """Minutes of head start in the queue: the group's plus the largest of its flags' (an
        elderly patient is not counted twice; urgent still overtakes both)."""
        flag_start = max((self.head_starts.get(f, 0) for f in flags), default=0)
        group = self.group(grp) if grp else None
        return flag_start + (group.head_start if group is not None else 0)

    def in_calling_hours(self, t: time) -> bool:
        return self.hours_start <= t < self.hours_end

    @property
    def engine(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    @property
    def database_label(self) -> str:
        """The database as a user may read it: the file, or the URL without its password."""
        if self.database_url:
            return safe_url(self.database_url)
        return str(self.database)

    @property
    def roles_enabled(self) -> bool:
        """With no [roles], everyone may do everything (a single-user machine)."""
        return bool(self.leads or self.lead_group)

    def is_lead(self, login: str | None = None) -> bool:
        """Whether the Unix account ``login`` (default: the one running callroom) is a lead."""
        if not self.roles_enabled:
            return True
        user = login if login is not None else self.login
        if user in self.leads:
            return True
        return bool(self.lead_group) and in_group(user, self.lead_group)


# section -> key -> (python type, check) ; check returns an error text or None
def _one_of(options: tuple[str, ...]):
    return lambda v: None if v in options else Phrase("cfg.p.one_of", options=", ".join(options))


MAX_WHOLE = 100_000  # beyond this a day or second count overflows dates (dedup_days = 1e6)


def _positive(v: int) -> Phrase | None:
    if v > MAX_WHOLE:
        return Phrase("cfg.p.at_most", max=MAX_WHOLE)
    return None if v > 0 else Phrase("cfg.p.positive")


def _not_negative(v: int) -> Phrase | None:
    if v > MAX_WHOLE:
        return Phrase("cfg.p.at_most", max=MAX_WHOLE)
    return None if v >= 0 else Phrase("cfg.p.not_negative")


def _hhmm(v: str) -> Phrase | None:
    return None if _HHMM.match(v) else Phrase("cfg.p.time")


def _names(v: list[Any]) -> Phrase | None:
    ok = all(isinstance(x, str) and x.strip() for x in v)
    return None if ok else Phrase("cfg.p.user_names")


MAX_SETTLE_MS = 5000


def _settle(v: int) -> Phrase | None:
    if v < 0 or v > MAX_SETTLE_MS:
        return Phrase("cfg.p.settle", max=MAX_SETTLE_MS)
    return None


DIAL_PLACEHOLDERS = ("{number}", "{e164}")


def _dial_command(v: list[Any]) -> Phrase | None:
    if not all(isinstance(x, str) for x in v):
        return Phrase("cfg.p.dial_list")
    if v and not v[0].strip():
        return Phrase("cfg.p.dial_program")
    for arg in v:
        rest = arg
        for p in DIAL_PLACEHOLDERS:
            rest = rest.replace(p, "")
        if "{" in rest or "}" in rest:
            return Phrase("cfg.p.dial_fill", arg=repr(arg))
    return None


def _codes(v: list[Any]) -> Phrase | None:
    ok = all(isinstance(x, str) and _CODE.match(x) for x in v)
    return None if ok else Phrase("cfg.p.codes")


def _office(v: str) -> Phrase | None:
    ok = len(v) <= 40 and not any(ord(c) < 32 for c in v)
    return None if ok else Phrase("cfg.p.office")


def _region(v: str) -> Phrase | None:
    return None if re.fullmatch(r"[A-Z]{2}", v) else Phrase("cfg.p.region")


_SCHEMA: dict[str, dict[str, tuple[type, Any]]] = {
    "general": {
        "database": (str, lambda v: None if v.strip() else Phrase("cfg.p.not_empty")),
        "lang": (str, _one_of(LANGS)),
        "region": (str, _region),
        "operator": (str, None),
        "shared_group": (str, None),
        "office": (str, _office),
    },
    "script": {
        "community": (str, None),
        "caller": (str, None),
        "default": (str, lambda v: None if v.strip() else Phrase("cfg.p.script")),
        "folder": (str, None),
    },
    "hours": {"start": (str, _hhmm), "end": (str, _hhmm)},
    "roles": {"leads": (list, _names), "lead_group": (str, None)},
    "caller": {"settle_ms": (int, _settle), "dial_command": (list, _dial_command)},
    "results": {"window_days": (int, _not_negative), "confirmed_outcomes": (list, _codes)},
    "queue": {
        "lease_seconds": (int, _positive),
        "max_attempts": (int, _positive),
        "dedup_days": (int, _not_negative),
        "undo_seconds": (int, _not_negative),
        "callback_grace_minutes": (int, _not_negative),
    },
}
_OUTCOME_SCHEMA: dict[str, tuple[type, Any, bool]] = {
    # key: (type, check, required)
    "key": (
        str,
        lambda v: None if _HOTKEY.match(v) else Phrase("cfg.p.hotkey"),
        True,
    ),
    "code": (str, lambda v: None if _CODE.match(v) else Phrase("cfg.p.code"), True),
    "zh": (str, None, True),
    "en": (str, None, True),
    "kind": (str, _one_of(KINDS), True),
    "aapor": (str, _one_of(AAPOR), True),
    "retry_minutes": (int, _positive, False),
    "needs_note": (bool, None, False),
    "verified": (bool, None, False),
    "dead_number": (bool, None, False),
}


def _type_name(t: type) -> Phrase:
    return Phrase(f"cfg.t.{t.__name__}")


def _got(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_value(where: object, value: Any, typ: type, check: Any) -> None:
    # bool is an int in Python; a config that says `max_attempts = true` is still a mistake
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        raise ConfigError("cfg.type", where=where, expected=_type_name(typ), got=_got(value))
    if check is not None and (problem := check(value)):
        raise ConfigError("cfg.value", where=where, problem=problem, got=_got(value))


def _defaults_text() -> str:
    return resources.files("callroom").joinpath("default_config.toml").read_text("utf-8")


def default_config_text() -> str:
    """The commented default config, as `callroom init` writes it."""
    return _defaults_text()


def workspace_config_text(database: str) -> str:
    """The default config with its own database and calling hours all day: for the demo and the
    benchmarks, so a card is offered at any hour."""
    text = default_config_text()
    text = re.sub(r'(?m)^database = ".*"$', f'database = "{database}"', text, count=1)
    text = re.sub(r'(?m)^start = "\d\d:\d\d"$', 'start = "00:00"', text, count=1)
    return re.sub(r'(?m)^end = "\d\d:\d\d"$', 'end = "23:59"', text, count=1)


_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _parse(text: str, source: object) -> dict[str, Any]:
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError("cfg.too_big", source=source, kib=len(text) // 1024,
                          max=MAX_CONFIG_BYTES // 1024)  # fmt: skip
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        words = _AT.sub("", message).strip()
        if at and at[1]:
            raise ConfigError("cfg.toml_at", source=source, line=at[1], column=at[2],
                              detail=EnglishOnly(words)) from None  # fmt: skip
        raise ConfigError("cfg.toml", source=source, detail=EnglishOnly(words)) from None
    except (RecursionError, MemoryError):
        # tomllib recurses once per nested [ or {: a hostile file would crash it
        raise ConfigError("cfg.too_deep", source=source) from None


def _validate_user(data: dict[str, Any], source: str) -> None:
    allowed = {*_SCHEMA, "columns", "flags", "outcomes", "export", "drill", "head_start",
               "inbound", "appeals"}  # fmt: skip
    for section, body in data.items():
        if section not in allowed:
            raise ConfigError("cfg.unknown_section", source=source, section=section,
                              known=", ".join(sorted(allowed)))  # fmt: skip
        if section in _SCHEMA:
            if not isinstance(body, dict):
                raise ConfigError("cfg.not_table", source=source, section=f"[{section}]")
            for key, value in body.items():
                if key not in _SCHEMA[section]:
                    raise ConfigError("cfg.unknown_key", source=source, section=f"[{section}]",
                                      key=key, known=", ".join(_SCHEMA[section]))  # fmt: skip
                typ, check = _SCHEMA[section][key]
                _check_value(_Where(source, f"[{section}] {key}"), value, typ, check)
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise ConfigError("cfg.not_table", source=source, section="[columns]")
    for key, value in columns.items():
        if key not in FIELDS:
            raise ConfigError("cfg.unknown_key", source=source, section="[columns]", key=key,
                              known=", ".join(FIELDS))  # fmt: skip
        if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
            raise ConfigError("cfg.headers", source=source, key=key)
    if "flags" in data:
        _validate_flags(data["flags"], source)
    if "outcomes" in data:
        _validate_outcomes(data["outcomes"], source)
    if "export" in data:
        _validate_export(data["export"], source)
    if "drill" in data:
        _validate_drill(data["drill"], source)
    if "head_start" in data:
        _validate_head_start(data["head_start"], source)
    if "inbound" in data:
        _validate_inbound(data["inbound"], source)
    if "appeals" in data:
        _validate_appeals(data["appeals"], source)


MAX_HEAD_START = 7 * 24 * 60  # a week: beyond it a head start is a strict tier in disguise
_GROUP_KEYS = ("code", "zh", "en", "form", "head_start", "flags")
_FORM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
APPEAL_FIELDS = (
    "row", "batch_no", "case", "group", "phone", "name", "id_number", "compound", "address",
    "flags", "roster", "first_contact", "intake_at", "intake_by", "answers", "pledge",
    "pledge_version", "pledge_at", "pledge_by", "note", "previous_reason",
)  # fmt: skip


def _minutes(v: int) -> Phrase | None:
    if v < 0 or v > MAX_HEAD_START:
        return Phrase("cfg.p.head_start", max=MAX_HEAD_START)
    return None


def _validate_head_start(section: Any, source: object) -> None:
    if not isinstance(section, dict):
        raise ConfigError("cfg.not_table", source=source, section="[head_start]")
    for key, value in section.items():
        if key not in FLAG_NAMES:
            raise ConfigError("cfg.unknown_key", source=source, section="[head_start]", key=key,
                              known=", ".join(FLAG_NAMES))  # fmt: skip
        _check_value(_Where(source, f"[head_start] {key}"), value, int, _minutes)


def _validate_inbound(section: Any, source: object) -> None:
    if not isinstance(section, dict):
        raise ConfigError("cfg.not_table", source=source, section="[inbound]")
    for key in section:
        if key not in ("list_name", "groups"):
            raise ConfigError("cfg.unknown_key", source=source, section="[inbound]", key=key,
                              known="list_name, groups")  # fmt: skip
    if "list_name" in section:
        where = _Where(source, "[inbound] list_name")
        _check_value(where, section["list_name"], str,
                     lambda v: None if v.strip() else Phrase("cfg.p.not_empty"))  # fmt: skip
    if "groups" not in section:
        return
    groups = section["groups"]
    if not isinstance(groups, list) or not 1 <= len(groups) <= 9:
        raise ConfigError("cfg.groups_list", source=source)
    codes: set[str] = set()
    for i, g in enumerate(groups, 1):
        where = _Where(source, f"[[inbound.groups]] #{i}")
        if not isinstance(g, dict):
            raise ConfigError("cfg.group_table", where=where)
        for key, value in g.items():
            if key not in _GROUP_KEYS:
                raise ConfigError("cfg.group_unknown", where=where, key=key,
                                  known=", ".join(_GROUP_KEYS))  # fmt: skip
            at = _Where(source, f"[[inbound.groups]] #{i} {key}")
            if key == "code":
                _check_value(at, value, str,
                             lambda v: None if _CODE.match(v) else Phrase("cfg.p.code"))  # fmt: skip
            elif key == "form":
                _check_value(at, value, str,
                             lambda v: None if _FORM_NAME.match(v) else Phrase("cfg.p.form"))  # fmt: skip
            elif key in ("zh", "en"):
                _check_value(at, value, str,
                             lambda v: None if v.strip() else Phrase("cfg.p.not_empty"))  # fmt: skip
            elif key == "head_start":
                _check_value(at, value, int, _minutes)
            elif key == "flags":
                ok = isinstance(value, list) and all(f in FLAG_NAMES for f in value)
                if not ok:
                    raise ConfigError("cfg.value", where=at, got=_got(value),
                                      problem=Phrase("cfg.p.flags", known=", ".join(FLAG_NAMES)))  # fmt: skip
        for key in ("code", "zh", "en", "form"):
            if key not in g:
                raise ConfigError("cfg.group_missing", where=where, key=key)
        if g["code"] in codes:
            raise ConfigError("cfg.code_twice", where=where, code=repr(g["code"]))
        codes.add(g["code"])


def _validate_appeals(section: Any, source: object) -> None:
    if not isinstance(section, dict):
        raise ConfigError("cfg.not_table", source=source, section="[appeals]")
    for key in section:
        if key != "columns":
            raise ConfigError("cfg.unknown_key", source=source, section="[appeals]", key=key,
                              known="columns")  # fmt: skip
    where = _Where(source, "[appeals] columns")
    columns = section.get("columns")
    if not isinstance(columns, list) or not columns:
        raise ConfigError("cfg.template_columns", where=where)
    for i, pair in enumerate(columns, 1):
        ok = isinstance(pair, str) or (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        )
        if not ok:
            raise ConfigError("cfg.template_pair", where=where, n=i, got=_got(pair))
        fld = pair if isinstance(pair, str) else pair[1]
        if fld not in APPEAL_FIELDS and not (fld.startswith("answer:") and fld.split(":", 1)[1]):
            raise ConfigError("cfg.template_field", where=where, n=i, field=repr(fld),
                              known=", ".join(APPEAL_FIELDS))  # fmt: skip


def _validate_flags(flags: Any, source: object) -> None:
    if not isinstance(flags, dict):
        raise ConfigError("cfg.not_table", source=source, section="[flags]")
    for key, value in flags.items():
        if key in FLAG_AGES:
            _check_value(_Where(source, f"[flags] {key}"), value, int, _not_negative)
        elif key in FLAG_NAMES:
            if not isinstance(value, list) or not all(
                isinstance(s, str) and s.strip() for s in value
            ):
                raise ConfigError("cfg.words", source=source, key=key)
        else:
            raise ConfigError("cfg.unknown_key", source=source, section="[flags]", key=key,
                              known=", ".join((*FLAG_NAMES, *FLAG_AGES)))  # fmt: skip


def _validate_drill(drill: Any, source: object) -> None:
    if not isinstance(drill, dict):
        raise ConfigError("cfg.not_table", source=source, section="[drill]")
    for key, value in drill.items():
        if key in ("reached_seconds", "not_reached_seconds"):
            _check_value(_Where(source, f"[drill] {key}"), value, int, _positive)
        elif key == "odds":
            if not isinstance(value, dict):
                raise ConfigError("cfg.odds_table", source=source)
            for code, share in value.items():
                if isinstance(share, bool) or not isinstance(share, int | float) or share < 0:
                    raise ConfigError("cfg.odds_share", source=source, code=code, got=_got(share))
        else:
            raise ConfigError("cfg.unknown_key", source=source, section="[drill]", key=key,
                              known="reached_seconds, not_reached_seconds, odds")  # fmt: skip


def _validate_export(export: Any, source: object) -> None:
    if not isinstance(export, dict):
        raise ConfigError("cfg.not_table", source=source, section="[export]")
    for key in export:
        if key not in ("default_template", "folder", "templates"):
            raise ConfigError("cfg.unknown_key", source=source, section="[export]", key=key,
                              known="default_template, folder, templates")  # fmt: skip
    if "default_template" in export:
        where = _Where(source, "[export] default_template")
        _check_value(where, export["default_template"], str, None)
    if "folder" in export:
        _check_value(_Where(source, "[export] folder"), export["folder"], str, None)
    templates = export.get("templates", {})
    if not isinstance(templates, dict):
        raise ConfigError("cfg.templates_table", source=source)
    for name, body in templates.items():
        where = _Where(source, f"[export.templates.{name}]")
        if not isinstance(body, dict) or set(body) != {"columns"}:
            raise ConfigError("cfg.template_keys", where=where)
        columns = body["columns"]
        if not isinstance(columns, list) or not columns:
            raise ConfigError("cfg.template_columns", where=where)
        for i, pair in enumerate(columns, 1):
            # "field": the field's own header in the UI language; [header, field]: the district's
            ok = isinstance(pair, str) or (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            )
            if not ok:
                raise ConfigError("cfg.template_pair", where=where, n=i, got=_got(pair))
            fld = pair if isinstance(pair, str) else pair[1]
            if fld not in EXPORT_FIELDS and not (
                fld.startswith(EXPORT_PREFIXES) and fld.split(":", 1)[1]
            ):
                raise ConfigError("cfg.template_field", where=where, n=i, field=repr(fld),
                                  known=", ".join(EXPORT_FIELDS))  # fmt: skip


def _validate_outcomes(outcomes: Any, source: object) -> None:
    if not isinstance(outcomes, list) or not outcomes:
        raise ConfigError("cfg.outcomes_list", source=source)
    keys: dict[str, str] = {}
    codes: set[str] = set()
    for i, o in enumerate(outcomes, 1):
        where = _Where(source, f"[[outcomes]] #{i}")
        if not isinstance(o, dict):
            raise ConfigError("cfg.outcome_table", where=where)
        for key, value in o.items():
            if key not in _OUTCOME_SCHEMA:
                raise ConfigError("cfg.outcome_unknown", where=where, key=key,
                                  known=", ".join(_OUTCOME_SCHEMA))  # fmt: skip
            typ, check, _ = _OUTCOME_SCHEMA[key]
            _check_value(_Where(source, f"[[outcomes]] #{i} {key}"), value, typ, check)
        for key, (_, _, required) in _OUTCOME_SCHEMA.items():
            if required and key not in o:
                raise ConfigError("cfg.outcome_missing", where=where, key=key)
        if o["key"] in keys:
            raise ConfigError("cfg.hotkey_twice", where=where, key=repr(o["key"]),
                              code=repr(keys[o["key"]]))  # fmt: skip
        if o["code"] in codes:
            raise ConfigError("cfg.code_twice", where=where, code=repr(o["code"]))
        if o["kind"] == "retry" and "retry_minutes" not in o:
            raise ConfigError("cfg.retry_minutes", where=where)
        keys[o["key"]] = o["code"]
        codes.add(o["code"])


def _merge(defaults: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in defaults.items()}
    for section, body in user.items():
        if section == "inbound" and "groups" in body:
            # groups are a list: a user's list replaces the shipped one whole
            merged["inbound"] = {**merged["inbound"], **body}
        elif section == "drill" and "odds" in body:
            # odds name outcomes: a user's table replaces the shipped one whole
            merged["drill"] = {**merged["drill"], **body}
        elif section == "export":
            # user templates are added to the shipped ones (same name: the user's wins)
            merged["export"] = {
                **merged["export"],
                **{k: v for k, v in body.items() if k != "templates"},
                "templates": {**merged["export"]["templates"], **body.get("templates", {})},
            }
        elif isinstance(body, dict) and isinstance(merged.get(section), dict):
            merged[section].update(body)
        else:
            merged[section] = body
    return merged


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config, then $CALLROOM_CONFIG, then ./callroom.toml, else None (built-in defaults)."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("cfg.not_found", path=path, given="--config")
        return path
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError("cfg.not_found", path=path, given=f"${ENV_VAR}")
        return path
    local = Path("callroom.toml")
    return local if local.is_file() else None


def in_group(user: str, group: str) -> bool:
    """Whether Unix account ``user`` belongs to ``group`` (as a member or by its primary group)."""
    import grp
    import pwd

    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return False
    if user in entry.gr_mem:
        return True
    try:
        return pwd.getpwnam(user).pw_gid == entry.gr_gid
    except KeyError:
        return False


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "caller"


def load_config(
    explicit: str | os.PathLike[str] | None = None, overrides: dict[str, Any] | None = None
) -> Config:
    """Load and validate the config. ``overrides`` are command-line values (lang, operator)."""
    path = find_config_path(explicit)
    defaults = _parse(_defaults_text(), BUILT_IN)
    user: dict[str, Any] = {}
    if path is not None:
        user = _read_user(path)
    try:
        data = _merge(defaults, user)
        source = str(path) if path else BUILT_IN
        for key, value in (overrides or {}).items():
            if value is None:
                continue
            typ, check = _SCHEMA["general"][key]
            _check_value(f"--{key}", value, typ, check)
            data["general"][key] = value
        config = _build(data, path, source)
        _check_confirmed(user, config, source)
        return config
    except ConfigError as exc:
        exc.lang = exc.lang or _lang_of(user)
        raise


def _check_confirmed(user: dict[str, Any], config: Config, source: object) -> None:
    """[results] confirmed_outcomes written in the user's file must name outcomes."""
    section = user.get("results")
    named = section.get("confirmed_outcomes", []) if isinstance(section, dict) else []
    codes = {o.code for o in config.outcomes}
    for code in named:
        if code not in codes:
            raise ConfigError("cfg.results_outcome", source=source, code=repr(code),
                              known=", ".join(sorted(codes)))  # fmt: skip


def _lang_of(user: dict[str, Any]) -> str | None:
    """The language a user's config asks for, if it names a valid one."""
    general = user.get("general")
    lang = general.get("lang") if isinstance(general, dict) else None
    return lang if lang in LANGS else None


def _read_user(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError("cfg.too_big", source=path, kib=path.stat().st_size // 1024,
                              max=MAX_CONFIG_BYTES // 1024)  # fmt: skip
        text = path.read_text("utf-8-sig")  # Windows Notepad may add a BOM
    except UnicodeDecodeError:
        raise ConfigError("cfg.not_utf8", path=path) from None
    except OSError as exc:
        raise ConfigError("cfg.unreadable", path=path, detail=_os_reason(exc)) from None
    user = _parse(text, str(path))
    try:
        _validate_user(user, str(path))
    except ConfigError as exc:
        exc.lang = _lang_of(user)  # say the error in the language the file asks for
        raise
    return user


def _os_reason(exc: OSError) -> object:
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return Phrase("cfg.no_read_permission")
    if exc.errno == errno.EISDIR:
        return Phrase("cfg.is_folder")
    return exc.strerror or type(exc).__name__


class _Where:
    """ "callroom.toml: [queue] max_attempts" (the file may be the built-in defaults)."""

    def __init__(self, source: object, key: str) -> None:
        self.source, self.key = source, key

    def text(self, lang: str) -> str:
        from callroom.said import said

        return f"{said(self.source, lang)}: {self.key}"

    def __str__(self) -> str:
        return self.text("en")


def _build(data: dict[str, Any], path: Path | None, source: object) -> Config:
    base = path.resolve().parent if path else Path.cwd()
    g, s, h, q = data["general"], data["script"], data["hours"], data["queue"]
    start, end = _to_time(h["start"]), _to_time(h["end"])
    if not start < end:
        raise ConfigError("cfg.hours", source=source, start=h["start"], end=h["end"])
    outcomes = tuple(
        Outcome(
            key=o["key"],
            code=o["code"],
            zh=o["zh"],
            en=o["en"],
            kind=o["kind"],
            aapor=o["aapor"],
            retry_minutes=o.get("retry_minutes", 0),
            needs_note=o.get("needs_note", False),
            verified=o.get("verified", False),
            dead_number=o.get("dead_number", False),
        )
        for o in data["outcomes"]
    )
    folder = s["folder"].strip()
    export = data["export"]
    templates = {
        # a bare field name has no header of its own: the export names it in the UI language
        name: tuple(("", c) if isinstance(c, str) else (c[0], c[1]) for c in body["columns"])
        for name, body in export["templates"].items()
    }
    if export["default_template"] not in templates:
        raise ConfigError("cfg.no_template", source=source,
                          name=repr(export["default_template"]), known=", ".join(templates))  # fmt: skip
    url = os.environ.get(DATABASE_URL_VAR, "").strip()
    where: object = f"${DATABASE_URL_VAR}"
    if not url and _is_url(g["database"]):
        url, where = g["database"].strip(), _Where(source, "[general] database")
    if url:
        _check_url(url, where)
    return Config(
        path=path,
        database=(base / "callroom.db").resolve()
        if url
        else (base / g["database"]).resolve()
        if g["database"] != ":memory:"
        else Path(":memory:"),
        database_url=url,
        office=g["office"].strip(),
        lang=g["lang"],
        region=g["region"],
        operator=g["operator"].strip() or login_name(),
        shared_group=g["shared_group"].strip(),
        community=s["community"],
        caller=s["caller"],
        default_script=s["default"],
        scripts_folder=(base / folder).resolve() if folder else None,
        hours_start=start,
        hours_end=end,
        lease_seconds=q["lease_seconds"],
        max_attempts=q["max_attempts"],
        dedup_days=q["dedup_days"],
        undo_seconds=q["undo_seconds"],
        callback_grace_minutes=q["callback_grace_minutes"],
        columns={k: tuple(v) for k, v in data["columns"].items()},
        flag_words={k: tuple(data["flags"][k]) for k in FLAG_NAMES},
        elderly_age=data["flags"]["elderly_age"],
        child_age=data["flags"]["child_age"],
        outcomes=outcomes,
        export_templates=templates,
        default_template=export["default_template"],
        drill_odds={k: float(v) for k, v in data["drill"]["odds"].items()},
        drill_reached_seconds=data["drill"]["reached_seconds"],
        drill_not_reached_seconds=data["drill"]["not_reached_seconds"],
        settle_ms=data["caller"]["settle_ms"],
        dial_command=tuple(data["caller"]["dial_command"]),
        leads=tuple(x.strip() for x in data["roles"]["leads"]),
        lead_group=data["roles"]["lead_group"].strip(),
        window_days=data["results"]["window_days"],
        # the shipped default names an outcome a user's own [[outcomes]] may not have
        confirmed_outcomes=tuple(
            c
            for c in dict.fromkeys(data["results"]["confirmed_outcomes"])
            if any(o.code == c for o in outcomes)
        ),
        export_folder=(base / export["folder"].strip()).resolve()
        if export.get("folder", "").strip()
        else None,
        login=login_name(),
        head_starts={k: int(v) for k, v in data["head_start"].items()},
        groups=tuple(_group(g) for g in data["inbound"]["groups"]),
        inbound_list=data["inbound"]["list_name"].strip(),
        appeal_columns=tuple(
            ("", c) if isinstance(c, str) else (c[0], c[1]) for c in data["appeals"]["columns"]
        ),
        raw=data,
    )


def _group(g: dict[str, Any]) -> Group:
    return Group(
        code=g["code"], zh=g["zh"].strip(), en=g["en"].strip(), form=g["form"],
        head_start=g.get("head_start", 0), flags=tuple(dict.fromkeys(g.get("flags", []))),
    )  # fmt: skip


def _is_url(text: str) -> bool:
    return bool(re.match(r"^\s*[a-z][a-z0-9+.-]*://", text, re.I))


def _check_url(url: str, where: object) -> None:
    """A PostgreSQL URL: postgresql://user[:password]@host[:port]/database[?options]."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    problem = None
    if parts.scheme.lower() not in ("postgresql", "postgres"):
        problem = Phrase("cfg.p.db_scheme", scheme=parts.scheme)
    elif not parts.path.strip("/"):
        problem = Phrase("cfg.p.db_name")
    else:
        try:
            parts.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError:
            problem = Phrase("cfg.p.db_port")
    if problem is not None:
        raise ConfigError("cfg.value", where=where, problem=problem, got=safe_url(url))


def safe_url(url: str) -> str:
    """A database URL without its password (for every message, log and command shown)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _to_time(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))
