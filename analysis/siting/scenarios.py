"""Scenarios: named sets of site parameters, and their rankings side by side (issue 14, 4).

A :class:`Scenario` is what a committee asks about when it says "what if": the weights and thresholds
(a :class:`analysis.siting.config.SitingConfig`), the half width of the axis corridors, and whether the
exclusion zones apply. It is stored as TOML — the site parameters of ``siting.toml`` with a
``[scenario]`` table — in the workspace or a file (``python -m analysis.siting --scenario FILE``).

:func:`compare` lines up the rankings of several scenarios for one project: every cluster and the
plots in any scenario's top list, with each scenario's rank and score, the change of rank against the
first scenario (the base) and Kendall's τ-b between the base cluster ranking and each other one.

Examples
--------
>>> from analysis.siting.config import load_siting_config
>>> s = Scenario("生态优先", load_siting_config(), corridor_half_width_m=3000.0)
>>> again = load_scenario(s.to_toml().encode())
>>> (again.name, again.corridor_half_width_m, again.exclusion, again.config == s.config)
('生态优先', 3000.0, True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.param_schema import Flag, Number, Table, Text, check, read_toml, toml_value
from analysis.siting.config import SitingConfig, SitingConfigError, config_from_document
from analysis.siting.context import Locations, SitingContext
from analysis.siting.project import ProjectSpec
from analysis.siting.rank import SiteResult, rank_sites
from analysis.siting.sensitivity import kendall_tau
from geo.text import clean_text
from layers.plan import Plan

__all__ = [
    "MAX_SCENARIOS",
    "Comparison",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_scenario",
    "run_scenarios",
    "scenario_context",
]

MAX_SCENARIOS = 8  # compared at once: a table a committee can read


class ScenarioError(ValueError):
    """A scenario that cannot be used (bilingual message naming the key)."""


_SCHEMA = Table(
    {"name": Text(), "corridor_km": Number(0.5, 50.0), "exclusion": Flag()},
    required=("name",),
    noun=("方案", "scenario"),
)


@dataclass(frozen=True)
class Scenario:
    """A named set of site parameters.

    Attributes
    ----------
    name : str
        Shown in tables and reports (1–60 characters).
    config : SitingConfig
        Weights, thresholds, distances and speeds.
    corridor_half_width_m : float
        Half width of the axis corridors, metres (500–50 000).
    exclusion : bool
        Whether the exclusion zones apply (a scenario without them shows what they cost).
    """

    name: str
    config: SitingConfig
    corridor_half_width_m: float = 5000.0
    exclusion: bool = True

    def __post_init__(self) -> None:
        name = " ".join(clean_text(str(self.name)).split())  # NFKC, no control or zero-width characters
        if not 1 <= len(name) <= 60:
            raise ScenarioError(f"方案名称须为 1–60 个字 / a scenario name must have 1–60 characters: {self.name!r}")
        if not 500.0 <= float(self.corridor_half_width_m) <= 50_000.0:
            raise ScenarioError(f"廊道半宽须在 0.5–50 km / corridor half width must be 0.5–50 km, got "
                                f"{float(self.corridor_half_width_m) / 1000:g} km")  # fmt: skip
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "corridor_half_width_m", float(self.corridor_half_width_m))

    def to_toml(self) -> str:
        """The site parameters, then ``[scenario]``: readable by :func:`load_scenario`."""
        return (
            self.config.to_toml()
            + "\n[scenario]\n"
            + f"name = {toml_value(self.name)}\n"
            + f"corridor_km = {toml_value(self.corridor_half_width_m / 1000)}\n"
            + f"exclusion = {toml_value(self.exclusion)}\n"
        )


def load_scenario(source: str | Path | bytes, plan: Plan | None = None) -> Scenario:
    """Read a scenario: the keys of ``siting.toml`` and ``[scenario]`` (``name``, ``corridor_km``, ``exclusion``).

    Raises
    ------
    ScenarioError
        Unreadable TOML, no ``[scenario]`` table, or an invalid value (the message names the key).
    """
    try:
        raw, name = read_toml(source, ScenarioError)
        head = raw.pop("scenario", None)
        if not isinstance(head, dict):
            raise ScenarioError(f"{name}: 缺少 [scenario] 表（name、corridor_km、exclusion）/ "
                                "no [scenario] table (name, corridor_km, exclusion)")  # fmt: skip
        meta = check(_SCHEMA, head, ScenarioError, f"{name} [scenario]")
        config = config_from_document(raw, name, plan)
    except SitingConfigError as exc:
        raise ScenarioError(str(exc)) from exc
    return Scenario(meta["name"], config, 1000 * float(meta.get("corridor_km", 5.0)), bool(meta.get("exclusion", True)))


@dataclass(frozen=True)
class Comparison:
    """Rankings of several scenarios side by side.

    Attributes
    ----------
    names : list of str
        The scenarios, the base first.
    clusters : DataFrame
        One row per cluster in base order: ``id``, ``name``, then per scenario ``i`` (0 = base)
        ``rank_i``, ``score_i``, ``compliant_i`` and, for i > 0, ``change_i`` (base rank − rank: > 0
        moved up).
    plots : DataFrame
        The plots in the first ``top`` of any scenario, in base order, with the same columns
        (a plot outside a scenario's top list still has its rank there).
    tau : list of float
        Kendall's τ-b between the base cluster ranking and each scenario's (1.0 for the base).
    """

    names: list[str]
    clusters: pd.DataFrame
    plots: pd.DataFrame
    tau: list[float]

    def first_changes(self) -> list[bool]:
        """Per scenario: whether its first-ranked cluster differs from the base's."""
        first = self.clusters.loc[self.clusters["rank_0"].idxmin(), "id"] if len(self.clusters) else None
        return [bool(len(self.clusters)) and self.clusters.loc[self.clusters[f"rank_{i}"].idxmin(), "id"] != first
                for i in range(len(self.names))]  # fmt: skip


def _side_by_side(frames: list[pd.DataFrame], ids: pd.Index) -> pd.DataFrame:
    out = frames[0].set_index("id").loc[ids, ["name"]].reset_index()
    for i, frame in enumerate(frames):
        f = frame.set_index("id").reindex(ids)
        out[f"rank_{i}"] = f["rank"].to_numpy()
        out[f"score_{i}"] = f["score"].round(1).to_numpy()
        out[f"compliant_{i}"] = f["compliant"].astype(bool).to_numpy()
        if i:
            out[f"change_{i}"] = out["rank_0"] - out[f"rank_{i}"]
    return out


def compare(results: Mapping[str, SiteResult], top: int = 10) -> Comparison:
    """Line up the rankings of ``results`` (scenario name → result for the same project), the first is the base.

    Raises
    ------
    ScenarioError
        Fewer than 2 or more than :data:`MAX_SCENARIOS` results, or results for different projects.
    """
    if not 2 <= len(results) <= MAX_SCENARIOS:
        n = MAX_SCENARIOS
        raise ScenarioError(f"请比较 2–{n} 个方案 / compare 2–{n} scenarios, got {len(results)}")
    names = list(results)
    found = list(results.values())
    if any(r.project != found[0].project for r in found[1:]):
        raise ScenarioError("方案比较须针对同一项目 / the scenarios compared must be for the same project")
    clusters = _side_by_side([r.clusters for r in found], pd.Index(found[0].clusters["id"]))
    keys = clusters[[f"rank_{i}" for i in range(len(found))]].to_numpy(float)
    tau = [float(v) for v in kendall_tau(-keys[:, 0], -keys)] if len(keys) >= 2 else [1.0] * len(found)
    tops = [r.plots.head(top)["id"] for r in found]
    in_top = set().union(*map(set, tops))
    base_ids = found[0].plots["id"]
    plot_ids = pd.Index(base_ids[base_ids.isin(in_top)])
    plots = _side_by_side([pd.DataFrame(r.plots.drop(columns="geometry")) for r in found], plot_ids)
    return Comparison(names, clusters, plots, tau)


def scenario_context(ctx: SitingContext, scenario: Scenario) -> SitingContext:
    """``ctx`` with the scenario's corridor width and, without exclusion, no exclusion zones.

    Nothing is located again: corridor membership is decided at query time from the distances to the
    axes, and dropping the exclusion zones only clears each candidate's exclusion index.
    """
    if scenario.exclusion:
        return replace(ctx, corridor_half_width_m=scenario.corridor_half_width_m)

    def cleared(loc: Locations | None) -> Locations | None:
        return None if loc is None else replace(loc, excluded=np.full(len(loc.x), -1, dtype=np.int64))

    return replace(ctx, corridor_half_width_m=scenario.corridor_half_width_m, exclusion=ctx.exclusion.iloc[0:0],
                   plot_locations=cleared(ctx.plot_locations), cluster_locations=cleared(ctx.cluster_locations),
                   labels={k: v for k, v in ctx.labels.items() if k != "exclusion"})  # fmt: skip


def run_scenarios(
    project: ProjectSpec,
    ctx: SitingContext,
    scenarios: list[Scenario],
    top_plots: int = 10,
    cluster_yield: pd.DataFrame | None = None,
) -> dict[str, SiteResult]:
    """The ranking of ``project`` under each scenario, by name (names must differ).

    Raises
    ------
    ScenarioError
        Two scenarios with one name.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"方案名称重复 / scenario names repeat: {names}")
    return {s.name: rank_sites(project, scenario_context(ctx, s), s.config, top_plots=top_plots,
                               cluster_yield=cluster_yield) for s in scenarios}  # fmt: skip
