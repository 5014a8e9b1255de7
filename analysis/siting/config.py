"""Parameters of site selection, read from a small TOML file (defaults in ``siting.toml``).

The defaults are this software's choices, labelled as such: the plan says where industries go,
not how to weigh factors, and 标准地 thresholds are set per district and industry.
:func:`load_siting_config` validates a user's file and names the key of every problem.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.param_schema import Flag, Keyed, Number, Table, Text, check, read_toml, toml_key, toml_value
from layers.plan import NODE_KINDS, Plan  # the kinds of transport node the plan relies on

__all__ = [
    "DEFAULT_SITING_CONFIG",
    "FACTORS",
    "FIT_LEVELS",
    "NODE_KINDS",
    "SitingConfig",
    "SitingConfigError",
    "check_industries",
    "config_from_document",
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
        Points per factor (:data:`FACTORS`), numbers in [0, 10⁶]; plan_fit + axis + transport > 0.
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
    speed_kmh, access_speed_kmh : float
        Average driving speed on the road network, and on the straight legs to and from it, km/h
        (times by road; isochrones).
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
    speed_kmh: float = 60.0
    access_speed_kmh: float = 25.0
    official: bool = False
    title: str = "默认参数（非官方）"
    title_en: str = "Default parameters (not official)"

    def __post_init__(self) -> None:
        for key, value in _fields(check(_SCHEMA, _document(self), SitingConfigError)).items():
            object.__setattr__(self, key, value)  # normalised: floats, NFKC text
        core = math.fsum(self.weights[f] for f in _CORE_FACTORS)
        if not core >= _MIN_SUM:
            raise SitingConfigError(f"weights: {' + '.join(_CORE_FACTORS)} 须大于 0（land_yield、free_land 不总参与）/ "
                                    f"{' + '.join(_CORE_FACTORS)} must not all be 0 (land_yield and free_land are "
                                    "not always used)")  # fmt: skip
        for kind, (full, zero) in self.distance.items():
            if not zero > full:
                raise SitingConfigError(f"distance.{kind}: zero_m 须大于 full_m / zero_m must exceed full_m, got "
                                        f"full_m = {full:g}, zero_m = {zero:g}")  # fmt: skip

    def with_changes(self, **changes: Any) -> SitingConfig:
        """A copy with some values changed (validated again)."""
        return replace(self, **changes)

    def node_weights(self, industry: str) -> dict[str, float]:
        """Transport weights for a taxonomy industry id, rescaled to sum to 1."""
        raw = self.transport_by_industry.get(industry, self.transport_weights)
        total = sum(raw.values())
        return {k: raw.get(k, 0.0) / total for k in NODE_KINDS}

    def to_toml(self) -> str:
        """The configuration as TOML, loadable with :func:`load_siting_config` (values read back unchanged)."""

        def table(name: str, values: Mapping[str, Any]) -> list[str]:
            return ["", f"[{name}]", *(f"{toml_key(k)} = {toml_value(v)}" for k, v in values.items())]

        lines = [
            "# 选址评价参数 / site selection parameters",
            f"title = {toml_value(self.title)}",
            f"title_en = {toml_value(self.title_en)}",
            f"official = {toml_value(self.official)}",
            *table("weights", self.weights),
            *table("plan_fit", {**self.fit, "inferred_factor": self.inferred_factor}),
            *table("standard_land", self.standard_land),
        ]
        for kind, (full, zero) in self.distance.items():
            lines += table(f"distance.{toml_key(kind)}", {"full_m": full, "zero_m": zero})
        lines += table("transport_weights", self.transport_weights)
        for industry, weights in self.transport_by_industry.items():
            lines += table(f"transport_weights.by_industry.{toml_key(industry)}", weights)
        lines += table("land", {"tolerance": self.land_tolerance, "full_ratio": self.land_full_ratio})
        lines += table("network", {"speed_kmh": self.speed_kmh, "access_speed_kmh": self.access_speed_kmh})
        return "\n".join(lines) + "\n"


_MIN_SUM = 1e-6  # weights must add up to at least this (not all zero)
_CORE_FACTORS = ("plan_fit", "axis", "transport")  # always scored; land_yield and free_land only with their data


def _schema() -> Table:
    """The schema of ``siting.toml`` (industry ids under ``by_industry`` are checked against a plan)."""
    node_weights = Table({k: Number() for k in NODE_KINDS}, min_sum=_MIN_SUM, noun=("站点类型", "node kinds"))
    distance = Table({"full_m": Number(0.0, 1e6), "zero_m": Number(0.0, 1e6)}, required=True)
    by_industry = Keyed(node_weights, noun=("产业", "industry ids"))
    return Table(
        {
            "title": Text(),
            "title_en": Text(),
            "official": Flag(),
            "weights": Table({f: Number() for f in FACTORS}, required=True, noun=("因子", "factors")),
            "plan_fit": Table({**{k: Number(0.0, 1.0) for k in FIT_LEVELS}, "inferred_factor": Number(0.0, 1.0)},
                              required=FIT_LEVELS, noun=("规划符合度等级", "plan-fit levels")),
            "standard_land": Table({k: Number() for k in _STANDARD_KEYS}, required=True),
            "distance": Table({k: distance for k in ("axis", *NODE_KINDS)}, required=True,
                              noun=("距离类型", "distance kinds")),
            "transport_weights": Table({**{k: Number() for k in NODE_KINDS}, "by_industry": by_industry},
                                       min_sum=_MIN_SUM, noun=("站点类型", "node kinds")),
            "land": Table({"tolerance": Number(0.0, 0.9), "full_ratio": Number(1.0, 100.0)}),
            "network": Table({"speed_kmh": Number(5.0, 130.0), "access_speed_kmh": Number(1.0, 130.0)}),
        },
        required=("weights", "plan_fit", "standard_land", "distance", "transport_weights"),
        noun=("参数", "parameters"),
    )  # fmt: skip


def _document(c: SitingConfig) -> dict[str, Any]:
    """The fields of ``c`` in the shape of ``siting.toml`` (malformed values passed on for :func:`check`)."""

    def pair(value: Any) -> Any:
        ok = isinstance(value, (tuple, list)) and len(value) == 2
        return {"full_m": value[0], "zero_m": value[1]} if ok else value

    transport: Any = c.transport_weights
    if isinstance(transport, Mapping) and isinstance(c.transport_by_industry, Mapping):
        transport = {**transport, "by_industry": c.transport_by_industry}
    return {
        "title": c.title,
        "title_en": c.title_en,
        "official": c.official,
        "weights": c.weights,
        "plan_fit": {**c.fit, "inferred_factor": c.inferred_factor} if isinstance(c.fit, Mapping) else c.fit,
        "standard_land": c.standard_land,
        "distance": {k: pair(v) for k, v in c.distance.items()} if isinstance(c.distance, Mapping) else c.distance,
        "transport_weights": transport,
        "land": {"tolerance": c.land_tolerance, "full_ratio": c.land_full_ratio},
        "network": {"speed_kmh": c.speed_kmh, "access_speed_kmh": c.access_speed_kmh},
    }


def _fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments of :class:`SitingConfig` from a checked ``siting.toml`` document."""
    out: dict[str, Any] = {k: doc[k] for k in ("title", "title_en", "official", "weights", "standard_land") if k in doc}
    out["fit"] = {k: v for k, v in doc["plan_fit"].items() if k != "inferred_factor"}
    if "inferred_factor" in doc["plan_fit"]:
        out["inferred_factor"] = doc["plan_fit"]["inferred_factor"]
    out["distance"] = {k: (v["full_m"], v["zero_m"]) for k, v in doc["distance"].items()}
    out["transport_weights"] = {k: v for k, v in doc["transport_weights"].items() if k != "by_industry"}
    out["transport_by_industry"] = dict(doc["transport_weights"].get("by_industry", {}))
    for key, name in (("tolerance", "land_tolerance"), ("full_ratio", "land_full_ratio")):
        if key in doc.get("land", {}):
            out[name] = doc["land"][key]
    for key in ("speed_kmh", "access_speed_kmh"):
        if key in doc.get("network", {}):
            out[key] = doc["network"][key]
    return out


_SCHEMA = _schema()


def check_industries(config: SitingConfig, plan: Plan, source: str = "") -> SitingConfig:
    """``config`` when every industry id under ``transport_weights.by_industry`` is one of ``plan``'s.

    Raises
    ------
    SitingConfigError
        Naming the unknown ids and the known ones.
    """
    known = [i.id for i in plan.industries]
    unknown = sorted(k for k in config.transport_by_industry if k not in known)
    if unknown:
        head = f"{source}: " if source else ""
        raise SitingConfigError(f"{head}[transport_weights.by_industry] 未知产业 / unknown industry ids {unknown}; "
                                f"可用 / known: {known}")  # fmt: skip
    return config


def load_siting_config(source: str | Path | bytes | None = None, plan: Plan | None = None) -> SitingConfig:
    """Read and validate a configuration; ``None`` reads the defaults (``siting.toml``).

    Parameters
    ----------
    source : path or bytes, optional
        A TOML file or its content.
    plan : Plan, optional
        When given, industry ids under ``transport_weights.by_industry`` must be the plan's.

    Raises
    ------
    SitingConfigError
        Unreadable TOML, an unknown key or an invalid value (the message names every key).
    """
    raw, name = read_toml(DEFAULT_SITING_CONFIG if source is None else source, SitingConfigError)
    return config_from_document(raw, name, plan)


def config_from_document(raw: Mapping[str, Any], name: str, plan: Plan | None = None) -> SitingConfig:
    """Validate a parsed ``siting.toml`` document (``name`` labels messages); see :func:`load_siting_config`."""
    doc = check(_SCHEMA, dict(raw), SitingConfigError, name)
    try:
        config = SitingConfig(**_fields(doc))
    except SitingConfigError as exc:
        raise SitingConfigError(f"{name}: {exc}") from exc
    return config if plan is None else check_industries(config, plan, name)
