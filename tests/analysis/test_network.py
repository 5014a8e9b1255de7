"""Distances and times by road (issue 14, 1): the bundled OSM network, the fallback, isochrones."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.siting.context import build_context, locate_xy
from analysis.siting.location import describe_point
from analysis.siting.network import by_road, isochrone_frame, trip_minutes
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from benchmarks.siting import _naive_road
from cli.siting import main
from geo.crs import to_metric_xy
from i18n.render import location_lines, render
from layers import load_layers
from tests.plans import CONFIG, PLAN

lonlat = st.tuples(st.floats(119.5, 120.9), st.floats(35.6, 37.1))


@settings(max_examples=80, deadline=None)
@given(st.lists(lonlat, min_size=1, max_size=20))
def test_by_road_is_never_shorter_than_the_straight_line_and_equals_a_brute_force(ctx, points):
    x, y = to_metric_xy(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    trips = by_road(ctx.roads, x, y)
    nodes = list(ctx.nodes.itertuples())
    kinds = list(ctx.roads.kinds)
    for i in range(len(x)):
        naive = _naive_road(ctx, float(x[i]), float(y[i]), nodes)
        for k, kind in enumerate(kinds):
            if trips.on_road[i, k]:
                node = ctx.nodes.geometry.iloc[int(trips.via[i, k])]
                assert trips.road_m[i, k] >= np.hypot(node.x - x[i], node.y - y[i]) - 1e-6
                assert trips.road_m[i, k] == pytest.approx(naive[kind], rel=1e-9)
                assert 0 < trips.leg_m[i, k] <= trips.road_m[i, k]
            else:
                assert kind not in naive and trips.via[i, k] == -1


def test_locations_use_the_road_and_fall_back_to_the_straight_line_off_the_network(ctx):
    on = to_metric_xy(np.array([120.38]), np.array([36.31]))  # 城阳, in the network
    off = to_metric_xy(np.array([121.6]), np.array([36.2]))  # at sea, ≈ 60 km east of the network
    loc = locate_xy(np.concatenate([on[0], off[0]]), np.concatenate([on[1], off[1]]), ctx)
    assert loc.node_road[0].all() and not loc.node_road[1].any()
    straight = build_context({k: v for k, v in load_layers().items() if k != "roads"}, PLAN)
    plain = locate_xy(np.concatenate([on[0], off[0]]), np.concatenate([on[1], off[1]]), straight)
    assert (loc.node_m[0] >= plain.node_m[0]).all() and (loc.node_m[0] > plain.node_m[0]).any()
    np.testing.assert_array_equal(loc.node_m[1], plain.node_m[1])  # off the network: the straight line
    assert not plain.node_road.any() and (plain.node_leg_m == 0).all()


def test_reasons_and_point_reports_say_by_road_with_the_time(ctx):
    project = make_project(PLAN, "新能源汽车零部件", 200, 80_000, 6_000)
    result = rank_sites(project, ctx, CONFIG, top_plots=5)
    found = [f for f in result.clusters["reasons"].iloc[0] if f.code == "reason.nearest_node_road"]
    assert found and all(f.params["minutes"] > 0 for f in found)
    line = render(found[0], "zh")
    assert "路网距离" in line and "分钟" in line and "by road" in render(found[0], "en")
    report = describe_point(120.38, 36.31, ctx, project, CONFIG)
    road = [n for n in report.nodes if n[3]]
    assert len(road) == 4
    _, _, km, _, minutes = road[0]
    slower = CONFIG.with_changes(speed_kmh=30.0)
    again = describe_point(120.38, 36.31, ctx, project, slower)
    assert again.nodes[0][4] > minutes and again.nodes[0][2] == km  # time follows the speed, distance does not
    assert any("路网" in line and "分钟" in line for line in location_lines(report, "zh"))


def test_trip_minutes_splits_road_and_straight_legs():
    assert trip_minutes(np.array([30_000.0]), np.array([0.0]), 60.0, 20.0)[0] == pytest.approx(30.0)
    assert trip_minutes(np.array([1_000.0]), np.array([1_000.0]), 60.0, 20.0)[0] == pytest.approx(3.0)


def test_isochrones_grow_with_time_and_an_off_network_start_is_a_clear_error(ctx):
    airport = ctx.nodes[ctx.nodes["kind"] == "airport"].geometry.iloc[0]
    bands = isochrone_frame(ctx.roads, airport.x, airport.y, [45, 15, 30], 60.0, 25.0, "机场", ctx.nodes.crs)
    assert bands["minutes"].tolist() == [15.0, 30.0, 45.0] and bands.crs.to_epsg() == 4326
    areas = bands["area_km2"].to_numpy()
    assert (np.diff(areas) > 0).all()
    geoms = bands.to_crs(4549).geometry.to_numpy()
    assert all(shapely.covers(shapely.buffer(b, 1.0), a) for a, b in itertools.pairwise(geoms))
    assert shapely.contains(bands.geometry.iloc[0], shapely.Point(120.09833, 36.365))
    x, y = to_metric_xy(np.array([121.6]), np.array([36.2]))
    with pytest.raises(ValueError, match="off the network"):
        isochrone_frame(ctx.roads, float(x[0]), float(y[0]), [15], 60.0, 25.0, "sea", ctx.nodes.crs)
    for bad in ([], [0], [-5], [601]):
        with pytest.raises(ValueError, match="minutes"):
            isochrone_frame(ctx.roads, airport.x, airport.y, bad, 60.0, 25.0, "机场", ctx.nodes.crs)


def test_footprints_start_from_road_nodes_inside_them(ctx):
    """A cluster crossed by roads measures from its nearest road node inside, never longer than from its centre."""
    centre = shapely.point_on_surface(ctx.clusters.geometry.to_numpy())
    from_centre = by_road(ctx.roads, shapely.get_x(centre), shapely.get_y(centre))
    loc = ctx.cluster_locations
    assert loc.node_road.all()
    assert (loc.node_m <= from_centre.road_m + 1e-6).all()


def test_the_cli_gives_road_distances_and_times(capsys):
    args = ["--industry", "新能源汽车零部件", "--land-mu", "200", "--at", "120.38,36.31", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert any("路网距离" in r and "分钟" in r for r in out["reasons"])
