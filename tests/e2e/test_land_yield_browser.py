"""The 亩产效益 page in real headless Chromium with the bundled sample, offline."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_map_browser import _is_local

pytestmark = pytest.mark.browser


def test_land_yield_page_draws_enterprises_and_choropleth_offline(app_url, offline_page):
    page, requests, errors = offline_page
    page.goto(f"{app_url}/land_yield", wait_until="domcontentloaded")

    page.wait_for_selector("text=合成样例数据", timeout=60_000)  # the sample is labelled on screen
    frame = page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000).content_frame()
    canvas = frame.wait_for_selector("canvas.qd-points", timeout=60_000)
    frame.wait_for_function("document.querySelector('canvas.qd-points').dataset.drawn > 0", timeout=30_000)
    assert int(canvas.get_attribute("data-points")) > 2500  # located, in-scope sample firms
    legend = frame.inner_text(".qd-legend")
    for text in ("A 优先发展类", "D 限制发展类", "产业集聚区：单位用地税收", "合成样例数据"):
        assert text in legend
    # Cluster choropleth: click a polygon → popup with ratio-of-sums figures.
    frame.locator("path.leaflet-interactive").first.click(force=True)
    popup = frame.wait_for_selector(".leaflet-popup-content", timeout=10_000).inner_text()
    assert "参评企业数" in popup
    page.wait_for_timeout(800)
    frame.locator("#map_div").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "land_yield_page.png"), full_page=True)

    # The raster surface appears as an image overlay when switched on.
    page.get_by_text("栅格面（亩均税收，250 米）").click()
    overlay = page.locator("iframe[title='streamlit_folium.st_folium']").last.content_frame
    overlay = overlay.locator("img.leaflet-image-layer")
    overlay.wait_for(timeout=60_000)  # the map is re-rendered in a new iframe
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "land_yield_surface.png"), full_page=True)

    assert not errors, errors
    outside = [u for u in requests if not _is_local(u)]
    assert not outside, outside
