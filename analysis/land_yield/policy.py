"""Differentiated prices by class (issue 13, 4): a policy table applied to each firm's use of power, gas and water.

The policy is data (TOML, checked like the scoring parameters): rules per class, a surcharge or an
incentive per unit of use, a higher rate from a number of consecutive D years. The bundled
``policy.toml`` is an EXAMPLE, labelled not official; a deployment loads the rates in force.

:func:`apply_policy` gives per firm the amount for each use (元; an incentive is negative), the
total and the rule applied; a firm whose rule charges a use it did not report gets a note instead of
a zero. :func:`policy_totals` sums per class or district.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.param_schema import Choice, Flag, Integer, Keyed, Number, Table, Text, check, read_toml

__all__ = ["DEFAULT_POLICY_PATH", "POLICY_COLUMNS", "USES", "Policy", "PolicyError", "PolicyRule", "apply_policy",
           "load_policy", "policy_totals"]  # fmt: skip

DEFAULT_POLICY_PATH = Path(__file__).with_name("policy.toml")
# use field → (rate key, Chinese, English, unit of the rate)
USES = {
    "power_kwh": ("power_yuan_per_kwh", "电费", "power", "元/千瓦时"),
    "gas_m3": ("gas_yuan_per_m3", "气费", "gas", "元/立方米"),
    "water_t": ("water_yuan_per_t", "水费", "water", "元/吨"),
}
POLICY_COLUMNS = ("policy_rule", *(f"diff_{u}" for u in USES), "diff_total", "policy_note_zh", "policy_note_en")


class PolicyError(ValueError):
    """A policy file that cannot be used (the message names every problem)."""


@dataclass(frozen=True)
class PolicyRule:
    """Rates (元 per unit) for firms of one class rated so ``min_consecutive`` years in a row or more."""

    name: str
    cls: str
    kind: str
    min_consecutive: int
    rates: dict[str, float]


@dataclass(frozen=True)
class Policy:
    """A policy table; ``official`` says whether its rates are the ones in force."""

    title: str
    title_en: str
    official: bool
    rules: tuple[PolicyRule, ...]


_RULE = Table(
    {
        "class": Choice(("A", "B", "C", "D")),
        "kind": Choice(("surcharge", "incentive")),
        "min_consecutive": Integer(1, 50),
        **{rate: Number(0.0, 1000.0) for rate, *_ in USES.values()},
    },
    required=("class", "kind"),
    noun=("规则", "rule"),
)
_SCHEMA = Table({"title": Text(), "title_en": Text(), "official": Flag(), "rules": Keyed(_RULE, max_items=50)},
                required=("rules",), noun=("政策", "policy"))  # fmt: skip


def load_policy(source: str | Path | bytes | None = None) -> Policy:
    """Read and check a policy file (TOML); ``None`` gives the bundled example (not official).

    Raises
    ------
    PolicyError
        Unreadable, not TOML, an unknown key, a class other than A–D, a negative or non-finite rate,
        or two rules for the same class and number of years.

    Examples
    --------
    >>> p = load_policy()
    >>> p.official, sorted(r.name for r in p.rules)
    (False, ['A', 'D', 'D_consecutive'])
    >>> try:
    ...     load_policy(b"[rules.x]\\nclass = 'D'\\nkind = 'surcharge'\\npower_yuan_per_kwh = -1\\n")
    ... except PolicyError as exc:
    ...     print(exc)
    upload: rules.x.power_yuan_per_kwh: 须在 0–1000 之间 / must be in [0, 1000], got -1
    """
    raw, name = read_toml(DEFAULT_POLICY_PATH if source is None else source, PolicyError)
    values = check(_SCHEMA, raw, PolicyError, name)
    rules = tuple(
        PolicyRule(key, r["class"], r["kind"], int(r.get("min_consecutive", 1)),
                   {use: float(r.get(rate, 0.0)) for use, (rate, *_) in USES.items()})
        for key, r in values["rules"].items()
    )  # fmt: skip
    counted = sorted(r.name for r in rules if r.cls != "D" and r.min_consecutive > 1)
    if counted:  # only D years in a row are counted (鲁政字〔2019〕235号: consecutive D years pay more)
        raise PolicyError(f"{name}: 连续年数只适用于 D 类规则：{counted} / min_consecutive applies to class D only: "
                          f"{counted}")  # fmt: skip
    seen = [(r.cls, r.min_consecutive) for r in rules]
    if len(set(seen)) != len(seen):
        raise PolicyError(f"{name}: 同一类别、同一连续年数有两条规则 / two rules for the same class and years")
    return Policy(values.get("title", name), values.get("title_en", name), bool(values.get("official", False)), rules)


def _rule_of(classes: pd.Series, streak: pd.Series, policy: Policy) -> pd.Series:
    """The rule applying to each firm (the one of its class with the highest threshold reached), or ""."""
    chosen = pd.Series("", index=classes.index, dtype=object)
    for rule in sorted(policy.rules, key=lambda r: r.min_consecutive):
        years = streak if rule.cls == "D" else pd.Series(1, index=classes.index)
        chosen[(classes == rule.cls) & (years >= rule.min_consecutive)] = rule.name
    return chosen


def apply_policy(result: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per firm: the rule applied and the amount per use (元; incentives negative), total and notes.

    ``result`` needs ``class`` and the use fields ``power_kwh`` (千瓦时), ``gas_m3`` (立方米),
    ``water_t`` (吨); ``consecutive_d`` (years in a row rated D) where an earlier year was compared,
    else a D firm counts as its first D year.

    Examples
    --------
    >>> firms = pd.DataFrame({"class": ["D", "D", "B", "A"], "consecutive_d": [1, 3, 0, 0],
    ...                       "power_kwh": [1e5, 1e5, 1e5, 1e5], "gas_m3": [1e3, None, 1e3, 0.0],
    ...                       "water_t": [100.0, 100.0, 100.0, 100.0]})
    >>> out = apply_policy(firms, load_policy())
    >>> for row in out[["policy_rule", "diff_power_kwh", "diff_gas_m3", "diff_total"]].values.tolist():
    ...     print(row)
    ['D', 30000.0, 1000.0, 31100.0]
    ['D_consecutive', 40000.0, nan, 40200.0]
    ['', nan, nan, nan]
    ['A', -2000.0, 0.0, -2000.0]
    >>> out.loc[1, "policy_note_zh"]
    '缺少用气量，差别化气费未计算'
    """
    rules = {r.name: r for r in policy.rules}
    classes = result["class"].astype(object).fillna("")
    streak = result["consecutive_d"] if "consecutive_d" in result.columns else pd.Series(1, index=result.index)
    rule = _rule_of(classes, streak.fillna(1).clip(lower=1), policy)
    out = pd.DataFrame({"policy_rule": rule}, index=result.index)
    notes_zh = pd.Series("", index=result.index, dtype=object)
    notes_en = pd.Series("", index=result.index, dtype=object)
    for use, (_, zh, en, _unit) in USES.items():
        rate = rule.map(lambda name, u=use: rules[name].rates[u] * (1 if rules[name].kind == "surcharge" else -1)
                        if name else np.nan).astype(float)  # fmt: skip
        amount = result[use].astype(float) * rate if use in result.columns else pd.Series(np.nan, index=result.index)
        missing = rate.notna() & (rate != 0) & amount.isna()
        notes_zh[missing] += f"缺少用{zh[0]}量，差别化{zh}未计算；"
        notes_en[missing] += f"no {en} use reported: its differentiated amount is not computed; "
        out[f"diff_{use}"] = amount.where(rate != 0, 0.0).where(rate.notna()).round(2)
    out["diff_total"] = out[[f"diff_{u}" for u in USES]].sum(axis=1, min_count=1).round(2)
    out["policy_note_zh"] = notes_zh.str.rstrip("；")
    out["policy_note_en"] = notes_en.str.rstrip("; ")
    return out


def policy_totals(result: pd.DataFrame, by: str) -> pd.DataFrame:
    """Totals of the differentiated amounts (元) per ``by`` (``class`` or ``district``), with firm counts.

    Examples
    --------
    >>> firms = pd.DataFrame({"class": ["D", "D", "A"], "diff_power_kwh": [10.0, None, -1.0],
    ...                       "diff_gas_m3": [1.0, 2.0, 0.0], "diff_water_t": [0.0, 0.0, 0.0],
    ...                       "diff_total": [11.0, 2.0, -1.0], "policy_rule": ["D", "D", "A"]})
    >>> policy_totals(firms, "class")[["class", "firms", "diff_total"]].values.tolist()
    [['A', 1, -1.0], ['D', 2, 13.0]]
    """
    applied = result[result["policy_rule"].fillna("") != ""]
    columns = [f"diff_{u}" for u in USES] + ["diff_total"]
    totals = applied.groupby(by)[columns].sum(min_count=1).round(2)
    totals.insert(0, "firms", applied.groupby(by).size())
    return totals.reset_index()
