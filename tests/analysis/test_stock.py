"""Existing firms against the plan (issue 13, 7) and low-efficiency land (issue 13, 8)."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.land_yield.low_efficiency import LowEfficiencyRules, RulesError, low_efficiency, low_efficiency_summary
from analysis.land_yield.relocation import directed_industries, relocation_candidates, relocation_summary
from analysis.siting.assess import assess_at
from analysis.siting.context import build_context
from analysis.siting.project import make_project
from geo.crs import to_metric_xy
from layers import load_layers
from tests.conftest import ROOT
from tests.plans import CONFIG, PLAN

LAYERS = load_layers()
CTX = build_context(LAYERS, PLAN)
CLUSTERS = LAYERS["clusters"].set_index("id")


def inside(cluster_id: str) -> shapely.Point:
    return CLUSTERS.loc[cluster_id].geometry.representative_point()


def firms(rows: list[tuple]) -> gpd.GeoDataFrame:
    """(point, 产业领域, status) per firm, 10 亩 each."""
    return gpd.GeoDataFrame({"industry": [r[1] for r in rows], "status": [r[2] for r in rows], "land_mu": 10.0,
                             "district": "某区"}, geometry=[r[0] for r in rows], crs=4326)  # fmt: skip


FAR = shapely.Point(120.40, 36.07)  # 市南区, in no cluster


def test_a_chemical_firm_must_move_in_unless_it_is_in_a_chemical_park():
    found = relocation_candidates(firms([
        (inside("chemical_xinhe"), "高端化工", "rated"), (FAR, "高端化工", "rated"), (FAR, "石化", "new"),
        (FAR, "高端化工", "excluded_utility"), (shapely.Point(), "高端化工", "rated"),
    ]), PLAN, CTX, CONFIG)  # fmt: skip
    assert found.index.tolist() == [1, 2]  # not the firm in the park, the utility or the one without a place
    assert (found["priority"] == "required").all() and (found["rule"] == "chemical").all()
    assert all(f[0].code == "rule.chemical" and f[0].failed for f in found["findings"])


def test_a_firm_outside_its_industrys_clusters_is_guided_and_inside_them_is_not_listed():
    rows = [(inside("food_laixi"), "食品", "rated"), (FAR, "食品饮料", "rated"), (FAR, "其他制造业", "rated"),
            (FAR, "", "rated")]  # fmt: skip
    found = relocation_candidates(firms(rows), PLAN, CTX, CONFIG)
    assert found.index.tolist() == [1]  # industries the plan does not send anywhere are not listed
    row = found.loc[1]
    assert row["rule"] == "concentrate" and row["targets"]["zh"] == "莱西市食品产业集聚区"
    assert row["findings"][0].code == "relocate.outside"


lon = st.floats(119.6, 121.0)
lat = st.floats(35.6, 37.0)
industry = st.sampled_from(["高端化工", "食品", "新能源汽车", "智能家电", "生物医药", "纺织服装", "其他制造业"])


@given(st.lists(st.tuples(lon, lat, industry), min_size=1, max_size=25))
@settings(deadline=None, max_examples=25)
def test_the_verdict_is_the_one_site_selection_gives_at_the_place(rows):
    frame = firms([(shapely.Point(x, y), ind, "rated") for x, y, ind in rows])
    found = relocation_candidates(frame, PLAN, CTX, CONFIG)
    directed = directed_industries(PLAN)
    for i, (x, y, ind) in enumerate(rows):
        industry_id = PLAN.resolve_industry(ind) if ind != "其他制造业" else None
        if industry_id not in directed:
            assert i not in found.index
            continue
        project = make_project(PLAN, ind, 1.0)
        mx, my = to_metric_xy(np.array([x]), np.array([y]))
        at = assess_at(project, CTX, CONFIG, mx, my)
        in_target = any(CLUSTERS.loc[c].geometry.covers(shapely.Point(x, y)) for c in directed[industry_id].clusters)
        chemical_ok = bool(at.pick("chemical_ok", bool)[0])
        assert (i in found.index) == (not chemical_ok or not in_target), (x, y, ind)
        if i in found.index:
            assert (found.loc[i, "priority"] == "required") == (not chemical_ok)


def test_summary_per_district_adds_up():
    found = relocation_candidates(firms([(FAR, "高端化工", "rated"), (FAR, "食品", "rated")]), PLAN, CTX, CONFIG)
    frame = firms([(FAR, "高端化工", "rated"), (FAR, "食品", "rated")])
    total = relocation_summary(found, frame).loc["合计"]
    assert (total["n_total"], total["mu_total"], total["n_required"]) == (2, 20.0, 1)


def result(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"class": ["C"] * n, "status": ["rated"] * n, "tax_per_mu": [10.0] * n, "land_mu": [10.0] * n,
            "revenue": [100.0] * n, "tax": [100.0] * n, "district": ["城阳区"] * n}  # fmt: skip
    return pd.DataFrame({**base, **columns})


def test_idle_land_needs_both_figures_reported_as_zero_and_missing_is_said():
    frame = result(revenue=[0.0, 0.0, np.nan, 0.0], tax=[0.0, np.nan, 0.0, 0.0], tax_per_mu=[0.0, np.nan, 0.0, 0.0],
                   **{"class": ["C", "C", "C", "T"]}, status=["rated", "rated", "rated", "new"])  # fmt: skip
    found = low_efficiency(frame, LowEfficiencyRules(tax_share_of_median=0.0))
    assert found.candidates.index.tolist() == [0] and found.candidates.loc[0, "criteria"] == ("idle",)
    assert any("2 家企业缺营业收入或税收" in n[0] for n in found.notes)


def test_d_years_need_a_comparison_and_count_from_it():
    frame = result(consecutive_d=[0, 1, 2, 3], **{"class": ["C", "D", "D", "D"]})
    found = low_efficiency(frame, LowEfficiencyRules(tax_share_of_median=0.0, d_years=3, idle=False))
    assert found.candidates.index.tolist() == [3] and "连续 3 年 D 类" in found.candidates.loc[3, "note_zh"]
    plain = low_efficiency(frame.drop(columns="consecutive_d"), LowEfficiencyRules(tax_share_of_median=0.0))
    assert plain.candidates.empty and "无法判断连续 D 类年数" in plain.notes[0][0]


@pytest.mark.parametrize("kwargs", [{"tax_share_of_median": 1.5}, {"tax_share_of_median": float("nan")},
                                    {"d_years": 1}, {"d_years": -2}, {"min_land_mu": -1.0}])  # fmt: skip
def test_thresholds_that_cannot_be_used_are_refused(kwargs):
    with pytest.raises(RulesError):
        LowEfficiencyRules(**kwargs)


values = st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D", "T", ""]), st.floats(0, 100), st.floats(0, 50),
                            st.integers(0, 4)), min_size=1, max_size=40)  # fmt: skip


@given(values, st.floats(0, 1), st.sampled_from([0, 2, 3]), st.floats(0, 30))
@settings(deadline=None)
def test_every_candidate_meets_a_criterion_it_is_listed_for(rows, share, years, least):
    frame = result(**{"class": [r[0] for r in rows]}, tax_per_mu=[r[1] for r in rows], land_mu=[r[2] for r in rows],
                   consecutive_d=[r[3] for r in rows])  # fmt: skip
    rules = LowEfficiencyRules(share, years, True, least)
    found = low_efficiency(frame, rules)
    median = frame.loc[frame["class"].isin(list("ABCD")), "tax_per_mu"].median()
    for i, row in frame.iterrows():
        expect = []
        looked = row["class"] != "T" and row["land_mu"] >= least
        if looked and row["class"] in "ABCD" and row["class"] and share > 0 and row["tax_per_mu"] < share * median:
            expect.append("low_tax")
        if looked and row["class"] in "ABCD" and row["class"] and years and row["consecutive_d"] >= years:
            expect.append("d_years")
        listed = found.candidates["criteria"].get(i, ())
        assert tuple(expect) == listed, (row.to_dict(), median)
    total = low_efficiency_summary(found.candidates, frame).loc["合计"] if len(found.candidates) else None
    if total is not None:
        assert total["n_total"] == len(found.candidates)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.land_yield", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)  # fmt: skip


def test_cli_writes_both_lists_and_refuses_bad_thresholds(tmp_path):
    sample = str(ROOT / "data" / "sample_enterprises.csv")
    relocation, low, out = tmp_path / "reloc.xlsx", tmp_path / "low.geojson", tmp_path / "r.csv"
    proc = run("--input", sample, "--relocation", str(relocation), "--low-efficiency", str(low), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "搬迁入园候选 / relocation candidates" in proc.stdout and "低效用地候选" in proc.stdout
    book = pd.read_excel(relocation, sheet_name=None, engine="openpyxl")
    assert list(book) == ["搬迁入园候选", "按区市"] and book["按区市"]["区市"].iloc[-1] == "合计"
    points = gpd.read_file(low)
    assert points.crs.to_epsg() == 4326 and len(points) and "符合条件" in points.columns
    bad = run("--input", sample, "--low-efficiency", str(tmp_path / "x.xlsx"), "--low-tax-share", "2",
              "--out", str(tmp_path / "r2.csv"))  # fmt: skip
    assert bad.returncode == 2 and "0–1" in bad.stderr and not (tmp_path / "r2.csv").exists()
    wrong = run("--input", sample, "--relocation", str(tmp_path / "x.shp"), "--out", str(tmp_path / "r3.csv"))
    assert wrong.returncode == 2 and ".geojson" in wrong.stderr


def test_rows_with_data_errors_are_never_candidates():
    found = relocation_candidates(
        firms([(FAR, "高端化工", "data_error"), (FAR, "高端化工", "rated")]), PLAN, CTX, CONFIG
    )
    assert found.index.tolist() == [1]
    frame = result(revenue=[0.0, 0.0], tax=[0.0, 0.0], status=["data_error", "rated"])
    assert low_efficiency(frame, LowEfficiencyRules()).candidates.index.tolist() == [1]
