"""The script pane: opening text, the questions with their answers, the closing.

A view only: the call screen owns the `ScriptRun` (answers, question in focus) and calls
`show_script` when the card's script changes and `show_answers` after each answer. The question
lines are rebuilt only when the script changes, so answering is a few label updates.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
from textual.widget import Widget

from callroom.i18n import t
from callroom.scripts import Question, Script, ScriptRun, answer_text, render_parts
from callroom.widgets.prose import Prose, fit, wrap

_KIND_STYLE = {"text": "", "value": "bold $accent", "missing": "bold $text on $error 50%"}


def rendered(template: str, values: dict[str, str]) -> Content:
    return Content.assemble(
        *((text, _KIND_STYLE[kind]) for text, kind in render_parts(template, values))
    )


class QuestionList(Widget):
    """All questions of the script in one widget: number, wrapped text, answer on the right.

    One widget rather than three per question: the card is rebuilt on every keystroke and every
    widget costs layout time. Laid out at render time for the widget's actual width.
    """

    DEFAULT_CSS = "QuestionList { height: auto; }"
    NUMBER = 4  # "> 1." then the text
    ANSWER = 12  # at most this many cells for the answer column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # (question, number text, question text, answer or hint, is current)
        self._rows: list[tuple[Content, Content, Content, bool]] = []

    def set_rows(self, rows: list[tuple[Content, Content, Content, bool]]) -> None:
        self._rows = rows
        self.refresh(layout=True)

    def _lines(self, width: int) -> tuple[list[Content], int | None, int]:
        """The rendered lines, and the first line and height of the question in focus."""
        out: list[Content] = []
        focus: int | None = None
        focus_height = 1
        for number, text, answer, current in self._rows:
            answer = fit(answer, self.ANSWER)
            text_width = max(4, width - self.NUMBER - answer.cell_length - 1)
            wrapped = wrap(text, text_width) or [Content("")]
            if current:
                focus, focus_height = len(out), len(wrapped)
            for i, piece in enumerate(wrapped):
                head = number if i == 0 else Content(" " * self.NUMBER)
                line = head.pad_right(self.NUMBER - head.cell_length) + piece
                if i == 0:
                    gap = max(1, width - line.cell_length - answer.cell_length)
                    line = line + Content(" " * gap) + answer
                if current:
                    line = line.pad_right(max(0, width - line.cell_length)).stylize_before(
                        "on $accent 15%"
                    )
                out.append(line)
        return out, focus, focus_height

    def focus_span(self) -> tuple[int, int] | None:
        _, focus, height = self._lines(self.size.width or 40)
        return None if focus is None else (focus, height)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)[0])

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.size.width)[0])


class ScriptPane(VerticalScroll, can_focus=False):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._script: Script | None = None
        self._values: dict[str, str] = {}
        self._lang = "zh"
        self._all_answered = False

    def compose(self) -> ComposeResult:
        yield Prose(id="script-opening")
        yield QuestionList(id="script-questions")
        yield Prose(id="script-closing")

    def show_error(self, message: str, lang: str) -> None:
        self._script = None
        self.query_one("#script-opening", Prose).update(
            Content.assemble((t("call.script_error", lang, error=message), "bold $error"))
        )
        self.query_one(QuestionList).set_rows([])
        self.query_one("#script-closing", Prose).update("")

    def show_script(
        self, script: Script, values: dict[str, str], run: ScriptRun, lang: str
    ) -> None:
        """Render a (new) card's script."""
        self._values, self._lang = values, lang
        self.query_one("#script-opening", Prose).update(
            rendered(_pick(script.opening, lang), values)
        )
        self.query_one("#script-closing", Prose).update(
            rendered(_pick(script.closing, lang), values)
        )
        self._script = script
        self.show_answers(run)
        self.scroll_home(animate=False)

    def show_answers(self, run: ScriptRun) -> None:
        lang = self._lang
        yes, no = t("answer.yes", lang), t("answer.no", lang)
        current = run.current
        rows: list[tuple[Content, Content, Content, bool]] = []
        for i, q in enumerate(run.script.questions):
            if not run.applicable(q):
                continue
            is_current = q is current
            number = Content.assemble(
                (">" if is_current else " ", "bold $accent"), (f"{i + 1}.", "$text-muted")
            )
            answer = run.answers.get(q.id)
            if answer is not None:
                right = Content.assemble((answer_text(q, answer, lang, yes, no), "bold $success"))
            elif is_current:
                right = Content.assemble((_hint(q, lang), "reverse"))
            elif q.required_for:
                right = Content.assemble((t("call.required", lang), "$warning"))
            else:
                right = Content.assemble(("-", "$text-muted"))
            rows.append((number, rendered(_pick(q.text, lang), self._values), right, is_current))
        questions = self.query_one(QuestionList)
        questions.set_rows(rows)
        self._all_answered = all(q.id in run.answers for q in run.script.questions
                                 if run.applicable(q))  # fmt: skip
        if self.max_scroll_y:  # only when the script does not fit: keep the question in view
            self.call_after_refresh(self._focus_in_view)

    def _focus_in_view(self) -> None:
        if self._all_answered:
            self.scroll_end(animate=False, immediate=True)  # time for the closing words
            return
        questions = self.query_one(QuestionList)
        span = questions.focus_span()
        if span is not None:
            y = questions.virtual_region.y + span[0]
            self.scroll_to_region(Region(0, y, 1, span[1]), animate=False, immediate=True)


def _pick(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or next(iter(text.values()), "")


def _hint(q: Question, lang: str) -> str:
    return f" {t('call.hint_yesno' if q.type == 'yesno' else 'call.hint_enter', lang)} "
