"""What every benchmark shares: statistics, tables, a results file, tmux driving.

Benchmarks measure a subject against a reference in the same run, alternating
the order round by round (this machine is shared and noisy), and report
min / median / max. Each benchmark script prints its tables and, with
``--json PATH``, writes a :class:`Report` that ``run_all.py`` turns into
docs/performance.md.
"""
from __future__ import annotations

import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PYTHON = sys.executable
NEWSREADER = str(Path(sys.executable).parent / "newsreader")
WORK = Path(os.environ.get("NR_BENCH_DIR") or Path(tempfile.gettempdir()) / "nr-bench")


# --------------------------------------------------------------------------- statistics

def percentile(xs: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100), linear interpolation between closest ranks."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


@dataclass
class Stats:
    n: int
    min: float
    median: float
    max: float
    p95: float

    @classmethod
    def of(cls, xs: Sequence[float]) -> "Stats":
        xs = list(xs)
        if not xs:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan)
        return cls(len(xs), min(xs), statistics.median(xs), max(xs), percentile(xs, 95))


def ratio_stats(subject: Sequence[float], reference: Sequence[float]) -> Stats:
    """Ratios of paired runs (run i of the subject over run i of the reference)."""
    return Stats.of([s / r for s, r in zip(subject, reference) if r > 0])


def interleave(rounds: int, subjects: dict[str, Callable[[int], float | None]],
               log: Callable[[str], None] | None = None) -> dict[str, list[float]]:
    """Run every subject once per round, rotating which goes first; collect the results.

    A subject returns a number, or None for "no measurement this round" (not recorded).
    """
    names = list(subjects)
    out: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            value = subjects[name](r)
            if value is not None:
                out[name].append(value)
                if log:
                    log(f"  round {r + 1}/{rounds} {name}: {value:.4g}")
    return out


def eprint(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- tables

def table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> str:
    """A plain-text table: numeric columns right-aligned, text columns left-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [i > 0 and all(_NUMERIC.match(r[i]) for r in cells[1:]) for i in range(len(headers))]
    lines = []
    if title:
        lines.append(title)
    for j, r in enumerate(cells):
        parts = [r[i].rjust(widths[i]) if numeric[i] else r[i].ljust(widths[i])
                 for i in range(len(r))]
        lines.append("  ".join(parts).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


_NUMERIC = re.compile(r"^(n/a|[-+]?[\d,.]+ ?(x|%|ms|s|MB)?|)$")


def _cell(v: object) -> str:
    if isinstance(v, float):
        if v != v:
            return "n/a"
        return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.0f}"


def msf(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.1f}"


def x(r: float) -> str:
    return "n/a" if r != r else f"{r:.2f}x"


# --------------------------------------------------------------------------- results

@dataclass
class Target:
    what: str          # "time to first text (1,000 words)"
    target: str        # "<= 1.5x bare Textual"
    value: str         # "1.31x (median of 5 paired runs; min 1.20x, max 1.44x)"
    met: bool | None   # None: not measured / not applicable in this mode


@dataclass
class Report:
    name: str
    title: str
    command: str = ""
    mode: str = "full"
    tables: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    date: str = ""     # when it was measured (set by run_all.py)

    def add_table(self, text: str) -> None:
        self.tables.append(text)
        print(text + "\n", flush=True)

    def target(self, what: str, target: str, value: str, met: bool | None) -> None:
        self.targets.append(Target(what, target, value, met))
        verdict = "met" if met else "n/a" if met is None else "MISSED"
        print(f"target: {what}: {value} (target {target}): {verdict}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"note: {text}", flush=True)

    def save(self, path: str | Path | None) -> None:
        if path:
            Path(path).write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Report":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        data["targets"] = [Target(**t) for t in data.get("targets", [])]
        return cls(**data)


def add_mode_args(ap) -> None:
    ap.add_argument("--smoke", action="store_true", help="a tiny input, one or two runs (for tests)")
    ap.add_argument("--quick", action="store_true", help="smaller inputs and fewer runs")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON (run_all.py)")


def mode_of(args) -> str:
    return "smoke" if args.smoke else "quick" if args.quick else "full"


def command_line() -> str:
    return " ".join([".venv/bin/python", os.path.relpath(sys.argv[0], ROOT), *map(shlex.quote, sys.argv[1:])])


# --------------------------------------------------------------------------- files

def fresh_dir(prefix: str) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=WORK))


def app_env(data_dir: Path) -> dict[str, str]:
    """Environment for a newsreader child: its own data and config dir, a fixed annotator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSREADER_")}
    env.update(NEWSREADER_DATA_DIR=str(data_dir), NEWSREADER_CONFIG_DIR=str(data_dir / "config"),
               NEWSREADER_ANNOTATOR="bench")
    env.pop("NO_COLOR", None)
    return env


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def rss_of(pid: int) -> dict[str, int]:
    """VmHWM / VmRSS of a live process, in bytes (Linux /proc)."""
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    return out


# --------------------------------------------------------------------------- tmux

class Tmux:
    """A private tmux server (its own socket) for running commands in a real terminal.

    ``start(cmd)`` opens a detached session of the given size running ``cmd``;
    ``wait_for(session, predicate)`` polls ``capture-pane`` every ``interval``
    seconds and returns the time (perf_counter) at which the screen first
    satisfied the predicate, plus that screen.
    """

    def __init__(self, width: int = 120, height: int = 40) -> None:
        if shutil.which("tmux") is None:
            raise SystemExit("tmux is not installed: the terminal benchmarks need it")
        self.socket = f"nrbench-{os.getpid()}"
        self.width, self.height = width, height
        self._n = 0
        # a long-lived session keeps the server up, so every start() pays the same
        self._tmux("new-session", "-d", "-s", "keep", "-x", "20", "-y", "5", "sleep 86400")

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, check=check)

    def start(self, argv: Sequence[str], env: dict[str, str] | None = None,
              cwd: str | Path | None = None) -> tuple[str, float]:
        """Start ``argv`` in a new session; return (session name, perf_counter at launch)."""
        self._n += 1
        name = f"s{self._n}"
        # the server's environment is this process's: pass only the differences
        env = dict(os.environ) if env is None else env
        assignments = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        unset = [f"-u{k}" for k in os.environ if k not in env]
        cmd = "exec env " + " ".join(shlex.quote(a) for a in [*unset, *assignments, *argv])
        args = ["new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height)]
        if cwd:
            args += ["-c", str(cwd)]
        t0 = time.perf_counter()
        self._tmux(*args, cmd)
        return name, t0

    def capture(self, session: str, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", session]
        if escapes:
            args.insert(2, "-e")
        res = self._tmux(*args, check=False)
        return res.stdout

    def pane_pid(self, session: str) -> int | None:
        res = self._tmux("display-message", "-p", "-t", session, "#{pane_pid}", check=False)
        try:
            return int(res.stdout.strip())
        except ValueError:
            return None

    def send_keys(self, session: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", session, *keys, check=False)

    def alive(self, session: str) -> bool:
        return self._tmux("has-session", "-t", session, check=False).returncode == 0

    def wait_for(self, session: str, predicate: Callable[[str], bool], timeout: float = 60.0,
                 interval: float = 0.01, escapes: bool = False) -> tuple[float | None, str, int]:
        """Poll until ``predicate(screen)``: (perf_counter when seen or None, screen, polls)."""
        deadline = time.perf_counter() + timeout
        polls = 0
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.capture(session, escapes)
            polls += 1
            now = time.perf_counter()
            if predicate(screen):
                return now, screen, polls
            if polls % 50 == 0 and not self.alive(session):
                break
            time.sleep(interval)
        return None, screen, polls

    def kill(self, session: str) -> None:
        self._tmux("kill-session", "-t", session, check=False)

    def close(self) -> None:
        self._tmux("kill-server", check=False)

    def __enter__(self) -> "Tmux":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


ANSI = re.compile(r"\x1b\[[0-9;:]*m")


def shows(needle: str) -> Callable[[str], bool]:
    """Predicate: some screen line contains ``needle`` (whitespace-normalised)."""
    want = " ".join(needle.split())

    def pred(screen: str) -> bool:
        return any(want in " ".join(line.split()) for line in screen.splitlines())
    return pred


# --------------------------------------------------------------------------- machine

def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kb = int(fh.readline().split()[1])
            mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for mod in ("textual", "spacy", "rich"):
        try:
            from importlib.metadata import version
            versions[mod] = version(mod)
        except Exception:
            versions[mod] = "?"
    try:
        from newsreader.core.analysis.pipeline import resolve_model
        model = resolve_model(None)
        from importlib.metadata import version
        try:
            model += " " + version(model.replace("_", "-"))
        except Exception:
            pass
    except Exception as exc:  # noqa: BLE001
        model = f"none ({exc})"
    try:
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "?"
    tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("tmux") else "not installed"
    return {
        "nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "textual": versions["textual"],
        "spacy": versions["spacy"], "rich": versions["rich"], "model": model,
        "tmux": tmux, "load average at start": load,
    }


# --------------------------------------------------------------------------- Pilot frames

class FrameClock:
    """Timestamps every frame a running Textual app composes (headless or not).

    It wraps ``App._display``, which the screen calls with each compositor
    update; in headless runs the update is also encoded for a terminal
    (``render_segments``), as a real driver would, before the frame is
    stamped. ``state()`` is sampled at each frame, so a benchmark can find the
    first frame that shows the outcome of a keypress.
    """

    def __init__(self, app, state: Callable[[], object]) -> None:
        self.app = app
        self.state = state
        self.frames: list[tuple[float, object]] = []
        self.first_response: float | None = None
        self._orig = app._display
        app._display = self._display

    def _display(self, screen, renderable) -> None:
        self._orig(screen, renderable)
        if renderable is None:
            return
        if self.app.is_headless:
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(self.app.console)
        self.frames.append((time.perf_counter(), self.state()))

    async def settle(self, since: float, quiet: float = 0.06, timeout: float = 5.0) -> None:
        """Wait until no frame has come for ``quiet`` seconds (after at least one since ``since``)."""
        import asyncio

        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            last = self.frames[-1][0] if self.frames else 0.0
            if last >= since and now - last >= quiet:
                return

    def first_frame_with(self, since: float, state: object) -> float | None:
        for t, st in self.frames:
            if t >= since and st == state:
                return t
        return None

    async def key_latency(self, pilot, key: str, quiet: float = 0.06) -> float | None:
        """Seconds from pressing ``key`` to the first frame showing its final outcome."""
        t0 = time.perf_counter()
        await pilot.press(key)
        await self.settle(t0, quiet)
        t = self.first_frame_with(t0, self.state())
        first = next((ft for ft, _ in self.frames if ft >= t0), None)
        self.first_response = None if first is None else first - t0   # any visible change
        if len(self.frames) > 10_000:
            del self.frames[:-100]
        return None if t is None else t - t0


# --------------------------------------------------------------------------- analyses

def ensure_analyses(articles, log: Callable[[str], None] = eprint) -> Path:
    """Analyse ``articles`` once and keep the results in a cache shared by benchmark runs.

    The cache is newsreader's own AnalysisCache (keyed by article id, analyzer
    version and model), under the benchmark work dir, so a 100,000-word
    document is analysed once per machine, not once per run.
    """
    from newsreader.core.analysis.pipeline import resolve_model
    from newsreader.core.cache import AnalysisCache

    directory = WORK / "analysis-cache"
    cache = AnalysisCache(directory)
    model = resolve_model(None)
    nlp = None
    for article in articles:
        if cache.get(article.id, model) is not None:
            continue
        from newsreader.core.analysis import pipeline

        if nlp is None:
            nlp = pipeline.load_nlp(model)
        t0 = time.perf_counter()
        log(f"analysing {len(article.text.split()):,} words once for the benchmark cache…")
        analysis = pipeline.analyze(article, nlp)
        cache.put(analysis)
        log(f"  done in {time.perf_counter() - t0:.1f}s ({len(analysis.sentences):,} sentences)")
    return directory


def seed_analyses(data_dir: Path, articles) -> None:
    """Copy the cached analyses of ``articles`` into ``data_dir``'s analysis cache."""
    from newsreader.core import paths as paths_mod
    from newsreader.core.analysis.pipeline import resolve_model
    from newsreader.core.cache import AnalysisCache

    source = AnalysisCache(ensure_analyses(articles))
    target = paths_mod.resolve(str(data_dir)).analysis_cache
    target.mkdir(parents=True, exist_ok=True)
    model = resolve_model(None)
    for article in articles:
        path = source.path_for(article.id, model)
        shutil.copy2(path, target / path.name)
