"""Drive-time isochrones and the road layer on the 选址分析 page (issue 14, 1)."""

from __future__ import annotations

import pytest

from tests.plans import PLAN


@pytest.fixture
def page(workspace_app):
    return workspace_app.switch_page("views/siting_page.py").run()


def test_isochrones_from_a_transport_node_are_offered_for_download(page):
    at = page
    origin = at.selectbox(key="site_iso_origin_zh")
    assert origin.value == "" and origin.options[0] == "（不画）"
    origin.select_index(origin.options.index("青岛胶东国际机场")).run()
    assert not at.exception
    assert at.multiselect(key="site_iso_minutes").value == [15, 30, 45]
    assert any(b.label == "下载等时圈 GeoJSON" for b in at.get("download_button"))


def test_the_last_click_is_a_start_and_a_click_at_sea_is_refused_with_a_message(page):
    at = page
    origin = at.selectbox(key="site_iso_origin_zh")
    origin.select_index(origin.options.index("地图上最后点击的位置")).run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("单击地图") for i in at.info)  # nothing clicked yet: how to give a start
    at.session_state["site_map_event"] = ("point", (121.6, 36.2), "wgs84")  # at sea, 60 km off the network
    at.run()
    assert any("不在路网上" in w.value for w in at.warning)


def test_roads_and_bands_are_drawn_on_the_siting_map():
    from analysis.siting.context import build_context
    from analysis.siting.network import isochrone_frame
    from analysis.siting.project import make_project
    from analysis.siting.rank import rank_sites
    from layers import load_layers
    from tests.plans import CONFIG
    from webmap.assets import AssetUrls
    from webmap.palette import ISOCHRONE_COLOURS
    from webmap.plan_map import MapOptions
    from webmap.siting_map import SitingMapData, build_siting_map

    layers = load_layers()
    ctx = build_context(layers, PLAN)
    result = rank_sites(make_project(PLAN, "食品", 50), ctx, CONFIG)
    node = ctx.nodes.geometry.iloc[0]
    bands = isochrone_frame(ctx.roads, node.x, node.y, [15, 30], 60.0, 25.0, "前湾港区", ctx.nodes.crs)
    data = SitingMapData(layers["clusters"], layers["axes"], layers["clusters"].iloc[0:0], layers["transport_nodes"],
                         roads=layers["roads"], isochrones=bands)  # fmt: skip
    html = build_siting_map(result, data, MapOptions(assets=AssetUrls.under("."))).get_root().render()
    assert "道路网（OSM）" in html  # the road legend
    assert "15 分钟可达" in html and "30 分钟可达" in html
    assert ISOCHRONE_COLOURS[0] in html and ISOCHRONE_COLOURS[1] in html
