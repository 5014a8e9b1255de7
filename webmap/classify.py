"""Class breaks for choropleth maps: quantiles, equal intervals and Fisher-Jenks natural breaks.

The same definitions as PySAL ``mapclassify`` (``Quantiles``, ``EqualInterval``, ``FisherJenks``;
the tests check the breaks against it), computed with NumPy alone: importing ``mapclassify``
pulls in scikit-learn and SciPy's statistics, ≈ 4 s on the first map of a freshly started server
on the 2-core CI machine.

Every class is upper-inclusive: value ``v`` is in class ``i`` when ``bins[i-1] < v ≤ bins[i]``;
``bins[-1]`` is the maximum.

References
----------
Fisher, W. D. (1958). On grouping for maximum homogeneity. *JASA* 53(284), 789–798.
Jenks, G. F. (1967). The data model concept in statistical mapping. *International Yearbook of
Cartography* 7, 186–190.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SCHEMES", "class_breaks", "classify"]

SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
MAX_JENKS_VALUES = 2000  # above this, natural breaks are found on evenly spaced order statistics


def _quantiles(y: np.ndarray, k: int) -> np.ndarray:
    return np.unique(np.percentile(y, np.linspace(100 / k, 100, k)))


def _equal_interval(y: np.ndarray, k: int) -> np.ndarray:
    lo, hi = float(y.min()), float(y.max())
    bins = lo + (hi - lo) / k * np.arange(1, k + 1)
    bins[-1] = hi
    return bins


def _fisher_jenks(y: np.ndarray, k: int) -> np.ndarray:
    """Optimal breaks: least total within-class sum of squared deviations (dynamic programming)."""
    v = np.sort(y)
    if v.size > MAX_JENKS_VALUES:
        v = v[np.linspace(0, v.size - 1, MAX_JENKS_VALUES).round().astype(int)]
    n = v.size
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])

    def ssd(start: np.ndarray, end: int) -> np.ndarray:  # classes v[start:end]
        m = end - start
        total = s1[end] - s1[start]
        return (s2[end] - s2[start]) - total * total / m

    # cost[c][j]: best cost of putting v[:j] into c + 1 classes; back[c][j]: start of the last class
    cost = np.full((k, n + 1), np.inf)
    back = np.zeros((k, n + 1), dtype=np.int64)
    ends = np.arange(1, n + 1)
    cost[0, 1:] = s2[ends] - s1[ends] ** 2 / ends  # one class v[:j]
    for c in range(1, k):
        for j in range(c + 1, n + 1):
            starts = np.arange(c, j)  # the last class is v[start:j], at least one value
            total = cost[c - 1, starts] + ssd(starts, j)
            best = int(np.argmin(total))
            cost[c, j], back[c, j] = total[best], starts[best]
    bins, j = [v[-1]], n
    for c in range(k - 1, 0, -1):
        j = int(back[c, j])
        bins.append(v[j - 1])
    return np.unique(np.array(bins[::-1]))


_BREAKS = {"quantiles": _quantiles, "equal_interval": _equal_interval, "natural_breaks": _fisher_jenks}


def class_breaks(values: np.ndarray, scheme: str = "quantiles", k: int = 5) -> np.ndarray:
    """Upper bounds of the classes (ascending, the last is the maximum).

    Parameters
    ----------
    values : array of float
        Finite values to classify (NaN is ignored).
    scheme : {"quantiles", "natural_breaks", "equal_interval"}
    k : int
        Number of classes wanted; fewer come back when there are fewer distinct values.

    Raises
    ------
    ValueError
        Unknown scheme, ``k < 1`` or no finite value.
    """
    if scheme not in _BREAKS:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    y = np.asarray(values, dtype=float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise ValueError("no finite value to classify")
    k = min(k, np.unique(y).size)
    return _BREAKS[scheme](y, k)


def classify(values: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """Class index of each value for upper-inclusive ``bins``; −1 for NaN."""
    y = np.asarray(values, dtype=float)
    idx = np.minimum(np.searchsorted(bins, y, side="left"), len(bins) - 1)
    return np.where(np.isnan(y), -1, idx)
