"""`callroom lead`: a lead-only terminal showing just the progress pane."""

from __future__ import annotations

from callroom.config import Config
from callroom.safe_app import SafeApp
from callroom.screens.lead import LeadScreen
from callroom.store import Store


class LeadApp(SafeApp):
    TITLE = "callroom lead"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, config: Config, store: Store, all_offices: bool = False) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.all_offices = all_offices

    def on_mount(self) -> None:
        self.push_screen(
            LeadScreen(self.config, self.store, standalone=True, all_offices=self.all_offices)
        )
