"""Weights of the site factors by the Analytic Hierarchy Process (issue 14, 2).

A committee compares the factors two at a time on Saaty's scale (1 equal … 9 extremely more
important; the reciprocal for the other way round). The weights are the principal eigenvector of
the pairwise comparison matrix; its consistency ratio ``CR = CI / RI`` with ``CI = (λmax − n)/(n − 1)``
and Saaty's random index RI says whether the judgements hang together. At ``CR ≥ 0.1`` the
judgements should be revisited; :attr:`Ahp.worst` names the judgement furthest from what the
weights imply (the largest ``|log(a_ij · w_j / w_i)|``).

The file form (TOML)::

    factors = ["plan_fit", "axis", "transport", "land_yield", "free_land"]
    matrix = [
      [1,     3,   3,   5,   5],
      ["1/3", 1,   1,   3,   3],
      ...
    ]

Entries are numbers or fractions written ``"1/3"``; the diagonal is 1 and ``a_ji = 1 / a_ij``.

Examples
--------
>>> ahp = ahp_weights(("plan_fit", "axis", "transport"), [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]])
>>> {k: round(v, 3) for k, v in ahp.weights.items()}, round(ahp.cr, 3), ahp.consistent
({'plan_fit': 0.648, 'axis': 0.23, 'transport': 0.122}, 0.003, True)
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from analysis.siting.config import FACTORS

__all__ = ["CR_LIMIT", "RANDOM_INDEX", "Ahp", "AhpError", "ahp_weights", "load_ahp"]

# Saaty's random consistency index by matrix size (Saaty 1980, 1–10)
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.1
_TOLERANCE = 0.02  # relative: 0.33 is taken as 1/3
_MAX_FILE = 100_000  # bytes of an AHP file


class AhpError(ValueError):
    """A comparison matrix that cannot be used (said in both languages)."""


@dataclass(frozen=True)
class Ahp:
    """Weights from a pairwise comparison matrix and its consistency.

    Attributes
    ----------
    factors : tuple of str
    weights : dict of str → float
        Sum to 1.
    lambda_max, ci, cr : float
        The principal eigenvalue, consistency index and ratio (0 for two factors or fewer).
    worst : tuple of (str, str, float, float)
        The judgement furthest from the weights: factor i, factor j, the judgement a_ij, the ratio w_i/w_j.
    """

    factors: tuple[str, ...]
    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    worst: tuple[str, str, float, float]
    matrix: tuple[tuple[float, ...], ...] = ()  # the judgements as given

    @property
    def consistent(self) -> bool:
        """CR below 0.1 (Saaty's rule of thumb)."""
        return self.cr < CR_LIMIT

    def config_weights(self) -> dict[str, float]:
        """Weights as the site parameters take them: every factor, out of 100 (0 for factors not compared)."""
        return {f: 100.0 * self.weights.get(f, 0.0) for f in FACTORS}

    def as_dict(self, lang: str = "zh") -> dict[str, object]:
        """For JSON: weights, λmax, CI, CR, consistent, the worst judgement and the warning in ``lang``."""
        warning = self.warning()
        i, j, judged, implied = self.worst
        return {"weights": {f: round(w, 4) for f, w in self.weights.items()}, "lambda_max": round(self.lambda_max, 4),
                "ci": round(self.ci, 4), "cr": round(self.cr, 4), "consistent": self.consistent,
                "worst": {"i": i, "j": j, "judgement": judged, "implied": round(implied, 3)},
                "warning": None if warning is None else warning[0 if lang == "zh" else 1]}  # fmt: skip

    def warning(self) -> tuple[str, str] | None:
        """Chinese and English: the consistency is too low, and which judgement to revisit; None when consistent."""
        if self.consistent:
            return None
        i, j, judged, implied = self.worst
        return (f"判断矩阵一致性不足（CR = {self.cr:.3f} ≥ {CR_LIMIT}）：最不一致的判断是“{i} 相对 {j}”= {judged:.3g}，"
                f"按权重应约为 {implied:.2g}，请复核",
                f"the judgements are inconsistent (CR = {self.cr:.3f} ≥ {CR_LIMIT}): the most inconsistent is "
                f"{i} vs {j} = {judged:.3g}, where the weights imply about {implied:.2g}; revisit it")  # fmt: skip


def _number(value: object, i: int, j: int) -> float:
    try:
        if isinstance(value, str):
            number = float(Fraction(value.strip()))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            raise TypeError
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        raise AhpError(f"判断矩阵第 {i + 1} 行第 {j + 1} 列“{value}”不是数 / entry ({i + 1}, {j + 1}) {value!r} is "
                       "not a number") from exc  # fmt: skip
    if not math.isfinite(number) or number <= 0:
        raise AhpError(f"判断矩阵第 {i + 1} 行第 {j + 1} 列须为正数，当前为 {value} / entry ({i + 1}, {j + 1}) must be "
                       f"positive, got {value!r}")  # fmt: skip
    return number


def ahp_weights(factors: Sequence[str], matrix: Sequence[Sequence[object]]) -> Ahp:
    """Weights and consistency of a pairwise comparison matrix over site factors.

    Parameters
    ----------
    factors : sequence of str
        Factor ids of :data:`analysis.siting.config.FACTORS`, each once, in the matrix's order.
    matrix : n × n
        ``matrix[i][j]`` = how much more important factor i is than factor j (Saaty's 1/9–9; numbers
        or ``"1/3"``); 1 on the diagonal, reciprocal across it.

    Raises
    ------
    AhpError
        Unknown or repeated factors; a matrix that is not square, not of the factors' size, not
        positive, off Saaty's scale, without 1 on the diagonal or not reciprocal.
    """
    names = tuple(str(f) for f in factors)
    unknown = [f for f in names if f not in FACTORS]
    if unknown or len(set(names)) != len(names) or len(names) < 2:
        raise AhpError(f"因子须为 {', '.join(FACTORS)} 中至少两个、各一次，当前为 {list(names)} / factors must be two "
                       f"or more of {', '.join(FACTORS)}, each once")  # fmt: skip
    n = len(names)
    rows = list(matrix)
    if len(rows) != n or any(not isinstance(r, (list, tuple)) or len(r) != n for r in rows):
        raise AhpError(f"判断矩阵须为 {n}×{n}（与因子数相同）/ the matrix must be square, {n}×{n} like the factors")
    a = np.array([[_number(v, i, j) for j, v in enumerate(r)] for i, r in enumerate(rows)])
    off_scale = (a < 1 / 9 * (1 - _TOLERANCE)) | (a > 9 * (1 + _TOLERANCE))
    if off_scale.any():
        i, j = (int(k) for k in np.argwhere(off_scale)[0])
        raise AhpError(f"判断值须在 1/9–9 之间（Saaty 标度），第 {i + 1} 行第 {j + 1} 列为 {a[i, j]:g} / judgements "
                       f"must be on Saaty's scale 1/9–9, entry ({i + 1}, {j + 1}) is {a[i, j]:g}")  # fmt: skip
    if not np.allclose(np.diag(a), 1.0):
        raise AhpError("判断矩阵对角线须为 1 / the diagonal must be 1")
    off = np.abs(a * a.T - 1.0) > 2 * _TOLERANCE
    if off.any():
        i, j = (int(k) for k in np.argwhere(off)[0])
        raise AhpError(f"判断矩阵不互反：第 {i + 1} 行第 {j + 1} 列为 {a[i, j]:g}，第 {j + 1} 行第 {i + 1} 列应为"
                       f"其倒数，当前为 {a[j, i]:g} / not reciprocal: ({i + 1}, {j + 1}) = {a[i, j]:g} but "
                       f"({j + 1}, {i + 1}) = {a[j, i]:g}")  # fmt: skip
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lambda_max = float(values[k].real)
    ci = max(0.0, (lambda_max - n) / (n - 1))
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    deviation = np.abs(np.log(a * w[None, :] / w[:, None]))
    i, j = (int(x) for x in np.unravel_index(np.argmax(np.triu(deviation, 1)), deviation.shape))
    worst = (names[i], names[j], float(a[i, j]), float(w[i] / w[j]))
    weights = {f: float(x) for f, x in zip(names, w, strict=True)}
    return Ahp(names, weights, lambda_max, ci, cr, worst, tuple(tuple(float(v) for v in row) for row in a))


def load_ahp(source: str | Path | bytes) -> Ahp:
    """An AHP file (TOML: ``factors`` and ``matrix``, see the module docstring) as weights.

    Raises
    ------
    AhpError
        The file is too large, not TOML, lacks a key, or its matrix cannot be used.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > _MAX_FILE:
        raise AhpError(f"AHP 文件超过 {_MAX_FILE} 字节 / the AHP file is larger than {_MAX_FILE} bytes")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AhpError(f"AHP 文件不是 UTF-8 TOML / the AHP file is not UTF-8 TOML: {exc}") from exc
    extra = sorted(set(doc) - {"factors", "matrix", "title"})
    if "factors" not in doc or "matrix" not in doc or extra:
        raise AhpError(f"AHP 文件须有 factors 和 matrix 两项（未知项：{extra}）/ the AHP file needs factors and matrix "
                       f"(unknown keys: {extra})")  # fmt: skip
    if not isinstance(doc["factors"], list) or not isinstance(doc["matrix"], list):
        raise AhpError("factors 和 matrix 须为数组 / factors and matrix must be arrays")
    return ahp_weights(doc["factors"], doc["matrix"])
