"""Hot and cold spots of the composite score: Getis-Ord Gi* on grid cells, with FDR (PySAL esda).

Firms are first aggregated to square cells (:func:`analysis.land_yield.aggregate.aggregate_grid`, cells
with fewer than 3 rated firms dropped); Gi* is computed on the cells' mean score with k-nearest-
neighbour weights (the cell itself included, as Gi* requires) and conditional permutation
p-values. esda 2.9 reports *directed* pseudo p-values (one-sided, in the direction observed); they
are doubled here to two-sided values (capped at 1), since a cell may be hot or cold. Significance
uses the false discovery rate (Benjamini–Hochberg via ``esda.fdr``), so that testing hundreds of
cells does not produce hot spots by chance.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np

from analysis.land_yield.aggregate import aggregate_grid
from geo.crs import to_metric

__all__ = ["HOTSPOT_LABELS", "hot_spots"]

HOTSPOT_LABELS = {
    "hot": ("高值集聚（热点）", "Hot spot"),
    "cold": ("低值集聚（冷点）", "Cold spot"),
    "ns": ("不显著", "Not significant"),
}


def hot_spots(
    result: gpd.GeoDataFrame,
    cell_m: float = 2000.0,
    k: int = 8,
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int = 12345,
) -> gpd.GeoDataFrame:
    """Gi* hot spots of the mean composite score per grid cell.

    Parameters
    ----------
    result : GeoDataFrame
        Output of :func:`analysis.land_yield.scoring.evaluate`.
    cell_m : float
        Cell size in metres (EPSG:4549).
    k : int
        Neighbours per cell.
    alpha : float
        False discovery rate.
    permutations : int
        Conditional permutations for pseudo p-values.
    seed : int
        Permutation seed (results are reproducible).

    Returns
    -------
    GeoDataFrame
        Cells with ``score_mean``, ``n_rated``, ``gi_z``, ``p_sim`` (two-sided), ``category``
        (``"hot"``, ``"cold"``, ``"ns"``; see :data:`HOTSPOT_LABELS`) and ``fdr_threshold``.

    Raises
    ------
    ValueError
        Fewer than ``k + 2`` cells with enough firms.
    """
    from esda.getisord import G_Local
    from esda.util import fdr
    from libpysal.weights import KNN

    cells = aggregate_grid(result, cell_m=cell_m)
    cells = cells[~cells["suppressed"] & cells["score_mean"].notna()].reset_index(drop=True)
    if len(cells) < k + 2:
        raise ValueError(
            f"热点分析至少需要 {k + 2} 个有 3 家以上参评企业的网格，当前 {len(cells)} 个 / "
            f"need at least {k + 2} cells with 3+ rated firms, got {len(cells)}"
        )
    centroids = to_metric(cells.geometry).centroid
    coords = np.column_stack([centroids.x, centroids.y])
    w = KNN.from_array(coords, k=k)
    w.transform = "B"
    with warnings.catch_warnings():  # esda announces a change of default to two-sided; done below
        warnings.simplefilter("ignore", FutureWarning)
        gi = G_Local(
            cells["score_mean"].to_numpy(float), w, star=True, permutations=permutations, seed=seed,
            transform="B", n_jobs=1,
        )  # fmt: skip
    p_two_sided = np.minimum(1.0, 2.0 * np.asarray(gi.p_sim, dtype=float))
    threshold = fdr(p_two_sided, alpha)
    sig = p_two_sided <= threshold
    z = np.asarray(gi.Zs, dtype=float)
    cells["gi_z"] = z.round(3)
    cells["p_sim"] = p_two_sided
    cells["category"] = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "ns"))
    cells["fdr_threshold"] = threshold
    return cells
