"""A raster surface of 亩产效益 over the city (EPSG:4549 grid, for GeoTIFF and the map).

Each cell's value is a ratio of sums over the rated firms within ``radius_m`` of the cell (a disc
kernel): Σ税收 ÷ Σ亩 for ``"tax_per_mu"`` (万元/亩), or the mean composite score for
``"score"``. Cells with fewer than ``min_firms`` firms in reach, and cells outside the city, are
no-data (NaN), which keeps single firms unreadable, like the area aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio.features import geometry_mask

from geo.crs import METRIC, metric_geometry, to_metric
from geo.raster import north_up_grid

__all__ = ["SURFACE_VALUES", "Surface", "intensity_surface"]

SURFACE_VALUES = {
    "tax_per_mu": ("亩均税收", "万元/亩"),
    "score": ("综合得分", "分"),
    "suitability": ("选址适宜性", "分"),
}


@dataclass(frozen=True)
class Surface:
    """A single-band raster in EPSG:4549.

    Attributes
    ----------
    values : ndarray of float32, shape (rows, cols)
        NaN is no-data. Row 0 is the northern edge.
    transform : affine.Affine
        Pixel → EPSG:4549 metres.
    crs : str
    value : str
        Key of :data:`SURFACE_VALUES`.
    unit : str
    cell_m, radius_m : float
    """

    values: np.ndarray
    transform: Affine
    crs: str
    value: str
    unit: str
    cell_m: float
    radius_m: float

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in EPSG:4549 metres."""
        rows, cols = self.values.shape
        left, top = self.transform.c, self.transform.f
        return left, top - rows * self.cell_m, left + cols * self.cell_m, top


def _disc(radius_cells: int) -> np.ndarray:
    r = np.arange(-radius_cells, radius_cells + 1)
    return (r[:, None] ** 2 + r[None, :] ** 2 <= radius_cells**2).astype(float)


def intensity_surface(
    result: gpd.GeoDataFrame,
    area: shapely.Geometry,
    value: str = "tax_per_mu",
    cell_m: float = 250.0,
    radius_m: float = 1500.0,
    min_firms: int = 3,
) -> Surface:
    """Build the surface.

    Parameters
    ----------
    result : GeoDataFrame
        Output of :func:`analysis.land_yield.scoring.evaluate` (EPSG:4326 points).
    area : shapely geometry
        The city (EPSG:4326); cells outside it are no-data.
    value : {"tax_per_mu", "score"}
    cell_m : float
        Cell size in metres, 100–500 (EPSG:4549).
    radius_m : float
        Kernel radius in metres (≥ cell_m).
    min_firms : int
        Cells with fewer rated firms in reach are no-data.
    """
    if value not in SURFACE_VALUES:
        raise ValueError(f"value must be one of {list(SURFACE_VALUES)}, got {value!r}")
    if not 100 <= cell_m <= 500:
        raise ValueError(f"cell_m must be 100–500 m, got {cell_m}")
    if radius_m < cell_m:
        raise ValueError(f"radius_m ({radius_m}) must be at least cell_m ({cell_m})")
    city = metric_geometry(area)
    transform, rows, cols = north_up_grid(city.bounds, cell_m)
    left, top = transform.c, transform.f

    rated = result[result["status"].eq("rated") & ~result.geometry.is_empty & result.geometry.notna()]
    if value == "tax_per_mu":
        rated = rated[rated["land_mu"] > 0]
        num, den = rated["tax"].to_numpy(float), rated["land_mu"].to_numpy(float)
    else:
        num, den = rated["score"].to_numpy(float), np.ones(len(rated))
    pts = to_metric(rated.geometry)
    c = ((pts.x.to_numpy() - left) // cell_m).astype(int)
    r = ((top - pts.y.to_numpy()) // cell_m).astype(int)
    ok = (c >= 0) & (c < cols) & (r >= 0) & (r < rows)
    flat = r[ok] * cols + c[ok]
    grids = [np.bincount(flat, weights=w[ok], minlength=rows * cols).reshape(rows, cols) for w in (num, den)]
    count = np.bincount(flat, minlength=rows * cols).reshape(rows, cols).astype(float)
    from scipy.signal import fftconvolve  # scipy.signal takes ≈ 1 s to import: only when a surface is made

    kernel = _disc(max(1, round(radius_m / cell_m)))
    s_num, s_den, s_count = (fftconvolve(g, kernel, mode="same") for g in (*grids, count))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = s_num / s_den
    out[(s_count < min_firms - 0.5) | (s_den <= 1e-9)] = np.nan
    outside = geometry_mask([city], out_shape=(rows, cols), transform=transform, all_touched=True)
    out[outside] = np.nan
    return Surface(out.astype(np.float32), transform, METRIC, value, SURFACE_VALUES[value][1], cell_m, radius_m)
