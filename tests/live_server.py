"""Start and stop the real app server as ``scripts/run.sh`` does, for tests and benchmarks.

``python -m views.serve`` warms up (:mod:`views.warmup`), then runs ``streamlit run app.py``.

The server runs in its own process group with the project's ``.streamlit/config.toml``;
:func:`start` returns once ``/_stcore/health`` answers, :func:`stop` kills the whole group (the
forkserver and parse workers of ``geo/bounded.py`` included).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env() -> dict[str, str]:
    """The allocator settings of ``scripts/server.env``, as ``scripts/run.sh`` exports them."""
    out = {}
    for line in (ROOT / "scripts" / "server.env").read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#") and name.strip():
            out[name.strip()] = value.strip()
    return out


def start(port: int, log_path: Path, *, args: Sequence[str] = (), wrap: Sequence[str] = (),
          env: dict[str, str] | None = None, timeout: float = 25.0) -> subprocess.Popen[bytes]:  # fmt: skip
    """Run the app on ``port`` (``wrap`` prefixes the command, e.g. strace); return once healthy.

    ``args`` are Streamlit options (``--server.address 127.0.0.1`` to bind loopback only); ``env``
    is added to this process's environment, with ``TIANDITU_KEY`` emptied (offline).

    Raises
    ------
    RuntimeError
        The server stopped, or did not answer within ``timeout`` seconds (the log's tail is in the message).
    """
    command = [*wrap, sys.executable, "-m", "views.serve", "--server.port", str(port), *args]
    environment = {**server_env(), **os.environ, "TIANDITU_KEY": "", **(env or {})}
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {proc.returncode}): {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s: {log_path.read_text()[-2000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group, SIGKILL after 10 s, then SIGKILL to whatever is left in it."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    with contextlib.suppress(ProcessLookupError):  # a forkserver or parse worker left behind in the group
        os.killpg(proc.pid, signal.SIGKILL)
