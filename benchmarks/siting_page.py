"""选址分析 page: seconds from pressing 分析 to the new results painted on the map, in Chromium.

Run: ``python -m benchmarks.siting_page`` (``--before REV`` also times the page of an earlier commit,
in a git worktree, in the same run). The app starts as ``scripts/run.sh`` starts it; each
submission changes the land need (310, 420, … 亩), and the time runs from the click until the map
shows that project and its ranked sites (goal ≤ 1 s on the bundled data).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.map_payload import CHROMIUM
from benchmarks.worktree import checkout
from tests import live_server

ROOT = Path(__file__).resolve().parents[1]
SHOWN_JS = """(text) => Array.from(document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")).some(f => {
  try {
    const d = f.contentDocument, p = d.querySelector('.qd-project');
    return p && p.innerText.includes(text) && d.querySelectorAll('.qd-rank').length > 0;
  } catch (e) { return false; } })"""
NEEDS = (310, 420, 530, 640, 750, 860)


def time_submissions(cwd: Path, command: list[str], log: Path) -> list[float]:
    """Start the app from ``cwd``, open 选址分析 and time each submission of the form."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS

    port = live_server.free_port()
    proc = _start(cwd, command, port, log)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"http://127.0.0.1:{port}/siting", wait_until="domcontentloaded")
            page.wait_for_function(SHOWN_JS, arg="200 亩", timeout=120_000, polling="raf")
            land = page.get_by_label("用地需求（亩）")
            for need in NEEDS:
                land.fill(str(need))
                start = time.perf_counter()
                page.get_by_role("button", name="分析").click()
                page.wait_for_function(SHOWN_JS, arg=f"{need} 亩", timeout=60_000, polling="raf")
                times.append(time.perf_counter() - start)
            browser.close()
    finally:
        live_server.stop(proc)
    return times


def _start(cwd: Path, command: list[str], port: int, log: Path):
    import os
    import sys
    import urllib.request

    args = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    env = {**live_server.server_env(), **os.environ, "TIANDITU_KEY": ""}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", *command, *args], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    live_server.stop(proc)
    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")


def _report(label: str, times: list[float]) -> None:
    cells = "".join(f"{t:>6.2f}" for t in times)
    print(f"  {label:<38}{cells}   median {statistics.median(times):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also time the page of this commit (a git worktree)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("n/a: no chromium")
        return
    print("选址分析: press 分析 → the new project and ranked sites painted on the map (s), bundled data, 1366×768")
    print(f"  {'':<38}" + "".join(f"{n:>6}" for n in NEEDS))
    with tempfile.TemporaryDirectory() as tmp:
        _report("ours (python -m views.serve)", time_submissions(ROOT, ["views.serve"], Path(tmp) / "ours.log"))
        if args.before:
            with checkout(args.before, Path(tmp) / "before") as folder:
                command = ["streamlit", "run", "app.py"]
                _report(f"before ({args.before})", time_submissions(folder, command, Path(tmp) / "before.log"))
    print("  goal: ≤ 1 s")


if __name__ == "__main__":
    main()
