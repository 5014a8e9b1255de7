"""How stable a site ranking is when the weights move (issue 14, 3).

Two questions a committee asks of a ranking (:class:`analysis.siting.rank.SiteResult`):

* **One weight at a time** — each factor's weight 20 % up and 20 % down (the others as they are,
  rescaled to 100): which cluster comes first, and how far the ranking moves (Kendall's τ);
* **Monte Carlo** — N draws of weights around the chosen ones (each weight times a uniform factor
  in ``[1 − spread, 1 + spread]``, rescaled): for every cluster and plot, the share of draws in which
  it ranks first and in the top 3, and Kendall's τ between the base ranking and each draw (clusters:
  all of them; plots: the base top ``tau_plots``).

The ranking is the one :func:`analysis.siting.rank.rank_sites` gives: compliant candidates first,
then by score; a factor's score per candidate is its points divided by its weight, so no site is
assessed again — 1,000 draws over 100,000 plots is one matrix product per chunk of draws. The
draws come from a seeded generator: the same question gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MAX_DRAWS", "Sensitivity", "SensitivityError", "kendall_tau", "sensitivity"]

MAX_DRAWS = 100_000
_CHUNK_CELLS = 20_000_000  # candidates × draws scored at once (float32: 80 MB)


class SensitivityError(ValueError):
    """Draws or spread that cannot be used (said in both languages)."""


@dataclass(frozen=True)
class Sensitivity:
    """The answer of :func:`sensitivity`.

    Attributes
    ----------
    clusters : DataFrame
        Every cluster in base order: ``id``, ``name``, ``rank``, ``top1_share``, ``top3_share``
        (0–1), ``rank_min`` and ``rank_max`` over the one-at-a-time changes.
    plots : DataFrame
        The plots that ranked first or in the top 3 in any draw, or in the base top 3: ``id``,
        ``name``, ``rank``, ``top1_share``, ``top3_share``; by ``top1_share``, then base rank.
    one_at_a_time : DataFrame
        ``factor``, ``change`` (+0.2, −0.2), ``first`` (the first cluster's name), ``tau`` (clusters).
    tau_clusters, tau_plots : array
        Kendall's τ between the base ranking and each draw.
    draws : int
    spread : float
    seed : int
    """

    clusters: pd.DataFrame
    plots: pd.DataFrame
    one_at_a_time: pd.DataFrame
    tau_clusters: np.ndarray
    tau_plots: np.ndarray
    draws: int
    spread: float
    seed: int

    def summary(self) -> dict[str, object]:
        """For JSON: draws, spread, seed, τ (mean and 5th percentile) and the one-at-a-time table."""

        def tau(values: np.ndarray) -> dict[str, float | None]:
            if values.size == 0:
                return {"mean": None, "p05": None}
            return {"mean": round(float(values.mean()), 4), "p05": round(float(np.percentile(values, 5)), 4)}

        oat = [{"factor": r.factor, "change": r.change, "first": r.first, "tau": round(float(r.tau), 4)}
               for r in self.one_at_a_time.itertuples()]  # fmt: skip
        return {"draws": self.draws, "spread": self.spread, "seed": self.seed, "tau_clusters": tau(self.tau_clusters),
                "tau_plots": tau(self.tau_plots), "one_at_a_time": oat}  # fmt: skip


def _factors(frame: pd.DataFrame, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Factor scores (0–1) per candidate and factor, and the weights, from the points of a ranking."""
    names = [f for f, w in weights.items() if w > 0]
    w = np.array([weights[f] for f in names], dtype=float)
    scores = np.column_stack([frame[f"pts_{f}"].to_numpy(float) / weights[f] for f in names]) if len(frame) else (
        np.zeros((0, len(names))))  # fmt: skip
    return np.nan_to_num(scores), w


def _keys(scores: np.ndarray, compliant: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Ranking keys (compliant first, then by score out of 100) for weights in columns (factors × draws)."""
    total = weights.sum(axis=0, keepdims=True)
    points = scores @ (weights / total * 100.0)
    return points + 1000.0 * compliant[:, None]


def kendall_tau(base_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Kendall's τ-b between the order of ``base_keys`` (m) and each column of ``keys`` (m × d); higher is better.

    Ties (equal keys) are allowed on either side; two orders tied alike everywhere give 1.

    Examples
    --------
    >>> base = np.array([3.0, 2.0, 1.0])
    >>> kendall_tau(base, np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])).tolist()
    [1.0, -1.0]
    """
    m = len(base_keys)
    if m < 2:
        return np.ones(keys.shape[1])
    i, j = np.triu_indices(m, 1)
    base = np.sign(base_keys[i] - base_keys[j])
    other = np.sign(keys[i] - keys[j])
    pairs = len(i)
    denominator = np.sqrt((pairs - np.count_nonzero(base == 0)) * (pairs - np.count_nonzero(other == 0, axis=0)))
    concordance = (other * base[:, None]).sum(axis=0)
    return np.where(denominator > 0, concordance / np.where(denominator > 0, denominator, 1.0), 1.0)


def _top_counts(keys: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """How often each candidate is first, and in the top ``k``, over the draws (columns of ``keys``)."""
    n = keys.shape[0]
    first = np.bincount(np.argmax(keys, axis=0), minlength=n)
    if n <= k:
        return first, np.full(n, keys.shape[1])
    top = np.argpartition(-keys, k - 1, axis=0)[:k]
    return first, np.bincount(top.ravel(), minlength=n)


def _draw_weights(w: np.ndarray, draws: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    return w[:, None] * rng.uniform(1 - spread, 1 + spread, size=(len(w), draws))


def sensitivity(
    result, draws: int = 1000, spread: float = 0.2, seed: int = 20251129, tau_plots: int = 100
) -> Sensitivity:
    """Stability of ``result`` (a :class:`analysis.siting.rank.SiteResult`) under weights that move.

    Parameters
    ----------
    draws : int
        Monte Carlo draws (1–100,000).
    spread : float
        Each weight is multiplied by a uniform factor in ``[1 − spread, 1 + spread]`` (0 < spread < 1);
        the one-at-a-time changes are ± ``spread`` as well.
    seed : int
        Of the generator (the same seed, the same answer).
    tau_plots : int
        The base top plots Kendall's τ is computed over.

    Raises
    ------
    SensitivityError
        ``draws`` not in 1–100,000, or ``spread`` not in (0, 1).
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        raise SensitivityError(f"抽样次数须在 1–{MAX_DRAWS:,} 之间，当前为 {draws} / draws must be 1–{MAX_DRAWS:,}")
    if not 0 < spread < 1:
        raise SensitivityError(f"权重扰动幅度须在 0–1 之间（不含端点），当前为 {spread} / spread must be in (0, 1)")
    rng = np.random.default_rng(seed)
    c_scores, w = _factors(result.clusters, result.weights)
    c_ok = result.clusters["compliant"].to_numpy(bool)
    base_c = _keys(c_scores, c_ok, w[:, None])[:, 0]
    factors = [f for f, v in result.weights.items() if v > 0]

    # one weight at a time
    oat_rows, ranks = [], [np.argsort(np.argsort(-base_c, kind="stable"), kind="stable")]
    for k, f in enumerate(factors):
        for change in (spread, -spread):
            moved = w.copy()
            moved[k] *= 1 + change
            keys = _keys(c_scores, c_ok, moved[:, None])
            order = np.argsort(-keys[:, 0], kind="stable")
            ranks.append(np.argsort(order, kind="stable"))
            leader = str(result.clusters["name"].iloc[order[0]])
            oat_rows.append({"factor": f, "change": round(change, 4), "first": leader,
                             "tau": float(kendall_tau(base_c, keys)[0])})  # fmt: skip
    rank_span = np.column_stack(ranks) + 1

    # Monte Carlo
    weights = _draw_weights(w, draws, spread, rng)
    c_keys = _keys(c_scores, c_ok, weights)
    c_first, c_top3 = _top_counts(c_keys, 3)
    tau_c = kendall_tau(base_c, c_keys)
    clusters = pd.DataFrame({
        "id": result.clusters["id"].to_numpy(), "name": result.clusters["name"].to_numpy(),
        "rank": result.clusters["rank"].to_numpy(), "top1_share": c_first / draws, "top3_share": c_top3 / draws,
        "rank_min": rank_span.min(axis=1), "rank_max": rank_span.max(axis=1),
    })  # fmt: skip

    p_scores, _ = _factors(result.plots, result.weights)
    p_ok = result.plots["compliant"].to_numpy(bool) if len(result.plots) else np.zeros(0, bool)
    n = len(p_scores)
    p_first, p_top3 = np.zeros(n, np.int64), np.zeros(n, np.int64)
    m = min(tau_plots, n)
    tau_p = np.zeros(draws) if m >= 2 else np.zeros(0)
    if n:
        # draws in rows, plots in contiguous columns: argmax and argpartition run along memory
        step = max(1, _CHUNK_CELLS // max(n, 1))
        factors_by_plot = np.ascontiguousarray(p_scores.T, dtype=np.float32)  # factors × plots
        offset = (1000.0 * p_ok).astype(np.float32)
        scaled = (weights / weights.sum(axis=0, keepdims=True) * 100.0).T.astype(np.float32)  # draws × factors
        base_w = (w / w.sum() * 100.0).astype(np.float32)[None, :]
        base_p = (base_w @ factors_by_plot[:, :m] + offset[:m])[0]  # plots come best first; float32 alike
        for start in range(0, draws, step):
            keys = scaled[start : start + step] @ factors_by_plot
            keys += offset
            p_first += np.bincount(np.argmax(keys, axis=1), minlength=n)
            if n > 3:
                p_top3 += np.bincount(np.argpartition(-keys, 2, axis=1)[:, :3].ravel(), minlength=n)
            else:
                p_top3 += keys.shape[0]
            if m >= 2:
                tau_p[start : start + keys.shape[0]] = kendall_tau(base_p, keys[:, :m].T)
    shown = (p_top3 > 0) | (np.arange(n) < 3)
    plots = pd.DataFrame({
        "id": result.plots["id"].to_numpy()[shown] if n else [], "name": result.plots["name"].to_numpy()[shown] if n
        else [], "rank": result.plots["rank"].to_numpy()[shown] if n else [],
        "top1_share": p_first[shown] / draws, "top3_share": p_top3[shown] / draws,
    })  # fmt: skip
    plots = plots.sort_values(["top1_share", "rank"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return Sensitivity(clusters, plots, pd.DataFrame(oat_rows), tau_c, tau_p, int(draws), float(spread), int(seed))
