"""Fixtures of the page tests: the app in AppTest with a fresh workspace of its own."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from store import open_workspace
from tests.conftest import ROOT


@pytest.fixture
def workspace_app(tmp_path, monkeypatch):
    """The app run once in AppTest on a new GeoPackage workspace (``QDP_WORKSPACE``); the cached workspace is dropped
    before and after, so that no test sees another's runs."""
    monkeypatch.setenv("QDP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    open_workspace(tmp_path / "ws.gpkg")
    from views import state

    state.workspace.clear()
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    yield at
    state.workspace.clear()
