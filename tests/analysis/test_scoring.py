"""Indicators, scores and classes against hand-computed expectations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.land_yield.config import ConfigError, default_config, load_config
from analysis.land_yield.scoring import assign_classes, compute_indicators, evaluate, scope_status

NO_WINSOR = {"winsorize": (0.0, 1.0), "benchmark": "city", "min_cohort": 1}


def firms(**overrides) -> pd.DataFrame:
    base = pd.DataFrame(
        {
            "name": ["甲", "乙", "丙"],
            "district": ["城阳区", "城阳区", "即墨区"],
            "scale": ["规上"] * 3,
            "industry_division": pd.array([38, 39, 26], dtype="Int64"),
            "start_year": pd.array([2010, 2015, 2000], dtype="Int64"),
            "land_mu": [10.0, 20.0, 40.0],
            "tax": [100.0, 100.0, 100.0],  # 10, 5, 2.5 万元/亩
            "revenue": [1000.0, 2000.0, 500.0],
            "value_added": [300.0, 200.0, 100.0],
            "energy_tce": [100.0, 100.0, 100.0],  # 10, 20, 5 万元/tce
            "emissions_t": [1.0, 4.0, 1.0],  # 1000, 500, 500 万元/t
            "rd": [30.0, 20.0, 0.0],  # 3 %, 1 %, 0 %
            "employees": pd.array([100, 50, 100], dtype="Int64"),  # 3, 4, 1 万元/人
        }
    )
    for k, v in overrides.items():
        base[k] = v
    return base


def test_indicators_are_the_five_ratios():
    ind = compute_indicators(firms())
    assert ind["tax_per_mu"].tolist() == [10, 5, 2.5]
    assert ind["revenue_per_energy"].tolist() == [10, 20, 5]
    assert ind["revenue_per_emission"].tolist() == [1000, 500, 500]
    assert ind["rd_intensity"].tolist() == [3, 1, 0]
    assert ind["labour_productivity"].tolist() == [3, 4, 1]


def test_score_is_weighted_capped_ratio_to_city_median():
    config = default_config().with_changes(**NO_WINSOR)
    out = evaluate(firms(), config)
    # medians: tax 5, energy 10, emission 500, R&D 1, labour 3; cap 2
    expected_a = 40 * 2 + 15 * 1 + 15 * 2 + 15 * 2 + 15 * 1  # tax 10/5=2, energy 1, emission 2, R&D 3→cap 2, labour 1
    expected_b = 40 * 1 + 15 * 2 + 15 * 1 + 15 * 1 + 15 * 4 / 3
    expected_c = 40 * 0.5 + 15 * 0.5 + 15 * 1 + 15 * 0 + 15 * 1 / 3
    assert out["score"].tolist() == pytest.approx([expected_a, expected_b, expected_c], abs=1e-3)
    assert out["pts_tax_per_mu"].tolist() == pytest.approx([80, 40, 20])
    assert out["rank"].tolist() == [1, 2, 3]


def test_district_benchmark_falls_back_to_city_for_small_cohorts():
    config = default_config().with_changes(winsorize=(0.0, 1.0), benchmark="district", min_cohort=2)
    out = evaluate(firms(), config)
    # 城阳区 (2 firms) median tax/mu = 7.5; 即墨区 (1 firm) uses the city median 5.
    assert out["bench_tax_per_mu"].tolist() == [7.5, 7.5, 5.0]


def test_winsorising_clips_extremes_before_the_benchmark():
    frame = pd.concat([firms()] * 34, ignore_index=True).iloc[:100]
    frame.loc[0, "tax"] = 1e6  # one absurd value
    config = default_config().with_changes(winsorize=(0.01, 0.99), benchmark="city")
    out = evaluate(frame, config)
    values = frame["tax"] / frame["land_mu"]
    assert out["pts_tax_per_mu"].max() == pytest.approx(40 * min(values.quantile(0.99) / values.median(), 2))


def test_zero_emissions_score_the_best_value():
    out = evaluate(firms(emissions_t=[0.0, 4.0, 1.0]), default_config().with_changes(**NO_WINSOR))
    assert out["pts_revenue_per_emission"].iloc[0] == pytest.approx(15 * 2)


def test_scope_rules():
    frame = firms(
        scale=["规上", "规下", "规下"],
        industry_division=pd.array([44, 38, 38], dtype="Int64"),
        land_mu=[10.0, 2.9, 3.0],
        start_year=pd.array([2010, 2010, 2024], dtype="Int64"),
    )
    status = scope_status(frame, default_config().with_changes(evaluation_year=2025, new_firm_years=2))
    assert status.tolist() == ["excluded_utility", "excluded_small", "new"]
    out = evaluate(frame, default_config().with_changes(evaluation_year=2025))
    assert out["class"].tolist() == ["", "", "T"]


@pytest.mark.parametrize("n", [1, 7, 20, 99, 100, 101, 1000])
def test_class_shares_respect_a_at_most_20_and_d_at_least_5_percent(n):
    rng = np.random.default_rng(n)
    score = pd.Series(np.round(rng.normal(100, 30, n)))  # rounded: many ties
    cls = assign_classes(score, pd.Series("规上", index=score.index), default_config().shares)
    counts = cls.value_counts()
    assert counts.get("A", 0) <= np.floor(0.2 * n)
    assert counts.get("D", 0) >= np.ceil(0.05 * n)
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    ranks = cls.map(order)
    # a better score never gets a worse class
    assert (ranks[score.sort_values(ascending=False).index].diff().dropna() >= 0).all()


def test_exact_class_counts_for_20_distinct_scores():
    score = pd.Series(np.arange(20, 0, -1, dtype=float))
    cls = assign_classes(score, pd.Series("x", index=score.index), {"A": 0.2, "B": 0.4, "C": 0.35, "D": 0.05})
    assert "".join(cls) == "A" * 4 + "B" * 8 + "C" * 7 + "D"


def test_ties_at_the_a_boundary_go_down():
    score = pd.Series([10.0, 9.0, 9.0, 8, 7, 6, 5, 4, 3, 2])  # A quota: 2 firms
    cls = assign_classes(score, pd.Series("x", index=score.index), {"A": 0.2, "B": 0.4, "C": 0.35, "D": 0.05})
    assert cls.tolist()[:3] == ["A", "B", "B"]


def test_below_scale_firms_ranked_separately_on_tax_per_mu():
    frame = firms(scale=["规下", "规下", "规上"])
    out = evaluate(frame, default_config().with_changes(**NO_WINSOR))
    below = out[out["scale"] == "规下"]
    # 规下 median of (10, 5) = 7.5 → 100·10/7.5 and 100·5/7.5
    assert below["score"].tolist() == pytest.approx([100 * 10 / 7.5, 100 * 5 / 7.5], abs=1e-3)
    assert below["group_size"].tolist() == [2, 2]


def test_config_round_trip_and_errors(tmp_path):
    config = default_config()
    assert not config.official and config.notes == []
    path = tmp_path / "c.toml"
    path.write_text(config.with_changes(cap=3.0).to_toml(), encoding="utf-8")
    assert load_config(path).cap == 3.0
    bad = config.to_toml().replace("D = 0.05", "D = 0.5")
    with pytest.raises(ConfigError, match="之和须为 1"):
        load_config(bad.encode())
    with pytest.raises(ConfigError, match="unknown indicators"):
        load_config(config.to_toml().replace("tax_per_mu = 40", "tax_per_acre = 40").encode())
    with pytest.raises(ConfigError, match="TOML"):
        load_config(b"weights = [")
    shifted = config.with_changes(shares={"A": 0.3, "B": 0.4, "C": 0.27, "D": 0.03})
    assert len(shifted.notes) == 2
