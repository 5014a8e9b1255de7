"""An earlier commit checked out beside this one, to time "today's way" in the same run as the new one."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def checkout(rev: str, folder: Path) -> Iterator[Path]:
    """``rev`` as a git worktree in ``folder`` (sharing this checkout's .venv); removed afterwards."""
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), rev], cwd=ROOT, check=True, capture_output=True)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
