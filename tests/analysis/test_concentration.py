"""主导产业集聚度 per cluster from firm data (issue 13, 6): the share, its range, the verdict, the code concordance."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from analysis.land_yield.concentration import cluster_concentration, concentration_over_years, firm_industries, verdict
from layers import catalogue
from layers.catalogue import CatalogueError
from layers.plan import Industry, load_plan
from tests.plans import toy_plan

PLAN = load_plan()


def toy() -> tuple:
    """The toy plan with GB/T codes for its industries, and its three clusters as unit squares."""
    plan = dataclasses.replace(toy_plan(), industries=(
        Industry("cars", "汽车", "Cars", codes=("36",)), Industry("chem", "化学品", "Chemicals", chemical=True,
                                                                 codes=("26",)),
        Industry("food", "食品", "Food", codes=("13", "14"))))  # fmt: skip
    names = ["汽车集聚区", "化学品集聚区", "食品集聚区"]
    clusters = gpd.GeoDataFrame({"id": ["c_cars", "c_chem", "c_food"], "name": names},
                                geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4326)  # fmt: skip
    return plan, clusters


def firms(rows: list[tuple]) -> gpd.GeoDataFrame:
    """(x, industry, code, revenue, status) per firm; tax 1 万元 and land 1 亩 each."""
    frame = pd.DataFrame(rows, columns=["x", "industry", "industry_code", "revenue", "status"])
    return gpd.GeoDataFrame(frame.drop(columns="x").assign(tax=1.0, land_mu=1.0),
                            geometry=[shapely.Point(x, 0.5) for x in frame["x"]], crs=4326)  # fmt: skip


def test_the_share_is_leading_revenue_over_all_manufacturing_revenue_in_the_cluster():
    plan, clusters = toy()
    table = cluster_concentration(firms([
        (0.5, "汽车", "", 80.0, "rated"), (0.5, "", "3612", 10.0, "rated"),   # cars by name, cars by code
        (0.5, "食品", "", 30.0, "rated"), (0.5, "", "4411", 500.0, "excluded_utility"),  # not leading; a utility
        (0.5, "汽车", "", np.nan, "rated"), (5.0, "汽车", "", 999.0, "rated"),  # no revenue; outside every cluster
    ]), clusters, plan).set_index("id")  # fmt: skip
    cars = table.loc["c_cars"]
    assert cars["n_firms"] == 4 and cars["revenue"] == 120.0 and cars["revenue_leading"] == 90.0
    assert cars["share_pct"] == pytest.approx(75.0) and cars["verdict"] == "below" and cars["n_no_revenue"] == 1
    assert cars["tax_per_mu"] == pytest.approx(1.0) and not cars["suppressed"]
    assert (
        table.loc["c_chem", "n_firms"] == 0
        and table.loc["c_chem", "verdict"] == ""
        and table.loc["c_chem", "suppressed"]
    )


def test_unknown_industries_make_a_range_and_an_undetermined_verdict():
    plan, clusters = toy()
    rows = [(1.5, "化学品", "", 70.0, "rated"), (1.5, "", "", 20.0, "rated"), (1.5, "食品", "", 10.0, "rated")]
    table = cluster_concentration(firms(rows), clusters, plan).set_index("id")
    chem = table.loc["c_chem"]
    assert (chem["share_pct"], chem["share_max_pct"], chem["n_unknown"]) == (70.0, 90.0, 1)
    assert chem["verdict"] == "undetermined"


def test_a_name_wins_over_a_code_and_a_code_outside_the_concordance_is_not_a_plan_industry():
    found = firm_industries(pd.DataFrame({"industry": ["食品饮料", "机械加工", "", "芯片"],
                                          "industry_code": ["2614", "3311", "C3973", ""]}), PLAN)  # fmt: skip
    assert found.values.tolist() == [["food", "field"], ["other", "code"], ["ict", "code"], ["ict", "field"]]


def test_a_code_too_coarse_to_tell_leaves_the_industry_unknown():
    found = firm_industries(pd.DataFrame({"industry": ["", "", "", ""], "industry_code": ["37", "35", "C38", "33"]}),
                            PLAN)  # fmt: skip
    assert found["industry_id"].tolist() == ["", "", "", "other"]  # 33 金属制品 holds no plan industry at all


@pytest.mark.parametrize(("code", "industry"), [
    ("3581", "biomedicine"), ("3511", "equipment"), ("3951", "smart_appliances"), ("3973", "ict"),
    ("3737", "marine"), ("3711", "rail_transit"), ("3741", "aerospace"), ("3612", "nev"), ("2614", "chemicals"),
    ("3841", "hydrogen_storage"), ("1461", "food"), ("1810", "textiles"), ("2811", None), ("3311", None),
    ("4411", None), ("1910", None), ("2681", None),
])  # fmt: skip
def test_the_concordance_takes_the_longest_code(code, industry):
    assert PLAN.industry_of_code(code) == industry


def test_a_code_given_to_two_industries_is_refused(tmp_path, monkeypatch):
    text = (catalogue.CATALOGUE_DIR / "industries.toml").read_text(encoding="utf-8")
    (tmp_path / "industries.toml").write_text(text.replace('gbt4754 = ["27", "358"]', 'gbt4754 = ["27", "36"]'),
                                              encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", tmp_path)
    catalogue._load.cache_clear()
    catalogue.industries.cache_clear() if hasattr(catalogue.industries, "cache_clear") else None
    try:
        with pytest.raises(CatalogueError, match="GB/T 4754 code 36 is given to 'nev' and 'biomedicine'"):
            catalogue.industries()
    finally:
        catalogue._load.cache_clear()


share = st.floats(0, 100, allow_nan=False)


@given(share, share, share)
def test_the_verdict_never_claims_more_than_the_range_allows(low, extra, target):
    high = min(100.0, low + extra)
    v = verdict(low, high, target)
    assert v == ("meets" if low > target else "below" if high <= target else "undetermined")


def test_years_are_stacked_and_small_clusters_marked():
    plan, clusters = toy()
    year = firms([(0.5, "汽车", "", 90.0, "rated"), (0.5, "食品", "", 5.0, "rated"), (0.5, "汽车", "", 1.0, "rated")])
    table = concentration_over_years({2024: year, 2025: year.iloc[:2]}, clusters, plan)
    cars = table[table["id"] == "c_cars"]
    assert cars["year"].tolist() == [2024, 2025] and cars["suppressed"].tolist() == [False, True]
    assert PLAN.cluster_target.threshold_pct == 80.0 and PLAN.cluster_target.plan_section == "五(六)2"


def test_rows_with_data_errors_and_utilities_do_not_count():
    plan, clusters = toy()
    rows = [(0.5, "汽车", "", 80.0, "rated"), (0.5, "食品", "", 20.0, "rated"), (0.5, "汽车", "", 50.0, "data_error"),
            (0.5, "食品", "", 90.0, "excluded_utility")]  # fmt: skip
    cars = cluster_concentration(firms(rows), clusters, plan).set_index("id").loc["c_cars"]
    assert (cars["n_firms"], cars["revenue"], cars["share_pct"]) == (2, 100.0, 80.0)


def test_a_viewer_sees_no_revenue_and_english_names_in_english():
    from analysis.land_yield.report import concentration_table

    plan, clusters = toy()
    rows = [(0.5, "汽车", "", 80.0, "rated")] * 3 + [(1.5, "化学品", "", 10.0, "rated")]
    frame = cluster_concentration(firms(rows), clusters, plan)
    viewer = concentration_table(frame, "zh", viewer=True)
    assert "营业收入(万元)" not in viewer.columns and "主导产业营业收入(万元)" not in viewer.columns
    assert viewer.set_index("集聚区").loc["化学品集聚区", "主导产业集聚度(%)"] is None  # 1 firm: not shown
    analyst = concentration_table(frame, "en")
    assert analyst["cluster"].tolist() == ["Car cluster", "Chemical cluster", "Food cluster"]
    assert analyst["leading industries (plan)"].tolist()[0] == "Cars" and "revenue (10k CNY)" in analyst.columns
