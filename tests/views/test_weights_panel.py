"""AHP weights and the ranking's stability on the 选址分析 page (issue 14, 2 and 3)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from analysis.siting.config import load_siting_config
from tests.plans import PLAN


@pytest.fixture
def page(workspace_app):
    return workspace_app.switch_page("views/siting_page.py").run()


def test_judgements_give_weights_that_the_ranking_then_uses(page):
    at = page
    assert not at.exception
    at.select_slider(key="site_ahp_plan_fit_axis_zh").set_value(Fraction(5)).run()
    at.select_slider(key="site_ahp_plan_fit_transport_zh").set_value(Fraction(5)).run()
    assert any(c.value.startswith("一致性比率 CR = ") for c in at.caption)
    at.button(key="site_ahp_apply").click().run()
    assert not at.exception
    weights = load_siting_config(at.session_state["site_config"].encode("utf-8"), PLAN).weights
    assert max(weights, key=weights.get) == "plan_fit" and sum(weights.values()) == pytest.approx(100.0)
    assert at.number_input(key="site_w_plan_fit").value == pytest.approx(weights["plan_fit"])


def test_inconsistent_judgements_are_warned_about(page):
    at = page
    at.select_slider(key="site_ahp_plan_fit_axis_zh").set_value(Fraction(9)).run()
    at.select_slider(key="site_ahp_axis_transport_zh").set_value(Fraction(9)).run()
    at.select_slider(key="site_ahp_plan_fit_transport_zh").set_value(Fraction(1, 9)).run()
    assert any("一致性不足" in w.value and "最不一致的判断" in w.value for w in at.warning)


def test_the_stability_of_the_ranking_is_shown(page):
    at = page
    assert any(c.value.startswith("1000 次抽样：集聚区排名 Kendall τ 平均") for c in at.caption)
    oat = next(d.value for d in at.dataframe if "Kendall τ" in d.value.columns)
    assert set(oat["调整"]) == {"+20%", "-20%"} and "规划符合度" in set(oat["因子"])


def test_regions_are_found_on_the_raster_listed_and_drawn(page):
    at = page
    at.toggle(key="site_suit").set_value(True).run()
    at.number_input(key="site_regions_k").set_value(2).run()
    assert not at.exception
    regions = next(d.value for d in at.dataframe if "平均得分" in d.value.columns)
    assert len(regions) == 2 and (regions["亩"] >= 50).all()


def test_regions_are_drawn_outlined_with_their_legend_line():
    import geopandas as gpd
    import shapely

    from layers import load_layers
    from webmap.assets import AssetUrls
    from webmap.plan_map import MapOptions
    from webmap.siting_map import SitingMapData, build_siting_map

    layers = load_layers()
    from analysis.siting.context import build_context
    from analysis.siting.project import make_project
    from analysis.siting.rank import rank_sites
    from tests.plans import CONFIG

    result = rank_sites(make_project(PLAN, "食品", 50), build_context(layers, PLAN), CONFIG)
    boxes = [shapely.box(120.3, 36.3, 120.31, 36.31), shapely.box(120.4, 36.4, 120.41, 36.41)]
    regions = gpd.GeoDataFrame({"rank": [1, 2], "area_mu": [60.0, 60.0], "mean_score": [80.0, 70.0]}, geometry=boxes,
                               crs=4326)  # fmt: skip
    data = SitingMapData(layers["clusters"], layers["axes"], layers["clusters"].iloc[0:0], layers["transport_nodes"],
                         regions=regions)  # fmt: skip
    html = build_siting_map(result, data, MapOptions(assets=AssetUrls.under("."))).get_root().render()
    assert "连片区域（2 个，黑框）" in html and '"weight": 3.0' in html
