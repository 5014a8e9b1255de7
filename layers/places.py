"""Find a place by name: districts, clusters, bay areas, axis corridors, transport nodes and towns.

The planner types ``城阳``, ``即墨汽车``, ``董家口`` or ``Jiaozhou`` and the map goes there. The
gazetteer is built from the plan layers (names in Chinese and English) and the towns the axes run
through (``axes.toml`` waypoints: GeoNames cities500, CC-BY 4.0, or our estimate, as the
catalogue records). Matching is on NFKC-normalised text, case-insensitive: exact names first,
then names that start with the query, then names that contain it.

Examples
--------
>>> from layers import load_layers
>>> places = gazetteer(load_layers(["districts", "clusters"]))
>>> [p.name for p in find_places("城阳", places)][:2]
['城阳', '城阳区']
>>> find_places("jiaozhou", places)[0].kind
'districts'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo.crs import to_wgs84
from layers.catalogue import axes_table

__all__ = ["PLACE_LAYERS", "Place", "find_places", "gazetteer"]

# Layers whose features are places a planner looks for, in the order ties are listed.
PLACE_LAYERS = ("districts", "clusters", "bay_areas", "axis_corridors", "transport_nodes")


@dataclass(frozen=True)
class Place:
    """A named place: ``kind`` is its layer id, or ``"town"`` for an axis waypoint; WGS84 geometry."""

    name: str
    name_en: str
    kind: str
    geometry: shapely.Geometry
    source: str = ""


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).casefold().strip()


def gazetteer(layers: Mapping[str, gpd.GeoDataFrame], towns: bool = True) -> list[Place]:
    """Every named feature of the place layers in ``layers`` (EPSG:4326), then the axes' towns."""
    places = []
    for kind in PLACE_LAYERS:
        if kind not in layers:
            continue
        gdf = to_wgs84(layers[kind])
        english = gdf["name_en"] if "name_en" in gdf else gdf["name"]
        for name, name_en, geom in zip(gdf["name"], english, gdf.geometry, strict=True):
            if geom is not None and not geom.is_empty:
                places.append(Place(str(name), str(name_en or name), kind, geom))
    if towns:
        seen = set()
        for axis in axes_table():
            for part in axis["part"]:
                for point in part["waypoints"]:
                    if point["name"] in seen:
                        continue
                    seen.add(point["name"])
                    source = "GeoNames (CC-BY 4.0)" if point["source"] == "geonames" else "estimate ±2–5 km"
                    places.append(Place(point["name"], point.get("name_en", point["name"]), "town",
                                        shapely.Point(point["lon"], point["lat"]), source))  # fmt: skip
    return places


def find_places(query: str, places: list[Place], limit: int = 20) -> list[Place]:
    """Places whose Chinese or English name matches ``query``: exact, then prefix, then substring."""
    q = _key(query)
    if not q:
        return []
    ranked = []
    for order, place in enumerate(places):
        names = (_key(place.name), _key(place.name_en))
        if q in names:
            rank = 0
        elif any(n.startswith(q) for n in names):
            rank = 1
        elif any(q in n for n in names):
            rank = 2
        else:
            continue
        ranked.append((rank, order, place))
    return [p for _, _, p in sorted(ranked, key=lambda r: (r[0], r[1]))][:limit]
