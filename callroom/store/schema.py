"""The schema: each migration as SQLite text (PostgreSQL's is derived from it, same version numbers:
schema_postgres.py). ``MIGRATIONS[n]`` takes a database from version n to n + 1; append, never edit."""

from __future__ import annotations

import sqlite3

# schema

_V1 = """
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_file TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    script TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    tasks_created INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX batches_sha ON batches(sha256);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source_row TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL,
    phone_raw TEXT NOT NULL DEFAULT '',
    phone_ext TEXT NOT NULL DEFAULT '',
    phone_flag TEXT NOT NULL DEFAULT '',
    alt_phones TEXT NOT NULL DEFAULT '[]',
    name TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    id_flag TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    arrival TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    source_note TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    priority INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    noncontacts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT,
    callback_by TEXT,
    assigned_to TEXT,
    claim_by TEXT,
    claim_session TEXT,
    lease_until TEXT,
    final_outcome TEXT,
    closed_at TEXT,
    closed_by TEXT,
    duplicate_of INTEGER REFERENCES tasks(id),
    linked_to INTEGER REFERENCES tasks(id),
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_phone ON tasks(phone);
CREATE INDEX tasks_batch ON tasks(batch_id, seq);
CREATE INDEX tasks_claim ON tasks(claim_session);
CREATE INDEX tasks_state ON tasks(state, final_outcome);
CREATE INDEX tasks_callback ON tasks(callback_by, next_at) WHERE state = 'callback';
CREATE INDEX tasks_assigned ON tasks(assigned_to) WHERE assigned_to IS NOT NULL;
-- The queue order, walked in index order so a claim is O(skipped rows), not a sort of the table.
CREATE INDEX tasks_queue ON tasks(
    priority DESC, coalesce(deadline, '9999'), state = 'pending', batch_id, seq
) WHERE state IN ('pending', 'retry', 'callback');

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    operator TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    callback_at TEXT,
    prev TEXT NOT NULL,
    version_after INTEGER NOT NULL,
    undone_at TEXT
);
CREATE INDEX attempts_task ON attempts(task_id);
CREATE INDEX attempts_operator ON attempts(operator, at);
CREATE INDEX attempts_at ON attempts(at);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    kind TEXT NOT NULL,
    task_id INTEGER,
    batch_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_at ON events(at);
CREATE INDEX events_task ON events(task_id);
CREATE INDEX events_operator ON events(operator, at);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

_V2_CLAIM_PROCESS = """
-- which process holds a claim, on which machine: a card held by a process that has ended comes
-- back to its caller at once instead of after the lease
ALTER TABLE tasks ADD COLUMN claim_pid INTEGER;
ALTER TABLE tasks ADD COLUMN claim_host TEXT;
"""

# The importer's remembered layouts: which column is what, keyed by the list's normalised header
# (see callroom/importer/layouts.py). Column letters and field names only, no personal data.
_IMPORT_LAYOUTS = """
CREATE TABLE import_layouts (
    id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE,
    headers TEXT NOT NULL DEFAULT '[]',
    mapping TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    used_at TEXT,
    uses INTEGER NOT NULL DEFAULT 0
);
"""

# Only claimed tasks in the claim index: every task an import publishes used to add a NULL entry
# (~10% of a publish, which callers wait for). `claim_session = ?` and `IS NOT NULL` still use it.
_CLAIM_INDEX_PARTIAL = """
DROP INDEX tasks_claim;
CREATE INDEX tasks_claim ON tasks(claim_session) WHERE claim_session IS NOT NULL;
"""

# Every own number of a resident: the number a card is on now (NULL: the main phone), the numbers
# found dead (JSON list of E.164), and on each attempt the number it was made on and how long it
# took from dial (or card shown) to the outcome. Earlier attempts were all made on the main phone.
_NUMBERS = """
ALTER TABLE tasks ADD COLUMN active_phone TEXT;
ALTER TABLE tasks ADD COLUMN dead_phones TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attempts ADD COLUMN phone TEXT;
ALTER TABLE attempts ADD COLUMN seconds INTEGER;
ALTER TABLE attempts ADD COLUMN timed_from TEXT NOT NULL DEFAULT '';
UPDATE attempts SET phone = (SELECT phone FROM tasks WHERE tasks.id = attempts.task_id)
WHERE outcome != 'field_visit_done';
CREATE INDEX attempts_phone ON attempts(phone, at);
"""

# Test results from the health system (callroom/results): health data, used only to match the
# lists, deleted by `callroom results purge`. A result is one test of one person, deduplicated on
# (person, tested_at, site); person is the ID number when the export had a valid one, else the
# phone. tasks.test_result is the test that closed a task (or, on a card a caller held, the test
# that offers to close it); purged results leave it NULL.
_TEST_RESULTS = """
CREATE TABLE result_files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX result_files_sha ON result_files(sha256);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    source_row TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    tested_at TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX results_key ON results(person, tested_at, site);
CREATE INDEX results_id_number ON results(id_number) WHERE id_number != '';
CREATE INDEX results_phone ON results(phone) WHERE phone != '';
ALTER TABLE tasks ADD COLUMN test_result INTEGER;
CREATE INDEX tasks_test_result ON tasks(test_result) WHERE test_result IS NOT NULL;
"""

# Offices of a street sharing one database ([general] office): the office a list was imported
# by, and that of the session behind each audit event. '' for one office on its own.
_OFFICES = """
ALTER TABLE batches ADD COLUMN office TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN office TEXT NOT NULL DEFAULT '';
CREATE INDEX batches_office ON batches(office);
"""

# The inbound desk (callroom/inbound). An inbound case is a task (in the day's inbound list,
# batches.kind 'inbound') with a cases row: the resident's group, the form's answers, the pledge,
# the submission and the decision. tasks.grp is the case's group ('' for an outbound task) and
# tasks.compound the residential compound a roster entry gave it.
# The queue orders open tasks by an aging score: minutes waited since the task came in
# (created_at: the list's import, the resident's first call) plus the head start of its flags and
# group. The head start is the same for every task of one (flags, grp) class, so the best task
# of each class is the first of tasks_aging for that class; the classes are compared in Python
# (callroom/store/queue.py). The roster: the standing white-lists of vulnerable residents per
# compound. appeal_batches."by" is quoted: a reserved word in PostgreSQL.
_INBOUND = """
ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'list';
ALTER TABLE tasks ADD COLUMN grp TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN compound TEXT NOT NULL DEFAULT '';
DROP INDEX tasks_queue;
CREATE INDEX tasks_aging ON tasks(
    flags, grp, created_at, priority DESC, coalesce(deadline, '9999'), state = 'pending',
    batch_id, seq
) WHERE state IN ('pending', 'retry', 'callback');
CREATE INDEX tasks_id_number ON tasks(id_number) WHERE id_number != '';

CREATE TABLE roster (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    compound TEXT NOT NULL DEFAULT '',
    building TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    phones TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL DEFAULT '',
    source_row TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE INDEX roster_key ON roster(key);
CREATE INDEX roster_compound ON roster(compound);
CREATE INDEX roster_id_number ON roster(id_number) WHERE id_number != '';
CREATE TABLE roster_phones (
    phone TEXT NOT NULL,
    roster_id INTEGER NOT NULL REFERENCES roster(id) ON DELETE CASCADE,
    PRIMARY KEY (phone, roster_id)
) WITHOUT ROWID;
CREATE INDEX roster_phones_entry ON roster_phones(roster_id);

CREATE TABLE cases (
    task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
    grp TEXT NOT NULL,
    form TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'open',
    roster_id INTEGER,
    linked_task INTEGER,
    first_contact_at TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    intake_at TEXT,
    intake_by TEXT,
    pledge_hash TEXT,
    pledge_by TEXT,
    pledge_at TEXT,
    appeal_batch TEXT,
    submitted_at TEXT,
    first_submitted_at TEXT,
    decision TEXT,
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_batch ON cases(appeal_batch) WHERE appeal_batch IS NOT NULL;
CREATE TABLE pledge_texts (
    hash TEXT PRIMARY KEY,
    form TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    first_used_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE appeal_batches (
    no TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    "by" TEXT NOT NULL,
    file TEXT NOT NULL,
    cases INTEGER NOT NULL
) WITHOUT ROWID;
"""

# The audit log becomes a hash chain (callroom/chain.py): each event keeps the hash of the one
# before it and its own. The events written before are hashed once, in id order, right after
# this step (Store._migrate, both engines): the append-only trigger lets a row without a hash get one, once.
_EVENT_CHAIN = """
DROP TRIGGER events_append_only_update;
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

# Forward migrations: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2_CLAIM_PROCESS,
    _IMPORT_LAYOUTS,
    _CLAIM_INDEX_PARTIAL,
    _NUMBERS,
    _TEST_RESULTS,
    _OFFICES,
    _INBOUND,
    _EVENT_CHAIN,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers contain ';' inside BEGIN ... END)."""
    statements, buf = [], []
    for line in script.strip().splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if "\n".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
