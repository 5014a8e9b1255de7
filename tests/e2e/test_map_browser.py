"""The map page in real headless Chromium: drawn with the plan layers, and fully offline."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import ARTIFACTS, click_map_at, open_map

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname in LOCAL_HOSTS


def test_map_page_draws_plan_layers_offline(app_url, offline_page):
    page, requests, errors = offline_page
    _, frame = open_map(page, app_url)
    page.wait_for_timeout(1500)  # let the remaining layers paint before the screenshot
    page.screenshot(path=str(ARTIFACTS / "map_page.png"), full_page=True)

    # Every plan layer is listed in the layer control, in Chinese.
    control = frame.inner_text(".leaflet-control-layers")
    for title in ("区市边界", "环湾城区", "发展轴带（沿路网）", "发展轴带（廊道）", "市级重点工业产业集聚区"):
        assert title in control
    # 10 districts + 3 bay areas + 3 axes + 3 corridors + 14 clusters are drawn as SVG paths.
    assert frame.locator("path.leaflet-interactive").count() >= 33
    assert "图例" in frame.inner_text(".qd-legend")
    assert frame.locator(".leaflet-control-scale").count() == 1
    # Clicking a cluster opens a Chinese popup that states the data quality.
    frame.locator("path.leaflet-interactive[stroke='#7c2d12']").first.click(force=True)
    popup = frame.wait_for_selector(".leaflet-popup-content", timeout=10_000).inner_text()
    assert "几何质量" in popup and "示意" in popup

    frame.locator(".leaflet-popup-close-button").dispatch_event("click")

    # Cursor read-out in WGS84 and the distance tool (only a browser shows these).
    box = frame.locator("#map_div").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    assert "WGS84 1" in frame.inner_text(".qd-mouse-position")
    frame.locator(".qd-measure-distance").click()
    for fx in (0.2, 0.6):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.85)
    readout = frame.inner_text(".qd-measure-out")
    assert readout.endswith(" km") and float(readout.split()[0]) > 10
    page.screenshot(path=str(ARTIFACTS / "map_measure.png"))

    outside = sorted({u for u in requests if not _is_local(u)})
    assert not outside, f"requests left localhost: {outside}"
    assert not errors, errors


def test_measuring_an_area_places_vertices_on_the_plan_layers(app_url, offline_page):
    """Issue 12 (2): with the default layers on, a click on a district, cluster or corridor opened
    its popup instead of adding a vertex; area measurement worked only with every layer off."""
    page, _, errors = offline_page
    frame_el, frame = open_map(page, app_url)
    page.wait_for_timeout(1000)
    frame.locator(".qd-measure-area").click()
    corners = ((36.30, 120.00), (36.30, 120.10), (36.22, 120.10))  # 胶州/城阳, on districts and a corridor
    for lat, lon in corners:
        click_map_at(page, frame_el, frame, lat, lon)
    readout = frame.inner_text(".qd-measure-out")
    assert readout.endswith("亩") or "万亩" in readout, readout
    assert frame.locator(".leaflet-popup").count() == 0  # no feature answered the clicks
    frame.locator(".qd-measure-clear").click()
    frame.locator("path.leaflet-interactive[stroke='#7c2d12']").first.click(force=True)
    frame.wait_for_selector(".leaflet-popup-content", timeout=10_000)  # after measuring, features answer again
    assert errors == []


LAND_YIELD_MAP = "iframe[title='st.iframe']"
STREAMLIT_ENGLISH = ("Upload", "Choose options", "Select all", "per file", "Zoom in", "Layers")


def _visible_english(page, frame) -> list[str]:
    """Streamlit's and Leaflet's English texts on the page: element texts, placeholders, titles."""
    script = """() => Array.from(document.querySelectorAll('body *:not(script):not(style)')).flatMap(e => [
                    e.children.length ? '' : e.textContent, e.getAttribute('placeholder') || '',
                    e.getAttribute('aria-label') || '', e.getAttribute('title') || ''])"""
    texts = page.evaluate(script) + frame.evaluate(script)
    return sorted({f"{w}: {text[:60]}" for w in STREAMLIT_ENGLISH for text in texts if w in text})


def test_widget_texts_follow_the_language(app_url, offline_page):
    """Issue 12 (7): zh mode showed Streamlit's and Leaflet's English ("Upload", "Choose options",
    "Zoom in", "Layers"); en mode must still show them in English."""
    page, _, errors = offline_page
    _, frame = open_map(page, app_url)
    page.get_by_text("显示的图层").first.wait_for(timeout=30_000)
    page.locator("[data-testid='stMultiSelect']").first.click()  # opens the list with "Select all"
    page.get_by_text("全选").first.wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    page.goto(f"{app_url}/land_yield", wait_until="domcontentloaded")
    page.get_by_text("上传", exact=True).first.wait_for(timeout=60_000)
    frame = page.wait_for_selector(LAND_YIELD_MAP, timeout=60_000).content_frame()
    frame.wait_for_selector(".leaflet-control-zoom-in", timeout=60_000)
    page.get_by_text("单个文件上限 50MB").first.wait_for(timeout=10_000)
    assert _visible_english(page, frame) == []
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("title") == "放大"
    page.screenshot(path=str(ARTIFACTS / "widgets_zh.png"), full_page=True)

    page.get_by_text("English", exact=True).click()
    page.get_by_text("Upload", exact=True).first.wait_for(timeout=30_000)
    page.wait_for_function("() => document.body.innerText.includes('per file')", timeout=30_000)
    frame = page.wait_for_selector(LAND_YIELD_MAP, timeout=60_000).content_frame()
    frame.wait_for_function(
        "() => (document.querySelector('.leaflet-control-zoom-in') || {}).title === 'Zoom in'", timeout=60_000
    )
    page.screenshot(path=str(ARTIFACTS / "widgets_en.png"), full_page=True)
    assert errors == []


# Streamlit rewrites a widget's English text or attribute on each render; the page script replaced it
# each time and kept every replaced value in a list that only grew while the page lived.
REWRITES_JS = """async () => {
  const tick = () => new Promise(r => setTimeout(r, 0)), W = window.__qdWidgetLanguage;
  const before = W.remembered(), el = document.createElement('div');
  document.body.appendChild(el);
  for (let i = 0; i < 200; i++) { el.setAttribute('aria-label', 'Select all'); await tick(); }
  const rewritten = W.remembered() - before, label = el.getAttribute('aria-label');
  for (let round = 0; round < 40; round++) {  // 4,000 translated elements come and go
    const batch = Array.from({length: 100}, () => Object.assign(document.createElement('span'), {title: 'Select all'}));
    batch.forEach(e => document.body.appendChild(e));
    await tick();
    batch.forEach(e => e.remove());
  }
  await tick();
  const remembered = W.remembered();
  const other = Object.assign(document.createElement('span'), {title: 'Select all'});
  document.body.appendChild(other);
  await tick();
  other.title = 'A title of its own';  // Streamlit writes a text the table does not replace
  await tick();
  W.stop();
  return {rewritten, label, remembered, restored: el.getAttribute('aria-label'), other: other.title};
}"""


def test_the_widget_translator_remembers_each_node_once(app_url, offline_page):
    """Issue 12 (left): what the zh page script replaced was kept in a list growing with every render."""
    page, _, errors = offline_page
    open_map(page, app_url)
    page.wait_for_function("() => window.__qdWidgetLanguage && window.__qdWidgetLanguage.remembered", timeout=30_000)
    seen = page.evaluate(REWRITES_JS)
    assert seen["label"] == "全选" and seen["rewritten"] == 1  # rewritten 200 times, remembered once
    assert seen["remembered"] < 1100  # nodes gone from the page are forgotten (4,000 came and went)
    assert seen["restored"] == "Select all"  # English mode puts back what Streamlit wrote …
    assert seen["other"] == "A title of its own"  # … and never an English value Streamlit has since replaced
    assert errors == []


def test_the_point_report_follows_the_query_industry(app_url, offline_page):
    """Issue 12 (4): changing the query industry left the previous report on screen."""
    from tests.e2e.test_siting_browser import _choose, _report_text

    page, _, errors = offline_page
    frame_el, frame = open_map(page, app_url)
    page.wait_for_timeout(1000)
    click_map_at(page, frame_el, frame, 36.25, 119.85)
    page.get_by_text("位置: WGS84").wait_for(timeout=30_000)
    for industry in ("食品", "智能家电"):
        _choose(page, "查询时按此产业判断规划符合度（可不选）", industry)
        page.wait_for_function(
            "(w) => document.body.innerText.includes(w + ': ')", arg=industry, timeout=30_000
        )  # the report's verdict line names the industry just chosen
        assert f"{industry}: " in _report_text(page)
    assert errors == []


TWO_FIRMS = re.compile(r"读取 2 行|全部 2 行通过校验")  # the validation summary of tests/data/bad/firms_gbk.csv


def test_changing_page_keeps_the_uploaded_table_and_the_map_settings(app_url, offline_page):
    """Issue 12 (3): the uploaded table fell back to the sample, and the corridor width and layer
    choice reset, after a visit to another page."""
    from tests.conftest import ROOT

    page, _, errors = offline_page
    page.goto(f"{app_url}/land_yield", wait_until="domcontentloaded")
    page.wait_for_selector("text=合成样例数据", timeout=60_000)
    page.locator("input[type=file]").first.set_input_files(str(ROOT / "tests" / "data" / "bad" / "firms_gbk.csv"))
    page.get_by_text(TWO_FIRMS).wait_for(state="attached", timeout=60_000)

    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text("规划地图").click()
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")  # 5.0 → 7.0 km
    page.wait_for_function("() => document.body.innerText.includes('7.00')", timeout=30_000)
    tags = "[data-testid='stMultiSelect'] [data-tag]"
    chips = page.locator(tags)
    before = chips.count()
    assert before >= 5
    page.locator("[data-testid='stMultiSelect'] [data-tag] button").first.click()  # remove the first layer
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[tags, before - 1],
                           timeout=30_000)  # fmt: skip

    nav.get_by_text("亩产效益").click()
    page.get_by_text("正在使用已上传的“firms_gbk.csv”").wait_for(timeout=60_000)
    page.get_by_text(TWO_FIRMS).wait_for(state="attached", timeout=60_000)  # the upload, not the 3,000-firm sample

    nav.get_by_text("规划地图").click()
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
    page.wait_for_function("() => document.body.innerText.includes('7.00')", timeout=30_000)
    # the layer list is drawn after the slider: wait for it rather than count chips that are not there yet
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[tags, before - 1],
                           timeout=30_000)  # fmt: skip
    assert chips.count() == before - 1
    assert errors == []


def test_the_map_page_opens_at_its_own_name_without_a_not_found_dialog(app_url, offline_page):
    """Issue 12: ``/map`` showed Streamlit's "Page not found" dialog (the map page is served at the root)."""
    page, _, errors = offline_page
    open_map(page, f"{app_url}/map")
    page.wait_for_timeout(1000)  # the dialog, if any, comes with the first run's messages
    assert page.get_by_role("dialog").count() == 0
    assert not page.get_by_text(re.compile("Page not found|找不到页面")).count()
    assert urlparse(page.url).path in ("", "/")  # on the map page's own address
    nav = page.locator("[data-testid=stSidebarNav]").inner_text()
    assert nav.count("规划地图") == 1  # the hidden page is not listed twice
    assert not errors, errors
