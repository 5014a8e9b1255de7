"""The plan's own indicator from firm data: each cluster's 主导产业集聚度 (issue 13, 6; plan 五(六)2).

主导产业集聚度 = the share of a cluster's revenue (营业收入, 万元) earned by firms of its leading
industries (the plan's industries of the cluster, :attr:`layers.plan.Cluster.industries`). The
plan's target: above 80 % in every municipal key cluster by 2025 (:attr:`layers.plan.Plan.cluster_target`).

A firm's industry is the plan industry its 产业领域 names (any plan term or synonym), else the one
its 行业代码 (GB/T 4754-2017) maps to in the catalogue (:meth:`layers.plan.Plan.industry_of_code`).
A firm whose industry cannot be told (no usable 产业领域, and no 行业代码 or one too coarse to tell —
``37`` holds rail, ships and aircraft) is *unknown*: the share is
then given as a range — unknown revenue counted as not leading (``share_pct``, the lower bound) and
as leading (``share_max_pct``) — and the verdict is "undetermined" when the target lies in between.

A firm belongs to a cluster when its point lies inside the cluster's polygon (the polygons are
approximate: their ``geometry_quality`` says so). Utilities (divisions 44–46) are not manufacturing,
and rows with data errors are not trusted (:func:`analysis.land_yield.scoring.counted_firms`): both
are left out, and so are firms without a position. Clusters with fewer than
:data:`analysis.land_yield.aggregate.MIN_FIRMS` firms are marked ``suppressed`` (their figures would
disclose a firm's).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.land_yield.aggregate import MIN_FIRMS
from analysis.land_yield.scoring import counted_firms
from geo.crs import to_wgs84
from layers.plan import Plan, UnknownIndustryError

__all__ = ["CONCENTRATION_COLUMNS", "cluster_concentration", "concentration_over_years", "firm_industries", "verdict"]

CONCENTRATION_COLUMNS = ("n_firms", "revenue", "revenue_leading", "revenue_unknown", "n_unknown", "n_no_revenue",
                         "share_pct", "share_max_pct", "target_pct", "verdict", "tax", "land_mu", "tax_per_mu",
                         "suppressed")  # fmt: skip


def _resolve(plan: Plan, word: str) -> str | None:
    try:
        return plan.resolve_industry(word) if word else None
    except UnknownIndustryError:
        return None


def firm_industries(firms: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Each firm's plan industry and where it came from.

    Returns
    -------
    DataFrame
        ``industry_id`` (a taxonomy id, ``"other"`` for a known industry the plan does not name, ``""``
        when it cannot be told) and ``industry_from`` (``"field"``: 产业领域, ``"code"``: 行业代码, ``""``).

    Examples
    --------
    >>> from layers.plan import load_plan
    >>> firms = pd.DataFrame({"industry": ["食品饮料", "", "其他制造业", ""],
    ...                       "industry_code": ["1311", "2614", "3311", ""]})
    >>> firm_industries(firms, load_plan()).values.tolist()
    [['food', 'field'], ['chemicals', 'code'], ['other', 'code'], ['', '']]
    """
    names = firms["industry"].fillna("").astype(str).str.strip() if "industry" in firms else pd.Series("", firms.index)
    codes = (firms["industry_code"].fillna("").astype(str).str.strip() if "industry_code" in firms
             else pd.Series("", firms.index))  # fmt: skip
    by_name = {n: _resolve(plan, n) for n in pd.unique(names)}
    by_code = {c: (plan.industry_of_code(c) or "other") if c and plan.code_decides(c) else None
               for c in pd.unique(codes)}  # fmt: skip
    from_name = names.map(by_name)
    from_code = codes.map(by_code)
    industry = from_name.fillna(from_code).fillna("")
    source = np.where(from_name.notna(), "field", np.where(from_code.notna(), "code", ""))
    return pd.DataFrame({"industry_id": industry.astype(str), "industry_from": source}, index=firms.index)


def verdict(share_pct: float, share_max_pct: float, target_pct: float) -> str:
    """``"meets"`` (above the target even with unknown revenue not counted), ``"below"`` (not even with it
    counted) or ``"undetermined"``; ``""`` without revenue.

    Examples
    --------
    >>> verdict(85.0, 85.0, 80.0), verdict(70.0, 79.0, 80.0), verdict(70.0, 90.0, 80.0), verdict(80.0, 80.0, 80.0)
    ('meets', 'below', 'undetermined', 'below')
    """
    if np.isnan(share_pct):
        return ""
    if share_pct > target_pct:
        return "meets"
    return "below" if share_max_pct <= target_pct else "undetermined"


def cluster_concentration(firms: gpd.GeoDataFrame, clusters: gpd.GeoDataFrame, plan: Plan) -> pd.DataFrame:
    """主导产业集聚度 and 亩均税收 of every cluster, from firm data (see the module docstring).

    Parameters
    ----------
    firms : GeoDataFrame
        Firms as points (an evaluation result, or a saved year's firms): ``revenue`` and ``tax`` (万元),
        ``land_mu`` (亩), ``industry`` and/or ``industry_code``, ``status``.
    clusters : GeoDataFrame
        The cluster layer (``id``, ``name``, polygons; any CRS).
    plan : Plan
        Leading industries of each cluster and the target.

    Returns
    -------
    DataFrame
        One row per cluster: ``id``, ``name``, ``name_en``, ``leading`` and ``leading_en`` (the plan's
        industry names), then
        :data:`CONCENTRATION_COLUMNS` — revenue in 万元, shares in %, ``tax_per_mu`` in 万元/亩.
    """
    target = plan.cluster_target.threshold_pct
    located = firms[firms.geometry.notna() & ~firms.geometry.is_empty]
    located = located[counted_firms(located)]
    points = to_wgs84(gpd.GeoDataFrame(located[[]].assign(geometry=located.geometry.to_numpy()), geometry="geometry",
                                       crs=firms.crs))  # fmt: skip
    zones = to_wgs84(clusters[["id", "name", "geometry"]]).reset_index(drop=True)
    hit = gpd.sjoin(points, zones, predicate="within", how="inner")
    industries = firm_industries(located, plan)
    numbers = {c: pd.to_numeric(located[c], errors="coerce") if c in located else pd.Series(np.nan, located.index)
               for c in ("revenue", "tax", "land_mu")}  # fmt: skip
    rows = []
    for i, zone in zones.iterrows():
        members = hit.index[hit["index_right"] == i]
        c = plan.cluster(str(zone["id"]))
        terms = c.industries if c is not None else ()
        leading = {found for t in terms if (found := _resolve(plan, t)) is not None}
        ind = industries.loc[members, "industry_id"]
        revenue = numbers["revenue"].loc[members]
        has = revenue.notna()
        total = float(revenue[has].sum())
        lead = float(revenue[has & ind.isin(list(leading))].sum())
        unknown = float(revenue[has & (ind == "")].sum())
        share = lead / total * 100 if total > 0 else np.nan
        share_max = (lead + unknown) / total * 100 if total > 0 else np.nan
        tax, land = numbers["tax"].loc[members], numbers["land_mu"].loc[members]
        both = tax.notna() & land.notna() & (land > 0)
        land_mu = float(land[both].sum())
        rows.append({
            "id": zone["id"], "name": zone["name"], "name_en": c.name_en if c is not None else zone["name"],
            "leading": "、".join(plan.industry(x).name for x in sorted(leading)),
            "leading_en": ", ".join(plan.industry(x).name_en for x in sorted(leading)),
            "n_firms": len(members), "revenue": total, "revenue_leading": lead, "revenue_unknown": unknown,
            "n_unknown": int((ind == "").sum()), "n_no_revenue": int((~has).sum()),
            "share_pct": share, "share_max_pct": share_max, "target_pct": target,
            "verdict": verdict(share, share_max, target),
            "tax": float(tax[both].sum()), "land_mu": land_mu,
            "tax_per_mu": float(tax[both].sum()) / land_mu if land_mu > 0 else np.nan,
            "suppressed": len(members) < MIN_FIRMS,
        })  # fmt: skip
    return pd.DataFrame(rows)


def concentration_over_years(
    history: Mapping[int, gpd.GeoDataFrame], clusters: gpd.GeoDataFrame, plan: Plan
) -> pd.DataFrame:
    """:func:`cluster_concentration` for every year of ``history`` (year → firms), stacked with a ``year`` column."""
    frames = [cluster_concentration(firms, clusters, plan).assign(year=year) for year, firms in sorted(history.items())]
    if not frames:
        return pd.DataFrame(columns=["year", "id", "name", "leading", *CONCENTRATION_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    return out[["year", *[c for c in out.columns if c != "year"]]]
