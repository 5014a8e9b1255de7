"""No request leaves the machine — the server included.

Starts the real server (``streamlit run app.py`` with the project's ``.streamlit/config.toml``) under
``strace -f``, fetches the page and the health endpoint over loopback, runs one session of the app
through the same WebSocket protocol the browser speaks, and checks every socket address the server
and its threads connected or sent to: loopback or a Unix socket only. Without the server address
in the configuration, Streamlit would ask checkip.amazonaws.com for the external IP (DNS lookups
go out first) and connect a UDP socket to 8.8.8.8 to find its LAN address.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from tests import live_server
from tests.conftest import ROOT, missing_dependency
from tests.live_server import free_port

# connect() is how TCP and UDP clients (DNS included) reach an address; sendto/sendmsg can carry an
# address on an unconnected socket. glibc's send() is sendto(..., NULL, 0): it also proves the
# trace covers the threads that answer HTTP.
TRACED = "connect,sendto,sendmsg,sendmmsg"
_CALL = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(")
_FAMILY = re.compile(r"sa_family=AF_(\w+)")
_INET = re.compile(r'sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(r'inet_pton\(AF_INET6, "([^"]+)"')
BUDGET = 25.0  # seconds for start-up, requests and one session of the app


def outbound(trace_lines: list[str]) -> list[str]:
    """The lines of an strace log whose call names an address other than loopback or a local socket."""
    found = []
    for line in trace_lines:
        if not _CALL.search(line):
            continue
        for family in _FAMILY.findall(line):
            if family in ("UNIX", "UNSPEC", "NETLINK"):  # local sockets; AF_UNSPEC disconnects a UDP socket
                continue
            if family not in ("INET", "INET6"):
                found.append(line)
                break
            addresses = (_INET if family == "INET" else _INET6).findall(line)
            if not addresses or not all(_loopback(a) for a in addresses):
                found.append(line)
                break
    return found


def _loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def _run_one_session(port: int, timeout: float) -> list[str]:
    """Open a session as the browser does, run the app's default page; the exceptions it shows."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    errors: list[str] = []
    deadline = time.monotonic() + timeout
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                 open_timeout=timeout) as ws:  # fmt: skip
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        ws.send(rerun.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                errors.append(message.delta.new_element.exception.message)
            if kind == "script_finished":
                return errors


def test_the_server_opens_no_outbound_connection(tmp_path):
    strace = shutil.which("strace")
    if strace is None:
        missing_dependency("strace not found; scripts/test.sh installs Debian's strace package")
    port = free_port()
    trace = tmp_path / "server.strace"
    log_path = tmp_path / "streamlit.log"
    started = time.monotonic()
    try:
        wrap = [strace, "-f", "-qq", "--seccomp-bpf", "-e", f"trace={TRACED}", "-o", str(trace)]
        proc = live_server.start(port, log_path, wrap=wrap, timeout=BUDGET)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    url = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(f"{url}/", timeout=5) as r:
            assert r.status == 200 and b'<div id="root">' in r.read()
        errors = _run_one_session(port, BUDGET - (time.monotonic() - started))
    finally:
        live_server.stop(proc)  # strace and the server it started (its own process group)
    elapsed = time.monotonic() - started
    lines = trace.read_text().splitlines()
    log_text = log_path.read_text()
    assert errors == [], errors  # the page really ran, so its code paths were traced too
    assert any("sendto(" in line for line in lines), "strace saw no traffic at all: the trace is not working"
    assert outbound(lines) == [], "\n".join(outbound(lines))
    assert "external IP" not in log_text and "Network URL" not in log_text and "External URL" not in log_text
    assert f"URL: http://localhost:{port}" in log_text
    assert elapsed < 30, f"took {elapsed:.1f} s"


def test_the_check_would_catch_the_lookups_it_guards_against():
    """What strace printed for an unconfigured server (Streamlit 1.67, headless): all three are outbound."""
    unconfigured = [
        '7457  connect(7, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("8.8.8.8")}, 16) = 0',
        '7457  connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '7457  sendto(9, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:db8::53", &sin6_addr), sin6_scope_id=0}, 28) = 1',
    ]
    local = [
        '7460  connect(11, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        "7460  connect(12, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '7460  connect(13, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '7460  sendto(14, "HTTP/1.1 200 OK", 15, 0, NULL, 0) = 15',
        "7460  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER} ---",
    ]
    assert outbound(unconfigured) == unconfigured
    assert outbound(local) == []
    assert Path(ROOT / ".streamlit" / "config.toml").read_text().count('serverAddress = "localhost"') == 1
