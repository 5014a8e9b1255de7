"""Suitability raster for a project: what the ranking says, cell by cell, constraints masked.

Each land cell gets the verdict of :func:`analysis.siting.assess.assess_at` at its centre — the very
function behind the ranking and the point query: a cell in a candidate plot shows that plot's
score, a cell in a cluster outside the plots the cluster's score, any other cell its own (plan fit
of its axis corridors and bay-side area, distance to the relevant axis and to transport nodes, the
cluster 亩产效益 factor being neutral there; no land factor). So a click on any cell reports the
cell's value. Cells where a place rule fails are no-data: the sea, exclusion zones, the chemical
rule, and clusters or plots without enough land. 标准地 thresholds are the project's, not the
place's, and do not mask cells. Values are points out of 100, float32, EPSG:4549 (write with
:mod:`geo.raster`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from rasterio.features import geometry_mask

from analysis.siting.assess import assess_at
from analysis.siting.config import SitingConfig
from analysis.siting.context import SitingContext
from analysis.siting.project import ProjectSpec
from analysis.surface import Surface
from geo.crs import METRIC, metric_geometry
from geo.raster import north_up_grid

__all__ = ["suitability_surface"]


def suitability_surface(
    project: ProjectSpec,
    ctx: SitingContext,
    land: shapely.Geometry,
    config: SitingConfig,
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
    config : SitingConfig
    cluster_yield : DataFrame, optional
        As for :func:`analysis.siting.rank.rank_sites`.
    cell_m : float
        Cell size in metres, 50–1000 (default 100).

    Returns
    -------
    Surface
        ``value = "suitability"``, NaN where a place rule fails or outside the land.
    """
    if not 50 <= cell_m <= 1000:
        raise ValueError(f"cell_m must be 50–1000 m, got {cell_m}")
    land_m = metric_geometry(land)
    transform, rows, cols = north_up_grid(land_m.bounds, cell_m)
    shape = (rows, cols)
    on_land = ~geometry_mask([land_m], out_shape=shape, transform=transform)
    r, c = np.nonzero(on_land)
    x = transform.c + (c + 0.5) * cell_m
    y = transform.f - (r + 0.5) * cell_m
    at = assess_at(project, ctx, config, x, y, cluster_yield)
    score = at.pick("score", float)
    values = np.full((rows, cols), np.nan, dtype=np.float32)
    values[r, c] = np.where(at.pick("site_ok", bool) & at.on_land(), score, np.nan)
    return Surface(values, transform, METRIC, "suitability", "分", cell_m, 0.0)
