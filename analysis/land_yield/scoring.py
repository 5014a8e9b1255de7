"""Scope, indicators, scores and classes of the 亩产效益 evaluation (vectorised, pure).

Method (DESIGN.md §3; defaults not official, see ``land_yield.toml``):

1. Scope: GB/T 4754 divisions 44–46 are excluded; 规下 firms under ``min_land_mu_below`` 亩 are
   excluded; firms that started production in the last ``new_firm_years`` years are class T.
2. Indicators (规上): 单位用地税收 tax ÷ 亩, 单位能耗销售收入 revenue ÷ tce, 单位污染物排放销售收入
   revenue ÷ t, 研发经费投入强度 R&D ÷ revenue × 100 %, 全员劳动生产率 value added ÷ employees.
   规下: 单位用地税收. A zero denominator with a positive numerator (no emissions) is the best
   possible value and earns the capped ratio.
3. Each indicator is winsorised at the configured quantiles within its scale group (规上/规下),
   divided by the cohort median (same 区市 and scale, or city-wide), capped at ``cap``, and
   weighted: ``score = Σ wᵢ · min(xᵢ / medianᵢ, cap)``. A firm at every median scores Σw (100 by
   default).
4. Classes by rank within the ranking group: the best ``floor(A·n)`` are A, the worst
   ``ceil(D·n)`` are D. Tied scores take the *lower* class ("max" rank), so the share of A never
   exceeds its quota and the share of D never falls below it — the official rule A ≤ 20 %,
   D ≥ 5 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.land_yield.config import CLASS_INFO, INDICATORS, ScoringConfig
from analysis.land_yield.enterprises import ABOVE, BELOW

__all__ = ["STATUS", "assign_classes", "compute_indicators", "counted_firms", "evaluate", "scope_status"]

STATUS: dict[str, tuple[str, str]] = {
    "rated": ("参评", "rated"),
    "new": ("新投产企业（T 类，不参评）", "new firm (class T, not rated)"),
    "excluded_utility": ("电力、热力、燃气及水生产和供应业（44–46），不参评", "utility (divisions 44–46), not rated"),
    "excluded_small": ("规下且用地不足 3 亩，不参评", "below scale on less than 3 mu, not rated"),
    "excluded_scale": ("规模未知，不参评", "unknown scale, not rated"),
    "data_error": ("数据错误，未参评（原因见“问题”）", "data error, not rated (see the problems)"),
}


def scope_status(df: pd.DataFrame, config: ScoringConfig) -> pd.Series:
    """Why each firm is or is not rated: a key of :data:`STATUS`.

    Parameters
    ----------
    df : DataFrame
        Prepared enterprises (``scale``, ``land_mu`` in 亩, ``industry_division``, ``start_year``).
    config : ScoringConfig
    """
    status = pd.Series("rated", index=df.index, dtype=object)
    first_new_year = config.evaluation_year - config.new_firm_years + 1
    new = df["start_year"].ge(first_new_year).fillna(False).to_numpy(bool) if config.new_firm_years else False
    status[new] = "new"
    status[~df["scale"].isin([ABOVE, BELOW])] = "excluded_scale"
    status[(df["scale"] == BELOW) & (df["land_mu"] < config.min_land_mu_below)] = "excluded_small"
    status[df["industry_division"].isin(list(config.excluded_divisions)).fillna(False).to_numpy(bool)] = (
        "excluded_utility"
    )
    return status


def compute_indicators(df: pd.DataFrame) -> pd.DataFrame:
    """The five indicators for every row (units in :data:`analysis.land_yield.config.INDICATORS`).

    ``inf`` marks a zero denominator with a positive numerator; ``NaN`` a missing input or 0/0.
    """
    out = {}
    for ind in INDICATORS.values():
        num = df[ind.numerator].to_numpy(dtype=float, na_value=np.nan)
        den = df[ind.denominator].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[ind.id] = num / den * ind.scale
    return pd.DataFrame(out, index=df.index)


def _winsorise(values: np.ndarray, groups: np.ndarray, limits: tuple[float, float]) -> np.ndarray:
    out = values.copy()
    codes, uniques = pd.factorize(groups)
    for g in range(len(uniques)):
        sel = codes == g
        finite = values[sel & np.isfinite(values)]
        if finite.size == 0:
            continue
        lo, hi = np.quantile(finite, limits)
        out[sel] = np.clip(values[sel], lo, hi)
    out[np.isposinf(values)] = np.inf  # nothing to divide by (no emissions): stays the best value
    return out


def _cohort_median(values: pd.Series, keys: list[pd.Series], fallback: pd.Series, min_size: int) -> pd.Series:
    grouped = values.groupby(keys, sort=False, dropna=False)
    median = grouped.transform("median")
    size = grouped.transform("count")
    return median.where(size >= min_size, fallback)


def _ratios(x: pd.DataFrame, bench: pd.DataFrame, cap: float) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x / bench
    at_zero = bench == 0
    r = r.mask(at_zero & (x > 0), cap).mask(at_zero & (x == 0), 1.0)
    return r.clip(upper=cap).fillna(0.0)


def _score_group(ind: pd.DataFrame, rated: pd.DataFrame, weights: dict[str, float], config: ScoringConfig):
    cols = [k for k, w in weights.items() if w > 0]
    x = ind.loc[rated.index, cols].copy()
    scale = rated["scale"].to_numpy()
    for c in cols:
        x[c] = _winsorise(x[c].to_numpy(float), scale, config.winsorize)
    city = x.groupby(rated["scale"]).transform("median")
    if config.benchmark == "district":
        bench = pd.DataFrame(
            {c: _cohort_median(x[c], [rated["scale"], rated["district"]], city[c], config.min_cohort) for c in cols}
        )
    else:
        bench = city
    parts = _ratios(x, bench, config.cap) * pd.Series({c: float(weights[c]) for c in cols})
    return parts, bench


def assign_classes(score: pd.Series, groups: pd.Series, shares: dict[str, float]) -> pd.Series:
    """Classes A/B/C/D by rank of ``score`` (higher is better) within each group.

    Ties take the lower class, so ``#A ≤ floor(share_A·n)`` and ``#D ≥ ceil(share_D·n)`` hold in
    every group. Returns a Series of ``"A"``…``"D"`` aligned with ``score``.
    """
    out = pd.Series("", index=score.index, dtype=object)
    for _, s in score.groupby(groups, sort=False):
        n = len(s)
        n_a = int(np.floor(shares["A"] * n + 1e-9))
        n_d = int(np.ceil(shares["D"] * n - 1e-9))
        n_b = min(round(shares["B"] * n), max(n - n_a - n_d, 0))
        rank = s.rank(ascending=False, method="max").to_numpy()
        cls = np.where(rank <= n_a, "A", np.where(rank <= n_a + n_b, "B", np.where(rank <= n - n_d, "C", "D")))
        out[s.index] = cls
    return out


def evaluate(df: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """Evaluate prepared enterprises.

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
        Output of :func:`analysis.land_yield.enterprises.prepare_enterprises` (``.data``).
    config : ScoringConfig

    Returns
    -------
    Same type as ``df``, with added columns: ``status`` (:data:`STATUS` key), the five indicator
    columns (see :data:`analysis.land_yield.config.INDICATORS`), ``bench_<indicator>`` (benchmark used),
    ``pts_<indicator>`` (weighted points), ``score``, ``rank`` (1 = best in its ranking group),
    ``group_size``, ``class`` (A/B/C/D, T for new firms, empty when out of scope),
    ``class_name`` and ``policy``.
    """
    out = df.copy()
    status = scope_status(out, config)
    ind = compute_indicators(out)
    for c in INDICATORS:
        out[c] = ind[c].replace(np.inf, np.nan)  # shown empty; scored as the best value
    out["status"] = status
    rated_mask = status == "rated"
    score = pd.Series(np.nan, index=out.index)
    for scale, weights in ((ABOVE, config.weights), (BELOW, config.weights_below)):
        rated = out.loc[rated_mask & (out["scale"] == scale), ["scale", "district"]]
        if rated.empty:
            continue
        parts, bench = _score_group(ind, rated, weights, config)
        for c in parts.columns:
            out.loc[rated.index, f"pts_{c}"] = parts[c].round(4)
            out.loc[rated.index, f"bench_{c}"] = bench[c]
        score[rated.index] = parts.sum(axis=1)
    out["score"] = score.round(4)
    groups = out["scale"] if config.rank_within == "scale" else out["scale"] + "|" + out["district"].astype(str)
    rated_idx = out.index[rated_mask]
    out["rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["group_size"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if len(rated_idx):
        g = groups[rated_idx]
        out.loc[rated_idx, "rank"] = score[rated_idx].groupby(g).rank(ascending=False, method="min").astype(int)
        out.loc[rated_idx, "group_size"] = g.groupby(g).transform("size").astype(int)
    cls = pd.Series("", index=out.index, dtype=object)
    cls[rated_idx] = assign_classes(score[rated_idx], groups[rated_idx], config.shares)
    cls[status == "new"] = "T"
    out["class"] = cls
    codes = pd.Index(list(CLASS_INFO)).get_indexer(cls)  # −1 for "" (out of scope)
    for column, key in (("class_name", "zh"), ("policy", "policy")):
        out[column] = np.array([*(info[key] for info in CLASS_INFO.values()), ""], dtype=object)[codes]
    return out


def counted_firms(result: pd.DataFrame) -> pd.Series:
    """Rows that count as manufacturing firms in figures beyond the classes (集聚度, candidate lists).

    Not a data error (such a row may repeat another firm's code, and its figures are not trusted)
    and not a utility (divisions 44–46 are not manufacturing). Every figure that counts firms
    beyond the scores uses this one rule.

    Examples
    --------
    >>> counted_firms(pd.DataFrame({"status": ["rated", "data_error", "excluded_utility", "new"]})).tolist()
    [True, False, False, True]
    """
    if "status" not in result.columns:
        return pd.Series(True, index=result.index)
    return ~result["status"].isin(["data_error", "excluded_utility"])
