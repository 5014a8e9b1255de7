"""Projection between WGS84 and EPSG:4549: the same coordinates as geopandas, cheap in every thread (issue 12)."""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from geo.crs import METRIC, WGS84, _transformer, to_metric, to_wgs84

# Qingdao and well beyond it (the formulas must hold wherever an upload puts a feature).
lons = st.floats(115.0, 125.0, allow_nan=False)
lats = st.floats(30.0, 42.0, allow_nan=False)
points = st.lists(st.tuples(lons, lats), min_size=3, max_size=12)


def _geometries(coords: list[tuple[float, float]]) -> list:
    x0, y0 = coords[0]
    ring = Polygon([(x0, y0), (x0 + 0.05, y0), (x0 + 0.05, y0 + 0.05), (x0, y0 + 0.05)])
    return [Point(coords[0]), LineString(coords), ring, None, Point()]


def _coords(series: gpd.GeoSeries) -> np.ndarray:
    return shapely.get_coordinates(series.to_numpy())


@settings(max_examples=60, deadline=None)
@given(points)
def test_to_metric_and_back_give_what_geopandas_gives(coords):
    frame = gpd.GeoDataFrame({"n": range(5)}, geometry=_geometries(coords), crs=WGS84, index=list("abcde"))
    ours, theirs = to_metric(frame), frame.to_crs(METRIC)
    assert ours.crs == theirs.crs and list(ours.columns) == list(theirs.columns) and list(ours.index) == list("abcde")
    assert np.allclose(_coords(ours.geometry), _coords(theirs.geometry), rtol=0, atol=1e-6)  # metres
    assert ours.geometry.isna().tolist() == theirs.geometry.isna().tolist()
    assert ours.geometry.is_empty.tolist() == theirs.geometry.is_empty.tolist()
    back = to_wgs84(ours)
    assert back.crs == gpd.GeoSeries(crs=WGS84).crs
    assert np.allclose(_coords(back.geometry), _coords(theirs.to_crs(WGS84).geometry), rtol=0, atol=1e-9)  # degrees


def test_a_series_keeps_its_name_and_a_frame_its_geometry_column():
    series = gpd.GeoSeries([Point(120.3, 36.1)], crs=WGS84, name="site")
    assert to_metric(series).name == "site" and to_metric(series).crs == series.to_crs(METRIC).crs
    frame = gpd.GeoDataFrame({"id": [1]}, geometry=gpd.GeoSeries([Point(120.3, 36.1)]), crs=WGS84)
    frame = frame.rename_geometry("shape")
    out = to_metric(frame)
    assert out.geometry.name == "shape" and "geometry" not in out.columns and out.crs == frame.to_crs(METRIC).crs
    assert frame.crs == gpd.GeoSeries(crs=WGS84).crs  # the input is left as it was


def test_other_systems_and_3d_data_go_through_geopandas():
    cgcs = gpd.GeoSeries([Point(120.3, 36.1)], crs="EPSG:4490")
    assert np.allclose(_coords(to_metric(cgcs)), _coords(cgcs.to_crs(METRIC)))
    z = gpd.GeoSeries([Point(120.3, 36.1, 12.5)], crs=WGS84)
    ours, theirs = (shapely.get_coordinates(g.to_numpy(), include_z=True) for g in (to_metric(z), z.to_crs(METRIC)))
    assert to_metric(z).has_z.all() and np.allclose(ours, theirs)


def test_the_transformers_are_pipelines_that_carry_no_crs_to_look_up_again():
    """A transformer made by ``from_crs`` is copied for each thread by asking PROJ's database again."""
    for source, target in ((WGS84, METRIC), (METRIC, WGS84)):
        tr = _transformer(source, target)
        assert tr.source_crs is None and tr.definition.startswith("proj=pipeline")


def test_threads_project_alike():
    frame = gpd.GeoSeries([Point(120.3, 36.1), Point(120.5, 36.3)], crs=WGS84)
    expected = _coords(to_metric(frame))
    seen: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: seen.append(_coords(to_metric(frame)))) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(seen) == 4 and all(np.array_equal(s, expected) for s in seen)


def test_data_without_crs_is_refused():
    with pytest.raises(ValueError, match="never guessed"):
        to_wgs84(gpd.GeoSeries([Point(500000, 4000000)]))
