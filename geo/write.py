"""Vector writers: GeoJSON (RFC 7946 in WGS84), GeoPackage and zipped Shapefile.

Failures raise :class:`geo.io.GeoIOError` with a bilingual message. Every file is written
atomically (:func:`geo.atomic.atomic_path`): when a write fails (disk full …) the previous file,
if any, is left unchanged and no partial file remains. GDAL does not always report a failed
final flush, so each GDAL output is read back (layers and feature counts) before it replaces
the target.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.atomic import atomic_path
from geo.crs import WGS84
from geo.io import GeoIOError

__all__ = ["shapefile_field_names", "write_geojson", "write_gpkg", "write_shapefile_zip"]

_DBF_NAME_BYTES = 10
_DBF_TEXT_BYTES = 254


def _check_parent(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        raise GeoIOError(f"输出目录不存在 / output folder does not exist: {parent}")
    if not parent.is_dir():
        raise GeoIOError(f"输出路径不是目录 / output parent is not a folder: {parent}")


def _prepare(gdf: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise GeoIOError("图层没有坐标系 / layer has no CRS; refusing to write it")
    out = gdf.to_crs(crs)
    for column in out.columns:
        if column != out.geometry.name and out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


_GDAL_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


def _write(gdf: gpd.GeoDataFrame, path: Path, target: Path, **kwargs: object) -> None:
    """Write with GDAL to ``path`` and read the layer back; errors name ``target`` (the final file)."""
    try:
        pyogrio.write_dataframe(gdf, path, **kwargs)
        info = pyogrio.read_info(path, layer=kwargs.get("layer"), force_feature_count=True)
    except (OSError, *_GDAL_ERRORS) as exc:
        raise GeoIOError(f"无法写入 / cannot write {target}: {exc}") from exc
    if info["features"] != len(gdf):
        raise GeoIOError(f"无法写入 / cannot write {target}: {info['features']} of {len(gdf)} features written")


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """:func:`geo.atomic.atomic_path`, with its own failures (temporary folder, rename) as :class:`GeoIOError`."""
    try:
        with atomic_path(path) as tmp:
            yield tmp
    except OSError as exc:
        raise GeoIOError(f"无法写入 / cannot write {path}: {exc.strerror or exc}") from exc


def write_geojson(gdf: gpd.GeoDataFrame, path: str | Path, crs: str = WGS84, precision: int | None = None) -> Path:
    """Write a GeoJSON file.

    In EPSG:4326 the file follows RFC 7946 (WGS84, counter-clockwise exterior rings, no ``crs``
    member). Other CRSs produce the older GeoJSON 2008 form with a ``crs`` member, because
    RFC 7946 allows WGS84 only.

    Parameters
    ----------
    gdf : GeoDataFrame
        Layer to write; must have a CRS.
    path : str or Path
        Output file (``.geojson``); its folder must exist.
    crs : str, default ``"EPSG:4326"``
        Output CRS.
    precision : int, optional
        Decimal places of coordinates; default 7 for degrees (≈ 1 cm), 3 for metres.
    """
    path = Path(path)
    _check_parent(path)
    out = _prepare(gdf, crs)
    with _atomic(path) as tmp:
        _write(out, tmp, path, driver="GeoJSON", layer_options=_geojson_options(out, precision))
    return path


def _geojson_options(out: gpd.GeoDataFrame, precision: int | None) -> dict[str, str]:
    rfc7946 = out.crs.equals(WGS84) or out.crs.to_epsg() == 4326
    if precision is None:
        precision = 7 if out.crs.is_geographic else 3
    return {"RFC7946": "YES" if rfc7946 else "NO", "COORDINATE_PRECISION": str(precision), "WRITE_NAME": "NO"}


def geojson_bytes(gdf: gpd.GeoDataFrame, crs: str = WGS84, precision: int | None = None) -> bytes:
    """The GeoJSON :func:`write_geojson` writes, built in memory (downloads need no temporary file).

    Examples
    --------
    >>> import shapely
    >>> data = geojson_bytes(gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(120, 36)], crs=4326))
    >>> b'"coordinates": [ 120.0, 36.0 ]' in data and b'"crs"' not in data
    True
    """
    out = _prepare(gdf, crs)
    buffer = io.BytesIO()
    pyogrio.write_dataframe(out, buffer, driver="GeoJSON", layer_options=_geojson_options(out, precision))
    return buffer.getvalue()


def write_gpkg(layers: Mapping[str, gpd.GeoDataFrame], path: str | Path, crs: str = WGS84) -> Path:
    """Write several layers into one GeoPackage, one table per mapping key (replaces the file when all succeed)."""
    path = Path(path)
    _check_parent(path)
    prepared = {name: _prepare(gdf, crs) for name, gdf in layers.items()}
    with _atomic(path) as tmp:
        for name, gdf in prepared.items():
            _write(gdf, tmp, path, driver="GPKG", layer=name, append=tmp.exists())
    return path


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Map column names to unique dBASE field names of at most 10 bytes (UTF-8).

    Examples
    --------
    >>> shapefile_field_names(["geometry_quality", "geometry_quantity", "name"])
    {'geometry_quality': 'geometry_q', 'geometry_quantity': 'geometry_1', 'name': 'name'}
    """
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        candidate = column.encode("utf-8")[:_DBF_NAME_BYTES].decode("utf-8", "ignore")
        n = 0
        while candidate.lower() in used:
            n += 1
            suffix = f"_{n}"
            head = column.encode("utf-8")[: _DBF_NAME_BYTES - len(suffix)].decode("utf-8", "ignore")
            candidate = head + suffix
        used.add(candidate.lower())
        mapping[column] = candidate
    return mapping


def write_shapefile_zip(gdf: gpd.GeoDataFrame, path: str | Path, layer: str, crs: str = WGS84) -> Path:
    """Write one layer as a zipped Shapefile with a UTF-8 ``.cpg`` and a field-name table.

    dBASE limits field names to 10 bytes, so long names are shortened; ``<layer>_fields.csv`` in
    the zip lists the original and the shortened names. Mixed polygon/multipolygon layers are
    written as multipolygons.
    """
    path = Path(path)
    _check_parent(path)
    out = _prepare(gdf, crs)
    truncated = {}
    for column in out.columns:
        if column != out.geometry.name and (out[column].dtype == object or pd.api.types.is_string_dtype(out[column])):
            out[column], truncated[column] = _fit_dbf_text(out[column])
    mapping = shapefile_field_names([c for c in out.columns if c != out.geometry.name])
    out = out.rename(columns=mapping)
    kinds = set(out.geom_type.dropna())
    promote = kinds & {"MultiPolygon", "MultiLineString", "MultiPoint"}
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / f"{layer}.shp"
        _write(out, shp, path, driver="ESRI Shapefile", layer_options={"ENCODING": "UTF-8"},
               promote_to_multi=bool(promote))  # fmt: skip
        table = pd.DataFrame(
            {
                "field": list(mapping.values()),
                "column": list(mapping.keys()),
                "values_truncated_to_254_bytes": [truncated.get(c, 0) for c in mapping],
            }
        )
        table.to_csv(Path(tmp) / f"{layer}_fields.csv", index=False, encoding="utf-8")
        with _atomic(path) as target:
            try:
                with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                    for member in sorted(Path(tmp).iterdir()):
                        zf.write(member, member.name)
            except OSError as exc:
                raise GeoIOError(f"无法写入 / cannot write {path}: {exc.strerror or exc}") from exc
    return path


def _fit_dbf_text(values: pd.Series) -> tuple[pd.Series, int]:
    """Cut strings to the dBASE limit of 254 bytes at a UTF-8 character boundary, ending in "…"."""
    count = 0

    def fit(value: object) -> object:
        nonlocal count
        if not isinstance(value, str) or len(value.encode("utf-8")) <= _DBF_TEXT_BYTES:
            return value
        count += 1
        cut = value.encode("utf-8")[: _DBF_TEXT_BYTES - 3].decode("utf-8", "ignore")
        return cut + "…"

    return values.map(fit), count
