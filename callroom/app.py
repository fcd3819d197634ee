"""The caller's Textual app and the one factory the CLI and the tests share (`make_app`)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime

from textual.app import SystemCommand
from textual.screen import Screen

from callroom.config import BUILT_IN, Config, ConfigError
from callroom.i18n import t
from callroom.safe_app import SafeApp
from callroom.screens.call import CallScreen, reserved_keys
from callroom.store import Store


def check_outcome_keys(config: Config) -> None:
    """Outcome keys from callroom.toml must not take a key the caller screen uses itself."""
    taken = reserved_keys()
    for o in config.outcomes:
        if o.key in taken:
            free = sorted(set("abcdeghijklotvwxz") - set(taken) - {x.key for x in config.outcomes})
            raise ConfigError(
                "cfg.outcome_key_taken", source=config.path or BUILT_IN, code=o.code,
                key=repr(o.key), action=repr(taken[o.key]), free=" ".join(free),
            )  # fmt: skip


class CallroomApp(SafeApp):
    """One caller session: the card screen on one store connection."""

    TITLE = "callroom"

    def __init__(self, config: Config, store: Store, owns_store: bool = False) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.owns_store = owns_store
        self.call_screen = CallScreen(config, store)

    def on_mount(self) -> None:
        self.push_screen(self.call_screen)
        if not self.is_headless:
            # an SSH session that drops sends SIGHUP: give the card back before going
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                with suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self._hang_up)

    def _hang_up(self) -> None:
        self.call_screen.release_card("hangup")
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        lang = self.config.lang
        call = self.call_screen
        yield SystemCommand(t("find.title", lang), t("key.find", lang), call.action_find)
        yield SystemCommand(t("key.progress", lang), t("key.progress", lang), call.action_progress)
        yield SystemCommand(t("key.pause", lang), t("pause.title", lang), call.action_pause)
        yield SystemCommand(t("help.title", lang), t("key.help", lang), call.action_help)

    def action_help_quit(self) -> None:
        # Ctrl+C: Textual's own hint is in English; say it in the caller's language
        self.notify(t("app.ctrl_c", self.config.lang), title=t("quit.title", self.config.lang))

    async def action_quit(self) -> None:
        # ctrl+q and the palette's quit also give the card back
        self.call_screen.release_card("quit")
        self.exit()

    def on_unmount(self) -> None:
        self.call_screen.release_card("quit")
        if self.owns_store:
            self.store.close()


def make_app(
    config: Config,
    store: Store | None = None,
    clock: Callable[[], datetime] | None = None,
) -> CallroomApp:
    """The caller app. Without a store, one is opened on config.database (and closed on exit)."""
    check_outcome_keys(config)
    if store is None:
        return CallroomApp(config, Store(config, clock=clock or datetime.now), owns_store=True)
    return CallroomApp(config, store)


def run(config: Config, mouse: bool = False) -> None:
    """Open the caller screen. mouse=False keeps the terminal's own copy and paste (Xshell, PuTTY)."""
    make_app(config).run(mouse=mouse)
