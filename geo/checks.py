"""Checks and documented repairs for imported vector layers (plots, exclusion zones, boundaries).

:func:`check_layer` takes what :func:`geo.io.read_vector` returns and either repairs it, saying
what it did, or raises :class:`geo.io.GeoIOError` with a message in Chinese and English:

* empty or missing geometries are dropped (noted); a layer with none left is refused;
* the wrong geometry family (points where polygons are expected) is refused;
* coordinates that cannot be degrees after reprojection (a projected file without its CRS, or a
  wrong declared CRS) are refused;
* longitude and latitude given the wrong way round are swapped back (noted);
* a layer entirely outside Qingdao is refused; features outside it (or reaching beyond it, such as
  a polygon across the antimeridian) are left out and named — they are never ranked or evaluated;
* a CRS whose name says GCJ-02 or BD-09 (a ``.prj`` called ``GCJ02``) is honoured;
* GCJ-02 (Gaode/Tencent) or BD-09 (Baidu) coordinates are converted when ``coords`` says so, or —
  with ``coords="auto"`` and reference boundaries — when the layer's edges fit the reference
  much better after conversion (noted, with how to override).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from geo.chinacoords import china_crs, convert_geometry
from geo.crs import WGS84, to_metric, to_wgs84
from geo.io import GeoIOError, feature_labels

__all__ = [
    "COORD_CHOICES",
    "GEOMETRY_FAMILIES",
    "QINGDAO_BBOX",
    "CheckedLayer",
    "check_layer",
    "detect_offset",
    "swapped_everywhere",
]

QINGDAO_BBOX = (119.3, 35.5, 121.0, 37.2)  # lon_min, lat_min, lon_max, lat_max (WGS84)
COORD_CHOICES = ("auto", "wgs84", "gcj02", "bd09")
GEOMETRY_FAMILIES = {
    "polygon": ("Polygon", "MultiPolygon"),
    "point": ("Point", "MultiPoint"),
    "line": ("LineString", "MultiLineString"),
}
_FAMILY_ZH = {"polygon": "面", "point": "点", "line": "线"}
_OFFSET_ZH = {"gcj02": "GCJ-02（高德/腾讯“火星坐标”）", "bd09": "BD-09（百度）"}


@dataclass
class CheckedLayer:
    """A checked layer in EPSG:4326 and what was repaired (Chinese and English, same order)."""

    gdf: gpd.GeoDataFrame
    notes_zh: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    coords: str = "wgs84"  # the coordinate system the input was found or declared to be in

    def note(self, zh: str, en: str) -> None:
        self.notes_zh.append(zh)
        self.notes_en.append(en)


_TYPE_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
               "GeometryCollection")  # fmt: skip


def _polygonal(geoms: np.ndarray, out: CheckedLayer) -> np.ndarray:
    """Keep the polygons of geometry collections (make_valid of a bow-tie with a tail, say)."""
    mixed = shapely.get_type_id(geoms) == 7
    if not mixed.any():
        return geoms
    geoms = geoms.copy()
    for i in np.flatnonzero(mixed):
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        if parts:
            geoms[i] = shapely.union_all(parts)
    out.note(f"{int(mixed.sum())} 个混合几何只保留面部分", f"kept the polygons of {int(mixed.sum())} mixed geometries")
    return geoms


def swapped_everywhere(inside: np.ndarray, inside_if_swapped: np.ndarray) -> bool:
    """The one policy for longitude and latitude given the wrong way round.

    When *no* coordinate of a file lies in Qingdao and *every* one would with the two exchanged,
    the file was written latitude-first: every coordinate is exchanged, with a note (layers and
    tables alike). When only some rows or features are the wrong way round — among correct ones or
    among coordinates far away — that is an entry error, not a convention: those are reported
    with their reason and left out, never guessed.

    Parameters
    ----------
    inside, inside_if_swapped : array of bool
        For each located row or feature: in Qingdao as given, and with lon and lat exchanged.

    Examples
    --------
    >>> swapped_everywhere(np.array([False, False]), np.array([True, True]))
    True
    >>> swapped_everywhere(np.array([False, False]), np.array([True, False]))
    False
    >>> swapped_everywhere(np.array([True, False]), np.array([False, True]))
    False
    """
    inside, inside_if_swapped = np.asarray(inside, bool), np.asarray(inside_if_swapped, bool)
    return bool(inside.size > 0 and not inside.any() and inside_if_swapped.all())


def _in_bbox(x: np.ndarray, y: np.ndarray, pad: float = 0.3) -> np.ndarray:
    x0, y0, x1, y1 = QINGDAO_BBOX
    return (x >= x0 - pad) & (x <= x1 + pad) & (y >= y0 - pad) & (y <= y1 + pad)


def _boundary_sample(geoms: np.ndarray, n: int = 2000) -> np.ndarray:
    coords = shapely.get_coordinates(shapely.boundary(geoms[shapely.get_type_id(geoms) >= 3]))
    if len(coords) == 0:
        coords = shapely.get_coordinates(geoms)
    step = max(1, len(coords) // n)
    return coords[::step]


def detect_offset(gdf: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> tuple[str, dict[str, float]]:
    """Which coordinate system makes the layer's edges fit the reference boundaries best.

    Compares the median distance (metres, EPSG:4549) of the layer's vertices to the reference
    boundary lines, as given and after converting from GCJ-02 and from BD-09. A conversion is
    chosen only when it halves that distance and the raw distance exceeds 150 m (the two
    offsets are ≈ 460 m and ≈ 1 km in Qingdao); returns ``("wgs84", …)`` otherwise.

    Returns
    -------
    (choice, medians)
        ``choice`` in ``{"wgs84", "gcj02", "bd09"}`` and the median distance for each.
    """
    lines = to_metric(gpd.GeoSeries(shapely.boundary(to_wgs84(reference).geometry.to_numpy()), crs=WGS84))
    target = shapely.union_all(lines.to_numpy())
    pts = _boundary_sample(to_wgs84(gdf).geometry.to_numpy())
    medians = {}
    for system in ("wgs84", "gcj02", "bd09"):
        geoms = shapely.points(pts)
        if system != "wgs84":
            geoms = convert_geometry(geoms, system, "wgs84")
        metric = to_metric(gpd.GeoSeries(geoms, crs=WGS84)).to_numpy()
        medians[system] = float(np.median(shapely.distance(metric, target)))
    best = min(medians, key=lambda k: medians[k])
    if best != "wgs84" and medians["wgs84"] > 150 and medians[best] < 0.5 * medians["wgs84"]:
        return best, medians
    return "wgs84", medians


def check_layer(
    gdf: gpd.GeoDataFrame,
    geometry: str = "polygon",
    coords: str = "auto",
    reference: gpd.GeoDataFrame | None = None,
) -> CheckedLayer:
    """Check and repair an imported layer (see the module docstring).

    Parameters
    ----------
    gdf : GeoDataFrame
        As read by :func:`geo.io.read_vector` (with a CRS; its ``attrs["repairs"]`` are kept).
    geometry : {"polygon", "point", "line", "any"}
        The geometry family expected.
    coords : {"auto", "wgs84", "gcj02", "bd09"}
        What the coordinates are. ``"auto"`` converts only when :func:`detect_offset` finds an
        offset against ``reference`` (district boundaries, say).
    reference : GeoDataFrame, optional
        Boundaries to detect GCJ-02/BD-09 offsets against.

    Raises
    ------
    GeoIOError
        The layer cannot be used; the message says why.
    ValueError
        Unknown ``geometry`` or ``coords``.
    """
    if coords not in COORD_CHOICES:
        raise ValueError(f"coords must be one of {COORD_CHOICES}, got {coords!r}")
    if geometry != "any" and geometry not in GEOMETRY_FAMILIES:
        raise ValueError(f"geometry must be 'any' or one of {list(GEOMETRY_FAMILIES)}, got {geometry!r}")
    if gdf.crs is None:
        raise GeoIOError("图层没有坐标系 / the layer has no CRS")
    out = CheckedLayer(to_wgs84(gdf).reset_index(drop=True))
    for note in gdf.attrs.get("repairs", []):
        zh, _, en = note.partition(" / ")
        out.note(zh, en or zh)
    geoms = out.gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.all():
        raise GeoIOError("图层中没有有效几何 / the layer has no non-empty geometry")
    if empty.any():
        out.gdf = out.gdf.loc[~empty].reset_index(drop=True)
        out.note(f"已删除 {int(empty.sum())} 个空几何要素", f"dropped {int(empty.sum())} features with empty geometry")
    geoms = out.gdf.geometry.to_numpy()
    if geometry == "polygon":
        geoms = _polygonal(geoms, out)
        out.gdf = out.gdf.set_geometry(geoms)
    if geometry != "any":
        names = {_TYPE_NAMES[i] for i in shapely.get_type_id(geoms).tolist()}
        wrong = [n for n in names if n not in GEOMETRY_FAMILIES[geometry]]
        if wrong:
            raise GeoIOError(
                f"几何类型应为{_FAMILY_ZH[geometry]}，文件中有：{', '.join(sorted(wrong))} / "
                f"expected {geometry} geometries, found {', '.join(sorted(wrong))}"
            )
    xy = shapely.get_coordinates(geoms)
    reps = shapely.point_on_surface(geoms)
    x, y = shapely.get_x(reps), shapely.get_y(reps)
    if swapped_everywhere(_in_bbox(x, y), _in_bbox(y, x)):
        out.gdf = out.gdf.set_geometry(shapely.transform(geoms, lambda c: c[:, ::-1]))
        out.note("经纬度顺序颠倒（纬度在前），已纠正", "longitude and latitude were swapped; corrected")
        geoms = out.gdf.geometry.to_numpy()
        xy, reps = shapely.get_coordinates(geoms), shapely.point_on_surface(geoms)
    if not np.isfinite(xy).all() or (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        raise GeoIOError(
            f"坐标不是有效的经纬度：文件声明的坐标系（{gdf.crs.to_string()}）可能不对，投影坐标须附坐标系 / "
            f"coordinates are not valid degrees: the declared CRS ({gdf.crs.to_string()}) is probably wrong"
        )
    bounds = shapely.bounds(geoms)
    inside = _in_bbox(bounds[:, 0], bounds[:, 1]) & _in_bbox(bounds[:, 2], bounds[:, 3])
    if not inside.any():
        raise GeoIOError(
            f"全部要素都不在青岛市范围内（经度 {QINGDAO_BBOX[0]}–{QINGDAO_BBOX[2]}，纬度 {QINGDAO_BBOX[1]}–"
            f"{QINGDAO_BBOX[3]}）/ no feature lies in Qingdao; check the coordinates and CRS"
        )
    if not inside.all():
        outside = np.flatnonzero(~inside)
        label = feature_labels(out.gdf, outside)
        out.note(
            f"{len(outside)} 个要素不在（或超出）青岛市范围，不参与分析：{label}",
            f"left out {len(outside)} features that lie outside Qingdao or extend beyond it: {label}",
        )
        out.gdf = out.gdf.loc[inside].reset_index(drop=True)
    declared = gdf.attrs.get("declared_coords")
    system = coords
    if coords == "auto" and declared is not None:
        system = declared
        out.note(
            f"文件的坐标系定义（.prj/SRS）名为 {_OFFSET_ZH[declared]}，已转换为 WGS84",
            f"the file's CRS definition names {declared.upper()}; converted to WGS84",
        )
    elif coords == "auto":
        system = detect_offset(out.gdf, reference)[0] if reference is not None and geometry != "point" else "wgs84"
        if system != "wgs84":
            out.note(
                f"检测到 {_OFFSET_ZH[system]} 偏移，已转换为 WGS84；如数据本为 WGS84，请将坐标系选为 WGS84",
                f"{system.upper()} offset detected and converted to WGS84; choose WGS84 if that is wrong",
            )
    elif coords != "wgs84":
        out.note(f"坐标按 {_OFFSET_ZH[coords]} 转换为 WGS84", f"coordinates converted from {coords.upper()} to WGS84")
    if declared is not None and coords not in ("auto", declared):
        out.note(
            f"文件的坐标系定义名为 {_OFFSET_ZH[declared]}，但已按所选 {coords.upper()} 处理，请核实",
            f"the file's CRS names {declared.upper()} but {coords.upper()} was chosen; please check",
        )
    if system != "wgs84":
        moved = convert_geometry(out.gdf.geometry.to_numpy(), china_crs(system), "wgs84")
        out.gdf = out.gdf.set_geometry(moved, crs=WGS84)
    out.coords = system
    return out
