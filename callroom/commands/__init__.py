"""CLI command groups, one module each; each registers its commands on ``app``
(callroom/commands/base.py, with the helpers they share; never imported from cli.py: no circle).

Kept apart from cli.py so the heavy imports of one command (Excel writers, Textual) stay off the
path of the others.
"""

import importlib

# Modules listed here register their commands; a module is added once its commands work.
MODULES: list[str] = [
    "importing",
    "results",
    "reporting",
    "ops",
    "lead",
    "calling",
    "inbound",
]


def register_all() -> None:
    for name in MODULES:
        importlib.import_module(f"callroom.commands.{name}")
