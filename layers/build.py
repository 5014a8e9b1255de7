"""Build the plan's map layers as GeoDataFrames (EPSG:4326) from the catalogue and base data.

Each public function returns one layer with the columns documented in ``catalogue/layers.toml``.
Geometry work is done in EPSG:4549 (metres) and the result is returned in EPSG:4326.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC, WGS84, metric_geometry, to_metric, to_wgs84
from geo.io import read_vector
from geo.measure import M2_PER_MU
from layers import catalogue
from layers.paths import DATA_DIR
from layers.roads import route_lonlat

__all__ = [
    "DATA_DIR",
    "DEFAULT_CORRIDOR_HALF_WIDTH_M",
    "axes",
    "axis_corridors",
    "bay_areas",
    "city_outline",
    "clusters",
    "context_land",
    "districts",
]

DEFAULT_CORRIDOR_HALF_WIDTH_M = 5000.0
PLAN_SOURCE = "青岛市“十四五”制造业高质量发展规划 / Qingdao 14th FYP for manufacturing"
_MAX_CORRIDOR_HALF_WIDTH_M = 50_000.0


def _joined(values: list[str]) -> str:
    return "、".join(values)


@cache
def _districts_cached() -> gpd.GeoDataFrame:
    gdf = read_vector(DATA_DIR / "qingdao_districts.geojson")
    gdf["adcode"] = gdf["adcode"].astype(int)
    metric = to_metric(gdf)
    gdf["area_km2"] = (metric.area / 1e6).round(2)
    gdf["area_mu"] = (metric.area / M2_PER_MU).round(0)
    membership = {}
    for bay in catalogue.bay_areas_table():
        partial = "clip_polygon" in bay
        for code in bay["districts"]:
            label = f"{bay['name']}（部分）" if partial else bay["name"]
            membership[code] = (label, bay["id"])
    gdf["bay_area"] = gdf["adcode"].map(lambda c: membership.get(c, ("", ""))[0])
    gdf["bay_area_id"] = gdf["adcode"].map(lambda c: membership.get(c, ("", ""))[1])
    gdf["geometry_quality"] = "official"
    columns = [
        "adcode",
        "name",
        "name_en",
        "area_km2",
        "area_mu",
        "bay_area",
        "bay_area_id",
        "geometry_quality",
        "source",
    ]
    return gdf[[*columns, "geometry"]]


def districts() -> gpd.GeoDataFrame:
    """The 10 区市 of Qingdao with area (km², 亩) and bay-side area membership."""
    return _districts_cached().copy()


def city_outline() -> shapely.Geometry:
    """Union of the district polygons (EPSG:4326): Qingdao's land area."""
    return shapely.union_all(_districts_cached().geometry.values)


def context_land() -> gpd.GeoDataFrame:
    """Neighbouring cities' land (烟台, 潍坊, 日照), for drawing the offline base map only."""
    return read_vector(DATA_DIR / "context_land.geojson")


def bay_areas() -> gpd.GeoDataFrame:
    """东岸/西岸/北岸城区 (plan 四(一)) with role, industries and plan text."""
    base = to_metric(districts()).set_index("adcode")
    rows, geoms = [], []
    for bay in catalogue.bay_areas_table():
        missing = set(bay["districts"]) - set(base.index)
        if missing:
            raise catalogue.CatalogueError(f"bay_areas.toml: {bay['id']!r} names unknown districts {missing}")
        geom = shapely.union_all(base.loc[bay["districts"]].geometry.values)
        if "clip_polygon" in bay:
            clip = to_metric(gpd.GeoSeries([shapely.Polygon(bay["clip_polygon"])], crs=WGS84)).iloc[0]
            geom = shapely.intersection(geom, clip)
        geoms.append(geom)
        rows.append(
            {
                "id": bay["id"],
                "name": bay["name"],
                "name_en": bay["name_en"],
                "role": bay["role"],
                "role_en": bay.get("role_en", ""),
                "industries": _joined(bay["industries"]),
                "plan_section": bay.get("plan_section", "四(一)"),
                "plan_text": bay["plan_text"],
                "area_km2": round(geom.area / 1e6, 1),
                "geometry_quality": bay["geometry_quality"],
                "geometry_note": bay.get("geometry_note", ""),
                "source": f"{PLAN_SOURCE} {bay.get('plan_section', '四(一)')}；边界：天地图区市边界",
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=METRIC)
    return to_wgs84(gdf)


def axes() -> gpd.GeoDataFrame:
    """The three development axes (plan 四(二)): routes along the road network through their towns.

    Each part of an axis follows the bundled OpenStreetMap highway graph (:mod:`layers.roads`) from
    waypoint to waypoint by shortest path: the real roads between the plan's towns, not necessarily
    the named national road (the graph has no names). A leg the network cannot follow is a straight
    line, and ``geometry_note`` names it.
    """
    return _axes_cached().copy()


@cache
def _axes_cached() -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for axis in catalogue.axes_table():
        parts, straight = [], []
        for part in axis["part"]:
            points = part["waypoints"]
            r = route_lonlat([(p["lon"], p["lat"]) for p in points])
            parts.append(r.line)
            straight += [f"{points[i]['name']}–{points[j]['name']}" for i, j in r.straight_legs]
        geom = shapely.MultiLineString(parts)
        waypoints = " | ".join(
            f"{part['name']}: " + " → ".join(p["name"] for p in part["waypoints"]) for part in axis["part"]
        )
        sources = sorted({p["source"] for part in axis["part"] for p in part["waypoints"]})
        geoms.append(geom)
        rows.append(
            {
                "id": axis["id"],
                "name": axis["name"],
                "name_en": axis["name_en"],
                "road": axis["road"],
                "industries": _joined(axis["industries"]),
                "guided": _joined(axis["guided"]),
                "waypoints": waypoints,
                "plan_section": axis.get("plan_section", "四(二)"),
                "plan_text": axis["plan_text"],
                "geometry_note": (
                    "直线连接（路网无法到达）/ straight (off the network): " + "、".join(straight) if straight else ""
                ),
                "geometry_quality": axis["geometry_quality"],
                "source": "途经点间的路网最短路径 / shortest road path between waypoints ("
                + ", ".join(sources)
                + ")；道路 © OpenStreetMap contributors (ODbL 1.0) via scgraph-data；GeoNames CC-BY 4.0",
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=WGS84)
    gdf.insert(gdf.columns.get_loc("waypoints"), "length_km", (to_metric(gdf).length / 1000).round(1))
    return gdf


def axis_corridors(half_width_m: float = DEFAULT_CORRIDOR_HALF_WIDTH_M) -> gpd.GeoDataFrame:
    """Corridor zones: each axis centreline buffered by ``half_width_m`` metres, clipped to Qingdao.

    Parameters
    ----------
    half_width_m : float, default 5000
        Distance from the centreline to the corridor edge, in metres (0 < w ≤ 50 000).
    """
    if not (0 < half_width_m <= _MAX_CORRIDOR_HALF_WIDTH_M) or not np.isfinite(half_width_m):
        raise ValueError(
            f"corridor half width must be in (0, {_MAX_CORRIDOR_HALF_WIDTH_M:.0f}] m, got {half_width_m!r}"
        )
    lines = to_metric(axes())
    land = metric_geometry(city_outline())
    zones = shapely.intersection(lines.buffer(half_width_m).values, land)
    out = lines[["id", "name", "name_en", "industries", "guided", "plan_section"]].copy()
    out["half_width_km"] = half_width_m / 1000
    out["area_km2"] = np.round(shapely.area(zones) / 1e6, 1)
    out["geometry_quality"] = lines["geometry_quality"].to_numpy()
    out["source"] = (
        f"轴带路线两侧 {half_width_m / 1000:g} km 缓冲区 / {half_width_m / 1000:g} km buffer of the axis route"
    )
    out = gpd.GeoDataFrame(out, geometry=zones, crs=METRIC)
    columns = ["id", "name", "name_en", "half_width_km", "industries", "guided", "area_km2", "plan_section"]
    return to_wgs84(out[[*columns, "geometry_quality", "source", "geometry"]])


def _radius_for_area(centre: shapely.Point, region: shapely.Geometry, target_m2: float) -> shapely.Geometry:
    """Disc around ``centre`` clipped to ``region`` whose area is ``target_m2`` (bisection on r)."""
    if region.area <= target_m2:
        return region
    lo, hi = 0.0, 40_000.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if shapely.intersection(centre.buffer(mid, 32), region).area < target_m2:
            lo = mid
        else:
            hi = mid
    return shapely.intersection(centre.buffer(hi, 32), region)


@cache
def _clusters_cached() -> gpd.GeoDataFrame:
    table = catalogue.clusters_table()
    base = to_metric(districts()).set_index("adcode")
    unknown = set(table["district"]) - set(base.index)
    if unknown:
        raise catalogue.CatalogueError(f"clusters.toml names unknown districts {sorted(unknown)}")
    centres = to_metric(gpd.GeoSeries(gpd.points_from_xy(table["centre_lon"], table["centre_lat"]), crs=WGS84))
    # Voronoi cells keep neighbouring schematic footprints from overlapping.
    frame = shapely.box(*base.total_bounds).buffer(50_000)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(centres.values)), extend_to=frame)
    cell_of = {}
    for cell in shapely.get_parts(cells):
        for i, pt in enumerate(centres.values):
            if cell.contains(pt):
                cell_of[i] = cell
    axis_names = {a["id"]: a["name"] for a in catalogue.axes_table()}
    bays = to_metric(bay_areas())
    geoms = []
    for i, row in enumerate(table.itertuples()):
        published = row.area_km2_published
        known = published is not None and not np.isnan(published)
        target_km2 = float(published) if known else float(row.nominal_area_km2)
        region = shapely.intersection(base.loc[row.district].geometry, cell_of[i])
        geoms.append(_radius_for_area(centres.iloc[i], region, target_km2 * 1e6))
    out = gpd.GeoDataFrame(table, geometry=geoms, crs=METRIC)
    out["district_name"] = out["district"].map(base["name"])
    out["axis_name"] = out["axis"].map(lambda a: axis_names.get(a, ""))
    reps = out.geometry.representative_point()
    out["bay_area"] = [next((b.name for b in bays.itertuples() if b.geometry.contains(p)), "") for p in reps]
    out["industries"] = out["industries"].map(_joined)
    out["status"] = np.where(out["plan_named"], "规划列名", "推测（规划未列名）")
    out["footprint_km2"] = (out.area / 1e6).round(1)
    out["source"] = np.where(
        out["plan_named"],
        f"{PLAN_SOURCE} 四(二)；示意范围：估计中心 + 公开面积",
        "推测，非规划原文 / inferred, not in the plan text；示意范围",
    )
    columns = list(catalogue.layer_specs()["clusters"].columns)
    return to_wgs84(out[[*columns, "geometry"]])


def clusters() -> gpd.GeoDataFrame:
    """The 14 municipal key industrial clusters with schematic footprints (see clusters.toml)."""
    return _clusters_cached().copy()
