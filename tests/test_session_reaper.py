"""Closed browser sessions are shut down once their reconnect time is over (views/reaper.py).

Streamlit alone only forgets such a session at the next connection and never shuts it down, so
its uploads, download data and tables stayed in the server for good (benchmarks/load.py). The
test runs the real server with a 2 s reconnect time, opens and closes one session, and waits for
the reaper's log line — which also fails when a Streamlit upgrade moves the private attributes
the reaper uses (it then logs a warning instead).
"""

from __future__ import annotations

import time

from tests import live_server
from tests.test_offline_server import _run_one_session


def test_a_closed_session_is_shut_down_after_its_reconnect_time(tmp_path):
    port = live_server.free_port()
    log_path = tmp_path / "streamlit.log"
    args = ["--server.address", "127.0.0.1", "--server.disconnectedSessionTTL", "2"]
    proc = live_server.start(port, log_path, args=args, env={"QDP_WORKSPACE": str(tmp_path / "ws.gpkg")})
    try:
        assert _run_one_session(port, 25.0) == []  # the session closes when the WebSocket does
        deadline = time.monotonic() + 20.0
        while "shut down 1 closed session" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        live_server.stop(proc)
    log_text = log_path.read_text()
    assert "session reaper: shut down 1 closed session(s)" in log_text, log_text[-2000:]
    assert "session storage is not where it was" not in log_text
