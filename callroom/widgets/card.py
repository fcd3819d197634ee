"""The pieces of a caller card: header badges, the phone, why we call, history, outcome keys,
status bar. Each is a Static with a ``show(...)`` that rebuilds its content from plain data; the
call screen decides what to show. List data is never parsed as markup (Content.assemble)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich.cells import cell_len
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from callroom.config import Config, Outcome
from callroom.i18n import state_label, t
from callroom.numbers import display, kind
from callroom.privacy import mask_id, mask_name
from callroom.schedule import CALLBACK, CLOSED_STATES, RETRY
from callroom.store import FLAGS, Attempt, Task, parse_time
from callroom.widgets import fmt
from callroom.widgets.prose import fit, wrap

Part = str | tuple[str, str]


def _label_width(labels: Iterable[str]) -> int:
    return max((cell_len(x) for x in labels), default=0)


def _pad(label: str, width: int) -> str:
    return label + " " * (width - cell_len(label))


def outcome_label(config: Config, code: str, lang: str) -> str:
    try:
        return config.outcome(code).label(lang)
    except KeyError:  # a task closed without a call: by a matched test, a field visit
        words = t(f"exp.outcome.{code}", lang)
        return code if words.startswith("exp.outcome.") else words


class CardHeader(Widget):
    """Priority badges, attempt number, deadline countdown, state; the list name on the right.

    One widget drawing one line (the card is redrawn on every outcome: fewer widgets, less
    layout), the list name cut first when the line is short.
    """

    DEFAULT_CSS = "CardHeader { height: 1; }"
    MAX_RIGHT = 30

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._left = Content("")
        self._right = Content("")

    def show(
        self, task: Task, now: datetime, lang: str, config: Config, inbound: bool = False
    ) -> None:
        parts: list[Part] = []
        for flag in FLAGS:
            if flag in task.flags:
                style = "bold $text on $error" if flag == "urgent" else "bold $text on $warning 60%"
                parts += [(f" {t(f'flag.{flag}', lang)} ", style), " "]
        if task.is_case:  # an inbound case: its group says why it is here
            group = config.group(task.grp)
            label = group.label(lang) if group is not None else task.grp
            parts += [(f" {t('call.inbound', lang)} {label} ", "bold $text on $accent"), " "]
        elif inbound:
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
        self._left = Content.assemble(*parts)
        self._right = Content.assemble((task.batch_name, "$accent"))
        self.refresh()

    def render(self) -> Content:
        width = self.size.width
        right = fit(self._right, min(self.MAX_RIGHT, max(0, width - self._left.cell_length - 2)))
        room = max(0, width - right.cell_length - (1 if right.cell_length else 0))
        left = fit(self._left, room)
        return left + Content(" " * max(1, width - left.cell_length - right.cell_length)) + right


class PhoneSection:
    """The number to dial, big and grouped; every own number with its state; masked name and ID;
    calls to this number this month: the number in a 3-line band, then lines."""

    def __init__(self) -> None:
        self._number = Content("")
        self._numbers: list[Content] = []
        self._info = Content("")
        self._cache: tuple[int, list[Content]] | None = None

    def show(
        self,
        task: Task,
        active: str,
        lang: str,
        revealed: bool,
        month_calls: dict[str, int],
        attempts: Sequence[Attempt],
        config: Config,
    ) -> None:
        self._number = Content(display(active).replace(" ", "  "))
        self._numbers = (
            self._number_lines(task, active, attempts, config, lang)
            if len(task.numbers) > 1
            else []
        )
        lines: list[Content] = []
        extra: list[Part] = []
        if task.phone_ext and active == task.phone:
            extra.append((t("call.ext", lang, ext=task.phone_ext), "bold"))
        if extra:
            lines.append(Content.assemble(*extra))
        if task.phone_flag and active == task.phone:
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
            lines.append(
                Content.assemble((_pad(labels[1], width), "$text-muted"), id_number or "-")
            )
            if task.id_flag:
                style = "$text-muted" if task.id_flag == "upgraded_from_15" else "$warning"
                lines.append(Content.assemble((t(f"id_flag.{task.id_flag}", lang), style)))
        calls = month_calls.get(active, 0)
        if calls:
            style = "bold $error" if calls >= 3 else "bold $warning"
            lines.append(Content.assemble((t("call.month_calls", lang, n=calls), style)))
        else:
            lines.append(Content.assemble((t("call.month_first", lang), "$text-muted")))
        self._info = Content("\n").join(lines)
        self._cache = None

    def lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        band = "bold $text on $primary 45%"
        blank = Content.styled(" " * width, band)
        number = fit(self._number, width)
        pad = max(0, width - number.cell_length)
        middle = Content.assemble(
            (" " * (pad // 2), band), number.stylize(band), (" " * (pad - pad // 2), band)
        )
        lines = [blank, middle, blank]
        lines += [fit(line, width) for line in self._numbers]
        for line in self._info.split("\n", allow_blank=True):
            lines += wrap(line, width)
        self._cache = (width, lines)
        return lines

    @staticmethod
    def _number_lines(
        task: Task, active: str, attempts: Sequence[Attempt], config: Config, lang: str
    ) -> list[Content]:
        """One line per own number: which is on, kind, and what happened on it."""
        lines = []
        for i, number in enumerate(task.numbers, 1):
            on = number == active
            tried = [a for a in attempts if a.phone == number and not a.undone]
            parts: list[Part] = [
                (">" if on else " ", "bold $accent"),
                (f"{i} ", "bold" if on else "$text-muted"),
                (display(number), "bold" if on else ""),
                " ",
                (t(f"numkind.{kind(number)}", lang), "$text-muted"),
                " ",
            ]
            if number in task.dead_phones:
                parts.append((t("call.num_dead", lang), "bold $error"))
            elif tried:
                last = outcome_label(config, tried[-1].outcome, lang)
                parts.append((f"{last} x{len(tried)}" if len(tried) > 1 else last, "$warning"))
            else:
                parts.append((t("call.num_untried", lang), "$text-muted"))
            lines.append(Content.assemble(*parts))
        return lines


class WhySection:
    """Why we call: place, arrival, address, the list's extra columns, its note. A long value
    wraps under itself, not under its label."""

    MAX_LABEL = 10

    def __init__(self) -> None:
        self._rows: list[tuple[str, str]] = []
        self._cache: tuple[int, list[Content]] | None = None

    def show(
        self, task: Task, lang: str, test: str = "", first: Sequence[tuple[str, str]] = ()
    ) -> None:
        """``test``: what the health system's results say of the resident (callroom/results),
        shown under the arrival it is measured against. ``first``: rows before the list's own
        (an inbound case, the roster entry)."""
        rows: list[tuple[str, str]] = list(first)
        if not task.is_case:  # a case has no list behind it: only what the desk knows
            rows += [(t("call.place", lang), task.place), (t("call.arrival", lang), task.arrival)]
        if test:
            rows.append((t("call.test", lang), test))
        if task.address or not task.is_case:  # a list's card keeps its address row
            rows.append((t("call.address", lang), task.address))
        rows += [(str(k), str(v)) for k, v in task.extra.items() if str(v).strip()]
        if task.source_note:
            rows.append((t("call.source_note", lang), task.source_note))
        if rows != self._rows:
            self._rows = rows
            self._cache = None

    def lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        label_width = min(_label_width(label for label, _ in self._rows), self.MAX_LABEL) + 1
        indent = Content(" " * label_width)
        lines: list[Content] = []
        for label, value in self._rows:
            head = fit(Content(label), label_width - 1).stylize("$text-muted")
            head = head.pad_right(label_width - head.cell_length)
            pieces = wrap(Content.assemble((value or "-", "bold")), max(4, width - label_width))
            for i, piece in enumerate(pieces):
                lines.append((head if i == 0 else indent) + piece)
        self._cache = (width, lines)
        return lines


class HistorySection:
    """Earlier attempts on this task, then on the resident's numbers in earlier lists."""

    MAX_LINES = 5

    def __init__(self) -> None:
        self._content = Content("")
        self._cache: tuple[int, list[Content]] | None = None

    def lines(self, width: int) -> list[Content]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, [p for line in self._content.split("\n", allow_blank=True)
                                   for p in wrap(line, width)])  # fmt: skip
        return self._cache[1]

    def show(
        self,
        task: Task,
        attempts: Sequence[Attempt],
        phone_history: Sequence[tuple[Task, Attempt]],
        config: Config,
        lang: str,
        reopened: Sequence[tuple[str, str]] = (),
    ) -> None:
        numbers = task.numbers if len(task.numbers) > 1 else ()
        entries: list[tuple[str, Content]] = []
        for a in attempts:
            entries.append((a.at, self._line(a, None, numbers, config, lang)))
        for at, lead in reopened:  # a closed outcome above it no longer stands
            words = t("call.reopened", lang, lead=lead)
            entries.append((at, Content.assemble((fmt.short_time(at), "$text-muted"), " ",
                                                 (words, "bold $warning"))))  # fmt: skip
        for earlier, a in phone_history:
            entries.append((a.at, self._line(a, earlier.batch_name, numbers, config, lang)))
        entries.sort(key=lambda e: e[0], reverse=True)
        title = Content.assemble((t("call.history", lang), "bold $text-muted"))
        if not entries:
            body = [Content.assemble((t("call.history_none", lang), "$text-muted"))]
        else:
            body = [c for _, c in entries[: self.MAX_LINES]]
            if len(entries) > self.MAX_LINES:
                more = t("call.history_more", lang, n=len(entries) - self.MAX_LINES)
                body.append(Content.assemble((more, "$text-muted")))
        self._content = Content("\n").join([title, *body])
        self._cache = None

    @staticmethod
    def _line(
        a: Attempt, batch: str | None, numbers: tuple[str, ...], config: Config, lang: str
    ) -> Content:
        # most telling first: when, what (and on which number), who; then the note and the list
        parts: list[Part] = [(fmt.short_time(a.at), "$text-muted"), " "]
        if a.undone:
            # in words too: PuTTY and the Linux console draw no strikethrough
            parts += [(outcome_label(config, a.outcome, lang), "strike $text-muted"),
                      " ", (t("call.undone", lang), "bold $warning")]  # fmt: skip
        else:
            parts.append((outcome_label(config, a.outcome, lang), "bold"))
        if numbers and a.phone in numbers:
            parts += [" ", (t("call.num_tag", lang, n=numbers.index(a.phone) + 1), "$accent")]
        parts += [" ", (a.operator, "$text-muted")]
        if a.note:
            parts += [" ", a.note]
        if batch is not None:
            parts += [" ", (f"[{batch}]", "$accent")]
        return Content.assemble(*parts)


class CardLeft(Widget):
    """The left of the card, drawn as one widget (a fixed size: a new card is a repaint, never
    a layout pass): the phone section, why we call, then the history in the room left."""

    DEFAULT_CSS = "CardLeft { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phone = PhoneSection()
        self.why = WhySection()
        self.history = HistorySection()

    def render(self) -> Content:
        width, height = self.size.width, self.size.height
        lines = [*self.phone.lines(width), Content(""), *self.why.lines(width), Content("")]
        lines += self.history.lines(width)
        return Content("\n").join(lines[:height])


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
            gap = 1 if parts else 0
            if parts and used + gap + item > width:
                lines.append(Content.assemble(*parts))
                parts, used, gap = [], 0, 0
            if gap:
                parts.append(" ")
            parts += [(key, style), " ", label]
            used += gap + item
        if parts:
            lines.append(Content.assemble(*parts))
        self.update(Content("\n").join(lines))


class StatusBar(Widget):
    """What just happened (widest), then the caller's figures and the clock, on one line.

    ``flash`` shows a short-lived hint (a dropped key, a copy) on the right, in place of the
    figures, and the last message stays on the left: the line after an outcome keeps saying
    what was saved for that resident even while a key typed ahead is refused.
    """

    DEFAULT_CSS = "StatusBar { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last = Content("")
        self._hint = Content("")
        self._counts = Content("")
        self._clock = Content("")
        self._flash_timer: Timer | None = None

    def show_counts(
        self, operator: str, done: int, last_hour: int, remaining: int, lang: str
    ) -> None:
        self._counts = Content.assemble(
            (operator, "bold"), " ",
            t("status.done", lang, n=done), " ",
            t("status.rate", lang, n=last_hour), " ",
            t("status.queue", lang, n=remaining),
        ).stylize("$text-muted")  # fmt: skip
        self.refresh()

    def show_last(self, text: str | Content, style: str = "$success") -> None:
        content = text if isinstance(text, Content) else Content.assemble((text, style))
        self._last = content
        self._stop_flash()
        self._hint = Content("")
        self.refresh()

    def flash(self, text: str, style: str = "bold $warning", seconds: float = 2.5) -> None:
        self._stop_flash()
        self._hint = Content.assemble((text, style))
        self._flash_timer = self.set_timer(seconds, self._restore)
        self.refresh()

    def _stop_flash(self) -> None:
        if self._flash_timer is not None:
            self._flash_timer.stop()
            self._flash_timer = None

    def _restore(self) -> None:
        self._flash_timer = None
        self._hint = Content("")
        self.refresh()

    @property
    def text(self) -> str:
        """The newest thing said (a hint while it shows, else what just happened), plain."""
        return (self._hint if self._hint.plain else self._last).plain

    @property
    def last(self) -> str:
        """What just happened (the saved outcome ...), plain: it stays while hints come and go."""
        return self._last.plain

    def show_clock(self, now: datetime) -> None:
        self._clock = Content.assemble((now.strftime("%H:%M"), "bold"))
        self.refresh()

    def render(self) -> Content:
        width = self.size.width
        if self._hint.plain:  # a hint takes the figures' place for a moment
            right = self._hint + Content(" ") + self._clock
            if right.cell_length > width:
                return fit(self._hint, width)
        else:
            right = self._counts + Content(" ") + self._clock
            if right.cell_length + 10 > width:  # a narrow terminal: the message comes first
                right = self._clock
        message = fit(self._last, max(0, width - right.cell_length - 1))
        gap = max(1, width - message.cell_length - right.cell_length)
        return message + Content(" " * gap) + right


def inbound_rows(data: object, config: Config, lang: str) -> list[tuple[str, str]]:
    """An inbound case's group, status, first call and rejection reason, and the resident's
    roster entries (compound, building, unit; categories), for the card's "why" rows. Names on
    the roster are masked as on the card."""
    rows: list[tuple[str, str]] = []
    case = getattr(data, "case", None)
    if case is not None:
        group = config.group(case.grp)
        rows.append((t("case.group", lang), group.label(lang) if group else case.grp))
        rows.append((t("case.status", lang), t(f"case.status.{case.status}", lang)))
        rows.append((t("case.first_contact", lang), case.first_contact_at[5:16]))
        if case.decision == "rejected" and case.decision_reason:
            rows.append((t("case.rejected", lang), case.decision_reason))
    for entry in getattr(data, "roster", ())[:2]:
        cats = " ".join(t(f"roster.cat.{c}", lang) for c in entry.categories.split(",") if c)
        who = mask_name(entry.name)
        rows.append((t("roster.line", lang), " ".join(x for x in (entry.place, who, cats) if x)))
    return rows
