import numpy as np
import pytest
import shapely

from geo.measure import area_km2
from layers import LAYER_IDS, UnknownLayerError, load_layer, load_layers, spec
from layers.build import axis_corridors
from tests.conftest import ROOT

QINGDAO_ADCODES = {370202, 370203, 370211, 370212, 370213, 370214, 370215, 370281, 370283, 370285}


@pytest.fixture(scope="module")
def layers():
    return load_layers()


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_every_layer_has_the_documented_schema(layers, layer_id):
    gdf = layers[layer_id]
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == [*spec(layer_id).columns, "geometry"]
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert gdf["geometry_quality"].isin(["official", "approximate", "schematic", "synthetic"]).all()
    assert gdf["source"].str.len().gt(5).all()


def test_districts_are_the_ten_real_ones(layers):
    d = layers["districts"]
    assert set(d["adcode"]) == QINGDAO_ADCODES
    total = d["area_km2"].sum()
    assert 10_900 < total < 11_400  # official land area 11,293 km²; bundled boundaries are generalised
    np.testing.assert_allclose(d["area_mu"], d["area_km2"] * 1500, rtol=1e-3)
    # Not GCJ-02 shifted: 市南区's seaward tip stays west of the shifted outline's.
    shinan = d.set_index("adcode").loc[370202].geometry
    assert shinan.contains(shapely.Point(120.38, 36.07))


def test_bay_areas_follow_their_districts(layers):
    bays = layers["bay_areas"].set_index("id")
    d = layers["districts"].set_index("adcode")
    east = area_km2(layers["bay_areas"]).set_axis(layers["bay_areas"]["id"])
    assert east["east"] == pytest.approx(area_km2(d.loc[[370202, 370203, 370212, 370213]]).sum(), rel=1e-6)
    metric_bays, metric_d = bays.to_crs(4549), d.to_crs(4549)
    assert metric_bays.loc["west"].geometry.difference(metric_d.loc[370211].geometry).area < 1.0  # m²
    assert east["west"] < area_km2(d.loc[[370211]]).iloc[0] / 2
    assert bays.loc["north", "geometry_quality"] == "approximate"


def test_axes_pass_through_their_towns(layers):
    axes = layers["axes"].set_index("id").to_crs(4549)
    towns = {
        "chengyang_jimo_laixi": [(120.527, 36.859), (120.462, 36.390)],
        "jiaozhou_pingdu": [(120.134, 36.533), (119.593, 36.925)],
        "huangdao_dongjiakou": [(119.64, 35.64)],
    }
    import geopandas as gpd

    for axis_id, pts in towns.items():
        points = gpd.GeoSeries(shapely.points(pts), crs=4326).to_crs(4549)
        assert points.distance(axes.loc[axis_id].geometry).max() < 100
    assert (layers["axes"]["geometry_quality"] == "approximate").all()


def test_axes_follow_the_road_network_between_their_towns(layers):
    """Issue 14, 1: every vertex of an axis is one of its waypoints or a node of the road network."""
    from geo.crs import to_metric
    from layers.catalogue import axes_table
    from layers.roads import graph

    net = graph()
    nodes = {(round(x), round(y)) for x, y in zip(net.x, net.y, strict=True)}
    axes = to_metric(layers["axes"]).set_index("id")
    for axis in axes_table():
        lines = list(axes.loc[axis["id"]].geometry.geoms)
        assert len(lines) == len(axis["part"]) and axes.loc[axis["id"], "geometry_note"] == ""
        for line, part in zip(lines, axis["part"], strict=True):
            xy = shapely.get_coordinates(line)
            on_road = [(round(x), round(y)) in nodes for x, y in xy]
            assert sum(on_road) >= len(xy) - len(part["waypoints"])  # all but the towns themselves
            straight = shapely.LineString(xy[[0, -1]]).length
            assert line.length >= straight  # a route is never shorter than the straight line
    assert "OpenStreetMap" in layers["axes"]["source"].iloc[0]


def test_corridor_width_is_a_parameter():
    narrow, wide = axis_corridors(2000), axis_corridors(8000)
    assert (wide["area_km2"].to_numpy() > narrow["area_km2"].to_numpy()).all()
    assert (narrow["half_width_km"] == 2).all()
    for bad in (0, -1, float("nan"), 1e9):
        with pytest.raises(ValueError, match="half width"):
            axis_corridors(bad)


def test_corridors_contain_their_centrelines_on_land(layers):
    corridors = layers["axis_corridors"].set_index("id").to_crs(4549)
    axes = layers["axes"].set_index("id").to_crs(4549)
    land = shapely.union_all(layers["districts"].to_crs(4549).geometry.values)
    for axis_id in axes.index:
        on_land = axes.loc[axis_id].geometry.intersection(land)
        assert corridors.loc[axis_id].geometry.buffer(1).contains(on_land)


def test_cluster_footprints(layers):
    c = layers["clusters"]
    published = c["area_km2_published"].notna()
    np.testing.assert_allclose(c.loc[published, "footprint_km2"], c.loc[published, "area_km2_published"], rtol=0.02)
    metric = c.to_crs(4549)
    geoms = metric.geometry.to_numpy()
    overlaps = shapely.area(shapely.intersection(geoms[:, None], geoms[None, :]))
    np.fill_diagonal(overlaps, 0)
    assert overlaps.max() < 1.0  # m²: schematic footprints never overlap
    d = layers["districts"].set_index("adcode").to_crs(4549)
    for row in metric.itertuples():
        assert row.geometry.within(d.loc[row.district].geometry.buffer(1))
    assert set(c.loc[c["chemical"], "id"]) == {
        "chemical_xinhe",
        "chemical_dongjiakou",
        "inferred_petrochemical_qianwan",
    }
    assert (c.loc[~c["plan_named"], "status"] == "推测（规划未列名）").all()


def test_unknown_layer_id():
    with pytest.raises(UnknownLayerError, match="unknown layer 'railways'"):
        load_layer("railways")


def test_loaders_return_copies(layers):
    first = load_layer("clusters")
    first["name"] = "changed"
    assert load_layer("clusters")["name"].iloc[0] != "changed"


def test_the_airport_is_where_airportsdata_puts_it():
    """Issue 14, 1: 胶东国际机场 from PyPI airportsdata (ZSQD), not an estimate."""
    import airportsdata

    from geo.crs import to_metric_xy
    from layers.siting_layers import transport_nodes

    ref = airportsdata.load()["ZSQD"]
    airport = transport_nodes().set_index("kind").loc["airport"]
    ours = to_metric_xy(np.array([airport.geometry.x]), np.array([airport.geometry.y]))
    theirs = to_metric_xy(np.array([ref["lon"]]), np.array([ref["lat"]]))
    assert np.hypot(ours[0] - theirs[0], ours[1] - theirs[1])[0] < 50
    assert "airportsdata" in airport["source"]


def test_the_road_layer_is_osm_with_attribution_and_one_connected_network(layers):
    from scipy.sparse.csgraph import connected_components

    from layers.roads import graph

    roads = layers["roads"]
    assert len(roads) > 2000 and (roads["geometry_quality"] == "approximate").all()
    assert roads["source"].str.contains("OpenStreetMap").all() and roads["source"].str.contains("ODbL").all()
    assert connected_components(graph().matrix, directed=False)[0] == 1
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "qingdao_roads.geojson" in readme and "ODbL" in readme and "build_roads" in readme
