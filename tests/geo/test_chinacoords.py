import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.chinacoords import (
    bd09_to_wgs84,
    convert,
    convert_geometry,
    gcj02_to_wgs84,
    in_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")
# A grid over Qingdao's extent (119.3–121.0 E, 35.6–37.1 N).
LON, LAT = (a.ravel() for a in np.meshgrid(np.linspace(119.3, 121.0, 18), np.linspace(35.6, 37.1, 16)))


def _metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_gcj02_offset_in_qingdao_matches_measured_shift():
    # DESIGN.md: GCJ-02 is ≈ +460 m east and +15…50 m north of WGS84 in Qingdao.
    glon, glat = wgs84_to_gcj02(120.38, 36.07)
    east = _metres(120.38, 36.07, float(glon), 36.07)
    north = _metres(120.38, 36.07, 120.38, float(glat))
    assert 430 < east < 500
    assert 10 < north < 60
    assert glat > 36.07 and glon > 120.38


def test_gcj02_inverse_is_accurate_to_a_millimetre_over_the_city():
    glon, glat = wgs84_to_gcj02(LON, LAT)
    back_lon, back_lat = gcj02_to_wgs84(glon, glat)
    assert np.max(_metres(LON, LAT, back_lon, back_lat)) < 0.001


def test_bd09_round_trip_and_offset():
    blon, blat = wgs84_to_bd09(LON, LAT)
    assert np.all(_metres(LON, LAT, blon, blat) > 500)  # BD-09 adds ≈ 0.0065°/0.006° on top of GCJ-02
    back_lon, back_lat = bd09_to_wgs84(blon, blat)
    assert np.max(_metres(LON, LAT, back_lon, back_lat)) < 0.001


def test_points_outside_china_are_unchanged():
    lon, lat = wgs84_to_gcj02([2.35, 151.2], [48.85, -33.87])
    np.testing.assert_array_equal(lon, [2.35, 151.2])
    np.testing.assert_array_equal(lat, [48.85, -33.87])
    assert in_china(120.38, 36.07) and not in_china(2.35, 48.85)


def test_convert_geometry_keeps_structure_and_moves_every_vertex():
    poly = shapely.Polygon([(120.3, 36.0), (120.4, 36.0), (120.4, 36.1), (120.3, 36.0)])
    moved = convert_geometry(poly, "wgs84", "gcj02")
    assert moved.geom_type == "Polygon"
    assert shapely.get_num_coordinates(moved) == shapely.get_num_coordinates(poly)
    a, b = shapely.get_coordinates(poly), shapely.get_coordinates(moved)
    assert np.all(_metres(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) > 400)
    back = convert_geometry(moved, "gcj02", "wgs84")
    assert shapely.equals_exact(back, poly, tolerance=1e-8)


def test_convert_rejects_unknown_pair_and_mismatched_shapes():
    with pytest.raises(ValueError, match="unknown coordinate system"):
        convert(120.0, 36.0, "wgs84", "mercator")
    with pytest.raises(ValueError, match="differ in shape"):
        wgs84_to_gcj02([120.0, 120.1], [36.0])
    lon, lat = convert(120.0, 36.0, "gcj02", "gcj02")
    assert float(lon) == 120.0 and float(lat) == 36.0
