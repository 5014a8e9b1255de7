"""The yearly 亩产效益 work at city scale (issue 13): the join of five departments' tables and five years, each
next to a naive pandas merge-and-loop baseline measured in the same run.

Run: ``python -m benchmarks.yearly`` (``--n`` firms, default 100,000; ``--quick`` for 20,000). Prints:

1. five sources × N firms (tax, statistics, energy, emissions, land parcels — parcels add rows) joined by
   统一社会信用代码 and evaluated (file reading excluded): ours (:func:`evaluate_sources`) vs. a naive
   pandas ``merge`` of the five tables with a per-row loop choosing each field's value and adding
   parcels, then the same evaluation (goal ≤ 2 s);
2. five years of N evaluated firms: class changes and the transition matrix of each pair of years,
   consecutive D years and trends per district over all years — ours (:mod:`analysis.land_yield.history`)
   vs. a per-firm Python loop over dictionaries (goal ≤ 2 s);
3. the peak memory (resident set) of each run, each in a fresh process (goal ≤ 2 GB).

All data are synthetic (``samples.departments``).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from analysis.land_yield.config import default_config
from analysis.land_yield.history import class_changes, consecutive_d, transition_matrix, trends
from analysis.land_yield.pipeline import Source, evaluate_sources, evaluate_table
from analysis.land_yield.schema import FIELDS
from analysis.land_yield.sources import normalise_codes
from layers import load_layers
from samples.departments import department_tables, synthetic_years

YEARS = range(2021, 2026)


def _tables(n: int, year: int = 2025) -> dict[str, pd.DataFrame]:
    layers = load_layers(["districts", "clusters"])
    firms = synthetic_years(n, layers["districts"], layers["clusters"], range(year, year + 1))[year]
    tables = department_tables(firms, seed=1)
    return {name: frame.astype(str).replace("nan", "").assign(_row=np.arange(len(frame)) + 2)
            for name, frame in tables.items()}  # fmt: skip


def _naive_join(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A pandas merge of the tables on the code, then a loop over rows choosing each field's first value."""
    headers = {f.zh for f in FIELDS} | {"用地面积(平方米)", "用电量(万千瓦时)"}
    merged = None
    for name, frame in tables.items():
        f = frame.drop(columns="_row").copy()
        f["code"] = normalise_codes(f.pop("统一社会信用代码"))
        if "用地面积(平方米)" in f:  # parcels: added up per firm
            f["用地面积(亩)"] = pd.to_numeric(f.pop("用地面积(平方米)")) / 666.6667
            f = f.groupby("code", as_index=False)["用地面积(亩)"].sum()
        if "用电量(万千瓦时)" in f:
            f["用电量(千瓦时)"] = pd.to_numeric(f.pop("用电量(万千瓦时)"), errors="coerce") * 1e4
        kept = [c for c in f.columns if c in headers]
        f = f[["code", *kept]].rename(columns={c: f"{c}@{name}" for c in kept})
        merged = f if merged is None else merged.merge(f, on="code", how="outer")
    assert merged is not None
    fields: dict[str, list[str]] = {}
    for column in merged.columns:
        if "@" in column:
            fields.setdefault(column.split("@")[0], []).append(column)
    rows = []
    for _, row in merged.iterrows():  # the loop: the first source that has a value wins
        out = {"统一社会信用代码": row["code"]}
        for field, columns in fields.items():
            out[field] = next((row[c] for c in columns if pd.notna(row[c]) and row[c] != ""), "")
        rows.append(out)
    return pd.DataFrame(rows)


def _join(n: int, naive: bool) -> dict[str, float]:
    tables = _tables(n)
    config = default_config()
    rows = sum(len(t) for t in tables.values())
    start = time.perf_counter()
    if naive:
        ev = evaluate_table(_naive_join(tables), config)
    else:
        ev = evaluate_sources([Source(name, frame) for name, frame in tables.items()], config)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": rows,
        "firms": len(ev.result),
        "rated": int((ev.result["status"] == "rated").sum()),
    }


def _history(n: int) -> dict[int, pd.DataFrame]:
    layers = load_layers(["districts", "clusters"])
    out = {}
    for year, firms in synthetic_years(n, layers["districts"], layers["clusters"], YEARS).items():
        config = dataclasses.replace(default_config(), evaluation_year=year)
        table = firms.rename(columns={f.id: f.zh for f in FIELDS}).drop(columns=["synthetic"])
        out[year] = pd.DataFrame(evaluate_table(table, config).result.drop(columns="geometry"))
    return out


def _naive_years(history: dict[int, pd.DataFrame]) -> tuple:
    """Per firm, a loop over dictionaries of each year's classes and figures."""
    years = sorted(history)
    by_year = {y: {r["credit_code"]: r for r in history[y][["credit_code", "class", "tax_per_mu", "district",
                                                              "status", "land_mu", "tax"]].to_dict("records")}
               for y in years}  # fmt: skip
    matrices = []
    for before, after in itertools.pairwise(years):
        counts: dict[tuple[str, str], int] = {}
        for code, firm in by_year[after].items():
            prev = by_year[before].get(code)
            key = (prev["class"] if prev else "new", firm["class"])
            counts[key] = counts.get(key, 0) + 1
        for code, firm in by_year[before].items():
            if code not in by_year[after]:
                counts[(firm["class"], "gone")] = counts.get((firm["class"], "gone"), 0) + 1
        matrices.append(counts)
    streaks = {}
    for code in by_year[years[-1]]:
        streak = 0
        for y in reversed(years):
            if by_year[y].get(code, {}).get("class") == "D":
                streak += 1
            else:
                break
        streaks[code] = streak
    sums: dict[tuple[int, str], list[float]] = {}
    for y in years:
        for firm in by_year[y].values():
            if firm["status"] == "rated":
                s = sums.setdefault((y, firm["district"]), [0.0, 0.0])
                s[0] += firm["tax"]
                s[1] += firm["land_mu"]
    return matrices, streaks, {k: v[0] / v[1] for k, v in sums.items()}


def _years(n: int, naive: bool) -> dict[str, float]:
    history = _history(n)
    start = time.perf_counter()
    if naive:
        _naive_years(history)
    else:
        years = sorted(history)
        for before, after in itertools.pairwise(years):
            class_changes(history[after], history[before])
            transition_matrix(history[after], history[before])
        consecutive_d(history)
        trends(history, "district")
    return {"seconds": time.perf_counter() - start, "firms": sum(len(h) for h in history.values())}


def _child(part: str, n: int, naive: bool) -> dict[str, float]:
    """Run one measurement in a fresh process; its figures and peak resident memory (MB)."""
    proc = subprocess.run([sys.executable, "-m", "benchmarks.yearly", "--child", part, "--n", str(n),
                           *(["--naive"] if naive else [])], capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.yearly", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="20,000 firms")
    parser.add_argument("--child", choices=("join", "years"), help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n = 20_000 if args.quick else args.n
    if args.child:
        figures = (_join if args.child == "join" else _years)(n, args.naive)
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0
    print(f"synthetic firms: {n:,} (all data synthetic)")
    for part, goal, what in (("join", 2.0, "five sources joined by credit code and evaluated"),
                             ("years", 2.0, "five years: transitions, consecutive D, trends")):  # fmt: skip
        ours, naive = _child(part, n, False), _child(part, n, True)
        print(f"\n{what}")
        extra = f" ({ours['rows']:,} rows → {ours['firms']:,} firms)" if part == "join" else ""
        print(f"  ours : {ours['seconds']:6.2f} s, peak {ours['peak_mb']:,.0f} MB{extra}  (goal ≤ {goal:g} s, ≤ 2 GB)")
        print(f"  naive: {naive['seconds']:6.2f} s, peak {naive['peak_mb']:,.0f} MB  "
              f"(pandas merge + per-row loop; {naive['seconds'] / ours['seconds']:.0f}× slower)")  # fmt: skip
        if part == "join":
            print(f"  rated firms: ours {ours['rated']:,}, naive {naive['rated']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
