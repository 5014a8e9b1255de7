import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.pointquery import containing_polygon, points_in_polygons
from layers import load_layer


def test_districts_match_a_spatial_join_on_random_points():
    districts = load_layer("districts")
    rng = np.random.default_rng(7)
    x, y = rng.uniform(119.4, 121.0, 20_000), rng.uniform(35.5, 37.2, 20_000)
    owner = containing_polygon(x, y, districts.geometry.to_numpy())

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4326)
    joined = gpd.sjoin(pts, districts[["geometry"]], predicate="within", how="left")
    expected = joined["index_right"].groupby(level=0).min().fillna(-1).astype(int).to_numpy()
    np.testing.assert_array_equal(owner, expected)
    assert 0 < (owner >= 0).mean() < 1  # some land, some sea or outside


def test_overlapping_polygons_give_every_pair_and_the_first_owner():
    a, b = shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3)
    x, y = np.array([0.5, 1.5, 2.5, 5.0]), np.array([0.5, 1.5, 2.5, 5.0])
    p, o = points_in_polygons(x, y, [a, b])
    assert list(zip(p.tolist(), o.tolist(), strict=True)) == [(0, 0), (1, 0), (1, 1), (2, 1)]
    assert containing_polygon(x, y, [b, a]).tolist() == [1, 0, 0, -1]


def test_boundary_nan_and_missing_geometries_match_nothing():
    square = shapely.box(0, 0, 1, 1)
    x, y = np.array([0.0, 1.0, np.nan, 0.5]), np.array([0.5, 0.5, 0.5, np.nan])
    assert containing_polygon(x, y, [square]).tolist() == [-1, -1, -1, -1]
    assert containing_polygon(np.array([0.5]), np.array([0.5]), [None, shapely.Polygon(), square]).tolist() == [2]


def test_mismatched_coordinates_are_rejected():
    with pytest.raises(ValueError, match="same length"):
        points_in_polygons(np.zeros(3), np.zeros(2), [shapely.box(0, 0, 1, 1)])
