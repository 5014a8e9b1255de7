"""The road graph: nodes from line ends, edge lengths in metres, shortest distances (geo.network)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.network import road_graph


def _bellman_ford(n: int, edges: list[tuple[int, int, float]], start: int) -> list[float]:
    """Shortest distances by relaxing every edge n times (plain Python, no SciPy)."""
    dist = [float("inf")] * n
    dist[start] = 0.0
    for _ in range(n):
        for a, b, w in edges:
            dist[b] = min(dist[b], dist[a] + w)
            dist[a] = min(dist[a], dist[b] + w)
    return dist


points = st.tuples(st.integers(0, 6), st.integers(0, 6))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(points, points).filter(lambda e: e[0] != e[1]), min_size=1, max_size=25))
def test_shortest_distances_equal_a_plain_bellman_ford(segments):
    lines = np.array([shapely.LineString([(x0 * 1000, y0 * 1000), (x1 * 1000, y1 * 1000)])
                      for (x0, y0), (x1, y1) in segments])  # fmt: skip
    g = road_graph(lines)
    index = {(round(x), round(y)): i for i, (x, y) in enumerate(zip(g.x, g.y, strict=True))}
    edges = [(index[(x0 * 1000, y0 * 1000)], index[(x1 * 1000, y1 * 1000)], float(line.length))
             for ((x0, y0), (x1, y1)), line in zip(segments, lines, strict=True)]  # fmt: skip
    ours = g.distances_from(np.arange(g.n_nodes))
    for start in range(g.n_nodes):
        np.testing.assert_allclose(ours[start], _bellman_ford(g.n_nodes, edges, start))
        for end in range(g.n_nodes):  # a path exists exactly when the distance is finite, and has that length
            path = g.path(start, end)
            assert bool(len(path)) == bool(np.isfinite(ours[start, end]))
            if len(path):
                length = sum(g.matrix[a, b] for a, b in itertools.pairwise(path))
                assert length == pytest.approx(ours[start, end])


def test_ends_closer_than_the_snap_are_one_node_and_parallel_edges_keep_the_shortest():
    lines = np.array([
        shapely.LineString([(0, 0), (1000, 0)]),
        shapely.LineString([(0.3, 0.2), (500, 800), (1000.2, 0.1)]),  # a longer road between the same ends
        shapely.LineString([(1000, 0), (1000, 0)]),  # zero length: skipped
    ])  # fmt: skip
    g = road_graph(lines, snap_m=1.0)
    assert g.n_nodes == 2
    assert g.distances_from([0])[0].tolist() == [0.0, 1000.0]


def test_bad_road_lines_are_refused():
    with pytest.raises(ValueError, match="LineString"):
        road_graph(np.array([shapely.Point(0, 0)]))
    with pytest.raises(ValueError, match="no usable road line"):
        road_graph(np.array([], dtype=object))
