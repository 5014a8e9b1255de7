"""Shared fixtures: the plan text from ../shared/seed (present in CI beside the checkout), and the rule
for a missing test dependency: skipped on a developer's machine, a failure in CI (``CI=true``)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_98086a54bbfbe68d.txt"
# Tests (and the app servers they start) use a fresh workspace, never the project's own.
os.environ["QDP_WORKSPACE"] = str(Path(tempfile.mkdtemp(prefix="qdp-test-ws-")) / "workspace.gpkg")
_PUNCT = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "、": ","})


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_dependency(reason: str) -> NoReturn:
    """Skip the test for lack of ``reason`` — or, with ``CI=true``, fail it: CI must not go green by skipping.

    Parameters
    ----------
    reason
        What is missing and how to provide it (e.g. Chromium, a PostGIS server, the plan text).
    """
    if in_ci():
        pytest.fail(f"CI=true: a test dependency is missing, so the run fails instead of skipping: {reason}")
    pytest.skip(reason)


def normalise(text: str) -> str:
    """Fold full/half-width punctuation and white space so transcriptions compare with the seed."""
    return re.sub(r"\s+", "", text.translate(_PUNCT))


def read_plan_text(seed: Path = SEED) -> str:
    """The normalised plan text; a missing seed skips the test (fails it under ``CI=true``)."""
    if not seed.exists():
        missing_dependency(f"plan text not found at {seed}")
    return normalise(seed.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def plan_text() -> str:
    return read_plan_text()
