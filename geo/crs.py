"""Coordinate reference systems used by the planner and how to parse a user's choice of one.

Storage and exchange are in WGS84 (EPSG:4326, RFC 7946). Areas and distances are measured in
CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), whose central meridian runs through
Qingdao (119.3°–121.0° E), so scale distortion over the city stays below 0.01 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as _PyprojCRSError

__all__ = [
    "CGCS2000",
    "EXPORT_CRS",
    "METRIC",
    "WGS84",
    "CRSChoiceError",
    "ExportCRS",
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


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to EPSG:4549 (metres). A frame without a CRS is an error, never a guess."""
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS; set it before measuring (e.g. EPSG:4326)")
    return gdf.to_crs(METRIC)


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to EPSG:4326. A frame without a CRS is an error, never a guess."""
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS; set it before reprojecting")
    return gdf.to_crs(WGS84)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


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
