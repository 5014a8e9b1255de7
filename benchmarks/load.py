"""A bounded, localhost-only load test of the real server, with a hostile upload in a real browser.

Run: ``python -m benchmarks.load`` (20 sessions × 3 rounds; ``--quick`` for 5 × 1; ``--help``).

Starts ONE server (``streamlit run app.py`` on a free port bound to 127.0.0.1, a fresh temporary
workspace, hence single-user mode), warms it up with one session over every measured page, then
runs the same load twice:

* **baseline** — ``--sessions`` concurrent clients speaking Streamlit's WebSocket protocol (as
  ``tests/test_offline_server.py`` does). Each does ``--rounds`` rounds of: open a new session on
  the default page (规划地图), then go to 亩产效益 or 选址分析 (a rerun naming the page, as the
  browser's navigation does), alternating so that every session sees both (``--all-pages``: both
  in every round). Meanwhile one headless Chromium (Debian's, through Playwright, with the offline
  flags of ``tests/e2e/conftest.py``) sits on 选址分析, idle.
* **hostile** — the same, and when the clients start, the Chromium session uploads as 可供地块 on
  选址分析 a GeoJSON polygon of 5,000 random vertices around (120.3, 36.3), generated at run time:
  repairing it with ``make_valid`` takes minutes and gigabytes. The server parses uploads in a
  bounded worker process (``geo/bounded.py``) that counts the polygon's self-crossings before
  any repair (``geo/selfcross.py``), so the page must show the bilingual refusal ("crosses itself
  more than 1,000 times", or "stopped" at a limit) and no traceback, while the other sessions
  keep being served.

Prints page times (connect or rerun → ``script_finished``): p50/p95/max per run and page, and for
the pages that overlapped the upload next to the same window of the baseline; errors (exceptions
and ``st.error`` shown, page not found, timeouts, disconnects: must be 0); the upload's message
and duration; the resident memory of the server and its child processes (``/proc``: RSS, and PSS,
which counts pages shared with the forkserver once) after warm-up, at peak, once the baseline's
sessions have closed and been freed (the steady level) and again after every session closed;
whether the machine was idle and whether project sources changed during the
run (Streamlit's file watcher then reloads modules under running sessions). Exit code 1 when a
check fails.

Bounded: every loop has a count and a timeout, the whole run a budget (``--budget``, 300 s + two settling times; each
load run gets its share and starts no round past it), only 127.0.0.1 is used, and the server's
process group is killed at the end whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from streamlit import config as st_config

from tests import live_server
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.live_server import free_port as _free_port
from tests.test_offline_server import _run_one_session

# Importing the test helpers ran tests/conftest.py, which points QDP_WORKSPACE at a new empty temporary
# folder (the server here gets its own); remove that folder again.
with contextlib.suppress(KeyError, OSError):
    if Path(os.environ["QDP_WORKSPACE"]).parent.name.startswith("qdp-test-ws-"):
        Path(os.environ["QDP_WORKSPACE"]).parent.rmdir()

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"map": "", "land_yield": "land_yield", "siting": "siting"}  # label → page name ("" = default page)
PAGE_TIMEOUT = 90.0  # s for one page of one session
UPLOAD_TIMEOUT = 90.0  # s for the hostile upload's message
ROUND_MARGIN = 45.0  # s: no round starts later than this before the end of its run's share of the budget
# s after the last session closed before the last memory reading: Streamlit keeps a closed session
# for server.disconnectedSessionTTL seconds (so a user whose network drops can reconnect); views/reaper.py
# then shuts it down within 15 s, which frees its files and tables.
SETTLE = float(st_config.get_option("server.disconnectedSessionTTL")) + 25.0  # + views/reaper.py's 15 s pass
REFUSED = re.compile(r"已停止|自相交超过")  # at a limit (geo/bounded.py) or before a repair (geo/io.py)
BILINGUAL = re.compile(r"已停止.*stopped|自相交超过.*crosses itself", re.S)  # … in both languages
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_CLOCK = os.sysconf("SC_CLK_TCK")


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class Budget:
    """The whole run's wall time; every wait takes the smaller of its own timeout and what is left."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, cap: float = float("inf")) -> float:
        return max(0.0, min(cap, self.end - time.monotonic()))


# --- the server, its memory and the machine ---------------------------------------------------------


def _tree(root: int) -> list[int]:
    """``root`` and its live descendants (forkserver, resource tracker, parse workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    found, todo = [], [root]
    for _ in range(len(parents) + 1):
        if not todo:
            break
        pid = todo.pop()
        if pid in parents:
            found.append(pid)
            todo.extend(child for child, parent in parents.items() if parent == pid)
    return found


def tree_memory(root: int) -> tuple[int, int, int]:
    """RSS and PSS (bytes) summed over ``root`` and its descendants, and how many processes."""
    rss = pss = count = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            rss += int(fields["Rss"].split()[0]) * 1024
            pss += int(fields["Pss"].split()[0]) * 1024
            count += 1
        except (OSError, KeyError, ValueError):
            continue
    return rss, pss, count


class MemoryWatch(threading.Thread):
    """Samples the server tree every ``period`` s until stopped: peak memory, processes started meanwhile."""

    def __init__(self, root: int, period: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root, self.period = root, period
        self.peak = (0, 0, 0)
        self.initial = set(_tree(root))
        self.started: dict[int, tuple[float, float]] = {}  # parse workers seen alive: first and last seen
        self._halt = threading.Event()

    def run(self) -> None:
        for _ in range(100_000):  # bounded: stop() ends it long before
            if self._halt.wait(self.period):
                return
            now = time.monotonic()
            for pid in set(_tree(self.root)) - self.initial:
                self.started[pid] = (self.started.get(pid, (now, now))[0], now)
            sample = tree_memory(self.root)
            if sample[0] > self.peak[0]:
                self.peak = sample

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


def machine_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over ``seconds`` (``/proc/stat``), 0-100."""

    def read() -> tuple[int, int]:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values) - idle, sum(values)

    busy0, total0 = read()
    time.sleep(seconds)
    busy1, total1 = read()
    return 100.0 * (busy1 - busy0) / max(1, total1 - total0)


def busy_jiffies() -> int:
    """Busy CPU time of the whole machine so far (clock ticks)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values) - values[3] - values[4]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the given processes, children they have reaped included."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        total += sum(int(v) for v in stat[stat.rindex(b")") + 2 :].split()[11:15])  # utime stime cutime cstime
    return total / _CLOCK


def probe(port: int, seconds: float, interval: float = 0.5) -> None:
    """Print, every ``interval`` s, how long the server takes to answer ``/_stcore/health`` and a WebSocket ping.

    Runs in its own process (``--probe PORT SECONDS``), so that the load clients cannot delay it: both
    answers come from the server's event loop, the ping on a connection that sends no message (the
    server never pauses reading it). One JSON line per sample: ``[t, health_s, pong_s]``.
    """
    from websockets.sync.client import connect

    t0 = time.monotonic()
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], ping_interval=None,
                 open_timeout=30, close_timeout=2) as ws:  # fmt: skip
        for _ in range(int(seconds / interval) + 1):
            if time.monotonic() - t0 > seconds:
                break
            t = time.monotonic()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as r:
                    r.read()
                health = time.monotonic() - t
            except OSError:
                health = math.inf
            t1 = time.monotonic()
            pong = time.monotonic() - t1 if ws.ping().wait(30) else math.inf
            print(json.dumps([round(t - t0, 3), round(health, 4), round(pong, 4)]), flush=True)
            time.sleep(max(0.0, interval - (time.monotonic() - t)))


def start_probe(port: int, seconds: float, out: Path) -> subprocess.Popen:
    """:func:`probe` in a child process writing to ``out``."""
    with out.open("w") as f:
        return subprocess.Popen([sys.executable, "-m", "benchmarks.load", "--probe", str(port), str(seconds)],
                                cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)  # fmt: skip


def probe_samples(proc: subprocess.Popen, out: Path) -> list[tuple[float, float, float]]:
    """Stop the probe (it is ours: by its pid) and read its samples."""
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    samples = []
    for line in out.read_text().splitlines():
        with contextlib.suppress(ValueError, TypeError):
            t, health, pong = json.loads(line)
            samples.append((float(t), float(health), float(pong)))
    return samples


def source_mtimes() -> dict[str, float]:
    """Modification times of the project's own sources (what Streamlit's file watcher reacts to)."""
    found = {}
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", ".git", "tests", "workspace") or "__pycache__" in parts:
            continue
        if path.suffix in (".py", ".toml") and path.is_file():
            found[str(path.relative_to(ROOT))] = path.stat().st_mtime
    return found


def start_server(port: int, workspace: Path, log_path: Path, budget: Budget, file_watcher: str) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:``port`` in its own process group; returns once healthy."""
    args = ["--server.address", "127.0.0.1", "--server.headless", "true"]
    if file_watcher != "auto":
        args += ["--server.fileWatcherType", file_watcher]
    return live_server.start(port, log_path, args=args, env={"QDP_WORKSPACE": str(workspace)},
                             timeout=max(1.0, budget.left(60)))  # fmt: skip


stop_server = live_server.stop


# --- WebSocket sessions ------------------------------------------------------------------------------


@dataclass
class PageTime:
    session: int
    round: int
    page: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass
class RunResult:
    times: list[PageTime] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_rounds: int = 0
    skipped_pages: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def round_pages(session: int, round_: int, all_pages: bool) -> list[str]:
    """The pages of one round: the default page, then 亩产效益 and/or 选址分析 (alternating)."""
    if all_pages:
        return list(PAGES)
    return ["map", ("land_yield", "siting")[(session + round_) % 2]]


def _await_page(ws, label: str, deadline: float) -> list[str]:
    """Read until ``script_finished``; the problems shown (exceptions, error alerts, page not found)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    problems: list[str] = []
    for _ in range(100_000):  # messages of one page run; bounded by the deadline too
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{label}: no script_finished in time")
        message = ForwardMsg()
        message.ParseFromString(ws.recv(timeout=left))
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            what = element.WhichOneof("type")
            if what == "exception":
                problems.append(f"{label}: exception {element.exception.type}: {element.exception.message[:200]}")
            elif what == "alert" and element.alert.format == Alert.ERROR:
                problems.append(f"{label}: st.error {element.alert.body[:200]}")
        elif kind == "page_not_found":
            problems.append(f"{label}: page not found")
        elif kind == "script_finished":
            if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                problems.append(f"{label}: script finished with status {message.script_finished}")
            return problems
    raise TimeoutError(f"{label}: too many messages")


def ws_session(port: int, index: int, rounds: int, result: RunResult, go: threading.Event, budget: Budget,
               last_round_start: float, all_pages: bool = False, label: str = "") -> None:  # fmt: skip
    """One client: ``rounds`` × (connect, open the default page, go to the round's other page(s))."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    go.wait(budget.left(300))
    for r in range(rounds):
        if time.monotonic() > last_round_start:
            with result.lock:
                result.skipped_rounds += rounds - r
                result.skipped_pages += sum(len(round_pages(index, k, all_pages)) for k in range(r, rounds))
            return
        where = f"{label}s{index} r{r}"
        try:
            t0 = time.monotonic()
            # Like a browser, the client sends no pings of its own; it answers the server's (every 30 s).
            url = f"ws://127.0.0.1:{port}/_stcore/stream"
            with connect(url, subprotocols=["streamlit"], max_size=None, ping_interval=None,
                         open_timeout=budget.left(PAGE_TIMEOUT), close_timeout=5) as ws:  # fmt: skip
                for page in round_pages(index, r, all_pages):
                    rerun = BackMsg()
                    rerun.rerun_script.query_string = ""
                    rerun.rerun_script.page_name = PAGES[page]
                    ws.send(rerun.SerializeToString())
                    problems = _await_page(ws, f"{where} {page}", time.monotonic() + budget.left(PAGE_TIMEOUT))
                    t1 = time.monotonic()
                    with result.lock:
                        result.times.append(PageTime(index, r, page, t0, t1))
                        result.errors.extend(problems)
                    t0 = t1
        except TimeoutError as exc:
            with result.lock:
                result.errors.append(f"{where}: timeout: {exc}")
        except (ConnectionClosed, OSError) as exc:
            with result.lock:
                result.errors.append(f"{where}: disconnect: {type(exc).__name__}: {exc}")
        except Exception as exc:  # anything else fails the session too
            with result.lock:
                result.errors.append(f"{where}: {type(exc).__name__}: {exc}")


# --- the browser session -----------------------------------------------------------------------------


def hostile_geojson(path: Path, vertices: int = 5_000, seed: int = 10) -> Path:
    """One plot polygon of ``vertices`` random vertices within ±0.02° of (120.3, 36.3): self-intersecting."""
    rng = np.random.default_rng(seed)
    lon = 120.3 + rng.uniform(-0.02, 0.02, vertices)
    lat = 36.3 + rng.uniform(-0.02, 0.02, vertices)
    ring = np.column_stack([lon, lat]).round(6).tolist()
    ring.append(ring[0])
    feature = {"type": "Feature", "properties": {"id": "P00001", "name": "hostile"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path


@dataclass
class BrowserResult:
    ready: threading.Event = field(default_factory=threading.Event)
    uploaded: bool = False
    message: str = ""
    start: float = math.nan
    end: float = math.nan
    exceptions: int = 0
    error: str = ""
    request: list[float] = field(default_factory=list)  # when the upload request was sent and answered

    @property
    def seconds(self) -> float:
        return self.end - self.start


def browser_session(url: str, upload: Path | None, go: threading.Event, done: threading.Event,
                    out: BrowserResult, budget: Budget) -> None:  # fmt: skip
    """Chromium on 选址分析 with its data expander open; on ``go``, uploads ``upload`` (if any) as plots."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
                page.goto(f"{url}/siting", wait_until="domcontentloaded", timeout=budget.left(60) * 1000)
                page.wait_for_selector("text=集聚区排名", timeout=budget.left(90) * 1000)
                page.get_by_text("数据与参数").click(timeout=budget.left(30) * 1000)
                page.locator("input[type=file]").nth(0).wait_for(state="attached", timeout=budget.left(30) * 1000)
                out.ready.set()
                go.wait(budget.left(300))
                if upload is not None:
                    for event in ("request", "requestfinished"):
                        page.on(event, lambda r: "upload_file" in r.url and out.request.append(time.monotonic()))
                    out.start = time.monotonic()
                    page.locator("input[type=file]").nth(0).set_input_files(str(upload))
                    alert = page.locator("[data-testid='stAlert']", has_text=REFUSED).first
                    alert.wait_for(timeout=max(1.0, budget.left(UPLOAD_TIMEOUT)) * 1000)
                    out.end = time.monotonic()
                    out.uploaded = True
                    out.message = alert.inner_text()
                    out.exceptions = page.locator("[data-testid='stException']").count()
                done.wait(budget.left(300))  # stay connected, as a user would, until the load is over
            finally:
                browser.close()
    except Exception as exc:  # reported; the run goes on and the server is still stopped
        out.error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    finally:
        out.ready.set()


# --- one run -----------------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    result: RunResult
    browser: BrowserResult
    go: float
    wall: float
    server_cpu: float
    children_cpu: float
    machine_cpu: float
    own_cpu: float  # this process (the clients), the probe and Chromium
    peak: tuple[int, int, int]
    expected_pages: int
    probe: list[tuple[float, float, float]]
    workers: list[float]  # seconds each parse worker was seen alive


def load_run(name: str, port: int, server_pid: int, sessions: int, rounds: int, all_pages: bool,
             upload: Path | None, budget: Budget, share: float) -> Run:  # fmt: skip
    """``sessions`` WebSocket clients plus the browser (uploading ``upload`` if given), within ``share`` s."""
    result, browser = RunResult(), BrowserResult()
    go, done = threading.Event(), threading.Event()
    end_of_share = time.monotonic() + share
    url = f"http://127.0.0.1:{port}"
    b = threading.Thread(target=browser_session, args=(url, upload, go, done, browser, budget), daemon=True)
    b.start()
    browser.ready.wait(budget.left(150))
    _say(f"{name}: browser ready{' (' + browser.error + ')' if browser.error else ''}; {sessions} sessions go")
    clients = [
        threading.Thread(target=ws_session, daemon=True,
                         args=(port, i, rounds, result, go, budget, end_of_share - ROUND_MARGIN, all_pages))
        for i in range(sessions)
    ]  # fmt: skip
    for c in clients:
        c.start()
    time.sleep(0.5)  # every client is waiting on `go`
    watch = MemoryWatch(server_pid)
    watch.start()
    probe_out = Path(tempfile.mkstemp(prefix=f"qdp-load-probe-{name}-", suffix=".jsonl")[1])
    prober = start_probe(port, budget.left(share), probe_out)
    pids = _tree(server_pid)
    main0, children0 = cpu_seconds(pids[:1]), cpu_seconds(pids[1:])
    own = [p for p in _tree(os.getpid()) if p not in pids]  # the clients, the probe, Playwright's driver, Chromium
    own0 = cpu_seconds(own)
    machine0, t0 = busy_jiffies(), time.monotonic()
    go.set()
    for c in clients:
        c.join(budget.left(share + PAGE_TIMEOUT))
    wall = time.monotonic() - t0
    server_cpu, children_cpu = cpu_seconds(pids[:1]) - main0, cpu_seconds(pids[1:]) - children0
    machine_cpu = (busy_jiffies() - machine0) / _CLOCK
    own_cpu = cpu_seconds(own) - own0
    if upload is not None and not browser.error and not browser.uploaded:
        _say(f"{name}: sessions done, waiting for the upload's message")
        for _ in range(int(UPLOAD_TIMEOUT * 2)):
            if browser.uploaded or browser.error or not b.is_alive() or budget.left() <= 0:
                break
            time.sleep(0.5)
    watch.stop()
    samples = probe_samples(prober, probe_out)
    probe_out.unlink()
    done.set()
    b.join(budget.left(30))
    stuck = sum(c.is_alive() for c in clients)
    if stuck:
        result.errors.append(f"{name}: {stuck} sessions still running when the budget ran out")
    expected = sum(len(round_pages(i, r, all_pages)) for i in range(sessions) for r in range(rounds))
    _say(f"{name}: {len(result.times)}/{expected} pages in {wall:.0f} s, {len(result.errors)} errors")
    workers = sorted(last - first for first, last in watch.started.values())
    return Run(name, result, browser, t0, wall, server_cpu, children_cpu, machine_cpu, own_cpu, watch.peak, expected,
               samples, workers)  # fmt: skip


# --- report ------------------------------------------------------------------------------------------


def _stats(values: list[float]) -> str:
    if not values:
        return f"{'-':>6} {'-':>6} {'-':>6} {0:>5}"
    a = np.asarray(values)
    return f"{np.percentile(a, 50):6.2f} {np.percentile(a, 95):6.2f} {a.max():6.2f} {len(a):5d}"


def _mb(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


def _window(run: Run, start: float, seconds: float) -> list[float]:
    """Page times of ``run`` whose interval overlaps [start, start + seconds] (offsets from its go)."""
    lo, hi = run.go + start, run.go + start + seconds
    return [x.seconds for x in run.result.times if x.start < hi and x.end > lo]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent WebSocket sessions (20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per session (3)")
    parser.add_argument("--all-pages", action="store_true", help="亩产效益 and 选址分析 in every round")
    parser.add_argument("--budget", type=float, default=300.0 + 2 * SETTLE,
                        help=f"wall-time budget of the whole run, s ({300 + 2 * SETTLE:.0f})")  # fmt: skip
    parser.add_argument("--file-watcher", choices=["auto", "none"], default="auto",
                        help="Streamlit's server.fileWatcherType (auto = the app's configuration)")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="5 sessions × 1 round")
    parser.add_argument("--control", action="store_true",
                        help="no upload in the second run either (what running second alone changes)")  # fmt: skip
    parser.add_argument("--probe", nargs=2, type=float, metavar=("PORT", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        probe(int(args.probe[0]), min(args.probe[1], 900.0))
        return 0
    sessions, rounds = (5, 1) if args.quick else (args.sessions, args.rounds)
    if not 1 <= sessions <= 100 or not 1 <= rounds <= 10 or not 60 <= args.budget <= 900:
        parser.error("--sessions 1..100, --rounds 1..10, --budget 60..900")
    require_chromium()
    budget = Budget(args.budget)
    started = time.monotonic()
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    busy_before = machine_busy(1.0)
    sources_before = source_mtimes()

    tmp = Path(tempfile.mkdtemp(prefix="qdp-load-"))
    log_path = tmp / "streamlit.log"
    port = _free_port()
    _say(f"server on 127.0.0.1:{port}, log {log_path}")
    proc = start_server(port, tmp / "workspace.gpkg", log_path, budget, args.file_watcher)
    runs: list[Run] = []
    try:
        t = time.monotonic()
        warm_errors = _run_one_session(port, budget.left(120))  # the default page, as the offline test runs it
        warm = RunResult()
        ws_session(port, 0, 1, warm, _set(threading.Event()), budget, math.inf, all_pages=True, label="warm-up ")
        warm_seconds = time.monotonic() - t
        warm_errors += warm.errors
        time.sleep(min(2.0, budget.left()))
        memory_start = tree_memory(proc.pid)
        _say(f"warm-up {warm_seconds:.1f} s; memory {_mb(memory_start[0])} RSS")
        hostile_file = hostile_geojson(tmp / "hostile_plots.geojson")
        reserve = SETTLE + 20.0  # the last reading, stopping the server, printing
        runs.append(load_run("baseline", port, proc.pid, sessions, rounds, args.all_pages, None, budget,
                             (budget.left() - reserve - SETTLE) / 2))  # fmt: skip
        memory_between = tree_memory(proc.pid)
        time.sleep(min(SETTLE, budget.left()))  # the baseline's sessions closed and freed: the steady level
        memory_settled = tree_memory(proc.pid)
        second = ("control", None) if args.control else ("hostile", hostile_file)
        runs.append(load_run(second[0], port, proc.pid, sessions, rounds, args.all_pages, second[1], budget,
                             budget.left() - reserve))  # fmt: skip
        time.sleep(min(SETTLE, budget.left()))
        memory_after = tree_memory(proc.pid)
        server_alive = proc.poll() is None
    finally:
        stop_server(proc)
        for leftover in tmp.glob("workspace.gpkg*"):  # the server log stays, for the report
            leftover.unlink()
    sources_changed = sorted(k for k, v in source_mtimes().items() if sources_before.get(k) != v)
    log_text = log_path.read_text(errors="replace")
    base, hostile = runs
    upload = hostile.browser

    # --- print --------------------------------------------------------------------------------------
    print(f"benchmarks.load — one server on 127.0.0.1:{port} (file watcher: {args.file_watcher}), "
          f"{sessions} sessions × {rounds} rounds (default page + {'both' if args.all_pages else 'one'} of "
          f"亩产效益/选址分析 per round), {os.cpu_count()} cores")  # fmt: skip
    print(f"machine before start: load average {load_before}, {busy_before:.0f} % busy over 1 s "
          f"({'idle' if busy_before < 10 else 'NOT idle: other work was running'})")  # fmt: skip
    print(f"warm-up (one session, every page): {warm_seconds:.1f} s, problems: {len(warm_errors)}")
    print()
    print(f"{'page time, s (open/rerun → script_finished)':<48} {'p50':>6} {'p95':>6} {'max':>6} {'n':>5}")
    for run in runs:
        print(f"{run.name + ' — all pages':<48} {_stats([x.seconds for x in run.result.times])}")
        for page in PAGES:
            what = "open, default page" if page == "map" else "navigate"
            times = [x.seconds for x in run.result.times if x.page == page]
            print(f"{f'  {page} ({what})':<48} {_stats(times)}")
    if not math.isnan(upload.start):
        offset = upload.start - hostile.go
        length = upload.seconds if upload.uploaded else UPLOAD_TIMEOUT
        print(f"{'hostile — pages overlapping the upload':<48} {_stats(_window(hostile, offset, length))}")
        print(f"{f'baseline — same window ({offset:.1f}–{offset + length:.1f} s)':<48} "
              f"{_stats(_window(base, offset, length))}")  # fmt: skip
    else:
        for run in runs:
            print(f"{f'{run.name} — pages overlapping 0–30 s':<48} {_stats(_window(run, 0.0, 30.0))}")
    print(f"{'event loop: /_stcore/health answer, s':<48} {'p50':>6} {'p95':>6} {'max':>6} {'n':>5}")
    for run in runs:
        worst = max(run.probe, key=lambda x: x[1], default=(math.nan, 0, 0))
        print(f"{'  ' + run.name:<48} {_stats([h for _, h, _ in run.probe])}  (worst at +{worst[0]:.0f} s)")
    print(f"{'event loop: pong on an idle WebSocket, s':<48}")
    for run in runs:
        print(f"{'  ' + run.name:<48} {_stats([p for _, _, p in run.probe])}")
    print()
    print(f"{'run':<10} {'pages':>9} {'skipped':>8} {'wall s':>7} {'pages/s':>8} {'parses':>7} {'errors':>7}  "
          f"{'CPU s: server':>13} {'children':>8} {'load gen':>8} {'others':>7}")  # fmt: skip
    for run in runs:
        others = run.machine_cpu - run.server_cpu - run.children_cpu - run.own_cpu
        print(f"{run.name:<10} {len(run.result.times):>4}/{run.expected_pages:<4} {run.result.skipped_rounds:>8} "
              f"{run.wall:7.1f} {len(run.result.times) / max(run.wall, 1e-9):8.2f} {len(run.workers):7d} "
              f"{len(run.result.errors):7d}  {run.server_cpu:13.1f} {run.children_cpu:8.1f} {run.own_cpu:8.1f} "
              f"{others:7.1f}")  # fmt: skip
    for run in runs:
        for line in run.result.errors[:8]:
            print(f"  ! {line}")
        if len(run.result.errors) > 8:
            print(f"  ! … {len(run.result.errors) - 8} more")
    print("  skipped: rounds not started for lack of budget; parses: parse worker processes seen. CPU seconds of the")
    print("  server process, of its children (forkserver; parse workers once reaped), of this load generator (client")
    print("  threads, probe, Chromium) and of everything else on the machine (≈ 0 on an idle machine).")
    print()
    shown = f"message shown after {upload.seconds:.1f} s" if upload.uploaded else "NO message"
    if args.control:
        shown = "not uploaded (--control)"
    print(f"hostile upload ({hostile_file.stat().st_size / 1024:.0f} kB GeoJSON, one polygon of 5,000 random "
          f"vertices): {shown}")  # fmt: skip
    if upload.message:
        print(f"  message: {' '.join(upload.message.split())[:260]}")
    if len(upload.request) >= 2:
        print(f"  the upload's HTTP request: sent at +{upload.request[0] - upload.start:.1f} s, answered at "
              f"+{upload.request[1] - upload.start:.1f} s; parse worker alive "
              f"{', '.join(f'{w:.1f}' for w in hostile.workers) or '-'} s; the rest is the page's rerun")  # fmt: skip
    if not args.control:
        print(f"  bilingual refusal: {'yes' if BILINGUAL.search(upload.message) else 'NO'}; "
              f"tracebacks on the page: {upload.exceptions}")  # fmt: skip
    for run in runs:
        if run.browser.error:
            print(f"  ! {run.name} browser: {run.browser.error}")
    print()
    ratio = memory_after[0] / memory_start[0] if memory_start[0] else math.nan
    steady = memory_after[0] / memory_settled[0] if memory_settled[0] else math.nan
    print(f"{'server memory (server + children, /proc)':<42} {'RSS':>9} {'PSS':>9} {'processes':>10}")
    for what, (rss, pss, n) in (("start (after warm-up)", memory_start), ("after the baseline run", memory_between),
                                ("peak, baseline run", base.peak),
                                (f"{SETTLE:.0f} s after the baseline's sessions closed", memory_settled),
                                (f"peak, {hostile.name} run", hostile.peak),
                                (f"{SETTLE:.0f} s after all sessions closed", memory_after)):  # fmt: skip
        print(f"{what:<42} {_mb(rss):>9} {_mb(pss):>9} {n:>10}")
    print(f"end / start = {ratio:.2f} (RSS) → {'within' if ratio <= 1.2 else 'NOT within'} 20 % of the start")
    print(f"end / after the baseline's sessions closed = {steady:.2f} (RSS): a second load "
          f"{'keeps' if steady <= 1.05 else 'does NOT keep'} memory at the level the first one left")  # fmt: skip
    crashes = log_text.count("Uncaught app execution")
    print(f"server alive at the end: {'yes' if server_alive else 'NO'}; uncaught exceptions in its log: {crashes}; "
          f"total {time.monotonic() - started:.0f} s (budget {args.budget:.0f} s)")  # fmt: skip
    others = sum(r.machine_cpu - r.server_cpu - r.children_cpu - r.own_cpu for r in runs)
    capacity = sum(r.wall for r in runs) * (os.cpu_count() or 1)
    print(f"other work on the machine during the runs: {others:.0f} CPU-s = {100 * others / capacity:.0f} % of "
          f"{os.cpu_count()} cores → {'idle' if others < 0.05 * capacity else 'NOT idle'}")  # fmt: skip
    if not args.control:
        print("note: the hostile run comes second, on a server that has already served the baseline's sessions "
              "(Streamlit keeps closed ones for reconnection); --control measures an identical second run")  # fmt: skip
    if any(run.result.skipped_rounds for run in runs):
        print(f"! the budget ({args.budget:.0f} s) cut {sum(r.result.skipped_rounds for r in runs)} rounds: the "
              f"figures cover fewer pages (a busy machine; --rounds 2 or a larger --budget)")  # fmt: skip
    if sources_changed:
        print(f"! project sources changed during the run (Streamlit reloads them under running sessions): "
              f"{', '.join(sources_changed[:8])}")  # fmt: skip
    checks = {
        "no errors in any session": not (base.result.errors or hostile.result.errors or warm_errors),
        "every page of every started round served": all(
            len(run.result.times) == run.expected_pages - run.result.skipped_pages for run in runs
        ),
        "the upload ended with the bilingual message": args.control
        or (upload.uploaded and bool(BILINGUAL.search(upload.message))),
        "no traceback on the upload's page": upload.exceptions == 0,
        "memory back within 20 %": ratio <= 1.2,
        "server alive": server_alive,
    }
    failed = [name for name, passed in checks.items() if not passed]
    print("RESULT:", "ok" if not failed else f"FAILED ({'; '.join(failed)})", f"— server log: {log_path}")
    return 0 if not failed else 1


def _set(event: threading.Event) -> threading.Event:
    event.set()
    return event


if __name__ == "__main__":
    sys.exit(main())
