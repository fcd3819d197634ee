"""Messages of callroom.when that the callback dialog shows (the others are in call.py)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "when.err.midnight": {
        "zh": "晚上12点是哪天的0点? 请写 0点 或 明天0点",
        "en": "Midnight of which day? Type 0:00 or tomorrow 0:00",
    },
}
