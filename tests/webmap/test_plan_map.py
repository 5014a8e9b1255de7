import json
import re

import numpy as np
import pytest
import shapely

from layers import load_layers, spec
from layers.build import city_outline, context_land
from webmap.assets import AssetUrls, leaflet_source_dir, publish, streamlit_urls
from webmap.basemaps import BasemapError, tile_layers
from webmap.plan_map import MapOptions, build_plan_map

ASSETS = AssetUrls.under("/app/static")


@pytest.fixture(scope="module")
def layers():
    return load_layers()


def render(layers, **kw):
    m = build_plan_map(layers, MapOptions(assets=ASSETS, **kw), land=city_outline(), context=context_land())
    return m, m.get_root().render()


def _geojson_payloads(html):
    """The FeatureCollections folium embedded (one per ``*_add({...})`` call)."""
    out = []
    for match in re.finditer(r"_add\((\{.*\})\);$", html, flags=re.M):
        doc = json.loads(match.group(1))
        assert doc["type"] == "FeatureCollection"
        out.append(doc)
    return out


def test_offline_map_requests_nothing_but_local_leaflet(layers):
    _, html = render(layers)
    assert re.findall(r"https?://", html) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_styles_are_precomputed_not_a_style_function(layers):
    _, html = render(layers)
    assert "switch(" not in html
    payloads = _geojson_payloads(html)
    features = [f for p in payloads for f in p["features"]]
    plan_features = [f for f in features if "_pop" in f["properties"]]
    assert len(plan_features) == sum(len(g) for i, g in layers.items() if spec(i).popup)  # roads: context only
    lines = [f for f in features if not f["properties"]["style"]["interactive"] and "Line" in f["geometry"]["type"]]
    assert len(lines) == 1 and len(lines[0]["geometry"]["coordinates"]) > 2000  # the roads, drawn as one feature
    assert all("color" in f["properties"]["style"] for f in plan_features)


def test_coordinates_are_rounded_and_payload_is_small(layers):
    _, html = render(layers)
    assert len(html.encode()) < 1_500_000
    coords = re.findall(r"\[(1[12]\d\.\d+), (3\d\.\d+)\]", html)
    assert coords and all(len(x.split(".")[1]) <= 5 for x, _ in coords)


def test_popups_are_chinese_escaped_and_state_quality(layers):
    hostile = {k: v.copy() for k, v in layers.items()}
    hostile["clusters"].loc[0, "name"] = "<img src=x onerror=alert(1)>"
    _, html = render(hostile)
    assert "<img src=x" not in html
    popups = [
        f["properties"]["_pop"] for p in _geojson_payloads(html) for f in p["features"] if "_pop" in f["properties"]
    ]
    hostile_popup = next(p for p in popups if "onerror" in p)
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_popup and "<img" not in hostile_popup
    assert "几何质量" in hostile_popup and "示意" in hostile_popup


def test_english_switch(layers):
    _, html = render(layers, lang="en")
    assert "Municipal key industrial clusters (schematic)" in html
    assert "Legend" in html


def test_gaode_basemap_draws_overlays_in_gcj02(layers):
    wgs = _geojson_payloads(render({"clusters": layers["clusters"]})[1])
    gcj = _geojson_payloads(render({"clusters": layers["clusters"]}, basemap="gaode")[1])
    a = shapely.get_coordinates(shapely.from_geojson(json.dumps(wgs[-1]["features"][0]["geometry"])))
    b = shapely.get_coordinates(shapely.from_geojson(json.dumps(gcj[-1]["features"][0]["geometry"])))
    shift_east_m = np.mean(b[:, 0] - a[:, 0]) * 111_320 * np.cos(np.radians(36.3))
    assert 400 < shift_east_m < 520


def test_online_basemaps_are_opt_in(layers):
    _, html = render(layers, basemap="osm")
    assert "tile.openstreetmap.org" in html
    with pytest.raises(BasemapError, match="key"):
        tile_layers("tianditu", "天地图")
    assert any("tk=abc" in t.tiles for t in tile_layers("tianditu", "天地图", "abc"))
    with pytest.raises(BasemapError, match="unknown base map"):
        tile_layers("google", "x")


def test_layer_subset_and_unknown_layer(layers):
    _, html = render({"axes": layers["axes"]})
    assert "发展轴带（沿路网）（近似）" in html and "市级重点工业产业集聚区" not in html
    with pytest.raises(ValueError, match="unknown layers"):
        build_plan_map({"railways": layers["axes"]}, MapOptions(assets=ASSETS))


def test_publish_copies_leaflet_from_the_installed_package(tmp_path):
    target = publish(tmp_path)
    src = leaflet_source_dir()
    assert (target / "leaflet.js").read_bytes() == (src / "leaflet.js").read_bytes()
    assert (target / "images" / "marker-icon.png").exists()
    before = (target / "leaflet.js").stat().st_mtime_ns
    publish(tmp_path)
    assert (target / "leaflet.js").stat().st_mtime_ns == before


def test_streamlit_urls_honour_base_path():
    assert streamlit_urls("").leaflet_js == "/app/static/vendor/leaflet/leaflet.js"
    assert streamlit_urls("/planner/").leaflet_css == "/planner/app/static/vendor/leaflet/leaflet.css"


def test_a_layer_title_that_already_says_sample_data_does_not_say_it_twice():
    """Issue 12 (11): the plots legend read 可供地块（合成样例）（合成样例）."""
    from layers import load_layer, spec
    from webmap.plan_map import _layer_title

    plots = load_layer("plots")
    title = _layer_title(spec("plots"), plots, "zh")
    assert title.count("合成样例") == 1, title
    assert "示意" in _layer_title(spec("clusters"), load_layer("clusters"), "zh")  # other notes stay
