"""Conversions between WGS84 and the Chinese web-map coordinate systems GCJ-02 and BD-09.

GCJ-02 ("火星坐标") is the obfuscated datum that Chinese web maps (Amap/Gaode, Tencent, the
Google China tiles) must use; BD-09 is Baidu's further offset of GCJ-02. In Qingdao a GCJ-02
coordinate lies about 460 m east and 15–50 m north of the true (WGS84 / CGCS2000) position.

The forward transform is the published closed-form formula. The inverse has no closed form and
is solved here by fixed-point iteration, which converges to better than 1e-9 degrees
(≈ 0.1 mm) in a few steps inside China. Points outside China are returned unchanged, as the
web-map providers do.

All functions are vectorised over NumPy arrays of longitudes and latitudes in degrees.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CHINA_CRS",
    "ChinaCRS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "china_crs",
    "convert",
    "convert_geometry",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

ChinaCRS = Literal["wgs84", "gcj02", "bd09"]
CHINA_CRS: tuple[ChinaCRS, ...] = ("wgs84", "gcj02", "bd09")


def china_crs(name: str) -> ChinaCRS:
    """``name`` as a coordinate system this module converts (``wgs84``, ``gcj02``, ``bd09``).

    Raises
    ------
    ValueError
        Any other name.

    Examples
    --------
    >>> china_crs("gcj02")
    'gcj02'
    """
    for known in CHINA_CRS:
        if name == known:
            return known
    raise ValueError(f"未知坐标系 / unknown coordinate system {name!r}; use one of {', '.join(CHINA_CRS)}")


# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_ITERATIONS = 30
_TOLERANCE_DEG = 1e-10


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Whether points fall in the rectangle where GCJ-02 offsets are applied.

    Parameters
    ----------
    lon, lat : array_like
        Longitude and latitude in degrees.

    Returns
    -------
    numpy.ndarray of bool
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _offset(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """GCJ-02 offset (degrees) to add to a WGS84 position."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    periodic = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat = d_lat + periodic
    d_lat = d_lat + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat = d_lat + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon = d_lon + periodic
    d_lon = d_lon + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lon = d_lon + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0

    rad_lat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * pi)
    return d_lon, d_lat


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    if lon_a.shape != lat_a.shape:
        raise ValueError(f"lon and lat differ in shape: {lon_a.shape} vs {lat_a.shape}")
    return lon_a, lat_a


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert WGS84 longitude/latitude (degrees) to GCJ-02."""
    lon_a, lat_a = _as_arrays(lon, lat)
    d_lon, d_lat = _offset(lon_a, lat_a)
    inside = in_china(lon_a, lat_a)
    return np.where(inside, lon_a + d_lon, lon_a), np.where(inside, lat_a + d_lat, lat_a)


def _invert(forward, lon: NDArray, lat: NDArray) -> tuple[NDArray, NDArray]:
    """Solve ``forward(x) == (lon, lat)`` for x by fixed-point iteration."""
    x_lon, x_lat = lon.copy(), lat.copy()
    for _ in range(_ITERATIONS):
        f_lon, f_lat = forward(x_lon, x_lat)
        e_lon, e_lat = f_lon - lon, f_lat - lat
        x_lon = x_lon - e_lon
        x_lat = x_lat - e_lat
        if np.all(np.abs(e_lon) < _TOLERANCE_DEG) and np.all(np.abs(e_lat) < _TOLERANCE_DEG):
            break
    return x_lon, x_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert GCJ-02 longitude/latitude (degrees) to WGS84 (iterative, error < 1e-9°)."""
    lon_a, lat_a = _as_arrays(lon, lat)
    return _invert(wgs84_to_gcj02, lon_a, lat_a)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert GCJ-02 longitude/latitude (degrees) to Baidu BD-09."""
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert Baidu BD-09 longitude/latitude (degrees) to GCJ-02 (iterative)."""
    lon_a, lat_a = _as_arrays(lon, lat)
    return _invert(gcj02_to_bd09, lon_a, lat_a)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert WGS84 longitude/latitude (degrees) to BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Convert BD-09 longitude/latitude (degrees) to WGS84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_CONVERTERS = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
}


def convert(lon: ArrayLike, lat: ArrayLike, src: ChinaCRS, dst: ChinaCRS) -> tuple[NDArray, NDArray]:
    """Convert coordinates between ``"wgs84"``, ``"gcj02"`` and ``"bd09"``.

    Examples
    --------
    >>> lon, lat = convert(120.38, 36.07, "wgs84", "gcj02")
    >>> back = convert(lon, lat, "gcj02", "wgs84")
    >>> abs(float(back[0]) - 120.38) < 1e-9
    True
    """
    if src == dst:
        return _as_arrays(lon, lat)
    try:
        fn = _CONVERTERS[(src, dst)]
    except KeyError:
        known = ", ".join(sorted({s for s, _ in _CONVERTERS}))
        raise ValueError(f"unknown coordinate system pair {src!r} → {dst!r}; known: {known}") from None
    return fn(lon, lat)


def convert_geometry(geom: ArrayLike, src: ChinaCRS, dst: ChinaCRS) -> NDArray:
    """Convert shapely geometries (scalar or array) between WGS84, GCJ-02 and BD-09.

    Vertices are converted one by one; the geometry structure is kept.
    """

    def _xy(coords: NDArray) -> NDArray:
        lon, lat = convert(coords[:, 0], coords[:, 1], src, dst)
        return np.column_stack([lon, lat])

    return shapely.transform(geom, _xy)
