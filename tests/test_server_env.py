"""The server runs with the allocator settings of scripts/server.env (issue 10: memory back after load)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests import live_server
from tests.conftest import ROOT


def test_the_start_script_exports_the_allocator_settings_unless_set():
    loop = subprocess.run(["sed", "-n", "/^while IFS/,/^done < scripts\\/server.env/p", "scripts/run.sh"],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert loop, "scripts/run.sh no longer reads scripts/server.env"
    script = f"{loop}\necho PYTHONMALLOC=$PYTHONMALLOC MMAP=$MALLOC_MMAP_THRESHOLD_"
    env = {"PATH": os.environ["PATH"]}
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PYTHONMALLOC=malloc MMAP=131072"
    env["PYTHONMALLOC"] = "pymalloc"  # the deployment's own choice wins
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PYTHONMALLOC=pymalloc MMAP=131072"


def test_a_started_server_runs_with_them(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONMALLOC", raising=False)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    port = live_server.free_port()
    proc = live_server.start(port, tmp_path / "server.log", args=["--server.address", "127.0.0.1"],
                             env={"QDP_WORKSPACE": str(tmp_path / "ws.gpkg")}, timeout=60)  # fmt: skip
    try:
        raw = Path(f"/proc/{proc.pid}/environ").read_text()
        environ = dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)
        assert environ["PYTHONMALLOC"] == "malloc" and environ["MALLOC_MMAP_THRESHOLD_"] == "131072"
    finally:
        live_server.stop(proc)
