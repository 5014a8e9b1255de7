"""The worst hostile inputs: time and peak memory of our readers next to a naive read in the same run.

Run: ``python -m benchmarks.hostile`` (``--baseline-seconds 20`` caps each naive read).

Each case runs in a fresh process, so its peak memory is its own: the proportional set size
(PSS, shared pages counted once) of the process and every process it started (the forkserver and
its parse workers), sampled every 20 ms. Ours: the readers every upload and CLI uses (sniffed,
allow-listed, counted, parsed in a bounded worker). Naive: what a plain GeoPandas/pandas script
does with the same bytes (``gpd.read_file``, ``pd.read_excel``, ``make_valid``), stopped at the
cap. Goal (issue 10): no case of ours above
10 s or 500 MB. All inputs are generated here; nothing is read from outside the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.limits import LIMITS
from tests.test_resource_limits import polygon_geojson, xlsx

ROOT = Path(__file__).resolve().parents[1]
OURS = """
import sys, time
from analysis.land_yield.pipeline import InputError
from files.enterprises import read_enterprises
from geo.io import GeoIOError
from layers.imports import import_layer
path, kind = sys.argv[1], sys.argv[2]
start = time.perf_counter()
try:
    if kind == "idle":  # the server's own share: interpreter, libraries, a forkserver with one worker run
        from geo.bounded import run_bounded
        out = f"idle {run_bounded(divmod, 7, 2)}"
        time.sleep(0.5)
    elif kind == "table":
        out = f"{len(read_enterprises(open(path, 'rb').read(), path))} rows"
    else:
        out = f"{len(import_layer((open(path, 'rb').read(), path), 'plots').gdf)} features"
except (InputError, GeoIOError) as exc:
    out = str(exc).split(" / ")[0][:60]
print(f"{time.perf_counter() - start:.3f}|{out}")
"""
NAIVE = """
import sys, time
path, kind = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if kind == "table":
    import pandas as pd
    frame = pd.read_excel(path) if path.endswith(".xlsx") else pd.read_csv(path)
    out = f"{len(frame)} rows"
else:
    import geopandas as gpd, shapely
    gdf = gpd.read_file(path)
    gdf.geometry = shapely.make_valid(gdf.geometry.values)
    out = f"{len(gdf)} features: " + ", ".join(map(str, gdf.iloc[0].drop("geometry", errors="ignore").tolist()))[:40]
print(f"{time.perf_counter() - start:.3f}|{out}")
"""
VRT = (
    '<OGRVRTDataSource><OGRVRTLayer name="plots"><SrcDataSource>{ws}</SrcDataSource>'
    "<SrcSQL>SELECT username AS name, password_hash FROM users</SrcSQL></OGRVRTLayer></OGRVRTDataSource>"
)


def _cases(folder: Path) -> list[tuple[str, str, Path]]:
    """(description, kind, file) of each worst case, written into ``folder``."""
    files = {
        "XLSX declaring 1,048,576 rows": ("table", "rows.xlsx", xlsx(1_048_576)),
        f"CSV of {LIMITS.max_rows + 1:,} rows (over the limit)": (
            "table",
            "rows.csv",
            ("企业名称,用地面积(亩),税收(万元)\n" + "某企业,10,1\n" * (LIMITS.max_rows + 1)).encode(),
        ),
        "polygon of 100,000 vertices": ("layer", "vertices.geojson", polygon_geojson(100_000)),
        "polygon of 5,000 crossing vertices": ("layer", "crossing.geojson", polygon_geojson(5_000)),
    }
    files.update(_legit_tables())
    workspace = folder / "ws.gpkg"
    _make_workspace(workspace)
    files["VRT named .geojson reading the users table"] = (
        "layer",
        "plots.geojson",
        VRT.format(ws=workspace).encode(),
    )
    out = []
    for description, (kind, name, data) in files.items():
        (folder / name).write_bytes(data)
        out.append((description, kind, folder / name))
    return out


def _legit_tables() -> dict[str, tuple[str, str, bytes]]:
    """The largest table the limits admit, for comparison: as many synthetic firms as the row
    limit allows (100,000, 18 columns), as CSV and as XLSX, and a GeoJSON of plots as large as
    the file limit allows."""
    import io

    from layers import load_layers
    from samples.enterprises import synthetic_enterprises, to_source_table

    layers = load_layers(["districts", "clusters"])
    n = LIMITS.max_rows
    frame = to_source_table(synthetic_enterprises(n, layers["districts"], layers["clusters"], seed=1))
    book = io.BytesIO()
    frame.to_excel(book, index=False)
    return {
        f"(legit) CSV of {n:,} firms": ("table", "firms.csv", frame.to_csv(index=False).encode()),
        f"(legit) XLSX of {n:,} firms": ("table", "firms.xlsx", book.getvalue()),
        "(legit) GeoJSON of 69,000 plots (49 MB)": ("layer", "plots49mb.geojson", _plots_geojson(69_000)),
    }


def _plots_geojson(n: int, vertices: int = 24, seed: int = 3) -> bytes:
    """``n`` round plots of ``vertices`` vertices (≈ 100 m across) spread over Qingdao's west."""
    import json

    import numpy as np

    rng = np.random.default_rng(seed)
    x, y = 120.0 + rng.random(n) * 0.8, 36.0 + rng.random(n) * 0.6
    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    features = []
    for i in range(n):
        ring = np.c_[x[i] + 0.001 * np.cos(angle), y[i] + 0.001 * np.sin(angle)].round(6).tolist()
        features.append({"type": "Feature", "properties": {"id": f"P{i:06d}", "status": "可供"},
                         "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]}})  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _make_workspace(path: Path) -> None:
    from store.users import add_user
    from store.workspace import open_workspace

    add_user(open_workspace(path), "admin1", "a password of 20 chars", "admin")


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (the forkserver and its parse workers included)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children") if Path(f"/proc/{p}").exists() else []:
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                continue
    return out


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process tree (shared pages counted once), in MB."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def run(code: str, kind: str, path: Path, cap: float) -> dict:
    """Run one case in a fresh process; wall time and outcome as it reports them, peak PSS sampled."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), kind], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    start, peak = time.perf_counter(), 0.0
    while proc.poll() is None and time.perf_counter() - start < cap:
        peak = max(peak, _pss_mb(proc.pid))
        time.sleep(0.02)
    if proc.poll() is None:
        for p in reversed(_tree(proc.pid)):
            with contextlib.suppress(OSError):
                os.kill(p, signal.SIGKILL)
        proc.wait()
        return {"seconds": None, "peak_mb": peak, "outcome": f"stopped after {cap:g} s"}
    text = proc.stdout.read().decode().strip() if proc.stdout else ""
    seconds, _, outcome = text.rpartition("\n")[-1].partition("|")
    return {"seconds": float(seconds) if seconds else None, "peak_mb": peak, "outcome": outcome or "error"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-seconds", type=float, default=20.0, help="cap on each naive read (s)")
    args = parser.parse_args(argv)
    print(f"{'case':46} {'ours s':>7} {'ours MB':>8}  {'naive s':>9} {'naive MB':>9}  outcome (ours | naive)")
    worst_s = worst_mb = 0.0
    idle = run(OURS, "idle", Path(__file__), 120)["peak_mb"]
    print(f"{'(idle: interpreter, libraries, forkserver)':46} {'':7} {idle:8.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        for description, kind, path in _cases(Path(tmp)):
            a = run(OURS, kind, path, 120)
            b = run(NAIVE, kind, path, args.baseline_seconds)
            worst_s, worst_mb = max(worst_s, a["seconds"]), max(worst_mb, a["peak_mb"])
            naive_s = f"{b['seconds']:.2f}" if b["seconds"] is not None else f">{args.baseline_seconds:g}"
            print(
                f"{description:46} {a['seconds']:7.2f} {a['peak_mb']:8.0f}  {naive_s:>9} {b['peak_mb']:9.0f}  "
                f"{a['outcome']} | {b['outcome']}"
            )
    verdict = "met" if worst_s <= 10 and worst_mb <= 500 else "NOT met"
    print(
        f"\nworst of ours: {worst_s:.2f} s, {worst_mb:.0f} MB peak PSS in all ({worst_mb - idle:.0f} MB above idle); "
        f"goal ≤ 10 s and ≤ 500 MB: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
