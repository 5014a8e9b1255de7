"""One assessment of a project at any set of locations: the rule flags and the factor points.

Every verdict of site selection comes from :func:`assess`: the ranking of clusters and plots
(:mod:`analysis.siting`), the point and area queries (:mod:`analysis.siting.location`), the suitability
raster (:mod:`analysis.siting.suitability`) and the command line's ``--at``. What differs between them is
only *where* and *what land* is looked at:

* a **cluster** is assessed on its footprint; its land is the candidate plots inside it (at least
  one large enough, outside exclusion zones) — exclusion zones are not a rule for the footprint;
* a **plot** (or a drawn area, which is a plot the user proposes) on itself: its area against the
  need, and whether it meets an exclusion zone;
* a **spot** (a clicked point or a raster cell outside every plot and cluster) on itself: no land
  is checked there and the free-land factor is left out.

:func:`assess_at` finds, for points, which of the three answers the ranking gives there — the
plot's when the point lies in a candidate plot, else its cluster's, else the spot's — so a click
and a raster cell say exactly what the ranking says.

Rules (a failed one makes the location non-compliant): the plan's chemical rule (三(二)2 / 四(二));
exclusion zones; land; and 标准地 thresholds, which are the project's and so apply everywhere.
Factors are scored 0–1 and weighted to points that add up to the score (0–100).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.findings import Finding, bilingual
from analysis.siting.config import SitingConfig
from analysis.siting.context import Locations, SitingContext, locate_xy
from analysis.siting.plan_fit import Fit, chemical_rule
from analysis.siting.project import ProjectSpec
from analysis.siting.scores import (
    Fits,
    cluster_fits,
    factor_scores,
    factor_weights,
    fit_scores,
    place_fits,
    points_table,
    yield_scores,
)

__all__ = [
    "Assessment",
    "AtPoints",
    "Land",
    "assess",
    "assess_at",
    "cluster_land",
    "plot_land",
    "standard_land_failures",
]

LandKind = Literal["cluster", "plot", "spot"]


_STANDARD = (
    ("standard_investment", "investment_per_mu", "min_investment_wan_per_mu", "万元/亩"),
    ("standard_tax", "tax_per_mu", "min_tax_wan_per_mu", "万元/亩"),
    ("standard_tax_per_tce", "tax_per_tce", "min_tax_wan_per_tce", "万元/吨标准煤"),
)


def standard_land_failures(project: ProjectSpec, config: SitingConfig) -> list[Finding]:
    """The 标准地 thresholds ``project`` does not meet (a threshold of 0 or a missing figure is not checked).

    Each is a ``rule.standard_land`` finding: ``name`` (which threshold), ``value``, ``minimum``,
    ``unit`` and ``basis`` (default parameters, not official; or local ones).
    """
    basis = "standard_basis_local" if config.official else "standard_basis_default"
    out = []
    for name, attr, threshold, unit in _STANDARD:
        value, minimum = getattr(project, attr), float(config.standard_land[threshold])
        if value is not None and minimum > 0 and value < minimum:
            params = {"name": name, "value": float(value), "minimum": minimum, "unit": unit, "basis": basis}
            out.append(Finding("rule.standard_land", "fail", "六(三)", params))
    return out


@dataclass(frozen=True)
class Land:
    """The land the rule looks at, aligned with the locations.

    Attributes
    ----------
    kind : {"cluster", "plot", "spot"}
    area_mu : array of float
        Plot: its area; cluster: Σ area of its qualifying plots (亩); spot: zeros.
    largest_mu : array of float
        Cluster: its largest plot outside exclusion zones; else as ``area_mu``.
    count : array of int
        Cluster: how many plots qualify; plot: 1 if it does, else 0.
    checked : bool
        Whether land is a rule here at all (no plot layer → clusters are not checked; spots never are).
    """

    kind: LandKind
    area_mu: np.ndarray
    largest_mu: np.ndarray
    count: np.ndarray
    checked: bool

    @classmethod
    def spots(cls, n: int) -> Land:
        """No land looked at (clicked points, raster cells)."""
        zero = np.zeros(n)
        return cls("spot", zero, zero, np.zeros(n, dtype=int), False)


@dataclass(frozen=True)
class Assessment:
    """Rule flags, factor scores and points of a project at ``n`` locations (arrays of length n).

    Attributes
    ----------
    land : Land
    fits : Fits
        Plan fit per distinct place and the key of every location (``fit(i)``).
    chemical_ok : array of bool
        The chemical-park rule allows the project here.
    excluded : array of int
        Index of the exclusion zone met (−1 none; always −1 for clusters).
    land_ok : array of bool
        Enough land (True where land is not checked).
    standard : list of Finding
        标准地 thresholds the project misses (the same for every location).
    need_mu : float
        The least area that counts as enough land: need × (1 − tolerance), 亩.
    factors : dict of str → array
        Factor scores 0–1.
    weights : dict of str → float
        Points of each factor used (add up to 100).
    points : DataFrame
        ``pts_<factor>`` and ``score`` (0–100) per location.
    """

    land: Land
    fits: Fits
    chemical_ok: np.ndarray
    excluded: np.ndarray
    land_ok: np.ndarray
    standard: list[Finding]
    need_mu: float
    factors: dict[str, np.ndarray]
    weights: dict[str, float]
    points: pd.DataFrame

    @property
    def site_ok(self) -> np.ndarray:
        """The place rules are met (chemical, exclusion, land)."""
        return self.chemical_ok & (self.excluded < 0) & self.land_ok

    @property
    def compliant(self) -> np.ndarray:
        """The place rules are met and the project meets 标准地."""
        return self.site_ok & (not self.standard)

    @property
    def score(self) -> np.ndarray:
        """Points out of 100."""
        return self.points["score"].to_numpy(float)

    def failures(self, i: int, ctx: SitingContext, project: ProjectSpec) -> list[Finding]:
        """The rules location ``i`` does not meet, as findings (the project's 标准地 failures last)."""
        out = []
        if not self.chemical_ok[i]:
            rule = chemical_rule(ctx.plan, project, False)
            assert rule is not None
            out.append(rule)
        if not self.land_ok[i]:
            out.append(Finding("rule.land", "fail", "六(三)", {"need": self.need_mu}))
        if self.excluded[i] >= 0:
            k = int(self.excluded[i])
            zone = ctx.exclusion["name"].iloc[k] if "name" in ctx.exclusion else f"#{k + 1}"
            code = "rule.exclusion_inside" if self.land.kind == "spot" else "rule.exclusion_overlap"
            out.append(Finding(code, "fail", "", {"zone": bilingual(str(zone), str(zone))}))
        return out + list(self.standard)

    def fit(self, i: int) -> Fit:
        """Plan fit of location ``i``."""
        return self.fits.fits[int(self.fits.key_of[i])]

    def fit_levels(self) -> np.ndarray:
        """Plan-fit level of every location."""
        return np.array([f.level for f in self.fits.fits], dtype=object)[self.fits.key_of]


def _cluster_fits(project: ProjectSpec, ctx: SitingContext, config: SitingConfig, fits: list[Fit]) -> Fits:
    inferred = [not bool(v) for v in ctx.clusters["plan_named"]]
    return Fits(fits, fit_scores(fits, inferred, config), np.arange(len(ctx.clusters)))


def assess(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig,
    loc: Locations,
    land: Land,
    cluster_yield: pd.DataFrame | None = None,
) -> Assessment:
    """Assess ``project`` at the located places ``loc`` (clusters, plots or spots, as ``land`` says).

    Parameters
    ----------
    project : ProjectSpec
    ctx : SitingContext
        The plan and its layers (:func:`analysis.siting.context.build_context`).
    config : SitingConfig
        Weights, thresholds and distances.
    loc : Locations
        From :func:`analysis.siting.context.locate` (for clusters: ``ctx.cluster_locations``).
    land : Land
        What land is looked at; :meth:`Land.spots` for points and cells.
    cluster_yield : DataFrame, optional
        亩产效益 by cluster (``id``, ``tax_per_mu``, ``suppressed``); without it that factor is left out.
    """
    c_fits = cluster_fits(project, ctx)
    fits = _cluster_fits(project, ctx, config, c_fits) if land.kind == "cluster" else (
        place_fits(project, ctx, loc, c_fits, config))  # fmt: skip
    factors = factor_scores(project, ctx, loc, fits, config, yield_scores(ctx, cluster_yield)[0])
    n = len(loc.x)
    need = project.land_mu * (1 - config.land_tolerance)
    if land.kind == "plot":
        area = land.area_mu
        factors["free_land"] = np.where(area >= need, np.minimum(1.0, 1.5 * project.land_mu / np.maximum(area, 1e-9)),
                                        area / project.land_mu)  # fmt: skip
        land_ok = area >= need
    elif land.kind == "cluster":
        factors["free_land"] = np.minimum(1.0, land.area_mu / (project.land_mu * config.land_full_ratio))
        land_ok = land.count > 0 if land.checked else np.ones(n, bool)
    else:
        land_ok = np.ones(n, bool)
    if not land.checked:
        factors.pop("free_land", None)
    chemical = np.append(ctx.clusters["chemical"].to_numpy(bool), False)[loc.cluster]
    weights = factor_weights(config, cluster_yield is not None, use_land=land.checked)
    return Assessment(
        land=land,
        fits=fits,
        chemical_ok=chemical | (not project.chemical),
        excluded=np.full(n, -1, dtype=np.int64) if land.kind == "cluster" else loc.excluded,
        land_ok=land_ok,
        standard=standard_land_failures(project, config),
        need_mu=need,
        factors=factors,
        weights=weights,
        points=points_table(factors, weights),
    )


def plot_land(ctx: SitingContext, project: ProjectSpec, config: SitingConfig) -> Land:
    """The land of the candidate plots of ``ctx`` (each plot on its own)."""
    assert ctx.plot_locations is not None
    area = ctx.plot_locations.area_mu
    ok = area >= project.land_mu * (1 - config.land_tolerance)
    return Land("plot", area, area, ok.astype(int), True)


def cluster_land(ctx: SitingContext, project: ProjectSpec, config: SitingConfig) -> Land:
    """The land of every cluster: its plots that are large enough and outside exclusion zones."""
    n = len(ctx.clusters)
    free, largest, count = np.zeros(n), np.zeros(n), np.zeros(n, dtype=int)
    if ctx.plot_locations is None:
        return Land("cluster", free, largest, count, False)
    pl = ctx.plot_locations
    ok_land = pl.area_mu >= project.land_mu * (1 - config.land_tolerance)
    usable = (pl.excluded < 0) & (pl.cluster >= 0)
    np.add.at(free, pl.cluster[usable & ok_land], pl.area_mu[usable & ok_land])
    np.maximum.at(largest, pl.cluster[usable], pl.area_mu[usable])
    np.add.at(count, pl.cluster[usable & ok_land], 1)
    return Land("cluster", free, largest, count, True)


@dataclass(frozen=True)
class AtPoints:
    """What the ranking says at each point: which unit answers and its row in that unit's assessment.

    ``unit[i]`` is ``"plot"``, ``"cluster"`` or ``"spot"``; ``row[i]`` indexes ``plots``,
    ``clusters`` or ``spots`` accordingly.
    """

    unit: np.ndarray
    row: np.ndarray
    clusters: Assessment
    plots: Assessment | None
    spots: Assessment
    spot_locations: Locations

    def on_land(self) -> np.ndarray:
        """Whether each point lies in one of the city's districts (plots and clusters always do)."""
        out: np.ndarray = np.ones(len(self.unit), dtype=bool)
        spot = self.unit == "spot"
        out[spot] = self.spot_locations.district[self.row[spot]] >= 0
        return out

    def pick(self, name: str, dtype: type = object) -> np.ndarray:
        """An array attribute of the answering assessment, per point (``score``, ``compliant`` …)."""
        out: np.ndarray = np.zeros(len(self.unit), dtype=dtype)
        for unit, a in (("cluster", self.clusters), ("plot", self.plots), ("spot", self.spots)):
            mask = self.unit == unit
            if a is not None and mask.any():
                out[mask] = np.asarray(getattr(a, name))[self.row[mask]]
        return out


def assess_at(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig,
    x: np.ndarray,
    y: np.ndarray,
    cluster_yield: pd.DataFrame | None = None,
) -> AtPoints:
    """Assess ``project`` at points (EPSG:4549 metres) exactly as the ranking states it there.

    A point in a candidate plot gets that plot's assessment; in a cluster outside every plot, the
    cluster's (its land included); elsewhere its own, with no land checked.
    """
    from geo.pointquery import containing_polygon

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    assert ctx.cluster_locations is not None  # build_context locates the clusters
    clusters = assess(project, ctx, config, ctx.cluster_locations, cluster_land(ctx, project, config), cluster_yield)
    plots = None
    unit = np.full(x.size, "spot", dtype=object)
    row = np.arange(x.size)
    if ctx.plot_locations is not None:
        plots = assess(project, ctx, config, ctx.plot_locations, plot_land(ctx, project, config), cluster_yield)
        in_plot = containing_polygon(x, y, ctx.plots.geometry.to_numpy())
        unit[in_plot >= 0] = "plot"
        row = np.where(in_plot >= 0, in_plot, row)
    in_cluster = containing_polygon(x, y, ctx.clusters.geometry.to_numpy())
    to_cluster = (unit == "spot") & (in_cluster >= 0)
    unit[to_cluster] = "cluster"
    row = np.where(to_cluster, in_cluster, row)
    spot = unit == "spot"
    spot_loc = locate_xy(x[spot], y[spot], ctx)
    spots = assess(project, ctx, config, spot_loc, Land.spots(int(spot.sum())), cluster_yield)
    row = row.copy()
    row[spot] = np.arange(int(spot.sum()))
    return AtPoints(unit, row, clusters, plots, spots, spot_loc)
