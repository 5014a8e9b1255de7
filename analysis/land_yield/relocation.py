"""Existing firms against the plan (issue 13, 7): relocation candidates, by the rules of site selection.

The plan directs industries to places: 四(二) concentrates each industry in named clusters
(``concentrate`` directives), and 三(二)2 with 五(七)3 ("持续引导化工企业'进区入园'") admits chemical
firms only in the two chemical parks (the ``restrict`` directive, the chemical rule of site
selection). A firm of such an industry that sits outside those places is a relocation candidate:

* ``required`` — a chemical firm outside the chemical parks: the chemical rule fails at its place
  (the same :func:`analysis.siting.assess.assess` that ranks sites says so);
* ``guided`` — a firm outside the clusters its industry is to concentrate in, where the plan
  does not place its industry either (plan-fit level ``guided`` or ``none`` at its place);
* ``fits_here`` — outside those clusters, but its place still fits the plan (an axis or a bay-side
  area that lists the industry, or a related cluster): listed, lowest priority.

A firm's industry is its plan industry (:func:`analysis.land_yield.concentration.firm_industries`:
产业领域, else 行业代码); a directive applies to every firm whose industry its terms resolve to —
the plan's words are finer (机器人, 高端装备) than a firm's industry can be told from its data, so
``guided`` lists are to be read as a list to check, not a verdict. Firms without a position or
a plan industry are not assessed, nor are utilities and rows with data errors
(:func:`analysis.land_yield.scoring.counted_firms`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.findings import Finding, bilingual
from analysis.land_yield.concentration import firm_industries
from analysis.land_yield.scoring import counted_firms
from analysis.siting.assess import Land, assess
from analysis.siting.config import SitingConfig
from analysis.siting.context import SitingContext, locate_xy
from analysis.siting.project import make_project
from geo.crs import to_metric_xy
from layers.plan import Plan, UnknownIndustryError

__all__ = ["PRIORITIES", "Directed", "directed_industries", "relocation_candidates", "relocation_summary"]

PRIORITIES = ("required", "guided", "fits_here")  # most urgent first
_FITS_HERE = ("leading", "related", "axis", "bay_role")  # plan-fit levels that still place the industry here


@dataclass(frozen=True)
class Directed:
    """Where the plan sends one taxonomy industry: clusters (ids) and the directives that say so."""

    industry: str
    clusters: tuple[str, ...]
    directives: tuple[str, ...]  # directive ids
    chemical: bool


def directed_industries(plan: Plan) -> dict[str, Directed]:
    """Every taxonomy industry a ``concentrate`` or ``restrict`` directive sends to clusters.

    Examples
    --------
    >>> from layers.plan import load_plan
    >>> d = directed_industries(load_plan())
    >>> d["chemicals"].clusters, d["chemicals"].chemical
    (('chemical_xinhe', 'chemical_dongjiakou', 'inferred_petrochemical_qianwan'), True)
    >>> d["food"].clusters
    ('food_laixi',)
    """
    out: dict[str, tuple[list[str], list[str]]] = {}
    for kind in ("concentrate", "restrict"):
        for d in plan.directives_of(kind):
            for term in d.terms:
                try:
                    industry = plan.resolve_industry(term)
                except UnknownIndustryError:
                    continue
                clusters, ids = out.setdefault(industry, ([], []))
                clusters.extend(c for c in d.clusters if c not in clusters)
                if d.id not in ids:
                    ids.append(d.id)
    return {k: Directed(k, tuple(c), tuple(i), plan.industry(k).chemical) for k, (c, i) in out.items()}


def _cluster_names(plan: Plan, ids: Sequence[str]) -> dict[str, str]:
    zh, en = [], []
    for cid in ids:
        c = plan.cluster(cid)
        zh.append(c.name if c else cid)
        en.append(c.name_en if c else cid)
    return bilingual("、".join(zh), ", ".join(en))


def relocation_candidates(
    firms: gpd.GeoDataFrame, plan: Plan, ctx: SitingContext, config: SitingConfig
) -> pd.DataFrame:
    """The firms the plan would have elsewhere, with the rule, the priority and the plan's words.

    Parameters
    ----------
    firms : GeoDataFrame
        Firms as points in EPSG:4326 (an evaluation result): ``industry`` and/or ``industry_code``,
        ``land_mu`` (亩), ``status``, ``district``.
    plan, ctx, config
        The plan, its located layers and the site-selection parameters — the rules of site selection.

    Returns
    -------
    DataFrame
        One row per candidate, indexed like ``firms``: ``industry_id``, ``rule`` (``chemical`` or
        ``concentrate``), ``priority`` (:data:`PRIORITIES`), ``fit_level`` at its place,
        ``targets`` (where the plan sends it, ``{"zh", "en"}``), ``in_cluster`` (the cluster it is in,
        ``{"zh", "en"}``, or ``""`` if none), ``findings`` (the rule, then what the plan says at its
        place), ``land_mu``.
    """
    directed = directed_industries(plan)
    located = firms[firms.geometry.notna() & ~firms.geometry.is_empty]
    located = located[counted_firms(located)]
    industry = firm_industries(located, plan)["industry_id"]
    parts = []
    cluster_ids = ctx.clusters["id"].astype(str).to_numpy()
    in_names = [_cluster_names(plan, [cid]) for cid in cluster_ids]  # {"zh", "en"} of each cluster
    for industry_id, rule in directed.items():
        members = located[(industry == industry_id).to_numpy()]
        if members.empty:
            continue
        x, y = to_metric_xy(members.geometry.x.to_numpy(), members.geometry.y.to_numpy())
        loc = locate_xy(x, y, ctx)
        project = make_project(plan, plan.industry(industry_id).name, 1.0)  # the land is not assessed: spots
        a = assess(project, ctx, config, loc, Land.spots(len(members)))
        here = np.where(loc.cluster >= 0, cluster_ids[np.maximum(loc.cluster, 0)], "")
        outside = ~np.isin(here, list(rule.clusters))
        levels = a.fit_levels()
        chemical_fail = ~a.chemical_ok
        candidate = outside | chemical_fail
        targets = _cluster_names(plan, rule.clusters)
        said = [d for d in plan.directives if d.id in rule.directives]
        text, section = "；".join(dict.fromkeys(d.text for d in said)), said[0].plan_section
        land = (pd.to_numeric(members["land_mu"], errors="coerce").to_numpy(float) if "land_mu" in members.columns
                else np.full(len(members), np.nan))  # fmt: skip
        outside_finding = Finding("relocate.outside", "warn", section, {"clusters": targets, "text": text})
        said_at: dict[tuple[bool, int], list[Finding]] = {}  # the same words for every firm at the same kind of place
        for i in np.flatnonzero(candidate):
            chemical = bool(chemical_fail[i])
            key = (chemical, int(a.fits.key_of[i]))
            if key not in said_at:
                first = ([f for f in a.failures(int(i), ctx, project) if f.code == "rule.chemical"] if chemical
                         else [outside_finding])  # the rule names the parks itself  # fmt: skip
                said_at[key] = first + [f for f in a.fit(int(i)).findings if f.code != "fit.none"]
            priority = "required" if chemical else "fits_here" if levels[i] in _FITS_HERE else "guided"
            parts.append({
                "row": members.index[i], "industry_id": industry_id, "rule": "chemical" if chemical else "concentrate",
                "priority": priority, "fit_level": str(levels[i]), "targets": targets,
                "in_cluster": in_names[loc.cluster[i]] if loc.cluster[i] >= 0 else "",
                "findings": said_at[key], "land_mu": land[i],
            })  # fmt: skip
    columns = ["industry_id", "rule", "priority", "fit_level", "targets", "in_cluster", "findings", "land_mu"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(parts).set_index("row").rename_axis(None)
    order = out["priority"].map(PRIORITIES.index)
    return out.loc[order.sort_values(kind="stable").index, columns]


def relocation_summary(candidates: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Candidates per district: firms and 亩 by priority, and in total (a 合计 row last).

    Examples
    --------
    >>> firms = pd.DataFrame({"district": ["城阳区", "城阳区", "黄岛区"]})
    >>> c = pd.DataFrame({"priority": ["required", "guided", "required"], "land_mu": [10.0, 5.0, 2.0]})
    >>> relocation_summary(c, firms).loc["城阳区", ["n_required", "mu_required", "n_total", "mu_total"]].tolist()
    [1.0, 10.0, 2.0, 15.0]
    """
    district = firms["district"].reindex(candidates.index).fillna("").astype(str) if len(candidates) else []
    frame = pd.DataFrame({"district": district, "priority": candidates["priority"],
                          "land_mu": pd.to_numeric(candidates["land_mu"], errors="coerce")})  # fmt: skip
    out = pd.DataFrame(index=sorted(set(frame["district"])))
    for p in PRIORITIES:
        part = frame[frame["priority"] == p].groupby("district")["land_mu"]
        out[f"n_{p}"] = part.size().reindex(out.index, fill_value=0).astype(float)
        out[f"mu_{p}"] = part.sum().reindex(out.index, fill_value=0.0)
    out["n_total"] = out[[f"n_{p}" for p in PRIORITIES]].sum(axis=1)
    out["mu_total"] = out[[f"mu_{p}" for p in PRIORITIES]].sum(axis=1)
    out.loc["合计"] = out.sum(axis=0)
    return out.rename_axis("district")
