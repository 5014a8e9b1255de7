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

from analysis.assess import Assessment, assess, assess_at, cluster_land, plot_land, standard_land_failures
from analysis.plan_fit import chemical_rule, project_notes
from analysis.project import ProjectError, ProjectSpec, UnknownIndustryError, make_project
from analysis.siting_config import SitingConfig, SitingConfigError, load_siting_config
from analysis.siting_context import Locations, SitingContext, build_context
from analysis.siting_scores import relevant_axes, yield_scores
from geo.crs import WGS84, to_metric_xy
from layers.plan import NODE_KINDS
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


_STANDARD_NAMES = {"investment": ("投资强度", "investment intensity"), "tax": ("亩均税收", "tax per mu"),
                   "tax_per_tce": ("单位能耗税收", "tax per tce")}  # fmt: skip


def standard_land_check(project: ProjectSpec, config: SitingConfig) -> tuple[list[str], list[str]]:
    """标准地 thresholds the project does not meet, as text (zh, en); empty when it meets all it reports."""
    zh, en = [], []
    tag = "默认参数，非官方" if not config.official else "本地参数"
    for f in standard_land_failures(project, config):
        name_zh, name_en = _STANDARD_NAMES[f.key]
        zh.append(f"【不符合 · 标准地（{tag}）】{name_zh} {f.value:,.1f} {f.unit} < {f.minimum:,.1f} {f.unit}")
        en.append(f"[Not compliant · 标准地 threshold] {name_en} {f.value:,.1f} {f.unit} < {f.minimum:,.1f} {f.unit}")
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
    config: SitingConfig,
    cluster_yield: pd.DataFrame | None = None,
    top_plots: int = 20,
) -> SiteResult:
    """Rank the clusters and candidate plots of ``ctx`` for ``project`` (verdicts from :func:`analysis.assess.assess`).

    Parameters
    ----------
    project : ProjectSpec
        From :func:`analysis.project.make_project`.
    ctx : SitingContext
        From :func:`analysis.siting_context.build_context`.
    config : SitingConfig
        Weights and thresholds (:func:`analysis.siting_config.load_siting_config`).
    cluster_yield : DataFrame, optional
        亩产效益 by cluster (:func:`analysis.aggregate.aggregate_zones` on ``clusters``: ``id``,
        ``tax_per_mu``, ``suppressed``); without it the land_yield factor is left out.
    top_plots : int
        Plots that get written reasons (all plots are scored and ranked).
    """
    std_zh, std_en = standard_land_check(project, config)
    notes_zh, notes_en = list(std_zh), list(std_en)
    pz, pe = project_notes(ctx.plan, project)
    notes_zh += pz
    notes_en += pe
    has_plots = ctx.plot_locations is not None
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

    rel_axes = relevant_axes(project, ctx)

    # ---- clusters ----------------------------------------------------------------------------
    cl = ctx.cluster_locations
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
    reasons = [_texts(project, ctx, config, ca, cl, i, cluster_yield) for i in range(n_c)]
    clusters["reasons_zh"] = [r[0] for r in reasons]
    clusters["reasons_en"] = [r[1] for r in reasons]
    clusters["failed_zh"] = [r[2] for r in reasons]
    clusters["failed_en"] = [r[3] for r in reasons]
    clusters = _rank(clusters)

    # ---- plots -------------------------------------------------------------------------------
    if not has_plots:
        plots = gpd.GeoDataFrame({"id": [], "name": [], "score": [], "compliant": []}, geometry=[], crs=WGS84)
        return SiteResult(project, config, clusters, plots, ca.weights, notes_zh, notes_en, samples_zh, samples_en)
    pl = ctx.plot_locations
    pa = assess(project, ctx, config, pl, plot_land(ctx, project, config), cluster_yield)
    area = pl.area_mu
    plots = ctx.plots[["id"]].copy()
    plots["name"] = ctx.plots["name"] if "name" in ctx.plots else ctx.plots["id"].astype(str)
    plots = pd.concat([plots.reset_index(drop=True), pa.points], axis=1)
    plots["site_ok"] = pa.site_ok
    plots["compliant"] = pa.compliant
    plots["cluster"] = np.append(ctx.clusters["name"].to_numpy(object), "")[pl.cluster]
    plots["area_mu"] = area.round(1)
    plots["fit_level"] = pa.fit_levels()
    plots["axis_km"] = (pl.axis_m[:, rel_axes].min(axis=1) / 1000).round(1)
    plots["geometry"] = ctx.plot_geoms_wgs84
    plots["_pos"] = np.arange(len(plots))
    plots = gpd.GeoDataFrame(_rank(plots), geometry="geometry", crs=WGS84)
    idx = plots.pop("_pos").to_numpy()
    texts = [_texts(project, ctx, config, pa, pl, i, cluster_yield) for i in idx[:top_plots]]
    empty: list[str] = []
    for col, j in (("reasons_zh", 0), ("reasons_en", 1), ("failed_zh", 2), ("failed_en", 3)):
        plots[col] = [t[j] for t in texts] + [empty] * (len(plots) - len(texts))
    return SiteResult(project, config, clusters, plots, ca.weights, notes_zh, notes_en, samples_zh, samples_en)


def _texts(project: ProjectSpec, ctx: SitingContext, config: SitingConfig, a: Assessment, loc: Locations, i: int,
           cluster_yield: pd.DataFrame | None) -> tuple[list[str], list[str], list[str], list[str]]:  # fmt: skip
    """Reasons and failed rules (zh, en, failed zh, failed en) of location ``i`` of assessment ``a``."""
    _, value, rank = yield_scores(ctx, cluster_yield)
    c = int(loc.cluster[i])
    std_zh, std_en = standard_land_check(project, config)
    land = a.land
    land_info = (land.area_mu[i], land.largest_mu[i], int(land.count[i]), land.checked, land.kind == "cluster")
    failures = _failures(bool(a.chemical_ok[i]), chemical_rule(ctx.plan, project, False), not a.land_ok[i],
                         _zone_name(ctx, int(a.excluded[i])), std_zh, std_en, project, config)  # fmt: skip
    return _reasons(project, ctx, config, a.fit(i), loc, i, a.weights, a.factors, relevant_axes(project, ctx),
                    land=land_info, yield_info=(value[c] if c >= 0 else np.nan, rank[c] if c >= 0 else 0,
                                                cluster_yield is not None), failures=failures)  # fmt: skip


def verdict_at(
    project: ProjectSpec,
    ctx: SitingContext,
    config: SitingConfig,
    lon: float,
    lat: float,
    cluster_yield: pd.DataFrame | None = None,
    lang: str = "zh",
) -> dict[str, object]:
    """The verdict at one point (WGS84), exactly as the ranking states it there.

    Returns
    -------
    dict
        ``compliant`` (bool), ``score`` (0–100, the ranking's scale), ``cluster`` (the cluster's
        name, or None), ``fit_level``, ``failures`` and ``reasons`` (text in ``lang``), and
        ``unit``: ``"plot"`` (the point lies in a candidate plot, whose verdict this is),
        ``"cluster"`` (in a cluster outside every plot: the cluster's verdict, its land included)
        or ``"spot"`` (elsewhere: the spot itself, land not checked), with ``id`` of that plot or cluster.

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
    reasons_zh, reasons_en, failed_zh, failed_en = _texts(project, ctx, config, a, loc, row, cluster_yield)
    c = int(loc.cluster[row])
    return {
        "compliant": bool(a.compliant[row]),
        "score": _rounded(a.score[row]),
        "cluster": str(ctx.clusters["name"].iloc[c]) if c >= 0 else None,
        "fit_level": a.fit(row).level,
        "failures": failed_zh if lang == "zh" else failed_en,
        "reasons": reasons_zh if lang == "zh" else reasons_en,
        "unit": unit,
        "id": _plain(ident),
    }


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


def _point(text: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in text.replace("，", ",").split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"须为 经度,纬度 / must be LON,LAT (WGS84), got {text!r}") from exc
    return lon, lat


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints JSON (``--json``) or a table. Exit code 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m analysis.siting", description="选址分析 / site selection")
    parser.add_argument("--industry", required=True, help="产业（规划用语，如 新能源汽车、集成电路、高端化工）")
    parser.add_argument("--land-mu", required=True, type=float, help="用地需求（亩）")
    parser.add_argument("--investment-wan", type=float, help="固定资产投资（万元）")
    parser.add_argument("--tax-wan", type=float, help="达产年税收（万元）")
    parser.add_argument("--energy-tce", type=float, help="年综合能耗（吨标准煤）")
    parser.add_argument("--top", type=int, default=5, help="列出前 K 个集聚区和地块（默认 5）")
    parser.add_argument("--at", type=_point, metavar="LON,LAT",
                        help="该点（WGS84）的结论，与排名一致 / the verdict at a point, as ranked")  # fmt: skip
    parser.add_argument("--config", type=Path, help="参数文件 TOML（默认：非官方默认参数）")
    parser.add_argument("--plots", type=Path, help="可供地块文件（默认：内置合成样例）")
    parser.add_argument("--exclusion", type=Path, help="禁止建设区文件（默认：内置示例）")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    from geo.io import GeoIOError
    from layers import load_layers
    from layers.imports import import_layer
    from layers.plan import load_plan
    from layers.siting_layers import exclusion_zones, plots

    try:
        if args.top < 1:
            raise ProjectError("--top 须 ≥ 1 / --top must be ≥ 1")
        plan = load_plan()
        project = make_project(plan, args.industry, args.land_mu, args.investment_wan, args.tax_wan, args.energy_tce)
        config = load_siting_config(args.config, plan)
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
        ctx = build_context(layers, plan, exclusion=inputs["exclusion_zones"], plots=inputs["plots"])
        if args.at is not None:
            verdict = verdict_at(project, ctx, config, *args.at, lang=args.lang)
        else:
            result = rank_sites(project, ctx, config, top_plots=args.top)
    except UnknownIndustryError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except (ProjectError, SitingConfigError, GeoIOError, ValueError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    if args.at is not None:
        if args.json:
            print(json.dumps(verdict, ensure_ascii=False, indent=2, allow_nan=False))
            return 0
        zh = args.lang == "zh"
        mark = ("符合" if zh else "compliant") if verdict["compliant"] else ("不符合" if zh else "not compliant")
        print(f"{mark}  {verdict['score']}/100  {verdict['cluster'] or '—'}  ({verdict['fit_level']})")
        for line in [*verdict["failures"], *verdict["reasons"]]:  # type: ignore[misc]
            print(f"  {line}")
        return 0
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
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
