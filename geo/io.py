"""Vector readers: GeoJSON, GeoPackage and zipped Shapefile, opened safely (writers: :mod:`geo.write`).

Every file is identified by its content (:mod:`geo.sniff`), must agree with its suffix and is
opened only by the GDAL driver of that format; formats that can reference other files (VRT,
KML, GeoPackages with views or unknown triggers, Shapefile members that are links) are refused.
Parsing runs in a worker bounded in time and memory (:mod:`geo.bounded`), and the layer's
features and vertices are counted against :data:`geo.limits.LIMITS` before any repair.

Repairs are precise: features with non-finite coordinates are left out and named; invalid
geometries whose boundary crosses itself more than
:attr:`~geo.limits.Limits.max_repair_crossings` times are left out before any repair (its cost
grows with the crossings); the others are repaired with ``make_valid`` only when their area
(EPSG:4549) changes by at most :attr:`~geo.limits.Limits.repair_area_tolerance`, and each
repair states the area before and after; larger changes leave the feature out, named, with
both areas.

Every failure is raised as :class:`GeoIOError` with a one-line message in Chinese and English,
so that the UI and the command-line tools can show it without a traceback.
"""

from __future__ import annotations

import io
import re
import sqlite3
import struct
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geo.bounded import ResourceLimitError, run_bounded
from geo.crs import WGS84, to_metric
from geo.limits import LIMITS, too_many
from geo.selfcross import crossings
from geo.sniff import VECTOR_FORMATS, FormatError, check_zip, expect_format
from geo.text import clean_frame_text

__all__ = [
    "MAX_INPUT_BYTES",
    "GeoIOError",
    "check_input_size",
    "declared_offset",
    "feature_labels",
    "input_bytes",
    "read_vector",
    "read_vector_bytes",
    "write_by_suffix",
    "write_output",
]

MAX_INPUT_BYTES = LIMITS.max_bytes  # one limit for every input, = server.maxUploadSize
_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shapefile_zip": "ESRI Shapefile"}
# Triggers GDAL and the GeoPackage standard create: spatial index, feature counts, tile matrices.
_GPKG_TRIGGER = re.compile(
    r"^(rtree_.+_(insert|update\d?|delete)|trigger_(insert|delete)_feature_count_.+|gpkg_.+|"
    r".+_(zoom|tile_column|tile_row)_(insert|update))$",
    re.IGNORECASE,
)
_OFFSET_NAMES = (("bd09", re.compile(r"BD[-_ ]?09|BAIDU", re.I)), ("gcj02", re.compile(r"GCJ[-_ ]?0?2|\bMARS\b", re.I)))


class GeoIOError(Exception):
    """A vector file could not be read or written; the message is fit to show to a user."""


def check_input_size(size: int, name: str, limit: int = MAX_INPUT_BYTES) -> None:
    """Refuse input above ``limit`` bytes (50 MB by default) with a clear message."""
    if size > limit:
        raise GeoIOError(
            f"文件过大（{size / 2**20:,.1f} MB），上限 {limit / 2**20:,.0f} MB / file too large: {name} "
            f"({size / 2**20:,.1f} MB, limit {limit / 2**20:,.0f} MB)"
        )


def write_by_suffix(out: str | Path, writers: Mapping[str, Callable[[], bytes]], what: tuple[str, str]) -> None:
    """Write ``out`` with the writer of its suffix (``{".docx": …, ".pdf": …}``), atomically (:func:`write_output`).

    ``what`` names the output in messages (``("报告", "the report")``).

    Raises
    ------
    ValueError
        A suffix without a writer (nothing is written).
    GeoIOError
        The file cannot be written.
    """
    suffix = Path(out).suffix.lower()
    if suffix not in writers:
        known = list(writers)
        raise ValueError(f"{what[0]}须为 {' 或 '.join(known)} / {what[1]} must end in {' or '.join(known)}: {out}")
    write_output(out, writers[suffix]())


def write_output(out: str | Path, data: bytes) -> None:
    """Write an output file whole or not at all (:func:`geo.atomic.atomic_path`): a failure leaves ``out`` as it was.

    Raises
    ------
    GeoIOError
        The file cannot be written (disk full, no permission …), said in both languages with its name.
    """
    from geo.atomic import atomic_path

    try:
        with atomic_path(out) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise GeoIOError(f"无法写入 / cannot write {out}: {exc.strerror or exc}") from exc


def input_bytes(source: str | Path | bytes, name: str) -> bytes:
    """The content of an input: uploaded bytes as they are, a file read after its size is checked.

    Raises
    ------
    GeoIOError
        The file is larger than :data:`MAX_INPUT_BYTES`.
    OSError
        The file cannot be read.
    """
    if isinstance(source, bytes):
        return source
    check_input_size(Path(source).stat().st_size, name)
    return Path(source).read_bytes()


def declared_offset(crs: object) -> str | None:
    """``"gcj02"`` or ``"bd09"`` when a CRS definition names one of China's offset systems.

    A ``.prj`` or GeoPackage SRS called ``GCJ02`` parses as plain WGS84 (same ellipsoid), yet
    its coordinates are ≈ 460 m off in Qingdao; the name is the only trace.

    Examples
    --------
    >>> from pyproj import CRS
    >>> declared_offset(CRS.from_wkt('GEOGCS["GCJ-02",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    ...     'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'))
    'gcj02'
    >>> declared_offset(CRS.from_epsg(4326)) is None
    True
    """
    if crs is None:
        return None
    text = crs.to_wkt() if hasattr(crs, "to_wkt") else str(crs)
    for system, pattern in _OFFSET_NAMES:
        if pattern.search(text):
            return system
    return None


def _refuse(exc: Exception) -> GeoIOError:
    return GeoIOError(str(exc))


# --------------------------------------------------------------------------- containers


def _shapefile_members(data: bytes, layer: str | None) -> dict[str, bytes]:
    """The members of one Shapefile in a zip, by suffix, after the zip checks."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise GeoIOError("不是有效的 zip 文件 / not a valid zip file") from exc
    with zf:
        infos = zf.infolist()
        check_zip(infos, LIMITS.max_unpacked_bytes, LIMITS.max_ratio)
        shps = [i.filename for i in infos if i.filename.lower().endswith(".shp")]
        if layer is not None:
            shps = [n for n in shps if PurePosixPath(n).stem == layer]
        if len(shps) != 1:
            found = ", ".join(shps) or "none"
            raise GeoIOError(f"zip 中应恰有一个 .shp 文件 / expected exactly one .shp in the zip, found: {found}")
        stem = shps[0][:-4].lower()
        members: dict[str, bytes] = {}
        for info in infos:
            name = info.filename.lower()
            if name.startswith(stem + ".") and name[len(stem) :] in _SIDECARS and not info.is_dir():
                with zf.open(info) as fh:
                    content = fh.read(LIMITS.max_unpacked_bytes + 1)
                if len(content) > LIMITS.max_unpacked_bytes:
                    raise GeoIOError("zip 成员解压后过大 / a zip member unpacks beyond the limit")
                members[name[len(stem) :]] = content
    return members


def _shapefile_files(path: Path) -> dict[str, bytes]:
    """The members of a Shapefile on disk (``x.shp`` with its sidecars), none of them a link."""
    members = {}
    for suffix in _SIDECARS:
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            if candidate.exists():
                if candidate.is_symlink() or not candidate.is_file():
                    raise GeoIOError(
                        f"Shapefile 成员是链接或不是普通文件 / a Shapefile member is a link: {candidate.name}"
                    )
                check_input_size(candidate.stat().st_size, candidate.name, LIMITS.max_unpacked_bytes)
                members[suffix] = candidate.read_bytes()
                break
    return members


def _check_members(members: dict[str, bytes]) -> None:
    if ".prj" not in members:
        raise GeoIOError(
            "Shapefile 缺少 .prj（坐标系），无法确定坐标系；请补上 .prj 或导出为带坐标系的 GeoPackage / "
            "the Shapefile has no .prj, so its CRS is unknown; add the .prj or export a GeoPackage"
        )
    if ".dbf" not in members:
        raise GeoIOError("Shapefile 缺少文件 / Shapefile is missing: .dbf")


def _dbf_header(content: bytes) -> tuple[int, int]:
    """(records, fields) from a dBASE header; raises GeoIOError when it is not readable."""
    bad = GeoIOError(
        "Shapefile 的属性表（.dbf）无法读取，地块属性（如供地状态）会丢失，拒绝导入 / the Shapefile's attribute table "
        "(.dbf) cannot be read, so attributes such as plot status would be lost; refused"
    )
    if len(content) < 33:
        raise bad
    records, header_len, record_len = struct.unpack("<IHH", content[4:12])
    fields = (header_len - 33) // 32
    if header_len < 33 or record_len < 1 or (content[header_len - 1 : header_len] != b"\r" and fields > 0):
        raise bad
    if len(content) < header_len + records * record_len:
        raise bad
    return records, fields


def _read_shapefile(members: dict[str, bytes]) -> tuple[gpd.GeoDataFrame, list[str]]:
    _check_members(members)
    records, fields = _dbf_header(members[".dbf"])
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, content in members.items():
            (Path(tmp) / f"layer{suffix}").write_bytes(content)
        restore = ".shx" not in members
        if restore:  # this runs in a worker process: the process-wide option touches no one else
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
            notes.append("缺少 .shx 索引，已由 GDAL 重建 / the missing .shx index was rebuilt")
        target = str(Path(tmp) / "layer.shp")
        _check_driver(target, "ESRI Shapefile")
        gdf = pyogrio.read_dataframe(target)
    if len(gdf) != records or len(gdf.columns) - 1 < fields:
        raise GeoIOError(
            f"Shapefile 的属性表（.dbf）与图形不一致（{records} 条记录、{fields} 个字段，读出 {len(gdf)} 个要素、"
            f"{len(gdf.columns) - 1} 个字段），拒绝导入 / the .dbf does not match the shapes ({records} records, "
            f"{fields} fields; read {len(gdf)} features, {len(gdf.columns) - 1} fields); refused"
        )
    return gdf, notes


def _gpkg_layers(data: bytes) -> list[str]:
    """Feature tables of a GeoPackage, after refusing views, unknown triggers and virtual tables."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        conn.execute("PRAGMA query_only = 1")
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        views = [name for kind, name, _ in rows if kind == "view"]
        if views:
            raise GeoIOError(
                f"GeoPackage 含有视图（{', '.join(views[:3])}），视图可执行任意查询，不予读取 / the GeoPackage holds "
                f"views ({', '.join(views[:3])}), which can run arbitrary queries; refused"
            )
        triggers = [name for kind, name, _ in rows if kind == "trigger" and not _GPKG_TRIGGER.match(name)]
        virtual = [
            n for k, n, sql in rows if k == "table" and sql and re.search(r"\bVIRTUAL\b(?!.*\brtree\b)", sql, re.I)
        ]
        if triggers or virtual:
            names = ", ".join((triggers + virtual)[:3])
            raise GeoIOError(
                f"GeoPackage 含有非标准触发器或虚拟表（{names}），不予读取 / the GeoPackage holds non-standard "
                f"triggers or virtual tables ({names}); refused"
            )
        try:
            contents = conn.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
        except sqlite3.DatabaseError as exc:
            raise GeoIOError("GeoPackage 缺少 gpkg_contents 表 / the GeoPackage has no gpkg_contents table") from exc
        features = [str(name) for name, kind in contents if str(kind).lower() == "features"]
        if not features:
            raise GeoIOError(
                "GeoPackage 中没有空间图层（只有属性表或瓦片），无法读取 / the GeoPackage has no feature layer "
                "(only attribute tables or tiles)"
            )
        for name in features:
            (count,) = conn.execute(f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"').fetchone()
            if count > LIMITS.max_features:
                raise GeoIOError(too_many("要素", "features", count, LIMITS.max_features))
        return features
    except sqlite3.DatabaseError as exc:
        raise GeoIOError(f"GeoPackage 文件损坏 / the GeoPackage is damaged: {exc}") from exc
    finally:
        conn.close()


def _check_driver(target: object, driver: str) -> None:
    """Open ``target`` for its metadata only and insist on the expected driver and feature count."""
    try:
        info = pyogrio.read_info(target)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, RuntimeError) as exc:
        raise GeoIOError(f"无法读取（文件损坏或格式不符）/ cannot read the file: {exc}") from exc
    if info.get("driver") != driver:
        raise GeoIOError(
            f"文件由 {info.get('driver')} 驱动识别，而不是 {driver}，不予读取 / GDAL recognises the file as "
            f"{info.get('driver')}, not {driver}; refused"
        )
    count = int(info.get("features") or 0)
    if count > LIMITS.max_features:
        raise GeoIOError(too_many("要素", "features", count, LIMITS.max_features))


def _read_container(kind: str, data: bytes | dict[str, bytes], layer: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    try:
        if kind == "shapefile_zip":
            members = data if isinstance(data, dict) else _shapefile_members(data, layer)
            return _read_shapefile(members)
        assert isinstance(data, bytes)
        if kind == "gpkg":
            names = _gpkg_layers(data)
            if layer is None and len(names) > 1:
                raise GeoIOError(f"GeoPackage 含多个图层，请指定 / several layers, choose one: {', '.join(names)}")
            layer = layer if layer is not None else names[0]
            if layer not in names:
                raise GeoIOError(
                    f"GeoPackage 中没有图层“{layer}”/ no feature layer {layer!r}; layers: {', '.join(names)}"
                )
        _check_driver(data, _DRIVERS[kind])
        return pyogrio.read_dataframe(data, layer=layer), []
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, RuntimeError) as exc:
        raise GeoIOError(f"无法读取（文件损坏或格式不符）/ cannot read the file: {exc}") from exc
    except FormatError as exc:
        raise _refuse(exc) from exc


# --------------------------------------------------------------------------- geometry checks


def feature_labels(gdf: gpd.GeoDataFrame, positions: np.ndarray) -> str:
    """How features are named in notes: file order (1-based), plus id or name when present."""
    column = next((c for c in ("id", "编号", "name", "名称") if c in gdf.columns), None)
    shown = []
    for i in positions[:5].tolist():
        extra = f"（{gdf[column].iloc[i]}）" if column is not None else ""
        shown.append(f"#{i + 1}{extra}")
    more = f" 等 {len(positions)} 个 / and others, {len(positions)} in all" if len(positions) > 5 else ""
    return "、".join(shown) + more


def _limit_vertices(geoms: np.ndarray) -> None:
    counts = shapely.get_num_coordinates(geoms)
    if len(counts) and counts.max() > LIMITS.max_vertices_per_geometry:
        worst = int(np.argmax(counts))
        raise GeoIOError(
            f"第 {worst + 1} 个要素有 {int(counts[worst]):,} 个顶点，上限 {LIMITS.max_vertices_per_geometry:,}；"
            f"请先简化几何 / feature #{worst + 1} has {int(counts[worst]):,} vertices (limit "
            f"{LIMITS.max_vertices_per_geometry:,}); simplify it first"
        )
    if counts.sum() > LIMITS.max_vertices:
        raise GeoIOError(too_many("顶点", "vertices", int(counts.sum()), LIMITS.max_vertices))


def _drop(gdf: gpd.GeoDataFrame, mask: np.ndarray) -> gpd.GeoDataFrame:
    return gdf.loc[~mask].reset_index(drop=True)


def _non_finite(gdf: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad_rows = np.unique(index[~np.isfinite(coords).all(axis=1)])
    if len(bad_rows) == 0:
        return gdf
    mask = np.zeros(len(gdf), bool)
    mask[bad_rows] = True
    label = feature_labels(gdf, bad_rows)
    notes.append(
        f"{len(bad_rows)} 个要素含非数值坐标（NaN/无穷），未导入：{label} / left out {len(bad_rows)} features with "
        f"non-finite coordinates (NaN or infinity): {label}"
    )
    return _drop(gdf, mask)


def _metric_area(geoms: np.ndarray, crs: object) -> np.ndarray:
    series = gpd.GeoSeries(geoms, crs=crs)
    with np.errstate(all="ignore"):
        return to_metric(series).area.to_numpy() / 666.67 if series.crs is not None else series.area.to_numpy()


def _area_changes(
    gdf: gpd.GeoDataFrame, positions: np.ndarray, before: np.ndarray, after: np.ndarray
) -> tuple[str, str]:
    """ "#3（P7） 12.0 → 12.0 亩" for the first five features (zh), and the same in mu (en)."""
    rows = list(zip(positions[:5], before[:5], after[:5], strict=True))
    zh = "；".join(f"{feature_labels(gdf, np.array([p]))} {b:,.1f} → {a:,.1f} 亩" for p, b, a in rows)
    en = "; ".join(f"#{p + 1} {b:,.1f} → {a:,.1f} mu" for p, b, a in rows)
    return zh, en


def _scribbles(geoms: np.ndarray, invalid: np.ndarray) -> np.ndarray:
    """Invalid polygons crossing themselves too often to repair within the worker's limits."""
    out = np.zeros(len(geoms), bool)
    for i in np.flatnonzero(invalid & np.isin(shapely.get_type_id(geoms), (3, 6))):  # (multi)polygons
        out[i] = crossings(geoms[i], LIMITS.max_repair_crossings) > LIMITS.max_repair_crossings
    return out


def _repair(gdf: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """``make_valid`` with the area before and after; refuse repairs that change the area too much."""
    geoms = gdf.geometry.to_numpy()
    present = ~shapely.is_missing(geoms)
    invalid = np.zeros(len(gdf), bool)
    invalid[present] = ~shapely.is_valid(geoms[present])
    if not invalid.any():
        return gdf
    scribbles = _scribbles(geoms, invalid)
    if scribbles.any():
        label = feature_labels(gdf, np.flatnonzero(scribbles))
        limit, count = LIMITS.max_repair_crossings, int(scribbles.sum())
        notes.append(
            f"{count} 个要素的边界自相交超过 {limit:,} 处，无法可靠修复，未导入，请修正原数据：{label} / "
            f"left out {count} features whose boundary crosses itself more than {limit:,} times "
            f"(not repairable reliably; fix them in the source): {label}"
        )
        gdf, invalid = _drop(gdf, scribbles), invalid[~scribbles]
        geoms = gdf.geometry.to_numpy()
    positions = np.flatnonzero(invalid)
    if len(positions) == 0:
        return gdf
    before_geoms = geoms[positions]
    after_geoms = shapely.make_valid(before_geoms)
    areal = shapely.get_type_id(before_geoms) >= 3
    before = _metric_area(before_geoms, gdf.crs)
    after = _metric_area(after_geoms, gdf.crs)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(areal, np.abs(after - before) / np.maximum(before, 1e-9), 0.0)
    refused = change > LIMITS.repair_area_tolerance
    ok = ~refused
    if ok.any():
        gdf.loc[positions[ok], gdf.geometry.name] = after_geoms[ok]
        zh, en = _area_changes(gdf, positions[ok], before[ok], after[ok])
        notes.append(
            f"{int(ok.sum())} 个无效几何（如自相交）已用 make_valid 修复，面积（EPSG:4549）{zh} / "
            f"{int(ok.sum())} invalid geometries (e.g. self-intersecting) repaired with make_valid; area before → "
            f"after: {en}"
        )
    if refused.any():
        tol = LIMITS.repair_area_tolerance * 100
        zh, en = _area_changes(gdf, positions[refused], before[refused], after[refused])
        notes.append(
            f"{int(refused.sum())} 个无效几何修复后面积变化超过 {tol:g}%，未导入，请修正原数据：{zh} / left out "
            f"{int(refused.sum())} invalid geometries whose repair would change the area by more than {tol:g} % "
            f"(fix them in the source): {en}"
        )
        mask = np.zeros(len(gdf), bool)
        mask[positions[refused]] = True
        gdf = _drop(gdf, mask)
    return gdf


def _parse_vector(
    kind: str, data: bytes | dict[str, bytes], name: str, layer: str | None, to_crs: str | None
) -> gpd.GeoDataFrame:
    """Read, count, repair and reproject one vector file (runs in the bounded worker)."""
    gdf, notes = _read_container(kind, data, layer)
    if len(gdf) == 0:
        raise GeoIOError(f"图层没有要素 / layer has no features: {name}")
    if len(gdf) > LIMITS.max_features:
        raise GeoIOError(too_many("要素", "features", len(gdf), LIMITS.max_features))
    if gdf.crs is None:
        raise GeoIOError(f"文件没有坐标系 (缺少 .prj?) / file has no CRS (missing .prj?): {name}")
    declared = declared_offset(gdf.crs)
    _limit_vertices(gdf.geometry.to_numpy())
    gdf = clean_frame_text(gdf)
    gdf = _non_finite(gdf, notes)
    if len(gdf) == 0:
        raise GeoIOError(f"图层中没有坐标有效的要素 / no feature has valid coordinates: {name}")
    gdf = _repair(gdf, notes)
    if len(gdf) == 0:
        raise GeoIOError(f"图层中没有可用的要素（见修复说明）/ no usable feature left: {name}; " + " ".join(notes))
    try:
        out = gdf.to_crs(to_crs) if to_crs else gdf
    except Exception as exc:  # pyproj raises several types for impossible transformations
        raise GeoIOError(f"无法转换坐标系 / cannot transform from {gdf.crs} to {to_crs}: {exc}") from exc
    out.attrs["repairs"] = notes
    out.attrs["declared_coords"] = declared
    out.attrs["format"] = kind
    return out


def read_vector_bytes(
    data: bytes, filename: str, layer: str | None = None, to_crs: str | None = WGS84
) -> gpd.GeoDataFrame:
    """Read uploaded vector content; ``filename`` must agree with what the bytes are.

    Parameters
    ----------
    data : bytes
        The file: GeoJSON, GeoPackage, or a zipped Shapefile (with .shp, .dbf and .prj).
    filename : str
        The name it came with; its suffix must match the content (see :mod:`geo.sniff`).
    layer : str, optional
        Layer in a GeoPackage or zip; required when there is more than one.
    to_crs : str or None, default ``"EPSG:4326"``
        Reproject to this CRS; ``None`` keeps the file's CRS.

    Returns
    -------
    GeoDataFrame
        ``attrs["repairs"]`` lists what was repaired or left out ("中文 / English");
        ``attrs["declared_coords"]`` is ``"gcj02"``/``"bd09"`` when the file's CRS names one.

    Raises
    ------
    GeoIOError
        Refused or unreadable content, or a limit exceeded (bilingual message).
    """
    name = Path(filename).name
    check_input_size(len(data), name)
    try:
        kind = expect_format(data, name, VECTOR_FORMATS)
    except FormatError as exc:
        raise _refuse(exc) from exc
    if kind == "shp":
        raise GeoIOError(
            "单独的 .shp 无法读取：请把 .shp、.shx、.dbf、.prj 一起压缩为 zip 上传 / a lone .shp cannot be read: "
            "zip the .shp, .shx, .dbf and .prj together"
        )
    try:
        return run_bounded(_parse_vector, kind, data, name, layer, to_crs)
    except ResourceLimitError as exc:
        raise GeoIOError(str(exc)) from exc


def read_vector(path: str | Path, layer: str | None = None, to_crs: str | None = WGS84) -> gpd.GeoDataFrame:
    """Read a vector file (.geojson/.json, .gpkg, .shp with its sidecars, or a zipped Shapefile).

    The same checks as :func:`read_vector_bytes`; GDAL virtual paths (``/vsi…``) and URLs are
    refused, and a ``.shp``'s sidecar files must be regular files, not links.

    Raises
    ------
    GeoIOError
        For a missing or unreadable file, refused content, a file without CRS, a layer with no
        features, or a limit exceeded.
    """
    text = str(path)
    if text.startswith("/vsi") or "://" in text:
        raise GeoIOError(f"不接受 GDAL 虚拟路径或网址 / GDAL virtual paths and URLs are not accepted: {text}")
    path = Path(path)
    if not path.is_file():
        raise GeoIOError(f"文件不存在 / file not found: {path}")
    check_input_size(path.stat().st_size, path.name)
    if path.suffix.lower() == ".shp":
        members = _shapefile_files(path)
        try:
            expect_format(members.get(".shp", b""), path.name, VECTOR_FORMATS)
        except FormatError as exc:
            raise _refuse(exc) from exc
        try:
            return run_bounded(_parse_vector, "shapefile_zip", members, path.name, layer, to_crs)
        except ResourceLimitError as exc:
            raise GeoIOError(str(exc)) from exc
    return read_vector_bytes(path.read_bytes(), path.name, layer=layer, to_crs=to_crs)
