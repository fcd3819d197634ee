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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callroom import ids
from callroom.config import Config
from callroom.files import atomic_file, atomic_write
from callroom.i18n import state_label, t
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
    probe = unicodedata.normalize("NFKC", text.lstrip(" " + INVISIBLE))
    if text.startswith(FORMULA_START) or probe.startswith(FORMULA_START):
        return "'" + text
    if _NUMBERLIKE.fullmatch(probe) and (
        len(probe) >= 11 or (probe[0] == "0" and len(probe) > 1) or "e" in probe.lower()
    ):
        return text + "\t"
    return text


# the importer's rejects file writes its cells through the same rules
neutralise = csv_cell


def _typed(text: str) -> Any:
    """A row number written as text ("12") becomes a number cell; anything else stays text."""
    return int(text) if text.isdigit() and len(text) < 10 else text


# ---------------------------------------------------------------------------------------------
# rows


def _result_rows(
    store: Store, batch_ids: list[int], field_visits: bool
) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Each task with the result that counts for it (its own, or its linked task's), and each
    batch's script name."""
    marks = ",".join("?" * len(batch_ids)) or "NULL"
    where = f"t.batch_id IN ({marks})" + (" AND t.state = 'field_visit'" if field_visits else "")
    q = store.conn.execute
    rows = [
        dict(r)
        for r in q(
            f"""
            SELECT t.*, b.name AS batch_name, coalesce(t.linked_to, t.id) AS result_id,
                   r.state AS r_state, r.final_outcome AS r_final, r.attempts AS r_attempts,
                   r.closed_at AS r_closed_at, r.closed_by AS r_closed_by
            FROM tasks t JOIN batches b ON b.id = t.batch_id
            LEFT JOIN tasks r ON r.id = coalesce(t.linked_to, t.id)
            WHERE {where} ORDER BY t.batch_id, t.seq
            """,
            batch_ids,
        ).fetchall()
    ]
    calls: dict[int, list[Any]] = {}
    for a in q(
        f"""
        SELECT task_id, operator, at, outcome, answers, note FROM attempts
        WHERE undone_at IS NULL AND task_id IN (
            SELECT coalesce(t.linked_to, t.id) FROM tasks t WHERE {where})
        ORDER BY id
        """,
        batch_ids,
    ).fetchall():
        calls.setdefault(a["task_id"], []).append(a)
    for row in rows:
        answers: dict[str, Any] = {}
        notes = []
        made = calls.get(row["result_id"], [])
        for a in made:
            answers.update(json.loads(a["answers"]))
            if a["note"]:
                notes.append(a["note"])
        last = made[-1] if made else None
        row.update(
            result_state=row["r_state"] or row["state"],
            result_outcome=row["r_final"] or (last["outcome"] if last else None),
            result_attempts=row["r_attempts"] if row["r_attempts"] is not None else 0,
            result_time=row["r_closed_at"] or (last["at"] if last else ""),
            result_caller=row["r_closed_by"] or (last["operator"] if last else ""),
            answers=answers,
            notes=notes,
        )
    scripts = {
        r["id"]: r["script"]
        for r in q(f"SELECT id, script FROM batches WHERE id IN ({marks})", batch_ids).fetchall()
    }
    return rows, scripts


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


def remarks(row: dict[str, Any], lang: str) -> list[str]:
    """What the district must act on or check: damaged or doubtful IDs, doubtful numbers."""
    out = []
    flag = row.get("id_flag") or ""
    if flag and flag != ids.UPGRADED:
        out.append(t(f"exp.remark.{flag}", lang))
    phone = row.get("phone", "")
    if row.get("phone_flag"):
        out.append(t(f"exp.remark.{row['phone_flag']}", lang))
    elif phone.startswith("+86") and not (len(phone) == 14 and phone[3] == "1"):
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


# ---------------------------------------------------------------------------------------------
# columns


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a template field, or "answer:ID", "extra:HEADER", "alt_phones#N"


def _columns(
    config: Config,
    template: Sequence[tuple[str, str]],
    rows: list[dict[str, Any]],
    questions: _Questions,
    several_lists: bool,
) -> list[Column]:
    """The template's columns with `extra`, `answers` and `alt_phones` expanded for these rows,
    a list column when several lists are exported, and the remarks column when a row has one."""
    lang = config.lang
    fields = [f for _, f in template]

    def header(given: str, fld: str) -> str:
        return given or t(f"exp.field.{fld}", lang)

    out: list[Column] = []
    for given, fld in template:
        if fld == "extra":
            named = {f.removeprefix("extra:") for f in fields if f.startswith("extra:")}
            keys: dict[str, None] = {}
            for r in rows:
                keys.update(dict.fromkeys(k for k in json.loads(r["extra"]) if k not in named))
            out.extend(Column(k, "extra:" + k) for k in keys)
        elif fld == "answers":
            named = {f.removeprefix("answer:") for f in fields if f.startswith("answer:")}
            qids: dict[str, None] = {}
            for r in rows:
                qids.update(dict.fromkeys(k for k in r["answers"] if k not in named))
            out.extend(Column(questions.header(q, lang), "answer:" + q) for q in qids)
        elif fld == "alt_phones":
            most = max((len(json.loads(r["alt_phones"])) for r in rows), default=0)
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
    if "remarks" not in fields and any(remarks(r, lang) for r in rows):
        out.append(Column(t("exp.field.remarks", lang), "remarks"))
    return out


def _cell(row: dict[str, Any], number: int, fld: str, config: Config, questions: _Questions) -> Any:
    lang = config.lang
    if fld.startswith("extra:"):
        return json.loads(row["extra"]).get(fld[6:], "")
    if fld.startswith("answer:"):
        qid = fld[7:]
        value = row["answers"].get(qid, "")
        return answer_words(questions.question(row["script"], qid), value, lang)
    if fld.startswith("alt_phones#"):
        alts = json.loads(row["alt_phones"])
        index = int(fld[11:]) - 1
        return district_phone(alts[index]) if index < len(alts) else ""
    match fld:
        case "row":
            return number
        case "batch":
            return row["batch_name"]
        case "seq":
            return row["seq"]
        case "source_row":
            return _typed(row["source_row"]) if row["source_row"] else row["seq"]
        case "phone":
            return district_phone(row["phone"], row["phone_ext"])
        case "id_number":
            # Excel kept 15 digits: what is left is not the ID, so nothing is written (remarks)
            return "" if row["id_flag"] == ids.DAMAGED else row["id_number"]
        case "state":
            return state_label(row["result_state"], lang)
        case "outcome":
            code = row["final_outcome"] if row["state"] == "duplicate" else row["result_outcome"]
            return outcome_words(config, code, lang)
        case "attempts":
            return row["result_attempts"]
        case "note":
            return "; ".join(row["notes"])
        case "caller":
            return row["result_caller"] or ""
        case "time":
            return row["result_time"] or ""
        case "duplicate_of":
            return row["duplicate_of"] or row["linked_to"] or ""
        case "remarks":
            return "; ".join(remarks(row, lang))
        case _:
            value = row.get(fld, "")
            return "" if value is None else value


def template_names(config: Config) -> list[str]:
    return list(config.export_templates)


def table(
    store: Store,
    batch_ids: list[int],
    template: str | None = None,
    field_visits: bool = False,
    route: bool = False,
) -> tuple[list[str], list[list[Any]]]:
    """Headers and typed cells of an export, before any file format's treatment."""
    cfg = store.config
    name = template or ("field_visits" if field_visits else cfg.default_template)
    if name not in cfg.export_templates:
        raise ExportError("exp.no_template", name=name, known=", ".join(template_names(cfg)) or "-")
    rows, scripts = _result_rows(store, batch_ids, field_visits)
    for row in rows:
        row["script"] = scripts.get(row["batch_id"], "")
    if route:
        # a walking route: compound, building, unit, room; the list order breaks ties
        rows.sort(key=lambda r: route_key(r["address"]))
    questions = _Questions(cfg, scripts.values())
    several = len({r["batch_id"] for r in rows}) > 1 or len(batch_ids) > 1
    columns = _columns(cfg, cfg.export_templates[name], rows, questions, several)
    body = [[_cell(r, n, c.field, cfg, questions) for c in columns] for n, r in enumerate(rows, 1)]
    return [c.header for c in columns], body


# ---------------------------------------------------------------------------------------------
# files


def csv_text(headers: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def write_csv(
    path: Path, headers: list[str], rows: Iterable[list[Any]], shared_group: str = ""
) -> None:
    # UTF-8 with BOM: Excel on Chinese Windows opens it without garbling
    with atomic_file(
        path, text=True, encoding="utf-8-sig", newline="", shared_group=shared_group
    ) as fh:
        fh.write(csv_text(headers, rows))


def xlsx_bytes(headers: list[str], rows: Iterable[list[Any]], sheet: str) -> bytes:
    import xlsxwriter  # heavy: only when exporting
    from rich.cells import cell_len

    buf = io.BytesIO()
    # strings_to_numbers/formulas off: every text cell is written as the text it is
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True})
    for c, h in enumerate(headers):
        ws.write_string(0, c, str(h), bold)
    widths = [cell_len(str(h)) for h in headers]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
                text = str(value)
            else:
                text = "" if value is None else str(value)
                if text:
                    ws.write_string(r, c, text)
            widths[c] = max(widths[c], min(40, cell_len(text)))
    for c, w in enumerate(widths):
        ws.set_column(c, c, max(6, w + 2))
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def write_xlsx(
    path: Path, headers: list[str], rows: Iterable[list[Any]], sheet: str, shared_group: str = ""
) -> None:
    atomic_write(path, xlsx_bytes(headers, rows, sheet), shared_group=shared_group)


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
    headers, rows = table(store, batch_ids, template, field_visits, route)
    group = cfg.shared_group
    if fmt_name == "csv":
        write_csv(path, headers, rows, group)
    else:
        sheet = "exp.sheet.route" if route else "exp.sheet.visits" if field_visits else "exp.sheet"
        write_xlsx(path, headers, rows, t(sheet, cfg.lang), group)
    store.log_event(
        "export",
        operator,
        detail={
            "file": path.name,
            "format": fmt_name,
            "rows": len(rows),
            "batches": batch_ids,
            "template": template or ("field_visits" if field_visits else cfg.default_template),
            "route": route,
        },
    )
    return ExportResult(path, len(rows), headers)
