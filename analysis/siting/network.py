"""Distances and times by road to transport nodes, and drive-time isochrones.

Road work is done once per road graph and set of transport nodes (:func:`node_access`: one Dijkstra
per transport node), so a query over 100 000 plots only looks up each plot's nearest road nodes.

A trip from a place to a transport node is modelled as three legs: a straight **access leg** from the
place to a node of the road graph, the **road** (shortest path), and a straight leg from the graph to
the transport node (the port of 董家口 lies ≈ 11 km from the nearest node of the bundled graph). The
two straight legs are driven at ``access_speed_kmh``, the road at ``speed_kmh``. Of the ``k`` nearest
road nodes of a place, the one giving the shortest trip is used.

A place farther than ``max_access_m`` from every road node is **off the network**: its distance falls
back to the straight line, and the reasons say so. Distances by road are never shorter than the straight
line (edge lengths are at least the straight distance between their ends).

Examples
--------
>>> import numpy as np, shapely
>>> from geo.network import road_graph
>>> g = road_graph(np.array([shapely.LineString([(0, 0), (10_000, 0)])]))
>>> acc = node_access(g, np.array([10_000.0]), np.array([500.0]), np.array(["port"]), ("port",), max_access_m=5000)
>>> r = by_road(acc, np.array([0.0]), np.array([300.0]))
>>> float(r.road_m[0, 0]), float(r.leg_m[0, 0]), bool(r.on_road[0, 0])
(10800.0, 800.0, True)
>>> bool(by_road(acc, np.array([0.0]), np.array([90_000.0])).on_road[0, 0])  # 90 km from the road
False
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import to_wgs84
from geo.network import RoadGraph

__all__ = [
    "DEFAULT_MAX_ACCESS_M",
    "NodeAccess",
    "RoadTrips",
    "by_road",
    "isochrone_frame",
    "isochrones",
    "node_access",
    "trip_minutes",
]

DEFAULT_MAX_ACCESS_M = 10_000.0  # a place farther than this from every road node is off the network
_K = 3  # road nodes tried per place


@dataclass(frozen=True, eq=False)
class NodeAccess:
    """For every road node and node kind: the shortest trip to a transport node of that kind.

    Attributes
    ----------
    graph : RoadGraph
    kinds : tuple of str
        The node kinds, in the order of the first axis below.
    road_m : array (n_kinds, n_road_nodes)
        Road distance plus the transport node's own straight leg, metres (inf: none reachable).
    leg_m : array (n_kinds, n_road_nodes)
        The transport node's straight leg of that trip, metres.
    via : array (n_kinds, n_road_nodes) of int
        Index of the transport node reached (−1: none).
    node_leg_m : array of float
        Each transport node's straight distance to the road graph, metres (inf beyond ``max_access_m``).
    max_access_m : float
    """

    graph: RoadGraph
    kinds: tuple[str, ...]
    road_m: np.ndarray
    leg_m: np.ndarray
    via: np.ndarray
    node_leg_m: np.ndarray
    max_access_m: float


def node_access(
    graph: RoadGraph,
    x: np.ndarray,
    y: np.ndarray,
    kind: np.ndarray,
    kinds: tuple[str, ...],
    max_access_m: float = DEFAULT_MAX_ACCESS_M,
) -> NodeAccess:
    """Shortest trips from every road node to the transport nodes at ``(x, y)`` (EPSG:4549 m) of each kind.

    A transport node farther than ``max_access_m`` from the graph cannot be reached by road.
    """
    if not max_access_m > 0:
        raise ValueError(f"max_access_m must be > 0, got {max_access_m!r}")
    x, y, kind = np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.asarray(kind)
    n = graph.n_nodes
    road = np.full((len(kinds), n), np.inf)
    leg = np.zeros((len(kinds), n))
    via = np.full((len(kinds), n), -1, dtype=np.int64)
    leg_d, snap = graph.nearest(x, y) if len(x) else (np.zeros(0), np.zeros(0, dtype=np.int64))
    leg_d = np.where(leg_d <= max_access_m, leg_d, np.inf)
    reachable = np.flatnonzero(np.isfinite(leg_d))
    dist = graph.distances_from(snap[reachable]) if reachable.size else np.zeros((0, n))
    for row, j in enumerate(reachable):
        k = kinds.index(str(kind[j])) if str(kind[j]) in kinds else -1
        if k < 0:
            continue
        total = dist[row] + leg_d[j]
        better = total < road[k]
        road[k, better] = total[better]
        leg[k, better] = leg_d[j]
        via[k, better] = j
    return NodeAccess(graph, tuple(kinds), road, leg, via, leg_d, float(max_access_m))


@dataclass(frozen=True)
class RoadTrips:
    """Trips from places to the nearest transport node of each kind by road (arrays (n, n_kinds)).

    ``road_m`` is the whole trip (access leg + road + the transport node's leg), ``leg_m`` its straight
    legs, ``via`` the transport node reached; ``on_road`` is False where the place is off the network
    or no node of the kind is reachable (then ``road_m`` is inf and ``via`` −1).
    """

    road_m: np.ndarray
    leg_m: np.ndarray
    via: np.ndarray
    on_road: np.ndarray


def by_road(access: NodeAccess, x: np.ndarray, y: np.ndarray) -> RoadTrips:
    """The shortest trip by road from each place ``(x, y)`` (EPSG:4549 m) to each node kind."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n, n_kinds = len(x), len(access.kinds)
    if n == 0:
        empty = np.zeros((0, n_kinds))
        return RoadTrips(empty, empty, empty.astype(np.int64), empty.astype(bool))
    d, i = access.graph.nearest(x, y, k=_K)
    d, i = d.reshape(n, -1), i.reshape(n, -1)
    near = d <= access.max_access_m
    road = np.full((n, n_kinds), np.inf)
    leg = np.zeros((n, n_kinds))
    via = np.full((n, n_kinds), -1, dtype=np.int64)
    rows = np.arange(n)
    for k in range(n_kinds):
        total = np.where(near, d + access.road_m[k][i], np.inf)
        best = np.argmin(total, axis=1)
        road[:, k] = total[rows, best]
        node = i[rows, best]
        leg[:, k] = d[rows, best] + access.leg_m[k][node]
        via[:, k] = np.where(np.isfinite(road[:, k]), access.via[k][node], -1)
    on_road = np.isfinite(road)
    return RoadTrips(road, np.where(on_road, leg, 0.0), via, on_road)


def trip_minutes(road_m: np.ndarray, leg_m: np.ndarray, speed_kmh: float, access_speed_kmh: float) -> np.ndarray:
    """Driving time, minutes: the road part at ``speed_kmh`` and the straight legs at ``access_speed_kmh``.

    >>> float(trip_minutes(np.array([61_000.0]), np.array([1000.0]), 60.0, 30.0)[0])
    62.0
    """
    road_m, leg_m = np.asarray(road_m, dtype=float), np.asarray(leg_m, dtype=float)
    return (road_m - leg_m) / (speed_kmh * 1000 / 60) + leg_m / (access_speed_kmh * 1000 / 60)


def isochrones(
    graph: RoadGraph,
    x: float,
    y: float,
    minutes: list[float],
    speed_kmh: float,
    access_speed_kmh: float,
    max_access_m: float = DEFAULT_MAX_ACCESS_M,
) -> list[shapely.Geometry]:
    """Areas reachable from ``(x, y)`` (EPSG:4549 m) within each time in ``minutes``, as polygons in metres.

    The start joins its nearest road node by a straight leg; each road node reached with time to spare
    contributes a disc of what is left driven at ``access_speed_kmh`` (at most 3 km), and each road
    reached at both ends a band of 300 m. Bands are returned in the order of ``minutes``.

    Raises
    ------
    ValueError
        The start is off the network (farther than ``max_access_m`` from every road node), or a time is
        not in (0, 600] minutes.
    """
    bad = [m for m in minutes if not 0 < m <= 600]
    if bad or not minutes:
        raise ValueError(f"等时圈时间须在 (0, 600] 分钟内 / isochrone minutes must be in (0, 600], got {minutes}")
    leg, start = graph.nearest(np.array([x]), np.array([y]))
    if not float(leg[0]) <= max_access_m:
        raise ValueError(f"起点距路网 {float(leg[0]) / 1000:.1f} km，超出 {max_access_m / 1000:g} km：不在路网上 / "
                         f"the start is {float(leg[0]) / 1000:.1f} km from the road network "
                         f"(limit {max_access_m / 1000:g} km): off the network")  # fmt: skip
    v_road, v_access = speed_kmh * 1000 / 60, access_speed_kmh * 1000 / 60  # m per minute
    t_leg = float(leg[0]) / v_access
    t = graph.distances_from(np.array([int(start[0])]), limit=max(minutes) * v_road)[0] / v_road + t_leg
    a, b = graph.matrix.nonzero()
    out = []
    for m in minutes:
        left = m - t
        ok = np.flatnonzero(left > 0)
        radius = np.minimum(left[ok] * v_access, 3000.0)
        discs = shapely.buffer(shapely.points(graph.x[ok], graph.y[ok]), radius, quad_segs=8)
        both = (a < b) & (left[a] > 0) & (left[b] > 0)
        bands = shapely.buffer(
            shapely.linestrings(np.stack([np.column_stack([graph.x[a[both]], graph.y[a[both]]]),
                                          np.column_stack([graph.x[b[both]], graph.y[b[both]]])], axis=1)),
            300.0, quad_segs=4)  # fmt: skip
        start_disc = shapely.Point(x, y).buffer(min(m * v_access, 3000.0), quad_segs=8)
        out.append(shapely.union_all(np.concatenate([discs, bands, [start_disc]])))
    return out


def isochrone_frame(
    access: NodeAccess, x: float, y: float, minutes: list[float], speed_kmh: float, access_speed_kmh: float,
    origin: str, crs: object,
) -> gpd.GeoDataFrame:  # fmt: skip
    """:func:`isochrones` as a layer: ``origin``, ``minutes``, ``area_km2`` and the polygons in EPSG:4326.

    ``x``, ``y`` are in ``crs`` metres (EPSG:4549 in a siting context); bands are sorted by time.
    """
    times = sorted({float(m) for m in minutes})
    polys = isochrones(access.graph, x, y, times, speed_kmh, access_speed_kmh, access.max_access_m)
    frame = gpd.GeoDataFrame(
        {"origin": origin, "minutes": times, "area_km2": np.round(shapely.area(np.array(polys)) / 1e6, 1)},
        geometry=polys,
        crs=crs,
    )
    return to_wgs84(frame)
