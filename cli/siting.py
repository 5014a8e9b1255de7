"""``python -m analysis.siting``: rank clusters and plots for a project, or give the verdict at a point.

Command line::

    python -m analysis.siting --industry 新能源汽车零部件 --land-mu 200 --investment-wan 80000 \\
        --tax-wan 6000 --top 5 --json
    python -m analysis.siting --industry 新能源汽车零部件 --land-mu 200 --at 120.47,36.45 --json
    python -m analysis.siting --industry 食品 --land-mu 50 --ahp 判断矩阵.toml --sensitivity 1000 --json

``--ahp`` takes the factor weights from a pairwise comparison matrix (:mod:`analysis.siting.ahp`):
the principal eigenvector, with the consistency ratio in the output and a warning at CR ≥ 0.1.
``--sensitivity N`` draws the weights N times around the chosen ones (±20 %, :mod:`analysis.siting.sensitivity`)
and adds ``top1_share`` and ``top3_share`` to each cluster and plot, with Kendall's τ and the
one-weight-at-a-time table under ``sensitivity``. ``--regions K --region-mu N`` finds the best K
contiguous regions of at least N 亩 on the 100 m suitability raster (:mod:`analysis.siting.regions`),
``--region-spacing`` metres apart; "none found" is an answer, said under ``regions_note``.
``--report FILE.docx`` or ``FILE.pdf`` writes the site-study report (:mod:`files.study_report`) with what
was asked for (sensitivity, scenarios, AHP). ``--scenario FILE`` (repeatable; :mod:`analysis.siting.scenarios`)
ranks the project under each named parameter set too and puts the rankings side by side under
``scenarios``: ranks, scores, the change of rank against the current parameters and Kendall's τ.

Text in Chinese, or English with ``--lang en``; exit code 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from analysis.siting.ahp import load_ahp
from analysis.siting.config import SitingConfigError, load_siting_config
from analysis.siting.context import build_context
from analysis.siting.project import ProjectError, UnknownIndustryError, make_project
from analysis.siting.rank import rank_sites, verdict_at
from analysis.siting.scenarios import Comparison, Scenario, compare, load_scenario, run_scenarios
from analysis.siting.sensitivity import Sensitivity, sensitivity

__all__ = ["main"]


def _point(text: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in text.replace("，", ",").split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"须为 经度,纬度 / must be LON,LAT (WGS84), got {text!r}") from exc
    return lon, lat


def _add_shares(data: dict, stability: Sensitivity) -> None:
    """Each cluster and plot of the JSON with its top-1 and top-3 shares; the summary as ``sensitivity``."""
    for key, frame in (("clusters", stability.clusters), ("plots", stability.plots)):
        shares = frame.set_index("id")[["top1_share", "top3_share"]]
        for item in data[key]:
            row = shares.loc[item["id"]] if item["id"] in shares.index else None
            item["top1_share"] = 0.0 if row is None else round(float(row["top1_share"]), 4)
            item["top3_share"] = 0.0 if row is None else round(float(row["top3_share"]), 4)
    data["sensitivity"] = stability.summary()


def _comparison_json(comparison: Comparison) -> dict:
    """Names, Kendall's τ and per cluster its rank, score and change of rank (vs the first) in each scenario."""
    n = len(comparison.names)

    def rows(frame: pd.DataFrame) -> list[dict]:
        return [{"id": r["id"], "name": r["name"], "ranks": [int(r[f"rank_{i}"]) for i in range(n)],
                 "scores": [float(r[f"score_{i}"]) for i in range(n)],
                 "compliant": [bool(r[f"compliant_{i}"]) for i in range(n)],
                 "changes": [int(r[f"change_{i}"]) for i in range(1, n)]} for _, r in frame.iterrows()]  # fmt: skip

    return {"names": comparison.names, "tau": [round(t, 4) for t in comparison.tau],
            "clusters": rows(comparison.clusters), "plots": rows(comparison.plots)}  # fmt: skip


def _write_report(args, result, layers, exclusion, stability, comparison, ahp) -> None:
    """The site-study report (:mod:`files.study_report`) for ``--report``, written atomically."""
    from datetime import date

    from files.study_report import StudyReport, quality_notes, report_maps, write_study_report
    from layers.build import city_outline, context_land
    from webmap.siting_map import SitingMapData

    today = date.today().isoformat()
    data = SitingMapData(layers["clusters"], layers["axes"], exclusion, layers["transport_nodes"],
                         roads=layers["roads"], top_plots=args.top)  # fmt: skip
    used = {k: layers[k] for k in ("clusters", "axes", "transport_nodes", "roads")}
    quality = quality_notes({**used, "exclusion_zones": exclusion, "plots": result.plots}, args.lang)
    maps = report_maps(result, data, city_outline(), context_land(), args.lang, today)
    report = StudyReport(result, args.lang, today, maps, stability, comparison, ahp, quality=quality,
                         top_plots=args.top)  # fmt: skip
    write_study_report(args.report, report)
    print(f"报告 / report: {args.report}", file=sys.stderr)


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
    parser.add_argument(
        "--ahp", type=Path, help="层次分析法判断矩阵 TOML（factors、matrix）：以特征向量权重替换因子权重"
    )
    parser.add_argument("--plots", type=Path, help="可供地块文件（默认：内置合成样例）")
    parser.add_argument("--exclusion", type=Path, help="禁止建设区文件（默认：内置示例）")
    parser.add_argument("--sensitivity", type=int, metavar="N",
                        help="权重敏感性：N 次随机扰动权重（±20%%），"
                             "给出各集聚区、地块排第一和前三的比例及 Kendall τ")  # fmt: skip
    parser.add_argument("--regions", type=int, metavar="K",
                        help="在 100 米适宜性栅格上找最好的 K 个连片区域（合规、避开禁止建设区）")  # fmt: skip
    parser.add_argument("--region-mu", type=float, metavar="N", help="每个区域至少 N 亩（默认为用地需求）")
    parser.add_argument("--region-spacing", type=float, default=1000.0, metavar="M",
                        help="区域之间至少相距 M 米（默认 1000）")  # fmt: skip
    parser.add_argument("--scenario", type=Path, action="append", metavar="FILE",
                        help="方案文件 TOML（参数 + [scenario] name、corridor_km、exclusion），可重复："
                             "与当前参数的排名并列比较，给出名次变化和 Kendall τ")  # fmt: skip
    parser.add_argument("--report", type=Path, metavar="FILE.docx|FILE.pdf",
                        help="选址研究报告（Word 或 PDF）：项目与参数、地图、排名、理由、"
                             "稳定性、方案比较、数据说明")  # fmt: skip
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(argv)
    from geo.io import GeoIOError
    from i18n.render import render_all
    from layers import load_layers
    from layers.imports import import_layer
    from layers.plan import load_plan
    from layers.siting_layers import exclusion_zones, plots

    try:
        if args.top < 1:
            raise ProjectError("--top 须 ≥ 1 / --top must be ≥ 1")
        if args.report is not None and args.report.suffix.lower() not in (".docx", ".pdf"):
            raise ValueError(f"--report 须为 .docx 或 .pdf / --report must end in .docx or .pdf: {args.report}")
        if args.report is not None and args.at is not None:
            raise ValueError("--report 与 --at 不能同用 / --report and --at cannot be used together")
        plan = load_plan()
        project = make_project(plan, args.industry, args.land_mu, args.investment_wan, args.tax_wan, args.energy_tce)
        config = load_siting_config(args.config, plan)
        ahp = None
        if args.ahp is not None:  # the weights from a committee's pairwise judgements
            ahp = load_ahp(args.ahp)
            config = config.with_changes(weights=ahp.config_weights())
            if ahp.warning() is not None:
                print(f"注意 / note: {ahp.warning()[0 if args.lang == 'zh' else 1]}", file=sys.stderr)  # type: ignore[index]
        layers = load_layers(["districts", "bay_areas", "axes", "clusters", "transport_nodes", "roads"])
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
            verdict = verdict_at(project, ctx, config, *args.at)
            verdict["failures"] = render_all(verdict["failures"], args.lang)  # type: ignore[arg-type]
            verdict["reasons"] = render_all(verdict["reasons"], args.lang)  # type: ignore[arg-type]
        else:
            result = rank_sites(project, ctx, config, top_plots=args.top)
            stability = sensitivity(result, args.sensitivity) if args.sensitivity is not None else None
            comparison = None
            if args.scenario:  # the current parameters are the base; each file a scenario beside them
                base = Scenario("当前参数" if args.lang == "zh" else "current", config)
                others = [load_scenario(path, plan) for path in args.scenario]
                comparison = compare(run_scenarios(project, ctx, [base, *others], top_plots=args.top), top=args.top)
            if args.report is not None:
                _write_report(args, result, layers, inputs["exclusion_zones"], stability, comparison, ahp)
            found = None
            if args.regions is not None:
                from analysis.siting.regions import find_regions
                from analysis.siting.suitability import suitability_surface
                from layers.build import city_outline

                surface = suitability_surface(project, ctx, city_outline(), config)
                found = find_regions(surface, args.region_mu or args.land_mu, args.regions, args.region_spacing)
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
    if ahp is not None:
        data["ahp"] = ahp.as_dict(args.lang)
    if stability is not None:
        _add_shares(data, stability)
    if comparison is not None:
        data["scenarios"] = _comparison_json(comparison)
    if found is not None:
        data["regions"] = [{**{k: row[k] for k in ("rank", "area_mu", "mean_score", "min_score")},
                            "centroid": [round(row.geometry.centroid.x, 5), round(row.geometry.centroid.y, 5)],
                            "wkt": row.geometry.wkt} for _, row in found.regions.iterrows()]  # fmt: skip
        if found.reason is not None:
            data["regions_note"] = found.reason[0 if args.lang == "zh" else 1]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    for note in data["notes"]:
        print(f"注意 / note: {note}")
    if ahp is not None:
        shown = "  ".join(f"{f} {w:.1%}" for f, w in ahp.weights.items())
        print(f"AHP 权重 / weights: {shown}  (CR = {ahp.cr:.3f}{'' if ahp.consistent else ' ≥ 0.1'})")
    if found is not None:
        print("\n区域 / regions")
        for r in data["regions"]:
            lon, lat = r["centroid"]
            print(f"  {r['rank']}. {r['area_mu']:,.0f} 亩  均分 {r['mean_score']:.1f}  中心 {lon}, {lat}")
        if "regions_note" in data:
            print(f"  {data['regions_note']}")
    if comparison is not None:
        heads = [f"{n} (τ {t:.2f})" for n, t in zip(comparison.names, comparison.tau, strict=True)]
        print("\n方案比较 / scenarios: " + " | ".join(heads))
        for row in data["scenarios"]["clusters"]:
            moves = "  ".join(f"{r}{'' if c is None else f' ({c:+d})' if c else ''}"
                              for r, c in zip(row["ranks"], [None, *row["changes"]], strict=True))  # fmt: skip
            print(f"  {moves}  {row['name']}")
    for title, rows in (("集聚区 / clusters", data["clusters"]), ("地块 / plots", data["plots"])):
        print(f"\n{title}")
        for r in rows:
            mark = "✓" if r["compliant"] else "✗"
            shares = f"  首位 {r['top1_share']:.0%} 前三 {r['top3_share']:.0%}" if "top1_share" in r else ""
            print(f"  {mark} {r['score']:6.1f}  {r['name']}{shares}")
            for line in r["failed"] + r["reasons"][:3]:
                print(f"           {line}")
    return 0
