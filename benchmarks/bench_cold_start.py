"""Cold start of the caller screen: from process start to the first card painted, 100k tasks.

Each sample is a fresh Python process, timed from just before it is spawned (time.perf_counter
is CLOCK_MONOTONIC, the same clock in every process) to the moment the first card has been
painted. The callroom child does what `callroom call` does: imports the CLI module and
callroom.app, loads the config, opens the store, builds the app with make_app(config, store)
and runs it headless at 80x24; the time is taken in `call_after_refresh` after the card screen
showed its first card (claimed on a 100,000-task database), and the card's phone is checked on
the screen. References, in fresh processes too: a bare Textual app's first frame (a Static,
headless), `import textual.app` alone, and Python's own start-up.

Unless --no-pty, the real `callroom call` is also started in a pseudo-terminal (80x24) and timed
to the first bytes that show the card's phone number; then `q` quits it (the card is released).

The database is in the OS page cache (built just before) and callroom's modules are compiled
(.pyc, as after a first start): this is a cold process, not a cold disk or a first install.

    python benchmarks/bench_cold_start.py [--tasks 100000] [--runs 5] [--no-pty]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from task_fill import fill_tasks  # noqa: E402

from callroom.config import load_config, workspace_config_text  # noqa: E402
from callroom.store import Store  # noqa: E402

BARE_FIRST_FRAME = 0.19  # FACTS: a bare Textual app's first frame, on this kind of machine
TARGET = 1.5  # the caller's first card, at most this many times a bare app's first frame (pty)
KEYS_FOR_MEMORY = 20
RSS_TARGET_MB = 50
TIMEOUT = 60.0

# The child, run with `python -c`: its first statement notes the time, so "start" is the moment
# Python began running code (interpreter start-up before it).
CHILD = r"""
import time
t0 = time.perf_counter()
import json, sys
mode = sys.argv[1]
out = {"start": t0}
if mode == "import":
    import textual.app
    out["ready"] = time.perf_counter()
elif mode == "bare":
    from textual.app import App
    from textual.widgets import Static
    out["imported"] = time.perf_counter()

    class Bare(App):
        def compose(self):
            yield Static("first frame")

        def on_mount(self):
            self.call_after_refresh(self.painted)

        def painted(self):
            out["ready"] = time.perf_counter()
            self.exit()

    Bare().run(headless=True, size=(80, 24))
elif mode == "call":
    import callroom.launch  # what the `callroom` command loads first
    from callroom.app import make_app
    from callroom.config import load_config
    from callroom.numbers import display
    from callroom.store import Store
    out["imported"] = time.perf_counter()
    cfg = load_config(sys.argv[2], {"operator": "bench"})
    store = Store(cfg)
    app = make_app(cfg, store)
    out["built"] = time.perf_counter()
    screen = app.call_screen
    show_card, show_empty = screen.show_card, screen.show_empty

    def painted():
        out["ready"] = time.perf_counter()
        strips = app.screen._compositor.render_strips()
        text = "".join("".join(s.text for s in strip) for strip in strips)
        out["card"] = screen.card.id
        out["on_screen"] = display(screen.card.phone).replace(" ", "") in "".join(text.split())
        app.exit()

    def first_card(data, *args, **kwargs):
        show_card(data, *args, **kwargs)
        if "ready" not in out:
            app.call_after_refresh(painted)

    def no_card(data):
        show_empty(data)
        out["error"] = "no card was offered (outside calling hours?)"
        app.exit()

    screen.show_card, screen.show_empty = first_card, no_card
    app.run(headless=True, size=(80, 24))
    store.close()
print(json.dumps(out))
"""

ANSI = re.compile(rb"\x1b(?:\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|.)")
PHONE_ON_SCREEN = re.compile(rb"1[3-9][0-9] +[0-9]{4} +[0-9]{4}")  # display(): "139  0000  0000"


def build(folder: Path, tasks: int) -> Path:
    """A config (calling hours all day, so a card is offered at any hour) and 100k tasks."""
    config = folder / "callroom.toml"
    config.write_text(workspace_config_text("bench.db"), "utf-8")
    cfg = load_config(config, {"operator": "bench"})
    with Store(cfg, create=True) as store:
        fill_tasks(store, tasks)
    return config


def child(mode: str, config: Path) -> dict[str, float]:
    """One fresh process; times relative to just before it was spawned."""
    spawned = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(config)],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=config.parent,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{mode} child failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if "error" in out or out.get("on_screen") is False:
        raise SystemExit(f"{mode} child: {out}")
    return {k: v - spawned if isinstance(v, float) else v for k, v in out.items()}


# A bare Textual app for the pseudo-terminal: one Static, quits on q.
BARE_TTY = r"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit")]

    def compose(self):
        yield Static("bare first frame")


Bare().run()
"""
BARE_ON_SCREEN = re.compile(rb"bare first frame")


def in_terminal(
    argv: list[str], cwd: Path, shown: re.Pattern[bytes], keys: int = 0
) -> tuple[float, dict[str, int]]:
    """A program in an 80x24 pseudo-terminal: seconds from spawn to the first output that shows
    ``shown``; then ``keys`` outcome keys (0.6 s apart: past the settle time), its memory
    (VmRSS, VmHWM in kB from /proc), and `q` quits it."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    spawned = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""
    seconds = None
    try:
        while seconds is None and time.perf_counter() - spawned < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            now = time.perf_counter()
            seen += chunk
            if shown.search(ANSI.sub(b"", seen)):
                seconds = now - spawned
        if seconds is None:
            raise SystemExit(f"{argv[0]} showed nothing; it wrote:\n{seen[-2000:]!r}")
        for i in range(keys):
            os.write(master, b"34569"[i % 5 : i % 5 + 1])  # outcomes that need no dialog
            until = time.perf_counter() + 0.6
            while time.perf_counter() < until:
                if select.select([master], [], [], 0.05)[0]:
                    os.read(master, 65536)
        memory = {}
        with open(f"/proc/{proc.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    memory[name] = int(value.split()[0])
        os.write(master, b"q")  # quit (callroom gives the card back)
        deadline = time.perf_counter() + 15
        while proc.poll() is None and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    os.read(master, 65536)  # keep draining, or the app blocks on a full pty
                except OSError:
                    break
        if proc.poll() is None:
            proc.terminate()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        os.close(master)
    return seconds, memory


def callroom_in_terminal(config: Path, keys: int = 0) -> tuple[float, dict[str, int]]:
    """`callroom call` in a pseudo-terminal, to the first output showing a card's phone."""
    exe = shutil.which("callroom", path=str(Path(sys.executable).parent)) or "callroom"
    argv = [exe, "--config", str(config), "--operator", "bench", "call"]
    return in_terminal(argv, config.parent, PHONE_ON_SCREEN, keys)


def bare_in_terminal(folder: Path) -> float:
    """The bare Textual app in a pseudo-terminal, to the first output showing its text."""
    return in_terminal([sys.executable, "-c", BARE_TTY], folder, BARE_ON_SCREEN)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement")
    parser.add_argument("--no-pty", action="store_true", help="skip the real `callroom call`")
    args = parser.parse_args()

    samples: dict[str, list[dict[str, float]]] = {
        "python": [],
        "import": [],
        "bare": [],
        "call": [],
    }
    terminal: list[float] = []
    bare_terminal: list[float] = []
    # a caller's machine runs from .pyc files written on the first start (pip wrote Textual's at
    # install); PYTHONDONTWRITEBYTECODE in some shells would otherwise compile callroom every time
    compileall.compile_dir(ROOT / "callroom", quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        config = build(Path(tmp), args.tasks)
        child("call", config)  # warm-up: .pyc files and the page cache, not counted
        for _ in range(args.runs):  # interleaved, so drift in the machine's load hits all alike
            spawned = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            samples["python"].append({"ready": time.perf_counter() - spawned})
            for mode in ("import", "bare", "call"):
                samples[mode].append(child(mode, config))
            if not args.no_pty:
                bare_terminal.append(bare_in_terminal(config.parent))
                terminal.append(callroom_in_terminal(config)[0])
        if not args.no_pty:
            _, memory = callroom_in_terminal(config, keys=KEYS_FOR_MEMORY)

    def med(mode: str, key: str = "ready") -> float:
        return statistics.median(s[key] for s in samples[mode])

    def worst(mode: str, key: str = "ready") -> float:
        return max(s[key] for s in samples[mode])

    call, bare, imp = med("call"), med("bare"), med("import")
    print(f"cold start to first card, {args.tasks:,} tasks, {args.runs} fresh processes each")
    print("  from spawn                                  median     max")
    rows = [
        ("python -c pass (exit)", "python"),
        ("import textual.app", "import"),
        ("bare Textual app, first frame", "bare"),
        ("callroom caller screen, first card", "call"),
    ]
    for label, mode in rows:
        print(f"  {label:42s} {med(mode):6.3f} s {worst(mode):6.3f} s")
    if terminal:
        label = "bare Textual app in a pty, first frame"
        print(f"  {label:42s} {statistics.median(bare_terminal):6.3f} s "
              f"{max(bare_terminal):6.3f} s")  # fmt: skip
        label = "`callroom call` in a pty, card on screen"
        print(f"  {label:42s} {statistics.median(terminal):6.3f} s {max(terminal):6.3f} s")
    print(
        f"  callroom: python up {med('call', 'start'):.3f} s, imports done "
        f"{med('call', 'imported'):.3f} s (callroom.launch + callroom.app), app built "
        f"{med('call', 'built'):.3f} s, first card painted {call:.3f} s (medians)"
    )
    print(
        f"  ratio: {call / imp:.2f} x import textual.app, {call / bare:.2f} x a bare app's "
        f"first frame here ({bare:.3f} s; FACTS ~{BARE_FIRST_FRAME} s: "
        f"{call / BARE_FIRST_FRAME:.2f} x)"
    )
    if terminal:
        rss = memory["VmRSS"] / 1024
        print(f"  memory of `callroom call` after {KEYS_FOR_MEMORY} outcome keys: RSS {rss:.1f} MiB "
              f"(peak {memory['VmHWM'] / 1024:.1f} MiB), target <= {RSS_TARGET_MB} MB: "
              f"{'PASS' if memory['VmRSS'] * 1024 <= RSS_TARGET_MB * 1e6 else 'FAIL'}")  # fmt: skip
        ratio = statistics.median(terminal) / statistics.median(bare_terminal)
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(f"  in a pty: callroom's first card / a bare app's first frame = {ratio:.2f} x "
              f"(target <= {TARGET}): {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
