"""``python -m analysis.land_yield``: evaluate an enterprise table and write the results.

Command line::

    python -m analysis.land_yield --input firms.xlsx [--config my.toml] --out results.xlsx

``--out`` by extension: ``.xlsx`` (sheets 评价结果, 问题清单, 区市汇总, 集聚区汇总, 评价参数),
``.csv`` (results, UTF-8 with BOM) or ``.geojson`` (located firms, RFC 7946). A summary (firms
per class, per district) is printed; invalid input gives a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.land_yield.config import ConfigError, load_config
from analysis.land_yield.enterprises import COORD_SYSTEMS
from analysis.land_yield.pipeline import Evaluation, InputError, evaluate_table
from analysis.land_yield.report import class_summary
from analysis.land_yield.schema import SAMPLE_LABEL
from files.enterprises import read_enterprises
from files.results import write_results
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
    lines.extend(f"注意 / note: {n}" for n in ev.config.notes)
    if ev.synthetic:
        lines.insert(0, f"注意：{SAMPLE_LABEL} / note: synthetic sample data, not real enterprises")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 ok, 2 invalid input)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.land_yield", description="亩产效益评价 / land-use efficiency evaluation"
    )
    parser.add_argument("--input", required=True, type=Path, help="企业表 .csv/.xlsx/.geojson/.gpkg")
    parser.add_argument("--config", type=Path, help="参数文件 TOML（默认：非官方默认参数）")
    parser.add_argument("--coords", choices=COORD_SYSTEMS, default="auto",
                        help="经纬度坐标系（默认 auto：按表头识别 百度/高德，否则 WGS84）")  # fmt: skip
    parser.add_argument("--out", required=True, type=Path, help="输出 .xlsx/.csv/.geojson")
    args = parser.parse_args(argv)
    from layers import load_layers

    try:
        config = load_config(args.config)
        if args.out.suffix.lower() not in (".xlsx", ".csv", ".geojson"):
            raise InputError("输出格式须为 .xlsx、.csv 或 .geojson / --out must end in .xlsx, .csv or .geojson")
        if not args.out.parent.is_dir():
            raise InputError(f"输出目录不存在 / output folder does not exist: {args.out.parent}")
        refuse_same_file(args.input, args.out)
        layers = load_layers(["districts", "clusters"])
        ev = evaluate_table(read_enterprises(args.input), config, layers["districts"], args.coords)
        write_results(ev, args.out, layers)
    except (InputError, ConfigError, GeoIOError, SameFileError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print(_summary(ev))
    errors = ev.issues[ev.issues["severity"] == "error"]
    for message in errors["message_zh"].head(10):
        print(message, file=sys.stderr)
    if len(errors) > 10:
        print(f"… 另有 {len(errors) - 10} 条错误，见输出文件的“问题清单” / {len(errors) - 10} more", file=sys.stderr)
    print(f"→ {args.out}")
    return 0
