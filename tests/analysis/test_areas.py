"""Aggregation by ratio of sums with suppression, the raster surface as GeoTIFF, and hot spots."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely

from analysis.land_yield.aggregate import aggregate_grid, aggregate_zones
from analysis.land_yield.hotspots import hot_spots
from analysis.surface import intensity_surface
from geo.raster import geotiff_bytes, write_geotiff


def result_frame(points, tax, land, status=None, score=None, cls=None) -> gpd.GeoDataFrame:
    n = len(points)
    return gpd.GeoDataFrame(
        {
            "status": status or ["rated"] * n,
            "tax": tax,
            "land_mu": land,
            "revenue": [np.nan] * n,
            "value_added": [np.nan] * n,
            "energy_tce": [np.nan] * n,
            "emissions_t": [np.nan] * n,
            "rd": [np.nan] * n,
            "employees": pd.array([pd.NA] * n, dtype="Int64"),
            "score": score or [100.0] * n,
            "class": cls or ["B"] * n,
        },
        geometry=[shapely.Point(p) for p in points],
        crs=4326,
    )


ZONES = gpd.GeoDataFrame(
    {"id": ["a", "b"], "name": ["甲区", "乙区"]},
    geometry=[shapely.box(120.0, 36.0, 120.1, 36.1), shapely.box(120.1, 36.0, 120.2, 36.1)],
    crs=4326,
)


def test_zone_figures_are_ratios_of_sums_not_means_of_ratios():
    pts = [(120.01, 36.01), (120.02, 36.02), (120.03, 36.03), (120.15, 36.05)]
    res = result_frame(pts, tax=[100.0, 10.0, 10.0, 5.0], land=[10.0, 10.0, 80.0, 1.0], cls=["A", "B", "B", "C"])
    out = aggregate_zones(res, ZONES, "id").set_index("id")
    assert out.loc["a", "tax_per_mu"] == pytest.approx(120 / 100)  # mean of ratios would be 3.71
    assert out.loc["a", "share_A"] == pytest.approx(1 / 3)
    assert out.loc["a", "n_rated"] == 3 and not out.loc["a", "suppressed"]
    # zone b has one firm: counted, but its figures are suppressed
    assert out.loc["b", "n_firms"] == 1 and out.loc["b", "suppressed"]
    assert np.isnan(out.loc["b", "tax_per_mu"])


def test_unrated_firms_count_but_do_not_enter_ratios():
    pts = [(120.01, 36.01)] * 4
    res = result_frame(pts, [10.0, 10.0, 10.0, 1000.0], [10.0] * 4, status=["rated"] * 3 + ["new"])
    out = aggregate_zones(res, ZONES, "id").set_index("id")
    assert out.loc["a", "n_firms"] == 4 and out.loc["a", "n_rated"] == 3
    assert out.loc["a", "tax_per_mu"] == pytest.approx(1.0)


def test_grid_cells_hold_their_firms():
    pts = [(120.01, 36.01), (120.0101, 36.0101), (120.0102, 36.0102), (120.3, 36.3)]
    res = result_frame(pts, [1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0])
    grid = aggregate_grid(res, cell_m=1000)
    assert sorted(grid["n_firms"]) == [1, 3]
    full = grid[grid["n_firms"] == 3].iloc[0]
    assert full["tax_per_mu"] == pytest.approx(2.0)
    assert full.geometry.contains(shapely.Point(pts[0]))
    assert gpd.GeoSeries([full.geometry], crs=4326).to_crs(4549).area.iloc[0] == pytest.approx(1e6, rel=1e-6)


def test_surface_values_and_geotiff_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    pts = list(zip(120.05 + rng.normal(0, 0.005, 30), 36.05 + rng.normal(0, 0.005, 30), strict=True))
    res = result_frame(pts, tax=[20.0] * 30, land=[4.0] * 30)
    surface = intensity_surface(res, shapely.box(120.0, 36.0, 120.1, 36.1), cell_m=250, radius_m=1000)
    finite = surface.values[np.isfinite(surface.values)]
    assert finite.size > 0 and np.allclose(finite, 5.0)  # every firm has 5 万元/亩
    path = write_geotiff(tmp_path / "s.tif", surface.values, surface.transform, surface.crs, {"unit": "万元/亩"})
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 4549
        assert src.transform == surface.transform
        assert src.res == (250.0, 250.0)
        assert src.tags()["unit"] == "万元/亩"
        np.testing.assert_array_equal(src.read(1), surface.values)
    data = geotiff_bytes(surface.values, surface.transform, surface.crs)
    with rasterio.MemoryFile(data) as mem, mem.open() as src:
        assert src.crs.to_epsg() == 4549 and src.shape == surface.values.shape


def test_surface_rejects_out_of_range_cells():
    res = result_frame([(120.05, 36.05)], [1.0], [1.0])
    with pytest.raises(ValueError, match="100–500"):
        intensity_surface(res, shapely.box(120, 36, 120.1, 36.1), cell_m=50)


def test_hot_spots_find_a_planted_cluster():
    rng = np.random.default_rng(7)
    xs, ys = np.meshgrid(np.arange(12), np.arange(12))
    pts, score = [], []
    for x, y in zip(xs.ravel(), ys.ravel(), strict=True):
        high = x < 3 and y < 3
        for _ in range(3):
            pts.append((120.0 + x * 0.0225 + 0.005, 36.0 + y * 0.018 + 0.005))
            score.append(float(rng.normal(180 if high else 100, 5)))
    res = result_frame(pts, [1.0] * len(pts), [1.0] * len(pts), score=score)
    cells = hot_spots(res, cell_m=2000, k=8, permutations=999)
    hot = cells[cells["category"] == "hot"]
    assert len(hot) >= 4
    assert (hot["score_mean"] > 150).all()
    assert (cells.loc[cells["category"] == "cold", "score_mean"] < 150).all()
