"""The canvas point layer's transport: what the browser receives decodes to what was sent."""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np
import pandas as pd
import pytest

from webmap.points import CanvasPoints, encode_points


def _options(layer: CanvasPoints) -> dict:
    """The layer's options with the popup texts inflated, as the browser reads them."""
    outer = json.loads(layer.options_json.replace("<\\/", "</"))
    info = outer.pop("info")
    if "packed" in info:
        info = json.loads(zlib.decompress(base64.b64decode(info["packed"])).decode("utf-8"))
    return {**outer, **info}


def _decode_points(b64: str) -> np.ndarray:
    deltas = np.frombuffer(base64.b64decode(b64), dtype="<i4").reshape(-1, 2)
    return np.cumsum(deltas, axis=0) / 1e5


def test_coordinates_round_trip_to_a_metre():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(119.5, 121, 500), rng.uniform(35.5, 37, 500)
    decoded = _decode_points(encode_points(lon, lat))
    assert np.abs(decoded - np.column_stack([lon, lat])).max() <= 0.5e-5 + 1e-12


def test_packed_options_decode_to_the_columns_and_are_smaller():
    n = 2000
    names = [f"青岛市某某精密机械制造有限公司{i:05d}" for i in range(n)]
    columns = {
        "得分": pd.Series(np.linspace(0, 200, n)).where(lambda s: s.index % 7 != 0),
        "区市": pd.Series(np.resize(["城阳区", "即墨区"], n)),
        "人数": pd.Series(np.arange(n), dtype="Int64"),
    }
    args = (np.full(n, 120.3), np.full(n, 36.3), np.zeros(n, dtype=int), ["#000000"])
    packed = CanvasPoints(*args, name="企业", labels=names, columns=columns)
    plain = CanvasPoints(*args, name="企业", labels=names, columns=columns, compress=False)
    opts = _options(packed)
    assert opts == _options(plain)
    assert len(packed.options_json) < len(plain.options_json.encode("utf-8")) / 3
    assert opts["labels"][:2] == names[:2]
    score, district, people = opts["values"]
    assert score[0] is None and score[1] == pytest.approx(200 / (n - 1), abs=0.005)
    assert district["dict"] == ["城阳区", "即墨区"] and district["codes"][:3] == [0, 1, 0]
    assert people[5] == 5


def test_no_value_can_close_the_script_element():
    layer = CanvasPoints([120.0], [36.0], [0], ["#000000"], name="x", labels=["</script><b>x"], compress=False)
    assert "</script>" not in layer.options_json
    assert _options(layer)["labels"] == ["</script><b>x"]


def test_categories_must_index_colours():
    with pytest.raises(ValueError, match="index into colours"):
        CanvasPoints([120.0], [36.0], [2], ["#000000", "#ffffff"], name="x")


def test_colours_must_be_six_digit_hex():
    with pytest.raises(ValueError, match="#rrggbb, not 'red'"):
        CanvasPoints([120.0], [36.0], [0], ["red"], name="x")


def test_a_choropleth_with_every_area_suppressed_still_builds():
    from analysis.land_yield.aggregate import aggregate_zones
    from analysis.land_yield.config import default_config
    from analysis.land_yield.pipeline import evaluate_table
    from files.enterprises import read_enterprises
    from layers import load_layer
    from tests.conftest import ROOT
    from webmap.assets import AssetUrls
    from webmap.land_yield_map import AreaOverlay, LandYieldOverlays, build_land_yield_map
    from webmap.plan_map import MapOptions

    raw = read_enterprises(ROOT / "tests" / "data" / "bad" / "firms_gbk.csv")  # two firms: every area < 3
    ev = evaluate_table(raw, default_config(), load_layer("districts"))
    areas = aggregate_zones(ev.result, load_layer("clusters"), "id")
    assert areas["suppressed"].all()
    html = (
        build_land_yield_map(
            LandYieldOverlays(firms=ev.result, areas=[AreaOverlay(areas, "集聚区")]),
            MapOptions(assets=AssetUrls.under(".")),
        )
        .get_root()
        .render()
    )
    assert "企业不足 3 家" in html
