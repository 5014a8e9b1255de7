"""Command line for the plan layers.

    python -m layers list
    python -m layers export --out DIR [--format geojson|gpkg|shp] [--crs EPSG:4326|EPSG:4490|EPSG:4549]
                            [--layers id,id,...] [--corridor-km 5]

Errors print one line on stderr and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo.crs import EXPORT_CRS, CRSChoiceError
from geo.io import GeoIOError
from layers.catalogue import CatalogueError
from layers.export import FORMATS, export_layers
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            _list()
        else:
            _export(args)
    except (UnknownLayerError, CRSChoiceError, GeoIOError, CatalogueError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
