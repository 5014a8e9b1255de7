"""The site-selection page in real headless Chromium, offline: fill the form, read the ranking on
the map and in the table, click a spot and get the plan's report, measure an area and get its report."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, click_map_at
from tests.e2e.test_map_browser import _is_local

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label`` (typing filters the list)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def _report_text(page) -> str:
    """The text of the map-query panel (from its heading to the end of its list)."""
    body = page.inner_text("body")
    return body[body.index("地图查询：规划怎么说") :]


def test_siting_page_ranks_chemical_clusters_and_answers_map_queries(app_url, offline_page):
    page, requests, errors = offline_page
    page.goto(f"{app_url}/siting", wait_until="domcontentloaded")
    page.wait_for_selector("text=集聚区排名", timeout=60_000)

    _choose(page, "产业（规划用语）", "高端化工")
    page.get_by_label("用地需求（亩）").fill("250")
    page.get_by_role("button", name="分析").click()
    # Rank 1 (an expander below the table) is a chemical cluster: 董家口 or 新河.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=\"stExpander\"] summary'))"
        ".some(s => /(^|\\n)1\\. [^\\n]*化工产业集聚区/.test(s.innerText))",
        timeout=60_000,
    )
    table = page.locator(
        "[data-testid='stMain'] [data-testid='stDataFrame']"
    ).first  # the ranking (the sidebar holds the AHP table)
    assert table.is_visible()

    # The map of this project (its legend names it; the previous map's iframe is replaced).
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")).some(f => {
             try { const p = f.contentDocument.querySelector('.qd-project');
                   return p && p.innerText.includes('高端化工') && f.contentDocument.querySelector('.qd-rank'); }
             catch (e) { return false; } })""",
        timeout=60_000,
    )
    frame_el = page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = frame_el.content_frame()
    frame.wait_for_selector(".qd-rank", timeout=60_000)  # ranked plots are numbered on the map
    legend = frame.inner_text(".qd-legend")
    assert "得分" in legend and "合成样例" in legend and "示例" in legend
    control = frame.inner_text(".leaflet-control-layers")
    assert "集聚区（按得分）" in control and "推荐地块" in control

    # Click a spot on land (Jiaozhou, west of the bay) → the report says what the plan says there.
    x, y = click_map_at(page, frame_el, frame, 36.25, 119.85)
    page.get_by_text("位置: WGS84").wait_for(timeout=30_000)
    text = _report_text(page)
    assert "胶州市" in text and "高端化工: 不符合" in text and "进区入园" in text
    page.screenshot(path=str(ARTIFACTS / "siting_point_query.png"), full_page=False)

    # Measure an area (three clicks and a double click) → an area report with its size in 亩.
    frame.locator(".qd-measure-area").click()
    for dx, dy in ((0, 0), (60, 0), (60, 50)):
        page.mouse.click(x + dx, y + dy)
    page.mouse.dblclick(x, y + 50)
    page.get_by_text("面积:").wait_for(timeout=30_000)
    assert "亩" in _report_text(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "siting_area_query.png"), full_page=False)

    assert not errors, errors
    outside = [u for u in requests if not _is_local(u)]
    assert not outside, outside


def _wait_for_project_on_map(page, text: str) -> None:
    page.wait_for_function(
        """(text) => Array.from(document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")).some(f => {
             try { const p = f.contentDocument.querySelector('.qd-project'); return p && p.innerText.includes(text); }
             catch (e) { return false; } })""",
        arg=text,
        timeout=60_000,
    )


def test_every_submission_of_the_siting_form_is_applied(app_url, offline_page):
    """Issue 12 (1): the 2nd and 4th submissions were discarded and the form jumped back."""
    page, _, errors = offline_page
    page.goto(f"{app_url}/siting", wait_until="domcontentloaded")
    page.wait_for_selector("text=集聚区排名", timeout=60_000)
    land = page.get_by_label("用地需求（亩）")
    for need in (310, 420, 530, 640):
        land.fill(str(need))
        page.get_by_role("button", name="分析").click()
        _wait_for_project_on_map(page, f"{need} 亩")  # the map shows this submission's project
        assert float(land.input_value()) == need  # and the form keeps what was typed
    assert errors == []


def test_downloads_clicked_in_quick_succession_all_arrive(app_url, offline_page):
    """Issue 12 (10): about one click in four failed ("Deferred file … not found") when a click's
    rerun dropped the file the next click asked for."""
    page, _, errors = offline_page
    page.goto(f"{app_url}/siting", wait_until="domcontentloaded")
    page.wait_for_selector("text=集聚区排名", timeout=60_000)
    page.get_by_text("下载", exact=True).first.click()
    names = ("候选地块 GeoJSON", "分析报告 XLSX", "适宜性 GeoTIFF（EPSG:4549）")
    for name in names:
        page.get_by_role("button", name=name).wait_for(timeout=30_000)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    for _ in range(3):
        for name in names:
            page.get_by_role("button", name=name).click()
            page.wait_for_timeout(150)  # quick succession, as a planner clicks
    deadline = 120
    while len(downloads) < 3 * len(names) and deadline > 0:
        page.wait_for_timeout(1000)
        deadline -= 1
    assert len(downloads) == 3 * len(names)
    failures = [(d.suggested_filename, d.failure()) for d in downloads if d.failure()]
    assert failures == []
    assert {d.suggested_filename for d in downloads} == {"siting_candidates.geojson", "选址分析报告.xlsx",
                                                          "suitability_100m_EPSG4549.tif"}  # fmt: skip
    assert errors == []
