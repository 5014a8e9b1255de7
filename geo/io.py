"""Vector readers with validation: GeoJSON, GeoPackage and zipped Shapefile (writers: :mod:`geo.write`).

Every failure is raised as :class:`GeoIOError` with a one-line message in Chinese and English,
so that the UI and the command-line tools can show it without a traceback.
"""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
import shapely

from geo.crs import WGS84
from geo.tables import MAX_INPUT_BYTES  # one limit for every input, = server.maxUploadSize

__all__ = ["MAX_INPUT_BYTES", "GeoIOError", "check_input_size", "read_vector", "read_vector_bytes"]

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for members over 1 MB
_GDAL_CONFIG = threading.Lock()


class GeoIOError(Exception):
    """A vector file could not be read or written; the message is fit to show to a user."""


def check_input_size(size: int, name: str, limit: int = MAX_INPUT_BYTES) -> None:
    """Refuse input above ``limit`` bytes (50 MB by default) with a clear message."""
    if size > limit:
        raise GeoIOError(
            f"文件过大（{size / 2**20:,.1f} MB），上限 {limit / 2**20:,.0f} MB / file too large: {name} "
            f"({size / 2**20:,.1f} MB, limit {limit / 2**20:,.0f} MB)"
        )


def _zip_target(path: Path, layer: str | None) -> tuple[str, str | None]:
    """Validate a zipped Shapefile; return the GDAL virtual path of its .shp and repair notes.

    Refused: not a zip, absolute or ``..`` member paths (zip slip), more than
    :data:`MAX_UNZIPPED_BYTES` unpacked or a member compressed more than :data:`MAX_ZIP_RATIO`
    times (zip bomb), no single .shp, a missing .dbf or .prj. A missing .shx index is rebuilt by
    GDAL (``SHAPE_RESTORE_SHX``) and noted.

    Returns the virtual path of the .shp and, when the .shx is missing, the member stem to
    extract for the repair.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise GeoIOError(f"不是有效的 zip 文件 / not a valid zip file: {path.name}") from exc
    names = [i.filename for i in infos]
    for name in names:
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
            raise GeoIOError(f"zip 中含有不安全路径 / unsafe path in zip: {name}")
    unpacked = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 2**20 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1) for i in infos)
    if unpacked > MAX_UNZIPPED_BYTES or bomb:
        raise GeoIOError(
            f"zip 解压后过大或压缩比异常（疑似压缩炸弹），拒绝读取 / zip unpacks to {unpacked / 2**20:,.0f} MB "
            "or is compressed suspiciously well (zip bomb?); refused"
        )
    shps = [n for n in names if n.lower().endswith(".shp")]
    if layer is not None:
        shps = [n for n in shps if PurePosixPath(n).stem == layer]
    if len(shps) != 1:
        found = ", ".join(shps) or "none"
        raise GeoIOError(f"zip 中应恰有一个 .shp 文件 / expected exactly one .shp in the zip, found: {found}")
    stem = shps[0][:-4]
    lowered = {n.lower() for n in names}
    missing = [ext for ext in (".dbf", ".prj") if f"{stem}{ext}".lower() not in lowered]
    if ".prj" in missing:
        raise GeoIOError(
            "Shapefile 缺少 .prj（坐标系），无法确定坐标系；请补上 .prj 或导出为带坐标系的 GeoPackage / "
            "the Shapefile has no .prj, so its CRS is unknown; add the .prj or export a GeoPackage"
        )
    if missing:
        raise GeoIOError(f"Shapefile 缺少文件 / Shapefile is missing: {', '.join(missing)}")
    restore = stem if f"{stem}.shx".lower() not in lowered else None
    return f"/vsizip/{path}/{shps[0]}", restore


def _read_without_shx(path: Path, stem: str, tmp: str) -> gpd.GeoDataFrame:
    """Extract a Shapefile whose .shx is missing (member names already checked) and let GDAL rebuild it."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith(stem + ".") or name.lower().startswith(stem.lower() + "."):
                target = Path(tmp) / ("layer" + Path(name).suffix.lower())
                target.write_bytes(zf.read(name))
    with _GDAL_CONFIG:  # the option is process-wide: one such read at a time
        pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
        try:
            return pyogrio.read_dataframe(Path(tmp) / "layer.shp")
        finally:
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})


def read_vector(path: str | Path, layer: str | None = None, to_crs: str | None = WGS84) -> gpd.GeoDataFrame:
    """Read a vector layer (.geojson/.json, .gpkg, .shp or a zipped Shapefile) with validation.

    Parameters
    ----------
    path : str or Path
        File to read.
    layer : str, optional
        Layer name in a GeoPackage or zip; required when there is more than one.
    to_crs : str or None, default ``"EPSG:4326"``
        Reproject to this CRS; ``None`` keeps the file's CRS.

    Raises
    ------
    GeoIOError
        For a missing or unreadable file, an unsupported format, a file without CRS, or a layer
        with no features.
    """
    path = Path(path)
    if not path.is_file():
        raise GeoIOError(f"文件不存在 / file not found: {path}")
    check_input_size(path.stat().st_size, path.name)
    suffix = path.suffix.lower()
    notes: list[str] = []
    restore = None
    if suffix == ".zip":
        target, restore = _zip_target(path, layer)
        layer = None
    elif suffix in {".geojson", ".json", ".gpkg", ".shp"}:
        target = str(path)
    else:
        raise GeoIOError(f"不支持的格式 / unsupported format {suffix or '(none)'}; use .geojson, .gpkg, .shp or .zip")
    if suffix == ".gpkg" and layer is None:
        names = [str(n) for n, _ in pyogrio.list_layers(target)]
        if len(names) > 1:
            raise GeoIOError(f"GeoPackage 含多个图层，请指定 / several layers, choose one: {', '.join(names)}")
    try:
        if restore is not None:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                gdf = _read_without_shx(path, restore, tmp)
            notes.append("缺少 .shx 索引，已由 GDAL 重建 / the missing .shx index was rebuilt")
        else:
            gdf = pyogrio.read_dataframe(target, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, RuntimeError) as exc:
        detail = str(exc).replace(str(path.parent), "").strip()
        raise GeoIOError(f"无法读取（文件损坏或格式不符）/ cannot read {path.name}: {detail}") from exc
    if len(gdf) == 0:
        raise GeoIOError(f"图层没有要素 / layer has no features: {path.name}")
    if gdf.crs is None:
        raise GeoIOError(f"文件没有坐标系 (缺少 .prj?) / file has no CRS (missing .prj?): {path.name}")
    invalid = ~shapely.is_valid(gdf.geometry.values) & ~gdf.geometry.isna()
    if invalid.any():
        gdf.loc[invalid, gdf.geometry.name] = shapely.make_valid(gdf.geometry.values[invalid])
        notes.append(
            f"{int(invalid.sum())} 个无效几何（如自相交）已用 make_valid 修复 / "
            f"{int(invalid.sum())} invalid geometries (e.g. self-intersecting) repaired with make_valid"
        )
    try:
        out = gdf.to_crs(to_crs) if to_crs else gdf
    except Exception as exc:  # pyproj raises several types for impossible transformations
        raise GeoIOError(f"无法转换坐标系 / cannot transform from {gdf.crs} to {to_crs}: {exc}") from exc
    out.attrs["repairs"] = notes
    return out


def read_vector_bytes(
    data: bytes, filename: str, layer: str | None = None, to_crs: str | None = WGS84
) -> gpd.GeoDataFrame:
    """:func:`read_vector` for uploaded content: ``filename`` only gives the format.

    The bytes are written to a private temporary folder under a fixed name (``upload`` plus the
    suffix of ``filename``), so no part of a user's file name reaches the file system.
    """
    import tempfile

    suffix = Path(filename).suffix.lower()
    check_input_size(len(data), Path(filename).name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        gdf = read_vector(path, layer=layer, to_crs=to_crs)
    return gdf
