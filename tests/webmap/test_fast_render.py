"""Layer data reaches the page as it is: never evaluated as a Jinja template (and not tokenised again)."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import shapely

from webmap.controls import LegendEntry, PlannerControls, legend_html
from webmap.geojson import compact_geometries, geojson_layer
from webmap.points import CanvasPoints

HOSTILE = "{{ 7*7 }} {{ this.__class__.__name__ }} {% if true %}x{% endif %}"


def _page(*layers) -> str:
    m = folium.Map(tiles=None)
    for layer in layers:
        layer.add_to(m)
    return m.get_root().render()


def test_a_name_that_looks_like_a_template_is_shown_as_typed():
    """folium's own GeoJson renders "{{ 7*7 }}" in a feature's data as "49" (server-side template injection)."""
    assert '"49 Element' in _page(folium.GeoJson({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "{{ 7*7 }} {{ this.__class__.__name__ }}"},
        "geometry": {"type": "Point", "coordinates": [120, 36]}}]}))  # fmt: skip
    plots = gpd.GeoDataFrame({"name": [HOSTILE]}, geometry=[shapely.box(120, 36, 120.01, 36.01)], crs=4326)
    layer = geojson_layer(plots, "地块", {"color": "#000000"}, tooltip=lambda r: r["name"], keep=("name",))
    points = CanvasPoints([120.0], [36.0], [0], ["#000000"], name="企业", labels=[HOSTILE], compress=False)
    controls = PlannerControls("zh")
    controls.set_legend(legend_html("图例", [LegendEntry(HOSTILE, {"color": "#000000"})]))
    page = _page(layer, points, controls)
    assert page.count("{{ 7*7 }}") >= 3 and "49" not in re.sub(r"[0-9a-f]{32}", "", page)
    assert "{% if true %}x{% endif %}" in page


def test_compacted_geometries_are_computed_once_per_content():
    a = gpd.GeoSeries([shapely.box(120, 36, 120.1, 36.1)], crs=4326)
    b = gpd.GeoSeries([shapely.box(120, 36, 120.1, 36.1)], crs=4326)  # equal content, another object
    first = compact_geometries(a, simplify_m=20)
    assert compact_geometries(b, simplify_m=20) is first
    assert compact_geometries(b, simplify_m=50) is not first  # other parameters: computed
    moved = gpd.GeoSeries([shapely.box(120, 36, 120.1, 36.2)], crs=4326)
    assert compact_geometries(moved, simplify_m=20)[0].bounds[3] == 36.2


def test_the_measured_area_is_read_in_the_page_language():
    """Issue 12: the area read-out said 亩 in English mode."""
    import json

    zh, en = (json.loads(PlannerControls(lang).measure_opts) for lang in ("zh", "en"))
    assert (zh["mu"], zh["tenThousandMu"]) == ("亩", "万亩")
    assert en["mu"] == "mu" and "亩" not in en["tenThousandMu"]
    page = _page(PlannerControls("en"))
    assert "units.mu" in page and "' 亩'" not in page  # the script takes the word from the options
