"""callroom: survey phone calls from a list, one card at a time."""

import os

__version__ = "0.1.0"

# Textual paints at most TEXTUAL_FPS times a second, so a card shown after a key waits for the
# next frame: on average half a frame. The caller screen changes only when a key is pressed (or
# the clock ticks), so 120 halves that wait at no cost. Set before Textual is imported; a value
# in the environment wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
