"""Mutation testing of the pure core: how much of its behaviour do the tests pin down?

Usage (from the project root, test extra installed):

    python benchmarks/mutation.py                    # every module in [tool.mutmut] only_mutate
    python benchmarks/mutation.py callroom/when.py   # one module while you work on its tests
    python benchmarks/mutation.py --fresh            # throw away mutmut's cache (mutants/) first
    python benchmarks/mutation.py --survivors MODULE # test again only the last run's survivors

mutmut 3 copies the package into mutants/, rewrites each function of the listed modules so a
switch picks its original or one small change (a flipped comparison, an off-by-one constant,
`and` for `or`, a dropped argument, a changed string), records once which tests call which
function, and then runs, for every mutant, only the tests that cover its function, stopping at
the first failure. A mutant no test notices "survived": a change in behaviour the suite lets
through, or an equivalent mutant (same behaviour), listed below with the reason.

The modules come from one list, `only_mutate` in pyproject.toml's [tool.mutmut]; FUNCTIONS below
narrows a module to some of its functions. One worker process and `nice`: the machine is shared.
Prints a Markdown table per module (for README's "Testing" section) and every survivor not
judged equivalent; exits 1 when a module scores under --min percent.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")

# Modules scored on some of their functions only (module -> function names, methods as
# "Class.method"). reports.py: the functions that compute the lead's figures; the query that picks
# the lists in scope and the JSON dump are left out.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "callroom.reports": (
        "build",
        "_rates",
        "_callers",
        "_counts",
        "_list_params",
        "_lines",
        "urgent_wait",
        "wait_summary",
        "sparkline",
        "chart_slots",
        "mask_line",
        "BatchProgress.matched",
        "BatchProgress.share",
        "BatchProgress.verified_share",
        "Report.matched",
    ),
    # dialing.py: the argument list is pure; running the program is not
    "callroom.dialing": ("dial_argv",),
    # rows.py: how a cell reads as text and the flag words; the row reader itself (a class wired
    # to the config, the header plan and the ID/phone parsers) is covered by the import tests
    "callroom.importer.rows": ("cell_text", "flags_text", "FlagWords.__init__", "FlagWords.find"),
    # header.py: finding the header row and the column letters; the sheet plan built on the
    # roles is left to the import tests (its many branches would not fit the time budget)
    "callroom.importer.header": (
        "column_letter",
        "letter_index",
        "_texty",
        "_blank",
        "filled",
        "_data_like",
        "_combined",
        "_score",
        "find_header",
        "_pairs",
        "signature",
        "header_line",
    ),
}


@dataclass(frozen=True)
class Equivalent:
    """A surviving mutant judged to change nothing a user or a caller of the function can see.

    Matched by function and by the mutated line (text after the change, whitespace ignored), not
    by mutmut's mutant number, which shifts whenever the function changes.
    """

    function: str  # "callroom.when._clock"
    after: str  # a piece of the mutated line, as `mutmut show` prints it after "+"; "" for all
    why: str


EQUIVALENT: tuple[Equivalent, ...] = (
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "while size >= width:",
        "a piece exactly as wide as the line fills a line of its own either way: cut whole, or "
        "started on a new line that nothing else fits on",
    ),
    Equivalent(
        "callroom.route.cn_number",
        "total, digit = 0, 1",
        "with 十 or 百 in the numeral, the first character either sets digit or reads it as "
        "'digit or 1': a first value of 1 reads the same",
    ),
    Equivalent(
        "callroom.route.cn_number",
        "total = (digit or 1) * 100",
        "百 comes first in a numeral under a thousand: total is still 0 when it is read",
    ),
    Equivalent(
        "callroom.route.parse_address",
        "tail = rest[unit.end() :] if (unit) and False else rest",
        "the room is read from the digits at the very end, after the unit whenever there is one",
    ),
    Equivalent(
        "callroom.route._natural",
        '(0, int(part), "XXXX")',
        "the third field of a number is the same constant for every number",
    ),
    Equivalent(
        "callroom.route._natural",
        "else (2, 0, part)",
        "text still sorts after numbers (0 < 2) and among text the tag is the same",
    ),
    Equivalent(
        "callroom.route._natural",
        "else (1, 1, part)",
        "the second field of a text part is the same constant for every text part",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "pending_space = cell_len(piece)",
        "consecutive blanks are one atom (\\s+): a space piece always follows a non-space one",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "while cut <= b and",
        "the loop cuts a piece wider than the line: it stops before the piece's end",
    ),
    Equivalent(
        "callroom.importer.rows.FlagWords.__init__",
        "sorted(self.by_word, key=None, reverse=True)",
        "only a word that begins another can change which flag matches, and backwards "
        "alphabetical order also puts the longer of the two first",
    ),
    Equivalent(
        "callroom.importer.rows.FlagWords.__init__",
        "sorted(self.by_word, reverse=True)",
        "only a word that begins another can change which flag matches, and backwards "
        "alphabetical order also puts the longer of the two first",
    ),
    Equivalent(
        "callroom.report_text.flow",
        "line = None",
        "line starts falsy either way and is set by the first item before anything appends it",
    ),
    Equivalent(
        "callroom.report_text.chart_line",
        "if room <= len(shown):",
        "room == len(shown) cuts len(shown) - room = 0 slots: the same line",
    ),
    Equivalent(
        "callroom.report_text.due",
        "t=span(+minutes_left, lang)",
        "span() shows the size of a span, abs() of what it is given",
    ),
    Equivalent(
        "callroom.report_text.wrap",
        "line = None",
        "line starts falsy either way and is set by the first word before anything appends it",
    ),
    Equivalent(
        "callroom.report_text._lists_table",
        "zip(states, r[figures:], strict=None)",
        "every row has one count per state column: strict never fires",
    ),
    Equivalent(
        "callroom.report_text._lists_table",
        "zip(states, r[figures:], )",
        "every row has one count per state column: strict never fires",
    ),
    Equivalent(
        "callroom.report_text._lists_table",
        "zip(states, r[figures:], strict=False)",
        "every row has one count per state column: strict never fires",
    ),
    Equivalent(
        "callroom.schedule._after",
        "order[: start - 1]",
        "the wrapped part of the order starts at the first number: its first candidate is "
        "candidates[0], the fallback below, however far it runs",
    ),
    Equivalent(
        "callroom.schedule._after",
        "order[: start + 2]",
        "the wrapped part of the order starts at the first number: its first candidate is "
        "candidates[0], the fallback below, however far it runs",
    ),
    Equivalent(
        "callroom.importer.header._combined",
        "group: object = None",
        "Header.of reads a group of None as no group, as it does ''",
    ),
    Equivalent(
        "callroom.importer.header._combined",
        'Header.of("" if (_blank(top)) and False else top)',
        "a blank top cell (None, '' or spaces) gives the empty header either way: Header.of "
        "collapses blanks",
    ),
    Equivalent(
        "callroom.importer.roles.Assignment.columns_for",
        "",
        "dead code: nothing calls Assignment.columns_for (left for the importer's owner to remove)",
    ),
    Equivalent(
        "callroom.linebreak.atoms",
        "glue_next = None",
        "glue_next is read only once a piece exists, and every piece sets it afresh",
    ),
    Equivalent(
        "callroom.linebreak.atoms",
        "glue_next = True",
        "glue_next is read only once a piece exists, and every piece sets it afresh",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "end = None",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "end = 1",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "used = None",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "used = 1",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "pending_space = None",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.linebreak._break_paragraph",
        "pending_space = 1",
        "end, used and pending_space are read only once a line has started, and the piece that "
        "starts it sets all three",
    ),
    Equivalent(
        "callroom.importer.roles.is_id_type",
        "return 1 < len(text) <= 20",
        "every ID-type word is two characters or more: a one-character cell never matches",
    ),
    Equivalent(
        "callroom.importer.roles.is_id_type",
        "return 0 <= len(text) <= 20",
        "an empty cell never matches an ID-type word",
    ),
    Equivalent(
        "callroom.schedule.ScheduleError.__init__",
        "code: str =",
        "nothing reads ScheduleError.code: the store tells a missing callback time from a past "
        "one by the time itself (store._schedule_error)",
    ),
    Equivalent(
        "callroom.schedule.ScheduleError.__init__",
        "self.code = None",
        "nothing reads ScheduleError.code: the store tells a missing callback time from a past "
        "one by the time itself (store._schedule_error)",
    ),
    Equivalent(
        "callroom.schedule.into_calling_hours",
        "if t <= config.hours_start:",
        "a time exactly at opening is moved to the opening: the same time",
    ),
    Equivalent(
        "callroom.privacy.mask_name",
        "name.split(None)",
        "the name's blanks were already collapsed to single spaces: both splits give the same words",
    ),
    Equivalent(
        "callroom.ids._weighted",
        "weights, )",
        "the key and the weights always have the same length: strict never fires",
    ),
    Equivalent(
        "callroom.ids._weighted",
        "weights, strict=False)",
        "the key and the weights always have the same length: strict never fires",
    ),
    Equivalent(
        "callroom.ids._weighted",
        "weights, strict=None)",
        "the key and the weights always have the same length: strict never fires",
    ),
    Equivalent(
        "callroom.ids._birth",
        "int(text[6:9])",
        "_birth is given the 8 characters YYYYMMDD: [6:9] and [6:8] are the same slice",
    ),
    Equivalent(
        "callroom.ids.check_char",
        "_T5[first17[15:18]]",
        "check_char is given 17 characters: [15:18] and [15:17] are the same slice",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        "born = _birth(text[6:15])",
        "_birth reads only the first 8 characters it is given",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        'born = _birth("19" + text[6:13])',
        "_birth reads only the first 8 characters it is given",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        "if check_char(text[:18]) != text[17]:",
        "check_char reads only the first 17 characters it is given",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        "12 <= len(text) <= 18",
        "18 digits always match the 18-digit form and return before this line",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        "12 <= len(text) < 19",
        "18 digits always match the 18-digit form and return before this line",
    ),
    Equivalent(
        "callroom.ids.parse_id",
        "if type(None) is str and value.isascii() and value.isalnum():",
        "switches off a shortcut: the general path gives the same IdNumber for plain ASCII "
        "letters and digits (NFKC, strip, upper and the separators change nothing there)",
    ),
    Equivalent(
        "callroom.when._month_day",
        "(today.year - dy, month, day_) for dy in (-1, 0, 1)",
        "the same three years in another order; the nearest date is picked by its distance",
    ),
    Equivalent(
        "callroom.when.parse_date",
        "(today.year, today.month - k) for k in (-1, 0, 1)",
        "the same three months in another order; the nearest date is picked by its distance",
    ),
    Equivalent(
        "callroom.when._nearest",
        "d >= today",
        "the tie-break only orders dates at the same distance; only one date is 0 days away",
    ),
    Equivalent(
        "callroom.when._relative",
        "pos = None",
        "body[None:start] is body[0:start]",
    ),
    Equivalent(
        "callroom.when.WhenError.__init__",
        "super().__init__(None)",
        "the exception's message: the dialogs show the translation of .code, never str(error)",
    ),
    Equivalent(
        "callroom.phones.display",
        "for area_len in (2, 4):",
        "the loop's second value is only compared with 2: 3 and 4 both fall through",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        'digits = "XX+XX" +',
        "phonenumbers drops what comes before the '+' it is given: 'XX+XX852...' reads as '+852...'",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        'elif not digits.startswith("XX+XX") and len(plain) == 13 and plain.startswith("861"):',
        "with a '+' already there, '+' + plain is digits itself",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        "if fast := fast_mobile(text, None):",
        "switches off the first shortcut: the second one, after cleaning, takes the same cells "
        "and still never calls phonenumbers",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        "if fast := fast_mobile(region):",
        "switches off the first shortcut: the second one, after cleaning, takes the same cells "
        "and still never calls phonenumbers",
    ),
    Equivalent(
        "callroom.phones.plain_mobile",
        "1.3e10 <= value <= 2e10",
        "20000000000 starts with 200, no mobile prefix: refused a few lines down either way",
    ),
    Equivalent(
        "callroom.phones.plain_mobile",
        "1.3e10 <= value < 20000000001.0",
        "20000000000 starts with 200, no mobile prefix: refused a few lines down either way",
    ),
    Equivalent(
        "callroom.phones.split_cell",
        "if len(words) >= 1 and",
        "one word is the whole (stripped) part: extending by it appends the same piece",
    ),
    Equivalent(
        "callroom.when.parse_callback",
        "period = None",
        "no period: None and '' both mean 24-hour time to every check that reads it",
    ),
    Equivalent(
        "callroom.reports._callers",
        ".total_seconds() / 3601",
        "judged: moves calls per hour by 0.03%, shown to one decimal",
    ),
    Equivalent(
        "callroom.reports._callers",
        "hours = None",
        "hours keeps its first value only for a caller with no calls: 0 calls an hour either way",
    ),
    Equivalent(
        "callroom.reports._callers",
        "hours = 1.0",
        "hours keeps its first value only for a caller with no calls: 0 calls an hour either way",
    ),
    Equivalent(
        "callroom.reports._callers",
        '(calls[-1]["at"] if (calls) or True else None)',
        "a caller with neither calls nor events is not listed, so calls is never empty here",
    ),
    Equivalent(
        "callroom.reports._lines",
        "waited_minutes=int((end - created).total_seconds() / 60)",
        "a wait is never negative: int() truncates as // floors",
    ),
    Equivalent(
        "callroom.reports.build",
        "_lines(store, ids, None,",
        "_lines never reads its marks argument (it numbers its own parameters)",
    ),
    Equivalent(
        "callroom.reports.build",
        '"field_visits", None, list_limit)',
        "field visits are closed tasks: their wait ends at closed_at and the query has no :now",
    ),
    Equivalent(
        "callroom.reports.build",
        '"refused", None, list_limit)',
        "refused tasks are closed: their wait ends at closed_at and the query has no :now",
    ),
    Equivalent(
        "callroom.reports.build",
        "slots = [0] * (24 * 61 // SLOT_MINUTES)",
        "1464 // 30 is 48 as 1440 // 30 is",
    ),
    Equivalent(
        "callroom.reports.build",
        'at=fmt(now) or "XXXX"',
        "fmt(now) is never empty",
    ),
    Equivalent(
        "callroom.reports.wait_summary",
        "waits[min(len(waits) + 1,",
        "int(p * n) is below n for p < 1: the min never cuts",
    ),
    Equivalent(
        "callroom.reports._rates",
        'category.get(code, "unknown") if (code) or True else "unknown"',
        "category.get(None, 'unknown') is 'unknown'",
    ),
    Equivalent(
        "callroom.when.parse_callback",
        "for w in sorted(words, key=None, reverse=True):",
        "within a group the only words that begin another (早/早上/早晨, 晚/晚上) sort after "
        "it backwards too: the longer word is still tried first",
    ),
    Equivalent(
        "callroom.when.parse_callback",
        "for w in sorted(words, reverse=True):",
        "within a group the only words that begin another (早/早上/早晨, 晚/晚上) sort after "
        "it backwards too: the longer word is still tried first",
    ),
    Equivalent(
        "callroom.when.parse_callback",
        'day: date | None = ""',
        "no day: '' and None both fall back to today (day or now.date())",
    ),
    Equivalent(
        "callroom.reports.sparkline",
        "top = max(values, default=1)",
        "no values: an empty line either way",
    ),
    Equivalent(
        "callroom.reports.sparkline",
        "if top < 0:",
        "all slots at 0: the general line also gives a blank for each (v > 0 is never true)",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        "plain = digits.lstrip(None)",
        "plain is read only when digits has no '+'; digits has no blanks either",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        'plain = digits.rstrip("+")',
        "plain is read only when digits has no '+'",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        'plain = digits.lstrip("XX+XX")',
        "digits are digits: stripping X as well as '+' strips the same",
    ),
    Equivalent(
        "callroom.phones.parse_phone",
        'elif not digits.startswith("XX+XX") and len(plain) == 11 and plain[:3] in ("852", "853"):',
        "with a '+' already there, '+' + plain is digits itself",
    ),
)

# Modules whose string subscripts are sqlite3.Row keys and whose strings holding SQL keywords are
# SQL: changing the case of either changes nothing (a quoted SQL value, 'claim', does matter).
SQL_MODULES = ("callroom.reports",)
_SQL_WORDS = re.compile(r"\b(select|from|where|and|or|order by|group by|limit|null|count)\b", re.I)
_PY_STRING = re.compile(r'(\[?)"([^"]*)"')
_SQL_VALUE = re.compile(r"'[^']*'")

STATUS_KILLED = ("killed", "timeout", "caught by type check", "segfault")
RESULT_LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+)$")


def modules_from_pyproject() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    paths = data["tool"]["mutmut"]["only_mutate"]
    return [p.removesuffix(".py").replace("/", ".") for p in paths]


def patterns_for(module: str) -> list[str]:
    functions = FUNCTIONS.get(module)
    if not functions:
        return [f"{module}.*"]
    return [f"{module}.{_mangled(f)}__mutmut_*" for f in functions]


def _mangled(function: str) -> str:
    """mutmut's name for a function: x_name, or xǁClassǁmethod for a method."""
    cls, _, name = function.rpartition(".")
    return f"xǁ{cls}ǁ{name}" if cls else f"x_{name}"


def function_of(mutant: str) -> str:
    """callroom.when.x__clock__mutmut_3 -> callroom.when._clock (methods as Class.method)."""
    module, _, generated = mutant.rpartition(".")
    generated = generated.rsplit("__mutmut_", 1)[0]
    if generated.startswith("xǁ"):
        _, cls, name = generated.split("ǁ")
        return f"{module}.{cls}.{name}"
    return f"{module}.{generated.removeprefix('x_')}"


def run_mutmut(patterns: list[str], log: Path) -> int:
    """Run mutmut with one worker; its spinner goes to the log, a progress line every 30 s here."""
    env = dict(os.environ, TEXTUAL_ANIMATIONS="none")
    cmd = [str(MUTMUT), "run", "--max-children", "1", *patterns]
    log.parent.mkdir(exist_ok=True)
    last_print = 0.0
    progress = re.compile(r"(\d+/\d+\s+🎉.*)")
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert proc.stdout is not None
        buffer = ""
        while chunk := proc.stdout.read(4096):
            out.write(chunk)
            buffer = (buffer + chunk)[-4096:]
            if time.monotonic() - last_print > 30:
                pieces = progress.findall(buffer.replace("\r", "\n"))
                if pieces:
                    print("   ", pieces[-1].strip(), flush=True)
                    last_print = time.monotonic()
        return proc.wait()


def results(patterns: list[str]) -> dict[str, str]:
    done = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = {}
    for line in done.stdout.splitlines():
        if (m := RESULT_LINE.match(line)) and any(fnmatch.fnmatch(m["name"], p) for p in patterns):
            found[m["name"]] = m["status"].strip()
    return found


def diff_of(mutant: str) -> str:
    done = subprocess.run(
        [str(MUTMUT), "show", mutant], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout


def changed_lines(diff: str) -> tuple[list[str], list[str]]:
    """(lines taken out, lines put in) of a mutant's diff, whitespace collapsed."""
    before, after = [], []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            before.append(" ".join(line[1:].split()))
        elif line.startswith("+"):
            after.append(" ".join(line[1:].split()))
    return before, after


def _case_only_sql(before: list[str], after: list[str]) -> bool:
    """Only the case of SQL text or of sqlite3.Row keys changed (SQL '...' values unchanged)."""
    if not before or len(before) != len(after):
        return False
    for b, a in zip(before, after, strict=True):
        if b.lower() != a.lower() or _SQL_VALUE.findall(b) != _SQL_VALUE.findall(a):
            return False
        for (b_sub, b_text), (_, a_text) in zip(
            _PY_STRING.findall(b), _PY_STRING.findall(a), strict=True
        ):
            if b_text != a_text and not (b_sub or _SQL_WORDS.search(b_text)):
                return False
    return True


def equivalent_reason(mutant: str, diff: str) -> str | None:
    function = function_of(mutant)
    before, after = changed_lines(diff)
    in_sql_module = any(function.startswith(m + ".") for m in SQL_MODULES)
    if in_sql_module and _case_only_sql(before, after):
        return "SQL keywords and names, and sqlite3.Row keys, ignore case"
    for eq in EQUIVALENT:
        wanted = " ".join(eq.after.split())
        if eq.function == function and any(wanted in line for line in after):
            return eq.why
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="files or dotted names (default: only_mutate)")
    ap.add_argument("--fresh", action="store_true", help="delete mutants/ (mutmut's cache) first")
    ap.add_argument("--min", type=float, default=90.0, help="lowest acceptable score, percent")
    ap.add_argument("--no-run", action="store_true", help="score the last run again, run nothing")
    ap.add_argument(
        "--keep-stats",
        action="store_true",
        help="keep the record of which tests cover what (saves minutes; only when tests were "
        "added since, none changed: a changed test would keep its old coverage)",
    )
    ap.add_argument(
        "--survivors",
        action="store_true",
        help="test again only the survivors of the last run (after new tests were written: the "
        "coverage of new tests is recorded, that of changed tests is not)",
    )
    args = ap.parse_args()

    everything = modules_from_pyproject()
    chosen = [m.removesuffix(".py").replace("/", ".") for m in args.modules] or everything
    unknown = [m for m in chosen if m not in everything]
    if unknown:
        print(f"not in [tool.mutmut] only_mutate of pyproject.toml: {', '.join(unknown)}")
        return 2
    patterns = [p for m in chosen for p in patterns_for(m)]
    os.nice(10)  # other people's tests share these cores

    started = time.monotonic()
    if args.survivors:
        names = [m for m, state in results(patterns).items() if state in ("survived", "no tests")]
        print(f"mutmut run, 1 worker: {len(names)} survivors of {', '.join(chosen)}", flush=True)
        code = run_mutmut(names, ROOT / "mutants" / "run.log") if names else 0
        if code != 0:
            print(f"mutmut failed (exit {code}); its output: mutants/run.log")
            return code
    elif not args.no_run:
        if args.fresh:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        # mutmut 3.8 records which tests cover which function once, then only adds new tests: a
        # changed test would keep its old coverage. Record it again every run (~1 minute).
        if not args.keep_stats:
            (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        print(f"mutmut run, 1 worker: {', '.join(chosen)}", flush=True)
        code = run_mutmut(patterns, ROOT / "mutants" / "run.log")
        if code != 0:
            print(f"mutmut failed (exit {code}); its output: mutants/run.log")
            return code
    run_minutes = (time.monotonic() - started) / 60

    status = results(patterns)
    table: dict[str, Counter[str]] = {m: Counter() for m in chosen}
    open_survivors: list[tuple[str, str, str]] = []
    judged: list[tuple[str, str]] = []
    for mutant, state in sorted(status.items()):
        module = mutant.rsplit(".", 1)[0]
        counts = table[module]
        counts["mutants"] += 1
        if state in STATUS_KILLED:
            counts["killed"] += 1
            continue
        if state == "not checked":
            counts["not checked"] += 1
            continue
        diff = diff_of(mutant)
        if (why := equivalent_reason(mutant, diff)) is not None:
            counts["equivalent"] += 1
            judged.append((mutant, why))
            continue
        counts["no tests" if state == "no tests" else "survived"] += 1
        open_survivors.append((mutant, state, diff))

    print()
    print(
        "| module | mutants | not checked | killed | survived | no tests | equivalent | score "
        "| killed of all checked |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    low = []
    total: Counter[str] = Counter()
    for module, c in [*table.items(), ("all", total)]:
        if module != "all":
            total.update(c)
        # the score leaves judged-equivalent survivors out; "killed of all" counts them as alive
        scored = c["mutants"] - c["equivalent"] - c["not checked"]
        score = 100 * c["killed"] / scored if scored else 100.0
        if score < args.min and module != "all":
            low.append(module)
        checked = c["mutants"] - c["not checked"]
        print(
            f"| {module} | {c['mutants']} | {c['not checked']} | {c['killed']} | {c['survived']} "
            f"| {c['no tests']} | {c['equivalent']} | {score:.1f}% "
            f"| {100 * c['killed'] / checked if checked else 100:.1f}% |"
        )
    if total["not checked"]:
        print(f"\n{total['not checked']} mutants not checked (run interrupted?)")
    all_minutes = (time.monotonic() - started) / 60
    if not args.no_run or args.survivors:
        print(
            f"\n{all_minutes:.1f} minutes: mutmut run {run_minutes:.1f} (1 worker), "
            f"scoring {all_minutes - run_minutes:.1f}"
        )
    if judged:
        print(f"\n{len(judged)} survivors judged equivalent (EQUIVALENT in {Path(__file__).name}):")
        for mutant, why in judged:
            print(f"  {mutant.removeprefix('callroom.')}: {why}")
    for mutant, state, diff in open_survivors:
        before, after = changed_lines(diff)
        print(f"\n{state}: {mutant}")
        for line in before:
            print(f"  - {line}")
        for line in after:
            print(f"  + {line}")
    if low:
        print(f"\nunder {args.min:g}%: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
