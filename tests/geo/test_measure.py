import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.crs import CRSChoiceError, parse_export_crs, to_metric
from geo.measure import M2_PER_MU, area_km2, area_mu, buffer_m, geodesic_area_m2
from layers import load_layer


def test_one_mu_is_666_67_square_metres():
    assert pytest.approx(666.6667, abs=1e-4) == M2_PER_MU


def test_square_kilometre_is_1500_mu():
    square = gpd.GeoSeries([shapely.box(400_000, 4_000_000, 401_000, 4_001_000)], crs="EPSG:4549")
    assert area_mu(square.to_crs(4326)).iloc[0] == pytest.approx(1500.0, rel=1e-6)


def test_planar_area_agrees_with_geodesic_reference_for_real_districts():
    districts = load_layer("districts")
    planar = area_km2(districts).to_numpy() * 1e6
    geodesic = geodesic_area_m2(districts).to_numpy()
    # EPSG:4549 has its central meridian through Qingdao: scale error well below 0.1 %.
    assert np.max(np.abs(planar / geodesic - 1)) < 1e-3
    mu = area_mu(districts).to_numpy()
    np.testing.assert_allclose(mu, geodesic / M2_PER_MU, rtol=1e-3)


def test_area_in_degrees_is_never_used():
    districts = load_layer("districts")
    with pytest.raises(ValueError, match="no CRS"):
        area_mu(districts.set_crs(None, allow_override=True))


def test_buffer_in_metres():
    point = gpd.GeoDataFrame(geometry=[shapely.Point(120.38, 36.07)], crs=4326)
    ring = buffer_m(point, 1000, quad_segs=64)
    assert ring.crs.to_epsg() == 4326
    assert area_km2(ring).iloc[0] == pytest.approx(np.pi, rel=1e-3)
    with pytest.raises(ValueError, match="metres"):
        buffer_m(point, -5)


@pytest.mark.parametrize("text", ["EPSG:4549", "epsg:4549", "4549", 4549, " EPSG:4549 "])
def test_parse_export_crs_accepts_common_spellings(text):
    assert parse_export_crs(text).code == "EPSG:4549"


@pytest.mark.parametrize(("text", "reason"), [("EPSG:3857", "not supported"), ("WGS99", "not a known CRS")])
def test_parse_export_crs_rejects(text, reason):
    with pytest.raises(CRSChoiceError, match=reason):
        parse_export_crs(text)


def test_to_metric_refuses_frames_without_crs():
    with pytest.raises(ValueError, match="no CRS"):
        to_metric(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]))
