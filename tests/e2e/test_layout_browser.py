"""Map first at office-laptop size (issue 12, defect 8), and a screenshot of every page at two sizes."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SIZES = {"1366x768": (1366, 768), "1600x1000": (1600, 1000)}
MAP_PAGES = {  # page path → the map's iframe
    "": "iframe[title='streamlit_folium.st_folium']",  # the plan map, the default page
    "land_yield": "iframe[title='st.iframe']",
    "siting": "iframe[title='streamlit_folium.st_folium']",
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", list(MAP_PAGES))
def test_the_map_fills_the_window_below_a_short_header(app_url, browser, path, size):
    """At 1366×768 the map began ≈ 250 px down and ran below the fold (a 640 px map under a title and a notice)."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
        frame = page.wait_for_selector(MAP_PAGES[path], timeout=90_000)
        frame.content_frame().wait_for_selector(".leaflet-container", timeout=90_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / f"layout_{path or 'map'}_{size}.png"))
        box = frame.bounding_box()
        assert box["y"] <= 230, box  # what is above the map: a short title line, at most one control row
        assert box["y"] + box["height"] <= height + 1, box  # the whole map is visible without scrolling
        assert box["height"] >= 0.6 * height, box  # and it takes most of the window
    finally:
        context.close()
