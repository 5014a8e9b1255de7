"""Suitability raster for a project: weighted overlay on a grid over the city, constraints masked.

Each land cell is scored like a candidate plot in :mod:`analysis.siting` (the same kernels in
:mod:`analysis.siting_scores`): plan fit of its cluster or of its axis corridors and bay-side
area, distance to the relevant axis, distance to transport nodes and the cluster's 亩产效益 when
an evaluation is given; free land has no meaning for a cell and is left out. Constraints are
no-data: the sea, exclusion zones and, for a chemical project, everything outside the chemical
clusters. Values are points out of 100, float32, EPSG:4549 (write with :mod:`geo.raster`).

Distances to the axes come from a Euclidean distance transform of the rasterised centrelines
(exact to half a cell); distances to nodes are exact from cell centres.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.features import geometry_mask, rasterize

from analysis.project import ProjectSpec
from analysis.siting_config import NODE_KINDS, SitingConfig, load_siting_config
from analysis.siting_context import Locations, SitingContext
from analysis.siting_scores import cluster_fits, factor_scores, factor_weights, place_fits, yield_scores
from analysis.surface import Surface
from geo.crs import METRIC, WGS84
from geo.raster import north_up_grid

__all__ = ["suitability_surface"]


def _index_raster(geoms: np.ndarray, shape: tuple[int, int], transform, all_touched: bool = False) -> np.ndarray:
    """Index of the polygon covering each cell (−1 none); later polygons win where they overlap."""
    shapes = [(g, i + 1) for i, g in enumerate(geoms) if g is not None and not shapely.is_empty(g)]
    if not shapes:
        return np.full(shape, -1, dtype=np.int64)
    burned = rasterize(shapes, out_shape=shape, transform=transform, fill=0, dtype="int32", all_touched=all_touched)
    return burned.astype(np.int64) - 1


def _axis_distance(lines: np.ndarray, shape: tuple[int, int], transform, cell_m: float) -> np.ndarray:
    from scipy.ndimage import distance_transform_edt

    out = np.empty((*shape, len(lines)))
    for j, line in enumerate(lines):
        on_line = rasterize([(line, 1)], out_shape=shape, transform=transform, fill=0, dtype="uint8", all_touched=True)
        out[..., j] = distance_transform_edt(on_line == 0) * cell_m
    return out


def suitability_surface(
    project: ProjectSpec,
    ctx: SitingContext,
    land: shapely.Geometry,
    config: SitingConfig | None = None,
    cluster_yield: pd.DataFrame | None = None,
    cell_m: float = 100.0,
) -> Surface:
    """Suitability (0–100 points) of every land cell for ``project``.

    Parameters
    ----------
    project : ProjectSpec
    ctx : SitingContext
    land : shapely geometry
        The city's land (EPSG:4326); cells outside it are no-data.
    config : SitingConfig, optional
    cluster_yield : DataFrame, optional
        As for :func:`analysis.siting.rank_sites`.
    cell_m : float
        Cell size in metres, 50–1000 (default 100).

    Returns
    -------
    Surface
        ``value = "suitability"``, NaN where a constraint applies or outside the land.
    """
    if not 50 <= cell_m <= 1000:
        raise ValueError(f"cell_m must be 50–1000 m, got {cell_m}")
    config = config or load_siting_config()
    land_m = gpd.GeoSeries([land], crs=WGS84).to_crs(METRIC).iloc[0]
    transform, rows, cols = north_up_grid(land_m.bounds, cell_m)
    shape = (rows, cols)
    on_land = ~geometry_mask([land_m], out_shape=shape, transform=transform)
    r, c = np.nonzero(on_land)
    x = transform.c + (c + 0.5) * cell_m
    y = transform.f - (r + 0.5) * cell_m
    n = r.size

    cluster = _index_raster(ctx.clusters.geometry.to_numpy(), shape, transform)[r, c]
    bay = _index_raster(ctx.bays.geometry.to_numpy(), shape, transform)[r, c]
    excluded = _index_raster(ctx.exclusion.geometry.to_numpy(), shape, transform, all_touched=True)[r, c]
    axis_m = _axis_distance(ctx.axes.geometry.to_numpy(), shape, transform, cell_m)[r, c]
    node_m = np.full((n, len(NODE_KINDS)), np.inf)
    kinds = ctx.nodes["kind"].to_numpy() if len(ctx.nodes) else np.array([])
    nx, ny = shapely.get_x(ctx.nodes.geometry.to_numpy()), shapely.get_y(ctx.nodes.geometry.to_numpy())
    for k, kind in enumerate(NODE_KINDS):
        for j in np.flatnonzero(kinds == kind):
            node_m[:, k] = np.minimum(node_m[:, k], np.hypot(x - nx[j], y - ny[j]))
    none = np.full(n, -1, dtype=np.int64)
    loc = Locations(x, y, cluster, bay, none, excluded, axis_m, node_m, np.full(node_m.shape, -1), np.zeros(n))

    fits = place_fits(project, ctx, loc, cluster_fits(project, ctx), config)
    score_y, _, _ = yield_scores(ctx, cluster_yield)
    factors = factor_scores(project, ctx, loc, fits, config, score_y)
    weights = factor_weights(config, cluster_yield is not None, use_land=False)
    total = sum(w * factors[f] for f, w in weights.items())
    if project.chemical:
        chemical = np.append(ctx.clusters["chemical"].to_numpy(bool), False)[cluster]
        total = np.where(chemical, total, np.nan)
    total = np.where(excluded >= 0, np.nan, total)
    values = np.full(shape, np.nan, dtype=np.float32)
    values[r, c] = total
    return Surface(values, transform, METRIC, "suitability", "分", cell_m, 0.0)
