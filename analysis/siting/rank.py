"""Site selection: rank clusters and candidate plots for a project, with reasons from the plan.

Method (DESIGN.md §4; parameters in ``siting.toml``, defaults not official):

1. **Constraints** (a failed one makes the candidate non-compliant and is named): the plan's
   chemical rule (化工项目进区入园, plan 三(二)2 / 四(二)); 标准地 thresholds on investment and tax
   per 亩 (project level); exclusion zones (plots); enough land — a plot of at least the need
   (less a tolerance), not in an exclusion zone.
2. **Factors**, each scored 0–1: plan fit (leading cluster > related > axis > bay-side area role
   > 合理引导, :mod:`analysis.siting.plan_fit`), distance to the relevant axis centreline, distance to
   transport nodes by kind (weights per industry), the cluster's 亩产效益 (percentile of Σ税收 ÷
   Σ亩 among clusters, when an evaluation is given) and free land.
3. **Score** = Σ wᵢ·sᵢ over the factors in use, scaled to 100; ``pts_<factor>`` add up to it.
   Compliant candidates rank first, then by score.

Everything is vectorised over candidates (100 000 plots in well under a second); reasons are
written for the clusters and the best ``top_plots`` plots only.

The command line ``python -m analysis.siting`` is :mod:`cli.siting`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.findings import Finding, bilingual
from analysis.siting.assess import Assessment, assess, assess_at, cluster_land, plot_land, standard_land_failures
from analysis.siting.config import SitingConfig
from analysis.siting.context import Locations, SitingContext
from analysis.siting.network import trip_minutes
from analysis.siting.plan_fit import project_notes
from analysis.siting.project import ProjectSpec
from analysis.siting.scores import relevant_axes, yield_scores
from geo.crs import WGS84, to_metric_xy
from layers.plan import NODE_KIND_NAMES, NODE_KINDS

__all__ = ["SiteResult", "query_notes", "rank_sites", "reasons", "verdict_at"]


@dataclass
class SiteResult:
    """Ranked clusters and plots for one project.

    Attributes
    ----------
    clusters : DataFrame
        One row per cluster, best first: ``rank``, ``id``, ``name``, ``score`` (0–100),
        ``site_ok`` (the place rules are met), ``compliant`` (``site_ok`` and the project meets
        标准地), ``failures`` (findings: rules not met), ``fit_level``, ``pts_<factor>`` (adding
        up to ``score``), ``free_land_mu``, ``largest_plot_mu``, ``axis_km``, ``reasons``
        (findings; render with :func:`i18n.render.render_all`).
    plots : GeoDataFrame
        Every candidate plot (EPSG:4326), best first, with the same columns plus ``cluster``
        and ``area_mu``; ``reasons`` and ``failures`` are filled for the first ``top_plots`` rows.
    weights : dict
        Points per factor actually used (sum 100).
    notes : list of Finding
        Statements about the query as a whole (标准地, sample data, missing inputs).
    samples : list of Finding
        The notes saying which inputs are sample data (for legends and reports).
    """

    project: ProjectSpec
    config: SitingConfig
    clusters: pd.DataFrame
    plots: gpd.GeoDataFrame
    weights: dict[str, float]
    notes: list[Finding] = field(default_factory=list)
    samples: list[Finding] = field(default_factory=list)  # which inputs are sample data (also in notes)

    def to_json(self, top: int = 10, lang: str = "zh") -> dict:
        """``{"query", "weights", "notes", "clusters", "plots"}``, best first (the CLI's output)."""
        from i18n.render import render_all

        def rows(frame: pd.DataFrame, extra: tuple[str, ...]) -> list[dict]:
            out = []
            for row in frame.head(top).itertuples():
                item = {"id": row.id, "name": row.name, "score": _rounded(row.score),
                        "compliant": bool(row.compliant), "failed": render_all(row.failures, lang),
                        "reasons": render_all(row.reasons, lang),
                        "breakdown": {f: _rounded(getattr(row, f"pts_{f}")) for f in self.weights}}  # fmt: skip
                item.update({c: _plain(getattr(row, c)) for c in extra})
                out.append(item)
            return out

        return {
            "query": {**self.project.as_dict(), "parameters": self.config.title},
            "weights": {k: _rounded(v) for k, v in self.weights.items()},
            "notes": render_all(self.notes, lang),
            "clusters": rows(self.clusters, ("fit_level", "free_land_mu")),
            "plots": rows(pd.DataFrame(self.plots.drop(columns="geometry")), ("cluster", "area_mu")),
        }


def _rounded(value: object, digits: int = 2) -> float | None:
    """``value`` rounded, or ``None`` (JSON null) when it is not a finite number."""
    number = float(value)  # type: ignore[arg-type]
    return round(number, digits) if math.isfinite(number) else None


def _plain(value: object) -> object:
    """NumPy scalars as Python values; NaN and ±inf as ``None`` (strict JSON has no such numbers)."""
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidates meeting the place rules first (project-level 标准地 failures apply to all), then by score."""
    keys = (frame["id"].astype(str).to_numpy(), -frame["score"].to_numpy(), ~frame["site_ok"].to_numpy())
    order = np.lexsort(keys)
    out = frame.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def query_notes(project: ProjectSpec, ctx: SitingContext, config: SitingConfig, use_yield: bool) -> list[Finding]:
    """What is said about a query as a whole: 标准地 failures, plan notes, inputs missing or sample data."""
    notes = standard_land_failures(project, config) + project_notes(ctx.plan, project)
    if not use_yield:
        notes.append(Finding("note.no_yield", "info"))
    if ctx.plot_locations is None:
        notes.append(Finding("note.no_plots", "info"))
    return notes + _samples(ctx)


def _samples(ctx: SitingContext) -> list[Finding]:
    codes = {"plots": "note.sample_plots", "exclusion": "note.sample_exclusion"}
    return [Finding(codes[what], "info", "", {"label": label}) for what, label in ctx.labels.items()]


def rank_sites(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig,
    cluster_yield: pd.DataFrame | None = None,
    top_plots: int = 20,
) -> SiteResult:
    """Rank the clusters and candidate plots of ``ctx`` for ``project`` (verdicts: :func:`.assess.assess`).

    Parameters
    ----------
    project : ProjectSpec
        From :func:`analysis.siting.project.make_project`.
    ctx : SitingContext
        From :func:`analysis.siting.context.build_context`.
    config : SitingConfig
        Weights and thresholds (:func:`analysis.siting.config.load_siting_config`).
    cluster_yield : DataFrame, optional
        亩产效益 by cluster (:func:`analysis.land_yield.aggregate.aggregate_zones` on ``clusters``: ``id``,
        ``tax_per_mu``, ``suppressed``); without it the land_yield factor is left out.
    top_plots : int
        Plots that get reasons (all plots are scored and ranked).
    """
    notes = query_notes(project, ctx, config, cluster_yield is not None)
    rel_axes = relevant_axes(project, ctx)

    # ---- clusters ----------------------------------------------------------------------------
    cl = ctx.cluster_locations
    assert cl is not None  # build_context locates the clusters
    land = cluster_land(ctx, project, config)
    ca = assess(project, ctx, config, cl, land, cluster_yield)
    n_c = len(ctx.clusters)
    clusters = pd.DataFrame({"id": ctx.clusters["id"], "name": ctx.clusters["name"]})
    clusters = pd.concat([clusters, ca.points], axis=1)
    clusters["site_ok"] = ca.site_ok
    clusters["compliant"] = ca.compliant
    clusters["fit_level"] = ca.fit_levels()
    clusters["free_land_mu"] = land.area_mu.round(1)
    clusters["largest_plot_mu"] = land.largest_mu.round(1)
    clusters["axis_km"] = (cl.axis_m[:, rel_axes].min(axis=1) / 1000).round(1)
    clusters["reasons"] = [reasons(project, ctx, config, ca, cl, i, cluster_yield) for i in range(n_c)]
    clusters["failures"] = [ca.failures(i, ctx, project) for i in range(n_c)]
    clusters = _rank(clusters)

    # ---- plots -------------------------------------------------------------------------------
    if ctx.plot_locations is None:
        plots = gpd.GeoDataFrame({"id": [], "name": [], "score": [], "compliant": []}, geometry=[], crs=WGS84)
        return SiteResult(project, config, clusters, plots, ca.weights, notes, _samples(ctx))
    pl = ctx.plot_locations
    pa = assess(project, ctx, config, pl, plot_land(ctx, project, config), cluster_yield)
    plots = ctx.plots[["id"]].copy()
    plots["name"] = ctx.plots["name"] if "name" in ctx.plots else ctx.plots["id"].astype(str)
    plots = pd.concat([plots.reset_index(drop=True), pa.points], axis=1)
    plots["site_ok"] = pa.site_ok
    plots["compliant"] = pa.compliant
    plots["cluster"] = np.append(ctx.clusters["name"].to_numpy(object), "")[pl.cluster]
    plots["area_mu"] = pl.area_mu.round(1)
    plots["fit_level"] = pa.fit_levels()
    plots["axis_km"] = (pl.axis_m[:, rel_axes].min(axis=1) / 1000).round(1)
    plots["geometry"] = ctx.plot_geoms_wgs84
    plots["_pos"] = np.arange(len(plots))
    plots = gpd.GeoDataFrame(_rank(plots), geometry="geometry", crs=WGS84)
    idx = plots.pop("_pos").to_numpy()
    empty: list[Finding] = []
    # Findings are written for the plots people read, as reasons always were; the flags (site_ok,
    # compliant) of every plot are in the table. Building them for 100 000 plots tripled a query.
    top = idx[:top_plots]
    found = [reasons(project, ctx, config, pa, pl, i, cluster_yield) for i in top]
    plots["reasons"] = found + [empty] * (len(plots) - len(found))
    plots["failures"] = [pa.failures(int(i), ctx, project) for i in top] + [empty] * (len(plots) - len(top))
    return SiteResult(project, config, clusters, plots, ca.weights, notes, _samples(ctx))


def reasons(project: ProjectSpec, ctx: SitingContext, config: SitingConfig, a: Assessment, loc: Locations, i: int,
            cluster_yield: pd.DataFrame | None = None) -> list[Finding]:  # fmt: skip
    """Why location ``i`` of assessment ``a`` scores as it does: plan fit, axis, transport, land, 亩产效益, points."""
    out = list(a.fit(i).findings)
    rel_axes = relevant_axes(project, ctx)
    j = rel_axes[int(np.argmin(loc.axis_m[i, rel_axes]))]
    axis = bilingual(ctx.axes["name"].iloc[j], ctx.axes["name_en"].iloc[j])
    out.append(Finding("reason.axis_distance", "info", "四(二)", {"axis": axis, "km": loc.axis_m[i, j] / 1000}))
    node_weights = config.node_weights(project.industry)
    for k in sorted(range(len(NODE_KINDS)), key=lambda k: -node_weights[NODE_KINDS[k]])[:2]:
        n = loc.node_nearest[i, k]
        if n < 0 or node_weights[NODE_KINDS[k]] <= 0:
            continue
        node = ctx.nodes.iloc[int(n)]
        kind_zh, kind_en = NODE_KIND_NAMES[NODE_KINDS[k]]
        params = {"kind": bilingual(kind_zh, kind_en.lower()), "node": bilingual(node["name"], node["name_en"]),
                  "km": loc.node_m[i, k] / 1000}  # fmt: skip
        if loc.node_road[i, k]:
            minutes = trip_minutes(loc.node_m[i, k], loc.node_leg_m[i, k], config.speed_kmh, config.access_speed_kmh)
            params["minutes"] = float(minutes)
            out.append(Finding("reason.nearest_node_road", "info", "", params))
        else:
            out.append(Finding("reason.nearest_node", "info", "", params))
    land = a.land
    if land.checked and land.kind == "cluster":
        params = {"count": int(land.count[i]), "free": land.area_mu[i], "largest": land.largest_mu[i],
                  "need": project.land_mu}  # fmt: skip
        out.append(Finding("reason.cluster_land", "info", "六(三)", params))
    elif land.checked:
        out.append(Finding("reason.plot_area", "info", "", {"area": land.area_mu[i], "need": project.land_mu}))
    if cluster_yield is not None:
        _, value, rank = yield_scores(ctx, cluster_yield)
        c = int(loc.cluster[i])
        if c >= 0 and np.isfinite(value[c]):
            out.append(Finding("reason.cluster_yield", "info", "六(三)", {"value": value[c], "rank": int(rank[c])}))
        else:
            out.append(Finding("reason.cluster_yield_unknown", "info", "六(三)"))
    parts = [[f, float(a.factors[f][i] * w)] for f, w in a.weights.items()]
    out.append(Finding("reason.score", "info", "", {"parts": parts}))
    return out


def verdict_at(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig,
    lon: float,
    lat: float,
    cluster_yield: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The verdict at one point (WGS84), exactly as the ranking states it there.

    Returns
    -------
    dict
        ``compliant`` (bool), ``score`` (0–100, the ranking's scale), ``cluster`` (the cluster's
        name, or None), ``fit_level``, ``failures`` and ``reasons`` (findings), and ``unit``:
        ``"plot"`` (the point lies in a candidate plot, whose verdict this is), ``"cluster"`` (in a
        cluster outside every plot: the cluster's verdict, its land included) or ``"spot"``
        (elsewhere: the spot itself, land not checked), with ``id`` of that plot or cluster.

    Raises
    ------
    ValueError
        Coordinates that are not finite, or a point outside Qingdao's land.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"坐标须为有限数值 / coordinates must be finite numbers, got {lon!r}, {lat!r}")
    x, y = to_metric_xy(np.array([lon]), np.array([lat]))
    at = assess_at(project, ctx, config, x, y, cluster_yield)
    unit, row = str(at.unit[0]), int(at.row[0])
    if unit == "plot":
        a, loc, ident = at.plots, ctx.plot_locations, ctx.plots["id"].iloc[row]
    elif unit == "cluster":
        a, loc, ident = at.clusters, ctx.cluster_locations, ctx.clusters["id"].iloc[row]
    else:
        a, loc, ident = at.spots, at.spot_locations, None
        if loc.district[row] < 0:
            raise ValueError(f"该点不在青岛市陆域内 / the point ({lon}, {lat}) is not on Qingdao's land")
    assert a is not None and loc is not None
    c = int(loc.cluster[row])
    return {
        "compliant": bool(a.compliant[row]),
        "score": _rounded(a.score[row]),
        "cluster": str(ctx.clusters["name"].iloc[c]) if c >= 0 else None,
        "fit_level": a.fit(row).level,
        "failures": a.failures(row, ctx, project),
        "reasons": reasons(project, ctx, config, a, loc, row, cluster_yield),
        "unit": unit,
        "id": _plain(ident),
    }
