"""A road network as a graph in metres: nearest nodes, shortest distances and paths.

:func:`road_graph` turns lines (EPSG:4549, any number of vertices) into an undirected graph whose
nodes are the lines' end points — ends closer than ``snap_m`` are one node — and whose edge lengths
are the lines' lengths in metres. Edge lengths are never shorter than the straight line between
their ends, so a distance by road is never shorter than the straight line either.

The graph is a SciPy CSR matrix; shortest distances use Dijkstra
(:func:`scipy.sparse.csgraph.dijkstra`), nearest nodes a k-d tree.

Examples
--------
>>> import numpy as np, shapely
>>> lines = np.array([shapely.LineString([(0, 0), (3000, 0)]), shapely.LineString([(3000, 0), (3000, 4000)])])
>>> g = road_graph(lines)
>>> g.n_nodes
3
>>> start = int(g.nearest(np.array([10.0]), np.array([5.0]))[1][0])  # the node at (0, 0)
>>> g.distances_from([start])[0].tolist()
[0.0, 3000.0, 7000.0]
>>> g.path(start, 2).tolist()
[0, 1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

__all__ = ["RoadGraph", "road_graph"]


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """An undirected road graph in EPSG:4549 metres.

    Attributes
    ----------
    x, y : array of float
        Node coordinates, metres.
    matrix : scipy.sparse.csr_matrix
        Symmetric, edge length in metres (the shortest of parallel edges).
    lines : array of shapely.LineString
        The edges as given (metres), for drawing.
    """

    x: np.ndarray
    y: np.ndarray
    matrix: csr_matrix
    lines: np.ndarray
    tree: cKDTree

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.x)

    def nearest(self, x: np.ndarray, y: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest nodes of each point: (straight-line distances m, node indices), each (n, k) for k > 1."""
        k = min(k, self.n_nodes)
        return self.tree.query(np.column_stack([x, y]), k=k)

    def distances_from(self, nodes: np.ndarray, limit: float = np.inf) -> np.ndarray:
        """Shortest distance by road (m) from each of ``nodes`` to every node; inf beyond ``limit`` or unreachable."""
        out: np.ndarray = dijkstra(self.matrix, directed=False, indices=np.asarray(nodes, dtype=np.int64), limit=limit)
        return np.atleast_2d(out)

    def path(self, a: int, b: int) -> np.ndarray:
        """Nodes of a shortest path from ``a`` to ``b`` (both included); empty when ``b`` cannot be reached."""
        dist, pred = dijkstra(self.matrix, directed=False, indices=int(a), return_predecessors=True)
        if not np.isfinite(dist[b]):
            return np.array([], dtype=np.int64)
        out = [int(b)]
        while out[-1] != a:
            out.append(int(pred[out[-1]]))
        return np.array(out[::-1], dtype=np.int64)


def road_graph(lines: np.ndarray, snap_m: float = 1.0) -> RoadGraph:
    """Build the graph of road ``lines`` (shapely LineStrings in EPSG:4549 metres).

    Parameters
    ----------
    lines : array of shapely.LineString
        Road segments; their first and last vertices are the nodes. Empty or zero-length lines are skipped.
    snap_m : float, default 1
        Ends closer than this (on a grid of this size) are the same node, metres.

    Raises
    ------
    ValueError
        No usable line, or a geometry that is not a LineString.
    """
    lines = np.asarray(lines, dtype=object)
    if len(lines) and not bool((shapely.get_type_id(lines) == 1).all()):
        raise ValueError("道路图层须为线要素 LineString / road lines must be LineStrings")
    length = shapely.length(lines) if len(lines) else np.zeros(0)
    usable = np.isfinite(length) & (length > 0)
    lines, length = lines[usable], length[usable]
    if not len(lines):
        raise ValueError("道路图层没有可用的线 / no usable road line")
    ends = np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    xy = np.column_stack([shapely.get_x(ends), shapely.get_y(ends)])
    keys = np.round(xy / snap_m).astype(np.int64)
    _, first, node_of = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    node_of = node_of.ravel()
    n_lines = len(lines)
    a, b = node_of[:n_lines], node_of[n_lines:]
    loop = a == b
    a, b, w = a[~loop], b[~loop], length[~loop]
    n = len(first)
    # the shortest of parallel edges: sort by length descending so that the last (shortest) write wins
    order = np.argsort(-w, kind="stable")
    dense: dict[tuple[int, int], float] = {}
    for i, j, d in zip(a[order].tolist(), b[order].tolist(), w[order].tolist(), strict=True):
        dense[(min(i, j), max(i, j))] = d
    rows = np.array([k[0] for k in dense] + [k[1] for k in dense], dtype=np.int64)
    cols = np.array([k[1] for k in dense] + [k[0] for k in dense], dtype=np.int64)
    vals = np.array(list(dense.values()) * 2, dtype=float)
    matrix = csr_matrix((vals, (rows, cols)), shape=(n, n))
    nx, ny = xy[first, 0], xy[first, 1]
    return RoadGraph(nx, ny, matrix, lines, cKDTree(np.column_stack([nx, ny])))
