"""Best contiguous regions on the 100 m suitability raster (issue 14, 5): ours next to a brute-force search.

Run: ``python -m benchmarks.regions`` (``--mu`` 亩 per region, default 500; ``--k`` regions, default 3).
Prints, in one run: the suitability raster of a project over Qingdao's land (100 m cells; for
reference), ours — :func:`analysis.siting.regions.find_regions` (goal ≤ 2 s) — and a brute force
that grows a region from each of the 300 best cells and keeps the best mean (one region only),
with the mean score each finds. The plots and exclusion zones are the bundled samples.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from analysis.siting.config import load_siting_config
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.regions import _grow, find_regions
from analysis.siting.suitability import suitability_surface
from geo.measure import M2_PER_MU
from layers import load_layers
from layers.build import city_outline
from layers.plan import load_plan
from layers.siting_layers import exclusion_zones, plots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.regions")
    parser.add_argument("--mu", type=float, default=500.0)
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args(argv)
    plan = load_plan()
    ctx = build_context(load_layers(), plan, exclusion=exclusion_zones(), plots=plots())
    project = make_project(plan, "食品", args.mu)
    start = time.perf_counter()
    surface = suitability_surface(project, ctx, city_outline(), load_siting_config(None, plan))
    raster = time.perf_counter() - start
    start = time.perf_counter()
    ours = find_regions(surface, args.mu, args.k)
    took = time.perf_counter() - start
    values = np.asarray(surface.values, dtype=np.float64)
    valid = np.isfinite(values)
    need = math.ceil(args.mu / (surface.cell_m**2 / M2_PER_MU) - 1e-9)
    start = time.perf_counter()
    best = -1.0
    for flat in np.argsort(np.where(valid, values, -np.inf), axis=None)[::-1][:300]:
        seed = np.unravel_index(int(flat), values.shape)
        region = _grow(values, valid, (int(seed[0]), int(seed[1])), need)
        if region is not None:
            best = max(best, float(values[tuple(np.array(region).T)].mean()))
    brute = time.perf_counter() - start
    cells = int(valid.sum())
    print(f"suitability raster: {values.shape[0]}×{values.shape[1]} cells of {surface.cell_m:g} m, {cells:,} allowed "
          f"({raster:.1f} s)")  # fmt: skip
    found = ours.regions
    print(f"ours ({args.k} regions of ≥ {args.mu:g} 亩, 1 km apart): {took:5.2f} s (goal ≤ 2 s); mean scores "
          f"{', '.join(f'{v:.1f}' for v in found['mean_score'])}")  # fmt: skip
    print(f"brute force (1 region, 300 seeds)   : {brute:5.2f} s; best mean {best:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
