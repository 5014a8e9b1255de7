"""Parameters of site selection, read from a small TOML file (defaults in ``siting.toml``).

The defaults are this software's choices, labelled as such: the plan says where industries go,
not how to weigh factors, and 标准地 thresholds are set per district and industry.
:func:`load_siting_config` validates a user's file and names the key of every problem.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from layers.catalogue import NODE_KINDS  # the kinds of transport node the catalogue knows

__all__ = [
    "DEFAULT_SITING_CONFIG",
    "FACTORS",
    "FIT_LEVELS",
    "NODE_KINDS",
    "SitingConfig",
    "SitingConfigError",
    "load_siting_config",
]

DEFAULT_SITING_CONFIG = Path(__file__).with_name("siting.toml")
FACTORS = ("plan_fit", "axis", "transport", "land_yield", "free_land")
FIT_LEVELS = ("leading", "related", "axis", "bay_role", "guided", "none")
_STANDARD_KEYS = ("min_investment_wan_per_mu", "min_tax_wan_per_mu", "min_tax_wan_per_tce")


class SitingConfigError(ValueError):
    """A siting configuration is invalid; the message names the key."""


@dataclass(frozen=True)
class SitingConfig:
    """Validated site-selection parameters (meaning of each in ``siting.toml``).

    Attributes
    ----------
    weights : dict
        Points per factor (:data:`FACTORS`), any non-negative numbers.
    fit : dict
        Score 0–1 of each plan-fit level (:data:`FIT_LEVELS`).
    inferred_factor : float
        Multiplier of the plan-fit score for clusters the plan does not name.
    standard_land : dict
        标准地 thresholds: investment and tax in 万元 per 亩, tax in 万元 per tce.
    distance : dict
        ``kind → (full_m, zero_m)`` for ``"axis"`` and each of :data:`NODE_KINDS`, metres.
    transport_weights : dict
        Weight per node kind; ``transport_by_industry`` overrides it per taxonomy industry.
    land_tolerance : float
        A plot qualifies when its area ≥ need × (1 − tolerance).
    land_full_ratio : float
        Free land scores 1 at ``need × full_ratio`` 亩 of qualifying plots.
    """

    weights: dict[str, float]
    fit: dict[str, float]
    standard_land: dict[str, float]
    distance: dict[str, tuple[float, float]]
    transport_weights: dict[str, float]
    transport_by_industry: dict[str, dict[str, float]] = field(default_factory=dict)
    inferred_factor: float = 0.8
    land_tolerance: float = 0.05
    land_full_ratio: float = 3.0
    official: bool = False
    title: str = "默认参数（非官方）"
    title_en: str = "Default parameters (not official)"

    def __post_init__(self) -> None:
        _validate(self)

    def with_changes(self, **changes: Any) -> SitingConfig:
        """A copy with some values changed (validated again)."""
        return replace(self, **changes)

    def node_weights(self, industry: str) -> dict[str, float]:
        """Transport weights for a taxonomy industry id, rescaled to sum to 1."""
        raw = self.transport_by_industry.get(industry, self.transport_weights)
        total = sum(raw.values())
        return {k: raw.get(k, 0.0) / total for k in NODE_KINDS}

    def to_toml(self) -> str:
        """The configuration as TOML, loadable with :func:`load_siting_config`."""
        lines = [
            "# 选址评价参数 / site selection parameters",
            f"title = {_q(self.title)}",
            f"title_en = {_q(self.title_en)}",
            f"official = {str(self.official).lower()}",
            "",
            "[weights]",
            *(f"{k} = {v:g}" for k, v in self.weights.items()),
            "",
            "[plan_fit]",
            *(f"{k} = {v:g}" for k, v in self.fit.items()),
            f"inferred_factor = {self.inferred_factor:g}",
            "",
            "[standard_land]",
            *(f"{k} = {v:g}" for k, v in self.standard_land.items()),
        ]
        for kind, (full, zero) in self.distance.items():
            lines += ["", f"[distance.{kind}]", f"full_m = {full:g}", f"zero_m = {zero:g}"]
        lines += ["", "[transport_weights]", *(f"{k} = {v:g}" for k, v in self.transport_weights.items())]
        for industry, weights in self.transport_by_industry.items():
            lines += ["", f"[transport_weights.by_industry.{industry}]", *(f"{k} = {v:g}" for k, v in weights.items())]
        lines += ["", "[land]", f"tolerance = {self.land_tolerance:g}", f"full_ratio = {self.land_full_ratio:g}", ""]
        return "\n".join(lines)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: Any, key: str, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SitingConfigError(f"{key} 须为数字 / must be a number, got {value!r}")
    if not low <= value <= high:
        raise SitingConfigError(f"{key} 须在 {low:g}–{high:g} 之间 / must be in [{low:g}, {high:g}], got {value!r}")
    return float(value)


def _validate(c: SitingConfig) -> None:
    for name, keys in (("weights", FACTORS), ("plan_fit", FIT_LEVELS), ("standard_land", _STANDARD_KEYS)):
        given = c.weights if name == "weights" else c.fit if name == "plan_fit" else c.standard_land
        unknown = sorted(set(given) - set(keys))
        missing = sorted(set(keys) - set(given))
        if unknown or missing:
            raise SitingConfigError(f"[{name}] 未知键 / unknown keys {unknown}; 缺少 / missing {missing}")
    for k, v in c.weights.items():
        _number(v, f"weights.{k}")
    if sum(v for k, v in c.weights.items() if k != "land_yield") <= 0:
        raise SitingConfigError("weights 之和须大于 0 / the weights (land_yield aside) must not all be 0")
    for k, v in c.fit.items():
        _number(v, f"plan_fit.{k}", 0.0, 1.0)
    _number(c.inferred_factor, "plan_fit.inferred_factor", 0.0, 1.0)
    for k, v in c.standard_land.items():
        _number(v, f"standard_land.{k}")
    for kind in ("axis", *NODE_KINDS):
        if kind not in c.distance:
            raise SitingConfigError(f"缺少 / missing [distance.{kind}]")
        full, zero = c.distance[kind]
        _number(full, f"distance.{kind}.full_m")
        _number(zero, f"distance.{kind}.zero_m")
        if not zero > full:
            raise SitingConfigError(f"distance.{kind}: zero_m 须大于 full_m / zero_m must exceed full_m")
    for label, weights in (("transport_weights", c.transport_weights), *(
        (f"transport_weights.by_industry.{i}", w) for i, w in c.transport_by_industry.items()
    )):  # fmt: skip
        unknown = sorted(set(weights) - set(NODE_KINDS))
        if unknown:
            raise SitingConfigError(f"[{label}] 未知站点类型 / unknown node kinds {unknown}; known: {NODE_KINDS}")
        for k, v in weights.items():
            _number(v, f"{label}.{k}")
        if sum(weights.values()) <= 0:
            raise SitingConfigError(f"[{label}] 权重之和须大于 0 / weights must not all be 0")
    _number(c.land_tolerance, "land.tolerance", 0.0, 0.9)
    _number(c.land_full_ratio, "land.full_ratio", 1.0, 100.0)


def load_siting_config(source: str | Path | bytes | None = None) -> SitingConfig:
    """Read and validate a configuration; ``None`` reads the defaults (``siting.toml``).

    Raises
    ------
    SitingConfigError
        Unreadable TOML or an invalid value (the message names the key).
    """
    try:
        if source is None:
            data = tomllib.loads(DEFAULT_SITING_CONFIG.read_text(encoding="utf-8"))
        elif isinstance(source, bytes):
            data = tomllib.loads(source.decode("utf-8"))
        else:
            data = tomllib.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SitingConfigError(f"无法读取参数文件 / cannot read the configuration: {exc}") from exc
    try:
        distance = {k: (v["full_m"], v["zero_m"]) for k, v in data.get("distance", {}).items()}
        transport = dict(data.get("transport_weights", {}))
        by_industry = transport.pop("by_industry", {})
        fit = dict(data.get("plan_fit", {}))
        inferred = fit.pop("inferred_factor", 0.8)
        land = data.get("land", {})
        return SitingConfig(
            weights=dict(data.get("weights", {})),
            fit=fit,
            standard_land=dict(data.get("standard_land", {})),
            distance=distance,
            transport_weights=transport,
            transport_by_industry={k: dict(v) for k, v in by_industry.items()},
            inferred_factor=inferred,
            land_tolerance=land.get("tolerance", 0.05),
            land_full_ratio=land.get("full_ratio", 3.0),
            official=bool(data.get("official", False)),
            title=str(data.get("title", "默认参数（非官方）")),
            title_en=str(data.get("title_en", "Default parameters (not official)")),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise SitingConfigError(f"参数文件结构不正确 / malformed configuration: {exc!r}") from exc
