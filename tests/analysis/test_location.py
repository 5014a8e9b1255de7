"""Point and area queries: what the plan says about a spot, and the suitability raster."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import shapely

from analysis.siting.context import build_context
from analysis.siting.location import describe_area, describe_point
from analysis.siting.project import make_project
from analysis.siting.suitability import suitability_surface
from geo.chinacoords import convert
from geo.raster import write_geotiff
from i18n.render import location_lines
from layers import load_layers
from layers.build import city_outline
from tests.plans import CONFIG, PLAN, zh


@pytest.fixture(scope="module")
def ctx():
    return build_context(load_layers(), PLAN)


def test_a_spot_in_the_rail_cluster_reports_district_bay_area_cluster_and_plan_fit(ctx):
    report = describe_point(120.31, 36.33, ctx, make_project(PLAN, "轨道交通装备", 100), CONFIG)
    assert report.on_land and report.district == "城阳区" and report.bay_area == "北岸城区"
    assert report.cluster == "青岛轨道交通装备产业集聚区"
    assert report.fit.level == "leading" and report.compliant and 0 < report.score <= 100
    assert any("四(二)" in r for r in zh(report.fit.findings)) and any("北岸城区" in r for r in zh(report.fit.findings))
    assert {kind for kind, *_ in report.nodes} == {"port", "airport", "rail_freight", "interchange"}
    text = "\n".join(location_lines(report, "zh"))
    assert "城阳区" in text and "符合" in text
    assert "compliant" in "\n".join(location_lines(report, "en"))


def test_a_chemical_project_in_a_sample_exclusion_zone_fails_two_rules(ctx):
    report = describe_point(120.60, 36.18, ctx, make_project(PLAN, "高端化工", 100), CONFIG)
    assert report.exclusion.startswith("崂山") and report.compliant is False
    assert any("进区入园" in f for f in zh(report.failures)) and any("禁止建设区" in f for f in zh(report.failures))
    assert report.cluster == "" and report.nearest_cluster and report.nearest_cluster_km > 0


def test_gcj02_clicks_are_converted_and_the_sea_is_not_land(ctx):
    lon, lat = convert(np.array([120.31]), np.array([36.33]), "wgs84", "gcj02")
    report = describe_point(float(lon[0]), float(lat[0]), ctx, coords="gcj02")
    assert report.lon == pytest.approx(120.31, abs=1e-6) and report.cluster.startswith("青岛轨道交通")
    sea = describe_point(120.40, 36.00, ctx)
    assert not sea.on_land and location_lines(sea)[-1] == "不在青岛市陆域内"
    with pytest.raises(ValueError, match="finite"):
        describe_point(float("nan"), 36.0, ctx)


def test_an_area_reports_its_size_and_overlaps(ctx):
    square = shapely.box(120.12, 36.52, 120.15, 36.55)
    report = describe_area(square, ctx, make_project(PLAN, "智能家电", 100), CONFIG)
    assert report.area_mu == pytest.approx(square_area_mu(square), rel=1e-6)
    names = dict(report.overlaps)
    districts = set(ctx.districts["name"])
    assert "平度智能家电产业集聚区" in names
    assert sum(v for k, v in names.items() if k in districts) == pytest.approx(report.area_mu, rel=1e-3)
    assert report.fit.level == "leading"
    with pytest.raises(ValueError, match="polygon"):
        describe_area(shapely.Point(120, 36), ctx)


def square_area_mu(polygon) -> float:
    import geopandas as gpd

    from geo.measure import area_mu

    return float(area_mu(gpd.GeoSeries([polygon], crs=4326)).iloc[0])


def test_suitability_raster_masks_constraints_and_writes_a_geotiff(ctx, tmp_path):
    land = city_outline()
    food = suitability_surface(make_project(PLAN, "食品", 100), ctx, land, CONFIG, cell_m=500)
    assert food.crs == "EPSG:4549" and food.transform.a == 500 and food.transform.e == -500
    values = food.values
    assert np.nanmin(values) >= 0 and np.nanmax(values) <= 100
    # cells in a sample exclusion zone are no-data
    zone = ctx.exclusion.geometry.iloc[0].centroid
    col, row = ~food.transform @ (zone.x, zone.y)
    assert np.isnan(values[int(row), int(col)])
    # the food cluster scores higher than the open countryside
    c = ctx.clusters.set_index("id").loc["food_laixi"].geometry.representative_point()
    col, row = ~food.transform @ (c.x, c.y)
    assert values[int(row), int(col)] > np.nanpercentile(values, 90)
    chem = suitability_surface(make_project(PLAN, "高端化工", 100), ctx, land, CONFIG, cell_m=500)
    assert np.isfinite(chem.values).sum() < 0.02 * np.isfinite(values).sum()  # only the chemical clusters remain
    path = write_geotiff(tmp_path / "s.tif", food.values, food.transform, food.crs, {"project": "食品"})
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 4549 and src.transform == food.transform
        np.testing.assert_array_equal(np.isnan(src.read(1)), np.isnan(values))
