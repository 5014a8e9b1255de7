"""Export plan layers for GIS staff: GeoJSON per layer, one GeoPackage, or zipped Shapefiles."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import geopandas as gpd

from geo.crs import parse_export_crs
from geo.io import GeoIOError
from geo.write import write_geojson, write_gpkg, write_shapefile_zip

__all__ = ["FORMATS", "ExportFormat", "export_layers", "export_zip_bytes"]

ExportFormat = Literal["geojson", "gpkg", "shp"]
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "shp")
GPKG_NAME = "qingdao_plan_layers.gpkg"


def export_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    out_dir: str | Path,
    fmt: ExportFormat = "geojson",
    crs: str = "EPSG:4326",
) -> list[Path]:
    """Write layers to ``out_dir`` and return the files written.

    Parameters
    ----------
    layers : mapping of layer id → GeoDataFrame
    out_dir : str or Path
        Existing, writable folder (created if its parent exists).
    fmt : {"geojson", "gpkg", "shp"}
        ``geojson``: one ``<layer_id>.geojson`` per layer (RFC 7946 when EPSG:4326);
        ``gpkg``: one ``qingdao_plan_layers.gpkg`` with a table per layer;
        ``shp``: one ``<layer_id>.zip`` (Shapefile with UTF-8 ``.cpg``) per layer.
    crs : str, default ``"EPSG:4326"``
        ``EPSG:4326``, ``EPSG:4490`` or ``EPSG:4549``.

    Raises
    ------
    ValueError
        Unknown format or CRS.
    GeoIOError
        The folder cannot be created or written.

    Notes
    -----
    Each file is replaced atomically (:mod:`geo.atomic`): when a write fails, the file it was
    writing keeps its previous content (or does not appear) and no partial file is left.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target = parse_export_crs(crs).code
    out = Path(out_dir)
    try:
        out.mkdir(parents=False, exist_ok=True)
    except OSError as exc:
        raise GeoIOError(f"无法创建输出目录 / cannot create output folder {out}: {exc.strerror}") from exc
    if not out.is_dir():
        raise GeoIOError(f"输出路径不是目录 / output path is not a folder: {out}")
    if fmt == "gpkg":
        return [write_gpkg(layers, out / GPKG_NAME, crs=target)]
    written = []
    for layer_id, gdf in layers.items():
        if fmt == "geojson":
            written.append(write_geojson(gdf, out / f"{layer_id}.geojson", crs=target))
        else:
            written.append(write_shapefile_zip(gdf, out / f"{layer_id}.zip", layer=layer_id, crs=target))
    return written


def export_zip_bytes(layers: Mapping[str, gpd.GeoDataFrame], fmt: ExportFormat, crs: str) -> bytes:
    """Export into a temporary folder and return one zip archive of all files (for downloads).

    Shapefiles are unpacked into one folder per layer (``clusters/clusters.shp`` …), not packed as
    a zip of zips that GIS software cannot open directly.
    """
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        files = export_layers(layers, tmp, fmt, crs)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in files:
                if fmt != "shp":
                    zf.write(path, path.name)
                    continue
                with zipfile.ZipFile(path) as layer_zip:  # written by geo.write: plain member names
                    for member in layer_zip.namelist():
                        zf.writestr(f"{path.stem}/{Path(member).name}", layer_zip.read(member))
    return buffer.getvalue()
