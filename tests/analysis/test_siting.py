"""Site selection: plan rules, constraints, score breakdowns, reasons, and agreement with a naive loop."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.siting.config import SitingConfigError, load_siting_config
from analysis.siting.context import build_context
from analysis.siting.plan_fit import match
from analysis.siting.project import ProjectError, UnknownIndustryError, make_project
from analysis.siting.rank import rank_sites
from benchmarks.siting import naive_rank_plots
from layers.catalogue import clusters_table, directives
from tests.plans import CONFIG, PLAN, en, zh


def _leading_terms() -> list[tuple[str, set[str]]]:
    """(term, clusters the plan concentrates it in) for every term of every plan-named cluster."""
    table = clusters_table()
    named = table[table["plan_named"]]
    out = []
    for term in sorted({t for terms in named["industries"] for t in terms}):
        homes = {r.id for r in table.itertuples() if term in r.industries and r.plan_named}
        out.append((term, homes))
    return out


@pytest.mark.parametrize(("term", "homes"), _leading_terms())
def test_a_project_of_a_clusters_leading_industry_ranks_that_cluster_first(ctx, term, homes):
    result = rank_sites(make_project(PLAN, term, 50, investment_wan=30_000, tax_wan=2_500), ctx, CONFIG)
    top = result.clusters.iloc[0]
    assert top["id"] in homes, (term, top["id"], homes)
    assert top["compliant"] and top["fit_level"] == "leading"
    assert any("【规划四(二)】" in r for r in zh(top["reasons"]))


def test_every_plan_named_cluster_is_covered_by_the_rule_test():
    named = set(clusters_table().query("plan_named")["id"])
    covered = set().union(*(homes for _, homes in _leading_terms()))
    assert covered == named


@pytest.mark.parametrize("term", ["高端化工", "石化", "烯烃下游产业链", "chemicals"])
def test_chemical_projects_are_never_compliant_outside_chemical_clusters(ctx, term):
    result = rank_sites(make_project(PLAN, term, 50, investment_wan=30_000, tax_wan=2_500), ctx, CONFIG)
    chemical = set(ctx.clusters.loc[ctx.clusters["chemical"], "id"])
    compliant = result.clusters[result.clusters["compliant"]]
    assert set(compliant["id"]) <= chemical and len(compliant) > 0
    others = result.clusters[~result.clusters["id"].isin(chemical)]
    assert all(any("进区入园" in f for f in failed) for failed in others["failures"].map(zh))
    plots_ok = result.plots[result.plots["compliant"]]
    assert set(plots_ok["cluster"]) <= set(ctx.clusters.loc[ctx.clusters["chemical"], "name"])


def test_score_breakdowns_add_up_and_weights_sum_to_100(ctx):
    result = rank_sites(make_project(PLAN, "智能家电", 120, investment_wan=60_000, tax_wan=3_000), ctx, CONFIG)
    assert sum(result.weights.values()) == pytest.approx(100)
    for frame in (result.clusters, result.plots):
        pts = frame[[f"pts_{f}" for f in ("plan_fit", "axis", "transport", "land_yield", "free_land")]].sum(axis=1)
        np.testing.assert_allclose(pts, frame["score"], atol=1e-9)
        assert frame["score"].between(0, 100).all()
    assert "land_yield" not in result.weights  # no evaluation loaded: the factor is left out, said in the notes
    assert any("未载入亩产效益评价" in n for n in zh(result.notes))


def test_ranking_puts_compliant_candidates_first_by_score(ctx):
    result = rank_sites(make_project(PLAN, "食品", 100), ctx, CONFIG)
    for frame in (result.clusters, result.plots):
        ok = frame["site_ok"].to_numpy()
        assert not (np.diff(ok.astype(int)) > 0).any()  # no compliant row after a non-compliant one
        for flag in (True, False):
            scores = frame.loc[frame["site_ok"] == flag, "score"].to_numpy()
            assert (np.diff(scores) <= 1e-12).all()


def test_reasons_are_given_for_clusters_and_the_top_plots(ctx):
    result = rank_sites(
        make_project(PLAN, "集成电路", 80, investment_wan=40_000, tax_wan=2_000), ctx, CONFIG, top_plots=7
    )
    assert all(len(r) >= 3 for r in result.clusters["reasons"])
    assert all(
        len(r) == len(e)
        for r, e in zip(result.clusters["reasons"].map(zh), result.clusters["reasons"].map(en), strict=True)
    )
    assert all(len(r) >= 3 for r in result.plots["reasons"].head(7))
    assert all(r == [] for r in result.plots["reasons"].iloc[7:])
    west = result.clusters.set_index("id").loc["inferred_electronics_west_coast"]
    assert any("西岸城区" in r for r in zh(west["reasons"])) and any("推测" in r for r in zh(west["reasons"]))


def test_standard_land_thresholds_make_every_candidate_non_compliant(ctx):
    weak = make_project(PLAN, "智能家电", 100, investment_wan=10_000, tax_wan=500)  # 100 万元/亩, 5 万元/亩
    result = rank_sites(weak, ctx, CONFIG)
    assert not result.clusters["compliant"].any() and not result.plots["compliant"].any()
    assert result.clusters.iloc[0]["site_ok"]  # the place is fine; the project is not
    failed = zh(result.clusters.iloc[0]["failures"])
    assert any("投资强度 100.0 万元/亩 < 300.0" in f for f in failed) and any("亩均税收 5.0" in f for f in failed)
    assert any("标准地" in n for n in zh(result.notes))


def test_land_need_larger_than_any_plot_fails_the_land_rule(ctx):
    result = rank_sites(make_project(PLAN, "智能家电", 5_000), ctx, CONFIG)
    assert not result.clusters["site_ok"].any()
    assert all(any("可供地块" in f for f in failed) for failed in result.clusters["failures"].map(zh))


def test_plots_in_exclusion_zones_are_not_compliant(layers):
    zone = gpd.GeoDataFrame({"id": ["Z1"], "name": ["测试禁建区"]}, geometry=[shapely.box(120.0, 36.2, 120.6, 36.6)],
                            crs=4326)  # fmt: skip
    ctx = build_context(layers, PLAN, exclusion=zone)
    result = rank_sites(make_project(PLAN, "新能源汽车", 30), ctx, CONFIG, top_plots=len(layers["plots"]))
    hit = result.plots.geometry.intersects(zone.geometry.iloc[0])
    assert hit.any() and not result.plots.loc[hit, "compliant"].any()
    assert all(any("测试禁建区" in f for f in failed) for failed in result.plots.loc[hit, "failures"].map(zh))


def test_land_yield_factor_prefers_efficient_clusters(ctx):
    ids = ctx.clusters["id"].tolist()
    yield_table = pd.DataFrame({"id": ids, "tax_per_mu": np.arange(len(ids), dtype=float) + 10, "suppressed": False})
    project = make_project(PLAN, "新能源汽车", 50)
    result = rank_sites(project, ctx, CONFIG, cluster_yield=yield_table).clusters.set_index("id")
    assert "pts_land_yield" in result and result.loc[ids[-1], "pts_land_yield"] > result.loc[ids[0], "pts_land_yield"]
    assert result.loc[ids[0], "pts_land_yield"] == 0 and any(
        "亩均税收" in r for r in zh(result.loc[ids[-1], "reasons"])
    )


def test_without_plots_land_is_not_checked_and_said_so(layers):
    no_plots = {k: v for k, v in layers.items() if k != "plots"}
    result = rank_sites(make_project(PLAN, "轨道交通装备", 100), build_context(no_plots, PLAN), CONFIG)
    assert "free_land" not in result.weights and result.plots.empty
    assert result.clusters.iloc[0]["id"] == "rail_transit_chengyang"
    assert any("未载入可供地块" in n for n in zh(result.notes))


def test_vectorised_plots_match_a_naive_per_plot_loop(layers):
    ctx = build_context(layers, PLAN)
    project = make_project(PLAN, "新能源汽车零部件", 120, investment_wan=50_000, tax_wan=3_000)
    config = load_siting_config(None, PLAN)
    ours = rank_sites(project, ctx, config).plots
    naive = naive_rank_plots(project, ctx, config)
    assert list(ours["id"]) == list(naive["id"])
    np.testing.assert_allclose(ours["score"], naive["score"], atol=1e-9)
    assert (ours["compliant"].to_numpy() == naive["compliant"].to_numpy()).all()


def test_match_levels_of_industry_terms():
    assert match(PLAN, make_project(PLAN, "新能源汽车零部件", 1), ["新能源汽车"]) == "exact"  # the plan names the whole
    assert (
        match(PLAN, make_project(PLAN, "机器人", 1), ["机械设备制造", "特种装备"]) == "related"
    )  # same industry, other
    assert match(PLAN, make_project(PLAN, "装备制造", 1), ["机器人"]) == "exact"  # asking for the whole industry
    assert match(PLAN, make_project(PLAN, "食品", 1), ["智能家电"]) is None


def test_project_validation_and_unknown_industries():
    with pytest.raises(UnknownIndustryError) as err:
        make_project(PLAN, "新能车", 10)
    assert "新能源汽车" in err.value.suggestions
    for bad in (0, -5, float("nan"), "abc", 1e9):
        with pytest.raises(ProjectError):
            make_project(PLAN, "食品", bad)
    with pytest.raises(ProjectError, match="投资额"):
        make_project(PLAN, "食品", 10, investment_wan=-1)
    assert make_project(PLAN, "高端化工", 10).chemical and not make_project(PLAN, "食品", 10).chemical


def test_configuration_is_validated_and_round_trips(tmp_path):
    config = load_siting_config(None, PLAN)
    assert not config.official and "非官方" in config.title
    again = load_siting_config(config.to_toml().encode())
    assert again == config
    bad = config.to_toml().replace("plan_fit = 40", "plan_fit = -1")
    with pytest.raises(SitingConfigError, match=r"weights\.plan_fit"):
        load_siting_config(bad.encode())
    with pytest.raises(SitingConfigError, match="zero_m"):
        load_siting_config(config.to_toml().replace("zero_m = 20000", "zero_m = 100").encode())
    with pytest.raises(SitingConfigError):
        load_siting_config(b"[weights\nbroken")


def test_the_chemical_rule_comes_from_the_plan_catalogue():
    rule = directives().set_index("kind").loc["restrict"]
    assert "高端化工" in rule["terms"] and "进区入园" in rule["rule"]
