"""Which polygons contain which points, for many points and few polygons (zones, districts).

Points are given as coordinate arrays, not geometry objects: each polygon is prepared once and
tested with :func:`shapely.contains_xy` on the points inside its bounding box, found by bisection
in the points sorted by x (so thousands of small polygons cost no more than a few large ones).
For 100 000 points and the 10 districts this takes ≈ 0.02 s, against ≈ 0.2 s for an STRtree
``within`` query on point objects (measured on the 2-core CI machine). Points on a boundary are not
contained, as with ``sjoin(predicate="within")``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import shapely

__all__ = ["containing_polygon", "distance_to_line", "points_in_polygons", "random_points_in"]


def points_in_polygons(
    x: np.ndarray, y: np.ndarray, polygons: Sequence[shapely.Geometry] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (point, polygon) pair where the polygon contains the point.

    Parameters
    ----------
    x, y : array of float
        Point coordinates in the polygons' CRS; NaN never matches.
    polygons : sequence of Polygon or MultiPolygon
        May overlap (a point then pairs with each); missing or empty geometries match nothing.

    Returns
    -------
    (point_index, polygon_index) : tuple of int64 arrays
        Sorted by point, then polygon.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-d arrays of the same length, got {x.shape} and {y.shape}")
    geoms = np.asarray(polygons, dtype=object)
    points, owners = [], []
    by_x = np.argsort(x, kind="stable")  # NaN sorts last and never falls in a bounding box
    xs = x[by_x]
    for k, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        x0, y0, x1, y1 = shapely.bounds(geom)
        lo, hi = int(np.searchsorted(xs, x0, side="left")), int(np.searchsorted(xs, x1, side="right"))
        band = by_x[lo:hi]  # the points within the bounding box's x range: found by bisection
        candidates = band[(y[band] >= y0) & (y[band] <= y1)]
        if candidates.size == 0:
            continue
        shapely.prepare(geom)
        hit = candidates[shapely.contains_xy(geom, x[candidates], y[candidates])]
        points.append(hit)
        owners.append(np.full(hit.size, k, dtype=np.int64))
    if not points:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    p, o = np.concatenate(points).astype(np.int64), np.concatenate(owners)
    order = np.lexsort((o, p))
    return p[order], o[order]


def containing_polygon(x: np.ndarray, y: np.ndarray, polygons: Sequence[shapely.Geometry] | np.ndarray) -> np.ndarray:
    """Index of the first polygon containing each point, −1 where none does.

    See :func:`points_in_polygons` for the parameters; with overlapping polygons the lowest
    index wins.
    """
    p, o = points_in_polygons(x, y, polygons)
    out = np.full(len(np.asarray(x)), -1, dtype=np.int64)
    first = np.ones(p.size, dtype=bool)
    first[1:] = p[1:] != p[:-1]
    out[p[first]] = o[first]
    return out


def distance_to_line(x: np.ndarray, y: np.ndarray, line: shapely.Geometry) -> np.ndarray:
    """Euclidean distance from each point to a (multi)line string, in the points' units.

    Computed segment by segment on coordinate arrays — no point geometries are made — so it suits
    a million raster cells and lines of a few dozen segments (the plan's axes). Equal to
    :func:`shapely.distance` to rounding.

    Examples
    --------
    >>> line = shapely.LineString([(0, 0), (10, 0), (10, 10)])
    >>> distance_to_line(np.array([5.0, 13.0, -3.0]), np.array([2.0, 5.0, -4.0]), line).tolist()
    [2.0, 3.0, 5.0]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    best = np.full(x.shape, np.inf)
    for part in shapely.get_parts(np.asarray([line], dtype=object)):
        c = shapely.get_coordinates(part)
        if len(c) == 1:
            best = np.minimum(best, np.hypot(x - c[0, 0], y - c[0, 1]))
        for (ax, ay), (bx, by) in itertools.pairwise(c):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = np.clip(((x - ax) * dx + (y - ay) * dy) / length2, 0.0, 1.0) if length2 > 0 else 0.0
            best = np.minimum(best, np.hypot(x - (ax + t * dx), y - (ay + t * dy)))
    return best


def random_points_in(
    polygons: Sequence[shapely.Geometry] | np.ndarray, which: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """One uniformly random point inside ``polygons[which[i]]`` for each ``i`` (rejection sampling).

    Returns an ``(n, 2)`` array of coordinates in the polygons' CRS (use a metric CRS for
    uniformity by area).
    """
    polygons = np.asarray(polygons, dtype=object)
    which = np.asarray(which)
    xy = np.empty((len(which), 2))
    for k in np.unique(which):
        need = np.flatnonzero(which == k)
        poly = polygons[k]
        if poly is None or shapely.is_empty(poly) or shapely.area(poly) <= 0:
            raise ValueError(f"polygon {k} is empty: no point can be drawn inside it")
        shapely.prepare(poly)
        x0, y0, x1, y1 = shapely.bounds(poly)
        got: list[np.ndarray] = []
        count = 0
        while count < need.size:
            cand = np.column_stack([rng.uniform(x0, x1, need.size * 2), rng.uniform(y0, y1, need.size * 2)])
            keep = cand[shapely.contains_xy(poly, cand[:, 0], cand[:, 1])]
            got.append(keep)
            count += len(keep)
        xy[need] = np.concatenate(got)[: need.size]
    return xy
