"""A Textual App that never prints residents' data when it dies.

Textual's crash report (``App._fatal_error``) is a Rich traceback with ``show_locals=True``:
the card's name, phone, ID and address would appear on the caller's terminal. Here an unexpected
error instead writes callroom.crash's scrubbed log and leaves one short message in the UI's
language, with a reference number; the app exits with return code 1, which the CLI passes on.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App

from callroom import crash
from callroom.config import Config


class SafeApp(App[Any]):
    config: Config

    _crash_message: str | None = None

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own steps (return code 1, the first error kept for run_test to re-raise,
        # close the app), without its renderings of the error: its traceback shows locals and
        # an error with __rich__ would render its own text.
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._report(error)
        self._close_messages_no_wait()

    def _fatal_error(self) -> None:
        import sys

        error = sys.exc_info()[1]
        self._return_code = 1
        if isinstance(error, Exception):
            self._report(error)
        self._close_messages_no_wait()

    def _report(self, error: BaseException) -> None:
        if self._crash_message is not None:
            return  # one message and one log: later errors are consequences of the first
        config = getattr(self, "config", None)
        lang = config.lang if config is not None else "zh"
        self._crash_message = crash.report(error, config, lang)
        self.bell()
        self._exit_renderables.append(Text(self._crash_message))
