"""AHP weights for site selection (issue 14, 2): the eigenvector, the consistency ratio, bad matrices, --ahp."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.siting.ahp import AhpError, ahp_weights, load_ahp
from tests.conftest import ROOT

THREE = ("plan_fit", "axis", "transport")


@given(st.lists(st.floats(1.0, 3.0), min_size=3, max_size=5))
def test_a_perfectly_consistent_matrix_gives_back_its_weights(raw):
    w = np.array(raw) / sum(raw)  # ratios within 1/3–3: on Saaty's scale
    factors = ("plan_fit", "axis", "transport", "land_yield", "free_land")[: len(w)]
    ahp = ahp_weights(factors, (w[:, None] / w[None, :]).tolist())
    assert np.allclose(list(ahp.weights.values()), w, atol=1e-9)
    assert ahp.cr == pytest.approx(0.0, abs=1e-9) and ahp.consistent and ahp.warning() is None


def test_inconsistent_judgements_are_flagged_with_the_worst_pair():
    # plan_fit ≫ axis, axis ≫ transport, yet transport ≫ plan_fit: a cycle
    ahp = ahp_weights(THREE, [[1, 5, "1/5"], ["1/5", 1, 5], [5, "1/5", 1]])
    assert ahp.cr >= 0.1 and not ahp.consistent
    zh, en = ahp.warning()
    assert "CR = " in zh and "最不一致的判断" in zh and f"{ahp.worst[0]} vs {ahp.worst[1]}" in en


@pytest.mark.parametrize(("factors", "matrix", "message"), [
    (THREE, [[1, 3], ["1/3", 1]], "3×3"),
    (THREE, [[1, 3, 3], ["1/3", 1, 1]], "3×3"),
    (THREE, [[1, -3, 3], ["-1/3", 1, 1], ["1/3", 1, 1]], "正数"),
    (THREE, [[1, 0, 3], [1, 1, 1], ["1/3", 1, 1]], "正数"),
    (THREE, [[1, 3, 3], [3, 1, 1], ["1/3", 1, 1]], "不互反"),
    (THREE, [[2, 3, 3], ["1/3", 1, 1], ["1/3", 1, 1]], "对角线"),
    (THREE, [[1, 12, 3], ["1/12", 1, 1], ["1/3", 1, 1]], "1/9–9"),
    (THREE, [[1, "abc", 3], ["1/3", 1, 1], ["1/3", 1, 1]], "不是数"),
    (THREE, [[1, "1/0", 3], ["1/3", 1, 1], ["1/3", 1, 1]], "不是数"),
    (("plan_fit", "axis", "profit"), [[1, 1, 1]] * 3, "因子须为"),
    (("plan_fit", "plan_fit", "axis"), [[1, 1, 1]] * 3, "因子须为"),
])  # fmt: skip
def test_a_matrix_that_cannot_be_used_says_why(factors, matrix, message):
    with pytest.raises(AhpError, match=message):
        ahp_weights(factors, matrix)


def test_the_file_form_and_its_errors(tmp_path):
    ahp = load_ahp(ROOT / "analysis" / "siting" / "ahp_example.toml")
    assert sum(ahp.weights.values()) == pytest.approx(1.0) and max(ahp.weights, key=ahp.weights.get) == "plan_fit"
    assert sum(ahp.config_weights().values()) == pytest.approx(100.0)
    with pytest.raises(AhpError, match="factors 和 matrix"):
        load_ahp(b"factors = ['plan_fit', 'axis']\n")
    with pytest.raises(AhpError, match="TOML"):
        load_ahp(b"matrix = [[1, 2]\n")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.siting", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)  # fmt: skip


def test_cli_ranks_with_the_ahp_weights_and_reports_the_consistency(tmp_path):
    base = ("--industry", "食品", "--land-mu", "50", "--json")
    plain = json.loads(run(*base).stdout)
    proc = run(*base, "--ahp", str(ROOT / "analysis" / "siting" / "ahp_example.toml"))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ahp"]["consistent"] and data["ahp"]["cr"] < 0.1
    assert [c["score"] for c in data["clusters"]] != [c["score"] for c in plain["clusters"]]
    bad = tmp_path / "bad.toml"
    bad.write_text("factors = ['plan_fit', 'axis']\nmatrix = [[1, 3], [3, 1]]\n", encoding="utf-8")
    refused = run(*base, "--ahp", str(bad))
    assert refused.returncode == 2 and "不互反" in refused.stderr
    cycle = tmp_path / "cycle.toml"
    cycle.write_text("factors = ['plan_fit', 'axis', 'transport']\nmatrix = [[1, 5, '1/5'], ['1/5', 1, 5], "
                     "[5, '1/5', 1]]\n", encoding="utf-8")  # fmt: skip
    warned = run(*base, "--ahp", str(cycle))
    assert (
        warned.returncode == 0 and "一致性不足" in warned.stderr and not json.loads(warned.stdout)["ahp"]["consistent"]
    )
