"""Streamlit's own widget texts in the page's language.

Streamlit renders some texts of its widgets in English whatever the app's language ("Upload",
"Choose options", "Select all", "Press Enter to apply", "50MB per file") and has no setting for
them. In zh mode :func:`apply` runs a small script in the page (``static/widget_language.js``)
that replaces exactly the texts listed in ``i18n/widgets.toml`` — whole texts of elements, or
their placeholder, aria-label or title — as widgets appear; in en mode it puts back what it
replaced. Nothing is loaded from outside the page. Leaflet's titles are set by the map itself
(:class:`webmap.controls.PlannerControls`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

from views.page_script import page_script

__all__ = ["apply", "script"]

_ROOT = Path(__file__).resolve().parents[1]


@cache
def _table() -> dict[str, object]:
    with (_ROOT / "i18n" / "widgets.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {"exact": data["exact"], "patterns": [[k, v] for k, v in data["patterns"].items()]}


@cache
def script(lang: str) -> str:
    """The page script for ``lang`` ("zh": replace; anything else: put back).

    Examples
    --------
    >>> "全选" in script("zh") and "全选" not in script("en")
    True
    """
    return page_script("widget_language.js", _table() if lang == "zh" else None)


def apply(lang: str) -> None:
    """Run the script for ``lang`` in the page (once per run; it replaces its previous run's)."""
    with st.sidebar:
        st.html(script(lang), unsafe_allow_javascript=True)
