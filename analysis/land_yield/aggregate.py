"""亩产效益 by area: clusters, districts, axis corridors, bay areas and a regular grid.

Area figures are ratios of sums (Σ税收 ÷ Σ亩, not the mean of the firms' ratios), over rated
firms that report both parts of the ratio. Areas with fewer than ``min_firms`` rated firms are
suppressed: their figures are left empty and ``suppressed`` is true, so that no single firm's
data can be read off the map.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.land_yield.config import INDICATORS
from geo.crs import METRIC, WGS84, to_metric, to_wgs84

__all__ = ["AREA_COLUMNS", "MIN_FIRMS", "aggregate_grid", "aggregate_zones", "grid_cells"]

MIN_FIRMS = 3
_SUMS = ("land_mu", "tax", "revenue", "value_added", "energy_tce", "emissions_t", "rd", "employees")
AREA_COLUMNS = (
    "n_firms", "n_rated", "suppressed", "land_mu", "tax",
    *INDICATORS, "score_mean", "share_A", "share_B", "share_C", "share_D",
)  # fmt: skip


def _summarise(firms: pd.DataFrame, key: pd.Series, min_firms: int) -> pd.DataFrame:
    """Ratio-of-sums figures per value of ``key`` (aligned with ``firms``)."""
    rated = firms["status"].eq("rated")
    groups = key.rename("_key")
    out = pd.DataFrame({"n_firms": firms.groupby(groups).size()})
    out["n_rated"] = rated.groupby(groups).sum().astype(int)
    r = firms[rated]
    rk = groups[rated]
    sums = r[list(_SUMS)].astype(float).groupby(rk).sum(min_count=1)
    out["land_mu"] = sums["land_mu"]
    out["tax"] = sums["tax"]
    for ind in INDICATORS.values():
        both = r[ind.numerator].notna() & r[ind.denominator].notna()
        num = r.loc[both, ind.numerator].astype(float).groupby(rk[both]).sum()
        den = r.loc[both, ind.denominator].astype(float).groupby(rk[both]).sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            out[ind.id] = (num / den.where(den > 0)) * ind.scale
    out["score_mean"] = r["score"].groupby(rk).mean()
    cls = pd.crosstab(rk, r["class"]) if len(r) else pd.DataFrame()
    for c in "ABCD":
        share = cls[c] / cls.sum(axis=1) if c in cls else 0.0
        out[f"share_{c}"] = share
    out["suppressed"] = out["n_rated"] < min_firms
    hidden = [c for c in AREA_COLUMNS if c not in ("n_firms", "n_rated", "suppressed")]
    out[hidden] = out[hidden].astype(float).where(~out["suppressed"], np.nan)
    return out.reindex(columns=list(AREA_COLUMNS))


def aggregate_zones(
    result: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, zone_id: str = "id", min_firms: int = MIN_FIRMS
) -> gpd.GeoDataFrame:
    """Figures per zone for located firms inside it.

    Parameters
    ----------
    result : GeoDataFrame
        Output of :func:`analysis.land_yield.scoring.evaluate` with point geometry (EPSG:4326).
    zones : GeoDataFrame
        Polygons, e.g. the plan layers ``clusters``, ``districts``, ``axis_corridors`` or
        ``bay_areas``. Zones may overlap (a firm counts in every zone containing it).
    zone_id : str
        Identifying column of ``zones``.
    min_firms : int
        Suppress zones with fewer rated firms (default 3).

    Returns
    -------
    GeoDataFrame
        ``zones`` (all rows, same order, EPSG:4326) with :data:`AREA_COLUMNS` added; zones with no
        firm have ``n_firms = 0`` and are suppressed.
    """
    if zone_id not in zones:
        raise KeyError(f"zones have no column {zone_id!r}")
    located = result[~result.geometry.is_empty & result.geometry.notna()]
    zones_wgs = to_wgs84(zones)
    hits = gpd.sjoin(
        located[["geometry"]], zones_wgs[[zone_id, "geometry"]], predicate="within", how="inner"
    )  # tree on the zones' side: points are queried against few polygons
    firms = located.loc[hits.index].reset_index(drop=True)
    summary = _summarise(firms, pd.Series(hits[zone_id].to_numpy()), min_firms)
    out = zones_wgs.merge(summary, left_on=zone_id, right_index=True, how="left")
    out["n_firms"] = out["n_firms"].fillna(0).astype(int)
    out["n_rated"] = out["n_rated"].fillna(0).astype(int)
    out["suppressed"] = out["suppressed"].fillna(True).astype(bool)
    return out


def _cell_index(result: gpd.GeoDataFrame, cell_m: float) -> tuple[pd.DataFrame, pd.Series, tuple[float, float]]:
    located = result[~result.geometry.is_empty & result.geometry.notna()]
    pts = to_metric(located.geometry)
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    x0, y0 = np.floor(x.min() / cell_m) * cell_m, np.floor(y.min() / cell_m) * cell_m
    col = ((x - x0) // cell_m).astype(np.int64)
    row = ((y - y0) // cell_m).astype(np.int64)
    key = pd.Series(row * 1_000_000 + col, index=located.index)
    return located, key, (x0, y0)


def grid_cells(keys: np.ndarray, origin: tuple[float, float], cell_m: float) -> gpd.GeoSeries:
    """Square cells (EPSG:4326) for grid keys ``row * 1e6 + col`` from ``origin`` in EPSG:4549."""
    row, col = np.divmod(np.asarray(keys, dtype=np.int64), 1_000_000)
    x = origin[0] + col * cell_m
    y = origin[1] + row * cell_m
    return to_wgs84(gpd.GeoSeries(shapely.box(x, y, x + cell_m, y + cell_m), crs=METRIC))


def aggregate_grid(result: gpd.GeoDataFrame, cell_m: float = 1000.0, min_firms: int = MIN_FIRMS) -> gpd.GeoDataFrame:
    """Figures per square cell of ``cell_m`` metres (EPSG:4549 grid), for occupied cells only.

    Returns
    -------
    GeoDataFrame
        ``cell`` (grid key), ``cell_m`` and :data:`AREA_COLUMNS`, cell polygons in EPSG:4326.
    """
    if not 50 <= cell_m <= 50_000:
        raise ValueError(f"cell_m must be 50–50 000 m, got {cell_m}")
    located, key, origin = _cell_index(result, cell_m)
    if located.empty:
        return gpd.GeoDataFrame({"cell": [], **{c: [] for c in AREA_COLUMNS}}, geometry=[], crs=WGS84)
    summary = _summarise(located.reset_index(drop=True), key.reset_index(drop=True), min_firms)
    cells = grid_cells(summary.index.to_numpy(), origin, cell_m)
    out = gpd.GeoDataFrame(summary.reset_index(names="cell"), geometry=cells.to_numpy(), crs=WGS84)
    out.insert(1, "cell_m", float(cell_m))
    return out
