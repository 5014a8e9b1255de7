"""``python -m analysis.land_yield``: evaluate an enterprise table and write the results.

Command line::

    python -m analysis.land_yield --input firms.xlsx [--config my.toml] --out results.xlsx
    python -m analysis.land_yield --input 税务.xlsx --input 能耗.csv --input 地块.gpkg \
        [--prefer 税收=税务] [--columns 表头映射.json] [--year 2025] [--previous 2024结果.xlsx] --out results.xlsx

Several ``--input`` are departments' tables joined by 统一社会信用代码 (named by their file
names; ``NAME=FILE`` names one explicitly); ``--prefer FIELD=SOURCE`` says which source wins a
field when values conflict (default: the order of ``--input``); ``--columns`` maps headers the
schema does not know to fields (a JSON object ``{"纳税总额": "tax"}``, as the page saves it).
``--previous`` compares with an earlier year's result (a file this command wrote): 上年类别,
类别变化, 连续D类年数 and each indicator's change are added, with a class transition matrix.
``--objections`` applies an objection register (the page's download): classes changed on review
are used by every output and marked. ``--notice FILE.xlsx|FILE.docx`` writes the 公示名单 per
class and district besides (firms' figures only with ``--notice-figures``).

``--out`` by extension: ``.xlsx`` (sheets 评价结果, 问题清单, 区市汇总, 集聚区汇总, 评价参数),
``.csv`` (results, UTF-8 with BOM) or ``.geojson`` (located firms, RFC 7946). A summary (firms
per class, per district) is printed; invalid input gives a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from analysis.land_yield.config import ConfigError, load_config
from analysis.land_yield.enterprises import COORD_SYSTEMS
from analysis.land_yield.low_efficiency import LowEfficiencyRules, RulesError, low_efficiency
from analysis.land_yield.objections import ObjectionError
from analysis.land_yield.pipeline import (
    Evaluation,
    InputError,
    Source,
    apply_objections_to,
    apply_policy_to,
    compare_previous,
    evaluate_sources,
    join_sheets,
)
from analysis.land_yield.policy import PolicyError, load_policy, policy_totals
from analysis.land_yield.relocation import relocation_candidates
from analysis.land_yield.report import class_summary
from analysis.land_yield.schema import SAMPLE_LABEL
from cli.sources import named_inputs, preferences, read_header_map, with_year
from files.candidates import candidate_sheets, low_efficiency_table, relocation_table, write_candidates
from files.enterprises import read_enterprises
from files.notice import NoticeOptions, read_objections, write_notice
from files.results import read_result, write_results
from geo.atomic import SameFileError, refuse_same_file
from geo.io import GeoIOError

__all__ = ["main"]


def _summary(ev: Evaluation) -> str:
    counts = class_summary(ev.result)
    by_district = class_summary(ev.result, "district")
    lines = [
        "输入 {input} 行 = 参评 {rated} + T 类 {new} + 不在评价范围 {out_of_scope} + 数据错误 {errors} + "
        "合并 {merged} / {input} rows = {rated} rated + {new} new (T) + {out_of_scope} out of scope + "
        "{errors} data errors + {merged} merged".format(**ev.accounting()),
        f"参数：{ev.config.title} / {ev.config.title_en}",
        "类别 / class: " + "  ".join(f"{c} {n}" for c, n in counts.iloc[0].items()),
        "",
        by_district.to_string(),
    ]
    if ev.joined is not None:
        sources = join_sheets(ev.joined)["数据来源"].drop(columns="提供字段")
        lines[1:1] = ["来源 / sources:", sources.to_string(index=False),
                      f"取值冲突 / conflicting values: {len(ev.joined.conflicts)}；仅见于一个来源的代码 / codes in one "
                      f"source only: {len(ev.joined.unmatched)}（详见输出文件 / see the output file）"]  # fmt: skip
    if ev.previous is not None:
        year = ev.previous.year or "?"
        lines[1:1] = [f"与上年（{year}）比较 / compared with {year}:", ev.previous.matrix.to_string()]
        lines.extend(f"注意 / note: {zh} / {en}" for zh, en in ev.previous.warnings)
        flagged = int((ev.result["consecutive_d"] >= 2).sum())
        lines.append(f"连续两年及以上 D 类 / rated D two or more years in a row: {flagged}")
    if ev.objections:
        changed = int((ev.result["objection"] == "changed").sum())
        lines.append(f"异议登记 {len(ev.objections)} 条，类别调整 {changed} 家 / {len(ev.objections)} objections, "
                     f"{changed} classes changed")  # fmt: skip
        lines.extend(f"注意 / note: {zh} / {en}" for zh, en in ev.objection_warnings)
    if ev.policy is not None:
        totals = policy_totals(ev.result, "class").set_index("class")["diff_total"]
        shown = "  ".join(f"{c} {v:,.0f} 元" if not math.isnan(v) else f"{c} —" for c, v in totals.items())
        lines.append(f"差别化价格（{ev.policy.title}）合计 / differentiated amounts (CNY): {shown}")
        missing = int((ev.result["policy_note_zh"] != "").sum())
        if missing:
            lines.append(f"注意 / note: {missing} 家企业缺少用电、用气或用水量，相应金额未计算（见“差别化说明”）")
    lines.extend(f"注意 / note: {n}" for n in ev.config.notes)
    if ev.synthetic:
        lines.insert(0, f"注意：{SAMPLE_LABEL} / note: synthetic sample data, not real enterprises")
    return "\n".join(lines)


def _candidates(ev: Evaluation, relocation: Path | None, low: Path | None, rules: LowEfficiencyRules,
                layers: dict) -> list[str]:  # fmt: skip
    """Write the relocation and low-efficiency candidates asked for; the summary lines to print."""
    lines = []
    if relocation is not None:
        from analysis.siting.config import load_siting_config
        from analysis.siting.context import build_context
        from layers import load_layers
        from layers.plan import load_plan

        plan = load_plan()
        ctx = build_context(load_layers(), plan)
        found = relocation_candidates(ev.result, plan, ctx, load_siting_config(None, plan))
        table = relocation_table(ev.result, found, plan)
        write_candidates(relocation, candidate_sheets("relocation", ev.result, table, found), ev.result, found.index)
        counts = found["priority"].value_counts()
        n = {p: int(counts.get(p, 0)) for p in ("required", "guided", "fits_here")}
        lines.append(f"搬迁入园候选 / relocation candidates: {len(found)}（必须入园 {n['required']}，引导集聚 "
                     f"{n['guided']}，所在地仍符合规划 {n['fits_here']}）→ {relocation}")  # fmt: skip
    if low is not None:
        result = low_efficiency(ev.result, rules)
        table = low_efficiency_table(ev.result, result)
        sheets = candidate_sheets("low_efficiency", ev.result, table, result.candidates, notes=result.notes)
        write_candidates(low, sheets, ev.result, result.candidates.index)
        land = float(result.candidates["land_mu"].sum())
        lines.append(f"低效用地候选 / low-efficiency candidates: {len(result.candidates)} 家，{land:,.1f} 亩 → {low}")
        lines.extend(f"注意 / note: {zh} / {en}" for zh, en in result.notes)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 ok, 2 invalid input)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.land_yield", description="亩产效益评价 / land-use efficiency evaluation"
    )
    parser.add_argument(
        "--input",
        required=True,
        action="append",
        help="企业表 .csv/.xlsx/.geojson/.gpkg；可重复（多部门数据按统一社会信用代码合并），可写 名称=文件",
    )
    parser.add_argument(
        "--prefer",
        action="append",
        default=[],
        metavar="FIELD=SOURCE",
        help="字段取值冲突时优先的来源，如 税收=税务（默认按 --input 顺序）",
    )
    parser.add_argument("--columns", type=Path, help='表头映射 JSON：{"纳税总额": "tax"}')
    parser.add_argument("--year", type=int, help="评价年度（默认取参数文件的 evaluation_year）")
    parser.add_argument(
        "--policy",
        help="差别化价格参数 TOML，或 default（内置示例，非官方）：按类别计算每家企业的差别化电费、气费、水费",
    )
    parser.add_argument(
        "--previous",
        type=Path,
        help="上年评价结果（本程序输出的 .xlsx/.csv）：增加 上年类别、类别变化、连续D类年数、指标变化",
    )
    parser.add_argument(
        "--objections",
        type=Path,
        help="异议登记表 .csv/.xlsx（页面“公示与异议”下载的格式）：复核调整的类别用于所有输出并注明",
    )
    parser.add_argument(
        "--notice",
        type=Path,
        action="append",
        default=[],
        help="另写公示名单 .xlsx 或 .docx（按类别、区市；可重复）",
    )
    parser.add_argument("--notice-figures", action="store_true",
                        help="公示名单含企业指标（默认不含：企业数据保密）")  # fmt: skip
    parser.add_argument("--relocation", type=Path,
                        help="另写搬迁入园候选 .xlsx 或 .geojson：规划指向特定集聚区（化工：进区入园）"
                             "而位于其外的企业")  # fmt: skip
    parser.add_argument("--low-efficiency", type=Path, help="另写低效用地候选 .xlsx 或 .geojson")
    parser.add_argument("--low-tax-share", type=float, default=LowEfficiencyRules.tax_share_of_median,
                        help="低效：亩均税收低于全市中位数的此比例（0–1，默认 0.5，示例，非官方；0 不用）")  # fmt: skip
    parser.add_argument("--low-d-years", type=int, default=LowEfficiencyRules.d_years,
                        help="低效：连续 D 类年数（默认 2；需 --previous；0 不用）")  # fmt: skip
    parser.add_argument("--low-min-mu", type=float, default=LowEfficiencyRules.min_land_mu,
                        help="低效：只看用地不少于此亩数的企业（默认 0）")  # fmt: skip
    parser.add_argument("--config", type=Path, help="参数文件 TOML（默认：非官方默认参数）")
    parser.add_argument("--coords", choices=COORD_SYSTEMS, default="auto",
                        help="经纬度坐标系（默认 auto：按表头识别 百度/高德，否则 WGS84）")  # fmt: skip
    parser.add_argument("--out", required=True, type=Path, help="输出 .xlsx/.csv/.geojson")
    args = parser.parse_args(argv)
    from layers import load_layers
    from layers.plan import load_plan

    try:
        config = load_config(args.config)
        if args.year is not None:
            config = with_year(config, args.year)
        if args.out.suffix.lower() not in (".xlsx", ".csv", ".geojson"):
            raise InputError("输出格式须为 .xlsx、.csv 或 .geojson / --out must end in .xlsx, .csv or .geojson")
        for out in (args.out, *args.notice):
            if not out.parent.is_dir():
                raise InputError(f"输出目录不存在 / output folder does not exist: {out.parent}")
        for extra in (args.relocation, args.low_efficiency):
            if extra is not None:
                if extra.suffix.lower() not in (".xlsx", ".geojson"):
                    raise InputError(f"候选清单须为 .xlsx 或 .geojson / must end in .xlsx or .geojson: {extra}")
                if not extra.parent.is_dir():
                    raise InputError(f"输出目录不存在 / output folder does not exist: {extra.parent}")
                refuse_same_file(extra, args.out)
        outputs = [p.resolve() for p in (args.out, *args.notice, args.relocation, args.low_efficiency) if p]
        if len(set(outputs)) < len(outputs):
            raise InputError("两个输出指向同一文件 / two outputs name the same file")
        rules = LowEfficiencyRules(args.low_tax_share, args.low_d_years, True, args.low_min_mu)
        for notice in args.notice:
            if notice.suffix.lower() not in (".xlsx", ".docx"):
                raise InputError(f"公示名单须为 .xlsx 或 .docx / --notice must end in .xlsx or .docx: {notice}")
            refuse_same_file(notice, args.out)
        inputs = named_inputs(args.input)
        for path in inputs.values():
            refuse_same_file(path, args.out)
        header_map = read_header_map(args.columns) if args.columns else {}
        prefer = preferences(args.prefer)
        layers = load_layers(["districts", "clusters"])
        sources = [Source(name, read_enterprises(path), header_map, args.coords) for name, path in inputs.items()]
        policy = None if args.policy is None else load_policy(None if args.policy == "default" else Path(args.policy))
        previous = None
        if args.previous is not None:
            refuse_same_file(args.previous, args.out)
            previous = read_result(args.previous)
        ev = evaluate_sources(sources, config, layers["districts"], prefer)
        if args.objections is not None:
            refuse_same_file(args.objections, args.out)
            ev = apply_objections_to(ev, read_objections(args.objections, ev.result))
        if previous is not None:
            ev = compare_previous(ev, previous.firms, previous.config, previous.year)
        if policy is not None:
            ev = apply_policy_to(ev, policy)
        write_results(ev, args.out, layers, load_plan())
        for notice in args.notice:
            options = NoticeOptions(ev.config.evaluation_year, "zh", args.notice_figures, ev.synthetic)
            write_notice(ev.result, notice, options)
        extra_lines = _candidates(ev, args.relocation, args.low_efficiency, rules, layers)
    except (InputError, ConfigError, PolicyError, ObjectionError, RulesError, GeoIOError, SameFileError,
            OSError) as exc:  # fmt: skip
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print(_summary(ev))
    for line in extra_lines:
        print(line)
    errors = ev.issues[ev.issues["severity"] == "error"]
    for message in errors["message_zh"].head(10):
        print(message, file=sys.stderr)
    if len(errors) > 10:
        print(f"… 另有 {len(errors) - 10} 条错误，见输出文件的“问题清单” / {len(errors) - 10} more", file=sys.stderr)
    print(f"→ {args.out}")
    for notice in args.notice:
        print(f"→ {notice}")
    return 0
