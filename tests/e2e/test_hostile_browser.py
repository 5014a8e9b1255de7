"""Hostile uploads in real Chromium: names render as text, bad files give messages, not tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_map_browser import _is_local

pytestmark = pytest.mark.browser

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
HOSTILE = "<img src=x onerror=alert(1)>"
OPEN_PLOT_POPUP = """() => {
  for (const v of Object.values(window)) {
    if (!v || !v._layers || !v.eachLayer || !v.getSize) continue;           // the Leaflet map
    for (const layer of Object.values(v._layers)) {
      if (layer.feature && layer.getPopup && layer.getPopup() && layer.feature.properties.id === 'P00001') {
        layer.openPopup(); return true;
      }
    }
  }
  return false;
}"""


def test_hostile_names_show_as_text_and_bad_files_as_messages(app_url, offline_page):
    page, requests, errors = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{app_url}/siting", wait_until="domcontentloaded")
    page.wait_for_selector("text=集聚区排名", timeout=60_000)
    page.get_by_text("数据与参数").click()

    # A plot named like a script tag: the candidate table and the map popup show the characters.
    page.locator("input[type=file]").nth(0).set_input_files(str(BAD / "script_names.geojson"))
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")).some(f => {
             try { return f.contentDocument.querySelectorAll('.qd-rank').length === 1; }
             catch (e) { return false; } })""",
        timeout=60_000,
    )
    handle = page.wait_for_selector("iframe[title='streamlit_folium.st_folium']").content_frame()
    assert handle.evaluate(OPEN_PLOT_POPUP)
    popup = handle.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    assert HOSTILE in popup.inner_text()
    assert handle.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.locator("iframe[title='streamlit_folium.st_folium']").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "hostile_plot_name.png"), full_page=False)

    # A zip bomb as exclusion zones: a bilingual message, the page carries on.
    page.locator("input[type=file]").nth(1).set_input_files(str(BAD / "zip_bomb.zip"))
    page.get_by_text("压缩炸弹").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0

    # A GDAL VRT named .geojson that would read the workspace's users table: refused by its content.
    page.locator("input[type=file]").nth(1).set_input_files(str(BAD / "vrt_as_geojson.geojson"))
    page.get_by_text("GDAL VRT").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0 and "$argon2" not in page.content()

    # The 亩产效益 page with hostile numbers: a row-level report, no exception.
    page.goto(f"{app_url}/land_yield", wait_until="domcontentloaded")
    page.wait_for_selector("text=合成样例数据", timeout=60_000)
    page.locator("input[type=file]").first.set_input_files(str(BAD / "firms_bad_numbers.csv"))
    page.get_by_text("行有错误未参与评价").wait_for(timeout=60_000)
    page.get_by_role("tab", name="数据校验").click()  # the row-level messages have their own tab
    page.get_by_text("第 6 行：税收(万元) 数值不合理").wait_for(state="attached", timeout=60_000)  # a canvas grid cell
    exceptions = page.locator("[data-testid='stException']")
    assert exceptions.count() == 0, exceptions.first.inner_text()

    assert not dialogs, dialogs
    assert not errors, errors
    assert not [u for u in requests if not _is_local(u)]
