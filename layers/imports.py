"""Import official or user data to replace the bundled approximations and samples.

``import_layer(source, kind)`` reads a vector file (GeoJSON, GeoPackage, zipped Shapefile; a path
or uploaded bytes), checks and repairs it (:func:`geo.checks.check_layer`) and brings it to the
columns the planner uses for that kind of layer:

=================  ========  ===============================================================
kind               geometry  columns after import
=================  ========  ===============================================================
plots              polygon   id, name, area_mu (measured, EPSG:4549), land_use, status, …
exclusion_zones    polygon   id, name, kind
districts          polygon   adcode, name (must name Qingdao's 10 区市)
clusters           polygon   id, name (must name the 14 clusters of the catalogue)
transport_nodes    point     id, name, kind (port, airport, rail_freight, interchange)
=================  ========  ===============================================================

Headers may be Chinese or English (名称/name, 编号/id, 状态/status …). Every import carries
``geometry_quality = "imported"`` and ``source`` = the file name, and returns the notes of what
was repaired. Problems raise :class:`geo.io.GeoIOError` with a bilingual message.

Command line::

    python -m layers import --kind plots --input 可供地块.zip --out plots.geojson [--coords auto]
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.checks import CheckedLayer, check_layer
from geo.io import GeoIOError, read_vector, read_vector_bytes
from geo.measure import area_mu
from layers.catalogue import NODE_KINDS, clusters_table

__all__ = ["IMPORT_KINDS", "import_layer"]

IMPORT_KINDS = {
    "plots": "polygon",
    "exclusion_zones": "polygon",
    "districts": "polygon",
    "clusters": "polygon",
    "transport_nodes": "point",
}
_ALIASES = {
    "id": ("id", "编号", "地块编号", "代码", "code", "fid"),
    "name": ("name", "名称", "地块名称", "区市", "集聚区名称", "站点名称"),
    "status": ("status", "状态", "供地状态"),
    "kind": ("kind", "类型", "type"),
    "adcode": ("adcode", "行政区划代码", "区划代码"),
    "land_use": ("land_use", "用地性质", "用途"),
    "area_mu": ("area_mu", "面积(亩)", "面积（亩）", "用地面积(亩)", "面积"),
}
# Plausible area of one available plot (亩): below, a sliver or a unit error; above, not a plot.
PLOT_MU_RANGE = (0.1, 30_000.0)
_UNAVAILABLE = ("已出让", "已供", "不可供", "已使用", "sold", "unavailable", "used")


def _column(frame: pd.DataFrame, field: str) -> str | None:
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    for alias in _ALIASES[field]:
        if alias.lower() in lowered:
            return lowered[alias.lower()]
    return None


def _rename(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    renames = {}
    for field in _ALIASES:
        column = _column(frame, field)
        if column is not None and column != field and field not in frame.columns:
            renames[column] = field
    return frame.rename(columns=renames)


def _plots(checked: CheckedLayer) -> None:
    gdf = checked.gdf
    measured = area_mu(gdf).round(1).to_numpy()
    if "area_mu" in gdf:
        stated = pd.to_numeric(gdf["area_mu"], errors="coerce").to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            off = np.abs(stated / measured - 1) > 0.2
        if off.any():
            n = int(off.sum())
            checked.note(f"{n} 个地块的填报面积与图形面积相差超过 20%，按图形面积计",
                         f"{n} plots state an area over 20 % off their geometry; measured area used")  # fmt: skip
    gdf["area_mu"] = measured
    low, high = PLOT_MU_RANGE
    span = f"{low:g}–{high:,.0f}"
    implausible = (measured < low) | (measured > high)
    if implausible.all():
        raise GeoIOError(
            f"全部地块面积不合理（应在 {span} 亩之间），请检查坐标系 / every plot's area is implausible "
            f"(expected {span} mu); check the CRS"
        )
    if implausible.any():
        where = np.flatnonzero(implausible)
        label = "、".join(f"{gdf['id'].iloc[i]}（{measured[i]:,.1f} 亩）" for i in where[:5])
        checked.note(
            f"{len(where)} 个地块面积不合理（应在 {span} 亩之间），不参与分析：{label}",
            f"left out {len(where)} plots with an implausible area (expected {span} mu): {label}",
        )
        gdf = gdf.loc[~implausible].reset_index(drop=True)
    if "status" in gdf:
        taken = gdf["status"].astype(str).str.strip().str.lower().isin([s.lower() for s in _UNAVAILABLE])
        if taken.all():
            raise GeoIOError("文件中没有可供地块（状态均为已出让/不可供）/ no plot in the file is available")
        if taken.any():
            gdf = gdf.loc[~taken].reset_index(drop=True)
            checked.note(f"已排除 {int(taken.sum())} 个非可供地块（已出让/不可供）",
                         f"left out {int(taken.sum())} plots that are not available")  # fmt: skip
    else:
        gdf["status"] = "可供"
        checked.note("文件没有供地状态列（状态/status），全部地块按可供处理",
                     "the file has no status column: every plot is taken as available")  # fmt: skip
    if "land_use" not in gdf:
        gdf["land_use"] = ""
    checked.gdf = gdf


def _check_names(gdf: gpd.GeoDataFrame, known: set[str], what: str) -> None:
    if "name" not in gdf:
        raise GeoIOError(f"缺少名称列（名称/name）/ a name column is required for {what}")
    unknown = sorted(set(gdf["name"].astype(str)) - known)
    if unknown:
        raise GeoIOError(
            f"名称与规划目录不符：{'、'.join(unknown[:5])} / names not in the catalogue: {', '.join(unknown[:5])}"
        )


def import_layer(
    source: str | Path | tuple[bytes, str],
    kind: str,
    coords: str = "auto",
    reference: gpd.GeoDataFrame | None = None,
) -> CheckedLayer:
    """Read, check and normalise a layer of ``kind`` (see the module docstring).

    Parameters
    ----------
    source : path, or (content, file name) for uploads
    kind : one of :data:`IMPORT_KINDS`
    coords : {"auto", "wgs84", "gcj02", "bd09"}
        Coordinate system of the input; ``"auto"`` detects GCJ-02/BD-09 against ``reference``.
    reference : GeoDataFrame, optional
        Official district boundaries for the offset detection (default: the bundled ones).

    Raises
    ------
    GeoIOError
        Unreadable file or unusable content (bilingual message).
    ValueError
        Unknown ``kind`` or ``coords``.
    """
    if kind not in IMPORT_KINDS:
        raise ValueError(f"kind must be one of {list(IMPORT_KINDS)}, got {kind!r}")
    if isinstance(source, tuple):
        data, name = source
        raw = read_vector_bytes(data, name)
    else:
        name = Path(source).name
        raw = read_vector(source)
    if reference is None:
        from layers.build import districts

        reference = districts()
    checked = check_layer(_rename(raw), IMPORT_KINDS[kind], coords=coords, reference=reference)
    gdf = checked.gdf
    if "id" not in gdf:
        prefix = {"plots": "P", "exclusion_zones": "X", "transport_nodes": "N"}.get(kind, "F")
        gdf["id"] = [f"{prefix}{i:05d}" for i in range(1, len(gdf) + 1)]
    gdf["id"] = gdf["id"].astype(str)
    if gdf["id"].duplicated().any():
        dupes = sorted(set(gdf.loc[gdf["id"].duplicated(), "id"]))[:5]
        raise GeoIOError(f"编号重复：{'、'.join(dupes)} / duplicate ids: {', '.join(dupes)}")
    if "name" not in gdf and kind in ("plots", "exclusion_zones", "transport_nodes"):
        gdf["name"] = gdf["id"]
    checked.gdf = gdf
    if kind == "plots":
        _plots(checked)
    elif kind == "districts":
        from layers.build import districts

        _check_names(checked.gdf, set(districts()["name"]), "districts")
    elif kind == "clusters":
        _check_names(checked.gdf, set(clusters_table()["name"]), "clusters")
    elif kind == "transport_nodes":
        if "kind" not in checked.gdf or not checked.gdf["kind"].isin(NODE_KINDS).all():
            raise GeoIOError(
                f"类型列（kind）须为 {', '.join(NODE_KINDS)} / the kind column must be one of {NODE_KINDS}"
            )
    elif kind == "exclusion_zones" and "kind" not in checked.gdf:
        checked.gdf["kind"] = ""
    checked.gdf["geometry_quality"] = "imported"
    checked.gdf["source"] = f"导入 / imported: {name}"
    return checked
