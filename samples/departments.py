"""SYNTHETIC departments' tables over several years, for showing the yearly 亩产效益 work offline (not real data).

The firms of :func:`samples.enterprises.synthetic_enterprises` are followed over the years (2021–2025
by default): each firm has its own trend of output (a few per cent a year, some shrinking), yearly
noise, energy use that improves slowly, occasional new land; firms start production in their
投产年份 and a few close each year; about 1 % stand idle on their land (营业收入 and 税收 0) in the
years before the last. Every year is split as the departments deliver it:

* ``税务`` (tax bureau): identity, location and 税收 of every firm;
* ``统计`` (statistics): 营业收入, 工业增加值, 研发经费, 从业人员 — 规上 firms and a third of 规下;
* ``能耗`` (power grid and energy office): 综合能耗, 用电量 (万千瓦时), 用气量, 用水量;
* ``排放`` (environment): 主要污染物排放量 of 规上 firms;
* ``自然资源`` (natural resources): land parcels in 平方米, one to three per firm.

As real deliveries do, a few rows disagree: some names differ between tax and statistics, some codes
arrive in lower case with spaces, a few energy rows have no code. Every table says it is synthetic
(column ``数据性质``, names ending ``（合成）``, codes with the unused organisation prefix ``000``).

``python -m samples.departments --n 3000 --years 2021-2025 --out DIR`` writes ``DIR/<year>/<source>.csv``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.land_yield.schema import M2_PER_MU, SAMPLE_LABEL, SYNTHETIC_COLUMN
from geo.atomic import atomic_path
from samples.enterprises import credit_codes, synthetic_enterprises

__all__ = ["SOURCES", "department_tables", "synthetic_years"]

SOURCES = ("税务", "统计", "能耗", "排放", "自然资源")


def synthetic_years(
    n: int,
    districts: gpd.GeoDataFrame,
    clusters: gpd.GeoDataFrame,
    years: range = range(2021, 2026),
    seed: int = 20251126,
) -> dict[int, pd.DataFrame]:
    """Canonical firm tables (see :data:`analysis.land_yield.schema.FIELDS`) for each year of ``years``.

    Parameters
    ----------
    n : int
        Firms in the last year (≥ 1); earlier years have fewer (not yet started) or others (closed since).
    districts, clusters : GeoDataFrame
        The plan layers (EPSG:4326).
    years : range
        Consecutive years, the last one the base year of :func:`samples.enterprises.synthetic_enterprises`.
    seed : int
        The same seed and layers give the same tables; the last year's firms are those of
        ``synthetic_enterprises(n, …, seed)`` (with the defaults: the bundled sample).

    Returns
    -------
    dict of int to DataFrame
        Year → firms active that year, with ``power_kwh`` (千瓦时), ``gas_m3`` (立方米), ``water_t`` (吨)
        and ``year``.

    Examples
    --------
    >>> from layers import load_layers
    >>> layers = load_layers(["districts", "clusters"])
    >>> tables = synthetic_years(200, layers["districts"], layers["clusters"], range(2023, 2026), seed=1)
    >>> sorted(tables), all(t["synthetic"].eq(SAMPLE_LABEL).all() for t in tables.values())
    ([2023, 2024, 2025], True)
    """
    if len(years) < 1 or years.step != 1:
        raise ValueError(f"years must be consecutive, got {years!r}")
    last = years[-1]
    closed_share = 0.02
    extra = int(np.ceil(n * closed_share * (len(years) - 1)))  # firms that close before the last year
    # The last year is the sample synthetic_enterprises(n, seed) gives (the bundled sample with the
    # default seed), so that the page's default data compares with the earlier sample years.
    base = synthetic_enterprises(n, districts, clusters, seed=seed, evaluation_year=last)
    if extra:
        closed = synthetic_enterprises(extra, districts, clusters, seed=seed + 2, evaluation_year=last)
        serials = np.arange(n + 1, n + extra + 1)  # codes and names after the sample's own
        closed["credit_code"] = credit_codes(serials)
        closed["name"] = [f"样例企业{k:05d}（{nm}，合成）" for k, nm in zip(serials, closed["industry"], strict=True)]
        closed["start_year"] = np.minimum(closed["start_year"], years[0])  # it was there at the start
        base = pd.concat([base, closed], ignore_index=True)
    rng = np.random.default_rng(seed + 1)
    size = len(base)
    closes = np.full(size, last + 1)
    if extra:
        closes[n:] = rng.integers(years[0] + 1, last + 1, extra)  # not active from this year on
    trend = rng.normal(0.04, 0.07, size)  # yearly change of output
    saving = rng.normal(0.025, 0.015, size)  # yearly fall of energy per output
    grows_land = rng.random(size) < 0.04
    # about 1 % of the firms stood idle on their land in the earlier years (低效用地: revenue and tax 0);
    # drawn from their own stream so that every other figure is as before
    idle = np.random.default_rng(seed + 3).random(size) < 0.01
    out = {}
    for year in years:
        back = year - last
        noise = rng.lognormal(0, 0.08, size) if year < last else np.ones(size)  # the last year is the sample
        output = np.exp(trend * back) * noise
        frame = base.copy()
        for column in ("tax", "revenue", "value_added", "rd"):
            frame[column] = (frame[column] * output).round(1)
        efficiency = np.exp(saving * back)  # earlier years used more energy per output
        frame["energy_tce"] = (frame["energy_tce"] * output * efficiency).round(1)
        frame["emissions_t"] = (frame["emissions_t"] * output * efficiency).round(2)
        frame["employees"] = np.maximum(3, (frame["employees"] * np.exp(trend * back * 0.5)).round()).astype(int)
        frame.loc[grows_land & (year < last), "land_mu"] = (frame["land_mu"] / 1.3).round(1)
        frame["power_kwh"] = (frame["power_kwh"] * output * efficiency).round(-2)
        frame["gas_m3"] = (frame["gas_m3"] * output * efficiency).round(0)
        frame["water_t"] = (frame["water_t"] * output).round(0)
        if year < last:
            frame.loc[idle, ["tax", "revenue", "value_added", "rd"]] = 0.0
            for column, digits in (("energy_tce", 1), ("power_kwh", -2), ("gas_m3", 0), ("water_t", 0)):
                frame.loc[idle, column] = (frame.loc[idle, column] * 0.05).round(digits)  # kept warm, not producing
        frame["year"] = year
        active = (frame["start_year"].to_numpy() <= year) & (closes > year)
        out[year] = frame[active].reset_index(drop=True)
    return out


def department_tables(firms: pd.DataFrame, seed: int = 0) -> dict[str, pd.DataFrame]:
    """One year's firms as the five departments deliver them (user-facing headers, text cells).

    Examples
    --------
    >>> firms = pd.DataFrame({"credit_code": ["913702000000000012"], "name": ["甲（合成）"], "scale": ["规上"],
    ...     "land_mu": [30.0], "year": [2025]})
    >>> department_tables(firms)["自然资源"].columns.tolist()
    ['统一社会信用代码', '宗地编号', '用地面积(平方米)', '年度', '数据性质']
    """
    rng = np.random.default_rng(seed)
    f = firms.reset_index(drop=True)
    n = len(f)

    def get(column: str) -> pd.Series:
        return f[column] if column in f else pd.Series(np.nan, index=f.index)

    above = get("scale").eq("规上").to_numpy()
    codes = get("credit_code").astype(str)
    year = get("year")

    def table(columns: dict[str, pd.Series], rows: np.ndarray | None = None) -> pd.DataFrame:
        frame = pd.DataFrame(columns)
        frame["年度"] = year
        frame[SYNTHETIC_COLUMN] = SAMPLE_LABEL
        return frame if rows is None else frame[rows].reset_index(drop=True)

    tax = table({"统一社会信用代码": codes, "企业名称": get("name"), "区市": get("district"), "规模": get("scale"),
                 "行业代码": get("industry_code"), "产业领域": get("industry"), "投产年份": get("start_year"),
                 "经度": get("lon"), "纬度": get("lat"), "税收(万元)": get("tax")})  # fmt: skip
    renamed = get("name").astype(str).str.replace("（", "有限公司（", n=1, regex=False)  # 样例企业00012有限公司（…）
    stats_names = get("name").where(rng.random(n) >= 0.005, renamed)  # a few names differ from the tax bureau's
    stats = table({"统一社会信用代码": codes, "企业名称": stats_names, "营业收入(万元)": get("revenue"),
                   "工业增加值(万元)": get("value_added"), "研发经费(万元)": get("rd"),
                   "从业人员(人)": get("employees")}, above | (rng.random(n) < 0.33))  # fmt: skip
    spaced = rng.random(n) < 0.003  # typed by hand: lower case, spaces
    energy_codes = codes.where(~spaced, codes.str.lower().str.slice(0, 6) + " " + codes.str.lower().str.slice(6))
    energy = table({"统一社会信用代码": energy_codes, "综合能耗(吨标准煤)": get("energy_tce"),
                    "用电量(万千瓦时)": (get("power_kwh") / 1e4).round(2), "用气量(立方米)": get("gas_m3"),
                    "用水量(吨)": get("water_t")}, get("energy_tce").notna().to_numpy() | get("power_kwh").notna()
                   .to_numpy())  # fmt: skip
    no_code = rng.choice(len(energy), 2, replace=False) if len(energy) > 50 else np.zeros(0, dtype=int)
    energy.loc[no_code, "统一社会信用代码"] = ""  # rows the grid company could not match
    emissions = table({"统一社会信用代码": codes, "主要污染物排放量(吨)": get("emissions_t")}, above)
    parts = rng.choice([1, 1, 1, 2, 3], n)  # parcels per firm
    owner = np.repeat(np.arange(n), parts)
    number = np.concatenate([np.arange(k) for k in parts]) if n else np.zeros(0, dtype=int)  # parcel of its firm
    weight = rng.dirichlet(np.ones(3), n)[owner, number]
    weight = weight / pd.Series(weight).groupby(owner).transform("sum").to_numpy()
    owner_codes = codes.to_numpy()[owner]
    land = pd.DataFrame({"统一社会信用代码": owner_codes,
                         "宗地编号": [f"QD{c[-6:]}-{k + 1}" for c, k in zip(owner_codes, number, strict=True)],
                         "用地面积(平方米)": (get("land_mu").to_numpy()[owner] * weight * M2_PER_MU).round(1),
                         "年度": year.to_numpy()[owner], SYNTHETIC_COLUMN: SAMPLE_LABEL})  # fmt: skip
    return {"税务": tax, "统计": stats, "能耗": energy, "排放": emissions, "自然资源": land}


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    start, end = int(first), int(last or first)
    if not 1990 <= start <= end <= 2100 or end - start > 20:
        raise ValueError(text)
    return range(start, end + 1)


def main(argv: list[str] | None = None) -> int:
    """``python -m samples.departments --n N --years 2021-2025 --out DIR``: write each year's five tables."""
    from layers import load_layers

    parser = argparse.ArgumentParser(prog="python -m samples.departments", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="firms in the last year (default 3000)")
    parser.add_argument("--years", default="2021-2025", help="years, e.g. 2021-2025 (default)")
    parser.add_argument("--seed", type=int, default=20251126)
    parser.add_argument("--out", type=Path, required=True, help="output folder (created; DIR/<year>/<source>.csv)")
    args = parser.parse_args(argv)
    try:
        years = _years(args.years)
    except ValueError:
        print(f"错误 / error: --years 应写作 2021-2025 / --years must look like 2021-2025, got {args.years!r}",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.n < 1:
        print("错误 / error: --n must be ≥ 1", file=sys.stderr)
        return 2
    layers = load_layers(["districts", "clusters"])
    try:
        for year, firms in synthetic_years(args.n, layers["districts"], layers["clusters"], years, args.seed).items():
            folder = args.out / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            for source, frame in department_tables(firms, seed=args.seed + year).items():
                with atomic_path(folder / f"{source}.csv") as tmp:
                    frame.to_csv(tmp, index=False, encoding="utf-8-sig")
            print(f"{year}: {len(firms)} synthetic firms → {folder}")
    except OSError as exc:
        print(f"错误 / error: 无法写入 / cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    from cli.pipes import quiet_pipe

    sys.exit(quiet_pipe(main))
