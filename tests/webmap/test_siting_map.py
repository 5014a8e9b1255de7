"""The siting map split for st_folium: between two submissions only the project's groups change."""

from __future__ import annotations

import json
import re

import pytest
from streamlit_folium import _get_map_string

from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from geo.crs import to_wgs84
from layers import load_layers
from layers.build import city_outline, context_land
from tests.plans import CONFIG, PLAN
from webmap.assets import AssetUrls
from webmap.plan_map import MapOptions
from webmap.siting_map import SitingMapData, build_siting_map


@pytest.fixture(scope="module")
def setting():
    layers = load_layers()
    ctx = build_context(layers, PLAN)
    data = SitingMapData(layers["clusters"], layers["axes"], to_wgs84(ctx.exclusion), layers["transport_nodes"],
                         layers["districts"], None, 10)  # fmt: skip
    return ctx, data


def _parts(setting, land_mu: float):
    ctx, data = setting
    result = rank_sites(make_project(PLAN, "智能家电", land_mu, 60_000, 3_000), ctx, CONFIG, top_plots=10)
    return build_siting_map(result, data, MapOptions(assets=AssetUrls.under(".")), city_outline(), context_land(),
                            split=True)  # fmt: skip


def _stable(script: str) -> str:
    return re.sub(r"[0-9a-f]{32}", "<id>", script)  # folium's random element ids


def test_the_map_the_browser_keeps_is_the_same_for_two_submissions(setting):
    first, second = _parts(setting, 120), _parts(setting, 480)
    assert _stable(_get_map_string(first.base)) == _stable(_get_map_string(second.base))
    names = [g.layer_name for g in first.groups]
    assert names == ["集聚区（按得分）", "其他可供地块", "推荐地块（前 10 名）"]


def _scripts(element) -> str:
    """The scripts of an element and everything in it (what st_folium sends for a group)."""
    own = element._template.module.__dict__.get("script")
    return (own(element, {}) if own else "") + " ".join(_scripts(c) for c in element._children.values())


def test_the_groups_carry_the_project_its_clusters_and_ranked_plots(setting):
    parts = _parts(setting, 480)
    html = parts.base.get_root().render()
    assert "qd-project" in html and "480 亩" not in html  # the legend's project line is written by the groups
    rendered = " ".join(_scripts(g) for g in parts.groups)
    written = json.dumps("智能家电 · 480 亩")[1:-1]  # as the script carries it (JSON, ASCII)
    assert written in rendered and "qd-rank" in rendered
