"""Results back to the district: xlsx or csv, in a template's columns, in the district's words.

- Headers in the UI language (or the district's own, from the template); script answers under
  each question's export label, as words (是/否, the choice's label, ISO dates); outcomes as on
  screen.
- One phone number per cell in the district's form (13812345678, 0755-12345678转801,
  +85291234567); the other numbers in their own columns; the cell as written only on request.
- Flags carried: an ID that Excel damaged is left blank with "证件号需重新采集" in the remarks
  column, never a float that looks like an ID; doubtful IDs and phones get a remark too.
- Several lists: a list column, a row number unique in the file beside each list's own row.
- Excel-safe: xlsx cells are typed strings and numbers (a string cell is never a formula, so
  nothing gets an apostrophe); CSV cells that Excel would run as formulas get a leading
  apostrophe, and long digit strings a trailing tab so Excel keeps them as text (see csv_cell).
- Written atomically and privately through callroom.files; audited without personal data.
- A linked row (same phone open under another task) reports that task's result.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from callroom import ids
from callroom.config import Config
from callroom.files import WriteFailed, atomic_file
from callroom.i18n import state_label, t
from callroom.results import MATCHED
from callroom.route import route_key
from callroom.store import Store

FORMATS = ("xlsx", "csv")
# What Excel reads as the start of a formula in a CSV cell (full-width forms too: Excel on a
# Chinese system takes ＝ for =), and the characters it may skip before one.
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r", "\n")
INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2066\u2067\u2068\u2069\ufeff" + "".join(
    chr(c) for c in range(0x202A, 0x202F)
)
# A cell Excel would turn into a number and change: 11 digits or more (an ID loses its tail after
# 15 digits, a long number shows as 1.38E+10), a leading zero (0755 loses its 0), or E notation.
_NUMBERLIKE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
WIDTH_SAMPLE = 500  # rows measured to size the xlsx columns
_TWO_DIGIT_AREAS = frozenset(("10", "20", "21", "22", "23", "24", "25", "27", "28", "29"))


class ExportError(Exception):
    """A refused export; ``text(lang)`` says why and what to do."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    columns: list[str]


# ---------------------------------------------------------------------------------------------
# cells


def district_phone(e164: str, ext: str = "") -> str:
    """A number as the district writes it: 13812345678, 0755-12345678转801, +85291234567."""
    if e164.startswith("+86"):
        rest = e164[3:]
        if len(rest) == 11 and rest.startswith("1"):
            return rest
        area = 2 if rest[:2] in _TWO_DIGIT_AREAS else 3
        text = f"0{rest[:area]}-{rest[area:]}"
        return f"{text}转{ext}" if ext else text
    return f"{e164}转{ext}" if ext else e164


def csv_cell(value: Any) -> Any:
    """A value as it must go into a CSV cell for Excel to show it as written and run nothing.

    - Text that Excel would read as a formula (= + - @, their full-width forms, a tab or a line
      break first, also behind spaces or invisible characters) gets a leading apostrophe.
    - A digit string that Excel would turn into a number and change (IDs, phones, anything of
      11 digits or more, a leading zero, E notation) gets a trailing tab: Excel then keeps the
      cell as text, every digit whole, and the tab does not show. Numbers stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if not text:
        return text
    first = text[0]
    if first in FORMULA_START:
        return "'" + text
    if first.isascii() and first not in " " and not first.isdigit():
        return text  # the usual cell: a letter or CJK-free ASCII word, nothing to do
    probe = unicodedata.normalize("NFKC", text.lstrip(" " + INVISIBLE))
    if probe.startswith(FORMULA_START):
        return "'" + text
    if (
        probe[:1].isdigit()
        and _NUMBERLIKE.fullmatch(probe)
        and (len(probe) >= 11 or (probe[0] == "0" and len(probe) > 1) or "e" in probe.lower())
    ):
        return text + "\t"
    return text


# the importer's rejects file writes its cells through the same rules
neutralise = csv_cell


def _typed(text: str) -> Any:
    """A row number written as text ("12") becomes a number cell; anything else stays text."""
    return int(text) if text.isdigit() and len(text) < 10 else text


class _Questions:
    """Script questions by id, for answer headers and answer words (first script wins a clash)."""

    def __init__(self, config: Config, script_names: Iterable[str]) -> None:
        from callroom.scripts import ScriptError, ScriptLibrary  # YAML: only when exporting

        library = ScriptLibrary(config.scripts_folder)
        self.by_script: dict[str, dict[str, Any]] = {}
        for name in dict.fromkeys(script_names):
            try:
                script = library.get(name or config.default_script)
            except ScriptError:
                continue  # a broken script: its answers keep their stored words
            self.by_script[name] = {q.id: q for q in script.questions}

    def question(self, script: str, qid: str) -> Any:
        found = self.by_script.get(script, {}).get(qid)
        if found is not None:
            return found
        return next((qs[qid] for qs in self.by_script.values() if qid in qs), None)

    def header(self, qid: str, lang: str) -> str:
        question = self.question("", qid)
        return question.export_label(lang) if question is not None else qid

    def ids(self) -> list[str]:
        """Every question of the scripts, in script order (the first script's first)."""
        return list(dict.fromkeys(q for qs in self.by_script.values() for q in qs))

    def order(self, qids: Iterable[str]) -> list[str]:
        """Answer columns in the scripts' question order; unknown ids after, as found."""
        known = [q for qs in self.by_script.values() for q in qs]
        found = list(dict.fromkeys(qids))
        place = {q: i for i, q in enumerate(dict.fromkeys(known))}
        return sorted(found, key=lambda q: (place.get(q, len(place)), found.index(q)))


def answer_words(question: Any, value: Any, lang: str) -> Any:
    """A stored answer as the district reads it: 是/否, the choice's label, an ISO date."""
    if value in (True, "yes"):
        return t("answer.yes", lang)
    if value in (False, "no"):
        return t("answer.no", lang)
    if question is not None and question.type == "choice":
        for c in question.choices:
            if c.value == value:
                return c.label(lang)
    return value  # dates are stored ISO already; text as the caller typed it


def is_landline(phone: str) -> bool:
    """A CN number that is not a mobile (a mobile is +86 and 11 digits from 1)."""
    return phone.startswith("+86") and not (len(phone) == 14 and phone[3] == "1")


# SQL twin of remarks(): whether any row of an export will have one
_REMARKABLE = (
    "(t.id_flag NOT IN ('', 'upgraded_from_15') OR t.phone_flag != '' "
    "OR (t.phone LIKE '+86%' AND NOT (length(t.phone) = 14 AND substr(t.phone, 4, 1) = '1')))"
)


def remarks(row: Any, lang: str) -> list[str]:
    """What the district must act on or check: damaged or doubtful IDs, doubtful numbers."""
    out = []
    flag = row["id_flag"] or ""
    if flag and flag != ids.UPGRADED:
        out.append(t(f"exp.remark.{flag}", lang))
    if row["phone_flag"]:
        out.append(t(f"exp.remark.{row['phone_flag']}", lang))
    elif is_landline(row["phone"] or ""):
        out.append(t("exp.remark.landline", lang))  # not a mobile: no text message reaches it
    return out


def outcome_words(config: Config, code: str | None, lang: str) -> str:
    """An outcome (or a done state) as the screens name it."""
    if not code:
        return ""
    try:
        return config.outcome(code).label(lang)
    except KeyError:
        key = f"exp.outcome.{code}"
        words = t(key, lang)
        return code if words == key else words


def match_source(config: Config, code: str | None, lang: str) -> str:
    """How a task counts in the match rate: matched by data, confirmed by phone, or not."""
    if code == MATCHED:
        return t("rep.match.data", lang)
    if code in config.confirmed_outcomes:
        return t("rep.match.call", lang)
    return ""


# ---------------------------------------------------------------------------------------------
# what an export holds, found before any row is read


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a template field, or "answer:ID", "extra:HEADER", "alt_phones#N"


@dataclass
class _Scope:
    """The tasks of an export, as SQL: ``where`` on tasks t, with ``params``."""

    where: str
    params: list[Any]
    batch_ids: list[int]

    @classmethod
    def of(cls, batch_ids: list[int], field_visits: bool) -> _Scope:
        marks = ",".join("?" * len(batch_ids)) or "NULL"
        where = f"t.batch_id IN ({marks})" + (
            " AND t.state = 'field_visit'" if field_visits else ""
        )
        return cls(where, list(batch_ids), list(batch_ids))


def _scan(store: Store, scope: _Scope) -> dict[str, Any]:
    """What the columns depend on, read by SQL without loading the rows: the extra columns and
    the answers found (first seen first), the most alternates on a row, whether a row has a
    remark, and each list's script."""
    q, where, params = store.conn.execute, scope.where, scope.params
    extra = [
        r[0]
        for r in q(
            f"SELECT j.key FROM tasks t, json_each(t.extra) j WHERE {where} "
            "GROUP BY j.key ORDER BY min(t.batch_id * 1000000000000 + t.seq * 1000000 + j.id)",
            params,
        )
    ]
    answers = [
        r[0]
        for r in q(
            "SELECT j.key FROM attempts a, json_each(a.answers) j WHERE a.undone_at IS NULL "
            f"AND a.task_id IN (SELECT coalesce(t.linked_to, t.id) FROM tasks t WHERE {where}) "
            "GROUP BY j.key ORDER BY min(a.id)",
            params,
        )
    ]
    alts = q(f"SELECT max(json_array_length(t.alt_phones)) FROM tasks t WHERE {where}", params)
    remark = q(f"SELECT EXISTS (SELECT 1 FROM tasks t WHERE {where} AND {_REMARKABLE})", params)
    marks = ",".join("?" * len(scope.batch_ids)) or "NULL"
    scripts = dict(q(f"SELECT id, script FROM batches WHERE id IN ({marks})", scope.batch_ids))
    return {
        "extra": extra,
        "answers": answers,
        "alts": alts.fetchone()[0] or 0,
        "remarks": bool(remark.fetchone()[0]),
        "scripts": scripts,
    }


def _columns(
    config: Config,
    template: Sequence[tuple[str, str]],
    found: dict[str, Any],
    questions: _Questions,
    several_lists: bool,
) -> list[Column]:
    """The template's columns with `extra`, `answers` and `alt_phones` expanded for this export,
    a list column when several lists are exported, and the remarks column when a row has one."""
    lang = config.lang
    fields = [f for _, f in template]

    def header(given: str, fld: str) -> str:
        return given or t(f"exp.field.{fld}", lang)

    out: list[Column] = []
    for given, fld in template:
        if fld == "extra":
            named = {f.removeprefix("extra:") for f in fields if f.startswith("extra:")}
            out.extend(Column(k, "extra:" + k) for k in found["extra"] if k not in named)
        elif fld == "answers":
            named = {f.removeprefix("answer:") for f in fields if f.startswith("answer:")}
            # every question of the lists' scripts, answered or not, so the columns stay the
            # same day to day; answers to questions a script no longer asks come after
            asked = [*questions.ids(), *found["answers"]]
            qids = questions.order(k for k in asked if k not in named)
            out.extend(Column(questions.header(q, lang), "answer:" + q) for q in qids)
        elif fld == "alt_phones":
            most = found["alts"]
            if most <= 1:
                out.append(Column(header(given, fld), "alt_phones#1"))
            else:
                out.extend(
                    Column(f"{header(given, fld)}{i}", f"alt_phones#{i}")
                    for i in range(1, most + 1)
                )
        elif fld.startswith("answer:") and not given:
            out.append(Column(questions.header(fld[7:], lang), fld))
        elif fld.startswith("extra:") and not given:
            out.append(Column(fld[6:], fld))
        else:
            out.append(Column(header(given, fld), fld))
    if several_lists and "batch" not in fields:
        at = next((i + 1 for i, c in enumerate(out) if c.field == "row"), 0)
        out.insert(at, Column(t("exp.field.batch", lang), "batch"))
    if "remarks" not in fields and found["remarks"]:
        out.append(Column(t("exp.field.remarks", lang), "remarks"))
    return out


# ---------------------------------------------------------------------------------------------
# rows, streamed


class _Row:
    """One task of the export with the result that counts for it (its own, or its linked
    task's); the JSON columns are read once, when a column asks for them."""

    __slots__ = ("_alts", "_extra", "call", "n", "reopened", "row")

    def __init__(
        self, row: Any, n: int, call: list[Any] | None, reopened: str | None = None
    ) -> None:
        self.row, self.n, self.call = row, n, call
        self.reopened = reopened  # when a lead last reopened the task, if ever
        self._extra: dict[str, Any] | None = None
        self._alts: list[str] | None = None

    @property
    def extra(self) -> dict[str, Any]:
        if self._extra is None:
            self._extra = json.loads(self.row["extra"])
        return self._extra

    @property
    def alts(self) -> list[str]:
        if self._alts is None:
            self._alts = json.loads(self.row["alt_phones"])
        return self._alts

    @property
    def answers(self) -> dict[str, Any]:
        return self.call[0] if self.call else {}

    def outcome(self) -> str | None:
        r = self.row
        if r["state"] == "duplicate":
            return r["final_outcome"]
        if r["r_final"]:
            return r["r_final"]
        if self.reopened and (not self.call or self.call[3] <= self.reopened):
            return "reopened"  # open again since its last call: that call's end is not its state
        return self.call[2] if self.call else None


_ROW_SQL = """
SELECT t.id, t.batch_id, t.seq, t.source_row, t.phone, t.phone_raw, t.phone_ext, t.phone_flag,
       t.alt_phones, t.name, t.id_number, t.id_flag, t.place, t.arrival, t.address,
       t.source_note, t.extra, t.state, t.final_outcome, t.duplicate_of, t.linked_to,
       b.name AS batch_name, b.script AS script, coalesce(t.linked_to, t.id) AS result_id,
       coalesce(r.state, t.state) AS r_state, r.final_outcome AS r_final,
       coalesce(r.attempts, 0) AS r_attempts, r.closed_at AS r_closed_at,
       r.closed_by AS r_closed_by, tr.tested_at AS test_time, tr.site AS test_site
FROM tasks t JOIN batches b ON b.id = t.batch_id
LEFT JOIN tasks r ON r.id = coalesce(t.linked_to, t.id)
LEFT JOIN results tr ON tr.id = r.test_result AND r.final_outcome = 'test_matched'
"""


def _calls(store: Store, scope: _Scope) -> dict[int, list[Any]]:
    """Per task called: [answers merged in call order, notes, last outcome, last time, caller]."""
    calls: dict[int, list[Any]] = {}
    for task_id, operator, at, outcome, answers, note in store.conn.execute(
        f"""
        SELECT task_id, operator, at, outcome, answers, note FROM attempts
        WHERE undone_at IS NULL AND task_id IN (
            SELECT coalesce(t.linked_to, t.id) FROM tasks t WHERE {scope.where})
        ORDER BY id
        """,
        scope.params,
    ):
        call = calls.get(task_id)
        if call is None:
            call = calls[task_id] = [{}, [], None, "", ""]
        if answers != "{}":
            call[0].update(json.loads(answers))
        if note:
            call[1].append(note)
        call[2], call[3], call[4] = outcome, at, operator
    return calls


def _rows(store: Store, scope: _Scope, route: bool) -> Iterator[Any]:
    """The tasks in list order, or in walking order for a route."""
    if not route:
        yield from store.conn.execute(
            f"{_ROW_SQL} WHERE {scope.where} ORDER BY t.batch_id, t.seq", scope.params
        )
        return
    # a walking route: compound, building, unit, room; the list order breaks ties
    found = store.conn.execute(
        f"SELECT t.id, t.address FROM tasks t WHERE {scope.where} ORDER BY t.batch_id, t.seq",
        scope.params,
    ).fetchall()
    order = [task_id for task_id, address in sorted(found, key=lambda r: route_key(r[1]))]
    for start in range(0, len(order), 500):
        chunk = order[start : start + 500]
        marks = ",".join("?" * len(chunk))
        by_id = {
            r["id"]: r for r in store.conn.execute(f"{_ROW_SQL} WHERE t.id IN ({marks})", chunk)
        }
        yield from (by_id[i] for i in chunk)


Getter = Callable[[_Row], Any]


def _getter(fld: str, config: Config, questions: _Questions) -> Getter:
    """The function that gives one column's cell for a row (chosen once per export)."""
    lang = config.lang
    if fld.startswith("extra:"):
        key = fld[6:]
        return lambda r: r.extra.get(key, "")
    if fld.startswith("answer:"):
        qid = fld[7:]
        return lambda r: answer_words(
            questions.question(r.row["script"], qid), r.answers.get(qid, ""), lang
        )
    if fld.startswith("alt_phones#"):
        index = int(fld[11:]) - 1
        return lambda r: district_phone(r.alts[index]) if index < len(r.alts) else ""
    simple: dict[str, Getter] = {
        "row": lambda r: r.n,
        "batch": lambda r: r.row["batch_name"],
        "seq": lambda r: r.row["seq"],
        "source_row": lambda r: (
            _typed(r.row["source_row"]) if r.row["source_row"] else r.row["seq"]
        ),
        "phone": lambda r: district_phone(r.row["phone"], r.row["phone_ext"]),
        # Excel kept 15 digits: what is left is not the ID, so nothing is written (remarks)
        "id_number": lambda r: "" if r.row["id_flag"] == ids.DAMAGED else r.row["id_number"],
        "state": lambda r: state_label(r.row["r_state"], lang),
        "outcome": lambda r: outcome_words(config, r.outcome(), lang),
        "attempts": lambda r: r.row["r_attempts"],
        "note": lambda r: "; ".join(r.call[1]) if r.call else "",
        "caller": lambda r: r.row["r_closed_by"] or (r.call[4] if r.call else ""),
        "time": lambda r: r.row["r_closed_at"] or (r.call[3] if r.call else ""),
        "duplicate_of": lambda r: r.row["duplicate_of"] or r.row["linked_to"] or "",
        "remarks": lambda r: "; ".join(remarks(r.row, lang)),
        "match_source": lambda r: match_source(config, r.outcome(), lang),
        "test_time": lambda r: r.row["test_time"] or "",
        "test_site": lambda r: r.row["test_site"] or "",
    }
    if fld in simple:
        return simple[fld]
    return lambda r: r.row[fld] if r.row[fld] is not None else ""


def template_names(config: Config) -> list[str]:
    return list(config.export_templates)


@dataclass
class Table:
    """An export before any file format: its headers and its rows, produced as they are read."""

    headers: list[str]
    rows: Iterable[list[Any]]


def plan(
    store: Store,
    batch_ids: list[int],
    template: str | None = None,
    field_visits: bool = False,
    route: bool = False,
) -> Table:
    """Headers now, rows streamed from the database: memory stays flat however long the list."""
    cfg = store.config
    name = template or ("field_visits" if field_visits or route else cfg.default_template)
    if name not in cfg.export_templates:
        raise ExportError("exp.no_template", name=name, known=", ".join(template_names(cfg)) or "-")
    scope = _Scope.of(batch_ids, field_visits or route)
    found = _scan(store, scope)
    questions = _Questions(cfg, found["scripts"].values())
    columns = _columns(cfg, cfg.export_templates[name], found, questions, len(batch_ids) > 1)
    getters = [_getter(c.field, cfg, questions) for c in columns]
    calls = _calls(store, scope)
    reopened = dict(
        store.conn.execute(
            "SELECT e.task_id, max(e.at) FROM events e WHERE e.kind = 'reopen' AND e.task_id IN "
            f"(SELECT coalesce(t.linked_to, t.id) FROM tasks t WHERE {scope.where}) "
            "GROUP BY e.task_id",
            scope.params,
        ).fetchall()
    )

    def rows() -> Iterator[list[Any]]:
        for n, row in enumerate(_rows(store, scope, route), 1):
            view = _Row(row, n, calls.get(row["result_id"]), reopened.get(row["result_id"]))
            yield [get(view) for get in getters]

    return Table([c.header for c in columns], rows())


def table(
    store: Store,
    batch_ids: list[int],
    template: str | None = None,
    field_visits: bool = False,
    route: bool = False,
) -> tuple[list[str], list[list[Any]]]:
    """Headers and typed cells of an export, all in memory (for tests and small lists)."""
    planned = plan(store, batch_ids, template, field_visits, route)
    return planned.headers, list(planned.rows)


# ---------------------------------------------------------------------------------------------
# files


def csv_text(headers: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    _write_csv(buf, headers, rows)
    return buf.getvalue()


def _write_csv(fh: IO[str], headers: list[str], rows: Iterable[list[Any]]) -> int:
    writer = csv.writer(fh)
    writer.writerow([csv_cell(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    return count


def write_csv(
    path: Path, headers: list[str], rows: Iterable[list[Any]], shared_group: str = ""
) -> int:
    """Rows written as they come; UTF-8 with BOM, or Excel on Chinese Windows garbles it."""
    with atomic_file(
        path, text=True, encoding="utf-8-sig", newline="", shared_group=shared_group
    ) as fh:
        return _write_csv(fh, headers, rows)


def _write_xlsx(
    target: IO[bytes] | io.BytesIO,
    headers: list[str],
    rows: Iterable[list[Any]],
    sheet: str,
    tmpdir: str | None,
) -> int:
    import xlsxwriter  # heavy: only when exporting
    from rich.cells import cell_len

    # strings stay strings (never formulas or numbers); with a tmpdir, rows go to disk as they
    # are written (constant memory), else the workbook is built in memory
    options: dict[str, Any] = {"strings_to_formulas": False, "strings_to_numbers": False}
    options.update({"constant_memory": True, "tmpdir": tmpdir} if tmpdir else {"in_memory": True})
    wb = xlsxwriter.Workbook(target, options)
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True})
    for c, h in enumerate(headers):
        ws.write_string(0, c, str(h), bold)
    widths = [cell_len(str(h)) for h in headers]
    count = 0
    for r, row in enumerate(rows, 1):
        count = r
        measure = r <= WIDTH_SAMPLE
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
                text = str(value) if measure else ""
            else:
                text = "" if value is None else str(value)
                if text:
                    ws.write_string(r, c, text)
            if measure:
                widths[c] = max(widths[c], min(40, cell_len(text)))
    for c, w in enumerate(widths):
        ws.set_column(c, c, max(6, w + 2))
    ws.freeze_panes(1, 0)
    wb.close()
    return count


def xlsx_bytes(headers: list[str], rows: Iterable[list[Any]], sheet: str) -> tuple[bytes, int]:
    """A small workbook in memory (tests, previews)."""
    buf = io.BytesIO()
    count = _write_xlsx(buf, headers, rows, sheet, None)
    return buf.getvalue(), count


def write_xlsx(
    path: Path, headers: list[str], rows: Iterable[list[Any]], sheet: str, shared_group: str = ""
) -> int:
    """Rows written as they come, through a private scratch folder beside the target (0700,
    removed at the end) so memory stays flat; the file itself appears whole or not at all."""
    import shutil
    import tempfile

    try:
        scratch = tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteFailed(path, exc) from None
    try:
        with atomic_file(path, shared_group=shared_group) as fh:
            return _write_xlsx(fh, headers, rows, sheet, scratch)
    except OSError as exc:
        raise WriteFailed(path, exc) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def export(
    store: Store,
    batch_ids: list[int],
    path: Path,
    fmt_name: str,
    operator: str,
    template: str | None = None,
    field_visits: bool = False,
    route: bool = False,
) -> ExportResult:
    """Write the export (whole or not at all) and audit it. Raises ExportError, WriteFailed."""
    if fmt_name not in FORMATS:
        raise ExportError("exp.bad_format", format=fmt_name)
    cfg = store.config
    field_visits = field_visits or route
    planned = plan(store, batch_ids, template, field_visits, route)
    group = cfg.shared_group
    if fmt_name == "csv":
        rows = write_csv(path, planned.headers, planned.rows, group)
    else:
        sheet = "exp.sheet.route" if route else "exp.sheet.visits" if field_visits else "exp.sheet"
        rows = write_xlsx(path, planned.headers, planned.rows, t(sheet, cfg.lang), group)
    store.log_event(
        "export",
        operator,
        detail={
            "file": path.name,
            "format": fmt_name,
            "rows": rows,
            "batches": batch_ids,
            "template": template or ("field_visits" if field_visits else cfg.default_template),
            "route": route,
        },
    )
    return ExportResult(path, rows, planned.headers)
