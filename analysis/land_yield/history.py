"""Year on year (issue 13, 3): class changes, transitions, trends, consecutive D years, a firm over the years.

Pure functions over evaluation results (as :func:`analysis.land_yield.scoring.evaluate` gives them, or
as the workspace stores them): firms are matched across years by 统一社会信用代码, and by name where
a firm has no code. Classes are ordered A (best) > B > C > D; T (new firms) and "" (not rated) have
no order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.land_yield.config import INDICATORS, ScoringConfig
from analysis.land_yield.sources import normalise_codes

__all__ = [
    "CHANGE_COLUMNS",
    "NEW_FIRM",
    "class_changes",
    "config_differences",
    "consecutive_d",
    "firm_years",
    "transition_matrix",
    "trends",
]

NEW_FIRM = ("新进入", "new")  # not in the previous year's result
GONE = ("已退出", "gone")  # in the previous year's result, not in this one
_RANK = {"A": 0, "B": 1, "C": 2, "D": 3}
_ORDER = ["A", "B", "C", "D", "T", "—"]
CHANGE_COLUMNS = ("prev_class", "class_change", "class_change_en", "class_trend", "consecutive_d",
                  *(f"change_{i}" for i in INDICATORS))  # fmt: skip


def _firm_key(frame: pd.DataFrame) -> pd.Series:
    """The key a firm is matched by across years: its code as the join reads it, else its name (marked as such);
    a firm with neither matches nothing."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    key = normalise_codes(frame["credit_code"]).to_numpy(object, copy=True)
    no_code = np.flatnonzero(key == "")
    if len(no_code):  # names only where they are needed
        names = frame["name"].iloc[no_code] if "name" in frame else pd.Series("", index=no_code)
        name = names.fillna("").astype(str).str.strip().to_numpy(object)
        key[no_code] = np.where(name != "", "name:" + name, [f"\0row:{id(frame)}:{i}" for i in no_code])
    return pd.Series(key, index=frame.index, dtype=object)


def _ids(*frames: pd.DataFrame) -> tuple[list[np.ndarray], int]:
    """Each frame's firms as integers shared by all frames (matched by :func:`_firm_key`), and how many there are.

    Integers, not strings: matching 100,000 firms over five years must not compare strings row by row.
    """
    keys = [pa.array(_firm_key(f).to_numpy(object), type=pa.large_string()) for f in frames]
    encoded = pa.chunked_array(keys, type=pa.large_string()).combine_chunks().dictionary_encode()  # hashed in Arrow
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    bounds = np.cumsum([0, *(len(k) for k in keys)])
    return [codes[bounds[i] : bounds[i + 1]] for i in range(len(frames))], len(encoded.dictionary)


def _first_row(ids: np.ndarray, n: int) -> np.ndarray:
    """For each firm id (0 … n−1), its first row in ``ids``, −1 where it is absent."""
    position = np.full(n, -1)
    present, first = np.unique(ids, return_index=True)
    position[present] = first
    return position


def _classes(frame: pd.DataFrame) -> np.ndarray:
    classes = frame["class"].astype(object)
    return classes.where(classes.notna(), "").to_numpy(object)


def class_changes(current: pd.DataFrame, previous: pd.DataFrame, lang: str = "zh",
                  consecutive: bool = True) -> pd.DataFrame:  # fmt: skip
    """Each current firm's class last year, its change and the change of each indicator.

    Parameters
    ----------
    current, previous : DataFrame
        Results with ``credit_code``, ``name``, ``class`` and the indicator columns; ``previous`` may
        carry ``consecutive_d`` (years in a row rated D up to its year).
    lang : {"zh", "en"}
        Language of the texts in ``class_change``.
    consecutive : bool
        ``previous`` is the year just before; otherwise a D streak restarts at 1 (a missing year
        is no evidence of a D in it).

    Returns
    -------
    DataFrame
        Index of ``current``: ``prev_class`` (``""`` not rated, ``None`` not there), ``class_change``
        (``"B→A"``, ``"新进入"``), ``class_trend`` (+1 up, −1 down, 0 same, NaN otherwise),
        ``consecutive_d`` (years in a row rated D, this one included) and ``change_<indicator>`` (%).

    Examples
    --------
    >>> prev = pd.DataFrame({"credit_code": ["A1", "B2"], "name": ["甲", "乙"], "class": ["B", "D"]})
    >>> cur = pd.DataFrame({"credit_code": ["A1", "B2", "C3"], "name": ["甲", "乙", "丙"], "class": ["A", "D", "C"]})
    >>> class_changes(cur, prev)[["prev_class", "class_change", "class_trend", "consecutive_d"]].values.tolist()
    [['B', 'B→A', 1.0, 0], ['D', 'D→D', 0.0, 2], [None, '新进入', nan, 0]]
    """
    i = 0 if lang == "zh" else 1
    (now_ids, before_ids), n = _ids(current, previous)
    row = _first_row(before_ids, n)[now_ids]  # the firm's row last year, −1: not there
    found = row >= 0
    take = np.where(found, row, 0)
    before_class = _classes(previous)
    prev_class = np.full(len(current), None, dtype=object)
    prev_class[found] = before_class[row[found]]
    cur_class = _classes(current)
    shown = np.where(found, pd.Series(prev_class).fillna("").replace("", "—").to_numpy(object) + "→"
                     + pd.Series(cur_class).replace("", "—").to_numpy(object), NEW_FIRM[i])  # fmt: skip
    trend = pd.Series(prev_class).map(_RANK).astype(float) - pd.Series(cur_class).map(_RANK).astype(float)
    out = pd.DataFrame({"class_change": shown, "class_trend": np.sign(trend).to_numpy()}, index=current.index)
    out.insert(0, "prev_class", pd.Series(prev_class, index=current.index, dtype=object))
    if "consecutive_d" in previous.columns:  # a D firm without a count was D that year at least
        streak_before = previous["consecutive_d"].to_numpy(float)
        streak_before = np.where(np.isnan(streak_before) | (streak_before < 1), (before_class == "D").astype(float),
                                 streak_before)  # fmt: skip
    else:
        streak_before = (before_class == "D").astype(float)
    if not consecutive:  # the earlier result is not last year's: no evidence of a streak
        streak_before = np.zeros(len(previous))
    last_streak = np.where(found & (prev_class == "D"), streak_before[take] if len(previous) else 0, 0)
    out["consecutive_d"] = np.where(cur_class == "D", last_streak + 1, 0).astype(int)
    for ind in INDICATORS:
        if ind in current.columns and ind in previous.columns:
            last = np.where(found, previous[ind].to_numpy(float)[take] if len(previous) else np.nan, np.nan)
            with np.errstate(divide="ignore", invalid="ignore"):
                change = (current[ind].to_numpy(float) / last - 1) * 100
            out[f"change_{ind}"] = np.round(np.where(last > 0, change, np.nan), 1)
    return out


def transition_matrix(current: pd.DataFrame, previous: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Firms by last year's class (rows) and this year's (columns), with firms new and gone.

    Examples
    --------
    >>> prev = pd.DataFrame({"credit_code": ["A1", "B2", "D4"], "name": ["甲", "乙", "丁"], "class": ["B", "D", "A"]})
    >>> cur = pd.DataFrame({"credit_code": ["A1", "B2", "C3"], "name": ["甲", "乙", "丙"], "class": ["A", "D", "C"]})
    >>> m = transition_matrix(cur, prev)
    >>> int(m.loc["B", "A"]), int(m.loc["D", "D"]), int(m.loc["新进入", "C"]), int(m.loc["A", "已退出"])
    (1, 1, 1, 1)
    """
    i = 0 if lang == "zh" else 1
    (now_ids, before_ids), n = _ids(current, previous)
    before_row, now_row = _first_row(before_ids, n), _first_row(now_ids, n)
    rows_order, cols_order = [*_ORDER, NEW_FIRM[i]], [*_ORDER, GONE[i]]
    before = np.append(pd.Series(_classes(previous)).replace("", "—").to_numpy(object), NEW_FIRM[i])
    after = np.append(pd.Series(_classes(current)).replace("", "—").to_numpy(object), GONE[i])
    gone = np.flatnonzero(now_row[before_ids] < 0)  # every row: this year's firms, then last year's that are gone
    r = pd.Categorical(np.concatenate([before[before_row[now_ids]], before[gone]]), categories=rows_order)
    c = pd.Categorical(np.concatenate([after[:-1], np.full(len(gone), GONE[i], dtype=object)]),
                       categories=cols_order)  # fmt: skip
    counts = np.bincount(r.codes * len(cols_order) + c.codes, minlength=len(rows_order) * len(cols_order))
    matrix = pd.DataFrame(counts.reshape(len(rows_order), len(cols_order)), index=rows_order, columns=cols_order)
    matrix.index.name, matrix.columns.name = ("上年", "本年") if i == 0 else ("previous", "current")
    return matrix


def consecutive_d(history: Mapping[int, pd.DataFrame]) -> pd.Series:
    """Years in a row each firm of the latest year has been rated D, up to that year (0: not D then).

    ``history`` maps consecutive years to their results; a year missing in between breaks a streak.

    Examples
    --------
    >>> y = {2023: pd.DataFrame({"credit_code": ["A1"], "name": ["甲"], "class": ["D"]}),
    ...      2024: pd.DataFrame({"credit_code": ["A1", "B2"], "name": ["甲", "乙"], "class": ["D", "D"]}),
    ...      2025: pd.DataFrame({"credit_code": ["A1", "B2"], "name": ["甲", "乙"], "class": ["D", "C"]})}
    >>> consecutive_d(y).tolist()
    [3, 0]
    """
    years = sorted(history)
    ids, n = _ids(*(history[y] for y in years))
    latest = history[years[-1]]
    streak = (_classes(latest) == "D").astype(int)
    alive = streak > 0
    for k in range(len(years) - 2, -1, -1):
        if years[k] != years[k + 1] - 1 or not alive.any():  # a gap: no evidence for earlier years
            break
        row = _first_row(ids[k], n)[ids[-1]]
        was_d = np.where(row >= 0, _classes(history[years[k]])[np.maximum(row, 0)] == "D", False)
        alive &= was_d.astype(bool)
        streak[alive] += 1
    return pd.Series(streak, index=latest.index)


def trends(history: Mapping[int, pd.DataFrame], by: str = "district") -> pd.DataFrame:
    """Per year and area (``by``: a column such as ``district`` or ``cluster``): the figures of rated firms.

    Returns
    -------
    DataFrame
        ``year, <by>, n_rated, land_mu (亩), tax (万元), tax_per_mu (万元/亩), revenue_per_mu (万元/亩),
        share_A … share_D (0–1)``; 亩均 figures are totals over totals (not means of ratios).

    Examples
    --------
    >>> y = {2024: pd.DataFrame({"district": ["黄岛区"] * 2, "status": ["rated"] * 2, "class": ["A", "D"],
    ...                          "land_mu": [10.0, 30.0], "tax": [100.0, 20.0], "revenue": [500.0, 300.0]})}
    >>> trends(y)[["year", "district", "tax_per_mu", "revenue_per_mu", "share_A"]].values.tolist()
    [[2024, '黄岛区', 3.0, 20.0, 0.5]]
    """
    parts = []
    for year, result in sorted(history.items()):
        rated = result[result["status"] == "rated"]
        if by not in rated.columns or rated.empty:
            continue
        groups = rated.groupby(by, sort=True)
        frame = pd.DataFrame({"n_rated": groups.size(), "land_mu": groups["land_mu"].sum(), "tax": groups["tax"].sum()})
        revenue = groups["revenue"].sum(min_count=1) if "revenue" in rated.columns else np.nan
        frame["tax_per_mu"] = (frame["tax"] / frame["land_mu"]).round(3)
        frame["revenue_per_mu"] = (revenue / frame["land_mu"]).round(3)
        shares = pd.crosstab(rated[by], rated["class"], normalize="index")
        for cls in "ABCD":
            frame[f"share_{cls}"] = shares[cls] if cls in shares.columns else 0.0
        parts.append(frame.reset_index().assign(year=year))
    if not parts:
        return pd.DataFrame(columns=["year", by, "n_rated", "land_mu", "tax", "tax_per_mu", "revenue_per_mu",
                                     *(f"share_{c}" for c in "ABCD")])  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    return out[["year", by, *[c for c in out.columns if c not in ("year", by)]]]


def firm_years(history: Mapping[int, pd.DataFrame], credit_code: str) -> pd.DataFrame:
    """One firm over the years: class, score, rank in its group, and each indicator with its cohort median.

    Examples
    --------
    >>> y = {2024: pd.DataFrame({"credit_code": ["A1"], "name": ["甲"], "class": ["B"], "score": [98.0],
    ...                          "tax_per_mu": [3.0], "bench_tax_per_mu": [2.5]})}
    >>> firm_years(y, "a1")[["year", "class", "tax_per_mu", "bench_tax_per_mu"]].values.tolist()
    [[2024, 'B', 3.0, 2.5]]
    """
    wanted = credit_code.strip().upper()
    columns = ["class", "score", "rank", "group_size", *(c for i in INDICATORS for c in (i, f"bench_{i}"))]
    rows = []
    for year, result in sorted(history.items()):
        hit = result[result["credit_code"].fillna("").astype(str).str.upper() == wanted]
        if len(hit):
            row = hit.iloc[0]
            rows.append({"year": year, **{c: row.get(c) for c in columns if c in hit.columns}})
    return pd.DataFrame(rows)


_NOT_COMPARED = ("evaluation_year", "title", "title_en", "official")


def config_differences(previous: ScoringConfig, current: ScoringConfig) -> list[tuple[str, str, str]]:
    """Parameters by which two evaluations differ, but the year: ``(name, previous, current)`` each.

    A class change between two years means something only when both were scored alike; the
    evaluation year itself is expected to differ and is not listed.
    """
    out = []
    for f in dataclasses.fields(current):
        a, b = getattr(previous, f.name), getattr(current, f.name)
        if f.name not in _NOT_COMPARED and a != b:
            out.append((f.name, str(a), str(b)))
    return out
