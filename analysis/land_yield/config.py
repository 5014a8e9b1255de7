"""Parameters of the 亩产效益 evaluation, read from a small TOML file.

The defaults in ``land_yield.toml`` are this software's choices, labelled as such (Shandong and
Qingdao have not published weights or formulas). :func:`load_config` validates a user's file
and reports every problem with its key; :meth:`ScoringConfig.to_toml` writes the current
settings back so that an edited configuration can be saved and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from analysis.param_schema import (
    MAX_NUMBER,
    Choice,
    Flag,
    Integer,
    Number,
    Sequence,
    Table,
    Text,
    check,
    read_toml,
    toml_key,
    toml_value,
)

__all__ = [
    "CLASS_INFO",
    "DEFAULT_CONFIG_PATH",
    "INDICATORS",
    "ConfigError",
    "Indicator",
    "ScoringConfig",
    "default_config",
    "load_config",
]

DEFAULT_CONFIG_PATH = Path(__file__).with_name("land_yield.toml")


class ConfigError(ValueError):
    """A configuration file or value is invalid; the message names the key."""


@dataclass(frozen=True)
class Indicator:
    """An evaluation indicator: ratio ``numerator / denominator`` × ``scale``, in ``unit``."""

    id: str
    zh: str
    en: str
    unit: str
    numerator: str
    denominator: str
    scale: float = 1.0


_IND = (
    ("tax_per_mu", "单位用地税收", "Tax per mu", "万元/亩", "tax", "land_mu", 1.0),
    ("revenue_per_energy", "单位能耗销售收入", "Revenue per tce", "万元/吨标准煤", "revenue", "energy_tce", 1.0),
    (
        "revenue_per_emission",
        "单位污染物排放销售收入",
        "Revenue per t emitted",
        "万元/吨",
        "revenue",
        "emissions_t",
        1.0,
    ),
    ("rd_intensity", "研发经费投入强度", "R&D intensity", "%", "rd", "revenue", 100.0),
    ("labour_productivity", "全员劳动生产率", "Labour productivity", "万元/人", "value_added", "employees", 1.0),
)
INDICATORS: dict[str, Indicator] = {row[0]: Indicator(*row) for row in _IND}

# The four classes and their policy use are official (鲁政字〔2019〕235号); T = new, not rated.
# Colours: Okabe–Ito, colour-blind safe (the same as webmap.palette.CLASS_COLOURS, which a test checks).
_CLASSES_TABLE = (
    ("A", "优先发展类", "Priority development", "优先保障", "Resources assured first", "#0072b2"),
    ("B", "支持发展类", "Supported development", "积极支持", "Actively supported", "#56b4e9"),
    ("C", "提升发展类", "Upgrading required", "相对控制", "Relatively controlled", "#e69f00"),
    ("D", "限制发展类", "Restricted development", "严格限制（水、电、气等差别化加价）",
     "Strictly limited (surcharges on water, power, gas)", "#d55e00"),
    ("T", "新投产（不参评）", "New (not rated)", "暂不评价", "Not yet rated", "#7b8794"),
)  # fmt: skip
CLASS_INFO: dict[str, dict[str, str]] = {
    row[0]: dict(zip(("zh", "en", "policy", "policy_en", "colour"), row[1:], strict=True)) for row in _CLASSES_TABLE
}

_BENCHMARKS = ("district", "city")
_RANK_WITHIN = ("scale", "scale_district")
_CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class ScoringConfig:
    """Validated evaluation parameters (see ``land_yield.toml`` for the meaning of each)."""

    weights: dict[str, float]
    weights_below: dict[str, float]
    shares: dict[str, float]
    evaluation_year: int = 2025
    new_firm_years: int = 2
    excluded_divisions: tuple[int, ...] = (44, 45, 46)
    min_land_mu_below: float = 3.0
    benchmark: str = "district"
    min_cohort: int = 5
    cap: float = 2.0
    winsorize: tuple[float, float] = (0.01, 0.99)
    rank_within: str = "scale"
    official: bool = False
    title: str = "默认参数（非官方）"
    title_en: str = "Default parameters (not official)"

    def __post_init__(self) -> None:
        values = check(_SCHEMA, {f.name: getattr(self, f.name) for f in fields(self)}, ConfigError)
        for key, value in values.items():  # normalised: floats, tuples, NFKC text
            object.__setattr__(self, key, value)
        lo, hi = self.winsorize
        if not lo < hi:
            raise ConfigError(f"winsorize: 须满足 下分位 < 上分位 / need low < high, got {list(self.winsorize)}")

    @property
    def notes(self) -> list[str]:
        """Departures from the official class rule, to show as warnings."""
        return official_rule_notes(self)

    def with_changes(self, **changes: Any) -> ScoringConfig:
        """A copy with some values changed (validated again)."""
        return replace(self, **changes)

    def to_toml(self) -> str:
        """The configuration as TOML text, loadable with :func:`load_config` (values read back unchanged)."""
        lines = ["# 亩产效益评价参数 / land_yield evaluation parameters"]
        for key in ("title", "title_en", "official", "evaluation_year", "new_firm_years", "excluded_divisions",
                    "min_land_mu_below", "benchmark", "min_cohort", "cap", "winsorize", "rank_within"):  # fmt: skip
            lines.append(f"{key} = {toml_value(getattr(self, key))}")
        for table in ("weights", "weights_below", "shares"):
            lines.append(f"\n[{table}]")
            lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in getattr(self, table).items())
        return "\n".join(lines) + "\n"


_WEIGHTS = Table({k: Number() for k in INDICATORS}, min_sum=1e-6, noun=("指标", "indicators"))
_SCHEMA = Table(
    {
        "title": Text(),
        "title_en": Text(),
        "official": Flag(),
        "evaluation_year": Integer(1990, 2100),
        "new_firm_years": Integer(0, 100),
        "excluded_divisions": Sequence(Integer(1, 99), 0, 100),  # GB/T 4754 divisions (two digits)
        "min_land_mu_below": Number(0.0, MAX_NUMBER),
        "benchmark": Choice(_BENCHMARKS),
        "min_cohort": Integer(1, 1_000_000),
        "cap": Number(1.0, 100.0),
        "winsorize": Sequence(Number(0.0, 1.0), 2, 2),
        "rank_within": Choice(_RANK_WITHIN),
        "weights": _WEIGHTS,
        "weights_below": _WEIGHTS,
        "shares": Table({c: Number(0.0, 1.0) for c in _CLASSES}, required=True, total=1.0, noun=("类别", "classes")),
    },
    required=("weights", "weights_below", "shares"),
    noun=("参数", "parameters"),
)


def official_rule_notes(c: ScoringConfig) -> list[str]:
    """Departures from the official class rule (A ≤ 20 %, D ≥ 5 %), as warnings to show."""
    notes = []
    if c.shares["A"] > 0.20 + 1e-9:
        notes.append("A 类比例超过 20%，不符合鲁政字〔2019〕235号 / A share above the official 20 % limit")
    if c.shares["D"] < 0.05 - 1e-9:
        notes.append("D 类比例低于 5%，不符合鲁政字〔2019〕235号 / D share below the official 5 % minimum")
    return notes


def load_config(source: str | Path | bytes | None = None) -> ScoringConfig:
    """Read and validate a configuration file (TOML); ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        Unreadable file, TOML syntax error, unknown key or invalid value (the message names every key).
    """
    raw, name = read_toml(DEFAULT_CONFIG_PATH if source is None else source, ConfigError)
    values = check(_SCHEMA, raw, ConfigError, name)
    try:
        return ScoringConfig(**values)
    except ConfigError as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def default_config() -> ScoringConfig:
    """The bundled default parameters (not official)."""
    return load_config(None)
