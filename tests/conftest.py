"""Shared fixtures: the plan text from ../shared/seed (present in CI beside the checkout)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_98086a54bbfbe68d.txt"
# Tests (and the app servers they start) use a fresh workspace, never the project's own.
os.environ["QDP_WORKSPACE"] = str(Path(tempfile.mkdtemp(prefix="qdp-test-ws-")) / "workspace.gpkg")
_PUNCT = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "、": ","})


def normalise(text: str) -> str:
    """Fold full/half-width punctuation and white space so transcriptions compare with the seed."""
    return re.sub(r"\s+", "", text.translate(_PUNCT))


@pytest.fixture(scope="session")
def plan_text() -> str:
    if not SEED.exists():
        pytest.skip(f"plan text not found at {SEED}")
    return normalise(SEED.read_text(encoding="utf-8"))
