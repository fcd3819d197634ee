"""The pieces of a caller card: header badges, the phone, why we call, history, outcome keys,
status bar. Each is a Static with a ``show(...)`` that rebuilds its content from plain data; the
call screen decides what to show. List data is never parsed as markup (Content.assemble)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from callroom.config import Config, Outcome
from callroom.i18n import state_label, t
from callroom.phones import display
from callroom.privacy import mask_id, mask_name
from callroom.schedule import CALLBACK, CLOSED_STATES, RETRY
from callroom.store import FLAGS, Attempt, Task, parse_time
from callroom.widgets import fmt

Part = str | tuple[str, str]


def _label_width(labels: Iterable[str]) -> int:
    return max((cell_len(x) for x in labels), default=0)


def _pad(label: str, width: int) -> str:
    return label + " " * (width - cell_len(label))


def outcome_label(config: Config, code: str, lang: str) -> str:
    try:
        return config.outcome(code).label(lang)
    except KeyError:
        return code


class CardHeader(Horizontal):
    """Priority badges, attempt number, deadline countdown, state; the list name on the right."""

    def compose(self) -> ComposeResult:
        yield Static(id="header-left")
        yield Static(id="header-right")

    def show(
        self, task: Task, now: datetime, lang: str, config: Config, inbound: bool = False
    ) -> None:
        parts: list[Part] = []
        for flag in FLAGS:
            if flag in task.flags:
                style = "bold $text on $error" if flag == "urgent" else "bold $text on $warning 60%"
                parts += [(f" {t(f'flag.{flag}', lang)} ", style), " "]
        if inbound:
            parts += [(f" {t('call.inbound', lang)} ", "bold $text on $accent"), " "]
        parts.append((t("call.attempt", lang, n=task.attempts + 1), "bold"))
        if task.state in CLOSED_STATES:
            outcome = outcome_label(config, task.final_outcome, lang) if task.final_outcome else ""
            label = t("call.closed", lang, state=state_label(task.state, lang), outcome=outcome)
            parts += ["  ", (label.strip(), "bold $warning")]
        elif task.state == CALLBACK and (at := parse_time(task.next_at)):
            parts += ["  ", (t("call.callback_at", lang, when=fmt.when(at, now, lang)), "$accent")]
        elif task.state == RETRY:
            parts += ["  ", (t("call.retry_n", lang), "$text-muted")]
        if deadline := parse_time(task.deadline):
            left = deadline - now
            if left.total_seconds() < 0:
                text, style = t("call.overdue", lang, left=fmt.duration(left, lang)), "bold $error"
            else:
                style = "bold $warning" if left.total_seconds() < 3 * 3600 else ""
                text = t("call.due_in", lang, left=fmt.duration(left, lang))
            parts += ["  ", (text, style)]
        self.query_one("#header-left", Static).update(Content.assemble(*parts))
        self.query_one("#header-right", Static).update(Content(task.batch_name))


class PhonePane(Vertical):
    """The number to dial, big and grouped; alternates; masked name and ID; calls this month."""

    def compose(self) -> ComposeResult:
        yield Static(id="phone-number")
        yield Static(id="phone-info")

    def show(self, task: Task, lang: str, revealed: bool, month_calls: int) -> None:
        number = display(task.phone).replace(" ", "  ")
        self.query_one("#phone-number", Static).update(Content(number))
        lines: list[Content] = []
        extra: list[Part] = []
        if task.phone_ext:
            extra.append((t("call.ext", lang, ext=task.phone_ext), "bold"))
        if task.alt_phones:
            if extra:
                extra.append("  ")
            extra += [(t("call.alt", lang) + " ", "$text-muted"),
                      ", ".join(display(p) for p in task.alt_phones)]  # fmt: skip
        if extra:
            lines.append(Content.assemble(*extra))
        if task.phone_flag:
            key = f"phone_flag.{task.phone_flag}"
            lines.append(Content.assemble((t(key, lang), "$warning")))
        labels = (t("call.name", lang), t("call.id", lang))
        width = _label_width(labels) + 1
        name = task.name if revealed else mask_name(task.name)
        id_number = task.id_number if revealed else mask_id(task.id_number)
        hint = t("call.revealed" if revealed else "call.masked", lang)
        lines.append(
            Content.assemble(
                (_pad(labels[0], width), "$text-muted"), name or "-", " ", (hint, "$text-muted")
            )
        )
        if id_number or task.id_flag:
            idline: list[Part] = [(_pad(labels[1], width), "$text-muted"), id_number or "-"]
            if task.id_flag:
                style = "$text-muted" if task.id_flag == "upgraded_from_15" else "$warning"
                idline += [" ", (t(f"id_flag.{task.id_flag}", lang), style)]
            lines.append(Content.assemble(*idline))
        if month_calls:
            style = "bold $error" if month_calls >= 3 else "bold $warning"
            lines.append(Content.assemble((t("call.month_calls", lang, n=month_calls), style)))
        else:
            lines.append(Content.assemble((t("call.month_first", lang), "$text-muted")))
        self.query_one("#phone-info", Static).update(Content("\n").join(lines))


class WhyPane(Static):
    """Why we call: place, arrival, address, the list's extra columns, its note."""

    def show(self, task: Task, lang: str) -> None:
        rows: list[tuple[str, str]] = [
            (t("call.place", lang), task.place),
            (t("call.arrival", lang), task.arrival),
            (t("call.address", lang), task.address),
        ]
        rows += [(str(k), str(v)) for k, v in task.extra.items() if str(v).strip()]
        if task.source_note:
            rows.append((t("call.source_note", lang), task.source_note))
        width = min(_label_width(label for label, _ in rows), 10) + 1
        lines = []
        for label, value in rows:
            lines.append(
                Content.assemble((_pad(label, width), "$text-muted"), (value or "-", "bold"))
            )
        self.update(Content("\n").join(lines))


class HistoryPane(Static):
    """Earlier attempts on this task, then on the same phone in earlier lists."""

    MAX_LINES = 5

    def show(
        self,
        attempts: Sequence[Attempt],
        phone_history: Sequence[tuple[Task, Attempt]],
        config: Config,
        lang: str,
    ) -> None:
        entries: list[tuple[str, Content]] = []
        for a in attempts:
            entries.append((a.at, self._line(a, None, config, lang)))
        for task, a in phone_history:
            entries.append((a.at, self._line(a, task.batch_name, config, lang)))
        entries.sort(key=lambda e: e[0], reverse=True)
        title = Content.assemble((t("call.history", lang), "bold $text-muted"))
        if not entries:
            body = [Content.assemble((t("call.history_none", lang), "$text-muted"))]
        else:
            body = [c for _, c in entries[: self.MAX_LINES]]
            if len(entries) > self.MAX_LINES:
                more = t("call.history_more", lang, n=len(entries) - self.MAX_LINES)
                body.append(Content.assemble((more, "$text-muted")))
        self.update(Content("\n").join([title, *body]))

    @staticmethod
    def _line(a: Attempt, batch: str | None, config: Config, lang: str) -> Content:
        # most telling first: when, what, who; then the note and the earlier list's name
        parts: list[Part] = [(fmt.short_time(a.at), "$text-muted"), " "]
        parts.append(
            (outcome_label(config, a.outcome, lang), "bold strike" if a.undone else "bold")
        )
        parts += [" ", (a.operator, "$text-muted")]
        if a.note:
            parts += [" ", a.note]
        if batch is not None:
            parts += [" ", (f"[{batch}]", "$accent")]
        return Content.assemble(*parts)


class OutcomeBar(Static):
    """Every outcome key with its label, always in view; an item never breaks across lines."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[tuple[str, str, str]] = []

    def show(self, outcomes: Sequence[Outcome], lang: str) -> None:
        self._items = []
        for o in outcomes:
            style = "bold $text on $primary"
            if o.kind == "callback" or o.needs_note:
                style = "bold $text on $secondary"  # these open a dialog first
            self._items.append((f" {o.key} ", style, o.label(lang)))
        self._render_items()

    def on_resize(self) -> None:
        self._render_items()

    def _render_items(self) -> None:
        width = self.size.width or self.app.size.width - 2  # content width (no padding)
        lines: list[Content] = []
        parts: list[Part] = []
        used = 0
        for key, style, label in self._items:
            item = cell_len(key) + 1 + cell_len(label)
            gap = 2 if parts else 0
            if parts and used + gap + item > width:
                lines.append(Content.assemble(*parts))
                parts, used, gap = [], 0, 0
            if gap:
                parts.append("  ")
            parts += [(key, style), " ", label]
            used += gap + item
        if parts:
            lines.append(Content.assemble(*parts))
        self.update(Content("\n").join(lines))


class StatusBar(Horizontal):
    """Operator, done today, calls in the last hour, queue remaining, last action, clock."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-left")
        yield Static(id="status-last")
        yield Static(id="status-clock")

    def show_counts(
        self, operator: str, done: int, last_hour: int, remaining: int, lang: str
    ) -> None:
        sep = ("  ", "")
        self.query_one("#status-left", Static).update(
            Content.assemble(
                (t("status.operator", lang, name=operator), "bold"),
                sep,
                t("status.done", lang, n=done),
                sep,
                t("status.rate", lang, n=last_hour),
                sep,
                t("status.queue", lang, n=remaining),
            )
        )

    def show_last(self, text: str, style: str = "$success") -> None:
        self.query_one("#status-last", Static).update(Content.assemble((text, style)))

    def show_clock(self, now: datetime) -> None:
        self.query_one("#status-clock", Static).update(now.strftime("%H:%M"))
