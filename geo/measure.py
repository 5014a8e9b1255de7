"""Areas and buffers measured in metres, never in degrees.

1 亩 (mu) = 10000/15 m² ≈ 666.67 m²; 1 km² = 1500 亩.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from geo.crs import to_metric, to_wgs84

__all__ = ["M2_PER_MU", "area_km2", "area_m2", "area_mu", "buffer_m", "geodesic_area_m2"]

M2_PER_MU = 10000.0 / 15.0
_GEOD = Geod(ellps="GRS80")  # the CGCS2000 ellipsoid differs from GRS80 by < 0.1 mm in b


def area_m2(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Planar area in m² in EPSG:4549 (Gauss-Kruger CM 120E)."""
    return to_metric(gdf).area


def area_mu(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Area in 亩 (1 亩 = 666.67 m²), measured in EPSG:4549."""
    return area_m2(gdf) / M2_PER_MU


def area_km2(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Area in km², measured in EPSG:4549."""
    return area_m2(gdf) / 1e6


def geodesic_area_m2(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Area in m² on the GRS80/CGCS2000 ellipsoid (reference for the planar figures)."""
    wgs = to_wgs84(gdf)
    values = np.array([abs(_GEOD.geometry_area_perimeter(g)[0]) for g in wgs.geometry])
    return pd.Series(values, index=gdf.index)


def buffer_m(gdf: gpd.GeoDataFrame, distance_m: float, quad_segs: int = 8) -> gpd.GeoDataFrame:
    """Buffer geometries by ``distance_m`` metres (in EPSG:4549) and return them in the input CRS."""
    if not np.isfinite(distance_m) or distance_m < 0:
        raise ValueError(f"buffer distance must be a finite number of metres ≥ 0, got {distance_m!r}")
    metric = to_metric(gdf)
    out = metric.copy()
    out["geometry"] = metric.buffer(distance_m, quad_segs=quad_segs)
    return out.to_crs(gdf.crs)
