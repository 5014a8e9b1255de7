"""Count where a polygon's boundary crosses itself, stopping early past a limit.

Repairing a self-intersecting polygon (``make_valid``) costs time and memory in proportion to
its crossings, and a few thousand wildly crossing vertices have millions of them: a 5,000-vertex
scribble made the repair grow past 380 MB. Real plots that need a repair cross themselves a
handful of times (a bow-tie, a sliver), so :func:`crossings` counts the proper crossings of the
boundary segments with a spatial index, in chunks, and stops as soon as the count passes the
limit — without ever building the repaired geometry. The reader refuses a feature past
:attr:`geo.limits.Limits.max_repair_crossings` with that reason.

Examples
--------
>>> import shapely
>>> bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
>>> crossings(bow_tie, limit=10)
1
>>> crossings(shapely.box(0, 0, 1, 1), limit=10)
0
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["crossings"]

_FIRST, _LARGEST = 8, 1024  # segments queried at once: doubling, so a scribble stops at once


def _segments(geom: shapely.Geometry) -> np.ndarray:
    """The boundary segments of a (multi)polygon as two-point line strings."""
    rings = shapely.get_rings(shapely.get_parts(geom))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    pairs = np.stack([coords[:-1][same], coords[1:][same]], axis=1)
    pairs = pairs[(pairs[:, 0] != pairs[:, 1]).any(axis=1)]  # repeated vertices are no segment
    return shapely.linestrings(pairs)


def crossings(geom: shapely.Geometry, limit: int) -> int:
    """Proper crossings of a (multi)polygon's boundary segments, up to just past ``limit``.

    Two segments cross when they meet at a point inside both (the ``crosses`` predicate);
    neighbours sharing a vertex do not count. Segments of different rings and parts count too.

    Parameters
    ----------
    geom : shapely.Geometry
        A Polygon or MultiPolygon, in any CRS (only the topology counts).
    limit : int
        Stop counting once the count exceeds this (≥ 0).

    Returns
    -------
    int
        The number of crossings if it is at most ``limit``; otherwise a number greater than
        ``limit`` (counting stopped there).

    Examples
    --------
    >>> import shapely
    >>> star = shapely.Polygon([(0, 0), (4, 3), (-1, 3), (3, 0), (2, 5)])  # a five-pointed star
    >>> crossings(star, limit=100)
    5
    >>> crossings(star, limit=2) > 2
    True
    """
    if limit < 0:
        raise ValueError(f"limit must be ≥ 0, got {limit}")
    segments = _segments(geom)
    tree = shapely.STRtree(segments)
    count, start, chunk = 0, 0, _FIRST
    while start < len(segments) and count <= limit:
        mine, other = tree.query(segments[start : start + chunk], predicate="crosses")
        count += int(np.count_nonzero(mine + start < other))  # each pair once
        start, chunk = start + chunk, min(2 * chunk, _LARGEST)
    return count
