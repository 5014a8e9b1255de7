"""What the plan says about a spot or an area: the point and polygon queries behind map clicks.

:func:`describe_point` and :func:`describe_area` report the district, bay-side area, axis
corridors (with distances to the centrelines), the cluster (or the nearest one), the nearest
transport nodes and exclusion zones, and — for a chosen industry — the plan-fit level with the
plan's reasons, the compliance verdict and the score from :func:`analysis.siting.assess.assess` — for a
point, what the ranking says there (:func:`analysis.siting.assess.assess_at`: the plot's verdict inside a
candidate plot, the cluster's inside a cluster, else the spot's); an area is assessed as a plot the
user proposes (its area against the need, exclusion zones it meets). Input is WGS84 (EPSG:4326)
unless ``coords`` says GCJ-02 or BD-09 (clicks on Gaode tiles).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from analysis.findings import Finding
from analysis.siting.assess import Assessment, Land, assess, assess_at
from analysis.siting.config import SitingConfig
from analysis.siting.context import SitingContext, locate
from analysis.siting.network import trip_minutes
from analysis.siting.plan_fit import Fit
from analysis.siting.project import ProjectSpec
from geo.chinacoords import china_crs, convert, convert_geometry
from geo.crs import metric_geometry
from geo.measure import M2_PER_MU
from layers.plan import NODE_KINDS

__all__ = ["LocationReport", "describe_area", "describe_point"]


@dataclass
class LocationReport:
    """The answer to a point or area query (:func:`i18n.render.location_lines` writes it for people).

    Distances are in km; areas in 亩. ``fit`` and ``compliant`` are set when an industry is given.
    """

    lon: float
    lat: float
    on_land: bool
    district: str = ""
    bay_area: str = ""
    cluster: str = ""
    nearest_cluster: str = ""
    nearest_cluster_km: float = float("nan")
    axes: list[tuple[str, float, bool]] = field(default_factory=list)  # name, km, inside the corridor
    nodes: list[tuple[str, str, float, bool, float]] = field(default_factory=list)  # kind, name, km, by road, min
    exclusion: str = ""
    area_mu: float | None = None
    overlaps: list[tuple[str, float]] = field(default_factory=list)  # cluster or district, 亩
    fit: Fit | None = None
    score: float | None = None
    compliant: bool | None = None
    unit: str = ""  # whose verdict: "plot", "cluster" or "spot" (analysis.siting.assess.assess_at); "area"
    failures: list[Finding] = field(default_factory=list)  # rules not met (the project's 标准地 included)
    industry: str = ""

    def as_dict(self) -> dict:
        """JSON-ready form (findings as dictionaries)."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("fit", "failures")}
        out["failures"] = [f.to_dict() for f in self.failures]
        if self.fit is not None:
            out["fit_level"] = self.fit.level
            out["reasons"] = [f.to_dict() for f in self.fit.findings]
        return out


def _to_wgs84(lon: float, lat: float, coords: str) -> tuple[float, float]:
    if coords == "wgs84":
        return float(lon), float(lat)
    x, y = convert(np.array([lon], dtype=float), np.array([lat], dtype=float), china_crs(coords), "wgs84")
    return float(x[0]), float(y[0])


def _verdict(report: LocationReport, ctx: SitingContext, project: ProjectSpec, a: Assessment, i: int) -> None:
    """Put the verdict of location ``i`` of ``a`` into ``report``."""
    report.fit = a.fit(i)
    report.score = float(a.score[i])
    report.failures = a.failures(i, ctx, project)
    report.compliant = bool(a.compliant[i])
    report.industry = project.term


def _report(
    geom_m: shapely.Geometry,
    lon: float,
    lat: float,
    ctx: SitingContext,
    project: ProjectSpec | None,
    config: SitingConfig | None,
    cluster_yield,
    area: bool = False,
) -> LocationReport:
    loc = locate(np.array([geom_m], dtype=object), ctx)
    report = LocationReport(lon, lat, on_land=bool(loc.district[0] >= 0))
    if not report.on_land:
        return report
    report.district = str(ctx.districts["name"].iloc[loc.district[0]])
    report.bay_area = str(ctx.bays["name"].iloc[loc.bay[0]]) if loc.bay[0] >= 0 else ""
    if loc.cluster[0] >= 0:
        report.cluster = str(ctx.clusters["name"].iloc[loc.cluster[0]])
    else:
        d = shapely.distance(ctx.clusters.geometry.to_numpy(), geom_m)
        report.nearest_cluster = str(ctx.clusters["name"].iloc[int(np.argmin(d))])
        report.nearest_cluster_km = float(d.min() / 1000)
    report.axes = [
        (str(name), float(loc.axis_m[0, j] / 1000), bool(loc.axis_m[0, j] <= ctx.corridor_half_width_m))
        for j, name in enumerate(ctx.axes["name"])
    ]
    # without parameters, the default speeds (SitingConfig's field defaults)
    speeds = (config or SitingConfig).speed_kmh, (config or SitingConfig).access_speed_kmh
    for k, kind in enumerate(NODE_KINDS):
        j = loc.node_nearest[0, k]
        if j >= 0:
            road = bool(loc.node_road[0, k])
            minutes = float(trip_minutes(loc.node_m[0, k], loc.node_leg_m[0, k], *speeds)) if road else float("nan")
            report.nodes.append((kind, str(ctx.nodes["name"].iloc[j]), float(loc.node_m[0, k] / 1000), road, minutes))
    if loc.excluded[0] >= 0:
        report.exclusion = str(ctx.exclusion["name"].iloc[loc.excluded[0]])
    if project is None:
        return report
    if config is None:
        raise ValueError("config is required with a project / 有项目时须给出参数")
    if area:  # a drawn area: a plot the user proposes
        land = Land("plot", loc.area_mu, loc.area_mu, np.zeros(1, dtype=int), True)
        _verdict(report, ctx, project, assess(project, ctx, config, loc, land, cluster_yield), 0)
        report.unit = "area"
        return report
    at = assess_at(project, ctx, config, np.array([loc.x[0]]), np.array([loc.y[0]]), cluster_yield)
    unit, row = str(at.unit[0]), int(at.row[0])
    a = {"plot": at.plots, "cluster": at.clusters, "spot": at.spots}[unit]
    assert a is not None
    _verdict(report, ctx, project, a, row)
    report.unit = unit
    return report


def describe_point(
    lon: float,
    lat: float,
    ctx: SitingContext,
    project: ProjectSpec | None = None,
    config: SitingConfig | None = None,
    cluster_yield=None,
    coords: str = "wgs84",
) -> LocationReport:
    """Report on one spot (e.g. a map click).

    Raises
    ------
    ValueError
        Coordinates that are not finite numbers or an unknown ``coords``.
    """
    if not (np.isfinite(lon) and np.isfinite(lat)):
        raise ValueError(f"坐标须为有限数值 / coordinates must be finite numbers, got {lon!r}, {lat!r}")
    lon, lat = _to_wgs84(lon, lat, coords)
    point = metric_geometry(shapely.Point(lon, lat))
    return _report(point, lon, lat, ctx, project, config, cluster_yield)


def describe_area(
    polygon: shapely.Geometry,
    ctx: SitingContext,
    project: ProjectSpec | None = None,
    config: SitingConfig | None = None,
    cluster_yield=None,
    coords: str = "wgs84",
) -> LocationReport:
    """Report on an area (e.g. a polygon drawn on the map): the spot report at its representative
    point, plus its area and its overlaps with clusters, districts and exclusion zones.

    Raises
    ------
    ValueError
        Not a valid, non-empty polygon.
    """
    if polygon is None or shapely.is_empty(polygon) or shapely.get_type_id(polygon) not in (3, 6):
        raise ValueError("须为非空的面 / the area must be a non-empty polygon")
    if coords != "wgs84":
        polygon = convert_geometry(np.array([polygon], dtype=object), china_crs(coords), "wgs84")[0]
    if not shapely.is_valid(polygon):
        polygon = shapely.make_valid(polygon)
    area_m = metric_geometry(polygon)
    rep = shapely.point_on_surface(polygon)
    report = _report(area_m, rep.x, rep.y, ctx, project, config, cluster_yield, area=True)
    report.area_mu = float(area_m.area / M2_PER_MU)
    for frame in (ctx.clusters, ctx.districts):
        shares = shapely.area(shapely.intersection(frame.geometry.to_numpy(), area_m)) / M2_PER_MU
        report.overlaps += [(str(frame["name"].iloc[i]), float(shares[i])) for i in np.flatnonzero(shares > 0.05)]
    return report
