"""PostgreSQL through psycopg 3: a connection that speaks the store's SQL.

The store's queries are written once, in the SQL both engines share; this adapter turns the few
SQLite spellings in them into PostgreSQL's (``?`` and ``:name`` placeholders, ``INSERT OR
IGNORE``, ``IS ?``, ``INDEXED BY``), gives rows that read by index and by name like
``sqlite3.Row``, and a ``lastrowid`` for single-row inserts (``RETURNING id``). What differs in
kind, not in spelling (claims with ``FOR UPDATE SKIP LOCKED``, the schema's DDL, COPY), is
written for PostgreSQL where it is used. psycopg is imported here only: SQLite users never load
it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import FloatLoader

from callroom.config import safe_url  # noqa: F401 (re-exported for the store)

# tables whose single-row INSERTs report the new row's id (sqlite3's cursor.lastrowid)
_ID_TABLES = frozenset(
    {
        "batches",
        "tasks",
        "attempts",
        "events",
        "import_layouts",
        "result_files",
        "results",
        "roster",
    }
)
# The importers' private scratch databases (SQLite: ``ATTACH '' AS import_stage``) are temporary
# tables here, which PostgreSQL likewise keeps per connection and drops when it closes:
# ``import_stage.rows`` is ``import_stage_rows``.
SCRATCH = ("import_stage", "results_stage", "results_plan")
_SCRATCH = "|".join(SCRATCH)
# JSON columns holding lists (the rest hold objects): json_each walks elements or members
_JSON_LISTS = ("alt_phones", "dead_phones", "headers")
_SCRATCH_INSERT = re.compile(
    rf"^INSERT INTO ((?:{_SCRATCH})_\w+) \(([^)]*)\) VALUES \(((?:\s*(?:%s|\d+)\s*,?)*)\)$"
)
_INSERT_VALUES = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\([^)]*\)\s*VALUES\s*\(", re.I | re.S)


def is_url(text: str) -> bool:
    return bool(re.match(r"^postgres(ql)?://", text.strip(), re.I))


class Row:
    """A result row read by position or by column name, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple, index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values
        return self._values == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Row({self._values!r})"


def _row_factory(cursor: psycopg.Cursor) -> Any:
    index: dict[str, int] = {}
    for i, col in enumerate(cursor.description or ()):
        index.setdefault(col.name, i)  # the first of two same-named columns, as sqlite3 does

    def make(values: Any) -> Row:
        return Row(tuple(values), index)

    return make


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, bool]:
    """(PostgreSQL text, whether RETURNING id was added for lastrowid)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":  # a literal or a quoted name: copied as it is (but % doubled)
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1].replace("%", "%%"))
            i = j + 1
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == "%":
            out.append("%%")
            i += 1
        elif (
            c == ":"
            and i + 1 < n
            and (sql[i + 1].isalpha() or sql[i + 1] == "_")
            and (i == 0 or sql[i - 1] != ":")
        ):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(f"%({sql[i + 1 : j]})s")
            i = j
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    if m := re.match(rf"^\s*ATTACH DATABASE '' AS ({_SCRATCH})\s*$", text):
        return "SELECT 1", False
    if m := re.match(rf"^\s*DETACH DATABASE ({_SCRATCH})\s*$", text):
        return _drop_scratch(m.group(1)), False
    if re.match(r"^\s*PRAGMA\b", text, re.I):
        # SQLite's tuning of its own file (cache, sync, checkpoints): nothing to do here
        return ("SELECT 0, 0, 0" if "wal_checkpoint" in text else "SELECT 0"), False
    text = re.sub(rf"\bCREATE (UNIQUE )?INDEX ({_SCRATCH})\.(\w+) ON (\w+)",
                  r"CREATE \1INDEX \2_\3 ON \2_\4", text)  # fmt: skip
    text = re.sub(rf"\b({_SCRATCH})\.(\w+)", r"\1_\2", text)
    if re.match(rf"^\s*CREATE TABLE ({_SCRATCH})_", text):
        text = re.sub(r"^\s*CREATE TABLE", "CREATE TEMP TABLE", text)
        text = re.sub(r"\bINTEGER PRIMARY KEY\b",
                      "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text)  # fmt: skip
    text = re.sub(
        r"\bJOIN\s+json_each\(([\w.]+)\)\s+(\w+)",
        lambda m: f"CROSS JOIN LATERAL {_json_each(m.group(1), m.group(2))}",
        text,
    )
    text = re.sub(r"\bjson_each\(([\w.]+)\)\s+(\w+)", lambda m: _json_each(m.group(1), m.group(2)),
                  text)  # fmt: skip
    text = re.sub(r"\bINDEXED\s+BY\s+\w+", "", text, flags=re.I)
    # a scratch table named bare inside its own statement (SQLite: `rows.person`)
    for prefix, name in set(re.findall(rf"\b({_SCRATCH})_(\w+)", text)):
        if re.search(rf"\b{prefix}_{name}\s+(AS\s+)?{name}\b", text):
            continue  # the bare name is its alias
        text = re.sub(rf"(?<![\w.]){name}\.", f"{prefix}_{name}.", text)
    text = re.sub(r"json_extract\(([\w.]+), '\$\.(\w+)'\) = 1",
                  r"(\1::jsonb ->> '\2') IN ('true', '1')", text)  # fmt: skip
    text = re.sub(
        r"json_set\(([\w.]+), '\$\.(\w+)', json\('(\w+)'\), '\$\.(\w+)', %s\)",
        r"jsonb_set(jsonb_set(\1::jsonb, '{\2}', '\3'::jsonb), '{\4}', to_jsonb(%s))::text",
        text,
    )
    text = re.sub(r"\bjson_object\(", "json_build_object(", text)
    text = re.sub(r"\bjson_array_length\(([\w.]+)\)", r"json_array_length(\1::json)", text)
    # SQLite's CROSS JOIN ... ON fixes the join order; PostgreSQL spells it JOIN ... ON
    text = re.sub(r"\bCROSS JOIN (\w+ \w+) ON\b", r"JOIN \1 ON", text)
    text = re.sub(r"\bIS\s+NOT\s+%s", "IS DISTINCT FROM %s", text, flags=re.I)
    text = re.sub(r"\bIS\s+%s", "IS NOT DISTINCT FROM %s", text, flags=re.I)
    text = re.sub(r"\bmain\.(\w)", r"\1", text)
    text = re.sub(r"(?<![\w.])temp\.(\w)", r"pg_temp.\1", text)
    ignore = re.match(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", text, re.I)
    if ignore:
        text = "INSERT INTO" + text[ignore.end() :]
        text = _before_returning(text, " ON CONFLICT DO NOTHING")
    added = False
    m = _INSERT_VALUES.match(text)
    if m and m.group(1).lower() in _ID_TABLES and not re.search(r"\bRETURNING\b", text, re.I):
        text = text.rstrip().rstrip(";") + " RETURNING id"
        added = True
    return text, added


def _json_each(column: str, alias: str) -> str:
    if column.rsplit(".", 1)[-1] in _JSON_LISTS:
        return f"json_array_elements_text({column}::json) AS {alias}(value)"
    return f"json_each_text({column}::json) WITH ORDINALITY AS {alias}(key, value, id)"


def _drop_scratch(prefix: str) -> str:
    return (
        "DO $$DECLARE r record; BEGIN FOR r IN SELECT c.relname FROM pg_class c "
        "WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r' "
        f"AND starts_with(c.relname, '{prefix}_') LOOP "
        "EXECUTE format('DROP TABLE IF EXISTS pg_temp.%%I', r.relname); END LOOP; END $$"
    )


def _before_returning(text: str, clause: str) -> str:
    m = re.search(r"\bRETURNING\b", text, re.I)
    if m is None:
        return text.rstrip().rstrip(";") + clause
    return text[: m.start()].rstrip() + clause + " " + text[m.start() :]


class Cursor:
    """What the store reads from an executed statement (a subset of sqlite3.Cursor)."""

    def __init__(self, cur: psycopg.Cursor, added_id: bool) -> None:
        self._cur = cur
        self.lastrowid: int | None = None
        if added_id:
            row = cur.fetchone()
            self.lastrowid = row[0] if row is not None else None

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    def fetchone(self) -> Any:
        if self.lastrowid is not None or self._cur.description is None:
            return None
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        if self.lastrowid is not None or self._cur.description is None:
            return []
        return self._cur.fetchall()

    def fetchmany(self, size: int) -> list[Any]:
        if self.lastrowid is not None or self._cur.description is None:
            return []
        return self._cur.fetchmany(size)

    def __iter__(self):
        return iter(self.fetchall())


class Connection:
    """One psycopg connection in autocommit mode (the store says BEGIN and COMMIT itself)."""

    engine = "postgres"

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        self.url = url
        self.raw = psycopg.connect(
            url,
            autocommit=True,
            row_factory=_row_factory,
            connect_timeout=connect_timeout,
            application_name="callroom",
        )
        # sums and averages come back as float, not Decimal, as from SQLite
        self.raw.adapters.register_loader("numeric", FloatLoader)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        text, added = translate(sql)
        cur = self.raw.cursor()
        cur.execute(text, _params(params))
        return Cursor(cur, added)

    def executemany(self, sql: str, seq: Any) -> Cursor:
        text, _ = translate(sql)
        if m := _SCRATCH_INSERT.match(text):
            # rows into an import's staging table: COPY, PostgreSQL's bulk load
            table, columns, values = m.group(1), m.group(2), m.group(3)
            items = [v.strip() for v in values.split(",")]
            cur = self.raw.cursor()
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[arg-type]
                for params in seq:
                    given = iter(params)
                    copy.write_row([next(given) if v == "%s" else int(v) for v in items])
            return Cursor(cur, False)
        text = text.removesuffix(" RETURNING id")
        cur = self.raw.cursor()
        cur.executemany(text, [_params(p) for p in seq])
        return Cursor(cur, False)

    def script(self, sql: str) -> None:
        """Several statements at once, as they are (DDL)."""
        self.raw.execute(sql)  # type: ignore[arg-type]

    def copy(self, statement: str):
        return self.raw.cursor().copy(statement)  # type: ignore[arg-type]

    def close(self) -> None:
        self.raw.close()


def _params(params: Any) -> Any:
    if params is None:
        return ()
    if isinstance(params, dict):
        return params
    return tuple(params)


# --- errors ------------------------------------------------------------------------------------

# waiting for another transaction: retried inside the store, then StoreBusy
RETRY = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
    pg_errors.QueryCanceled,
)


def classify(exc: BaseException) -> str | None:
    """The store.* key for a PostgreSQL error a user can meet, or None (a bug)."""
    if isinstance(exc, RETRY):
        return "store.busy"
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return "store.pg_rights"
    if isinstance(exc, pg_errors.DiskFull):
        return "store.pg_disk_full"
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return "store.pg_read_only"
    if isinstance(exc, pg_errors.InvalidPassword | pg_errors.InvalidAuthorizationSpecification):
        return "store.pg_auth"
    if isinstance(exc, pg_errors.InvalidCatalogName):
        return "store.pg_no_database"
    if isinstance(exc, psycopg.OperationalError):
        text = str(exc).lower()
        if "password" in text or "authentication" in text:
            return "store.pg_auth"
        if "does not exist" in text and "database" in text:
            return "store.pg_no_database"
        return "store.pg_unreachable"
    return None


def reason(exc: BaseException) -> str:
    """The server's first line, without the URL (which may carry a password)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"postgres(ql)?://\S+", "postgresql://...", text)
