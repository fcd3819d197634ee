"""`callroom report --by office`: the street coordinator's half-hourly table, offices ranked.

Each office's row is its own report (``reports.build`` scoped to that office), so its figures
are exactly the ones that office's lead sees in the pane. Ranked by the share of tasks done,
then by match rate. No Textual here; no personal data (figures only).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

from callroom.i18n import t
from callroom.reports import build
from callroom.store import Store


@dataclass(frozen=True)
class OfficeRow:
    office: str  # '' : lists imported without an office
    lists: int
    total: int
    done: int
    done_rate: float
    matched: int
    match_rate: float
    calls: int  # calls on the day on the office's lists
    callers: int  # who called on the day


def rank(store: Store, day: date | None = None) -> list[OfficeRow]:
    rows = []
    for office in store.offices():
        rep = build(store, day, list_limit=0, office=office)
        if not rep.batches:
            continue
        rows.append(
            OfficeRow(
                office=office,
                lists=len(rep.batches),
                total=rep.total,
                done=rep.done,
                done_rate=round(rep.done / rep.total, 4) if rep.total else 0.0,
                matched=rep.matched,
                match_rate=rep.rates.match_rate,
                calls=rep.calls,
                callers=sum(1 for c in rep.callers if c.calls),
            )
        )
    rows.sort(key=lambda r: (-r.done_rate, -r.match_rate, -r.done, r.office))
    return rows


def _name(row: OfficeRow, lang: str) -> str:
    return row.office or t("office.none", lang)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def table_lines(rows: list[OfficeRow], lang: str, at: str) -> list[str]:
    head = [t(f"office.col.{c}", lang) for c in ("rank", "office", "done", "match", "calls")]
    lines = [t("office.title", lang, at=at), ""]
    body = [
        [
            str(i),
            _name(r, lang),
            f"{r.done}/{r.total} {_pct(r.done_rate)}",
            f"{r.matched} {_pct(r.match_rate)}",
            f"{r.calls} ({r.callers})",
        ]
        for i, r in enumerate(rows, 1)
    ]
    from rich.cells import cell_len

    widths = [max(cell_len(x) for x in col) for col in zip(head, *body, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True))

    lines.append(line(head).rstrip())
    lines.append("-" * min(78, sum(widths) + 2 * (len(widths) - 1)))
    lines.extend(line(b).rstrip() for b in body)
    if not rows:
        lines.append(t("office.empty", lang))
    return lines


def chat_text(rows: list[OfficeRow], lang: str, at: str) -> str:
    out = [t("office.title", lang, at=at)]
    for i, r in enumerate(rows, 1):
        out.append(
            t(
                "office.chat_line",
                lang,
                n=i,
                office=_name(r, lang),
                done=r.done,
                total=r.total,
                rate=_pct(r.done_rate),
                match=_pct(r.match_rate),
                calls=r.calls,
            )
        )
    if not rows:
        out.append(t("office.empty", lang))
    return "\n".join(out) + "\n"


def csv_rows(rows: list[OfficeRow], lang: str) -> tuple[list[str], list[list[object]]]:
    head = [t(f"office.csv.{k}", lang) for k in (
        "rank", "office", "lists", "total", "done", "done_rate", "matched", "match_rate",
        "calls", "callers")]  # fmt: skip
    body: list[list[object]] = [
        [
            i,
            _name(r, lang),
            r.lists,
            r.total,
            r.done,
            r.done_rate,
            r.matched,
            r.match_rate,
            r.calls,
            r.callers,
        ]
        for i, r in enumerate(rows, 1)
    ]
    return head, body


def to_json(rows: list[OfficeRow], at: str) -> str:
    data = {"at": at, "offices": [{"rank": i, **asdict(r)} for i, r in enumerate(rows, 1)]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
