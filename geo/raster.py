"""GeoTIFF I/O for single-band float surfaces (rasterio), to a file or to bytes for downloads."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from rasterio.io import MemoryFile

__all__ = ["geotiff_bytes", "north_up_grid", "write_geotiff"]


def north_up_grid(bounds: tuple[float, float, float, float], cell_m: float) -> tuple[Affine, int, int]:
    """A north-up grid of square cells covering ``bounds`` (left, bottom, right, top), snapped to
    multiples of ``cell_m``; returns (transform, rows, cols)."""
    x0, y0, x1, y1 = bounds
    left, top = np.floor(x0 / cell_m) * cell_m, np.ceil(y1 / cell_m) * cell_m
    cols, rows = int(np.ceil((x1 - left) / cell_m)), int(np.ceil((top - y0) / cell_m))
    return Affine(cell_m, 0, left, 0, -cell_m, top), rows, cols


def _profile(values: np.ndarray, transform: Affine, crs: str) -> dict:
    rows, cols = values.shape
    return {
        "driver": "GTiff",
        "height": rows,
        "width": cols,
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": transform,
        "nodata": np.nan,
        "compress": "deflate",
        "predictor": 3,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }


def _write(dst: rasterio.io.DatasetWriter, values: np.ndarray, tags: Mapping[str, str], name: str) -> None:
    dst.write(values.astype(np.float32), 1)
    dst.update_tags(**tags)
    dst.set_band_description(1, name)


def write_geotiff(
    path: str | Path,
    values: np.ndarray,
    transform: Affine,
    crs: str,
    tags: Mapping[str, str] | None = None,
    band_name: str = "value",
) -> Path:
    """Write a float32 GeoTIFF (deflate, tiled, NaN as no-data) with metadata tags.

    Parameters
    ----------
    values : ndarray, shape (rows, cols)
    transform : Affine
        Pixel → CRS coordinates (north-up).
    crs : str
        e.g. ``"EPSG:4549"``.
    tags : mapping, optional
        Metadata (source, units, a "synthetic" label …); ASCII or UTF-8 text.
    """
    path = Path(path)
    with rasterio.open(path, "w", **_profile(values, transform, crs)) as dst:
        _write(dst, values, tags or {}, band_name)
    return path


def geotiff_bytes(
    values: np.ndarray, transform: Affine, crs: str, tags: Mapping[str, str] | None = None, band_name: str = "value"
) -> bytes:
    """The same GeoTIFF as :func:`write_geotiff`, in memory (for download buttons)."""
    with MemoryFile() as mem:
        with mem.open(**_profile(values, transform, crs)) as dst:
            _write(dst, values, tags or {}, band_name)
        return mem.read()
