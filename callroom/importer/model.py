"""What an import is asked to do and what it reports back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


class Msg(str):
    """A message of the importer: English as a str (logs, tests), and in the UI's language
    through text(lang) from callroom.i18n (keys "imp_msg.<key>")."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, **params: object) -> Msg:
        made = super().__new__(cls, _render(key, "en", params))
        made.key, made.params = key, params
        return made

    def text(self, lang: str) -> str:
        return _render(self.key, lang, self.params)

    def __reduce__(self) -> tuple[object, ...]:  # crosses from the reader process intact
        return (_msg, (self.key, self.params))


def _msg(key: str, params: dict[str, object]) -> Msg:
    return Msg(key, **params)


def _render(key: str, lang: str, params: dict[str, object]) -> str:
    from callroom.i18n import t

    return t(f"imp_msg.{key}", lang, **{k: _said(v, lang) for k, v in params.items()})


def _said(value: object, lang: str) -> object:
    if isinstance(value, Msg) or callable(getattr(value, "text", None)):  # a StoreError too
        return value.text(lang)  # type: ignore[attr-defined]
    if isinstance(value, list):
        return "\n  ".join(str(_said(v, lang)) for v in value)
    return value


def said(text: str, lang: str) -> str:
    """A message or warning of the importer in the UI's language (plain text as it is)."""
    return text.text(lang) if isinstance(text, Msg) else text


class ImportFailed(Exception):
    """A list that cannot be imported; the message names the file (and sheet, row, column) and
    says what to do. str() is English; text(lang) is in the UI's language."""

    def __init__(self, key: str | Msg, **params: object) -> None:
        self.msg = key if isinstance(key, Msg) else Msg(key, **params)
        super().__init__(str(self.msg))

    def text(self, lang: str) -> str:
        return self.msg.text(lang)

    def __reduce__(self) -> tuple[object, ...]:
        return (ImportFailed, (self.msg,))


@dataclass(frozen=True)
class ImportOptions:
    batch_name: str | None = None  # default: the file name without its extension
    script: str | None = None  # call script for the batch; default from config
    deadline: datetime | None = None
    priority: str | None = None  # "urgent": every task of the list jumps the queue
    mapping: dict[str, str] = field(default_factory=dict)  # header text or letter -> field
    sheet: str | None = None  # read only this sheet
    dry_run: bool = False
    again: bool = False  # import a file even if the same content was imported before


@dataclass(frozen=True)
class Reject:
    sheet: str
    row: int  # as Excel numbers it (1-based), or the record number of a CSV
    column: str  # "C 联系电话": the column letter as Excel shows it, and its header
    code: str  # reason group: invalid, no_phone, excel_error, ... (i18n "reject.<code>")
    reason: str  # the detail, e.g. "invalid phone number: '1381234567'"
    cells: tuple[str, ...]
    value: str = ""  # the phone cell as written

    def text(self, lang: str) -> str:
        return reject_reason(self.code, self.reason, self.value, lang)


def reject_reason(code: str, reason: str, value: str, lang: str) -> str:
    """Why a row was rejected, for the summary and the rejects file. English has the detail
    (it names the value); other languages the reason's name and the cell as written."""
    from callroom.i18n import t

    label = t(f"reject.{code}", lang)
    if lang == "en":
        return f"{label}: {reason}" if reason else label
    return f"{label}：{value}" if value else label


@dataclass
class ImportReport:
    """One file's outcome; counts are what a lead checks against the district's own count."""

    file: Path
    batch_name: str
    batch_id: int | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: dict[str, int] = field(default_factory=dict)  # sheet -> header row number
    columns: dict[str, str] = field(default_factory=dict)  # field -> header text it came from
    extra_columns: list[str] = field(default_factory=list)
    rows_read: int = 0  # data rows below the header, blank rows excluded
    not_data: int = 0  # repeated headers, template/example rows, instructions: skipped
    tasks_created: int = 0  # new cards to call
    merged: int = 0  # rows folded into an earlier row of the same list (same phone)
    linked: int = 0  # same phone already open in an earlier list: linked, not called twice
    auto_resolved: int = 0  # verified within the dedup window: "duplicate of #N", not called
    matched_by_results: int = 0  # tested since arriving (callroom/results): closed, not called
    rejected: Counter[str] = field(default_factory=Counter)  # reason code -> rows
    rejects: list[Reject] = field(default_factory=list)  # the first ones, for the summary
    rejects_header: list[str] = field(default_factory=list)
    damaged_ids: int = 0  # 18-digit IDs that lost digits in Excel: re-collect
    suspect_ids: int = 0  # wrong check digit, impossible birth date, unknown format
    alternates: int = 0  # further numbers of the person kept on cards
    other_phones: int = 0  # someone else's numbers (a relative, the contact) kept as labelled
    fallbacks: int = 0  # main number empty: the person's other number used, flagged
    guardians: int = 0  # children's cards called on a guardian's number (flagged)
    guardians: int = 0  # children's cards called on a guardian's number (flagged)
    other_documents: int = 0  # passports, permits under an ID-type column: kept as written
    secret_columns: list[str] = field(default_factory=list)  # dropped unread: 密码, 银行卡号...
    skipped_sheets: list[str] = field(default_factory=list)  # helper sheets: 填写说明, 字典
    ambiguous_phones: int = 0  # bare 8-digit numbers, read as Shenzhen landlines
    flagged: Counter[str] = field(default_factory=Counter)  # flag -> tasks
    unread_dates: int = 0  # arrival cells kept as written because no date could be read
    cut_cells: int = 0  # cells longer than the limit, cut
    warnings: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    dry_run: bool = False
    layouts_saved: list[int] = field(default_factory=list)  # remembered for the next list
    layouts_used: list[int] = field(default_factory=list)  # remembered layouts applied
    roster_matched: int = 0  # tasks that took a roster entry's flags and compound

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def counts(self) -> dict[str, object]:
        """Stored with the batch (no personal data)."""
        return {
            "rows_read": self.rows_read,
            "not_data": self.not_data,
            "tasks_created": self.tasks_created,
            "merged": self.merged,
            "linked": self.linked,
            "auto_resolved": self.auto_resolved,
            "rejected": dict(self.rejected),
            "damaged_ids": self.damaged_ids,
            "suspect_ids": self.suspect_ids,
            "other_phones": self.other_phones,
            "fallbacks": self.fallbacks,
            "guardians": self.guardians,
            "secret_columns": len(self.secret_columns),
            "flagged": dict(self.flagged),
            "roster_matched": self.roster_matched,
            "sheets": self.sheets,
        }


@dataclass(frozen=True)
class Question:
    """The column of the resident's number is not sure: what a person is shown to decide.

    ``candidates`` come best guess first; ``headers`` are every header cell with its letter."""

    file: Path
    sheet: str
    reason: str  # others_only | by_content | weak | close
    candidates: tuple[object, ...]  # header.Candidate
    headers: tuple[str, ...]
    header_row: int
    first_col: int = 0  # column index of the sheet's first column (0 = A)

    def where(self) -> str:
        return f"{self.file}, sheet {self.sheet!r}" if self.sheet else str(self.file)
