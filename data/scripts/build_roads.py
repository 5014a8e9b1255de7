"""Regenerate ``data/qingdao_roads.geojson``: the Qingdao part of the OpenStreetMap highway graph in scgraph-data.

Usage (needs the extra packages in ``requirements-data.txt``)::

    python -m data.scripts.build_roads                      # from the installed scgraph_data package
    python -m data.scripts.build_roads --source FILE.py     # from an extracted world_highways.py

PyPI ``scgraph-data`` 2.0.0 ships ``scgraph_data/world_highways.py``: a Python literal ``graph`` (one
``{neighbour: km}`` dict per node, undirected) and ``nodes`` (``[lat, lon]`` in WGS84, rounded to
0.001° ≈ 100 m). The graph data are derived from OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0);
the package code is MIT. The file is read with :func:`ast.literal_eval` — nothing in it is executed, and
the ``scgraph`` package is not needed.

Processing: keep the edges with both ends inside :data:`FRAME` (Qingdao's box and ≈ 10 km around it, so
that routes near the city edge are not cut), then the largest connected component (the roads of the
islands and of stray fragments cannot be reached from the mainland network). Output: one LineString per
edge (RFC 7946, EPSG:4326, 3 decimals as in the source) with ``u``, ``v`` (node numbers of this file)
and ``length_km`` (the source's length). No road names or classes exist in the source.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geo.write import write_geojson

DATA_DIR = Path(__file__).resolve().parents[1]
OUT = DATA_DIR / "qingdao_roads.geojson"
FRAME = (119.2, 35.4, 121.1, 37.3)  # lon_min, lat_min, lon_max, lat_max: geo.checks.QINGDAO_BBOX + ≈ 0.1°


def _literal(text: str, name: str) -> list:
    """The value of the line ``name=[...]`` of the module text, parsed as a literal (never executed)."""
    prefix = f"{name}="
    for line in text.splitlines():
        if line.startswith(prefix):
            value = ast.literal_eval(line[len(prefix) :])
            if not isinstance(value, list):
                raise SystemExit(f"{name} is not a list")
            return value
    raise SystemExit(f"no line starting with {prefix!r}: not a scgraph_data graph module")


def _default_source() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("scgraph_data")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("scgraph_data is not installed: pip install -r requirements-data.txt, or pass --source")
    return Path(next(iter(spec.submodule_search_locations))) / "world_highways.py"


def qingdao_edges(graph: list[dict[int, float]], nodes: list[list[float]]) -> gpd.GeoDataFrame:
    """Edges of ``graph`` inside :data:`FRAME`, largest connected component, as WGS84 lines."""
    lat = np.array([n[0] for n in nodes], dtype=float)
    lon = np.array([n[1] for n in nodes], dtype=float)
    x0, y0, x1, y1 = FRAME
    inside = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
    keep = set(inside.tolist())
    pairs = sorted({(i, j, float(km)) for i in inside.tolist() for j, km in graph[i].items() if j in keep and j > i})
    u = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    renumber = {old: new for new, old in enumerate(sorted(keep))}
    a = np.array([renumber[i] for i in u])
    b = np.array([renumber[j] for j in v])
    n = len(keep)
    matrix = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, label = connected_components(matrix, directed=False)
    largest = np.bincount(label[a]).argmax()
    main = label[a] == largest
    used = np.unique(np.concatenate([a[main], b[main]]))
    final = {old: new for new, old in enumerate(used.tolist())}
    ordered = sorted(keep)
    lines = [
        shapely.LineString([(lon[ordered[i]], lat[ordered[i]]), (lon[ordered[j]], lat[ordered[j]])])
        for i, j in zip(a[main], b[main], strict=True)
    ]
    return gpd.GeoDataFrame(
        {
            "u": [final[i] for i in a[main].tolist()],
            "v": [final[j] for j in b[main].tolist()],
            "length_km": [p[2] for p, m in zip(pairs, main, strict=True) if m],
        },
        geometry=lines,
        crs="EPSG:4326",
    )


def build(source: Path) -> dict[str, object]:
    """Write :data:`OUT` from the scgraph_data module at ``source``; return a summary."""
    text = source.read_text(encoding="utf-8")
    edges = qingdao_edges(_literal(text, "graph"), _literal(text, "nodes"))
    write_geojson(edges, OUT, precision=3)
    return {
        "edges": len(edges),
        "nodes": int(max(edges["u"].max(), edges["v"].max()) + 1),
        "length_km": round(float(edges["length_km"].sum()), 1),
        "median_edge_km": round(float(edges["length_km"].median()), 3),
        "bytes": OUT.stat().st_size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="world_highways.py of scgraph-data 2.0.0")
    args = parser.parse_args(argv)
    json.dump(build(args.source or _default_source()), sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
