"""Reproducible SYNTHETIC site-selection data: candidate plots and exclusion zones (not real data).

* **Plots (可供地块)**: rectangles of 10–800 亩 (lognormal, median ≈ 60 亩), rotated at random,
  70 % inside the cluster footprints (every cluster gets some, large ones included), the rest in
  the axis corridors; overlapping candidates are dropped. Every plot says it is synthetic
  (``data_nature`` = ``合成样例数据（非真实地块）``, name ``样例地块…``).
* **Exclusion zones (禁止建设区示例)**: discs around a few well-known protected landscapes and
  reservoirs, clipped to land. Positions and extents are illustrative only — not the official
  ecological red line (生态保护红线), which is not public in machine-readable form.

Regenerate the bundled files with ``python -m samples.sites --out data/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC, WGS84, metric_geometry, to_metric, to_wgs84
from geo.measure import M2_PER_MU
from geo.pointquery import random_points_in

__all__ = [
    "EXCLUSION_LABEL",
    "PLOT_LABEL",
    "sample_exclusion_zones",
    "synthetic_plots",
]

PLOT_LABEL = "合成样例数据（非真实地块）"
PLOT_LABEL_EN = "Synthetic sample data (not real plots)"
EXCLUSION_LABEL = "示例数据（位置与范围为示意，非官方生态保护红线）"
EXCLUSION_LABEL_EN = "Sample data (illustrative position and extent, not the official ecological red line)"
SAMPLE_SEED = 20251127

# name, name_en, kind, lon, lat, radius in km — approximate landmarks, drawn as discs
_ZONES = (
    ("崂山风景名胜区（示例）", "Laoshan scenic area (sample)", "生态保护", 120.60, 36.18, 9.0),
    ("大泽山（示例）", "Dazeshan (sample)", "生态保护", 119.99, 36.97, 4.0),
    ("大珠山（示例）", "Dazhushan (sample)", "生态保护", 119.96, 35.77, 4.0),
    ("小珠山（示例）", "Xiaozhushan (sample)", "生态保护", 120.10, 35.97, 4.5),
    ("产芝水库水源保护区（示例）", "Chanzhi reservoir protection zone (sample)", "水源保护", 120.43, 36.92, 3.0),
)


def sample_exclusion_zones(land: shapely.Geometry) -> gpd.GeoDataFrame:
    """Illustrative exclusion zones (EPSG:4326), clipped to ``land`` (WGS84 polygon)."""
    pts = to_metric(gpd.GeoSeries(gpd.points_from_xy([z[3] for z in _ZONES], [z[4] for z in _ZONES]), crs=WGS84))
    land_m = metric_geometry(land)
    discs = shapely.intersection(
        shapely.buffer(pts.values, np.array([z[5] for z in _ZONES]) * 1000, quad_segs=32), land_m
    )
    gdf = gpd.GeoDataFrame(
        {
            "id": [f"X{i + 1:02d}" for i in range(len(_ZONES))],
            "name": [z[0] for z in _ZONES],
            "name_en": [z[1] for z in _ZONES],
            "kind": [z[2] for z in _ZONES],
            "geometry_quality": "synthetic",
            "source": EXCLUSION_LABEL,
            "data_nature": EXCLUSION_LABEL,
        },
        geometry=discs,
        crs=METRIC,
    )
    return to_wgs84(gdf)


def _rectangles(xy: np.ndarray, area_m2: np.ndarray, aspect: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotated rectangles centred on ``xy`` (metres) with the given areas, vectorised."""
    w = np.sqrt(area_m2 * aspect)
    h = area_m2 / w
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    local = corners[None, :, :] * np.stack([w, h], axis=1)[:, None, :]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x = xy[:, 0:1] + local[..., 0] * cos - local[..., 1] * sin
    y = xy[:, 1:2] + local[..., 0] * sin + local[..., 1] * cos
    return shapely.polygons(np.stack([x, y], axis=-1))


def _drop_overlaps(geoms: np.ndarray) -> np.ndarray:
    """Indices of geometries kept when each one overlapping an earlier one is dropped."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    later = right > left
    clash = np.zeros(len(geoms), dtype=bool)
    # greedy in order: a plot is dropped if it meets an earlier plot that is itself kept
    pairs = sorted(zip(right[later].tolist(), left[later].tolist(), strict=True))
    for j, i in pairs:
        if not clash[i]:
            clash[j] = True
    return np.flatnonzero(~clash)


def synthetic_plots(
    n: int,
    clusters: gpd.GeoDataFrame,
    corridors: gpd.GeoDataFrame,
    seed: int = SAMPLE_SEED,
    drop_overlaps: bool = True,
) -> gpd.GeoDataFrame:
    """``n`` synthetic candidate plots (EPSG:4326) in the clusters and axis corridors.

    Parameters
    ----------
    n : int
        Number of plots wanted (fewer may come back when overlapping candidates are dropped).
    clusters, corridors : GeoDataFrame
        The plan layers ``clusters`` and ``axis_corridors``.
    seed : int
        Random seed; the same seed gives the same plots.
    drop_overlaps : bool
        Drop candidates that overlap an earlier one (quadratic in dense areas; off for benchmarks).

    Returns
    -------
    GeoDataFrame
        ``id``, ``name``, ``area_mu``, ``land_use``, ``status``, ``data_nature``,
        ``geometry_quality`` (``"synthetic"``), ``source`` and polygon geometry.
    """
    if n < 1:
        raise ValueError(f"n must be ≥ 1, got {n}")
    rng = np.random.default_rng(seed)
    m = int(n * 1.4) + 20 if drop_overlaps else n
    zones_c = to_metric(clusters).geometry.to_numpy()
    corridor_union = shapely.union_all(to_metric(corridors).geometry.to_numpy())
    zones_a = np.array([shapely.difference(corridor_union, shapely.union_all(zones_c))], dtype=object)
    in_cluster = rng.random(m) < 0.7
    in_cluster[: 3 * len(zones_c)] = True  # every cluster gets at least three candidates
    weights = shapely.area(zones_c) ** 0.5  # small clusters still get their share
    which = rng.choice(len(zones_c), size=m, p=weights / weights.sum())
    which[: 3 * len(zones_c)] = np.repeat(np.arange(len(zones_c)), 3)
    xy = np.empty((m, 2))
    xy[in_cluster] = random_points_in(zones_c, which[in_cluster], rng)
    xy[~in_cluster] = random_points_in(zones_a, np.zeros((~in_cluster).sum(), dtype=int), rng)
    area_mu = np.clip(rng.lognormal(np.log(60), 0.9, m), 10, 800)
    area_mu[: 3 * len(zones_c) : 3] = rng.uniform(250, 600, len(zones_c))  # one large plot per cluster
    geoms = _rectangles(xy, area_mu * M2_PER_MU, rng.uniform(1.0, 2.5, m), rng.uniform(0, np.pi, m))
    keep = _drop_overlaps(geoms)[:n] if drop_overlaps else np.arange(m)
    geoms = geoms[keep]
    ids = np.arange(1, len(keep) + 1)
    gdf = gpd.GeoDataFrame(
        {
            "id": [f"P{i:06d}" for i in ids],
            "name": [f"样例地块{i:06d}（合成）" for i in ids],
            "area_mu": np.round(shapely.area(geoms) / M2_PER_MU, 1),
            "land_use": "工业用地（M）",
            "status": "可供",
            "data_nature": PLOT_LABEL,
            "geometry_quality": "synthetic",
            "source": f"{PLOT_LABEL}：python -m samples.sites --seed {seed}",
        },
        geometry=geoms,
        crs=METRIC,
    )
    return to_wgs84(gdf)


def main(argv: list[str] | None = None) -> int:
    """``python -m samples.sites --out DIR [--n N] [--seed S]``: write the bundled samples."""
    from geo.io import GeoIOError
    from geo.write import write_geojson
    from layers import load_layers
    from layers.build import city_outline

    parser = argparse.ArgumentParser(prog="python -m samples.sites", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--n", type=int, default=600, help="number of plots (default 600)")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    args = parser.parse_args(argv)
    if not args.out.is_dir() or args.n < 1:
        print("错误 / error: --out must be an existing folder and --n ≥ 1", file=sys.stderr)
        return 2
    layers = load_layers(["clusters", "axis_corridors"])
    plots = synthetic_plots(args.n, layers["clusters"], layers["axis_corridors"], args.seed)
    try:  # each file atomic: a failed write leaves the previous file
        write_geojson(plots, args.out / "sample_plots.geojson", precision=6)
        write_geojson(sample_exclusion_zones(city_outline()), args.out / "sample_exclusion_zones.geojson")
    except GeoIOError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(plots)} synthetic plots and {len(_ZONES)} sample exclusion zones → {args.out}")
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
