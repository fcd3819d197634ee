"""Batch submission: the appeals ready for review out, the reviewers' decisions back in.

    done = export(store, path, operator)                the "ready" cases in [appeals] columns,
                                                        marked submitted with a batch number
    rep = import_decisions(store, [path, ...], operator)  approved / rejected (with the reason)

The export is written while the write lock is held: the cases it lists are exactly the ones it
marks submitted (a second lead exporting at the same moment gets the rest, never the same ones),
and a file that cannot be written leaves every case ready. The file is whole or not at all
(callroom.files), mode 0600 (0660 with a shared group); ID numbers are in full (the reviewing
system needs them), so the file is the lead's alone.

A decisions file is read with the list importer's rules (format from its first bytes, header
found, columns by header words and cells) with the decisions' own roles: the case number we
exported (受理编号), the decision (通过/驳回 ...), the reason. A row without the case number is
matched by its ID number, else its phone, among the submitted cases. All decisions of a command
are applied in one transaction: approved closes the case; rejected puts it back in the queue, its
reason on the card. No Textual here.
"""

from __future__ import annotations

import csv
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from callroom.config import Config
from callroom.i18n import t
from callroom.importer import _count, _sha256, _spool_reject, _write_rejects
from callroom.importer.header import (
    SAMPLE_ROWS,
    Layout,
    Synonyms,
    filled,
    find_header,
    header_line,
    plan_sheet,
    resolve_mapping,
)
from callroom.importer.model import ImportFailed, ImportReport, Msg, Reject
from callroom.importer.read import check_regular
from callroom.importer.reader import open_reader
from callroom.importer.roles import (
    ID_NUMBER,
    NAME,
    PHONE,
    SECRET,
    SERIAL,
    Role,
    RoleSet,
    words,
)
from callroom.importer.rows import _FOOTER, Tally, cell_text
from callroom.inbound import APPROVED, READY, REJECTED, SUBMITTED, desk
from callroom.invisible import strip_invisible
from callroom.store import Store, StoreError, fmt

CASE_REF = re.compile(r"^C0*([1-9][0-9]*)$")
MAX_REASON = 300
FORMATS = ("xlsx", "csv")


def case_ref(task_id: int) -> str:
    """The case number the reviewing system is given and must give back: C000123."""
    return f"C{task_id:06d}"


# -- the export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    batch_no: str
    path: Path
    cases: int
    headers: list[str]


def _batch_no(store: Store) -> str:
    today = store.now()
    n = store.conn.execute(
        "SELECT count(*) FROM appeal_batches WHERE no LIKE ?", (f"{today:%Y%m%d}-%",)
    ).fetchone()[0]
    return f"{today:%Y%m%d}-{n + 1:02d}"


def _headers(config: Config, columns: list[tuple[str, str]], forms: dict[str, Any]) -> list[str]:
    lang = config.lang
    out = []
    for given, fld in columns:
        if given:
            out.append(given)
        elif fld.startswith("answer:"):
            qid = fld.split(":", 1)[1]
            q = next((q for s in forms.values() for q in s.questions if q.id == qid), None)
            out.append(q.export_label(lang) if q else qid)
        else:
            out.append(t(f"appeal.col.{fld}", lang))
    return out


def _columns(config: Config, forms: dict[str, Any]) -> list[tuple[str, str]]:
    """The template's columns with `answers` spread over every question of the forms met."""
    out: list[tuple[str, str]] = []
    named = {f.split(":", 1)[1] for _, f in config.appeal_columns if f.startswith("answer:")}
    for given, fld in config.appeal_columns:
        if fld != "answers":
            out.append((given, fld))
            continue
        seen: dict[str, None] = {}
        for script in forms.values():
            for q in script.questions:
                if q.id not in named and q.id not in seen:
                    seen[q.id] = None
        out += [("", f"answer:{qid}") for qid in seen]
    return out


def _cell(config: Config, fld: str, row: Any, case: desk.Case, forms: dict[str, Any], n: int,
          batch_no: str, entries: dict[int, str]) -> Any:  # fmt: skip
    from callroom.export import answer_words, district_phone

    lang = config.lang
    if fld.startswith("answer:"):
        qid = fld.split(":", 1)[1]
        value = case.answers.get(qid, "")
        q = next((q for q in forms[case.form].questions if q.id == qid), None)
        if q is not None and q.type == "phone" and value.startswith("+"):
            return district_phone(value)
        return answer_words(q, value, lang) if value else ""
    group = config.group(case.grp)
    simple = {
        "row": n,
        "batch_no": batch_no,
        "case": case_ref(case.task_id),
        "group": group.label(lang) if group else case.grp,
        "phone": district_phone(row["phone"], row["phone_ext"]),
        "name": row["name"],
        "id_number": row["id_number"],
        "compound": row["compound"],
        "address": row["address"],
        "flags": " ".join(t(f"flag.{f}", lang) for f in row["flags"].split(",") if f),
        "roster": entries.get(case.task_id, ""),
        "first_contact": case.first_contact_at,
        "intake_at": case.intake_at or "",
        "intake_by": case.intake_by or "",
        "pledge": t("answer.yes" if case.pledge_hash else "answer.no", lang),
        "pledge_version": (case.pledge_hash or "")[:16],
        "pledge_at": case.pledge_at or "",
        "pledge_by": case.pledge_by or "",
        "note": row["source_note"],
        "previous_reason": case.decision_reason if case.decision == REJECTED else "",
    }
    return simple.get(fld, "")


def export(store: Store, path: Path, operator: str, fmt_name: str = "xlsx") -> Exported:
    """Write the ready cases in [appeals] columns and mark them submitted, under one lock.
    Raises StoreError("appeal.none") when nothing is ready, WriteFailed when the file cannot be
    written (nothing marked then)."""
    from callroom.export import write_csv, write_xlsx
    from callroom.inbound.roster import entries_for
    from callroom.scripts import FORM_PREFIX, ScriptLibrary

    cfg = store.config
    if fmt_name not in FORMATS:
        raise StoreError("appeal.bad_format", format=fmt_name, known=", ".join(FORMATS))
    library = ScriptLibrary(cfg.scripts_folder)
    now = fmt(store.now())
    with store.transaction() as conn:
        rows = conn.execute(
            "SELECT c.*, t.phone, t.phone_ext, t.name, t.id_number, t.compound, t.address, "
            "t.flags, t.source_note FROM cases c JOIN tasks t ON t.id = c.task_id "
            "WHERE c.status = ? ORDER BY c.task_id",
            (READY,),
        ).fetchall()
        if not rows:
            raise StoreError("appeal.none")
        cases = [desk.Case.from_row(r) for r in rows]
        forms = {c.form: library.get(FORM_PREFIX + c.form) for c in cases}
        roster_words = {}
        for r, c in zip(rows, cases, strict=True):
            found = entries_for(conn, [r["phone"]], r["id_number"])
            cats = dict.fromkeys(cat for e in found for cat in e.categories.split(","))
            roster_words[c.task_id] = " ".join(t(f"roster.cat.{x}", cfg.lang) for x in cats)
        batch_no = _batch_no(store)
        columns = _columns(cfg, forms)
        headers = _headers(cfg, columns, forms)
        table = [
            [_cell(cfg, fld, r, c, forms, n, batch_no, roster_words) for _, fld in columns]
            for n, (r, c) in enumerate(zip(rows, cases, strict=True), 1)
        ]
        # the export's writers: typed xlsx cells (text never a formula), formula-safe csv
        if fmt_name == "csv":
            write_csv(path, headers, table, cfg.shared_group)
        else:
            write_xlsx(path, headers, table, t("appeal.sheet", cfg.lang), cfg.shared_group)
        ids = [c.task_id for c in cases]
        try:
            conn.executemany(
                "UPDATE cases SET status = ?, appeal_batch = ?, submitted_at = ?, "
                "first_submitted_at = coalesce(first_submitted_at, ?), version = version + 1 "
                "WHERE task_id = ?",
                [(SUBMITTED, batch_no, now, now, i) for i in ids],
            )
            conn.execute(
                'INSERT INTO appeal_batches (no, at, "by", file, cases) VALUES (?,?,?,?,?)',
                (batch_no, now, operator, path.name, len(ids)),
            )
            store.add_event("appeals_export", operator,
                            detail={"batch": batch_no, "file": path.name, "cases": len(ids),
                                    "format": fmt_name})  # fmt: skip
        except BaseException:
            path.unlink(missing_ok=True)  # the cases stay ready: the file would mislead
            raise
    return Exported(batch_no, path, len(ids), headers)


# -- the decisions -------------------------------------------------------------------------------

_APPROVED = re.compile(
    r"^(通过|审核通过|已通过|予以通过|同意|已同意|批准|准予|准许|办结|approved?|pass(ed)?|yes|ok|是|√|✓)$",
    re.I,
)
_REJECTED = re.compile(
    r"^(不通过|未通过|审核不通过|驳回|已驳回|退回|已退回|拒绝|不同意|不予通过|不批准|不准|否|"
    r"rejected?|denied|deny|declined?|no|fail(ed)?|×|✗)$",
    re.I,
)
_PENDING = re.compile(r"^(待审核|审核中|处理中|待处理|未审核|pending|in review)$", re.I)


def decision_word(value: object) -> str:
    """A decision cell: APPROVED, REJECTED, "pending", "" (empty) or "unclear"."""
    text = unicodedata.normalize("NFKC", strip_invisible(str(value or ""))).strip()
    text = re.sub(r"[\s。.!！]+$", "", text)
    if not text:
        return ""
    if _APPROVED.match(text):
        return APPROVED
    if _REJECTED.match(text):
        return REJECTED
    if _PENDING.match(text):
        return "pending"
    return "unclear"


def _is_decision(value: object) -> bool:
    return decision_word(value) in (APPROVED, REJECTED, "pending")


def _is_case_ref(value: object) -> bool:
    return bool(CASE_REF.match(cell_text(value).upper()))


CASE = Role(
    "case",
    strong=words(r"受理编号|来电编号|诉求编号|申请编号|案件编号|case|ref"),
    test=_is_case_ref,
    need=0.5,
    by_content=True,
)
DECISION = Role(
    "decision",
    strong=words(
        r"审核结果|审批结果|审核结论|审核状态|是否通过|结果|结论|decision|result|status|状态"
    ),
    avoid=words(r"时间|日期|原因|理由|time|date"),
    test=_is_decision,
    need=0.5,
    by_content=True,
)
REASON = Role(
    "reason",
    strong=words(r"原因|理由|驳回|退回|意见|说明|备注|reason|remark|comment|note"),
    avoid=words(r"时间|日期|time|date"),
)
DECISIONS_LIST = RoleSet((SECRET, CASE, ID_NUMBER, DECISION, REASON, PHONE, NAME, SERIAL))
DECISION_FIELDS = ("case", "decision", "reason", "id_number", "phone", "name", "ignore")
DECISION_RECORD = ("source_row", "case", "decision", "reason", "id_number", "phone")


class DecisionRowReader:
    """One row of a decisions file -> a record (DECISION_RECORD), a Reject or None. Pure: it
    runs in the reader's child process (same constructor as the list's RowReader)."""

    def __init__(self, layout: Layout, config: Config, sheet: str, today: date,
                 urgent: bool = False, tally: Tally | None = None) -> None:  # fmt: skip
        self.layout = layout
        self.region = config.region
        self.sheet = sheet
        self.prefix = f"{sheet}!" if sheet else ""
        self.tally = tally if tally is not None else Tally()
        self.width = len(layout.headers)
        self.cols = {f: layout.fields.get(f) for f in ("case", "decision", "reason", "id_number")}
        self.column = (
            layout.label(self.cols["decision"]) if self.cols["decision"] is not None else ""
        )

    def read_many(self, rows: list[list[object]], first: int) -> list[Any]:
        return [self.read(row, first + i) for i, row in enumerate(rows)]

    def read(self, row: list[object], number: int) -> tuple[Any, ...] | Reject | None:
        from callroom.ids import parse_id
        from callroom.phones import read_numbers

        cells = row if len(row) >= self.width else [*row, *([""] * (self.width - len(row)))]
        if not filled(cells):
            return None
        texts = [cell_text(c) for c in cells if c not in (None, "")]
        if len(texts) <= 2 and _FOOTER.match(texts[0]):
            self.tally.not_data += 1
            return None

        def text(fld: str) -> str:
            col = self.cols.get(fld)
            return cell_text(cells[col]) if col is not None else ""

        word = decision_word(text("decision"))
        ref = CASE_REF.match(text("case").upper())
        if word in ("", "pending") and not ref:
            # a header repeated, a note under the table: not a decision
            self.tally.not_data += 1
            return None
        self.tally.rows_read += 1
        if word == "unclear":
            return self._reject(cells, number, "decision_unclear", text("decision"))
        ident = parse_id(text("id_number")) if text("id_number") else None
        phone = ""
        if self.layout.phone >= 0:
            found, _ = read_numbers(cells[self.layout.phone], self.region)
            phone = found[0][0].e164 if found else ""
        if not ref and not (ident and ident.trusted) and not phone:
            return self._reject(cells, number, "no_case", text("case"))
        return (
            f"{self.prefix}{number}", int(ref.group(1)) if ref else 0, word,
            text("reason")[:MAX_REASON], ident.text if ident and ident.trusted else "", phone,
        )  # fmt: skip

    def _reject(self, cells: list[object], number: int, code: str, value: str) -> Reject:
        self.tally.rejected[code] += 1
        shown = tuple(cell_text(c)[:200] for c in cells[:60])
        return Reject(self.sheet, number, self.column, code, "", shown, value[:60])


@dataclass
class DecisionsReport(ImportReport):
    approved: int = 0
    rejected_cases: int = 0  # cases rejected by the reviewers (back in the queue)
    pending: int = 0  # rows still without a decision: nothing done
    already: int = 0  # decided before with the same decision (the same file again)
    changed: int = 0  # a case decided again with another decision
    unknown: int = 0  # no submitted case with that number, ID or phone
    not_submitted: int = 0  # the case exists but was never submitted (or is back in the queue)
    batches: list[str] = field(default_factory=list)


def import_decisions(
    store: Store, paths: Iterable[str | Path], operator: str, mapping: dict[str, str] | None = None,
    sheet: str | None = None, dry_run: bool = False,
) -> list[DecisionsReport]:  # fmt: skip
    """Read the decisions files and apply them in one transaction (all or nothing)."""
    mapping = mapping or {}
    files = [Path(p) for p in paths]
    if not files:
        raise ImportFailed("no_files")
    for header, fld in mapping.items():
        if fld not in DECISION_FIELDS:
            raise ImportFailed("map_field", header=header, field=fld, field_q=repr(fld),
                               known=", ".join(DECISION_FIELDS))  # fmt: skip
    for path in files:
        check_regular(path)
        _sha256(path)  # unreadable files are said before anything is read
    reports: list[DecisionsReport] = []
    records: list[tuple[DecisionsReport, tuple[Any, ...]]] = []
    for path in files:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            report, got = _read_one(store, path, mapping, sheet, spool)
            if report.rejected_total and not dry_run:
                _write_rejects(report, spool, store)
        reports.append(report)
        records += [(report, rec) for rec in got]
        if not got and not report.rejected_total:
            raise ImportFailed("decisions_empty", path=path, rows=report.rows_read)
    try:
        with store.transaction() as conn:
            for report, rec in records:
                _apply(store, conn, report, rec, operator)
            if dry_run:
                raise _DryRun  # the figures are counted; the transaction is rolled back
    except _DryRun:
        pass
    return reports


class _DryRun(Exception):
    """Ends a dry run's transaction (rolled back) once every decision is counted."""


def _find(conn: Any, rec: dict[str, Any]) -> Any:
    if rec["case"]:
        return conn.execute("SELECT * FROM cases WHERE task_id = ?", (rec["case"],)).fetchone()
    for col, value in (("id_number", rec["id_number"]), ("phone", rec["phone"])):
        if not value:
            continue
        row = conn.execute(
            f"SELECT c.* FROM cases c JOIN tasks t ON t.id = c.task_id WHERE t.{col} = ? "
            "ORDER BY (c.status = 'submitted') DESC, c.task_id DESC LIMIT 1",
            (value,),
        ).fetchone()
        if row is not None:
            return row
    return None


def _apply(store: Store, conn: Any, report: DecisionsReport, rec: tuple[Any, ...],
           operator: str) -> None:  # fmt: skip
    r = dict(zip(DECISION_RECORD, rec, strict=True))
    if r["decision"] in ("", "pending"):
        report.pending += 1
        return
    case = _find(conn, r)
    if case is None:
        report.unknown += 1
        return
    status = case["status"]
    if status in (APPROVED, REJECTED) and case["decision"] == r["decision"]:
        report.already += 1
        return
    if status not in (SUBMITTED, APPROVED, REJECTED):
        report.not_submitted += 1
        return
    if status != SUBMITTED:
        report.changed += 1
    if case["appeal_batch"] and case["appeal_batch"] not in report.batches:
        report.batches.append(case["appeal_batch"])
    desk.decide(store, case["task_id"], r["decision"], r["reason"], operator, case["appeal_batch"])
    if r["decision"] == APPROVED:
        report.approved += 1
    else:
        report.rejected_cases += 1


def _read_one(
    store: Store, path: Path, mapping: dict[str, str], sheet: str | None, spool: IO[str]
) -> tuple[DecisionsReport, list[tuple[Any, ...]]]:
    config = store.config
    report = DecisionsReport(file=path, batch_name=path.stem)
    synonyms = Synonyms(config)
    records: list[tuple[Any, ...]] = []
    rejects = csv.writer(spool)
    with open_reader(path, sheet, config, store.now().date(), rows=DecisionRowReader) as reader:
        heads, warnings = reader.heads()
        report.warnings.extend(warnings)
        layouts: list[Layout | None] = []
        problem: Msg | None = None
        for head in heads:
            where = Msg("where_sheet", path=path, sheet=repr(head.name)) if head.name else str(path)
            if not any(filled(r) for r in head.rows) or head.helper:
                layouts.append(None)
                continue
            guess = find_header(head.rows, DECISIONS_LIST, synonyms)
            forced, _ = resolve_mapping(mapping, guess.headers, head.first_col)
            start = guess.row + 1 if guess.rows else 0
            sample = [r for r in head.rows[start:] if filled(r)][:SAMPLE_ROWS]
            layout = plan_sheet(guess, sample, head.first_col, synonyms, forced, DECISIONS_LIST)
            if "decision" not in layout.fields:
                shown = " | ".join(header_line(layout.headers, head.first_col))
                problem = problem or Msg("decisions_no_column", where=where, shown=shown)
                layouts.append(None)
                continue
            layouts.append(layout)
            report.sheets.append(head.name)
        if not any(layouts):
            raise ImportFailed(problem or Msg("decisions_no_column", where=str(path), shown="-"))
        for chunk in reader.read(layouts):
            records.extend(chunk.records)
            for rec in chunk.rejects:
                _spool_reject(rejects, rec, report, layouts[chunk.sheet])
            _count(report, chunk.tally)
    return report, records


def counts(conn: Any) -> Counter[str]:
    """Cases by status (for `callroom appeals`)."""
    return Counter(
        dict(conn.execute("SELECT status, count(*) FROM cases GROUP BY status").fetchall())
    )


__all__ = ["DecisionsReport", "Exported", "case_ref", "export", "import_decisions"]
