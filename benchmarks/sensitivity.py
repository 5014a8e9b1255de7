"""Sensitivity of a site ranking over many plots (issue 14, 3): ours next to re-ranking per draw.

Run: ``python -m benchmarks.sensitivity`` (``--n 100000`` plots, ``--draws 1000``; ``--quick`` for
10,000 plots and 200 draws). Prints, in one run:

1. one query (:func:`analysis.siting.rank.rank_sites`) for reference;
2. ours — :func:`analysis.siting.sensitivity.sensitivity`: factor scores recovered from the
   ranking's points, draws scored in float32 chunks (goal ≤ 3 s for 1,000 draws over 100,000 plots);
3. the naive way — :func:`rank_sites` again for each draw with the drawn weights, timed over a few
   draws and extrapolated to all of them;

and checks that both agree on the first plot of the draws timed. All plots are synthetic (:mod:`samples.sites`).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analysis.siting.config import FACTORS, load_siting_config
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.sensitivity import sensitivity
from layers import load_layers
from layers.plan import load_plan
from samples.sites import synthetic_plots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sensitivity")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    n, draws = (10_000, 200) if args.quick else (args.n, args.draws)
    plan = load_plan()
    layers = load_layers()
    plots = synthetic_plots(n, layers["clusters"], layers["axis_corridors"], seed=7, drop_overlaps=False)
    ctx = build_context(layers, plan, plots=plots)
    config = load_siting_config(None, plan)
    project = make_project(plan, "新能源汽车", 200)
    start = time.perf_counter()
    result = rank_sites(project, ctx, config)
    query = time.perf_counter() - start
    start = time.perf_counter()
    ours = sensitivity(result, draws)
    took = time.perf_counter() - start
    # naive: rank again with each draw's weights (the same draws as ours: the same seeded generator)
    rng = np.random.default_rng(ours.seed)
    used = [f for f, w in result.weights.items() if w > 0]
    base = np.array([result.weights[f] for f in used])
    drawn = base[:, None] * rng.uniform(1 - ours.spread, 1 + ours.spread, size=(len(used), draws))
    timed = min(draws, 5)
    firsts = []
    start = time.perf_counter()
    for k in range(timed):
        weights = {f: 0.0 for f in FACTORS} | {f: float(drawn[i, k]) for i, f in enumerate(used)}
        again = rank_sites(project, ctx, config.with_changes(weights=weights))
        firsts.append(str(again.plots["id"].iloc[0]))
    naive = (time.perf_counter() - start) / timed * draws
    print(f"synthetic plots: {len(result.plots):,}, draws: {draws:,} (all data synthetic)")
    print(f"one query (rank_sites)           : {query:6.2f} s")
    print(f"ours (sensitivity, {draws} draws)   : {took:6.2f} s  (goal ≤ 3 s for 1,000 draws over 100,000 plots)")
    print(
        f"naive (rank_sites per draw)      : {naive:6.1f} s  (extrapolated from {timed} draws)  "
        f"→ ours {naive / took:,.0f}× faster"
    )
    print(f"τ clusters mean {ours.tau_clusters.mean():.3f}, τ top-100 plots mean {ours.tau_plots.mean():.3f}; "
          f"first plot in {ours.plots['top1_share'].iloc[0]:.0%} of draws ({ours.plots['id'].iloc[0]})")  # fmt: skip
    print(f"naive first plots of the draws timed: {sorted(set(firsts))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
