"""Results back to the district: xlsx or csv, in a template's columns, safe to open in Excel.

- Every text cell that Excel could read as a formula (= + - @, or a leading tab/CR) is prefixed
  with an apostrophe, and xlsx cells are written as strings, never as formulas.
- Files are created with mode 0600: they hold personal data.
- A linked row (same phone open under another task) reports that task's result.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callroom.config import Config
from callroom.i18n import state_label, t
from callroom.phones import display
from callroom.store import Store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """A refused export, with a message fit for the user."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    columns: list[str]


def neutralise(value: Any) -> Any:
    """Make a cell inert for Excel: text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _result_rows(
    store: Store, batch_ids: list[int], field_visits: bool
) -> Iterator[dict[str, Any]]:
    """Each task with the result that counts for it (its own, or its linked task's)."""
    marks = ",".join("?" * len(batch_ids)) or "NULL"
    where = f"t.batch_id IN ({marks})" + (" AND t.state = 'field_visit'" if field_visits else "")
    rows = store.conn.execute(
        f"""
        SELECT t.*, b.name AS batch_name, coalesce(t.linked_to, t.id) AS result_id
        FROM tasks t JOIN batches b ON b.id = t.batch_id
        WHERE {where} ORDER BY t.batch_id, t.seq
        """,
        batch_ids,
    ).fetchall()
    for r in rows:
        row = dict(r)
        result = store.conn.execute(
            "SELECT state, final_outcome, attempts, closed_at, closed_by FROM tasks WHERE id = ?",
            (row["result_id"],),
        ).fetchone()
        last = store.conn.execute(
            "SELECT * FROM attempts WHERE task_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            (row["result_id"],),
        ).fetchone()
        answers: dict[str, Any] = {}
        notes = []
        for a in store.conn.execute(
            "SELECT answers, note FROM attempts WHERE task_id = ? AND undone_at IS NULL ORDER BY id",
            (row["result_id"],),
        ).fetchall():
            answers.update(json.loads(a["answers"]))
            if a["note"]:
                notes.append(a["note"])
        row.update(
            result_state=result["state"],
            result_outcome=result["final_outcome"] or (last["outcome"] if last else None),
            result_attempts=result["attempts"],
            result_time=result["closed_at"] or (last["at"] if last else ""),
            result_caller=result["closed_by"] or (last["operator"] if last else ""),
            answers=answers,
            notes=notes,
        )
        yield row


def _columns(
    template: tuple[tuple[str, str], ...], rows: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """Expand `extra` and `answers` into one column per key found, in first-seen order."""
    out: list[tuple[str, str]] = []
    for header, fld in template:
        if fld not in ("extra", "answers"):
            out.append((header, fld))
            continue
        prefix = "extra:" if fld == "extra" else "answer:"
        # keys the template already places by name are not repeated
        named = {f.removeprefix(prefix) for _, f in template if f.startswith(prefix)}
        keys: dict[str, None] = {}
        for r in rows:
            source = json.loads(r["extra"]) if fld == "extra" else r["answers"]
            keys.update(dict.fromkeys(k for k in source if k not in named))
        out.extend((k, prefix + k) for k in keys)
    return out


def _cell(row: dict[str, Any], fld: str, config: Config) -> Any:
    lang = config.lang
    if fld.startswith("extra:"):
        return json.loads(row["extra"]).get(fld[6:], "")
    if fld.startswith("answer:"):
        value = row["answers"].get(fld[7:], "")
        # scripts store yes/no answers as "yes"/"no"; the district reads them in its language
        if value in (True, "yes"):
            return t("answer.yes", lang)
        if value in (False, "no"):
            return t("answer.no", lang)
        return value
    match fld:
        case "batch":
            return row["batch_name"]
        case "phone":
            return display(row["phone"])
        case "alt_phones":
            return " ".join(display(p) for p in json.loads(row["alt_phones"]))
        case "state":
            return state_label(row["result_state"], lang)
        case "outcome":
            code = row["result_outcome"]
            if row["state"] == "duplicate":
                code = row["final_outcome"]
            try:
                return config.outcome(code).label(lang) if code else ""
            except KeyError:
                return code
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
        case _:
            return row.get(fld, "")


def table(
    store: Store, batch_ids: list[int], template: str | None = None, field_visits: bool = False
) -> tuple[list[str], list[list[Any]]]:
    """Headers and neutralised rows for an export (also used by tests to check what is written)."""
    cfg = store.config
    name = template or ("field_visits" if field_visits else cfg.default_template)
    if name not in cfg.export_templates:
        raise ExportError(
            f"no export template {name!r} (known: {', '.join(cfg.export_templates)}); "
            "templates live under [export.templates.NAME] in callroom.toml"
        )
    rows = list(_result_rows(store, batch_ids, field_visits))
    columns = _columns(cfg.export_templates[name], rows)
    body = [[neutralise(_cell(r, f, cfg)) for _, f in columns] for r in rows]
    return [neutralise(h) for h, _ in columns], body


def _open_private(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
    return fd


def write_csv(path: Path, headers: list[str], rows: Iterable[list[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    # UTF-8 with BOM: Excel on Chinese Windows opens it without garbling
    with os.fdopen(_open_private(path), "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(buf.getvalue())


def write_xlsx(path: Path, headers: list[str], rows: Iterable[list[Any]], sheet: str) -> None:
    import xlsxwriter  # heavy: only when exporting

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True})
    for c, h in enumerate(headers):
        ws.write_string(0, c, str(h), bold)
    widths = [len(str(h)) * 2 for h in headers]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            else:
                text = "" if value is None else str(value)
                ws.write_string(r, c, text)
                widths[c] = max(widths[c], min(40, len(text) * 2))
    for c, w in enumerate(widths):
        ws.set_column(c, c, max(6, w))
    ws.freeze_panes(1, 0)
    wb.close()
    with os.fdopen(_open_private(path), "wb") as fh:
        fh.write(buf.getvalue())


def export(
    store: Store,
    batch_ids: list[int],
    path: Path,
    fmt_name: str,
    operator: str,
    template: str | None = None,
    field_visits: bool = False,
) -> ExportResult:
    if fmt_name not in ("xlsx", "csv"):
        raise ExportError(f"unknown format {fmt_name!r}: use xlsx or csv")
    headers, rows = table(store, batch_ids, template, field_visits)
    try:
        if fmt_name == "csv":
            write_csv(path, headers, rows)
        else:
            write_xlsx(path, headers, rows, "上门排查" if field_visits else "核查结果")
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the export: {exc.strerror}") from None
    store.log_event(
        "export",
        operator,
        detail={
            "file": path.name,
            "format": fmt_name,
            "rows": len(rows),
            "batches": batch_ids,
            "template": template
            or ("field_visits" if field_visits else store.config.default_template),
        },
    )
    return ExportResult(path, len(rows), headers)
