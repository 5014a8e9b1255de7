"""The page layout every page shares: a compact header, and maps that fill the window (issue 12).

Streamlit leaves ≈ 6 rem above a page's title and gives components a fixed height in pixels; on
a 1366×768 office laptop the plan map then began ≈ 280 px down and ran below the fold. :func:`apply`
tightens the header (CSS) and runs ``static/fit_maps.js`` in the page, which gives every map the
height from its top to the window's bottom (or the whole window when it starts further down) and
tells Leaflet. Nothing is loaded from outside the page.
"""

from __future__ import annotations

from functools import cache

import streamlit as st

from views.page_script import page_script

__all__ = ["MAP_FRAMES", "apply"]

MAP_FRAMES = "iframe[title='streamlit_folium.st_folium'], iframe[title='st.iframe']"
_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.6rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; padding: 0 0 .4rem 0; }
</style>"""


@cache
def _script() -> str:
    return page_script("fit_maps.js", {"selector": MAP_FRAMES, "margin": 12, "min": 420, "share": 0.6})


def apply() -> None:
    """Add the shared layout to the page (once per run)."""
    with st.sidebar:
        st.html(_CSS + _script(), unsafe_allow_javascript=True)
