"""Open a lazily built tab in an AppTest run (tabs with ``on_change="rerun"`` build only the open tab)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_tab(at: AppTest, label: str, key: str = "ly_tab") -> AppTest:
    """Select the tab ``label`` of the tab bar ``key`` and run the page again."""
    labels = [t.label for t in at.tabs]
    assert label in labels, labels
    at.session_state[key] = label
    return at.run()


def every_tab(at: AppTest, key: str = "ly_tab"):
    """Open each tab in turn; yields its label after the run that built it."""
    for label in [t.label for t in at.tabs]:
        open_tab(at, label, key)
        yield label
