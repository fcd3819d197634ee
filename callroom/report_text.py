"""The report as text: the terminal table, the group-chat message and the CSV rows. No Textual.

Everything here renders a `reports.Report`; the lead pane uses the same labels and number
formats (pct, share, span, due), so the pane and `callroom report` agree figure for figure.
Widths are measured in terminal cells (a CJK character is two); numbers are never cut: names
fold onto more lines instead, and a narrow terminal gets a narrower layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len

from callroom.config import Config
from callroom.export import outcome_words
from callroom.i18n import t
from callroom.reports import LISTS, BatchProgress, Report, chart_slots

CHAT_WIDTH = 40
GAP = "  "
# the open states a lead acts on, with their short labels (lead.short.*), then field visits
STATE_COLUMNS = ("pending", "retry", "callback", "field_visit")

Line = tuple[str, str]  # (text, style): style "" or "bold"


# ---------------------------------------------------------------------------------------------
# shared formats (the lead pane uses these too)


def pct(x: float) -> str:
    """A rate: 25.3%."""
    return f"{x * 100:.1f}%"


def share(x: float) -> str:
    """A share of a list: 34%."""
    return f"{x * 100:.0f}%"


def span(minutes: int, lang: str) -> str:
    """35分 / 6h05 / 2天3h: short enough for a table cell, every digit kept."""
    minutes = abs(int(minutes))
    if minutes < 60:
        return t("lead.minutes", lang, n=minutes)
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{mins:02d}"
    return t("lead.days", lang, d=hours // 24, h=hours % 24)


def due(minutes_left: int | None, lang: str) -> str:
    if minutes_left is None:
        return "-"
    if minutes_left >= 0:
        return t("rep.due_left", lang, t=span(minutes_left, lang))
    return t("rep.due_over", lang, t=span(-minutes_left, lang))


def talk_time(seconds: int) -> str:
    """M:SS under an hour (17 s is 0:17, not 0:00), H:MM:SS from an hour."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    if hours:
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{rest // 60}:{rest % 60:02d}"


def deadline_cell(rep: Report, b: BatchProgress, lang: str) -> str:
    """Time left (or overdue) today; a past day's report shows the deadline itself."""
    if rep.is_today or not b.deadline:
        return due(b.minutes_left, lang)
    return b.deadline[5:16] if b.deadline[:10] != rep.day else b.deadline[11:16]


def saved_label(rep: Report, lang: str) -> str:
    """The calls the matching saved on the report's day: 今日 today, the date on a past day."""
    if rep.is_today:
        return t("rep.saved_today", lang, n=rep.saved_today)
    return t("rep.saved_on", lang, day=rep.day[5:], n=rep.saved_today)


def ended_rows(rep: Report, config: Config) -> list[tuple[str, str, int, int]]:
    """(code, label, tasks done that way, calls on the day) for every outcome and done state;
    the tasks add up to rep.done, the calls to rep.calls."""
    lang = config.lang
    codes = [o.code for o in config.outcomes]
    extra = [c for c in (*rep.ended, *rep.calls_by_outcome) if c not in codes]
    # the done states that are not an outcome of a call go last, as the report reads
    tail = ("field_visit_done", "field_visit", "duplicate")
    order = [*codes, *dict.fromkeys(c for c in extra if c not in tail), *tail]
    rows = []
    for code in order:
        n, calls = rep.ended.get(code, 0), rep.calls_by_outcome.get(code, 0)
        if code in tail and not (n or calls):
            continue
        rows.append((code, outcome_words(config, code, lang), n, calls))
    return rows


def list_label(which: str, lang: str) -> str:
    return t(f"rep.list.{which}", lang)


def status_label(status: str, lang: str) -> str:
    return t(f"lead.status.{status}", lang) if status else "-"


def wait_text(rep: Report, lang: str) -> str:
    w = rep.urgent_wait
    if not w:
        return ""
    return t(
        "rep.wait", lang, m=round(w["median"]), p=round(w["p90"]), x=round(w["max"]),
        n=int(w["count"]),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# cells


def cells(text: str) -> int:
    return cell_len(text)


def fold(text: str, width: int) -> list[str]:
    """Split ``text`` into pieces of at most ``width`` cells (a CJK character is never split)."""
    width = max(2, width)
    out, piece = [], ""
    for ch in text:
        if cell_len(piece + ch) > width:
            out.append(piece)
            piece = ""
        piece += ch
    out.append(piece)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Break at spaces where there are any (English), else anywhere (Chinese, long names)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = fold(word, width)
        lines.extend(pieces[:-1])
        line = pieces[-1]
    lines.append(line)
    return lines


def pad(text: str, width: int, right: bool = False) -> str:
    room = " " * max(0, width - cell_len(text))
    return room + text if right else text + room


def flow(items: Iterable[str], width: int, indent: str = "") -> list[str]:
    """Items side by side, two spaces apart, on as many lines as ``width`` needs; an item too
    long for a line of its own is wrapped."""
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line}{GAP}{item}" if line else indent + item
        if line and cell_len(candidate) > width:
            lines.append(line)
            candidate = indent + item
        if cell_len(candidate) > width:
            pieces = wrap(candidate, width)
            lines.extend(pieces[:-1])
            candidate = pieces[-1]
        line = candidate
    if line:
        lines.append(line)
    return lines


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    below: Sequence[Sequence[str]] | None = None,
) -> list[str]:
    """A table: the first column left-aligned and folded to fit ``width``, the others (numbers)
    right-aligned and never cut; ``below[i]`` are extra lines printed under row i."""
    ncols = len(header)
    widths = [max(cell_len(str(r[c])) for r in (header, *rows)) for c in range(ncols)]
    gap = GAP
    others = sum(widths[1:]) + len(gap) * (ncols - 1)
    tight = sum(widths[1:]) + ncols - 1
    if min(widths[0], 6) + tight <= width < min(widths[0], 6) + others:
        gap, others = " ", tight  # narrow: one space between columns keeps the table whole
    first = min(widths[0], max(6, width - others))
    lines = []
    for i, row in enumerate((header, *rows)):
        parts = wrap(str(row[0]), first)
        rest = gap.join(pad(str(v), widths[c], right=True) for c, v in enumerate(row) if c)
        lines.append((pad(parts[0], first) + gap + rest).rstrip())
        lines.extend(p.rstrip() for p in parts[1:])
        if below is not None and i:
            lines.extend(below[i - 1])
    return lines


# ---------------------------------------------------------------------------------------------
# the terminal table


def table_lines(
    rep: Report, config: Config, width: int = 80, batch: str | None = None
) -> list[Line]:
    """The whole report for a terminal of ``width`` columns (every line fits, no number cut)."""
    lang = config.lang
    width = max(40, width)
    out: list[Line] = []

    def title(text: str) -> None:
        if out:
            out.append(("", ""))
        out.append((text, "bold"))

    def add(lines: Iterable[str]) -> None:
        out.extend((line, "") for line in lines)

    title(t("rep.title", lang, at=rep.at[:16]))
    scope = t("rep.scope_batch", lang, name=batch) if batch else t("rep.scope", lang, day=rep.day)
    add(wrap(scope, width))
    if not rep.is_today:
        add(wrap(t("rep.past_day", lang, day=rep.day), width))
    if not rep.batches:
        add(wrap(t("rep.empty", lang), width))
        return out
    out.append(("", ""))
    add(_lists_table(rep, lang, width))

    title(t("rep.ended.title", lang, done=rep.done))
    rows = [(label, str(n), str(calls)) for _, label, n, calls in ended_rows(rep, config)]
    rows.append((t("cli.total", lang), str(rep.done), str(rep.calls)))
    header = ("", t("rep.col.ended", lang), t("rep.col.calls_on", lang, day=rep.day[5:]))
    add(grid(header, rows, width))

    title(t("rep.rates.title", lang))
    add(flow(rate_items(rep, lang), width))

    title(t("rep.callers.title", lang))
    if rep.callers:
        add(grid(*caller_table(rep, lang), width))
    else:
        add([t("rep.callers.none" if rep.is_today else "rep.callers.none_on", lang, day=rep.day)])
    out.append(("", ""))
    add(chart_lines(rep, lang, width))
    add(flow(list_items(rep, lang), width))
    if wait := wait_text(rep, lang):
        add(wrap(wait, width))
    if rep.inbound.cases:
        title(t("rep.in.title", lang))
        add(inbound_lines(rep, config, width))
    return out


# ---------------------------------------------------------------------------------------------
# the inbound desk (the same lines in the report and in the lead pane's tab)


def _wait_item(key: str, w: dict[str, float], lang: str, which: str = "") -> str:
    return t(
        key, lang, which=t(f"rep.in.{which}", lang) if which else "", m=round(w["median"]),
        p=round(w["p90"]), x=round(w["max"]), n=int(w["count"]),
    )  # fmt: skip


def inbound_items(rep: Report, lang: str) -> list[str]:
    """The inbound desk's figures as short items: what waits, the waits, what is solved."""
    f = rep.inbound
    oldest = span(f.oldest_minutes, lang) if f.oldest_minutes is not None else "-"
    items = [
        t("rep.in.waiting", lang, n=f.waiting, oldest=oldest),
        t("rep.in.ready", lang, n=f.ready),
        t("rep.in.pending", lang, n=f.pending_decisions),
        t("rep.in.solved", lang, n=f.solved, rate=f"{f.solved_per_hour:.1f}"),
    ]
    for key, waits in (
        ("rep.in.to_intake", f.to_intake),
        ("rep.in.to_submission", f.to_submission),
    ):
        for which in ("urgent", "all"):
            if waits.get(which):
                items.append(_wait_item(key, waits[which], lang, which))
    if f.to_decision:
        items.append(_wait_item("rep.in.to_decision", f.to_decision, lang))
    return items


INBOUND_COLUMNS = (
    "group",
    "cases",
    "waiting",
    "oldest",
    "ready",
    "pending",
    "approved",
    "rejected",
)


def inbound_table(rep: Report, config: Config) -> tuple[list[str], list[list[str]]]:
    """One row a group: its cases, how many wait and the oldest wait, where the rest stand."""
    lang = config.lang
    header = [t(f"rep.in.col.{c}", lang) for c in INBOUND_COLUMNS]
    rows = []
    for g in rep.inbound.groups:
        group = config.group(g.group)
        oldest = span(g.oldest_minutes, lang) if g.oldest_minutes is not None else "-"
        rows.append(
            [group.label(lang) if group else g.group, str(g.cases), str(g.waiting), oldest,
             str(g.ready), str(g.pending), str(g.approved), str(g.rejected)]
        )  # fmt: skip
    return header, rows


def inbound_lines(rep: Report, config: Config, width: int) -> list[str]:
    return [
        *flow(inbound_items(rep, config.lang), width),
        *grid(*inbound_table(rep, config), width),
    ]


def _lists_table(rep: Report, lang: str, width: int) -> list[str]:
    header = [
        t("rep.col.list", lang), t("rep.col.done", lang), "%", t("rep.col.verified", lang),
        t("rep.col.match", lang), t("rep.col.due", lang),
    ]  # fmt: skip
    figures = len(header)
    states = [t(f"lead.short.{s}", lang) for s in STATE_COLUMNS]
    rows = [
        [
            b.name, f"{b.done}/{b.total}", share(b.share), share(b.verified_share),
            share(b.match_rate), deadline_cell(rep, b, lang),
            *(str(b.by_state.get(s, 0)) for s in STATE_COLUMNS),
        ]
        for b in rep.batches
    ]  # fmt: skip
    if len(rep.batches) > 1:
        total_share = rep.done / rep.total if rep.total else 0.0
        verified_share = rep.verified / rep.total if rep.total else 0.0
        totals = [rep.by_state.get(s, 0) for s in STATE_COLUMNS]  # each person once
        rows.append([
            t("cli.total", lang), f"{rep.done}/{rep.total}", share(total_share),
            share(verified_share), share(rep.rates.match_rate), "", *(str(n) for n in totals),
        ])  # fmt: skip
    # wide enough for the open-task counts beside the figures, with room for list names
    ncols = figures + len(states)
    widths = [max(cell_len(r[c]) for r in (header + states, *rows)) for c in range(1, ncols)]
    if width - sum(widths) - len(GAP) * (ncols - 1) >= 12:
        return grid([*header, *states], rows, width)
    # narrow: the counts go on a line of their own under each list
    below = [
        flow([f"{s} {n}" for s, n in zip(states, r[figures:], strict=True)], width, indent="  ")
        for r in rows
    ]
    return grid(header, [r[:figures] for r in rows], width, below)


def rate_items(rep: Report, lang: str) -> list[str]:
    r = rep.rates
    match = t(
        "rep.rate.match_items", lang, rate=pct(r.match_rate), n=r.matched, total=rep.total,
        data=rep.matched_data, call=rep.matched_call,
    )  # fmt: skip
    return [
        match,
        saved_label(rep, lang),
        f"{t('rep.rate.verified', lang)} {pct(r.verified_rate)} ({r.verified}/{rep.total})",
        f"{t('rep.rate.response', lang)} {pct(r.response)}",
        f"{t('rep.rate.cooperation', lang)} {pct(r.cooperation)}",
        f"{t('rep.rate.refusal', lang)} {pct(r.refusal_rate)}",
        f"{t('rep.rate.contact', lang)} {pct(r.contact)}",
    ]


def caller_table(rep: Report, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t(f"lead.col.{c}", lang) for c in ("caller", "calls", "completes", "per_hour")]
    header += [t("lead.col.status", lang), t("lead.col.for", lang), t("lead.col.talk_time", lang)]
    rows = [
        [
            c.operator, str(c.calls), str(c.completes), f"{c.calls_per_hour:.1f}",
            status_label(c.status, lang),
            span(c.minutes_in_status, lang) if c.minutes_in_status is not None else "-",
            talk_time(c.talk_seconds),
        ]
        for c in rep.callers
    ]  # fmt: skip
    return header, rows


def _clock(slot: int) -> str:
    return f"{slot // 2:02d}:{slot % 2 * 30:02d}"


def chart_line(rep: Report, lang: str, width: int = 80) -> str:
    """One line for the lead pane: the latest half hours that fit, each with its count
    (每30分钟通话  13:00 12 | 13:30 41 | 14:00 5)."""
    label = t("lead.spark", lang)
    first, shown = chart_slots(rep)
    if not shown:
        if rep.is_today:
            return t("rep.chart_none", lang, label=label)
        return t("rep.chart_none_on", lang, label=label, day=rep.day[5:])
    items = [f"{_clock(first + i)} {n}" for i, n in enumerate(shown)]
    while len(items) > 1 and cell_len(f"{label}  " + " | ".join(items)) > width:
        items.pop(0)  # a narrow terminal: the latest half hours
    return f"{label}  " + " | ".join(items)


CHART_ROWS = 4  # the report's bar chart: rows of '#', the top row for the busiest half hour


def chart_lines(rep: Report, lang: str, width: int = 80) -> list[str]:
    """The report's chart: one column a half hour, bars of '#' (ASCII: some SSH clients draw
    block characters two cells wide), the count under each bar, the hours under the counts."""
    first, shown = chart_slots(rep)
    if not shown:
        return wrap(chart_line(rep, lang, width), width)
    top = max(shown)
    step = max(3, len(str(top)) + 1)  # cells a half hour: its count and a space
    axis = len(str(top)) + 2  # "41 |"
    room = max(1, (width - axis) // step)
    if len(shown) > room:  # the latest half hours that fit
        first += len(shown) - room
        shown = shown[-room:]
    lines = wrap(t("rep.chart_title", lang, label=t("lead.spark", lang), n=top), width)
    for row in range(CHART_ROWS, 0, -1):
        bars = "".join(
            ("#" * (step - 1) if v and -(-v * CHART_ROWS // top) >= row else " " * (step - 1)) + " "
            for v in shown
        )
        edge = f"{top:>{axis - 2}} |" if row == CHART_ROWS else " " * (axis - 2) + " |"
        lines.append((edge + bars).rstrip())
    lines.append(" " * (axis - 2) + " +" + "-" * (step * len(shown)))
    lines.append(" " * axis + "".join(f"{v:<{step}}" for v in shown).rstrip())
    hours = [" "] * (step * len(shown) + 5)
    for i in range(len(shown)):
        slot = first + i
        if slot % 2 == 0 or i == 0:  # each hour, and where the chart begins
            text = _clock(slot)
            at = i * step
            fits = axis + at + len(text) <= width  # the last hour may not fit: left out
            if fits and all(c == " " for c in hours[max(0, at - 1) : at + len(text)]):
                hours[at : at + len(text)] = text
    lines.append((" " * axis + "".join(hours)).rstrip())
    return lines


def list_items(rep: Report, lang: str) -> list[str]:
    return [f"{list_label(w, lang)} {rep.counts[w]}" for w in LISTS]


# ---------------------------------------------------------------------------------------------
# the group-chat message


def chat_text(rep: Report, config: Config) -> str:
    """The half-hourly message for the group chat: <= 40 columns a line, reads on a phone."""
    lang = config.lang
    w = CHAT_WIDTH
    lines = wrap(t("rep.chat.title", lang, at=rep.at[5:16]), w)
    if not rep.batches:
        return "\n".join([*lines, *wrap(t("rep.empty", lang), w)]) + "\n"
    for b in rep.batches:
        lines.extend(wrap(b.name, w))
        items = [
            t("rep.chat.done", lang, done=b.done, total=b.total, share=share(b.share)),
            t("rep.chat.match", lang, n=b.matched, share=share(b.match_rate)),
            t("rep.chat.verified", lang, n=b.verified, share=share(b.verified_share)),
        ]
        if b.minutes_left is not None and b.done < b.total:
            items.append(due(b.minutes_left, lang))
        lines.extend(flow(items, w, indent=" "))
    if len(rep.batches) > 1:
        total_share = rep.done / rep.total if rep.total else 0.0
        verified_share = rep.verified / rep.total if rep.total else 0.0
        lines.append(t("rep.chat.total", lang))
        items = [
            t("rep.chat.done", lang, done=rep.done, total=rep.total, share=share(total_share)),
            t("rep.chat.match", lang, n=rep.matched, share=share(rep.rates.match_rate)),
            t("rep.chat.verified", lang, n=rep.verified, share=share(verified_share)),
        ]
        lines.extend(flow(items, w, indent=" "))
    if rep.matched:
        source = t("rep.chat.source", lang, data=rep.matched_data, call=rep.matched_call)
        lines.extend(flow([source, saved_label(rep, lang)], w))
    items = [
        f"{list_label(which, lang)} {rep.counts[which]}"
        for which in ("overdue", "urgent", "field_visits")
    ]
    lines.extend(flow(items, w))
    if rep.inbound.cases:
        lines.append(t("rep.in.title", lang))
        lines.extend(flow(inbound_items(rep, lang), w, indent=" "))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# csv


def csv_rows(rep: Report, config: Config) -> tuple[list[str], list[list[Any]]]:
    """Section, item, count, of, share (%): one figure a row, numbers as numbers."""
    lang = config.lang
    header = [t(f"rep.csv.{k}", lang) for k in ("section", "item", "count", "of", "share")]

    def pc(n: int, of: int) -> float:
        return round(n / of * 100, 1) if of else 0.0

    rows: list[list[Any]] = []
    for b in rep.batches:
        rows.append([t("rep.csv.lists", lang), b.name, b.done, b.total, pc(b.done, b.total)])
    for b in rep.batches:
        rows.append(
            [
                t("rep.csv.lists_verified", lang),
                b.name,
                b.verified,
                b.total,
                pc(b.verified, b.total),
            ]
        )
    rows.append([t("rep.csv.lists", lang), t("cli.total", lang), rep.done, rep.total,
                 pc(rep.done, rep.total)])  # fmt: skip
    for b in rep.batches:
        rows.append([t("rep.csv.lists_match", lang), b.name, b.matched, b.total,
                     pc(b.matched, b.total)])  # fmt: skip
    rows.append([t("rep.csv.lists_match", lang), t("cli.total", lang), rep.matched, rep.total,
                 pc(rep.matched, rep.total)])  # fmt: skip
    for key, n in (("data", rep.matched_data), ("call", rep.matched_call)):
        rows.append([t("rep.csv.match_source", lang), t(f"rep.match.{key}", lang), n,
                     rep.matched, pc(n, rep.matched)])  # fmt: skip
    saved = "rep.csv.saved_today" if rep.is_today else "rep.csv.saved_on"
    rows.append([t("rep.csv.match_source", lang), t(saved, lang, day=rep.day),
                 rep.saved_today, "", ""])  # fmt: skip
    for _, label, n, calls in ended_rows(rep, config):
        rows.append([t("rep.csv.ended", lang), label, n, rep.done, pc(n, rep.done)])
        rows.append([t("rep.csv.calls", lang), label, calls, rep.calls, pc(calls, rep.calls)])
    r = rep.rates
    for key, value in (
        ("match", r.match_rate), ("verified", r.verified_rate), ("response", r.response),
        ("cooperation", r.cooperation),
        ("refusal", r.refusal_rate), ("contact", r.contact),
    ):  # fmt: skip
        rows.append([t("rep.csv.rates", lang), t(f"rep.rate.{key}", lang), "", "",
                     round(value * 100, 1)])  # fmt: skip
    for c in rep.callers:
        rows.append([t("rep.csv.callers", lang), c.operator, c.calls, rep.calls,
                     pc(c.calls, rep.calls)])  # fmt: skip
    for which in LISTS:
        rows.append([t("rep.csv.lists_open", lang), list_label(which, lang), rep.counts[which],
                     "", ""])  # fmt: skip
    rows += _inbound_csv(rep, config)
    return header, rows


def _inbound_csv(rep: Report, config: Config) -> list[list[Any]]:
    lang = config.lang
    f = rep.inbound
    if not f.cases:
        return []
    rows: list[list[Any]] = []
    waiting = t("rep.in.csv.waiting", lang)
    for g in f.groups:
        group = config.group(g.group)
        rows.append([waiting, group.label(lang) if group else g.group, g.waiting, g.cases, ""])
    rows.append([waiting, t("cli.total", lang), f.waiting, f.cases, ""])
    rows.append([waiting, t("rep.in.col.oldest", lang), f.oldest_minutes or 0, "", ""])
    status = t("rep.in.csv.status", lang)
    for key, n in (("ready", f.ready), ("pending", f.pending_decisions), ("solved", f.solved)):
        rows.append([status, t(f"rep.in.col.{key}", lang), n, f.cases, ""])
    rows.append([status, t("rep.in.col.per_hour", lang), f.solved_per_hour, "", ""])
    waits = t("rep.in.csv.waits", lang)
    series = [("rep.in.to_intake", w, which) for which, w in f.to_intake.items()]
    series += [("rep.in.to_submission", w, which) for which, w in f.to_submission.items()]
    series += [("rep.in.to_decision", f.to_decision, "")]
    for key, w, which in series:
        if not w:
            continue
        name = t(f"{key}.csv", lang, which=t(f"rep.in.{which}", lang) if which else "")
        for stat in ("median", "p90", "max"):
            rows.append([waits, f"{name} {t(f'rep.in.csv.{stat}', lang)}", w[stat],
                         int(w["count"]), ""])  # fmt: skip
    return rows
