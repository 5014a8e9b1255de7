"""Scoring kernels of site selection, shared by the ranking and the suitability raster.

Pure, vectorised functions over :class:`analysis.siting.context.Locations`: plan fit per place
(clusters, or the combination of axis corridors and bay-side area outside them), factor scores
0–1 and the weighted points. Candidates in the same place share one plan-fit computation, so
100 000 plots cost a handful of :func:`analysis.siting.plan_fit.cluster_fit` calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.siting.config import FACTORS, SitingConfig
from analysis.siting.context import Locations, SitingContext
from analysis.siting.plan_fit import Fit, cluster_fit, match, zone_fit
from analysis.siting.project import ProjectSpec
from layers.plan import NODE_KINDS

__all__ = [
    "Fits",
    "cluster_fits",
    "decay",
    "factor_scores",
    "factor_weights",
    "fit_scores",
    "place_fits",
    "points_table",
    "relevant_axes",
    "yield_scores",
]


def decay(distance_m: np.ndarray, full_m: float, zero_m: float) -> np.ndarray:
    """1 up to ``full_m``, falling linearly to 0 at ``zero_m`` (metres); 0 for inf/NaN."""
    d = np.asarray(distance_m, dtype=float)
    out = np.clip((zero_m - d) / (zero_m - full_m), 0.0, 1.0)
    return np.where(np.isfinite(d), out, 0.0)


@dataclass
class Fits:
    """Plan fit per distinct place key, and the key of every candidate."""

    fits: list[Fit]
    scores: np.ndarray
    key_of: np.ndarray


def fit_scores(fits: list[Fit], inferred: list[bool], config: SitingConfig) -> np.ndarray:
    score = np.array([config.fit[f.level] for f in fits], dtype=float)
    return score * np.where(inferred, config.inferred_factor, 1.0)


def cluster_fits(project: ProjectSpec, ctx: SitingContext) -> list[Fit]:
    """Plan fit of the project for every cluster of the context (what the plan says about each)."""
    out = []
    for cluster_id, bay_id in zip(ctx.clusters["id"], ctx.clusters["bay_id"], strict=True):
        c = ctx.plan.cluster(str(cluster_id))
        assert c is not None  # build_context checked every id
        out.append(cluster_fit(ctx.plan, project, c.id, c.name, c.industries, c.axis, bay_id or None, c.plan_named))
    return out


def place_fits(project: ProjectSpec, ctx: SitingContext, loc: Locations, cluster_fits: list[Fit], config) -> Fits:
    """Fit for each candidate: its cluster's, or the fit of its corridors and bay-side area."""
    corridor = loc.axis_m <= ctx.corridor_half_width_m
    bits = (corridor * (1 << np.arange(corridor.shape[1]))).sum(axis=1) if corridor.size else np.zeros(len(loc.x))
    # key: the cluster for candidates in one, else a slot per (corridors, bay-side area) combination
    zone_key = np.where(loc.cluster >= 0, -1, bits * (len(ctx.bays) + 1) + (loc.bay + 1))
    zones, zone_inv = np.unique(zone_key, return_inverse=True)
    fits = list(cluster_fits)
    inferred = [not bool(v) for v in ctx.clusters["plan_named"]]
    axis_ids = ctx.axes["id"].to_numpy()
    bay_ids = ctx.bays["id"].to_numpy()
    zone_slot = {}
    for z in zones:
        if z < 0:
            continue
        b, bay = divmod(int(z), len(ctx.bays) + 1)
        axes = [axis_ids[i] for i in range(len(axis_ids)) if b >> i & 1]
        fits.append(zone_fit(ctx.plan, project, axes, bay_ids[bay - 1] if bay else None))
        inferred.append(False)
        zone_slot[int(z)] = len(fits) - 1
    slots = np.array([zone_slot.get(int(z), -1) for z in zones])
    key_of = np.where(loc.cluster >= 0, loc.cluster, slots[zone_inv])
    return Fits(fits, fit_scores(fits, inferred, config), key_of.astype(np.int64))


def relevant_axes(project: ProjectSpec, ctx: SitingContext) -> np.ndarray:
    """Axes whose industries or guided industries name the project's; all axes if none do."""
    plan = ctx.plan
    rules = [plan.axis(str(i)) for i in ctx.axes["id"]]
    hits = [
        i
        for i, a in enumerate(rules)
        if a is not None and "exact" in (match(plan, project, a.industries), match(plan, project, a.guided))
    ]
    return np.array(hits or list(range(len(ctx.axes))), dtype=np.int64)


def yield_scores(ctx: SitingContext, cluster_yield: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cluster: percentile score of Σ税收 ÷ Σ亩 (0.5 where unknown), the value and its rank."""
    n = len(ctx.clusters)
    if cluster_yield is None:
        return np.full(n, 0.5), np.full(n, np.nan), np.zeros(n, dtype=int)
    table = cluster_yield.set_index("id")
    value = table["tax_per_mu"].where(~table["suppressed"].astype(bool)).reindex(ctx.clusters["id"]).to_numpy(float)
    known = np.isfinite(value)
    score = np.full(n, 0.5)
    rank = np.zeros(n, dtype=int)
    if known.sum() >= 2:
        order = pd.Series(value[known]).rank(method="average").to_numpy()
        score[known] = (order - 1) / (known.sum() - 1)
        rank[known] = pd.Series(value[known]).rank(ascending=False, method="min").to_numpy(int)
    return score, value, rank


def factor_scores(
    project: ProjectSpec, ctx: SitingContext, loc: Locations, fits: Fits, config: SitingConfig, yield_score: np.ndarray
) -> dict[str, np.ndarray]:
    axes = relevant_axes(project, ctx)
    full, zero = config.distance["axis"]
    weights = config.node_weights(project.industry)
    transport = sum(weights[k] * decay(loc.node_m[:, i], *config.distance[k]) for i, k in enumerate(NODE_KINDS))
    cluster_yield = np.append(yield_score, 0.5)  # candidates outside clusters: neutral
    return {
        "plan_fit": fits.scores[fits.key_of],
        "axis": decay(loc.axis_m[:, axes].min(axis=1), full, zero),
        "transport": np.asarray(transport, dtype=float),
        "land_yield": cluster_yield[loc.cluster],
    }


def factor_weights(config: SitingConfig, use_yield: bool, use_land: bool) -> dict[str, float]:
    used = {
        f: w for f, w in config.weights.items() if (f != "land_yield" or use_yield) and (f != "free_land" or use_land)
    }
    total = sum(used.values())
    return {f: 100.0 * w / total for f, w in used.items()}


def points_table(factors: dict[str, np.ndarray], weights: dict[str, float]) -> pd.DataFrame:
    pts = pd.DataFrame({f"pts_{f}": weights.get(f, 0.0) * factors[f] for f in FACTORS if f in factors})
    for f in FACTORS:
        if f not in weights:
            pts[f"pts_{f}"] = 0.0
    pts["score"] = pts[[f"pts_{f}" for f in FACTORS]].sum(axis=1)
    return pts
