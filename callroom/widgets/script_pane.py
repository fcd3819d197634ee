"""The script: opening text, the questions with their answers, the closing, and the call's note.

A view only: the call screen owns the `ScriptRun` (answers, question in focus) and calls
`show_script` when the card's script changes and `show_answers` after each answer. Drawn as one
widget of a fixed size (a new card or an answer is a repaint, never a layout pass), scrolled by
itself: the question in focus is always in view, the closing words once every question is
answered, and the note stays at the bottom whatever the scroll.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from callroom.i18n import t
from callroom.privacy import mask_id, mask_name
from callroom.scripts import Question, Script, ScriptRun, answer_text, pick_text, render_parts
from callroom.widgets.prose import fit, wrap

_KIND_STYLE = {"text": "", "value": "bold $accent", "missing": "bold $text on $error 50%"}
NUMBER = 4  # "> 1." then the text
ANSWER = 12  # at most this many cells for the answer column
NOTE_LINES = 3  # the note keeps at most this many lines at the bottom

# a question row: (number, text, answer or hint, is current)
Row = tuple[Content, Content, Content, bool]


def rendered(template: str, values: dict[str, str]) -> Content:
    return Content.assemble(
        *((text, _KIND_STYLE[kind]) for text, kind in render_parts(template, values))
    )


def question_lines(rows: list[Row], width: int) -> tuple[list[Content], int | None, int]:
    """The questions laid out at ``width``: the number, the wrapped text, the answer on the
    right. Returns the lines, and the first line and height of the question in focus."""
    out: list[Content] = []
    focus: int | None = None
    focus_height = 1
    for number, text, answer, current in rows:
        answer = fit(answer, ANSWER)
        text_width = max(4, width - NUMBER - answer.cell_length - 1)
        wrapped = wrap(text, text_width) or [Content("")]
        if current:
            focus, focus_height = len(out), len(wrapped)
        for i, piece in enumerate(wrapped):
            head = number if i == 0 else Content(" " * NUMBER)
            line = head.pad_right(NUMBER - head.cell_length) + piece
            if i == 0:
                gap = max(1, width - line.cell_length - answer.cell_length)
                line = line + Content(" " * gap) + answer
            if current:
                line = line.pad_right(max(0, width - line.cell_length)).stylize_before(
                    "on $accent 15%"
                )
            out.append(line)
    return out, focus, focus_height


class ScriptView(Widget, can_focus=False):
    DEFAULT_CSS = "ScriptView { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._values: dict[str, str] = {}
        self._masked = True  # names and ID numbers among the answers (off once revealed)
        self._lang = "zh"
        self._opening_text = Content("")
        self._closing_text = Content("")
        self._rows: list[Row] = []
        self._all_answered = False
        self._note = Content("")
        self._offset = 0  # first line of the script on show
        self._cache: tuple[int, list[Content], int | None, int] | None = None

    # -- what to show -------------------------------------------------------------------------

    def show_error(self, message: str, lang: str) -> None:
        self._opening_text = Content.assemble(
            (t("call.script_error", lang, error=message), "bold $error")
        )
        self._closing_text = Content("")
        self._rows = []
        self._changed(home=True)

    def show_script(
        self,
        script: Script,
        values: dict[str, str],
        run: ScriptRun,
        lang: str,
        masked_off: bool = False,
    ) -> None:
        """Render a (new) card's script."""
        self._values, self._lang = values, lang
        self._masked = not masked_off
        self._opening_text = rendered(pick_text(script.opening, lang, values), values)
        self._closing_text = rendered(pick_text(script.closing, lang, values), values)
        self._offset = 0
        self.show_answers(run)

    def show_answers(self, run: ScriptRun) -> None:
        lang = self._lang
        yes, no = t("answer.yes", lang), t("answer.no", lang)
        current = run.current
        rows: list[Row] = []
        shown = [q for q in run.script.questions if run.applicable(q)]
        for i, q in enumerate(shown):  # numbered as shown: a hidden question leaves no gap
            is_current = q is current
            number = Content.assemble(
                (">" if is_current else " ", "bold $accent"), (f"{i + 1}.", "$text-muted")
            )
            answer = run.answers.get(q.id)
            if answer is not None:
                shown = answer_text(q, answer, lang, yes, no)
                if self._masked and (q.type == "id_number" or q.id == "name"):
                    # an inbound case's form holds the resident's name and ID: masked like the
                    # card's own until revealed
                    shown = mask_id(answer) if q.type == "id_number" else mask_name(answer)
                right = Content.assemble((shown, "bold $success"))
            elif is_current:
                right = Content.assemble((_hint(q, lang), "reverse"))
            elif q.required_for:
                right = Content.assemble((t("call.required", lang), "$warning"))
            else:
                right = Content.assemble(("-", "$text-muted"))
            rows.append(
                (
                    number,
                    rendered(pick_text(q.text, lang, self._values), self._values),
                    right,
                    is_current,
                )
            )
        self._rows = rows
        self._all_answered = all(
            q.id in run.answers for q in run.script.questions if run.applicable(q)
        )
        self._changed()

    def show_note(self, note: Content) -> None:
        self._note = note
        self._changed()

    def _changed(self, home: bool = False) -> None:
        if home:
            self._offset = 0
        self._cache = None
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------

    def script_lines(self, width: int) -> tuple[list[Content], int | None, int]:
        """Opening, questions, closing at ``width``; the focus question's first line, height."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1], self._cache[2], self._cache[3]
        lines = wrap(self._opening_text, width) if self._opening_text else []
        questions, focus, focus_height = question_lines(self._rows, width)
        if questions:
            if lines:
                lines.append(Content(""))
            start = len(lines)
            lines += questions
            focus = None if focus is None else start + focus
        if self._closing_text:
            lines += [Content(""), *wrap(self._closing_text, width)]
        self._cache = (width, lines, focus, focus_height)
        return lines, focus, focus_height

    def render(self) -> Content:
        width, height = self.size.width, self.size.height
        note = wrap(self._note, width)[:NOTE_LINES] if self._note else []
        room = max(1, height - len(note))
        lines, focus, focus_height = self.script_lines(width)
        most = max(0, len(lines) - room)
        if self._all_answered:
            self._offset = most  # time for the closing words
        elif focus is not None:
            if focus < self._offset:
                self._offset = focus
            elif focus + focus_height > self._offset + room:
                self._offset = focus + focus_height - room
        self._offset = max(0, min(self._offset, most))
        shown = lines[self._offset : self._offset + room]
        shown += [Content("")] * (room - len(shown))
        band = "on $warning 25%"
        shown += [line.pad_right(max(0, width - line.cell_length)).stylize(band) for line in note]
        return Content("\n").join(shown)

    @property
    def text(self) -> str:
        """Everything the script holds, unwrapped plain text (also what is scrolled away)."""
        questions = [f"{n.plain} {q.plain} {a.plain}" for n, q, a, _ in self._rows]
        return "\n".join([self._opening_text.plain, *questions, self._closing_text.plain])


def _hint(q: Question, lang: str) -> str:
    return f" {t('call.hint_yesno' if q.type == 'yesno' else 'call.hint_enter', lang)} "
