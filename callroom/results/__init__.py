"""Test results from the health system, matched against the lists: fewer calls.

    roles.py      the columns of a results export (test time, sample site, result)
    rows.py       one row -> a result record or a rejected row (runs in the reader's child)
    importing.py  `callroom results import`: read, stage, match, publish in one transaction
    match.py      which open task a result closes; a card's evidence; the caller's close key
    purge.py      `callroom results purge`: secure delete

This module holds only the names the rest of callroom shares (the reports, the caller screen):
importing it costs nothing, so the caller screen's start-up does not pay for the importer.
"""

MATCHED = "test_matched"  # the final outcome of a task closed by a matched test
# what a result cell says, normalised: only CLOSES close a task (a positive, an invalid sample or
# a word we do not know never does)
NEGATIVE, POSITIVE, PENDING, INVALID, OTHER = "negative", "positive", "pending", "invalid", "other"
CLOSES = ("", NEGATIVE, PENDING)  # "": the export has no result column, the sample was taken
