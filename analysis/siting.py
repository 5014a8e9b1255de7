"""Site selection: rank clusters and candidate plots for a project, with reasons from the plan.

Method (DESIGN.md §4; parameters in ``siting.toml``, defaults not official):

1. **Constraints** (a failed one makes the candidate non-compliant and is named): the plan's
   chemical rule (化工项目进区入园, plan 三(二)2 / 四(二)); 标准地 thresholds on investment and tax
   per 亩 (project level); exclusion zones (plots); enough land — a plot of at least the need
   (less a tolerance), not in an exclusion zone.
2. **Factors**, each scored 0–1: plan fit (leading cluster > related > axis > bay-side area role
   > 合理引导, :mod:`analysis.plan_fit`), distance to the relevant axis centreline, distance to
   transport nodes by kind (weights per industry), the cluster's 亩产效益 (percentile of Σ税收 ÷
   Σ亩 among clusters, when an evaluation is given) and free land.
3. **Score** = Σ wᵢ·sᵢ over the factors in use, scaled to 100; ``pts_<factor>`` add up to it.
   Compliant candidates rank first, then by score.

Everything is vectorised over candidates (100 000 plots in well under a second); reasons are
written for the clusters and the best ``top_plots`` plots only.

Command line::

    python -m analysis.siting --industry 新能源汽车零部件 --land-mu 200 --investment-wan 80000 \\
        --tax-wan 6000 --top 5 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.plan_fit import chemical_rule, project_notes
from analysis.project import ProjectError, ProjectSpec, UnknownIndustryError, make_project
from analysis.siting_config import NODE_KINDS, SitingConfig, SitingConfigError, load_siting_config
from analysis.siting_context import SitingContext, build_context
from analysis.siting_scores import (
    Fits,
    cluster_fits,
    factor_scores,
    factor_weights,
    fit_scores,
    place_fits,
    points_table,
    relevant_axes,
    yield_scores,
)
from geo.crs import WGS84
from layers.siting_layers import NODE_KIND_NAMES

__all__ = ["FACTOR_NAMES", "SiteResult", "main", "rank_sites", "standard_land_check"]

FACTOR_NAMES = {
    "plan_fit": ("规划符合度", "Plan fit"),
    "axis": ("轴带区位", "Axis location"),
    "transport": ("交通条件", "Transport access"),
    "land_yield": ("集聚区亩产效益", "Cluster land-use efficiency"),
    "free_land": ("可供地", "Available land"),
}


@dataclass
class SiteResult:
    """Ranked clusters and plots for one project.

    Attributes
    ----------
    clusters : DataFrame
        One row per cluster, best first: ``rank``, ``id``, ``name``, ``score`` (0–100),
        ``site_ok`` (the place rules are met), ``compliant`` (``site_ok`` and the project meets
        标准地), ``failed_zh``/``failed_en`` (rules not met), ``fit_level``,
        ``pts_<factor>`` (adding up to ``score``), ``free_land_mu``, ``largest_plot_mu``,
        ``axis_km``, ``reasons_zh``/``reasons_en`` (lists).
    plots : GeoDataFrame
        Every candidate plot (EPSG:4326), best first, with the same columns plus ``cluster``
        and ``area_mu``; ``reasons_*`` are filled for the first ``top_plots`` rows.
    weights : dict
        Points per factor actually used (sum 100).
    notes_zh, notes_en : list of str
        Statements about the query as a whole (标准地, sample data, missing inputs).
    samples_zh, samples_en : list of str
        The notes saying which inputs are sample data (for legends and reports).
    """

    project: ProjectSpec
    config: SitingConfig
    clusters: pd.DataFrame
    plots: gpd.GeoDataFrame
    weights: dict[str, float]
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    samples_zh: list[str] = field(default_factory=list)  # which inputs are sample data (also in notes)
    samples_en: list[str] = field(default_factory=list)

    def to_json(self, top: int = 10, lang: str = "zh") -> dict:
        """``{"query", "weights", "notes", "clusters", "plots"}``, best first (the CLI's output)."""
        key = "reasons_zh" if lang == "zh" else "reasons_en"
        failed = "failed_zh" if lang == "zh" else "failed_en"

        def rows(frame: pd.DataFrame, extra: tuple[str, ...]) -> list[dict]:
            out = []
            for row in frame.head(top).itertuples():
                item = {"id": row.id, "name": row.name, "score": _rounded(row.score),
                        "compliant": bool(row.compliant), "failed": list(getattr(row, failed)),
                        "reasons": list(getattr(row, key)),
                        "breakdown": {f: _rounded(getattr(row, f"pts_{f}")) for f in self.weights}}  # fmt: skip
                item.update({c: _plain(getattr(row, c)) for c in extra})
                out.append(item)
            return out

        return {
            "query": {**self.project.as_dict(), "parameters": self.config.title},
            "weights": {k: _rounded(v) for k, v in self.weights.items()},
            "notes": self.notes_zh if lang == "zh" else self.notes_en,
            "clusters": rows(self.clusters, ("fit_level", "free_land_mu")),
            "plots": rows(pd.DataFrame(self.plots.drop(columns="geometry")), ("cluster", "area_mu")),
        }


def _rounded(value: object, digits: int = 2) -> float | None:
    """``value`` rounded, or ``None`` (JSON null) when it is not a finite number."""
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def _plain(value: object) -> object:
    """NumPy scalars as Python values; NaN and ±inf as ``None`` (strict JSON has no such numbers)."""
    if isinstance(value, (np.integer, np.floating)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def standard_land_check(project: ProjectSpec, config: SitingConfig) -> tuple[list[str], list[str]]:
    """标准地 thresholds the project does not meet (empty lists when it meets all it reports)."""
    zh, en = [], []
    std = config.standard_land
    checks = (
        (project.investment_per_mu, std["min_investment_wan_per_mu"], "投资强度", "investment intensity", "万元/亩"),
        (project.tax_per_mu, std["min_tax_wan_per_mu"], "亩均税收", "tax per mu", "万元/亩"),
        (project.tax_per_tce, std["min_tax_wan_per_tce"], "单位能耗税收", "tax per tce", "万元/吨标准煤"),
    )  # fmt: skip
    for value, minimum, name_zh, name_en, unit in checks:
        if value is not None and minimum > 0 and value < minimum:
            tag = "默认参数，非官方" if not config.official else "本地参数"
            zh.append(f"【不符合 · 标准地（{tag}）】{name_zh} {value:,.1f} {unit} < {minimum:,.1f} {unit}")
            en.append(f"[Not compliant · 标准地 threshold] {name_en} {value:,.1f} {unit} < {minimum:,.1f} {unit}")
    return zh, en


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidates meeting the place rules first (project-level 标准地 failures apply to all), then by score."""
    keys = (frame["id"].astype(str).to_numpy(), -frame["score"].to_numpy(), ~frame["site_ok"].to_numpy())
    order = np.lexsort(keys)
    out = frame.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def rank_sites(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig | None = None,
    cluster_yield: pd.DataFrame | None = None,
    top_plots: int = 20,
) -> SiteResult:
    """Rank the clusters and candidate plots of ``ctx`` for ``project``.

    Parameters
    ----------
    project : ProjectSpec
        From :func:`analysis.project.make_project`.
    ctx : SitingContext
        From :func:`analysis.siting_context.build_context`.
    config : SitingConfig, optional
        Defaults to ``siting.toml`` (not official).
    cluster_yield : DataFrame, optional
        亩产效益 by cluster (:func:`analysis.aggregate.aggregate_zones` on ``clusters``: ``id``,
        ``tax_per_mu``, ``suppressed``); without it the land_yield factor is left out.
    top_plots : int
        Plots that get written reasons (all plots are scored and ranked).
    """
    config = config or load_siting_config()
    std_zh, std_en = standard_land_check(project, config)
    notes_zh, notes_en = list(std_zh), list(std_en)
    pz, pe = project_notes(project)
    notes_zh += pz
    notes_en += pe
    has_plots = ctx.plot_locations is not None
    weights = factor_weights(config, cluster_yield is not None, has_plots)
    if cluster_yield is None:
        notes_zh.append("未载入亩产效益评价：不计“集聚区亩产效益”因子，其余权重按比例放大")
        notes_en.append("No 亩产效益 evaluation loaded: the cluster land-use efficiency factor is left out")
    if not has_plots:
        notes_zh.append("未载入可供地块：未检查用地，不计“可供地”因子")
        notes_en.append("No candidate plots loaded: land is not checked and the free-land factor is left out")
    samples_zh = [f"{'可供地块' if what == 'plots' else '禁止建设区'}为{label}" for what, label in ctx.labels.items()]
    samples_en = [f"{'Plots' if what == 'plots' else 'Exclusion zones'} are sample data" for what in ctx.labels]
    notes_zh += samples_zh
    notes_en += samples_en

    yield_score, yield_value, yield_rank = yield_scores(ctx, cluster_yield)
    c_fits = cluster_fits(project, ctx)
    need = project.land_mu * (1 - config.land_tolerance)
    chem_ok_cluster = np.array([chemical_rule(project, bool(v))[0] for v in ctx.clusters["chemical"]])
    chem_rule = chemical_rule(project, False)

    # ---- plots -------------------------------------------------------------------------------
    if has_plots:
        pl = ctx.plot_locations
        p_fits = place_fits(project, ctx, pl, c_fits, config)
        p_factors = factor_scores(project, ctx, pl, p_fits, config, yield_score)
        area = pl.area_mu
        p_factors["free_land"] = np.where(area >= need, np.minimum(1.0, 1.5 * project.land_mu / np.maximum(area, 1e-9)),
                                          area / project.land_mu)  # fmt: skip
        in_chem = np.where(pl.cluster >= 0, ctx.clusters["chemical"].to_numpy(bool)[pl.cluster.clip(0)], False)
        ok_chem = in_chem | (not project.chemical)
        ok_land = area >= need
        ok_free = pl.excluded < 0
        p_site_ok = ok_chem & ok_land & ok_free
    # ---- clusters ----------------------------------------------------------------------------
    cl = ctx.cluster_locations
    c_key = Fits(c_fits, fit_scores(c_fits, [not bool(v) for v in ctx.clusters["plan_named"]], config),
                  np.arange(len(ctx.clusters)))  # fmt: skip
    c_factors = factor_scores(project, ctx, cl, c_key, config, yield_score)
    n_c = len(ctx.clusters)
    free_mu, largest, n_ok = np.zeros(n_c), np.zeros(n_c), np.zeros(n_c, dtype=int)
    if has_plots:
        usable = ok_free & (pl.cluster >= 0)
        np.add.at(free_mu, pl.cluster[usable & ok_land], area[usable & ok_land])
        np.maximum.at(largest, pl.cluster[usable], area[usable])
        np.add.at(n_ok, pl.cluster[usable & ok_land], 1)
        c_factors["free_land"] = np.minimum(1.0, free_mu / (project.land_mu * config.land_full_ratio))
    else:
        c_factors["free_land"] = np.zeros(n_c)
    c_site_ok = chem_ok_cluster & ((n_ok > 0) | (not has_plots))

    clusters = pd.DataFrame({"id": ctx.clusters["id"], "name": ctx.clusters["name"]})
    clusters = pd.concat([clusters, points_table(c_factors, weights)], axis=1)
    clusters["site_ok"] = c_site_ok
    clusters["compliant"] = c_site_ok & (not std_zh)
    clusters["fit_level"] = [f.level for f in c_fits]
    clusters["free_land_mu"] = free_mu.round(1)
    clusters["largest_plot_mu"] = largest.round(1)
    rel_axes = relevant_axes(project, ctx)
    clusters["axis_km"] = (cl.axis_m[:, rel_axes].min(axis=1) / 1000).round(1)
    reasons = [
        _reasons(project, ctx, config, c_fits[i], cl, i, weights, c_factors, rel_axes,
                 land=(free_mu[i], largest[i], n_ok[i], has_plots, True),
                 yield_info=(yield_value[i], yield_rank[i], cluster_yield is not None),
                 failures=_failures(chem_ok_cluster[i], chem_rule, has_plots and n_ok[i] == 0, None, std_zh, std_en,
                                    project, config))
        for i in range(n_c)
    ]  # fmt: skip
    clusters["reasons_zh"] = [r[0] for r in reasons]
    clusters["reasons_en"] = [r[1] for r in reasons]
    clusters["failed_zh"] = [r[2] for r in reasons]
    clusters["failed_en"] = [r[3] for r in reasons]
    clusters = _rank(clusters)

    if has_plots:
        plots = ctx.plots[["id"]].copy()
        plots["name"] = ctx.plots["name"] if "name" in ctx.plots else ctx.plots["id"].astype(str)
        plots = pd.concat([plots.reset_index(drop=True), points_table(p_factors, weights)], axis=1)
        plots["site_ok"] = p_site_ok
        plots["compliant"] = p_site_ok & (not std_zh)
        plots["cluster"] = np.append(ctx.clusters["name"].to_numpy(object), "")[pl.cluster]
        plots["area_mu"] = area.round(1)
        plots["fit_level"] = np.array([f.level for f in p_fits.fits], dtype=object)[p_fits.key_of]
        plots["axis_km"] = (pl.axis_m[:, rel_axes].min(axis=1) / 1000).round(1)
        plots["geometry"] = ctx.plot_geoms_wgs84
        plots["_pos"] = np.arange(len(plots))
        plots = gpd.GeoDataFrame(_rank(plots), geometry="geometry", crs=WGS84)
        idx = plots.pop("_pos").to_numpy()
        texts = [
            _reasons(project, ctx, config, p_fits.fits[p_fits.key_of[i]], pl, i, weights, p_factors, rel_axes,
                     land=(area[i], area[i], int(ok_land[i]), True, False),
                     yield_info=(yield_value[pl.cluster[i]] if pl.cluster[i] >= 0 else np.nan,
                                 yield_rank[pl.cluster[i]] if pl.cluster[i] >= 0 else 0, cluster_yield is not None),
                     failures=_failures(bool(ok_chem[i]), chem_rule, not ok_land[i], _zone_name(ctx, pl.excluded[i]),
                                        std_zh, std_en, project, config))
            for i in idx[:top_plots]
        ]  # fmt: skip
        empty: list[str] = []
        for col, j in (("reasons_zh", 0), ("reasons_en", 1), ("failed_zh", 2), ("failed_en", 3)):
            plots[col] = [t[j] for t in texts] + [empty] * (len(plots) - len(texts))
    else:
        plots = gpd.GeoDataFrame({"id": [], "name": [], "score": [], "compliant": []}, geometry=[], crs=WGS84)
    return SiteResult(project, config, clusters, plots, weights, notes_zh, notes_en, samples_zh, samples_en)


def _zone_name(ctx: SitingContext, index: int) -> str | None:
    if index < 0:
        return None
    return str(ctx.exclusion["name"].iloc[int(index)]) if "name" in ctx.exclusion else f"#{index + 1}"


def _failures(
    chem_ok: bool,
    chem_rule: tuple[bool, str, str],
    no_land: bool,
    excluded_zone: str | None,
    std_zh: list[str],
    std_en: list[str],
    project: ProjectSpec,
    config: SitingConfig,
) -> tuple[list[str], list[str]]:
    """The rules a candidate does not meet (zh, en)."""
    zh, en = list(std_zh), list(std_en)
    if not chem_ok:
        zh.append(chem_rule[1])
        en.append(chem_rule[2])
    if no_land:
        minimum = project.land_mu * (1 - config.land_tolerance)
        zh.append(f"【不符合 · 用地】无不小于 {minimum:,.0f} 亩的可供地块")
        en.append(f"[Not compliant · land] no available plot of at least {minimum:,.0f} mu")
    if excluded_zone is not None:
        zh.append(f"【不符合 · 禁止建设区】地块与“{excluded_zone}”重叠")
        en.append(f"[Not compliant · exclusion zone] the plot overlaps {excluded_zone}")
    return zh, en


def _reasons(project, ctx, config, fit, loc, i, weights, factors, rel_axes, land, yield_info, failures):
    """Reason lines (zh, en) for candidate ``i``, plus its failed rules (zh, en)."""
    zh, en = list(fit.reasons_zh), list(fit.reasons_en)
    a = rel_axes[int(np.argmin(loc.axis_m[i, rel_axes]))]
    axis_name, axis_en = ctx.axes["name"].iloc[a], ctx.axes["name_en"].iloc[a]
    d_km = loc.axis_m[i, a] / 1000
    zh.append(f"距{axis_name}中心线 {d_km:.1f} km（示意线）")
    en.append(f"{d_km:.1f} km from the {axis_en} centreline (schematic)")
    node_weights = config.node_weights(project.industry)
    for k in sorted(range(len(NODE_KINDS)), key=lambda k: -node_weights[NODE_KINDS[k]])[:2]:
        j = loc.node_nearest[i, k]
        if j < 0 or node_weights[NODE_KINDS[k]] <= 0:
            continue
        node = ctx.nodes.iloc[int(j)]
        kind_zh, kind_en = NODE_KIND_NAMES[NODE_KINDS[k]]
        zh.append(f"最近{kind_zh}：{node['name']} {loc.node_m[i, k] / 1000:.1f} km")
        en.append(f"nearest {kind_en.lower()}: {node['name_en']} {loc.node_m[i, k] / 1000:.1f} km")
    free, largest, n_ok, has_plots, is_cluster = land
    if has_plots and is_cluster:
        zh.append(
            f"可供地：{n_ok} 块满足需求，共 {free:,.0f} 亩；最大地块 {largest:,.0f} 亩（需 {project.land_mu:,.0f} 亩）"
        )
        en.append(f"free land: {n_ok} plots large enough, {free:,.0f} mu in all; largest {largest:,.0f} mu")
    elif has_plots:
        zh.append(f"地块面积 {free:,.1f} 亩（需求 {project.land_mu:,.0f} 亩）")
        en.append(f"plot area {free:,.1f} mu (need {project.land_mu:,.0f} mu)")
    value, rank, loaded = yield_info
    if loaded and np.isfinite(value):
        zh.append(f"集聚区亩均税收 {value:,.1f} 万元/亩（Σ税收÷Σ亩），在已评价集聚区中列第 {rank} 位")
        en.append(f"cluster tax per mu {value:,.1f} (10k CNY/mu, ratio of sums), rank {rank} among rated clusters")
    elif loaded:
        zh.append("集聚区亩产效益：参评企业不足 3 家或不在集聚区内，按中位计")
        en.append("cluster efficiency: fewer than 3 rated firms or outside clusters, scored as median")
    parts = "，".join(f"{FACTOR_NAMES[f][0]} {factors[f][i] * w:.1f}" for f, w in weights.items())
    zh.append(f"得分构成（满分 100）：{parts}")
    en.append("score: " + ", ".join(f"{FACTOR_NAMES[f][1]} {factors[f][i] * w:.1f}" for f, w in weights.items()))
    return zh, en, failures[0], failures[1]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints JSON (``--json``) or a table. Exit code 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m analysis.siting", description="选址分析 / site selection")
    parser.add_argument("--industry", required=True, help="产业（规划用语，如 新能源汽车、集成电路、高端化工）")
    parser.add_argument("--land-mu", required=True, type=float, help="用地需求（亩）")
    parser.add_argument("--investment-wan", type=float, help="固定资产投资（万元）")
    parser.add_argument("--tax-wan", type=float, help="达产年税收（万元）")
    parser.add_argument("--energy-tce", type=float, help="年综合能耗（吨标准煤）")
    parser.add_argument("--top", type=int, default=5, help="列出前 K 个集聚区和地块（默认 5）")
    parser.add_argument("--config", type=Path, help="参数文件 TOML（默认：非官方默认参数）")
    parser.add_argument("--plots", type=Path, help="可供地块文件（默认：内置合成样例）")
    parser.add_argument("--exclusion", type=Path, help="禁止建设区文件（默认：内置示例）")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    from geo.io import GeoIOError
    from layers import load_layers
    from layers.imports import import_layer
    from layers.siting_layers import exclusion_zones, plots

    try:
        if args.top < 1:
            raise ProjectError("--top 须 ≥ 1 / --top must be ≥ 1")
        project = make_project(args.industry, args.land_mu, args.investment_wan, args.tax_wan, args.energy_tce)
        config = load_siting_config(args.config)
        layers = load_layers(["districts", "bay_areas", "axes", "clusters", "transport_nodes"])
        inputs = {}
        for kind, path, sample in (("plots", args.plots, plots), ("exclusion_zones", args.exclusion, exclusion_zones)):
            if path is None:
                inputs[kind] = sample()
                continue
            checked = import_layer(path, kind)
            for note in checked.notes_zh if args.lang == "zh" else checked.notes_en:
                print(f"注意 / note ({path.name}): {note}", file=sys.stderr)
            inputs[kind] = checked.gdf
        ctx = build_context(layers, exclusion=inputs["exclusion_zones"], plots=inputs["plots"])
        result = rank_sites(project, ctx, config, top_plots=args.top)
    except UnknownIndustryError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except (ProjectError, SitingConfigError, GeoIOError, ValueError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    data = result.to_json(top=args.top, lang=args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    for note in data["notes"]:
        print(f"注意 / note: {note}")
    for title, rows in (("集聚区 / clusters", data["clusters"]), ("地块 / plots", data["plots"])):
        print(f"\n{title}")
        for r in rows:
            mark = "✓" if r["compliant"] else "✗"
            print(f"  {mark} {r['score']:6.1f}  {r['name']}")
            for line in r["failed"] + r["reasons"][:3]:
                print(f"           {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
