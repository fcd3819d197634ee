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

ENV_VAR = "CALLROOM_CONFIG"
KINDS = ("final", "retry", "callback", "escalate")
AAPOR = ("complete", "refusal", "non_contact", "other", "unknown", "not_eligible")
LANGS = ("zh", "en")
FIELDS = ("phone", "name", "id_number", "place", "arrival", "address", "note", "ignore")
EXPORT_FIELDS = (
    "batch", "seq", "source_row", "phone", "phone_raw", "alt_phones", "name", "id_number", "place",
    "arrival", "address", "source_note", "extra", "state", "outcome", "attempts", "answers", "note",
    "caller", "time", "duplicate_of",
)  # fmt: skip
EXPORT_PREFIXES = ("extra:", "answer:")
FLAG_NAMES = ("urgent", "elderly", "pregnant", "child", "patient")
FLAG_AGES = ("elderly_age", "child_age")
_HOTKEY = re.compile(r"^[0-9a-z]$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """A user mistake in the config: the message names the file and the key."""


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
class Config:
    path: Path | None
    database: Path
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
    login: str = ""  # the Unix account running callroom (never --operator): roles go by it
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def outcome(self, code: str) -> Outcome:
        for o in self.outcomes:
            if o.code == code:
                return o
        raise KeyError(code)

    def outcome_by_key(self, key: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.key == key), None)

    def in_calling_hours(self, t: time) -> bool:
        return self.hours_start <= t < self.hours_end

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
    return lambda v: None if v in options else f"must be one of {', '.join(options)}"


MAX_WHOLE = 100_000  # beyond this a day or second count overflows dates (dedup_days = 1e6)


def _positive(v: int) -> str | None:
    if v > MAX_WHOLE:
        return f"must be at most {MAX_WHOLE}"
    return None if v > 0 else "must be a positive whole number"


def _not_negative(v: int) -> str | None:
    if v > MAX_WHOLE:
        return f"must be at most {MAX_WHOLE}"
    return None if v >= 0 else "must be zero or more"


def _hhmm(v: str) -> str | None:
    return None if _HHMM.match(v) else 'must be a time like "08:00"'


def _names(v: list[Any]) -> str | None:
    ok = all(isinstance(x, str) and x.strip() for x in v)
    return None if ok else 'must be a list of Unix user names like ["wang", "li"]'


MAX_SETTLE_MS = 5000


def _settle(v: int) -> str | None:
    if v < 0 or v > MAX_SETTLE_MS:
        return f"must be between 0 and {MAX_SETTLE_MS} milliseconds"
    return None


DIAL_PLACEHOLDERS = ("{number}", "{e164}")


def _dial_command(v: list[Any]) -> str | None:
    if not all(isinstance(x, str) for x in v):
        return 'must be a list of arguments like ["linphonecsh", "dial", "{number}"]'
    if v and not v[0].strip():
        return "the first argument must name the program"
    for arg in v:
        rest = arg
        for p in DIAL_PLACEHOLDERS:
            rest = rest.replace(p, "")
        if "{" in rest or "}" in rest:
            return f"{arg!r}: only {{number}} and {{e164}} can be filled in"
    return None


def _region(v: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]{2}", v) else 'must be a two-letter region code like "CN"'


_SCHEMA: dict[str, dict[str, tuple[type, Any]]] = {
    "general": {
        "database": (str, lambda v: None if v.strip() else "must not be empty"),
        "lang": (str, _one_of(LANGS)),
        "region": (str, _region),
        "operator": (str, None),
        "shared_group": (str, None),
    },
    "script": {
        "community": (str, None),
        "caller": (str, None),
        "default": (str, lambda v: None if v.strip() else "must name a script"),
        "folder": (str, None),
    },
    "hours": {"start": (str, _hhmm), "end": (str, _hhmm)},
    "roles": {"leads": (list, _names), "lead_group": (str, None)},
    "caller": {"settle_ms": (int, _settle), "dial_command": (list, _dial_command)},
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
        lambda v: None if _HOTKEY.match(v) else "must be one digit or lower-case letter",
        True,
    ),
    "code": (str, lambda v: None if _CODE.match(v) else "must be lower_snake_case", True),
    "zh": (str, None, True),
    "en": (str, None, True),
    "kind": (str, _one_of(KINDS), True),
    "aapor": (str, _one_of(AAPOR), True),
    "retry_minutes": (int, _positive, False),
    "needs_note": (bool, None, False),
    "verified": (bool, None, False),
    "dead_number": (bool, None, False),
}


def _type_name(t: type) -> str:
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list"}.get(
        t, t.__name__
    )


def _check_value(where: str, value: Any, typ: type, check: Any) -> None:
    # bool is an int in Python; a config that says `max_attempts = true` is still a mistake
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {_type_name(typ)}, got {value!r}")
    if check is not None and (problem := check(value)):
        raise ConfigError(f"{where}: {problem} (got {value!r})")


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


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None


def _validate_user(data: dict[str, Any], source: str) -> None:
    allowed = {*_SCHEMA, "columns", "flags", "outcomes", "export", "drill"}
    for section, body in data.items():
        if section not in allowed:
            raise ConfigError(
                f"{source}: unknown section or key [{section}] (known: {', '.join(sorted(allowed))})"
            )
        if section in _SCHEMA:
            if not isinstance(body, dict):
                raise ConfigError(f"{source}: [{section}] must be a table")
            for key, value in body.items():
                if key not in _SCHEMA[section]:
                    known = ", ".join(_SCHEMA[section])
                    raise ConfigError(f"{source}: unknown key [{section}] {key} (known: {known})")
                typ, check = _SCHEMA[section][key]
                _check_value(f"{source}: [{section}] {key}", value, typ, check)
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise ConfigError(f"{source}: [columns] must be a table")
    for key, value in columns.items():
        if key not in FIELDS:
            raise ConfigError(f"{source}: unknown key [columns] {key} (known: {', '.join(FIELDS)})")
        if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
            raise ConfigError(f"{source}: [columns] {key}: expected a list of header names")
    if "flags" in data:
        _validate_flags(data["flags"], source)
    if "outcomes" in data:
        _validate_outcomes(data["outcomes"], source)
    if "export" in data:
        _validate_export(data["export"], source)
    if "drill" in data:
        _validate_drill(data["drill"], source)


def _validate_flags(flags: Any, source: str) -> None:
    if not isinstance(flags, dict):
        raise ConfigError(f"{source}: [flags] must be a table")
    for key, value in flags.items():
        if key in FLAG_AGES:
            _check_value(f"{source}: [flags] {key}", value, int, _not_negative)
        elif key in FLAG_NAMES:
            if not isinstance(value, list) or not all(
                isinstance(s, str) and s.strip() for s in value
            ):
                raise ConfigError(f"{source}: [flags] {key}: expected a list of words")
        else:
            known = ", ".join((*FLAG_NAMES, *FLAG_AGES))
            raise ConfigError(f"{source}: unknown key [flags] {key} (known: {known})")


def _validate_drill(drill: Any, source: str) -> None:
    if not isinstance(drill, dict):
        raise ConfigError(f"{source}: [drill] must be a table")
    for key, value in drill.items():
        if key in ("reached_seconds", "not_reached_seconds"):
            _check_value(f"{source}: [drill] {key}", value, int, _positive)
        elif key == "odds":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [drill.odds] must be a table of outcome = share")
            for code, share in value.items():
                if isinstance(share, bool) or not isinstance(share, int | float) or share < 0:
                    raise ConfigError(
                        f"{source}: [drill.odds] {code}: expected a share of 0 or more, got {share!r}"
                    )
        else:
            raise ConfigError(
                f"{source}: unknown key [drill] {key} (known: reached_seconds, not_reached_seconds, odds)"
            )


def _validate_export(export: Any, source: str) -> None:
    if not isinstance(export, dict):
        raise ConfigError(f"{source}: [export] must be a table")
    for key in export:
        if key not in ("default_template", "templates"):
            raise ConfigError(
                f"{source}: unknown key [export] {key} (known: default_template, templates)"
            )
    if "default_template" in export:
        _check_value(f"{source}: [export] default_template", export["default_template"], str, None)
    templates = export.get("templates", {})
    if not isinstance(templates, dict):
        raise ConfigError(f"{source}: [export.templates] must be a table of templates")
    for name, body in templates.items():
        where = f"{source}: [export.templates.{name}]"
        if not isinstance(body, dict) or set(body) != {"columns"}:
            raise ConfigError(f"{where}: a template has exactly one key, columns")
        columns = body["columns"]
        if not isinstance(columns, list) or not columns:
            raise ConfigError(
                f"{where} columns: expected a non-empty list of [header, field] pairs"
            )
        for i, pair in enumerate(columns, 1):
            ok = isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            if not ok:
                raise ConfigError(
                    f'{where} columns #{i}: expected ["header", "field"], got {pair!r}'
                )
            fld = pair[1]
            if fld not in EXPORT_FIELDS and not (
                fld.startswith(EXPORT_PREFIXES) and fld.split(":", 1)[1]
            ):
                raise ConfigError(
                    f"{where} columns #{i}: unknown field {fld!r} "
                    f"(known: {', '.join(EXPORT_FIELDS)}, extra:HEADER, answer:ID)"
                )


def _validate_outcomes(outcomes: Any, source: str) -> None:
    if not isinstance(outcomes, list) or not outcomes:
        raise ConfigError(f"{source}: [[outcomes]] must be a non-empty list of tables")
    keys: dict[str, str] = {}
    codes: set[str] = set()
    for i, o in enumerate(outcomes, 1):
        where = f"{source}: [[outcomes]] #{i}"
        if not isinstance(o, dict):
            raise ConfigError(f"{where}: must be a table")
        for key, value in o.items():
            if key not in _OUTCOME_SCHEMA:
                raise ConfigError(
                    f"{where}: unknown key {key} (known: {', '.join(_OUTCOME_SCHEMA)})"
                )
            typ, check, _ = _OUTCOME_SCHEMA[key]
            _check_value(f"{where} {key}", value, typ, check)
        for key, (_, _, required) in _OUTCOME_SCHEMA.items():
            if required and key not in o:
                raise ConfigError(f"{where}: missing key {key}")
        if o["key"] in keys:
            raise ConfigError(
                f"{where} key: hotkey {o['key']!r} is already used by outcome {keys[o['key']]!r}"
            )
        if o["code"] in codes:
            raise ConfigError(f"{where} code: duplicate outcome code {o['code']!r}")
        if o["kind"] == "retry" and "retry_minutes" not in o:
            raise ConfigError(f"{where}: a retry outcome needs retry_minutes")
        keys[o["key"]] = o["code"]
        codes.add(o["code"])


def _merge(defaults: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in defaults.items()}
    for section, body in user.items():
        if section == "drill" and "odds" in body:
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
            raise ConfigError(f"{path}: config file not found (given by --config)")
        return path
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (given by ${ENV_VAR})")
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
    defaults = _parse(_defaults_text(), "built-in defaults")
    user: dict[str, Any] = {}
    if path is not None:
        try:
            text = path.read_text("utf-8-sig")  # Windows Notepad may add a BOM
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text; save the config as UTF-8") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
        user = _parse(text, str(path))
        _validate_user(user, str(path))
    data = _merge(defaults, user)
    source = str(path) if path else "built-in defaults"
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        typ, check = _SCHEMA["general"][key]
        _check_value(f"--{key}", value, typ, check)
        data["general"][key] = value
    return _build(data, path, source)


def _build(data: dict[str, Any], path: Path | None, source: str) -> Config:
    base = path.resolve().parent if path else Path.cwd()
    g, s, h, q = data["general"], data["script"], data["hours"], data["queue"]
    start, end = _to_time(h["start"]), _to_time(h["end"])
    if not start < end:
        raise ConfigError(f"{source}: [hours] start ({h['start']}) must be before end ({h['end']})")
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
        name: tuple((h, f) for h, f in body["columns"])
        for name, body in export["templates"].items()
    }
    if export["default_template"] not in templates:
        raise ConfigError(
            f"{source}: [export] default_template {export['default_template']!r} is not a template "
            f"(known: {', '.join(templates)})"
        )
    return Config(
        path=path,
        database=(base / g["database"]).resolve()
        if g["database"] != ":memory:"
        else Path(":memory:"),
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
        login=login_name(),
        raw=data,
    )


def _to_time(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))
