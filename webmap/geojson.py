"""Compact GeoJSON for the browser: simplified, rounded, styles and popups precomputed.

Two measured pitfalls drive this module (DESIGN.md §6): folium's ``style_function`` writes a
per-feature JavaScript ``switch`` that Leaflet evaluates per feature (quadratic), and
full-precision coordinates bloat the page. Here styles go into ``properties.style`` (folium
applies them with a single ``setStyle``), coordinates are rounded (5 decimals ≈ 1 m) after a
metric simplification, and tooltips/popups are pre-built, HTML-escaped strings.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.chinacoords import convert_geometry
from geo.crs import to_metric, to_wgs84
from webmap.fast_render import FastMacro

__all__ = ["circle_marker", "compact_geometries", "feature_collection", "geojson_layer", "info_table"]


_CACHE: OrderedDict[tuple, np.ndarray] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def compact_geometries(
    geoms: gpd.GeoSeries, simplify_m: float = 0.0, precision: int = 5, drawn_in: str = "wgs84"
) -> np.ndarray:
    """Simplify (metres, EPSG:4549), optionally shift to GCJ-02, and round coordinates.

    The result is kept (the last 32, by content): the base map's land and the plan layers were
    reprojected and simplified again on every rerun of every map page (0.36 s of a 选址分析
    submission, ``benchmarks/siting_page.py``). The geometries returned are shared: read only.

    Parameters
    ----------
    geoms : GeoSeries
        Geometries with a CRS.
    simplify_m : float, default 0
        Douglas–Peucker tolerance in metres (topology preserved); 0 keeps every vertex.
    precision : int, default 5
        Decimal places kept (5 ≈ 1.1 m at Qingdao's latitude).
    drawn_in : {"wgs84", "gcj02"}
        Output coordinates; ``"gcj02"`` to overlay Gaode tiles.
    """
    if drawn_in not in ("wgs84", "gcj02"):
        raise ValueError(f"drawn_in must be 'wgs84' or 'gcj02', got {drawn_in!r}")
    digest = hashlib.blake2b(digest_size=16)
    for wkb in shapely.to_wkb(np.asarray(geoms.values)):
        digest.update(wkb or b"-")
    key = (digest.digest(), str(geoms.crs), float(simplify_m), int(precision), drawn_in)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    out = _compact(geoms, simplify_m, precision, drawn_in)
    with _CACHE_LOCK:
        _CACHE[key] = out
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out


def _compact(geoms: gpd.GeoSeries, simplify_m: float, precision: int, drawn_in: str) -> np.ndarray:
    if simplify_m > 0:
        geoms = to_metric(geoms).simplify(simplify_m, preserve_topology=True)
    values = to_wgs84(geoms).values
    if drawn_in == "gcj02":
        values = convert_geometry(values, "wgs84", "gcj02")
    return shapely.transform(values, lambda c: np.round(c, precision))


def feature_collection(geometries: np.ndarray, properties: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from geometries and per-feature property dicts."""
    if len(geometries) != len(properties):
        raise ValueError(f"{len(geometries)} geometries but {len(properties)} property rows")
    geo_json = shapely.to_geojson(geometries)
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(g)}
        for g, props in zip(geo_json, properties, strict=True)
        if g is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def info_table(title: str, rows: Sequence[tuple[str, Any]], css_class: str = "qd-pop") -> str:
    """An HTML popup: a heading and a two-column table; every value is escaped."""
    body = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(_fmt(value))}</td></tr>" for label, value in rows
    )
    return f'<div class="{css_class}"><h4>{html.escape(title)}</h4><table>{body}</table></div>'


def geojson_layer(
    gdf: gpd.GeoDataFrame,
    name: str,
    style: Callable[[pd.Series], dict[str, Any]] | dict[str, Any],
    tooltip: Callable[[pd.Series], str] | None = None,
    popup: Callable[[pd.Series], str] | None = None,
    simplify_m: float = 0.0,
    precision: int = 5,
    drawn_in: str = "wgs84",
    keep: Sequence[str] = ("id",),
    interactive: bool = True,
    **options: Any,
) -> folium.GeoJson:
    """A folium GeoJson layer whose style, tooltip and popup are precomputed per feature.

    ``tooltip`` and ``popup`` return HTML that the caller has escaped (see :func:`info_table`).
    ``keep`` lists attribute columns copied into the properties (for click handling).
    Requires :class:`webmap.controls.PlannerControls` on the map (it defines ``QDPlanner``).
    """
    geoms = compact_geometries(gdf.geometry, simplify_m, precision, drawn_in)
    props = []
    for _, row in gdf.iterrows():
        base = style(row) if callable(style) else style
        item: dict[str, Any] = {k: _json_safe(row[k]) for k in keep if k in row.index}
        item["style"] = {**base, "interactive": interactive}
        if tooltip is not None:
            item["_tip"] = tooltip(row)
        if popup is not None:
            item["_pop"] = popup(row)
        props.append(item)
    data = feature_collection(geoms, props)
    on_each = folium.JsCode("QDPlanner.bindInfo") if (tooltip or popup) else None
    return FastGeoJson(data, name=name, on_each_feature=on_each, interactive=interactive, **options)


def merged_lines(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The lines of ``gdf`` as one feature (lines meeting end to end joined), for a layer drawn as context.

    One feature instead of thousands: the page carries one style and no per-feature properties
    (the bundled road network: 2,824 segments; the plan map's payload stays small).
    """
    merged = shapely.line_merge(shapely.multilinestrings(gdf.geometry.to_numpy()))
    return gpd.GeoDataFrame(geometry=[merged], crs=gdf.crs)


class FastGeoJson(folium.GeoJson, FastMacro):
    """``folium.GeoJson`` whose data is not run through Jinja again when the map is rendered."""


def circle_marker(style: dict[str, Any]) -> folium.CircleMarker:
    """The marker for a point layer drawn with a path ``style`` (Leaflet options, ``radius`` in px)."""
    return folium.CircleMarker(
        radius=style.get("radius", 6),
        color=style.get("color", "#333"),
        weight=style.get("weight", 1),
        fill=True,
        fill_color=style.get("fillColor", style.get("color", "#333")),
        fill_opacity=style.get("fillOpacity", 0.8),
    )


def _json_safe(value: Any) -> Any:
    """Plain Python values for JSON; NaN and ±inf become ``None`` (null)."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value
