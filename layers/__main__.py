"""Command line for the plan layers.

    python -m layers list
    python -m layers import --kind plots|exclusion_zones|districts|clusters|transport_nodes --input FILE
                           --out FILE.geojson|.gpkg [--coords auto|wgs84|gcj02|bd09]
    python -m layers export --out DIR [--format geojson|gpkg|shp] [--crs EPSG:4326|EPSG:4490|EPSG:4549]
                            [--layers id,id,...] [--corridor-km 5]

Errors print one line on stderr and exit with status 2; no traceback. Every output file is
written atomically (:mod:`geo.atomic`): after a failure the previous file is unchanged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.atomic import refuse_same_file
from geo.checks import COORD_CHOICES
from geo.crs import EXPORT_CRS, CRSChoiceError
from geo.io import GeoIOError
from geo.write import write_geojson, write_gpkg
from layers.catalogue import CatalogueError
from layers.export import FORMATS, export_layers
from layers.imports import IMPORT_KINDS, import_layer
from layers.registry import LAYER_IDS, UnknownLayerError, load_layers, spec


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m layers", description="青岛制造业规划图层 / Qingdao plan layers")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="列出图层 / list layers with feature counts and data quality")
    exp = sub.add_parser("export", help="导出图层 / export layers")
    exp.add_argument("--out", required=True, help="输出目录 / output folder")
    exp.add_argument("--format", default="geojson", choices=FORMATS)
    exp.add_argument("--crs", default="EPSG:4326", help=f"one of {', '.join(EXPORT_CRS)}")
    exp.add_argument("--layers", default="", help=f"comma-separated ids (default all): {','.join(LAYER_IDS)}")
    exp.add_argument("--corridor-km", type=float, default=5.0, help="轴带廊道单侧宽度 km / corridor half width")
    imp = sub.add_parser("import", help="导入并检查数据 / import and check a layer (plots, zones, boundaries…)")
    imp.add_argument("--kind", required=True, choices=IMPORT_KINDS)
    imp.add_argument("--input", required=True, type=Path, help="GeoJSON / GeoPackage / 压缩 Shapefile")
    imp.add_argument("--out", required=True, type=Path, help="输出 .geojson 或 .gpkg（WGS84）")
    imp.add_argument("--coords", default="auto", choices=COORD_CHOICES, help="输入坐标系（默认自动检测偏移）")
    return parser


def _list() -> None:
    loaded = load_layers()
    print(f"{'id':<16}{'features':>9}  {'quality':<26}title")
    for layer_id, gdf in loaded.items():
        qualities = gdf["geometry_quality"].value_counts()
        quality = ", ".join(f"{q} {n}" for q, n in qualities.items())
        s = spec(layer_id)
        print(f"{layer_id:<16}{len(gdf):>9}  {quality:<26}{s.title} / {s.title_en}")


def _export(args: argparse.Namespace) -> None:
    ids = [i.strip() for i in args.layers.split(",") if i.strip()] or None
    layers = load_layers(ids, corridor_half_width_m=args.corridor_km * 1000)
    for path in export_layers(layers, args.out, args.format, args.crs):
        print(path)


def _import(args: argparse.Namespace) -> None:
    suffix = args.out.suffix.lower()
    if suffix not in (".geojson", ".gpkg"):
        raise ValueError("--out 须为 .geojson 或 .gpkg / --out must end in .geojson or .gpkg")
    refuse_same_file(args.input, args.out)  # a SameFileError is a ValueError: exit code 2
    checked = import_layer(args.input, args.kind, coords=args.coords)
    for note in checked.notes_zh:
        print(f"注意 / note: {note}")
    if suffix == ".gpkg":
        write_gpkg({args.kind: checked.gdf}, args.out)
    else:
        write_geojson(checked.gdf, args.out)
    print(f"{len(checked.gdf)} features → {args.out}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            _list()
        elif args.command == "import":
            _import(args)
        else:
            _export(args)
    except BrokenPipeError:
        raise  # the reader of stdout went away (| head): cli.pipes.quiet_pipe ends quietly
    except (UnknownLayerError, CRSChoiceError, GeoIOError, CatalogueError, ValueError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
