"""Find English sentences in text meant to be Chinese (the zh UI), for the completeness tests.

A heuristic: after taking out what is English on purpose in any language (file paths, commands
and their options, config sections and keys, code names, quoted values, shell commands to copy),
any run of two or more English words next to each other is reported. One word alone is allowed
(a config key like ``leads``, an operator's name); two are a phrase someone forgot to translate.
"""

from __future__ import annotations

import re

# words that are the same in every language: names of things, units, commands
_WORDS = """
    callroom SQLite WAL KiB MiB GiB Unix TOML UTF CSV xlsx xls ods txt json table README Excel
    AAPOR RR1 COOP1 REF1 CON1 ID IDs pid ok sudo chmod chgrp chown usermod groupadd id Gn
    setgid root SSH PuTTY Xshell zh en v1 v2 v3 v4 n p90 true false
    init import call demo lead status report export doctor backup drill fix force help
"""
ALLOWED = {w.lower() for w in re.findall(r"\S+", _WORDS)}

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_ON_PURPOSE = [
    re.compile(r"`[^`]*`"),  # `callroom init`
    # a shell command to copy, on its own line
    re.compile(r"(?m)^\s*(?:sudo\s+)?(?:chmod|chgrp|chown|usermod|groupadd)\s.*$"),
    re.compile(
        r"(?m)^\s*callroom\s+(?:init|import|call|demo|lead|status|report|export|doctor"
        r"|backup|drill)\b[^\n]*$"
    ),
    re.compile(r"\[\[?[a-z_.]+\]\]?(?:\s+#\d+)?(?:\s+[a-z_]+)?"),  # [queue] max_attempts
    re.compile(r"(?<![\w/])--?[a-zA-Z][\w-]*(?:=\S+)?"),  # --shared-group, -o
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\""),  # quoted values: a user's input, a repr
    re.compile(r"\S*[/\\]\S*"),  # paths
    re.compile(r"\S+\.(?:db|toml|csv|xlsx|xls|ods|txt|log|yaml|json)\b"),  # file names
    re.compile(r"\b\w*[_\d]\w*\b"),  # code names: no_answer, lead_group, crash-7F3A2C, v2
    re.compile(r"\$[A-Z_]+"),  # $CALLROOM_CONFIG
]
_BOX = re.compile(r"[─│┃┏┓┗┛┡┩└┘┌┐├┤┬┴┼━╇╍═║╔╗╚╝╠╣╦╩╬]")
_RUN = re.compile(r"[A-Za-z]+(?:[ \t]+[A-Za-z]+)+")


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words (outside the allowed words and patterns)."""
    text = _BOX.sub(" ", _ANSI.sub("", text))
    for pattern in _ON_PURPOSE:
        text = pattern.sub(" ", text)
    runs = []
    for match in _RUN.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in ALLOWED]
        if len(words) >= 2:
            runs.append(" ".join(words))
    return runs
