"""Low-efficiency land (issue 13, 8): firms whose land is a candidate for 低效用地再开发.

Three criteria, each configurable (:class:`LowEfficiencyRules`; the defaults are an example, **not
official**):

* ``low_tax`` — a rated firm's 亩均税收 (万元/亩) below a share of the city median of the rated firms;
* ``d_years`` — rated D in at least N years in a row (``consecutive_d``, known only after comparing
  with an earlier year; without it the criterion is not checked, and said so);
* ``idle`` — land without production: both 营业收入 and 税收 reported as 0. A missing figure is not
  taken as 0: such firms are counted as not checked.

New firms (class T, still ramping up), utilities and rows with data errors are never candidates
(:func:`analysis.land_yield.scoring.counted_firms`); firms below ``min_land_mu`` 亩 are not looked at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.land_yield.scoring import counted_firms

__all__ = ["CRITERIA", "LowEfficiency", "LowEfficiencyRules", "RulesError", "low_efficiency", "low_efficiency_summary"]

CRITERIA = ("low_tax", "d_years", "idle")


class RulesError(ValueError):
    """Thresholds that cannot be used (said in both languages)."""


@dataclass(frozen=True)
class LowEfficiencyRules:
    """Thresholds of :func:`low_efficiency` (defaults: an example, not official).

    Attributes
    ----------
    tax_share_of_median : float
        ``low_tax`` below this share of the city median 亩均税收 (0–1; 0 turns the criterion off).
    d_years : int
        ``d_years`` at this many years in a row rated D (≥ 2; 0 turns it off).
    idle : bool
        Whether land without production counts.
    min_land_mu : float
        Firms on less land (亩) are not looked at.

    Examples
    --------
    >>> LowEfficiencyRules(tax_share_of_median=1.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.land_yield.low_efficiency.RulesError: 亩均税收比例应在 0–1 之间...
    """

    tax_share_of_median: float = 0.5
    d_years: int = 2
    idle: bool = True
    min_land_mu: float = 0.0

    def __post_init__(self) -> None:
        share = self.tax_share_of_median
        if not isinstance(share, (int, float)) or not math.isfinite(share) or not 0 <= share <= 1:
            raise RulesError(f"亩均税收比例应在 0–1 之间，当前为 {share!r} / the share of the median must be 0–1")
        if not isinstance(self.d_years, int) or not (self.d_years == 0 or 2 <= self.d_years <= 20):
            raise RulesError(f"连续 D 类年数应为 0（不用）或 2–20，当前为 {self.d_years!r} / D years must be 0 or 2–20")
        land = self.min_land_mu
        if not isinstance(land, (int, float)) or not math.isfinite(land) or land < 0:
            raise RulesError(f"最小用地面积应为非负数，当前为 {land!r} / the least land must be ≥ 0")


@dataclass(frozen=True)
class LowEfficiency:
    """The candidates and what could not be checked.

    Attributes
    ----------
    candidates : DataFrame
        Indexed like the result: ``criteria`` (tuple of :data:`CRITERIA`), ``note_zh`` / ``note_en``
        (why, with the figures), ``land_mu`` (亩), ``tax_per_mu``.
    median_tax_per_mu : float
        The city median 亩均税收 of rated firms, 万元/亩.
    notes : tuple of (str, str)
        Chinese and English: criteria not checked, firms whose figures are missing.
    """

    candidates: pd.DataFrame
    median_tax_per_mu: float
    notes: tuple[tuple[str, str], ...]


def low_efficiency(result: pd.DataFrame, rules: LowEfficiencyRules) -> LowEfficiency:
    """Firms of ``result`` (an evaluation result) that meet at least one criterion of ``rules``.

    Examples
    --------
    >>> result = pd.DataFrame({"class": ["A", "D", "C", "T"], "status": ["rated", "rated", "rated", "new"],
    ...                        "tax_per_mu": [50.0, 2.0, 20.0, 0.0], "land_mu": [10.0, 30.0, 5.0, 8.0],
    ...                        "revenue": [900.0, 0.0, 300.0, 0.0], "tax": [500.0, 0.0, 100.0, 0.0]})
    >>> found = low_efficiency(result, LowEfficiencyRules())
    >>> found.median_tax_per_mu, found.candidates["criteria"].to_dict()
    (20.0, {1: ('low_tax', 'idle')})
    """
    classes = result["class"].fillna("").astype(str)
    status = result["status"].fillna("").astype(str) if "status" in result else pd.Series("", result.index)
    land = pd.to_numeric(result.get("land_mu"), errors="coerce")
    looked = counted_firms(result) & (classes != "T") & (status != "new")
    if rules.min_land_mu > 0:
        looked &= land >= rules.min_land_mu
    rated = classes.isin(["A", "B", "C", "D"])
    tax_per_mu = pd.to_numeric(result["tax_per_mu"], errors="coerce")
    median = float(tax_per_mu[rated].median()) if rated.any() else float("nan")
    hits: dict[str, pd.Series] = {}
    notes: list[tuple[str, str]] = []
    if rules.tax_share_of_median > 0 and not np.isnan(median):
        limit = rules.tax_share_of_median * median
        hits["low_tax"] = looked & rated & (tax_per_mu < limit)
    if rules.d_years:
        if "consecutive_d" in result:
            streak = pd.to_numeric(result["consecutive_d"], errors="coerce").fillna(0)
            hits["d_years"] = looked & rated & (streak >= rules.d_years)
        else:
            notes.append(("未与上年比较，无法判断连续 D 类年数（在“历年对比”选择上年，或命令行 --previous）",
                          "not compared with an earlier year: years in a row rated D cannot be checked "
                          "(choose one under Year on year, or --previous)"))  # fmt: skip
    if rules.idle:
        revenue = pd.to_numeric(result.get("revenue"), errors="coerce")
        tax = pd.to_numeric(result.get("tax"), errors="coerce")
        hits["idle"] = looked & (land > 0) & (revenue == 0) & (tax == 0)
        unknown = int((looked & (land > 0) & (revenue.isna() | tax.isna())).sum())
        if unknown:
            notes.append((f"{unknown} 家企业缺营业收入或税收，未判断是否“有地无产出”（缺失不按 0 计）",
                          f"{unknown} firms lack revenue or tax: whether their land is idle was not checked "
                          "(missing is not taken as 0)"))  # fmt: skip
    found = pd.DataFrame(hits, index=result.index).fillna(False) if hits else pd.DataFrame(index=result.index)
    any_hit = found.any(axis=1) if hits else pd.Series(False, index=result.index)
    names = [c for c in CRITERIA if c in found.columns]
    flags = found.loc[any_hit, names].to_numpy(bool)
    criteria = [tuple(c for c, hit in zip(names, row, strict=True) if hit) for row in flags]
    share = rules.tax_share_of_median
    candidates = pd.DataFrame({"criteria": pd.Series(criteria, index=found.index[any_hit], dtype=object),
                               "land_mu": land[any_hit], "tax_per_mu": tax_per_mu[any_hit]})  # fmt: skip
    streaks = pd.to_numeric(result.get("consecutive_d", pd.Series(0, result.index)), errors="coerce")
    candidates["note_zh"] = [_note(c, t, s, median, share, "zh") for c, t, s in
                             zip(criteria, candidates["tax_per_mu"], streaks[any_hit], strict=True)]  # fmt: skip
    candidates["note_en"] = [_note(c, t, s, median, share, "en") for c, t, s in
                             zip(criteria, candidates["tax_per_mu"], streaks[any_hit], strict=True)]  # fmt: skip
    return LowEfficiency(candidates, median, tuple(notes))


def _note(criteria: tuple[str, ...], tax_per_mu: float, streak: float, median: float, share: float, lang: str) -> str:
    parts = []
    for c in criteria:
        if c == "low_tax":
            zh = f"亩均税收 {tax_per_mu:.2f} 万元/亩，低于全市中位数 {median:.2f} 的 {share:.0%}"
            parts.append(zh if lang == "zh" else f"tax per mu {tax_per_mu:.2f} below {share:.0%} of the city median "
                         f"{median:.2f}")  # fmt: skip
        elif c == "d_years":
            parts.append(f"连续 {int(streak)} 年 D 类" if lang == "zh" else f"rated D {int(streak)} years in a row")
        else:
            parts.append("有地无产出（营业收入、税收均为 0）" if lang == "zh" else "idle land (revenue and tax both 0)")
    return ("；" if lang == "zh" else "; ").join(parts)


def low_efficiency_summary(candidates: pd.DataFrame, result: pd.DataFrame) -> pd.DataFrame:
    """Candidates per district: firms and 亩 per criterion (a firm may meet several) and in total, 合计 last.

    Examples
    --------
    >>> result = pd.DataFrame({"district": ["城阳区", "黄岛区"]})
    >>> c = pd.DataFrame({"criteria": [("low_tax", "idle"), ("d_years",)], "land_mu": [10.0, 4.0]})
    >>> low_efficiency_summary(c, result).loc["合计", ["n_total", "mu_total", "n_idle"]].tolist()
    [2.0, 14.0, 1.0]
    """
    district = result["district"].reindex(candidates.index).fillna("").astype(str)
    land = pd.to_numeric(candidates["land_mu"], errors="coerce").fillna(0.0)
    out = pd.DataFrame(index=sorted(set(district)))
    for c in CRITERIA:
        hit = candidates["criteria"].map(lambda cs, c=c: c in cs).astype(bool)
        out[f"n_{c}"] = hit.groupby(district).sum().reindex(out.index, fill_value=0).astype(float)
        out[f"mu_{c}"] = land[hit].groupby(district[hit]).sum().reindex(out.index, fill_value=0.0)
    out["n_total"] = district.value_counts().reindex(out.index, fill_value=0).astype(float)
    out["mu_total"] = land.groupby(district).sum().reindex(out.index, fill_value=0.0)
    out.loc["合计"] = out.sum(axis=0)
    return out.rename_axis("district")
