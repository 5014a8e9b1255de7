"""Parameters of the 亩产效益 evaluation, read from a small TOML file.

The defaults in ``land_yield.toml`` are this software's choices, labelled as such (Shandong and
Qingdao have not published weights or formulas). :func:`load_config` validates a user's file
and reports every problem with its key; :meth:`ScoringConfig.to_toml` writes the current
settings back so that an edited configuration can be saved and reused.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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
_CLASSES_TABLE = (
    ("A", "优先发展类", "Priority development", "优先保障", "Resources assured first", "#1a9850"),
    ("B", "支持发展类", "Supported development", "积极支持", "Actively supported", "#91cf60"),
    ("C", "提升发展类", "Upgrading required", "相对控制", "Relatively controlled", "#fc8d59"),
    ("D", "限制发展类", "Restricted development", "严格限制（水、电、气等差别化加价）",
     "Strictly limited (surcharges on water, power, gas)", "#d73027"),
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
        _validate(self)

    @property
    def notes(self) -> list[str]:
        """Departures from the official class rule, to show as warnings."""
        return official_rule_notes(self)

    def with_changes(self, **changes: Any) -> ScoringConfig:
        """A copy with some values changed (validated again)."""
        return replace(self, **changes)

    def to_toml(self) -> str:
        """The configuration as TOML text, loadable with :func:`load_config`."""
        lines = [
            "# 亩产效益评价参数 / land_yield evaluation parameters",
            f"title = {_toml(self.title)}",
            f"title_en = {_toml(self.title_en)}",
            f"official = {_toml(self.official)}",
        ]
        for key in ("evaluation_year", "new_firm_years", "excluded_divisions", "min_land_mu_below", "benchmark",
                    "min_cohort", "cap", "winsorize", "rank_within"):  # fmt: skip
            lines.append(f"{key} = {_toml(getattr(self, key))}")
        for table in ("weights", "weights_below", "shares"):
            lines.append(f"\n[{table}]")
            lines.extend(f"{k} = {_toml(v)}" for k, v in getattr(self, table).items())
        return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def _validate(c: ScoringConfig) -> None:
    for name, weights in (("weights", c.weights), ("weights_below", c.weights_below)):
        unknown = set(weights) - set(INDICATORS)
        if unknown:
            raise ConfigError(f"{name}: 未知指标 / unknown indicators {sorted(unknown)}; known: {list(INDICATORS)}")
        if any(not _finite(w) or w < 0 for w in weights.values()):
            raise ConfigError(f"{name}: 权重须为非负数 / weights must be non-negative numbers")
        if sum(weights.values()) <= 0:
            raise ConfigError(f"{name}: 权重之和须大于 0 / weights must not all be zero")
    if set(c.shares) != set(_CLASSES):
        raise ConfigError(f"shares: 须给出 A、B、C、D 四类比例 / give shares for exactly {list(_CLASSES)}")
    if any(not _finite(s) or not 0 <= s <= 1 for s in c.shares.values()):
        raise ConfigError("shares: 比例须在 0–1 之间 / shares must be between 0 and 1")
    if abs(sum(c.shares.values()) - 1) > 1e-6:
        raise ConfigError(f"shares: 四类比例之和须为 1（当前 {sum(c.shares.values()):.3f}）/ shares must add up to 1")
    if c.benchmark not in _BENCHMARKS:
        raise ConfigError(f"benchmark: 须为 {_BENCHMARKS} 之一 / must be one of {_BENCHMARKS}")
    if c.rank_within not in _RANK_WITHIN:
        raise ConfigError(f"rank_within: 须为 {_RANK_WITHIN} 之一 / must be one of {_RANK_WITHIN}")
    if not _finite(c.cap) or c.cap < 1:
        raise ConfigError("cap: 封顶倍数须 ≥ 1 / cap must be at least 1")
    lo, hi = c.winsorize
    if not 0 <= lo < hi <= 1:
        raise ConfigError("winsorize: 须满足 0 ≤ 下分位 < 上分位 ≤ 1 / need 0 ≤ low < high ≤ 1")
    if not 1990 <= c.evaluation_year <= 2100 or c.new_firm_years < 0 or c.min_cohort < 1:
        raise ConfigError("evaluation_year / new_firm_years / min_cohort 超出合理范围 / out of range")
    if c.min_land_mu_below < 0:
        raise ConfigError("min_land_mu_below: 不能为负 / must not be negative")


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def official_rule_notes(c: ScoringConfig) -> list[str]:
    """Departures from the official class rule (A ≤ 20 %, D ≥ 5 %), as warnings to show."""
    notes = []
    if c.shares["A"] > 0.20 + 1e-9:
        notes.append("A 类比例超过 20%，不符合鲁政字〔2019〕235号 / A share above the official 20 % limit")
    if c.shares["D"] < 0.05 - 1e-9:
        notes.append("D 类比例低于 5%，不符合鲁政字〔2019〕235号 / D share below the official 5 % minimum")
    return notes


def _from_mapping(raw: dict[str, Any], source: str) -> ScoringConfig:
    known = set(ScoringConfig.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"{source}: 未知参数 / unknown keys {sorted(unknown)}")
    values = dict(raw)
    for key in ("weights", "weights_below", "shares"):
        if key not in values or not isinstance(values[key], dict):
            raise ConfigError(f"{source}: 缺少 [{key}] 表 / missing table [{key}]")
    for key in ("excluded_divisions", "winsorize"):
        if key in values:
            values[key] = tuple(values[key])
    try:
        return ScoringConfig(**values)
    except TypeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def load_config(source: str | Path | bytes | None = None) -> ScoringConfig:
    """Read and validate a configuration file (TOML); ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        Unreadable file, TOML syntax error or invalid value (the message names the key).
    """
    if source is None:
        source = DEFAULT_CONFIG_PATH
    name = "upload"
    try:
        if isinstance(source, bytes):
            raw = tomllib.loads(source.decode("utf-8-sig"))
        else:
            name = str(source)
            raw = tomllib.loads(Path(source).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"无法读取参数文件 / cannot read {name}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"参数文件格式错误 / {name} is not valid TOML: {exc}") from exc
    return _from_mapping(raw, name)


def default_config() -> ScoringConfig:
    """The bundled default parameters (not official)."""
    return load_config(None)
