"""Stability of a site ranking under weights that move (issue 14, 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau

from analysis.siting.context import build_context
from analysis.siting.project import make_project
from analysis.siting.rank import rank_sites
from analysis.siting.sensitivity import SensitivityError, kendall_tau, sensitivity
from layers import load_layers
from layers.siting_layers import exclusion_zones, plots
from tests.conftest import ROOT
from tests.plans import CONFIG, PLAN

CTX = build_context(load_layers(), PLAN, exclusion=exclusion_zones(), plots=plots())
RESULT = rank_sites(make_project(PLAN, "食品", 50), CTX, CONFIG)


@given(st.lists(st.integers(-3, 3), min_size=2, max_size=12), st.integers(0, 2**31 - 1))
def test_tau_is_kendalls_tau_b_ties_included(values, seed):
    base = np.array(values, dtype=float)
    other = np.random.default_rng(seed).permutation(base)
    expected = kendalltau(base, other).statistic
    if np.isnan(expected):  # one side all tied: scipy has no value, ours says the orders agree
        assert kendall_tau(base, other[:, None])[0] == 1.0
    else:
        assert kendall_tau(base, other[:, None])[0] == pytest.approx(expected)


def test_the_same_question_gets_the_same_answer_and_shares_add_up():
    a, b = sensitivity(RESULT, 300), sensitivity(RESULT, 300)
    assert a.clusters.equals(b.clusters) and np.array_equal(a.tau_plots, b.tau_plots)
    assert a.clusters["top1_share"].sum() == pytest.approx(1.0) and a.clusters["top3_share"].sum() == pytest.approx(3.0)
    assert a.plots["top1_share"].sum() == pytest.approx(1.0)
    assert (a.clusters["rank_min"] <= a.clusters["rank"]).all() and (a.clusters["rank"] <= a.clusters["rank_max"]).all()
    assert len(a.one_at_a_time) == 2 * sum(1 for w in RESULT.weights.values() if w > 0)


@settings(deadline=None, max_examples=10)
@given(st.sampled_from(["食品", "新能源汽车", "高端化工", "集成电路"]), st.floats(0.01, 0.99))
def test_tiny_spreads_keep_the_base_ranking_and_compliance_comes_first(industry, spread):
    result = rank_sites(make_project(PLAN, industry, 50), CTX, CONFIG)
    tiny = sensitivity(result, 50, spread=1e-9)
    assert (tiny.tau_clusters == 1.0).all() and tiny.clusters["top1_share"].iloc[0] == 1.0
    wide = sensitivity(result, 50, spread=spread)
    first = wide.clusters[wide.clusters["top1_share"] > 0]
    if result.clusters["compliant"].any():  # a non-compliant cluster never ranks first when a compliant one exists
        assert result.clusters.set_index("id").loc[first["id"], "compliant"].all()


@pytest.mark.parametrize(("draws", "spread"), [(0, 0.2), (-5, 0.2), (10**9, 0.2), (10, 0.0), (10, 1.5), (2.5, 0.2)])
def test_draws_or_spread_that_cannot_be_used_are_refused(draws, spread):
    with pytest.raises(SensitivityError):
        sensitivity(RESULT, draws, spread)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.siting", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)  # fmt: skip


def test_cli_adds_the_shares_to_each_cluster():
    proc = run("--industry", "食品", "--land-mu", "50", "--sensitivity", "200", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert all(0 <= c["top1_share"] <= c["top3_share"] <= 1 for c in data["clusters"])
    assert data["sensitivity"]["draws"] == 200 and data["sensitivity"]["one_at_a_time"]
    refused = run("--industry", "食品", "--land-mu", "50", "--sensitivity", "0")
    assert refused.returncode == 2 and "抽样次数" in refused.stderr
