"""The inbound desk: the calls that come in, worked from the same queue as the outbound lists.

    roster.py    the standing white-lists of vulnerable residents per compound: read with the list
                 importer's rules, re-imported as a diff, their flags and compound given to every
                 task and case whose phone or ID matches
    desk.py      intake: an inbound case is a task (the day's inbound list) with a cases row (the
                 group, the form's answers, the pledge, the submission and the decision)
    appeals.py   the appeals ready for review exported in the reviewing system's columns, its
                 decisions read back (approved closes, rejected comes back to the queue)
    figures.py   what the lead sees: waiting cases by group, waits to intake and to submission,
                 decisions pending, cases solved per hour (the report and the lead pane)

No Textual here.
"""

from __future__ import annotations

# A case's status. open: in the queue, its form not complete yet (a registered call to return);
# ready: complete, to be submitted; submitted: in a batch sent for review; approved / rejected:
# the reviewers' decision (a rejected case is back in the queue until completed again, then
# ready); closed: ended without an appeal (refused, wrong person ...).
OPEN, READY, SUBMITTED, APPROVED, REJECTED, CLOSED = (
    "open", "ready", "submitted", "approved", "rejected", "closed",
)  # fmt: skip
STATUSES = (OPEN, READY, SUBMITTED, APPROVED, REJECTED, CLOSED)

# The roster's categories of vulnerable residents, and the task flag each gives (queue head start,
# card badge); "other" gives none but the roster line on the card.
CATEGORIES = ("elderly", "bedridden", "illness", "pregnant", "infant", "disabled", "other")
CATEGORY_FLAGS = {
    "elderly": "elderly",
    "bedridden": "disabled",
    "illness": "patient",
    "pregnant": "pregnant",
    "infant": "child",
    "disabled": "disabled",
}


def flags_of(categories: str | list[str] | tuple[str, ...]) -> set[str]:
    """The task flags a roster entry's categories give."""
    cats = categories.split(",") if isinstance(categories, str) else categories
    return {CATEGORY_FLAGS[c] for c in cats if c in CATEGORY_FLAGS}


def flags_text(flags: set[str] | frozenset[str]) -> str:
    """Flags as the tasks table keeps them: comma-separated, most urgent first."""
    from callroom.store import FLAGS

    return ",".join(f for f in FLAGS if f in flags)
