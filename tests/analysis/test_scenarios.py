"""Scenarios: named parameter sets, their rankings side by side (issue 14, 4)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.siting.config import FACTORS
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.scenarios import (
    Scenario,
    ScenarioError,
    compare,
    load_scenario,
    run_scenarios,
    scenario_context,
)
from layers.siting_layers import exclusion_zones
from tests.plans import CONFIG, PLAN


@pytest.fixture(scope="module")
def ctx(layers):
    return build_context(layers, PLAN, exclusion=exclusion_zones())


@pytest.fixture(scope="module")
def project():
    return make_project(PLAN, "新能源汽车零部件", 200, 80_000, 6_000)


@settings(max_examples=40, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20),
    st.lists(st.integers(0, 100), min_size=len(FACTORS), max_size=len(FACTORS)).filter(lambda w: sum(w[:3]) > 0),
    st.floats(0.5, 50.0),
    st.booleans(),
)
def test_a_scenario_reads_back_as_written(name, weights, corridor_km, exclusion):
    config = CONFIG.with_changes(weights=dict(zip(FACTORS, map(float, weights), strict=True)))
    scenario = Scenario(name, config, corridor_half_width_m=corridor_km * 1000, exclusion=exclusion)
    assert load_scenario(scenario.to_toml().encode("utf-8"), PLAN) == scenario


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.split("\n[scenario]")[0], r"\[scenario\]"),
        (lambda t: t.replace("corridor_km = 5.0", "corridor_km = 500.0"), "corridor_km"),
        (lambda t: t.replace("exclusion = true", "exclusion = 3"), "exclusion"),
        (lambda t: t.replace('name = "基准"', 'name = ""'), "name"),
        (lambda t: t.replace("exclusion = true", "exclusion = true\ncolour = 1"), "colour"),
        (lambda t: t.replace("plan_fit = 40.0", "plan_fit = -1.0"), r"weights\.plan_fit"),
        (lambda t: t + "[[[", "TOML"),
    ],
)
def test_bad_scenario_files_are_refused_naming_the_key(edit, message):
    text = Scenario("基准", CONFIG).to_toml()
    with pytest.raises(ScenarioError, match=message):
        load_scenario(edit(text).encode("utf-8"), PLAN)


def test_a_scenario_context_ranks_as_a_context_built_with_its_settings(layers, ctx, project):
    """The shortcut (no locating again) gives what building the context from scratch gives."""
    for scenario in (Scenario("窄廊道", CONFIG, corridor_half_width_m=2000.0),
                     Scenario("无禁建区", CONFIG, corridor_half_width_m=8000.0, exclusion=False)):  # fmt: skip
        ours = rank_sites(project, scenario_context(ctx, scenario), CONFIG)
        exclusion = exclusion_zones() if scenario.exclusion else exclusion_zones().iloc[0:0]
        rebuilt = build_context(layers, PLAN, exclusion=exclusion, corridor_half_width_m=scenario.corridor_half_width_m)
        theirs = rank_sites(project, rebuilt, CONFIG)
        for a, b in ((ours.clusters, theirs.clusters), (ours.plots, theirs.plots)):
            assert a["id"].tolist() == b["id"].tolist()
            np.testing.assert_allclose(a["score"], b["score"])
            assert a["compliant"].tolist() == b["compliant"].tolist()
    assert len(ctx.exclusion) and (ctx.plot_locations.excluded >= 0).any()  # the base context is left as it was


def test_rankings_side_by_side_with_rank_changes_and_kendall_tau(ctx, project):
    base = Scenario("基准", CONFIG)
    no_plan = Scenario("不计规划符合度", CONFIG.with_changes(weights={**CONFIG.weights, "plan_fit": 0.0}))
    results = run_scenarios(project, ctx, [base, Scenario("同基准", CONFIG), no_plan])
    cmp = compare(results, top=5)
    assert cmp.names == ["基准", "同基准", "不计规划符合度"]
    c = cmp.clusters
    assert c["id"].tolist() == results["基准"].clusters["id"].tolist() and c["rank_0"].tolist() == list(range(1, 15))
    assert (c["change_1"] == 0).all() and cmp.tau[:2] == [pytest.approx(1.0), pytest.approx(1.0)]
    ranks = results["不计规划符合度"].clusters.set_index("id")["rank"]
    assert (c["change_2"] == c["rank_0"] - c["id"].map(ranks)).all() and (c["change_2"] != 0).any()
    assert cmp.tau[2] < 1.0
    assert cmp.first_changes()[:2] == [False, False]
    tops = set().union(*(set(r.plots.head(5)["id"]) for r in results.values()))
    assert set(cmp.plots["id"]) == tops and cmp.plots["rank_0"].is_monotonic_increasing


def test_comparisons_need_two_to_eight_scenarios_for_one_project(ctx, project):
    one = run_scenarios(project, ctx, [Scenario("基准", CONFIG)])
    with pytest.raises(ScenarioError, match="2–8"):
        compare(one)
    other = rank_sites(make_project(PLAN, "食品", 50), ctx, CONFIG)
    with pytest.raises(ScenarioError, match="same project"):
        compare({**one, "食品": other})
    with pytest.raises(ScenarioError, match="repeat"):
        run_scenarios(project, ctx, [Scenario("A", CONFIG), Scenario("A", CONFIG)])


def test_the_cli_puts_scenario_files_beside_the_current_parameters(tmp_path, capsys):
    import json

    from cli.siting import main

    no_plan = Scenario("不计规划符合度", CONFIG.with_changes(weights={**CONFIG.weights, "plan_fit": 0.0}))
    path = tmp_path / "no_plan.toml"
    path.write_text(no_plan.to_toml(), encoding="utf-8")
    args = ["--industry", "新能源汽车零部件", "--land-mu", "200", "--scenario", str(path), "--json", "--top", "3"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)["scenarios"]
    assert out["names"] == ["当前参数", "不计规划符合度"] and out["tau"][0] == 1.0 and out["tau"][1] < 1.0
    first = out["clusters"][0]
    assert first["ranks"][0] == 1 and first["changes"] == [1 - first["ranks"][1]]
    bad = tmp_path / "bad.toml"
    bad.write_text(CONFIG.to_toml(), encoding="utf-8")  # parameters without [scenario]
    assert main([*args[:4], "--scenario", str(bad)]) == 2
    assert "[scenario]" in capsys.readouterr().err
