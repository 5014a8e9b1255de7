"""Coordinate reference systems used by the planner and how to parse a user's choice of one.

Storage and exchange are in WGS84 (EPSG:4326, RFC 7946). Areas and distances are measured in
CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), whose central meridian runs through
Qingdao (119.3°–121.0° E), so scale distortion over the city stays below 0.01 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as _PyprojCRSError

__all__ = [
    "CGCS2000",
    "EXPORT_CRS",
    "METRIC",
    "WGS84",
    "CRSChoiceError",
    "ExportCRS",
    "metric_geometries",
    "metric_geometry",
    "parse_export_crs",
    "to_metric",
    "to_metric_xy",
    "to_wgs84",
    "to_wgs84_xy",
]

WGS84 = "EPSG:4326"
CGCS2000 = "EPSG:4490"
METRIC = "EPSG:4549"


@dataclass(frozen=True)
class ExportCRS:
    """A CRS offered for export, with its names for the UI."""

    code: str
    name_zh: str
    name_en: str
    geographic: bool


EXPORT_CRS: dict[str, ExportCRS] = {
    WGS84: ExportCRS(WGS84, "WGS84 经纬度", "WGS 84 (lon/lat)", True),
    CGCS2000: ExportCRS(CGCS2000, "CGCS2000 经纬度", "CGCS2000 (lon/lat)", True),
    METRIC: ExportCRS(METRIC, "CGCS2000 / 3度带高斯-克吕格 中央经线120°E", "CGCS2000 / 3-degree GK CM 120E", False),
}


class CRSChoiceError(ValueError):
    """The requested CRS is not one the planner exports to."""


def parse_export_crs(value: str | int) -> ExportCRS:
    """Parse ``"EPSG:4549"``, ``"epsg:4549"``, ``"4549"`` or ``4549`` into a supported export CRS.

    Raises
    ------
    CRSChoiceError
        If the value is not a CRS code or not one of :data:`EXPORT_CRS`.

    Examples
    --------
    >>> parse_export_crs("4549").code
    'EPSG:4549'
    """
    text = str(value).strip().upper()
    if not text.startswith("EPSG:"):
        text = f"EPSG:{text}"
    if text in EXPORT_CRS:
        return EXPORT_CRS[text]
    try:
        CRS.from_user_input(text)
        known = False
    except _PyprojCRSError:
        known = None
    supported = ", ".join(EXPORT_CRS)
    reason = "is not supported for export" if known is False else "is not a known CRS"
    raise CRSChoiceError(f"CRS {value!r} {reason}; choose one of {supported}")


GeoFrame = TypeVar("GeoFrame", gpd.GeoDataFrame, gpd.GeoSeries)


def _require_crs(data: gpd.GeoDataFrame | gpd.GeoSeries) -> None:
    if data.crs is None:
        raise ValueError(
            "图层没有坐标系，不作猜测 / the layer has no CRS (set it, e.g. EPSG:4326); it is never guessed"
        )


def to_metric(data: GeoFrame) -> GeoFrame:
    """Project to EPSG:4549 (metres) for measuring. Data without a CRS is an error, never a guess.

    The one way analysis and layers measure: areas in 亩 and distances in m are computed in the
    result.

    Examples
    --------
    >>> s = gpd.GeoSeries.from_xy([120.0], [36.0], crs=WGS84)
    >>> round(to_metric(s).x.iloc[0])
    500000
    """
    return _project(data, METRIC)


def to_wgs84(data: GeoFrame) -> GeoFrame:
    """Project to EPSG:4326 (storage and exchange). Data without a CRS is an error, never a guess."""
    return _project(data, WGS84)


_CRS = {WGS84: CRS(WGS84), METRIC: CRS(METRIC)}


def _project(data: GeoFrame, target: str) -> GeoFrame:
    """``data.to_crs(target)``; between WGS84 and EPSG:4549 through :func:`_transformer` (2-D data)."""
    _require_crs(data)
    source = next((code for code, crs in _CRS.items() if data.crs == crs), None)
    if source is None or source == target or bool(data.has_z.any()):
        return data.to_crs(target)
    values = np.asarray(data.geometry.values)
    tr = _transformer(source, target)
    moved = shapely.transform(values, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
    projected = gpd.GeoSeries(moved, index=data.index, crs=target, name=data.geometry.name)
    if isinstance(data, gpd.GeoSeries):
        return projected.rename(data.name)
    out = data.copy()
    out[data.geometry.name] = projected  # the active geometry: the frame's CRS follows it
    return out


def metric_geometry(geom: shapely.Geometry) -> shapely.Geometry:
    """One geometry in WGS84 (lon/lat) projected to EPSG:4549 metres."""
    return to_metric(gpd.GeoSeries([geom], crs=WGS84)).iloc[0]


def metric_geometries(geoms: Iterable[shapely.Geometry] | np.ndarray) -> np.ndarray:
    """Geometries in WGS84 projected to EPSG:4549 metres, as an array."""
    return to_metric(gpd.GeoSeries(list(geoms), crs=WGS84)).to_numpy()


@cache
def _transformer(source: str, target: str) -> Transformer:
    """``source`` → ``target`` (x = longitude or easting) as PROJ's own pipeline for the pair.

    pyproj gives each thread its own copy of a transformer, and the copy of one made by
    ``from_crs`` asks PROJ's database again: ≈ 0.08 s per thread and direction, and Streamlit runs
    every rerun in a new thread (a 选址分析 submit paid it twice; issue 12). The copy of a pipeline —
    the definition PROJ chose, resolved once here — takes 0.1 ms and transforms identically.
    """
    return Transformer.from_pipeline(Transformer.from_crs(source, target, always_xy=True).definition)


def to_metric_xy(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude (degrees) to EPSG:4549 x, y (metres).

    Examples
    --------
    >>> x, y = to_metric_xy(np.array([120.0]), np.array([36.0]))
    >>> round(float(x[0])), round(float(y[0]) / 1000)
    (500000, 3986)
    """
    x, y = _transformer(WGS84, METRIC).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def to_wgs84_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:4549 x, y (metres) to WGS84 longitude and latitude (degrees); the inverse of :func:`to_metric_xy`."""
    lon, lat = _transformer(METRIC, WGS84).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
