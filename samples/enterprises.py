"""Reproducible SYNTHETIC enterprises for demonstration and tests (not real data).

Firms are placed inside the plan's cluster footprints (with the cluster's industries) and across
the districts, with lognormal indicators per industry (``sample_profiles.toml``) and a gentle
gradient of 亩均税收 away from Jiaozhou Bay so that maps show structure. Every row says it is
synthetic: the name carries ``（合成）``, the column ``数据性质`` says ``合成样例数据``, and credit
codes use the organisation-code prefix ``000`` that no real registration uses.

Regenerate the bundled sample with ``python -m samples.enterprises --n 3000 --seed 20251126
--out data/sample_enterprises.csv``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.land_yield.credit_code import CHARS, check_char
from analysis.land_yield.enterprises import ABOVE, BELOW
from analysis.land_yield.schema import FIELDS, SAMPLE_LABEL, SAMPLE_LABEL_EN, SYNTHETIC_COLUMN
from geo.atomic import atomic_path
from geo.crs import METRIC, WGS84, to_metric, to_wgs84
from geo.pointquery import random_points_in

__all__ = ["SAMPLE_LABEL", "SAMPLE_LABEL_EN", "SYNTHETIC_COLUMN", "credit_codes", "synthetic_enterprises",
           "to_source_table"]  # fmt: skip

_BAY_CENTRE = (120.25, 36.15)  # Jiaozhou Bay, WGS84


@cache
def _profiles() -> dict:
    with Path(__file__).with_name("sample_profiles.toml").open("rb") as fh:
        return tomllib.load(fh)


def credit_codes(serials: np.ndarray) -> list[str]:
    """Codes ``9137020000 0xxxxxx c``: organisation code prefix 000, unused by real registrations."""
    codes = []
    for s in serials:
        digits = []
        for _ in range(6):
            s, r = divmod(int(s), len(CHARS))
            digits.append(CHARS[r])
        body = "91370200000" + "".join(reversed(digits))
        codes.append(body + check_char(body))
    return codes


def synthetic_enterprises(
    n: int,
    districts: gpd.GeoDataFrame,
    clusters: gpd.GeoDataFrame,
    seed: int = 20251126,
    evaluation_year: int = 2025,
) -> pd.DataFrame:
    """Generate ``n`` synthetic enterprises with canonical columns (see :data:`analysis.land_yield.schema.FIELDS`).

    Parameters
    ----------
    n : int
        Number of firms (≥ 1).
    districts, clusters : GeoDataFrame
        The plan layers ``districts`` and ``clusters`` (EPSG:4326).
    seed : int
        Random seed; the same seed and layers give the same table.
    evaluation_year : int
        Year the data describe; a share of firms started in the last two years (class T).

    Returns
    -------
    DataFrame
        Canonical columns plus ``synthetic`` (the label :data:`SAMPLE_LABEL`), coordinates in
        WGS84 degrees.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    from layers.catalogue import resolve_industry

    prof = _profiles()
    dflt, inds = prof["defaults"], prof["industry"]
    rng = np.random.default_rng(seed)
    ind_ids = [k for k in inds if k != "other"]

    # Location: clusters (with their industries) or districts (weighted).
    in_cluster = rng.random(n) < dflt["in_cluster_share"]
    cl = to_metric(clusters).reset_index(drop=True)
    cl_weight = cl.area.to_numpy() ** 0.5
    which_cl = rng.choice(len(cl), size=n, p=cl_weight / cl_weight.sum())
    dist = to_metric(districts).reset_index(drop=True)
    d_weight = dist["name"].map(prof["district_weights"]).fillna(1.0).to_numpy()
    which_d = rng.choice(len(dist), size=n, p=d_weight / d_weight.sum())
    xy = np.empty((n, 2))
    xy[in_cluster] = random_points_in(cl.geometry.to_numpy(), which_cl[in_cluster], rng)
    xy[~in_cluster] = random_points_in(dist.geometry.to_numpy(), which_d[~in_cluster], rng)

    # Industry: cluster firms mostly take one of the cluster's industries.
    cluster_inds = [[resolve_industry(t) for t in str(s).split("、") if t] for s in cl["industries"]]
    industry = rng.choice([*ind_ids, "other"], size=n, p=_even(len(ind_ids) + 1, other_weight=4.0))
    for i in np.flatnonzero(in_cluster & (rng.random(n) < 0.8)):
        options = [k for k in cluster_inds[which_cl[i]] if k in inds]
        if options:
            industry[i] = options[rng.integers(len(options))]

    p = pd.DataFrame([inds[k] for k in industry])
    sigma = dflt["sigma"]
    above = rng.random(n) < dflt["above_share"]
    land = np.where(above, dflt["land_mu_above"], dflt["land_mu_below"]) * rng.lognormal(0, 0.8, n)
    land = np.round(np.clip(land, 0.5, 3000), 1)

    pts = gpd.GeoSeries(shapely.points(xy), crs=METRIC)
    bay = to_metric(gpd.GeoSeries(shapely.points([_BAY_CENTRE]), crs=WGS84)).iloc[0]
    d_bay_km = pts.distance(bay).to_numpy() / 1000
    gradient = np.exp(-d_bay_km / dflt["bay_gradient_km"]) * 1.8 + 0.4
    tax_per_mu = p["tax_per_mu"].to_numpy() * gradient * rng.lognormal(0, sigma, n)
    tax_per_mu *= np.where(above, 1.0, 0.45)
    tax = np.round(tax_per_mu * land, 1)
    revenue = np.round(tax * p["revenue_per_tax"].to_numpy() * rng.lognormal(0, 0.3, n), 1)
    energy = np.round(revenue / (p["revenue_per_tce"].to_numpy() * rng.lognormal(0, sigma, n)), 1)
    emissions = np.round(revenue / (p["revenue_per_t"].to_numpy() * rng.lognormal(0, sigma, n)), 2)
    emissions[rng.random(n) < 0.03] = 0.0  # some firms report no main pollutants
    rd = np.round(revenue * p["rd_pct"].to_numpy() / 100 * rng.lognormal(0, 0.7, n), 1)
    value_added = np.round(revenue * np.clip(p["va_rate"].to_numpy() * rng.lognormal(0, 0.25, n), 0.05, 0.9), 1)
    employees = np.maximum(3, np.round(land * p["jobs_per_mu"].to_numpy() * rng.lognormal(0, 0.4, n))).astype(int)
    start = np.clip(np.round(evaluation_year - rng.gamma(2.0, 6.0, n) - 2), 1985, evaluation_year).astype(int)
    new = rng.random(n) < dflt["new_share"]
    start[new] = evaluation_year - rng.integers(0, 2, new.sum())
    division = p["division"].to_numpy().astype(object)
    utility = rng.random(n) < dflt["utility_share"]
    division[utility] = rng.choice([44, 45, 46], utility.sum())
    minor = rng.integers(10, 99, n)

    names = industry_names(industry)
    geo = to_wgs84(gpd.GeoSeries(shapely.points(xy), crs=METRIC))
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=geo), districts[["name", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated()]
    serial = rng.permutation(n) + 1
    frame = pd.DataFrame(
        {
            "name": [f"样例企业{s:05d}（{nm}，合成）" for s, nm in zip(serial, names, strict=True)],
            "credit_code": credit_codes(serial),
            "industry_code": [f"{d}{m}" for d, m in zip(division, minor, strict=True)],
            "industry": names,
            "district": joined["name"].fillna("").to_numpy(),
            "scale": np.where(above, ABOVE, BELOW),
            "land_mu": land,
            "tax": tax,
            "revenue": revenue,
            "value_added": value_added,
            "energy_tce": np.maximum(energy, 0.1),
            "emissions_t": emissions,
            "rd": rd,
            "employees": employees,
            "start_year": start,
            "lon": np.round(geo.x.to_numpy(), 6),
            "lat": np.round(geo.y.to_numpy(), 6),
        }
    )
    # 规下 firms rarely report energy, emissions and R&D in practice; leave most blank.
    blank = ~above & (rng.random(n) < 0.7)
    frame.loc[blank, ["value_added", "energy_tce", "emissions_t", "rd"]] = np.nan
    _add_uses(frame, rng)
    frame["synthetic"] = SAMPLE_LABEL
    return frame.sort_values("name").reset_index(drop=True)


KGCE_PER_KWH = 0.1229  # GB/T 2589: 1 kWh = 0.1229 kgce (equivalent value)
KGCE_PER_M3_GAS = 1.2143  # natural gas, kgce per m³


def _add_uses(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Power (千瓦时), piped gas (立方米) and water (吨) use, consistent with 综合能耗 and 营业收入.

    Drawn after every other value, so that adding them changed none of the sample's other figures.
    Half of the firms that report no energy report no use either.
    """
    n = len(frame)
    power_share = np.clip(rng.normal(0.55, 0.15, n), 0.1, 0.95)
    gas_share = np.clip(rng.normal(0.2, 0.1, n), 0.0, 0.6) * (1 - power_share)
    energy = frame["energy_tce"].to_numpy()
    frame["power_kwh"] = np.round(energy * power_share * 1000 / KGCE_PER_KWH, -2)
    frame["gas_m3"] = np.round(energy * gas_share * 1000 / KGCE_PER_M3_GAS, 0)
    frame["water_t"] = np.round(frame["revenue"].to_numpy() * rng.lognormal(np.log(3.0), 0.8, n), 0)
    small = np.isnan(energy)
    estimated = small & (rng.random(n) < 0.5)  # metered by the grid and the water company even when not reported
    revenue = frame["revenue"].to_numpy()
    frame.loc[estimated, "power_kwh"] = np.round(revenue[estimated] * rng.lognormal(np.log(60.0), 0.6,
                                                                                     estimated.sum()), -2)  # fmt: skip
    frame.loc[small & ~estimated, "water_t"] = np.nan


def _even(k: int, other_weight: float) -> np.ndarray:
    w = np.ones(k)
    w[-1] = other_weight
    return w / w.sum()


def industry_names(ids: np.ndarray) -> list[str]:
    """Plan industry names (Chinese) for taxonomy ids; ``"other"`` → ``其他制造业``."""
    from layers.catalogue import industries

    names = dict(zip(industries()["id"], industries()["name"], strict=True))
    names["other"] = "其他制造业"
    return [names[i] for i in ids]


def to_source_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Canonical columns renamed to user-facing headers (``用地面积(亩)`` …) for writing files."""
    headers = {f.id: (f.zh if lang == "zh" else f.en) for f in FIELDS}
    headers["synthetic"] = SYNTHETIC_COLUMN if lang == "zh" else "data_nature"
    return frame.rename(columns=headers)


def main(argv: list[str] | None = None) -> int:
    """``python -m samples.enterprises --n N --seed S --out FILE.csv``: write a synthetic sample."""
    from layers import load_layer

    parser = argparse.ArgumentParser(prog="python -m samples.enterprises", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="number of firms (default 3000)")
    parser.add_argument("--seed", type=int, default=20251126)
    parser.add_argument("--year", type=int, default=2025, help="evaluation year (default 2025)")
    parser.add_argument("--out", type=Path, required=True, help="output .csv (UTF-8 with BOM, opens in Excel)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.out.suffix.lower() != ".csv":
        print("错误 / error: --n must be ≥ 1 and --out must end in .csv", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"错误 / error: 输出目录不存在 / output folder does not exist: {args.out.parent}", file=sys.stderr)
        return 2
    frame = synthetic_enterprises(args.n, load_layer("districts"), load_layer("clusters"), args.seed, args.year)
    title = f"{SAMPLE_LABEL} / {SAMPLE_LABEL_EN}：python -m samples.enterprises --n {args.n} --seed {args.seed}"
    try:
        with atomic_path(args.out) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            fh.write(title.replace(",", " ") + "\n")
            to_source_table(frame).to_csv(fh, index=False, lineterminator="\n")
    except OSError as exc:
        print(f"错误 / error: 无法写入 / cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{len(frame)} synthetic firms → {args.out}")
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
