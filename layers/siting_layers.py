"""Layers that site selection uses besides the plan: transport nodes, exclusion zones, plots.

* ``transport_nodes``: ports, airport, rail freight and expressway interchanges from
  ``catalogue/transport_nodes.toml`` (approximate positions with their sources).
* ``exclusion_zones``: the bundled **sample** (``data/sample_exclusion_zones.geojson``,
  illustrative, not the official ecological red line) or a user's file.
* ``plots``: the bundled **synthetic** candidate plots (``data/sample_plots.geojson``) or a
  user's file of real 可供地块.

All are returned in EPSG:4326 with ``geometry_quality`` and ``source`` columns.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd

from geo.crs import WGS84, to_wgs84
from geo.io import read_vector
from layers.build import DATA_DIR
from layers.catalogue import transport_nodes_table
from layers.plan import NODE_KIND_NAMES

__all__ = ["SAMPLE_EXCLUSION_FILE", "SAMPLE_PLOTS_FILE", "exclusion_zones", "plots", "transport_nodes"]

SAMPLE_PLOTS_FILE = DATA_DIR / "sample_plots.geojson"
SAMPLE_EXCLUSION_FILE = DATA_DIR / "sample_exclusion_zones.geojson"


@cache
def _nodes_cached() -> gpd.GeoDataFrame:
    rows = transport_nodes_table()
    return gpd.GeoDataFrame(
        {
            "id": [r["id"] for r in rows],
            "name": [r["name"] for r in rows],
            "name_en": [r["name_en"] for r in rows],
            "kind": [r["kind"] for r in rows],
            "kind_name": [NODE_KIND_NAMES[r["kind"]][0] for r in rows],
            "accuracy_km": [float(r["accuracy_km"]) for r in rows],
            "geometry_quality": [r["geometry_quality"] for r in rows],
            "source": [r["source"] for r in rows],
        },
        geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=WGS84,
    )


def transport_nodes() -> gpd.GeoDataFrame:
    """Ports, airport, rail freight and interchanges (approximate positions, see the catalogue)."""
    return _nodes_cached().copy()


def exclusion_zones(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Exclusion zones: the bundled sample, or ``path`` (any vector format :func:`geo.io.read_vector` reads)."""
    return to_wgs84(read_vector(path or SAMPLE_EXCLUSION_FILE))


def plots(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Candidate plots (可供地块): the bundled synthetic sample, or ``path``."""
    return to_wgs84(read_vector(path or SAMPLE_PLOTS_FILE))
