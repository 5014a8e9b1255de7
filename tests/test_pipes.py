"""Piping any command into ``head`` ends quietly: no traceback, the SIGPIPE status (cli/pipes.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

COMMANDS = [
    ["analysis.siting", "--industry", "食品", "--land-mu", "50", "--top", "14"],
    ["analysis.siting", "--industry", "食品", "--land-mu", "50", "--at", "120.5,36.8", "--lang", "en"],
    ["layers", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_piped_into_head_ends_quietly(command):
    python = subprocess.list2cmdline([sys.executable, "-m", *command])
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {python} | head -c 20 >/dev/null"], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr[-1500:]
    assert done.returncode in (0, 141), (done.returncode, done.stderr[-500:])
