"""GeoTIFF I/O for single-band float surfaces (rasterio), to a file or to bytes for downloads."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from rasterio.io import MemoryFile

__all__ = ["geotiff_bytes", "write_geotiff"]


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
