"""The best contiguous regions of a suitability raster (issue 14, 5), as ArcGIS Pro's *Locate* finds them.

Given the suitability surface of a project (:func:`analysis.siting.suitability.suitability_surface`:
points out of 100, no-data where a place rule fails — the sea, exclusion zones, the chemical rule,
clusters without land), find up to ``k`` regions of at least ``min_mu`` 亩 each, at least
``spacing_m`` metres apart:

1. the seed of a region is the cell whose neighbourhood of the region's size scores best (a focal
   mean over a square of the region's area, no-data counting as 0 so that regions keep to valid
   land);
2. the region grows from its seed by always adding the best-scoring valid neighbour (4-connected)
   until it holds ``min_mu`` 亩 — compact where the scores are high, following them where they run;
3. cells within ``spacing_m`` of a region (and the region) can seed or join no later region.

A seed whose connected valid land is smaller than ``min_mu`` cannot grow a region; when no seed
can, the answer is "none found" (an empty table and a reason), never an error.

Regions are returned as polygons in EPSG:4326 with their area (亩), mean and lowest score.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from rasterio.features import shapes
from scipy import ndimage

from analysis.surface import Surface
from geo.crs import METRIC, to_wgs84
from geo.measure import M2_PER_MU

__all__ = ["MAX_REGIONS", "RegionError", "Regions", "find_regions"]

MAX_REGIONS = 50


class RegionError(ValueError):
    """A region request that cannot be answered (said in both languages)."""


@dataclass(frozen=True)
class Regions:
    """Regions found (best first) and, when fewer than asked, why.

    Attributes
    ----------
    regions : GeoDataFrame
        ``rank``, ``area_mu``, ``mean_score``, ``min_score``, ``cells``, polygon geometry (EPSG:4326).
    reason : tuple of (str, str) or None
        Chinese and English: why fewer regions than asked were found.
    """

    regions: gpd.GeoDataFrame
    reason: tuple[str, str] | None


def _grow(values: np.ndarray, free: np.ndarray, seed: tuple[int, int], need: int) -> list[tuple[int, int]] | None:
    """Grow a region from ``seed`` over ``free`` cells, best neighbour first, to ``need`` cells (None: too small)."""
    rows, cols = values.shape
    taken = {seed}
    frontier: list[tuple[float, int, int]] = []
    region: list[tuple[int, int]] = []
    heapq.heappush(frontier, (-float(values[seed]), *seed))
    while frontier and len(region) < need:
        _, r, c = heapq.heappop(frontier)
        region.append((r, c))
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and free[nr, nc] and (nr, nc) not in taken:
                taken.add((nr, nc))
                heapq.heappush(frontier, (-float(values[nr, nc]), nr, nc))
    return region if len(region) >= need else None


def _best_near(values: np.ndarray, free: np.ndarray, at: tuple[int, int], side: int) -> tuple[int, int]:
    """The best free cell in the neighbourhood (of the region's size) of ``at``: where a region there starts."""
    r0, c0 = max(at[0] - side, 0), max(at[1] - side, 0)
    near = (slice(r0, at[0] + side + 1), slice(c0, at[1] + side + 1))
    window = np.where(free[near], values[near], -np.inf)
    r, c = np.unravel_index(int(np.argmax(window)), window.shape)
    return r0 + int(r), c0 + int(c)


def find_regions(surface: Surface, min_mu: float, k: int = 1, spacing_m: float = 1000.0) -> Regions:
    """Up to ``k`` regions of at least ``min_mu`` 亩 on ``surface``, ``spacing_m`` apart, best first.

    Parameters
    ----------
    surface : Surface
        Suitability in EPSG:4549 (NaN: not allowed).
    min_mu : float
        Least area of a region, 亩 (more than one cell, at most 1,000,000).
    k : int
        Regions wanted (1–50).
    spacing_m : float
        Least distance between regions, metres (≥ 0).

    Raises
    ------
    RegionError
        ``min_mu``, ``k`` or ``spacing_m`` out of range.

    Examples
    --------
    >>> from affine import Affine
    >>> values = np.full((6, 6), np.nan, dtype=np.float32); values[1:3, 1:3] = [[80, 70], [60, 50]]
    >>> surface = Surface(values, Affine(100, 0, 500000, 0, -100, 4000000), METRIC, "suitability", "分", 100, 0)
    >>> found = find_regions(surface, 45.0)  # 45 亩 = 3 cells of 1 ha
    >>> found.regions[["rank", "cells"]].values.tolist(), found.regions[["mean_score", "min_score"]].values.tolist()
    ([[1, 3]], [[70.0, 60.0]])
    >>> find_regions(surface, 100.0).reason[1]
    'no area of 100 mu is compliant and contiguous (the largest has 4 cells, 60 mu)'
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_REGIONS:
        raise RegionError(f"区域个数须在 1–{MAX_REGIONS} 之间，当前为 {k} / k must be 1–{MAX_REGIONS}")
    cell_mu = surface.cell_m**2 / M2_PER_MU
    if not math.isfinite(min_mu) or not cell_mu < min_mu <= 1_000_000:
        raise RegionError(f"区域面积须大于一个栅格（{cell_mu:.1f} 亩）且不超过 1,000,000 亩，当前为 {min_mu} / "
                          f"the region must be larger than one cell ({cell_mu:.1f} mu) and at most "
                          "1,000,000 mu")  # fmt: skip
    if not math.isfinite(spacing_m) or spacing_m < 0:
        raise RegionError(f"区域间距须为非负数，当前为 {spacing_m} / spacing must be ≥ 0 m")
    values = np.asarray(surface.values, dtype=np.float64)
    valid = np.isfinite(values)
    need = math.ceil(min_mu / cell_mu - 1e-9)
    side = max(1, round(math.sqrt(need)))
    focal = ndimage.uniform_filter(np.where(valid, values, 0.0), size=side, mode="constant")
    labels, _ = ndimage.label(valid)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    free = valid & (sizes[labels] >= need)  # land in pieces too small for a region can never hold one
    found: list[list[tuple[int, int]]] = []
    while len(found) < k and free.any():
        best = np.unravel_index(int(np.argmax(np.where(free, focal, -np.inf))), values.shape)
        seed = _best_near(values, free, (int(best[0]), int(best[1])), side)
        region = _grow(values, free, seed, need)
        if region is None:  # its piece of free land has been cut below the size by earlier regions' spacing
            piece = ndimage.label(free)[0]
            free &= piece != piece[seed]
            continue
        found.append(region)
        mask = np.zeros(values.shape, dtype=bool)
        mask[tuple(np.array(region).T)] = True
        if spacing_m > 0:
            distance = ndimage.distance_transform_edt(~mask) * surface.cell_m
            free &= distance > spacing_m
        else:
            free &= ~mask
        pieces, _ = ndimage.label(free)
        counts = np.bincount(pieces.ravel())
        counts[0] = 0
        free &= counts[pieces] >= need
    rows = []
    for rank, region in enumerate(found, start=1):
        mask = np.zeros(values.shape, dtype=np.uint8)
        idx = tuple(np.array(region).T)
        mask[idx] = 1
        parts = shapes(mask, mask=mask.astype(bool), transform=surface.transform)
        polygon = shapely.union_all([shapely.geometry.shape(g) for g, v in parts if v])
        rows.append({"rank": rank, "area_mu": round(len(region) * cell_mu, 1),
                     "mean_score": round(float(values[idx].mean()), 1), "min_score": round(float(values[idx].min()), 1),
                     "cells": len(region), "geometry": polygon})  # fmt: skip
    frame = to_wgs84(gpd.GeoDataFrame(rows, columns=["rank", "area_mu", "mean_score", "min_score", "cells", "geometry"],
                                      geometry="geometry", crs=METRIC))  # fmt: skip
    frame = frame.astype({"rank": int, "cells": int})
    reason = None
    if len(found) < k:
        largest = int(sizes.max()) if sizes.size else 0
        if not found:
            most = f"{largest * cell_mu:.0f}"
            reason = (f"没有连片、合规且达 {min_mu:g} 亩的区域（最大的连片区域 {largest} 个栅格，{most} 亩）",
                      f"no area of {min_mu:g} mu is compliant and contiguous (the largest has {largest} cells, "
                      f"{largest * cell_mu:.0f} mu)")  # fmt: skip
        else:
            reason = (f"只找到 {len(found)} 个区域：其余合规土地在间距 {spacing_m:g} 米之外已不足 {min_mu:g} 亩",
                      f"only {len(found)} regions: the rest of the compliant land, {spacing_m:g} m apart, holds less "
                      f"than {min_mu:g} mu in one piece")  # fmt: skip
    return Regions(frame, reason)
