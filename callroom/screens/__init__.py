"""Textual screens: the caller card, dialogs, find by phone, help, the lead's progress pane."""
